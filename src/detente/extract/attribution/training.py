"""Training the attribution tagger on PolNeAR-format files with ``spacy train``.

The training pipeline holds only the tagger; the parse and token vectors it reads come from
detente's own spaCy pipeline (the one ``detente extract`` uses), run once over every paragraph
by the corpus reader ``detente.PolnearCorpus.v1`` and kept for all epochs. Gold spans are the
annotated pieces trimmed of surrounding whitespace, quotation marks and punctuation (as the
benchmark compares them), so the tagger learns one convention instead of the annotators' mix.
The configuration lives in ``detente/data/attribution/train.cfg``; every run is seeded.
"""

from __future__ import annotations

import logging
import pickle
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, SpanGroup
from spacy.training import Example
from spacy.util import registry

from detente.config import DATA_DIR, Settings
from detente.extract.attribution import component as _component  # noqa: F401  (registers the factory)
from detente.extract.attribution import model as _model  # noqa: F401  (registers the architecture)
from detente.extract.attribution.component import SPANS_KEY

log = logging.getLogger(__name__)

CONFIG = DATA_DIR / "attribution" / "train.cfg"
ROLE_LABELS = {"source": "SOURCE", "cue": "CUE", "content": "CONTENT"}
_PARSED: dict[tuple[str, int | None], list[tuple[Doc, Doc]]] = {}


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    from detente.bench.polnear import trim

    s, e = trim(text, start, end)
    if s < e:
        return s, e
    while start < end and text[start].isspace():  # a piece that is only punctuation (a ":" cue)
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def gold_pieces(article: dict) -> list[tuple[int, int, str]]:
    """(start, end, label) of every annotated piece, trimmed; pieces outside the text dropped."""
    text = article["text"]
    out = []
    for a in article.get("attributions") or []:
        for role, label in ROLE_LABELS.items():
            for p in a.get(role) or []:
                s, e = p.get("start", -1), p.get("end", -1)
                if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
                    continue
                s, e = _trim(text, s, e)
                if s < e:
                    out.append((s, e, label))
    return sorted(out)


def reference_doc(parsed: Doc, pieces: list[tuple[int, int, str]], offset: int) -> Doc:
    """A copy of the paragraph's tokens carrying the gold pieces that fall in it (clipped)."""
    ref = Doc(parsed.vocab, words=[t.text for t in parsed], spaces=[bool(t.whitespace_) for t in parsed])
    end = offset + len(parsed.text)
    spans = []
    for s, e, label in pieces:
        s, e = max(s, offset), min(e, end)
        if s >= e:
            continue
        span = ref.char_span(s - offset, e - offset, label=label, alignment_mode="expand")
        if span is not None and len(span):
            spans.append(span)
    ref.spans[SPANS_KEY] = SpanGroup(ref, name=SPANS_KEY, spans=spans)
    return ref


def parse_articles(path: str | Path, limit: int | None = None, batch_size: int = 64) -> list[tuple[Doc, Doc]]:
    """(parsed paragraph, reference paragraph) pairs of a PolNeAR file, parsed by the
    extraction pipeline without the attribution tagger."""
    from detente.bench.polnear import read_articles
    from detente.extract.nlp import load_nlp, paragraphs

    nlp, _ = load_nlp(Settings().with_(attribution="rules"))
    units: list[tuple[str, int, list[tuple[int, int, str]]]] = []
    for article in read_articles(path, limit):
        pieces = gold_pieces(article)
        offset = 0
        for para in paragraphs(article["text"]):
            units.append((para, offset, pieces))
            offset += len(para)
    started = time.perf_counter()
    pairs = []
    for (_, offset, pieces), doc in zip(
        units, nlp.pipe((u[0] for u in units), batch_size=batch_size), strict=True
    ):
        pairs.append((doc, reference_doc(doc, pieces, offset)))
    log.info("parsed %d paragraphs of %s in %.0f s", len(pairs), path, time.perf_counter() - started)
    return pairs


def _cached(path: str, limit: int | None, cache: str | None) -> list[tuple[Doc, Doc]]:
    key = (str(path), limit)
    if key in _PARSED:
        return _PARSED[key]
    store = None
    if cache:
        src = Path(path)
        store = (
            Path(cache) / f"{src.name}.{limit or 'all'}.{src.stat().st_size}.{int(src.stat().st_mtime)}.pkl"
        )
        if store.is_file():
            with store.open("rb") as f:
                _PARSED[key] = pickle.load(f)
            return _PARSED[key]
    pairs = _PARSED[key] = parse_articles(path, limit)
    if store is not None:
        store.parent.mkdir(parents=True, exist_ok=True)
        with store.open("wb") as f:
            pickle.dump(pairs, f, protocol=pickle.HIGHEST_PROTOCOL)
    return pairs


@dataclass(slots=True)
class PolnearCorpus:
    """Examples from a PolNeAR JSONL file, one per paragraph, parsed once per process."""

    path: str
    limit: int | None = None
    cache: str | None = None

    def __call__(self, nlp: Language) -> Iterator[Example]:
        for parsed, ref in _cached(self.path, self.limit, self.cache):
            yield Example(parsed, ref)


@registry.readers("detente.PolnearCorpus.v1")
def polnear_corpus(path: str, limit: int | None = None, cache: str | None = None) -> Callable:
    if not path or not Path(path).is_file():
        raise ValueError(f"PolNeAR corpus not found: {path!r}")
    return PolnearCorpus(str(path), limit or None, cache or None)


def train(
    train_path: Path,
    dev_path: Path,
    output: Path,
    config: Path = CONFIG,
    overrides: dict[str, object] | None = None,
) -> Path:
    """Train with ``spacy train``; returns the directory of the best model on dev."""
    from spacy.cli.train import train as spacy_train

    settings = {"paths.train": str(train_path), "paths.dev": str(dev_path), **(overrides or {})}
    output.mkdir(parents=True, exist_ok=True)
    spacy_train(config, output, overrides=settings, use_gpu=-1)
    best = output / "model-best"
    shutil.copy(config, best / "train.cfg")
    return best
