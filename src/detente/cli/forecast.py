"""CLI: forecasts with Monte Carlo intervals, what-ifs, sensitivity, war termination, scenario drafts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from detente.cli import app, bench_app  # noqa: F401

out = Console()
err = Console(stderr=True)


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(message)}")
    return typer.Exit(2)


def _model_names(spec: list[str]) -> list[str]:
    """``all`` or names (repeated or comma-separated), checked against the registry."""
    from detente.model.base import MODELS, get_model

    get_model("compromise")  # importing the model modules registers them
    names = [n.strip() for s in spec for n in s.split(",") if n.strip()] or ["all"]
    if "all" in names:
        return sorted(MODELS)
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        raise _fail(f"unknown model {', '.join(unknown)}; known: all, {', '.join(sorted(MODELS))}")
    return list(dict.fromkeys(names))


def _cell(point: float, iv: np.ndarray | None) -> str:
    if np.isnan(point):
        return "-"
    return f"{point:.1f}" if iv is None or np.isnan(iv[0]) else f"{point:.1f} [{iv[0]:.1f}-{iv[1]:.1f}]"


@app.command()
def forecast(
    scenario: Annotated[
        Path, typer.Argument(help="A scenario: YAML, JSON, a CSV table, KTAB .csv/.xml or a DEU III folder.")
    ],
    model: Annotated[
        list[str], typer.Option("--model", "-m", help="'all' or model names (repeat or comma-separate).")
    ] = ["all"],  # noqa: B006  (typer reads the default)
    runs: Annotated[int, typer.Option(min=0, help="Monte Carlo runs for the intervals (0: none).")] = 1000,
    seed: Annotated[int, typer.Option(help="Seed of the Monte Carlo draws.")] = 0,
    level: Annotated[float, typer.Option(min=0.5, max=0.99, help="Coverage of the intervals.")] = 0.9,
    salience_sd: Annotated[
        float, typer.Option(min=0, help="Also perturb saliences by this SD (points).")
    ] = 0.0,
    capability_cv: Annotated[
        float, typer.Option(min=0, help="Also perturb capabilities by this relative SD.")
    ] = 0.0,
    chart: Annotated[Path | None, typer.Option(help="Write an SVG chart of the forecasts here.")] = None,
    what_if: Annotated[
        list[str] | None,
        typer.Option(
            "--what-if", help="ACTOR:ISSUE:FIELD=VALUE (FIELD: position, salience; or ACTOR:capability=V)."
        ),
    ] = None,
    sensitivity: Annotated[bool, typer.Option("--sensitivity", help="Rank inputs by their effect.")] = False,
    top: Annotated[int, typer.Option(min=1, help="Rows of the sensitivity ranking per model.")] = 12,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Forecast each issue of a scenario with every model, with Monte Carlo intervals."""
    from detente.model.base import get_model
    from detente.model.io import read_scenario
    from detente.model.montecarlo import sensitivity as rank_inputs
    from detente.model.montecarlo import simulate
    from detente.model.montecarlo import what_if as compare
    from detente.model.scenario import ScenarioError

    if chart is not None and chart.suffix.lower() != ".svg":
        raise _fail(f"charts are written as SVG: give a path ending in .svg, not {chart.name!r}")
    names = _model_names(model)
    try:
        sc = read_scenario(scenario)
        models = {n: get_model(n) for n in names}
        draw = {"salience_sd": salience_sd, "capability_cv": capability_cv}
        dists = {n: simulate(m, sc, runs, seed, **draw) for n, m in models.items()} if runs else {}
        points = {n: (dists[n].point if n in dists else m.predict(sc).outcome) for n, m in models.items()}
        changes = (
            {n: compare(m, sc, what_if, runs, seed, **draw) for n, m in models.items()} if what_if else {}
        )
        ranked = {n: rank_inputs(m, sc)[:top] for n, m in models.items()} if sensitivity else {}
    except ScenarioError as e:
        raise _fail(str(e)) from None

    issues = [i.id for i in sc.issues]
    if chart is not None:
        from detente.model.chart import write_chart
        from detente.model.montecarlo import Distribution

        shown = list(dists.values()) or [
            Distribution(n, tuple(issues), np.asarray(p, float), np.asarray(p, float)[None, :], seed)
            for n, p in points.items()
        ]
        write_chart(chart, sc, shown, level=level)
    if as_json:
        result: dict[str, Any] = {
            "scenario": sc.name,
            "runs": runs,
            "seed": seed,
            "level": level,
            "models": {},
        }
        for n in names:
            if n in dists:
                result["models"][n] = dists[n].to_dict(level)
            else:
                result["models"][n] = {
                    "issues": {i: {"forecast": _num(points[n][j])} for j, i in enumerate(issues)}
                }
        if changes:
            result["what_if"] = {n: w.to_dict() for n, w in changes.items()}
        if ranked:
            result["sensitivity"] = {n: [s.to_dict() for s in r] for n, r in ranked.items()}
        if chart is not None:
            result["chart"] = str(chart)
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return

    note = (
        f"{round(100 * level)}% intervals from {runs} Monte Carlo runs, seed {seed}"
        if runs
        else "no intervals"
    )
    table = Table("issue", *names, title=f"{escape(sc.name)}: forecasts on 0-100 ({note})")
    ivs = {n: d.interval(level) for n, d in dists.items()}
    for j, issue in enumerate(sc.issues):
        row = [_cell(points[n][j], ivs[n][j] if n in ivs else None) for n in names]
        table.add_row(escape(issue.name or issue.id), *row)
    out.print(table)
    for issue in sc.issues:
        out.print(
            f"  [dim]{escape(issue.id)}: 0 = {escape(issue.low_label)}; 100 = {escape(issue.high_label)}[/dim]"
        )
    if changes:
        first = next(iter(changes.values()))
        wt = Table("issue", *names, title="What if " + escape(", ".join(str(c) for c in first.changes)))
        for j, issue in enumerate(sc.issues):
            cells = []
            for n in names:
                w = changes[n]
                b, a = w.before[j], w.after[j]
                cells.append("-" if np.isnan(b) else f"{b:.1f} -> {a:.1f} ({a - b:+.1f})")
            wt.add_row(escape(issue.name or issue.id), *cells)
        out.print(wt)
    for n, rows in ranked.items():
        st = Table(
            "actor", "issue", "input", "value", "tried", "swing", "per unit", title=f"Sensitivity: {n}"
        )
        for s in rows:
            st.add_row(
                escape(s.actor),
                s.issue,
                s.field,
                f"{s.value:g}",
                f"{s.low:g}-{s.high:g}",
                f"{s.swing:+.2f}",
                f"{s.effect:+.3f}",
            )
        out.print(st)
    if chart is not None:
        out.print(f"chart written to {chart}")


