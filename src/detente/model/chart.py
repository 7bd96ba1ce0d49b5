"""Forecast charts as plain SVG, written by hand so the install stays small (no plotting library).

One panel per issue: the 0-100 scale with its end labels, each actor's position (hover for the
source), the status quo, and one row per model with its forecast and Monte Carlo interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from detente.model.montecarlo import Distribution
from detente.model.scenario import Scenario

WIDTH = 900
AXIS_X0, AXIS_X1 = 210.0, 860.0  # pixel positions of 0 and 100
ROW = 18  # height of one model row
CHAR_W = 6.2  # rough width of one character at font-size 11
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")


def x_of(value: float) -> float:
    """Pixel x of a value on the 0-100 scale."""
    return AXIS_X0 + (AXIS_X1 - AXIS_X0) * float(np.clip(value, 0.0, 100.0)) / 100.0


def _clip_text(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _wrap(text: str, width: int, max_lines: int) -> list[str]:
    """Greedy word wrap into at most ``max_lines`` lines, the last one clipped with an ellipsis."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], _clip_text(" ".join(lines[max_lines - 1 :]), width)]
    return lines


def _label_rows(xs: list[float], widths: list[float]) -> list[int]:
    """Stack labels (centred at xs) into as few rows as needed so that none overlap."""
    rows_end: list[float] = []
    out = []
    for x, w in zip(xs, widths, strict=True):
        start = x - w / 2
        for r, end in enumerate(rows_end):
            if start > end + 4:
                rows_end[r] = x + w / 2
                out.append(r)
                break
        else:
            rows_end.append(x + w / 2)
            out.append(len(rows_end) - 1)
    return out


