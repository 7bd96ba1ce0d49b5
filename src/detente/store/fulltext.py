"""Full-text search per dialect: SQLite's FTS5 now; PostgreSQL's tsvector fits behind the same calls.

User input never reaches FTS syntax directly: words become quoted terms (all required), and a
"quoted phrase" stays a phrase, so no query can raise a syntax error.
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.engine import Connection

SNIPPET_OPEN, SNIPPET_CLOSE = "[[", "]]"


def fts5_query(user_query: str) -> str | None:
    """A safe FTS5 MATCH expression for free text, or None when nothing is searchable."""
    parts: list[str] = []
    for phrase, word in re.findall(r'"([^"]+)"|(\S+)', user_query):
        chunk = phrase or word
        tokens = re.findall(r"\w+", chunk, flags=re.UNICODE)
        if not tokens:
            continue
        parts.append('"' + " ".join(tokens) + '"')
    return " AND ".join(parts) if parts else None


def create_sqlite(conn: Connection) -> None:
    conn.execute(
        text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5("
            "title, text, content='documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
        )
    )


def index_sqlite(conn: Connection, rowid: int, title: str | None, body: str) -> None:
    conn.execute(
        text("INSERT INTO documents_fts(rowid, title, text) VALUES (:id, :title, :text)"),
        {"id": rowid, "title": title or "", "text": body},
    )


def search_sqlite(conn: Connection, user_query: str, limit: int) -> list[dict]:
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
