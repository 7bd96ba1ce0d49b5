"""Plain-Python reference of KTAB's Spatial Model of Politics, one loop per formula.

This module follows the structure of KTAB's C++ code (``examples/smp/libsrc/smp.cpp`` and
``smpbcn.cpp``, ``KTAB/kmodel/libsrc/kmodel.cpp``) scalar by scalar, in the same order of
summation, so that it can serve as the test oracle for the vectorised implementation in
:mod:`detente.model.ktab_core`. It is slow (O(n^3) Python operations per turn) and meant for
small scenarios and tests. Equations are documented in :mod:`detente.model.ktab_core`.

Reference: B. Wise, "KTAB: The KAPSARC Toolkit for Behavioral Analysis", KAPSARC, and the
KTAB source (github.com/KAPSARC/KTAB, MIT licence). This is an independent re-implementation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from detente.model.ktab_io import check_inputs
from detente.model.ktab_params import (
    BargainModel,
    BigRAdjust,
    BigRRange,
    InterVecBargain,
    KtabParams,
    PCEModel,
    StateTransition,
    ThirdPartyCommit,
    VictoryModel,
    VotingRule,
)
from detente.model.ktab_prng import KTAB_DEFAULT_SEED, KtabPRNG
from detente.model.ktab_records import (
    STATUS_QUO,
    Bargain,
    ChallengeEstimate,
    Proposal,
    QueueResolution,
    Schedule,
    SequentialSchedule,
    SmpResult,
    TurnRecord,
    checked_permutation,
)

Matrix = list[list[float]]

MIN_COALITION = 1e-8  # Model::coalitions
MIN_CHALLENGE_COALITION = 1e-10  # SMPState::probEduChlg
MIN_SIG_EDU = 1e-5  # SMPState::bestChallenge
MIN_BARGAIN_WEIGHT = 1e-6  # SMPActor::interpBrgnSnPm


# ---------------------------------------------------------------- scalar building blocks


def bs_util(sd: float, r: float) -> float:
    """Utility of a (salience-weighted) distance sd for risk attitude r."""
    if sd <= 1:
        return (1 - sd) * (1 + sd * r)
    return (1 - sd) * (1 + r)


def bv_diff(ideal: Sequence[float], pos: Sequence[float], sal: Sequence[float]) -> float:
    ds_sqr = 0.0
    ss_sqr = 0.0
    for a, b, s in zip(ideal, pos, sal, strict=True):
        ds = (a - b) * s
        ds_sqr = ds_sqr + ds * ds
        ss_sqr = ss_sqr + s * s
    return math.sqrt(ds_sqr / ss_sqr)


def vote(vr: VotingRule, w: float, u1: float, u2: float) -> float:
    du = u1 - u2
    r_bin = du / 1e-8
    r_bin = min(1.0, max(-1.0, r_bin))
    if vr is VotingRule.BINARY:
        return w * r_bin
    if vr is VotingRule.PROP_BIN:
        return w * ((1 - 0.2) * du + 0.2 * r_bin)
    if vr is VotingRule.PROP:
        return w * du
    if vr is VotingRule.PROP_CBC:
        return w * ((1 - 0.5) * du + 0.5 * (du * du * du))
    if vr is VotingRule.CUBIC:
        return w * (du * du * du)
    if vr is VotingRule.ASYM_PROSP:
        if du < 0.0:
            return w * du
        if du > 0.0:
            return (2.0 * w * du) / 3.0
        return 0.0
    raise ValueError(f"unknown voting rule {vr}")


def v_prob(vpm: VictoryModel, s1: float, s2: float) -> tuple[float, float]:
    if vpm is VictoryModel.LINEAR:
        x1, x2 = s1, s2
    elif vpm is VictoryModel.SQUARE:
        x1, x2 = s1 * s1, s2 * s2
    elif vpm is VictoryModel.QUARTIC:
        x1, x2 = (s1 * s1) * (s1 * s1), (s2 * s2) * (s2 * s2)
    elif vpm is VictoryModel.OCTIC:
        q1, q2 = (s1 * s1) * (s1 * s1), (s2 * s2) * (s2 * s2)
        x1, x2 = q1 * q1, q2 * q2
    else:  # Binary, with a linear ramp inside a 10% margin
        thresh = 1.10
        if s1 >= thresh * s2:
            x1, x2 = 1.0, 1e-6
        elif s2 >= thresh * s1:
            x1, x2 = 1e-6, 1.0
        else:
            r12 = s1 / (s1 + s2)
            p12 = (r12 * (thresh + 1.0) - 1.0) / (thresh - 1.0)
            x1, x2 = p12, 1 - p12
    return x1 / (x1 + x2), x2 / (x1 + x2)


def coalitions(vfn: Callable[[int, int, int], float], n_act: int, n_opt: int) -> Matrix:
    c = [[0.0] * n_opt for _ in range(n_opt)]
    for i in range(n_opt):
        for j in range(i):
            cij = MIN_COALITION
            cji = MIN_COALITION
            for k in range(n_act):
                v = vfn(k, i, j)
                if v > 0:
                    cij = cij + v
                if v < 0:
                    cji = cji - v
            c[i][j] = cij
            c[j][i] = cji
        c[i][i] = MIN_COALITION
    return c


def victory_matrix(vpm: VictoryModel, c: Matrix) -> Matrix:
    n = len(c)
    p = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i):
            p[i][j], p[j][i] = v_prob(vpm, c[i][j], c[j][i])
        p[i][i] = 0.5
    return p


def cond_pce(pv: Matrix) -> list[float]:
    p = []
    for row in pv:
        pi = 1.0
        for x in row:
            pi = pi * x
        p.append(pi)
    total = sum(p)
    return [x / total for x in p]


def markov_incentive_pce(c: Matrix, vpm: VictoryModel, max_iter: int = 100_000) -> list[float]:
    n = len(c)
    pv = victory_matrix(vpm, c)
    inc = [[c[i][j] * pv[i][j] + (1e-10 if i == j else 0.0) for j in range(n)] for i in range(n)]
    col = [sum(inc[k][j] for k in range(n)) for j in range(n)]
    chlg = [[inc[i][j] / col[j] for j in range(n)] for i in range(n)]
    p = [1.0 / n] * n
    change = 1.0
    it = 0
    while change > 1e-8:
        ct = [[p[i] * chlg[j][i] for j in range(n)] for i in range(n)]
        change = 0.0
        q = [0.0] * n
        for i in range(n):
            qi = 0.0
            for j in range(n):
                qi = qi + pv[i][j] * (ct[i][j] + ct[j][i])
            q[i] = qi
            change = max(change, abs(qi - p[i]))
        p = [(a + b) / 2.0 for a, b in zip(p, q, strict=True)]
        it += 1
        if it > max_iter:
            raise RuntimeError("Markov-incentive PCE did not converge")
    return p


def markov_uniform_pce(pv: Matrix, max_iter: int = 100_000) -> list[float]:
    n = len(pv)
    p = [1.0 / n] * n
    change = 1.0
    it = 0
    while change > 1e-6:
        change = 0.0
        q = [0.0] * n
        for i in range(n):
            pi = 0.0
            for j in range(n):
                pi = pi + pv[i][j] * (p[i] + p[j])
            q[i] = pi / n
            change = max(change, abs(q[i] - p[i]))
        p = [(a + b) / 2.0 for a, b in zip(p, q, strict=True)]
        it += 1
        if it > max_iter:
            raise RuntimeError("Markov-uniform PCE did not converge")
    return p


def prob_ce(pcem: PCEModel, vpm: VictoryModel, c: Matrix) -> tuple[list[float], Matrix]:
    pv = victory_matrix(vpm, c)
    if pcem is PCEModel.CONDITIONAL:
        return cond_pce(pv), pv
    if pcem is PCEModel.MARKOV_INCENTIVE:
        return markov_incentive_pce(c, vpm), pv
    return markov_uniform_pce(pv), pv


def scalar_pce(w: Sequence[float], u: Matrix, params: KtabParams) -> tuple[list[float], Matrix, Matrix]:
    """PCE over options given actors' utilities u[actor][option] and strengths w."""
    n_act, n_opt = len(u), len(u[0])

    def vfn(k: int, i: int, j: int) -> float:
        return vote(params.voting, w[k], u[k][i], u[k][j])

    c = coalitions(vfn, n_act, n_opt)
    p, pv = prob_ce(params.pce, params.victory, c)
    return p, c, pv


