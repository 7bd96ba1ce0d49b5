"""Benchmarks for the KTAB SMP: reproduction of KTAB's reference runs and speed.

``reproduce_all`` reruns the three reference logs shipped with KTAB and reports, per log, the
largest differences from the logged numbers (first turn's utility estimates, victory
probabilities, expected gains, bargains and queue probabilities; the position history; the
number of turns). The stochastic run is replayed with KTAB's own PRNG and the logged thread
order, and also compared with the distribution of outcomes over many seeds.
``time_scaling`` times the numpy engine on the 40/80/160-actor scenarios and, for the smaller
ones, the plain-Python reference in the same process, and reports the ratio.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from detente.bench.ktab_log import KtabLog, LoggedSchedule, read_ktab_log
from detente.model.ktab import KtabParams, KtabScenario, outcome, read_ktab_csv, run_ktab
from detente.model.ktab_io import parse_ktab_xml
from detente.model.ktab_records import STATUS_QUO, SmpResult

REFERENCE_CASES: dict[str, tuple[str, str]] = {
    "dummyData_3Dim": ("dummyData_3Dim.csv", "reference/20170530_ref-dummyData_3Dim.txt"),
    "SOE-Pol-Comp": ("SOE-Pol-Comp.csv", "reference/20170530_ref-SOE-Pol-Comp.txt"),
    "smpExample": ("smpExample.xml", "reference/20170530_ref-smpExample.txt"),
}
SCALING_FILES = ("dummyData-a040.csv", "dummyData-a080.csv", "dummyData-a160.csv")


def load_reference_case(data_dir: str | Path, name: str) -> tuple[KtabScenario, KtabLog]:
    """Scenario and parsed log of one reference run.

    KTAB later blanked one coordinate of ``smpExample.xml`` (commit "Error handling in xmlread")
    to exercise its error path; the value it had in the logged run is read back from the log's
    "Read dimension" lines, so the replay uses exactly the logged inputs.
    """
    base = Path(data_dir)
    scen_file, log_file = REFERENCE_CASES[name]
    log = read_ktab_log(base / log_file)
    path = base / scen_file
    if path.suffix == ".xml":
        text = path.read_text(encoding="utf-8-sig")
        blanks = list(re.finditer(r"<dCoord>\s*</dCoord>", text))
        if blanks:
            flat = [v for row in log.read_positions for v in row]
            coords = list(re.finditer(r"<dCoord>[^<]*</dCoord>", text))
            for m in reversed(blanks):
                k = next(idx for idx, c in enumerate(coords) if c.start() == m.start())
                text = text[: m.start()] + f"<dCoord>{flat[k]}</dCoord>" + text[m.end() :]
        return parse_ktab_xml(text, source=str(path)), log
    return read_ktab_csv(path), log


def log_params(log: KtabLog) -> KtabParams:
    return KtabParams.from_names(log.params)


@dataclass
class Comparison:
    """Largest absolute differences between a run and a KTAB log (log units), with counts."""

    name: str
    diffs: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    steps: tuple[int, int] = (0, 0)  # (ours, logged)

    def add(self, key: str, ours: np.ndarray | float, logged: np.ndarray | float) -> None:
        d = np.abs(np.asarray(ours, dtype=float) - np.asarray(logged, dtype=float))
        self.diffs[key] = max(self.diffs.get(key, 0.0), float(d.max()) if d.size else 0.0)
        self.counts[key] = self.counts.get(key, 0) + int(d.size)


def compare_turn(result: SmpResult, log: KtabLog, turn: int, cmp: Comparison) -> None:
    """Compare one turn's logged quantities (utilities, challenges, bargains, queues)."""
    rec, st = result.turns[turn], log.states[turn]
    cmp.add("raw_util", rec.raw_util, st.raw_util)
    cmp.add("risk", rec.risk, st.risk)
    cmp.add("util", rec.util, st.util)
    if rec.est_util is not None:
        for h, mat in st.est_util.items():
            cmp.add("est_util", rec.est_util[h], mat)
    mine = {c.initiator: c for c in rec.challenges}
    props = {p.from_initiator.initiator: p for p in rec.proposals}
    for ch in log.challenges_in(turn):
        c = mine.get(ch.initiator)
        if c is None or c.target != ch.target:
            cmp.add("challenge_target_mismatch", 1.0, 0.0)
            continue
        cmp.add("challenge_target_mismatch", 0.0, 0.0)
        ours = {
            (ch.initiator, ch.initiator): (c.prob, c.gain),
            (ch.initiator, ch.target): (c.prob, c.target_gain_by_initiator),
            (ch.target, ch.initiator): (c.prob_by_target, c.initiator_gain_by_target),
            (ch.target, ch.target): (c.prob_by_target, c.target_gain_by_target),
        }
        for by, prob, to, gain in ch.est:
            cmp.add("victory_prob", ours[(by, to)][0], prob)
            cmp.add("expected_gain", ours[(by, to)][1], gain)
        p = props[ch.initiator]
        for kind, b in (
            ("initiator", p.from_initiator),
            ("receiver", p.from_receiver),
            ("compromise", p.compromise),
        ):
            _, pi, pj = ch.bargains[kind]
            cmp.add("bargain_positions", b.init_position * 100.0, pi)
            cmp.add("bargain_positions", b.rcvr_position * 100.0, pj)
    for lq in log.queues_in(turn):
        q = rec.queues[lq.actor]
        pairs = [
            (lq.actor, lq.actor) if m == STATUS_QUO else (rec.bargains[m].initiator, rec.bargains[m].receiver)
            for m in q.options
        ]
        logged_pairs = [(a, b) for _, a, b in lq.options]
        if sorted(pairs) != sorted(logged_pairs) or lq.probabilities is None:
            cmp.add("queue_mismatch", 1.0, 0.0)
            continue
        cmp.add("queue_mismatch", 0.0, 0.0)
        order = [pairs.index(pr) for pr in logged_pairs]  # align by bargain identity
        cmp.add("queue_prob", q.probabilities[order], lq.probabilities)
        if lq.utilities is not None:
            cmp.add("queue_util", q.utilities[:, order], lq.utilities)


