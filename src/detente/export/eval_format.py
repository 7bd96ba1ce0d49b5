"""The extraction benchmark's JSONL format (see ../shared/eval/README.md in the project's workspace).

One object per article: doc, title, text, quotes, people, positions, agreements, events. Extra
fields (offsets, confidences, cue, and the other attributions: beliefs, intentions) are allowed
and kept so that the export stays sourced.
"""

from __future__ import annotations

from typing import Any

from detente.records import Extraction, Quote


def _quote(q: Quote) -> dict[str, Any]:
    return {
        "speaker": q.speaker,
        "text": q.text,
        "kind": q.kind,
        "cue": q.cue,
        "start": q.start,
        "end": q.end,
        "confidence": q.confidence,
    }


def to_eval(extraction: Extraction) -> dict[str, Any]:
    doc = extraction.document
    return {
        "doc": doc.name,
        "title": doc.title,
        "date": doc.date,
        "text": doc.text,
        "quotes": [_quote(q) for q in extraction.quotes],
        "attributions": [_quote(q) for q in extraction.attributions],
        "people": [
            {"name": p.name, "role": p.role, "org": p.org, "party": p.party, "mentions": len(p.mentions)}
            for p in extraction.people
        ],
        "positions": [
            {
                "actor": p.actor,
                "issue": p.issue,
                "stance": p.stance,
                "evidence": p.evidence.text,
                "start": p.evidence.start,
                "end": p.evidence.end,
                "speaker": p.speaker,
                "source_kind": p.source_kind,
                "conditional": p.conditional,
                "red_line": p.red_line,
                "confidence": p.confidence,
                "date": p.date,
            }
            for p in extraction.positions
        ],
        "agreements": [
            {
                "type": a.type,
                "parties": a.parties,
                "terms": a.terms,
                "status": a.status,
                "date": a.date,
                "evidence": a.evidence.text,
                "start": a.evidence.start,
                "end": a.evidence.end,
                "confidence": a.confidence,
            }
            for a in extraction.agreements
        ],
        "events": [
            {
                "type": e.type,
                "participants": e.participants,
                "date": e.date,
                "place": e.place,
                "evidence": e.evidence.text,
                "start": e.evidence.start,
                "end": e.evidence.end,
                "confidence": e.confidence,
            }
            for e in extraction.events
        ],
    }
