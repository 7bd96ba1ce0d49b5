"""Clean stage: RawDocument -> Document (article text, headline, date, language, content hash).

HTML goes through trafilatura; plain text (and trafilatura's output) through the line filter in
``boilerplate``. Paragraphs are joined with blank lines; kept lines are not otherwise rewritten,
so quotes and offsets stay faithful to the source.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata

from detente.clean.boilerplate import filter_lines, strip_site
from detente.clean.dates import to_iso
from detente.clean.language import detect_language
from detente.config import Settings
from detente.records import Document, Problem, RawDocument

log = logging.getLogger(__name__)

__all__ = ["clean", "content_key"]


def content_key(text: str) -> str:
    """A hash of the normalised text: the same article in any markup or spacing gets one key."""
    s = unicodedata.normalize("NFKC", text).casefold()
    s = re.sub(r"[\W_]+", " ", s).strip()
    return hashlib.sha256(s.encode("utf-8")).hexdigest()[:16]


def _from_html(raw: RawDocument) -> tuple[str, str | None, str | None] | None:
    import trafilatura

    extracted = trafilatura.bare_extraction(
        raw.body, url=raw.url, with_metadata=True, include_comments=False, include_tables=False
    )
    if extracted is None or not (extracted.text or "").strip():
        return None
    return extracted.text, extracted.title, extracted.date


def clean(raw: RawDocument, settings: Settings) -> Document | Problem:
    """The article of a raw document, or a Problem saying why there is none."""
    title, date, date_source = raw.title, to_iso(raw.date), "metadata" if raw.date else None
    body = raw.body
    if raw.fmt == "html":
        got = _from_html(raw)
        if got is None:
            return Problem(raw.source, "no article text found in the HTML", "clean")
        body, html_title, html_date = got
        title = title or html_title
        if not date and html_date:
            date, date_source = to_iso(html_date), "meta-tag"
    filtered = filter_lines(body, known_title=title)
    text = "\n\n".join(filtered.paragraphs)
    if not text.strip():
        return Problem(raw.source, "nothing left after removing boilerplate", "clean")
    if not date and filtered.date:
        date, date_source = to_iso(filtered.date), "dateline"
    language = detect_language(text)
    if language not in settings.languages and language != "und":
        return Problem(raw.source, f"language '{language}' (not in {', '.join(settings.languages)})", "clean")
    return Document(
        doc_id=content_key(text),
        name=raw.name,
        source=raw.source,
        text=text,
        title=strip_site(filtered.title) if filtered.title else None,
        date=date,
        date_source=date_source if date else None,
        language=language if language != "und" else settings.languages[0],
        url=raw.url,
    )
