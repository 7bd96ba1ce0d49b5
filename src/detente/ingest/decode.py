"""Turning bytes into text: UTF-8 first, then a detected or Western European encoding."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class NotText(ValueError):
    """The bytes are not text (binary data, or no encoding fits)."""


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first few kilobytes: not an article."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return len(head) > 0 and controls / len(head) > 0.05


def decode(data: bytes, source: str, declared: str | None = None) -> str:
    """Decode article bytes; raise ``NotText`` for binary data."""
    if looks_binary(data):
        raise NotText("binary data, not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in [e for e in (declared, "utf-8") if e]:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and best.encoding:
            log.info("%s: not UTF-8, read as %s", source, best.encoding)
            return str(best)
    except ImportError:  # pragma: no cover - charset_normalizer comes with requests
        pass
    log.info("%s: not UTF-8, read as cp1252", source)
    return data.decode("cp1252", errors="replace")
