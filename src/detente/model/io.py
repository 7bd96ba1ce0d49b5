"""Reading and writing scenarios: YAML/JSON (detente's own format) and the DEU III folder.

The YAML/JSON format, one file per scenario::

    name: Russia-Ukraine talks 2025
    issues:
      - {id: territory, name: Territory, low_label: "...", high_label: "...", status_quo: 60,
         anchors: {50: "..."}}
    actors:
      - name: Russia
        capability: 60
        source: "why this capability"
        issues:
          territory: {position: 95, salience: 90, uncertainty: 5, source: "where the numbers come from"}
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from detente.model.scenario import Issue, Scenario, ScenarioError


def _number(value: str) -> float | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise ScenarioError(f"not a number: {value!r}") from None


def read_deu3(folder: str | Path) -> list[Scenario]:
    """One single-issue scenario per DEU III issue (issues.csv, positions.csv, actors.csv)."""
    folder = Path(folder)
    for name in ("issues.csv", "positions.csv"):
        if not (folder / name).is_file():
            raise ScenarioError(f"{folder} has no {name}: not a DEU III folder")
    with open(folder / "issues.csv", encoding="utf-8") as f:
        issues = {row["issue_id"]: row for row in csv.DictReader(f)}
    rows: dict[str, list[dict[str, str]]] = {}
    with open(folder / "positions.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            rows.setdefault(row["issue_id"], []).append(row)
    scenarios = []
    for issue_id, meta in issues.items():
        actors = rows.get(issue_id, [])
        if not actors:
            continue
        issue = Issue(
            id=issue_id,
            name=meta.get("proposal", ""),
            status_quo=_number(meta.get("reference_point", "")),
            outcome=_number(meta.get("outcome", "")),
        )
        pos = np.array(
            [[_number(a["position"]) if a["position"].strip() else np.nan] for a in actors], dtype=float
        )
        sal = np.array(
            [[_number(a["salience"]) if a["salience"].strip() else np.nan] for a in actors], dtype=float
        )
        cap = np.array([_number(a["capability"]) or 0.0 for a in actors], dtype=float)
        scenarios.append(Scenario(issue_id, tuple(a["actor"] for a in actors), (issue,), pos, sal, cap))
    return scenarios


def from_dict(data: dict[str, Any]) -> Scenario:
    """A scenario from detente's YAML/JSON structure, with clear errors."""
    try:
        issues = tuple(
            Issue(
                id=str(i["id"]),
                name=i.get("name", ""),
                low_label=i.get("low_label", "0"),
                high_label=i.get("high_label", "100"),
                anchors={float(k): str(v) for k, v in (i.get("anchors") or {}).items()},
                status_quo=i.get("status_quo"),
                outcome=i.get("outcome"),
            )
            for i in data["issues"]
        )
        actors = data["actors"]
    except (KeyError, TypeError) as e:
        raise ScenarioError(
            f"a scenario needs 'issues' (each with an 'id') and 'actors': missing {e}"
        ) from None
    ids = [i.id for i in issues]
    n, m = len(actors), len(issues)
    pos = np.full((n, m), np.nan)
    sal = np.full((n, m), np.nan)
    unc = np.zeros((n, m))
    cap = np.zeros(n)
    sources: dict[tuple[str, str, str], str] = {}
    names = []
    for a_i, actor in enumerate(actors):
        name = str(actor.get("name", ""))
        if not name:
            raise ScenarioError(f"actor #{a_i + 1} has no name")
        names.append(name)
        cap[a_i] = float(actor.get("capability", 1.0))
        if actor.get("source"):
            sources[(name, "*", "capability")] = str(actor["source"])
        for issue_id, v in (actor.get("issues") or {}).items():
            if issue_id not in ids:
                raise ScenarioError(f"actor {name!r} refers to unknown issue {issue_id!r}")
            j = ids.index(issue_id)
            pos[a_i, j] = float(v["position"]) if v.get("position") is not None else np.nan
            if v.get("salience") is not None:
                sal[a_i, j] = float(v["salience"])
            unc[a_i, j] = float(v.get("uncertainty", 0.0))
            if v.get("source"):
                sources[(name, issue_id, "position")] = str(v["source"])
            if v.get("salience_source"):
                sources[(name, issue_id, "salience")] = str(v["salience_source"])
    return Scenario(str(data.get("name", "scenario")), tuple(names), issues, pos, sal, cap, unc, sources)


def to_dict(sc: Scenario) -> dict[str, Any]:
    issues = [
        {
            "id": i.id,
            "name": i.name,
            "low_label": i.low_label,
            "high_label": i.high_label,
            "anchors": {float(k): v for k, v in i.anchors.items()},
            "status_quo": i.status_quo,
            "outcome": i.outcome,
        }
        for i in sc.issues
    ]
    actors = []
    for a, name in enumerate(sc.actors):
        per_issue = {}
        for j, issue in enumerate(sc.issues):
            if np.isnan(sc.position[a, j]):
                continue
            entry: dict[str, Any] = {"position": float(sc.position[a, j])}
            if not np.isnan(sc.salience[a, j]):
                entry["salience"] = float(sc.salience[a, j])
            if sc.uncertainty is not None and sc.uncertainty[a, j]:
                entry["uncertainty"] = float(sc.uncertainty[a, j])
            if (name, issue.id, "position") in sc.sources:
                entry["source"] = sc.sources[(name, issue.id, "position")]
            if (name, issue.id, "salience") in sc.sources:
                entry["salience_source"] = sc.sources[(name, issue.id, "salience")]
            per_issue[issue.id] = entry
        actor: dict[str, Any] = {"name": name, "capability": float(sc.capability[a]), "issues": per_issue}
        if (name, "*", "capability") in sc.sources:
            actor["source"] = sc.sources[(name, "*", "capability")]
        actors.append(actor)
    return {"name": sc.name, "issues": issues, "actors": actors}


def read_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(f"no scenario file at {path}")
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as e:
        raise ScenarioError(
            f"{path} is not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {e}"
        ) from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{path} does not hold a scenario (a mapping with issues and actors)")
    return from_dict(data)


def write_scenario(sc: Scenario, path: str | Path) -> None:
    path = Path(path)
    data = to_dict(sc)
    text = (
        json.dumps(data, indent=2, ensure_ascii=False)
        if path.suffix == ".json"
        else yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    )
    path.write_text(text, encoding="utf-8")
