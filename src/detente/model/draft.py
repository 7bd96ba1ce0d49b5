"""A first draft of a scenario from extracted positions, for an analyst to correct.

Input: positions in the evaluation format, ``{"actor", "issue", "stance", "evidence",
"confidence"?, "date"?, "red_line"?, "conditional"?, "negated"?}`` (``records.Position``
objects work too) and the issues (their 0-100 scales). A stance is read in one of two ways,
chosen per issue:

* **Relative to the actor's side** (the default): ``sides`` says which end of the scale each
  actor pushes towards (0 or 100), and the stance is placed at a distance from that end:

  =========  ========  ==================================================================
  stance     distance  reading
  =========  ========  ==================================================================
  demand     10        insists on its side's outcome
  reject     20        refuses a proposal: holds its ground, short of its full demand
  offer      35        proposes or is willing to give: a step towards the other side
  accept     45        agrees to a proposal: close to the middle
  =========  ========  ==================================================================

  Right for issues where each party wants its own outcome (territory, NATO membership).
* **Relative to the issue's object**, when the issue has an ``object_end``: the end where a
  "yes" to the thing the issue names sits (for "ceasefire timing", 0: an immediate ceasefire).
  Then demand, offer and accept are yeses at 10, 25 and 30 points from that end and reject a
  no at 20 points from the other end, whoever speaks. Right for issues where mediators and
  parties alike say yes or no to one thing (a ceasefire, security guarantees).
A red line moves the point to the actor's end itself. An actor's position on an issue is the
confidence-weighted mean of its points; its uncertainty the weighted spread of the points, but
at least 15 points divided by the square root of the number of statements (one statement is
weak evidence of where an actor stands).

Salience: how often and how strongly an actor speaks of an issue. Each statement counts 1
(demand, reject) or 0.6 (offer, accept), times 1.5 for a red line and 0.8 when conditional;
per actor the issue it speaks of most gets 100 and the others ``30 + 70 x`` their share of that.

Capabilities cannot be read from statements: they come from ``capabilities`` or default to 1
for everyone, with a source saying so. Every value's source names the evidence it came from.
Statements whose actor has no side on a side-relative issue, unknown issues or stances, and negated
statements are skipped with a logged reason (and listed in ``skipped`` when a list is given).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from detente.model.scenario import Issue, Scenario, ScenarioError

log = logging.getLogger(__name__)

STANCE_DISTANCE = {"demand": 10.0, "reject": 20.0, "offer": 35.0, "accept": 45.0}
OBJECT_DISTANCE = {
    "demand": 10.0,
    "offer": 25.0,
    "accept": 30.0,
}  # from the object end; reject: 20 from the other
STANCE_STRENGTH = {"demand": 1.0, "reject": 1.0, "offer": 0.6, "accept": 0.6}
RED_LINE_WEIGHT = 1.5
CONDITIONAL_WEIGHT = 0.8
MIN_UNCERTAINTY = 15.0  # for a single statement
DEFAULT_CONFIDENCE = 0.5
MAX_EVIDENCE = 3  # evidence snippets quoted in a source


@dataclass(frozen=True, slots=True)
class _Statement:
    actor: str
    issue: str
    stance: str
    evidence: str
    confidence: float
    date: str | None
    red_line: bool
    conditional: bool
    negated: bool


def _statement(item: Mapping[str, Any] | Any) -> _Statement:
    """One position from a dict in the evaluation format or from a ``records.Position``."""
    get = item.get if isinstance(item, Mapping) else lambda k, d=None: getattr(item, k, d)
    evidence = get("evidence", "")
    if not isinstance(evidence, str):  # records.Evidence: the cleaned-text span and its sentence
        evidence = getattr(evidence, "sentence", "") or getattr(evidence, "text", "")
    conf = get("confidence", None)
    return _Statement(
        actor=str(get("actor", "") or "").strip(),
        issue=str(get("issue", "") or "").strip(),
        stance=str(get("stance", "") or "").strip().lower(),
        evidence=" ".join(str(evidence or "").split()),
        confidence=DEFAULT_CONFIDENCE if conf is None else float(conf),
        date=get("date", None),
        red_line=bool(get("red_line", False)),
        conditional=bool(get("conditional", False)),
        negated=bool(get("negated", False)),
    )


def _issue(spec: Issue | str | Mapping[str, Any]) -> tuple[Issue, dict[str, float], float | None]:
    if isinstance(spec, Issue):
        return spec, {}, None
    if isinstance(spec, str):
        return Issue(spec, spec.replace("_", " ").capitalize()), {}, None
    try:
        issue = Issue(
            id=str(spec["id"]),
            name=str(spec.get("name", "")),
            low_label=str(spec.get("low_label", "0")),
            high_label=str(spec.get("high_label", "100")),
            anchors={float(k): str(v) for k, v in (spec.get("anchors") or {}).items()},
            status_quo=spec.get("status_quo"),
        )
    except KeyError:
        raise ScenarioError(f"an issue needs an 'id': {dict(spec)!r}") from None
    end = spec.get("object_end")
    return (
        issue,
        {str(a): float(e) for a, e in (spec.get("sides") or {}).items()},
        None if end is None else float(end),
    )


def sides_from_scenario(scenario: Scenario) -> dict[str, dict[str, float]]:
    """Each actor's side per issue read off an existing scenario: the end its position is nearer."""
    out: dict[str, dict[str, float]] = {}
    for j, issue in enumerate(scenario.issues):
        for a, actor in enumerate(scenario.actors):
            p = scenario.position[a, j]
            if not np.isnan(p) and p != 50.0:
                out.setdefault(issue.id, {})[actor] = 100.0 if p > 50.0 else 0.0
    return out


