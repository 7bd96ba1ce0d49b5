"""Speed and memory of the whole extraction against bare spaCy parsing, in the same process.

Both sides parse the same texts with the same model and batch size; runs alternate so that
warm-up and machine noise fall on both. The figure that matters is the ratio of words per
second (goal: extraction at >= 0.8x the bare parse). Peak memory is the process's maximum
resident set size (``getrusage``), which includes the model.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

import spacy

from detente.config import Settings
from detente.extract.pipeline import Extractor
from detente.records import Document


@dataclass(slots=True)
class Throughput:
    texts: int
    words: int
    runs: int
    bare_seconds: float  # best of the runs
    extract_seconds: float
    peak_rss_mb: float

    @property
    def bare_wps(self) -> float:
        return self.words / self.bare_seconds

    @property
    def extract_wps(self) -> float:
        return self.words / self.extract_seconds

    @property
    def ratio(self) -> float:
        return self.extract_wps / self.bare_wps

    def as_dict(self) -> dict[str, float | int]:
        return {
            "texts": self.texts,
            "words": self.words,
            "runs": self.runs,
            "bare_words_per_s": round(self.bare_wps, 1),
            "extract_words_per_s": round(self.extract_wps, 1),
            "ratio": round(self.ratio, 3),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
        }


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def measure(texts: Sequence[str], settings: Settings | None = None, runs: int = 3) -> Throughput:
    settings = settings or Settings()
    extractor = Extractor(settings)
    bare = spacy.load(settings.spacy_model)
    docs = [Document(str(i), str(i), "bench", t, None, None, None, "en") for i, t in enumerate(texts)]
    words = sum(len(t.split()) for t in texts)
    bare_times, extract_times = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        for _doc in bare.pipe(texts, batch_size=settings.batch_size):
            pass
        bare_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for _ex in extractor.extract_many(docs):
            pass
        extract_times.append(time.perf_counter() - t0)
    return Throughput(len(texts), words, runs, min(bare_times), min(extract_times), peak_rss_mb())
