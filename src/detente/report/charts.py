"""Charts of what the store holds, as plain SVG (like detente.model.chart): the timeline.

Every label is escaped; hovering a mark shows what it is and the evidence behind it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date as Date
from xml.sax.saxutils import escape, quoteattr

STANCE_COLOURS = {"accept": "#1a9850", "offer": "#91cf60", "demand": "#f58a4b", "reject": "#d73027"}
STATUS_COLOURS = {
    "proposed": "#9e9ac8",
    "agreed": "#3182bd",
    "implemented": "#31a354",
    "violated": "#de2d26",
    "expired": "#969696",
}
WIDTH = 900
X0, X1 = 150.0, 880.0
LANE = 22


@dataclass(frozen=True, slots=True)
class Mark:
    """One thing on the timeline: in a lane, on a day, of a kind, with a tooltip and a link."""

    lane: str
    date: str
    kind: str  # agreement, event, accept/offer/demand/reject, shift
    tip: str
    href: str = ""
    status: str = ""


def parse_day(text: str | None) -> Date | None:
    """An ISO date, full or to the month ("2025-03" is the 1st); None for a bare year or anything else."""
    if not text or text.startswith("--") or len(text) < 7:
        return None
    parts = text.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2][:2]) if len(parts) > 2 else 1
        return Date(year, month, day)
    except (ValueError, IndexError):
        return None


def _shape(mark: Mark, x: float, y: float) -> str:
    if mark.kind == "agreement":
        colour = STATUS_COLOURS.get(mark.status, "#3182bd")
        return (
            f'<path d="M{x:.1f},{y - 6:.1f} L{x + 6:.1f},{y:.1f} L{x:.1f},{y + 6:.1f} L{x - 6:.1f},{y:.1f} Z" '
            f"fill={quoteattr(colour)} class='mk'/>"
        )
    if mark.kind == "event":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" class="ev"/>'
    if mark.kind == "shift":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="8" class="shift"/>'
    colour = STANCE_COLOURS.get(mark.kind, "#777")
    return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill={quoteattr(colour)} class="mk"/>'


def timeline_chart(
    marks: Sequence[Mark],
    lanes: Sequence[str],
    title: str = "Timeline",
    window: tuple[Date, Date] | None = None,
) -> str:
    """Lanes top to bottom, time left to right; marks without a usable date are left out, and so
    are marks outside ``window`` (the articles' own period: a text may recall a date years back)."""
    dated = [(m, parse_day(m.date)) for m in marks]
    dated = [(m, d) for m, d in dated if d is not None and m.lane in lanes]
    if window is not None:
        dated = [(m, d) for m, d in dated if window[0] <= d <= window[1]]
    height = int(70 + LANE * len(lanes) + 40)
    parts = [f'<text x="20" y="22" class="title">{escape(title)}</text>']
    legend_x = 20.0
    items = [
        ("agreement", "agreement"),
        ("event", "event"),
        *((k, k) for k in STANCE_COLOURS),
        ("shift", "stance shift"),
    ]
    for kind, label in items:
        parts.append(_shape(Mark("", "", kind, "", status="agreed"), legend_x + 6, 42))
        parts.append(f'<text x="{legend_x + 16:.1f}" y="46" class="tick">{escape(label)}</text>')
        legend_x += 26 + 6.2 * len(label)
    if not dated:
        parts.append('<text x="20" y="80" class="tick">nothing dated yet</text>')
        return _svg(parts, 100, title)
    days = [d for _, d in dated]
    lo, hi = min(days).toordinal(), max(days).toordinal()
    pad = max(2, (hi - lo) // 40)
    lo, hi = lo - pad, hi + pad

    def xpos(d: Date) -> float:
        return X0 + (X1 - X0) * (d.toordinal() - lo) / max(hi - lo, 1)

    top = 62.0
    bottom = top + LANE * len(lanes)
    for i, lane in enumerate(lanes):
        y = top + LANE * i + LANE / 2
        if i % 2 == 0:
            parts.append(
                f'<rect x="{X0}" y="{y - LANE / 2:.1f}" width="{X1 - X0}" height="{LANE}" class="band"/>'
            )
        label = lane if len(lane) <= 22 else lane[:21] + "…"
        parts.append(
            f'<text x="{X0 - 8}" y="{y + 4:.1f}" class="lane" text-anchor="end">{escape(label)}</text>'
        )
    first, last = Date.fromordinal(lo), Date.fromordinal(hi)
    months = []
    y, m = first.year, first.month
    while Date(y, m, 1) <= last:
        months.append(Date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    step = max(1, len(months) // 12)
    for d in months[::step]:
        if d < first:
            continue
        x = xpos(d)
        parts.append(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" class="grid"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 14:.1f}" class="tick" text-anchor="middle">{d:%b %Y}</text>'
        )
    order = {"shift": 0, "event": 1}
    for mark, d in sorted(dated, key=lambda md: order.get(md[0].kind, 2)):
        x = xpos(d)
        y = top + LANE * lanes.index(mark.lane) + LANE / 2
        shape = f"<title>{escape(mark.tip)}</title>{_shape(mark, x, y)}"
        if mark.href:
            parts.append(f"<a href={quoteattr(mark.href)}>{shape}</a>")
        else:
            parts.append(f"<g>{shape}</g>")
    return _svg(parts, height, title)


def busiest_lanes(marks: Sequence[Mark], fixed: Sequence[str], limit: int) -> list[str]:
    """The fixed lanes, then the ``limit`` lanes with the most marks."""
    counts = Counter(m.lane for m in marks if m.lane not in fixed)
    return [*fixed, *(lane for lane, _ in counts.most_common(limit))]


def _svg(parts: list[str], height: int, title: str) -> str:
    style = (
        "text{font-family:system-ui,Helvetica,Arial,sans-serif;font-size:11px;fill:#222}"
        ".title{font-size:15px;font-weight:600}.tick{fill:#666;font-size:9px}.lane{font-size:11px}"
        ".grid{stroke:#ddd}.band{fill:#f6f7f9}.ev{fill:#555;stroke:#fff}.mk{stroke:#fff;stroke-width:0.8}"
        ".shift{fill:none;stroke:#111;stroke-width:1.6}"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label={quoteattr(title)}>'
        f'<style>{style}</style><rect width="100%" height="100%" fill="#fff"/>' + "".join(parts) + "</svg>\n"
    )
