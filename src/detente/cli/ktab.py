"""CLI: KTAB spatial-model commands (``detente bench ktab``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from detente.cli import app, bench_app  # noqa: F401

out = Console()
err = Console(stderr=True)

# printed precision of each logged quantity in KTAB's logs (half a unit of the last digit)
_LOG_PRECISION = {
    "raw_util": 5e-4,
    "risk": 5e-4,
    "util": 5e-5,
    "est_util": 5e-5,
    "victory_prob": 5e-5,
    "expected_gain": 5e-5,
    "bargain_positions": 5e-4,
    "queue_prob": 5e-5,
    "queue_util": 5e-6,
    "history_positions": 5e-2,
    "final_positions": 5e-2,
    "win_prob": 5e-5,
    "challenge_target_mismatch": 0.0,
    "queue_mismatch": 0.0,
}


@bench_app.command("ktab")
def bench_ktab(
    data: Annotated[Path, typer.Option("--data", help="Folder with KTAB scenarios and reference/ logs.")],
    reference_max: Annotated[
        int, typer.Option(help="Also time the plain-Python reference up to this many actors.")
    ] = 80,
    repeat: Annotated[int, typer.Option(help="Best of N numpy runs per scenario.")] = 1,
    seeds: Annotated[int, typer.Option(help="Seeds for the stochastic distribution check (0 = skip).")] = 50,
    turns: Annotated[int, typer.Option(help="Turns compared in detail with each log.")] = 1,
) -> None:
    """Reproduce KTAB's reference runs and time the 40/80/160-actor scenarios."""
    from detente.bench.ktab import reproduce_all, seed_sweep, time_scaling

    if not (data / "reference").is_dir():
        err.print(f"[red]{data}[/red] has no reference/ folder of KTAB logs")
        raise typer.Exit(2)
    table = Table(
        title=f"KTAB reference runs: max |ours - log| over the first {turns} turn(s) and the history"
    )
    table.add_column("quantity")
    comps = reproduce_all(data, turns=turns)
    for c in comps:
        table.add_column(c.name, justify="right")
    table.add_column("log precision", justify="right")
    keys = list(dict.fromkeys(k for c in comps for k in c.diffs))
    for k in keys:
        cells = [f"{c.diffs[k]:.2g} ({c.counts[k]})" if k in c.diffs else "-" for c in comps]
        table.add_row(k, *cells, f"{_LOG_PRECISION.get(k, float('nan')):.0e}")
    table.add_row("turns (ours/log)", *[f"{a}/{b}" for a, b in (c.steps for c in comps)], "")
    out.print(table)
    ok = all(
        c.steps[0] == c.steps[1]
        and all(v <= _LOG_PRECISION.get(k, np.inf) + 1e-9 for k, v in c.diffs.items())
        for c in comps
    )
    out.print(f"reproduction within printed precision: {'yes' if ok else 'NO'}")

    if seeds > 0:
        sw = seed_sweep(data, n_seeds=seeds)
        lo, hi = float(sw.rank.min()), float(sw.rank.max())
        out.print(
            f"smpExample over {seeds} seeds: logged final positions sit between the {100 * lo:.0f}th and "
            f"{100 * hi:.0f}th percentiles of ours (per actor and dimension); logged turns {sw.logged_steps}, "
            f"ours median {np.median(sw.steps):.0f} (5-95%: {np.percentile(sw.steps, 5):.0f}-"
            f"{np.percentile(sw.steps, 95):.0f})"
        )

    timing = Table(title="Time per run (full SMP until KTAB's stopping rule)")
    for col in ("scenario", "actors", "turns", "numpy s", "reference s", "speed-up"):
        timing.add_column(col, justify="right" if col != "scenario" else "left")
    for t in time_scaling(data, reference_max=reference_max, repeat=repeat):
        timing.add_row(
            t.file,
            str(t.n_actors),
            str(t.steps),
            f"{t.numpy_s:.3f}",
            "-" if t.reference_s is None else f"{t.reference_s:.2f}",
            "-" if t.speedup is None else f"{t.speedup:.0f}x",
        )
    out.print(timing)
