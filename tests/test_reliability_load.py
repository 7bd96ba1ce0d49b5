"""Load: 50 concurrent clients on the web API for 60 seconds, on a local uvicorn server.

The server runs in a subprocess (uvicorn, the app's factory, a database of the examples), on a
free loopback port. The paths are every GET route under /api that the app's OpenAPI document
lists and whose parameters can be filled from the database (a document id, a person id, a
party, an issue, a search word). Bounded in time ($DETENTE_LOAD_SECONDS, 60 by default) and in
requests (100,000). Zero errors are expected; the 95th percentile latency is reported.
"""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import subprocess
import sys
import time

import httpx
import pytest

from detente.bench.load import is_loopback, run_load

SECONDS = float(os.environ.get("DETENTE_LOAD_SECONDS", "60"))
CLIENTS = 50


def web_app_missing() -> str | None:
    for module in ("fastapi", "uvicorn", "detente.web.app"):
        try:
            if importlib.util.find_spec(module) is None:
                return f"no web app ({module} is not installed)"
        except ModuleNotFoundError:
            return f"no web app ({module} is not installed)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fill(path: str, values: dict[str, list[str]]) -> list[str]:
    """The path with each {parameter} filled from ``values`` (up to 3 variants); [] if one is unknown."""
    names = re.findall(r"{(\w+)}", path)
    if any(not values.get(n) for n in names):
        return []
    out = []
    for k in range(3):
        filled = path
        for n in names:
            filled = filled.replace("{" + n + "}", str(values[n][k % len(values[n])]))
        out.append(filled)
    return sorted(set(out))


def api_paths(base: str, values: dict[str, list[str]]) -> list[str]:
    spec = httpx.get(f"{base}/api/openapi.json", timeout=30).json()
    paths = []
    for path, ops in spec.get("paths", {}).items():
        get = ops.get("get")
        if not path.startswith("/api") or get is None:
            continue
        required = [
            p["name"] for p in get.get("parameters", []) if p.get("in") == "query" and p.get("required")
        ]
        if any(r not in values for r in required):
            continue
        query = "&".join(f"{r}={values[r][0]}" for r in required)
        paths += [p + (f"?{query}" if query else "") for p in fill(path, values)]
    return paths


@pytest.fixture
def reference_db(tmp_path, examples_dir):
    from detente.config import Settings
    from detente.pipeline import ingest
    from detente.store import Store

    db = tmp_path / "web.db"
    with Store(str(db)) as store:
        ingest([str(examples_dir)], store, Settings())
        values = {
            "doc_id": [d.doc_id for d in store.documents(limit=5)],
            "person_id": [str(p.id) for p in store.people()[:5]],
            "name": sorted({p.actor for p in store.positions()})[:5],
            "issue_id": sorted({p.issue for p in store.positions()})[:5],
            "issue": sorted({p.issue for p in store.positions()})[:5],
            "q": ["ceasefire", "truce talks", "prisoner exchange"],
        }
    return db, values


@pytest.mark.slow
@pytest.mark.reliability
def test_fifty_clients_for_a_minute_without_errors(reference_db, reliability_log):
    missing = web_app_missing()
    if missing:
        reliability_log("load", {"skipped": missing})
        pytest.skip(missing)
    db, values = reference_db
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "uvicorn", "--factory", "detente.web.app:create_app"),
            *("--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"),
        ],
        env={**os.environ, "DETENTE_DB": str(db)},
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/api/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.3)
        paths = api_paths(base, values)
        assert len(paths) >= 5, paths
        result = run_load(base, paths, clients=CLIENTS, seconds=SECONDS, max_requests=100_000).as_dict()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    reliability_log("load", result)
    assert result["errors"] == 0, result["error_kinds"]
    assert result["requests"] > CLIENTS


def test_load_tester_counts_errors_and_refuses_other_hosts():
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            code = 404 if self.path == "/missing" else 200
            self.send_response(code)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        result = run_load(base, ["/a", "/missing"], clients=4, seconds=5, max_requests=40)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert result.requests == 40 and sum(result.errors.values()) == 20
    assert 0 < result.percentile(50) <= result.percentile(95) <= max(result.latencies_ms)
    assert is_loopback("http://localhost:8000") and is_loopback("http://[::1]:80/")
    for url in ("http://10.0.0.5:8000", "http://example.org", "http://192.168.1.1"):
        with pytest.raises(ValueError, match="loopback"):
            run_load(url, ["/"], clients=1, seconds=1)
