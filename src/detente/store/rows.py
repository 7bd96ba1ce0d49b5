"""What the store hands back: small read-only rows with names a person understands."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DocumentRow:
    doc_id: str
    name: str
    source: str
    url: str | None
    title: str | None
    date: str | None
    language: str | None
    ingested_at: str
    text: str | None = None  # only when asked for one document


@dataclass(frozen=True, slots=True)
class SearchHit:
    doc_id: str
    name: str
    title: str | None
    date: str | None
    snippet: str  # matches wrapped in [[ ]]
    rank: float


@dataclass(frozen=True, slots=True)
class QuoteRow:
    id: int
    doc_id: str
    document_name: str
    document_title: str | None
    document_date: str | None
    speaker_name: str | None
    text: str
    kind: str
    cue: str | None
    start: int
    end: int
    sentence: str
    confidence: float


@dataclass(frozen=True, slots=True)
class PersonRow:
    id: int
    name: str
    party: str | None
    roles: list[str]  # "role, org" as seen in the documents, most frequent first
    documents: int
    mentions: int
    quotes: int


@dataclass(frozen=True, slots=True)
class PositionRow:
    id: int
    doc_id: str
    document_name: str
    actor: str
    issue: str
    stance: str
    speaker: str | None
    source_kind: str
    conditional: bool
    red_line: bool
    confidence: float
    date: str | None
    evidence: str
    sentence: str


@dataclass(frozen=True, slots=True)
class AgreementRow:
    id: int
    doc_id: str
    document_name: str
    type: str
    parties: list[str]
    terms: dict
    status: str
    date: str | None
    evidence: str


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    doc_id: str
    document_name: str
    type: str
    participants: list[str]
    date: str | None
    place: str | None
    evidence: str
