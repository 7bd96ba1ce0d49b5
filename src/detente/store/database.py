"""The store: one transaction per document, no duplicates, people merged across documents."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, func, insert, select
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError

from detente.records import Extraction, Person, Problem
from detente.store import fulltext, pages
from detente.store import schema as s
from detente.store.rows import (
    ActorDetail,
    ActorRow,
    AgreementRow,
    DocumentRow,
    DocumentView,
    EventRow,
    IssueDetail,
    IssueRow,
    MatrixCell,
    PersonDetail,
    PersonRow,
    PositionPage,
    PositionRow,
    QuoteRow,
    SearchHit,
)

WRITE_LOCK = 0x64E7E47E  # the advisory lock key PostgreSQL writers take in turn


def person_key(name: str) -> str:
    """Case-, accent- and punctuation-free key of a person's name."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def same_person(a: str, b: str) -> bool:
    """Spelling variants of one name: same first initial and a near-identical surname
    ("Volodymyr Zelenskyy" / "Volodymyr Zelenskiy"); never "Joe Biden" and "Hunter Biden"."""
    ta, tb = a.split(), b.split()
    if not ta or not tb or len(ta) < 2 or len(tb) < 2:
        return a == b
    if ta[0][0] != tb[0][0]:
        return False
    return ta[-1] == tb[-1] or SequenceMatcher(None, ta[-1], tb[-1]).ratio() >= 0.8


def database_url(db: str) -> str:
    """A SQLAlchemy URL for a file path or URL; ``postgresql://`` and ``postgres://`` use psycopg 3."""
    if "://" not in db:
        return f"sqlite:///{Path(db).expanduser()}"
    for plain in ("postgresql://", "postgres://"):
        if db.startswith(plain):
            return "postgresql+psycopg://" + db[len(plain) :]
    return db


