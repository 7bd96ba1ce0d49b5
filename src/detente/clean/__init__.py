"""Clean stage: RawDocument -> Document (article text, headline, date, language, content key).

HTML goes through trafilatura (``clean.html``); its output and plain text both go through the
line filter (``clean.boilerplate``). Paragraphs are joined with blank lines; kept lines are not
otherwise rewritten, so quotes and offsets stay faithful to the source.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata

from detente.clean import html as html_page
from detente.clean.boilerplate import filter_lines
from detente.clean.dates import to_iso
from detente.clean.language import detect_language
from detente.clean.patterns import patterns_for
from detente.config import Settings
from detente.records import Document, Problem, RawDocument

log = logging.getLogger(__name__)

__all__ = ["clean", "content_key"]


def content_key(text: str) -> str:
    """A hash of the normalised text: the same article in any markup or spacing gets one key.

    Normalised means NFKC, casefolded, and every run of white space, punctuation and symbols
    collapsed to one space; so curly and straight quotes, or a paragraph break and a space,
    give the same key.
    """
    s = unicodedata.normalize("NFKC", text).casefold()
    s = re.sub(r"[\W_]+", " ", s).strip()
    return hashlib.sha256(s.encode("utf-8")).hexdigest()[:16]


def clean(raw: RawDocument, settings: Settings) -> Document | Problem:
    """The article of a raw document, or a Problem saying why there is none. Never raises."""
    try:
        return _clean(raw, settings)
    except Exception as e:  # one odd page must not end a batch
        log.exception("cleaning %s failed", raw.source)
        return Problem(raw.source, f"cleaning failed: {type(e).__name__}: {e}", "clean")


def _clean(raw: RawDocument, settings: Settings) -> Document | Problem:
    title = raw.title
    date = to_iso(raw.date)
    date_source = "metadata" if date else None
    url = raw.url
    body = raw.body
    if raw.fmt == "html":
        page = html_page.extract(raw.body, raw.url)
        if page is None:
            return Problem(raw.source, "no article text found in the HTML", "clean")
        body = page.text
        title = title or page.title
        url = url or page.url
        if not date and page.date:
            date, date_source = page.date, "meta-tag"
    elif html_page.has_markup(body):
        body = html_page.stripped_text(body)
    patterns = patterns_for(settings.boilerplate_files)
    filtered = filter_lines(body, known_title=title, patterns=patterns)
    text = "\n\n".join(filtered.paragraphs)
    if not text.strip():
        return Problem(raw.source, "nothing left after removing boilerplate", "clean")
    if not date and filtered.date:
        date, date_source = filtered.date, "dateline"
    language = detect_language(text)
    if language != "und" and language not in settings.languages:
        return Problem(raw.source, f"language '{language}' (not in {', '.join(settings.languages)})", "clean")
    return Document(
        doc_id=content_key(text),
        name=raw.name,
        source=raw.source,
        text=text,
        title=filtered.title or None,
        date=date,
        date_source=date_source if date else None,
        language=language if language != "und" else settings.languages[0],
        url=url,
    )
