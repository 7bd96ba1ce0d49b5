"""Publication dates: from metadata strings and from date lines near the top of a page.

Dates are ISO strings; when a source gives only a month or a year the date stays partial
("2025-03", "2025") rather than inventing a day.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from dateutil import parser as dateparser

MONTH_NAMES = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
MONTHS = rf"(?:{MONTH_NAMES})\.?"
ORD = r"(?:st|nd|rd|th)?"
WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?"

ISO = re.compile(
    r"\b(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b"
)
YMD_SLASH = re.compile(r"\b(\d{4})/(\d{1,2})/(\d{1,2})\b")
NUMERIC = re.compile(r"\b(\d{1,2})([/.])(\d{1,2})\2(\d{4})\b")
# A year may run straight into a time on pages that lost a space: "March 19, 20257:55 PM".
YEAR_END = r"(?:\b|(?=\d{1,2}:\d{2}))"
DAY_MONTH = re.compile(rf"\b(\d{{1,2}}){ORD}\s+(?:of\s+)?({MONTHS})\s*,?\s+(\d{{4}}){YEAR_END}", re.I)
MONTH_DAY = re.compile(rf"\b({MONTHS})\s+(\d{{1,2}}){ORD}\s*,?\s+(\d{{4}}){YEAR_END}", re.I)

# What may stand around a date on a date line: weekdays, times, zones, "Published", "Updated".
NOISE = re.compile(
    rf"\b{WEEKDAY}(?=\W|$)|\b\d{{1,2}}[:.]\d{{2}}(?::\d{{2}})?\b|\b[ap]\.?m\b\.?|"
    r"\b(?:edt|est|cdt|cst|mdt|mst|pdt|pst|utc|gmt|cet|cest|eet|eest|bst|ist|msk|jst|aest|ast|z)\b"
    r"(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?|"
    r"(?<![a-z])(?:published|updated|update|posted|last updated|first published|modified|created|date|"
    r"dated|on|at|by|local time|time|min read)\b|"
    r"\b(?:\d+|an?|one|few)\s+(?:sec|second|min|minute|hr|hour|day|week)s?\s+ago\b|"
    r"[|,:;\-\u2013\u2014\u2022\u00b7/()\[\]]",
    re.I,
)
UPDATED = re.compile(r"\b(updated|modified|edited)\b", re.I)


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def to_iso(value: str | None) -> str | None:
    """ISO date from a metadata value ("2025-03-18T10:00Z", "Tue, 18 Mar 2025", "March 2025")."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    if re.fullmatch(r"\d{4}(-\d{2})?", value):
        return value
    found = date_in_line(value)
    if found:
        return found
    try:
        first = dateparser.parse(value, default=datetime(1900, 1, 1))
        second = dateparser.parse(value, default=datetime(1904, 2, 2))
    except (ValueError, OverflowError, TypeError):
        return None
    if first is None or second is None or not 1900 < second.year < 2100:
        return None
    if first.year != second.year:
        return None  # no year given: not a publication date
    if first.month != second.month:
        return f"{first.year:04d}"
    if first.day != second.day:
        return f"{first.year:04d}-{first.month:02d}"
    return first.date().isoformat()


def date_in_line(line: str, strict: bool = False) -> str | None:
    """The first full date a line gives; with ``strict``, only when the line is little else.

    A strict date line is a date with weekdays, times, zones, "Published"/"Updated" and at most
    two other capitalised words (a byline name, a place) around it, and no sentence.
    """
    for pattern in (ISO, YMD_SLASH, NUMERIC, DAY_MONTH, MONTH_DAY):
        m = pattern.search(line)
        if not m:
            continue
        iso = _from_match(pattern, m)
        if iso is None:
            continue
        if strict and not _only_date(line, m):
            return None
        return iso
    return None


def _from_match(pattern: re.Pattern[str], m: re.Match[str]) -> str | None:
    if pattern is ISO or pattern is YMD_SLASH:
        return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if pattern is NUMERIC:
        a, sep, b, y = int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4))
        if a > 12 or (sep == "." and b <= 12):
            return _valid(y, b, a)  # day first: 24/06/2025, 18.03.2025
        return _valid(y, a, b)  # US month first: 06/24/2025
    if pattern is DAY_MONTH:
        return _valid(int(m.group(3)), _month(m.group(2)), int(m.group(1)))
    return _valid(int(m.group(3)), _month(m.group(1)), int(m.group(2)))


def _month(name: str) -> int:
    key = name.strip(".").lower()[:3]
    return ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].index(key) + 1


def _only_date(line: str, m: re.Match[str]) -> bool:
    rest = line[: m.start()] + " " + line[m.end() :]
    for pattern in (
        ISO,
        YMD_SLASH,
        NUMERIC,
        DAY_MONTH,
        MONTH_DAY,
    ):  # "Published 20.04.2025 - Update 21.04.2025"
        rest = pattern.sub(" ", rest)
    words = NOISE.sub(" ", rest).split()
    if len(words) > 2:
        return False
    return all(w[:1].isupper() or not w[:1].isalpha() for w in words) and not re.search(
        r"[a-z]{2}\.\s*$", line
    )


def is_update_line(line: str) -> bool:
    """ "Updated 19 March 2025": a date line that is not the publication date."""
    return bool(UPDATED.search(line))
