"""Nash bargaining, the expected-utility model and the KTAB wrapper: hand-computed cases, the
vectorised expected-utility model against its plain-Python twin, and cross-validation."""

from __future__ import annotations

import numpy as np
import pytest

from detente.bench.deu3 import cross_validate, issue_groups
from detente.model.base import get_model
from detente.model.expected_utility import EUParams, run_batch, win_probabilities
from detente.model.expected_utility_reference import run_issue
from detente.model.ktab import KtabScenario, outcome, run_ktab
from detente.model.nash import nash_solution
from detente.model.scenario import Issue, Scenario


def scenario(pos, sal, cap, status_quo=None) -> Scenario:
    pos = np.array(pos, dtype=float).reshape(len(cap), -1)
    sal = np.array(sal, dtype=float).reshape(pos.shape)
    issues = tuple(Issue(f"i{j}", status_quo=status_quo) for j in range(pos.shape[1]))
    return Scenario(
        "t", tuple(f"a{i}" for i in range(len(cap))), issues, pos, sal, np.array(cap, dtype=float)
    )


# --- Nash ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("w1", "w2"), [(1, 1), (2, 1), (1, 3), (5, 2)])
def test_nash_two_actors_linear_loss_splits_by_power(w1, w2):
    # max w1 log(100 - x) + w2 log(x)  =>  x = 100 w2 / (w1 + w2)
    x = nash_solution(np.array([[0.0], [100.0]]), np.array([[w1], [w2]], dtype=float), power=1)
    assert x[0] == pytest.approx(100 * w2 / (w1 + w2), abs=1e-8)


def test_nash_quadratic_loss_satisfies_the_first_order_condition():
    x = nash_solution(np.array([[0.0], [100.0]]), np.array([[2.0], [1.0]]), power=2)[0]
    # d/dx [2 log(1e4 - x^2) + log(1e4 - (100 - x)^2)] = 0
    slope = -4 * x / (1e4 - x**2) + 2 * (100 - x) / (1e4 - (100 - x) ** 2)
    assert abs(slope) < 1e-9 and 0 < x < 50


def test_nash_with_a_status_quo():
    pos, w = np.array([[20.0], [30.0]]), np.ones((2, 1))
    # both prefer anything in (10, 50) to a status quo at 50; the product peaks at 30
    assert nash_solution(pos, w, np.array([50.0]))[0] == pytest.approx(30.0, abs=1e-8)
    # actors on both sides of the status quo: no deal makes both better off, the status quo stands
    assert nash_solution(np.array([[20.0], [60.0]]), w, np.array([50.0]))[0] == 50.0


def test_nash_model_reads_saliences_capabilities_and_missing_positions():
    sc = scenario([[0, np.nan], [100, 40]], [[50, 50], [100, 50]], [1, 1])
    out = get_model("nash").predict(sc).outcome
    assert out[0] == pytest.approx(100 * 100 / 150, abs=1e-6)  # weights 50 and 100
    assert out[1] == pytest.approx(40.0)  # one actor: its own position
    sq = get_model("nash", disagreement="status_quo").predict(
        scenario([[20], [30]], [[50], [50]], [1, 1], 50.0)
    )
    assert sq.outcome[0] == pytest.approx(30.0, abs=1e-6)
    with pytest.raises(ValueError, match="disagreement"):
        get_model("nash", disagreement="somewhere")
    with pytest.raises(ValueError, match="power"):
        get_model("nash", power=0.5)


# --- expected utility ---------------------------------------------------------------------


def test_win_probability_is_the_share_of_weighted_votes():
    # Positions 0, 40, 100, equal weights. For 0 against 100: voter 0 gives 100, voter 40 gives
    # |40-100| - |40-0| = 20, voter 100 gives -100 -> P = 120 / 220.
    x = np.array([[0.0, 40.0, 100.0]])
    pair = ~np.eye(3, dtype=bool)[None]
    p = win_probabilities(x, np.ones((1, 3)), pair)[0]
    assert p[0, 2] == pytest.approx(120 / 220) and p[2, 0] == pytest.approx(100 / 220)
    # 40 against 100: voters 0 and 40 back 40 by 60 each, voter 100 backs 100 by 60 -> 2/3
    assert p[1, 2] == pytest.approx(2 / 3)
    assert np.allclose(p + p.T, np.where(pair[0], 1.0, 0.0))


def test_two_equal_actors_stand_off():
    # Equal weights and saliences: each expects the same from a contest, nobody wins, nobody moves.
    forecast, final = run_batch(
        np.array([[0.0, 100.0]]),
        np.ones((1, 2)),
        np.full((1, 2), 0.5),
        np.ones((1, 2), bool),
        EUParams(outcome="mean"),
    )
    assert np.allclose(final, [[0.0, 100.0]]) and forecast[0] == pytest.approx(50.0)


def test_a_weak_lone_actor_gives_way():
    # Three strong actors at 20 against a weak one at 90: it capitulates or compromises toward 20.
    pos = np.array([[20.0, 20.0, 20.0, 90.0]])
    _, final = run_batch(pos, np.array([[3.0, 3.0, 3.0, 0.5]]), np.full((1, 4), 0.8), np.ones((1, 4), bool))
    assert final[0, 3] < 90.0 and np.allclose(final[0, :3], 20.0)


