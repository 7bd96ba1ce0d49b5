"""Scenarios, the model interface and the central-tendency models, against hand-computed cases
and the published DEU III baselines."""

from __future__ import annotations

import numpy as np
import pytest

from detente.model import baselines, expected_utility, ktab_model, nash  # noqa: F401  (registers the models)
from detente.model.base import MODELS, get_model
from detente.model.io import from_dict, read_deu3, read_scenario, to_dict, write_scenario
from detente.model.scenario import Issue, Scenario, ScenarioError


def scenario(pos, sal, cap) -> Scenario:
    pos = np.array(pos, dtype=float).reshape(len(cap), -1)
    sal = np.array(sal, dtype=float).reshape(pos.shape)
    issues = tuple(Issue(f"i{j}") for j in range(pos.shape[1]))
    return Scenario(
        "t", tuple(f"a{i}" for i in range(len(cap))), issues, pos, sal, np.array(cap, dtype=float)
    )


def test_hand_computed_means_and_median():
    # Positions 0, 60, 100; saliences 50, 100, 50; capabilities 1, 1, 2.
    sc = scenario([0, 60, 100], [50, 100, 50], [1, 1, 2])
    assert get_model("mean").predict(sc).outcome[0] == pytest.approx(160 / 3)
    assert get_model("salience_mean").predict(sc).outcome[0] == pytest.approx((0 + 6000 + 5000) / 200)
    # weights cap x sal = 50, 100, 100 -> (0 + 6000 + 10000) / 250
    assert get_model("compromise").predict(sc).outcome[0] == pytest.approx(64.0)
    # cumulative weights 50, 150, 250: half of 250 is reached at 60
    assert get_model("weighted_median").predict(sc).outcome[0] == 60


def test_missing_positions_and_saliences():
    sc = scenario([[10, np.nan], [30, 80]], [[np.nan, 50], [50, 50]], [1, 1])
    out = get_model("compromise").predict(sc).outcome
    assert out[0] == pytest.approx(20.0)  # unknown salience counts as 50
    assert out[1] == pytest.approx(80.0)  # only one actor took a position


@pytest.mark.parametrize("name", sorted(MODELS) or ["compromise"])
def test_every_model_obeys_the_basics(name):
    get_model("compromise")  # registers the models
    model = get_model(name)
    rng = np.random.default_rng(1)
    pos, sal, cap = rng.uniform(0, 100, (5, 3)), rng.uniform(1, 100, (5, 3)), rng.uniform(0.5, 5, 5)
    sc = scenario(pos, sal, cap)
    out = model.predict(sc).outcome
    assert out.shape == (3,) and np.all((out >= 0) & (out <= 100))
    order = [4, 2, 0, 1, 3]  # actor order does not matter
    shuffled = scenario(pos[order], sal[order], cap[order])
    assert np.allclose(model.predict(shuffled).outcome, out)
    same = scenario(np.full((5, 3), 42.0), sal, cap)  # unanimity is the outcome
    assert np.allclose(model.predict(same).outcome, 42.0)


def test_validation_errors_are_clear():
    with pytest.raises(ScenarioError, match="0-100"):
        scenario([120], [50], [1])
    with pytest.raises(ScenarioError, match="shape"):
        Scenario("t", ("a",), (Issue("i"),), np.zeros((2, 1)), np.zeros((1, 1)), np.ones(1))
    with pytest.raises(ScenarioError, match="unknown issue"):
        from_dict({"issues": [{"id": "x"}], "actors": [{"name": "A", "issues": {"y": {"position": 5}}}]})


def test_what_if_changes_one_value_and_records_it():
    sc = scenario([0, 100], [50, 50], [1, 1])
    moved = sc.with_value("a1", "i0", "position", 50)
    assert sc.position[1, 0] == 100 and moved.position[1, 0] == 50
    assert moved.sources[("a1", "i0", "position")] == "what-if"
    assert get_model("compromise").predict(moved).outcome[0] == pytest.approx(25.0)


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_round_trip(tmp_path, suffix):
    data = {
        "name": "Talks",
        "issues": [
            {"id": "ceasefire", "low_label": "now", "high_label": "after a deal", "anchors": {50: "phased"}}
        ],
        "actors": [
            {
                "name": "A",
                "capability": 3,
                "issues": {"ceasefire": {"position": 10, "salience": 90, "source": "x"}},
            },
            {"name": "B", "capability": 2, "issues": {"ceasefire": {"position": 80, "uncertainty": 5}}},
        ],
    }
    sc = from_dict(data)
    path = tmp_path / f"s{suffix}"
    write_scenario(sc, path)
    again = read_scenario(path)
    assert again.actors == sc.actors and np.allclose(again.capability, sc.capability)
    assert np.allclose(np.nan_to_num(again.position), np.nan_to_num(sc.position))
    assert again.sources == sc.sources and again.issues[0].anchors == {50.0: "phased"}
    assert to_dict(again) == to_dict(sc)


def test_published_deu3_baselines_are_reproduced(shared_dir):
    """The figures in ../shared/data/deu3/README.md, to 0.01."""
    from detente.bench.deu3 import score_models

    names = ["compromise", "salience_mean", "mean", "weighted_median"]
    scores = {s.name: s.mae for s in score_models(read_deu3(shared_dir / "data" / "deu3"), names)}
    assert scores["compromise"] == pytest.approx(23.04, abs=0.01)
    assert scores["salience_mean"] == pytest.approx(24.28, abs=0.01)
    assert scores["mean"] == pytest.approx(24.34, abs=0.01)
    assert scores["weighted_median"] == pytest.approx(26.07, abs=0.01)
