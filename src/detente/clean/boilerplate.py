"""The line filter: which lines of a page are the article.

Two kinds of rule. Line rules look at one line: interface words and prompts, link-list openers,
disclaimers, credits, bylines, captions, date lines, navigation, lines in another script (the
word lists live in ``data/boilerplate.yaml``). Context rules look at the line's place: the
headline and labels before the body starts, links after a list opener, runs of headline-like
lines after the body started, and repeated lines. Kept lines are never rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from detente.clean.dates import date_in_line, is_update_line
from detente.clean.headline import (
    ends_like_sentence,
    looks_like_headline,
    norm_key,
    same_title,
    strip_site,
)
from detente.clean.lines import logical_lines
from detente.clean.patterns import Patterns, load_patterns
from detente.clean.scripts import dominant_script, foreign_share

DATE_TAG = re.compile(r"^\s*date\s*:?\s+(\d{4}-\d{2}-\d{2})\b\s*", re.I)
BYLINE_START = re.compile(r"^(?:by|written by|words by|reported by|story by|text by)\b[\s:]*", re.I)
NAME_SEPARATOR = re.compile(r"\s*(?:[|\u2022\u00b7,;/]|\s[-\u2013\u2014]\s|\s[-\u2013\u2014]$)\s*")
BREADCRUMB = re.compile(r"\s*[>\u00bb\u203a]\s*|\s+/\s+")
CONNECTORS = {
    "and",
    "&",
    "de",
    "van",
    "von",
    "der",
    "al",
    "el",
    "bin",
    "ibn",
    "la",
    "le",
    "da",
    "di",
    "du",
    "y",
}
NAME_SEPARATORS = {"-", "\u2013", "\u2014", "\u00b7", "\u2022", ":"}
PLACE_WORDS = {"in", "at", "from", "for"}  # "Jane Doe in Kyiv", "Staff Reporter for Reuters"
STOPWORDS = {"the", "a", "an", "and", "or", "to", "in", "on", "of", "for", "up", "out", "us", "our", "my"}
STOPWORDS |= {"all", "now", "here", "this"}
EDGE = " \t-\u2013\u2014|\u2022\u00b7*>#:=_~\u25ba\u25b6\u2192\\"
TOKEN = re.compile(r"[\w'\u2019-]+")
WEATHER = re.compile(r"-?\d+(?:[.,]\d+)?\s*\u00b0\s*[CF]?\b")
TIMESTAMP = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")
CAPTION_TAIL = 200  # credits end a caption: only the line's tail is searched
# Every caption ending in the data names a credit word, an agency, a slash or a bracket: a cheap
# test that spares most lines the full alternation.
CAPTION_HINT = re.compile(r"[/(\[]|photo|pictur|image|credit|courtesy|\bpics?\b|\bpix\b", re.I)
FOREIGN = 0.5  # a line with more than this share of letters in another script is dropped
TOP_LINES = 5  # date lines are read up to this many body paragraphs into the text
RUN_WORDS = 5  # a related link's headline has at least this many words
WEAK_WORDS = 4  # "The Kyiv Independent": a headline this short gives way to a longer one before the body


@dataclass(slots=True)
class Filtered:
    """The article's paragraphs and what the filter learned on the way."""

    paragraphs: list[str]
    title: str | None = None
    date: str | None = None  # from a date line or a "date YYYY-MM-DD" tag
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (line, reason)


def core(line: str) -> str:
    """The line without edge bullets, dashes, pipes and colons: what patterns are matched on."""
    return line.strip(EDGE)


