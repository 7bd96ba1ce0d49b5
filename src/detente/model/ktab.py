"""KTAB's Spatial Model of Politics (SMP) for detente: run a scenario, read its outcome.

The SMP (KAPSARC Toolkit for Behavioral Analysis) simulates actors who, turn after turn,
challenge each other and bargain over positions on one or more 0-100 dimensions, weighted by
capability and salience, with risk attitudes inferred from a probabilistic Condorcet election.
The numerics live in :mod:`detente.model.ktab_core` (vectorised numpy, the one to use) and
:mod:`detente.model.ktab_reference` (plain Python loops, the test oracle); the equations are
summarised in ``ktab_core``'s docstring.

Outcome measure. KTAB itself reports the history of positions and, per state, the probability
of each distinct position winning a probabilistic Condorcet election among all actors
(``SMPState::pDist``, printed as "History of actors' winning probabilities"). :func:`outcome`
summarises the final state in those terms: ``expected`` is the probability-weighted mean of the
distinct final positions (the number detente reports as the forecast), ``most_likely`` the
position with the highest probability, i.e. KTAB's most likely winner.

References: B. Wise, "KTAB: The KAPSARC Toolkit for Behavioral Analysis" (KAPSARC, 2015);
B. Efird, B. Wise, S. Lumsdaine, "Multidimensional Bargaining using KTAB" (KAPSARC, 2016);
the KTAB source, github.com/KAPSARC/KTAB (MIT). Independent re-implementation, MIT licence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from detente.model.ktab_core import run_smp
from detente.model.ktab_io import (
    KtabFormatError,
    KtabScenario,
    parse_ktab_csv,
    parse_ktab_xml,
    read_ktab,
    read_ktab_csv,
    read_ktab_xml,
)
from detente.model.ktab_params import (
    BargainModel,
    BigRAdjust,
    BigRRange,
    InterVecBargain,
    KtabParams,
    PCEModel,
    StateTransition,
    ThirdPartyCommit,
    VictoryModel,
    VotingRule,
)
from detente.model.ktab_prng import KTAB_DEFAULT_SEED, KtabPRNG
from detente.model.ktab_records import Schedule, SequentialSchedule, SmpResult, TurnRecord
from detente.model.ktab_reference import run_smp_reference

__all__ = [
    "BargainModel",
    "BigRAdjust",
    "BigRRange",
    "InterVecBargain",
    "KtabFormatError",
    "KtabOutcome",
    "KtabPRNG",
    "KtabParams",
    "KtabScenario",
    "PCEModel",
    "Schedule",
    "SequentialSchedule",
    "SmpResult",
    "StateTransition",
    "ThirdPartyCommit",
    "TurnRecord",
    "VictoryModel",
    "VotingRule",
    "outcome",
    "parse_ktab_csv",
    "parse_ktab_xml",
    "read_ktab",
    "read_ktab_csv",
    "read_ktab_xml",
    "run_ktab",
]


def run_ktab(
    scenario: KtabScenario,
    params: KtabParams | None = None,
    *,
    seed: int | None = None,
    engine: Literal["numpy", "reference"] = "numpy",
    schedule: Schedule | None = None,
    record_estimates: bool = False,
) -> SmpResult:
    """Run the SMP on a scenario (0-100 scale in, 0-1 scale in the result's arrays).

    ``params`` and ``seed`` default to those stored with the scenario (XML), then to KTAB's.
    """
    p = params or scenario.params or KtabParams()
    s = seed if seed is not None else (scenario.seed if scenario.seed is not None else KTAB_DEFAULT_SEED)
    run = run_smp if engine == "numpy" else run_smp_reference
    return run(
        scenario.position / 100.0,
        scenario.salience / 100.0,
        scenario.capability,
        p,
        scenario.accommodation,
        seed=s,
        schedule=schedule,
        record_estimates=record_estimates,
    )


@dataclass(frozen=True)
class KtabOutcome:
    """Final state of a run, summarised by KTAB's PCE over the distinct final positions (0-100)."""

    expected: np.ndarray  # (d,) probability-weighted mean of the distinct positions
    most_likely: np.ndarray  # (d,) the most probable distinct position
    most_likely_actors: tuple[int, ...]  # actors holding it
    groups: tuple[tuple[int, ...], ...]  # actors sharing each distinct position
    group_positions: np.ndarray  # (groups, d)
    group_prob: np.ndarray  # (groups,)


def outcome(result: SmpResult) -> KtabOutcome:
    """Expected and most likely outcome of the final state (see the module docstring)."""
    final = result.positions[-1] * 100.0
    groups = tuple(result.unique_actors)
    pos = np.array([final[g[0]] for g in groups])
    prob = np.asarray(result.unique_prob, dtype=float)
    best = int(np.argmax(prob))
    return KtabOutcome(
        expected=(prob[:, None] * pos).sum(axis=0) / prob.sum(),
        most_likely=pos[best],
        most_likely_actors=groups[best],
        groups=groups,
        group_positions=pos,
        group_prob=prob,
    )
