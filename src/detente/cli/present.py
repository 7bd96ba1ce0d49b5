"""CLI: the HTML report and the web app."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from detente.cli import app, bench_app
from detente.cli.articles import DbOption, _open_store, _settings

out = Console()
err = Console(stderr=True)

ScenarioOption = Annotated[
    Path | None,
    typer.Option(help="The scenario to forecast (default: $DETENTE_SCENARIO, else the bundled example)."),
]


@app.command()
def report(
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path(
        "report.html"
    ),
    db: DbOption = None,
    scenario: ScenarioOption = None,
    runs: Annotated[int | None, typer.Option(min=1, help="Monte Carlo runs for the intervals.")] = None,
) -> None:
    """Write one self-contained HTML report (opens offline): parties, positions, timeline, quotes, forecast."""
    from detente.model.io import read_scenario
    from detente.model.scenario import ScenarioError
    from detente.report.forecast import default_scenario_path, forecast_view
    from detente.report.render import write_report

    settings = _settings(db, scenario=str(scenario) if scenario else None, forecast_runs=runs)
    path = default_scenario_path(settings.scenario or None)
    forecast, note = None, ""
    if path is None:
        note = "No scenario file: run `detente report --scenario FILE` to add a forecast."
    else:
        try:
            forecast = forecast_view(read_scenario(path), path.name, runs=settings.forecast_runs)
        except ScenarioError as e:
            err.print(f"[yellow]no forecast:[/yellow] {escape(str(e))}")
            note = f"The scenario {path.name} cannot be used: {e}"
    with _open_store(settings) as store:
        written = write_report(store, output, forecast, note)
    out.print(f"Report written to {escape(str(written))}")
    out.print(
        f"  open it: xdg-open {escape(str(written))}  (or file://{escape(str(written.resolve()))} in a browser)"
    )


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default 127.0.0.1: this machine only).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    scenario: ScenarioOption = None,
) -> None:
    """Start the web app: search, documents with highlights, parties, people, issues, what-ifs, import."""
    import uvicorn

    from detente.web.app import create_app
    from detente.web.imports import LOOPBACK_HOSTS

    settings = _settings(db, scenario=str(scenario) if scenario else None, web_host=host, web_port=port)
    with _open_store(settings):
        pass  # fails with a clear message when there is no database yet
    if settings.web_host not in LOOPBACK_HOSTS:
        err.print(
            f"[yellow]listening on {escape(settings.web_host)}:[/yellow] other machines can reach the app; "
            "it has no login. Imports by URL are limited to public addresses."
        )
    out.print(f"detente at http://{escape(settings.web_host)}:{settings.web_port}/  (Ctrl+C stops it)")
    uvicorn.run(create_app(settings), host=settings.web_host, port=settings.web_port, log_level="warning")


@bench_app.command("web")
def bench_web(
    articles: Annotated[int, typer.Option(min=1, help="Generated articles in the store.")] = 10_000,
    requests: Annotated[int, typer.Option(min=10, help="Requests per page.")] = 300,
    db: Annotated[
        Path, typer.Option(help="Store to fill (kept, and reused when it already holds the articles).")
    ] = Path("build/bench-web.db"),
    seed: Annotated[int, typer.Option(help="Seed of the generated articles and requests.")] = 0,
) -> None:
    """p50/p95 latency of the party page and search on a store of generated articles."""
    import time

    from rich.table import Table

    from detente.bench.web import fill_store, run
    from detente.store import Store

    db.parent.mkdir(parents=True, exist_ok=True)
    with Store(str(db)) as store:
        have = store.stats()["documents"]
    if have < articles:
        t0 = time.perf_counter()
        with out.status(f"generating {articles:,} articles into {db} ..."):
            fill_store(db, articles, seed)
        out.print(f"filled {db} in {time.perf_counter() - t0:.0f} s")
    timings = run(db, requests, seed)
    base = timings[0].p50_ms
    table = Table(
        "what",
        "requests",
        "p50 ms",
        "p95 ms",
        "max ms",
        "p50 / baseline",
        "CPU ms",
        title=f"web latency, {articles:,} articles (CPU: this process's, per request)",
    )
    for t in timings:
        table.add_row(
            t.what,
            str(t.requests),
            f"{t.p50_ms:.1f}",
            f"{t.p95_ms:.1f}",
            f"{t.max_ms:.1f}",
            f"{t.p50_ms / base:.1f}",
            f"{t.cpu_ms:.1f}",
        )
    out.print(table)
