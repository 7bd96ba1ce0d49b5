"""The extraction benchmark on the dev articles: accuracy is a tested property, with floors.

The floors sit a little under the measured figures so that a regression fails the build; the
held-out set is scored the same way by the benchmark's owners.
"""

from __future__ import annotations

import json

import pytest

from detente.config import Settings
from detente.export.eval_format import to_eval
from detente.pipeline import extract_inputs
from detente.records import Extraction

FLOORS = {
    "clean": 1.0,
    "quotes": 0.85,
    "attributed": 0.75,
    "people": 0.85,
    "positions": 0.60,
    "agreements": 0.80,
    "events": 0.70,
}


@pytest.fixture(scope="module")
def scores(shared_dir, eval_score):
    score = eval_score
    system = {}
    for item in extract_inputs([str(shared_dir / "corpus" / "dev")], Settings()):
        assert isinstance(item, Extraction), item
        row = to_eval(item)
        json.dumps(row)  # the export is plain JSON
        system[row["doc"]] = row
    gold = score.load(str(shared_dir / "eval" / "dev" / "gold.jsonl"))
    assert set(system) == set(gold)
    return score.score(gold, system)


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_dev_floor(scores, metric):
    got = scores[metric] if metric == "clean" else scores[metric]["f1"]
    assert got >= FLOORS[metric], f"{metric}: {got} < {FLOORS[metric]} ({scores[metric]})"
