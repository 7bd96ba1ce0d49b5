"""Forecast accuracy on DEU III (Arregui & Perarnaud 2021): real EU negotiations with outcomes.

Each model forecasts every issue that has an outcome; the figure is the mean absolute error on
the 0-100 scale, with a paired bootstrap 95% interval of its difference from the compromise
model (resampling issues, seeded), so that "better than compromise" is a claim with a range.

The recommended model is fixed here, chosen by :func:`cross_validate` on the dev split: folds
grouped by legislative proposal (issues of one proposal are not independent), the candidate
with the lowest error on the training folds picked per fold and scored on the held-out fold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from detente.model.base import MODELS, get_model
from detente.model.scenario import Scenario

BASELINE = "compromise"
# Chosen by `detente bench deu3 --cv 5` on the dev split (the model picked in every fold).
RECOMMENDED = "nash"
# Model variants cross-validation chooses among: display name -> (model name, parameters).
CANDIDATES: dict[str, tuple[str, dict[str, object]]] = {
    "compromise": ("compromise", {}),
    "mean": ("mean", {}),
    "salience_mean": ("salience_mean", {}),
    "weighted_median": ("weighted_median", {}),
    "nash": ("nash", {"power": 1.0}),
    "nash_quadratic": ("nash", {"power": 2.0}),
    "nash_status_quo": ("nash", {"power": 1.0, "disagreement": "status_quo"}),
    "expected_utility": ("expected_utility", {}),
    "ktab": ("ktab", {}),
}


@dataclass(slots=True)
class ModelScore:
    name: str
    mae: float
    ci: tuple[float, float]  # 95% interval of (model MAE - compromise MAE)
    n: int


def errors(model_name: str, scenarios: list[Scenario]) -> np.ndarray:
    name, params = CANDIDATES.get(model_name, (model_name, {}))
    model = get_model(name, **params)
    out = []
    for sc in scenarios:
        forecast = model.predict(sc)
        for j, issue in enumerate(sc.issues):
            if issue.outcome is not None:
                out.append(abs(float(forecast.outcome[j]) - issue.outcome))
    return np.array(out)


def paired_bootstrap(
    a: np.ndarray, b: np.ndarray, resamples: int = 2000, seed: int = 2025
) -> tuple[float, float]:
    """95% interval of mean(a) - mean(b) over resamples of the paired items."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(a), size=(resamples, len(a)))
    diffs = a[idx].mean(axis=1) - b[idx].mean(axis=1)
    lo, hi = np.percentile(diffs, [2.5, 97.5])
    return float(lo), float(hi)


def model_names() -> list[str]:
    """Every candidate variant, plus any registered model without one (user plug-ins)."""
    get_model(BASELINE)  # registers the models
    plain = {name for name, _ in CANDIDATES.values()}
    return list(CANDIDATES) + sorted(set(MODELS) - plain)


def score_models(
    scenarios: list[Scenario], names: list[str] | None = None, table: dict[str, np.ndarray] | None = None
) -> list[ModelScore]:
    table = table if table is not None else error_table(scenarios, names or model_names())
    base = table[BASELINE]
    scores = [ModelScore(n, float(e.mean()), paired_bootstrap(e, base), len(e)) for n, e in table.items()]
    return sorted(scores, key=lambda s: s.mae)


def error_table(scenarios: list[Scenario], names: list[str]) -> dict[str, np.ndarray]:
    """Absolute errors of each model on every issue with an outcome (same issue order)."""
    return {name: errors(name, scenarios) for name in dict.fromkeys([BASELINE, *names])}


@dataclass(slots=True)
class Fold:
    index: int
    issues: int
    chosen: str
    mae: float  # of the chosen model on the held-out fold
    baseline_mae: float  # of the compromise model on the same fold


@dataclass(slots=True)
class CrossValidation:
    folds: list[Fold]
    mae: float  # out-of-fold error of the whole procedure (choose on train, score on test)
    baseline_mae: float
    ci: tuple[float, float]  # paired bootstrap interval of the difference


def issue_groups(scenarios: list[Scenario]) -> list[str]:
    """The proposal of each issue with an outcome (DEU III issue ids are <proposal>i<n>)."""
    out = []
    for sc in scenarios:
        for issue in sc.issues:
            if issue.outcome is not None:
                out.append(issue.id.rsplit("i", 1)[0] if "i" in issue.id[1:] else issue.id)
    return out


def cross_validate(
    scenarios: list[Scenario], table: dict[str, np.ndarray], k: int = 5, seed: int = 2025
) -> CrossValidation:
    """Grouped k-fold: pick the lowest-error model on k-1 folds, score it on the one left out."""
    groups = np.array(issue_groups(scenarios))
    unique = np.unique(groups)
    rng = np.random.default_rng(seed)
    fold_of = dict(zip(rng.permutation(unique), np.arange(len(unique)) % k, strict=True))
    fold = np.array([fold_of[g] for g in groups])
    chosen_err = np.zeros(len(groups))
    folds = []
    for f in range(k):
        test = fold == f
        if not test.any():
            continue
        best = min(table, key=lambda n: (table[n][~test].mean(), n))
        chosen_err[test] = table[best][test]
        folds.append(
            Fold(
                f, int(test.sum()), best, float(table[best][test].mean()), float(table[BASELINE][test].mean())
            )
        )
    base = table[BASELINE]
    return CrossValidation(
        folds, float(chosen_err.mean()), float(base.mean()), paired_bootstrap(chosen_err, base)
    )
