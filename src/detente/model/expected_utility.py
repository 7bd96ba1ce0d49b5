"""Bueno de Mesquita's expected-utility model, as reconstructed by Scholz, Calbert and Smith.

Source of the equations: J. B. Scholz, G. J. Calbert, G. A. Smith (2011), "Unravelling Bueno
De Mesquita's group decision model", *Journal of Theoretical Politics* 23(4): 510-531, which
reconstructs B. Bueno de Mesquita's model (*Predicting Politics*, 2002; "A new model for
predicting policy choices", *Conflict Management and Peace Science* 28(1), 2011). One issue at a
time; per round, with positions x, capabilities c, saliences s (0-1) and d_ij = |x_i - x_j| / range:

- the median voter position mu: the position a weighted majority (weights c*s) would not leave
  (in one dimension the Condorcet winner of the pairwise votes is the weighted median);
- utilities, from i's view of a contest with j, with risk exponent r_i:
  U^s = 2 - 4(0.5 - 0.5 d_ij)^r_i (i wins),  U^f = 2 - 4(0.5 + 0.5 d_ij)^r_i (i loses),
  U^b / U^w = 2 - 4(0.5 -/+ 0.25 (d_i,mu + d_ij))^r_i (things get better / worse without a
  contest), U^sq = 2 - 4 (0.5)^r_i (status quo);
- the probability that i beats j, from everyone's votes v_k = c_k s_k (|x_k - x_j| - |x_k - x_i|):
  P_ij = sum_k max(v_k, 0) / sum_k |v_k|;
- i's expected utility of challenging j:
  E_ij = s_j (P_ij U^s + (1 - P_ij) U^f) + (1 - s_j) U^s - (Q U^sq + (1 - Q)(T U^b + (1 - T) U^w));
- risk: with security S_k = sum_j E_jk, R_i = (2 S_i - max S - min S) / (max S - min S) and
  r_i = (1 - R_i / 3) / (1 + R_i / 3); the utilities are computed with r = 1, then again with r;
- offers: i challenges j when E_ij > 0. If E_ji > 0 too, the contest is a conflict that the
  side with the larger expected utility wins: j moves to x_i when E_ij > E_ji. If E_ji <= 0, j
  capitulates (moves to x_i) when |E_ji| >= E_ij, else compromises, moving the share
  |E_ji| / E_ij of the way to x_i;
- each actor takes the offer that moves it least, all at once, and the next round starts.

The forecast is the median voter position (or, as an option, the weighted mean) after
``rounds`` rounds, or earlier when nobody moves. Choices the paper leaves open are fixed here
and in the reference implementation alike: ties in the smallest move go to the lowest-numbered
sender, values within ``TIE`` count as equal, an issue whose positions coincide does not move, and Q = T = 1 by default (actors expect
no change without a contest, as in Scholz et al.'s base case).

:func:`run_batch` computes many issues at once on padded (issues, actors) arrays;
:mod:`detente.model.expected_utility_reference` is the same model in plain Python, the oracle
for tests and the baseline of the speed benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from detente.model.base import BargainingModel, Forecast
from detente.model.scenario import Scenario

# Comparisons of expected utilities and positions treat values this close as equal, so that the
# vectorised and the plain-Python implementation, whose sums round differently (~1e-13), take
# the same branch on (mathematical) ties.
TIE = 1e-9


@dataclass(frozen=True, slots=True)
class EUParams:
    rounds: int = 10
    q: float = 1.0  # probability that, without a contest, j does not move (Q)
    t: float = 1.0  # probability that j's move, if any, is for the better (T)
    outcome: Literal["median", "mean"] = "median"


def weighted_median_rows(x: np.ndarray, w: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Per row: the smallest position whose cumulative weight reaches half of the row's total."""
    key = np.where(valid, x, np.inf)
    order = np.argsort(key, axis=1, kind="stable")
    xs = np.take_along_axis(key, order, axis=1)
    ws = np.take_along_axis(np.where(valid, w, 0.0), order, axis=1)
    cum = np.cumsum(ws, axis=1)
    k = np.argmax(cum >= cum[:, -1:] / 2.0, axis=1)
    return xs[np.arange(len(x)), k]


def _risk_utility(base: np.ndarray, r: np.ndarray | None) -> np.ndarray:
    """2 - 4 base^r, with r per actor (rows of the last-but-one axis); r None means r = 1."""
    base = np.maximum(base, 0.0)
    return 2.0 - 4.0 * (base if r is None else base ** r[:, :, None])


