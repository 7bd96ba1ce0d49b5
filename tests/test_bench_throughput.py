"""The throughput harness with fake sides: structure, alternation, arithmetic, memory fields."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence

import pytest

from detente.bench.memory import current_rss_mb, peak_rss_mb, traced_peak_mb
from detente.bench.throughput import Throughput, count_words, run_harness
from detente.records import Document, Extraction

TEXTS = ["one two three", "four five", "six seven eight nine", "ten"] * 3


class Recorder:
    """Fake bare parser and extractor that log each call and can take a fixed time per text."""

    def __init__(self, bare_delay: float = 0.0, extract_delay: float = 0.0) -> None:
        self.calls: list[tuple[str, int]] = []
        self.bare_delay = bare_delay
        self.extract_delay = extract_delay

    def bare(self, texts: Sequence[str]) -> Iterator[str]:
        self.calls.append(("bare", len(texts)))
        for t in texts:
            time.sleep(self.bare_delay)
            yield t

    def extract_many(self, docs: Sequence[Document]) -> Iterator[Extraction]:
        self.calls.append(("extract", len(docs)))
        for d in docs:
            time.sleep(self.extract_delay)
            yield Extraction(d)


def test_words_are_whitespace_tokens():
    assert count_words(["a b  c\n d", "", "e"]) == 5


def test_sides_alternate_after_a_warmup_and_see_the_same_texts():
    rec = Recorder()
    result = run_harness(TEXTS, rec.bare, rec.extract_many, repeat=4, memory=False)
    n = len(TEXTS)
    assert rec.calls == [
        ("bare", 5),  # warm-up on a few texts
        ("extract", 5),
        ("bare", n),
        ("extract", n),
        ("extract", n),
        ("bare", n),
        ("bare", n),
        ("extract", n),
        ("extract", n),
        ("bare", n),
    ]
    assert result.texts == n and result.words == count_words(TEXTS) and result.repeat == 4
    assert len(result.bare_seconds) == len(result.extract_seconds) == 4


def test_a_slower_extractor_gives_a_ratio_below_one():
    rec = Recorder(bare_delay=0.001, extract_delay=0.003)
    result = run_harness(TEXTS, rec.bare, rec.extract_many, repeat=2, memory=False)
    assert result.ratio < 0.8 and result.median_ratio < 0.8
    assert result.extract_wps < result.bare_wps


def test_ratio_arithmetic():
    t = Throughput(texts=2, words=1000, bare_seconds=[1.2, 1.0, 1.1], extract_seconds=[1.25, 1.5, 2.2])
    assert t.bare_wps == pytest.approx(1000) and t.extract_wps == pytest.approx(800)
    assert t.ratio == pytest.approx(0.8)  # best against best
    assert t.median_ratio == pytest.approx(1.0 / 1.5)  # rounds: 0.96, 0.667, 0.5
    d = t.as_dict()
    assert d["ratio"] == 0.8 and d["repeat"] == 3 and d["peak_rss_mb"] is None


def test_memory_pass_fills_the_memory_fields():
    rec = Recorder()
    result = run_harness(TEXTS, rec.bare, rec.extract_many, repeat=1, memory=True)
    assert result.bare_traced_mb is not None and result.extract_traced_mb is not None
    assert result.peak_rss_mb is not None and result.peak_rss_mb > 0
    assert [c[0] for c in rec.calls[-2:]] == ["bare", "extract"]  # the traced passes come last


def test_an_extractor_that_drops_documents_is_an_error():
    def short(docs: Sequence[Document]) -> Iterator[Extraction]:
        return (Extraction(d) for d in docs[:-1])

    with pytest.raises(RuntimeError, match="results for"):
        run_harness(TEXTS, Recorder().bare, short, repeat=1, memory=False)


@pytest.mark.parametrize("texts, repeat", [([], 1), (TEXTS, 0)])
def test_bad_arguments_are_refused(texts, repeat):
    with pytest.raises(ValueError):
        run_harness(texts, Recorder().bare, Recorder().extract_many, repeat=repeat)


def test_traced_peak_sees_a_large_allocation_and_not_earlier_ones():
    kept = bytearray(8 * 1024 * 1024)  # allocated before: not counted  # noqa: F841
    assert traced_peak_mb(lambda: bytearray(4 * 1024 * 1024)) == pytest.approx(4, abs=0.5)
    assert peak_rss_mb() > 0
    rss = current_rss_mb()
    assert rss is None or 0 < rss <= peak_rss_mb() + 1


def test_each_runs_rss_peak_is_its_own():
    held: list[bytes] = []

    def hungry(docs: Sequence[Document]) -> Iterator[Extraction]:
        held.append(b"x" * (64 * 1024 * 1024))  # touched, so resident
        yield from (Extraction(d) for d in docs)
        held.clear()

    result = run_harness(TEXTS, Recorder().bare, hungry, repeat=2, memory=False)
    if result.extract_rss is None:
        pytest.skip("no /proc/self/clear_refs here: per-run RSS peaks are not measured")
    start, peak = result.extract_rss
    assert peak - start >= 60
    assert result.bare_rss is not None and result.bare_rss[1] - result.bare_rss[0] < 30
    assert result.peak_rss_mb is not None and result.peak_rss_mb >= peak
    assert result.as_dict()["extract_run_rss_mb"] == [round(start, 1), round(peak, 1)]
