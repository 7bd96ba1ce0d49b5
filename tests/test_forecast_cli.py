"""'detente forecast', 'detente war' and 'detente draft-scenario' end to end."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from detente.cli import app, main  # noqa: F401  (main registers the command modules)
from detente.model.io import read_scenario


@pytest.fixture(scope="module")
def cli():
    import detente.cli.forecast as forecast

    forecast.out.width = forecast.err.width = 250  # one table row per line
    return CliRunner()


@pytest.fixture(scope="module")
def example(examples_dir):
    return str(examples_dir / "scenarios" / "russia_ukraine_2025.yaml")


@pytest.fixture(scope="module")
def war_example(examples_dir):
    return str(examples_dir / "scenarios" / "russia_ukraine_war.yaml")


def run_json(cli, *args):
    res = cli.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_table_shows_every_issue_and_model_with_intervals(cli, example):
    res = cli.invoke(app, ["forecast", example, "--runs", "100"])
    assert res.exit_code == 0, res.output
    for word in ("Territory", "NATO membership", "compromise", "weighted_median", "90% intervals from 100"):
        assert word in res.stdout
    row = next(line for line in res.stdout.splitlines() if "Territory" in line)
    assert row.count("[") >= 4  # an interval for each model
    assert "0 = Ukraine's 1991 borders" in res.stdout


def test_json_is_reproducible_with_the_seed(cli, example):
    a = run_json(cli, "forecast", example, "-m", "compromise,mean", "--runs", "150", "--seed", "3")
    b = run_json(cli, "forecast", example, "-m", "compromise", "-m", "mean", "--runs", "150", "--seed", "3")
    c = run_json(cli, "forecast", example, "-m", "compromise,mean", "--runs", "150", "--seed", "4")
    assert a == b and a != c
    assert set(a["models"]) == {"compromise", "mean"}
    for issue in a["models"]["compromise"]["issues"].values():
        assert issue["p5"] <= issue["median"] <= issue["p95"]
        assert sum(issue["histogram"]["counts"]) == 150
    sc = read_scenario(example)
    assert list(a["models"]["mean"]["issues"]) == [i.id for i in sc.issues]


def test_no_runs_gives_point_forecasts_only(cli, example):
    res = cli.invoke(app, ["forecast", example, "-m", "mean", "--runs", "0"])
    assert res.exit_code == 0 and "no intervals" in res.stdout and "[" not in res.stdout.split("\n", 3)[3]
    out = run_json(cli, "forecast", example, "-m", "mean", "--runs", "0")
    assert set(out["models"]["mean"]["issues"]["territory"]) == {"forecast"}


def test_what_if_and_sensitivity(cli, example):
    out = run_json(
        cli,
        "forecast",
        example,
        "-m",
        "compromise",
        "--runs",
        "50",
        "--what-if",
        "russia:territory:position=60",
        "--sensitivity",
        "--top",
        "5",
    )
    w = out["what_if"]["compromise"]
    assert w["changes"] == ["Russia:territory:position=60"]
    assert w["issues"]["territory"]["change"] < 0 and w["issues"]["ceasefire"]["change"] == 0
    ranked = out["sensitivity"]["compromise"]
    assert len(ranked) == 5
    assert [abs(r["swing"]) for r in ranked] == sorted((abs(r["swing"]) for r in ranked), reverse=True)
    res = cli.invoke(
        app, ["forecast", example, "-m", "mean", "--runs", "0", "--what-if", "Ukraine:capability=1"]
    )
    assert res.exit_code == 0 and "What if Ukraine:capability=1" in res.stdout


def test_chart_is_written_as_svg(cli, example, tmp_path):
    path = tmp_path / "f.svg"
    res = cli.invoke(app, ["forecast", example, "--runs", "50", "--chart", str(path)])
    assert res.exit_code == 0, res.output
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    # also without Monte Carlo runs
    res = cli.invoke(app, ["forecast", example, "--runs", "0", "--chart", str(tmp_path / "g.svg")])
    assert res.exit_code == 0 and (tmp_path / "g.svg").read_text().startswith("<svg")


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.yaml"], "no scenario file"),
        (["{EX}", "-m", "oracle"], "unknown model oracle"),
        (["{EX}", "--what-if", "Narnia:territory:position=3"], "unknown actor 'Narnia'"),
        (["{EX}", "--what-if", "Russia territory"], "cannot read the what-if"),
        (["{EX}", "--chart", "out.png"], "written as SVG"),
        (["{BAD}"], "not valid YAML"),
    ],
)
def test_errors_are_clear(cli, example, tmp_path, args, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text("issues: [unclosed\n")
    args = [a.replace("{EX}", example).replace("{BAD}", str(bad)) for a in args]
    res = cli.invoke(app, ["forecast", *args, "--runs", "10"])
    assert res.exit_code == 2
    assert message in res.output
    assert "Traceback" not in res.output


def test_war_command(cli, war_example, example, tmp_path):
    res = cli.invoke(app, ["war", war_example, "--paths", "300", "--chart", str(tmp_path / "w.svg")])
    assert res.exit_code == 0, res.output
    assert ET.parse(tmp_path / "w.svg").getroot().tag.endswith("svg")
    for word in ("periods until the range opens", "terms: midpoint", "Fearon range"):
        assert word in res.stdout
    out = run_json(cli, "war", war_example, "--paths", "300", "--seed", "1")
    assert out["paths"] == 300 and sum(out["outcomes"].values()) == 300
    assert out == run_json(cli, "war", war_example, "--paths", "300", "--seed", "1")
    lo, hi = out["fearon_range_with_true_odds"]
    assert lo <= hi
    # higher costs open the range sooner, through --set
    cheap = run_json(cli, "war", war_example, "--paths", "300", "--set", "cost_a=0.2", "--set", "cost_b=0.2")
    dear = run_json(cli, "war", war_example, "--paths", "300", "--set", "cost_a=2", "--set", "cost_b=2")
    assert dear["time_to_settlement"]["mean"] < cheap["time_to_settlement"]["mean"]
    agreed = run_json(
        cli, "war", war_example, "--paths", "50", "--set", "belief_b.mean=0.25", "--set", "belief_a.mean=0.75"
    )
    assert agreed["open_at_start"] == 1.0  # both sides hold the true odds: Fearon's range is open
    for bad in ("cost_a", "belief_a.size=3", "costa=1"):
        res = cli.invoke(app, ["war", war_example, "--set", bad])
        assert res.exit_code == 2 and "Traceback" not in res.output
    res = cli.invoke(app, ["war", example])
    assert res.exit_code == 2 and "detente forecast" in res.output
    bad = tmp_path / "w.yaml"
    bad.write_text("war: {discount: 1.5}\n")
    res = cli.invoke(app, ["war", str(bad)])
    assert res.exit_code == 2 and "discount" in res.output


def test_draft_scenario_from_extracted_positions(cli, example, tmp_path):
    rows = [
        {
            "doc": "a.txt",
            "positions": [
                {"actor": "Russia", "issue": "territory", "stance": "demand", "evidence": "four regions"},
                {"actor": "Europe", "issue": "ceasefire", "stance": "demand", "evidence": "30 days now"},
                {"actor": "Hamas", "issue": "ceasefire", "stance": "accept", "evidence": "elsewhere"},
            ],
        },
        {
            "doc": "b.txt",
            "positions": [
                {
                    "actor": "Ukraine",
                    "issue": "territory",
                    "stance": "reject",
                    "evidence": "will not cede land",
                }
            ],
        },
    ]
    src = tmp_path / "out.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n")
    dest = tmp_path / "draft.yaml"
    res = cli.invoke(
        app,
        [
            "draft-scenario",
            str(src),
            "--issues",
            example,
            "-o",
            str(dest),
            "--alias",
            "Europe=European coalition",
            "--actor",
            "Russia",
            "--actor",
            "Ukraine",
            "--actor",
            "Europe",
        ],
    )
    assert res.exit_code == 0, res.output
    sc = read_scenario(dest)
    assert set(sc.actors) == {"Russia", "Ukraine", "Europe"}
    t = [i.id for i in sc.issues].index("territory")
    assert (
        sc.position[sc.actors.index("Russia"), t] == 90 and sc.position[sc.actors.index("Ukraine"), t] == 20
    )
    assert "four regions" in sc.sources[("Russia", "territory", "position")]
    res = cli.invoke(app, ["draft-scenario", str(tmp_path / "none.jsonl"), "--issues", example])
    assert res.exit_code == 2 and "no positions file" in res.output
