"""The bundled example corpus (examples/): formats, metadata, dates and what each article must exercise.

These tests read the corpus with the ingest and clean stages only (no NLP model), so they stay fast.
``examples/scenarios/`` belongs to the forecasting inputs and is not part of the article corpus.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from detente.clean import clean
from detente.config import Settings
from detente.ingest import iter_raw
from detente.records import Document, Problem

ARTICLE_DIRS = ("articles", "html", "batch", "feeds")
MIN_WORDS, MAX_WORDS = 150, 450
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# A conflict counts as covered when some article names both sides.
CONFLICTS = {
    "Russia-Ukraine": ("Putin", "Zelenskyy"),
    "Israel-Hamas": ("Hamas", "Netanyahu"),
    "India-Pakistan": ("India", "Pakistan"),
    "Armenia-Azerbaijan": ("Armenia", "Azerbaijan"),
    "Israel-Iran": ("Iran", "Israel"),
    "Thailand-Cambodia": ("Thailand", "Cambodia"),
    "DR Congo-Rwanda": ("Congo", "Rwanda"),
    "US-Houthis": ("Houthi", "United States"),
}
BOILERPLATE = (
    "Share this article",
    "Advertisement",
    "Sign up",
    "cookies",
    "Post a Comment",
    "Leave a comment",
    "All rights reserved",
    "Most read",
    "Read more",
)


@pytest.fixture(scope="module")
def cleaned(examples_dir: Path) -> dict[str, list]:
    """Every input of the corpus, read and cleaned: the documents and the skips."""
    settings = Settings()
    out: dict[str, list] = {"docs": [], "problems": []}
    inputs = [str(examples_dir / d) for d in ARTICLE_DIRS]
    for item in iter_raw(inputs, settings):
        if isinstance(item, Problem):
            out["problems"].append(item)
            continue
        result = clean(item, settings)
        out["docs" if isinstance(result, Document) else "problems"].append(result)
    return out


@pytest.fixture(scope="module")
def unique_docs(cleaned: dict[str, list]) -> list[Document]:
    return list({d.doc_id: d for d in cleaned["docs"]}.values())


def _rows(examples_dir: Path) -> list[dict]:
    lines = (examples_dir / "batch" / "wires.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _words(text: str) -> int:
    return len(text.split())


# --- formats and metadata -------------------------------------------------------------------------


def test_corpus_has_every_format(examples_dir):
    kinds = {p.suffix for d in ARTICLE_DIRS for p in (examples_dir / d).rglob("*") if p.is_file()}
    assert {".txt", ".html", ".jsonl", ".xml"} <= kinds
    assert len(list((examples_dir / "articles").glob("*.txt"))) >= 5
    assert len(list((examples_dir / "html").glob("*.html"))) >= 4


def test_every_jsonl_line_parses_and_has_the_fields(examples_dir):
    rows = _rows(examples_dir)
    assert all(isinstance(r, dict) for r in rows)
    for r in rows:
        missing = {"id", "url", "title", "date"} - {k for k, v in r.items() if isinstance(v, str) and v}
        assert not missing, (r.get("id"), missing)
        dt.date.fromisoformat(r["date"][:10])
    assert len({r["id"] for r in rows}) == len(rows), "ids must be unique"
    with_body = [r for r in rows if r.get("text") or r.get("html")]
    assert len(with_body) >= 3
    assert any(r.get("html") for r in with_body), "one item should carry HTML instead of text"
    assert len(rows) - len(with_body) == 1, "exactly one item is meant to lack a body (the logged skip)"


def test_the_item_without_text_is_a_logged_skip_not_a_crash(examples_dir):
    items = list(iter_raw([str(examples_dir / "batch" / "wires.jsonl")], Settings()))
    problems = [i for i in items if isinstance(i, Problem)]
    assert len(problems) == 1 and "no 'text' or 'html'" in problems[0].reason
    assert len(items) == len(_rows(examples_dir))


def test_feed_parses_with_dated_items_holding_the_full_text(examples_dir):
    feed = feedparser.parse((examples_dir / "feeds" / "briefing.xml").read_text(encoding="utf-8"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) >= 2
    for entry in feed.entries:
        assert entry.get("published_parsed"), entry.get("title")
        bodies = [c.get("value", "") for c in entry.get("content", [])] + [entry.get("summary", "")]
        text = re.sub(r"<[^>]+>", " ", max(bodies, key=len))
        assert _words(text) >= MIN_WORDS, f"{entry.title}: the feed must carry the article, not a teaser"


class _PageParts(HTMLParser):
    """Meta properties, tag names and class/id words of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.tags: set[str] = set()
        self.labels: set[str] = set()
        self.h1 = ""
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.add(tag)
        self.labels.update(re.split(r"[\s_-]+", f"{a.get('class', '')} {a.get('id', '')}".lower()))
        if tag == "meta" and a.get("property"):
            self.meta[a["property"]] = a.get("content", "")
        self._in_h1 = tag == "h1" or self._in_h1

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1 += data


