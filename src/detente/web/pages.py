"""The app's HTML pages: overview, search, documents, parties, people, issues, scenario, import."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.datastructures import UploadFile as StarletteUpload

from detente.model.montecarlo import Change
from detente.model.scenario import ScenarioError
from detente.report.data import build_matrix, timeline_items, timeline_marks
from detente.report.forecast import forecast_view
from detente.report.render import render_report
from detente.store.pages import PER_PAGE
from detente.web.app import WebState
from detente.web.highlight import render_highlighted, snippet_html
from detente.web.history import history_table
from detente.web.security import REPORT_CSP

router = APIRouter(include_in_schema=False)
_STYLE = re.compile(r"<style>")


def web(request: Request) -> WebState:
    return request.app.state.web


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page; inline SVG charts get this response's CSP nonce on their <style>."""
    nonce = request.state.csp_nonce

    def svg(text: str) -> Markup:
        return Markup(_STYLE.sub(f'<style nonce="{nonce}">', text, count=1))

    context.setdefault("q", "")
    html = web(request).env.get_template(template).render(request=request, nonce=nonce, svg=svg, **context)
    return HTMLResponse(html, status_code=status)


def doc_link(doc_id: str, anchor: str) -> str:
    return f"/documents/{doc_id}#{anchor}"


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    w = web(request)
    store = w.store
    matrix = build_matrix(store.stance_matrix(), max_actors=20)
    return page(
        request,
        "overview.html",
        stats=store.stats(),
        actors=store.actors()[:20],
        issues=store.issues(),
        documents=store.latest_documents(12),
        matrix=matrix,
        forecast_ready=w.scenario is not None,
    )


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: str = "") -> HTMLResponse:
    store = web(request).store
    q = q.strip()[:200]
    hits = store.search(q, limit=30) if q else []
    people, actors = store.find_names(q) if q else ([], [])
    snippets = {h.doc_id: snippet_html(h.snippet) for h in hits}
    return page(request, "search.html", q=q, hits=hits, snippets=snippets, people=people, actors=actors)


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document(request: Request, doc_id: str) -> HTMLResponse:
    view = web(request).store.document_view(doc_id)
    if view is None:
        raise HTTPException(404, f"No document {doc_id!r}.")
    body = render_highlighted(view.document.text or "", view.highlights)
    return page(request, "document.html", view=view, body=body)


@router.get("/actors", response_class=HTMLResponse)
def actors(request: Request) -> HTMLResponse:
    return page(request, "actors.html", actors=web(request).store.actors())


@router.get("/actors/{name}", response_class=HTMLResponse)
def actor(request: Request, name: str) -> HTMLResponse:
    detail = web(request).store.actor(name)
    if detail is None:
        raise HTTPException(404, f"No party called {name!r} takes a position in the store.")
    issues = sorted({c.issue for c in detail.counts})
    per_issue = {i: {c.stance: c.count for c in detail.counts if c.issue == i} for i in issues}
    history = history_table(detail.history, "issue")
    return page(request, "actor.html", a=detail, issues=issues, per_issue=per_issue, history=history)


@router.get("/actors/{name}/positions", response_class=HTMLResponse)
def actor_positions(
    request: Request,
    name: str,
    page_no: int = Query(1, alias="page", ge=1),
    per_page: int = Query(PER_PAGE, ge=1, le=500),
) -> HTMLResponse:
    """Every position of a party, a page at a time (its own page lists only the latest)."""
    listing = web(request).store.actor_positions(name, page_no, per_page)
    if listing is None:
        raise HTTPException(404, f"No party called {name!r} takes a position in the store.")
    return page(request, "actor_positions.html", p=listing, default_per_page=PER_PAGE)


@router.get("/people", response_class=HTMLResponse)
def people(request: Request) -> HTMLResponse:
    rows = sorted(web(request).store.people(), key=lambda p: (-p.quotes, -p.mentions, p.name))
    return page(request, "people.html", people=rows)


@router.get("/people/{person_id}", response_class=HTMLResponse)
def person(request: Request, person_id: int) -> HTMLResponse:
    detail = web(request).store.person(person_id)
    if detail is None:
        raise HTTPException(404, f"No person with id {person_id}.")
    return page(request, "person.html", d=detail)


@router.get("/issues", response_class=HTMLResponse)
def issues(request: Request) -> HTMLResponse:
    return page(request, "issues.html", issues=web(request).store.issues())


@router.get("/issues/{issue_id}", response_class=HTMLResponse)
def issue(request: Request, issue_id: str) -> HTMLResponse:
    detail = web(request).store.issue(issue_id)
    if detail is None:
        raise HTTPException(404, f"No positions on an issue called {issue_id!r}.")
    return page(request, "issue.html", d=detail, history=history_table(detail.history, "actor"))


@router.get("/timeline", response_class=HTMLResponse)
def timeline(request: Request) -> HTMLResponse:
    from detente.report.charts import timeline_chart
    from detente.report.data import article_window

    store = web(request).store
    positions = store.positions()
    items = timeline_items(store, positions)
    marks, lanes = timeline_marks(items, positions, doc_link)
    chart = timeline_chart(
        marks, lanes, "Events, agreements and stances over time", article_window(store.documents())
    )
    return page(request, "timeline.html", items=items, chart=chart)


