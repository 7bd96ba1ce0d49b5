"""Uncertainty, what-ifs and sensitivity for any registered ``BargainingModel``.

* :func:`simulate` redraws the scenario's inputs many times from its stated uncertainty and runs
  the model on each draw: the spread of forecasts says how much a forecast rests on numbers that
  are themselves guesses. Positions are drawn from normal distributions around the stated values
  with the scenario's ``uncertainty`` (a standard deviation in scale points); saliences and
  capabilities can be perturbed too (absolute and relative standard deviations). Draws are
  clipped to the valid ranges, made at once for all runs, and fixed by the seed, so two models
  run with the same seed see the same draws (a paired comparison).
* :func:`what_if` changes one or more values (``Russia:territory:position=60``) and compares.
* :func:`sensitivity` moves each value by a small step either way, one at a time, and ranks the
  values by how far the forecast moves (a one-at-a-time swing, or tornado, analysis).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from detente.model.base import BargainingModel, Forecast
from detente.model.scenario import DEFAULT_SALIENCE, Scenario, ScenarioError

HIST_EDGES = np.linspace(0.0, 100.0, 21)  # 5-point bins on the 0-100 scale


@dataclass(slots=True)
class Distribution:
    """Forecasts of one model over many draws of a scenario's inputs."""

    model: str
    issues: tuple[str, ...]
    point: np.ndarray  # (n_issues,) the forecast on the scenario as stated
    samples: np.ndarray  # (runs, n_issues)
    seed: int

    @property
    def runs(self) -> int:
        return int(self.samples.shape[0])

    @property
    def mean(self) -> np.ndarray:
        return _nan_stat(np.nanmean, self.samples)

    @property
    def median(self) -> np.ndarray:
        return _nan_stat(np.nanmedian, self.samples)

    def interval(self, level: float = 0.9) -> np.ndarray:
        """(n_issues, 2): the central ``level`` share of the forecasts (5-95% for 0.9)."""
        tail = 100.0 * (1.0 - level) / 2.0
        return _nan_stat(lambda a, axis: np.nanpercentile(a, [tail, 100.0 - tail], axis=axis).T, self.samples)

    def histogram(self, edges: np.ndarray = HIST_EDGES) -> np.ndarray:
        """(n_issues, bins) counts of forecasts per bin of the 0-100 scale."""
        return np.array(
            [np.histogram(col[~np.isnan(col)], bins=edges)[0] for col in self.samples.T], dtype=int
        )

    def forecast(self, level: float = 0.9) -> Forecast:
        """The point forecast with the Monte Carlo interval attached."""
        return Forecast(
            self.model, self.point.copy(), {"runs": self.runs, "seed": self.seed}, self.interval(level)
        )

    def to_dict(self, level: float = 0.9) -> dict[str, Any]:
        iv, hist = self.interval(level), self.histogram()
        return {
            "model": self.model,
            "runs": self.runs,
            "seed": self.seed,
            "issues": {
                issue: {
                    "forecast": _num(self.point[j]),
                    "mean": _num(self.mean[j]),
                    "median": _num(self.median[j]),
                    f"p{round(50 * (1 - level))}": _num(iv[j, 0]),
                    f"p{round(100 - 50 * (1 - level))}": _num(iv[j, 1]),
                    "histogram": {"edges": HIST_EDGES.tolist(), "counts": hist[j].tolist()},
                }
                for j, issue in enumerate(self.issues)
            },
        }


