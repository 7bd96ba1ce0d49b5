"""CLI: training detente's learned components (the attribution tagger)."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from detente.cli import app

err = Console(stderr=True)
train_app = typer.Typer(help="Train detente's learned components on annotated data.", no_args_is_help=True)
app.add_typer(train_app, name="train")


@train_app.command("attribution")
def attribution(
    train: Annotated[Path, typer.Option("--train", help="Training articles, PolNeAR JSONL (gzip or not).")],
    dev: Annotated[
        Path, typer.Option("--dev", help="Development articles: early stopping and model choice.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Directory for the training run.")],
    config: Annotated[
        Path | None, typer.Option(help="A training config (default: detente/data/attribution/train.cfg).")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed (default: the config's).")] = None,
    max_epochs: Annotated[int | None, typer.Option(help="Passes over the training data.")] = None,
    limit: Annotated[int | None, typer.Option(help="Train on at most this many articles.")] = None,
    cache: Annotated[
        Path | None, typer.Option(help="Keep the parsed corpora here, to skip parsing on the next run.")
    ] = None,
) -> None:
    """Train the attribution tagger (source, cue and content spans) with spaCy; CPU only.

    The best model on --dev is written to OUTPUT/model-best; point DETENTE_ATTRIBUTION_MODEL at it
    (or copy it over src/detente/data/attribution/model) to use it in extract and ingest."""
    from detente.extract.attribution.training import CONFIG
    from detente.extract.attribution.training import train as run_training

    for path, hint in ((train, "--train"), (dev, "--dev")):
        if not path.is_file():
            raise typer.BadParameter(f"{path} is not a file", param_hint=hint)
    config = config or CONFIG
    if not config.is_file():
        raise typer.BadParameter(f"{config} is not a file", param_hint="--config")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    overrides: dict[str, object] = {}
    if seed is not None:
        overrides["system.seed"] = seed
    if max_epochs is not None:
        overrides["training.max_epochs"] = max_epochs
    if limit is not None:
        overrides["corpora.train.limit"] = limit
    if cache is not None:
        overrides["paths.cache"] = str(cache)
    started = time.perf_counter()
    best = run_training(train, dev, output, config=config, overrides=overrides)
    minutes = (time.perf_counter() - started) / 60
    size = sum(f.stat().st_size for f in best.rglob("*") if f.is_file()) / 1e6
    err.print(f"[green]trained in {minutes:.1f} min[/green]; best model: {best} ({size:.1f} MB)")
