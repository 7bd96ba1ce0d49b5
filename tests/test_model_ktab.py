"""KTAB SMP: loaders, options, PRNG, building blocks, and numpy vs plain-Python agreement."""

from __future__ import annotations

import re

import numpy as np
import pytest

from detente.model import ktab_core as core
from detente.model import ktab_reference as ref
from detente.model.ktab import (
    KtabFormatError,
    KtabParams,
    PCEModel,
    VictoryModel,
    VotingRule,
    outcome,
    parse_ktab_csv,
    parse_ktab_xml,
    read_ktab,
    run_ktab,
)
from detente.model.ktab_io import KtabScenario
from detente.model.ktab_params import BigRAdjust, BigRRange, InterVecBargain, parse_option
from detente.model.ktab_prng import MT19937_64, KtabPRNG

CSV = """My scen ,  "A test, with a comma" , 3, 2,
Actor,Description,Power,Pos A,Sal A,Pos B,Sal B,
 Ann , first actor ,  100.0 , 10, 40.5 , 90 , 20,
Bob,second,  50 ,  55.5,30,20,60 ,
Cy,third,25,100,10,0,10

"""


def _xml(coord: str = "52.8", extra_param: str = "", seed: str = "03507583219545544127") -> str:
    return f"""\ufeff<?xml version="1.0" encoding="UTF-8"?>
<Scenario>
  <name>X</name><desc>d</desc><prngSeed>{seed}</prngSeed>
  <ModelParameters>
    <VictoryProbModel>Square</VictoryProbModel><PCEModel>MarkovIncentive</PCEModel>
    <StateTransitions>Stochastic</StateTransitions><VotingRule>PropCbc</VotingRule>
    <BigRAdjust>Half</BigRAdjust><BigRRange>Max</BigRRange><ThirdPartyCommit>NoCommit</ThirdPartyCommit>
    <InterVecBrgn>S1P1</InterVecBrgn><BargnModel>PWCompInterp</BargnModel>{extra_param}
  </ModelParameters>
  <Dimensions><dName>D1</dName><dName>D2</dName></Dimensions>
  <Actors>
    <Actor><name>Alice</name><description>a</description><capability>117.7</capability>
      <Position><dCoord>{coord}</dCoord><dCoord>39.8</dCoord></Position>
      <Salience><dSal>32.3</dSal><dSal>22.4</dSal></Salience></Actor>
    <Actor><name>Bob</name><description>b</description><capability>93.2</capability>
      <Position><dCoord>15.9</dCoord><dCoord>61.4</dCoord></Position>
      <Salience><dSal>25.2</dSal><dSal>34.5</dSal></Salience></Actor>
    <Actor><name>Carol</name><description>c</description><capability>61.4</capability>
      <Position><dCoord>61.1</dCoord><dCoord>86.5</dCoord></Position>
      <Salience><dSal>28.8</dSal><dSal>28.6</dSal></Salience></Actor>
  </Actors>
  <IdealAdjustment>
    <iaPair><adjustingIdeal>Bob</adjustingIdeal><referencePos>Bob</referencePos><adjust>0.75</adjust></iaPair>
    <iaPair><adjustingIdeal>Bob</adjustingIdeal><referencePos>Alice</referencePos><adjust>0.07</adjust></iaPair>
  </IdealAdjustment>
</Scenario>
"""


# ---------------------------------------------------------------- loaders


def test_csv_reader_accepts_padding_trailing_commas_and_quotes() -> None:
    sc = parse_ktab_csv(CSV)
    assert sc.name == "My scen" and sc.description == "A test, with a comma"
    assert sc.actor_names == ("Ann", "Bob", "Cy")
    assert sc.dim_names == ("Pos A", "Pos B")
    np.testing.assert_array_equal(sc.capability, [100.0, 50.0, 25.0])
    np.testing.assert_array_equal(sc.position, [[10, 90], [55.5, 20], [100, 0]])
    np.testing.assert_array_equal(sc.salience, [[40.5, 20], [30, 60], [10, 10]])
    assert sc.accommodation is None and sc.params is None and sc.seed is None


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("Cy,third,25,100,10,0,10", ""), "announces 3 actors"),
        (lambda t: t.replace("55.5", "abc"), "Bob) position 1"),
        (lambda t: t.replace("40.5 , 90 , 20", "40.5 , 90 , 70"), "saliences sum to 110.5"),
        (lambda t: t.replace("25,100", "0,100"), "capability must be positive"),
        (lambda t: t.replace("25,100", "25,101"), "position 1 = 101.0 is outside"),
        (lambda t: t.replace(", 3, 2,", ", 3, x,"), "number of dimensions"),
    ],
)
def test_csv_reader_errors_name_the_problem(edit, message: str) -> None:
    with pytest.raises(KtabFormatError, match=re.escape(message)):
        parse_ktab_csv(edit(CSV), source="t.csv")


