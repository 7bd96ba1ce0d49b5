"""A negotiation scenario: actors, issues on 0-100 scales, positions, saliences, capabilities.

Every value can carry its source (an article, an expert estimate, a dataset row), so a forecast
can always be traced back to what it rests on. Arrays are plain numpy so models stay pure
functions over them; a missing position is NaN (the actor takes no part in that issue).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

DEFAULT_SALIENCE = 50.0  # used where a salience is unknown (as in the DEU III literature)


class ScenarioError(ValueError):
    """A scenario that cannot be used, with what is wrong with it."""


@dataclass(frozen=True, slots=True)
class Issue:
    id: str
    name: str = ""
    low_label: str = "0"  # what 0 on the scale means
    high_label: str = "100"  # what 100 means
    anchors: dict[float, str] = field(default_factory=dict)  # key points in between
    status_quo: float | None = None  # the reference point: what happens without agreement
    outcome: float | None = None  # the known outcome, for validation


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    actors: tuple[str, ...]
    issues: tuple[Issue, ...]
    position: np.ndarray  # (n_actors, n_issues), 0-100, NaN = no position
    salience: np.ndarray  # (n_actors, n_issues), 0-100, NaN = unknown
    capability: np.ndarray  # (n_actors,), >= 0
    uncertainty: np.ndarray | None = None  # (n_actors, n_issues) standard deviation of positions
    sources: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (actor, issue, field) -> source

    def __post_init__(self) -> None:
        validate(self)

    @property
    def n_actors(self) -> int:
        return len(self.actors)

    @property
    def n_issues(self) -> int:
        return len(self.issues)

    def salience_filled(self) -> np.ndarray:
        """Saliences with unknown values set to the default."""
        return np.where(np.isnan(self.salience), DEFAULT_SALIENCE, self.salience)

    def with_value(
        self, actor: str, issue: str, what: str, value: float, source: str = "what-if"
    ) -> Scenario:
        """A copy with one actor's position, salience or capability changed (a what-if)."""
        a = self._actor_index(actor)
        if what == "capability":
            cap = self.capability.copy()
            cap[a] = value
            return replace(self, capability=cap, sources={**self.sources, (actor, "*", what): source})
        j = self._issue_index(issue)
        if what not in ("position", "salience"):
            raise ScenarioError(f"cannot change {what!r}: use position, salience or capability")
        arr = getattr(self, what).copy()
        arr[a, j] = value
        return replace(self, **{what: arr}, sources={**self.sources, (actor, issue, what): source})

    def subset(self, issue_ids: list[str]) -> Scenario:
        idx = [self._issue_index(i) for i in issue_ids]
        unc = self.uncertainty[:, idx] if self.uncertainty is not None else None
        return replace(
            self,
            issues=tuple(self.issues[i] for i in idx),
            position=self.position[:, idx],
            salience=self.salience[:, idx],
            uncertainty=unc,
        )

    def _actor_index(self, actor: str) -> int:
        try:
            return self.actors.index(actor)
        except ValueError:
            raise ScenarioError(f"unknown actor {actor!r}; actors are {', '.join(self.actors)}") from None

    def _issue_index(self, issue: str) -> int:
        for j, i in enumerate(self.issues):
            if i.id == issue:
                return j
        raise ScenarioError(f"unknown issue {issue!r}; issues are {', '.join(i.id for i in self.issues)}")


def validate(sc: Scenario) -> None:
    n, m = len(sc.actors), len(sc.issues)
    if n == 0 or m == 0:
        raise ScenarioError(f"scenario {sc.name!r} needs at least one actor and one issue")
    if len(set(sc.actors)) != n:
        raise ScenarioError(f"scenario {sc.name!r} names an actor twice")
    for name, arr, shape in (
        ("position", sc.position, (n, m)),
        ("salience", sc.salience, (n, m)),
        ("capability", sc.capability, (n,)),
    ):
        if np.shape(arr) != shape:
            raise ScenarioError(f"{name} has shape {np.shape(arr)}, expected {shape} (actors x issues)")
    pos = sc.position[~np.isnan(sc.position)]
    if pos.size and (pos.min() < 0 or pos.max() > 100):
        raise ScenarioError("positions must lie on the 0-100 scale")
    sal = sc.salience[~np.isnan(sc.salience)]
    if sal.size and (sal.min() < 0 or sal.max() > 100):
        raise ScenarioError("saliences must lie between 0 and 100")
    if np.isnan(sc.capability).any() or (sc.capability < 0).any():
        raise ScenarioError("capabilities must be known and not negative")
    if sc.uncertainty is not None and np.shape(sc.uncertainty) != (n, m):
        raise ScenarioError("uncertainty must have the same shape as positions")
