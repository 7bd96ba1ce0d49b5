"""Cleaning and extraction on a Dask cluster, for archives too big for one process.

``DaskRunner`` is a ``pipeline.Runner``: the ingest reads inputs and stores results in its own
process, as ever, and hands batches of articles to the cluster's workers to clean and to
extract. Results come back in input order (a bounded window of batches is in flight at a time),
so the one writer stores exactly what a single-process run stores, in the same order.

Workers are separate processes, each with one thread: the task functions below are plain
module functions (pickled by name), and each worker loads the spaCy pipeline once, on its
first batch, and keeps it (``_extractor``). Without a scheduler address a ``LocalCluster`` on
this machine is started (listening on 127.0.0.1 only) and closed afterwards; with one, the
workers must have detente installed, and the files named in the settings (gazetteers,
boilerplate lists) must exist on them.
"""

from __future__ import annotations

import logging
import resource
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import islice
from typing import Any

from detente.config import Settings
from detente.extract.pipeline import Extractor
from detente.records import Document, Extraction, Problem, RawDocument

log = logging.getLogger(__name__)

CLEAN_BATCH = 8  # raw articles per cleaning task
EXTRACT_BATCH = 16  # documents per extraction task: enough for spaCy's batching


@lru_cache(maxsize=2)
def _extractor(settings: Settings) -> Extractor:
    """The worker's extractor, loaded on its first batch and kept for the next ones."""
    return Extractor(settings)


def clean_batch(settings: Settings, items: list[RawDocument | Problem]) -> list[Document | Problem]:
    """Task: clean raw articles (problems from reading pass through unchanged)."""
    from detente.pipeline import LocalRunner

    return list(LocalRunner(settings).clean(items))


def extract_batch(settings: Settings, documents: list[Document]) -> list[Extraction | Problem]:
    """Task: extract from cleaned documents with the worker's cached extractor."""
    return list(_extractor(settings).extract_each(documents))


def worker_memory() -> dict[str, float]:
    """Task: this worker process's resident memory now and at its peak, in MiB."""
    import psutil

    return {
        "rss_mb": psutil.Process().memory_info().rss / 2**20,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


class DaskRunner:
    """Cleaning and extraction on Dask workers: ``workers`` local processes, or the cluster whose
    scheduler is at ``scheduler`` (``tcp://host:8786``). Use as a context manager."""

    def __init__(
        self,
        settings: Settings,
        workers: int | None = None,
        scheduler: str | None = None,
        clean_batch_size: int = CLEAN_BATCH,
        extract_batch_size: int = EXTRACT_BATCH,
    ) -> None:
        self.settings = settings
        self.workers = workers or 1
        self.scheduler = scheduler
        self.clean_batch_size = clean_batch_size
        self.extract_batch_size = extract_batch_size
        self.cluster: Any = None
        self.client: Any = None

    def __enter__(self) -> DaskRunner:
        from distributed import Client, LocalCluster

        # Dask's own INFO lines (scheduler and worker start-up) only when detente's are wanted too
        quiet = logging.getLogger().getEffectiveLevel() > logging.INFO
        logging.getLogger("distributed").setLevel(logging.WARNING if quiet else logging.INFO)
        if self.scheduler:
            self.client = Client(self.scheduler)
        else:
            self.cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",  # Dask's status server: loopback, any free port
                silence_logs=logging.WARNING,
            )
            self.client = Client(self.cluster)
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})) or self.workers)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None

    @property
    def window(self) -> int:
        """Batches in flight per stage: enough to keep every worker busy, few enough to bound memory."""
        return 2 * self.workers + 1

    def clean(self, items: Iterable[RawDocument | Problem]) -> Iterator[Document | Problem]:
        return self._ordered(clean_batch, items, self.clean_batch_size, self._clean_failed)

    def extract(self, documents: Iterable[Document]) -> Iterator[Extraction | Problem]:
        return self._ordered(extract_batch, documents, self.extract_batch_size, self._extract_failed)

    def memory(self) -> dict[str, dict[str, float]]:
        """Each worker's memory (``worker_memory``), by worker address."""
        return self.client.run(worker_memory)

    def _ordered(
        self,
        task: Callable[[Settings, list], list],
        items: Iterable[Any],
        size: int,
        failed: Callable[[list, BaseException], list],
    ) -> Iterator[Any]:
        """Results of ``task`` over batches of ``items``, in order, ``window`` batches in flight."""
        it = iter(items)
        pending: deque[tuple[Any, list]] = deque()

        def submit() -> bool:
            batch = list(islice(it, size))
            if batch:
                pending.append((self.client.submit(task, self.settings, batch, pure=False), batch))
            return bool(batch)

        while len(pending) < self.window and submit():
            pass
        while pending:
            future, batch = pending.popleft()
            try:
                results = future.result()
            except Exception as e:  # a worker died or the task raised: that batch only
                log.error("a batch of %d failed on the cluster: %s: %s", len(batch), type(e).__name__, e)
                results = failed(batch, e)
            submit()
            yield from results

    @staticmethod
    def _clean_failed(batch: list[RawDocument | Problem], e: BaseException) -> list[Problem]:
        return [
            x
            if isinstance(x, Problem)
            else Problem(x.source, f"cleaning failed: {type(e).__name__}: {e}", "clean")
            for x in batch
        ]

    @staticmethod
    def _extract_failed(batch: list[Document], e: BaseException) -> list[Problem]:
        return [Problem(d.source, f"extraction failed: {type(e).__name__}: {e}", "extract") for d in batch]
