"""Read queries behind the report's and the web app's pages: one party, person, issue or document.

Each page reads a bounded amount through an index (the latest N positions, quotes, agreements),
so a page stays fast as the store grows; counts and day-by-day stance histories come from
index-only scans. Functions take an open connection and return the typed rows of ``rows.py``.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from itertools import groupby
from operator import itemgetter

from sqlalchemy import String, and_, bindparam, cast, distinct, func, select, tuple_
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import Select, operators
from sqlalchemy.sql.elements import UnaryExpression

from detente.store import schema as s
from detente.store.rows import (
    ActorDetail,
    ActorRow,
    AgreementRow,
    DocumentRow,
    DocumentView,
    EventRow,
    Highlight,
    IssueDetail,
    IssueRow,
    MatrixCell,
    MentionedPerson,
    PersonDetail,
    PersonRow,
    PositionPage,
    PositionRow,
    QuoteRow,
    StanceCount,
    StancePoint,
)

LATEST = 30  # rows of each kind a page lists
PER_PAGE = 50  # positions on one page of a party's full list


def position_select() -> Select:
    ps, d = s.positions, s.documents
    return select(
        ps.c.id,
        d.c.doc_id,
        d.c.name.label("document_name"),
        ps.c.actor,
        ps.c.issue,
        ps.c.stance,
        ps.c.speaker,
        ps.c.source_kind,
        ps.c.conditional,
        ps.c.red_line,
        ps.c.confidence,
        ps.c.date,
        ps.c.evidence,
        ps.c.sentence,
    ).join(d, d.c.id == ps.c.document_id)


def quote_select() -> Select:
    q, d = s.quotes, s.documents
    return select(
        q.c.id,
        d.c.doc_id,
        d.c.name.label("document_name"),
        d.c.title.label("document_title"),
        d.c.date.label("document_date"),
        q.c.speaker_name,
        q.c.text,
        q.c.kind,
        q.c.cue,
        q.c.start,
        q.c.end,
        q.c.sentence,
        q.c.confidence,
    ).join(d, d.c.id == q.c.document_id)


def agreement_select() -> Select:
    a, d = s.agreements, s.documents
    return select(
        a.c.id,
        d.c.doc_id,
        d.c.name.label("document_name"),
        a.c.type,
        a.c.parties,
        a.c.terms,
        a.c.status,
        func.coalesce(a.c.date, d.c.date).label("date"),
        a.c.evidence,
    ).join(d, d.c.id == a.c.document_id)


def event_select() -> Select:
    e, d = s.events, s.documents
    return select(
        e.c.id,
        d.c.doc_id,
        d.c.name.label("document_name"),
        e.c.type,
        e.c.participants,
        e.c.date,
        e.c.place,
        e.c.evidence,
    ).join(d, d.c.id == e.c.document_id)


def _positions(conn: Connection, stmt: Select) -> list[PositionRow]:
    return [PositionRow(**r._mapping) for r in conn.execute(stmt)]


class NewestFirst(UnaryExpression):
    """``column DESC``, undated last on every database: SQLite sorts NULL lowest, so plain DESC
    (which an index on the column can give without a sort); PostgreSQL sorts NULL highest, so
    ``NULLS LAST`` there."""

    inherit_cache = True

    def __init__(self, column) -> None:
        super().__init__(column, modifier=operators.desc_op, wraps_column_expression=False)


@compiles(NewestFirst, "postgresql")
def _newest_postgresql(element: NewestFirst, compiler, **kw) -> str:
    return compiler.visit_unary(element, **kw) + " NULLS LAST"


def newest(column):
    """Newest first, undated last (see ``NewestFirst``)."""
    return NewestFirst(column)


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _json_pattern(name: str) -> str:
    return f"%{_like_escaped(json.dumps(name))}%"


def _json_has(column):
    """A cheap pre-filter for 'the JSON list in ``column`` holds the name whose pattern is
    ``:pattern``' (:func:`_json_pattern`; checked exactly after)."""
    return cast(column, String).like(bindparam("pattern"), escape="\\")


def _contains_all(column, words: str):
    terms = words.split()
    if not terms:
        return None
    return and_(*(column.ilike(f"%{_like_escaped(w)}%", escape="\\") for w in terms))


HISTORY_STATEMENTS = 600  # a page's stance history reads at most this many latest statements


