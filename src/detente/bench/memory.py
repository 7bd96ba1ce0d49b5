"""Memory figures for benchmarks, each saying what it counts.

- ``peak_rss_mb``: the process's maximum resident set size so far (``getrusage``): everything,
  models included; it only grows, so it is the peak of the whole run.
- ``current_rss_mb``: the resident set size now (Linux ``/proc``), to tell the models' share.
- ``reset_rss_high_water`` / ``rss_high_water_mb``: the kernel's peak RSS (``VmHWM``) reset to
  the current RSS, then read after a pass: the peak of that pass alone (Linux only). Memory
  the allocator kept from earlier passes still counts, so read it with the RSS at the reset.
- ``traced_peak_mb``: the peak of Python-visible allocations (``tracemalloc``, which sees
  Python objects and numpy arrays) while a function runs: the working memory of a pass,
  without what was allocated before it. Tracing slows code down, so never time under it.
"""

from __future__ import annotations

import resource
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path

MB = 1024 * 1024


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # bytes on macOS, KiB elsewhere
    return peak / MB if sys.platform == "darwin" else peak / 1024


def current_rss_mb() -> float | None:
    """Resident memory now, or None where /proc is not available."""
    return _status_mb("VmRSS")


def _status_mb(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def rss_high_water_mb() -> float | None:
    """Peak RSS since the process started or since ``reset_rss_high_water``; None off Linux."""
    return _status_mb("VmHWM")


def reset_rss_high_water() -> bool:
    """Set the kernel's peak-RSS mark to the current RSS; False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def traced_peak_mb(run: Callable[[], object]) -> float:
    """Peak of the allocations made while ``run()`` runs, in MiB (0 baseline at the start)."""
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base, _ = tracemalloc.get_traced_memory()
    try:
        run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return max(0, peak - base) / MB