def compare_run(result: SmpResult, log: KtabLog, name: str, turns: int = 1) -> Comparison:
    """Compare the first ``turns`` turns in detail, then the whole position history."""
    cmp = Comparison(name, steps=(result.n_steps, log.n_steps))
    for t in range(min(turns, result.n_steps, len(log.states))):
        compare_turn(result, log, t, cmp)
    assert log.history is not None and log.win_prob is not None
    n = min(result.positions.shape[0], log.history.shape[0])
    cmp.add("history_positions", result.positions_100[:n], log.history[:n])
    cmp.add("final_positions", result.positions_100[-1], log.history[-1])
    cmp.add("win_prob", result.win_prob[:n], log.win_prob[:n])
    return cmp


def reproduce(data_dir: str | Path, name: str, turns: int = 1) -> Comparison:
    """Rerun one reference case with the log's parameters (and thread order) and compare."""
    sc, log = load_reference_case(data_dir, name)
    result = run_ktab(sc, log_params(log), schedule=LoggedSchedule(log), record_estimates=True)
    return compare_run(result, log, name, turns)


def reproduce_all(data_dir: str | Path, turns: int = 1) -> list[Comparison]:
    return [reproduce(data_dir, name, turns) for name in REFERENCE_CASES]


@dataclass
class SeedSweep:
    """Where the logged stochastic outcome falls in the distribution over seeds."""

    n_seeds: int
    final: np.ndarray  # (seeds, n, d) final positions, 0-100
    steps: np.ndarray  # (seeds,)
    logged_final: np.ndarray  # (n, d)
    logged_steps: int
    rank: np.ndarray  # (n, d): share of seeds whose final coordinate is below the logged one
    expected: np.ndarray  # (seeds, d) KTAB expected outcome per seed


def seed_sweep(data_dir: str | Path, n_seeds: int = 200, first_seed: int = 1) -> SeedSweep:
    """Run the stochastic reference scenario over many seeds (sequential thread order)."""
    sc, log = load_reference_case(data_dir, "smpExample")
    params = log_params(log)
    finals, steps, expected = [], [], []
    for s in range(first_seed, first_seed + n_seeds):
        r = run_ktab(sc, params, seed=s)
        finals.append(r.positions_100[-1])
        steps.append(r.n_steps)
        expected.append(outcome(r).expected)
    final = np.array(finals)
    assert log.history is not None
    logged = log.history[-1]
    return SeedSweep(
        n_seeds=n_seeds,
        final=final,
        steps=np.array(steps),
        logged_final=logged,
        logged_steps=log.n_steps,
        rank=(final < logged[None]).mean(axis=0),
        expected=np.array(expected),
    )


@dataclass
class Timing:
    file: str
    n_actors: int
    steps: int
    numpy_s: float
    reference_s: float | None = None

    @property
    def speedup(self) -> float | None:
        return None if self.reference_s is None else self.reference_s / self.numpy_s


def time_scaling(
    data_dir: str | Path, files: tuple[str, ...] = SCALING_FILES, reference_max: int = 40, repeat: int = 1
) -> list[Timing]:
    """Wall time per full run (best of ``repeat``) of the numpy engine and, up to
    ``reference_max`` actors, of the plain-Python reference, in this process."""
    out = []
    for f in files:
        sc = read_ktab_csv(Path(data_dir) / f)
        best = np.inf
        steps = 0
        for _ in range(repeat):
            t0 = time.perf_counter()
            r = run_ktab(sc, KtabParams())
            best = min(best, time.perf_counter() - t0)
            steps = r.n_steps
        ref = None
        if sc.n_actors <= reference_max:
            t0 = time.perf_counter()
            rr = run_ktab(sc, KtabParams(), engine="reference")
            ref = time.perf_counter() - t0
            if rr.n_steps != steps or not np.allclose(rr.positions[-1], r.positions[-1], atol=1e-9):
                raise RuntimeError(f"{f}: reference and numpy engines disagree")
        out.append(Timing(f, sc.n_actors, steps, float(best), ref))
    return out
