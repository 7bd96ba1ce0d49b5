"""One interface for every bargaining model, in the manner of scikit-learn's estimators.

A model is constructed with keyword parameters (``get_params`` returns them) and turns a
``Scenario`` into a ``Forecast`` with ``predict``. The numerics live in pure functions over
numpy arrays next to each model; the classes are thin wrappers so that the CLI, the benchmarks
and the tests can treat all models alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import numpy as np

from detente.model.scenario import Scenario

MODELS: dict[str, type[BargainingModel]] = {}


@dataclass(slots=True)
class Forecast:
    model: str
    outcome: np.ndarray  # (n_issues,) on the 0-100 scale
    details: dict[str, Any] = field(default_factory=dict)
    interval: np.ndarray | None = None  # (n_issues, 2): a range, e.g. from Monte Carlo


class BargainingModel:
    """Base class: subclasses set ``name`` and implement ``predict``."""

    name: ClassVar[str] = ""
    # Monte Carlo draws worth running where someone waits for the answer (web app, report); None
    # means no limit. Slow models (a full simulation per draw) set a cap.
    interactive_runs: ClassVar[int | None] = None

    def __init__(self, **params: Any) -> None:
        self.params = params

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.name:
            MODELS[cls.name] = cls

    def get_params(self) -> dict[str, Any]:
        return dict(self.params)

    # Whether each issue is forecast on its own (the central-tendency, Nash and expected-utility
    # models); then many Monte Carlo draws can go through one wide call. KTAB bargains over all
    # issues jointly.
    issues_independent: ClassVar[bool] = False

    def predict(self, scenario: Scenario) -> Forecast:
        raise NotImplementedError

    def predict_draws(
        self, scenario: Scenario, position: np.ndarray, salience: np.ndarray, capability: np.ndarray
    ) -> np.ndarray:
        """Forecasts (runs, issues) for draws of the inputs: positions and saliences (runs,
        actors, issues), capabilities (runs, actors).

        Issue-by-issue models with the same capabilities in every draw get one call on a wide
        scenario whose columns are all the draws' issues; otherwise one call per draw.
        """
        runs, n, m = position.shape
        if self.issues_independent and np.all(capability == capability[:1]):
            wide = replace(
                scenario,
                issues=scenario.issues * runs,
                position=position.transpose(1, 0, 2).reshape(n, runs * m),
                salience=salience.transpose(1, 0, 2).reshape(n, runs * m),
                capability=capability[0],
                uncertainty=None,
            )
            return np.asarray(self.predict(wide).outcome, dtype=float).reshape(runs, m)
        out = np.empty((runs, m))
        for r in range(runs):
            drawn = replace(scenario, position=position[r], salience=salience[r], capability=capability[r])
            out[r] = self.predict(drawn).outcome
        return out

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{type(self).__name__}({args})"


def get_model(name: str, **params: Any) -> BargainingModel:
    # Importing the model modules registers them.
    from detente.model import baselines, expected_utility, ktab_model, nash  # noqa: F401

    try:
        cls = MODELS[name]
    except KeyError:
        raise ValueError(f"unknown model {name!r}; known: {', '.join(sorted(MODELS))}") from None
    return cls(**params)