def test_html_pages_have_meta_tags_and_page_furniture(examples_dir):
    pages = sorted((examples_dir / "html").glob("*.html"))
    assert len(pages) >= 4
    for page in pages:
        parts = _PageParts()
        parts.feed(page.read_text(encoding="utf-8"))
        assert parts.meta.get("og:title") == parts.h1.strip(), page.name
        published = parts.meta.get("article:published_time", "")
        assert dt.datetime.fromisoformat(published.replace("Z", "+00:00")), page.name
        assert {"nav", "footer", "article"} <= parts.tags, page.name
        assert "comments" in parts.labels or "comment" in parts.labels, f"{page.name}: no comment section"
    banners = [p for p in pages if re.search(r"cookie|consent|gdpr", p.read_text(encoding="utf-8"), re.I)]
    asides = [p for p in pages if "<aside" in p.read_text(encoding="utf-8")]
    assert len(banners) >= len(pages) - 1 and asides


# --- the cleaned articles ---------------------------------------------------------------------------


def test_enough_english_articles_on_enough_conflicts(unique_docs):
    assert len(unique_docs) >= 12
    covered = {
        c for c, names in CONFLICTS.items() if any(all(n in d.text for n in names) for d in unique_docs)
    }
    assert len(covered) >= 4, covered
    assert all(d.language == "en" for d in unique_docs)


def test_every_article_carries_a_date_of_the_right_kind(unique_docs):
    assert all(d.date and re.fullmatch(r"2025-\d\d-\d\d", d.date) for d in unique_docs), [
        d.name for d in unique_docs if not d.date
    ]
    kinds = {d.date_source for d in unique_docs}
    assert {"metadata", "meta-tag", "dateline"} <= kinds


def test_file_names_agree_with_the_dates_found(cleaned):
    for d in cleaned["docs"]:
        m = re.match(r"(?:wire-)?(\d{4}-\d\d-\d\d)", d.name)
        if m:
            assert d.date == m.group(1), d.name


def test_articles_are_short_news_pieces(unique_docs):
    for d in unique_docs:
        assert MIN_WORDS <= _words(d.text) <= MAX_WORDS, (d.name, _words(d.text))


def test_the_lead_names_the_publication_day_or_the_day_before(unique_docs):
    """'On Tuesday' in the first paragraph must fit the article's date: catches a wrong date or weekday."""
    for d in unique_docs:
        day = dt.date.fromisoformat(d.date)
        fits = {WEEKDAYS[day.weekday()], WEEKDAYS[(day - dt.timedelta(days=1)).weekday()]}
        lead = d.text.split("\n\n")[0]
        named = set(re.findall(r"\b(" + "|".join(WEEKDAYS) + r")\b", lead))
        assert named & fits, (d.name, d.date, named)


def test_weekdays_given_with_dates_are_on_the_calendar(unique_docs):
    pattern = re.compile(r"\b(" + "|".join(WEEKDAYS) + r"),? (" + "|".join(MONTHS) + r") (\d{1,2})\b")
    seen = 0
    for d in unique_docs:
        year = int(d.date[:4])
        for weekday, month, day in pattern.findall(d.text):
            seen += 1
            real = dt.date(year, MONTHS.index(month) + 1, int(day))
            assert WEEKDAYS[real.weekday()] == weekday, (d.name, weekday, month, day)
    assert seen >= 3


