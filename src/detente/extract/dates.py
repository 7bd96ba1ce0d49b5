"""Resolving the dates news text gives ("on Tuesday", "March 18", "a week ago") against the
article's own date.

News writes weekdays for the last seven days: "on Tuesday" in an article of Wednesday 7 May is
6 May; on the day itself it is that day. Months without a year are the latest such month at or
before the article date. Without an article date, a day and month give "--MM-DD" (the year
cannot be known) and a bare weekday gives nothing.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for m in names
}
WEEKDAYS = {
    d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}
MONTH_RE = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DAY_MONTH = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_RE}(?:,?\s+(?P<year>\d{{4}}))?\b", re.I
)
MONTH_DAY = re.compile(
    rf"\b{MONTH_RE}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<year>\d{{4}}))?\b", re.I
)
ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")
WEEKDAY_RE = re.compile(
    r"\b(?P<next>next\s+|last\s+|this\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.I,
)
MONTH_ONLY = re.compile(
    rf"\b(?:in|since|during|by|until|early|late|mid-?)\s+{MONTH_RE}(?:\s+(?P<year>\d{{4}}))?\b", re.I
)
YEAR_ONLY = re.compile(r"\b(?:in|since|of|during)\s+(?P<year>(?:19|20)\d{2})\b")
FUTURE = re.compile(r"\b(?:will|would|'ll|is to|are to|is due|are due|plans? to|scheduled)\b", re.I)
RELATIVE = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this evening": 0,
    "yesterday": -1,
    "the day before": -1,
    "a week ago": -7,
    "last week": -7,
    "two weeks ago": -14,
}


def parse_iso(value: str | None) -> date | None:
    if not value or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _month_day(month: int, day: int, year: int | None, ref: date | None) -> str | None:
    if year is None and ref is not None:
        year = ref.year
        try:
            if date(year, month, day) > ref + timedelta(days=2):
                year -= 1  # "December 30" in an article of 2 January: the year before
        except ValueError:
            return None
    if year is None:
        return f"--{month:02d}-{day:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def resolve_dates(text: str, doc_date: str | None) -> list[tuple[int, int, str]]:
    """(start, end, ISO date) for every date expression in ``text``, most specific first."""
    ref = parse_iso(doc_date)
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], value: str | None) -> None:
        if value and not any(a < m.end() and m.start() < b for a, b in taken):
            found.append((m.start(), m.end(), value))
            taken.append((m.start(), m.end()))

    for m in ISO.finditer(text):
        add(m, _month_day(int(m["month"]), int(m["day"]), int(m["year"]), ref))
    for pattern in (DAY_MONTH, MONTH_DAY):
        for m in pattern.finditer(text):
            month = MONTHS[m["month"].lower()]
            if m["month"].lower() == "may" and pattern is MONTH_DAY and not m["year"] and int(m["day"]) > 31:
                continue
            add(m, _month_day(month, int(m["day"]), int(m["year"]) if m["year"] else None, ref))
    for m in WEEKDAY_RE.finditer(text):
        if ref is None:
            continue
        wd = WEEKDAYS[m["wd"].lower()]
        modifier = (m["next"] or "").strip().lower()
        clause = re.split(r"[\"“”,;.:]", text[max(0, m.start() - 60) : m.start()])[-1]
        ahead = FUTURE.search(clause) is not None  # in the weekday's own clause, not in a quote before it
        if modifier == "next" or (ahead and modifier != "last"):  # "will meet on Friday": the coming one
            delta = (wd - ref.weekday()) % 7 or 7
        else:
            delta = -((ref.weekday() - wd) % 7)
            if modifier == "last" and delta == 0:
                delta = -7
        add(m, (ref + timedelta(days=delta)).isoformat())
    low = text.lower()
    for phrase, delta in RELATIVE.items():
        for m in re.finditer(rf"\b{re.escape(phrase)}\b", low):
            if ref is not None:
                add(m, (ref + timedelta(days=delta)).isoformat())
    for m in MONTH_ONLY.finditer(text):
        month = MONTHS[m["month"].lower()]
        if m["year"]:
            add(m, f"{int(m['year'])}-{month:02d}")
        elif ref is not None:
            add(m, f"{ref.year if month <= ref.month else ref.year - 1}-{month:02d}")
    for m in YEAR_ONLY.finditer(text):
        add(m, m["year"])
    found.sort(key=lambda f: (-len(f[2]), f[0]))
    return found


def first_date(text: str, doc_date: str | None) -> str | None:
    """The most specific date a stretch of text gives, or None."""
    found = resolve_dates(text, doc_date)
    return found[0][2] if found else None