def expected_utilities(
    d: np.ndarray,
    x: np.ndarray,
    s: np.ndarray,
    prob: np.ndarray,
    mu: np.ndarray,
    span: np.ndarray,
    r: np.ndarray | None,
    pair: np.ndarray,
    p: EUParams,
) -> np.ndarray:
    """E[b, i, j]: i's expected utility of challenging j (0 where the pair is not a contest);
    ``d`` holds the distances |x_i - x_j| / span."""
    # With U^s = 2 - 4 a^r and U^f = 2 - 4 b^r (a, b = 0.5 -/+ 0.5 d), the first two terms of
    # E_ij are U^s - s_j (1 - P_ij)(U^s - U^f): the same sum with fewer array passes.
    a = np.maximum(0.5 - 0.5 * d, 0.0)
    b = 0.5 + 0.5 * d
    if r is None:
        usq = np.zeros_like(x)
    else:
        r3 = r[:, :, None]
        a, b = a**r3, b**r3
        usq = 2.0 - 4.0 * 0.5**r
    e = (2.0 - 4.0 * a) - 4.0 * s[:, None, :] * (1.0 - prob) * (b - a) - p.q * usq[:, :, None]
    if p.q < 1.0:  # the better/worse terms only count when a move without a contest is possible
        dm = (np.abs(x - mu[:, None]) / span[:, None])[:, :, None]
        ub = _risk_utility(0.5 - 0.25 * (dm + d), r)
        uw = _risk_utility(0.5 + 0.25 * (dm + d), r)
        e = e - (1.0 - p.q) * (p.t * ub + (1.0 - p.t) * uw)
    return np.where(pair, e, 0.0)


def security(
    d: np.ndarray,
    x: np.ndarray,
    s: np.ndarray,
    prob: np.ndarray,
    mu: np.ndarray,
    span: np.ndarray,
    contest: np.ndarray,
    p: EUParams,
) -> np.ndarray:
    """S[b, k] = sum_j E_jk with every risk exponent 1 (Scholz et al. 2011, section 5).

    With r = 1, U^s = 2d, U^f = -2d and U^sq = 0, so for Q = 1 the sum needs no (actors x
    actors) utility array: S_k = 2 sum_j d_jk - 4 s_k sum_j d_jk (1 - P_jk), over contests.
    """
    if p.q < 1.0:
        return expected_utilities(d, x, s, prob, mu, span, None, contest, p).sum(axis=1)
    dc = np.where(contest, d, 0.0)
    return 2.0 * dc.sum(axis=1) - 4.0 * s * (dc * (1.0 - prob)).sum(axis=1)