def big_r_from_prob(p: Sequence[float], rr: BigRRange) -> list[float]:
    p_min = min(1.0, *p)
    p_max = max(0.0, *p)
    span = p_max - p_min
    if span <= 0.0:
        return [0.0] * len(p)  # all positions equally likely: nobody is singled out
    if rr is BigRRange.MIN:
        return [(x - p_min) / span for x in p]
    if rr is BigRRange.MID:
        return [(3 * x - (p_max + 2 * p_min)) / (2 * span) for x in p]
    return [(2 * x - (p_max + p_min)) / span for x in p]


def est_nra(rh: float, ri: float, ra: BigRAdjust) -> float:
    if ra is BigRAdjust.FULL:
        return ri
    if ra is BigRAdjust.TWO_THIRDS:
        return (rh + (2.0 * ri)) / 3.0
    if ra is BigRAdjust.HALF:
        return (rh + ri) / 2
    if ra is BigRAdjust.ONE_THIRD:
        return ((2.0 * rh) + ri) / 3.0
    return rh


def third_party_vote(
    wk: float,
    vr: VotingRule,
    comm: ThirdPartyCommit,
    pik: float,
    pjk: float,
    uki: float,
    ukj: float,
    ukk: float,
) -> float:
    if comm is ThirdPartyCommit.FULL_COMMIT:
        u_ik_def_j, u_j_def_ik = uki + uki + uki, ukj + ukj + ukj
        u_i_def_jk, u_jk_def_i = uki + uki + uki, ukj + ukj + ukj
    elif comm is ThirdPartyCommit.SEMI_COMMIT:
        u_ik_def_j, u_j_def_ik = uki + uki + ukk, ukj + ukj + ukj
        u_i_def_jk, u_jk_def_i = uki + uki + uki, ukj + ukj + ukk
    else:
        u_ik_def_j, u_j_def_ik = uki + uki + ukk, ukj + ukj + ukk
        u_i_def_jk, u_jk_def_i = uki + uki + ukk, ukj + ukj + ukk
    u_ik_j = (pik * u_ik_def_j) + (pjk * u_j_def_ik)
    u_i_jk = (pik * u_i_def_jk) + (pjk * u_jk_def_i)
    return vote(vr, wk, u_ik_j, u_i_jk)


