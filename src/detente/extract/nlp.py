"""Loading the spaCy pipeline and parsing texts paragraph by paragraph."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from detente.config import DATA_DIR, Settings
from detente.extract.gazetteer import Gazetteer

PARAGRAPH = re.compile(r"[^\n]*(?:\n+|$)")


ATTRIBUTION_PIPE = "detente_attribution"
SHIPPED_ATTRIBUTION_MODEL = DATA_DIR / "attribution" / "model"


@lru_cache(maxsize=4)
def _load(model: str, gazetteers: tuple[Path, ...], attribution_model: str) -> tuple[Language, Gazetteer]:
    nlp = spacy.load(model)
    gazetteer = Gazetteer.load(gazetteers)
    ruler = nlp.add_pipe("entity_ruler", name="detente_gazetteer", before="ner")
    ruler.add_patterns(gazetteer.ruler_patterns())
    if attribution_model:
        from detente.extract.attribution import component, model  # noqa: F401  (registers the pipe)

        path = Path(attribution_model)
        if not (path / "config.cfg").is_file():
            raise FileNotFoundError(
                f"no attribution model in {path} (train one with `detente train attribution`, "
                "or set DETENTE_ATTRIBUTION=rules)"
            )
        nlp.add_pipe(ATTRIBUTION_PIPE, source=spacy.load(path), last=True)
    return nlp, gazetteer


def attribution_model_path(settings: Settings) -> str:
    """The attribution model the settings ask for: "" when quotes come from the rules alone."""
    if settings.attribution == "rules":
        return ""
    return settings.attribution_model or str(SHIPPED_ATTRIBUTION_MODEL)


def load_nlp(settings: Settings) -> tuple[Language, Gazetteer]:
    """The spaCy model with a gazetteer entity ruler in front of its NER and, unless quotes come
    from the rules alone, the attribution tagger at the end (cached per settings)."""
    return _load(settings.spacy_model, tuple(settings.gazetteers), attribution_model_path(settings))


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


class DocIndex:
    """Per-document lookups spaCy recomputes on every call (``token.sent``, ``doc.text``,
    the entity holding a token), computed once; the rule extractors call them thousands of times."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.sents: list = list(doc.sents)
        self._tok2sent = [0] * len(doc)
        for k, s in enumerate(self.sents):
            for i in range(s.start, s.end):
                self._tok2sent[i] = k
        self.ents: list = list(doc.ents)
        self._tok2ent: list[int] = [-1] * len(doc)
        for k, e in enumerate(self.ents):
            for i in range(e.start, e.end):
                self._tok2ent[i] = k

    def sent(self, i: int):
        """The sentence holding token ``i``."""
        return self.sents[self._tok2sent[i]]

    def ent(self, i: int):
        """The entity holding token ``i``, or None."""
        k = self._tok2ent[i]
        return self.ents[k] if k >= 0 else None


def doc_index(doc: Doc) -> DocIndex:
    index = doc.user_data.get("detente_index")
    if index is None:
        index = doc.user_data["detente_index"] = DocIndex(doc)
    return index