def test_xml_reader_reads_parameters_seed_and_accommodation() -> None:
    sc = parse_ktab_xml(_xml())
    assert sc.seed == 3507583219545544127
    assert sc.params is not None
    assert sc.params.victory is VictoryModel.SQUARE and sc.params.pce is PCEModel.MARKOV_INCENTIVE
    assert sc.params.voting is VotingRule.PROP_CBC and sc.params.interp is InterVecBargain.S1P1
    assert sc.params.to_names()["BargnModel"] == "PWCompInterp"
    acc = sc.accommodation
    assert acc is not None
    np.testing.assert_array_equal(acc, [[1, 0, 0], [0.07, 0.75, 0], [0, 0, 1]])
    assert sc.position[0, 0] == 52.8


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (_xml(coord=""), r"actor 'Alice': <Position> <dCoord> number 1 is empty"),
        (_xml(extra_param="<Bogus>x</Bogus>"), "unknown KTAB model parameter 'Bogus'"),
        (_xml(seed=""), "<prngSeed> is empty"),
        (_xml(seed="123456789012345678901234"), "does not fit in 64 bits"),
        (_xml().replace("<referencePos>Alice", "<referencePos>Zed"), "'Zed' is not among the actors"),
        ("<Scenario><name>", "not well-formed"),
    ],
)
def test_xml_reader_errors_name_the_problem(xml: str, message: str) -> None:
    with pytest.raises(KtabFormatError, match=message):
        parse_ktab_xml(xml, source="t.xml")


def test_read_ktab_rejects_other_extensions(tmp_path) -> None:
    (tmp_path / "s.txt").write_text(CSV)
    with pytest.raises(KtabFormatError, match=r"only \.csv and \.xml"):
        read_ktab(tmp_path / "s.txt")


def test_params_from_ktab_names_and_aliases() -> None:
    p = KtabParams.from_names(
        {"VotingRule": "Proportional", "BigRAdjust": "onethird", "PCEModel": "MarkovUniform"}
    )
    assert p.voting is VotingRule.PROP and p.big_r_adjust is BigRAdjust.ONE_THIRD
    assert KtabParams.from_names(p.to_names()) == p
    with pytest.raises(ValueError, match="expected one of Min, Mid, Max"):
        parse_option(BigRRange, "Huge")


# ---------------------------------------------------------------- PRNG


def test_mt19937_64_matches_the_cpp_standard() -> None:
    # ISO C++ [rand.predef]: the 10000th output of a default-constructed mt19937_64
    eng = MT19937_64(5489)
    for _ in range(9999):
        eng.next_u64()
    assert eng.next_u64() == 9981545732273789042


def test_ktab_prng_is_seeded_and_prob_sel_follows_probabilities() -> None:
    a, b = KtabPRNG(42), KtabPRNG(42)
    draws = [a.uniform() for _ in range(1000)]
    assert draws == [b.uniform() for _ in range(1000)]
    assert min(draws) >= 0.0 and max(draws) <= 1.0 and 0.45 < float(np.mean(draws)) < 0.55
    picks = np.bincount([a.prob_sel([0.2, 0.0, 0.8]) for _ in range(4000)], minlength=3)
    assert picks[1] == 0 and abs(picks[0] / 4000 - 0.2) < 0.03
    with pytest.raises(ValueError):
        KtabPRNG(0)


# ---------------------------------------------------------------- building blocks


@pytest.mark.parametrize("rule", [r for r in VotingRule if r is not VotingRule.ASYM_PROSP])
def test_symmetric_voting_rules_are_odd(rule: VotingRule) -> None:
    du = np.linspace(-0.9, 0.9, 19)
    np.testing.assert_allclose(core.vote(rule, 3.0, du), -core.vote(rule, 3.0, -du), atol=1e-15)
    assert core.vote(rule, 3.0, np.array([0.5]))[0] > 0


