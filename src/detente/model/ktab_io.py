"""Readers for KTAB's SMP scenario files (CSV and XML) into a :class:`KtabScenario`.

CSV layout (KTAB ``SMPModel::csvRead``): line 1 is ``name, description, n actors, n dims``
(extra trailing fields are ignored); line 2 is a header ``Actor, Description, Power, Pstn1,
Sal1, ...`` from which the dimension names are taken; then one row per actor with
``name, description, capability, position_1, salience_1, ...``. Positions and saliences are on
KTAB's 0-100 scale; trailing commas and padding spaces are accepted.

XML layout (KTAB ``SMPModel::xmlRead`` / ``smpSchema.xsd``): ``Scenario`` with ``name``,
``desc``, ``prngSeed``, optional ``ModelParameters``, ``Dimensions/dName``,
``Actors/Actor/{name, description, capability, Position/dCoord, Salience/dSal}`` and an
optional ``IdealAdjustment`` of ``iaPair``s (the ideal-accommodation matrix).

Bad input raises :class:`KtabFormatError` naming the file, the actor and the field.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from detente.model.ktab_params import KtabParams

MAX_SEED = 2**64 - 1


class KtabFormatError(ValueError):
    """A KTAB scenario file that cannot be read; the message says where and why."""


@dataclass(frozen=True)
class KtabScenario:
    """One SMP scenario on KTAB's 0-100 scale, as read from a file or built in code."""

    name: str
    description: str
    actor_names: tuple[str, ...]
    actor_descriptions: tuple[str, ...]
    dim_names: tuple[str, ...]
    capability: np.ndarray  # (n,) > 0
    position: np.ndarray  # (n, d) in [0, 100]
    salience: np.ndarray  # (n, d) in [0, 100], row sums <= 100
    accommodation: np.ndarray | None = None  # (n, n) ideal-adjustment matrix; None = identity
    params: KtabParams | None = None  # model parameters stored with the scenario (XML), if any
    seed: int | None = None  # PRNG seed stored with the scenario (XML), if any
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        validate_scenario(self)

    @property
    def n_actors(self) -> int:
        return len(self.actor_names)

    @property
    def n_dims(self) -> int:
        return len(self.dim_names)


def validate_scenario(sc: KtabScenario) -> None:
    """Check shapes and ranges the way KTAB does, with messages that name the offender."""
    where = f"{sc.source or sc.name}: "
    n, d = len(sc.actor_names), len(sc.dim_names)
    if n < 2:
        raise KtabFormatError(where + f"needs at least 2 actors, got {n}")
    if d < 1:
        raise KtabFormatError(where + "needs at least 1 dimension")
    if len(sc.actor_descriptions) != n:
        raise KtabFormatError(where + "one description per actor is required")
    cap, pos, sal = sc.capability, sc.position, sc.salience
    if cap.shape != (n,) or pos.shape != (n, d) or sal.shape != (n, d):
        raise KtabFormatError(
            where + f"shapes do not match {n} actors x {d} dims: "
            f"capability {cap.shape}, position {pos.shape}, salience {sal.shape}"
        )
    for arr, what in ((cap, "capability"), (pos, "position"), (sal, "salience")):
        if not np.all(np.isfinite(arr)):
            raise KtabFormatError(where + f"{what} has a missing or non-numeric value")
    for i, name in enumerate(sc.actor_names):
        if cap[i] <= 0:
            raise KtabFormatError(where + f"actor {name!r}: capability must be positive, got {cap[i]}")
        for k in range(d):
            if not 0.0 <= pos[i, k] <= 100.0:
                raise KtabFormatError(
                    where + f"actor {name!r}: position {k + 1} = {pos[i, k]} is outside [0, 100]"
                )
            if not 0.0 <= sal[i, k] <= 100.0:
                raise KtabFormatError(
                    where + f"actor {name!r}: salience {k + 1} = {sal[i, k]} is outside [0, 100]"
                )
        total = float(sal[i].sum())
        if total > 100.0 + 1e-9:
            raise KtabFormatError(where + f"actor {name!r}: saliences sum to {total:g} > 100")
        if total <= 0.0:
            raise KtabFormatError(where + f"actor {name!r}: all saliences are zero")
    acc = sc.accommodation
    if acc is not None:
        if acc.shape != (n, n):
            raise KtabFormatError(where + f"accommodation matrix must be {n}x{n}, got {acc.shape}")
        if np.any(acc < 0) or np.any(acc > 1) or np.any(acc.sum(axis=1) > 1 + 1e-10):
            raise KtabFormatError(where + "accommodation entries must be in [0, 1] with row sums <= 1")
    if sc.seed is not None and not 0 <= sc.seed <= MAX_SEED:
        raise KtabFormatError(where + f"seed {sc.seed} does not fit in 64 bits")


