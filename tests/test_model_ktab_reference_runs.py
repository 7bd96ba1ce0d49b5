"""KTAB SMP against KTAB's own reference logs (``../shared/data/ktab/reference``).

The logs print numbers rounded to 3-4 decimals (positions in the history to 0.1), so "equal"
here means within half a unit of the last printed digit.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from detente.bench.ktab import compare_run, load_reference_case, log_params
from detente.bench.ktab_log import LoggedSchedule, read_ktab_log
from detente.model.ktab import KtabFormatError, read_ktab_xml, run_ktab
from detente.model.ktab_records import STATUS_QUO

# half a unit of the last digit KTAB prints for each quantity
PRINTED = {
    "raw_util": 5e-4,  # %+.3f
    "risk": 5e-4,
    "util": 5e-5,  # %+.4f
    "est_util": 5e-5,
    "victory_prob": 5e-5,  # "Est by h of prob %.4f"
    "expected_gain": 5e-5,  # "expected gain ... %+.4f"
    "bargain_positions": 5e-4,  # %.3f on 0-100
    "queue_prob": 5e-5,
    "queue_util": 5e-6,  # %.5f
    "history_positions": 5e-2,  # %5.1f
    "final_positions": 5e-2,
    "win_prob": 5e-5,
    "challenge_target_mismatch": 0.0,
    "queue_mismatch": 0.0,
}
FLOAT_SLACK = 1e-9  # printf rounding of values that sit on a half-unit boundary


@pytest.fixture(scope="module")
def ktab_dir(shared_dir: Path) -> Path:
    d = shared_dir / "data" / "ktab"
    if not (d / "reference").is_dir():
        pytest.skip("KTAB reference data not present")
    return d


def test_log_parser_reads_a_reference_log(ktab_dir: Path) -> None:
    log = read_ktab_log(ktab_dir / "reference" / "20170530_ref-dummyData_3Dim.txt")
    assert (log.n_actors, log.n_dims, log.n_states, log.n_steps) == (7, 3, 11, 10)
    assert log.params["PCEModel"] == "Conditional" and log.params["StateTransitions"] == "Deterministic"
    assert log.history is not None and log.history.shape == (11, 7, 3)
    assert log.win_prob is not None and log.win_prob.shape == (11, 7)
    assert len(log.states) == 11 and len(log.states[0].est_util) == 7
    first = log.challenges_in(0)
    assert len(first) == 7 and all(len(c.est) == 4 and len(c.bargains) == 3 for c in first)
    assert log.history[0, 0].tolist() == [75.8, 6.4, 70.5]  # SActor-00 as read from the CSV


@pytest.mark.parametrize("name", ["dummyData_3Dim", "SOE-Pol-Comp"])
def test_deterministic_reference_run_is_reproduced(ktab_dir: Path, name: str) -> None:
    sc, log = load_reference_case(ktab_dir, name)
    result = run_ktab(sc, log_params(log), record_estimates=True)
    cmp = compare_run(result, log, name, turns=1)
    # every first-turn quantity of the log was compared, and matches to the printed digit
    n, d = sc.n_actors, sc.n_dims
    assert cmp.counts["est_util"] == n**3 and cmp.counts["util"] == n * n
    assert cmp.counts["victory_prob"] == cmp.counts["expected_gain"] == 4 * len(log.challenges_in(0))
    assert cmp.counts["bargain_positions"] == 6 * d * len(log.challenges_in(0))
    assert cmp.counts["queue_prob"] > n
    for key, diff in cmp.diffs.items():
        assert diff <= PRINTED[key] + FLOAT_SLACK, (key, diff)
    assert result.n_steps == log.n_steps
    assert cmp.diffs["final_positions"] <= 0.5
    assert log.history is not None and result.positions.shape == log.history.shape


def test_later_turns_match_too(ktab_dir: Path) -> None:
    sc, log = load_reference_case(ktab_dir, "dummyData_3Dim")
    result = run_ktab(sc, log_params(log), record_estimates=True)
    cmp = compare_run(result, log, "dummyData_3Dim", turns=result.n_steps)
    for key, diff in cmp.diffs.items():
        assert diff <= PRINTED[key] + FLOAT_SLACK, (key, diff)


def test_stochastic_reference_run_is_replayed_exactly(ktab_dir: Path) -> None:
    # KTAB's PRNG (mt19937_64 + its quadratic scramble) and the thread order printed in the log
    sc, log = load_reference_case(ktab_dir, "smpExample")
    params = log_params(log)
    assert params.transition.value == "Stochastic" and sc.seed == 3507583219545544127
    result = run_ktab(sc, params, schedule=LoggedSchedule(log), record_estimates=True)
    assert result.n_steps == log.n_steps == 14
    cmp = compare_run(result, log, "smpExample", turns=3)
    for key, diff in cmp.diffs.items():
        assert diff <= PRINTED[key] + FLOAT_SLACK, (key, diff)
    # every queue picked the bargain KTAB picked, turn after turn
    picked = 0
    for lq in log.queues:
        rec = result.turns[lq.turn]
        q = rec.queues[lq.actor]
        m = q.options[q.chosen]
        pair = (
            (lq.actor, lq.actor) if m == STATUS_QUO else (rec.bargains[m].initiator, rec.bargains[m].receiver)
        )
        assert pair == tuple(lq.options[lq.chosen_index][1:]), (lq.turn, lq.actor)
        picked += 1
    assert picked == 5 * 14


def test_shipped_smp_example_xml_has_a_blank_coordinate(ktab_dir: Path) -> None:
    # KTAB blanked Alice's first coordinate after the reference run to test its error path
    with pytest.raises(KtabFormatError, match=r"'Alice'.*dCoord> number 1 is empty"):
        read_ktab_xml(ktab_dir / "smpExample.xml")


def test_engines_agree_to_1e9_on_the_3dim_scenario(ktab_dir: Path) -> None:
    sc, log = load_reference_case(ktab_dir, "dummyData_3Dim")
    fast = run_ktab(sc, log_params(log), record_estimates=True)
    slow = run_ktab(sc, log_params(log), engine="reference", record_estimates=True)
    assert fast.n_steps == slow.n_steps
    np.testing.assert_allclose(fast.positions, slow.positions, rtol=0, atol=1e-9)
    np.testing.assert_allclose(fast.win_prob, slow.win_prob, rtol=0, atol=1e-9)
    np.testing.assert_allclose(fast.risk, slow.risk, rtol=0, atol=1e-9)
    for a, b in zip(fast.turns, slow.turns, strict=True):
        for field in ("raw_util", "util", "est_util", "victory_prob", "expected_gain"):
            np.testing.assert_allclose(getattr(a, field), getattr(b, field), rtol=0, atol=1e-9, err_msg=field)
        for ca, cb in zip(a.challenges, b.challenges, strict=True):
            assert (ca.initiator, ca.target) == (cb.initiator, cb.target)
            assert ca.prob_by_target == pytest.approx(cb.prob_by_target, abs=1e-9)
            assert ca.target_gain_by_target == pytest.approx(cb.target_gain_by_target, abs=1e-9)
        for pa, pb in zip(a.proposals, b.proposals, strict=True):
            np.testing.assert_allclose(pa.compromise.init_position, pb.compromise.init_position, atol=1e-9)
        for qa, qb in zip(a.queues, b.queues, strict=True):
            assert qa.options == qb.options and qa.chosen == qb.chosen
            np.testing.assert_allclose(qa.probabilities, qb.probabilities, rtol=0, atol=1e-9)
