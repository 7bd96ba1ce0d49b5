"""Turning bytes into text: a BOM, then UTF-8, then a declared, Western or detected encoding.

Order matters. Valid UTF-8 with non-ASCII characters is almost never anything else, so it goes
first even when a page declares another charset (mislabelled pages are common). Short Western
European text is where charset detectors guess worst (charset-normalizer reads French Latin-1 as
cp1250), so cp1252/Latin-1 is tried before the detector when the result reads like a Western
text: a few accented letters among plain ones. The detector is left for Cyrillic, Greek, CJK....
"""

from __future__ import annotations

import codecs
import logging
import re

log = logging.getLogger(__name__)

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
MAX_ACCENTED_SHARE = 0.3  # of letters (and of visible characters); Cyrillic read as cp1252 gives ~100 %
DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9._:-]{2,40})""", re.I)


class NotText(ValueError):
    """The bytes are not text (binary data, or no encoding fits)."""


def bom_encoding(data: bytes) -> str | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding
    return None


def looks_binary(data: bytes) -> str | None:
    """Why the bytes are not an article (NUL bytes, control characters), or None."""
    if bom_encoding(data) in ("utf-16", "utf-32"):
        return None  # wide encodings are full of NUL bytes
    if b"\x00" in data:
        return "binary data (NUL bytes), not text"
    head = data[:8192]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if head and controls / len(head) > 0.05:
        return "binary data (control characters), not text"
    return None


def declared_encoding(data: bytes) -> str | None:
    """The charset an HTML <meta> or an XML declaration names in the first 2 KB."""
    m = DECLARED.search(data[:2048])
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes, source: str, declared: str | None = None) -> str:
    """Decode article bytes; raise ``NotText`` for binary or undecodable data."""
    bom = bom_encoding(data)
    if bom:
        try:
            return data.decode(bom)
        except UnicodeDecodeError as e:
            raise NotText(f"starts with a {bom} byte-order mark but does not decode ({e.reason})") from e
    why = looks_binary(data)
    if why:
        raise NotText(why)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        log.info("%s: UTF-8 with a few invalid bytes; they were replaced", source)
        return mostly
    if declared:
        try:
            text = data.decode(declared)
            log.info("%s: not UTF-8, read as declared %s", source, declared)
            return text
        except (UnicodeDecodeError, LookupError):
            pass
    western = _western(data)
    if western is not None:
        log.info("%s: not UTF-8, read as cp1252/Latin-1", source)
        return western
    detected = _detected(data)
    if detected is not None:
        text, encoding = detected
        log.info("%s: not UTF-8, read as %s (detected)", source, encoding)
        return text
    raise NotText("undecodable: not UTF-8 and no known encoding fits")


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with stray bad bytes: real multi-byte characters, and errors few next to them or to
    the length (Latin-1 text has no valid multi-byte sequences at all)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if c > "\x7f") - bad
    return text if good >= 1 and bad <= max(good, len(text) // 50) else None


def _western(data: bytes) -> str | None:
    """cp1252 (or Latin-1) when it reads like Western text: few accented letters among plain ones."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        if any("\x80" <= c <= "\x9f" for c in text):
            return None  # C1 control characters: not Latin-1 text either
    letters = accented = non_ascii = visible = 0
    for c in text:
        if c.isspace():
            continue
        visible += 1
        if c > "\x7f":
            non_ascii += 1
        if c.isalpha():
            letters += 1
            accented += c > "\x7f"
    if not letters or accented / letters > MAX_ACCENTED_SHARE or non_ascii / visible > MAX_ACCENTED_SHARE:
        return None
    return text


def _detected(data: bytes) -> tuple[str, str] | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset_normalizer comes with requests
        return None
    best = from_bytes(data).best()
    if best is None or not best.encoding or best.encoding.startswith("mac"):
        return None  # old Mac code pages are the detector's guess for damaged UTF-8, hardly ever right
    return str(best), best.encoding