def test_vectorised_model_equals_the_plain_python_reference():
    rng = np.random.default_rng(7)
    b, n = 40, 9
    pos = np.round(rng.uniform(0, 100, (b, n)), 0)  # rounded: ties and shared positions happen
    pos[:10, :4] = 0.0
    pos[10:20, 4:] = 100.0
    cap, sal = rng.uniform(0.1, 5, (b, n)), rng.uniform(0.05, 1, (b, n))
    valid = rng.uniform(size=(b, n)) > 0.15
    valid[:, :2] = True
    for params in (EUParams(rounds=6), EUParams(rounds=3, q=0.5, t=0.3, outcome="mean")):
        forecast, final = run_batch(pos, cap, sal, valid, params)
        for row in range(b):
            m = valid[row]
            f_ref, x_ref = run_issue(list(pos[row, m]), list(cap[row, m]), list(sal[row, m]), params)
            assert forecast[row] == pytest.approx(f_ref, abs=1e-9)
            assert np.allclose(final[row, m], x_ref, atol=1e-9, rtol=0)
            assert np.all(np.isnan(final[row, ~m]))


def test_expected_utility_model_on_a_scenario():
    sc = scenario([[10, 50], [90, 50], [30, np.nan]], [[80, 50], [20, 50], [60, 50]], [2, 1, 1])
    out = get_model("expected_utility").predict(sc)
    assert out.outcome.shape == (2,) and 10 <= out.outcome[0] <= 90 and out.outcome[1] == 50
    assert np.isnan(out.details["final_positions"][2, 1])


# --- KTAB wrapper -------------------------------------------------------------------------


def test_ktab_model_runs_the_smp_jointly_and_issue_by_issue():
    pos = np.array([[10.0, 80.0], [60.0, 20.0], [90.0, 50.0]])
    sal = np.array([[40.0, 30.0], [50.0, 50.0], [20.0, 60.0]])
    cap = np.array([3.0, 2.0, 1.0])
    joint = get_model("ktab").predict(scenario(pos, sal, cap)).outcome
    direct = KtabScenario("t", "", ("a", "b", "c"), ("", "", ""), ("x", "y"), cap, pos, sal)
    assert np.allclose(joint, outcome(run_ktab(direct)).expected)
    # A missing position: each issue runs with the actors that take part in it.
    gaps = pos.copy()
    gaps[2, 1] = np.nan
    split = get_model("ktab").predict(scenario(gaps, sal, cap)).outcome
    assert 10 <= split[0] <= 90 and 20 <= split[1] <= 80


def test_ktab_model_scales_down_saliences_that_sum_past_100():
    sc = scenario([[10, 80], [60, 20]], [[90, 90], [80, 70]], [1, 1])
    out = get_model("ktab").predict(sc).outcome
    assert np.all((out >= 10) & (out <= 80))


# --- cross-validation ---------------------------------------------------------------------


def test_cross_validation_picks_on_training_folds_and_keeps_proposals_together():
    issues = [Issue(f"d{p:05d}i{k}", outcome=50.0) for p in range(12) for k in range(1, 3)]
    scs = [scenario([[50]], [[50]], [1]) for _ in issues]
    scs = [
        Scenario(i.id, s.actors, (i,), s.position, s.salience, s.capability)
        for s, i in zip(scs, issues, strict=True)
    ]
    groups = issue_groups(scs)
    assert groups[0] == groups[1] == "d00000" and len(set(groups)) == 12
    rng = np.random.default_rng(0)
    base = rng.uniform(10, 30, len(issues))
    table = {"compromise": base, "better": base - 2.0, "worse": base + 1.0}
    cv = cross_validate(scs, table, k=4)
    assert [f.chosen for f in cv.folds] == ["better"] * 4
    assert cv.mae == pytest.approx(base.mean() - 2.0) and cv.ci[1] < 0
    assert sum(f.issues for f in cv.folds) == len(issues)


@pytest.mark.parametrize(
    "name", ["compromise", "mean", "salience_mean", "weighted_median", "nash", "expected_utility"]
)
def test_many_draws_in_one_wide_call_equal_one_call_per_draw(name):
    from dataclasses import replace

    from detente.model.montecarlo import draw_inputs

    sc = scenario(
        [[10, 80, np.nan], [60, 20, 40], [90, 50, 70], [30, 35, 95]],
        [[40, 30, 50], [50, 50, np.nan], [20, 60, 80], [70, 10, 30]],
        [3.0, 2.0, 1.0, 1.5],
    )
    sc = replace(sc, uncertainty=np.full((4, 3), 8.0))
    model = get_model(name)
    assert model.issues_independent
    pos, sal, cap = draw_inputs(sc, 25, seed=3)
    wide = model.predict_draws(sc, pos, sal, cap)
    one_by_one = np.array(
        [
            model.predict(replace(sc, position=pos[r], salience=sal[r], capability=cap[r])).outcome
            for r in range(25)
        ]
    )
    assert wide.shape == (25, 3) and np.allclose(wide, one_by_one, atol=1e-8, equal_nan=True)
