"""Vectorised core of KTAB's Spatial Model of Politics (SMP), as pure functions over numpy arrays.

Model (Wise, Lumsdaine & Efird; KTAB source ``examples/smp`` and ``KTAB/kmodel``). Positions
``x`` and saliences ``s`` are on 0-1; capabilities ``c`` are positive. Each turn:

1. Distance of actor i's ideal to actor j's position, salience-weighted:
   ``d_ij = sqrt(sum_k (s_ik (ideal_ik - x_jk))^2 / sum_k s_ik^2)``; utility for risk attitude R
   ``u(d, R) = (1 - d)(1 + d R)``.
2. Risk attitudes ("BigR"): a probabilistic Condorcet election (PCE) over all actors' positions
   with risk-neutral utilities gives each position a probability p_i; R_i is p_i rescaled so the
   most probable position gets +1 and the least probable the bottom of the range (Min 0, Mid
   -1/2, Max -1). Actor h estimates i's attitude by anchoring on its own (BigRAdjust), giving
   h's estimate of the utility matrix ``U^h``.
3. Votes: actor k with weight w votes ``w * f(u_ki - u_kj)`` between options i and j (f is the
   voting rule); coalition strengths add positive votes; victory probability from strengths
   (Linear: ``C_ij / (C_ij + C_ji)``, Square, ...); PCE turns pairwise odds into a distribution
   (Conditional: product over opponents, normalised; Markov variants iterate a chain).
4. Challenges: h's estimate that i beats j counts the principals' votes (weights
   ``c * sum(s)``) plus third parties, each of whom compares the "little" contests (i+n vs j)
   and (i vs j+n) under its commitment rule; the expected gain to k of i challenging j is
   ``(1 - S_j) 2u_ki + S_j (P 2u_ki + (1-P) 2u_kj) - (u_ki + u_kj)``. Each actor challenges the
   target with the largest positive expected gain (above 1e-5).
5. Bargains: positions interpolated per dimension with weights ``(s P)^2`` (S2P2), rounded to
   4 decimals; placed in both principals' queues next to each actor's status quo.
6. Each queue is resolved by a PCE over the states its bargains lead to (mean utility over all
   actors' positions), with capabilities as weights; the most probable (Deterministic) or a draw
   from the distribution (Stochastic, KTAB's PRNG) sets the actor's new position. Ideals follow
   positions through the accommodation matrix.
7. Stop when the last step moved less than 2% of the first (after at least 2 turns, at most 100).

Known quirks of KTAB that are reproduced on purpose (they shape the reference logs): the
receiver's bargain is interpolated with its estimate of the initiator's *gain* in place of a
probability, and the power-weighted compromise weighs the receiver's view by the initiator's
capability. All arrays here use KTAB's order of operations where it affects rounding.

References: B. Wise, "KTAB: The KAPSARC Toolkit for Behavioral Analysis" (KAPSARC discussion
paper, 2015); B. Efird, B. Wise, S. Lumsdaine, "Multidimensional Bargaining using KTAB"
(KAPSARC, 2016); KAPSARC/KTAB on GitHub (MIT licence). This is an independent
re-implementation in Python/numpy for detente, also MIT licensed.
"""

from __future__ import annotations

from dataclasses import dataclass

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

MIN_COALITION = 1e-8
MIN_CHALLENGE_COALITION = 1e-10
MIN_SIG_EDU = 1e-5
MIN_BARGAIN_WEIGHT = 1e-6
_BLOCK_ELEMENTS = 400_000  # size of the (block, n, n) temporaries; bounds memory for large n


# ---------------------------------------------------------------- utilities and votes


def weighted_distance(ideal: np.ndarray, pos: np.ndarray, sal: np.ndarray) -> np.ndarray:
    """``d[i, j]``: distance from ideal i to position j, weighted by i's saliences."""
    ds = (ideal[:, None, :] - pos[None, :, :]) * sal[:, None, :]
    return np.sqrt((ds * ds).sum(axis=-1) / (sal * sal).sum(axis=-1)[:, None])


def risk_utility(dist: np.ndarray, risk: np.ndarray | float) -> np.ndarray:
    """KTAB's ``bsUtil``: (1-d)(1+dR), with the d=1 slope past 1 (reached only by round-off)."""
    u = dist * risk
    u += 1
    u *= 1 - dist
    if np.any(dist > 1):
        u = np.where(dist <= 1, u, (1 - dist) * (1 + np.broadcast_to(risk, u.shape)))
    return u


