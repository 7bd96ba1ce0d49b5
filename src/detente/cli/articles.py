"""CLI: articles commands."""

from detente.cli import app, bench_app  # noqa: F401
