"""The extractor: one spaCy pipeline plus detente's rule extractors, applied per document."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc

from detente.config import Settings
from detente.extract.actors import ActorResolver
from detente.extract.agreements import AgreementFinder
from detente.extract.attribution.quotes import ModelQuotes, combine, split
from detente.extract.events import EventFinder
from detente.extract.gazetteer import Gazetteer
from detente.extract.lexicon import load_lexicon
from detente.extract.mentions import Resolver
from detente.extract.nlp import load_nlp, paragraphs, parse_many
from detente.extract.people import PeopleFinder
from detente.extract.positions import PositionFinder
from detente.extract.quotes import QuoteFinder
from detente.records import Document, Extraction, Problem, Quote

log = logging.getLogger(__name__)

CHUNK = 64  # documents parsed together; bounds memory while keeping spaCy's batches full


class Extractor:
    """Loads the NLP pipeline once and extracts records from documents.

    ``extract(doc)`` for one document, ``extract_many(docs)`` to stream many through
    ``nlp.pipe`` with the configured batch size and process count.
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.nlp: Language
        self.gazetteer: Gazetteer
        self.nlp, self.gazetteer = load_nlp(self.settings)
        self.lexicon = lexicon = load_lexicon()
        self.people = PeopleFinder(self.gazetteer, lexicon)
        self.quotes = QuoteFinder(self.gazetteer, lexicon)
        if self.settings.attribution not in ("rules", "model", "combined"):
            raise ValueError(
                f"attribution must be rules, model or combined, not {self.settings.attribution!r}"
            )
        self.model_quotes = ModelQuotes(lexicon) if self.settings.attribution != "rules" else None
        self.positions = PositionFinder()
        self.agreements = AgreementFinder()
        self.events = EventFinder()

    def extract(self, document: Document) -> Extraction:
        return next(self.extract_many([document]))

    def extract_many(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        it = iter(documents)
        while chunk := list(islice(it, CHUNK)):
            docs = parse_many(
                self.nlp, (d.text for d in chunk), self.settings.batch_size, self.settings.n_process
            )
            for document, doc in zip(chunk, docs, strict=True):
                yield self.from_doc(document, doc)

    def extract_each(self, documents: Iterable[Document]) -> Iterator[Extraction | Problem]:
        """Like ``extract_many``, but a document the extractors cannot take becomes a Problem (a
        paragraph over the parser's length limit, or an error, logged with its traceback) and
        the others go on, in order."""
        it = iter(documents)
        limit = self.nlp.max_length
        while chunk := list(islice(it, CHUNK)):
            refused: dict[int, Problem] = {}
            for i, document in enumerate(chunk):
                longest = max((len(p) for p in paragraphs(document.text)), default=0)
                if longest > limit:
                    reason = f"a paragraph of {longest:,} characters is over the parser's limit of {limit:,}"
                    log.warning("skipped %s: %s", document.source, reason)
                    refused[i] = Problem(document.source, reason, "extract")
            parsed = self._extract_chunk([d for i, d in enumerate(chunk) if i not in refused])
            for i in range(len(chunk)):
                yield refused[i] if i in refused else next(parsed)

    def _extract_chunk(self, chunk: list[Document]) -> Iterator[Extraction | Problem]:
        try:
            docs = list(
                parse_many(
                    self.nlp, (d.text for d in chunk), self.settings.batch_size, self.settings.n_process
                )
            )
        except Exception:  # one text broke the parser: parse one by one to find it
            if len(chunk) == 1:
                yield _failed(chunk[0], "parsing")
                return
            for document in chunk:
                yield from self._extract_chunk([document])
            return
        for document, doc in zip(chunk, docs, strict=True):
            try:
                yield self.from_doc(document, doc)
            except Exception:
                yield _failed(document, "extraction")

    def from_doc(self, document: Document, doc: Doc) -> Extraction:
        """Run the rule extractors over an already parsed document."""
        people, index = self.people.find(doc)
        resolver = Resolver(doc, index, self.gazetteer, self.lexicon)
        quotes = self.quotes.find(resolver)
        attributions: list[Quote] = []
        if self.model_quotes is not None:
            learned = self.model_quotes.find(resolver)
            if self.settings.attribution == "model":
                quotes, attributions = split(learned)
            else:
                quotes, attributions = combine(quotes, learned)
        actors = ActorResolver(resolver, self.gazetteer, self.lexicon)
        positions = self.positions.find(resolver, actors, quotes, document.date)
        agreements = self.agreements.find(resolver, actors, document.date)
        events = self.events.find(resolver, actors, document.date)
        return Extraction(document, people, quotes, positions, agreements, events, attributions)


def _failed(document: Document, step: str) -> Problem:
    log.exception("%s failed for %s", step, document.source)
    error = sys.exc_info()[1]
    return Problem(document.source, f"{step} failed: {type(error).__name__}: {error}", "extract")
