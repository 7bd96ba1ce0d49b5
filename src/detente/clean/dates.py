"""Publication dates: from metadata strings and from date lines near the top of a page."""

from __future__ import annotations

import re
from datetime import date, datetime

from dateutil import parser as dateparser

MONTHS = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
WEEKDAYS = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?"
DATE_PATTERNS = [
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
    re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"),
    re.compile(rf"\b\d{{1,2}}\s+{MONTHS}\s+\d{{4}}\b", re.I),
    re.compile(rf"\b{MONTHS}\s+\d{{1,2}},?\s+\d{{4}}\b", re.I),
]
# What may stand around a date on a date line: weekdays, times, zones, "Published", "Updated".
DATE_LINE_NOISE = re.compile(
    rf"({WEEKDAYS}|\b\d{{1,2}}:\d{{2}}(:\d{{2}})?\b|\b[ap]\.?m\.?\b|\b(edt|est|utc|gmt|cet|cest|bst|ist|pst|pdt)\b|"
    r"\b(published|updated|posted|last updated|first published|on|at)\b|[|,:\-–—]|\bby\b)",
    re.I,
)


def to_iso(value: str | None) -> str | None:
    """ISO date (YYYY-MM-DD) from a metadata value, or None if it is not a date."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"\d{4}(-\d{2})?", value):
        return value
    try:
        parsed = dateparser.parse(value, default=datetime(1900, 1, 1))
    except (ValueError, OverflowError):
        return None
    if parsed is None or parsed.year < 1900 or parsed.date() > date(2100, 1, 1):
        return None
    return parsed.date().isoformat()


def date_in_line(line: str, strict: bool = False) -> str | None:
    """The date a line gives; with ``strict``, only when the line is little else than a date."""
    for pattern in DATE_PATTERNS:
        m = pattern.search(line)
        if not m:
            continue
        if strict:
            rest = (line[: m.start()] + " " + line[m.end() :]).strip()
            rest = DATE_LINE_NOISE.sub(" ", rest)
            if len(rest.split()) > 3:
                continue
        text = m.group(0)
        if pattern is DATE_PATTERNS[1]:  # US style month/day/year
            mo, d, y = (int(x) for x in m.groups())
            try:
                return date(y, mo, d).isoformat()
            except ValueError:
                return None
        return to_iso(text)
    return None
