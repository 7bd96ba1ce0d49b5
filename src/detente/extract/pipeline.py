"""The extractor: one spaCy pipeline plus detente's rule components, applied per document."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from detente.config import Settings
from detente.records import Document, Extraction


class Extractor:
    """Loads the NLP pipeline once and extracts records from documents.

    ``extract(doc)`` for one document, ``extract_many(docs)`` to stream many through
    ``nlp.pipe`` with the configured batch size and process count.
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        raise NotImplementedError("being written")

    def extract(self, document: Document) -> Extraction:
        raise NotImplementedError

    def extract_many(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        raise NotImplementedError
