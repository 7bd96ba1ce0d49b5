"""The forecast of the current scenario as view records: every model, its interval, two charts.

Shared by the HTML report and the web app's scenario page (where an analyst's edits become
what-if changes and the forecast is run again). The models are the registered bargaining models;
the intervals come from Monte Carlo draws of the scenario's stated uncertainty.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from detente.model.base import MODELS, get_model
from detente.model.chart import distribution_chart, forecast_chart
from detente.model.io import read_scenario
from detente.model.montecarlo import Change, Distribution, apply_changes, simulate
from detente.model.scenario import Scenario

EXAMPLE_SCENARIO = Path(__file__).resolve().parents[3] / "examples" / "scenarios" / "russia_ukraine_2025.yaml"
DEFAULT_RUNS = 500


def default_scenario_path(explicit: str | Path | None = None) -> Path | None:
    """The scenario to forecast: the one given, else the bundled example when it is there."""
    if explicit:
        return Path(explicit)
    return EXAMPLE_SCENARIO if EXAMPLE_SCENARIO.is_file() else None


@dataclass(frozen=True, slots=True)
class ModelForecast:
    model: str
    point: float | None
    low: float | None  # the interval's ends (None without runs or without a forecast)
    high: float | None
    median: float | None


@dataclass(frozen=True, slots=True)
class IssueForecast:
    id: str
    name: str
    low_label: str
    high_label: str
    status_quo: float | None
    models: list[ModelForecast]


@dataclass(frozen=True, slots=True)
class ActorInput:
    """One actor's inputs on one issue, as the scenario states them (for the editing form)."""

    actor: str
    issue: str
    position: float | None
    salience: float | None
    uncertainty: float | None
    source: str


@dataclass(frozen=True, slots=True)
class ForecastView:
    scenario: str
    source: str  # where the scenario came from (a file)
    runs: int
    seed: int
    level: float
    issues: list[IssueForecast]
    actors: list[str]
    capabilities: dict[str, float]
    inputs: list[ActorInput]
    changes: list[str]  # what-if changes applied, as ACTOR:ISSUE:FIELD=VALUE
    chart_svg: str  # positions on each issue's scale with every model's forecast
    distribution_svg: str  # the Monte Carlo distributions

    def input(self, actor: str, issue: str) -> ActorInput | None:
        for i in self.inputs:
            if i.actor == actor and i.issue == issue:
                return i
        return None

    def model_names(self) -> list[str]:
        return [m.model for m in self.issues[0].models] if self.issues else []


def _num(v: float) -> float | None:
    return None if v is None or np.isnan(v) else round(float(v), 1)


def model_names() -> list[str]:
    get_model("compromise")  # importing the model modules registers them
    return sorted(MODELS)


def forecast_view(
    scenario: Scenario,
    source: str = "",
    runs: int = DEFAULT_RUNS,
    seed: int = 0,
    level: float = 0.9,
    models: list[str] | None = None,
    changes: list[Change] | None = None,
) -> ForecastView:
    """Run every model (with ``runs`` Monte Carlo draws) on the scenario, changes applied first."""
    if changes:
        scenario = apply_changes(scenario, changes)
    names = models or model_names()
    dists: list[Distribution] = []
    for n in names:
        model = get_model(n)
        cap = model.interactive_runs
        dists.append(simulate(model, scenario, max(min(runs, cap) if cap else runs, 1), seed))
    intervals = [d.interval(level) for d in dists]
    medians = [d.median for d in dists]
    issues = [
        IssueForecast(
            id=issue.id,
            name=issue.name or issue.id,
            low_label=issue.low_label,
            high_label=issue.high_label,
            status_quo=issue.status_quo,
            models=[
                ModelForecast(
                    d.model,
                    _num(d.point[j]),
                    _num(iv[j, 0]) if runs else None,
                    _num(iv[j, 1]) if runs else None,
                    _num(md[j]),
                )
                for d, iv, md in zip(dists, intervals, medians, strict=True)
            ],
        )
        for j, issue in enumerate(scenario.issues)
    ]
    inputs = []
    for a, actor in enumerate(scenario.actors):
        for j, issue in enumerate(scenario.issues):
            unc = scenario.uncertainty[a, j] if scenario.uncertainty is not None else np.nan
            inputs.append(
                ActorInput(
                    actor,
                    issue.id,
                    _num(scenario.position[a, j]),
                    _num(scenario.salience[a, j]),
                    _num(unc),
                    scenario.sources.get((actor, issue.id, "position"), ""),
                )
            )
    return ForecastView(
        scenario=scenario.name,
        source=source,
        runs=runs,
        seed=seed,
        level=level,
        issues=issues,
        actors=list(scenario.actors),
        capabilities={a: float(scenario.capability[k]) for k, a in enumerate(scenario.actors)},
        inputs=inputs,
        changes=[str(c) for c in changes or []],
        chart_svg=forecast_chart(scenario, dists, level=level),
        distribution_svg=distribution_chart(scenario, dists, level=level),
    )


def load_forecast(path: str | Path | None, runs: int = DEFAULT_RUNS, seed: int = 0) -> ForecastView | None:
    """The forecast of the scenario file at ``path`` (or the default one); None when there is none."""
    found = default_scenario_path(path)
    if found is None:
        return None
    return forecast_view(read_scenario(found), found.name, runs=runs, seed=seed)
