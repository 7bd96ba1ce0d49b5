"""Full-text search per dialect: SQLite's FTS5 or PostgreSQL's text search, behind the same calls.

User input never reaches a query language directly: words become terms (all required), and a
"quoted phrase" stays a phrase, so no query can raise a syntax error on either database.

- SQLite: an FTS5 table over title and text (external content, rows added with each document),
  Unicode tokens with diacritics removed, ranked by BM25.
- PostgreSQL: a GIN expression index over ``to_tsvector('detente', title || text)``. The
  ``detente`` configuration is English (stemming, stop words) with accents removed when the
  ``unaccent`` extension can be created, plain English otherwise; ranked by ``ts_rank_cd``,
  snippets from ``ts_headline``.
"""

from __future__ import annotations

import logging
import re

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)

SNIPPET_OPEN, SNIPPET_CLOSE = "[[", "]]"
PG_CONFIG = "detente"
PG_DOCUMENT = f"to_tsvector('{PG_CONFIG}', coalesce(d.title, '') || ' ' || d.text)"


def query_parts(user_query: str) -> list[str]:
    """The required parts of a free-text query: single words, or phrases as space-joined words."""
    parts: list[str] = []
    for phrase, word in re.findall(r'"([^"]+)"|(\S+)', user_query):
        tokens = re.findall(r"\w+", phrase or word, flags=re.UNICODE)
        if tokens:
            parts.append(" ".join(tokens))
    return parts


def fts5_query(user_query: str) -> str | None:
    """A safe FTS5 MATCH expression for free text, or None when nothing is searchable."""
    parts = query_parts(user_query)
    return " AND ".join(f'"{p}"' for p in parts) if parts else None


def create(conn: Connection) -> None:
    """The search structures for this connection's database (idempotent)."""
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(title, text, "
                "content='documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
            )
        )
    elif conn.dialect.name == "postgresql":
        _create_pg(conn)


def _create_pg(conn: Connection) -> None:
    exists = conn.execute(text("SELECT 1 FROM pg_ts_config WHERE cfgname = :n"), {"n": PG_CONFIG}).first()
    if not exists:
        unaccent = _try(conn, "CREATE EXTENSION IF NOT EXISTS unaccent")
        conn.execute(text(f"CREATE TEXT SEARCH CONFIGURATION {PG_CONFIG} (COPY = english)"))
        if unaccent:
            conn.execute(
                text(
                    f"ALTER TEXT SEARCH CONFIGURATION {PG_CONFIG} ALTER MAPPING "
                    "FOR hword, hword_part, word WITH unaccent, english_stem"
                )
            )
        else:
            log.warning("PostgreSQL: no unaccent extension; search will not fold accents")
    conn.execute(
        text(
            "CREATE INDEX IF NOT EXISTS ix_documents_fulltext ON documents USING GIN "
            f"((to_tsvector('{PG_CONFIG}', coalesce(title, '') || ' ' || text)))"
        )
    )


def _try(conn: Connection, statement: str) -> bool:
    """Run a statement that may be refused (no privilege, no contrib package) without losing the
    transaction: a savepoint takes the failure."""
    try:
        with conn.begin_nested():
            conn.execute(text(statement))
    except DBAPIError as e:
        log.info("PostgreSQL refused %r: %s", statement, e.orig)
        return False
    return True


def index(conn: Connection, rowid: int, title: str | None, body: str) -> None:
    """Make a newly stored document searchable (PostgreSQL's index follows the table by itself)."""
    if conn.dialect.name == "sqlite":
        conn.execute(
            text("INSERT INTO documents_fts(rowid, title, text) VALUES (:id, :title, :text)"),
            {"id": rowid, "title": title or "", "text": body},
        )


def search(conn: Connection, user_query: str, limit: int) -> list[dict]:
    """Best matches first: doc_id, name, title, date, snippet (matches in [[ ]]) and rank."""
    if conn.dialect.name == "postgresql":
        return _search_pg(conn, user_query, limit)
    return _search_sqlite(conn, user_query, limit)


def _search_sqlite(conn: Connection, user_query: str, limit: int) -> list[dict]:
    match = fts5_query(user_query)
    if match is None:
        return []
    rows = conn.execute(
        text(
            "SELECT d.doc_id, d.name, d.title, d.date, "
            f"snippet(documents_fts, 1, '{SNIPPET_OPEN}', '{SNIPPET_CLOSE}', ' … ', 16) AS snippet, "
            "bm25(documents_fts) AS rank "
            "FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid "
            "WHERE documents_fts MATCH :q ORDER BY rank LIMIT :limit"
        ),
        {"q": match, "limit": limit},
    )
    return [dict(r._mapping) for r in rows]


def _search_pg(conn: Connection, user_query: str, limit: int) -> list[dict]:
    parts = query_parts(user_query)
    if not parts:
        return []
    params: dict[str, object] = {f"p{i}": p for i, p in enumerate(parts)}
    params["limit"] = limit
    tsquery = " && ".join(f"phraseto_tsquery('{PG_CONFIG}', :p{i})" for i in range(len(parts)))
    options = f'StartSel={SNIPPET_OPEN}, StopSel={SNIPPET_CLOSE}, MaxWords=16, MinWords=6, MaxFragments=2, FragmentDelimiter=" … "'
    rows = conn.execute(
        text(
            "SELECT d.doc_id, d.name, d.title, d.date, "
            f"ts_headline('{PG_CONFIG}', d.text, q.q, '{options}') AS snippet, "
            f"-ts_rank_cd({PG_DOCUMENT}, q.q) AS rank "
            f"FROM documents d, (SELECT {tsquery} AS q) AS q "
            f"WHERE numnode(q.q) > 0 AND {PG_DOCUMENT} @@ q.q "
            "ORDER BY rank, d.id LIMIT :limit"
        ),
        params,
    )
    return [dict(r._mapping) for r in rows]
