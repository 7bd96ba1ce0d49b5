"""Imports of new articles (an uploaded file or a URL) run in the background, one at a time.

Each import is a job with a progress record the import page polls. Jobs run the ordinary
pipeline (ingest -> clean -> extract -> store) in one worker thread, so writes to the store stay
serial and the language model is loaded once, on the first import.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detente.config import Settings
from detente.records import Extraction, Problem

log = logging.getLogger(__name__)

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
UPLOAD_SUFFIXES = {
    ".txt",
    ".md",
    ".text",
    ".html",
    ".htm",
    ".xhtml",
    ".jsonl",
    ".ndjson",
    ".xml",
    ".rss",
    ".atom",
}


@dataclass(slots=True)
class ImportJob:
    id: str
    source: str  # the file name or the URL, as given
    state: str = "queued"  # queued, loading, running, done, failed
    read: int = 0  # inputs read so far
    stored: int = 0
    duplicates: int = 0
    problems: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)  # doc_ids stored by this import
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "state": self.state,
            "finished": self.state in ("done", "failed"),
            "read": self.read,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "problems": list(self.problems),
            "documents": list(self.documents),
            "message": self.message,
        }


class _RecordingStore:
    """The store as the pipeline sees it, noting which documents this job added."""

    def __init__(self, store: Any, job: ImportJob) -> None:
        self.store, self.job = store, job

    def has(self, doc_id: str) -> bool:
        return self.store.has(doc_id)

    def add(self, extraction: Extraction) -> bool:
        added = self.store.add(extraction)
        if added:
            self.job.documents.append(extraction.document.doc_id)
            self.job.stored += 1
        return added

    def record_problem(self, problem: Problem) -> None:
        self.store.record_problem(problem)


class Importer:
    """Queues imports and runs them on one worker thread."""

    def __init__(
        self, store: Any, settings: Settings, extractor_factory: Callable[[], Any] | None = None
    ) -> None:
        self.store = store
        # Reached from other machines, the app only fetches public addresses (see ingest.web).
        local = settings.web_host in LOOPBACK_HOSTS
        self.settings = settings if local else settings.with_(http_allow_private=False)
        self.jobs: dict[str, ImportJob] = {}
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="detente-import")
        self._extractor: Any = None
        self._factory = extractor_factory
        self._lock = threading.Lock()
        self._tmp = Path(tempfile.mkdtemp(prefix="detente-uploads-"))

    def submit_file(self, filename: str, data: bytes) -> ImportJob:
        suffix = Path(filename).suffix.lower()
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in Path(filename).name)[:80] or "upload"
        if suffix not in UPLOAD_SUFFIXES:
            safe += ".txt"
        folder = self._tmp / uuid.uuid4().hex
        folder.mkdir()
        path = folder / safe
        path.write_bytes(data)
        return self._submit(filename, str(path), cleanup=folder)

    def submit_url(self, url: str) -> ImportJob:
        return self._submit(url, url, cleanup=None)

    def get(self, job_id: str) -> ImportJob | None:
        return self.jobs.get(job_id)

    def _submit(self, label: str, target: str, cleanup: Path | None) -> ImportJob:
        job = ImportJob(uuid.uuid4().hex[:12], label)
        self.jobs[job.id] = job
        self._pool.submit(self._run, job, target, cleanup)
        return job

    def _get_extractor(self) -> Any:
        with self._lock:
            if self._extractor is None:
                if self._factory is not None:
                    self._extractor = self._factory()
                else:
                    from detente.extract.pipeline import Extractor

                    self._extractor = Extractor(self.settings)
            return self._extractor

    def _run(self, job: ImportJob, target: str, cleanup: Path | None) -> None:
        from detente.pipeline import ingest

        try:
            job.state = "loading"
            extractor = self._get_extractor()
            job.state = "running"

            def seen(_source: str) -> None:
                job.read += 1

            report = ingest(
                [target], _RecordingStore(self.store, job), self.settings, extractor, on_item=seen
            )
            job.duplicates = report.duplicates
            job.problems = [f"{p.source.rsplit('/', 1)[-1]}: {p.reason}" for p in report.problems]
            job.state = "done"
            job.message = f"{job.stored} stored, {job.duplicates} already known, {len(job.problems)} skipped"
        except Exception as e:  # the job fails; the app goes on
            log.exception("import %s failed", job.source)
            job.state = "failed"
            job.message = f"{type(e).__name__}: {e}"
        finally:
            if cleanup is not None:
                shutil.rmtree(cleanup, ignore_errors=True)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self._tmp, ignore_errors=True)
