"""The HTML report: one self-contained file (inline CSS and SVG, no script, nothing fetched).

Templates ship as package data and are rendered with autoescaping on, so article text can never
become markup; only the SVG charts, which detente draws itself and escapes as it goes, are
inserted as they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from detente.report.charts import STANCE_COLOURS, STATUS_COLOURS
from detente.report.data import STANCES, ReportData, cell_anchor, gather
from detente.report.forecast import ForecastView
from detente.store import Store


def fmt_terms(terms: dict[str, Any]) -> str:
    return ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in terms.items())


def fmt_num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def environment(package: str = "detente.report") -> Environment:
    """A Jinja environment with autoescaping for every template (whatever its suffix)."""
    env = Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(terms=fmt_terms, num=fmt_num)
    env.globals.update(
        anchor=cell_anchor, STANCES=STANCES, STANCE_COLOURS=STANCE_COLOURS, STATUS_COLOURS=STATUS_COLOURS
    )
    return env


def svg(text: str) -> Markup:
    """A chart drawn by detente.model.chart or detente.report.charts, trusted as markup."""
    return Markup(text)


def render_report(data: ReportData) -> str:
    env = environment()
    return env.get_template("report.html.j2").render(data=data, svg=svg)


def write_report(
    store: Store, path: str | Path, forecast: ForecastView | None = None, forecast_note: str = ""
) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    html = render_report(gather(store, forecast, forecast_note))
    path.write_text(html, encoding="utf-8")
    return path
