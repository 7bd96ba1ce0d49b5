"""`detente bench deu3` and `detente bench eu` on a small slice of the DEU III dev data."""

from __future__ import annotations

import csv
import json
import re

import pytest
from typer.testing import CliRunner

from detente.bench.deu3 import CANDIDATES, RECOMMENDED
from detente.cli import app, model_bench  # noqa: F401  (registers the bench commands)


@pytest.fixture
def deu3_slice(shared_dir, tmp_path):
    """The first 12 issues of ../shared/data/deu3, in the same format."""
    src = shared_dir / "data" / "deu3"
    with open(src / "issues.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))[:12]
    keep = {r["issue_id"] for r in rows}
    for name, select in (("issues.csv", rows), ("positions.csv", None)):
        with open(src / name, encoding="utf-8") as f:
            reader = csv.DictReader(f)
            fields = reader.fieldnames
            data = select if select is not None else [r for r in reader if r["issue_id"] in keep]
        with open(tmp_path / name, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=fields)
            writer.writeheader()
            writer.writerows(data)
    (tmp_path / "actors.csv").write_bytes((src / "actors.csv").read_bytes())
    return tmp_path


def test_deu3_json_lists_every_model_the_recommendation_and_folds(deu3_slice):
    result = CliRunner().invoke(app, ["bench", "deu3", "--data", str(deu3_slice), "--json", "--cv", "3"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(CANDIDATES) <= set(report["models"])
    assert report["recommended"] == RECOMMENDED in report["models"]
    assert report["models"]["compromise"]["ci"] == [0.0, 0.0]
    for m in report["models"].values():
        assert 0 <= m["mae"] <= 100 and m["ci"][0] <= m["ci"][1]
    folds = report["cv"]["folds"]
    assert len(folds) == 3 and sum(f["issues"] for f in folds) == report["models"]["compromise"]["n"]
    assert all(f["chosen"] in CANDIDATES for f in folds)


def test_deu3_table_and_bad_folder(deu3_slice, tmp_path_factory):
    result = CliRunner().invoke(app, ["bench", "deu3", "--data", str(deu3_slice)])
    assert result.exit_code == 0 and "(recommended)" in result.stdout and "5-fold CV" in result.stdout
    empty = tmp_path_factory.mktemp("empty")
    bad = CliRunner().invoke(app, ["bench", "deu3", "--data", str(empty)])
    assert bad.exit_code != 0 and "DEU III" in bad.output


def test_eu_speed_benchmark_agrees_with_the_reference(deu3_slice):
    result = CliRunner().invoke(app, ["bench", "eu", "--data", str(deu3_slice), "--repeat", "1"])
    assert result.exit_code == 0, result.output
    diff = float(re.search(r"largest difference ([0-9.e+-]+)", result.stdout.replace("\n", " ")).group(1))
    assert diff < 1e-9 and "speed-up" in result.stdout