def _check_end(stance: str, end: float) -> None:
    if stance not in STANCE_DISTANCE:
        raise ScenarioError(f"unknown stance {stance!r}; use {', '.join(STANCE_DISTANCE)}")
    if end not in (0.0, 100.0):
        raise ScenarioError(f"a side or object end is an end of the scale, 0 or 100, not {end}")


def issue_specs(path: str | Path) -> list[dict[str, Any]]:
    """The issues of a scenario file as draft specs: scales, ``object_end`` and the actors' sides.

    Sides come from the actors' positions in the file (:func:`sides_from_scenario`), so an
    existing scenario can serve as the template for a new draft.
    """
    from detente.model.io import read_scenario

    scenario = read_scenario(path)
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    ends = {str(i.get("id")): i.get("object_end") for i in raw.get("issues", []) if isinstance(i, dict)}
    sides = sides_from_scenario(scenario)
    return [
        {
            "id": i.id,
            "name": i.name,
            "low_label": i.low_label,
            "high_label": i.high_label,
            "anchors": dict(i.anchors),
            "status_quo": i.status_quo,
            "object_end": ends.get(i.id),
            "sides": sides.get(i.id, {}),
        }
        for i in scenario.issues
    ]


def stance_point(stance: str, side: float, red_line: bool = False) -> float:
    """Where a stance sits on the 0-100 scale for an actor whose own end is ``side`` (0 or 100)."""
    _check_end(stance, side)
    distance = 0.0 if red_line else STANCE_DISTANCE[stance]
    return distance if side == 0.0 else 100.0 - distance


def object_point(stance: str, object_end: float, red_line: bool = False) -> float:
    """Where a yes or no to the issue's object sits, the object being at ``object_end``."""
    _check_end(stance, object_end)
    if stance == "reject":
        end, distance = 100.0 - object_end, 0.0 if red_line else 20.0
    else:
        end, distance = object_end, 0.0 if red_line else OBJECT_DISTANCE[stance]
    return distance if end == 0.0 else 100.0 - distance


