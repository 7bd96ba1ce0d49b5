"""The SVG forecast chart: well-formed, one panel per issue, markers where the values are."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from detente.model.base import get_model
from detente.model.chart import AXIS_X0, AXIS_X1, forecast_chart, war_chart, write_chart, x_of
from detente.model.montecarlo import simulate
from detente.model.scenario import Issue, Scenario
from detente.model.war_termination import Belief, WarScenario, simulate_war

SVG = "{http://www.w3.org/2000/svg}"


def scenario() -> Scenario:
    issues = (
        Issue("a", "Tom & Jerry <issue>", "low end", "high end " * 20, status_quo=30),
        Issue("b", "", "L", "H"),
    )
    pos = np.array([[10.0, 50.0], [90.0, np.nan], [40.0, 60.0]])
    return Scenario(
        "test",
        ("X", "Y", "Z"),
        issues,
        pos,
        np.full((3, 2), 50.0),
        np.ones(3),
        np.full((3, 2), 5.0),
        {("X", "a", "position"): 'said "no" & left'},
    )


def test_chart_is_well_formed_and_places_markers():
    sc = scenario()
    dists = [simulate(get_model(n), sc, 100, seed=0) for n in ("mean", "compromise")]
    root = ET.fromstring(forecast_chart(sc, dists))
    panels = [g for g in root.iter(f"{SVG}g") if g.get("class") == "panel"]
    assert [p.get("id") for p in panels] == ["issue-a", "issue-b"]
    forecasts = [c for c in panels[0].iter(f"{SVG}circle") if c.get("class") == "fc"]
    assert len(forecasts) == 2
    for circle, dist in zip(forecasts, dists, strict=True):
        assert float(circle.get("cx")) == pytest.approx(x_of(dist.point[0]), abs=0.05)
    actors = [c for c in panels[1].iter(f"{SVG}circle") if c.get("class") == "pos"]
    assert len(actors) == 2  # Y takes no position on b
    text = "".join(root.itertext())
    assert "Tom & Jerry <issue>" in text and 'said "no" & left' in text and "…" in text


def test_scale_mapping_and_svg_only(tmp_path):
    assert x_of(0) == AXIS_X0 and x_of(100) == AXIS_X1 and x_of(150) == AXIS_X1
    sc = scenario()
    dist = simulate(get_model("mean"), sc, 20)
    assert write_chart(tmp_path / "c.svg", sc, [dist]).read_text().startswith("<svg")
    with pytest.raises(ValueError, match="SVG"):
        write_chart(tmp_path / "c.png", sc, [dist])


def test_war_chart_draws_the_range_and_the_distributions():
    ws = WarScenario(
        name="A & B", belief_a=Belief(0.7, 10), belief_b=Belief(0.7, 10), cost_a=1, cost_b=1, horizon=10
    )
    paths = simulate_war(ws, 300, seed=0)
    example = simulate_war(ws, 1, seed=0, record=True)
    root = ET.fromstring(war_chart(paths, example))
    lines = {p.get("class"): p for p in root.iter(f"{SVG}polyline")}
    assert set(lines) == {"lo", "hi", "front"}
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
    counts = [int(r.find(f"{SVG}title").text.rsplit(": ", 1)[1]) for r in bars]
    assert sum(counts) == 2 * int(paths.settled.sum())  # both histograms hold every settled war
    assert "A &amp; B" not in "".join(root.itertext()) and "A & B" in "".join(root.itertext())