def test_boilerplate_is_present_in_the_sources_and_gone_after_cleaning(examples_dir, unique_docs):
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (examples_dir / "articles").glob("*.txt"))
    present = [b for b in BOILERPLATE if b.lower() in sources.lower()]
    assert len(present) >= 5, present
    assert re.search(r"^By .+\|.+$", sources, re.M), "a byline with | separators"
    for d in unique_docs:
        left = [b for b in BOILERPLATE if b.lower() in d.text.lower()]
        assert not left, (d.name, left)


def test_quotes_come_in_several_forms(unique_docs):
    texts = [d.text for d in unique_docs]
    assert any(re.search(r'"[^"\n]{3,}"', t) for t in texts), "straight quotation marks"
    assert any(re.search(r"\u201c[^\u201d\n]{3,}\u201d", t) for t in texts), "curly quotation marks"
    split = re.compile(r"[,\u201d\"]{1,2} \w+(?: \w+)? (?:said|told reporters)[^.\u201c\"]*\. [\u201c\"]")
    assert any(split.search(t) for t in texts), "a quote split by its attribution"
    cues = ("said that", "according to", "told reporters", "warned", "wrote on", "insisted", "confirmed")
    for cue in cues:
        assert any(cue in t for t in texts), cue


def test_people_appear_in_the_usual_news_forms(unique_docs):
    text = "\n".join(d.text for d in unique_docs)
    assert re.search(r"\b(?:Foreign|Defence) Minister [A-Z]\w+ [A-Z]\w+", text), "pre-name title"
    assert re.search(r"[A-Z]\w+ [A-Z]\w+, the Kremlin spokesman,", text), "apposition"
    assert re.search(r"\b[A-Z]\w+'s special envoy [A-Z]\w+ [A-Z]\w+", text), "possessive"
    assert re.search(r"\bMr [A-Z]\w+", text) and re.search(r"\bMs [A-Z]\w+", text), "Mr/Ms forms"


def test_one_article_is_duplicated_word_for_word(cleaned):
    by_key: dict[str, list[Document]] = {}
    for d in cleaned["docs"]:
        by_key.setdefault(d.doc_id, []).append(d)
    dupes = [ds for ds in by_key.values() if len(ds) > 1]
    assert len(dupes) == 1
    (pair,) = dupes
    assert sorted(Path(d.source.split("#")[0]).suffix for d in pair) == [".jsonl", ".txt"]
    assert len({d.text for d in pair}) == 1


def test_the_non_english_article_is_skipped_by_language(cleaned, examples_dir):
    skipped = [p for p in cleaned["problems"] if "language" in p.reason]
    assert len(skipped) == 1 and "'fr'" in skipped[0].reason
    text = Path(skipped[0].source).read_text(encoding="utf-8")
    assert _words(text) >= 80


def test_conflicts_are_followed_over_several_dates(unique_docs):
    """Stance histories need the same parties on several dates (the shifts themselves: test_history)."""
    by_conflict: dict[str, set[str]] = {}
    for d in unique_docs:
        for c, names in CONFLICTS.items():
            if all(n in d.text for n in names):
                by_conflict.setdefault(c, set()).add(d.date)
    assert sum(len(dates) >= 2 for dates in by_conflict.values()) >= 3, by_conflict


def test_readme_lists_every_article(examples_dir):
    readme = (examples_dir / "README.md").read_text(encoding="utf-8")
    assert "written for detente" in readme
    for d in ARTICLE_DIRS:
        for p in (examples_dir / d).glob("*.*"):
            assert f"{d}/{p.name}" in readme, p.name
    for r in _rows(examples_dir):
        assert r["id"] in readme, r["id"]
    feed = feedparser.parse((examples_dir / "feeds" / "briefing.xml").read_text(encoding="utf-8"))
    listed = re.findall(r"^\| `feeds/briefing\.xml` #(\d+)", readme, re.M)
    assert sorted(map(int, listed)) == list(range(1, len(feed.entries) + 1))
