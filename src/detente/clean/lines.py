"""Splitting a page's text into logical lines: one per paragraph or piece of page furniture.

Stored pages and extracted HTML have one paragraph per line. Hard-wrapped text (e-mails, some
.txt and .md files) has paragraphs broken at a fixed width: there a line that fills the width
continues on the next one, and the two are joined with a space so that sentences stay whole
for the NLP stage. Header lines (title, byline, date) are short, so they are never joined.
"""

from __future__ import annotations

import itertools
import re

MAX_WRAP_WIDTH = 100  # wider lines are paragraphs, not wrapped text
FULL = 0.6  # a wrapped line fills at least this share of the width
# A dateline on its own line: "PUTRAJAYA:", "KYIV, Ukraine (AP) —", "NEW DELHI -".
DATELINE = re.compile(
    r"^[A-Z][A-Z .'-]{1,30}(,\s*[A-Z][\w .]{1,30})?(\s*\([\w .]{1,30}\))?\s*[:\u2014\u2013-]$"
)
MID_CLAUSE_END = re.compile(r"[^\W\d_],?$")
CONTINUES = re.compile(r"^[^\W\d_]{2,}\b")  # a word (checked for lower case below)


def logical_lines(text: str) -> list[str]:
    """Trimmed, non-empty lines, with hard-wrapped paragraphs joined."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    lines = [ln.strip() for ln in raw.split("\n")]
    width = _wrap_width(lines)
    if width is None:
        return _join_broken([ln for ln in lines if ln])
    out: list[str] = []
    joining = False
    for ln in lines:
        if not ln:
            joining = False
            continue
        if joining and out:
            out[-1] = f"{out[-1]} {ln}"
        else:
            out.append(ln)
        joining = len(ln) >= FULL * width
    return out


def _wrap_width(lines: list[str]) -> int | None:
    """The wrap width when the text is hard-wrapped, else None."""
    lengths = [len(ln) for ln in lines if ln]
    if len(lengths) < 5:
        return None
    width = max(lengths)
    if width > MAX_WRAP_WIDTH:
        return None
    # Wrapped prose: full lines go on to a next line, mostly mid-sentence (no closing
    # punctuation) and often mid-clause (the next line starts in lower case). Lists of short
    # headlines fill lines too, but each next line starts with a capital.
    full = [(a, b) for a, b in itertools.pairwise(lines) if a and b and len(a) >= FULL * width]
    open_ = [(a, b) for a, b in full if not a.rstrip("\"'\u201d\u2019)").endswith((".", "!", "?", ":"))]
    lower = sum(1 for _, b in open_ if b[:1].islower())
    if (
        len(open_) >= 3
        and len(open_) >= 0.6 * len(full)
        and len(full) >= 0.3 * len(lengths)
        and lower >= 0.4 * len(open_)
    ):
        return width
    return None


def _join_broken(lines: list[str]) -> list[str]:
    """Join a sentence broken over two lines: the first stops mid-clause (on a letter or a comma),
    the next goes on in lower case ("Given" / "the strained relations between ..."). Both must be
    long enough to be prose: interface lines ("list of 3 items") start in lower case too."""
    out: list[str] = []
    for ln in lines:
        prev = out[-1] if out else ""
        n_prev = len(prev.split())
        if prev and DATELINE.match(prev) and ln[:1].isupper():  # "PUTRAJAYA:" / "Cambodia and ..."
            out[-1] = f"{prev} {ln}"
            continue
        if (
            prev
            and (n_prev >= 5 or (n_prev == 1 and prev[:1].isupper()))
            and len(ln.split()) >= 6
            and MID_CLAUSE_END.search(prev)
            and CONTINUES.match(ln)
            and ln[:1].islower()
            and not prev.startswith(("http://", "https://", "www."))
        ):
            out[-1] = f"{prev} {ln}"
        else:
            out.append(ln)
    return out
