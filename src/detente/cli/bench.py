"""CLI: extraction benchmarks (speed and memory; attribution accuracy on PolNeAR)."""

from __future__ import annotations

import glob
import json
import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from detente.cli import bench_app

out = Console()
err = Console(stderr=True)
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def _texts(paths: list[str] | None, polnear: Path | None, limit: int | None) -> list[str]:
    """Texts to time: a PolNeAR file's articles, or cleaned documents from files and folders."""
    from detente.bench.polnear import read_articles

    if polnear is not None:
        if not polnear.is_file():
            raise typer.BadParameter(f"{polnear} is not a file", param_hint="--polnear")
        return [a["text"] for a in read_articles(polnear, limit)]
    inputs = paths or [str(EXAMPLES)]
    missing = [p for p in inputs if "://" not in p and not glob.glob(p)]
    if missing:
        raise typer.BadParameter(f"not found: {', '.join(missing)}", param_hint="--texts")
    texts = _cleaned(inputs)
    return texts[:limit] if limit else texts


def _cleaned(inputs: list[str]) -> list[str]:
    """Texts through ingest and clean, as the extractor sees them; plain .txt reading if those fail."""
    from detente.config import Settings

    try:
        from detente.pipeline import iter_documents
        from detente.records import Document

        return [d.text for d in iter_documents(inputs, Settings()) if isinstance(d, Document)]
    except Exception as e:  # ingest or clean mid-change: time raw text files instead
        err.print(f"[yellow]ingest/clean failed ({type(e).__name__}: {e}); reading .txt files as they are[/]")
        files = [q for p in map(Path, inputs) for q in (sorted(p.rglob("*.txt")) if p.is_dir() else [p])]
        return [f.read_text(encoding="utf-8", errors="replace") for f in files if f.is_file()]


