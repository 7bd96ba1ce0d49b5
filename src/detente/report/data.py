"""Everything the report shows, gathered from the store into view records (no HTML here).

The web app builds its overview from the same records, with links to its own pages instead of
anchors in one file (``link`` decides which).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import date as Date

from detente.report.charts import Mark, busiest_lanes, parse_day, timeline_chart
from detente.report.forecast import ForecastView
from detente.store import Store
from detente.store.history import shifts
from detente.store.rows import (
    AgreementRow,
    DocumentRow,
    MatrixCell,
    PersonRow,
    PositionRow,
    QuoteRow,
)

STANCES = ("demand", "offer", "accept", "reject")
TIMELINE_ACTORS = 12  # actor lanes on the timeline


@dataclass(frozen=True, slots=True)
class Party:
    name: str
    positions: int
    issues: int
    documents: int
    first_date: str | None
    last_date: str | None
    people: list[str]  # the people who speak for it, most quoted first


@dataclass(slots=True)
class Matrix:
    """Positions as a table: parties (rows) by issues (columns)."""

    actors: list[str]
    issues: list[str]
    cells: dict[tuple[str, str], MatrixCell]

    def cell(self, actor: str, issue: str) -> MatrixCell | None:
        return self.cells.get((actor, issue))


@dataclass(frozen=True, slots=True)
class TimelineItem:
    date: str
    kind: str  # event type, "agreement" or "stance shift"
    what: str
    who: str
    evidence: str
    doc_id: str
    anchor: str  # where the item's evidence is ("p12", "a3", "e7")
    status: str = ""  # an agreement's status


@dataclass(slots=True)
class ReportData:
    title: str
    generated_at: str
    stats: dict[str, int]
    parties: list[Party]
    people: list[PersonRow]
    matrix: Matrix
    evidence: dict[tuple[str, str], list[PositionRow]]  # every statement behind each cell
    timeline: list[TimelineItem]
    timeline_svg: str
    agreements: list[AgreementRow]
    quotes: list[QuoteRow]
    documents: list[DocumentRow]
    forecast: ForecastView | None
    forecast_note: str = ""
    stance_colours: dict[str, str] = field(default_factory=dict)


def cell_anchor(actor: str, issue: str) -> str:
    """A fragment id for a matrix cell's evidence; names are reduced to safe characters."""
    slug = "".join(c if c.isalnum() else "-" for c in f"{actor}--{issue}".casefold())
    return f"ev-{slug}"


def build_matrix(cells: list[MatrixCell], max_actors: int = 30) -> Matrix:
    per_actor: dict[str, int] = {}
    per_issue: dict[str, int] = {}
    for c in cells:
        per_actor[c.actor] = per_actor.get(c.actor, 0) + c.total
        per_issue[c.issue] = per_issue.get(c.issue, 0) + c.total
    actors = sorted(per_actor, key=lambda a: (-per_actor[a], a))[:max_actors]
    issues = sorted(per_issue, key=lambda i: (-per_issue[i], i))
    keep = set(actors)
    return Matrix(actors, issues, {(c.actor, c.issue): c for c in cells if c.actor in keep})


def timeline_items(store: Store, positions: list[PositionRow]) -> list[TimelineItem]:
    items: list[TimelineItem] = []
    for e in store.events():
        where = f" in {e.place}" if e.place else ""
        items.append(
            TimelineItem(
                e.date or "",
                e.type,
                f"{e.type}{where}",
                ", ".join(e.participants),
                e.evidence,
                e.doc_id,
                f"e{e.id}",
            )
        )
    for a in store.agreements():
        terms = ", ".join(f"{k} {v}" for k, v in a.terms.items())
        what = f"{a.type.replace('_', ' ')} ({a.status})" + (f": {terms}" if terms else "")
        items.append(
            TimelineItem(
                a.date or "",
                "agreement",
                what,
                ", ".join(a.parties),
                a.evidence,
                a.doc_id,
                f"a{a.id}",
                a.status,
            )
        )
    for s in shifts(positions):
        what = f"{s.issue}: {s.before.stance} ({s.before.date}) → {s.after.stance}"
        items.append(
            TimelineItem(
                s.after.date or "",
                "stance shift",
                what,
                s.actor,
                s.after.evidence,
                s.after.doc_id,
                f"p{s.after.id}",
            )
        )
    items.sort(key=lambda i: (i.date == "" or i.date.startswith("--"), i.date))
    return items