def check_inputs(pos: np.ndarray, sal: np.ndarray, cap: np.ndarray, acc: np.ndarray | None) -> None:
    """Reject inputs KTAB would reject (or divide by zero on), with the reason."""
    if pos.ndim != 2 or pos.shape[0] < 2 or pos.shape[1] < 1:
        raise ValueError(f"positions must be (actors >= 2, dims >= 1), got shape {pos.shape}")
    n = pos.shape[0]
    if sal.shape != pos.shape or cap.shape != (n,):
        raise ValueError(
            f"shapes differ: positions {pos.shape}, saliences {sal.shape}, capabilities {cap.shape}"
        )
    if not (np.all(np.isfinite(pos)) and np.all(np.isfinite(sal)) and np.all(np.isfinite(cap))):
        raise ValueError("positions, saliences and capabilities must be finite numbers")
    if np.any(pos < 0) or np.any(pos > 1):
        raise ValueError("positions must be on the 0-1 scale (divide KTAB's 0-100 values by 100)")
    if np.any(sal < 0) or np.any(sal.sum(axis=1) > 1 + 1e-9) or np.any(sal.sum(axis=1) <= 0):
        raise ValueError("saliences must be >= 0 on the 0-1 scale, each actor's total in (0, 1]")
    if np.any(cap <= 0):
        raise ValueError("capabilities must be positive")
    if acc is not None and (
        acc.shape != (n, n) or np.any(acc < 0) or np.any(acc > 1) or np.any(acc.sum(axis=1) > 1 + 1e-10)
    ):
        raise ValueError("accommodation must be (actors, actors) with entries in [0, 1] and row sums <= 1")


