"""Writing systems of letters: which script an article is written in, and lines in another one.

A disclaimer in Chinese inside an English article is boilerplate; a Russian article read with
``languages=("ru",)`` is not. So the foreign share is measured against the article's own
dominant script, never against Latin.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

# Unicode name prefixes that are not a script of running text (𝕏, full-width forms, symbols).
NEUTRAL = {"MATHEMATICAL", "FULLWIDTH", "HALFWIDTH", "MODIFIER", "CIRCLED", "PARENTHESIZED", "SQUARED"}
ASCII_LETTERS = re.compile(r"[A-Za-z]")
NON_ASCII = re.compile(r"[^\x00-\x7f]")
SAME = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK", "IDEOGRAPHIC": "CJK", "CJK": "CJK"}


@lru_cache(maxsize=4096)
def script_of(char: str) -> str | None:
    """The script of a letter ("LATIN", "CYRILLIC", "CJK", ...), None for neutral characters."""
    if char < "\u0080":
        return "LATIN" if char.isalpha() else None
    if not char.isalpha():
        return None
    first = unicodedata.name(char, "").split(" ", 1)[0]
    if not first or first in NEUTRAL:
        return None
    return SAME.get(first, first)


def script_counts(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    latin = len(ASCII_LETTERS.findall(text))
    if latin:
        counts["LATIN"] = latin
    if not text.isascii():
        for c in NON_ASCII.findall(text):
            if c.isalpha():
                s = script_of(c)
                if s:
                    counts[s] += 1
    return counts


def dominant_script(text: str) -> str:
    counts = script_counts(text)
    return counts.most_common(1)[0][0] if counts else "LATIN"


def foreign_share(line: str, script: str) -> float:
    """Share of a line's letters that are not in ``script``."""
    if line.isascii() and script == "LATIN":
        return 0.0
    counts = script_counts(line)
    total = sum(counts.values())
    return (total - counts.get(script, 0)) / total if total else 0.0
