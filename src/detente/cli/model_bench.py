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
    cv: Annotated[int, typer.Option(help="Folds of grouped cross-validation to report (0 = none).")] = 5,
) -> None:
    """Mean absolute error of every model on DEU III, with its bootstrap gap to the compromise model."""
    from detente.bench.deu3 import (
        BASELINE,
        RECOMMENDED,
        cross_validate,
        error_table,
        model_names,
        score_models,
    )
    from detente.model.io import read_deu3
    from detente.model.scenario import ScenarioError

    try:
        scenarios = read_deu3(data)
    except ScenarioError as e:
        raise typer.BadParameter(str(e)) from None
    errors = error_table(scenarios, model_names())
    scores = score_models(scenarios, table=errors)
    recommended = RECOMMENDED
    folds = cross_validate(scenarios, errors, k=cv) if cv > 1 else None
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
                    **(
                        {
                            "cv": {
                                "folds": [
                                    {
                                        "chosen": f.chosen,
                                        "issues": f.issues,
                                        "mae": round(f.mae, 3),
                                        "compromise_mae": round(f.baseline_mae, 3),
                                    }
                                    for f in folds.folds
                                ],
                                "mae": round(folds.mae, 3),
                                "ci": [round(folds.ci[0], 3), round(folds.ci[1], 3)],
                            }
                        }
                        if folds
                        else {}
                    ),
                }
            )
        )
        return
    table = Table("model", "MAE", f"MAE - {BASELINE} (95% CI)", "issues", title=f"DEU III: {data}")
    for s in scores:
        mark = " (recommended)" if s.name == recommended else ""
        table.add_row(s.name + mark, f"{s.mae:.2f}", f"[{s.ci[0]:+.2f}, {s.ci[1]:+.2f}]", str(s.n))
    out.print(table)
    if folds:
        ft = Table(
            "fold",
            "issues",
            "chosen on the other folds",
            "MAE",
            BASELINE,
            title=f"{cv}-fold CV, grouped by proposal",
        )
        for f in folds.folds:
            ft.add_row(str(f.index + 1), str(f.issues), f.chosen, f"{f.mae:.2f}", f"{f.baseline_mae:.2f}")
        out.print(ft)
        out.print(
            f"held-out MAE of choosing by CV: {folds.mae:.2f} vs {BASELINE} {folds.baseline_mae:.2f} "
            f"(difference 95% CI [{folds.ci[0]:+.2f}, {folds.ci[1]:+.2f}])"
        )


@bench_app.command("eu")
def bench_eu(
    data: Annotated[Path, typer.Option(help="A folder in the DEU III format.")],
    repeat: Annotated[int, typer.Option(help="Best of N vectorised runs.")] = 3,
) -> None:
    """Vectorised expected-utility model against its plain-Python reference on every DEU III issue."""
    from detente.bench.expected_utility import measure
    from detente.model.io import read_deu3

    r = measure(read_deu3(data), repeat=repeat)
    out.print(
        f"expected utility on {r.issues} issues (padded to {r.actors} actors): vectorised {r.vectorised_s:.3f} s, "
        f"plain Python {r.reference_s:.2f} s, speed-up {r.speedup:.0f}x, largest difference {r.max_difference:.1e}"
    )