def prob_edu_chlg(
    u: Matrix, k: int, i: int, j: int, wsal: Sequence[float], stot: Sequence[float], params: KtabParams
) -> tuple[float, float]:
    """Estimator's probability that i beats j and expected gain to k, given its utility matrix u."""
    vr = params.voting
    uii, uij, uji, ujj = u[i][i], u[i][j], u[j][i], u[j][j]
    eu_sq = u[k][i] + u[k][j]
    uhkij = u[k][i] + u[k][i]
    uhkji = u[k][j] + u[k][j]
    sj = stot[j]
    contrib_i = vote(vr, wsal[i], uii, uij)
    contrib_j = vote(vr, wsal[j], uji, ujj)
    chij = MIN_CHALLENGE_COALITION
    chji = MIN_CHALLENGE_COALITION
    if contrib_i > 0.0:
        chij = chij + contrib_i
    if contrib_i < 0.0:
        chji = chji - contrib_i
    if contrib_j > 0.0:
        chij = chij + contrib_j
    if contrib_j < 0.0:
        chji = chji - contrib_j
    c_i, c_j = chij, chji
    for n in range(len(u)):
        if n in (i, j):
            continue
        uni, unj, unn = u[n][i], u[n][j], u[n][n]
        cn = vote(vr, wsal[n], uni, unj)
        cni = c_i + cn if cn > 0 else c_i
        cnj = c_j - cn if cn < 0 else c_j
        pin = cni / (cni + cnj)
        vn = third_party_vote(wsal[n], vr, params.third_party, pin, 1.0 - pin, uni, unj, unn)
        if vn > 0:
            chij = chij + vn
        if vn < 0:
            chji = chji - vn
    phij = chij / (chij + chji)
    phji = chji / (chij + chji)
    eu_cntst = phij * uhkij + phji * uhkji
    eu_chlg = (1 - sj) * uhkij + sj * eu_cntst
    return phij, eu_chlg - eu_sq


