"""Numbers as news writes them: digits, words, compounds ("thirty days", "1,000-for-1,000",
"two-and-a-half hours", "a 72-hour truce", "175 each")."""

from __future__ import annotations

import re

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
WORD = "|".join(sorted([*UNITS, *TENS, *SCALES], key=len, reverse=True))
WORD_NUMBER = re.compile(rf"\b(?:(?:{WORD})(?:[\s-]+(?:and[\s-]+)?)?)+\b", re.I)
DIGITS = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.,])\d+(?:\.\d+)?(?!\d)")
HALF = re.compile(rf"\b((?:{WORD})|\d+)[\s-]+and[\s-]+a[\s-]+half\b", re.I)


def words_to_number(words: str) -> float | None:
    """ "thirty" -> 30, "twenty-six" -> 26, "one hundred and seventy-five" -> 175."""
    total = current = 0
    seen = False
    for w in re.split(r"[\s-]+", words.lower()):
        if w in ("", "and", "a"):
            continue
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w in SCALES:
            current = max(current, 1) * SCALES[w]
            if SCALES[w] >= 1000:
                total += current
                current = 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None


def numbers_in(text: str) -> list[tuple[int, int, float]]:
    """(start, end, value) of every number in ``text``."""
    found: list[tuple[int, int, float]] = []
    taken: list[tuple[int, int]] = []
    for m in HALF.finditer(text):
        base = m.group(1)
        value = float(base) if base.isdigit() else words_to_number(base)
        if value is not None:
            found.append((m.start(), m.end(), value + 0.5))
            taken.append(m.span())
    for m in DIGITS.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        found.append((m.start(), m.end(), float(m.group(0).replace(",", ""))))
    for m in WORD_NUMBER.finditer(text):
        if any(a <= m.start() < b for a, b in taken) or not m.group(0).strip():
            continue
        value = words_to_number(m.group(0))
        if value is not None:
            found.append((m.start(), m.end(), value))
    return sorted(found)


def as_int(value: float) -> int | float:
    return int(value) if value == int(value) else value
