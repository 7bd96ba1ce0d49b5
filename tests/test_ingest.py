"""Ingest: every input kind, bad inputs as Problems (never exceptions), URLs against a local server."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from detente.config import Settings
from detente.ingest import iter_raw
from detente.records import Problem, RawDocument

ARTICLE = (
    "Ceasefire holds along the Line of Control\n\n"
    "Indian and Pakistani military officers spoke on Saturday and agreed to stop all firing on land, "
    "in the air and at sea from 5 pm, Indian Foreign Secretary Vikram Misri said.\n"
)


def collect(inputs, settings=None):
    items = list(iter_raw([str(i) for i in inputs], settings or Settings()))
    docs = [i for i in items if isinstance(i, RawDocument)]
    problems = [i for i in items if isinstance(i, Problem)]
    return docs, problems


def test_folder_is_read_recursively_and_by_kind(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "two.html").write_text(f"<html><body><article><p>{ARTICLE}</p></article></body></html>")
    (tmp_path / "ignored.png").write_bytes(b"\x89PNG\r\n")
    docs, problems = collect([tmp_path])
    assert sorted(d.name for d in docs) == ["one.txt", "two.html"]
    assert {d.name: d.fmt for d in docs} == {"one.txt": "text", "two.html": "html"}
    assert problems == []


def test_glob(tmp_path):
    for n in range(3):
        (tmp_path / f"art{n}.txt").write_text(ARTICLE)
    docs, _ = collect([str(tmp_path / "art*.txt")])
    assert len(docs) == 3


def test_jsonl_batch_with_a_broken_line(tmp_path):
    lines = [
        json.dumps(
            {"id": "w1", "title": "T1", "date": "2025-05-10", "url": "https://x.test/1", "text": ARTICLE}
        ),
        "{not json",
        json.dumps({"id": "w2", "html": f"<p>{ARTICLE}</p>"}),
        json.dumps({"id": "w3"}),
        json.dumps(["a", "list"]),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    docs, problems = collect([path])
    assert [d.name for d in docs] == ["w1", "w2"]
    assert docs[0].date == "2025-05-10" and docs[0].title == "T1" and docs[1].fmt == "html"
    assert len(problems) == 3
    assert any("not JSON" in p.reason for p in problems)


def test_rss_and_atom_feeds(tmp_path):
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Briefing</title>
    <item><title>Truce holds</title><link>https://x.test/a</link><pubDate>Sat, 10 May 2025 18:00:00 GMT</pubDate>
    <description>{ARTICLE}</description></item>
    <item><title>Only a link</title><link>https://x.test/b</link></item></channel></rss>"""
    atom = f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>
    <entry><title>Talks resume</title><id>tag:x,2025:1</id><updated>2025-06-24T12:00:00Z</updated>
    <content type="text">{ARTICLE}</content></entry></feed>"""
    (tmp_path / "news.rss").write_text(rss)
    (tmp_path / "news.atom").write_text(atom)
    docs, problems = collect([tmp_path / "news.rss", tmp_path / "news.atom"])
    assert {d.title: d.date for d in docs} == {"Truce holds": "2025-05-10", "Talks resume": "2025-06-24"}
    assert len(problems) == 1 and "no text" in problems[0].reason


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00" * 50, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    ],
    ids=["empty", "nul-bytes", "png"],
)
def test_bad_files_are_problems(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    docs, problems = collect([path, tmp_path / "missing.txt"])
    assert docs == []
    assert reason in problems[0].reason
    assert "no such file" in problems[1].reason


def test_wrong_encodings_are_decoded(tmp_path):
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Le président a déclaré une trêve à Genève.\n".encode("latin-1") + ARTICLE.encode())
    broken = tmp_path / "broken.txt"
    broken.write_bytes(ARTICLE.encode() + b"\xff\xfe invalid \xc3\x28 bytes\n")
    docs, problems = collect([latin, broken])
    assert problems == []
    assert "président" in docs[0].body
    assert "Vikram Misri" in docs[1].body


def test_file_over_the_size_limit(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text(ARTICLE * 100)
    _, problems = collect([path], Settings(max_file_bytes=1000))
    assert "limit" in problems[0].reason


# ---- URLs, against a server on this machine --------------------------------------------------
class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        routes = {
            "/article": (
                200,
                "text/html; charset=utf-8",
                f"<html><body><article><p>{ARTICLE}</p></article></body></html>",
            ),
            "/image": (200, "image/png", "PNG"),
            "/big": (200, "text/html", "<p>" + "x" * 50_000 + "</p>"),
            "/missing": (404, "text/html", "not here"),
        }
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
            return
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        if self.path == "/slow":
            time.sleep(1.5)
        status, ctype, body = routes.get(self.path, routes["/article"])
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_urls(server):
    settings = Settings(http_timeout=0.5, http_max_bytes=10_000, http_max_redirects=3)
    items = list(iter_raw([f"{server}/article", f"{server}/redirect"], settings))
    assert [type(i) for i in items] == [RawDocument, RawDocument]
    assert items[1].url.endswith("/article") and "Vikram Misri" in items[1].body


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/image", "content type image/png"),
        ("/big", "limit"),
        ("/missing", "HTTP 404"),
        ("/loop", "redirects"),
        ("/slow", "no answer within"),
    ],
)
def test_bad_urls_are_problems(server, path, reason):
    settings = Settings(http_timeout=0.5, http_max_bytes=10_000, http_max_redirects=3)
    (item,) = list(iter_raw([f"{server}{path}"], settings))
    assert isinstance(item, Problem)
    assert reason in item.reason


def test_unreachable_port():
    (item,) = list(iter_raw(["http://127.0.0.1:9/nothing"], Settings(http_timeout=1)))
    assert isinstance(item, Problem) and "unreachable" in item.reason
