"""Ingest from URLs, against a server on this machine: every refusal is a Problem with a reason."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from detente.config import Settings
from detente.ingest import iter_raw
from detente.records import Problem, RawDocument

ARTICLE = (
    "Indian and Pakistani military officers spoke on Saturday and agreed to stop all firing on land, "
    "in the air and at sea from 5 pm, Indian Foreign Secretary Vikram Misri said."
)
PAGE = f"<html><head><title>Truce</title></head><body><article><p>{ARTICLE}</p></article></body></html>"
FEED = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>B</title>
<item><title>Truce holds</title><link>https://x.test/a</link><description>{ARTICLE}</description></item>
</channel></rss>"""
SETTINGS = Settings(http_timeout=0.4, http_max_bytes=10_000, http_max_redirects=3)

# path -> (status, content type, body, extra headers)
ROUTES: dict[str, tuple[int, str, bytes]] = {
    "/article": (200, "text/html; charset=utf-8", PAGE.encode()),
    "/news/truce-holds.txt": (200, "text/plain", ARTICLE.encode()),
    "/feed": (200, "application/rss+xml", FEED.encode()),
    "/latin1": (200, "text/html; charset=iso-8859-1", f"<p>Trêve à Genève. {ARTICLE}</p>".encode("latin-1")),
    "/image": (200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(100)),
    "/svg": (200, "image/svg+xml", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"),
    "/pdf": (200, "application/pdf", b"%PDF-1.4"),
    "/big": (200, "text/html", b"<p>" + b"x" * 50_000 + b"</p>"),
    "/missing": (404, "text/html", b"not here"),
    "/error": (500, "text/html", b"broken"),
    "/empty": (200, "text/html", b""),
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        path = self.path
        if path.startswith("/hop"):  # /hop3 -> /hop2 -> /hop1 -> /article
            n = int(path[4:] or 0)
            return self._redirect("/article" if n <= 1 else f"/hop{n - 1}")
        if path == "/loop":
            return self._redirect("/loop")
        if path == "/slow":
            time.sleep(SETTINGS.http_timeout * 3)
        if path == "/stream-big":  # no Content-Length: the cap must stop the download itself
            return self._stream(b"<p>" + b"y" * 4000, times=20, pause=0)
        if path == "/trickle":  # every chunk in time, the whole far too slow
            return self._stream(b"<p>a</p>", times=20, pause=SETTINGS.http_timeout / 4)
        status, ctype, body = ROUTES.get(path, (404, "text/plain", b"no route"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self._write(body)

    def _redirect(self, to: str) -> None:
        self.send_response(302)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _stream(self, chunk: bytes, times: int, pause: float) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        for _ in range(times):
            if not self._write(chunk):
                return
            time.sleep(pause)

    def _write(self, data: bytes) -> bool:
        try:
            self.wfile.write(data)
            self.wfile.flush()
            return True
        except OSError:  # the client gave up, as it should
            return False


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a client hanging up is expected here
        pass


@pytest.fixture(scope="module")
def server():
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def fetch(url: str, settings: Settings = SETTINGS) -> RawDocument | Problem:
    (item,) = list(iter_raw([url], settings))
    return item


def test_html_page(server):
    doc = fetch(f"{server}/article")
    assert isinstance(doc, RawDocument)
    assert (doc.fmt, doc.name, doc.url, doc.source) == (
        "html",
        "article",
        f"{server}/article",
        f"{server}/article",
    )
    assert "Vikram Misri" in doc.body


def test_plain_text_feed_and_declared_charset(server):
    text = fetch(f"{server}/news/truce-holds.txt")
    assert isinstance(text, RawDocument) and text.fmt == "text" and text.name == "truce-holds.txt"
    (item,) = list(iter_raw([f"{server}/feed"], SETTINGS))
    assert isinstance(item, RawDocument) and item.title == "Truce holds" and item.source == f"{server}/feed#1"
    latin = fetch(f"{server}/latin1")
    assert isinstance(latin, RawDocument) and "Trêve à Genève." in latin.body


def test_redirect_chain_within_the_limit(server):
    doc = fetch(f"{server}/hop3")
    assert isinstance(doc, RawDocument)
    assert doc.url == f"{server}/article" and doc.source == f"{server}/hop3"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/hop4", "more than 3 redirects"),
        ("/loop", "more than 3 redirects"),
        ("/image", "content type image/png"),
        ("/svg", "content type image/svg+xml"),
        ("/pdf", "content type application/pdf"),
        ("/big", "over the 10,000-byte limit"),
        ("/stream-big", "over the 10,000-byte limit (stopped)"),
        ("/missing", "HTTP 404"),
        ("/error", "HTTP 500"),
        ("/slow", "no answer within 0.4 s"),
        ("/trickle", "no complete answer within 0.4 s"),
        ("/empty", "empty"),
    ],
)
def test_refused_responses_are_problems(server, path, reason):
    item = fetch(f"{server}{path}")
    assert isinstance(item, Problem), item
    assert reason in item.reason and item.source == f"{server}{path}"


def test_unreachable_port_and_bad_addresses():
    with socket.socket() as s:  # a port that was free a moment ago and has no listener now
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    items = list(iter_raw([f"http://127.0.0.1:{port}/x", "http://", "https://exa mple.test/"], SETTINGS))
    assert all(isinstance(i, Problem) for i in items)
    assert "unreachable" in items[0].reason and "Connect" in items[0].reason
    assert all(i.reason for i in items[1:])


def test_one_bad_url_does_not_stop_the_batch(server):
    items = list(iter_raw([f"{server}/missing", f"{server}/image", f"{server}/article"], SETTINGS))
    assert [type(i).__name__ for i in items] == ["Problem", "Problem", "RawDocument"]


def test_private_addresses_are_refused_when_asked(server, monkeypatch):
    from detente.ingest import web

    public_only = SETTINGS.with_(http_allow_private=False)
    item = fetch(f"{server}/article", public_only)
    assert isinstance(item, Problem) and "local or private address (127.0.0.1)" in item.reason
    for host in (
        "127.0.0.1",
        "10.1.2.3",
        "169.254.169.254",
        "[::1]",
        "::ffff:127.0.0.1",
        "::127.0.0.1",
        "64:ff9b::a00:1",
    ):
        assert web.private_address(host) is not None, host
    assert web.private_address("93.184.215.14") is None  # a public address, no DNS needed
    # every hop is checked: a public host redirecting to this machine is refused at the redirect
    real = web.private_address
    monkeypatch.setattr(web, "private_address", lambda h: None if h == "public.test" else real(h))
    monkeypatch.setattr(
        web.httpx.HTTPTransport,
        "handle_request",
        lambda self, request, _real=web.httpx.HTTPTransport.handle_request: (
            web.httpx.Response(302, headers={"Location": f"{server}/article"}, request=request)
            if request.url.host == "public.test"
            else _real(self, request)
        ),
    )
    hop = fetch("http://public.test/story", public_only)
    assert isinstance(hop, Problem) and "127.0.0.1" in hop.reason
    assert isinstance(fetch("http://public.test/story"), RawDocument)  # allowed by default
