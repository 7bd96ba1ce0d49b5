"""Loading the spaCy pipeline and parsing texts paragraph by paragraph."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from detente.config import Settings
from detente.extract.gazetteer import Gazetteer

PARAGRAPH = re.compile(r"[^\n]*(?:\n+|$)")


@lru_cache(maxsize=4)
def _load(model: str, gazetteers: tuple[Path, ...]) -> tuple[Language, Gazetteer]:
    nlp = spacy.load(model)
    gazetteer = Gazetteer.load(gazetteers)
    ruler = nlp.add_pipe("entity_ruler", name="detente_gazetteer", before="ner")
    ruler.add_patterns(gazetteer.ruler_patterns())
    return nlp, gazetteer


def load_nlp(settings: Settings) -> tuple[Language, Gazetteer]:
    """The spaCy model with a gazetteer entity ruler in front of its NER (cached per settings)."""
    return _load(settings.spacy_model, tuple(settings.gazetteers))


def paragraphs(text: str) -> list[str]:
    """Split on line breaks, keeping them, so that the pieces concatenate back to ``text``."""
    return [m.group(0) for m in PARAGRAPH.finditer(text) if m.group(0)]


def parse_many(
    nlp: Language, texts: Iterable[str], batch_size: int = 16, n_process: int = 1
) -> Iterator[Doc]:
    """Parse each text paragraph by paragraph (so no sentence crosses a paragraph break) and
    join the paragraphs back into one ``Doc`` whose text and offsets equal the input's."""
    owners: list[int] = []
    pieces: list[str] = []
    lengths: list[int] = []
    for i, text in enumerate(texts):
        parts = paragraphs(text) or [text]
        owners.extend([i] * len(parts))
        pieces.extend(parts)
        lengths.append(len(parts))
    parsed = nlp.pipe(pieces, batch_size=batch_size, n_process=n_process)
    for n in lengths:
        docs = [next(parsed) for _ in range(n)]
        yield docs[0] if n == 1 else Doc.from_docs(docs, ensure_whitespace=False)