def _history(conn: Connection, column, value: str) -> list[StancePoint]:
    """Stance runs per (actor, issue), oldest first, from the latest dated statements: each day's
    most confident statement gives the day's stance; consecutive days alike make one run."""
    params = {"value": value, "n": HISTORY_STATEMENTS}
    rows = conn.execute(_built(f"history_by_{column.key}"), params).all()
    # newest first from SQL; a stable sort by (actor, issue, day) keeps each day's statements
    # newest first, so max() picks the most confident and, among equals, the latest
    rows.sort(key=itemgetter(0, 1, 2))
    out: list[StancePoint] = []
    for (actor, issue), series in groupby(rows, key=itemgetter(0, 1)):
        run: list = []  # the open run: first day, stance, confidence, days, last day
        for date, same_day in groupby(series, key=itemgetter(2)):
            stance, conf = max(same_day, key=itemgetter(4))[3:5]
            if run and run[1] == stance:
                run[2], run[3], run[4] = max(run[2], conf), run[3] + 1, date
                continue
            if run:
                out.append(StancePoint(actor, issue, run[0], run[1], run[2], run[3], run[4]))
            run = [date, stance, float(conf), 1, date]
        if run:
            out.append(StancePoint(actor, issue, run[0], run[1], run[2], run[3], run[4]))
    out.sort(key=lambda p: (p.date, p.actor, p.issue))
    return out


def _stance_counts(conn: Connection, column, value: str) -> list[StanceCount]:
    rows = conn.execute(_built(f"counts_by_{column.key}"), {"value": value})
    return [StanceCount(i, st, n) for i, st, n in sorted(rows)]


def _any_of(column):
    return column.in_(bindparam("ids", expanding=True))


def _build(name: str) -> Select:
    ps, p, q, d, r, m = s.positions, s.persons, s.quotes, s.documents, s.person_roles, s.mentions
    a, e = s.agreements, s.events
    match name:
        case "actor_exists":
            return select(ps.c.id).where(ps.c.actor == bindparam("actor")).limit(1)
        case "counts_by_actor" | "counts_by_issue":
            column = ps.c[name.removeprefix("counts_by_")]
            return (
                select(ps.c.issue, ps.c.stance, func.count())
                .where(column == bindparam("value"))
                .group_by(ps.c.issue, ps.c.stance)
            )
        case "history_by_actor" | "history_by_issue":
            column = ps.c[name.removeprefix("history_by_")]
            return (
                select(ps.c.actor, ps.c.issue, ps.c.date, ps.c.stance, ps.c.confidence)
                .where(column == bindparam("value"), ps.c.source_kind != "analyst", ps.c.date.is_not(None))
                .order_by(ps.c.date.desc(), ps.c.id.desc())
                .limit(bindparam("n"))
            )
        case "party_positions":
            return (
                position_select()
                .where(ps.c.actor == bindparam("actor"))
                .order_by(newest(ps.c.date), ps.c.id.desc())
                .limit(bindparam("n"))
                .offset(bindparam("skip"))
            )
        case "party_people":
            return select(p.c.id, p.c.name, p.c.party).where(p.c.party == bindparam("party"))
        case "quotes_by":
            return (
                quote_select()
                .where(_any_of(q.c.speaker_person_id))
                .order_by(newest(d.c.date), q.c.id.desc())
                .limit(bindparam("n"))
            )
        case "roles_of":
            return (
                select(r.c.person_id, r.c.role, r.c.org, func.count().label("n"))
                .where(_any_of(r.c.person_id))
                .group_by(r.c.person_id, r.c.role, r.c.org)
                .order_by(r.c.person_id, r.c.role.nulls_first(), r.c.org.nulls_first())  # ties alike anywhere
            )
        case "mentions_of":
            return select(m.c.person_id, func.count()).where(_any_of(m.c.person_id)).group_by(m.c.person_id)
        case "quotes_of":
            return (
                select(q.c.speaker_person_id, func.count())
                .where(_any_of(q.c.speaker_person_id))
                .group_by(q.c.speaker_person_id)
            )
        case "agreements_recent" | "agreements_everywhere":
            stmt = agreement_select().where(_json_has(a.c.parties))
            if name == "agreements_recent":
                stmt = stmt.where(a.c.document_id.in_(_recent_documents()))
            return stmt.order_by(func.coalesce(a.c.date, d.c.date).desc(), a.c.id.desc()).limit(
                bindparam("n")
            )
        case "events_recent" | "events_everywhere":
            stmt = event_select().where(_json_has(e.c.participants))
            if name == "events_recent":
                stmt = stmt.where(e.c.document_id.in_(_recent_documents()))
            return stmt.order_by(newest(e.c.date), e.c.id.desc()).limit(bindparam("n"))
    raise KeyError(name)


