"""Forecast accuracy on DEU III (Arregui & Perarnaud 2021): real EU negotiations with outcomes.

Each model forecasts every issue that has an outcome; the figure is the mean absolute error on
the 0-100 scale, with a paired bootstrap 95% interval of its difference from the compromise
model (resampling issues, seeded), so that "better than compromise" is a claim with a range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from detente.model.base import MODELS, get_model
from detente.model.scenario import Scenario

BASELINE = "compromise"


@dataclass(slots=True)
class ModelScore:
    name: str
    mae: float
    ci: tuple[float, float]  # 95% interval of (model MAE - compromise MAE)
    n: int


def errors(model_name: str, scenarios: list[Scenario]) -> np.ndarray:
    model = get_model(model_name)
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


def score_models(scenarios: list[Scenario], names: list[str] | None = None) -> list[ModelScore]:
    get_model(BASELINE)  # registers the models
    names = names or sorted(MODELS)
    base = errors(BASELINE, scenarios)
    scores = []
    for name in names:
        e = errors(name, scenarios)
        scores.append(ModelScore(name, float(e.mean()), paired_bootstrap(e, base), len(e)))
    return sorted(scores, key=lambda s: s.mae)
