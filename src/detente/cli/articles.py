"""CLI: reading articles (ingest, extract) and querying what was stored (search, quotes, people, summary)."""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from detente.cli import app
from detente.config import Settings

console = Console(stderr=True)
out = Console()

DbOption = Annotated[
    str | None, typer.Option("--db", help="SQLite file or database URL (default: $DETENTE_DB or detente.db).")
]


def _settings(db: str | None = None, **extra: object) -> Settings:
    return Settings.from_env(db=db, **extra)


def _open_store(settings: Settings, must_exist: bool = True):
    from detente.store import Store

    if must_exist and "://" not in settings.db and not Path(settings.db).exists():
        console.print(
            f"[red]No database at {settings.db}[/red]: run `detente ingest PATH --db {settings.db}` first."
        )
        raise typer.Exit(2)
    return Store(settings.db)


def _where(settings: Settings) -> str:
    """The database for messages: a file's full path, or a URL without its password."""
    if "://" not in settings.db:
        return str(Path(settings.db).resolve())
    from detente.store.database import describe_url

    return describe_url(settings.db)


def _logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, globs or http(s) URLs.")],
    db: DbOption = None,
    n_process: Annotated[int | None, typer.Option(help="spaCy worker processes.")] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=0, help="Clean and extract on N local Dask worker processes ($DETENTE_WORKERS)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Clean and extract on the Dask cluster of this scheduler ($DETENTE_SCHEDULER)."),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Read articles, extract people and quotes, and store them (re-running adds no duplicates)."""
    from contextlib import ExitStack

    from detente.pipeline import LocalRunner
    from detente.pipeline import ingest as run_ingest

    _logging(verbose)
    settings = _settings(db, n_process=n_process, workers=workers, scheduler=scheduler)
    with ExitStack() as stack:
        if settings.workers or settings.scheduler:
            from detente.cluster import DaskRunner

            where = settings.scheduler or f"{settings.workers} local workers"
            with console.status(f"Starting Dask ({where})..."):
                runner = stack.enter_context(
                    DaskRunner(settings, workers=settings.workers, scheduler=settings.scheduler or None)
                )
        else:
            from detente.extract.pipeline import Extractor

            with console.status("Loading the language model..."):
                runner = LocalRunner(settings, Extractor(settings))
        store = stack.enter_context(_open_store(settings, must_exist=False))
        progress = stack.enter_context(
            Progress(
                SpinnerColumn(),
                TextColumn("[bold]ingest[/bold]"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[current]}"),
                TimeElapsedColumn(),
                console=console,
                transient=False,
            )
        )
        task = progress.add_task("ingest", total=None, current="")

        def tick(source: str) -> None:
            progress.update(task, advance=1, current=Path(source).name[:40])

        report = run_ingest(inputs, store, settings, on_item=tick, runner=runner)
        progress.update(task, total=report.seen, completed=report.seen, current="done")
    for p in report.problems:
        console.print(f"[yellow]skipped[/yellow] {escape(p.source)}: {escape(p.reason)}", soft_wrap=True)
    console.print(
        f"[green]{report.stored} stored[/green], {report.duplicates} already known, "
        f"{len(report.problems)} skipped -> {escape(_where(settings))}",
        soft_wrap=True,
    )


@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, globs or http(s) URLs.")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="JSONL file to write ('-' for stdout).")
    ] = Path("-"),
    fmt: Annotated[str, typer.Option("--format", help="eval: the extraction benchmark's format.")] = "eval",
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Extract from articles without storing anything; one JSON object per article."""
    from detente.export.eval_format import to_eval
    from detente.pipeline import extract_inputs
    from detente.records import Problem

    if fmt != "eval":
        console.print(f"[red]Unknown format {fmt!r}[/red] (known: eval)")
        raise typer.Exit(2)
    _logging(verbose)
    settings = _settings()
    if str(output) != "-":
        Path(output).parent.mkdir(parents=True, exist_ok=True)
    sink = sys.stdout if str(output) == "-" else open(output, "w", encoding="utf-8")  # noqa: SIM115
    n = skipped = 0
    try:
        for item in extract_inputs(inputs, settings):
            if isinstance(item, Problem):
                skipped += 1
                console.print(
                    f"[yellow]skipped[/yellow] {escape(item.source)}: {escape(item.reason)}", soft_wrap=True
                )
                continue
            sink.write(json.dumps(to_eval(item), ensure_ascii=False) + "\n")
            n += 1
    finally:
        if sink is not sys.stdout:
            sink.close()
    console.print(
        f"{n} articles extracted, {skipped} skipped"
        + ("" if str(output) == "-" else f" -> {escape(str(output))}"),
        soft_wrap=True,
    )


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words or a "quoted phrase".')],
    db: DbOption = None,
    limit: int = 20,
) -> None:
    """Full-text search over the stored articles."""
    with _open_store(_settings(db)) as store:
        hits = store.search(query, limit=limit)
    if not hits:
        out.print("No match.")
        return
    table = Table("date", "article", "snippet", show_lines=False)
    for h in hits:
        table.add_row(h.date or "", h.title or h.name, _highlight(h.snippet))
    out.print(table)


