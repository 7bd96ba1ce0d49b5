"""CLI: the negotiation picture across articles (positions and their history, agreements, timeline)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from detente.cli import app
from detente.cli.articles import DbOption, _open_store, _settings

out = Console()


@app.command()
def positions(
    actor: Annotated[
        str | None, typer.Option(help="A party: Russia, Ukraine, United States, Hamas, ...")
    ] = None,
    issue: Annotated[str | None, typer.Option(help="ceasefire, territory, alliance, sanctions, ...")] = None,
    db: DbOption = None,
    analysts: Annotated[bool, typer.Option(help="Include analysts' claims about parties.")] = False,
) -> None:
    """Each party's stance on each issue over time, with the evidence and any shifts."""
    from detente.store.history import stance_histories

    with _open_store(_settings(db)) as store:
        rows = store.positions(actor=actor, issue=issue)
    histories = stance_histories(rows, include_analysts=analysts)
    if not histories:
        out.print("No positions.")
        return
    table = Table("actor", "issue", "date", "stance", "source", "evidence", show_lines=True)
    for h in histories:
        for r in [*h.days, *h.undated]:
            flags = "".join(
                f" [{f}]" for f, on in (("conditional", r.conditional), ("red line", r.red_line)) if on
            )
            table.add_row(
                h.actor, h.issue, r.date or "", r.stance + flags, r.source_kind, escape(r.evidence[:160])
            )
    out.print(table)
    for h in histories:
        for s in h.shifts:
            out.print(f"[bold]shift[/bold] {escape(s.describe())}")


@app.command()
def agreements(
    party: Annotated[str | None, typer.Option(help="Only agreements this party is in.")] = None,
    db: DbOption = None,
) -> None:
    """Agreements with their parties, terms, status and date."""
    with _open_store(_settings(db)) as store:
        rows = store.agreements(party=party)
    table = Table("date", "type", "parties", "terms", "status", "evidence", show_lines=True)
    for a in rows:
        terms = ", ".join(f"{k}={v}" for k, v in a.terms.items())
        table.add_row(a.date or "", a.type, ", ".join(a.parties), terms, a.status, escape(a.evidence[:140]))
    out.print(table if rows else "No agreements.")


@app.command()
def timeline(db: DbOption = None) -> None:
    """Events, agreements and stance shifts in date order."""
    from detente.store.history import shifts

    with _open_store(_settings(db)) as store:
        events = store.events()
        deals = store.agreements()
        moves = shifts(store.positions())
    items: list[tuple[str, str, str, str]] = []
    for e in events:
        where = f" in {e.place}" if e.place else ""
        items.append((e.date or "", e.type, f"{', '.join(e.participants)}{where}", e.evidence))
    for a in deals:
        items.append((a.date or "", f"{a.type} ({a.status})", ", ".join(a.parties), a.evidence))
    for s in moves:
        what = f"{s.actor} on {s.issue}: {s.before.stance} -> {s.after.stance}"
        proof = f"{s.before.date}: {_short(s.before.evidence)}\n{s.after.date}: {_short(s.after.evidence)}"
        items.append((s.after.date or "", "stance shift", what, proof))
    items.sort(key=lambda i: (i[0] == "", i[0]))
    table = Table("date", "what", "who", "evidence", show_lines=True)
    for date, what, who, ev in items:
        table.add_row(date, what, escape(who), escape(ev if what == "stance shift" else _short(ev)))
    out.print(table if items else "Nothing dated yet.")


def _short(text: str, limit: int = 150) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
