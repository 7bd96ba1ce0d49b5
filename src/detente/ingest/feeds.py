"""RSS and Atom feeds: each item whose content or summary holds the article becomes a document.

feedparser is always handed a byte stream: given a string it would treat a URL as something to
download and a path as a file to open, which a feed file's content must never make it do.
"""

from __future__ import annotations

import io
import os
import re
import time
from collections.abc import Iterator

import feedparser

from detente.records import Problem, RawDocument

FEED_ROOT = re.compile(rb"<(rss|feed|rdf:rdf)[\s>]", re.I)
XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>", re.I)
TAG = re.compile(r"<[a-zA-Z/!][^>]*>")


def looks_like_feed(data: bytes) -> bool:
    """An XML document whose root is <rss>, <feed> or <rdf:RDF> (after any declaration and comments)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return False
    m = FEED_ROOT.search(head)
    if not m:
        return False
    before = head[: m.start()]
    return b"<html" not in before.lower() and b"<body" not in before.lower()


def _iso(parsed: time.struct_time | None) -> str | None:
    try:
        return time.strftime("%Y-%m-%d", parsed) if parsed else None
    except (TypeError, ValueError):
        return None


def _plain(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = re.sub(r"\s+", " ", TAG.sub(" ", value)).strip()
    return text or None


def parse_feed(text: str, source: str) -> Iterator[RawDocument | Problem]:
    """Items of a feed already decoded to text (declared encodings are rewritten to UTF-8)."""
    data = XML_DECLARATION.sub(b'<?xml version="1.0" encoding="utf-8"?>', text.encode("utf-8"), count=1)
    feed = feedparser.parse(io.BytesIO(data))
    if not feed.entries:
        reason = "feed has no items"
        if feed.get("bozo"):
            reason = f"not a readable feed ({type(feed.get('bozo_exception')).__name__})"
        yield Problem(source, reason)
        return
    base = os.path.basename(source)
    for n, entry in enumerate(feed.entries, 1):
        where = f"{source}#{n}"
        body = _body(entry)  # dict.get below: feedparser's own get() maps missing keys, with a warning
        if not body.strip():
            yield Problem(where, "feed item has no text (only a title or link)")
            continue
        is_html = bool(TAG.search(body))  # RSS calls every description HTML, even plain text
        yield RawDocument(
            source=where,
            name=str(entry.get("id") or entry.get("link") or f"{base}#{n}"),
            body=body,
            fmt="html" if is_html else "text",
            title=_plain(entry.get("title")),
            date=_iso(dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")),
            url=_web_link(entry.get("link")),
            meta={k: v for k, v in (("feed", _plain(feed.feed.get("title"))),) if v},
        )


def _web_link(value: object) -> str | None:
    """An item's web address; feedparser offers an Atom id ("tag:...") as the link when none is given."""
    return value if isinstance(value, str) and value.startswith(("http://", "https://")) else None


def _body(entry: feedparser.FeedParserDict) -> str:
    """The longest of the item's full contents, else its summary."""
    best = ""
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        if len(value) > len(best):
            best = value
    return best if best.strip() else entry.get("summary") or entry.get("description") or ""
