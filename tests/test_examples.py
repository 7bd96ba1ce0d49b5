"""The bundled example corpus: enough articles, formats and conflicts, each with a date."""

from __future__ import annotations

import json

import feedparser

from detente.config import Settings
from detente.ingest import iter_raw
from detente.records import RawDocument


def test_corpus_has_every_format(examples_dir):
    kinds = {p.suffix for p in examples_dir.rglob("*") if p.is_file() and p.name != "README.md"}
    assert {".txt", ".html", ".jsonl", ".xml"} <= kinds


def test_jsonl_lines_parse_and_carry_metadata(examples_dir):
    rows = [json.loads(line) for line in (examples_dir / "batch" / "wires.jsonl").read_text().splitlines()]
    with_text = [r for r in rows if r.get("text") or r.get("html")]
    assert len(with_text) >= 3
    assert all(r.get("id") and r.get("date") and r.get("title") for r in with_text)


def test_feed_items_are_dated(examples_dir):
    feed = feedparser.parse((examples_dir / "feeds" / "briefing.xml").read_text())
    assert len(feed.entries) >= 2
    assert all(e.get("published_parsed") for e in feed.entries)


def test_html_pages_have_meta_tags(examples_dir):
    for page in (examples_dir / "html").glob("*.html"):
        html = page.read_text()
        assert 'property="og:title"' in html and 'property="article:published_time"' in html, page.name


def test_at_least_twelve_dated_articles_on_three_conflicts(examples_dir):
    from detente.clean import clean

    docs = [
        clean(r, Settings()) for r in iter_raw([str(examples_dir)], Settings()) if isinstance(r, RawDocument)
    ]
    english = [d for d in docs if hasattr(d, "doc_id")]
    unique = {d.doc_id: d for d in english}
    assert len(unique) >= 12
    assert all(d.date for d in unique.values()), [d.name for d in unique.values() if not d.date]
    conflicts = {
        "Russia-Ukraine": ("Putin", "Zelenskyy"),
        "Israel-Hamas": ("Hamas",),
        "India-Pakistan": ("Pakistan",),
        "Armenia-Azerbaijan": ("Azerbaijan",),
    }
    covered = {
        c for c, words in conflicts.items() if any(all(w in d.text for w in words) for d in unique.values())
    }
    assert len(covered) >= 3
    assert len(english) > len(unique)  # the duplicate is there, to be deduplicated
