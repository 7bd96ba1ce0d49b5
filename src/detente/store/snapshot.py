"""A database's contents in a canonical form, to compare two databases (or one before and after).

Row ids, ingestion times and problem times differ between runs that stored the same things,
so they are left out; a row's document is named by its ``doc_id`` and a person by the key of
their name. Rows are sorted, so the order in which they were written does not matter either.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from detente.store import schema as s

SKIPPED = {"id", "ingested_at", "at"}
TABLES = (
    s.documents,
    s.persons,
    s.person_roles,
    s.mentions,
    s.quotes,
    s.positions,
    s.agreements,
    s.events,
    s.problems,
)


def snapshot(store: Any) -> dict[str, list[tuple]]:
    """Every table as a sorted list of rows (tuples of ``(column, value)`` pairs)."""
    out: dict[str, list[tuple]] = {}
    with store.engine.connect() as conn:
        doc_ids = dict(conn.execute(select(s.documents.c.id, s.documents.c.doc_id)).all())
        person_keys = dict(conn.execute(select(s.persons.c.id, s.persons.c.name_key)).all())
        for table in TABLES:
            rows = []
            for row in conn.execute(select(table)):
                values = []
                for column, value in row._mapping.items():
                    if column in SKIPPED:
                        continue
                    if column == "document_id":
                        column, value = "doc_id", doc_ids.get(value)
                    elif column in ("person_id", "speaker_person_id"):
                        value = person_keys.get(value)
                    values.append((column, value))
                rows.append(tuple(values))
            out[table.name] = sorted(rows, key=repr)
    return out


def by_document(snap: dict[str, list[tuple]]) -> dict[str, dict[str, list[tuple]]]:
    """The rows of each document (its own row, roles, mentions, quotes, positions, ...), by doc_id."""
    out: dict[str, dict[str, list[tuple]]] = {}
    for table, rows in snap.items():
        for row in rows:
            doc_id = dict(row).get("doc_id")
            if doc_id is not None:
                out.setdefault(doc_id, {}).setdefault(table, []).append(row)
    return out