def _nan_stat(fn: Any, samples: np.ndarray) -> np.ndarray:
    """Apply a nan-aware statistic per issue without warnings for issues nobody took up."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.asarray(fn(samples, axis=0))


def _num(v: float) -> float | None:
    return None if np.isnan(v) else round(float(v), 3)


def draw_inputs(
    scenario: Scenario,
    runs: int,
    seed: int = 0,
    salience_sd: float | np.ndarray = 0.0,
    capability_cv: float | np.ndarray = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``runs`` draws of positions (runs, n, m), saliences (runs, n, m) and capabilities (runs, n).

    Positions: normal around the stated value with the scenario's uncertainty, clipped to 0-100
    (a missing position stays missing). Saliences: normal with ``salience_sd`` points, clipped to
    0-100 (an unknown salience stays unknown). Capabilities: multiplied by a normal factor with
    mean 1 and ``capability_cv``, clipped at 0. The draws for one field do not depend on the
    others' spreads, so changing one spread does not reshuffle the rest.
    """
    if runs < 1:
        raise ScenarioError("runs must be at least 1")
    n, m = scenario.n_actors, scenario.n_issues
    pos_rng, sal_rng, cap_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3))
    sd = scenario.uncertainty if scenario.uncertainty is not None else np.zeros((n, m))
    sd = np.nan_to_num(np.asarray(sd, dtype=float))
    if (sd < 0).any() or np.any(np.asarray(salience_sd) < 0) or np.any(np.asarray(capability_cv) < 0):
        raise ScenarioError("uncertainties must not be negative")
    pos = np.clip(scenario.position + sd * pos_rng.standard_normal((runs, n, m)), 0.0, 100.0)
    sal = np.clip(
        scenario.salience + np.asarray(salience_sd) * sal_rng.standard_normal((runs, n, m)), 0.0, 100.0
    )
    factor = 1.0 + np.asarray(capability_cv) * cap_rng.standard_normal((runs, n))
    cap = np.clip(scenario.capability * factor, 0.0, None)
    return pos, sal, cap


def simulate(
    model: BargainingModel,
    scenario: Scenario,
    runs: int = 1000,
    seed: int = 0,
    salience_sd: float | np.ndarray = 0.0,
    capability_cv: float | np.ndarray = 0.0,
) -> Distribution:
    """Run ``model`` on ``runs`` draws of the scenario (see :func:`draw_inputs`)."""
    pos, sal, cap = draw_inputs(scenario, runs, seed, salience_sd, capability_cv)
    point = np.asarray(model.predict(scenario).outcome, dtype=float)
    samples = model.predict_draws(scenario, pos, sal, cap)
    return Distribution(
        model=_model_name(model),
        issues=tuple(i.id for i in scenario.issues),
        point=point,
        samples=samples,
        seed=seed,
    )


def _model_name(model: BargainingModel) -> str:
    return getattr(model, "name", "") or type(model).__name__


# --- what-ifs -----------------------------------------------------------------------------------

FIELDS = ("position", "salience", "capability")
_CHANGE = re.compile(
    r"^\s*(?P<actor>[^:=]+?)\s*:\s*(?:(?P<issue>[^:=]+?)\s*:\s*)?(?P<field>\w+)\s*(?P<op>[+-]?=)\s*(?P<value>[-+0-9.eE]+)\s*$"
)


@dataclass(frozen=True, slots=True)
class Change:
    """One changed value: ``op`` is "=" (set), "+=" or "-=" (shift)."""

    actor: str
    issue: str  # "*" for capability
    field: str
    value: float
    op: str = "="

    @classmethod
    def parse(cls, text: str) -> Change:
        """``"Russia:territory:position=60"``, ``"Ukraine:alliance:salience+=10"``, ``"Russia:capability=50"``."""
        match = _CHANGE.match(text)
        if not match:
            raise ScenarioError(
                f"cannot read the what-if {text!r}: write ACTOR:ISSUE:FIELD=VALUE (FIELD is position or salience) "
                "or ACTOR:capability=VALUE; '+=' and '-=' shift instead of set"
            )
        field = match["field"].lower()
        if field not in FIELDS:
            raise ScenarioError(f"what-if {text!r}: unknown field {field!r}; use {', '.join(FIELDS)}")
        issue = (match["issue"] or "*").strip()
        if field != "capability" and issue == "*":
            raise ScenarioError(
                f"what-if {text!r}: a {field} change needs an issue (ACTOR:ISSUE:{field}=VALUE)"
            )
        try:
            value = float(match["value"])
        except ValueError:
            raise ScenarioError(f"what-if {text!r}: {match['value']!r} is not a number") from None
        return cls(match["actor"].strip(), issue if field != "capability" else "*", field, value, match["op"])

    def __str__(self) -> str:
        where = (
            f"{self.actor}:{self.field}"
            if self.field == "capability"
            else f"{self.actor}:{self.issue}:{self.field}"
        )
        return f"{where}{self.op}{self.value:g}"


