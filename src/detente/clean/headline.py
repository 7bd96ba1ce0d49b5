"""Headlines: what a title line looks like, site-name suffixes, and when two titles are the same.

Rules of shape only: a headline is short, starts with a capital (or a digit or quote), and does
not end like a sentence or a clause. Pages add " | Site" and " | Section | Site" to titles;
those are cut, keeping the longest segment; dash suffixes are cut only when they look like a
name ("Headline - BBC News"), since headlines use dashes themselves.
"""

from __future__ import annotations

import re
import unicodedata

PIPES = re.compile(r"\s+(?:\||\u2016|\uff5c|\u00a6|::)\s+")
DASH_SUFFIX = re.compile(r"\s+[-\u2013\u2014\u00bb]\s+([^-\u2013\u2014]{2,40})$")
CLOSERS = "\"'\u201d\u2019)]\u00bb"
SENTENCE_END = re.compile(r"[.;,:\-\u2013\u2014]$")
TWO_SENTENCES = re.compile(r"[a-z\u00e0-\u00ff]{2}[.!?]\s+[A-Z\u201c\"]")
MAX_WORDS = 22
COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
NON_WORD = re.compile(r"[\W_]+")
MAX_CHARS = 180


def norm_key(text: str) -> str:
    """Casefolded words without punctuation or accents: how titles are compared."""
    if not text.isascii():
        text = COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return NON_WORD.sub(" ", text.casefold()).strip()


def strip_site(title: str, dashes: bool = True) -> str:
    """ "Headline | Section | Site" -> "Headline"; "Headline - BBC News" -> "Headline".

    Dash suffixes are cut only with ``dashes`` (titles from <title> and meta tags): on the page
    itself "Qatar helped broker the deal - CNN" is the headline as shown, attribution included.
    """
    title = title.strip()
    parts = [p.strip() for p in PIPES.split(title) if p.strip()]
    if len(parts) > 1:
        # "Headline | Site", "Section | Headline | Site": the first long segment, else the longest.
        best = parts[0] if len(parts[0].split()) >= 4 else max(parts, key=lambda p: len(p.split()))
        if len(best.split()) >= 3:
            title = best
    m = DASH_SUFFIX.search(title) if dashes else None
    if m and _looks_like_name(m.group(1)) and len(title[: m.start()].split()) >= 3:
        title = title[: m.start()].rstrip()
    return title


def _looks_like_name(text: str) -> bool:
    """ "BBC News", "Al Jazeera", "thedailystar.net": short, every word capitalised or a domain."""
    words = text.split()
    if not 1 <= len(words) <= 4:
        return False
    if re.search(r"\w\.(com|net|org|co|news|info|io|uk|de|fr)\b", text, re.I):
        return True
    small = {"the", "of", "and", "&", "de", "la", "le", "al", "el", "in", "on"}
    return (
        all(w[:1].isupper() or w[:1].isdigit() or w.lower() in small for w in words)
        and words[0][:1].isupper()
    )


def looks_like_headline(line: str) -> bool:
    """Short, capitalised, and not ending like a sentence or a clause."""
    text = line.strip()
    words = text.split()
    if not 3 <= len(words) <= MAX_WORDS or len(text) > MAX_CHARS:
        return False
    first = text.lstrip(CLOSERS + "\u201c\u2018\"'(")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    core = text.rstrip(CLOSERS)
    if SENTENCE_END.search(core) or TWO_SENTENCES.search(text):
        return False
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and not all(c.islower() for c in letters)


def ends_like_sentence(line: str) -> bool:
    """A full stop, question or exclamation mark at the end (before any closing quotes)."""
    core = line.rstrip().rstrip(CLOSERS)
    return core.endswith((".", "!", "?", "\u2026"))


def same_title(a: str, b: str, threshold: float = 0.85) -> bool:
    """The same headline, give or take case, punctuation, a site suffix or a word or two."""
    ka, kb = norm_key(strip_site(a)), norm_key(strip_site(b))
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    ta, tb = ka.split(), kb.split()
    if min(len(ta), len(tb)) < 4:
        return False
    common = len(set(ta) & set(tb))
    return 2 * common / (len(set(ta)) + len(set(tb))) >= threshold
