"""Command-line interface: thin wrappers that parse arguments and call the stages.

Each group of commands lives in its own module and registers itself on ``app``.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="detente",
    help="Read news about ceasefire and peace talks; extract who said and wants what; forecast outcomes.",
    no_args_is_help=True,
    add_completion=False,
)
bench_app = typer.Typer(help="Benchmarks: speed, memory and accuracy figures.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")


def main() -> None:
    # Importing the command modules registers their commands.
    from detente.cli import articles, bench, forecast, ktab, model_bench, negotiation, present, train  # noqa: F401

    app()
