"""Nash bargaining solution on each issue, with bargaining power and a disagreement point.

The asymmetric (generalised) Nash solution picks the outcome that maximises the product of the
actors' gains over the disagreement point, each gain raised to the actor's bargaining power
(Nash 1950, "The bargaining problem", *Econometrica* 18; Kalai 1977, "Nonsymmetric Nash
solutions and replications of 2-person bargaining", *Int. J. Game Theory* 6). For EU
decision-making it is the model Achen (2006, "Evaluating political decision-making models", in
Thomson et al., *The European Union Decides*) derives the compromise model from, with power =
capability x salience:

    x* = argmax_x  sum_i  w_i * log(u_i(x) - u_i(d)),   w_i = c_i * s_i,
    u_i(x) = -|x - p_i|^k  (k = 1 linear loss, k = 2 quadratic loss).

With quadratic loss and a distant disagreement point the solution approaches the weighted mean.

The disagreement point ``d`` is the issue's status quo when the scenario gives one and
``disagreement="status_quo"``; otherwise every actor's worst point on the 0-100 scale (its
gain is then measured from the worst it could get, the usual choice when nobody knows what
failure would bring). Actors who would lose against ``d`` wherever the outcome lands inside
the bargaining range are left out of the product (they cannot be bought in); if nobody gains,
the status quo stands.

The objective is concave in ``x`` on the feasible interval, so bisection on the sign of its
slope, vectorised over all issues at once, finds the maximum to ~1e-10.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from detente.model.base import BargainingModel, Forecast
from detente.model.scenario import Scenario

LO, HI = 0.0, 100.0


def _gain(x: np.ndarray, p: np.ndarray, ud: np.ndarray, power: float) -> np.ndarray:
    """u_i(x) - u_i(d) for candidate outcomes ``x`` (issues,) and actors ``p`` (actors, issues)."""
    return ud - np.abs(x[None, :] - p) ** power


def nash_solution(
    position: np.ndarray,
    weight: np.ndarray,
    disagreement: np.ndarray | None = None,
    power: float = 1.0,
    tol: float = 1e-10,
) -> np.ndarray:
    """Per issue (column), the outcome maximising sum_i w_i log(gain_i).

    ``position`` and ``weight`` are (actors, issues) with NaN for no position; ``disagreement``
    is (issues,) with NaN where unknown (then each actor's worst point on the scale is used).
    ``ud`` below is the loss at the disagreement point, so gain = ud - loss(x).
    """
    has = ~np.isnan(position)
    p = np.where(has, position, 0.0)
    w = np.where(has & (weight > 0), weight, 0.0)
    worst = np.maximum(p - LO, HI - p) ** power  # loss at the far end of the scale
    if disagreement is None:
        disagreement = np.full(position.shape[1], np.nan)
    at_d = np.abs(disagreement[None, :] - p) ** power
    ud = np.where(np.isnan(disagreement)[None, :], worst, at_d)
    # Actors who gain somewhere: their best point (their own position) beats the disagreement.
    takes_part = (w > 0) & (ud > 0)
    w = np.where(takes_part, w, 0.0)

    # Feasible interval: where every participant gains, i.e. |x - p_i| < ud_i^(1/power).
    reach = np.where(takes_part, ud ** (1.0 / power), np.inf)
    lo = np.max(np.where(takes_part, p - reach, -np.inf), axis=0)
    hi = np.min(np.where(takes_part, p + reach, np.inf), axis=0)
    lo, hi = np.maximum(lo, LO), np.minimum(hi, HI)
    nobody = ~takes_part.any(axis=0)
    empty = (lo >= hi) | nobody

    def slope(x: np.ndarray) -> np.ndarray:
        """d/dx of sum_i w_i log(gain_i): decreasing in x, since the objective is concave."""
        diff = x[None, :] - p
        g = np.maximum(_gain(x, p, ud, power), 1e-300)
        dloss = power * np.abs(diff) ** (power - 1.0) * np.sign(diff)
        return np.where(w > 0, -w * dloss / g, 0.0).sum(axis=0)

    a, b = lo.copy(), hi.copy()
    a[empty], b[empty] = 0.0, 0.0
    # Bisection on the sign of the slope: exact to ``tol`` (golden-section search on the
    # objective itself stalls near sqrt(machine epsilon) because the top is flat).
    while np.max(b - a) > tol:
        mid = (a + b) / 2.0
        rising = slope(mid) > 0
        a = np.where(rising, mid, a)
        b = np.where(rising, b, mid)
    out = (a + b) / 2.0
    # No bargaining range: the disagreement point (status quo) stands; with no status quo known,
    # the plain mean of stated positions.
    count = has.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        plain = p.sum(axis=0) / count
    fallback = np.where(np.isnan(disagreement), plain, disagreement)
    return np.where(empty, fallback, out)


class NashModel(BargainingModel):
    """Asymmetric Nash bargaining solution per issue (Nash 1950; Achen 2006).

    Parameters: ``power`` 1 (linear loss) or 2 (quadratic loss); ``disagreement``
    ``"worst"`` (each actor's worst point on the scale) or ``"status_quo"`` (the issue's
    status quo where known, else the worst point).
    """

    name = "nash"
    issues_independent = True

    def __init__(self, power: float = 1.0, disagreement: Literal["worst", "status_quo"] = "worst") -> None:
        if power < 1.0:
            raise ValueError(
                "power must be >= 1 (linear or convex loss): below 1 the product has no single peak"
            )
        if disagreement not in ("worst", "status_quo"):
            raise ValueError(f"disagreement must be 'worst' or 'status_quo', not {disagreement!r}")
        super().__init__(power=power, disagreement=disagreement)
        self.power = float(power)
        self.disagreement = disagreement

    def predict(self, scenario: Scenario) -> Forecast:
        weight = scenario.capability[:, None] * scenario.salience_filled()
        d = None
        if self.disagreement == "status_quo":
            d = np.array([np.nan if i.status_quo is None else i.status_quo for i in scenario.issues])
        return Forecast(self.name, nash_solution(scenario.position, weight, d, self.power))