def round4(x: float) -> float:
    return float(int(0.5 + x * 10000.0)) / 10000.0


def interpolate(
    pos_i: Sequence[float],
    sal_i: Sequence[float],
    prb_i: float,
    pos_j: Sequence[float],
    sal_j: Sequence[float],
    prb_j: float,
    ivb: InterVecBargain,
) -> tuple[list[float], list[float]]:
    bi, bj = [], []
    for tik, sik, tjk, sjk in zip(pos_i, sal_i, pos_j, sal_j, strict=True):
        if ivb is InterVecBargain.S2PMAX:
            di = prb_j - prb_i if prb_j > prb_i else 0.0
            dj = prb_i - prb_j if prb_i > prb_j else 0.0
            sik2, sjk2 = sik * sik, sjk * sjk
            dik = (di * sjk2) / ((di * sjk2) + MIN_BARGAIN_WEIGHT + ((1 - di) * sik2))
            djk = (dj * sik2) / ((dj * sik2) + MIN_BARGAIN_WEIGHT + ((1 - dj) * sjk2))
            bi.append(tik + dik * (tjk - tik))
            bj.append(tjk + djk * (tik - tjk))
            continue
        n = 1 if ivb is InterVecBargain.S1P1 else 2
        wik = sik**n * prb_i**n
        wjk = sjk**n * prb_j**n
        den = wik + MIN_BARGAIN_WEIGHT + wjk
        bi.append(round4(((wik + MIN_BARGAIN_WEIGHT) * tik + wjk * tjk) / den))
        bj.append(round4((wik * tik + (MIN_BARGAIN_WEIGHT + wjk) * tjk) / den))
    return bi, bj


def state_dist(p1: Sequence[Sequence[float]], p2: Sequence[Sequence[float]]) -> float:
    total = 0.0
    for a, b in zip(p1, p2, strict=True):
        total = total + math.sqrt(sum((x - y) * (x - y) for x, y in zip(a, b, strict=True)))
    return total


def unique_positions(pos: Sequence[Sequence[float]], tol: float) -> tuple[list[int], list[int]]:
    """KTAB's ueIndices: first-appearance representatives and, per actor, its representative's slot."""

    def eqv(a: int, b: int) -> bool:
        return math.sqrt(sum((x - y) * (x - y) for x, y in zip(pos[a], pos[b], strict=True))) < tol

    uns: list[int] = []
    ens: list[int] = []
    for i in range(len(pos)):
        for slot, k in enumerate(uns):
            if eqv(i, k):
                ens.append(slot)
                break
        else:
            uns.append(i)
            ens.append(len(uns) - 1)
    return uns, ens


# ---------------------------------------------------------------- one state


