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


def _can_open(text: str, i: int, width: int = 1) -> bool:
    return _prev(text, i) in OPEN_CONTEXT and _next(text, i + width - 1) not in (" ", "\n", "")


def _can_close(text: str, i: int, width: int = 1) -> bool:
    prev, nxt = _prev(text, i), _next(text, i + width - 1)
    return prev not in (" ", "\n", "") and not WORDISH.match(nxt or " ")


def _mark_at(text: str, i: int) -> tuple[str, int]:
    """The mark at ``i`` and its width: typewriter pairs (''quote'', ``quote'') count as one
    straight double quotation mark, as some newspapers' archives print them."""
    if text.startswith(("''", "``"), i):
        return '"', 2
    return text[i], 1


def scan_paragraph(text: str, start: int, end: int) -> list[Marked]:
    """Quoted spans of ``text[start:end]``, outermost level only."""
    found: list[Marked] = []
    open_at: int | None = None
    opener = ""
    inner = 0  # where the open quote's words begin
    i = start
    para = (start, end)
    while i < end:
        ch, width = _mark_at(text, i)
        if open_at is None:
            if (
                (ch in ("“", "„", "«", "「", "『") and _can_open(text, i))
                or (ch == '"' and _can_open(text, i, width))
                or (ch == "‘" and _can_open(text, i) and WORDISH.match(_next(text, i) or " "))
            ):
                open_at, opener, inner = i, ch, i + width
            elif ch in ("”", '"', "»") and width == 1 and _can_close(text, i):
                found.append(Marked(None, i, True, para))  # typewriter pairs only pair
        else:
            closer = PAIRS.get(opener, "”")
            if (ch == closer or (opener in ('"', "“") and ch in ('"', "”"))) and (
                ch not in ("’", "'") or _can_close(text, i)
            ):
                if i > inner:
                    found.append(Marked(inner, i, True, para))
                open_at = None
            elif opener in ('"', "“") and ch in ("“",) and _can_open(text, i) and ch != opener:
                pass  # a nested or mismatched mark; keep the outer quote open
        i += width
    if open_at is not None:
        stop = end
        while stop > inner and text[stop - 1] in " \n\t":
            stop -= 1
        if stop > inner:
            found.append(Marked(inner, stop, False, para))
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
