"""Latency of the web app's busiest pages on a large store: a party's page and search.

A store is filled with generated articles (``bench.synthetic``: extractions made up front, so
filling 10,000 takes a minute, not hours of spaCy), then each page is requested many times
through the whole app (routing, store queries, templates, security headers) in this process,
and the latencies' median and 95th percentile are reported. A static file served by the same
app is timed alongside as the baseline, so figures from different machines can be compared as
ratios.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from detente.bench.synthetic import ACTORS, synthetic_extractions

SEARCHES = (
    "ceasefire",
    "prisoner exchange",
    "security guarantees",
    "talks Geneva",
    '"direct talks"',
    "sanctions relief",
    "Morozov",
    "border line Istanbul",
)


@dataclass(frozen=True, slots=True)
class Timing:
    what: str
    requests: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    cpu_ms: float  # CPU time of this process per request (app and client): steadier than wall
    # time on a loaded machine, where waiting for a core inflates the percentiles

    def to_dict(self) -> dict[str, float | int | str]:
        return {
            "what": self.what,
            "requests": self.requests,
            "p50_ms": round(self.p50_ms, 2),
            "p95_ms": round(self.p95_ms, 2),
            "max_ms": round(self.max_ms, 2),
            "cpu_ms": round(self.cpu_ms, 2),
        }


def fill_store(
    db: str | Path, articles: int, seed: int = 0, on_step: Callable[[int], None] | None = None
) -> int:
    """Add ``articles`` generated articles to the store at ``db``; returns how many were new."""
    from detente.store import Store

    added = 0
    with Store(str(db)) as store:
        for n, extraction in enumerate(synthetic_extractions(articles, seed), 1):
            added += bool(store.add(extraction))
            if on_step and n % 500 == 0:
                on_step(n)
    return added


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def _time(get: Callable[[str], int], paths: list[str], what: str) -> Timing:
    out: list[float] = []
    cpu0 = time.process_time()
    for path in paths:
        t0 = time.perf_counter()
        status = get(path)
        out.append((time.perf_counter() - t0) * 1000)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    cpu = (time.process_time() - cpu0) * 1000 / len(out)
    return Timing(what, len(out), statistics.median(out), percentile(out, 95), max(out), cpu)


def run(db: str | Path, requests: int = 300, seed: int = 0) -> list[Timing]:
    """Time the baseline, the party page and search (``requests`` each, after a warm-up)."""
    from urllib.parse import quote

    from fastapi.testclient import TestClient

    from detente.config import Settings
    from detente.web.app import create_app

    rng = random.Random(seed)
    app = create_app(Settings(db=str(db), scenario="-"))
    actor_paths = [f"/actors/{quote(rng.choice(ACTORS))}" for _ in range(requests)]
    search_paths = [f"/search?q={quote(rng.choice(SEARCHES))}" for _ in range(requests)]
    api_paths = [f"/api/search?q={quote(rng.choice(SEARCHES))}" for _ in range(requests)]
    with TestClient(app) as client:

        def get(path: str) -> int:
            return client.get(path).status_code

        for path in ["/static/app.css", *actor_paths[:20], *search_paths[:20]]:  # warm caches
            get(path)
        return [
            _time(get, ["/static/app.css"] * requests, "baseline: a static file"),
            _time(get, actor_paths, "party page /actors/NAME"),
            _time(get, search_paths, "search page /search?q="),
            _time(get, api_paths, "search API /api/search?q="),
        ]
