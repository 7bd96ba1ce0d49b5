"""Expanding inputs into articles: files by kind, folders recursively, globs and URLs.

Each file, URL and batch line is read on its own: whatever goes wrong with one becomes a
``Problem`` for that one, and the iterator goes on with the next.
"""

from __future__ import annotations

import glob
import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from detente.config import Settings
from detente.ingest.formats import KNOWN, from_bytes, stream_batch, streams
from detente.ingest.web import Fetched, fetch_url
from detente.records import Problem, RawDocument

log = logging.getLogger(__name__)

# Notes that live beside articles in a folder and are not articles themselves.
NOT_ARTICLES = {"readme", "license", "licence", "changelog", "contributing", "notice", "authors", "copying"}
GLOB_CHARS = set("*?[")
URL_SUFFIXES = {".html": ".html", ".htm": ".html", ".txt": ".txt", ".xml": ".xml", ".rss": ".xml"}


def iter_raw(inputs: Iterable[str], settings: Settings) -> Iterator[RawDocument | Problem]:
    """Articles from every input, in order; unreadable inputs become Problems, nothing raises.

    Inputs are file paths, folders (read recursively), glob patterns (``**`` allowed) and
    http(s) URLs. A file reached twice (a folder and a glob over it) is read once.
    """
    seen: set[Path] = set()
    for item in inputs:
        item = str(item)
        if item.startswith(("http://", "https://")):
            yield from _guarded(item, _from_url(item, settings))
            continue
        try:
            targets = list(_expand(item))
        except OSError as e:
            yield Problem(item, f"cannot be listed: {e.strerror or e}")
            continue
        for target in targets:
            if isinstance(target, Problem):
                yield target
                continue
            key = _identity(target)
            if key in seen:
                log.info("%s: already read in this run", target)
                continue
            seen.add(key)
            yield from _guarded(str(target), _from_file(target, settings))


def _guarded(source: str, items: Iterator[RawDocument | Problem]) -> Iterator[RawDocument | Problem]:
    """Pass items on; a bug while reading one input ends that input with a Problem, not the run."""
    try:
        yield from items
    except Exception as e:  # one bad input must never end the batch
        log.exception("reading %s failed", source)
        yield Problem(source, f"could not be read: {type(e).__name__}: {e}")


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _expand(item: str) -> Iterator[Path | Problem]:
    """The files an input names: itself, a folder's article files, or a pattern's matches."""
    path = Path(os.path.expanduser(item))
    if path.is_dir():
        files = list(_folder_files(path))
        if not files:
            yield Problem(item, "folder holds no .txt, .md, .html, .jsonl or feed files")
        yield from files
    elif path.is_file():
        yield path
    elif path.exists():
        yield Problem(item, "not a regular file")
    elif GLOB_CHARS & set(item):
        matches = sorted(glob.glob(os.path.expanduser(item), recursive=True))
        if not matches:
            yield Problem(item, "no file matches this pattern")
        for m in matches:
            p = Path(m)
            if p.is_dir():
                yield from _folder_files(p)
            elif p.is_file():
                yield p
    else:
        yield Problem(item, "no such file, folder or URL")


def _folder_files(root: Path) -> Iterator[Path]:
    """Article files under a folder, sorted, without following links to other folders."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, onerror=lambda e: log.warning("cannot list %s", e.filename)):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            p = Path(folder) / name
            if _article_file(p):
                found.append(p)
    yield from sorted(found)


def _article_file(path: Path) -> bool:
    """Files a folder scan reads: known kinds, no hidden files, no README/LICENSE-style notes."""
    return (
        path.suffix.lower() in KNOWN
        and not path.name.startswith(".")
        and path.stem.lower() not in NOT_ARTICLES
    )


def _from_file(path: Path, settings: Settings) -> Iterator[RawDocument | Problem]:
    source = str(path)
    try:
        size = path.stat().st_size
        if size == 0:
            yield Problem(source, "empty file")
            return
        with path.open("rb") as f:
            if streams(f.read(4), path.suffix.lower()):  # a JSONL batch: line by line, any size
                f.seek(0)
                yield from stream_batch(f, source, settings.max_file_bytes)
                return
        if size > settings.max_file_bytes:
            yield Problem(
                source, f"file of {size:,} bytes is over the {settings.max_file_bytes:,}-byte limit"
            )
            return
        data = path.read_bytes()
    except OSError as e:
        yield Problem(source, f"cannot be read: {e.strerror or e}")
        return
    yield from from_bytes(data, source, path.name, path.suffix.lower())


def _from_url(url: str, settings: Settings) -> Iterator[RawDocument | Problem]:
    fetched = fetch_url(url, settings)
    if isinstance(fetched, Problem):
        yield fetched
        return
    name = url_name(fetched)
    suffix = URL_SUFFIXES.get(Path(name).suffix.lower(), "")
    yield from from_bytes(
        fetched.data,
        url,
        name,
        suffix,
        media_type=fetched.media_type,
        charset=fetched.charset,
        url=fetched.url,
    )


def url_name(fetched: Fetched) -> str:
    """A short key for a fetched article: the last part of its path, else its host."""
    parts = urlsplit(fetched.url)
    last = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
    return last or parts.netloc or fetched.url
