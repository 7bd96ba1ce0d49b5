"""The plain-text boilerplate filter: which lines of a page are the article.

Works line by line with general rules and the user-extensible patterns in
``data/boilerplate.yaml``: interface and navigation lines, bylines, date lines, photo captions,
related-link and video lists, disclaimers, lines in another script, and repeats of the headline.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from detente.clean.dates import date_in_line
from detente.config import DATA_DIR

BYLINE = re.compile(r"^(by|written by|reporting by|words by)\b", re.I)
DATE_TAG = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*", re.I)
SITE_SUFFIX = re.compile(r"\s+[|\u2013\u2014-]\s+[^|]{1,60}(\s+\|\s+[^|]{1,60})*$")
TERMINAL = re.compile(r"[.!?\u201d\"\u2019')\]]$")


@dataclass(frozen=True, slots=True)
class Patterns:
    ui: tuple[re.Pattern[str], ...]
    openers: tuple[re.Pattern[str], ...]
    disclaimers: tuple[re.Pattern[str], ...]
    captions: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=4)
def load_patterns(path: Path = DATA_DIR / "boilerplate.yaml") -> Patterns:
    with open(path, encoding="utf-8") as f:
        raw = yaml.safe_load(f)

    def whole(items: list[str]) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(rf"^(?:{p})$", re.I) for p in items)

    return Patterns(
        ui=whole(raw.get("ui_lines", [])),
        openers=whole(raw.get("list_openers", [])),
        disclaimers=whole(raw.get("disclaimers", [])),
        captions=tuple(re.compile(rf"(?:{p})\s*$", re.I) for p in raw.get("caption_endings", [])),
    )


@dataclass(slots=True)
class Filtered:
    """The article's paragraphs and what the filter learned on the way."""

    paragraphs: list[str]
    title: str | None = None
    date: str | None = None  # from a date line or a "date YYYY-MM-DD" tag
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (line, reason)


def foreign_script_share(line: str) -> float:
    """Share of letters that are not Latin: a Chinese disclaimer inside an English article."""
    letters = [c for c in line if c.isalpha()]
    if not letters:
        return 0.0
    foreign = sum(1 for c in letters if not unicodedata.name(c, "LATIN").startswith("LATIN"))
    return foreign / len(letters)


def strip_site(title: str) -> str:
    """ "Headline | Section | Site" -> "Headline"."""
    stripped = SITE_SUFFIX.sub("", title).strip()
    return stripped if len(stripped.split()) >= 3 else title.strip()


def _key(line: str) -> str:
    return re.sub(r"\W+", " ", line.casefold()).strip()


def looks_like_headline(line: str) -> bool:
    words = line.split()
    return 3 <= len(words) <= 25 and not re.search(r"[.;,]$", line) and line[:1].isupper()


def filter_lines(text: str, known_title: str | None = None, patterns: Patterns | None = None) -> Filtered:
    """Keep the article's paragraphs; find the headline and a date line on the way."""
    pat = patterns or load_patterns()
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out = Filtered(paragraphs=[])
    title = strip_site(known_title) if known_title else None
    in_list = False
    seen_body = False
    for _i, line in enumerate(lines):
        if not line:
            continue
        m = DATE_TAG.match(line)
        if m:  # a stored page's "date YYYY-MM-DD" tag, perhaps followed by a byline or caption
            out.date = out.date or m.group(1)
            rest = line[m.end() :].strip()
            out.dropped.append((line[: m.end()], "date tag"))
            if not rest:
                continue
            line = rest
        reason = _drop_reason(line, pat, seen_body)
        if reason in ("date line", "byline") and not seen_body:
            out.date = out.date or date_in_line(line)
        if reason is None and in_list and looks_like_headline(line) and not TERMINAL.search(line):
            reason = "related-link list"
        if reason is None and any(p.match(line) for p in pat.openers):
            reason = "related-link list"
        if reason is not None:
            if reason == "related-link list" or any(p.match(line) for p in pat.openers):
                in_list = True
            out.dropped.append((line, reason))
            continue
        in_list = False
        # The headline: known from metadata, else the first headline-like line before the body.
        candidate = strip_site(line)
        if title is not None and _key(candidate) == _key(title):
            out.dropped.append((line, "headline"))
            continue
        if (
            title is None
            and not seen_body
            and looks_like_headline(candidate)
            and not TERMINAL.search(candidate)
        ):
            if len(candidate.split()) == 1:
                out.dropped.append((line, "section label"))
                continue
            title = candidate
            out.dropped.append((line, "headline"))
            continue
        if not seen_body and len(line.split()) <= 2 and not TERMINAL.search(line):
            out.dropped.append((line, "section label"))
            continue
        seen_body = True
        out.paragraphs.append(line)
    out.title = title
    return out


def _drop_reason(line: str, pat: Patterns, seen_body: bool) -> str | None:
    words = line.split()
    if foreign_script_share(line) > 0.5:
        return "another script"
    if any(p.match(line) for p in pat.ui):
        return "page interface"
    if any(p.match(line) for p in pat.disclaimers):
        return "disclaimer"
    if BYLINE.match(line) and (len(words) <= 14 or "|" in line):
        return "byline"
    if any(p.search(line) for p in pat.captions) and len(words) <= 60:
        return "photo caption"
    if len(words) <= 12 and date_in_line(line, strict=True):
        return "date line"
    if "|" in line and len(words) <= 14 and not TERMINAL.search(line) and line.count("|") >= 2:
        return "navigation"
    return None
