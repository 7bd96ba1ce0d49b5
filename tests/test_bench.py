"""Benchmark scorers on hand-made spans, and the throughput harness's arithmetic."""

from __future__ import annotations

import gzip
import json

from detente.bench.polnear import Scores, match_exact, match_overlap, read_articles, trim
from detente.bench.throughput import Throughput


def test_trim_drops_marks_and_spaces():
    text = " “We will,” he said."
    assert text[slice(*trim(text, 0, 11))] == "We will"


def test_exact_and_overlap_matching_is_one_to_one():
    gold = [(0, 10), (20, 30)]
    assert match_exact(gold, [(0, 10), (0, 10)]) == 1
    assert match_overlap(gold, [(5, 25)]) == 1  # one system span cannot match two gold spans
    assert match_overlap(gold, [(5, 8), (25, 40)]) == 2
    assert match_overlap(gold, [(10, 20)]) == 0  # touching is not overlapping


def test_scores_per_role():
    scores = Scores()
    gold = {"source": [(0, 5)], "cue": [(6, 10)], "content": [(11, 40), (50, 60)]}
    system = {"source": [(0, 5)], "cue": [(6, 9)], "content": [(11, 40)]}
    scores.add(gold, system)
    d = scores.as_dict()
    assert d["source"]["exact_f1"] == 1.0
    assert d["cue"]["exact_f1"] == 0.0 and d["cue"]["overlap_f1"] == 1.0
    assert d["content"]["exact_p"] == 1.0 and d["content"]["exact_r"] == 0.5


def test_reads_gzip_and_plain(tmp_path):
    row = {"doc": "d", "text": "x said y", "attributions": []}
    plain = tmp_path / "a.jsonl"
    plain.write_text(json.dumps(row) + "\n")
    packed = tmp_path / "a.jsonl.gz"
    with gzip.open(packed, "wt") as f:
        f.write(json.dumps(row) + "\n")
    assert list(read_articles(plain)) == list(read_articles(packed)) == [row]


def test_throughput_ratio():
    t = Throughput(texts=2, words=1000, runs=1, bare_seconds=1.0, extract_seconds=1.25, peak_rss_mb=300)
    assert t.bare_wps == 1000 and t.extract_wps == 800 and abs(t.ratio - 0.8) < 1e-9