class _State:
    def __init__(self, pos: Matrix, ideal: Matrix, sal: Matrix, cap: list[float], params: KtabParams) -> None:
        n = len(pos)
        self.pos, self.ideal = pos, ideal
        p = params
        self.diff = [[bv_diff(ideal[i], pos[j], sal[i]) for j in range(n)] for i in range(n)]
        self.raw = [[bs_util(self.diff[i][j], 0.0) for j in range(n)] for i in range(n)]
        raw = self.raw

        def vfn(k: int, i: int, j: int) -> float:
            return vote(p.voting, cap[k], raw[k][i], raw[k][j])

        c = coalitions(vfn, n, n)
        prob, _ = prob_ce(p.pce, p.victory, c)
        self.risk = big_r_from_prob(prob, p.big_r_range)
        self.util = [[bs_util(self.diff[i][j], self.risk[i]) for j in range(n)] for i in range(n)]
        self.rhat = [
            [est_nra(self.risk[h], self.risk[i], p.big_r_adjust) for i in range(n)] for h in range(n)
        ]
        self._est: dict[int, Matrix] = {}

    def est(self, h: int) -> Matrix:
        if h not in self._est:
            n = len(self.pos)
            self._est[h] = [[bs_util(self.diff[i][j], self.rhat[h][i]) for j in range(n)] for i in range(n)]
        return self._est[h]

    def pos_util(self, a: int, p: Sequence[float], sal: Matrix) -> float:
        return bs_util(bv_diff(self.ideal[a], p, sal[a]), self.risk[a])


def _win_prob(st: _State, cap: list[float], params: KtabParams) -> tuple[list[float], list[int]]:
    n = len(st.pos)
    uns, _ = unique_positions(st.pos, params.pos_tol)
    u = [[st.util[i][uns[m]] for m in range(len(uns))] for i in range(n)]
    p, _, _ = scalar_pce(cap, u, params)

    def pr(i: int) -> float:
        slot = -1
        for s, k in enumerate(uns):
            if (
                math.sqrt(sum((x - y) ** 2 for x, y in zip(st.pos[i], st.pos[k], strict=True)))
                < params.pos_tol
            ):
                slot = s
        return p[slot]

    return [pr(i) for i in range(n)], uns


# ---------------------------------------------------------------- the run


