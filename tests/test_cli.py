"""The CLI end to end: a batch with bad inputs goes on, nothing is stored twice, queries answer."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from detente.cli import app, main  # noqa: F401  (main registers the command modules)

GOOD = (
    "Talks resume in Doha\n\n"
    "Qatar's Prime Minister Mohammed bin Abdulrahman Al Thani said on Monday that Israel and Hamas "
    "had agreed to a 60-day truce. “We are close to the end of this war,” he told reporters in Doha.\n"
)


@pytest.fixture(scope="module")
def cli():
    import detente.cli.articles as articles
    import detente.cli.negotiation as negotiation

    articles.out.width = negotiation.out.width = 400  # one table row per line, whatever the terminal
    return CliRunner()


@pytest.fixture
def batch(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\xff" * 100)
    (folder / "latin1.txt").write_bytes(
        GOOD.replace("“", '"').replace("”", '"').encode("latin-1") + "Genève.".encode("latin-1")
    )
    (folder / "broken.html").write_text("<html><body><p>unclosed <b>tags <i>" + GOOD)
    (folder / "batch.jsonl").write_text(
        '{"id": "x1", "text": "' + GOOD.replace("\n", " ").replace('"', "'") + '"}\n{broken\n'
    )
    return folder


def test_ingest_goes_on_past_bad_inputs_and_adds_nothing_twice(cli, batch, tmp_path):
    db = str(tmp_path / "t.db")
    first = cli.invoke(app, ["ingest", str(batch), "--db", db])
    assert first.exit_code == 0, first.output
    assert "skipped" in first.output and "empty file" in first.output and "binary" in first.output
    second = cli.invoke(app, ["ingest", str(batch), "--db", db])
    assert second.exit_code == 0 and "0 stored" in second.output

    quotes = cli.invoke(app, ["quotes", "--speaker", "Al Thani", "--db", db])
    assert "close to the end of this war" in quotes.output
    search = cli.invoke(app, ["search", "truce", "--db", db])
    assert "Doha" in search.output or "truce" in search.output
    agreements = cli.invoke(app, ["agreements", "--db", db])
    assert "ceasefire" in agreements.output and "60" in agreements.output


def test_extract_writes_one_object_per_article(cli, batch, tmp_path):
    out = tmp_path / "out.jsonl"
    result = cli.invoke(app, ["extract", str(batch / "good.txt"), str(batch / "empty.txt"), "-o", str(out)])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["doc"] for r in rows] == ["good.txt"]
    row = rows[0]
    assert set(row) >= {"doc", "title", "text", "quotes", "people", "positions", "agreements", "events"}
    assert row["title"] == "Talks resume in Doha"
    assert any(q["speaker"] == "Mohammed bin Abdulrahman Al Thani" for q in row["quotes"])


def test_queries_on_a_missing_database_fail_clearly(cli, tmp_path):
    result = cli.invoke(app, ["quotes", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "No database" in result.output