def _num(v: float) -> float | None:
    return None if np.isnan(v) else round(float(v), 3)


@app.command()
def war(
    params: Annotated[Path, typer.Argument(help="A war scenario (YAML or JSON), see examples/scenarios.")],
    paths: Annotated[int, typer.Option(min=1, help="Simulated wars.")] = 2000,
    seed: Annotated[int, typer.Option(help="Seed of the simulation.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    overrides: Annotated[
        list[str] | None,
        typer.Option("--set", help="KEY=VALUE to change a parameter, e.g. cost_a=1 or belief_b.mean=0.5."),
    ] = None,
    chart: Annotated[
        Path | None, typer.Option(help="Write an SVG chart (one war and the distributions).")
    ] = None,
) -> None:
    """Bargaining while fighting: when the bargaining range opens, and on what terms."""
    from detente.model.scenario import ScenarioError
    from detente.model.war_termination import fearon_range, read_war_scenario, simulate_war

    if chart is not None and chart.suffix.lower() != ".svg":
        raise _fail(f"charts are written as SVG: give a path ending in .svg, not {chart.name!r}")
    try:
        ws = read_war_scenario(params)
        if overrides:
            ws = _override(ws, overrides)
        res = simulate_war(ws, paths=paths, seed=seed)
    except ScenarioError as e:
        raise _fail(str(e)) from None
    summary = res.summary()
    fearon = fearon_range(ws)
    if chart is not None:
        from detente.model.chart import war_chart

        example = simulate_war(ws, paths=1, seed=seed, record=True)
        chart.write_text(war_chart(res, example), encoding="utf-8")
    if as_json:
        summary.pop("time_histogram")
        summary["fearon_range_with_true_odds"] = [round(fearon[0], 3), round(fearon[1], 3)]
        summary["scenario"] = ws.name
        if chart is not None:
            summary["chart"] = str(chart)
        print(json.dumps(summary, indent=1))
        return

    def q(key: str, unit: str = "") -> str:
        s = summary[key]
        return "-" if s is None else f"{s['median']:.1f}{unit} (5-95%: {s['p5']:.1f}-{s['p95']:.1f})"

    table = Table("", "", title=f"{escape(ws.name)}: {paths} simulated wars, seed {seed}", show_header=False)
    table.add_row(
        "front line at start", f"{ws.front:g} ({escape(ws.side_a)}'s share of the disputed territory)"
    )
    kinds = ", ".join(f"{k} {v / paths:.0%}" for k, v in sorted(summary["outcomes"].items()))
    table.add_row("how the wars end", kinds)
    table.add_row("range open before any fighting", f"{summary['open_at_start']:.0%}")
    table.add_row("periods until the range opens", q("time_to_settlement"))
    table.add_row("range when it opens: low", q("range_low"))
    table.add_row("range when it opens: high", q("range_high"))
    table.add_row("terms: midpoint", q("midpoint"))
    table.add_row(f"terms: Nash split (power {ws.power_a:g})", q("nash"))
    table.add_row("Fearon range if both knew the odds", f"{fearon[0]:.1f}-{fearon[1]:.1f}")
    out.print(table)
    out.print(f"  [dim]0 = {escape(ws.low_label)}; 100 = {escape(ws.high_label)}[/dim]")
    if chart is not None:
        out.print(f"chart written to {chart}")


def _override(ws: Any, pairs: list[str]) -> Any:
    """A war scenario with KEY=VALUE changes (``belief_a.mean=0.6`` for a belief's part)."""
    from dataclasses import replace

    from detente.model.scenario import ScenarioError
    from detente.model.war_termination import war_from_dict

    data: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ScenarioError(f"--set wants KEY=VALUE, not {pair!r}")
        head, _, part = key.partition(".")
        if head in ("belief_a", "belief_b"):
            if part not in ("mean", "strength"):
                raise ScenarioError(f"--set {key}: a belief has a mean and a strength")
            old = getattr(ws, head)
            data.setdefault(head, {"mean": old.mean, "strength": old.strength})[part] = value
        else:
            data[key] = value
    changed = war_from_dict(data)  # checks the keys and values
    return replace(
        ws, **{k: getattr(changed, k) for k in data}, sources={**ws.sources, **dict.fromkeys(data, "--set")}
    )


@app.command("draft-scenario")
def draft_scenario_cmd(
    positions: Annotated[Path, typer.Argument(help="Extracted positions: JSONL, one article per line.")],
    template: Annotated[
        Path, typer.Option("--issues", help="A scenario file whose issues (and actors' sides) to use.")
    ],
    output: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the draft here (YAML/JSON).")
    ] = None,
    actor: Annotated[list[str] | None, typer.Option(help="Keep only these actors (repeat).")] = None,
    alias: Annotated[
        list[str] | None, typer.Option(help="NAME=TEMPLATE_ACTOR: give NAME the template actor's sides.")
    ] = None,
) -> None:
    """Draft a scenario from extracted positions, for an analyst to edit."""
    from detente.model.draft import draft_scenario, issue_specs
    from detente.model.io import to_dict, write_scenario
    from detente.model.scenario import ScenarioError

    try:
        specs = issue_specs(template)
    except ScenarioError as e:
        raise _fail(str(e)) from None
    for pair in alias or []:
        name, _, known = pair.partition("=")
        if not known:
            raise _fail(f"--alias wants NAME=TEMPLATE_ACTOR, not {pair!r}")
        for spec in specs:
            if known in spec["sides"]:
                spec["sides"][name] = spec["sides"][known]
    if not positions.is_file():
        raise _fail(f"no positions file at {positions}")
    items: list[dict[str, Any]] = []
    for n, line in enumerate(positions.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            err.print(f"[yellow]skipped line {n}:[/yellow] not JSON")
            continue
        found = row.get("positions", [row] if "stance" in row else []) if isinstance(row, dict) else []
        items.extend(p for p in found if isinstance(p, dict) and (not actor or p.get("actor") in actor))
    skipped: list[tuple[Any, str]] = []
    try:
        sc = draft_scenario(items, specs, name=f"draft from {positions.name}", skipped=skipped)
    except ScenarioError as e:
        raise _fail(str(e)) from None
    if output is not None:
        write_scenario(sc, output)
        err.print(f"draft of {len(sc.actors)} actors written to {output}; {len(skipped)} statements skipped")
    else:
        print(json.dumps(to_dict(sc), ensure_ascii=False, indent=1))
