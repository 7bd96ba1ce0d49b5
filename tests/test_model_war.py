"""Bargaining while fighting: the closed-form front line, Fearon's range, convergence of beliefs."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pytest

from detente.model.scenario import ScenarioError
from detente.model.war_termination import (
    Belief,
    WarScenario,
    bargaining_range,
    discounted_front,
    fearon_range,
    read_war_scenario,
    simulate_war,
    war_from_dict,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "scenarios" / "russia_ukraine_war.yaml"


def brute_front(x: float, drift: float, d: float, horizon: float, n: int = 20000) -> float:
    h = np.arange(n)
    return float((1 - d) * np.sum(d**h * np.clip(x + np.minimum(h, horizon) * drift, 0, 100)))


def test_closed_form_front_matches_the_sum_with_clipping_and_horizons():
    rng = np.random.default_rng(3)
    for _ in range(300):
        x, drift, d = rng.uniform(0, 100), rng.uniform(-6, 6), rng.uniform(0.5, 0.98)
        horizon = [np.inf, float(rng.integers(0, 60)), rng.uniform(0, 60)][rng.integers(0, 3)]
        assert discounted_front(x, drift, d, horizon) == pytest.approx(
            brute_front(x, drift, d, horizon), abs=1e-7
        )
    # vectorised: one call for many fronts gives the same as one call each
    xs = rng.uniform(0, 100, 50)
    drifts = rng.uniform(-3, 3, 50)
    got = discounted_front(xs, drifts, 0.9, 30.0)
    assert np.allclose(got, [discounted_front(a, b, 0.9, 30.0) for a, b in zip(xs, drifts, strict=True)])


def test_identical_correct_beliefs_give_fearons_range_open_at_the_start():
    ws = WarScenario(
        front=40,
        p_win=0.6,
        step=0.5,
        cost_a=2.0,
        cost_b=3.5,
        discount=0.9,
        horizon=20,
        belief_a=Belief(0.6, 30),
        belief_b=Belief(0.4, 30),
    )
    # Unclipped closed form: p = x0 + step (2p - 1) d (1 - d^H) / (1 - d)
    d, big_h = ws.discount, ws.horizon
    p = ws.front + ws.step * (2 * ws.p_win - 1) * d * (1 - d**big_h) / (1 - d)
    assert fearon_range(ws) == pytest.approx((p - ws.cost_a, p + ws.cost_b))
    res = simulate_war(ws, paths=500, seed=1)
    assert (res.outcome == "settlement").all() and (res.period == 0).all()
    assert np.allclose(res.lo, p - ws.cost_a) and np.allclose(res.hi, p + ws.cost_b)
    assert np.allclose(res.midpoint, p + (ws.cost_b - ws.cost_a) / 2)
    # without costs the range shrinks to the single line both expect
    free = simulate_war(WarScenario(**{**_kw(ws), "cost_a": 0.0, "cost_b": 0.0}), paths=10, seed=1)
    assert np.allclose(free.lo, p) and np.allclose(free.hi, p)


def _kw(ws: WarScenario) -> dict:
    return {f: getattr(ws, f) for f in ws.__slots__ if f != "sources"}


def optimists(**over) -> WarScenario:
    kw = dict(
        front=50,
        p_win=0.5,
        step=0.5,
        cost_a=1.0,
        cost_b=1.0,
        discount=0.9,
        horizon=10,
        belief_a=Belief(0.7, 10),
        belief_b=Belief(0.7, 10),
        max_periods=300,
    )
    kw.update(over)
    return WarScenario(**kw)


def test_optimism_closes_the_range_until_battles_bring_beliefs_together():
    ws = optimists()
    res = simulate_war(ws, paths=400, seed=2, record=True)
    # With equal prior strengths the gap in beliefs is (s m_A - s (1 - m_B)) / (s + n), whatever the
    # battles; the expected paths stay off the ends of the scale, so the range opens at the first n with
    # 2 step gap d (1 - d^H) / (1 - d) <= c_A + c_B.
    d, big_h, s = ws.discount, ws.horizon, 10
    k = 2 * ws.step * d * (1 - d**big_h) / (1 - d)
    prior_gap = s * ws.belief_a.mean - s * (1 - ws.belief_b.mean)
    n_star = math.ceil(k * prior_gap / (ws.cost_a + ws.cost_b) - s)
    assert n_star > 0
    assert (res.outcome == "settlement").all()
    assert (res.period == n_star).all()
    tr = res.trace
    assert (tr["lo"][0] > tr["hi"][0]).all()  # closed before any fighting
    gaps = tr["p_hat_a"] - tr["p_hat_b"]
    assert (np.diff(gaps[: n_star + 1], axis=0) < 0).all()  # beliefs converge battle by battle
    assert ((res.lo <= res.hi) & (res.lo <= res.midpoint) & (res.midpoint <= res.hi)).all()


def test_higher_costs_open_the_range_sooner_path_by_path():
    times = []
    for cost in (0.5, 1.0, 2.0, 4.0):
        ws = optimists(
            cost_a=cost, cost_b=cost, belief_a=Belief(0.75, 6), belief_b=Belief(0.6, 15), noise=1.0
        )
        res = simulate_war(ws, paths=300, seed=5)
        times.append(np.where(res.period >= 0, res.period, 10**6))
    for cheap, dear in itertools.pairwise(times):
        assert (dear <= cheap).all()
    assert times[-1].mean() < times[0].mean()


def test_zero_noise_is_deterministic_drift():
    # Fixed beliefs that never meet and no costs: nobody settles; the line drifts to A's victory.
    ws = WarScenario(
        front=30,
        p_win=0.7,
        step=2.0,
        noise=0.0,
        cost_a=0.0,
        cost_b=0.0,
        belief_a=Belief(0.9, np.inf),
        belief_b=Belief(0.9, np.inf),
        max_periods=100,
    )
    res = simulate_war(ws, paths=50, seed=9, record=True)
    t = np.arange(ws.max_periods + 1)[:, None]
    expected = np.clip(30 + t * 2.0 * (2 * 0.7 - 1), 0, 100)
    assert np.allclose(res.trace["front"], expected)
    assert (res.outcome == "victory_a").all()
    assert (res.period == math.ceil(70 / 0.8)).all()  # the first period at or past 100


def test_noise_spreads_the_line_around_the_drift():
    ws = WarScenario(
        front=50,
        p_win=0.6,
        step=1.0,
        noise=1.0,
        cost_a=0,
        cost_b=0,
        belief_a=Belief(0.9, np.inf),
        belief_b=Belief(0.9, np.inf),
        max_periods=20,
    )
    res = simulate_war(ws, paths=4000, seed=0, record=True)
    final = res.trace["front"][-1]
    assert final.mean() == pytest.approx(50 + 20 * 0.2, abs=0.3)  # drift step (2p - 1) per period
    assert final.var() == pytest.approx(20 * 4 * 0.6 * 0.4, rel=0.1)  # 4 step^2 p (1 - p) per period


def test_seeded_runs_are_reproducible_and_seeds_differ():
    ws = optimists(belief_a=Belief(0.8, 5), belief_b=Belief(0.55, 20), p_win=0.55)
    a, b = simulate_war(ws, 200, seed=11), simulate_war(ws, 200, seed=11)
    assert np.array_equal(a.period, b.period) and np.allclose(a.midpoint, b.midpoint, equal_nan=True)
    c = simulate_war(ws, 200, seed=12)
    assert not np.array_equal(a.period, c.period)
    summary = a.summary()
    assert summary["paths"] == 200 and sum(summary["outcomes"].values()) == 200
    assert summary["time_to_settlement"]["p5"] <= summary["time_to_settlement"]["median"]


def test_nash_split_follows_bargaining_power():
    lo, hi = bargaining_range(np.array(50.0), np.array(0.5), np.array(0.5), optimists(cost_a=3, cost_b=5))
    assert float(lo) == pytest.approx(47) and float(hi) == pytest.approx(55)
    res = simulate_war(
        optimists(cost_a=3, cost_b=5, belief_a=Belief(0.5), belief_b=Belief(0.5), power_a=0.8),
        paths=5,
        seed=0,
    )
    assert np.allclose(res.nash, 47 + 0.8 * 8)


def test_bad_parameters_are_clear_errors():
    with pytest.raises(ScenarioError, match="discount"):
        WarScenario(discount=1.0)
    with pytest.raises(ScenarioError, match="mean"):
        Belief(1.2)
    with pytest.raises(ScenarioError, match="unknown war-scenario keys: costa"):
        war_from_dict({"costa": 1})
    with pytest.raises(ScenarioError, match="unusable"):
        war_from_dict({"cost_a": "high"})


def test_dict_values_carry_sources():
    ws = war_from_dict(
        {
            "war": {
                "side_a": "X",
                "front": {"value": 70, "source": "map"},
                "belief_b": {"mean": 0.6, "source": "s"},
            }
        }
    )
    assert ws.front == 70 and ws.side_a == "X" and ws.belief_b.mean == 0.6
    assert ws.sources == {"front": "map", "belief_b": "s"}


def test_bundled_war_example_loads_and_runs():
    ws = read_war_scenario(EXAMPLE)
    assert ws.sources and all(ws.sources.values())
    res = simulate_war(ws, paths=200, seed=0)
    assert len(res.outcome) == 200
