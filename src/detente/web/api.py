"""The JSON API under /api: the store's rows as they are, forecasts and what-ifs, imports.

Its OpenAPI description is at /api/openapi.json and rendered for people at /api/docs (a plain
page of the app's own, since the stock one loads its scripts from a CDN).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from detente.model.montecarlo import Change
from detente.model.scenario import ScenarioError
from detente.report.forecast import forecast_view
from detente.store.pages import PER_PAGE
from detente.store.rows import (
    ActorDetail,
    ActorRow,
    AgreementRow,
    DocumentRow,
    DocumentView,
    EventRow,
    IssueDetail,
    IssueRow,
    PersonDetail,
    PersonRow,
    PositionPage,
    QuoteRow,
    SearchHit,
)
from detente.web.app import WebState

router = APIRouter(prefix="/api", tags=["api"])


def web(request: Request) -> WebState:
    return request.app.state.web


class SearchResult(BaseModel):
    query: str
    documents: list[SearchHit]
    people: list[PersonRow]
    actors: list[str]


class ForecastRequest(BaseModel):
    changes: list[str] = Field(
        default_factory=list,
        description="What-if changes: ACTOR:ISSUE:position=V, ACTOR:ISSUE:salience=V or ACTOR:capability=V "
        "('+=' and '-=' shift).",
        examples=[["Russia:territory:position=60", "Ukraine:capability=50"]],
    )
    runs: int | None = Field(
        default=None, ge=0, le=5000, description="Monte Carlo runs (default: the app's)."
    )
    seed: int = 0


class ModelResult(BaseModel):
    model: str
    forecast: float | None
    low: float | None
    high: float | None
    median: float | None


class IssueResult(BaseModel):
    id: str
    name: str
    status_quo: float | None
    models: list[ModelResult]


class ForecastResult(BaseModel):
    scenario: str
    runs: int
    seed: int
    level: float
    changes: list[str]
    issues: list[IssueResult]


class ImportStatus(BaseModel):
    id: str
    source: str
    state: str
    finished: bool
    read: int
    stored: int
    duplicates: int
    problems: list[str]
    documents: list[str]
    message: str


@router.get("/stats", summary="Counts of everything stored")
def stats(request: Request) -> dict[str, int]:
    return web(request).store.stats()


@router.get("/search", summary="Full-text search over the articles, and people and parties by name")
def search(
    request: Request, q: str = Query(..., max_length=200), limit: int = Query(20, ge=1, le=100)
) -> SearchResult:
    store = web(request).store
    people, actors = store.find_names(q)
    return SearchResult(query=q, documents=store.search(q, limit), people=people, actors=actors)


@router.get("/documents", summary="The latest articles")
def documents(request: Request, limit: int = Query(50, ge=1, le=1000)) -> list[DocumentRow]:
    return web(request).store.latest_documents(limit)


@router.get("/documents/{doc_id}", summary="One article with its text and everything extracted from it")
def document(request: Request, doc_id: str) -> DocumentView:
    view = web(request).store.document_view(doc_id)
    if view is None:
        raise HTTPException(404, f"No document {doc_id!r}.")
    return view


@router.get("/actors", summary="Every party that takes a position")
def actors(request: Request) -> list[ActorRow]:
    return web(request).store.actors()


@router.get("/actors/{name}", summary="One party: its stances and their history, agreements, people, quotes")
def actor(request: Request, name: str) -> ActorDetail:
    detail = web(request).store.actor(name)
    if detail is None:
        raise HTTPException(404, f"No party called {name!r}.")
    return detail


@router.get("/actors/{name}/positions", summary="Every position of one party, a page at a time, newest first")
def actor_positions(
    request: Request,
    name: str,
    page: int = Query(1, ge=1),
    per_page: int = Query(PER_PAGE, ge=1, le=500),
) -> PositionPage:
    listing = web(request).store.actor_positions(name, page, per_page)
    if listing is None:
        raise HTTPException(404, f"No party called {name!r}.")
    return listing


@router.get("/people", summary="Every person, with roles and counts")
def people(request: Request, name: str | None = None) -> list[PersonRow]:
    return web(request).store.people(name=name)


@router.get("/people/{person_id}", summary="One person: quotes, articles, positions voiced")
def person(request: Request, person_id: int) -> PersonDetail:
    detail = web(request).store.person(person_id)
    if detail is None:
        raise HTTPException(404, f"No person with id {person_id}.")
    return detail


@router.get("/issues", summary="Every issue positions are taken on")
def issues(request: Request) -> list[IssueRow]:
    return web(request).store.issues()


@router.get("/issues/{issue_id}", summary="One issue: each party's latest stance and the history")
def issue(request: Request, issue_id: str) -> IssueDetail:
    detail = web(request).store.issue(issue_id)
    if detail is None:
        raise HTTPException(404, f"No positions on {issue_id!r}.")
    return detail


@router.get("/quotes", summary="Quotes, newest first; by speaker (full name or surname)")
def quotes(
    request: Request, speaker: str | None = None, limit: int = Query(100, ge=1, le=1000)
) -> list[QuoteRow]:
    return web(request).store.quotes(speaker=speaker, limit=limit)


@router.get("/agreements", summary="Agreements with their parties, terms and status")
def agreements(request: Request, party: str | None = None) -> list[AgreementRow]:
    return web(request).store.agreements(party=party)


@router.get("/events", summary="Calls, meetings, talks, statements, attacks")
def events(request: Request) -> list[EventRow]:
    return web(request).store.events()


@router.get("/scenario", summary="The scenario the forecasts are made for (detente's YAML/JSON structure)")
def scenario(request: Request) -> dict[str, Any]:
    from detente.model.io import to_dict

    w = web(request)
    if w.scenario is None:
        raise HTTPException(404, w.scenario_problem or "No scenario.")
    return to_dict(w.scenario)


@router.post("/forecast", summary="Forecast the scenario, with what-if changes if given")
def forecast(request: Request, body: ForecastRequest) -> ForecastResult:
    w = web(request)
    if w.scenario is None:
        raise HTTPException(404, w.scenario_problem or "No scenario.")
    runs = w.settings.forecast_runs if body.runs is None else body.runs
    try:
        changes = [Change.parse(c) for c in body.changes]
        view = forecast_view(w.scenario, w.scenario_source, runs=runs, seed=body.seed, changes=changes)
    except ScenarioError as e:
        raise HTTPException(422, str(e)) from None
    return ForecastResult(
        scenario=view.scenario,
        runs=view.runs,
        seed=view.seed,
        level=view.level,
        changes=view.changes,
        issues=[
            IssueResult(
                id=i.id,
                name=i.name,
                status_quo=i.status_quo,
                models=[
                    ModelResult(model=m.model, forecast=m.point, low=m.low, high=m.high, median=m.median)
                    for m in i.models
                ],
            )
            for i in view.issues
        ],
    )


@router.post("/imports", summary="Import an uploaded file or a URL in the background", status_code=202)
async def start_import(
    request: Request, file: UploadFile | None = None, url: str = Form(default="")
) -> ImportStatus:
    from detente.web.pages import read_capped
    from detente.web.pages import start_import as queue

    w = web(request)
    data = await read_capped(file, w.settings.upload_max_bytes) if file is not None and file.filename else b""
    try:
        job = queue(w, file, data, url)
    except ValueError as e:
        raise HTTPException(422, str(e)) from None
    return ImportStatus(**job.to_dict())


@router.get("/imports/{job_id}", summary="An import's progress")
def import_status(request: Request, job_id: str) -> ImportStatus:
    job = web(request).importer.get(job_id)
    if job is None:
        raise HTTPException(404, f"No import {job_id!r}.")
    return ImportStatus(**job.to_dict())


@router.get("/docs", include_in_schema=False, response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    from detente.web.pages import page

    spec = request.app.openapi()
    routes = [
        {
            "method": method.upper(),
            "path": path,
            "summary": op.get("summary", ""),
            "params": op.get("parameters", []),
        }
        for path, ops in spec.get("paths", {}).items()
        for method, op in ops.items()
    ]
    return page(request, "api_docs.html", spec=spec, routes=routes)
