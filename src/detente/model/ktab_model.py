"""KTAB's spatial model of politics behind the common :class:`BargainingModel` interface.

The SMP itself lives in :mod:`detente.model.ktab` (equations and sources there). This wrapper
turns a detente :class:`Scenario` into KTAB's inputs: all issues together when every actor has a
position on each (KTAB bargains over the whole vector), otherwise one issue at a time with the
actors that take part in it. KTAB wants each actor's saliences to sum to at most 100 across
dimensions, so a row that sums to more is scaled down in proportion; a zero salience or
capability becomes a small positive number, since KTAB rejects zeros.
"""

from __future__ import annotations

import numpy as np

from detente.model.base import BargainingModel, Forecast
from detente.model.ktab import KtabParams, KtabScenario, outcome, run_ktab
from detente.model.scenario import Scenario

TINY = 1e-6


def _ktab_inputs(
    position: np.ndarray, salience: np.ndarray, capability: np.ndarray
) -> tuple[np.ndarray, ...]:
    sal = np.maximum(salience, TINY)
    total = sal.sum(axis=1, keepdims=True)
    sal = np.where(total > 100.0, sal * (100.0 / total), sal)
    return np.clip(position, 0.0, 100.0), sal, np.maximum(capability, TINY)


def ktab_forecast(
    position: np.ndarray, salience: np.ndarray, capability: np.ndarray, params: KtabParams, seed: int | None
) -> np.ndarray:
    """KTAB's expected outcome (0-100) for actors with positions on every dimension."""
    pos, sal, cap = _ktab_inputs(position, salience, capability)
    n, d = pos.shape
    if n < 2:
        return pos.mean(axis=0)
    sc = KtabScenario(
        name="scenario",
        description="",
        actor_names=tuple(f"a{i}" for i in range(n)),
        actor_descriptions=("",) * n,
        dim_names=tuple(f"d{k}" for k in range(d)),
        capability=cap,
        position=pos,
        salience=sal,
    )
    return outcome(run_ktab(sc, params, seed=seed)).expected


class KtabModel(BargainingModel):
    """KTAB's Spatial Model of Politics (Wise 2015; Efird, Wise and Lumsdaine 2016)."""

    name = "ktab"
    interactive_runs = 100  # a full SMP run per draw: ~17 ms for six issues and six actors

    def __init__(self, seed: int | None = None, max_iter: int = 100) -> None:
        super().__init__(seed=seed, max_iter=max_iter)
        self.ktab_params = KtabParams().with_(max_iter=max_iter)
        self.seed = seed

    def predict(self, scenario: Scenario) -> Forecast:
        pos, sal, cap = scenario.position, scenario.salience_filled(), scenario.capability
        has = ~np.isnan(pos)
        out = np.full(scenario.n_issues, np.nan)
        if has.all():
            out[:] = ktab_forecast(pos, sal, cap, self.ktab_params, self.seed)
        else:
            for j in range(scenario.n_issues):
                rows = has[:, j]
                if rows.any():
                    out[j] = ktab_forecast(
                        pos[rows, j : j + 1], sal[rows, j : j + 1], cap[rows], self.ktab_params, self.seed
                    )[0]
        return Forecast(self.name, out)
