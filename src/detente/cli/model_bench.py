"""CLI: forecast-model benchmarks (DEU III)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from detente.cli import bench_app

out = Console()


@bench_app.command()
def deu3(
    data: Annotated[Path, typer.Option(help="A folder in the DEU III format (issues.csv, positions.csv).")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Mean absolute error of every model on DEU III, with its bootstrap gap to the compromise model."""
    from detente.bench.deu3 import BASELINE, score_models
    from detente.model.io import read_deu3
    from detente.model.scenario import ScenarioError

    try:
        scenarios = read_deu3(data)
    except ScenarioError as e:
        raise typer.BadParameter(str(e)) from None
    scores = score_models(scenarios)
    recommended = BASELINE  # the fixed choice until a model beats it on held-out folds
    if as_json:
        print(
            json.dumps(
                {
                    "models": {
                        s.name: {
                            "mae": round(s.mae, 3),
                            "ci": [round(s.ci[0], 3), round(s.ci[1], 3)],
                            "n": s.n,
                        }
                        for s in scores
                    },
                    "recommended": recommended,
                }
            )
        )
        return
    table = Table("model", "MAE", f"MAE - {BASELINE} (95% CI)", "issues", title=f"DEU III: {data}")
    for s in scores:
        table.add_row(s.name, f"{s.mae:.2f}", f"[{s.ci[0]:+.2f}, {s.ci[1]:+.2f}]", str(s.n))
    out.print(table)