def timeline_marks(
    items: list[TimelineItem], positions: list[PositionRow], link: Callable[[str, str], str]
) -> tuple[list[Mark], list[str]]:
    """Marks for the timeline chart: agreements and events on top, then each party's stances."""
    marks: list[Mark] = []
    for it in items:
        if it.kind == "agreement":
            tip = f"{it.date} {it.what}: {it.who}"
            marks.append(Mark("agreements", it.date, "agreement", tip, link(it.doc_id, it.anchor), it.status))
        elif it.kind == "stance shift":
            marks.append(
                Mark(
                    it.who,
                    it.date,
                    "shift",
                    f"{it.date} {it.who} shifts on {it.what}",
                    link(it.doc_id, it.anchor),
                )
            )
        else:
            marks.append(
                Mark("events", it.date, "event", f"{it.date} {it.what}: {it.who}", link(it.doc_id, it.anchor))
            )
    for p in positions:
        if p.date and p.source_kind != "analyst":
            marks.append(
                Mark(
                    p.actor,
                    p.date,
                    p.stance,
                    f"{p.date} {p.actor} {p.stance}s on {p.issue}: {p.evidence}",
                    link(p.doc_id, f"p{p.id}"),
                )
            )
    lanes = busiest_lanes([m for m in marks if m.kind in STANCES], ["agreements", "events"], TIMELINE_ACTORS)
    return marks, lanes


def article_window(documents: list[DocumentRow], margin_days: int = 45) -> tuple[Date, Date] | None:
    """The period the articles cover, widened by a margin: the timeline shows this."""
    days = [d for d in (parse_day(doc.date) for doc in documents) if d is not None]
    if not days:
        return None
    return min(days) - timedelta(days=margin_days), max(days) + timedelta(days=margin_days)


def gather(
    store: Store,
    forecast: ForecastView | None = None,
    forecast_note: str = "",
    title: str = "detente report",
    link: Callable[[str, str], str] | None = None,
) -> ReportData:
    """All the report's records; ``link(doc_id, anchor)`` makes the timeline's links."""
    from detente.report.charts import STANCE_COLOURS

    link = link or (lambda _doc, anchor: f"#{anchor}")
    positions = store.positions()
    matrix = build_matrix(store.stance_matrix())
    evidence: dict[tuple[str, str], list[PositionRow]] = {}
    for p in positions:
        if (p.actor, p.issue) in matrix.cells:
            evidence.setdefault((p.actor, p.issue), []).append(p)
    people = store.people()
    speakers: dict[str, list[PersonRow]] = {}
    for person in people:
        if person.party:
            speakers.setdefault(person.party, []).append(person)
    parties = [
        Party(
            a.name,
            a.positions,
            a.issues,
            a.documents,
            a.first_date,
            a.last_date,
            [
                p.name
                for p in sorted(speakers.get(a.name, []), key=lambda p: (-p.quotes, -p.mentions, p.name))
            ],
        )
        for a in store.actors()
    ]
    items = timeline_items(store, positions)
    marks, lanes = timeline_marks(items, positions, link)
    documents = store.documents()
    return ReportData(
        title=title,
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        stats=store.stats(),
        parties=parties,
        people=sorted(people, key=lambda p: (-p.quotes, -p.mentions, p.name)),
        matrix=matrix,
        evidence=evidence,
        timeline=items,
        timeline_svg=timeline_chart(
            marks, lanes, "Events, agreements and each party's stances over time", article_window(documents)
        ),
        agreements=store.agreements(),
        quotes=store.quotes(),
        documents=documents,
        forecast=forecast,
        forecast_note=forecast_note,
        stance_colours=dict(STANCE_COLOURS),
    )
