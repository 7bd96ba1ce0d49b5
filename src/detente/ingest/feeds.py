"""RSS and Atom feeds: each item whose content or summary holds the article becomes a document."""

from __future__ import annotations

import time
from collections.abc import Iterator

import feedparser

from detente.records import Problem, RawDocument


def looks_like_feed(head: str) -> bool:
    return "<rss" in head or "<feed" in head or "<rdf:rdf" in head


def _iso(parsed: time.struct_time | None) -> str | None:
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


def parse_feed(text: str, source: str) -> Iterator[RawDocument | Problem]:
    feed = feedparser.parse(text)
    if not feed.entries:
        reason = "feed has no items"
        if feed.bozo:
            reason = f"not a readable feed ({type(feed.bozo_exception).__name__})"
        yield Problem(source, reason)
        return
    for n, entry in enumerate(feed.entries, 1):
        where = f"{source}#{n}"
        body = ""
        if entry.get("content"):
            body = max((c.get("value", "") for c in entry.content), key=len)
        body = body or entry.get("summary", "") or entry.get("description", "")
        if not body.strip():
            yield Problem(where, "feed item has no text (only a link)")
            continue
        html = "<" in body and ">" in body
        yield RawDocument(
            source=where,
            name=str(entry.get("id") or entry.get("link") or where),
            body=body,
            fmt="html" if html else "text",
            title=(entry.get("title") or "").strip() or None,
            date=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
            url=entry.get("link"),
        )
