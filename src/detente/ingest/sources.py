"""Expanding inputs into articles: files by kind, folders recursively, globs, batches, feeds, URLs."""

from __future__ import annotations

import glob
import json
import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from detente.config import Settings
from detente.ingest.decode import NotText, decode
from detente.ingest.feeds import looks_like_feed, parse_feed
from detente.ingest.web import fetch_url
from detente.records import Problem, RawDocument

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
BATCH_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
KNOWN = TEXT_SUFFIXES | HTML_SUFFIXES | BATCH_SUFFIXES | FEED_SUFFIXES


def iter_raw(inputs: Iterable[str], settings: Settings) -> Iterator[RawDocument | Problem]:
    """Articles from every input, in order; unreadable inputs become Problems."""
    for item in inputs:
        try:
            yield from _one_input(str(item), settings)
        except Exception as e:  # a bug on one input must not end the batch
            log.exception("reading %s failed", item)
            yield Problem(str(item), f"could not be read: {type(e).__name__}: {e}")


def _one_input(item: str, settings: Settings) -> Iterator[RawDocument | Problem]:
    if item.startswith(("http://", "https://")):
        yield from _from_url(item, settings)
        return
    path = Path(item)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and _article_file(p, path))
        if not files:
            yield Problem(item, "folder holds no .txt, .html, .jsonl or feed files")
        for f in files:
            yield from _from_file(f, settings)
    elif path.is_file():
        yield from _from_file(path, settings)
    elif any(ch in item for ch in "*?["):
        matches = sorted(glob.glob(item, recursive=True))
        if not matches:
            yield Problem(item, "no file matches this pattern")
        for m in matches:
            if Path(m).is_file():
                yield from _from_file(Path(m), settings)
    else:
        yield Problem(item, "no such file, folder or URL")


NOT_ARTICLES = {"readme", "license", "licence", "changelog", "contributing", "notice", "authors", "copying"}


def _article_file(path: Path, root: Path) -> bool:
    """Files a folder scan reads: known kinds, no hidden files, no README/LICENSE-style notes."""
    if path.suffix.lower() not in KNOWN or path.stem.lower() in NOT_ARTICLES:
        return False
    return not any(part.startswith(".") for part in path.relative_to(root).parts)


def _from_file(path: Path, settings: Settings) -> Iterator[RawDocument | Problem]:
    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        yield Problem(source, f"cannot be read: {e.strerror}")
        return
    if size == 0:
        yield Problem(source, "empty file")
        return
    if size > settings.max_file_bytes:
        yield Problem(source, f"file of {size:,} bytes is over the {settings.max_file_bytes:,}-byte limit")
        return
    try:
        data = path.read_bytes()
        text = decode(data, source)
    except NotText as e:
        yield Problem(source, str(e))
        return
    except OSError as e:
        yield Problem(source, f"cannot be read: {e.strerror}")
        return
    yield from from_text(text, source, path.name, path.suffix.lower())


def from_text(
    text: str, source: str, name: str, suffix: str, url: str | None = None
) -> Iterator[RawDocument | Problem]:
    """Articles from decoded content, by its kind (suffix first, then a sniff of the content)."""
    if not text.strip():
        yield Problem(source, "no text in the file")
        return
    head = text.lstrip()[:2000].lower()
    if suffix in BATCH_SUFFIXES:
        yield from _batch(text, source)
    elif suffix in FEED_SUFFIXES or looks_like_feed(head):
        yield from parse_feed(text, source)
    elif suffix in HTML_SUFFIXES or head.startswith(("<!doctype html", "<html")) or "<body" in head:
        yield RawDocument(source=source, name=name, body=text, fmt="html", url=url)
    else:
        yield RawDocument(source=source, name=name, body=text, fmt="text", url=url)


def _batch(text: str, source: str) -> Iterator[RawDocument | Problem]:
    """A JSONL batch: one article per line with ``text`` or ``html`` and optional metadata."""
    base = os.path.basename(source)
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{source}#{n}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as e:
            yield Problem(where, f"line {n} is not JSON ({e.msg})")
            continue
        if not isinstance(item, dict):
            yield Problem(where, f"line {n} is not a JSON object")
            continue
        body, fmt = item.get("text"), "text"
        if not (isinstance(body, str) and body.strip()):
            body, fmt = item.get("html"), "html"
        if not (isinstance(body, str) and body.strip()):
            yield Problem(where, f"line {n} has no 'text' or 'html'")
            continue
        name = str(item.get("id") or item.get("name") or f"{base}#{n}")
        yield RawDocument(
            source=where,
            name=name,
            body=body,
            fmt=fmt,  # type: ignore[arg-type]
            title=_str(item.get("title")),
            date=_str(item.get("date")),
            url=_str(item.get("url")),
        )


def _str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _from_url(url: str, settings: Settings) -> Iterator[RawDocument | Problem]:
    fetched = fetch_url(url, settings)
    if isinstance(fetched, Problem):
        yield fetched
        return
    text, content_type, final_url = fetched
    name = final_url.rstrip("/").rsplit("/", 1)[-1] or final_url
    suffix = ".html" if "html" in content_type else Path(name).suffix.lower()
    if "xml" in content_type or "rss" in content_type or "atom" in content_type:
        suffix = ".xml"
    yield from from_text(text, url, name, suffix, url=final_url)
