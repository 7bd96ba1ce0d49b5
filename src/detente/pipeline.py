"""Composes the stages: ingest -> clean -> extract -> store.

The CLI and the Python API both call these functions; each input that fails at any stage
becomes a logged ``Problem`` and the batch goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from detente.clean import clean
from detente.config import Settings
from detente.extract.pipeline import Extractor
from detente.ingest import iter_raw
from detente.records import Document, Extraction, Problem, RawDocument

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did."""

    stored: int = 0
    duplicates: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.stored + self.duplicates + len(self.problems)


def iter_documents(
    inputs: Iterable[str], settings: Settings, on_item: Progress | None = None
) -> Iterator[Document | Problem]:
    """Cleaned documents from the inputs, first occurrence only (dedupe on the content hash)."""
    seen: set[str] = set()
    for raw in iter_raw(inputs, settings):
        if on_item:
            on_item(raw.source)
        if isinstance(raw, Problem):
            log.warning("skipped %s: %s", raw.source, raw.reason)
            yield raw
            continue
        doc = _clean_safely(raw, settings)
        if isinstance(doc, Problem):
            log.warning("skipped %s: %s", doc.source, doc.reason)
            yield doc
            continue
        if doc.doc_id in seen:
            log.info("duplicate of an earlier input: %s", doc.source)
            continue
        seen.add(doc.doc_id)
        yield doc


def _clean_safely(raw: RawDocument, settings: Settings) -> Document | Problem:
    try:
        return clean(raw, settings)
    except Exception as e:  # a bug or a pathological input must not end the batch
        log.exception("cleaning failed for %s", raw.source)
        return Problem(raw.source, f"cleaning failed: {type(e).__name__}: {e}", "clean")


def extract_inputs(
    inputs: Iterable[str], settings: Settings, extractor: Extractor | None = None
) -> Iterator[Extraction | Problem]:
    """Extractions for every usable input, problems for the others (stateless: no store)."""
    extractor = extractor or Extractor(settings)
    problems: list[Problem] = []

    def documents() -> Iterator[Document]:
        for item in iter_documents(inputs, settings):
            if isinstance(item, Problem):
                problems.append(item)
            else:
                yield item

    for extraction in extractor.extract_each(documents()):
        while problems:
            yield problems.pop(0)
        yield extraction  # an Extraction, or a Problem for a document the extractors cannot take
    yield from problems


class Runner(Protocol):
    """Where cleaning and extraction run: in this process (``LocalRunner``) or on a cluster
    (``detente.cluster.DaskRunner``). Both keep the order of their inputs, so the one writer
    stores the same documents in the same order whichever runs them."""

    def clean(self, items: Iterable[RawDocument | Problem]) -> Iterator[Document | Problem]: ...

    def extract(self, documents: Iterable[Document]) -> Iterator[Extraction | Problem]: ...


class LocalRunner:
    """Cleaning and extraction in this process, one document after another."""

    def __init__(self, settings: Settings, extractor: Extractor | None = None) -> None:
        self.settings = settings
        self.extractor = extractor

    def clean(self, items: Iterable[RawDocument | Problem]) -> Iterator[Document | Problem]:
        for item in items:
            yield item if isinstance(item, Problem) else _clean_safely(item, self.settings)

    def extract(self, documents: Iterable[Document]) -> Iterator[Extraction | Problem]:
        self.extractor = self.extractor or Extractor(self.settings)
        return self.extractor.extract_each(documents)


def ingest(
    inputs: Iterable[str],
    store,  # detente.store.Store; untyped here so the stage order stays one-way
    settings: Settings,
    extractor: Extractor | None = None,
    on_item: Progress | None = None,
    runner: Runner | None = None,
) -> IngestReport:
    """Ingest inputs into a store; documents already stored are not extracted again.

    Inputs are read, and results stored, in this process, in input order; cleaning and
    extraction run where ``runner`` puts them (here by default).
    """
    report = IngestReport()
    runner = runner or LocalRunner(settings, extractor)

    def raw() -> Iterator[RawDocument | Problem]:
        for item in iter_raw(inputs, settings):
            if on_item:
                on_item(item.source)
            yield item

    def problem(item: Problem) -> None:
        log.warning("skipped %s: %s", item.source, item.reason)
        report.problems.append(item)
        store.record_problem(item)

    def fresh() -> Iterator[Document]:
        seen: set[str] = set()
        for item in runner.clean(raw()):
            if isinstance(item, Problem):
                problem(item)
            elif item.doc_id in seen:
                log.info("duplicate of an earlier input: %s", item.source)
            elif store.has(item.doc_id):
                seen.add(item.doc_id)
                report.duplicates += 1
            else:
                seen.add(item.doc_id)
                yield item

    for extraction in runner.extract(fresh()):
        if isinstance(extraction, Problem):
            problem(extraction)
            continue
        try:
            added = store.add(extraction)
        except Exception as e:  # one document's failure is logged; the others go on
            log.exception("storing failed for %s", extraction.document.source)
            problem(Problem(extraction.document.source, f"storing failed: {type(e).__name__}: {e}", "store"))
            continue
        if added:
            report.stored += 1
        else:
            report.duplicates += 1
    return report
