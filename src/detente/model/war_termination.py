"""Bargaining while fighting: when does a war's bargaining range open, and on what terms?

The model joins the rationalist account of war (Fearon 1995, "Rationalist explanations for war",
*International Organization* 49(3)) to the view of war as a bargaining process in which battles
carry information (Wagner 2000, "Bargaining and War", *AJPS* 44(3); Filson & Werner 2002, "A
bargaining model of war and peace: anticipating the onset, duration, and outcome of war", *AJPS*
46(4); Slantchev 2003, "The principle of convergence in wartime negotiations", *APSR* 97(4); Smith
& Stam 2004, "Bargaining and the nature of war", *Journal of Conflict Resolution* 48(6)).

Set-up (one period = one battle or one round of fighting):

* The front line ``x_t`` in [0, 100] is the share of the disputed territory held by side A.
  Each period A wins the battle with the true probability ``p``; the line moves by
  ``step * ((2p - 1) + noise * 2 (W_t - p))``, where ``W_t`` is 1 when A won. With ``noise = 1``
  every battle pushes the line one ``step`` towards the loser (Smith & Stam's random walk); with
  ``noise = 0`` the line drifts deterministically by ``step (2p - 1)``. The line stops at 0 and
  100, where the war ends in one side's victory.
* Each side holds a Beta belief about ``p`` (given as its belief about its *own* odds: a mean and
  a strength in pseudo-battles) and updates it by Bayes' rule after every battle, which both
  observe. Beliefs that start apart converge as the battles accumulate (Slantchev's convergence).
* A side's value of fighting on, per period and on the front-line scale, is the discounted average
  of the front line it expects, ``(1 - d) sum_h d^h E[x_{t+h}]``, minus its cost per period ``c``.
  The expected path ``x_t + min(h, H) * step * (2 p_hat - 1)`` uses the side's posterior mean
  ``p_hat``, stops at 0 and 100 and, with a finite horizon ``H``, freezes after ``H`` periods.
  Holding line ``y`` forever is worth ``y`` per period to A and ``100 - y`` to B.
* A ceasefire line ``y`` is acceptable to both when ``y >= V_A`` and ``100 - y >= V_B``: the
  bargaining range is ``[p_A - c_A, p_B + c_B]`` where ``p_i`` is side i's discounted expected
  front line. With identical, correct beliefs ``p_A = p_B = p`` and this is Fearon's range
  ``[p - c_A, p + c_B]``. Optimism (``p_A > p_B``) closes it until battles bring the beliefs
  within ``c_A + c_B`` of each other; higher costs open it sooner.
* Terms: the range, its midpoint and the (generalised) Nash bargaining split
  ``lo + w (hi - lo)``, where ``w`` is A's bargaining power; with these linear utilities the
  symmetric Nash solution (``w = 1/2``) is the midpoint.

Everything is vectorised over simulated paths (numpy arrays of shape ``(paths,)``); the only
loop is over periods. Results are reproducible from the seed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from detente.model.scenario import ScenarioError

SCALE = 100.0


@dataclass(frozen=True, slots=True)
class Belief:
    """A side's Beta belief about its *own* chance of winning a battle."""

    mean: float = 0.5  # the side's expected probability of winning one battle
    strength: float = 10.0  # weight of the prior in battles; inf = never learns

    def __post_init__(self) -> None:
        if not 0.0 < self.mean < 1.0:
            raise ScenarioError(f"a belief's mean must lie strictly between 0 and 1, not {self.mean}")
        if not self.strength > 0:
            raise ScenarioError(f"a belief's strength must be positive, not {self.strength}")


