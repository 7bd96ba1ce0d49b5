"""The database schema (SQLAlchemy Core): readable tables a person can open in any SQL tool.

Every extracted row points at its document and carries character offsets into the document's
cleaned text (``start``/``end``) and the sentence, so the evidence for it can always be shown.
The same tables serve SQLite and PostgreSQL; only full-text search differs per dialect.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_VERSION = 1

metadata = MetaData()


def evidence_columns() -> list[Column]:
    """Where an extracted item stands in its document: offsets into the text, the words, the sentence."""
    return [
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
        Column("evidence", Text, nullable=False),
        Column("sentence", Text, nullable=False),
    ]


meta = Table("meta", metadata, Column("key", String(64), primary_key=True), Column("value", Text))

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("doc_id", String(32), nullable=False, unique=True, comment="hash of the normalised text"),
    Column("name", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("title", Text),
    Column("date", String(10), comment="publication date, ISO (may be partial)"),
    Column("date_source", String(16)),
    Column("language", String(8)),
    Column("text", Text, nullable=False),
    Column("ingested_at", String(32), nullable=False),
)

persons = Table(
    "persons",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("name_key", String(200), nullable=False, unique=True, comment="accent/case-free key"),
    Column("party", Text),
    Column("gender", String(1)),
)

person_roles = Table(
    "person_roles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id", ondelete="CASCADE"), nullable=False),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("name_in_document", Text, nullable=False),
    Column("role", Text),
    Column("org", Text),
    Column("party", Text),
    UniqueConstraint("person_id", "document_id"),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("person_id", Integer, ForeignKey("persons.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("kind", String(16), nullable=False),
)

quotes = Table(
    "quotes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("speaker_person_id", Integer, ForeignKey("persons.id", ondelete="SET NULL")),
    Column("speaker_name", Text, comment="as resolved: a person, an institution or a party"),
    Column("text", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("speaker_start", Integer),
    Column("speaker_end", Integer),
    Column("cue", Text),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("sentence", Text, nullable=False),
    Column("confidence", Float, nullable=False),
)

positions = Table(
    "positions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("actor", Text, nullable=False),
    Column("issue", String(32), nullable=False),
    Column("stance", String(16), nullable=False),
    Column("speaker", Text),
    Column("source_kind", String(16), nullable=False),
    Column("conditional", Boolean, nullable=False),
    Column("red_line", Boolean, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("date", String(10)),
    *evidence_columns(),
)

agreements = Table(
    "agreements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("type", String(32), nullable=False),
    Column("parties", JSON, nullable=False),
    Column("terms", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("date", String(10)),
    Column("confidence", Float, nullable=False),
    *evidence_columns(),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("type", String(16), nullable=False),
    Column("participants", JSON, nullable=False),
    Column("date", String(10)),
    Column("place", Text),
    Column("confidence", Float, nullable=False),
    *evidence_columns(),
)

problems = Table(
    "problems",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", Text, nullable=False),
    Column("stage", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", String(32), nullable=False),
)

Index("ix_mentions_document", mentions.c.document_id)
Index("ix_mentions_person", mentions.c.person_id)
Index("ix_quotes_document", quotes.c.document_id)
# (speaker, document): a party page sorts its people's quotes by their articles' dates from the
# index alone, without reading each quote's row (text, sentence) first.
Index("ix_quotes_speaker_document", quotes.c.speaker_person_id, quotes.c.document_id)
Index("ix_positions_actor_issue", positions.c.actor, positions.c.issue)
# (person, role, org): a page counts its people's roles from the index alone
Index("ix_person_roles_person_role", person_roles.c.person_id, person_roles.c.role, person_roles.c.org)
# For the web app's pages (an actor's latest positions and history, an issue's, a document's
# highlights, a person's statements): each page reads through one of these.
Index("ix_positions_actor_date", positions.c.actor, positions.c.date)
Index(
    "ix_positions_actor_history",
    positions.c.actor,
    positions.c.issue,
    positions.c.date,
    positions.c.stance,
    positions.c.confidence,
    positions.c.source_kind,
)
Index("ix_positions_issue_date", positions.c.issue, positions.c.date)
Index("ix_positions_document", positions.c.document_id)
Index("ix_positions_speaker", positions.c.speaker)
Index("ix_agreements_document", agreements.c.document_id)
Index("ix_events_document", events.c.document_id)
Index("ix_persons_party", persons.c.party)
Index("ix_documents_date", documents.c.date)
# Superseded by the wider indexes above (same leading column): dropped from older stores on open.
RETIRED_INDEXES = ("ix_quotes_speaker", "ix_person_roles_person")