def forecast_chart(
    scenario: Scenario, dists: Sequence[Distribution], title: str | None = None, level: float = 0.9
) -> str:
    """An SVG document showing every issue of ``scenario`` with each distribution's forecast."""
    parts: list[str] = []
    y = 34.0
    heading = title or f"{scenario.name}: forecasts with {round(100 * level)}% intervals"
    parts.append(f'<text x="20" y="22" class="title">{escape(heading)}</text>')
    parts.append(
        f'<text x="{WIDTH - 20}" y="22" class="tick" text-anchor="end">'
        "○ actor position (hover: source) · ● forecast, bar: interval · SQ: status quo</text>"
    )
    intervals = [d.interval(level) for d in dists]
    for j, issue in enumerate(scenario.issues):
        panel: list[str] = []
        panel.append(f'<text x="20" y="{y + 14:.1f}" class="issue">{escape(issue.name or issue.id)}</text>')
        y += 24
        # actors, labels stacked above the axis
        has = [a for a in range(scenario.n_actors) if not np.isnan(scenario.position[a, j])]
        has.sort(key=lambda a: scenario.position[a, j])
        xs = [x_of(scenario.position[a, j]) for a in has]
        names = [_clip_text(scenario.actors[a], 18) for a in has]
        rows = _label_rows(xs, [CHAR_W * len(n) for n in names])
        n_rows = max(rows, default=-1) + 1
        axis_y = y + 14 * n_rows + 10
        for a, x, name, r in zip(has, xs, names, rows, strict=True):
            label_y = axis_y - 10 - 14 * (n_rows - 1 - r)
            source = scenario.sources.get((scenario.actors[a], issue.id, "position"), "")
            tip = f"{scenario.actors[a]}: {scenario.position[a, j]:g}" + (f" ({source})" if source else "")
            panel.append(
                f'<g><title>{escape(tip)}</title><text x="{x:.1f}" y="{label_y - 4:.1f}" class="actor" '
                f'text-anchor="middle">{escape(name)}</text>'
                f'<line x1="{x:.1f}" y1="{label_y - 1:.1f}" x2="{x:.1f}" y2="{axis_y:.1f}" class="stem"/>'
                f'<circle cx="{x:.1f}" cy="{axis_y:.1f}" r="3.5" class="pos"/></g>'
            )
        panel.append(
            f'<line x1="{AXIS_X0}" y1="{axis_y:.1f}" x2="{AXIS_X1}" y2="{axis_y:.1f}" class="axis"/>'
        )
        rows_top = axis_y + 10
        bottom = rows_top + ROW * len(dists)
        for tick in (0, 25, 50, 75, 100):
            tx = x_of(tick)
            panel.append(
                f'<line x1="{tx:.1f}" y1="{axis_y:.1f}" x2="{tx:.1f}" y2="{bottom:.1f}" class="grid"/>'
            )
            panel.append(
                f'<text x="{tx:.1f}" y="{bottom + 12:.1f}" class="tick" text-anchor="middle">{tick}</text>'
            )
        if issue.status_quo is not None:
            sx = x_of(issue.status_quo)
            panel.append(
                f'<g><title>status quo: {issue.status_quo:g}</title><line x1="{sx:.1f}" y1="{axis_y - 6:.1f}" '
                f'x2="{sx:.1f}" y2="{bottom:.1f}" class="sq"/>'
                f'<text x="{sx + 3:.1f}" y="{bottom - 2:.1f}" class="tick">SQ</text></g>'
            )
        for k, (dist, iv) in enumerate(zip(dists, intervals, strict=True)):
            colour = PALETTE[k % len(PALETTE)]
            ry = rows_top + ROW * k + ROW / 2
            point, lo, hi = dist.point[j], iv[j, 0], iv[j, 1]
            panel.append(
                f'<text x="{AXIS_X0 - 10}" y="{ry + 4:.1f}" class="model" text-anchor="end">{escape(dist.model)}</text>'
            )
            if np.isnan(point):
                continue
            tip = f"{dist.model}: {point:.1f}" + ("" if np.isnan(lo) else f" [{lo:.1f}, {hi:.1f}]")
            interval = (
                ""
                if np.isnan(lo)
                else f'<line x1="{x_of(lo):.1f}" y1="{ry:.1f}" x2="{x_of(hi):.1f}" y2="{ry:.1f}" '
                f'stroke={quoteattr(colour)} class="iv"/>'
            )
            panel.append(
                f"<g><title>{escape(tip)}</title>{interval}"
                f'<circle cx="{x_of(point):.1f}" cy="{ry:.1f}" r="5" fill={quoteattr(colour)} class="fc" '
                f'data-value="{point:.3f}"/></g>'
            )
        ly = bottom + 26
        for x, anchor, end, label in (
            (AXIS_X0, "start", 0, issue.low_label),
            (AXIS_X1, "end", 100, issue.high_label),
        ):
            lines = _wrap(f"{end}: {label}", 50, 2)
            spans = "".join(
                f'<tspan x="{x:.1f}" dy="{0 if i == 0 else 13}">{escape(line)}</tspan>'
                for i, line in enumerate(lines)
            )
            panel.append(
                f"<g><title>{end} = {escape(label)}</title>"
                f'<text x="{x:.1f}" y="{ly:.1f}" class="end" text-anchor="{anchor}">{spans}</text></g>'
            )
        parts.append(f'<g class="panel" id={quoteattr("issue-" + issue.id)}>' + "".join(panel) + "</g>")
        y = ly + 40
    height = int(y)
    style = (
        "text{font-family:system-ui,Helvetica,Arial,sans-serif;font-size:11px;fill:#222}"
        ".title{font-size:15px;font-weight:600}.issue{font-size:13px;font-weight:600}"
        ".actor{fill:#444;paint-order:stroke;stroke:#fff;stroke-width:3px}.end{fill:#555;font-style:italic}.tick{fill:#888;font-size:9px}"
        ".axis{stroke:#333;stroke-width:1.2}.grid{stroke:#e3e3e3}.stem{stroke:#bbb}"
        ".pos{fill:#fff;stroke:#333;stroke-width:1.2}.sq{stroke:#888;stroke-dasharray:4 3}"
        ".iv{stroke-width:6;stroke-opacity:0.35;stroke-linecap:round}.fc{stroke:#fff;stroke-width:1}"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label={quoteattr(heading)}>'
        f'<style>{style}</style><rect width="100%" height="100%" fill="#fff"/>' + "".join(parts) + "</svg>\n"
    )


def write_chart(
    path: str | Path, scenario: Scenario, dists: Sequence[Distribution], title: str | None = None
) -> Path:
    """Write the SVG chart; only .svg is supported (no rasteriser is installed)."""
    path = Path(path)
    if path.suffix.lower() != ".svg":
        raise ValueError(f"charts are written as SVG: give a path ending in .svg, not {path.name!r}")
    path.write_text(forecast_chart(scenario, dists, title), encoding="utf-8")
    return path
