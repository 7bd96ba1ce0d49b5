"""The malformed-input corpus (tests/fixtures/ingest/bad) through ingest and clean in one batch.

Every input ends as a clean Document or a Problem with a reason; nothing raises, and the good
articles hidden among the bad ones all come through.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from detente.clean import clean
from detente.config import Settings
from detente.ingest import iter_raw
from detente.records import Document, Problem, RawDocument

BAD = Path(__file__).parent / "fixtures" / "ingest" / "bad"
MISRI = "Indian Foreign Secretary Vikram Misri said"
MARKERS = (
    "SECRET",
    "STYLE",
    "ONLOAD",
    "ONERROR",
    "INJECTED",
    "LINK-JS",
    "IFRAME",
    "OBJECT",
    "NOSCRIPT",
    "COMMENT",
)


def run(settings: Settings) -> dict[str, Document | Problem]:
    results: dict[str, Document | Problem] = {}
    for item in iter_raw([str(BAD)], settings):
        key = Path(item.source).name
        results[key] = clean(item, settings) if isinstance(item, RawDocument) else item
    return results


@pytest.fixture(scope="module")
def results() -> dict[str, Document | Problem]:
    return run(Settings())


def reason(results, key: str) -> str:
    item = results[key]
    assert isinstance(item, Problem), item
    return item.reason


def doc(results, key: str) -> Document:
    item = results[key]
    assert isinstance(item, Document), item
    return item


def test_every_input_is_a_document_or_a_problem(results):
    assert all(isinstance(v, Document | Problem) for v in results.values())
    assert len(results) == 24


def test_unreadable_files(results):
    assert reason(results, "empty.txt") == "empty file"
    assert "white space" in reason(results, "blank.md")
    assert "binary" in reason(results, "binary.txt")
    assert "no text" in reason(results, "not_a_feed.rss#1")  # read leniently: an item, no text
    assert "not JSON" in reason(results, "json_not_lines.ndjson#1")
    assert "not JSON" in reason(results, "json_not_lines.ndjson#2")


def test_wrong_encodings_are_read(results, caplog):
    broken = doc(results, "invalid_utf8.txt")
    assert broken.title == "Truce holds along the Line of Control" and MISRI in broken.text
    latin = doc(results, "latin1.txt")
    assert latin.title == "Trêve à Genève: Armenia and Azerbaijan agree on a text" and "Genève" in latin.text
    with caplog.at_level(logging.INFO, logger="detente.ingest.decode"):
        list(iter_raw([str(BAD / "latin1.txt"), str(BAD / "invalid_utf8.txt")], Settings()))
    notes = [r.getMessage() for r in caplog.records]
    assert any("latin1.txt: not UTF-8, read as cp1252" in n for n in notes)
    assert any("invalid_utf8.txt: UTF-8 with a few invalid bytes; they were replaced" in n for n in notes)


def test_other_language_is_a_problem_unless_asked_for(results):
    assert reason(results, "cp1251.txt") == "language 'ru' (not in en)"
    russian = run(Settings(languages=("en", "ru")))["cp1251.txt"]
    assert isinstance(russian, Document) and russian.language == "ru" and "Представители" in russian.text


def test_broken_truncated_and_nested_html(results):
    assert MISRI in doc(results, "broken.html").text
    truncated = doc(results, "truncated.html")
    assert MISRI in truncated.text and (truncated.date, truncated.date_source) == ("2025-05-10", "meta-tag")
    nested = results["nested.html"]
    assert isinstance(nested, Problem) or MISRI in nested.text


def test_hostile_html_leaks_nothing(results):
    hostile = doc(results, "hostile.html")
    assert not [m for m in MARKERS if m in hostile.text], hostile.text
    assert "FORM-VALUE" not in hostile.text and "BUTTON-TEXT" not in hostile.text
    assert MISRI in hostile.text and "Misri said the hotline would stay open." in hostile.text
    assert hostile.title == "Truce holds along the Line of Control"  # the page's one <h1> before <title>


def test_batch_lines_each_on_their_own(results):
    assert [k for k, v in results.items() if k.startswith("batch") and isinstance(v, Document)] == [
        "batch.jsonl#1",
        "batch.jsonl#4",
        "batch.jsonl#7",
    ]
    assert doc(results, "batch.jsonl#1").name == "ok-1" and doc(results, "batch.jsonl#1").date == "2025-05-10"
    assert doc(results, "batch.jsonl#7").date is None  # a number is not a date string
    assert "not JSON" in reason(results, "batch.jsonl#2")
    assert "no 'text' or 'html'" in reason(results, "batch.jsonl#3")
    assert "not a JSON object" in reason(results, "batch.jsonl#5")
    assert "not a JSON object" in reason(results, "batch.jsonl#6")


def test_feed_items_with_missing_fields(results):
    first = doc(results, "feed_missing_fields.xml#1")
    assert (first.name, first.title, first.date, first.url) == ("feed_missing_fields.xml#1", None, None, None)
    third = doc(results, "feed_missing_fields.xml#3")
    assert (third.title, third.date, third.url) == ("Bad date", None, "https://example.test/x")
    assert "no text" in reason(results, "feed_missing_fields.xml#2")
    assert "no text" in reason(results, "feed_missing_fields.xml#4")
