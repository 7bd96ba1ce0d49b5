"""Model options of KTAB's Spatial Model of Politics (SMP).

The option names are KTAB's own spellings (as written in its XML scenarios, its logs and its
SQLite ``ScenarioDesc`` table), so a scenario file or a reference log can be mapped onto
:class:`KtabParams` without a translation table. Defaults are KTAB's defaults (``smp.h`` and
``kmodel.h`` in KAPSARC/KTAB), which are also the parameters of the two deterministic reference
runs shipped with KTAB.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import Any


class VictoryModel(StrEnum):
    """How coalition strengths turn into a probability of victory (``VPModel``)."""

    LINEAR = "Linear"  # 2:1 strength gives 2/3
    SQUARE = "Square"  # 2:1 gives 4/5
    QUARTIC = "Quartic"  # 2:1 gives 16/17
    OCTIC = "Octic"  # 2:1 gives 256/257
    BINARY = "Binary"  # a 10% advantage wins for sure, linear ramp in between


class VotingRule(StrEnum):
    """How an actor's influence depends on its difference in utility between two options."""

    BINARY = "Binary"
    PROP_BIN = "PropBin"  # 80% proportional, 20% binary
    PROP = "Prop"  # proportional (KTAB's "Proportional")
    PROP_CBC = "PropCbc"  # half proportional, half cubic
    CUBIC = "Cubic"
    ASYM_PROSP = "ASymProsp"  # losses count fully, gains count 2/3


class PCEModel(StrEnum):
    """How the probabilistic Condorcet election turns pairwise victory odds into a distribution."""

    CONDITIONAL = "Conditional"
    MARKOV_INCENTIVE = "MarkovIncentive"
    MARKOV_UNIFORM = "MarkovUniform"


class StateTransition(StrEnum):
    """How the winning bargain of a queue is picked from the PCE distribution."""

    DETERMINISTIC = "Deterministic"
    STOCHASTIC = "Stochastic"


class BigRRange(StrEnum):
    """Range of the inferred risk attitudes (most probable position gets +1)."""

    MIN = "Min"  # [0, 1]
    MID = "Mid"  # [-1/2, 1]
    MAX = "Max"  # [-1, 1]


class BigRAdjust(StrEnum):
    """How actor h anchors its estimate of actor i's risk attitude on its own."""

    NONE = "None"  # r^h_i = r_h
    ONE_THIRD = "OneThird"  # (2 r_h + r_i) / 3
    HALF = "Half"
    TWO_THIRDS = "TwoThirds"
    FULL = "Full"  # r^h_i = r_i


class ThirdPartyCommit(StrEnum):
    """How committed a third party is to the side it joins in a challenge."""

    NO_COMMIT = "NoCommit"
    SEMI_COMMIT = "SemiCommit"
    FULL_COMMIT = "FullCommit"


class InterVecBargain(StrEnum):
    """How two positions are interpolated into a bargain."""

    S1P1 = "S1P1"
    S2P2 = "S2P2"
    S2PMAX = "S2PMax"


class BargainModel(StrEnum):
    """Whose perspective forms the proposed bargain."""

    INIT_ONLY = "InitOnlyInterp"
    INIT_RCVR = "InitRcvrInterp"
    PW_COMP = "PWCompInterp"


# Spellings accepted besides the canonical ones (KTAB's C++ enumerator names and the tutorial's).
_ALIASES: dict[str, str] = {
    "proportional": "Prop",
    "onethirdra": "OneThird",
    "halfra": "Half",
    "twothirdsra": "TwoThirds",
    "fullra": "Full",
    "nora": "None",
    "markovi": "MarkovIncentive",
    "markovu": "MarkovUniform",
    "markov incentive": "MarkovIncentive",
    "markov uniform": "MarkovUniform",
}


def parse_option(enum_type: type[StrEnum], value: str | StrEnum) -> Any:
    """Map a KTAB option name (case-insensitive) to ``enum_type``; a clear error names the choices."""
    if isinstance(value, enum_type):
        return value
    text = str(value).strip()
    text = _ALIASES.get(text.lower(), text)
    for member in enum_type:
        if member.value.lower() == text.lower() or member.name.lower() == text.lower():
            return member
    choices = ", ".join(m.value for m in enum_type)
    raise ValueError(f"unknown {enum_type.__name__} {value!r}; expected one of {choices}")


@dataclass(frozen=True, slots=True)
class KtabParams:
    """All SMP options plus KTAB's stopping rule (``SMPModel::configExec``)."""

    victory: VictoryModel = VictoryModel.LINEAR
    voting: VotingRule = VotingRule.PROP
    pce: PCEModel = PCEModel.CONDITIONAL
    transition: StateTransition = StateTransition.DETERMINISTIC
    big_r_range: BigRRange = BigRRange.MID
    big_r_adjust: BigRAdjust = BigRAdjust.ONE_THIRD
    third_party: ThirdPartyCommit = ThirdPartyCommit.SEMI_COMMIT
    interp: InterVecBargain = InterVecBargain.S2P2
    bargain_model: BargainModel = BargainModel.INIT_ONLY
    # stopping rule: stop when the last step moved less than min_delta_ratio of the first one
    min_iter: int = 2
    max_iter: int = 100
    min_delta_ratio: float = 0.02
    min_sig_delta: float = 1e-4
    # positions closer than this (0-1 scale, Euclidean) count as one option in the PCE of positions
    pos_tol: float = 1e-3

    def with_(self, **changes: Any) -> KtabParams:
        """A copy with some options changed; option values may be KTAB names (strings)."""
        return replace(self, **_coerce(changes))

    @classmethod
    def from_names(cls, names: dict[str, str]) -> KtabParams:
        """Build from KTAB's XML/log keys (``VictoryProbModel``, ``PCEModel``, ``VotingRule``...)."""
        changes: dict[str, Any] = {}
        for key, value in names.items():
            field = _XML_KEYS.get(key.strip().lower())
            if field is None:
                raise ValueError(f"unknown KTAB model parameter {key!r}")
            changes[field] = value
        return cls().with_(**changes)

    def to_names(self) -> dict[str, str]:
        """KTAB's own key/value spelling, as in ``ModelParameters`` of an XML scenario."""
        return {key: getattr(self, field).value for key, field in _XML_CANONICAL.items()}


_ENUM_FIELDS: dict[str, type[StrEnum]] = {
    "victory": VictoryModel,
    "voting": VotingRule,
    "pce": PCEModel,
    "transition": StateTransition,
    "big_r_range": BigRRange,
    "big_r_adjust": BigRAdjust,
    "third_party": ThirdPartyCommit,
    "interp": InterVecBargain,
    "bargain_model": BargainModel,
}

_XML_CANONICAL: dict[str, str] = {
    "VictoryProbModel": "victory",
    "VotingRule": "voting",
    "PCEModel": "pce",
    "StateTransitions": "transition",
    "BigRRange": "big_r_range",
    "BigRAdjust": "big_r_adjust",
    "ThirdPartyCommit": "third_party",
    "InterVecBrgn": "interp",
    "BargnModel": "bargain_model",
}
_XML_KEYS: dict[str, str] = {k.lower(): v for k, v in _XML_CANONICAL.items()} | {
    "probcondorcetelection": "pce",
    "statetransition": "transition",
    "intervecbargn": "interp",
}


def _coerce(changes: dict[str, Any]) -> dict[str, Any]:
    known = {f.name for f in fields(KtabParams)}
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in known:
            raise ValueError(f"unknown KtabParams field {key!r}")
        out[key] = parse_option(_ENUM_FIELDS[key], value) if key in _ENUM_FIELDS else value
    return out
