"""The extraction benchmark's JSONL format (see ../shared/eval/README.md in the project's workspace).

One object per article: doc, title, text, quotes, people, positions, agreements, events. Extra
fields (offsets, confidences, cue) are allowed and kept so that the export stays sourced.
"""

from __future__ import annotations

from typing import Any

from detente.records import Extraction


def to_eval(extraction: Extraction) -> dict[str, Any]:
    doc = extraction.document
    return {
        "doc": doc.name,
        "title": doc.title,
        "date": doc.date,
        "text": doc.text,
        "quotes": [
            {
                "speaker": q.speaker,
                "text": q.text,
                "kind": q.kind,
                "cue": q.cue,
                "start": q.start,
                "end": q.end,
                "confidence": q.confidence,
            }
            for q in extraction.quotes
        ],
        "people": [
            {"name": p.name, "role": p.role, "org": p.org, "party": p.party, "mentions": len(p.mentions)}
            for p in extraction.people
        ],
        "positions": list(extraction.positions),
        "agreements": list(extraction.agreements),
        "events": list(extraction.events),
    }