def test_asymmetric_prospect_rule_discounts_gains() -> None:
    v = core.vote(VotingRule.ASYM_PROSP, 3.0, np.array([-0.3, 0.0, 0.3]))
    np.testing.assert_allclose(v, [-0.9, 0.0, 0.6])


@pytest.mark.parametrize("model", list(VictoryModel))
def test_victory_probabilities_are_complementary(model: VictoryModel) -> None:
    c = np.array([[1e-8, 2.0, 0.5], [1.0, 1e-8, 3.0], [4.0, 0.1, 1e-8]])
    p = core.victory_matrix(c, model)
    np.testing.assert_allclose(p + p.T, np.ones((3, 3)), atol=1e-12)
    if model is VictoryModel.LINEAR:
        assert p[0, 1] == pytest.approx(2.0 / 3.0)  # a 2:1 advantage gives 2/3
    if model is VictoryModel.SQUARE:
        assert p[0, 1] == pytest.approx(4.0 / 5.0)


@pytest.mark.parametrize("model", list(PCEModel))
def test_pce_is_a_distribution_favouring_the_strongest(model: PCEModel) -> None:
    u = np.array([[1.0, 0.2, 0.5], [0.9, 0.3, 0.4], [0.1, 1.0, 0.6]])
    p, _, _ = core.scalar_pce(np.array([5.0, 4.0, 1.0]), u, KtabParams(pce=model))
    assert p.sum() == pytest.approx(1.0) and np.all(p >= 0)
    assert int(np.argmax(p)) == 0
    p_ref, _, _ = ref.scalar_pce([5.0, 4.0, 1.0], u.tolist(), KtabParams(pce=model))
    np.testing.assert_allclose(p, p_ref, atol=1e-12)


@pytest.mark.parametrize(
    ("rng", "bottom"), [(BigRRange.MIN, 0.0), (BigRRange.MID, -0.5), (BigRRange.MAX, -1.0)]
)
def test_big_r_maps_most_probable_to_one(rng: BigRRange, bottom: float) -> None:
    r = core.big_r(np.array([0.1, 0.6, 0.3]), rng)
    assert r[1] == pytest.approx(1.0) and r[0] == pytest.approx(bottom)


def test_utility_is_one_at_own_position_and_zero_at_full_distance() -> None:
    pos = np.array([[0.0, 0.0], [1.0, 1.0]])
    d = core.weighted_distance(pos, pos, np.array([[0.3, 0.1], [0.2, 0.2]]))
    np.testing.assert_allclose(d, [[0, 1], [1, 0]])
    u = core.risk_utility(d, np.array([[0.5], [-0.5]]))
    np.testing.assert_allclose(u, [[1, 0], [0, 1]])


def test_interpolation_leans_toward_the_likely_winner() -> None:
    bi, bj = core.interpolate(
        np.array([[0.2]]), np.array([[0.5]]), np.array([[0.9]]), np.array([[0.8]]), np.array([[0.5]]),
        np.array([[0.1]]), InterVecBargain.S2P2,
    )  # fmt: skip
    assert 0.2 < bi[0, 0] < 0.5 and bi[0, 0] == pytest.approx(bj[0, 0], abs=1e-4)
    assert bi[0, 0] * 1e4 == pytest.approx(round(bi[0, 0] * 1e4))  # rounded to 4 decimals like KTAB


# ---------------------------------------------------------------- whole runs


def _random_scenario(seed: int, n: int = 6, d: int = 2, acc: bool = False) -> KtabScenario:
    g = np.random.default_rng(seed)
    sal = g.uniform(5, 40, (n, d))
    a = None
    if acc:
        a = np.eye(n)
        a[0, 0], a[1, 1], a[1, 0] = 0.8, 0.6, 0.2
    return KtabScenario(
        name="rand",
        description="",
        actor_names=tuple(f"A{i}" for i in range(n)),
        actor_descriptions=("",) * n,
        dim_names=tuple(f"D{k}" for k in range(d)),
        capability=g.uniform(10, 200, n),
        position=g.uniform(0, 100, (n, d)),
        salience=sal,
        accommodation=a,
    )


