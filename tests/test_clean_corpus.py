"""Clean on whole pages: the dev benchmark's clean score, and stored-page styles of other outlets.

The outlet fixtures (tests/fixtures/ingest/outlets, written for these tests) copy the *shapes*
of page furniture from several kinds of news site (bylines, datelines, captions, link lists,
newsletter prompts, credits) around invented articles; their gold file uses the benchmark's
format. They show that the rules are general, not fitted to the dev articles.
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from pathlib import Path

import pytest

from detente.clean import clean
from detente.config import Settings
from detente.ingest import iter_raw
from detente.records import Document

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
OUTLET_GOLD = [
    json.loads(line) for line in (FIXTURES / "outlets_gold.jsonl").read_text(encoding="utf-8").splitlines()
]


def norm(s: str | None) -> str:
    """The benchmark's comparison: accents, case, curly apostrophes and punctuation do not count."""
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"[\W_]+", " ", s.casefold()).strip()


def contains(text: str, part: str) -> bool:
    return f" {norm(part)} " in f" {norm(text)} "


@pytest.fixture(scope="module")
def outlet_docs() -> dict[str, Document]:
    docs = {}
    for item in iter_raw([str(FIXTURES / "outlets")], Settings()):
        doc = clean(item, Settings())  # type: ignore[arg-type]
        assert isinstance(doc, Document), doc
        docs[doc.name] = doc
    return docs


def test_every_outlet_fixture_is_read(outlet_docs):
    assert sorted(outlet_docs) == sorted(g["doc"] for g in OUTLET_GOLD)


@pytest.mark.parametrize("gold", OUTLET_GOLD, ids=[g["doc"] for g in OUTLET_GOLD])
def test_outlet_styles(outlet_docs, gold):
    doc = outlet_docs[gold["doc"]]
    missing = [k for k in gold["clean"]["keep"] if not contains(doc.text, k)]
    left = [d for d in gold["clean"]["drop"] if contains(doc.text, d)]
    assert missing == [] and left == [], doc.text
    assert norm(doc.title) == norm(gold["clean"]["title"])
    if "date" in gold:  # a page's date widget may show today's date: not every fixture says
        assert doc.date == gold["date"]
        assert doc.date_source == ("dateline" if gold["date"] else None)


def load_scorer(shared_dir: Path):
    spec = importlib.util.spec_from_file_location("eval_score_for_clean", shared_dir / "eval" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dev_benchmark_clean_score_is_perfect(shared_dir):
    """Every kept sentence present, every boilerplate string gone, every title right."""
    scorer = load_scorer(shared_dir)
    system = {}
    for item in iter_raw([str(shared_dir / "corpus" / "dev")], Settings()):
        doc = clean(item, Settings())  # type: ignore[arg-type]
        assert isinstance(doc, Document), doc
        system[doc.name] = {"doc": doc.name, "title": doc.title, "text": doc.text}
    gold = scorer.load(str(shared_dir / "eval" / "dev" / "gold.jsonl"))
    assert set(system) == set(gold)
    assert scorer.score(gold, system)["clean"] == 1.0
