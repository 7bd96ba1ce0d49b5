"""Ingest on Dask workers: results in input order, failed batches as problems, and the same rows
stored as by a single-process run."""

from __future__ import annotations

import time
from concurrent.futures import Future

import pytest

from detente.cluster import DaskRunner
from detente.config import Settings
from detente.records import Document, Problem, RawDocument


class FakeClient:
    """Runs tasks on submit, finishing them in reverse order of submission if asked."""

    def __init__(self, fail_on: object = None) -> None:
        self.fail_on = fail_on
        self.in_flight: list[int] = []

    def submit(self, task, settings, batch, pure=False):
        future: Future = Future()
        if self.fail_on in batch:
            future.set_exception(RuntimeError("worker died"))
        else:
            future.set_result(task(settings, batch))
        return future


def doubled(settings, batch):
    time.sleep(0.001 * (10 - batch[0] % 10))  # later batches would finish first
    return [x * 2 for x in batch]


def test_results_keep_input_order_with_a_bounded_window():
    runner = DaskRunner(Settings(), workers=2)
    runner.client = FakeClient()
    pulled: list[int] = []

    def items():
        for i in range(100):
            pulled.append(i)
            yield i

    out = runner._ordered(doubled, items(), 3, lambda batch, e: [])
    first = next(out)
    assert first == 0 and len(pulled) <= 3 * (runner.window + 1)  # a window ahead, no more
    assert [first, *out] == [2 * i for i in range(100)]


def test_a_failed_batch_becomes_problems_and_the_rest_goes_on():
    runner = DaskRunner(Settings(), workers=1)
    raw = [RawDocument(f"s{i}", f"n{i}", "text", "text") for i in range(6)]
    runner.client = FakeClient(fail_on=raw[3])
    runner.clean_batch_size = 2
    results = list(runner.clean(raw))
    assert len(results) == 6
    assert [type(r).__name__ for r in results[2:4]] == ["Problem", "Problem"]
    assert "worker died" in results[2].reason and results[2].stage == "clean"
    docs = [
        Document("d1", "n", "s1", "Talks resumed in Doha.", None, None, None, "en"),
        Document("d2", "n", "s2", "Talks resumed in Oslo.", None, None, None, "en"),
    ]
    runner.client = FakeClient(fail_on=docs[1])
    runner.extract_batch_size = 1
    runner.settings = Settings()
    first, second = runner.extract(docs)
    assert first.document.doc_id == "d1" and isinstance(second, Problem) and second.stage == "extract"


@pytest.mark.slow
@pytest.mark.reliability
def test_two_workers_store_what_one_process_stores(tmp_path, examples_dir):
    from detente.pipeline import ingest
    from detente.store import Store
    from detente.store.snapshot import snapshot

    settings = Settings()
    with Store(str(tmp_path / "one.db")) as one:
        single = ingest([str(examples_dir)], one, settings)
        expected = snapshot(one)
    with Store(str(tmp_path / "dask.db")) as db, DaskRunner(settings, workers=2) as runner:
        report = ingest([str(examples_dir)], db, settings, runner=runner)
        got = snapshot(db)
        memory = runner.memory()
    assert (report.stored, report.duplicates, len(report.problems)) == (
        single.stored,
        single.duplicates,
        len(single.problems),
    )
    assert single.stored >= 20
    assert got == expected
    assert len(memory) == 2 and all(m["peak_rss_mb"] > 50 for m in memory.values())
