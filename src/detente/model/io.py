"""Reading and writing scenarios: YAML/JSON (detente's own format), a long CSV table, the DEU III
folder and KTAB's CSV and XML files; :func:`read_scenario` tells them apart.

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


CSV_COLUMNS = (
    "actor",
    "issue",
    "position",
    "salience",
    "capability",
    "uncertainty",
    "source",
    "salience_source",
    "capability_source",
    "issue_name",
    "low_label",
    "high_label",
    "anchors",
    "status_quo",
    "outcome",
    "scenario",
)
ANCHOR_SEP = " | "  # anchors in one cell: "20=30-day ceasefire first | 50=partial truces"


def read_csv_table(path: str | Path) -> Scenario:
    """A scenario from a long CSV table: one row per (actor, issue), columns as in ``CSV_COLUMNS``.

    ``actor``, ``issue`` and ``position`` are required; issue metadata may sit on any of the
    issue's rows; an actor's capability on any of its rows (default 1).
    """
    path = Path(path)
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = {"actor", "issue", "position"} - set(reader.fieldnames or ())
        if missing:
            raise ScenarioError(f"{path}: a scenario table needs the columns {', '.join(sorted(missing))}")
        rows = list(reader)
    issues: dict[str, dict[str, Any]] = {}
    actors: dict[str, dict[str, Any]] = {}
    name = path.stem
    for n, row in enumerate(rows, start=2):
        actor, issue = (row.get("actor") or "").strip(), (row.get("issue") or "").strip()
        if not actor or not issue:
            raise ScenarioError(f"{path} line {n}: actor and issue are required")
        meta = issues.setdefault(issue, {"id": issue})
        for key, column in (("name", "issue_name"), ("low_label", "low_label"), ("high_label", "high_label")):
            if row.get(column):
                meta[key] = row[column]
        for key in ("status_quo", "outcome"):
            if row.get(key):
                meta[key] = _number(row[key])
        if row.get("anchors"):
            meta["anchors"] = _anchors(row["anchors"], f"{path} line {n}")
        if row.get("scenario"):
            name = row["scenario"]
        entry = actors.setdefault(actor, {"name": actor, "issues": {}})
        if row.get("capability"):
            entry["capability"] = _number(row["capability"])
        if row.get("capability_source"):
            entry["source"] = row["capability_source"]
        cell: dict[str, Any] = {"position": _number(row["position"])}
        for key in ("salience", "uncertainty"):
            if row.get(key):
                cell[key] = _number(row[key])
        for key in ("source", "salience_source"):
            if row.get(key):
                cell[key] = row[key]
        entry["issues"][issue] = cell
    return from_dict({"name": name, "issues": list(issues.values()), "actors": list(actors.values())})


def _anchors(cell: str, where: str) -> dict[float, str]:
    out: dict[float, str] = {}
    for part in cell.split(ANCHOR_SEP.strip()):
        if not part.strip():
            continue
        point, sep, label = part.partition("=")
        if not sep:
            raise ScenarioError(f"{where}: an anchor is written as 'point=label', not {part.strip()!r}")
        value = _number(point)
        out[0.0 if value is None else value] = label.strip()
    return out


def write_csv_table(sc: Scenario, path: str | Path) -> None:
    """The long CSV table :func:`read_csv_table` reads back."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for a, name in enumerate(sc.actors):
            for j, issue in enumerate(sc.issues):
                if np.isnan(sc.position[a, j]):
                    continue
                sal = sc.salience[a, j]
                unc = sc.uncertainty[a, j] if sc.uncertainty is not None else 0.0
                writer.writerow(
                    {
                        "actor": name,
                        "issue": issue.id,
                        "position": float(sc.position[a, j]),
                        "salience": "" if np.isnan(sal) else float(sal),
                        "capability": float(sc.capability[a]),
                        "uncertainty": float(unc) if unc else "",
                        "source": sc.sources.get((name, issue.id, "position"), ""),
                        "salience_source": sc.sources.get((name, issue.id, "salience"), ""),
                        "capability_source": sc.sources.get((name, "*", "capability"), ""),
                        "issue_name": issue.name,
                        "low_label": issue.low_label,
                        "high_label": issue.high_label,
                        "anchors": ANCHOR_SEP.join(f"{k:g}={v}" for k, v in issue.anchors.items()),
                        "status_quo": "" if issue.status_quo is None else issue.status_quo,
                        "outcome": "" if issue.outcome is None else issue.outcome,
                        "scenario": sc.name,
                    }
                )


def from_ktab(kt: Any) -> Scenario:
    """A detente scenario from a KTAB scenario (``detente.model.ktab_io.KtabScenario``)."""
    issues = tuple(Issue(id=d, name=d) for d in kt.dim_names)
    return Scenario(
        kt.name,
        tuple(kt.actor_names),
        issues,
        np.array(kt.position, dtype=float),
        np.array(kt.salience, dtype=float),
        np.array(kt.capability, dtype=float),
    )


def merge_issues(scenarios: list[Scenario], name: str) -> Scenario:
    """Single-issue scenarios (DEU III) as one scenario over the union of their actors."""
    actors: dict[str, float] = {}
    for sc in scenarios:
        for a, cap in zip(sc.actors, sc.capability, strict=True):
            actors.setdefault(a, float(cap))
    names = list(actors)
    pos = np.full((len(names), len(scenarios)), np.nan)
    sal = np.full_like(pos, np.nan)
    for j, sc in enumerate(scenarios):
        rows = [names.index(a) for a in sc.actors]
        pos[rows, j] = sc.position[:, 0]
        sal[rows, j] = sc.salience[:, 0]
    issues = tuple(sc.issues[0] for sc in scenarios)
    return Scenario(name, tuple(names), issues, pos, sal, np.array(list(actors.values())))


def read_scenario(path: str | Path) -> Scenario:
    """Any supported scenario: a DEU III folder, KTAB .xml or .csv, a long .csv table, YAML or JSON."""
    path = Path(path)
    if path.is_dir():
        return merge_issues(read_deu3(path), path.name)
    if not path.is_file():
        raise ScenarioError(f"no scenario file at {path}")
    suffix = path.suffix.lower()
    if suffix in (".xml", ".csv"):
        from detente.model.ktab_io import KtabFormatError, read_ktab

        if suffix == ".csv":
            with open(path, encoding="utf-8", newline="") as f:
                header = next(csv.reader(f), [])
            if {"actor", "issue"} <= {h.strip() for h in header}:
                return read_csv_table(path)
        try:
            return from_ktab(read_ktab(path))
        except KtabFormatError as e:
            raise ScenarioError(str(e)) from None
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
    """YAML, JSON or the long CSV table, by the file's suffix."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        write_csv_table(sc, path)
        return
    data = to_dict(sc)
    text = (
        json.dumps(data, indent=2, ensure_ascii=False)
        if path.suffix == ".json"
        else yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    )
    path.write_text(text, encoding="utf-8")
