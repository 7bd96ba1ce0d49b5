"""The web app in a real browser (Debian's Chromium driven by Playwright): pages load, the search ->
document -> party path works, a what-if runs, an import shows its progress, and a hostile article
runs nothing. Screenshots go to build/test-artifacts/ for a person to look at.

Run with `make test-browser` (marked `browser`, so the default `make test` leaves them out).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from tests.web_fixtures import fill

from detente.config import Settings
from detente.store import Store

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "build" / "test-artifacts"


def _chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if shutil.which("apt-get") is None:
        pytest.skip("no /usr/bin/chromium and no apt-get to install it")
    try:
        subprocess.run(["apt-get", "update", "-qq"], check=True, capture_output=True, timeout=600)
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "chromium", "chromium-driver"],
            check=True,
            capture_output=True,
            timeout=900,
            env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
        )
    except (subprocess.SubprocessError, OSError) as e:
        pytest.skip(f"Chromium is not installed and installing it failed: {e}")
    if not CHROMIUM.exists():
        pytest.skip("apt-get ran but /usr/bin/chromium is still missing")
    return CHROMIUM


@pytest.fixture(scope="session")
def server(tmp_path_factory, examples_dir):
    import uvicorn

    from detente.web.app import create_app

    db = tmp_path_factory.mktemp("browser") / "browser.db"
    with Store(str(db)) as store:
        fill(store, 30)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(Settings(db=str(db), forecast_runs=100))
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="session")
def browser():
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(executable), args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    yield pg
    context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_pages_load(server, page):
    for path, name, heading in [
        ("/", "overview", "Overview"),
        ("/actors", "parties", "Parties"),
        ("/issues/ceasefire", "issue", "Issue: ceasefire"),
        ("/timeline", "timeline", "Timeline"),
        ("/api/docs", "api-docs", "detente API"),
    ]:
        page.goto(server + path)
        assert heading in page.locator("h1").inner_text()
        shot(page, name)
    page.goto(server + "/report.html")
    assert page.locator("#forecast svg").count() == 2 and page.locator(".matrix a.cell").count() > 0
    shot(page, "report")


def test_search_document_actor(server, page):
    page.goto(server + "/")
    page.fill("input[name=q]", "prisoner exchange")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator("mark").count() > 0
    shot(page, "search")
    page.locator("a.hit").first.click()
    page.wait_for_url("**/documents/*")
    assert (
        page.locator(".doctext .hl-quote").count() > 0 and page.locator(".doctext .hl-position").count() > 0
    )
    shot(page, "document")
    party = page.locator("aside a[href^='/actors/']").first
    name = party.inner_text()
    party.click()
    page.wait_for_url("**/actors/*")
    assert page.locator("h1").inner_text() == name
    assert page.locator("table.history .step").count() > 0
    shot(page, "actor")


def test_what_if(server, page):
    page.goto(server + "/scenario")
    before = page.locator("#forecast-table tr[data-issue=territory] td[data-model=compromise]").inner_text()
    field = page.locator("input[aria-label='Russia position on Territory']")
    field.fill("0")
    page.click("#run-whatif")
    page.wait_for_selector(".changes")
    after = page.locator("#forecast-table tr[data-issue=territory] td[data-model=compromise]").inner_text()
    assert "Russia:territory:position=0" in page.locator(".changes").inner_text()
    assert float(after.split()[0]) < float(before.split()[0])
    shot(page, "what-if")


def test_hostile_article_runs_nothing(server, page):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for path in ["/documents/hostile0000000001", "/search?q=Mallory", "/report.html", "/timeline"]:
        page.goto(server + path)
        page.wait_for_load_state("load")
        for link in page.locator("a").all():
            href = link.get_attribute("href") or ""
            assert not href.strip().lower().startswith("javascript:")
        page.locator(".doctext .hl").first.hover() if path.startswith("/documents") else None
        assert page.evaluate("window.__pwned === undefined"), path
    assert page.dialogs == []  # type: ignore[attr-defined]
    page.goto(server + "/documents/hostile0000000001")
    assert "<script>window.__pwned = 1" in page.locator(".doctext").inner_text()
    shot(page, "hostile-document")


def test_import_shows_progress(server, page, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("   ", encoding="utf-8")
    page.goto(server + "/import")
    page.set_input_files("#file", str(bad))
    page.click("#start-import")
    page.wait_for_url("**/import/*")
    page.wait_for_selector("#job[data-finished=true]", timeout=120_000)
    assert page.locator("#job-state").inner_text() in ("done", "failed")
    shot(page, "import")