def line_reason(line: str, pat: Patterns, script: str = "LATIN") -> str | None:
    """Why one line, on its own, is not article text; None when it may be."""
    if not any(c.isalnum() for c in line):
        return "separator"
    if foreign_share(line, script) > FOREIGN:
        return "another script"
    c = core(line)
    n = len(line.split())
    if n <= 30 and pat.ui.match(c):
        return "page interface"
    if n <= 8 and ui_words_only(c, line, pat):
        return "page interface"
    if n <= 6 and WEATHER.search(line) and not ends_like_sentence(line):
        return "page interface"  # a weather widget: "Mostar • 4.5° Overcast"
    if pat.disclaimers.match(c):
        return "disclaimer"
    if n <= 60 and pat.credits.match(c):
        return "credit"
    if is_byline(line):
        return "byline"
    tail = line[-CAPTION_TAIL:]
    if n <= 60 and (
        (CAPTION_HINT.search(tail) and pat.caption_end.search(tail)) or pat.caption_start.match(c)
    ):
        return "photo caption"
    if n <= 14 and date_in_line(line, strict=True):
        return "date line"
    if n <= 14 and line.count("|") >= 2 and not ends_like_sentence(line):
        return "navigation"
    if is_breadcrumb(line):
        return "navigation"
    return None


def ui_words_only(c: str, line: str, pat: Patterns) -> bool:
    """ "Facebook X Email", "Dark Mode Light Mode": buttons, no full stop, nothing else."""
    if line.rstrip().endswith("."):
        return False
    tokens = [t.casefold() for t in TOKEN.findall(c)]
    words = [t for t in tokens if not t.isdigit()]
    return bool(words) and all(t in pat.ui_words for t in words) and any(t not in STOPWORDS for t in words)


def is_byline(line: str) -> bool:
    """ "By Jane Doe | Correspondent", "By Anton Troianovski and Kim Barker New York Times"."""
    m = BYLINE_START.match(line)
    if not m or len(line.split()) > 25:
        return False
    rest = line[m.end() :]
    name = NAME_SEPARATOR.split(rest, maxsplit=1)[0].strip()
    tokens = name.split()
    if not tokens:
        return True  # "By | Wednesday, 07 May 2025"
    if len(tokens) > 10 or not all(_name_token(t) for t in tokens):
        return False
    return len(tokens) >= 2 or name == rest.strip()


def _name_token(token: str) -> bool:
    return token[:1].isupper() or token.lower() in CONNECTORS


def names_only(line: str) -> bool:
    """ "Jane Doe", "Staff Reporter, Kyiv": a short line of capitalised words and no sentence."""
    words = [w for w in re.split(r"[\s,|/&]+", line) if w and w not in NAME_SEPARATORS]
    if not 1 <= len(words) <= 6 or ends_like_sentence(line):
        return False
    return all(_name_token(w) or w in PLACE_WORDS for w in words) and words[0] not in PLACE_WORDS


def is_breadcrumb(line: str) -> bool:
    """ "Home > World > Europe", "News / Middle East / Iran"."""
    parts = [p for p in BREADCRUMB.split(line) if p.strip()]
    return len(parts) >= 3 and all(len(p.split()) <= 4 for p in parts) and not ends_like_sentence(line)


def link_like(line: str) -> bool:
    """A line in a list of links: a headline (perhaps a question) or a few words, never a sentence."""
    return looks_like_headline(line) or (len(line.split()) <= 3 and not ends_like_sentence(line))


def starts_body(line: str) -> bool:
    """A paragraph that reads as running text: it ends like a sentence, or is too long for a deck."""
    return ends_like_sentence(line) or len(line.split()) > 30


def filter_lines(text: str, known_title: str | None = None, patterns: Patterns | None = None) -> Filtered:
    """Keep the article's paragraphs; find the headline and a date line on the way."""
    state = _Filter(patterns or load_patterns(), dominant_script(text), known_title)
    for line in logical_lines(text):
        state.feed(line)
    return state.result()


