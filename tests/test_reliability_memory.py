"""Streaming memory: `detente ingest` of 10,000 generated articles stays under 1.5 GB.

The articles (short ones, ``brief=True``, in one JSONL file) go through the real CLI in a
subprocess. The resident memory of its whole process tree (with --workers, the Dask scheduler
and workers too) is sampled every 0.2 s; the kernel's own peak for the ingest process comes
from ``wait4``. Memory that does not grow with the number of documents is what streaming
means, so the tree's RSS once a tenth of the articles are stored is compared with its peak.
$DETENTE_MEMORY_ARTICLES and $DETENTE_MEMORY_WORKERS change the size and the worker count.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import threading
import time

import psutil
import pytest

from detente.bench.corpus import write_corpus

pytestmark = [pytest.mark.slow, pytest.mark.reliability, pytest.mark.timeout(1800)]

ARTICLES = int(os.environ.get("DETENTE_MEMORY_ARTICLES", "10000"))
WORKERS = int(os.environ.get("DETENTE_MEMORY_WORKERS", "0"))
LIMIT_MB = 1536


def tree_rss_mb(proc: psutil.Process) -> float:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):  # a process that just ended
            total += p.memory_info().rss
    return total / 2**20


def stored(db) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_ingest_of_10000_articles_streams(tmp_path, detente_cli, reliability_log):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, ARTICLES, per_file=ARTICLES, brief=True)  # one JSONL archive, read line by line
    db = tmp_path / "big.db"
    cmd = [*detente_cli, "ingest", str(corpus), "--db", str(db)]
    if WORKERS:
        cmd += ["--workers", str(WORKERS)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    watched = psutil.Process(proc.pid)
    samples: list[tuple[int, float]] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            samples.append((stored(db), tree_rss_mb(watched)))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - t0
    assert proc.returncode == 0
    assert stored(db) == ARTICLES
    peak_tree = max(rss for _, rss in samples)
    peak_main = usage.ru_maxrss / 1024
    early = [rss for n, rss in samples if ARTICLES // 10 <= n < ARTICLES // 5]
    figures = {
        "articles": ARTICLES,
        "workers": WORKERS,
        "seconds": round(seconds, 1),
        "docs_per_s": round(ARTICLES / seconds, 1),
        "peak_rss_mb": round(max(peak_tree, peak_main), 1),
        "ingest_process_peak_rss_mb": round(peak_main, 1),
        "rss_at_10pct_mb": round(max(early), 1) if early else None,
    }
    reliability_log("memory", figures)
    assert figures["peak_rss_mb"] < LIMIT_MB, figures
    if early:  # no growth with the number of documents, beyond allocator noise
        assert peak_tree - max(early) < 250, figures