def run_smp_reference(
    position: np.ndarray,
    salience: np.ndarray,
    capability: np.ndarray,
    params: KtabParams | None = None,
    accommodation: np.ndarray | None = None,
    *,
    seed: int = KTAB_DEFAULT_SEED,
    rng: KtabPRNG | None = None,
    schedule: Schedule | None = None,
    record_estimates: bool = False,
) -> SmpResult:
    """Run KTAB's SMP with plain loops. Positions and saliences on the 0-1 scale."""
    p = params or KtabParams()
    check_inputs(
        np.asarray(position, dtype=float),
        np.asarray(salience, dtype=float),
        np.asarray(capability, dtype=float),
        None if accommodation is None else np.asarray(accommodation, dtype=float),
    )
    pos = [list(map(float, row)) for row in np.asarray(position, dtype=float)]
    sal = [list(map(float, row)) for row in np.asarray(salience, dtype=float)]
    cap = [float(x) for x in np.asarray(capability, dtype=float)]
    n, d = len(pos), len(pos[0])
    acc = None if accommodation is None else [list(map(float, r)) for r in np.asarray(accommodation)]
    ident = acc is None or all(acc[i][j] == (1.0 if i == j else 0.0) for i in range(n) for j in range(n))
    stot = [sum(s) for s in sal]
    wsal = [stot[i] * cap[i] for i in range(n)]
    gen = rng if rng is not None else KtabPRNG(seed)
    sched = schedule if schedule is not None else SequentialSchedule()

    ideal = [row[:] for row in pos]
    history_pos, history_ideal = [pos], [ideal]
    st = _State(pos, ideal, sal, cap, p)
    states = [st]
    turns: list[TurnRecord] = []
    dists: list[float] = []
    stop_reason = ""
    t = 0
    while True:
        rec, new_pos = _turn(t, st, sal, cap, stot, wsal, p, gen, sched, record_estimates)
        turns.append(rec)
        if ident:
            new_ideal = [row[:] for row in new_pos]
        else:
            assert acc is not None
            new_ideal = []
            for i in range(n):
                si = 0.0
                v = [0.0] * d
                for j in range(n):
                    si = si + acc[i][j]
                    v = [v[k] + acc[i][j] * new_pos[j][k] for k in range(d)]
                lag = 1.0 - min(si, 1.0)
                new_ideal.append([v[k] + lag * ideal[i][k] for k in range(d)])
        pos, ideal = new_pos, new_ideal
        history_pos.append(pos)
        history_ideal.append(ideal)
        st = _State(pos, ideal, sal, cap, p)
        states.append(st)
        t += 1
        dists.append(state_dist(history_pos[t], history_pos[t - 1]))
        d01 = state_dist(history_pos[0], history_pos[1]) + p.min_sig_delta
        if t >= p.max_iter:
            stop_reason = f"reached max_iter={p.max_iter}"
            break
        if t >= p.min_iter and dists[-1] / d01 < p.min_delta_ratio:
            stop_reason = f"last step moved {dists[-1] / d01:.4f} of the first (< {p.min_delta_ratio})"
            break
    win = [_win_prob(s, cap, p) for s in states]
    return SmpResult(
        params=p,
        positions=np.array(history_pos),
        ideals=np.array(history_ideal),
        risk=np.array([s.risk for s in states]),
        win_prob=np.array([w for w, _ in win]),
        turns=turns,
        stop_reason=stop_reason,
        state_dist=np.array(dists),
        unique_actors=_groups(states[-1].pos, p.pos_tol),
        unique_prob=np.array(_unique_prob(states[-1], cap, p)),
    )


def _unique_prob(st: _State, cap: list[float], params: KtabParams) -> list[float]:
    uns, _ = unique_positions(st.pos, params.pos_tol)
    u = [[st.util[i][k] for k in uns] for i in range(len(st.pos))]
    return scalar_pce(cap, u, params)[0]


def _groups(pos: Matrix, tol: float) -> list[tuple[int, ...]]:
    uns, ens = unique_positions(pos, tol)
    return [tuple(i for i, e in enumerate(ens) if e == slot) for slot in range(len(uns))]


