"""Typed records passed from stage to stage.

Data flows one way: ingest makes ``RawDocument``s, clean turns them into ``Document``s,
extract reads a ``Document`` and returns an ``Extraction`` (people, quotes and, later,
positions, agreements and events), and store persists extractions. Every extracted item
carries character offsets into ``Document.text`` so that its evidence can always be shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SourceFormat = Literal["text", "html"]
QuoteKind = Literal["direct", "indirect"]
MentionKind = Literal["name", "surname", "title", "pronoun", "alias"]
Stance = Literal["demand", "offer", "accept", "reject"]
AgreementType = Literal[
    "ceasefire",
    "partial_ceasefire",
    "prisoner_exchange",
    "peace_agreement",
    "framework",
    "humanitarian_pause",
    "other",
]
AgreementStatus = Literal["proposed", "agreed", "implemented", "violated", "expired"]
EventType = Literal["call", "meeting", "summit", "talks", "statement", "attack", "other"]


@dataclass(slots=True)
class RawDocument:
    """One article as a source handed it over, before any cleaning."""

    source: str  # where it came from: a path, a URL, "batch.jsonl#12", "feed.xml#3"
    name: str  # a short key for the article: the file name or the batch item's id
    body: str  # decoded text or HTML
    fmt: SourceFormat
    title: str | None = None  # title given by metadata (JSONL field, feed item, ...)
    date: str | None = None  # ISO date given by metadata, if any
    url: str | None = None
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Document:
    """A cleaned article: the text every extractor reads and every offset points into."""

    doc_id: str  # hash of the normalised text: the dedupe key
    name: str
    source: str
    text: str  # cleaned body, boilerplate removed, headline not repeated
    title: str | None
    date: str | None  # ISO publication date ("2025-03-18", or partial "2025-03")
    date_source: str | None  # "metadata", "meta-tag", "dateline" or None
    language: str  # ISO 639-1 code
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of ``Document.text``: ``text == document.text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Mention:
    """One place where a person is referred to."""

    start: int
    end: int
    text: str
    kind: MentionKind


@dataclass(slots=True)
class Person:
    """A named person in one document, with every mention linked to the full name."""

    name: str  # the fullest form of the name found (or known from the gazetteer)
    role: str | None = None  # "Foreign Minister", "professor of Russian politics"
    org: str | None = None  # "Ukraine", "King's College London"
    party: str | None = None  # the state or group the person speaks for, when known
    gender: Literal["m", "f"] | None = None
    mentions: list[Mention] = field(default_factory=list)


@dataclass(slots=True)
class Quote:
    """Words attributed to a speaker, direct (in quotation marks) or reported."""

    text: str  # the quoted or reported content
    kind: QuoteKind
    start: int  # offsets of ``text`` in the document
    end: int
    speaker: str | None  # resolved full name, institution or party; None when unknown
    speaker_span: Span | None  # the mention that names the speaker in this attribution
    cue: str | None  # the reporting verb or phrase: "said", "according to"
    cue_span: Span | None
    sentence: str  # the sentence(s) holding the quote, as evidence
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where an extracted item comes from: a stretch of the cleaned text and its sentence."""

    start: int
    end: int
    text: str
    sentence: str


@dataclass(slots=True)
class Position:
    """A party's stance on an issue (vocabularies in ``detente.extract.vocab``)."""

    actor: str  # the party: "Russia", "Ukraine", "United States", "Hamas", ...
    issue: str  # ceasefire, territory, alliance, security_guarantees, ...
    stance: Stance
    evidence: Evidence
    speaker: str | None = None  # who voiced it (a person, an institution), when known
    source_kind: Literal["own", "reported", "narrative", "analyst"] = "narrative"
    conditional: bool = False  # "only if Russia reciprocates"
    red_line: bool = False
    negated: bool = False
    confidence: float = 0.5
    date: str | None = None  # the document's date, or the statement's when the text gives it


@dataclass(slots=True)
class Agreement:
    """An agreement, deal or truce with its terms."""

    type: AgreementType
    parties: list[str]
    terms: dict[str, object]  # numbers and scope: {"days": 30, "scope": "energy infrastructure"}
    status: AgreementStatus
    evidence: Evidence
    date: str | None = None
    confidence: float = 0.5


@dataclass(slots=True)
class Event:
    """A call, meeting, summit, round of talks, statement or attack."""

    type: EventType
    participants: list[str]
    evidence: Evidence
    date: str | None = None  # ISO, partial ISO, or "--MM-DD" when the year cannot be known
    place: str | None = None
    confidence: float = 0.5


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one document."""

    document: Document
    people: list[Person] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # What the text attributes to someone besides their words: beliefs, intentions, assessments,
    # findings ("X believes ...", "X wants ...", "the poll shows ..."), found by the attribution
    # tagger; shaped like quotes (the holder is the speaker), kept apart from them.
    attributions: list[Quote] = field(default_factory=list)


@dataclass(slots=True)
class Problem:
    """An input that was skipped, with the reason; batches log these and carry on."""

    source: str
    reason: str
    stage: Literal["ingest", "clean", "extract", "store"] = "ingest"
