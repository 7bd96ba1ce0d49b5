"""Language identification with py3langid (a small model shipped inside the package)."""

from __future__ import annotations

from functools import lru_cache

MIN_LETTERS = 60  # below this, identification is guesswork: report "und" (undetermined)


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, min_confidence: float = 0.8) -> str:
    """ISO 639-1 code of the text's language, or "und" when too short or unsure."""
    sample = text[:4000]
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return "und"
    lang, prob = _identifier().classify(sample)
    return lang if prob >= min_confidence else "und"
