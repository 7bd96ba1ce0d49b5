"""From the bytes of one file or response to articles, by kind: text, HTML, JSONL batch or feed.

The kind comes from the suffix or media type first and a sniff of the content second, so an
``.xml`` feed saved as ``.txt`` or an HTML page served without a suffix is still read right.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator

from detente.ingest.decode import NotText, declared_encoding, decode
from detente.ingest.feeds import looks_like_feed, parse_feed
from detente.records import Problem, RawDocument

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
BATCH_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".xml", ".rss", ".atom", ".rdf"}
KNOWN = TEXT_SUFFIXES | HTML_SUFFIXES | BATCH_SUFFIXES | FEED_SUFFIXES
HTML_START = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
HTML_TAGS = re.compile(r"<(p|div|article|body|br|h[1-6]|span|a\s[^>]*href)\b[^>]*>", re.I)
TEXT_FIELDS = ("text", "body", "content")  # "body"/"content" are read like "text", sniffed for HTML
META_FIELDS = ("author", "source", "outlet", "section", "language", "lang")


def kind_of(data: bytes, suffix: str, media_type: str = "") -> str:
    """'batch', 'feed', 'html' or 'text'."""
    if suffix in BATCH_SUFFIXES or media_type in ("application/x-ndjson", "application/jsonl"):
        return "batch"
    if suffix in FEED_SUFFIXES or looks_like_feed(data):
        return "feed"
    if media_type.endswith("xml") and "xhtml" not in media_type:
        return "feed"
    if suffix in HTML_SUFFIXES or "html" in media_type:
        return "html"
    head = data[:4096].decode("utf-8", "ignore")
    if HTML_START.match(head):
        return "html"
    if suffix not in TEXT_SUFFIXES and not media_type.startswith("text/plain") and HTML_TAGS.search(head):
        return "html"
    return "text"


def from_bytes(
    data: bytes,
    source: str,
    name: str,
    suffix: str,
    *,
    media_type: str = "",
    charset: str | None = None,
    url: str | None = None,
) -> Iterator[RawDocument | Problem]:
    """Articles from one file's or response's bytes; undecodable or empty content is a Problem."""
    if not data:
        yield Problem(source, "empty file")
        return
    kind = kind_of(data, suffix, media_type)
    try:
        declared = (charset or declared_encoding(data)) if kind in ("html", "feed") else charset
        text = decode(data, source, declared)
    except NotText as e:
        yield Problem(source, str(e))
        return
    if not text.strip():
        yield Problem(source, "no text, only white space")
        return
    if kind == "batch":
        yield from parse_batch(text, source)
    elif kind == "feed":
        yield from parse_feed(text, source)
    else:
        yield RawDocument(source=source, name=name, body=text, fmt=kind, url=url)  # type: ignore[arg-type]


def parse_batch(text: str, source: str) -> Iterator[RawDocument | Problem]:
    """A JSONL batch: one article per line with ``text`` or ``html`` and optional metadata.

    A bad line is a Problem for that line only; the rest of the batch goes on.
    """
    base = os.path.basename(source)
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{source}#{n}"
        try:
            yield _batch_item(line, n, base, where)
        except (ValueError, RecursionError) as e:  # JSONDecodeError is a ValueError
            msg = e.msg if isinstance(e, json.JSONDecodeError) else type(e).__name__
            yield Problem(where, f"line {n} is not JSON ({msg})")


def _batch_item(line: str, n: int, base: str, where: str) -> RawDocument | Problem:
    item = json.loads(line)
    if not isinstance(item, dict):
        return Problem(where, f"line {n} is not a JSON object")
    body, fmt = _str(item.get("html")), "html"
    for key in TEXT_FIELDS:
        value = _str(item.get(key))
        if value:
            body, fmt = value, "html" if HTML_START.match(value) or HTML_TAGS.search(value[:4096]) else "text"
            break
    if not body:
        return Problem(where, f"line {n} has no 'text' or 'html'")
    ident = item.get("id", item.get("name"))
    name = str(ident).strip() if isinstance(ident, str | int) and str(ident).strip() else f"{base}#{n}"
    return RawDocument(
        source=where,
        name=name,
        body=body,
        fmt=fmt,  # type: ignore[arg-type]
        title=_str(item.get("title")),
        date=_str(item.get("date") or item.get("published")),
        url=_str(item.get("url") or item.get("link")),
        meta={k: v for k in META_FIELDS if (v := _str(item.get(k)))},
    )


def _str(value: object) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None
