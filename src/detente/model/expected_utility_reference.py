"""Plain-Python twin of :mod:`detente.model.expected_utility`: the oracle for its tests.

Same equations and the same tie rules, one issue at a time with lists and loops, written for
reading rather than speed (Scholz, Calbert and Smith 2011; see that module's docstring).
"""

from __future__ import annotations

from detente.model.expected_utility import TIE, EUParams


def weighted_median(x: list[float], w: list[float]) -> float:
    order = sorted(range(len(x)), key=lambda i: x[i])  # stable, like numpy's
    half = sum(w) / 2.0
    cum = 0.0
    for i in order:
        cum += w[i]
        if cum >= half:
            return x[i]
    return x[order[-1]]


def _probability(x: list[float], w: list[float], i: int, j: int) -> float:
    top = bottom = 0.0
    for k in range(len(x)):
        v = w[k] * (abs(x[k] - x[j]) - abs(x[k] - x[i]))
        top += max(v, 0.0)
        bottom += abs(v)
    return top / bottom if bottom > 0 else 0.0


def _expected(
    x: list[float], s: list[float], prob: float, mu: float, span: float, r: float, i: int, j: int, p: EUParams
) -> float:
    d = abs(x[i] - x[j]) / span
    dm = abs(x[i] - mu) / span
    us = 2.0 - 4.0 * (0.5 - 0.5 * d) ** r
    uf = 2.0 - 4.0 * (0.5 + 0.5 * d) ** r
    ub = 2.0 - 4.0 * (0.5 - 0.25 * (dm + d)) ** r
    uw = 2.0 - 4.0 * (0.5 + 0.25 * (dm + d)) ** r
    usq = 2.0 - 4.0 * 0.5**r
    e = s[j] * (prob * us + (1.0 - prob) * uf) + (1.0 - s[j]) * us
    return e - (p.q * usq + (1.0 - p.q) * (p.t * ub + (1.0 - p.t) * uw))


def _utilities(
    x: list[float],
    s: list[float],
    prob: list[list[float]],
    mu: float,
    span: float,
    r: list[float],
    p: EUParams,
) -> list[list[float]]:
    n = len(x)
    return [
        [
            _expected(x, s, prob[i][j], mu, span, r[i], i, j, p) if i != j and abs(x[i] - x[j]) > TIE else 0.0
            for j in range(n)
        ]
        for i in range(n)
    ]


def run_issue(
    x: list[float], c: list[float], s: list[float], params: EUParams | None = None
) -> tuple[float, list[float]]:
    """Forecast and final positions for one issue (saliences in [0, 1])."""
    p = params or EUParams()
    n = len(x)
    x = list(x)
    w = [c[i] * s[i] for i in range(n)]
    for _ in range(p.rounds):
        span = max(x) - min(x)
        if span <= 0:
            break
        mu = weighted_median(x, w)
        prob = [
            [_probability(x, w, i, j) if i != j and abs(x[i] - x[j]) > TIE else 0.0 for j in range(n)]
            for i in range(n)
        ]

        e = _utilities(x, s, prob, mu, span, [1.0] * n, p)
        security = [sum(e[j][k] for j in range(n) if j != k) for k in range(n)]
        hi, lo = max(security), min(security)
        big_r = [(2.0 * security[i] - hi - lo) / (hi - lo) if hi > lo else 0.0 for i in range(n)]
        e = _utilities(x, s, prob, mu, span, [(1.0 - b / 3.0) / (1.0 + b / 3.0) for b in big_r], p)

        moved = list(x)
        for j in range(n):
            offers = []  # (move, target) of every offer j receives, in sender order
            for i in range(n):
                if i == j or abs(x[i] - x[j]) <= TIE or e[i][j] <= TIE:
                    continue
                eij, eji = e[i][j], e[j][i]
                if eji > TIE:
                    if eij <= eji + TIE:
                        continue  # a conflict j expects to win: no offer
                    target = x[i]
                elif abs(eji) >= eij - TIE:
                    target = x[i]  # capitulation
                else:
                    target = x[j] + (x[i] - x[j]) * (abs(eji) / eij)  # compromise
                offers.append((abs(target - x[j]), target))
            if offers:
                least = min(move for move, _ in offers)
                moved[j] = next(target for move, target in offers if move <= least + TIE)
        done = all(moved[i] == x[i] for i in range(n))
        x = moved
        if done:
            break
    if p.outcome == "mean":
        total = sum(w)
        forecast = sum(w[i] * x[i] for i in range(n)) / total if total > 0 else x[0]
    else:
        forecast = weighted_median(x, w)
    return forecast, x