def vote(rule: VotingRule, w: np.ndarray | float, du: np.ndarray) -> np.ndarray:
    """Influence ``w`` exerted for the first option given a utility difference ``du``."""
    if rule is VotingRule.PROP:
        return w * du
    if rule is VotingRule.PROP_CBC:
        return w * ((1 - 0.5) * du + 0.5 * (du * du * du))
    if rule is VotingRule.CUBIC:
        return w * (du * du * du)
    r_bin = np.clip(du / 1e-8, -1.0, 1.0)
    if rule is VotingRule.BINARY:
        return w * r_bin
    if rule is VotingRule.PROP_BIN:
        return w * ((1 - 0.2) * du + 0.2 * r_bin)
    if rule is VotingRule.ASYM_PROSP:
        return np.where(du < 0, w * du, np.where(du > 0, (2.0 * w * du) / 3.0, 0.0 * du))
    raise ValueError(f"unknown voting rule {rule}")


def coalition_matrix(util: np.ndarray, w: np.ndarray, rule: VotingRule) -> np.ndarray:
    """``C[i, j]``: strength of the coalition for option i against j (``Model::coalitions``).

    ``util`` is (actors, options), or (elections, actors, options) for several independent
    elections at once. Both triangles come from the votes on (i, j) with i > j, as in KTAB,
    which matters for the asymmetric voting rule.
    """
    batched = util.ndim == 3
    u3 = util if batched else util[None]
    n_el, n_act, n_opt = u3.shape
    pos = np.full((n_el, n_opt, n_opt), MIN_COALITION)
    neg = np.full((n_el, n_opt, n_opt), MIN_COALITION)
    step = max(1, _BLOCK_ELEMENTS // max(1, n_el * n_opt * n_opt))
    for k0 in range(0, n_act, step):
        u = u3[:, k0 : k0 + step]
        v = vote(rule, w[None, k0 : k0 + step, None, None], u[..., :, None] - u[..., None, :])
        pos += np.maximum(v, 0.0).sum(axis=1)
        neg -= np.minimum(v, 0.0).sum(axis=1)
    lower = np.tri(n_opt, k=-1, dtype=bool)
    c = np.where(lower, pos, np.where(lower.T, neg.swapaxes(-1, -2), 0.0))
    c[:, np.arange(n_opt), np.arange(n_opt)] = MIN_COALITION
    return c if batched else c[0]


def _odds_weights(model: VictoryModel, s1: np.ndarray, s2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """KTAB's (x1, x2) for strengths (s1, s2); the victory probability of side 1 is x1/(x1+x2)."""
    if model is VictoryModel.LINEAR:
        return s1, s2
    if model is VictoryModel.SQUARE:
        return s1 * s1, s2 * s2
    if model is VictoryModel.QUARTIC:
        return (s1 * s1) * (s1 * s1), (s2 * s2) * (s2 * s2)
    if model is VictoryModel.OCTIC:
        q1, q2 = (s1 * s1) * (s1 * s1), (s2 * s2) * (s2 * s2)
        return q1 * q1, q2 * q2
    thresh = 1.10  # Binary: a 10% advantage wins for sure, with a linear ramp inside the margin
    ramp = (s1 / (s1 + s2) * (thresh + 1.0) - 1.0) / (thresh - 1.0)
    x1 = np.where(s1 >= thresh * s2, 1.0, np.where(s2 >= thresh * s1, 1e-6, ramp))
    x2 = np.where(s1 >= thresh * s2, 1e-6, np.where(s2 >= thresh * s1, 1.0, 1 - ramp))
    return x1, x2


def victory_matrix(c: np.ndarray, model: VictoryModel) -> np.ndarray:
    """``P[i, j]``: probability option i beats j given coalition strengths (``Model::vProb``).

    As in KTAB, both entries of a pair come from (C_ij, C_ji) with i > j. Works on a stack.
    """
    lower = np.tri(c.shape[-1], k=-1, dtype=bool)
    ct = c.swapaxes(-1, -2)
    x1, x2 = _odds_weights(model, c, ct)
    p_first = x1 / (x1 + x2)
    p_second = (x2 / (x1 + x2)).swapaxes(-1, -2)
    return np.where(lower, p_first, np.where(lower.T, p_second, 0.5))


def pce_distribution(
    c: np.ndarray, victory: np.ndarray, model: PCEModel, max_iter: int = 100_000
) -> np.ndarray:
    """Probability of each option in the probabilistic Condorcet election (last axis = options).

    Stacked elections iterate together, each one frozen once it meets KTAB's tolerance, so every
    result equals that of its own run.
    """
    if model is PCEModel.CONDITIONAL:
        p = np.prod(victory, axis=-1)
        return p / p.sum(axis=-1, keepdims=True)
    n = c.shape[-1]
    # One step of KTAB's chain is linear, q = M p; the iteration p <- (p + q) / 2 stops once
    # max |q - p| reaches the tolerance (1e-8 incentive, 1e-6 uniform), as in kmodel.cpp.
    if model is PCEModel.MARKOV_INCENTIVE:
        inc = c * victory
        inc[..., np.arange(n), np.arange(n)] += 1e-10
        chlg = inc / inc.sum(axis=-2, keepdims=True)  # [i, j] = P[i challenges j | j is the favourite]
        # q_i = sum_j v_ij (p_i chlg_ji + p_j chlg_ij)
        m = victory * chlg
        m[..., np.arange(n), np.arange(n)] += (victory * chlg.swapaxes(-1, -2)).sum(axis=-1)
        tol = 1e-8
    else:
        # q_i = sum_j v_ij (p_i + p_j) / n
        m = victory.copy()
        m[..., np.arange(n), np.arange(n)] += victory.sum(axis=-1)
        m /= n
        tol = 1e-6
    p = np.full(c.shape[:-1], 1.0 / n)
    if p.ndim == 1:
        for _ in range(max_iter):
            q = m @ p
            change = np.abs(q - p).max()
            p = (p + q) / 2.0
            if change <= tol:
                return p
    else:  # every election iterates until the slowest converges; each keeps its own stopping point
        out = np.empty_like(p)
        active = np.ones(p.shape[:-1], dtype=bool)
        for _ in range(max_iter):
            q = (m @ p[..., None])[..., 0]
            change = np.abs(q - p).max(axis=-1)
            p = (p + q) / 2.0
            done = active & (change <= tol)
            if done.any():
                out[done] = p[done]
                active &= ~done
                if not active.any():
                    return out
    raise RuntimeError(f"{model.value} PCE did not converge in {max_iter} iterations")


def scalar_pce(
    w: np.ndarray, util: np.ndarray, params: KtabParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """PCE over options given utilities (actors x options, or a stack of such); (p, coalitions, victory)."""
    c = coalition_matrix(util, w, params.voting)
    v = victory_matrix(c, params.victory)
    return pce_distribution(c, v, params.pce), c, v


def big_r(p: np.ndarray, span_rule: BigRRange) -> np.ndarray:
    """Risk attitudes from position probabilities (``Model::bigRfromProb``)."""
    p_min = min(1.0, float(p.min()))
    p_max = max(0.0, float(p.max()))
    span = p_max - p_min
    if span <= 0.0:
        return np.zeros_like(p)  # all positions equally likely: nobody is singled out
    if span_rule is BigRRange.MIN:
        return (p - p_min) / span
    if span_rule is BigRRange.MID:
        return (3 * p - (p_max + 2 * p_min)) / (2 * span)
    return (2 * p - (p_max + p_min)) / span


def estimated_risk(risk: np.ndarray, adjust: BigRAdjust) -> np.ndarray:
    """``rhat[h, i]``: h's estimate of i's risk attitude."""
    rh, ri = risk[:, None], risk[None, :]
    if adjust is BigRAdjust.FULL:
        return np.broadcast_to(ri, (risk.size, risk.size)).copy()
    if adjust is BigRAdjust.TWO_THIRDS:
        return (rh + (2.0 * ri)) / 3.0
    if adjust is BigRAdjust.HALF:
        return (rh + ri) / 2
    if adjust is BigRAdjust.ONE_THIRD:
        return ((2.0 * rh) + ri) / 3.0
    return np.broadcast_to(rh, (risk.size, risk.size)).copy()


# ---------------------------------------------------------------- state assessment


@dataclass(frozen=True)
class Assessment:
    """Utilities of one state: distances, risk-neutral values, risk attitudes, estimates."""

    dist: np.ndarray  # (n, n) ideal i to position j
    raw_util: np.ndarray  # (n, n)
    risk: np.ndarray  # (n,)
    util: np.ndarray  # (n, n) objective risk-aware utility
    rhat: np.ndarray  # (n, n) h's estimate of i's risk attitude

    def estimates(self, hs: np.ndarray) -> np.ndarray:
        """``U[b, i, j]`` = estimate by actor ``hs[b]`` of i's utility for j's position."""
        return risk_utility(self.dist[None, :, :], self.rhat[hs][:, :, None])


def assess(
    pos: np.ndarray, ideal: np.ndarray, sal: np.ndarray, cap: np.ndarray, params: KtabParams
) -> Assessment:
    """``SMPState::setAllAUtil``: risk-neutral PCE over all positions, then risk-aware utilities."""
    dist = weighted_distance(ideal, pos, sal)
    raw = risk_utility(dist, 0.0)
    c = coalition_matrix(raw, cap, params.voting)
    p = pce_distribution(c, victory_matrix(c, params.victory), params.pce)
    risk = big_r(p, params.big_r_range)
    util = risk_utility(dist, risk[:, None])
    return Assessment(dist, raw, risk, util, estimated_risk(risk, params.big_r_adjust))


# ---------------------------------------------------------------- challenges


def _challenge_core(
    uni: np.ndarray,
    unj: np.ndarray,
    unn: np.ndarray,
    uii: np.ndarray,
    uij: np.ndarray,
    uji: np.ndarray,
    ujj: np.ndarray,
    uki: np.ndarray,
    ukj: np.ndarray,
    wi: np.ndarray,
    wj: np.ndarray,
    sj: np.ndarray,
    wsal: np.ndarray,
    skip_i: np.ndarray,
    skip_j: np.ndarray,
    params: KtabParams,
) -> tuple[np.ndarray, np.ndarray]:
    """Probability that i beats j and expected gain to k, from one estimator's utilities.

    ``uni``/``unj``/``unn`` are (B, J, n) (or broadcastable): every actor m's utility for i's
    position, for j's and for its own; the scalars are (B, J). ``skip_i``/``skip_j`` (B, J) are
    the third-party slots to leave out (the principals themselves).
    """
    rule = params.voting
    ci = vote(rule, wi, uii - uij)
    cj = vote(rule, wj, uji - ujj)
    chij = (MIN_CHALLENGE_COALITION + np.maximum(ci, 0.0)) + np.maximum(cj, 0.0)
    chji = (MIN_CHALLENGE_COALITION + np.maximum(-ci, 0.0)) + np.maximum(-cj, 0.0)
    if params.third_party is ThirdPartyCommit.SEMI_COMMIT:
        # Third party m estimates p_im, the chance i wins once m adds its vote on (i:j) to the
        # principals'. Backing i, m keeps its own position if i wins (u_mi + u_mi + u_mm) and
        # adopts j's if j wins (3 u_mj); backing j, it adopts i's if i wins (3 u_mi) and keeps
        # its own if j wins (2 u_mj + u_mm). It votes on the difference of the two expected
        # sums, p_im (u_mm - u_mi) + p_jm (u_mj - u_mm). Under full or no commitment the two
        # sums are identical, so third parties cast no votes (as in KTAB).
        shape = np.broadcast_shapes(uni.shape, unj.shape, unn.shape)
        cn = np.subtract(uni, unj, out=np.empty(shape))
        cn = vote(rule, wsal, cn) if rule is not VotingRule.PROP else np.multiply(cn, wsal, out=cn)
        den = np.abs(cn)
        den += (chij + chji)[..., None]
        pin = np.maximum(cn, 0.0, out=cn)
        pin += chij[..., None]
        pin /= den  # p_im: m's estimate that i wins once m has joined its preferred side
        y = np.subtract(unj, unn, out=den)  # weight of p_jm: 3u_mj - (2u_mj + u_mm)
        arg = np.subtract(unn - uni, y)  # weight of p_im minus weight of p_jm
        arg *= pin
        arg += y
        vn = vote(rule, wsal, arg) if rule is not VotingRule.PROP else np.multiply(arg, wsal, out=arg)
        np.put_along_axis(vn, skip_i[..., None], 0.0, axis=-1)
        np.put_along_axis(vn, skip_j[..., None], 0.0, axis=-1)
        chij = chij + np.maximum(vn, 0.0, out=pin).sum(axis=-1)
        chji = chji - np.minimum(vn, 0.0, out=vn).sum(axis=-1)
    phij = chij / (chij + chji)
    phji = chji / (chij + chji)
    eu_chlg = (1 - sj) * (uki + uki) + sj * (phij * (uki + uki) + phji * (ukj + ukj))
    return phij, eu_chlg - (uki + ukj)


def best_challenges(
    a: Assessment, wsal: np.ndarray, stot: np.ndarray, params: KtabParams
) -> tuple[np.ndarray, np.ndarray]:
    """Each actor's estimate of winning and of its own gain for every target: (P, G), (n, n)."""
    n = a.util.shape[0]
    prob = np.full((n, n), np.nan)
    gain = np.full((n, n), np.nan)
    block = max(1, _BLOCK_ELEMENTS // (n * n))
    d_t = a.dist.T  # d_t[j, m] = distance of m's ideal to j's position
    diag = np.diag(a.dist)
    all_j = np.arange(n)

    def one_block(h0: int) -> None:
        hs = np.arange(h0, min(n, h0 + block))
        rh = a.rhat[hs]  # (B, n): h's estimate of each actor's risk attitude
        unj = risk_utility(d_t[None, :, :], rh[:, None, :])  # (B, j, m) = U^h[m, j]
        uni = risk_utility(a.dist[:, hs].T, rh)[:, None, :]  # (B, 1, m) = U^h[m, h]
        unn = risk_utility(diag[None, :], rh)[:, None, :]  # (B, 1, m) = U^h[m, m]
        b = np.arange(hs.size)
        uii = unn[b, 0, hs][:, None]
        uij = unj[b[:, None], all_j[None, :], hs[:, None]]  # U^h[h, j]
        uji = uni[:, 0, :]
        ujj = unn[:, 0, :]
        skip_i = np.broadcast_to(hs[:, None], (hs.size, n))
        skip_j = np.broadcast_to(all_j[None, :], (hs.size, n))
        p, g = _challenge_core(
            uni, unj, unn, uii, uij, uji, ujj, uii, uij,
            wsal[hs][:, None], wsal[None, :], stot[None, :], wsal, skip_i, skip_j, params,
        )  # fmt: skip
        prob[hs] = p
        gain[hs] = g

    for h0 in range(0, n, block):
        one_block(h0)
    np.fill_diagonal(prob, np.nan)
    np.fill_diagonal(gain, np.nan)
    return prob, gain


def challenge_estimates(
    a: Assessment,
    hs: np.ndarray,
    ks: np.ndarray,
    is_: np.ndarray,
    js: np.ndarray,
    wsal: np.ndarray,
    stot: np.ndarray,
    params: KtabParams,
) -> tuple[np.ndarray, np.ndarray]:
    """``(P, G)``: estimator h's probability that i beats j and expected gain to k, per tuple."""
    rh = a.rhat[hs]  # (B, n)
    uni = risk_utility(a.dist[:, is_].T, rh)  # (B, m) = U^h[m, i]
    unj = risk_utility(a.dist[:, js].T, rh)
    unn = risk_utility(np.diag(a.dist)[None, :], rh)
    b = np.arange(hs.size)
    p, g = _challenge_core(
        uni[:, None, :], unj[:, None, :], unn[:, None, :],
        uni[b, is_][:, None], unj[b, is_][:, None], uni[b, js][:, None], unj[b, js][:, None],
        uni[b, ks][:, None], unj[b, ks][:, None],
        wsal[is_][:, None], wsal[js][:, None], stot[js][:, None], wsal, is_[:, None], js[:, None], params,
    )  # fmt: skip
    return p[:, 0], g[:, 0]


# ---------------------------------------------------------------- bargains


def round4(x: np.ndarray) -> np.ndarray:
    """KTAB rounds interpolated coordinates to 4 decimals (0.01 on the 0-100 scale)."""
    return np.floor(0.5 + x * 10000.0) / 10000.0


def interpolate(
    pos_i: np.ndarray,
    sal_i: np.ndarray,
    prb_i: np.ndarray,
    pos_j: np.ndarray,
    sal_j: np.ndarray,
    prb_j: np.ndarray,
    method: InterVecBargain,
) -> tuple[np.ndarray, np.ndarray]:
    """Bargained positions for i and j (rows are bargains; ``prb`` are column vectors)."""
    if method is InterVecBargain.S2PMAX:
        di = np.where(prb_j > prb_i, prb_j - prb_i, 0.0)
        dj = np.where(prb_i > prb_j, prb_i - prb_j, 0.0)
        si2, sj2 = sal_i * sal_i, sal_j * sal_j
        dik = (di * sj2) / ((di * sj2) + MIN_BARGAIN_WEIGHT + ((1 - di) * si2))
        djk = (dj * si2) / ((dj * si2) + MIN_BARGAIN_WEIGHT + ((1 - dj) * sj2))
        return pos_i + dik * (pos_j - pos_i), pos_j + djk * (pos_i - pos_j)
    e = 1 if method is InterVecBargain.S1P1 else 2
    wi = sal_i**e * prb_i**e
    wj = sal_j**e * prb_j**e
    den = wi + MIN_BARGAIN_WEIGHT + wj
    bi = round4(((wi + MIN_BARGAIN_WEIGHT) * pos_i + wj * pos_j) / den)
    bj = round4((wi * pos_i + (MIN_BARGAIN_WEIGHT + wj) * pos_j) / den)
    return bi, bj


def _proposals(
    a: Assessment,
    pos: np.ndarray,
    sal: np.ndarray,
    cap: np.ndarray,
    wsal: np.ndarray,
    stot: np.ndarray,
    prob: np.ndarray,
    gain: np.ndarray,
    params: KtabParams,
) -> tuple[list[ChallengeEstimate], list[Proposal]]:
    n = pos.shape[0]
    masked = np.where(np.isnan(gain), -np.inf, gain)
    best = np.argmax(masked, axis=1)  # first of equal maxima, like KTAB's ordered scan
    best_eu = masked[np.arange(n), best]
    inits = np.flatnonzero(best_eu > MIN_SIG_EDU)
    if inits.size == 0:
        return [], []
    tgts = best[inits]
    # (i, j, i, j), (j, i, i, j), (j, j, i, j): the other three logged estimates
    hs = np.concatenate([inits, tgts, tgts])
    ks = np.concatenate([tgts, inits, tgts])
    p3, g3 = challenge_estimates(a, hs, ks, np.tile(inits, 3), np.tile(tgts, 3), wsal, stot, params)
    m = inits.size
    p_ij = prob[inits, tgts]
    g_ji = g3[m : 2 * m]
    bi, bj = interpolate(
        pos[inits], sal[inits], p_ij[:, None], pos[tgts], sal[tgts], 1 - p_ij[:, None], params.interp
    )
    # KTAB interpolates the receiver's bargain with its estimate of the initiator's gain
    ri, rj = interpolate(
        pos[inits], sal[inits], g_ji[:, None], pos[tgts], sal[tgts], 1 - g_ji[:, None], params.interp
    )
    wi = (cap[inits] * stot[inits])[:, None]
    wj = (cap[inits] * stot[tgts])[:, None]  # KTAB uses the initiator's capability here too
    ci = (wi * bi + wj * ri) / (wi + wj)
    cj = (wi * bj + wj * rj) / (wi + wj)
    challenges, proposals = [], []
    for x, (i, j) in enumerate(zip(inits.tolist(), tgts.tolist(), strict=True)):
        challenges.append(
            ChallengeEstimate(
                i,
                j,
                float(p_ij[x]),
                float(best_eu[i]),
                float(g3[x]),
                float(p3[m + x]),
                float(g_ji[x]),
                float(g3[2 * m + x]),
            )
        )
        proposals.append(
            Proposal(Bargain(i, j, bi[x], bj[x]), Bargain(i, j, ri[x], rj[x]), Bargain(i, j, ci[x], cj[x]))
        )
    return challenges, proposals


def _bargain_utilities(
    a: Assessment, ideal: np.ndarray, sal: np.ndarray, bargains: list[Bargain]
) -> np.ndarray:
    """Mean utility to each actor of the state after each bargain; column 0 is the status quo."""
    n = a.util.shape[0]
    out = np.empty((n, len(bargains) + 1))
    util = a.util
    sq = np.zeros(n)
    for m in range(n):  # sequential sums, in KTAB's order
        sq = sq + util[:, m]
    out[:, 0] = sq / n
    if bargains:
        inits = np.array([b.initiator for b in bargains])
        rcvrs = np.array([b.receiver for b in bargains])
        ui = risk_utility(
            weighted_distance(ideal, np.array([b.init_position for b in bargains]), sal), a.risk[:, None]
        )
        ur = risk_utility(
            weighted_distance(ideal, np.array([b.rcvr_position for b in bargains]), sal), a.risk[:, None]
        )
        total = ui + ur
        for m in range(n):
            keep = (inits != m) & (rcvrs != m)
            total = total + np.where(keep[None, :], util[:, m : m + 1], 0.0)
        out[:, 1:] = total / n
    return out


def smp_turn(
    turn: int,
    pos: np.ndarray,
    ideal: np.ndarray,
    a: Assessment,
    sal: np.ndarray,
    cap: np.ndarray,
    params: KtabParams,
    rng: KtabPRNG,
    schedule: Schedule,
    record_estimates: bool = False,
) -> tuple[np.ndarray, TurnRecord]:
    """One turn of challenges, bargains and queue resolutions; returns the new positions."""
    n = pos.shape[0]
    stot = sal.sum(axis=1)
    wsal = stot * cap
    prob, gain = best_challenges(a, wsal, stot, params)
    challenges, proposals = _proposals(a, pos, sal, cap, wsal, stot, prob, gain, params)
    bargains: list[Bargain] = []
    for prop in proposals:
        if params.bargain_model is BargainModel.INIT_ONLY:
            bargains.append(prop.from_initiator)
        elif params.bargain_model is BargainModel.INIT_RCVR:
            bargains.extend([prop.from_initiator, prop.from_receiver])
        else:
            bargains.append(prop.compromise)
    util = _bargain_utilities(a, ideal, sal, bargains)
    involved: list[list[int]] = [[] for _ in range(n)]
    for m, b in enumerate(bargains):
        involved[b.initiator].append(m)
        if b.receiver != b.initiator:
            involved[b.receiver].append(m)
    order = checked_permutation(schedule.resolve_order(turn, n), n, "resolve_order")
    options: dict[int, list[int]] = {}
    for k in order:
        opts = [STATUS_QUO, *involved[k]]
        pairs = [(k, k) if m == STATUS_QUO else (bargains[m].initiator, bargains[m].receiver) for m in opts]
        perm = checked_permutation(schedule.queue_order(turn, k, pairs), len(opts), "queue_order")
        options[k] = [opts[x] for x in perm]
    probs: dict[int, np.ndarray] = {}
    by_size: dict[int, list[int]] = {}
    for k, opts in options.items():
        by_size.setdefault(len(opts), []).append(k)
    for ks in by_size.values():  # queues of equal length are resolved as one stack
        stack = np.stack([util[:, [m + 1 for m in options[k]]] for k in ks])  # STATUS_QUO -> column 0
        p_stack, _, _ = scalar_pce(cap, stack, params)
        probs.update(zip(ks, p_stack, strict=True))
    new_pos = pos.copy()
    queues: dict[int, QueueResolution] = {}
    for k in order:  # random draws are consumed in the resolution order
        opts, p = options[k], probs[k]
        if params.transition is StateTransition.DETERMINISTIC:
            chosen = int(np.argmax(np.abs(p)))
        else:
            chosen = rng.prob_sel(p.tolist())
        queues[k] = QueueResolution(k, tuple(opts), util[:, [m + 1 for m in opts]], p, chosen)
        m = opts[chosen]
        if m != STATUS_QUO:
            b = bargains[m]
            new_pos[k] = b.init_position if b.initiator == k else b.rcvr_position
    rec = TurnRecord(
        turn=turn,
        positions=pos,
        ideals=ideal,
        raw_util=a.raw_util,
        risk=a.risk,
        util=a.util,
        victory_prob=prob,
        expected_gain=gain,
        challenges=tuple(challenges),
        proposals=tuple(proposals),
        bargains=tuple(bargains),
        queues=tuple(queues[k] for k in range(n)),
        est_util=a.estimates(np.arange(n)) if record_estimates else None,
    )
    return new_pos, rec


# ---------------------------------------------------------------- positions' PCE and the run


def equivalence_classes(pos: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """KTAB's unique positions: first-appearance representatives and each actor's class slot."""
    reps: list[int] = []
    slot = np.empty(pos.shape[0], dtype=int)
    for i in range(pos.shape[0]):
        if reps:
            close = np.flatnonzero(np.sqrt(((pos[reps] - pos[i]) ** 2).sum(axis=1)) < tol)
            if close.size:
                slot[i] = close[0]
                continue
        reps.append(i)
        slot[i] = len(reps) - 1
    return np.array(reps), slot


def position_probabilities(
    pos: np.ndarray, util: np.ndarray, cap: np.ndarray, params: KtabParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """PCE over the distinct positions (``SMPState::pDist(-1)``).

    Returns (probability of each actor's position, representatives, probability per representative).
    """
    reps, _ = equivalence_classes(pos, params.pos_tol)
    p, _, _ = scalar_pce(cap, util[:, reps], params)
    close = np.sqrt(((pos[:, None, :] - pos[reps][None, :, :]) ** 2).sum(axis=-1)) < params.pos_tol
    last = close.shape[1] - 1 - np.argmax(close[:, ::-1], axis=1)  # KTAB keeps the last match
    return p[last], reps, p


def state_distance(p1: np.ndarray, p2: np.ndarray) -> float:
    return float(np.sqrt(((p1 - p2) ** 2).sum(axis=1)).sum())


def next_ideals(ideal: np.ndarray, new_pos: np.ndarray, acc: np.ndarray | None) -> np.ndarray:
    """Ideals move toward positions by the accommodation matrix (identity: ideal = position)."""
    if acc is None:
        return new_pos.copy()
    lag = 1.0 - np.minimum(acc.sum(axis=1), 1.0)
    return acc @ new_pos + lag[:, None] * ideal


def run_smp(
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
    win_probabilities: bool = True,
) -> SmpResult:
    """Run KTAB's SMP until its stopping rule holds.

    ``position`` and ``salience`` are (actors, dims) on the 0-1 scale; ``capability`` (actors,).
    ``accommodation`` is the ideal-adjustment matrix (None = identity, ideals track positions).
    ``seed``/``rng`` feed the stochastic transitions; ``schedule`` replays a KTAB thread order.
    ``record_estimates`` keeps every actor's estimated utility matrix per turn (n^3 floats).
    """
    p = params or KtabParams()
    pos = np.array(position, dtype=float)
    sal = np.array(salience, dtype=float)
    cap = np.array(capability, dtype=float)
    acc = None if accommodation is None else np.array(accommodation, dtype=float)
    check_inputs(pos, sal, cap, acc)
    if acc is not None and np.array_equal(acc, np.eye(acc.shape[0])):
        acc = None
    gen = rng if rng is not None else KtabPRNG(seed)
    sched = schedule if schedule is not None else SequentialSchedule()
    ideal = pos.copy()
    positions, ideals = [pos], [ideal]
    a = assess(pos, ideal, sal, cap, p)
    assessments = [a]
    turns: list[TurnRecord] = []
    dists: list[float] = []
    t = 0
    while True:
        new_pos, rec = smp_turn(t, pos, ideal, a, sal, cap, p, gen, sched, record_estimates)
        turns.append(rec)
        ideal = next_ideals(ideal, new_pos, acc)
        pos = new_pos
        positions.append(pos)
        ideals.append(ideal)
        a = assess(pos, ideal, sal, cap, p)
        assessments.append(a)
        t += 1
        dists.append(state_distance(positions[t], positions[t - 1]))
        ratio = dists[-1] / (dists[0] + p.min_sig_delta)
        if t >= p.max_iter:
            reason = f"reached max_iter={p.max_iter}"
            break
        if t >= p.min_iter and ratio < p.min_delta_ratio:
            reason = f"last step moved {ratio:.4f} of the first (< {p.min_delta_ratio})"
            break
    n = pos.shape[0]
    if win_probabilities:
        win = np.array(
            [
                position_probabilities(x, s.util, cap, p)[0]
                for x, s in zip(positions, assessments, strict=True)
            ]
        )
    else:
        win = np.full((len(positions), n), np.nan)
    _, slots = equivalence_classes(pos, p.pos_tol)
    groups = [tuple(np.flatnonzero(slots == s).tolist()) for s in range(int(slots.max()) + 1)]
    _, _, group_prob = position_probabilities(pos, assessments[-1].util, cap, p)
    return SmpResult(
        params=p,
        positions=np.array(positions),
        ideals=np.array(ideals),
        risk=np.array([s.risk for s in assessments]),
        win_prob=win,
        turns=turns,
        stop_reason=reason,
        state_dist=np.array(dists),
        unique_actors=groups,
        unique_prob=group_prob,
    )
