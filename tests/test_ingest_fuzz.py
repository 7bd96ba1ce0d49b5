"""Bad input through the whole ingest (read, clean, extract, store), into a database that already
holds articles: every input ends stored or as a logged problem, the batch never fails, and the
rows that were there before are untouched.

Two parts: the malformed-input corpus (tests/fixtures/ingest/bad) plus inputs made at test time
(a 50 MB text, a 3 MB one-line text, 20,000 nested tags, a URL that never answers), and
property-based inputs from hypothesis (random bytes, text in several encodings, nested and cut
HTML, JSONL lines of any shape, feeds with fields missing, damaged articles). The number of
hypothesis examples is $DETENTE_FUZZ_EXAMPLES (10 by default; `make reliability` runs more).
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from detente.bench.corpus import article
from detente.config import Settings
from detente.extract.pipeline import Extractor
from detente.pipeline import LocalRunner, ingest
from detente.records import Document
from detente.store import Store
from detente.store.snapshot import by_document, snapshot

BAD = Path(__file__).parent / "fixtures" / "ingest" / "bad"
EXAMPLES = int(os.environ.get("DETENTE_FUZZ_EXAMPLES", "10"))
# The quick run in `make test` draws the same examples every time (CI must not pass or fail by
# chance); `make reliability` sets DETENTE_FUZZ_EXAMPLES and draws new ones on each run.
DERANDOMIZE = "DETENTE_FUZZ_EXAMPLES" not in os.environ
SETTINGS = Settings(http_timeout=0.5)
pytestmark = pytest.mark.reliability  # in `make test` too (few examples), and in `make reliability`
TRIED = {"inputs": 0, "examples": 0}


@pytest.fixture(scope="module")
def runner() -> LocalRunner:
    return LocalRunner(SETTINGS, Extractor(SETTINGS))


@pytest.fixture(scope="module")
def seeds(runner) -> list:
    """Extractions of three good articles, stored first in every database."""
    docs = []
    for i in range(3):
        a = article(900_000 + i, brief=True)
        docs.append(Document(f"seed{i}", a["id"], "seed", a["text"], a["title"], a["date"], "metadata", "en"))
    return list(runner.extract(docs))


def seeded_store(folder: Path, seeds: list) -> tuple[Store, dict]:
    store = Store(str(folder / "t.db"))
    for ex in seeds:
        store.add(ex)
    return store, snapshot(store)


def check_after(store: Store, before: dict) -> None:
    """Rows stored before are all still there, unchanged; every new row's offsets fit its text."""
    after = snapshot(store)
    old, new = by_document(before), by_document(after)
    assert {k: new.get(k) for k in old} == old
    for table in ("persons",):
        assert set(before[table]) <= set(after[table])
    with store.engine.connect() as conn:
        for table in ("quotes", "positions", "agreements", "events", "mentions"):
            bad = conn.execute(
                text(
                    f"SELECT count(*) FROM {table} t JOIN documents d ON d.id = t.document_id "
                    f'WHERE t.start < 0 OR t."end" < t.start OR t."end" > length(d.text)'
                )
            ).scalar_one()
            assert bad == 0, table