@bench_app.command()
def throughput(
    texts: Annotated[
        list[str] | None,
        typer.Option("--texts", help="Files or folders, e.g. ../shared/corpus/dev (default: examples/)."),
    ] = None,
    polnear: Annotated[
        Path | None, typer.Option(help="Time the articles of a PolNeAR JSONL file instead (steadier).")
    ] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many articles.")] = None,
    repeat: Annotated[
        int, typer.Option("--repeat", "--runs", min=1, help="Alternating rounds; best and median reported.")
    ] = 3,
    memory: Annotated[bool, typer.Option(help="Also one tracemalloc-traced pass of each side.")] = True,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Words per second of the whole extraction against bare spaCy parsing, and memory."""
    from detente.bench.throughput import measure
    from detente.config import Settings

    corpus = _texts(texts, polnear, limit)
    if not corpus:
        raise typer.BadParameter("no texts to measure")
    with err.status(f"Timing {len(corpus)} texts, {repeat} rounds..."):
        result = measure(corpus, Settings.from_env(), repeat=repeat, memory=memory)
    d = result.as_dict()
    if as_json:
        print(json.dumps(d))
        return
    table = Table("measure", "value", title="extraction vs bare spaCy (same model, texts and process)")
    table.add_row("texts / words", f"{d['texts']} / {d['words']:,}")
    table.add_row("bare spaCy words/s (best)", f"{d['bare_words_per_s']:,}")
    table.add_row("extraction words/s (best)", f"{d['extract_words_per_s']:,}")
    table.add_row("ratio, best runs (goal >= 0.5 with the attribution tagger)", f"{d['ratio']:.3f}")
    table.add_row(f"ratio, median of {d['repeat']} rounds", f"{d['median_ratio']:.3f}")
    table.add_row("RSS with both models loaded (MB)", str(d["rss_after_load_mb"]))
    table.add_row("peak RSS, whole process (MB)", str(d["peak_rss_mb"]))
    for side in ("bare", "extract"):
        if rss := d[f"{side}_run_rss_mb"]:
            table.add_row(f"RSS in one {side} run: start -> peak (MB)", f"{rss[0]} -> {rss[1]}")
    if memory:
        table.add_row("tracemalloc peak, one bare pass (MB)", str(d["bare_traced_peak_mb"]))
        table.add_row("tracemalloc peak, one extraction pass (MB)", str(d["extract_traced_peak_mb"]))
    out.print(table)


@bench_app.command("polnear")
def polnear_bench(
    file: Annotated[
        Path, typer.Argument(help="PolNeAR JSONL, gzip or not (../shared/data/polnear/dev.jsonl.gz).")
    ],
    limit: Annotated[int | None, typer.Option(help="At most this many articles.")] = None,
    model: Annotated[
        Path | None, typer.Option(help="A trained attribution model directory (default: the shipped one).")
    ] = None,
    systems: Annotated[
        list[str] | None,
        typer.Option("--system", help="rules, model or combined; repeat for several (default: all three)."),
    ] = None,
    errors: Annotated[
        int, typer.Option("--errors", min=0, help="Show error counts and up to N examples of each kind.")
    ] = 0,
    speed: Annotated[
        bool,
        typer.Option(help="Also time the combined extraction against bare spaCy parsing on the same texts."),
    ] = True,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Precision, recall and F1 for source, cue and content spans, exact and overlapping, for the
    rules alone, the attribution model alone and the two combined."""
    from detente.bench.polnear import MODES, ROLES, evaluate_modes, read_articles, report
    from detente.config import Settings

    if not file.is_file():
        raise typer.BadParameter(f"{file} is not a file", param_hint="FILE")
    modes = tuple(systems or MODES)
    if bad := [m for m in modes if m not in MODES]:
        raise typer.BadParameter(f"unknown system {', '.join(bad)}; choose from {', '.join(MODES)}")
    if model is not None and not (model / "config.cfg").is_file():
        raise typer.BadParameter(f"{model} holds no trained model (no config.cfg)", param_hint="--model")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env().with_(attribution_model=str(model) if model else None)
    articles = list(read_articles(file, limit))
    if not articles:
        raise typer.BadParameter(f"no articles in {file}", param_hint="FILE")
    with err.status(f"Extracting from {len(articles)} articles..."):
        results = evaluate_modes(articles, settings, modes, examples=errors)
    summary: dict[str, dict] = report(results, with_errors=errors > 0)
    if speed:
        from detente.bench.throughput import measure

        with err.status("Timing the combined extraction against bare spaCy..."):
            timed = measure([a["text"] for a in articles], settings.with_(attribution="combined"), 1, False)
        summary["speed"] = {
            k: timed.as_dict()[k] for k in ("words", "bare_words_per_s", "extract_words_per_s")
        }
        summary["speed"]["ratio"] = round(timed.ratio, 3)
    if as_json:
        print(json.dumps(summary, ensure_ascii=False))
        return
    for name in modes:
        roles = summary[name]
        table = Table(
            "role", "exact P", "exact R", "exact F1", "overlap P", "overlap R", "overlap F1", "gold", "system"
        )
        table.title = f"PolNeAR attribution, {name} ({len(articles)} articles)"
        for role in ROLES:
            d = roles[role]
            cells = ("exact_p", "exact_r", "exact_f1", "overlap_p", "overlap_r", "overlap_f1")
            table.add_row(role, *(f"{d[k]:.3f}" for k in cells), str(d["gold"]), str(d["system"]))
        out.print(table)
        if errors:
            _print_errors(name, roles["errors"])
    if "speed" in summary:
        sp = summary["speed"]
        out.print(
            f"speed: combined extraction {sp['extract_words_per_s']:,} words/s, bare spaCy "
            f"{sp['bare_words_per_s']:,} words/s, ratio {sp['ratio']:.3f} (goal >= 0.5)"
        )


def _print_errors(name: str, errors: dict) -> None:
    out.print(f"\n[bold]{name}: errors by kind[/bold] (gold and system shown as source | cue | content)")
    for kind, info in errors.items():
        out.print(f"\n[bold]{escape(kind)}[/bold]: {info['count']}")
        for e in info["examples"]:
            out.print(f"  [dim]{escape(e['doc'])}[/dim]")
            if e["gold"]:
                out.print(f"    gold:   {escape(e['gold'])}")
            if e["system"]:
                out.print(f"    system: {escape(e['system'])}")
            out.print(f"    [dim]…{escape(e['context'])}…[/dim]")


@bench_app.command("dask")
def dask_bench(
    texts: Annotated[
        list[str] | None,
        typer.Option("--texts", help="Files or folders to ingest (default: generated articles)."),
    ] = None,
    articles: Annotated[int, typer.Option(min=1, help="How many generated articles.")] = 300,
    workers: Annotated[str, typer.Option(help="Worker counts to time, comma-separated.")] = "1,2",
    repeat: Annotated[int, typer.Option(min=1, help="Alternating rounds; the best run of each counts.")] = 2,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Ingest throughput on 1, 2, ... Dask workers against one process, and memory per worker."""
    import tempfile

    from detente.bench.corpus import write_corpus
    from detente.bench.scaleout import measure

    counts = tuple(int(x) for x in workers.split(",") if x.strip())
    with tempfile.TemporaryDirectory(prefix="detente-articles-") as tmp:
        inputs = texts or [str(p) for p in write_corpus(Path(tmp), articles, per_file=100)]
        with err.status(f"Ingesting in one process, then on {', '.join(map(str, counts))} Dask workers..."):
            result = measure(inputs, counts, repeat=repeat)
    if as_json:
        print(json.dumps(result))
        return
    table = Table(
        "run",
        "seconds",
        "docs/s",
        "words/s",
        "vs in-process",
        "vs 1 worker",
        "peak RSS per worker (MB)",
        title=f"ingest of {result['documents']} articles ({result['words']:,} words), best of {result['repeat']}",
    )
    for r in result["runs"]:
        table.add_row(
            r["label"],
            str(r["seconds"]),
            str(r["docs_per_s"]),
            f"{r['words_per_s']:,}",
            str(r["vs_in_process"]),
            "" if r["vs_1_worker"] is None else str(r["vs_1_worker"]),
            ", ".join(map(str, r["worker_peak_rss_mb"])),
        )
    out.print(table)
    out.print(
        f"same rows stored by every run: {result['identical']}; "
        f"peak RSS of this process: {result['main_peak_rss_mb']} MB; two CPU-bound processes ran "
        f"{' / '.join(map(str, result['cpu_speedup_2_processes']))}x as fast as one (before / after; 2 = idle cores)"
    )