def _turn(
    t: int,
    st: _State,
    sal: Matrix,
    cap: list[float],
    stot: list[float],
    wsal: list[float],
    p: KtabParams,
    gen: KtabPRNG,
    sched: Schedule,
    record_estimates: bool,
) -> tuple[TurnRecord, Matrix]:
    n = len(st.pos)
    vprob = [[math.nan] * n for _ in range(n)]
    gain = [[math.nan] * n for _ in range(n)]
    challenges: list[ChallengeEstimate] = []
    proposals: list[Proposal] = []
    bargains: list[Bargain] = []
    for i in range(n):
        ui = st.est(i)
        best_j, best_p, best_eu = -1, 0.0, -1.0
        for j in range(n):
            if j == i:
                continue
            pij, edu = prob_edu_chlg(ui, i, i, j, wsal, stot, p)
            vprob[i][j], gain[i][j] = pij, edu
            if edu > MIN_SIG_EDU and edu > best_eu:
                best_j, best_p, best_eu = j, pij, edu
        if best_j < 0:
            continue
        j = best_j
        uj = st.est(j)
        _, g_ij = prob_edu_chlg(ui, j, i, j, wsal, stot, p)
        p_j, g_ji = prob_edu_chlg(uj, i, i, j, wsal, stot, p)
        _, g_jj = prob_edu_chlg(uj, j, i, j, wsal, stot, p)
        challenges.append(ChallengeEstimate(i, j, best_p, best_eu, g_ij, p_j, g_ji, g_jj))
        bi, bj = interpolate(st.pos[i], sal[i], best_p, st.pos[j], sal[j], 1 - best_p, p.interp)
        # KTAB (smpbcn.cpp) feeds the receiver's estimate of the initiator's *gain* where a
        # probability is expected; kept as is so the logged bargains are reproduced
        ri, rj = interpolate(st.pos[i], sal[i], g_ji, st.pos[j], sal[j], 1 - g_ji, p.interp)
        wi = cap[i] * stot[i]
        wj = cap[i] * stot[j]  # KTAB weighs the receiver's view by the initiator's capability
        ci = [(wi * a + wj * b) / (wi + wj) for a, b in zip(bi, ri, strict=True)]
        cj = [(wi * a + wj * b) / (wi + wj) for a, b in zip(bj, rj, strict=True)]
        prop = Proposal(
            Bargain(i, j, np.array(bi), np.array(bj)),
            Bargain(i, j, np.array(ri), np.array(rj)),
            Bargain(i, j, np.array(ci), np.array(cj)),
        )
        proposals.append(prop)
        if p.bargain_model is BargainModel.INIT_ONLY:
            bargains.append(prop.from_initiator)
        elif p.bargain_model is BargainModel.INIT_RCVR:
            bargains.extend([prop.from_initiator, prop.from_receiver])
        else:
            bargains.append(prop.compromise)

    # utility to each actor of the state after each bargain (status quo = unchanged state)
    def avg_util(a: int, b: Bargain | None) -> float:
        if b is None:
            total = 0.0
            for m in range(n):
                total = total + st.util[a][m]
        else:
            total = st.pos_util(a, b.init_position.tolist(), sal) + st.pos_util(
                a, b.rcvr_position.tolist(), sal
            )
            for m in range(n):
                if m not in (b.initiator, b.receiver):
                    total = total + st.util[a][m]
        return total / n

    queues: dict[int, QueueResolution] = {}
    new_pos: dict[int, list[float]] = {}
    for k in checked_permutation(sched.resolve_order(t, n), n, "resolve_order"):
        opts = [STATUS_QUO] + [m for m, b in enumerate(bargains) if k in (b.initiator, b.receiver)]
        pairs = [(k, k) if m == STATUS_QUO else (bargains[m].initiator, bargains[m].receiver) for m in opts]
        opts = [
            opts[x] for x in checked_permutation(sched.queue_order(t, k, pairs), len(opts), "queue_order")
        ]
        u = [[avg_util(a, None if m == STATUS_QUO else bargains[m]) for m in opts] for a in range(n)]
        prob, _, _ = scalar_pce(cap, u, p)
        if p.transition is StateTransition.DETERMINISTIC:
            best, chosen = -1.0, 0
            for m, x in enumerate(prob):
                if best < abs(x):
                    best, chosen = abs(x), m
        else:
            chosen = gen.prob_sel(prob)
        queues[k] = QueueResolution(k, tuple(opts), np.array(u), np.array(prob), chosen)
        m = opts[chosen]
        if m == STATUS_QUO:
            new_pos[k] = st.pos[k][:]
        else:
            b = bargains[m]
            src = b.init_position if b.initiator == k else b.rcvr_position
            new_pos[k] = [float(x) for x in src]

    rec = TurnRecord(
        turn=t,
        positions=np.array(st.pos),
        ideals=np.array(st.ideal),
        raw_util=np.array(st.raw),
        risk=np.array(st.risk),
        util=np.array(st.util),
        victory_prob=np.array(vprob),
        expected_gain=np.array(gain),
        challenges=tuple(challenges),
        proposals=tuple(proposals),
        bargains=tuple(bargains),
        queues=tuple(queues[k] for k in range(n)),
        est_util=np.array([st.est(h) for h in range(n)]) if record_estimates else None,
    )
    return rec, [new_pos[k] for k in range(n)]
