"""Monte Carlo over scenario uncertainty, what-ifs and one-at-a-time sensitivity."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import detente.model.baselines  # noqa: F401  (registers the models before parametrising)
from detente.model.base import MODELS, BargainingModel, Forecast, get_model
from detente.model.io import read_scenario
from detente.model.montecarlo import Change, apply_changes, draw_inputs, sensitivity, simulate, what_if
from detente.model.scenario import Issue, Scenario, ScenarioError

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "scenarios" / "russia_ukraine_2025.yaml"


def make(pos, sal, cap, unc=None) -> Scenario:
    pos = np.array(pos, dtype=float).reshape(len(cap), -1)
    sal = np.array(sal, dtype=float).reshape(pos.shape)
    unc = None if unc is None else np.array(unc, dtype=float).reshape(pos.shape)
    issues = tuple(Issue(f"i{j}") for j in range(pos.shape[1]))
    actors = tuple(f"a{i}" for i in range(len(cap)))
    return Scenario("t", actors, issues, pos, sal, np.array(cap, dtype=float), unc)


def three_actors() -> Scenario:
    return make(
        [[30, 10], [50, 90], [70, np.nan]],
        [[80, 20], [40, 60], [60, np.nan]],
        [1, 2, 3],
        [[4, 2], [3, 0], [5, 0]],
    )


def test_seeded_runs_are_reproducible_and_seeds_differ():
    sc, model = three_actors(), get_model("compromise")
    a, b = simulate(model, sc, 300, seed=7), simulate(model, sc, 300, seed=7)
    assert np.array_equal(a.samples, b.samples)
    c = simulate(model, sc, 300, seed=8)
    assert not np.array_equal(a.samples[:, 0], c.samples[:, 0])


def test_mean_of_noisy_positions_matches_the_normal_theory():
    # Unweighted mean of three positions far from the ends: the forecast is normal with
    # mean = mean of positions and sd = sqrt(sum sd_i^2) / 3.
    sc = make([40, 50, 60], [50, 50, 50], [1, 1, 1], [6, 8, 0])
    dist = simulate(get_model("mean"), sc, 6000, seed=1)
    sd = np.sqrt(36 + 64) / 3
    assert dist.mean[0] == pytest.approx(50, abs=0.15)
    assert dist.samples[:, 0].std() == pytest.approx(sd, rel=0.03)
    lo, hi = dist.interval(0.9)[0]
    assert lo == pytest.approx(50 - 1.645 * sd, abs=0.3) and hi == pytest.approx(50 + 1.645 * sd, abs=0.3)
    assert dist.histogram().sum() == 6000


def test_no_uncertainty_means_every_run_is_the_point_forecast():
    sc = make([10, 80], [50, 70], [1, 4])
    dist = simulate(get_model("compromise"), sc, 50, seed=0)
    assert np.allclose(dist.samples, dist.point)
    assert np.allclose(dist.interval(), dist.point[:, None])


def test_draws_stay_in_range_and_keep_missing_values():
    sc = make([[2, np.nan], [98, 50]], [[np.nan, 50], [95, 5]], [1, 0.1], [[30, 0], [30, 10]])
    pos, sal, cap = draw_inputs(sc, 2000, seed=3, salience_sd=20, capability_cv=3.0)
    assert pos.shape == (2000, 2, 2) and cap.shape == (2000, 2)
    assert np.isnan(pos[:, 0, 1]).all() and np.isnan(sal[:, 0, 0]).all()
    finite = pos[~np.isnan(pos)]
    assert finite.min() == 0.0 and finite.max() == 100.0  # clipped, and the clip is reached
    assert np.nanmin(sal) >= 0 and np.nanmax(sal) <= 100 and cap.min() == 0.0
    # a salience spread leaves the position draws as they were
    pos0, _, _ = draw_inputs(sc, 2000, seed=3)
    assert np.array_equal(pos0, pos, equal_nan=True)
    with pytest.raises(ScenarioError, match="runs"):
        draw_inputs(sc, 0)


def test_salience_and_capability_spreads_widen_a_weighted_forecast():
    sc = make([0, 100], [50, 50], [1, 1])
    model = get_model("compromise")
    assert np.ptp(simulate(model, sc, 200, 0).samples) == 0
    assert np.ptp(simulate(model, sc, 200, 0, salience_sd=10).samples) > 5
    assert np.ptp(simulate(model, sc, 200, 0, capability_cv=0.3).samples) > 5


def test_models_run_with_the_same_seed_see_the_same_draws():
    sc = make([20, 40, 90], [50, 50, 50], [2, 2, 2], [5, 5, 5])  # equal weights: compromise == mean
    a = simulate(get_model("mean"), sc, 100, seed=4)
    b = simulate(get_model("compromise"), sc, 100, seed=4)
    assert np.allclose(a.samples, b.samples)


@pytest.mark.parametrize("name", sorted(MODELS) or ["compromise"])
def test_every_registered_model_simulates(name):
    sc = three_actors()
    dist = simulate(get_model(name), sc, 40, seed=2)
    assert dist.samples.shape == (40, 2)
    ok = ~np.isnan(dist.samples)
    assert ok.all() and (dist.samples >= 0).all() and (dist.samples <= 100).all()
    iv = dist.interval()
    assert (iv[:, 0] <= dist.median).all() and (dist.median <= iv[:, 1]).all()
    d = dist.to_dict()
    assert set(d["issues"]) == {"i0", "i1"} and {"p5", "p95", "histogram"} <= set(d["issues"]["i0"])


def test_change_parsing():
    assert Change.parse("Russia:territory:position=60") == Change("Russia", "territory", "position", 60.0)
    assert Change.parse(" United States : alliance : salience += 10 ") == Change(
        "United States", "alliance", "salience", 10.0, "+="
    )
    assert Change.parse("Russia:capability=5e1") == Change("Russia", "*", "capability", 50.0)
    assert str(Change.parse("Russia:*:capability-=5")) == "Russia:capability-=5"
    for bad, msg in [
        ("Russia territory 60", "cannot read"),
        ("Russia:territory:mood=3", "unknown field"),
        ("Russia:position=3", "needs an issue"),
    ]:
        with pytest.raises(ScenarioError, match=msg):
            Change.parse(bad)


def test_what_if_moves_the_mean_by_the_change_over_n():
    sc = three_actors()
    w = what_if(get_model("mean"), sc, ["a1:i0:position=80"])
    assert w.delta[0] == pytest.approx((80 - 50) / 3)
    assert w.delta[1] == 0
    shifted = what_if(get_model("mean"), sc, ["A1:I0:position-=20", "a0:i1:position+=95"])
    assert shifted.after[0] == pytest.approx((30 + 30 + 70) / 3)
    assert shifted.after[1] == pytest.approx((100 + 90) / 2)  # clipped to the scale
    cap = what_if(get_model("compromise"), sc, ["a2:capability=0"])
    assert cap.after[0] == pytest.approx((30 * 80 + 50 * 80) / 160)
    changed = apply_changes(sc, ["a2:capability=0"])
    assert changed.sources[("a2", "*", "capability")].startswith("what-if")


def test_what_if_with_runs_pairs_the_draws():
    sc = three_actors()
    w = what_if(get_model("mean"), sc, ["a0:i0:position+=9"], runs=200, seed=5)
    diff = w.after_dist.samples[:, 0] - w.before_dist.samples[:, 0]
    # the same draws shifted by 9 for one of three actors (clipping aside, far from the ends)
    assert np.allclose(diff, 3.0)
    assert "before_p5_p95" in w.to_dict()["issues"]["i0"]


def test_what_if_errors_are_clear():
    sc = three_actors()
    with pytest.raises(ScenarioError, match="unknown actor 'Narnia'; actors are a0, a1, a2"):
        what_if(get_model("mean"), sc, ["Narnia:i0:position=3"])
    with pytest.raises(ScenarioError, match="unknown issue"):
        what_if(get_model("mean"), sc, ["a0:nato:position=3"])
    with pytest.raises(ScenarioError, match="no position"):
        what_if(get_model("mean"), sc, ["a2:i1:position+=3"])
    with pytest.raises(ScenarioError, match="at least one"):
        what_if(get_model("mean"), sc, [])


def test_sensitivity_matches_the_derivative_of_the_weighted_mean():
    sc = three_actors()
    ranked = sensitivity(get_model("compromise"), sc, step=2.0)
    w = sc.capability[:, None] * sc.salience_filled()
    by_key = {(s.actor, s.issue, s.field): s for s in ranked}
    for a, actor in enumerate(sc.actors):
        for j, issue in enumerate(("i0", "i1")):
            if np.isnan(sc.position[a, j]):
                assert (actor, issue, "position") not in by_key
                continue
            has = ~np.isnan(sc.position[:, j])
            expected = w[a, j] / w[has, j].sum()  # d/dx_a of sum(w x) / sum(w)
            assert by_key[(actor, issue, "position")].effect == pytest.approx(expected, rel=1e-6)
    swings = [abs(s.swing) for s in ranked]
    assert swings == sorted(swings, reverse=True)
    # the mean model ignores saliences and capabilities
    flat = sensitivity(get_model("mean"), sc)
    assert all(s.swing == 0 for s in flat if s.field != "position")
    assert {s.field for s in flat} == {"position", "salience", "capability"}


def test_sensitivity_clips_at_the_ends_of_the_scale():
    sc = make([100, 0], [50, 50], [1, 1])
    top = {(s.actor, s.field): s for s in sensitivity(get_model("mean"), sc, fields=["position"])}
    assert (top[("a0", "position")].low, top[("a0", "position")].high) == (95.0, 100.0)
    assert top[("a0", "position")].effect == pytest.approx(0.5)
    with pytest.raises(ScenarioError, match="unknown fields"):
        sensitivity(get_model("mean"), sc, fields=["mood"])


class _Constant(BargainingModel):
    """A model outside the registry: anything with predict() works."""

    def predict(self, scenario: Scenario) -> Forecast:
        return Forecast("constant", np.full(scenario.n_issues, 42.0))


def test_any_model_object_works_and_gets_a_name():
    dist = simulate(_Constant(), three_actors(), 10)
    assert dist.model == "_Constant" and np.allclose(dist.samples, 42.0)


def test_example_scenario_simulates_and_every_value_has_a_source():
    import yaml

    sc = read_scenario(EXAMPLE)
    assert len(sc.actors) >= 5 and len(sc.issues) == 6
    raw = yaml.safe_load(EXAMPLE.read_text())
    for issue in raw["issues"]:
        assert issue["low_label"] and issue["high_label"] and issue["anchors"]
    for actor in raw["actors"]:
        assert actor["source"], actor["name"]
        for issue, v in actor["issues"].items():
            assert v["source"] and v["salience_source"] and v["uncertainty"] > 0, (actor["name"], issue)
    dist = simulate(get_model("compromise"), sc, 200, seed=0)
    iv = dist.interval()
    assert (iv[:, 1] - iv[:, 0] > 0).all()