def describe_url(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True) if "://" in url else url


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """Documents and everything extracted from them, in SQLite (default) or PostgreSQL.

    Several processes may write to one database at once (two ingests, a Dask run beside a
    command-line one): each document is written in one transaction, and writing transactions
    take turns (PostgreSQL: a transaction-level advisory lock; SQLite: ``BEGIN IMMEDIATE``), so
    the check for an already stored document and the merging of people into earlier ones see
    every committed document. Extraction, the slow part, runs outside of these turns.
    """

    def __init__(self, db: str) -> None:
        self.url = database_url(db)
        self.sqlite = self.url.startswith("sqlite")
        if self.sqlite:
            self.engine: Engine = create_engine(self.url)
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True)
        self.writer = self.engine.execution_options(detente_write=True)
        with self._write() as conn:
            s.metadata.create_all(conn)
            for table in s.metadata.sorted_tables:  # indexes added since a store was made
                for index in table.indexes:
                    index.create(conn, checkfirst=True)
            for name in s.RETIRED_INDEXES:  # superseded by a wider index: only slows writes
                conn.execute(sql_text(f"DROP INDEX IF EXISTS {name}"))
            fulltext.create(conn)
            if conn.execute(select(s.meta.c.value).where(s.meta.c.key == "schema_version")).first() is None:
                conn.execute(insert(s.meta).values(key="schema_version", value=str(s.SCHEMA_VERSION)))

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A writing transaction, taken in turn with every other writer of the database."""
        with self.writer.begin() as conn:
            if not self.sqlite:
                conn.execute(sql_text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})
            yield conn

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    # ---- writing --------------------------------------------------------------------------
    def has(self, doc_id: str) -> bool:
        with self.engine.connect() as conn:
            return (
                conn.execute(select(s.documents.c.id).where(s.documents.c.doc_id == doc_id)).first()
                is not None
            )

    def add(self, extraction: Extraction) -> bool:
        """Store one document and its extractions in one transaction; False if already stored."""
        try:
            with self._write() as conn:
                return self._add(conn, extraction)
        except IntegrityError:
            if self.has(extraction.document.doc_id):
                return False  # stored meanwhile by another writer: the unique doc_id keeps one copy
            raise

    def _add(self, conn: Connection, ex: Extraction) -> bool:
        doc = ex.document
        if conn.execute(select(s.documents.c.id).where(s.documents.c.doc_id == doc.doc_id)).first():
            return False
        doc_row = conn.execute(
            insert(s.documents).values(
                doc_id=doc.doc_id,
                name=doc.name,
                source=doc.source,
                url=doc.url,
                title=doc.title,
                date=doc.date,
                date_source=doc.date_source,
                language=doc.language,
                text=doc.text,
                ingested_at=_now(),
            )
        ).inserted_primary_key[0]
        fulltext.index(conn, doc_row, doc.title, doc.text)
        person_ids: dict[str, int] = {}
        for person in ex.people:
            pid = self._person_id(conn, person)
            merged = pid in person_ids.values()  # two spellings of one person in this document
            person_ids[person.name] = pid
            if not merged:
                conn.execute(
                    insert(s.person_roles).values(
                        person_id=pid,
                        document_id=doc_row,
                        name_in_document=person.name,
                        role=person.role,
                        org=person.org,
                        party=person.party,
                    )
                )
            if person.mentions:
                conn.execute(
                    insert(s.mentions),
                    [
                        {
                            "document_id": doc_row,
                            "person_id": pid,
                            "start": m.start,
                            "end": m.end,
                            "text": m.text,
                            "kind": m.kind,
                        }
                        for m in person.mentions
                    ],
                )
        if ex.quotes:
            conn.execute(
                insert(s.quotes),
                [
                    {
                        "document_id": doc_row,
                        "speaker_person_id": person_ids.get(q.speaker) if q.speaker else None,
                        "speaker_name": q.speaker,
                        "text": q.text,
                        "kind": q.kind,
                        "start": q.start,
                        "end": q.end,
                        "speaker_start": q.speaker_span.start if q.speaker_span else None,
                        "speaker_end": q.speaker_span.end if q.speaker_span else None,
                        "cue": q.cue,
                        "cue_start": q.cue_span.start if q.cue_span else None,
                        "cue_end": q.cue_span.end if q.cue_span else None,
                        "sentence": q.sentence,
                        "confidence": q.confidence,
                    }
                    for q in ex.quotes
                ],
            )
        for table, records in (
            (s.positions, ex.positions),
            (s.agreements, ex.agreements),
            (s.events, ex.events),
        ):
            if records:
                conn.execute(insert(table), [_record_values(doc_row, r, table) for r in records])
        return True

    def _person_id(self, conn: Connection, person: Person) -> int:
        key = person_key(person.name)
        row = conn.execute(
            select(s.persons.c.id, s.persons.c.party).where(s.persons.c.name_key == key)
        ).first()
        if row is None and " " in key:
            initial = key[0]
            for cand in conn.execute(
                select(s.persons.c.id, s.persons.c.name_key).where(s.persons.c.name_key.like(f"{initial}% %"))
            ):
                if same_person(cand.name_key, key):
                    row = cand
                    break
        if row is not None:
            if person.party:
                conn.execute(
                    s.persons.update()
                    .where(s.persons.c.id == row.id, s.persons.c.party.is_(None))
                    .values(party=person.party)
                )
            return int(row.id)
        return int(
            conn.execute(
                insert(s.persons).values(
                    name=person.name, name_key=key, party=person.party, gender=person.gender
                )
            ).inserted_primary_key[0]
        )

    def record_problem(self, problem: Problem) -> None:
        """Log an input that could not be used; the same problem seen again only updates its time."""
        p = s.problems
        with self._write() as conn:
            same = (
                (p.c.source == problem.source) & (p.c.stage == problem.stage) & (p.c.reason == problem.reason)
            )
            if conn.execute(p.update().where(same).values(at=_now())).rowcount == 0:
                conn.execute(
                    insert(p).values(
                        source=problem.source, stage=problem.stage, reason=problem.reason, at=_now()
                    )
                )

    # ---- reading ----------------------------------------------------------------------------
    def documents(self, limit: int | None = None) -> list[DocumentRow]:
        d = s.documents
        q = select(
            d.c.doc_id, d.c.name, d.c.source, d.c.url, d.c.title, d.c.date, d.c.language, d.c.ingested_at
        )
        q = q.order_by(d.c.date.desc().nulls_last(), d.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [DocumentRow(**r._mapping) for r in conn.execute(q)]

    def document(self, doc_id: str) -> DocumentRow | None:
        d = s.documents
        q = select(
            d.c.doc_id,
            d.c.name,
            d.c.source,
            d.c.url,
            d.c.title,
            d.c.date,
            d.c.language,
            d.c.ingested_at,
            d.c.text,
        )
        with self.engine.connect() as conn:
            r = conn.execute(q.where(d.c.doc_id == doc_id)).first()
        return DocumentRow(**r._mapping) if r else None

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        with self.engine.connect() as conn:
            return [SearchHit(**r) for r in fulltext.search(conn, query, limit)]

    def quotes(
        self, speaker: str | None = None, doc_id: str | None = None, limit: int | None = None
    ) -> list[QuoteRow]:
        q, d = s.quotes, s.documents
        stmt = pages.quote_select().order_by(d.c.date.desc().nulls_last(), d.c.id, q.c.start)
        if doc_id:
            stmt = stmt.where(d.c.doc_id == doc_id)
        with self.engine.connect() as conn:
            rows = [QuoteRow(**r._mapping) for r in conn.execute(stmt)]
        if speaker:
            rows = [r for r in rows if _speaker_matches(speaker, r.speaker_name)]
        return rows[:limit] if limit else rows

    def people(self, name: str | None = None) -> list[PersonRow]:
        p, r, m, q = s.persons, s.person_roles, s.mentions, s.quotes
        with self.engine.connect() as conn:
            persons = conn.execute(select(p.c.id, p.c.name, p.c.party).order_by(p.c.name)).all()
            roles: dict[int, Counter[str]] = {}
            docs: Counter[int] = Counter()
            for row in conn.execute(select(r.c.person_id, r.c.role, r.c.org).order_by(r.c.id)):
                docs[row.person_id] += 1
                label = ", ".join(x for x in (row.role, row.org) if x)
                if label:
                    roles.setdefault(row.person_id, Counter())[label] += 1
            mentions = dict(conn.execute(select(m.c.person_id, func.count()).group_by(m.c.person_id)).all())
            quoted = dict(
                conn.execute(
                    select(q.c.speaker_person_id, func.count())
                    .where(q.c.speaker_person_id.is_not(None))
                    .group_by(q.c.speaker_person_id)
                ).all()
            )
        out = [
            PersonRow(
                id=row.id,
                name=row.name,
                party=row.party,
                roles=[k for k, _ in roles.get(row.id, Counter()).most_common()],
                documents=docs[row.id],
                mentions=mentions.get(row.id, 0),
                quotes=quoted.get(row.id, 0),
            )
            for row in persons
        ]
        if name:
            out = [x for x in out if _speaker_matches(name, x.name)]
        return out

    def positions(self, actor: str | None = None, issue: str | None = None) -> list[PositionRow]:
        ps = s.positions
        stmt = pages.position_select().order_by(ps.c.actor, ps.c.issue, ps.c.date.nulls_last(), ps.c.id)
        if issue:
            stmt = stmt.where(ps.c.issue == issue)
        with self.engine.connect() as conn:
            rows = [PositionRow(**r._mapping) for r in conn.execute(stmt)]
        if actor:
            rows = [r for r in rows if person_key(actor) == person_key(r.actor)]
        return rows

    def agreements(self, party: str | None = None) -> list[AgreementRow]:
        a, d = s.agreements, s.documents
        stmt = pages.agreement_select().order_by(func.coalesce(a.c.date, d.c.date).nulls_last(), a.c.id)
        with self.engine.connect() as conn:
            rows = [AgreementRow(**r._mapping) for r in conn.execute(stmt)]
        if party:
            rows = [r for r in rows if any(person_key(party) == person_key(p) for p in r.parties)]
        return rows

    def events(self) -> list[EventRow]:
        e = s.events
        stmt = pages.event_select().order_by(e.c.date.nulls_last(), e.c.id)
        with self.engine.connect() as conn:
            return [EventRow(**r._mapping) for r in conn.execute(stmt)]

    # ---- pages: one party, person, issue or document (see store/pages.py) ---------------------
    def actors(self) -> list[ActorRow]:
        with self.engine.connect() as conn:
            return pages.actors(conn)

    def issues(self) -> list[IssueRow]:
        with self.engine.connect() as conn:
            return pages.issues(conn)

    def actor(self, name: str, latest: int = pages.LATEST) -> ActorDetail | None:
        with self.engine.connect() as conn:
            return pages.actor_detail(conn, name, latest)

    def actor_positions(
        self, name: str, page: int = 1, per_page: int = pages.PER_PAGE
    ) -> PositionPage | None:
        with self.engine.connect() as conn:
            return pages.actor_positions(conn, name, page, per_page)

    def person(self, person_id: int, latest: int = pages.LATEST) -> PersonDetail | None:
        with self.engine.connect() as conn:
            return pages.person_detail(conn, person_id, latest)

    def issue(self, issue: str, latest: int = pages.LATEST) -> IssueDetail | None:
        with self.engine.connect() as conn:
            return pages.issue_detail(conn, issue, latest)

    def document_view(self, doc_id: str) -> DocumentView | None:
        with self.engine.connect() as conn:
            return pages.document_view(conn, doc_id)

    def latest_documents(self, limit: int = 20) -> list[DocumentRow]:
        with self.engine.connect() as conn:
            return pages.latest_documents(conn, limit)

    def stance_matrix(self) -> list[MatrixCell]:
        with self.engine.connect() as conn:
            return pages.stance_matrix(conn)

    def find_names(self, words: str, limit: int = 20) -> tuple[list[PersonRow], list[str]]:
        """People and parties whose names hold every word of ``words``."""
        with self.engine.connect() as conn:
            return pages.people_named(conn, words, limit), pages.actors_named(conn, words, limit)

    def stats(self) -> dict[str, int]:
        tables = {
            "documents": s.documents,
            "people": s.persons,
            "mentions": s.mentions,
            "quotes": s.quotes,
            "positions": s.positions,
            "agreements": s.agreements,
            "events": s.events,
            "problems": s.problems,
        }
        with self.engine.connect() as conn:
            return {
                k: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                for k, t in tables.items()
            }


def _speaker_matches(query: str, name: str | None) -> bool:
    """Full name or surname, case- and accent-insensitive ("putin" finds "Vladimir Putin")."""
    if not name:
        return False
    q, n = person_key(query), person_key(name)
    qt, nt = q.split(), n.split()
    return q == n or q in nt or nt[-len(qt) :] == qt or (len(qt) > 1 and same_person(q, n))


def _record_values(doc_row: int, record: Any, table: Any) -> dict[str, Any]:
    """A position, agreement or event as a row: same-named fields, plus its evidence."""
    ev = record.evidence
    values: dict[str, Any] = {"document_id": doc_row, "start": ev.start, "end": ev.end}
    values.update(evidence=ev.text, sentence=ev.sentence)
    for column in (c.name for c in table.columns):
        if column not in values and column != "id" and hasattr(record, column):
            value = getattr(record, column)
            values[column] = (
                list(value) if isinstance(value, list) else dict(value) if isinstance(value, dict) else value
            )
    return values


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # transactions begin in _sqlite_begin, not in the driver
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA cache_size=-32000")  # 32 MB of pages per connection: pages read often stay
    cur.execute("PRAGMA mmap_size=268435456")  # reads through the OS page cache, without copies
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    """Writers take the write lock when they begin (so two never deadlock upgrading a read lock)."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("detente_write") else "BEGIN")
