"""Language identification with py3langid (a small model shipped inside the package).

Short texts are where identifiers go wrong (a line of names reads as Italian), and rejecting an
English article is worse than keeping a foreign one. So below ``MIN_LETTERS`` letters the answer
is "und" (undetermined), and up to ``SHORT_LETTERS`` an answer needs more confidence.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

MIN_LETTERS = 60
SHORT_LETTERS = 300
SAMPLE_CHARS = 2000  # enough for a confident answer; the identifier costs time per character
LETTERS = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, min_confidence: float = 0.8) -> str:
    """ISO 639-1 code of the text's language, or "und" when too short or unsure."""
    sample = text[:SAMPLE_CHARS]
    letters = len(LETTERS.findall(sample))
    if letters < MIN_LETTERS:
        return "und"
    lang, prob = _identifier().classify(sample)
    needed = 0.95 if letters < SHORT_LETTERS else min_confidence
    return str(lang) if prob >= needed else "und"
