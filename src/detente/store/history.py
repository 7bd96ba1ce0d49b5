"""Each party's stance on each issue over time, and the shifts in it.

Positions from many articles are grouped by (actor, issue) and ordered by date. On one day a
party may be reported several ways; the day's stance is the one with the most confident
evidence. A *shift* is a change of direction between consecutive days: from rejecting to
accepting or offering, or back. Analysts' claims are left out: a shift is the party's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from detente.store.rows import PositionRow

DIRECTION = {"accept": 1, "offer": 1, "demand": 1, "reject": -1}


@dataclass(frozen=True, slots=True)
class Shift:
    actor: str
    issue: str
    before: PositionRow
    after: PositionRow

    def describe(self) -> str:
        return f"{self.actor} on {self.issue}: {self.before.stance} ({self.before.date}) -> {self.after.stance} ({self.after.date})"


@dataclass(slots=True)
class StanceHistory:
    actor: str
    issue: str
    days: list[PositionRow] = field(default_factory=list)  # one row per dated day, in order
    undated: list[PositionRow] = field(default_factory=list)
    shifts: list[Shift] = field(default_factory=list)


def stance_histories(rows: list[PositionRow], include_analysts: bool = False) -> list[StanceHistory]:
    """Histories for every (actor, issue) in ``rows``."""
    usable = [r for r in rows if include_analysts or r.source_kind != "analyst"]
    usable.sort(key=lambda r: (r.actor, r.issue, r.date or "", -r.confidence))
    out: list[StanceHistory] = []
    for (actor, issue), group in groupby(usable, key=lambda r: (r.actor, r.issue)):
        items = list(group)
        h = StanceHistory(actor, issue, undated=[r for r in items if not r.date])
        for _day, same_day in groupby((r for r in items if r.date), key=lambda r: r.date):
            h.days.append(max(same_day, key=lambda r: r.confidence))
        for before, after in zip(h.days, h.days[1:], strict=False):
            if DIRECTION[before.stance] != DIRECTION[after.stance]:
                h.shifts.append(Shift(actor, issue, before, after))
        out.append(h)
    return out


def shifts(rows: list[PositionRow]) -> list[Shift]:
    """All stance shifts, oldest first."""
    found = [s for h in stance_histories(rows) for s in h.shifts]
    return sorted(found, key=lambda s: s.after.date or "")
