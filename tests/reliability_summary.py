"""The one-line summary of `make reliability`, from the figures its tests and benchmark recorded.

Usage: python tests/reliability_summary.py build/reliability.json [build/dask.json]
A part whose test did not record its figures (it failed or did not run) says so.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def summary(log: dict, dask: dict | None) -> str:
    parts = []
    crash = log.get("crash")
    parts.append(f"crash {crash['ok']}/{crash['kills']} ok" if crash else "crash NOT RUN/FAILED")
    conc = log.get("concurrent_postgresql")
    parts.append("concurrent postgresql ok" if conc else "concurrent postgresql NOT RUN/FAILED")
    fuzz = log.get("fuzz")
    parts.append(f"fuzz {fuzz['inputs']} inputs {fuzz['crashes']} crashes" if fuzz else "fuzz NOT RUN/FAILED")
    load = log.get("load")
    if not load:
        parts.append("load NOT RUN/FAILED")
    elif "skipped" in load:
        parts.append(f"load skipped: {load['skipped']}")
    else:
        parts.append(
            f"load {load['errors']} errors p95 {load['p95_ms']:.0f} ms ({load['requests']} requests)"
        )
    memory = log.get("memory")
    parts.append(
        f"peak RSS {memory['peak_rss_mb']:.0f} MB ({memory['articles']} articles)"
        if memory
        else "memory NOT RUN/FAILED"
    )
    if dask:
        runs = {r["workers"]: r for r in dask["runs"]}
        if 1 in runs and 2 in runs:
            parts.append(
                f"dask {runs[1]['docs_per_s']:.1f} -> {runs[2]['docs_per_s']:.1f} docs/s with 1 -> 2 workers "
                f"(x{runs[2]['vs_1_worker']:.2f}), identical {dask['identical']}"
            )
    return "reliability: " + ", ".join(parts)


def main() -> None:
    log_path = Path(sys.argv[1])
    log = json.loads(log_path.read_text()) if log_path.exists() else {}
    dask = None
    if len(sys.argv) > 2 and Path(sys.argv[2]).exists():
        try:
            dask = json.loads(Path(sys.argv[2]).read_text())
        except ValueError:
            dask = None
    print(summary(log, dask))


if __name__ == "__main__":
    main()
