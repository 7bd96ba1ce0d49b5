"""Central-tendency models: means and medians of the actors' positions, weighted or not.

The compromise model (the mean of positions weighted by capability x salience) is the standard
baseline of the negotiation-forecasting literature: van den Bos (1991), "Dutch EC Policy
Making"; Achen (2006), "Evaluating political decision-making models", in Thomson et al. (eds.),
*The European Union Decides*, where it is found hard to beat on EU legislative data. The
weighted median is the position a majority weighted by capability x salience would not move away
from (Black's median voter theorem in one dimension; Black 1948).
"""

from __future__ import annotations

import numpy as np

from detente.model.base import BargainingModel, Forecast
from detente.model.scenario import Scenario


def weighted_mean(position: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Per issue (column): sum(w x) / sum(w) over actors with a position; NaN if none."""
    has = ~np.isnan(position)
    w = np.where(has, weight, 0.0)
    x = np.where(has, position, 0.0)
    total = w.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (w * x).sum(axis=0) / total
    # Where all weights are zero, fall back to the plain mean of the stated positions (NaN if none).
    count = has.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        plain = x.sum(axis=0) / count
    return np.where(total > 0, mean, plain)


def weighted_median(position: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Per issue: the smallest position at which the cumulative weight reaches half the total."""
    out = np.full(position.shape[1], np.nan)
    for j in range(position.shape[1]):
        has = ~np.isnan(position[:, j])
        x, w = position[has, j], weight[has, j]
        if x.size == 0:
            continue
        if w.sum() <= 0:
            w = np.ones_like(x)
        order = np.argsort(x, kind="stable")
        cum = np.cumsum(w[order])
        out[j] = x[order][np.searchsorted(cum, cum[-1] / 2.0)]
    return out


def _weights(sc: Scenario, kind: str) -> np.ndarray:
    ones = np.ones_like(sc.position)
    cap = np.broadcast_to(sc.capability[:, None], sc.position.shape)
    return {
        "none": ones,
        "salience": sc.salience_filled(),
        "capability": cap * ones,
        "power": cap * sc.salience_filled(),  # capability x salience
    }[kind]


class MeanModel(BargainingModel):
    """Unweighted mean of positions."""

    name = "mean"
    issues_independent = True

    def predict(self, scenario: Scenario) -> Forecast:
        return Forecast(self.name, weighted_mean(scenario.position, _weights(scenario, "none")))


class SalienceMeanModel(BargainingModel):
    """Mean of positions weighted by salience."""

    name = "salience_mean"
    issues_independent = True

    def predict(self, scenario: Scenario) -> Forecast:
        return Forecast(self.name, weighted_mean(scenario.position, _weights(scenario, "salience")))


class CompromiseModel(BargainingModel):
    """Mean of positions weighted by capability x salience (van den Bos 1991; Achen 2006)."""

    name = "compromise"
    issues_independent = True

    def predict(self, scenario: Scenario) -> Forecast:
        return Forecast(self.name, weighted_mean(scenario.position, _weights(scenario, "power")))


class WeightedMedianModel(BargainingModel):
    """Median of positions weighted by capability x salience (Black 1948)."""

    name = "weighted_median"
    issues_independent = True

    def predict(self, scenario: Scenario) -> Forecast:
        return Forecast(self.name, weighted_median(scenario.position, _weights(scenario, "power")))