@dataclass(frozen=True, slots=True)
class WarScenario:
    """Parameters of one war between side A and side B (see the module docstring)."""

    name: str = "war"
    side_a: str = "A"
    side_b: str = "B"
    front: float = 50.0  # x_0: share of the disputed territory A holds, 0-100
    p_win: float = 0.5  # true probability that A wins a battle
    step: float = 1.0  # front-line points moved by one battle
    noise: float = 1.0  # 0: deterministic drift; 1: each battle moves the line by +-step
    cost_a: float = 1.0  # A's cost of one period of fighting, in front-line points
    cost_b: float = 1.0
    discount: float = 0.95  # per period
    horizon: float = np.inf  # periods each side looks ahead before the line freezes
    belief_a: Belief = field(default_factory=Belief)  # A's belief about A's odds
    belief_b: Belief = field(default_factory=Belief)  # B's belief about B's odds
    power_a: float = 0.5  # A's weight in the Nash bargaining split
    max_periods: int = 200
    low_label: str = "B holds all the disputed territory"
    high_label: str = "A holds all the disputed territory"
    sources: dict[str, str] = field(default_factory=dict)  # parameter -> where its value comes from

    def __post_init__(self) -> None:
        checks = [
            (0.0 <= self.front <= SCALE, "front must lie on the 0-100 scale"),
            (0.0 <= self.p_win <= 1.0, "p_win must be a probability"),
            (self.step >= 0, "step must not be negative"),
            (0.0 <= self.noise <= 1.0, "noise must lie between 0 and 1"),
            (self.cost_a >= 0 and self.cost_b >= 0, "costs must not be negative"),
            (0.0 < self.discount < 1.0, "discount must lie strictly between 0 and 1"),
            (self.horizon >= 0, "horizon must not be negative"),
            (0.0 <= self.power_a <= 1.0, "power_a must lie between 0 and 1"),
            (self.max_periods >= 0, "max_periods must not be negative"),
        ]
        for ok, message in checks:
            if not ok:
                raise ScenarioError(f"war scenario {self.name!r}: {message}")