def _number(text: str, where: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise KtabFormatError(f"{where}: expected a number, got {text.strip()!r}") from None
    if not np.isfinite(value):
        raise KtabFormatError(f"{where}: expected a finite number, got {text.strip()!r}")
    return value


def _count(text: str, where: str) -> int:
    value = _number(text, where)
    if value != int(value) or value < 0:
        raise KtabFormatError(f"{where}: expected a whole number, got {text.strip()!r}")
    return int(value)


def parse_ktab_csv(text: str, source: str = "<csv>") -> KtabScenario:
    """Parse the text of a KTAB SMP CSV scenario."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), skipinitialspace=True)
    rows = [[cell.strip() for cell in row] for row in reader]
    rows = [row for row in rows if any(row)]  # blank lines carry nothing
    if len(rows) < 2:
        raise KtabFormatError(f"{source}: needs a scenario line and a header line")
    head = rows[0]
    if len(head) < 4:
        raise KtabFormatError(f"{source} line 1: expected 'name, description, actors, dimensions'")
    name, desc = head[0], head[1]
    n = _count(head[2], f"{source} line 1 (number of actors)")
    d = _count(head[3], f"{source} line 1 (number of dimensions)")
    if d < 1:
        raise KtabFormatError(f"{source} line 1: number of dimensions must be at least 1")
    header = rows[1]
    if len(header) < 3 + 2 * d:
        raise KtabFormatError(
            f"{source} line 2: header names {len(header)} columns, {3 + 2 * d} needed for {d} dims"
        )
    dim_names = tuple(header[3 + 2 * k] for k in range(d))
    body = rows[2:]
    if len(body) < n:
        raise KtabFormatError(f"{source}: line 1 announces {n} actors but {len(body)} rows follow")
    names: list[str] = []
    descs: list[str] = []
    cap = np.empty(n)
    pos = np.empty((n, d))
    sal = np.empty((n, d))
    for i, row in enumerate(body[:n]):
        line = f"{source} actor row {i + 1}"
        if len(row) < 3 + 2 * d:
            raise KtabFormatError(f"{line}: {len(row)} fields, {3 + 2 * d} needed")
        if not row[0]:
            raise KtabFormatError(f"{line}: actor name is empty")
        names.append(row[0])
        descs.append(row[1])
        cap[i] = _number(row[2], f"{line} ({row[0]}) capability")
        for k in range(d):
            pos[i, k] = _number(row[3 + 2 * k], f"{line} ({row[0]}) position {k + 1}")
            sal[i, k] = _number(row[4 + 2 * k], f"{line} ({row[0]}) salience {k + 1}")
    return KtabScenario(
        name=name,
        description=desc,
        actor_names=tuple(names),
        actor_descriptions=tuple(descs),
        dim_names=dim_names,
        capability=cap,
        position=pos,
        salience=sal,
        source=source,
    )


def read_ktab_csv(path: str | Path) -> KtabScenario:
    """Read a KTAB SMP CSV scenario file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise KtabFormatError(f"{p}: cannot read ({exc})") from exc
    return parse_ktab_csv(text, source=str(p))


def _child(el: ET.Element, tag: str, where: str) -> ET.Element:
    found = el.find(tag)
    if found is None:
        raise KtabFormatError(f"{where}: element <{tag}> is missing")
    return found


def _text(el: ET.Element, tag: str, where: str) -> str:
    text = (_child(el, tag, where).text or "").strip()
    if not text:
        raise KtabFormatError(f"{where}: element <{tag}> is empty")
    return text


def parse_ktab_xml(data: str | bytes, source: str = "<xml>") -> KtabScenario:
    """Parse the text of a KTAB SMP XML scenario (with parameters, seed and accommodation)."""
    try:
        root = ET.fromstring(data.encode("utf-8") if isinstance(data, str) else data)
    except ET.ParseError as exc:
        raise KtabFormatError(f"{source}: not well-formed XML ({exc})") from exc
    if root.tag != "Scenario":
        raise KtabFormatError(f"{source}: root element must be <Scenario>, got <{root.tag}>")
    name = (root.findtext("name") or "").strip()
    desc = (root.findtext("desc") or "").strip()
    seed_text = _text(root, "prngSeed", source)
    try:
        seed = int(seed_text)
    except ValueError:
        raise KtabFormatError(f"{source}: prngSeed {seed_text!r} is not a whole number") from None
    params = None
    mp = root.find("ModelParameters")
    if mp is not None:
        try:
            params = KtabParams.from_names({c.tag: (c.text or "").strip() for c in mp})
        except ValueError as exc:
            raise KtabFormatError(f"{source} ModelParameters: {exc}") from exc
    dims_el = _child(root, "Dimensions", source)
    dim_names = tuple((d.text or "").strip() for d in dims_el.findall("dName"))
    if not dim_names or not all(dim_names):
        raise KtabFormatError(f"{source}: <Dimensions> needs non-empty <dName> elements")
    nd = len(dim_names)
    actors = _child(root, "Actors", source).findall("Actor")
    if not actors:
        raise KtabFormatError(f"{source}: <Actors> has no <Actor>")
    names: list[str] = []
    descs: list[str] = []
    cap = np.empty(len(actors))
    pos = np.empty((len(actors), nd))
    sal = np.empty((len(actors), nd))
    for i, a in enumerate(actors):
        where = f"{source} actor {i + 1}"
        aname = _text(a, "name", where)
        where = f"{source} actor {aname!r}"
        names.append(aname)
        descs.append(_text(a, "description", where))
        cap[i] = _number(_text(a, "capability", where), f"{where} capability")
        for tag, sub, out in (("Position", "dCoord", pos), ("Salience", "dSal", sal)):
            values = _child(a, tag, where).findall(sub)
            if len(values) != nd:
                raise KtabFormatError(f"{where}: <{tag}> has {len(values)} <{sub}>, {nd} dimensions declared")
            for k, v in enumerate(values):
                text = (v.text or "").strip()
                if not text:
                    raise KtabFormatError(f"{where}: <{tag}> <{sub}> number {k + 1} is empty")
                out[i, k] = _number(text, f"{where} {tag} {k + 1}")
    acc = None
    ia = root.find("IdealAdjustment")
    if ia is not None:
        acc = np.eye(len(actors))
        index = {nm: i for i, nm in enumerate(names)}
        for pair in ia.findall("iaPair"):
            a_name = _text(pair, "adjustingIdeal", f"{source} iaPair")
            r_name = _text(pair, "referencePos", f"{source} iaPair")
            for nm in (a_name, r_name):
                if nm not in index:
                    raise KtabFormatError(f"{source} iaPair: actor {nm!r} is not among the actors")
            acc[index[a_name], index[r_name]] = _number(_text(pair, "adjust", f"{source} iaPair"), "adjust")
    return KtabScenario(
        name=name,
        description=desc,
        actor_names=tuple(names),
        actor_descriptions=tuple(descs),
        dim_names=dim_names,
        capability=cap,
        position=pos,
        salience=sal,
        accommodation=acc,
        params=params,
        seed=seed,
        source=source,
    )


def read_ktab_xml(path: str | Path) -> KtabScenario:
    """Read a KTAB SMP XML scenario file."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise KtabFormatError(f"{p}: cannot read ({exc})") from exc
    return parse_ktab_xml(data, source=str(p))


def read_ktab(path: str | Path) -> KtabScenario:
    """Read a KTAB scenario, choosing the reader by file extension (.csv or .xml)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return read_ktab_csv(path)
    if suffix == ".xml":
        return read_ktab_xml(path)
    raise KtabFormatError(f"{path}: only .csv and .xml KTAB scenarios are supported")