# ---- scenario and what-if -------------------------------------------------------------------------


def _changes_from_form(form: Any, w: WebState) -> list[Change]:
    """The fields the analyst changed, as what-if changes (unchanged and empty fields are skipped)."""
    sc = w.scenario
    assert sc is not None
    changes: list[Change] = []

    def number(key: str) -> float | None:
        raw = str(form.get(key, "")).strip()
        if not raw:
            return None
        try:
            return float(raw)
        except ValueError:
            raise ScenarioError(f"{raw!r} is not a number") from None

    for a, actor in enumerate(sc.actors):
        cap = number(f"cap-{a}")
        if cap is not None and abs(cap - float(sc.capability[a])) > 1e-9:
            changes.append(Change(actor, "*", "capability", cap))
        for j, iss in enumerate(sc.issues):
            for field, arr in (("position", sc.position), ("salience", sc.salience)):
                value = number(f"{field[:3]}-{a}-{j}")
                old = float(arr[a, j])
                if value is None or (old == old and abs(value - old) < 1e-9):
                    continue
                if field == "salience" and old != old and sc.position[a, j] != sc.position[a, j]:
                    continue  # a salience for an issue the actor takes no part in changes nothing
                changes.append(Change(actor, iss.id, field, value))
    return changes


@router.get("/scenario", response_class=HTMLResponse)
def scenario(request: Request) -> HTMLResponse:
    w = web(request)
    base = w.base_forecast()
    return page(request, "scenario.html", base=base, after=None, problem=w.scenario_problem, error="")


@router.post("/scenario", response_class=HTMLResponse)
async def scenario_what_if(request: Request) -> HTMLResponse:
    w = web(request)
    base = w.base_forecast()
    if w.scenario is None or base is None:
        raise HTTPException(404, w.scenario_problem or "No scenario.")
    form = await request.form()
    try:
        changes = _changes_from_form(form, w)
        after = (
            forecast_view(w.scenario, w.scenario_source, runs=w.settings.forecast_runs, changes=changes)
            if changes
            else None
        )
    except ScenarioError as e:
        return page(request, "scenario.html", status=422, base=base, after=None, problem="", error=str(e))
    return page(
        request,
        "scenario.html",
        base=base,
        after=after,
        problem="",
        error="" if changes else "Nothing changed.",
    )


# ---- import ---------------------------------------------------------------------------------------


@router.get("/import", response_class=HTMLResponse)
def import_form(request: Request) -> HTMLResponse:
    w = web(request)
    jobs = list(reversed(w.importer.jobs.values()))[:10]
    return page(request, "import.html", jobs=jobs, limit=w.settings.upload_max_bytes, error="")


async def read_capped(upload: UploadFile, limit: int) -> bytes:
    """The upload's bytes; HTTP 413 as soon as it passes ``limit``."""
    chunks, size = [], 0
    while chunk := await upload.read(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"The file is larger than the upload limit of {limit:,} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def start_import(w: WebState, upload: UploadFile | None, data: bytes, url: str):
    """Queue an import of an uploaded file or a URL; ValueError says what is wrong with the input."""
    url = url.strip()
    if upload is not None and upload.filename:
        if not data:
            raise ValueError("The file is empty.")
        return w.importer.submit_file(upload.filename, data)
    if url:
        if not re.match(r"^https?://[^\s/$.?#][^\s]*$", url, re.I):
            raise ValueError("Give an http:// or https:// address.")
        return w.importer.submit_url(url)
    raise ValueError("Choose a file or give an address.")


@router.post("/import")
async def import_start(request: Request):
    w = web(request)
    form = await request.form()
    upload = form.get("file")
    upload = upload if isinstance(upload, StarletteUpload) else None
    data = (
        await read_capped(upload, w.settings.upload_max_bytes)
        if upload is not None and upload.filename
        else b""
    )
    try:
        job = start_import(w, upload, data, str(form.get("url", "")))
    except ValueError as e:
        jobs = list(reversed(w.importer.jobs.values()))[:10]
        return page(
            request, "import.html", status=422, jobs=jobs, limit=w.settings.upload_max_bytes, error=str(e)
        )
    return RedirectResponse(f"/import/{job.id}", status_code=303)


@router.get("/import/{job_id}", response_class=HTMLResponse)
def import_progress(request: Request, job_id: str) -> HTMLResponse:
    job = web(request).importer.get(job_id)
    if job is None:
        raise HTTPException(404, f"No import {job_id!r}.")
    return page(request, "import_job.html", job=job)


# ---- the report ---------------------------------------------------------------------------------


@router.get("/report.html", response_class=HTMLResponse)
def report(request: Request) -> HTMLResponse:
    from detente.report.data import gather

    w = web(request)
    data = gather(w.store, w.base_forecast(), w.scenario_problem)
    response = HTMLResponse(render_report(data))
    response.headers["Content-Security-Policy"] = REPORT_CSP
    return response