def discounted_front(x: np.ndarray, drift: np.ndarray, discount: float, horizon: float) -> np.ndarray:
    """``(1 - d) * sum_{h>=0} d^h * clip(x + min(h, H) * drift, 0, 100)``, in closed form.

    The expected path rises (or falls) linearly until it meets the end of the scale or the
    horizon, then stays put; the sum splits into an arithmetic-geometric part and a constant tail.
    """
    x, drift = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(drift, dtype=float))
    d = discount
    bound = np.where(drift > 0, SCALE, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        to_bound = np.where(drift != 0, (bound - x) / drift, np.inf)  # periods until the end of the scale
    hits_bound = to_bound < horizon
    last = np.floor(np.minimum(to_bound, horizon))  # last period on the linear part
    last = np.where(np.isfinite(last), last, 0.0)
    moving = np.isfinite(np.minimum(to_bound, horizon)) & (drift != 0)
    k = np.where(moving, last, 0.0)
    geo = (1 - d ** (k + 1)) / (1 - d)  # sum_{h=0}^{k} d^h
    arith = d * (1 - (k + 1) * d**k + k * d ** (k + 1)) / (1 - d) ** 2  # sum_{h=0}^{k} h d^h
    tail_value = np.where(hits_bound, bound, x + np.minimum(horizon, 1e300) * drift)
    tail = d ** (k + 1) / (1 - d) * tail_value
    linear = (1 - d) * (x * geo + drift * arith + tail)
    return np.where(moving, linear, x)


def side_values(
    x: np.ndarray, p_hat_a: np.ndarray, p_hat_b: np.ndarray, ws: WarScenario
) -> tuple[np.ndarray, np.ndarray]:
    """Each side's discounted expected front line (``p_A``, ``p_B``) given its belief about ``p``.

    ``p_hat_a`` and ``p_hat_b`` are both beliefs about A's chance of winning a battle.
    """
    pa = discounted_front(x, ws.step * (2 * p_hat_a - 1), ws.discount, ws.horizon)
    pb = discounted_front(x, ws.step * (2 * p_hat_b - 1), ws.discount, ws.horizon)
    return pa, pb


def bargaining_range(
    x: np.ndarray, p_hat_a: np.ndarray, p_hat_b: np.ndarray, ws: WarScenario
) -> tuple[np.ndarray, np.ndarray]:
    """The ceasefire lines both sides prefer to fighting on: ``[p_A - c_A, p_B + c_B]`` on 0-100.

    The range is open where ``lo <= hi``. Bounds are clipped to the scale.
    """
    pa, pb = side_values(x, p_hat_a, p_hat_b, ws)
    return np.clip(pa - ws.cost_a, 0.0, SCALE), np.clip(pb + ws.cost_b, 0.0, SCALE)


def fearon_range(ws: WarScenario) -> tuple[float, float]:
    """Fearon's range at the start when both sides know the true ``p``: ``[p - c_A, p + c_B]``."""
    lo, hi = bargaining_range(np.array(ws.front), np.array(ws.p_win), np.array(ws.p_win), ws)
    return float(lo), float(hi)


@dataclass(slots=True)
class WarPaths:
    """Per-path results of :func:`simulate_war`; period = battles fought before the range opened."""

    scenario: WarScenario
    seed: int
    outcome: np.ndarray  # (paths,) str: "settlement", "victory_a", "victory_b" or "fighting"
    period: np.ndarray  # (paths,) int: when the war ended; -1 if still fighting at max_periods
    lo: np.ndarray  # (paths,) bargaining range when it opened (NaN otherwise)
    hi: np.ndarray
    midpoint: np.ndarray
    nash: np.ndarray
    front_end: np.ndarray  # front line when the war ended (or at max_periods)
    trace: dict[str, np.ndarray] | None = None  # (periods+1, paths) arrays when recorded

    @property
    def settled(self) -> np.ndarray:
        return self.outcome == "settlement"

    def summary(self) -> dict[str, Any]:
        """The distribution of time-to-settlement and terms over all paths."""
        s = self.settled
        n = len(self.outcome)

        def quantiles(v: np.ndarray) -> dict[str, float] | None:
            if v.size == 0:
                return None
            q = np.percentile(v, [5, 50, 95])
            return {"mean": float(v.mean()), "p5": float(q[0]), "median": float(q[1]), "p95": float(q[2])}

        kinds, counts = np.unique(self.outcome, return_counts=True)
        return {
            "paths": n,
            "seed": self.seed,
            "outcomes": {str(k): int(c) for k, c in zip(kinds, counts, strict=True)},
            "share_settled": float(s.mean()) if n else 0.0,
            "open_at_start": float((self.period[s] == 0).sum() / n) if n else 0.0,
            "time_to_settlement": quantiles(self.period[s].astype(float)),
            "range_low": quantiles(self.lo[s]),
            "range_high": quantiles(self.hi[s]),
            "midpoint": quantiles(self.midpoint[s]),
            "nash": quantiles(self.nash[s]),
            "time_histogram": np.bincount(self.period[s], minlength=1).tolist() if s.any() else [],
        }


def _posterior_means(ws: WarScenario, wins: np.ndarray, battles: int) -> tuple[np.ndarray, np.ndarray]:
    """Both sides' posterior mean of ``p`` (A's chance) after ``battles`` battles, ``wins`` won by A."""

    def mean(prior_p: float, strength: float) -> np.ndarray:
        if np.isinf(strength):
            return np.full(wins.shape, prior_p)
        return (prior_p * strength + wins) / (strength + battles)

    return mean(ws.belief_a.mean, ws.belief_a.strength), mean(1.0 - ws.belief_b.mean, ws.belief_b.strength)


def simulate_war(ws: WarScenario, paths: int = 1000, seed: int = 0, record: bool = False) -> WarPaths:
    """Simulate ``paths`` wars from the same start; each ends when the range opens or a side wins.

    Period t is checked before the (t+1)-th battle, so period 0 means the range is open before any
    fighting. With ``record`` the front line, beliefs and range of every period are kept.
    """
    if paths < 1:
        raise ScenarioError("paths must be at least 1")
    rng = np.random.default_rng(seed)
    x = np.full(paths, float(ws.front))
    wins = np.zeros(paths)
    active = np.ones(paths, dtype=bool)
    outcome = np.full(paths, "fighting", dtype=object)
    period = np.full(paths, -1)
    lo_out, hi_out = np.full(paths, np.nan), np.full(paths, np.nan)
    trace: dict[str, list[np.ndarray]] = {k: [] for k in ("front", "p_hat_a", "p_hat_b", "lo", "hi")}
    drift = ws.step * (2 * ws.p_win - 1)

    for t in range(ws.max_periods + 1):
        pa_hat, pb_hat = _posterior_means(ws, wins, t)
        lo, hi = bargaining_range(x, pa_hat, pb_hat, ws)
        if record:
            for k, v in zip(trace, (x, pa_hat, pb_hat, lo, hi), strict=True):
                trace[k].append(v.copy())
        at_end = active & ((x <= 0.0) | (x >= SCALE))
        outcome[at_end & (x >= SCALE)] = "victory_a"
        outcome[at_end & (x <= 0.0)] = "victory_b"
        period[at_end] = t
        active &= ~at_end
        opens = active & (lo <= hi)
        outcome[opens] = "settlement"
        period[opens] = t
        lo_out[opens], hi_out[opens] = lo[opens], hi[opens]
        active &= ~opens
        if t == ws.max_periods or not (active.any() or record):
            break
        won = rng.random(paths) < ws.p_win  # drawn for every path so paths do not share draws
        move = drift + ws.noise * ws.step * 2.0 * (won - ws.p_win)
        x = np.where(active, np.clip(x + move, 0.0, SCALE), x)
        wins = wins + won

    mid = (lo_out + hi_out) / 2.0
    nash = lo_out + ws.power_a * (hi_out - lo_out)
    return WarPaths(
        scenario=ws,
        seed=seed,
        outcome=outcome.astype(str),
        period=period,
        lo=lo_out,
        hi=hi_out,
        midpoint=mid,
        nash=nash,
        front_end=x,
        trace={k: np.array(v) for k, v in trace.items()} if record else None,
    )


# --- reading a war scenario from YAML/JSON ------------------------------------------------------

_NUMBERS = ("front", "p_win", "step", "noise", "cost_a", "cost_b", "discount", "horizon", "power_a")


def war_from_dict(data: dict[str, Any]) -> WarScenario:
    """A war scenario from a mapping; any number may be ``{value: ..., source: "..."}``.

    Keys: name, side_a, side_b, low_label, high_label, max_periods, the numbers in ``_NUMBERS``
    and belief_a / belief_b as ``{mean, strength, source}``. Unknown keys are an error, so a typo
    does not silently fall back to a default.
    """
    if not isinstance(data, dict):
        raise ScenarioError("a war scenario is a mapping of parameters")
    data = data.get("war", data)
    known = {f.name for f in fields(WarScenario)} - {"sources"}
    unknown = set(data) - known
    if {"actors", "issues"} <= unknown:
        raise ScenarioError(
            "this is a negotiation scenario (actors and issues): use 'detente forecast' for it"
        )
    if unknown:
        raise ScenarioError(f"unknown war-scenario keys: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for key, raw in data.items():
        if isinstance(raw, dict) and key not in ("belief_a", "belief_b"):
            if "source" in raw:
                sources[key] = str(raw["source"])
            raw = raw.get("value")
        try:
            if key in ("belief_a", "belief_b"):
                raw = raw or {}
                if "source" in raw:
                    sources[key] = str(raw["source"])
                values[key] = Belief(float(raw.get("mean", 0.5)), float(raw.get("strength", 10.0)))
            elif key in _NUMBERS:
                values[key] = float(raw)
            elif key == "max_periods":
                values[key] = int(raw)
            else:
                values[key] = str(raw)
        except (TypeError, ValueError, AttributeError):
            raise ScenarioError(f"war-scenario key {key!r} has an unusable value {raw!r}") from None
    return replace(WarScenario(), **values, sources=sources)


def read_war_scenario(path: str | Path) -> WarScenario:
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(f"no war scenario at {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))  # YAML also reads JSON
    except yaml.YAMLError as e:
        raise ScenarioError(f"{path} is not valid YAML/JSON: {e}") from None
    return war_from_dict(data)