@cache
def _built(name: str) -> Select:
    """The named statement of a party's or an issue's page, values as bound parameters. Built
    once, so a page skips building a dozen statements and working out their cache keys (a
    party page's store reads took 13-14 ms of CPU before, 10 after, on 10,000 articles)."""
    return _build(name)


# ---- lists --------------------------------------------------------------------------------------


def actors(conn: Connection, analysts: bool = False) -> list[ActorRow]:
    ps = s.positions
    stmt = (
        select(
            ps.c.actor,
            func.count().label("positions"),
            func.count(distinct(ps.c.issue)).label("issues"),
            func.count(distinct(ps.c.document_id)).label("documents"),
            func.min(ps.c.date).label("first_date"),
            func.max(ps.c.date).label("last_date"),
        )
        .group_by(ps.c.actor)
        .order_by(func.count().desc(), ps.c.actor)
    )
    if not analysts:
        stmt = stmt.where(ps.c.source_kind != "analyst")
    return [
        ActorRow(r.actor, r.positions, r.issues, r.documents, r.first_date, r.last_date)
        for r in conn.execute(stmt)
    ]


def issues(conn: Connection) -> list[IssueRow]:
    ps = s.positions
    stmt = (
        select(
            ps.c.issue,
            func.count().label("positions"),
            func.count(distinct(ps.c.actor)).label("actors"),
            func.max(ps.c.date).label("last_date"),
        )
        .group_by(ps.c.issue)
        .order_by(func.count().desc(), ps.c.issue)
    )
    return [IssueRow(r.issue, r.positions, r.actors, r.last_date) for r in conn.execute(stmt)]


def resolve_actor(conn: Connection, name: str) -> str | None:
    """The stored spelling of a party's name: exact, else ignoring case; None if unknown."""
    ps = s.positions
    if conn.execute(_built("actor_exists"), {"actor": name}).first():
        return name
    folded = name.casefold()
    for (actor,) in conn.execute(select(ps.c.actor).distinct()):
        if actor.casefold() == folded:
            return actor
    return None


# ---- one party ----------------------------------------------------------------------------------


def actor_detail(conn: Connection, name: str, latest: int = LATEST) -> ActorDetail | None:
    actor = resolve_actor(conn, name)
    if actor is None:
        return None
    ps = s.positions
    counts = _stance_counts(conn, ps.c.actor, actor)
    recent = [
        PositionRow(**r._mapping)
        for r in conn.execute(_built("party_positions"), {"actor": actor, "n": latest, "skip": 0})
    ]
    people_rows = conn.execute(_built("party_people"), {"party": actor}).all()
    people = _person_rows(conn, people_rows)
    people.sort(key=lambda r: (-r.quotes, -r.mentions, r.name))
    ids = [r.id for r in people]
    quotes = (
        [QuoteRow(**r._mapping) for r in conn.execute(_built("quotes_by"), {"ids": ids, "n": latest})]
        if ids
        else []
    )
    return ActorDetail(
        name=actor,
        total_positions=sum(c.count for c in counts),
        counts=counts,
        history=_history(conn, ps.c.actor, actor),
        positions=recent,
        agreements=agreements_with(conn, actor, latest),
        events=events_with(conn, actor, latest),
        people=people,
        quotes=quotes,
    )


