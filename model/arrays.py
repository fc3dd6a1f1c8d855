"""Every parameter of R replications as arrays, for the array engine.

``P.secondary.prudence`` is an (R,) array; a great power's field is an (R, G) array under
``P.powers`` (``P.powers.reach``); the fields given by domain (salience, exclusivity,
opportunity, initial engagement and dependence) are (R, G, D) arrays named without the domain
(``P.powers.salience``). Text settings become indices: ``secondary.patron`` and ``.adversary`` a
power index, ``switch.rule`` a rule index (into the registry, ``model.rules.FIXED_RULES``),
``adaptive.menu`` a bit mask of rule indices, ``switch.date`` a step (``NO_DATE``: not set). Replications
differ only where their overrides differ; scenario events change these arrays as the run goes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np

from multivector.model.calendar import quarter_index
from multivector.model.contract import DOMAINS
from multivector.model.parameters import Parameters, check_overrides, locate

BY_DOMAIN = ("salience", "exclusivity", "opportunity", "initial_engagement", "initial_dependence")
_KINDS = {"float": float, "int": np.int64, "bool": bool}


@dataclass(frozen=True)
class Slot:
    """Where a dotted parameter path lives in the arrays, and its documented range and type."""

    array: np.ndarray
    index: tuple
    kind: str
    low: float
    high: float


class ParamArrays(SimpleNamespace):
    """Parameters of R replications; see the module docstring."""

    power_ids: tuple[str, ...]
    start: str
    count: int

    def slot(self, path: str) -> Slot:
        """The array cell(s) of ``path`` for every replication."""
        parts = path.split(".")
        if parts[0] == "powers":
            power, field = parts[1], parts[2]
            g = self.power_ids.index(power)
            for prefix in BY_DOMAIN:
                for d, domain in enumerate(DOMAINS):
                    if field == f"{prefix}_{domain}":
                        return self._slot(path, self.powers.__dict__[prefix], (slice(None), g, d))
            return self._slot(path, self.powers.__dict__[field], (slice(None), g))
        group, field = parts
        return self._slot(path, getattr(self, group).__dict__[field], (slice(None),))

    def _slot(self, path: str, array: np.ndarray, index: tuple) -> Slot:
        info = _INFO[path.split(".", 2)[-1] if path.startswith("powers.") else path]
        low = -math.inf if info.min is None else info.min
        high = math.inf if info.max is None else info.max
        return Slot(array, index, info.type, low, high)

    def derived(self, name: str, build) -> np.ndarray:
        """An array built from parameters (``build(self)``), kept until an event changes parameters."""
        cache = self.__dict__.setdefault("_derived", {})
        if name not in cache:
            cache[name] = build(self)
        return cache[name]

    def forget_derived(self) -> None:
        """Forget the derived arrays (an event changed parameters)."""
        self.__dict__.pop("_derived", None)

    def take(self, rows: np.ndarray) -> "ParamArrays":
        """The parameters of replications ``rows`` only (each array taken when first read)."""
        out = ParamArrays(power_ids=self.power_ids, start=self.start, count=len(rows))
        for name, group in self.__dict__.items():
            if isinstance(group, SimpleNamespace):
                setattr(out, name, _Rows(group, rows))
        return out


class _Rows:
    """Rows of a parameter group, taken lazily: a rule reads a handful of a group's fields."""

    def __init__(self, group: SimpleNamespace, rows: np.ndarray):
        self._group, self._rows = group, rows

    def __getattr__(self, name: str) -> np.ndarray:
        value = getattr(self._group, name)[self._rows]
        setattr(self, name, value)
        return value


def longest(path: str) -> int:
    """The schema's upper bound of an integer window parameter (``measures.window``): ring
    buffers are this long whatever the replications' own values."""
    from multivector.model.parameters import Parameters  # noqa: PLC0415

    _remember_info(Parameters())
    return int(_INFO[path].max)


_INFO: dict[str, Any] = {}


def _remember_info(parameters: Parameters) -> None:
    """Ranges and types by path (a power's fields under their field name)."""
    if _INFO:
        return
    from multivector.model.parameters import parameter_rows  # noqa: PLC0415

    for row in parameter_rows(parameters):
        key = row.path.split(".", 2)[-1] if row.path.startswith("powers.") else row.path
        _INFO.setdefault(key, row)


NO_DATE = -(2**62)  # switch.date not set (any other value is a step, possibly out of range)


def _text_index(path: str, value: str, power_ids: tuple[str, ...], start: str) -> int:
    from multivector.model.rules import FIXED_RULES, menu_mask  # noqa: PLC0415 - the rules import these arrays

    if path == "adaptive.menu":
        return menu_mask(value)
    if not value:
        return NO_DATE if path == "switch.date" else -1
    if path in ("secondary.patron", "secondary.adversary"):
        return power_ids.index(value)
    if path == "switch.rule":
        return FIXED_RULES.index(value)
    if path == "switch.date":
        return quarter_index(value) - quarter_index(start)
    raise KeyError(path)


def compile_parameters(base: Parameters, overrides: list[dict[str, Any]], power_ids: tuple[str, ...],
                       start: str) -> ParamArrays:
    """Arrays of R = len(overrides) replications: ``base`` with each replication's overrides
    (checked against the schema, as ``MultivectorModel`` checks them)."""
    _remember_info(base)
    count = len(overrides)
    P = ParamArrays(power_ids=power_ids, start=start, count=count)
    for group in type(base).model_fields:
        if group in ("powers", "rivalry"):
            continue
        values = getattr(base, group)
        fields = {}
        for field in type(values).model_fields:
            value = getattr(values, field)
            path = f"{group}.{field}"
            if isinstance(value, str):
                fields[field] = np.full(count, _text_index(path, value, power_ids, start), dtype=np.int64)
            else:
                fields[field] = np.full(count, value, dtype=_KINDS[_INFO[path].type])
        setattr(P, group, SimpleNamespace(**fields))
    rivalry = base.rivalry
    P.rivalry = SimpleNamespace(initial=np.full(count, rivalry.initial), scale=np.full(count, rivalry.scale))
    powers = [base.powers[g] for g in power_ids]
    fields = {}
    for field in type(powers[0]).model_fields:
        if any(field == f"{prefix}_{d}" for prefix in BY_DOMAIN for d in DOMAINS):
            continue
        fields[field] = np.tile(np.array([getattr(p, field) for p in powers], dtype=float), (count, 1))
    for prefix in BY_DOMAIN:
        table = np.array([[getattr(p, f"{prefix}_{d}") for d in DOMAINS] for p in powers], dtype=float)
        fields[prefix] = np.tile(table, (count, 1, 1))
    P.powers = SimpleNamespace(**fields)
    checked: dict[tuple, dict[str, Any]] = {}
    for r, items in enumerate(overrides):
        key = tuple(sorted((k, repr(v)) for k, v in items.items()))
        if key not in checked:
            checked[key] = check_overrides(base, items)
        for path, value in checked[key].items():
            if path.startswith("rivalry.pairs."):
                continue  # pairs are read from each replication's Parameters when the state starts
            slot = P.slot(path)
            if isinstance(value, str):
                value = _text_index(path, value, power_ids, start)
            slot.array[(r, *slot.index[1:])] = value
    return P


def pairs_of(base: Parameters, overrides: dict[str, Any]) -> dict[str, float]:
    """One replication's starting rivalry pairs: the scenario's, with its overrides."""
    pairs = dict(base.rivalry.pairs)
    for path, value in overrides.items():
        if path.startswith("rivalry.pairs."):
            owner, leaf, _ = locate(base, path)
            pairs[leaf] = float(value)
    return pairs
