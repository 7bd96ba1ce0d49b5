"""CLI: extraction benchmarks (speed and memory; attribution accuracy on PolNeAR)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from detente.cli import bench_app

out = Console()


def _texts(paths: list[str] | None, polnear: Path | None, limit: int | None) -> list[str]:
    from detente.bench.polnear import read_articles
    from detente.config import Settings
    from detente.pipeline import iter_documents
    from detente.records import Document

    if polnear is not None:
        return [a["text"] for a in read_articles(polnear, limit)]
    inputs = paths or [str(Path(__file__).resolve().parents[3] / "examples")]
    texts = [d.text for d in iter_documents(inputs, Settings()) if isinstance(d, Document)]
    return texts[:limit] if limit else texts


@bench_app.command()
def throughput(
    texts: Annotated[
        list[str] | None, typer.Option("--texts", help="Files or folders (default: examples/).")
    ] = None,
    polnear: Annotated[Path | None, typer.Option(help="Use the articles of a PolNeAR file instead.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many articles.")] = None,
    runs: Annotated[int, typer.Option(help="Alternating runs; the best of each side counts.")] = 3,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Words per second of the whole extraction against bare spaCy parsing, and peak memory."""
    from detente.bench.throughput import measure

    corpus = _texts(texts, polnear, limit)
    if not corpus:
        raise typer.BadParameter("no texts to measure")
    result = measure(corpus, runs=runs)
    if as_json:
        print(json.dumps(result.as_dict()))
        return
    table = Table("measure", "value", title="extraction throughput (same model, same texts, same process)")
    for k, v in result.as_dict().items():
        table.add_row(k, str(v))
    out.print(table)


@bench_app.command("polnear")
def polnear_bench(
    file: Annotated[Path, typer.Argument(help="PolNeAR JSONL (gzip or not).")],
    limit: Annotated[int | None, typer.Option(help="At most this many articles.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Precision, recall and F1 for source, cue and content spans, exact and overlapping."""
    from detente.bench.polnear import read_articles, score_polnear
    from detente.extract.pipeline import Extractor

    if not file.exists():
        raise typer.BadParameter(f"{file} does not exist")
    extractor = Extractor()
    scores = score_polnear(read_articles(file, limit), extractor.extract_many)
    result = {"rules": scores.as_dict()}
    if as_json:
        print(json.dumps(result))
        return
    table = Table(
        "role", "exact P", "exact R", "exact F1", "overlap P", "overlap R", "overlap F1", "gold", "system"
    )
    table.title = f"PolNeAR attribution, rules ({scores.articles} articles)"
    for role, d in result["rules"].items():
        table.add_row(
            role,
            *(
                f"{d[k]:.3f}"
                for k in ("exact_p", "exact_r", "exact_f1", "overlap_p", "overlap_r", "overlap_f1")
            ),
            str(d["gold"]),
            str(d["system"]),
        )
    out.print(table)
