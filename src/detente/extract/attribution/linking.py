"""Grouping tagged spans into attributions: each cue with its source and its content pieces.

The tagger labels spans but does not say which belong together. Within a paragraph, every
content span joins the cue nearest to it and every cue takes the nearest source, where
"nearest" counts the tokens between the two and charges extra for each sentence boundary
crossed, so that in '“A,” he said. “B,” she said.' B goes with "she said"; reported (unquoted)
words only go with a cue in their own sentence. A cue with content on
both sides ('“A,” he said, “B.”') gets one attribution with two pieces, as PolNeAR annotates an
interrupted quote. One source may serve several cues ("He said A and added B"). Spans that find
no partner are kept as attributions of their own, so that nothing the tagger found is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span

from detente.extract.attribution.component import SCORE_ATTR, SPANS_KEY

SENTENCE_COST = 30  # tokens a sentence boundary counts for when measuring distance (tuned on dev)
MAX_SOURCE_DISTANCE = 30  # farther sources are not linked to a cue
QUOTE_MARKS = ('"', "“", "”", "‘", "’", "«", "»", "„", "''", "``")


@dataclass(slots=True)
class LinkedAttribution:
    """One attribution found by the tagger; any role may be missing."""

    cue: Span | None
    source: Span | None
    content: list[Span] = field(default_factory=list)
    score: float = 0.0  # mean of its spans' tag probabilities


def _gap(a: Span, b: Span) -> int:
    """Tokens strictly between two spans (0 when they touch or overlap)."""
    if a.end <= b.start:
        return b.start - a.end
    if b.end <= a.start:
        return a.start - b.end
    return 0


def _quoted(span: Span) -> bool:
    """Whether the span opens with, or right after, a quotation mark."""
    doc = span.doc
    before = doc[span.start - 1].text if span.start > 0 else ""
    return any(m in before or span[0].text.startswith(m) for m in QUOTE_MARKS)


def _sentence_of(doc: Doc) -> list[int]:
    """Sentence number of each token (0 for the first sentence)."""
    starts = doc.to_array([SENT_START])
    return (np.cumsum(starts == 1) - (starts[0] == 1 if len(doc) else 0)).tolist()


def _paragraph_of(doc: Doc) -> list[int]:
    """Paragraph number of each token: a new one after every line break."""
    breaks = [("\n" in t.text or "\n" in t.whitespace_) for t in doc]
    return (np.cumsum([False, *breaks[:-1]]) if breaks else np.zeros(0, dtype=int)).tolist()


def link(doc: Doc, key: str = SPANS_KEY) -> list[LinkedAttribution]:
    """The doc's tagged spans grouped into attributions, in text order."""
    group = doc.spans.get(key)
    if group is None or not len(group):
        return []
    sent = _sentence_of(doc)
    para = _paragraph_of(doc)

    def distance(a: Span, b: Span) -> float:
        if para[a.start] != para[b.start]:
            return float("inf")
        return _gap(a, b) + SENTENCE_COST * abs(sent[a.start] - sent[b.start])

    def cue_distance(content: Span, quoted: bool, cue: Span) -> float:
        """Reported words and their cue share a sentence; quoted words may run over several."""
        if sent[content.start] != sent[cue.start] and not quoted:
            return float("inf")
        return distance(content, cue)

    spans = sorted(group, key=lambda s: (s.start, s.end))
    cues = [s for s in spans if s.label_ == "CUE"]
    sources = [s for s in spans if s.label_ == "SOURCE"]
    contents = [s for s in spans if s.label_ == "CONTENT"]

    by_cue: dict[int, LinkedAttribution] = {i: LinkedAttribution(c, None) for i, c in enumerate(cues)}
    loose: list[LinkedAttribution] = []
    for t in contents:
        quoted = _quoted(t)
        d, best = min(
            ((cue_distance(t, quoted, c), i) for i, c in enumerate(cues)), default=(float("inf"), -1)
        )
        if d == float("inf"):
            loose.append(LinkedAttribution(None, None, [t]))
        else:
            by_cue[best].content.append(t)
    used_sources: set[int] = set()
    for i, c in enumerate(cues):
        d, best = min(((distance(c, x), j) for j, x in enumerate(sources)), default=(float("inf"), -1))
        if d <= MAX_SOURCE_DISTANCE:
            by_cue[i].source = sources[best]
            used_sources.add(best)
    for j, s in enumerate(sources):
        if j not in used_sources:
            loose.append(LinkedAttribution(None, s))
    out = [*by_cue.values(), *loose]
    for a in out:
        parts = [x for x in (a.cue, a.source, *a.content) if x is not None]
        a.score = sum(x._.get(SCORE_ATTR) or 0.0 for x in parts) / len(parts)

    def first(a: LinkedAttribution) -> int:
        return min(x.start for x in (a.cue, a.source, *a.content) if x is not None)

    return sorted(out, key=first)