class _Filter:
    """The line filter's state while it walks down a page."""

    def __init__(self, pat: Patterns, script: str, known_title: str | None) -> None:
        self.pat, self.script = pat, script
        self.out = Filtered(paragraphs=[])
        self.known = known_title is not None
        self.title = strip_site(known_title) if known_title else None
        self.weak = False  # a title of at most WEAK_WORDS words (a site or section name?) may give way
        self.in_body = False  # until a paragraph of running text: decks, bylines and labels come first
        self.list_mode: str | None = None  # "time" after a timestamp, "text" after "Read next", "Related"...
        self.after_time = False  # in a "text" list, a timestamp makes the next item a link whatever it is
        self.seen: set[str] = set()
        self.captions: list[str] = []  # keys of dropped captions, to catch their repeats
        self.last: str | None = None  # "title" or "paragraph": what the last kept line became
        self.dates: list[tuple[str, bool]] = []  # (ISO date, from an "Updated" line)

    def result(self) -> Filtered:
        self.out.paragraphs = _drop_link_runs(self.out.paragraphs, self.out.dropped)
        self.out.title = self.title
        self.out.date = next(
            (d for d, upd in self.dates if not upd), self.dates[0][0] if self.dates else None
        )
        return self.out

    def drop(self, line: str, reason: str) -> None:
        self.out.dropped.append((line, reason))

    def feed(self, line: str) -> None:
        m = DATE_TAG.match(line)
        if m:  # a stored page's "date YYYY-MM-DD" tag, perhaps followed by a byline or caption
            self.dates.append((m.group(1), False))
            self.drop(line[: m.end()].strip(), "date tag")
            line = line[m.end() :].strip()
            if not line:
                return
        reason = line_reason(line, self.pat, self.script)
        if reason in ("date line", "byline") and len(self.out.paragraphs) < TOP_LINES:
            found = date_in_line(line)
            if found:
                self.dates.append((found, is_update_line(line)))
        reason = self._list_reason(line, reason)
        reason = self._caption_reason(line, reason)
        if reason is None and self._takes_title(line):
            reason = "headline"
        if reason is None:
            reason = _context_reason(line, self.title, self.in_body, self.seen)
            if reason == "repeated line" and self._repeat_is_title(line):
                reason = "headline"
        if reason is not None:
            self.drop(line, reason)
            if reason == "photo caption":
                self.captions.append(norm_key(line))
            if reason != "headline":
                self.last = None if reason not in ("page interface", "separator") else self.last
            return
        self.seen.add(norm_key(line))
        self.out.paragraphs.append(line)
        self.in_body = self.in_body or starts_body(line)
        self.last = "paragraph"

    def _list_reason(self, line: str, reason: str | None) -> str | None:
        """Related-link lists: opened by "Related", "Read next" or a timestamp; links follow."""
        c = core(line)
        if TIMESTAMP.match(c):
            self.after_time = self.list_mode == "text"
            self.list_mode = self.list_mode or "time"
            return "related-link list"
        if self.pat.openers.match(c):
            self.list_mode, self.after_time = "text", False
            return "related-link list"
        if reason is not None or self.list_mode is None:
            return reason
        if self.after_time:  # "22:30" / "crypto" / "Summary of the linked story."
            self.after_time = link_like(line) and len(line.split()) <= 3
            return "related-link list"
        if link_like(line):
            return "related-link list"
        self.list_mode = None
        return None

    def _caption_reason(self, line: str, reason: str | None) -> str | None:
        """Captions: their repeats, and the caption line just above a credit standing alone."""
        key = norm_key(line)
        if reason is None and len(key.split()) >= 6 and any(c.startswith(key) for c in self.captions):
            return "photo caption"
        if reason == "photo caption" and self.last is not None and _standalone_credit(line, self.pat):
            above = self.title if self.last == "title" else self.out.paragraphs[-1]
            if above and not ends_like_sentence(above) and len(above.split()) <= 40:
                if self.last == "title" and not self.known:
                    self.title, self.weak = None, False
                elif self.last == "paragraph":
                    self.out.paragraphs.pop()
                    self.seen.discard(norm_key(above))
                    self.in_body = any(starts_body(p) for p in self.out.paragraphs)
                self.drop(above, "photo caption")
                self.captions.append(norm_key(above))
                self.last = None
        return reason

    def _takes_title(self, line: str) -> bool:
        """The headline: the first headline-like line before the body (a short one may give way)."""
        if self.in_body or not _headline(line):
            return False
        if self.title is not None and not (self.weak and not same_title(line, self.title)):
            return False
        if self.title is not None:
            self.drop(self.title, "section or site name")
        self._set_title(line)
        self.weak = len((self.title or "").split()) <= WEAK_WORDS and not self.known
        return True

    def _repeat_is_title(self, line: str) -> bool:
        """No headline yet, and a headline-like line near the top comes twice: that is the headline."""
        if self.title is not None or len(self.out.paragraphs) >= TOP_LINES or not _headline(line):
            return False
        self._set_title(line)
        return True

    def _set_title(self, line: str) -> None:
        self.title = strip_site(line.lstrip(EDGE), dashes=False)
        earlier = [p for p in self.out.paragraphs if same_title(p, self.title)]
        for p in earlier:  # a breadcrumb or a first copy of the headline kept before it was known
            self.out.paragraphs.remove(p)
            self.drop(p, "headline")
        self.last = "title"


