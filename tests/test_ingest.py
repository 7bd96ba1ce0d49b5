"""Ingest: every input kind, folders and globs, and bad inputs as Problems (never exceptions)."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from detente.config import Settings
from detente.ingest import iter_raw
from detente.ingest import sources as sources_module
from detente.ingest.decode import NotText, decode
from detente.records import Problem, RawDocument

ARTICLE = (
    "Ceasefire holds along the Line of Control\n\n"
    "Indian and Pakistani military officers spoke on Saturday and agreed to stop all firing on land, "
    "in the air and at sea from 5 pm, Indian Foreign Secretary Vikram Misri said.\n"
)
HTML = f"<!DOCTYPE html><html><head><title>Truce</title></head><body><article><p>{ARTICLE}</p></article></body></html>"


def collect(inputs, settings=None):
    items = list(iter_raw([str(i) for i in inputs], settings or Settings()))
    docs = [i for i in items if isinstance(i, RawDocument)]
    problems = [i for i in items if isinstance(i, Problem)]
    assert len(docs) + len(problems) == len(items)
    return docs, problems


# ---- formats -----------------------------------------------------------------------------------
def test_text_and_markdown_files_keep_their_base_name(tmp_path):
    (tmp_path / "one.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "two.md").write_text("# Truce holds\n\n" + ARTICLE, encoding="utf-8")
    docs, problems = collect([tmp_path / "one.txt", tmp_path / "two.md"])
    assert problems == []
    assert [(d.name, d.fmt, d.source) for d in docs] == [
        ("one.txt", "text", str(tmp_path / "one.txt")),
        ("two.md", "text", str(tmp_path / "two.md")),
    ]
    assert docs[0].body == ARTICLE


def test_html_by_suffix_and_by_content(tmp_path):
    (tmp_path / "page.htm").write_text(HTML)
    (tmp_path / "saved-page").write_text(HTML)  # no suffix: sniffed
    (tmp_path / "notes.txt").write_text("Remember to read <p> tags in the HTML chapter of the handbook.")
    docs, _ = collect([tmp_path / "page.htm", tmp_path / "saved-page", tmp_path / "notes.txt"])
    assert [d.fmt for d in docs] == ["html", "html", "text"]


def test_html_declared_charset_is_used_when_not_utf8(tmp_path):
    page = '<html><head><meta charset="windows-1252"></head><body><p>Genève – “talks”</p></body></html>'
    (tmp_path / "w.html").write_bytes(page.encode("cp1252"))
    (doc,), _ = collect([tmp_path / "w.html"])
    assert "Genève – “talks”" in doc.body


def test_jsonl_batch_with_broken_lines_goes_on(tmp_path):
    lines = [
        json.dumps(
            {"id": "w1", "title": "T1", "date": "2025-05-10", "url": "https://x.test/1", "text": ARTICLE}
        ),
        "{not json",
        json.dumps({"html": f"<p>{ARTICLE}</p>"}),
        json.dumps({"id": "w3"}),
        json.dumps(["a", "list"]),
        "[" * 100_000,  # deeper than the JSON parser's recursion limit
        "",
        json.dumps({"name": "w7", "text": ARTICLE, "title": 7, "source": "Wire"}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    docs, problems = collect([path])
    assert [d.name for d in docs] == ["w1", "batch.jsonl#3", "w7"]
    assert (docs[0].date, docs[0].title, docs[0].url) == ("2025-05-10", "T1", "https://x.test/1")
    assert docs[1].fmt == "html" and docs[1].source == f"{path}#3"
    assert docs[2].title is None and docs[2].meta == {"source": "Wire"}
    assert [p.source.rsplit("#", 1)[1] for p in problems] == ["2", "4", "5", "6"]
    assert "not JSON" in problems[0].reason and "no 'text' or 'html'" in problems[1].reason
    assert "not a JSON object" in problems[2].reason and "not JSON" in problems[3].reason


RSS = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Briefing</title>
<item><title>Truce holds</title><link>https://x.test/a</link><guid>a-1</guid>
<pubDate>Sat, 10 May 2025 18:00:00 GMT</pubDate><description>{ARTICLE}</description></item>
<item><title>Only a link</title><link>https://x.test/b</link></item>
<item><description>&lt;p&gt;{ARTICLE}&lt;/p&gt;</description></item>
</channel></rss>"""
ATOM = f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>
<entry><title type="html">Talks &lt;b&gt;resume&lt;/b&gt;</title><id>tag:x,2025:1</id>
<updated>2025-06-24T12:00:00Z</updated><summary>short</summary>
<content type="html">&lt;p&gt;{ARTICLE}&lt;/p&gt;</content></entry></feed>"""


def test_rss_and_atom_items_with_titles_links_dates_and_missing_fields(tmp_path):
    (tmp_path / "news.rss").write_text(RSS)
    (tmp_path / "news.atom").write_text(ATOM)
    docs, problems = collect([tmp_path / "news.rss", tmp_path / "news.atom"])
    assert [(d.name, d.title, d.date, d.url, d.fmt) for d in docs] == [
        ("a-1", "Truce holds", "2025-05-10", "https://x.test/a", "text"),
        ("news.rss#3", None, None, None, "html"),
        ("tag:x,2025:1", "Talks resume", "2025-06-24", None, "html"),
    ]
    assert "Vikram Misri" in docs[2].body  # the full content, not the summary
    assert [p.source for p in problems] == [f"{tmp_path / 'news.rss'}#2"]
    assert "no text" in problems[0].reason


def test_feed_is_sniffed_from_content_and_declared_encoding_respected(tmp_path):
    latin = RSS.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="iso-8859-1"?>')
    latin = latin.replace("Truce holds", "Trêve à Genève")
    (tmp_path / "feed.txt").write_bytes(latin.encode("latin-1"))
    docs, _ = collect([tmp_path / "feed.txt"])
    assert docs[0].title == "Trêve à Genève" and docs[0].source.endswith("feed.txt#1")


def test_feed_content_is_never_opened_as_a_path_or_url(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("<rss><channel><item><description>SECRET</description></item></channel></rss>")
    (tmp_path / "a.xml").write_text(str(secret))
    (tmp_path / "b.xml").write_text("http://127.0.0.1:9/feed")
    docs, problems = collect([tmp_path / "a.xml", tmp_path / "b.xml"])
    assert docs == []
    assert all("feed" in p.reason for p in problems) and len(problems) == 2


def test_malformed_feed_is_a_problem(tmp_path):
    (tmp_path / "bad.xml").write_text("<rss><channel><title>x</title></channel>")
    (tmp_path / "worse.atom").write_text("<feed><entry><title>unclosed")
    docs, problems = collect([tmp_path / "bad.xml", tmp_path / "worse.atom"])
    assert docs == [] and len(problems) == 2


# ---- folders and globs -------------------------------------------------------------------------
def make_tree(root: Path) -> None:
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "one.txt").write_text(ARTICLE)
    (root / "a" / "b" / "deep.html").write_text(HTML)
    (root / "two.jsonl").write_text(json.dumps({"id": "j1", "text": ARTICLE}) + "\n")
    (root / "three.xml").write_text(RSS)
    (root / "README.md").write_text("How these files were collected.")
    (root / ".hidden.txt").write_text(ARTICLE)
    (root / ".git").mkdir()
    (root / ".git" / "x.txt").write_text(ARTICLE)
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")


def test_folder_is_read_recursively_in_order_skipping_notes_hidden_and_unknown_files(tmp_path):
    make_tree(tmp_path)
    docs, problems = collect([tmp_path])
    assert [d.name for d in docs] == ["deep.html", "one.txt", "a-1", "three.xml#3", "j1"]  # path order
    assert [p.source.rsplit("/", 1)[1] for p in problems] == ["three.xml#2"]


def test_globs_plain_and_recursive(tmp_path):
    make_tree(tmp_path)
    docs, _ = collect([str(tmp_path / "a" / "*.txt")])
    assert [d.name for d in docs] == ["one.txt"]
    docs, _ = collect([str(tmp_path / "**" / "*.htm*")])
    assert [d.name for d in docs] == ["deep.html"]
    docs, problems = collect([str(tmp_path / "*.nothing")])
    assert docs == [] and "no file matches" in problems[0].reason


def test_a_file_reached_twice_is_read_once(tmp_path):
    make_tree(tmp_path)
    docs, _ = collect([tmp_path / "a" / "one.txt", tmp_path / "a", str(tmp_path / "a" / "*.txt")])
    assert [d.name for d in docs] == ["one.txt", "deep.html"]  # one.txt first, as named first


def test_empty_folder_and_missing_path(tmp_path):
    (tmp_path / "empty").mkdir()
    docs, problems = collect([tmp_path / "empty", tmp_path / "missing.txt"])
    assert docs == []
    assert "holds no" in problems[0].reason and "no such file" in problems[1].reason


# ---- bad inputs --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b" \n\t\n", "white space"),
        (b"\x00\x01\x02binary\x00" * 50, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (bytes(range(1, 32)) * 20, "control characters"),
        (bytes(range(128, 256)) * 8, "undecodable"),
    ],
    ids=["empty", "blank", "nul-bytes", "png", "controls", "undecodable"],
)
def test_bad_files_are_problems_and_the_batch_goes_on(tmp_path, content, reason):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    docs, problems = collect([bad, good])
    assert [d.name for d in docs] == ["good.txt"]
    assert len(problems) == 1 and reason in problems[0].reason and problems[0].source == str(bad)


def test_invalid_utf8_and_latin1_are_decoded(tmp_path):
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Le président a déclaré une trêve à Genève.\n".encode("latin-1") + ARTICLE.encode())
    broken = tmp_path / "broken.txt"
    broken.write_bytes(
        "“Silence”, said Misri – “now”.\n".encode() + ARTICLE.encode() + b"\xff\xfe bad \xc3\x28\n"
    )
    cyrillic = tmp_path / "ru.txt"
    cyrillic.write_bytes("Президент России заявил о перемирии на время праздников.".encode("cp1251"))
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(ARTICLE.encode("utf-16"))
    docs, problems = collect([latin, broken, cyrillic, utf16])
    assert problems == []
    assert "Le président a déclaré une trêve à Genève." in docs[0].body
    assert "“Silence”, said Misri – “now”." in docs[1].body and "\ufffd" in docs[1].body
    assert "Президент России" in docs[2].body
    assert docs[3].body == ARTICLE


def test_decode_prefers_valid_utf8_over_a_wrong_declaration():
    assert decode("Genève “talks”".encode(), "x", declared="iso-8859-1") == "Genève “talks”"
    with pytest.raises(NotText):
        decode(b"abc\x00def", "x")


def test_file_over_the_size_limit(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text(ARTICLE * 100)
    docs, problems = collect([path, tmp_path / "ok.txt"], Settings(max_file_bytes=1000))
    assert docs == [] and "1,000-byte limit" in problems[0].reason


def test_unreadable_file_is_a_problem(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text(ARTICLE)

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    docs, problems = collect([path])
    assert docs == [] and "Permission denied" in problems[0].reason


def test_a_bug_on_one_input_is_a_problem_and_later_inputs_are_read(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.txt").write_text(ARTICLE)
    real = sources_module.from_bytes

    def flaky(data, source, name, suffix, **kw):
        if name == "a.txt":
            raise RuntimeError("boom")
        return real(data, source, name, suffix, **kw)

    monkeypatch.setattr(sources_module, "from_bytes", flaky)
    docs, problems = collect([tmp_path])
    assert [d.name for d in docs] == ["b.txt"]
    assert "RuntimeError: boom" in problems[0].reason


def test_inputs_may_be_paths_and_iterables_are_lazy(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    items = iter_raw(iter([tmp_path / "a.txt"]), Settings())  # a Path, not a str
    assert next(items).name == "a.txt"


def test_jsonl_batch_is_read_line_by_line_with_the_limit_per_line(tmp_path):
    """An archive bigger than the file limit is read, one line at a time; only an over-long line
    is refused, and the lines after it are read."""
    batch = tmp_path / "archive.jsonl"
    lines = [json.dumps({"id": f"a{i}", "text": f"{ARTICLE} Round {i}."}) for i in range(20)]
    lines.insert(5, json.dumps({"id": "huge", "text": "word " * 2000}))
    batch.write_bytes(codecs.BOM_UTF8 + "\n".join(lines).encode() + b"\r\n\n")
    settings = Settings(max_file_bytes=2000)
    assert batch.stat().st_size > 2 * settings.max_file_bytes
    items = list(iter_raw([str(batch)], settings))
    docs = [i for i in items if isinstance(i, RawDocument)]
    problems = [i for i in items if isinstance(i, Problem)]
    assert [d.name for d in docs] == [f"a{i}" for i in range(20)]
    assert [(p.source.rsplit("#", 1)[1], p.reason) for p in problems] == [
        ("6", "line 6 is over the 2,000-byte limit")
    ]
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(json.dumps({"text": "Trêve à Genève. " + ARTICLE}, ensure_ascii=False).encode("cp1252"))
    (item,) = iter_raw([str(latin)], Settings())
    assert "Genève" in item.body
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\x00\x01" * 5000)
    assert [p.reason for p in iter_raw([str(binary)], Settings())] == ["binary data (NUL bytes), not text"]
