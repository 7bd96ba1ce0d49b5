"""Ingest throughput on Dask workers against ingest in one process, on the same articles.

Each configuration ingests the same inputs into a fresh SQLite file: first in this process (the
baseline: ``LocalRunner``, model loaded beforehand), then on a ``LocalCluster`` of 1, 2, ...
worker processes (``DaskRunner``). Cluster start-up and model loading are not timed: every
worker loads its model in a warm-up task before the clock starts, so the figures are the steady
rate an archive-sized ingest sees. Reported: documents and words per second, each rate over the
baseline's and over 1 worker's, each worker's peak resident memory, and whether every
configuration stored exactly the same rows (``store.snapshot``).
"""

from __future__ import annotations

import tempfile
import time
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


def measure(inputs: list[str], workers: tuple[int, ...] = (1, 2), settings: Settings | None = None) -> dict:
    """Time one ingest of ``inputs`` per configuration; figures as a dict (see module doc)."""
    from detente.cluster import DaskRunner
    from detente.extract.pipeline import Extractor
    from detente.pipeline import LocalRunner, ingest
    from detente.store import Store
    from detente.store.snapshot import snapshot

    settings = settings or Settings()
    runs: list[Run] = []
    snapshots = []
    with tempfile.TemporaryDirectory(prefix="detente-bench-") as tmp:

        def timed(label: str, n: int, runner) -> None:
            with Store(str(Path(tmp) / f"{label}.db")) as store:
                t0 = time.perf_counter()
                report = ingest(inputs, store, settings, runner=runner)
                seconds = time.perf_counter() - t0
                docs, words = _words(store)
                assert docs == report.stored, (docs, report.stored)
                snapshots.append(snapshot(store))
            memory = runner.memory() if n else {}
            runs.append(Run(label, n, seconds, docs, words, [m["peak_rss_mb"] for m in memory.values()]))

        local = LocalRunner(settings, Extractor(settings))
        timed("in-process", 0, local)
        for n in workers:
            with DaskRunner(settings, workers=n) as runner:
                runner.client.run(_warm, settings)
                timed(f"dask-{n}", n, runner)
    base = runs[0]
    one = next((r for r in runs if r.workers == 1), None)
    return {
        "documents": base.documents,
        "words": base.words,
        "identical": all(snap == snapshots[0] for snap in snapshots[1:]),
        "main_peak_rss_mb": round(peak_rss_mb(), 1),
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