def _highlight(snippet: str):
    """The snippet with its [[matches]] in bold, article text never read as markup."""
    from rich.text import Text

    out, bold = Text(), False
    for part in re.split(r"(\[\[|\]\])", snippet):
        if part in ("[[", "]]"):
            bold = part == "[["
        elif part:
            out.append(part, style="bold yellow" if bold else None)
    return out


@app.command()
def quotes(
    speaker: Annotated[str | None, typer.Option(help="Full name or surname.")] = None,
    db: DbOption = None,
    limit: int = 50,
) -> None:
    """Quotes with their speakers and sources."""
    from rich.markup import escape

    with _open_store(_settings(db)) as store:
        rows = store.quotes(speaker=speaker, limit=limit)
    if not rows:
        out.print("No quotes." if speaker is None else f"No quotes by {speaker}.")
        return
    table = Table("speaker", "kind", "quote", "article", show_lines=True)
    for q in rows:
        table.add_row(q.speaker_name or "(unattributed)", q.kind, escape(q.text), q.document_name)
    out.print(table)


@app.command()
def people(
    name: Annotated[str | None, typer.Option(help="Filter by name.")] = None,
    db: DbOption = None,
) -> None:
    """People named in the stored articles, merged across articles."""
    with _open_store(_settings(db)) as store:
        rows = store.people(name=name)
    table = Table("name", "roles", "party", "articles", "mentions")
    for p in rows:
        table.add_row(p.name, "; ".join(p.roles[:3]), p.party or "", str(p.documents), str(p.mentions))
    out.print(table)


@app.command()
def summary(db: DbOption = None) -> None:
    """What a database holds: counts, the most quoted people and the latest articles."""
    settings = _settings(db)
    with _open_store(settings) as store:
        stats = store.stats()
        docs = store.documents(limit=8)
        quoted = store.people()
    table = Table("what", "count", title=f"detente database {escape(_where(settings))}")
    for k, v in stats.items():
        table.add_row(k, str(v))
    out.print(table)
    top = sorted(quoted, key=lambda p: p.quotes, reverse=True)[:8]
    if top:
        t = Table("most quoted", "quotes", "party", "role")
        for p in top:
            t.add_row(p.name, str(p.quotes), p.party or "", p.roles[0] if p.roles else "")
        out.print(t)
    if docs:
        t = Table("date", "latest articles")
        for d in docs:
            t.add_row(d.date or "", d.title or d.name)
        out.print(t)
    out.print(f"Database: {escape(_where(settings))}")
    out.print("Try: detente quotes --speaker Putin --db ...   detente search ceasefire --db ...")
