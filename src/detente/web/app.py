"""The web app: ``create_app(settings)`` builds a FastAPI app over one store.

Pages are server-rendered with Jinja2 (autoescaping on); the only script is a static file that
polls an import's progress. The JSON API lives under /api with its OpenAPI description.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment
from starlette.exceptions import HTTPException as StarletteHTTPException

from detente.config import Settings
from detente.model.scenario import Scenario, ScenarioError
from detente.report.forecast import ForecastView, default_scenario_path, forecast_view
from detente.report.render import environment
from detente.store import Store
from detente.web.imports import Importer
from detente.web.security import SecurityHeaders

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"


@dataclass(slots=True)
class WebState:
    """What every request handler needs: the store, the settings, the scenario and the importer."""

    store: Store
    settings: Settings
    env: Environment
    importer: Importer
    scenario: Scenario | None
    scenario_source: str
    scenario_problem: str = ""
    _forecast: ForecastView | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def base_forecast(self) -> ForecastView | None:
        """The forecast of the scenario as stated (computed once, on first use)."""
        if self.scenario is None:
            return None
        with self._lock:
            if self._forecast is None:
                self._forecast = forecast_view(
                    self.scenario, self.scenario_source, runs=self.settings.forecast_runs
                )
            return self._forecast


def _load_scenario(settings: Settings) -> tuple[Scenario | None, str, str]:
    from detente.model.io import read_scenario

    path = default_scenario_path(settings.scenario or None)
    if path is None:
        return None, "", "No scenario file: start the app with --scenario FILE to forecast one."
    try:
        return read_scenario(path), path.name, ""
    except ScenarioError as e:
        return None, path.name, f"The scenario {path.name} cannot be used: {e}"


def create_app(settings: Settings | None = None, extractor_factory: Any = None) -> FastAPI:
    """The app over ``settings.db``; ``extractor_factory`` builds the extractor for imports."""
    from detente.web import api, pages

    settings = settings or Settings.from_env()
    store = Store(settings.db)
    scenario, source, problem = _load_scenario(settings)
    env = environment("detente.web")
    state = WebState(
        store, settings, env, Importer(store, settings, extractor_factory), scenario, source, problem
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        state.importer.close()
        store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="detente",
        summary="Who said and wants what in ceasefire and peace talks, and where the talks can end up.",
        version="0.1.0",
        docs_url=None,  # the stock docs page loads scripts from a CDN; /api/docs is our own
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.web = state
    app.add_middleware(SecurityHeaders, max_body=settings.upload_max_bytes + 64 * 1024)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):  # type: ignore[no-untyped-def]
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        html = env.get_template("error.html").render(
            status=exc.status_code, detail=str(exc.detail), nonce=request.state.csp_nonce, q=""
        )
        return HTMLResponse(html, status_code=exc.status_code)

    return app