def _resolve(name: str, known: Sequence[str], what: str) -> str:
    """The known name equal to ``name`` ignoring case (a typo gives the list of names)."""
    if name in known:
        return name
    folded = {k.casefold(): k for k in known}
    if name.casefold() in folded:
        return folded[name.casefold()]
    raise ScenarioError(f"unknown {what} {name!r}; {what}s are {', '.join(known)}")


def canonical(scenario: Scenario, change: Change | str) -> Change:
    """The change with the scenario's own spelling of the actor and issue (checked to exist)."""
    ch = Change.parse(change) if isinstance(change, str) else change
    actor = _resolve(ch.actor, scenario.actors, "actor")
    issue = "*" if ch.field == "capability" else _resolve(ch.issue, [i.id for i in scenario.issues], "issue")
    return replace(ch, actor=actor, issue=issue)


def apply_changes(scenario: Scenario, changes: Iterable[Change | str]) -> Scenario:
    """A copy of the scenario with the changes made, values clipped to their valid ranges."""
    for ch in changes:
        ch = canonical(scenario, ch)
        actor, issue = ch.actor, ch.issue
        a = scenario.actors.index(actor)
        if ch.field == "capability":
            old = float(scenario.capability[a])
        else:
            j = [i.id for i in scenario.issues].index(issue)
            old = float(getattr(scenario, ch.field)[a, j])
            if np.isnan(old):
                if ch.field == "position" and ch.op != "=":
                    raise ScenarioError(f"{actor} has no position on {issue} to shift; set one with '='")
                old = DEFAULT_SALIENCE if ch.field == "salience" else 0.0
        new = ch.value if ch.op == "=" else old + ch.value if ch.op == "+=" else old - ch.value
        new = max(new, 0.0) if ch.field == "capability" else min(max(new, 0.0), 100.0)
        scenario = scenario.with_value(actor, issue, ch.field, new, source=f"what-if: {ch}")
    return scenario


@dataclass(slots=True)
class WhatIf:
    """A model's forecast before and after some changes (with distributions when runs > 0)."""

    model: str
    changes: tuple[Change, ...]
    issues: tuple[str, ...]
    before: np.ndarray
    after: np.ndarray
    before_dist: Distribution | None = None
    after_dist: Distribution | None = None

    @property
    def delta(self) -> np.ndarray:
        return self.after - self.before

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "model": self.model,
            "changes": [str(c) for c in self.changes],
            "issues": {
                issue: {
                    "before": _num(self.before[j]),
                    "after": _num(self.after[j]),
                    "change": _num(self.delta[j]),
                }
                for j, issue in enumerate(self.issues)
            },
        }
        if self.before_dist is not None and self.after_dist is not None:
            b, a = self.before_dist.interval(), self.after_dist.interval()
            for j, issue in enumerate(self.issues):
                out["issues"][issue]["before_p5_p95"] = [_num(b[j, 0]), _num(b[j, 1])]
                out["issues"][issue]["after_p5_p95"] = [_num(a[j, 0]), _num(a[j, 1])]
        return out


