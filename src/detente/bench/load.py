"""A bounded load test of detente's web API: many concurrent clients, on this machine only.

``run_load`` starts ``clients`` asyncio tasks sharing one httpx connection pool; each sends GET
requests over the given paths (each client starting at a different one) one after another,
until ``seconds`` have passed or ``max_requests`` have been sent in all, whichever comes first.
Only loopback addresses are accepted as targets: this is a test of one's own local server. An
error is a transport failure, a timeout or any status of 400 and above. Latencies are whole
request times as the client saw them; percentiles are nearest-rank.
"""

from __future__ import annotations

import asyncio
import ipaddress
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

LOOPBACK_NAMES = {"localhost"}


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _nearest_rank(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


@dataclass(slots=True)
class LoadResult:
    clients: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    by_path: dict[str, list[float]] = field(default_factory=dict)  # latencies per path

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    def percentile(self, q: float) -> float:
        return _nearest_rank(self.latencies_ms, q)

    def as_dict(self) -> dict[str, object]:
        return {
            "clients": self.clients,
            "seconds": round(self.seconds, 1),
            "requests": self.requests,
            "requests_per_s": round(self.requests / self.seconds, 1) if self.seconds else None,
            "errors": sum(self.errors.values()),
            "error_kinds": dict(self.errors),
            "p50_ms": round(self.percentile(50), 1),
            "p95_ms": round(self.percentile(95), 1),
            "p99_ms": round(self.percentile(99), 1),
            "max_ms": round(max(self.latencies_ms, default=float("nan")), 1),
            "paths": len(self.by_path),
            "slowest_paths_p95_ms": dict(
                sorted(
                    ((p, round(_nearest_rank(v, 95), 1)) for p, v in self.by_path.items()),
                    key=lambda kv: -kv[1],
                )[:3]
            ),
        }


async def _load(
    base_url: str, paths: list[str], clients: int, seconds: float, max_requests: int, timeout: float
) -> LoadResult:
    import httpx

    result = LoadResult(clients, 0.0)
    budget = [max_requests]
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(http: httpx.AsyncClient) -> None:
        while time.perf_counter() < deadline and budget[0] > 0:
            # one sequence over all clients: the paths share the requests evenly, however the
            # clients' speeds differ
            n = max_requests - budget[0]
            budget[0] -= 1
            path = paths[n % len(paths)]
            t0 = time.perf_counter()
            try:
                response = await http.get(path)
                await response.aread()
                if response.status_code >= 400:
                    result.errors[f"HTTP {response.status_code} {path}"] += 1
            except httpx.HTTPError as e:
                result.errors[type(e).__name__] += 1
            elapsed = (time.perf_counter() - t0) * 1000
            result.latencies_ms.append(elapsed)
            result.by_path.setdefault(path, []).append(elapsed)

    start = time.perf_counter()
    async with httpx.AsyncClient(base_url=base_url, timeout=timeout, limits=limits) as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    result.seconds = time.perf_counter() - start
    return result


def run_load(
    base_url: str,
    paths: list[str],
    clients: int = 50,
    seconds: float = 60.0,
    max_requests: int = 200_000,
    timeout: float = 30.0,
) -> LoadResult:
    """Load ``base_url`` (loopback only) with ``clients`` concurrent clients; bounded in time and count."""
    if not is_loopback(base_url):
        raise ValueError(f"refusing to load {base_url}: only this machine's own servers (loopback)")
    if not paths:
        raise ValueError("no paths to request")
    return asyncio.run(_load(base_url, paths, clients, seconds, max_requests, timeout))
