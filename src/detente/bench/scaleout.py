"""Ingest throughput on Dask workers against ingest in one process, on the same articles.

Each configuration ingests the same inputs into a fresh SQLite file: in this process (the
baseline: ``LocalRunner``, model loaded beforehand) and on a ``LocalCluster`` of 1, 2, ...
worker processes (``DaskRunner``), configurations alternating over ``repeat`` rounds. Cluster start-up and model loading are not timed: every
worker loads its model in a warm-up task before the clock starts, so the figures are the steady
rate an archive-sized ingest sees. Reported: documents and words per second, each rate over the
baseline's and over 1 worker's, each worker's peak resident memory, and whether every
configuration stored exactly the same rows (``store.snapshot``). Other programs on the machine
take cores from the workers: ``cpu_speedup`` (two processes of plain Python against one,
measured before and after) says how much parallel capacity there was; read the 2-worker
figure against it.
"""

from __future__ import annotations

import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from detente.bench.memory import peak_rss_mb
from detente.config import Settings


@dataclass(slots=True)
class Run:
    label: str
    workers: int  # 0: in this process
    seconds: float
    documents: int
    words: int
    worker_peak_rss_mb: list[float] = field(default_factory=list)

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.seconds

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds


def _warm(settings: Settings) -> bool:
    """Task: load the worker's extractor (and so its model) before the timing starts."""
    from detente.cluster import _extractor

    _extractor(settings)
    return True


def _words(store) -> tuple[int, int]:
    from sqlalchemy import select

    from detente.store import schema as s

    with store.engine.connect() as conn:
        texts = conn.execute(select(s.documents.c.text)).scalars().all()
    return len(texts), sum(len(t.split()) for t in texts)


def _spin(n: int = 3_000_000) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def cpu_speedup() -> float:
    """How much faster two CPU-bound processes finish two pieces of work than one process does:
    about 2 on two idle cores, less when other programs keep the cores busy."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_spin, [10, 10]))  # start both processes before timing
        t0 = time.perf_counter()
        list(pool.map(_spin, [3_000_000]))
        one = time.perf_counter() - t0
        t0 = time.perf_counter()
        list(pool.map(_spin, [3_000_000, 3_000_000]))
        two = time.perf_counter() - t0
    return 2 * one / two


def measure(
    inputs: list[str], workers: tuple[int, ...] = (1, 2), settings: Settings | None = None, repeat: int = 2
) -> dict:
    """Time ``repeat`` ingests of ``inputs`` per configuration, configurations alternating round by
    round (order flipped every round, so that drift falls on all); the best run of each counts."""
    from detente.cluster import DaskRunner
    from detente.extract.pipeline import Extractor
    from detente.pipeline import LocalRunner, ingest
    from detente.store import Store
    from detente.store.snapshot import snapshot

    settings = settings or Settings()
    best: dict[str, Run] = {}
    snapshots = []
    speedups = [cpu_speedup()]
    with tempfile.TemporaryDirectory(prefix="detente-bench-") as tmp, ExitStack() as stack:
        runners: dict[str, tuple[int, object]] = {
            "in-process": (0, LocalRunner(settings, Extractor(settings)))
        }
        for n in workers:
            runner = stack.enter_context(DaskRunner(settings, workers=n))
            runner.client.run(_warm, settings)
            runners[f"dask-{n}"] = (n, runner)
        order = list(runners)
        for round_ in range(repeat):
            for label in order if round_ % 2 == 0 else reversed(order):
                n, runner = runners[label]
                with Store(str(Path(tmp) / f"{label}-{round_}.db")) as store:
                    t0 = time.perf_counter()
                    report = ingest(inputs, store, settings, runner=runner)
                    seconds = time.perf_counter() - t0
                    docs, words = _words(store)
                    assert docs == report.stored, (docs, report.stored)
                    snapshots.append(snapshot(store))
                if label not in best or seconds < best[label].seconds:
                    memory = runner.memory() if n else {}
                    peaks = [m["peak_rss_mb"] for m in memory.values()]
                    best[label] = Run(label, n, seconds, docs, words, peaks)
        speedups.append(cpu_speedup())
    runs = [best[label] for label in order]
    base = runs[0]
    one = next((r for r in runs if r.workers == 1), None)
    return {
        "documents": base.documents,
        "words": base.words,
        "repeat": repeat,
        "identical": all(snap == snapshots[0] for snap in snapshots[1:]),
        "main_peak_rss_mb": round(peak_rss_mb(), 1),
        "cpu_speedup_2_processes": [round(x, 2) for x in speedups],
        "runs": [
            {
                "label": r.label,
                "workers": r.workers,
                "seconds": round(r.seconds, 2),
                "docs_per_s": round(r.docs_per_s, 2),
                "words_per_s": round(r.words_per_s, 1),
                "vs_in_process": round(r.docs_per_s / base.docs_per_s, 3),
                "vs_1_worker": round(r.docs_per_s / one.docs_per_s, 3) if one and r.workers else None,
                "worker_peak_rss_mb": [round(x, 1) for x in r.worker_peak_rss_mb],
            }
            for r in runs
        ],
    }
