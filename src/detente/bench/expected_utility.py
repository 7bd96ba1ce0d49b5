"""Speed of the vectorised expected-utility model against its plain-Python twin, same process.

Both run every DEU III issue (one batch for numpy, a loop of issues for the reference); the
report gives each one's best time over ``repeat`` runs, their ratio and the largest difference
between their forecasts and final positions, which should be at rounding level (< 1e-9).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from detente.model.expected_utility import EUParams, run_batch
from detente.model.expected_utility_reference import run_issue
from detente.model.scenario import Scenario


@dataclass(slots=True)
class EUSpeed:
    issues: int
    actors: int  # padded width of the batch
    vectorised_s: float
    reference_s: float
    max_difference: float

    @property
    def speedup(self) -> float:
        return self.reference_s / self.vectorised_s


def stack_issues(scenarios: list[Scenario]) -> tuple[np.ndarray, ...]:
    """Every issue of every scenario as one padded (issues, actors) batch."""
    columns = [(sc, j) for sc in scenarios for j in range(sc.n_issues)]
    width = max(sc.n_actors for sc in scenarios)
    shape = (len(columns), width)
    pos, cap, sal = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    valid = np.zeros(shape, dtype=bool)
    for b, (sc, j) in enumerate(columns):
        n = sc.n_actors
        has = ~np.isnan(sc.position[:, j])
        pos[b, :n] = np.where(has, sc.position[:, j], 0.0)
        cap[b, :n] = sc.capability
        sal[b, :n] = sc.salience_filled()[:, j] / 100.0
        valid[b, :n] = has
    return pos, cap, sal, valid


def measure(scenarios: list[Scenario], params: EUParams | None = None, repeat: int = 3) -> EUSpeed:
    pos, cap, sal, valid = stack_issues(scenarios)
    vec_times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        forecast, final = run_batch(pos, cap, sal, valid, params)
        vec_times.append(time.perf_counter() - t0)
    diff = 0.0
    t0 = time.perf_counter()
    for b in range(pos.shape[0]):
        m = valid[b]
        if not m.any():
            continue
        f_ref, x_ref = run_issue(list(pos[b, m]), list(cap[b, m]), list(sal[b, m]), params)
        diff = max(diff, abs(f_ref - forecast[b]), float(np.max(np.abs(np.array(x_ref) - final[b, m]))))
    ref_time = time.perf_counter() - t0
    return EUSpeed(pos.shape[0], pos.shape[1], min(vec_times), ref_time, diff)
