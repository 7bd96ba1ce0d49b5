"""The web app through FastAPI's TestClient: pages, escaping, CSP, upload cap, 404s, API shapes."""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from tests.web_fixtures import HOSTILE_ACTOR, fill

from detente.config import Settings
from detente.store import Store
from detente.web.app import create_app


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("web") / "web.db"
    with Store(str(path)) as store:
        fill(store)
    return path


@pytest.fixture(scope="module")
def client(db):
    settings = Settings(db=str(db), upload_max_bytes=2000, forecast_runs=50)
    with TestClient(create_app(settings)) as c:
        yield c


class Elements(HTMLParser):
    """Every start tag with its attributes, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def assert_inert(html: str) -> None:
    """No script but the app's own file, no event-handler attribute, no javascript: URL, no inline SVG
    element that came from the text."""
    parser = Elements()
    parser.feed(html)
    for tag, attrs in parser.tags:
        if tag == "script":
            assert attrs.get("src", "").startswith("/static/"), attrs
        assert not [k for k in attrs if k.startswith("on")], (tag, attrs)
        for key in ("href", "src", "action", "formaction"):
            assert not attrs.get(key, "").strip().lower().startswith("javascript:"), (tag, attrs)
    assert parser.tags, "nothing parsed"


def test_pages_answer_and_carry_the_policy(client):
    for path in [
        "/",
        "/actors",
        "/people",
        "/issues",
        "/timeline",
        "/import",
        "/api/docs",
        "/search?q=talks",
    ]:
        r = client.get(path)
        assert r.status_code == 200, path
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "object-src 'none'" in csp and "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"


def test_hostile_article_is_shown_as_text_everywhere(client):
    doc = client.get("/documents/hostile0000000001")
    assert doc.status_code == 200
    assert_inert(doc.text)
    assert "&lt;script&gt;window.__pwned = 1" in doc.text
    assert (
        "onerror=&#34;window.__pwned = 2&#34;" in doc.text
        or "onerror=&quot;window.__pwned = 2&quot;" in doc.text
    )
    pages = [
        "/",
        f"/actors/{quote(HOSTILE_ACTOR)}",
        f"/actors/{quote(HOSTILE_ACTOR)}/positions",
        "/issues/ceasefire",
        "/search?q=Mallory",
        "/search?q=" + quote("<script>alert(1)</script>"),
        "/timeline",
        "/report.html",
    ]
    person = client.get("/api/people", params={"name": "Mallory"}).json()
    pages.append(f"/people/{person[0]['id']}")
    for path in pages:
        r = client.get(path)
        assert r.status_code == 200, path
        assert_inert(r.text)
    assert "Hostilia&lt;svg" in client.get(f"/actors/{quote(HOSTILE_ACTOR)}").text


def test_document_marks_quotes_positions_and_links_people(client):
    doc_id = client.get("/api/documents", params={"limit": 50}).json()[-1]["doc_id"]
    view = client.get(f"/api/documents/{doc_id}").json()
    html = client.get(f"/documents/{doc_id}").text
    assert view["quotes"] and view["positions"]
    for q in view["quotes"]:
        assert f'id="q{q["id"]}"' in html
    for p in view["positions"]:
        assert f'id="p{p["id"]}"' in html
    assert 'class="hl hl-' in html and "/people/" in html
    kinds = {h["kind"] for h in view["highlights"]}
    assert {"quote", "speaker", "cue", "mention", "position", "event"} <= kinds
    text = view["document"]["text"]
    for h in view["highlights"]:
        assert 0 <= h["start"] < h["end"] <= len(text)


def test_search_finds_articles_and_names(client):
    r = client.get("/api/search", params={"q": "Morozov"}).json()
    assert r["documents"] and all(set(h) >= {"doc_id", "snippet", "rank"} for h in r["documents"])
    page = client.get("/search", params={"q": "prisoner exchange"}).text
    assert "<mark>" in page
    assert client.get("/api/search", params={"q": "Ukraine"}).json()["actors"] == ["Ukraine"]


def test_actor_person_and_issue_pages_show_history(client):
    actors = client.get("/api/actors").json()
    name = actors[0]["name"]
    detail = client.get(f"/api/actors/{quote(name)}").json()
    assert detail["total_positions"] == actors[0]["positions"]
    assert detail["history"] and detail["positions"]
    assert sum(c["count"] for c in detail["counts"]) == detail["total_positions"]
    html = client.get(f"/actors/{quote(name.lower())}").text  # case does not matter
    assert f'<h1 class="actor-name">{name}</h1>' in html and 'class="history"' in html
    person = detail["people"][0]
    pd = client.get(f"/api/people/{person['id']}").json()
    assert pd["person"]["name"] == person["name"] and pd["quotes"]
    issue = client.get("/api/issues/ceasefire").json()
    assert issue["latest"] and len({p["actor"] for p in issue["latest"]}) == len(issue["latest"])


def test_every_position_of_a_party_is_reachable_a_page_at_a_time(client, db):
    name = client.get("/api/actors").json()[0]["name"]
    with Store(str(db)) as store:
        everything = store.positions(actor=name)
    assert len(everything) > 5
    seen, page = [], 1
    while True:
        r = client.get(f"/api/actors/{quote(name)}/positions", params={"page": page, "per_page": 2}).json()
        assert (r["name"], r["total"], r["pages"]) == (name, len(everything), -(-len(everything) // 2))
        if not r["positions"]:
            break
        seen += r["positions"]
        page += 1
    assert page == r["pages"] + 1  # the page past the end is empty, not an error
    assert sorted(p["id"] for p in seen) == sorted(p.id for p in everything)  # each once
    keys = [(p["date"] or "", p["id"]) for p in seen]
    assert keys == sorted(keys, reverse=True)  # newest first, as the party's page lists them
    latest = client.get(f"/api/actors/{quote(name)}").json()["positions"]
    assert [p["id"] for p in latest] == [p["id"] for p in seen[: len(latest)]]

    html = client.get(f"/actors/{quote(name)}/positions", params={"page": 2, "per_page": 2}).text
    assert f"page 2 of {r['pages']}" in html
    assert 'rel="prev" href="/actors/' in html and "positions?page=1&amp;per_page=2" in html
    assert "positions?page=3&amp;per_page=2" in html
    for p in seen[2:4]:
        assert f"#p{p['id']}" in html
    assert f"#p{seen[4]['id']}" not in html
    last = client.get(f"/actors/{quote(name)}/positions", params={"page": r["pages"], "per_page": 2}).text
    assert 'rel="next"' not in last
    assert client.get(f"/actors/{quote(name)}/positions", params={"page": 0}).status_code == 422
    assert client.get("/actors/Nobody/positions").status_code == 404


def test_party_page_links_to_the_whole_list_when_it_shows_part(client, monkeypatch):
    name = client.get("/api/actors").json()[0]["name"]
    assert "/positions" not in client.get(f"/actors/{quote(name)}").text  # all of them shown
    monkeypatch.setattr(Store.actor, "__defaults__", (3,))  # the page shows the 3 latest
    html = client.get(f"/actors/{quote(name)}").text
    assert f'href="/actors/{quote(name)}/positions"' in html


def test_missing_things_are_404(client):
    for path in [
        "/documents/nope",
        "/actors/Nobody",
        "/people/999999",
        "/issues/nothing",
        "/import/zzz",
        "/no/such/page",
    ]:
        r = client.get(path)
        assert r.status_code == 404, path
        assert "text/html" in r.headers["content-type"]
    r = client.get("/api/documents/nope")
    assert r.status_code == 404 and r.json()["detail"]


def test_openapi_lists_the_api(client):
    spec = client.get("/api/openapi.json").json()
    assert {"/api/search", "/api/actors/{name}", "/api/forecast", "/api/imports"} <= set(spec["paths"])
    docs = client.get("/api/docs").text
    assert "/api/forecast" in docs and "cdn" not in docs.lower()


def test_what_if_changes_the_forecast(client):
    base = client.post("/api/forecast", json={"runs": 20}).json()
    moved = client.post("/api/forecast", json={"runs": 20, "changes": ["Russia:territory:position=0"]}).json()
    b = {i["id"]: i["models"][0]["forecast"] for i in base["issues"]}
    m = {i["id"]: i["models"][0]["forecast"] for i in moved["issues"]}
    assert m["territory"] < b["territory"] and m["ceasefire"] == b["ceasefire"]
    assert client.post("/api/forecast", json={"changes": ["Nobody:territory:position=1"]}).status_code == 422
    form = client.get("/scenario").text
    field = re.search(r'name="(pos-(\d+)-(\d+))" value="([\d.]+)"', form)
    assert field
    r = client.post("/scenario", data={field.group(1): "0"})
    assert r.status_code == 200 and "What if" in r.text and 'class="delta' in r.text


def test_uploads_are_capped_and_checked(client):
    big = client.post("/import", files={"file": ("big.txt", b"x" * 5000, "text/plain")})
    assert big.status_code == 413
    api_big = client.post("/api/imports", files={"file": ("big.txt", b"x" * 5000, "text/plain")})
    assert api_big.status_code == 413
    assert client.post("/api/imports", data={"url": "javascript:alert(1)"}).status_code == 422
    assert client.post("/import", data={"url": "file:///etc/passwd"}).status_code == 422


def test_import_runs_the_pipeline_in_the_background(db, tmp_path):
    """A real import: the language model, clean and extract on a short uploaded article."""
    text = (
        b"KYIV, May 2, 2025 - Ukraine's President Volodymyr Zelenskyy said on Friday that Ukraine accepts "
        b"a 30-day ceasefire. Russia rejected the proposal, Kremlin spokesman Dmitry Peskov told reporters."
    )
    with TestClient(create_app(Settings(db=str(tmp_path / "import.db")))) as c:
        r = c.post("/import", files={"file": ("talks.txt", text, "text/plain")}, follow_redirects=False)
        assert r.status_code == 303
        job_url = "/api" + r.headers["location"].replace("/import/", "/imports/")
        deadline = time.time() + 120
        while not (job := c.get(job_url).json())["finished"] and time.time() < deadline:
            time.sleep(0.2)
        assert job["state"] == "done", job
        assert job["stored"] == 1 and len(job["documents"]) == 1
        page = c.get(f"/documents/{job['documents'][0]}").text
        assert "Zelenskyy" in page and "hl-quote" in page
        again = c.post("/api/imports", files={"file": ("talks.txt", text, "text/plain")}).json()
        while not (job := c.get(f"/api/imports/{again['id']}").json())["finished"]:
            time.sleep(0.1)
        assert job["stored"] == 0 and job["duplicates"] == 1


def test_server_defaults_to_localhost():
    assert Settings().web_host == "127.0.0.1"


def test_an_app_open_to_other_machines_imports_only_public_addresses(tmp_path):
    from detente.web.imports import Importer

    local = Importer(None, Settings(db=str(tmp_path / "a.db")))
    shared = Importer(None, Settings(db=str(tmp_path / "a.db"), web_host="0.0.0.0"))
    assert local.settings.http_allow_private and not shared.settings.http_allow_private
    with TestClient(create_app(Settings(db=str(tmp_path / "b.db"), web_host="0.0.0.0"))) as c:
        job = c.post("/api/imports", data={"url": "http://127.0.0.1:9/latest"}).json()
        deadline = time.time() + 30
        while not (job := c.get(f"/api/imports/{job['id']}").json())["finished"] and time.time() < deadline:
            time.sleep(0.1)
        assert job["stored"] == 0
        assert any("local or private address" in p for p in job["problems"]), job


def test_history_table_groups_runs_per_row_and_escapes_names():
    from detente.store.rows import StancePoint
    from detente.web.history import history_table

    hostile = '<b onmouseover="x()">Hostilia</b>'
    points = [
        StancePoint(hostile, "ceasefire", "2025-01-01", "accept", 0.6, 1, "2025-01-01"),
        StancePoint("borduria", "ceasefire", "2025-01-02", "reject", 0.7, 3, "2025-01-04"),
        StancePoint("Aland", "ceasefire", "2025-01-03", "offer", 0.5, 1, "2025-01-03"),
        StancePoint(hostile, "ceasefire", "2025-01-05", "offer", 0.9, 2, "2025-01-06"),
    ]
    html = history_table(points, "actor")
    assert_inert(html)
    rows = html.split("<tr>")[1:]
    assert [r[r.index("/actors/") : r.index('">')] for r in rows] == [
        "/actors/%3Cb%20onmouseover%3D%22x%28%29%22%3EHostilia%3C/b%3E",  # '<' sorts first
        "/actors/Aland",
        "/actors/borduria",  # case is ignored in the order
    ]
    assert "&lt;b onmouseover=&#34;x()&#34;&gt;Hostilia&lt;/b&gt;" in rows[0]
    assert rows[0].count('class="step') == 2 and rows[0].index("2025-01-01") < rows[0].index("2025-01-05")
    assert 'title="2025-01-02 to 2025-01-04: reject on 3 day(s)">2025-01-02 reject ×3<' in rows[2]
    issues = history_table(
        [StancePoint("Aland", "security_guarantees", "2025-01-01", "demand", 0.5)], "issue"
    )
    assert '<a href="/issues/security_guarantees">security guarantees</a>' in issues