def actor_positions(
    conn: Connection, name: str, page: int = 1, per_page: int = PER_PAGE
) -> PositionPage | None:
    """Page ``page`` (from 1) of every position of a party, in the order of its page's latest list;
    a page past the end is empty. Offsets walk the (actor, date) index, so a deep page costs a
    scan of the rows before it, not a sort of them all."""
    if page < 1 or per_page < 1:
        raise ValueError("page and per_page count from 1")
    actor = resolve_actor(conn, name)
    if actor is None:
        return None
    ps = s.positions
    total = conn.execute(select(func.count()).where(ps.c.actor == actor)).scalar_one()
    skip = (page - 1) * per_page
    rows = [
        PositionRow(**r._mapping)
        for r in conn.execute(_built("party_positions"), {"actor": actor, "n": per_page, "skip": skip})
    ]
    pages = max(1, -(-int(total) // per_page))
    return PositionPage(actor, page, per_page, pages, int(total), rows)


SCAN_DOCUMENTS = 300  # a party page looks for agreements and events in this many recent articles


def _recent_documents():
    """The latest articles in which the party ``:party`` takes a position (through the (actor,
    date) index)."""
    ps = s.positions
    return (
        select(ps.c.document_id)
        .where(ps.c.actor == bindparam("party"))
        .order_by(newest(ps.c.date), ps.c.id.desc())
        .limit(SCAN_DOCUMENTS)
        .scalar_subquery()
    )


def agreements_with(
    conn: Connection, party: str, limit: int = LATEST, everywhere: bool = False
) -> list[AgreementRow]:
    """Agreements naming ``party``, newest first: in the articles where it takes its latest
    positions (bounded work on a page), or in every article with ``everywhere``."""
    stmt = _built("agreements_everywhere" if everywhere else "agreements_recent")
    params = {"party": party, "pattern": _json_pattern(party), "n": 2 * limit}
    rows = [AgreementRow(**r._mapping) for r in conn.execute(stmt, params)]
    return [r for r in rows if party in r.parties][:limit]


def events_with(
    conn: Connection, participant: str, limit: int = LATEST, everywhere: bool = False
) -> list[EventRow]:
    """Events naming ``participant``, newest first (bounded like :func:`agreements_with`)."""
    stmt = _built("events_everywhere" if everywhere else "events_recent")
    params = {"party": participant, "pattern": _json_pattern(participant), "n": 2 * limit}
    rows = [EventRow(**r._mapping) for r in conn.execute(stmt, params)]
    return [r for r in rows if participant in r.participants][:limit]


# ---- one person ---------------------------------------------------------------------------------


def _person_rows(conn: Connection, persons: list) -> list[PersonRow]:
    """PersonRows (roles, document, mention and quote counts) for the given (id, name, party) rows."""
    if not persons:
        return []
    ids = {"ids": [p.id for p in persons]}
    roles: dict[int, Counter[str]] = {}
    docs: Counter[int] = Counter()
    for row in conn.execute(_built("roles_of"), ids):
        docs[row.person_id] += row.n
        label = ", ".join(x for x in (row.role, row.org) if x)
        if label:
            roles.setdefault(row.person_id, Counter())[label] += row.n
    mentions = dict(conn.execute(_built("mentions_of"), ids).all())
    quoted = dict(conn.execute(_built("quotes_of"), ids).all())
    return [
        PersonRow(
            id=p.id,
            name=p.name,
            party=p.party,
            roles=[k for k, _ in roles.get(p.id, Counter()).most_common()],
            documents=docs[p.id],
            mentions=mentions.get(p.id, 0),
            quotes=quoted.get(p.id, 0),
        )
        for p in persons
    ]


def person_detail(conn: Connection, person_id: int, latest: int = LATEST) -> PersonDetail | None:
    p, r, q, d, ps = s.persons, s.person_roles, s.quotes, s.documents, s.positions
    row = conn.execute(select(p.c.id, p.c.name, p.c.party).where(p.c.id == person_id)).first()
    if row is None:
        return None
    (person,) = _person_rows(conn, [row])
    quotes = [
        QuoteRow(**x._mapping)
        for x in conn.execute(
            quote_select()
            .where(q.c.speaker_person_id == person_id)
            .order_by(newest(d.c.date), q.c.id.desc())
            .limit(latest)
        )
    ]
    documents = [
        DocumentRow(**x._mapping)
        for x in conn.execute(
            select(
                d.c.doc_id, d.c.name, d.c.source, d.c.url, d.c.title, d.c.date, d.c.language, d.c.ingested_at
            )
            .join(r, r.c.document_id == d.c.id)
            .where(r.c.person_id == person_id)
            .order_by(newest(d.c.date), d.c.id.desc())
            .limit(latest)
        )
    ]
    positions = _positions(
        conn,
        position_select()
        .where(ps.c.speaker == person.name)
        .order_by(newest(ps.c.date), ps.c.id.desc())
        .limit(latest),
    )
    return PersonDetail(person, quotes, documents, positions)


# ---- one issue ----------------------------------------------------------------------------------


def issue_detail(conn: Connection, issue: str, latest: int = LATEST) -> IssueDetail | None:
    ps = s.positions
    total = conn.execute(select(func.count()).where(ps.c.issue == issue)).scalar_one()
    if not total:
        return None
    own = and_(ps.c.issue == issue, ps.c.source_kind != "analyst")
    last_day = conn.execute(select(ps.c.actor, func.max(ps.c.date)).where(own).group_by(ps.c.actor)).all()
    pairs = [(a, d) for a, d in last_day if d is not None]
    latest_rows: dict[str, PositionRow] = {}
    if pairs:
        stmt = (
            position_select()
            .where(own, tuple_(ps.c.actor, ps.c.date).in_(pairs))
            .order_by(ps.c.actor, ps.c.confidence.desc(), ps.c.id.desc())
        )
        for row in _positions(conn, stmt):
            latest_rows.setdefault(row.actor, row)
    recent = _positions(
        conn,
        position_select()
        .where(ps.c.issue == issue)
        .order_by(newest(ps.c.date), ps.c.id.desc())
        .limit(latest),
    )
    history = _history(conn, ps.c.issue, issue)
    return IssueDetail(issue, int(total), list(latest_rows.values()), history, recent)


# ---- one document -------------------------------------------------------------------------------


def document_view(conn: Connection, doc_id: str) -> DocumentView | None:
    d, p, m, q, r = s.documents, s.persons, s.mentions, s.quotes, s.person_roles
    ps, a, e = s.positions, s.agreements, s.events
    doc = conn.execute(
        select(
            d.c.id,
            d.c.doc_id,
            d.c.name,
            d.c.source,
            d.c.url,
            d.c.title,
            d.c.date,
            d.c.language,
            d.c.ingested_at,
            d.c.text,
        ).where(d.c.doc_id == doc_id)
    ).first()
    if doc is None:
        return None
    row_id = doc.id
    fields = dict(doc._mapping)
    fields.pop("id")
    document = DocumentRow(**fields)
    highlights: list[Highlight] = []
    people: list[MentionedPerson] = []
    counts: Counter[int] = Counter()
    names: dict[int, str] = {}
    for x in conn.execute(
        select(m.c.id, m.c.person_id, m.c.start, m.c.end, p.c.name)
        .join(p, p.c.id == m.c.person_id)
        .where(m.c.document_id == row_id)
    ):
        counts[x.person_id] += 1
        names[x.person_id] = x.name
        highlights.append(Highlight("mention", x.start, x.end, f"m{x.person_id}", x.name, x.person_id))
    for x in conn.execute(
        select(p.c.id, p.c.name, p.c.party, r.c.role, r.c.org)
        .join(r, r.c.person_id == p.c.id)
        .where(r.c.document_id == row_id)
        .order_by(p.c.name)
    ):
        role = ", ".join(v for v in (x.role, x.org) if v) or None
        people.append(MentionedPerson(x.id, x.name, x.party, role, counts.get(x.id, 0)))
    people.sort(key=lambda x: (-x.mentions, x.name))
    for x in conn.execute(
        select(
            q.c.id,
            q.c.speaker_person_id,
            q.c.speaker_name,
            q.c.start,
            q.c.end,
            q.c.speaker_start,
            q.c.speaker_end,
            q.c.cue,
            q.c.cue_start,
            q.c.cue_end,
        ).where(q.c.document_id == row_id)
    ):
        who = x.speaker_name or "unknown speaker"
        highlights.append(Highlight("quote", x.start, x.end, f"q{x.id}", f"quote by {who}"))
        if x.speaker_start is not None and x.speaker_end is not None:
            highlights.append(
                Highlight(
                    "speaker",
                    x.speaker_start,
                    x.speaker_end,
                    f"q{x.id}",
                    f"speaker: {who}",
                    x.speaker_person_id,
                )
            )
        if x.cue_start is not None and x.cue_end is not None:
            highlights.append(Highlight("cue", x.cue_start, x.cue_end, f"q{x.id}", f"cue: {x.cue or ''}"))
    quotes = [
        QuoteRow(**x._mapping)
        for x in conn.execute(quote_select().where(q.c.document_id == row_id).order_by(q.c.start))
    ]
    positions = _positions(conn, position_select().where(ps.c.document_id == row_id).order_by(ps.c.start))
    for x in conn.execute(
        select(ps.c.id, ps.c.start, ps.c.end, ps.c.actor, ps.c.issue, ps.c.stance).where(
            ps.c.document_id == row_id
        )
    ):
        highlights.append(
            Highlight("position", x.start, x.end, f"p{x.id}", f"{x.actor}: {x.stance} on {x.issue}")
        )
    agreements = [
        AgreementRow(**x._mapping)
        for x in conn.execute(agreement_select().where(a.c.document_id == row_id).order_by(a.c.start))
    ]
    for x in conn.execute(
        select(a.c.id, a.c.start, a.c.end, a.c.type, a.c.status).where(a.c.document_id == row_id)
    ):
        highlights.append(Highlight("agreement", x.start, x.end, f"a{x.id}", f"{x.type} ({x.status})"))
    events = [
        EventRow(**x._mapping)
        for x in conn.execute(event_select().where(e.c.document_id == row_id).order_by(e.c.start))
    ]
    for x in conn.execute(select(e.c.id, e.c.start, e.c.end, e.c.type).where(e.c.document_id == row_id)):
        highlights.append(Highlight("event", x.start, x.end, f"e{x.id}", f"event: {x.type}"))
    n = len(document.text or "")
    highlights = [h for h in highlights if 0 <= h.start < h.end <= n]
    highlights.sort(key=lambda h: (h.start, -h.end))
    return DocumentView(document, people, quotes, positions, agreements, events, highlights)


def latest_documents(conn: Connection, limit: int = 20) -> list[DocumentRow]:
    d = s.documents
    stmt = (
        select(d.c.doc_id, d.c.name, d.c.source, d.c.url, d.c.title, d.c.date, d.c.language, d.c.ingested_at)
        .order_by(newest(d.c.date), d.c.id.desc())
        .limit(limit)
    )
    return [DocumentRow(**r._mapping) for r in conn.execute(stmt)]


def people_named(conn: Connection, words: str, limit: int = 20) -> list[PersonRow]:
    """People whose name contains every word of ``words`` (case-insensitive)."""
    p = s.persons
    cond = _contains_all(p.c.name, words)
    if cond is None:
        return []
    rows = conn.execute(select(p.c.id, p.c.name, p.c.party).where(cond).order_by(p.c.name).limit(limit)).all()
    return _person_rows(conn, rows)


def actors_named(conn: Connection, words: str, limit: int = 20) -> list[str]:
    """Parties whose name contains every word of ``words`` (case-insensitive)."""
    ps = s.positions
    cond = _contains_all(ps.c.actor, words)
    if cond is None:
        return []
    return [
        r[0]
        for r in conn.execute(select(ps.c.actor).distinct().where(cond).order_by(ps.c.actor).limit(limit))
    ]


def stance_matrix(conn: Connection, analysts: bool = False) -> list[MatrixCell]:
    """Every (party, issue) with its latest dated stance and the count of each stance."""
    ps, d = s.positions, s.documents
    stmt = select(ps.c.id, ps.c.actor, ps.c.issue, ps.c.date, ps.c.stance, ps.c.confidence, d.c.doc_id).join(
        d, d.c.id == ps.c.document_id
    )
    if not analysts:
        stmt = stmt.where(ps.c.source_kind != "analyst")
    best: dict[tuple[str, str], tuple] = {}
    counts: dict[tuple[str, str], Counter[str]] = {}
    for r in conn.execute(stmt):
        key = (r.actor, r.issue)
        counts.setdefault(key, Counter())[r.stance] += 1
        rank = (r.date is not None, r.date or "", r.confidence, r.id)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, r)
    out = []
    for key, (rank, r) in best.items():
        c = counts[key]
        stance = r.stance if rank[0] else c.most_common(1)[0][0]
        out.append(MatrixCell(r.actor, r.issue, stance, r.date, r.id, r.doc_id, dict(c)))
    out.sort(key=lambda m: (m.actor, m.issue))
    return out