def risk_exponents(sec: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """r_i from each actor's security S_i = sum_j E_ji (Scholz et al. 2011, section 5)."""
    hi = np.max(np.where(valid, sec, -np.inf), axis=1, keepdims=True)
    lo = np.min(np.where(valid, sec, np.inf), axis=1, keepdims=True)
    spread = hi - lo
    with np.errstate(invalid="ignore", divide="ignore"):
        big_r = np.where(spread > 0, (2.0 * sec - hi - lo) / spread, 0.0)
    return np.where(valid, (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0), 1.0)


def win_probabilities(x: np.ndarray, w: np.ndarray, pair: np.ndarray) -> np.ndarray:
    """P[b, i, j] that i beats j, from everyone's capability-and-salience-weighted votes.

    In one dimension the votes need no (actors x actors x actors) array: voter k favours i over j
    when it is on i's side of the midpoint m, with the margin |x_k - x_j| - |x_k - x_i|, which is
    |x_j - x_i| beyond x_i and x_i + x_j - 2 x_k (mirrored above) between x_i and m. So
    the votes for each side of every pair come from prefix sums of w and w x over sorted
    positions, each unordered pair computed once.
    """
    b, n = x.shape
    order = np.argsort(x, axis=1, kind="stable")
    xs = np.take_along_axis(x, order, axis=1)
    ws = np.take_along_axis(w, order, axis=1)
    zero = np.zeros((b, 1))
    cw = np.concatenate((zero, np.cumsum(ws, axis=1)), axis=1)
    cwx = np.concatenate((zero, np.cumsum(ws * xs, axis=1)), axis=1)
    # One searchsorted for all rows: each row's positions, scaled into [0, 1], are shifted by
    # 4 x the row number, so the rows lie one after the other in a single sorted array.
    lo = xs[:, :1]
    span = np.where(xs[:, -1:] > lo, xs[:, -1:] - lo, 1.0)
    shift = 4.0 * np.arange(b)[:, None]
    keys = ((xs - lo) / span + shift).ravel()
    first = (n * np.arange(b))[:, None]

    def below(t: np.ndarray) -> np.ndarray:
        """Per row, how many positions are < t."""
        q = ((t.reshape(b, -1) - lo) / span + shift).ravel()
        return (np.searchsorted(keys, q).reshape(b, -1) - first).reshape(t.shape)

    flat_cw, flat_cwx = cw.ravel(), cwx.ravel()
    base = ((n + 1) * np.arange(b))[:, None]

    def cum(table: np.ndarray, idx: np.ndarray) -> np.ndarray:
        return table[base + idx]

    # Each unordered pair once (upper triangle): "low" is the one further left on the scale.
    iu, ju = np.triu_indices(n, 1)
    xa, xb = x[:, iu], x[:, ju]
    low, high = np.minimum(xa, xb), np.maximum(xa, xb)
    gap, both = high - low, low + high
    lt = below(x)  # voters strictly left of each actor
    lt_low = np.where(xa <= xb, lt[:, iu], lt[:, ju])
    lt_high = np.where(xa <= xb, lt[:, ju], lt[:, iu])
    # A voter exactly at an actor's position counts the same as "beyond" or "between" (margin
    # |gap| either way), and one exactly at the midpoint has margin 0: strict counts suffice.
    lt_m = below(both / 2.0)
    w_low, w_high, w_m = cum(flat_cw, lt_low), cum(flat_cw, lt_high), cum(flat_cw, lt_m)
    wx_low, wx_high, wx_m = cum(flat_cwx, lt_low), cum(flat_cwx, lt_high), cum(flat_cwx, lt_m)
    total = cw[:, -1:]
    for_low = np.maximum(gap * w_low + both * (w_m - w_low) - 2.0 * (wx_m - wx_low), 0.0)
    for_high = np.maximum(gap * (total - w_high) + 2.0 * (wx_high - wx_m) - both * (w_high - w_m), 0.0)
    bottom = for_low + for_high
    with np.errstate(invalid="ignore", divide="ignore"):
        p_low = np.where(bottom > 0, for_low / bottom, 0.0)
        p_high = np.where(bottom > 0, for_high / bottom, 0.0)
    a_low = xa <= xb
    prob = np.zeros((b, n, n))
    prob[:, iu, ju] = np.where(a_low, p_low, p_high)  # P(a beats b)
    prob[:, ju, iu] = np.where(a_low, p_high, p_low)
    return np.where(pair, prob, 0.0)


def new_positions(
    x: np.ndarray, e: np.ndarray, pair: np.ndarray, gap: np.ndarray | None = None
) -> np.ndarray:
    """Each actor's position after taking the offer that moves it least (or none); ``gap`` is
    |x_i - x_j| when the caller has it."""
    if gap is None:
        gap = np.abs(x[:, :, None] - x[:, None, :])
    e_ij = e  # i -> j
    e_ji = np.swapaxes(e, 1, 2)
    challenge = pair & (e_ij > TIE)
    full = challenge & (  # conflict lost, or capitulation: j moves all the way to x_i
        ((e_ji > TIE) & (e_ij > e_ji + TIE)) | ((e_ji <= TIE) & (np.abs(e_ji) >= e_ij - TIE))
    )
    compromise = challenge & (e_ji <= TIE) & ~full
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(full, 1.0, np.where(compromise, np.abs(e_ji) / np.where(compromise, e_ij, 1.0), 0.0))
    move = np.where(full | compromise, gap * share, np.inf)
    least = move <= move.min(axis=1, keepdims=True) + TIE
    best = np.argmax(least, axis=1)  # the sender i whose offer moves j least (lowest i on ties)
    rows = np.arange(x.shape[0])[:, None]
    cols = np.arange(x.shape[1])[None, :]
    sender = x[rows, best]
    taken = share[rows, best, cols]
    moved = np.where(full[rows, best, cols], sender, x + (sender - x) * taken)
    return np.where(np.isfinite(move[rows, best, cols]), moved, x)


BUCKET = 4  # issues are batched with others of about as many actors (widths rounded up to this)


def run_batch(
    position: np.ndarray,
    capability: np.ndarray,
    salience: np.ndarray,
    valid: np.ndarray,
    params: EUParams | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Run the model on B issues at once.

    All arrays are (B, n): positions on any scale, capabilities >= 0, saliences in [0, 1], and
    ``valid`` marking real actors (rows are padded to the same n). Returns the forecast (B,)
    and the final positions (B, n).

    The work per round grows with the square of the padded width, so issues are grouped by
    their number of actors, each group packed to its own width (actors keep their order, which
    decides ties), and run as one batch.
    """
    b, n = position.shape
    forecast = np.full(b, np.nan)
    final = np.full((b, n), np.nan)
    counts = valid.sum(axis=1)
    widths = np.maximum(BUCKET, -(-counts // BUCKET) * BUCKET)
    for width in np.unique(widths):
        rows = np.flatnonzero(widths == width)
        w = int(min(width, n))
        # pack each row's actors to the left, in their order
        order = np.argsort(~valid[rows], axis=1, kind="stable")[:, :w]
        packed = [np.take_along_axis(a[rows], order, axis=1) for a in (position, capability, salience, valid)]
        f, x = _run_packed(*packed, params)
        forecast[rows] = f
        out = np.full((len(rows), n), np.nan)
        np.put_along_axis(out, order, x, axis=1)
        final[rows] = np.where(valid[rows], out, np.nan)
    return forecast, final


def _run_packed(
    position: np.ndarray,
    capability: np.ndarray,
    salience: np.ndarray,
    valid: np.ndarray,
    params: EUParams | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`run_batch` on rows already packed to one width."""
    p = params or EUParams()
    # Padding actors sit at their row's lowest position with no weight and take part in no contest.
    row_min = np.min(np.where(valid, position, np.inf), axis=1, keepdims=True)
    x = np.where(valid, position, np.where(np.isfinite(row_min), row_min, 0.0)).astype(float)
    s = np.where(valid, salience, 0.0)
    w = np.where(valid, capability * salience, 0.0)
    n = x.shape[1]
    pair = valid[:, :, None] & valid[:, None, :] & ~np.eye(n, dtype=bool)[None]
    active = np.arange(x.shape[0])  # issues still moving; the others are settled for good
    for _ in range(p.rounds):
        xa, va, wa = x[active], valid[active], w[active]
        span = np.max(np.where(va, xa, -np.inf), axis=1) - np.min(np.where(va, xa, np.inf), axis=1)
        keep = span > 0
        active, xa, va, wa, span = active[keep], xa[keep], va[keep], wa[keep], span[keep]
        if active.size == 0:
            break
        gap = np.abs(xa[:, :, None] - xa[:, None, :])  # |x_i - x_j|
        contest = pair[active] & (gap > TIE)
        mu = weighted_median_rows(xa, wa, va)
        prob = win_probabilities(xa, wa, contest)
        sa = s[active]
        d = gap / span[:, None, None]
        r = risk_exponents(security(d, xa, sa, prob, mu, span, contest, p), va)
        e = expected_utilities(d, xa, sa, prob, mu, span, r, contest, p)
        moved = new_positions(xa, e, contest, gap)
        x[active] = moved
        active = active[np.any(moved != xa, axis=1)]
    if p.outcome == "mean":
        total = w.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            forecast = np.where(total > 0, (w * x).sum(axis=1) / total, x[:, 0])
    else:
        forecast = weighted_median_rows(x, w, valid)
    return forecast, np.where(valid, x, np.nan)


def pad_issues(scenario: Scenario) -> tuple[np.ndarray, ...]:
    """A scenario's issues as padded (issues, actors) arrays for :func:`run_batch`."""
    pos = scenario.position.T
    valid = ~np.isnan(pos)
    cap = np.broadcast_to(scenario.capability[None, :], pos.shape)
    sal = scenario.salience_filled().T / 100.0
    return pos, cap, sal, valid


class ExpectedUtilityModel(BargainingModel):
    """Bueno de Mesquita's expected-utility model (Scholz, Calbert and Smith 2011), per issue."""

    name = "expected_utility"
    issues_independent = True

    def __init__(
        self, rounds: int = 10, q: float = 1.0, t: float = 1.0, outcome: Literal["median", "mean"] = "median"
    ) -> None:
        super().__init__(rounds=rounds, q=q, t=t, outcome=outcome)
        self.eu_params = EUParams(rounds=rounds, q=q, t=t, outcome=outcome)

    def predict(self, scenario: Scenario) -> Forecast:
        pos, cap, sal, valid = pad_issues(scenario)
        forecast, final = run_batch(pos, cap, sal, valid, self.eu_params)
        empty = ~valid.any(axis=1)
        forecast = np.where(empty, np.nan, forecast)
        return Forecast(self.name, forecast, details={"final_positions": final.T})
