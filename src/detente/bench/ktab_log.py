"""Parser for KTAB ``smpc`` run logs (the reference runs shipped with KTAB).

The logs print, per state, the risk-neutral and risk-aware utility matrices and the inferred
risk attitudes; per turn, every initiator's best challenge (four ``Est by`` lines), the three
bargains it forms, the queue of bargains of each actor with its PCE probabilities and the one
chosen; at the end the history of positions (0-100, one decimal) and of winning
probabilities. :func:`parse_ktab_log` turns that text into plain numbers for comparisons.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

_FLOAT = r"[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?"


@dataclass
class LoggedChallenge:
    turn: int
    initiator: int
    target: int
    worth: float
    est: list[tuple[int, float, int, float]] = field(default_factory=list)  # (by, prob, to, gain)
    bargains: dict[str, tuple[int, np.ndarray, np.ndarray]] = field(
        default_factory=dict
    )  # kind -> (id, pI, pJ)


@dataclass
class LoggedQueue:
    turn: int
    actor: int
    options: list[tuple[int, int, int]]  # (bargain id, init, rcvr) in queue order
    utilities: np.ndarray | None = None
    probabilities: np.ndarray | None = None
    chosen_id: int = -1
    chosen_index: int = -1  # 0-based


@dataclass
class LoggedState:
    raw_util: np.ndarray | None = None
    risk: np.ndarray | None = None
    util: np.ndarray | None = None
    est_util: dict[int, np.ndarray] = field(default_factory=dict)


@dataclass
class KtabLog:
    params: dict[str, str] = field(default_factory=dict)
    n_actors: int = 0
    n_dims: int = 0
    actor_names: list[str] = field(default_factory=list)
    read_positions: list[list[float]] = field(default_factory=list)  # XML "Read dimension" values per actor
    states: list[LoggedState] = field(default_factory=list)
    challenges: list[LoggedChallenge] = field(default_factory=list)
    queues: list[LoggedQueue] = field(default_factory=list)
    resolve_orders: dict[int, list[int]] = field(default_factory=dict)  # turn -> actors in order resolved
    n_states: int = 0
    n_steps: int = 0
    history: np.ndarray | None = None  # (n_states, n_actors, n_dims), 0-100 scale, one decimal
    win_prob: np.ndarray | None = None  # (n_states, n_actors)

    def challenges_in(self, turn: int) -> list[LoggedChallenge]:
        return [c for c in self.challenges if c.turn == turn]

    def queues_in(self, turn: int) -> list[LoggedQueue]:
        return [q for q in self.queues if q.turn == turn]


def _floats(line: str) -> list[float]:
    return [float(x) for x in re.findall(_FLOAT, line)]


def parse_ktab_log(text: str) -> KtabLog:
    """Parse the text of a KTAB smpc log."""
    lines = [ln.rstrip() for ln in text.splitlines()]
    log = KtabLog()
    i = 0
    turn = -1
    current: LoggedChallenge | None = None
    queue_by_actor: dict[int, LoggedQueue] = {}
    active_queue: LoggedQueue | None = None
    last_u_im: np.ndarray | None = None
    hist: dict[str, list[list[float]]] = {}
    probs: dict[str, list[float]] = {}
    mode = ""

    def block(start: int, rows: int) -> np.ndarray:
        return np.array([_floats(lines[start + r]) for r in range(rows)])

    while i < len(lines):
        ln = lines[i].strip()
        n = log.n_actors
        if m := re.match(r"Number of actors:\s*(\d+)", ln):
            log.n_actors = int(m.group(1))
        elif m := re.match(r"Number of dimensions:\s*(\d+)", ln):
            log.n_dims = int(m.group(1))
        elif m := re.match(r"Found (\d+) (actors|dimensions)", ln):
            if m.group(2) == "actors":
                log.n_actors = int(m.group(1))
            else:
                log.n_dims = int(m.group(1))
        elif m := re.match(r"Actor: \d+ name: (.*)$", ln):
            log.actor_names.append(m.group(1).strip())
        elif m := re.match(r"Read dimension \d+: (" + _FLOAT + ")", ln):
            if not log.read_positions or len(log.read_positions[-1]) == log.n_dims:
                log.read_positions.append([])
            log.read_positions[-1].append(float(m.group(1)))
        elif ln == "Model Paramaters to run the model...":
            for k in range(1, 10):
                key, _, value = lines[i + k].partition(":")
                log.params[key.strip()] = value.strip()
            i += 9
        elif m := re.match(r"Starting Model::run iteration (\d+)", ln):
            turn = int(m.group(1)) - 1
            queue_by_actor = {}
        elif ln.startswith("Raw actor-pos value matrix"):
            log.states.append(LoggedState(raw_util=block(i + 1, n)))
            i += n
        elif ln.startswith("Inferred risk attitudes"):
            log.states[-1].risk = block(i + 1, n)[:, 0]
            i += n
        elif ln.startswith("Risk-aware actor-pos utility matrix"):
            log.states[-1].util = block(i + 1, n)
            i += n
        elif m := re.match(r"Estimate by (\d+) of risk-aware utility matrix", ln):
            log.states[-1].est_util[int(m.group(1))] = block(i + 1, n)
            i += n
        elif m := re.match(
            r"In turn (\d+) actor (\d+) has most advantageous target (\d+) worth (" + _FLOAT + ")", ln
        ):
            current = LoggedChallenge(int(m.group(1)), int(m.group(2)), int(m.group(3)), float(m.group(4)))
            log.challenges.append(current)
        elif m := re.match(
            r"Est by\s+(\d+) of prob ("
            + _FLOAT
            + r") that \[.*\], with expected gain to\s+(\d+) of ("
            + _FLOAT
            + ")",
            ln,
        ):
            assert current is not None
            current.est.append((int(m.group(1)), float(m.group(2)), int(m.group(3)), float(m.group(4))))
        elif m := re.match(r"(Bargain|Power-weighted compromise) \[(\d+), (\d+):(\d+)\]", ln):
            assert current is not None
            if m.group(1) == "Power-weighted compromise":
                kind = "compromise"
            else:
                kind = "initiator" if "from " + str(current.initiator) + "'s" in ln else "receiver"
            # other threads' one-line messages can interleave, so look for the two "adopt:" lines
            adopt = [k for k in range(i + 1, min(i + 6, len(lines))) if "adopt:" in lines[k]][:2]
            pi, pj = (np.array(_floats(lines[k].split("adopt:")[1])) for k in adopt)
            current.bargains[kind] = (int(m.group(2)), pi, pj)
        elif m := re.match(r"Bargains involving actor\s+(\d+):(.*)$", ln):
            opts = [(int(a), int(b), int(c)) for a, b, c in re.findall(r"\[(\d+), (\d+):(\d+)\]", m.group(2))]
            q = LoggedQueue(turn, int(m.group(1)), opts)
            queue_by_actor[q.actor] = q
            log.queues.append(q)
        elif ln == "u_im:":
            rows = []
            k = i + 1
            while k < len(lines) and re.fullmatch(r"\s*(" + _FLOAT + r"\s*)+", lines[k]):
                rows.append(_floats(lines[k]))
                k += 1
            last_u_im = np.array(rows)
            i = k - 1
        elif m := re.match(r"Doing scalarPCE for the (\d+) bargains of actor (\d+)", ln):
            active_queue = queue_by_actor.get(int(m.group(2)))
            log.resolve_orders.setdefault(turn, []).append(int(m.group(2)))
            if active_queue is not None:
                active_queue.utilities = last_u_im
        elif ln == "Probability Opt_i" and active_queue is not None:
            nb = len(active_queue.options)
            active_queue.probabilities = block(i + 1, nb)[:, 0]
            i += nb
        elif m := re.match(r"Chosen bargain \( (\w+) \): (\d+) (\d+) out of (\d+) bargains", ln):
            if active_queue is not None:
                active_queue.chosen_id = int(m.group(2))
                active_queue.chosen_index = int(m.group(3)) - 1
            active_queue = None
        elif m := re.match(r"There were (\d+) states, with (\d+) steps", ln):
            log.n_states, log.n_steps = int(m.group(1)), int(m.group(2))
        elif ln.startswith("History of actor positions"):
            mode = "pos"
        elif ln.startswith("History of actors' winning probabilities"):
            mode = "prob"
        elif mode == "pos" and (m := re.match(r"(.+?), (.+?):((?:\s+" + _FLOAT + ")+)$", ln)):
            hist.setdefault(m.group(1), []).append(_floats(m.group(3)))
        elif mode == "prob" and (m := re.match(r"(.+?), prob :((?:\s+" + _FLOAT + ")+)$", ln)):
            probs[m.group(1)] = _floats(m.group(2))
        else:
            if mode and ln.startswith("SMPModel"):
                mode = ""
        i += 1
    names = log.actor_names or list(hist)
    if hist:
        log.history = np.array([hist[nm] for nm in names]).transpose(2, 0, 1)
    if probs:
        log.win_prob = np.array([probs[nm] for nm in names]).T
    return log


def read_ktab_log(path: str | Path) -> KtabLog:
    return parse_ktab_log(Path(path).read_text(encoding="utf-8", errors="replace"))


class LoggedSchedule:
    """Replays the thread order of a logged KTAB run (queue contents and resolution order).

    Turns the log does not cover, or queues whose bargains differ from the logged ones (the
    replay has diverged), fall back to the sequential order.
    """

    def __init__(self, log: KtabLog) -> None:
        self._queues = {(q.turn, q.actor): [(a, b) for _, a, b in q.options] for q in log.queues}
        self._resolve = log.resolve_orders

    def queue_order(self, turn: int, actor: int, pairs: list[tuple[int, int]]) -> Sequence[int]:
        logged = self._queues.get((turn, actor))
        if logged is None or sorted(logged) != sorted(pairs):
            return range(len(pairs))
        order: list[int] = []
        for pair in logged:  # duplicates (InitRcvrInterp) take successive free slots
            order.append(next(k for k, p in enumerate(pairs) if p == pair and k not in order))
        return order

    def resolve_order(self, turn: int, n_actors: int) -> Sequence[int]:
        logged = self._resolve.get(turn)
        if logged is None or sorted(logged) != list(range(n_actors)):
            return range(n_actors)
        return logged