def _standalone_credit(line: str, pat: Patterns) -> bool:
    """ "(Photo: Jane Doe/AFP)", "Photo: Reuters": a credit with no caption of its own."""
    c = line.strip()
    if c.startswith("(") and c.endswith(")"):
        return True
    return bool(pat.caption_start.match(core(c))) and len(c.split()) <= 12


def _headline(line: str) -> bool:
    """Headline-shaped (a question mark may end one; a full stop may not)."""
    cand = line.lstrip(EDGE)
    return not cand.rstrip().endswith((".", "!", "\u2026")) and looks_like_headline(
        strip_site(cand, dashes=False)
    )


def _context_reason(line: str, title: str | None, in_body: bool, seen: set[str]) -> str | None:
    """Rules that depend on where a line stands: repeats, the headline again, labels before the body."""
    key = norm_key(line)
    if key in seen and len(key.split()) >= 3:
        return "repeated line"
    short = len(line.split()) <= 2 and not ends_like_sentence(line)
    repeat = title is not None and (
        (not in_body and same_title(line, title)) or (key == norm_key(title) and not ends_like_sentence(line))
    )
    if repeat:
        return "headline"
    if in_body:
        return "fragment" if short else None
    # Before the body: labels, names and navigation until the first paragraph.
    if short:
        return "section label"
    if title is not None and not ends_like_sentence(line):
        if len(line.split()) <= 4:
            return "section label"
        if names_only(line):
            return "byline"
        if "|" in line and len(line.split()) <= 12:
            return "navigation"
    return None


def _drop_link_runs(paragraphs: list[str], dropped: list[tuple[str, str]]) -> list[str]:
    """Two or more headline-like lines in a row after running text are links, not paragraphs.

    Lines of a list the text announces ("The deal includes:") stay, and so do short items
    (link headlines have at least ``RUN_WORDS`` words).
    """
    first = next((i for i, p in enumerate(paragraphs) if starts_body(p)), len(paragraphs))
    flags = [
        i > first and len(p.split()) >= RUN_WORDS and looks_like_headline(p) and not ends_like_sentence(p)
        for i, p in enumerate(paragraphs)
    ]
    keep: list[str] = []
    i = 0
    while i < len(paragraphs):
        j = i
        while j < len(paragraphs) and flags[j]:
            j += 1
        announced = i > 0 and paragraphs[i - 1].rstrip().endswith(":")
        if j - i >= 2 and not announced:
            dropped.extend((p, "related-link list") for p in paragraphs[i:j])
            i = j
            continue
        keep.extend(paragraphs[i : max(j, i + 1)])
        i = max(j, i + 1)
    return keep
