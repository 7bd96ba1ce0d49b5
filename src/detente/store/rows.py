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


@dataclass(frozen=True, slots=True)
class ActorRow:
    """One party as the store knows it: how much it says, on how many issues, over what time."""

    name: str
    positions: int
    issues: int
    documents: int
    first_date: str | None
    last_date: str | None


@dataclass(frozen=True, slots=True)
class IssueRow:
    id: str
    positions: int
    actors: int
    last_date: str | None


@dataclass(frozen=True, slots=True)
class StanceCount:
    issue: str
    stance: str
    count: int


@dataclass(frozen=True, slots=True)
class StancePoint:
    """An actor's stance on an issue from one day on (each day's most confident statement): a run
    of ``days`` dated days with the same stance, the last on ``until``."""

    actor: str
    issue: str
    date: str
    stance: str
    confidence: float
    days: int = 1
    until: str | None = None


@dataclass(frozen=True, slots=True)
class ActorDetail:
    name: str
    total_positions: int
    counts: list[StanceCount]
    history: list[StancePoint]  # dated, oldest first
    positions: list[PositionRow]  # the latest ones, newest first
    agreements: list[AgreementRow]
    events: list[EventRow]
    people: list[PersonRow]  # people who speak for the party
    quotes: list[QuoteRow]  # the latest quotes by those people


@dataclass(frozen=True, slots=True)
class PositionPage:
    """One page of a party's positions, newest first (undated last): the whole list on demand,
    while the party's own page shows only the latest."""

    name: str
    page: int  # from 1
    per_page: int
    pages: int  # at least 1, even with no positions
    total: int
    positions: list[PositionRow]


@dataclass(frozen=True, slots=True)
class PersonDetail:
    person: PersonRow
    quotes: list[QuoteRow]
    documents: list[DocumentRow]
    positions: list[PositionRow]  # positions this person voiced


@dataclass(frozen=True, slots=True)
class IssueDetail:
    id: str
    total_positions: int
    latest: list[PositionRow]  # each actor's latest dated position, by actor
    history: list[StancePoint]
    positions: list[PositionRow]  # the latest ones, newest first


@dataclass(frozen=True, slots=True)
class Highlight:
    """A stretch of a document's text to mark: a quote, its speaker or cue, a mention, a position..."""

    kind: str  # quote, speaker, cue, mention, position, agreement, event
    start: int
    end: int
    ref: str  # an anchor for the item it belongs to: "q12", "p3", "m5", ...
    label: str  # what it is, for a tooltip
    person_id: int | None = None  # mentions and speakers link to their person


@dataclass(frozen=True, slots=True)
class MentionedPerson:
    id: int
    name: str
    party: str | None
    role: str | None
    mentions: int


@dataclass(frozen=True, slots=True)
class DocumentView:
    """One document with everything extracted from it, ready to be shown with its evidence marked."""

    document: DocumentRow
    people: list[MentionedPerson]
    quotes: list[QuoteRow]
    positions: list[PositionRow]
    agreements: list[AgreementRow]
    events: list[EventRow]
    highlights: list[Highlight]


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """One party's stance on one issue: the latest dated day's stance, and counts of every stance."""

    actor: str
    issue: str
    stance: str  # the latest (dated) stance; the most frequent one when nothing is dated
    date: str | None
    position_id: int  # the statement behind ``stance``
    doc_id: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())