def draft_scenario(
    positions: Iterable[Mapping[str, Any] | Any],
    issues: Sequence[Issue | str | Mapping[str, Any]],
    sides: Mapping[str, Mapping[str, float]] | None = None,
    object_ends: Mapping[str, float] | None = None,
    capabilities: Mapping[str, float] | None = None,
    name: str = "draft scenario",
    skipped: list[tuple[Any, str]] | None = None,
) -> Scenario:
    """A scenario drafted from extracted positions (see the module docstring for the rules).

    ``sides`` maps issue id -> actor -> 0 or 100 and ``object_ends`` issue id -> 0 or 100; an
    issue given as a mapping may carry its own ``sides`` and ``object_end``. Raises ``ScenarioError`` when no statement can be placed at all.
    """
    issue_list: list[Issue] = []
    side: dict[str, dict[str, float]] = {}
    obj: dict[str, float | None] = {}
    for spec in issues:
        issue, own, own_end = _issue(spec)
        issue_list.append(issue)
        obj[issue.id] = (object_ends or {}).get(issue.id, own_end)
        side[issue.id] = {**own, **{str(a): float(e) for a, e in ((sides or {}).get(issue.id) or {}).items()}}
    ids = [i.id for i in issue_list]

    def skip(item: Any, reason: str) -> None:
        log.info("draft: skipped %r: %s", item, reason)
        if skipped is not None:
            skipped.append((item, reason))

    placed: dict[tuple[str, str], list[tuple[_Statement, float]]] = {}
    actors: list[str] = []
    for item in positions:
        try:
            st = _statement(item)
        except (TypeError, ValueError) as e:
            skip(item, f"unreadable position: {e}")
            continue
        if not st.actor or st.issue not in ids:
            skip(item, "no actor" if not st.actor else f"issue {st.issue!r} is not among {', '.join(ids)}")
            continue
        if st.stance not in STANCE_DISTANCE:
            skip(item, f"unknown stance {st.stance!r}")
            continue
        if st.negated:
            skip(item, "negated stance: no clear point on the scale")
            continue
        object_end = obj[st.issue]
        end = side[st.issue].get(st.actor)
        if object_end is not None:
            point = object_point(st.stance, object_end, st.red_line)
        elif end is not None:
            point = stance_point(st.stance, end, st.red_line)
        else:
            skip(item, f"no side given for {st.actor} on {st.issue} (which end, 0 or 100, does it push for?)")
            continue
        placed.setdefault((st.actor, st.issue), []).append((st, point))
        if st.actor not in actors:
            actors.append(st.actor)
    if not placed:
        raise ScenarioError("none of the positions could be placed on an issue's scale (see the log)")

    n, m = len(actors), len(ids)
    pos, sal, unc = np.full((n, m), np.nan), np.full((n, m), np.nan), np.zeros((n, m))
    intensity = np.zeros((n, m))
    sources: dict[tuple[str, str, str], str] = {}
    for (actor, issue), items in placed.items():
        a, j = actors.index(actor), ids.index(issue)
        w = np.array([max(st.confidence, 1e-6) for st, _ in items])
        pts = np.array([p for _, p in items])
        pos[a, j] = float((w * pts).sum() / w.sum())
        spread = float(np.sqrt((w * (pts - pos[a, j]) ** 2).sum() / w.sum()))
        unc[a, j] = max(spread, MIN_UNCERTAINTY / np.sqrt(len(items)))
        intensity[a, j] = sum(
            STANCE_STRENGTH[st.stance]
            * (RED_LINE_WEIGHT if st.red_line else 1.0)
            * (CONDITIONAL_WEIGHT if st.conditional else 1.0)
            for st, _ in items
        )
        quoted = [f"{st.stance}{' (' + st.date + ')' if st.date else ''}: {st.evidence}" for st, _ in items]
        more = f" (+{len(quoted) - MAX_EVIDENCE} more)" if len(quoted) > MAX_EVIDENCE else ""
        sources[(actor, issue, "position")] = " | ".join(quoted[:MAX_EVIDENCE]) + more
        stances = ", ".join(
            f"{k} x{sum(st.stance == k for st, _ in items)}"
            for k in STANCE_DISTANCE
            if any(st.stance == k for st, _ in items)
        )
        sources[(actor, issue, "salience")] = (
            f"{len(items)} statement(s) on {issue} ({stances}), relative to {actor}'s other issues"
        )
    top = intensity.max(axis=1, keepdims=True)
    sal = np.where(intensity > 0, 30.0 + 70.0 * intensity / np.where(top > 0, top, 1.0), np.nan)
    cap = np.ones(n)
    for a, actor in enumerate(actors):
        if capabilities and actor in capabilities:
            cap[a] = float(capabilities[actor])
            sources[(actor, "*", "capability")] = "given by the analyst"
        else:
            sources[(actor, "*", "capability")] = (
                "default 1: capabilities cannot be read from statements; set them"
            )
    return Scenario(name, tuple(actors), tuple(issue_list), pos, sal, cap, unc, sources)
