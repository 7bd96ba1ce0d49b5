"""What one SMP run returns: per-turn records and the history of states.

Both the vectorised core (:mod:`detente.model.ktab_core`) and the plain-Python reference
(:mod:`detente.model.ktab_reference`) fill these records, so tests can compare them field by
field. Positions are on the internal 0-1 scale; ``SmpResult.positions_100`` gives KTAB's 0-100.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from detente.model.ktab_params import KtabParams

STATUS_QUO = -1  # option index of an actor's status-quo "bargain" in a queue


@dataclass(frozen=True)
class ChallengeEstimate:
    """An initiator's best challenge, seen from both principals (the four ``Est by`` lines)."""

    initiator: int
    target: int
    prob: float  # initiator's estimate that it wins
    gain: float  # initiator's expected gain (its best expected gain)
    target_gain_by_initiator: float
    prob_by_target: float  # target's estimate that the initiator wins
    initiator_gain_by_target: float
    target_gain_by_target: float


@dataclass(frozen=True)
class Bargain:
    """New positions proposed for an initiator and a receiver (0-1 scale)."""

    initiator: int
    receiver: int
    init_position: np.ndarray
    rcvr_position: np.ndarray


@dataclass(frozen=True)
class Proposal:
    """The three bargains KTAB forms for one challenge; which one is used depends on BargnModel."""

    from_initiator: Bargain  # interpolated with the initiator's victory estimate
    from_receiver: Bargain  # interpolated with the receiver's estimate
    compromise: Bargain  # weighted average of the two


@dataclass(frozen=True)
class QueueResolution:
    """The PCE over the bargains involving one actor, and the one chosen."""

    actor: int
    options: tuple[int, ...]  # indices into TurnRecord.bargains; STATUS_QUO for the status quo
    utilities: np.ndarray  # (n actors, n options): utility of the state after each option
    probabilities: np.ndarray  # (n options,)
    chosen: int  # index into options


@dataclass
class TurnRecord:
    """Everything KTAB logs for one turn (state t -> state t+1)."""

    turn: int
    positions: np.ndarray  # (n, d) at the start of the turn
    ideals: np.ndarray  # (n, d)
    raw_util: np.ndarray  # (n, n) risk-neutral utility of actor i for position j
    risk: np.ndarray  # (n,) inferred risk attitudes
    util: np.ndarray  # (n, n) risk-aware ("objective") utility
    victory_prob: np.ndarray  # (n, n) i's estimate that i beats j when i challenges j
    expected_gain: np.ndarray  # (n, n) i's expected gain from challenging j (diagonal nan)
    challenges: tuple[ChallengeEstimate, ...]
    proposals: tuple[Proposal, ...]
    bargains: tuple[Bargain, ...]  # the bargains placed in the queues
    queues: tuple[QueueResolution, ...]
    est_util: np.ndarray | None = None  # (n, n, n) h's estimate of the utility matrix, if recorded


@dataclass
class SmpResult:
    """History of an SMP run: one state per turn boundary, one record per turn."""

    params: KtabParams
    positions: np.ndarray  # (T+1, n, d) on 0-1
    ideals: np.ndarray  # (T+1, n, d)
    risk: np.ndarray  # (T+1, n) inferred risk attitudes of each state
    win_prob: np.ndarray  # (T+1, n) probability of each actor's position in the PCE over positions
    turns: list[TurnRecord] = field(default_factory=list)
    stop_reason: str = ""
    state_dist: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (T,) movement per step
    unique_actors: list[tuple[int, ...]] = field(default_factory=list)  # final state's distinct positions
    unique_prob: np.ndarray = field(default_factory=lambda: np.zeros(0))  # PCE probability of each

    @property
    def n_steps(self) -> int:
        return self.positions.shape[0] - 1

    @property
    def positions_100(self) -> np.ndarray:
        return self.positions * 100.0

    @property
    def final_positions(self) -> np.ndarray:
        return self.positions[-1]


class Schedule(Protocol):
    """Order in which KTAB's worker threads happened to fill and resolve the bargain queues.

    KTAB forms bargains and resolves queues in parallel threads, so the order of the bargains in
    each actor's queue, and the order in which queues consume random draws, vary from run to
    run. Neither changes a deterministic run (except for exact ties); both change a stochastic
    one. :class:`SequentialSchedule` is the single-threaded order; a schedule read from a KTAB
    log replays that run.
    """

    def queue_order(self, turn: int, actor: int, pairs: list[tuple[int, int]]) -> Sequence[int]:
        """Permutation of the actor's queue, given its options as (initiator, receiver) pairs."""
        ...

    def resolve_order(self, turn: int, n_actors: int) -> Sequence[int]:
        """Order in which the actors' queues are resolved (and draw random numbers)."""
        ...


class SequentialSchedule:
    """Status quo first, then bargains by initiator; queues resolved for actors 0, 1, 2, ..."""

    def queue_order(self, turn: int, actor: int, pairs: list[tuple[int, int]]) -> Sequence[int]:
        return range(len(pairs))

    def resolve_order(self, turn: int, n_actors: int) -> Sequence[int]:
        return range(n_actors)


def checked_permutation(perm: Sequence[int], size: int, what: str) -> list[int]:
    out = [int(x) for x in perm]
    if sorted(out) != list(range(size)):
        raise ValueError(f"{what} returned {out}, not a permutation of {size} items")
    return out
