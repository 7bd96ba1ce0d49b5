"""Speed and memory of the whole extraction against bare spaCy parsing, in the same process.

Both sides read the same texts: the baseline is ``nlp.pipe`` of the bare spaCy model
(``spacy.load(settings.spacy_model)``, none of detente's components) with the same batch size
and process count; the other side is ``Extractor.extract_many`` (parsing with detente's
components plus every rule extractor). After a short warm-up of each, the sides alternate
round by round, the order flipping every round (bare-extract, extract-bare, ...) so that drift
and noise fall on both. The figure to watch is the ratio of words per second (goal: >= 0.5 with
the attribution tagger in the pipeline; the rules alone, `DETENTE_ATTRIBUTION=rules`, >= 0.8);
it is given from the best run of each side and as the median of the per-round ratios.
Words are whitespace-separated tokens. Memory figures are described in ``bench.memory``.

The harness (``run_harness``) takes the two sides as callables so that it can be tested
without a model; ``measure`` wires in the real ones.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from detente.bench.memory import (
    current_rss_mb,
    peak_rss_mb,
    reset_rss_high_water,
    rss_high_water_mb,
    traced_peak_mb,
)
from detente.config import Settings
from detente.records import Document

BareParse = Callable[[Sequence[str]], Iterable[object]]
ExtractMany = Callable[[Sequence[Document]], Iterable[object]]
WARMUP_TEXTS = 5


@dataclass(slots=True)
class Throughput:
    texts: int
    words: int
    bare_seconds: list[float]  # one per round, in round order
    extract_seconds: list[float]
    bare_traced_mb: float | None = None  # tracemalloc peak of one bare pass
    extract_traced_mb: float | None = None  # tracemalloc peak of one extraction pass
    rss_after_load_mb: float | None = None  # resident memory with both models loaded
    peak_rss_mb: float | None = None  # process maximum RSS over the timed runs (everything)
    bare_rss: tuple[float, float] | None = None  # (RSS at the start, peak) of the bare run that grew most
    extract_rss: tuple[float, float] | None = None

    @property
    def repeat(self) -> int:
        return len(self.bare_seconds)

    @property
    def bare_wps(self) -> float:
        return self.words / min(self.bare_seconds)

    @property
    def extract_wps(self) -> float:
        return self.words / min(self.extract_seconds)

    @property
    def ratio(self) -> float:
        """Extraction words/s over bare words/s, best run of each side."""
        return self.extract_wps / self.bare_wps

    @property
    def median_ratio(self) -> float:
        """Median over rounds of (bare time / extraction time) of the same round."""
        return statistics.median(b / e for b, e in zip(self.bare_seconds, self.extract_seconds, strict=True))

    def as_dict(self) -> dict[str, object]:
        def r(x: float | None, n: int = 1) -> float | None:
            return None if x is None else round(x, n)

        return {
            "texts": self.texts,
            "words": self.words,
            "repeat": self.repeat,
            "bare_words_per_s": r(self.bare_wps),
            "extract_words_per_s": r(self.extract_wps),
            "ratio": r(self.ratio, 3),
            "median_ratio": r(self.median_ratio, 3),
            "bare_seconds": [r(x, 3) for x in self.bare_seconds],
            "extract_seconds": [r(x, 3) for x in self.extract_seconds],
            "bare_traced_peak_mb": r(self.bare_traced_mb),
            "extract_traced_peak_mb": r(self.extract_traced_mb),
            "rss_after_load_mb": r(self.rss_after_load_mb),
            "peak_rss_mb": r(self.peak_rss_mb),
            "bare_run_rss_mb": None if self.bare_rss is None else [r(x) for x in self.bare_rss],
            "extract_run_rss_mb": None if self.extract_rss is None else [r(x) for x in self.extract_rss],
        }


def count_words(texts: Iterable[str]) -> int:
    return sum(len(t.split()) for t in texts)


def documents_for(texts: Sequence[str]) -> list[Document]:
    return [
        Document(f"bench-{i}", f"bench-{i}", "bench", t, None, None, None, "en") for i, t in enumerate(texts)
    ]


class _Side:
    """Times one side's runs and, where the kernel allows, the RSS peak of each run alone."""

    def __init__(self, run: Callable[[], object]) -> None:
        self.run = run
        self.seconds: list[float] = []
        self.rss: tuple[float, float] | None = None  # (start, peak) of the run that grew most
        self.peak = 0.0  # highest RSS seen in any run

    def __call__(self) -> None:
        before = peak_rss_mb()  # a reset lowers getrusage's figure too: keep it first
        self.peak = max(self.peak, before)
        tracked = reset_rss_high_water()
        start = current_rss_mb()
        t0 = time.perf_counter()
        self.run()
        self.seconds.append(time.perf_counter() - t0)
        high = rss_high_water_mb() if tracked else None
        if high is not None and start is not None:
            self.peak = max(self.peak, high)
            if self.rss is None or high - start > self.rss[1] - self.rss[0]:
                self.rss = (start, high)


def _drain(items: Iterable[object]) -> int:
    n = 0
    for _ in items:
        n += 1
    return n


def run_harness(
    texts: Sequence[str],
    bare: BareParse,
    extract_many: ExtractMany,
    repeat: int = 3,
    memory: bool = True,
) -> Throughput:
    """Time both sides on ``texts``, alternating, with each run's RSS peak; then (if ``memory``)
    one traced pass of each."""
    if not texts:
        raise ValueError("no texts to measure")
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    docs = documents_for(texts)
    texts = list(texts)

    def run_bare() -> None:
        _drain(bare(texts))

    def run_extract() -> None:
        n = _drain(extract_many(docs))
        if n != len(docs):
            raise RuntimeError(f"the extractor returned {n} results for {len(docs)} documents")

    _drain(bare(texts[:WARMUP_TEXTS]))
    _drain(extract_many(docs[:WARMUP_TEXTS]))
    bare_side, extract_side = _Side(run_bare), _Side(run_extract)
    for k in range(repeat):
        for side in (bare_side, extract_side) if k % 2 == 0 else (extract_side, bare_side):
            side()
    result = Throughput(len(texts), count_words(texts), bare_side.seconds, extract_side.seconds)
    result.peak_rss_mb = max(bare_side.peak, extract_side.peak, peak_rss_mb())
    result.bare_rss, result.extract_rss = bare_side.rss, extract_side.rss
    if memory:  # after the timed runs: tracing slows code down and its bookkeeping takes memory
        result.bare_traced_mb = traced_peak_mb(run_bare)
        result.extract_traced_mb = traced_peak_mb(run_extract)
    return result


def measure(
    texts: Sequence[str], settings: Settings | None = None, repeat: int = 3, memory: bool = True
) -> Throughput:
    """The real comparison: detente's Extractor against the bare spaCy model of the same name."""
    import spacy

    from detente.extract.pipeline import Extractor

    settings = settings or Settings()
    extractor = Extractor(settings)
    bare_nlp = spacy.load(settings.spacy_model)
    rss = current_rss_mb()

    def bare(batch: Sequence[str]) -> Iterable[object]:
        return bare_nlp.pipe(batch, batch_size=settings.batch_size, n_process=settings.n_process)

    result = run_harness(texts, bare, extractor.extract_many, repeat=repeat, memory=memory)
    result.rss_after_load_mb = rss
    return result
