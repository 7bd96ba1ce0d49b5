"""One interface for every bargaining model, in the manner of scikit-learn's estimators.

A model is constructed with keyword parameters (``get_params`` returns them) and turns a
``Scenario`` into a ``Forecast`` with ``predict``. The numerics live in pure functions over
numpy arrays next to each model; the classes are thin wrappers so that the CLI, the benchmarks
and the tests can treat all models alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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

    def __init__(self, **params: Any) -> None:
        self.params = params

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.name:
            MODELS[cls.name] = cls

    def get_params(self) -> dict[str, Any]:
        return dict(self.params)

    def predict(self, scenario: Scenario) -> Forecast:
        raise NotImplementedError

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