VARIANTS = [
    KtabParams(),
    KtabParams(voting=VotingRule.PROP_CBC, pce=PCEModel.MARKOV_INCENTIVE, transition="Stochastic"),
    KtabParams(voting=VotingRule.ASYM_PROSP, victory=VictoryModel.QUARTIC, pce=PCEModel.MARKOV_UNIFORM),
    KtabParams(voting=VotingRule.BINARY, victory=VictoryModel.BINARY, big_r_range=BigRRange.MAX),
    KtabParams(voting=VotingRule.PROP_BIN, big_r_adjust=BigRAdjust.FULL, third_party="FullCommit"),
    KtabParams(voting=VotingRule.CUBIC, interp=InterVecBargain.S2PMAX, bargain_model="InitRcvrInterp"),
    KtabParams(interp=InterVecBargain.S1P1, bargain_model="PWCompInterp", big_r_adjust=BigRAdjust.NONE),
]


@pytest.mark.parametrize("variant", range(len(VARIANTS)))
def test_numpy_engine_agrees_with_reference_for_every_option(variant: int) -> None:
    params = VARIANTS[variant].with_(max_iter=6)
    sc = _random_scenario(100 + variant, acc=variant % 2 == 1)
    fast = run_ktab(sc, params, seed=7, record_estimates=True)
    slow = run_ktab(sc, params, seed=7, engine="reference", record_estimates=True)
    assert fast.n_steps == slow.n_steps >= 2
    assert sum(len(t.bargains) for t in fast.turns) > 0 and not np.array_equal(
        fast.positions[-1], fast.positions[0]
    )
    np.testing.assert_allclose(fast.positions, slow.positions, atol=1e-9)
    np.testing.assert_allclose(fast.win_prob, slow.win_prob, atol=1e-9)
    for a, b in zip(fast.turns, slow.turns, strict=True):
        np.testing.assert_allclose(a.est_util, b.est_util, atol=1e-12)
        np.testing.assert_allclose(a.expected_gain, b.expected_gain, atol=1e-9)
        assert [(c.initiator, c.target) for c in a.challenges] == [
            (c.initiator, c.target) for c in b.challenges
        ]
        assert [q.chosen for q in a.queues] == [q.chosen for q in b.queues]


def test_outcome_summarises_the_final_distribution() -> None:
    r = run_ktab(_random_scenario(3), KtabParams())
    out = outcome(r)
    assert out.group_prob.sum() == pytest.approx(1.0)
    assert sorted(i for g in out.groups for i in g) == list(range(6))
    lo, hi = r.positions_100[-1].min(axis=0), r.positions_100[-1].max(axis=0)
    assert np.all(out.expected >= lo - 1e-9) and np.all(out.expected <= hi + 1e-9)
    assert out.most_likely_actors == out.groups[int(np.argmax(out.group_prob))]


def test_stochastic_runs_depend_on_the_seed_only() -> None:
    sc = _random_scenario(5)
    params = KtabParams(transition="Stochastic", max_iter=8)
    a, b = run_ktab(sc, params, seed=11), run_ktab(sc, params, seed=11)
    np.testing.assert_array_equal(a.positions, b.positions)
    others = [run_ktab(sc, params, seed=s).positions[-1] for s in (12, 13, 14)]
    assert any(not np.array_equal(a.positions[-1], o) for o in others)


def test_stopping_rule_and_history_shapes() -> None:
    sc = _random_scenario(8, n=5, d=3)
    r = run_ktab(sc, KtabParams(max_iter=3))
    assert r.n_steps <= 3 and r.positions.shape == (r.n_steps + 1, 5, 3)
    assert r.win_prob.shape == (r.n_steps + 1, 5) and len(r.turns) == r.n_steps
    assert np.all((r.positions >= 0) & (r.positions <= 1))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"position": np.full((3, 2), 50.0)}, "0-1 scale"),
        ({"capability": np.array([1.0, 0.0, 1.0])}, "capabilities must be positive"),
        ({"salience": np.full((3, 2), 0.6)}, "total in"),
        ({"capability": np.ones(4)}, "shapes differ"),
    ],
)
def test_core_rejects_bad_arrays(change: dict, message: str) -> None:
    args = {
        "position": np.full((3, 2), 0.5),
        "salience": np.full((3, 2), 0.3),
        "capability": np.ones(3),
    } | change
    for engine in (core.run_smp, ref.run_smp_reference):
        with pytest.raises(ValueError, match=message):
            engine(args["position"], args["salience"], args["capability"])
