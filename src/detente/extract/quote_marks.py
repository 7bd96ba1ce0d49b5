"""Finding quoted passages by their quotation marks, in every common style.

Works on the raw text, paragraph by paragraph, because quotes may be left open at a paragraph's
end (a quote that goes on in the next paragraph re-opens there), may lack their opening mark
(a closing mark with no opener: the quote started earlier in the paragraph), and mix straight
and typographic marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_OPEN = {"“", "«", "„", "»"}  # "»...«" is a Scandinavian/German style; rare
DOUBLE_CLOSE = {"”", "»", "«", "“"}
PAIRS = {"“": "”", "«": "»", "„": "“", "»": "«", '"': '"', "‘": "’", "「": "」", "『": "』"}
OPEN_CONTEXT = set(" \t\n([{—–-/") | {""}
WORDISH = re.compile(r"\w", re.UNICODE)


@dataclass(slots=True)
class Marked:
    """The content between a pair of quotation marks (marks excluded)."""

    start: int | None  # None: the closing mark had no opener in its paragraph
    end: int
    closed: bool  # False: the paragraph ended before a closing mark
    paragraph: tuple[int, int]


def _prev(text: str, i: int) -> str:
    return text[i - 1] if i > 0 else ""


def _next(text: str, i: int) -> str:
    return text[i + 1] if i + 1 < len(text) else ""


def _can_open(text: str, i: int) -> bool:
    return _prev(text, i) in OPEN_CONTEXT and _next(text, i) not in (" ", "\n", "")


def _can_close(text: str, i: int) -> bool:
    prev, nxt = _prev(text, i), _next(text, i)
    return prev not in (" ", "\n", "") and not WORDISH.match(nxt or " ")


def scan_paragraph(text: str, start: int, end: int) -> list[Marked]:
    """Quoted spans of ``text[start:end]``, outermost level only."""
    found: list[Marked] = []
    open_at: int | None = None
    opener = ""
    i = start
    para = (start, end)
    while i < end:
        ch = text[i]
        if open_at is None:
            if (
                (ch in ("“", "„", "«", "「", "『") and _can_open(text, i))
                or (ch == '"' and _can_open(text, i))
                or (ch == "‘" and _can_open(text, i) and WORDISH.match(_next(text, i) or " "))
            ):
                open_at, opener = i, ch
            elif ch in ("”", '"', "»") and _can_close(text, i):
                found.append(Marked(None, i, True, para))
        else:
            closer = PAIRS.get(opener, "”")
            if (ch == closer or (opener in ('"', "“") and ch in ('"', "”"))) and (
                ch not in ("’", "'") or _can_close(text, i)
            ):
                if i > open_at + 1:
                    found.append(Marked(open_at + 1, i, True, para))
                open_at = None
            elif opener in ('"', "“") and ch in ("“",) and _can_open(text, i) and ch != opener:
                pass  # a nested or mismatched mark; keep the outer quote open
        i += 1
    if open_at is not None:
        stop = end
        while stop > open_at + 1 and text[stop - 1] in " \n\t":
            stop -= 1
        if stop > open_at + 1:
            found.append(Marked(open_at + 1, stop, False, para))
    return found


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line of ``text``."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


def find_marked(text: str) -> list[Marked]:
    """All quoted spans; a quote left open that re-opens in the next paragraph is joined to it."""
    spans: list[Marked] = []
    for start, end in paragraph_bounds(text):
        spans.extend(scan_paragraph(text, start, end))
    joined: list[Marked] = []
    for m in spans:
        if (
            joined
            and not joined[-1].closed
            and m.start is not None
            and joined[-1].start is not None
            and text[joined[-1].paragraph[1] : m.paragraph[0]].strip() == ""
            and text[m.paragraph[0] : m.start - 1].strip() == ""
        ):
            prev = joined.pop()
            joined.append(Marked(prev.start, m.end, m.closed, (prev.paragraph[0], m.paragraph[1])))
            continue
        joined.append(m)
    return joined
