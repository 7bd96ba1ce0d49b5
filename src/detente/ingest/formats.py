"""From the bytes of one file or response to articles, by kind: text, HTML, JSONL batch or feed.

The kind comes from the suffix or media type first and a sniff of the content second, so an
``.xml`` feed saved as ``.txt`` or an HTML page served without a suffix is still read right.
"""

from __future__ import annotations

import codecs
import json
import logging
import os
import re
from collections.abc import Iterator
from typing import BinaryIO

from detente.ingest.decode import NotText, bom_encoding, declared_encoding, decode, looks_binary
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


def streams(head: bytes, suffix: str) -> bool:
    """Whether a file is read line by line rather than whole: JSONL batches in an 8-bit encoding
    (UTF-16/32 lines cannot be split on newline bytes)."""
    return suffix in BATCH_SUFFIXES and bom_encoding(head) not in ("utf-16", "utf-32")


def stream_batch(f: BinaryIO, source: str, max_line_bytes: int) -> Iterator[RawDocument | Problem]:
    """A JSONL batch read one line at a time, so an archive of any size takes little memory;
    each line is decoded on its own and may be up to ``max_line_bytes`` long."""
    head = f.read(65536)
    f.seek(0)
    if not head.strip():
        yield Problem(source, "no text, only white space")
        return
    why = looks_binary(head)
    if why:
        yield Problem(source, why)
        return
    base = os.path.basename(source)
    for n, line in enumerate(_lines(f, max_line_bytes), 1):
        where = f"{source}#{n}"
        if line is None:
            yield Problem(where, f"line {n} is over the {max_line_bytes:,}-byte limit")
            continue
        if n == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
        if not line.strip():
            continue
        try:
            text = decode(line, where)
            yield _batch_item(text, n, base, where)
        except NotText as e:
            yield Problem(where, f"line {n}: {e}")
        except (ValueError, RecursionError) as e:  # JSONDecodeError is a ValueError
            msg = e.msg if isinstance(e, json.JSONDecodeError) else type(e).__name__
            yield Problem(where, f"line {n} is not JSON ({msg})")


def _lines(f: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """The file's lines; None for a line over ``limit`` bytes (skipped without being kept)."""
    while line := f.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = f.readline(1 << 20)
            yield None
        else:
            yield line


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
