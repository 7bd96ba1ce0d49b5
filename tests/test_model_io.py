"""Scenario files: the long CSV table, KTAB's CSV and XML, the DEU III folder, one entry point."""

from __future__ import annotations

import numpy as np
import pytest

from detente.model.io import read_scenario, to_dict, write_scenario
from detente.model.scenario import ScenarioError


def test_csv_table_round_trip_keeps_labels_anchors_and_sources(examples_dir, tmp_path):
    sc = read_scenario(examples_dir / "scenarios" / "russia_ukraine_2025.yaml")
    write_scenario(sc, tmp_path / "s.csv")
    again = read_scenario(tmp_path / "s.csv")
    assert to_dict(again) == to_dict(sc)
    assert any(i.anchors for i in again.issues) and again.sources


def test_csv_table_written_by_hand(tmp_path):
    (tmp_path / "t.csv").write_text(
        "actor,issue,position,salience,capability,anchors,status_quo\n"
        "A,truce,20,80,3,0=none | 100=full,\n"
        "B,truce,90,,1,,40\n"
        "B,prisoners,60,50,,,\n",
        encoding="utf-8",
    )
    sc = read_scenario(tmp_path / "t.csv")
    assert sc.actors == ("A", "B") and [i.id for i in sc.issues] == ["truce", "prisoners"]
    assert sc.issues[0].anchors == {0.0: "none", 100.0: "full"} and sc.issues[0].status_quo == 40
    assert np.isnan(sc.position[0, 1]) and np.isnan(sc.salience[1, 0]) and sc.capability.tolist() == [3, 1]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("actor,issue\nA,x\n", "columns position"),
        ("actor,issue,position\nA,x,high\n", "not a number"),
        ("actor,issue,position,anchors\nA,x,5,low\n", "point=label"),
        ("actor,issue,position\n,x,5\n", "actor and issue are required"),
    ],
)
def test_bad_csv_tables_say_what_is_wrong(tmp_path, body, message):
    (tmp_path / "bad.csv").write_text(body, encoding="utf-8")
    with pytest.raises(ScenarioError, match=message):
        read_scenario(tmp_path / "bad.csv")


def test_ktab_and_deu3_files_through_one_entry_point(shared_dir):
    ktab = read_scenario(shared_dir / "data" / "ktab" / "dummyData_3Dim.csv")
    assert ktab.n_actors == 7 and ktab.n_issues == 3 and np.all(ktab.position <= 100)
    deu = read_scenario(shared_dir / "data" / "deu3")
    assert deu.n_issues == 255 and "com" in deu.actors
    assert np.isnan(deu.position).any()  # not every actor has a position on every issue
    with pytest.raises(ScenarioError, match="empty"):  # KTAB's blanked coordinate, told clearly
        read_scenario(shared_dir / "data" / "ktab" / "smpExample.xml")
