"""Forecast charts as plain SVG, written by hand so the install stays small (no plotting library).

One panel per issue: the 0-100 scale with its end labels, each actor's position (hover for the
source), the status quo, and one row per model with its forecast and Monte Carlo interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from detente.model.montecarlo import HIST_EDGES, Distribution
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


DIST_PANEL = 64  # height of one issue's histogram panel


def distribution_chart(
    scenario: Scenario, dists: Sequence[Distribution], title: str | None = None, level: float = 0.9
) -> str:
    """An SVG document with, per issue, each model's Monte Carlo forecasts as a histogram line.

    The lines are relative frequencies over 5-point bins of the 0-100 scale (hover a line for its
    median and interval); a dashed line marks the status quo. Where the lines are narrow the
    forecast rests on firm inputs; where they are wide, on guesses.
    """
    heading = title or f"{scenario.name}: spread of the forecasts over the Monte Carlo runs"
    runs = max((d.runs for d in dists), default=0)
    parts = [
        f'<text x="20" y="22" class="title">{escape(heading)}</text>',
        f'<text x="20" y="38" class="tick">share of {runs} runs per 5-point bin; '
        f"hover a line for its median and {round(100 * level)}% interval</text>",
    ]
    lx = AXIS_X0
    for k, dist in enumerate(dists):
        colour = PALETTE[k % len(PALETTE)]
        parts.append(
            f'<line x1="{lx:.1f}" y1="52" x2="{lx + 18:.1f}" y2="52" stroke={quoteattr(colour)} class="hist"/>'
            f'<text x="{lx + 22:.1f}" y="55" class="model">{escape(dist.model)}</text>'
        )
        lx += 40 + CHAR_W * len(dist.model)
    hists = [d.histogram() for d in dists]
    intervals = [d.interval(level) for d in dists]
    y = 70.0
    edges = HIST_EDGES
    for j, issue in enumerate(scenario.issues):
        top, base = y + 18, y + 18 + DIST_PANEL
        panel = [
            f'<text x="20" y="{y + 12:.1f}" class="issue">{escape(_clip_text(issue.name or issue.id, 40))}</text>'
        ]
        for tick in (0, 25, 50, 75, 100):
            tx = x_of(tick)
            panel.append(f'<line x1="{tx:.1f}" y1="{top:.1f}" x2="{tx:.1f}" y2="{base:.1f}" class="grid"/>')
            panel.append(
                f'<text x="{tx:.1f}" y="{base + 11:.1f}" class="tick" text-anchor="middle">{tick}</text>'
            )
        panel.append(f'<line x1="{AXIS_X0}" y1="{base:.1f}" x2="{AXIS_X1}" y2="{base:.1f}" class="axis"/>')
        if issue.status_quo is not None:
            sx = x_of(issue.status_quo)
            panel.append(
                f'<g><title>status quo: {issue.status_quo:g}</title><line x1="{sx:.1f}" y1="{top - 4:.1f}" '
                f'x2="{sx:.1f}" y2="{base:.1f}" class="sq"/></g>'
            )
        for k, (dist, hist, iv) in enumerate(zip(dists, hists, intervals, strict=True)):
            counts = hist[j]
            total = counts.sum()
            if not total:
                continue
            share = counts / total
            peak = max(float(share.max()), 1e-9)
            pts: list[str] = [f"{x_of(edges[0]):.1f},{base:.1f}"]
            for b, v in enumerate(share):
                hy = base - (DIST_PANEL - 6) * v / peak
                pts.append(f"{x_of(edges[b]):.1f},{hy:.1f} {x_of(edges[b + 1]):.1f},{hy:.1f}")
            pts.append(f"{x_of(edges[-1]):.1f},{base:.1f}")
            med = dist.median[j]
            tip = f"{dist.model}: median {med:.1f}, {round(100 * level)}% of runs in [{iv[j, 0]:.1f}, {iv[j, 1]:.1f}]"
            panel.append(
                f"<g><title>{escape(tip)}</title>"
                f'<polyline points="{" ".join(pts)}" stroke={quoteattr(PALETTE[k % len(PALETTE)])} class="hist"/></g>'
            )
        panel.append(
            f'<text x="{AXIS_X0 - 10}" y="{base - 2:.1f}" class="end" text-anchor="end">'
            f"{escape(_clip_text('0: ' + issue.low_label, 30))}</text>"
        )
        parts.append(f'<g class="panel" id={quoteattr("dist-" + issue.id)}>' + "".join(panel) + "</g>")
        y = base + 26
    height = int(y + 4)
    style = (
        "text{font-family:system-ui,Helvetica,Arial,sans-serif;font-size:11px;fill:#222}"
        ".title{font-size:15px;font-weight:600}.issue{font-size:13px;font-weight:600}"
        ".end{fill:#555;font-style:italic;font-size:9px}.tick{fill:#888;font-size:9px}"
        ".axis{stroke:#333;stroke-width:1.2}.grid{stroke:#e3e3e3}.sq{stroke:#888;stroke-dasharray:4 3}"
        ".hist{fill:none;stroke-width:2;stroke-linejoin:round}"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label={quoteattr(heading)}>'
        f'<style>{style}</style><rect width="100%" height="100%" fill="#fff"/>' + "".join(parts) + "</svg>\n"
    )


def write_chart(
    path: str | Path,
    scenario: Scenario,
    dists: Sequence[Distribution],
    title: str | None = None,
    level: float = 0.9,
) -> Path:
    """Write the SVG chart; only .svg is supported (no rasteriser is installed)."""
    path = Path(path)
    if path.suffix.lower() != ".svg":
        raise ValueError(f"charts are written as SVG: give a path ending in .svg, not {path.name!r}")
    path.write_text(forecast_chart(scenario, dists, title, level), encoding="utf-8")
    return path


# --- war termination ------------------------------------------------------------------------------


def _polyline(xs: np.ndarray, ys: np.ndarray, cls: str) -> str:
    pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True) if np.isfinite(y))
    return f'<polyline points="{pts}" class="{cls}"/>'


def _bars(
    values: np.ndarray,
    x0: float,
    y0: float,
    w: float,
    h: float,
    edges: np.ndarray,
    label: str,
    shift: float = 0.0,
) -> str:
    """A histogram of ``values`` in the box (x0, y0, w, h); tick labels are ``edges + shift``."""
    counts = np.histogram(values, bins=edges)[0] if values.size else np.zeros(len(edges) - 1, int)
    top = max(int(counts.max()), 1)
    bw = w / len(counts)
    parts = [f'<text x="{x0:.1f}" y="{y0 - 8:.1f}" class="issue">{escape(label)}</text>']
    for k, c in enumerate(counts):
        bh = h * c / top
        parts.append(
            f'<rect x="{x0 + k * bw + 0.5:.1f}" y="{y0 + h - bh:.1f}" width="{max(bw - 1, 0.5):.1f}" '
            f'height="{bh:.1f}" class="bar"><title>{edges[k]:g}-{edges[k + 1]:g}: {c}</title></rect>'
        )
    parts.append(f'<line x1="{x0}" y1="{y0 + h}" x2="{x0 + w}" y2="{y0 + h}" class="axis"/>')
    for k in (0, len(edges) // 2, len(edges) - 1):
        parts.append(
            f'<text x="{x0 + k * bw:.1f}" y="{y0 + h + 12:.1f}" class="tick" text-anchor="middle">{edges[k] + shift:.3g}</text>'
        )
    if values.size:
        med = float(np.median(values))
        mx = x0 + w * (med - edges[0]) / (edges[-1] - edges[0])
        parts.append(f'<line x1="{mx:.1f}" y1="{y0}" x2="{mx:.1f}" y2="{y0 + h}" class="sq"/>')
        parts.append(f'<text x="{mx + 3:.1f}" y="{y0 + 10}" class="tick">median {med:.3g}</text>')
    return "".join(parts)


def war_chart(paths: Any, example: Any) -> str:
    """Two views of :func:`~detente.model.war_termination.simulate_war` results.

    Top: one recorded war (``example``, run with ``record=True``): the front line, the least A
    accepts (``p_A - c_A``) and the most B concedes (``p_B + c_B``) period by period; the range is
    open where the first lies below the second. Bottom: over all ``paths``, when the range opened
    and the midpoint terms.
    """
    ws = paths.scenario
    tr = example.trace
    end = int(example.period[0]) if example.period[0] >= 0 else tr["front"].shape[0] - 1
    t_max = min(tr["front"].shape[0] - 1, end + max(3, end // 5))
    t = np.arange(t_max + 1)
    front, lo, hi = tr["front"][: t_max + 1, 0], tr["lo"][: t_max + 1, 0], tr["hi"][: t_max + 1, 0]
    ys = np.concatenate([front, lo, hi])
    y_lo, y_hi = max(0.0, float(np.nanmin(ys)) - 3), min(100.0, float(np.nanmax(ys)) + 3)
    px0, px1, py0, py1 = 70.0, WIDTH - 30.0, 70.0, 300.0

    def px(v: np.ndarray | float) -> np.ndarray:
        return px0 + (px1 - px0) * np.asarray(v, float) / max(t_max, 1)

    def py(v: np.ndarray | float) -> np.ndarray:
        return py1 - (py1 - py0) * (np.asarray(v, float) - y_lo) / max(y_hi - y_lo, 1e-9)

    title = f"{ws.name}: bargaining while fighting"
    parts = [
        f'<text x="20" y="22" class="title">{escape(title)}</text>',
        f'<text x="20" y="40" class="tick">One simulated war (y: {escape(ws.side_a)}\'s share of the disputed '
        f"territory; x: periods). Red: the least {escape(ws.side_a)} accepts; blue: the most {escape(ws.side_b)} "
        "concedes;</text>",
        '<text x="20" y="52" class="tick">black: the front line. The bargaining range is open where red is at or '
        "below blue; the war ends there.</text>",
    ]
    for v in np.linspace(y_lo, y_hi, 5):
        parts.append(f'<line x1="{px0}" y1="{py(v):.1f}" x2="{px1}" y2="{py(v):.1f}" class="grid"/>')
        parts.append(f'<text x="{px0 - 6}" y="{py(v) + 3:.1f}" class="tick" text-anchor="end">{v:.0f}</text>')
    for v in np.unique(np.linspace(0, t_max, 6).round()):
        parts.append(
            f'<text x="{px(v):.1f}" y="{py1 + 14:.1f}" class="tick" text-anchor="middle">{v:.0f}</text>'
        )
    parts.append(_polyline(px(t), py(lo), "lo"))
    parts.append(_polyline(px(t), py(hi), "hi"))
    parts.append(_polyline(px(t), py(front), "front"))
    if example.period[0] >= 0 and example.outcome[0] == "settlement":
        sx, sy = px(end), py(example.midpoint[0])
        parts.append(
            f"<g><title>range opens at period {end}: {example.lo[0]:.1f}-{example.hi[0]:.1f}</title>"
            f'<line x1="{sx:.1f}" y1="{py0}" x2="{sx:.1f}" y2="{py1}" class="sq"/>'
            f'<circle cx="{sx:.1f}" cy="{sy:.1f}" r="5" class="settle"/>'
            f'<text x="{sx + 8:.1f}" y="{sy - 8:.1f}" class="actor">settlement at {example.midpoint[0]:.1f}</text></g>'
        )
    settled = paths.settled
    times = paths.period[settled].astype(float)
    n_t = int(times.max()) + 1 if times.size else 1
    step = max(1, int(np.ceil(n_t / 40)))
    t_edges = np.arange(0, n_t + step, step) - 0.5  # whole periods per bar
    mids = paths.midpoint[settled]
    m_lo, m_hi = (float(mids.min()), float(mids.max())) if mids.size else (0.0, 100.0)
    pad = max((m_hi - m_lo) * 0.05, 0.5)
    m_edges = np.linspace(m_lo - pad, m_hi + pad, 26)
    share = f"{settled.mean():.0%} of {len(settled)} wars settled"
    parts.append(_bars(times, 70, 360, 370, 140, t_edges, f"Periods until the range opens ({share})", 0.5))
    parts.append(_bars(mids, 500, 360, 370, 140, m_edges, "Terms: midpoint of the range"))
    height = 540
    style = (
        "text{font-family:system-ui,Helvetica,Arial,sans-serif;font-size:11px;fill:#222}"
        ".title{font-size:15px;font-weight:600}.issue{font-size:12px;font-weight:600}.tick{fill:#666;font-size:9px}"
        ".actor{fill:#222}.axis{stroke:#333}.grid{stroke:#e6e6e6}.sq{stroke:#555;stroke-dasharray:4 3}"
        ".lo{fill:none;stroke:#d62728;stroke-width:2}.hi{fill:none;stroke:#1f77b4;stroke-width:2}"
        ".front{fill:none;stroke:#222;stroke-width:1.5}.settle{fill:#2ca02c;stroke:#fff}.bar{fill:#7f9fbf}"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label={quoteattr(title)}>'
        f'<style>{style}</style><rect width="100%" height="100%" fill="#fff"/>' + "".join(parts) + "</svg>\n"
    )