def what_if(
    model: BargainingModel,
    scenario: Scenario,
    changes: Iterable[Change | str],
    runs: int = 0,
    seed: int = 0,
    **draw: Any,
) -> WhatIf:
    """Compare the forecast of ``scenario`` with that of the scenario with ``changes`` made.

    With ``runs`` > 0 both are also simulated with the same seed (paired draws).
    """
    parsed = tuple(canonical(scenario, c) for c in changes)
    if not parsed:
        raise ScenarioError("a what-if needs at least one change")
    changed = apply_changes(scenario, parsed)
    result = WhatIf(
        model=_model_name(model),
        changes=parsed,
        issues=tuple(i.id for i in scenario.issues),
        before=np.asarray(model.predict(scenario).outcome, dtype=float),
        after=np.asarray(model.predict(changed).outcome, dtype=float),
    )
    if runs > 0:
        result.before_dist = simulate(model, scenario, runs, seed, **draw)
        result.after_dist = simulate(model, changed, runs, seed, **draw)
    return result


# --- sensitivity ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sensitivity:
    """How far one input moves one issue's forecast when nudged down and up."""

    actor: str
    issue: str  # the issue whose forecast is measured
    field: str
    value: float  # the stated value
    low: float  # the values tried
    high: float
    outcome_low: float
    outcome_high: float

    @property
    def swing(self) -> float:
        """Forecast at ``high`` minus forecast at ``low``: comparable across fields."""
        return self.outcome_high - self.outcome_low

    @property
    def effect(self) -> float:
        """Change in the forecast per unit change of the input (a finite difference)."""
        return self.swing / (self.high - self.low) if self.high > self.low else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "issue": self.issue,
            "field": self.field,
            "value": round(self.value, 3),
            "tried": [round(self.low, 3), round(self.high, 3)],
            "swing": round(self.swing, 3),
            "effect_per_unit": round(self.effect, 4),
        }


def sensitivity(
    model: BargainingModel,
    scenario: Scenario,
    step: float = 5.0,
    capability_step: float = 0.1,
    fields: Sequence[str] = FIELDS,
) -> list[Sensitivity]:
    """One-at-a-time swings, ranked by their size (largest first).

    Positions and saliences move by ``step`` points either way (clipped to 0-100) and are measured
    on their own issue; a capability moves by ``capability_step`` of itself either way and is
    measured on every issue. An unknown salience is nudged around the default the models use.
    """
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ScenarioError(f"unknown fields {sorted(unknown)}; use {', '.join(FIELDS)}")
    issues = [i.id for i in scenario.issues]
    out: list[Sensitivity] = []

    def run(sc: Scenario) -> np.ndarray:
        return np.asarray(model.predict(sc).outcome, dtype=float)

    for a, actor in enumerate(scenario.actors):
        for field in ("position", "salience"):
            if field not in fields:
                continue
            for j, issue in enumerate(issues):
                if np.isnan(scenario.position[a, j]):
                    continue  # the actor takes no part in this issue
                value = float(getattr(scenario, field)[a, j])
                value = DEFAULT_SALIENCE if np.isnan(value) else value
                lo, hi = max(value - step, 0.0), min(value + step, 100.0)
                if hi <= lo:
                    continue
                y_lo = run(scenario.with_value(actor, issue, field, lo))[j]
                y_hi = run(scenario.with_value(actor, issue, field, hi))[j]
                out.append(Sensitivity(actor, issue, field, value, lo, hi, float(y_lo), float(y_hi)))
        if "capability" in fields:
            value = float(scenario.capability[a])
            lo, hi = value * (1 - capability_step), value * (1 + capability_step)
            if hi > lo:
                y_lo = run(scenario.with_value(actor, "*", "capability", max(lo, 0.0)))
                y_hi = run(scenario.with_value(actor, "*", "capability", hi))
                for j, issue in enumerate(issues):
                    if np.isnan(y_lo[j]) or np.isnan(y_hi[j]):
                        continue
                    out.append(
                        Sensitivity(actor, issue, "capability", value, lo, hi, float(y_lo[j]), float(y_hi[j]))
                    )
    out.sort(key=lambda s: (-abs(s.swing), s.actor, s.issue, s.field))
    return out