def never_answers() -> tuple[socket.socket, str]:
    """A listening socket nobody accepts on: connecting works, no byte ever comes back."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    return sock, f"http://127.0.0.1:{sock.getsockname()[1]}/article.html"


def test_malformed_corpus_and_huge_inputs_through_the_whole_ingest(tmp_path, runner, seeds, reliability_log):
    store, before = seeded_store(tmp_path, seeds)
    huge = tmp_path / "huge.txt"
    with huge.open("w") as f:
        line = "The ceasefire talks went on for another day without result. " * 16 + "\n"
        for _ in range(50 * 2**20 // len(line) + 1):
            f.write(line)
    one_line = tmp_path / "one_line.txt"
    one_line.write_text("Talks resumed. " * 200_000)  # 3 MB without a line break: over spaCy's limit
    nested = tmp_path / "deep.html"
    nested.write_text("<html><body>" + "<div><span>" * 10_000 + "Truce talks resumed in Doha." + "</p>" * 3)
    sock, url = never_answers()
    tried: list[str] = []
    try:
        inputs = [str(BAD), str(huge), str(one_line), str(nested), url]
        report = ingest(inputs, store, SETTINGS, on_item=tried.append, runner=runner)
    finally:
        sock.close()
    reasons = {Path(p.source).name: p.reason for p in report.problems}
    assert "over the 20,000,000-byte limit" in reasons["huge.txt"]
    assert "over the parser's limit" in reasons["one_line.txt"]
    assert any(p.source == url and "no answer within" in p.reason for p in report.problems), reasons
    assert len(tried) == 28 and report.stored >= 8 and len(report.problems) >= 15
    stats = store.stats()
    assert stats["problems"] == len(report.problems)
    check_after(store, before)
    again = ingest([str(BAD)], store, SETTINGS, runner=runner)
    assert again.stored == 0 and store.stats()["documents"] == stats["documents"]  # a re-run adds nothing
    assert store.stats()["problems"] == stats["problems"]  # the same problems are not logged twice
    store.close()
    TRIED["inputs"] += len(tried)
    reliability_log("bad_corpus_inputs", len(tried))


# ---- property-based inputs ------------------------------------------------------------------------
words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)
plain = st.lists(
    st.sampled_from(["Talks", "ceasefire", "Putin", "said", "“", "”", ".", "\n\n", "Kyiv"]) | words
)


@st.composite
def html(draw) -> str:
    depth = draw(st.integers(0, 60))
    tags = [
        draw(st.sampled_from(["div", "p", "span", "article", "script", "table", "li", "a"]))
        for _ in range(depth)
    ]
    inner = " ".join(draw(plain))
    page = "<html><head><title>" + draw(words) + "</title></head><body>"
    page += "".join(f"<{t}>" for t in tags) + inner + "".join(f"</{t}>" for t in reversed(tags))
    cut = draw(st.integers(0, len(page)))
    return page if draw(st.booleans()) else page[:cut]


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | words,
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(words, kids, max_size=3),
    max_leaves=8,
)


@st.composite
def jsonl(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        keys = draw(st.lists(st.sampled_from(["text", "html", "body", "title", "date", "id", "url", "x"])))
        item = {k: draw(json_value | st.just(" ".join(draw(plain)))) for k in keys}
        line = json.dumps(item, ensure_ascii=draw(st.booleans()))
        lines.append(draw(st.sampled_from([line, line[: len(line) // 2], draw(words), "[1, 2]", ""])))
    return "\n".join(lines)


@st.composite
def feed(draw) -> str:
    items = []
    for _ in range(draw(st.integers(0, 3))):
        parts = [
            draw(st.sampled_from(["", "<title>" + draw(words) + "</title>"])),
            draw(st.sampled_from(["", "<link>https://x.test/" + draw(words) + "</link>"])),
            draw(st.sampled_from(["", "<pubDate>" + draw(words) + "</pubDate>"])),
            draw(st.sampled_from(["", "<description>" + " ".join(draw(plain)) + "</description>"])),
        ]
        items.append("<item>" + "".join(parts) + "</item>")
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
        + "".join(items)
        + "</channel></rss>"
    )
    return body if draw(st.booleans()) else body[: draw(st.integers(0, len(body)))]


@st.composite
def damaged_article(draw) -> str:
    t = article(draw(st.integers(0, 10**6)), brief=True)["text"]
    for _ in range(draw(st.integers(0, 5))):
        at = draw(st.integers(0, len(t)))
        t = t[:at] + draw(words) + t[at + draw(st.integers(0, 20)) :]
    return t


def encoded(strategy) -> st.SearchStrategy[bytes]:
    return st.tuples(strategy, st.sampled_from(["utf-8", "latin-1", "utf-16", "cp1251"])).map(
        lambda p: p[0].encode(p[1], errors="replace")
    )


inputs = st.one_of(
    st.tuples(st.sampled_from([".txt", ".html", ".jsonl", ".xml", ".md", ".bin"]), st.binary(max_size=3000)),
    st.tuples(st.sampled_from([".txt", ".md", ""]), encoded(damaged_article())),
    st.tuples(st.sampled_from([".txt", ".md"]), encoded(plain.map(" ".join))),
    st.tuples(st.sampled_from([".html", ".htm", ".txt"]), encoded(html())),
    st.tuples(st.sampled_from([".jsonl", ".ndjson"]), encoded(jsonl())),
    st.tuples(st.sampled_from([".xml", ".rss", ".txt"]), encoded(feed())),
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=DERANDOMIZE,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(files=st.lists(inputs, min_size=1, max_size=4))
def test_random_inputs_never_fail_the_batch(files, runner, seeds):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = []
        for n, (suffix, data) in enumerate(files):
            path = folder / f"in{n}{suffix}"
            path.write_bytes(data)
            paths.append(str(path))
        store, before = seeded_store(folder, seeds)
        try:
            tried: list[str] = []
            report = ingest(paths, store, SETTINGS, on_item=tried.append, runner=runner)  # must not raise
            assert all(p.reason for p in report.problems)
            assert store.stats()["documents"] == len(seeds) + report.stored
            check_after(store, before)
        finally:
            store.close()
    TRIED["inputs"] += len(tried)  # files, batch lines and feed items
    TRIED["examples"] += 1


def test_fuzz_figures(reliability_log):
    """Runs after the tests above (file order): records how many inputs were tried."""
    reliability_log(
        "fuzz", {"inputs": TRIED["inputs"], "hypothesis_examples": TRIED["examples"], "crashes": 0}
    )
    assert TRIED["examples"] > 0
