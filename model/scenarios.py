"""Scenarios as data: the TOML files in ``model/scenarios/`` plus the shipped capability data.

A scenario names its great powers, its start quarter and length, parameter values (overriding
the defaults in :mod:`model.parameters`), its initial institutions and its dated events. An
event changes parameters (``powers.RUS.intent``), the state (``state.rivalry.RUS-WEST``,
``state.engagement.WEST.security``...), institutions (``institution.CU/EAEU.binding``), creates
institutions, or starts a crisis. A file may ``extends`` another and ``drop_powers`` or
``drop_institutions`` (the counterfactuals of theory.md §4.2).

Reading these packaged files is the only input the model does; it writes nothing.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from pydantic import ValidationError

from model.calendar import parse_quarter, step_of
from model.capabilities import quarterly_capability
from model.contract import DOMAINS
from model.errors import ParameterError, ScenarioError
from model.institutions import Institution
from model.parameters import Parameters, parameter_rows

STATE_TARGETS = {
    # target: number of id parts after the target name (powers or domains)
    "engagement": 2, "dependence": 2, "route": 1, "route_infrastructure": 1, "signal": 1,
    "belief_hostile": 1, "belief_benign": 1, "rivalry": 1, "alternative_routes": 0, "oil": 0, "welfare": 0,
}
INSTITUTION_FIELDS = {"binding", "voice", "exit_cost", "activism_floor", "domains"}
OPERATIONS = ("set", "add", "scale", "uniform")


@dataclass(frozen=True)
class Change:
    """One change an event makes: ``op`` is set, add, scale or uniform (a draw in [low, high])."""

    path: str
    op: str
    value: Any


@dataclass(frozen=True)
class Event:
    """A dated scenario event. ``crisis`` is a severity in [0, 1] or None."""

    step: int
    date: str
    label: str
    source: str = ""
    changes: tuple[Change, ...] = ()
    institutions: tuple[dict, ...] = ()
    crisis: float | None = None


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    start: str
    steps: int
    power_ids: tuple[str, ...]
    parameters: Parameters
    institutions: tuple[dict, ...]
    events: tuple[Event, ...]
    capabilities: np.ndarray | None = field(default=None, repr=False)  # (steps + 1, powers) or None

    def capability_at(self, step: int, parameters: Parameters) -> np.ndarray:
        """Relative capability P of each power at ``step`` (from data, or from parameters)."""
        if self.capabilities is not None:
            return self.capabilities[min(step, len(self.capabilities) - 1)]
        raw = np.array([parameters.powers[p].capability for p in self.power_ids])
        return raw / raw.sum() if raw.sum() > 0 else np.full(len(raw), 1 / len(raw))


def _read(name: str) -> dict[str, Any]:
    folder = resources.files("model") / "scenario_files"
    path = folder.joinpath(f"{name}.toml")
    if not path.is_file():
        raise ScenarioError(f"unknown scenario '{name}' (known: {', '.join(scenario_names())})")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"scenario file {name}.toml is not valid TOML: {error}") from None


def scenario_names() -> list[str]:
    """Names of the shipped scenarios."""
    folder = resources.files("model") / "scenario_files"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def describe_scenarios() -> list[tuple[str, str]]:
    """(name, one-line description) for every shipped scenario."""
    return [(name, _read(name)["scenario"].get("description", "")) for name in scenario_names()]


def _merge(base: dict, extra: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _resolved(name: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    if name in seen:
        raise ScenarioError(f"scenario '{name}' extends itself through {' -> '.join(seen)}")
    raw = _read(name)
    parent = raw.get("scenario", {}).get("extends")
    if not parent:
        return raw
    base = _resolved(parent, (*seen, name))
    merged = _merge({k: v for k, v in base.items() if k not in ("events", "institutions")},
                    {k: v for k, v in raw.items() if k not in ("events", "institutions")})
    merged["scenario"].pop("extends", None)
    merged["events"] = base.get("events", []) + raw.get("events", [])
    merged["institutions"] = base.get("institutions", []) + raw.get("institutions", [])
    return merged


def _drop_powers(raw: dict, dropped: set[str]) -> dict:
    """Remove powers everywhere they appear: parameters, rivalry pairs, institutions, events."""
    sc = raw["scenario"]
    sc["powers"] = [p for p in sc["powers"] if p not in dropped]
    params = raw.setdefault("parameters", {})
    for power in dropped:
        params.get("powers", {}).pop(power, None)
    pairs = params.get("rivalry", {}).get("pairs", {})
    for key in list(pairs):
        if set(key.split("-")) & dropped:
            pairs.pop(key)

    def mentions(path: str) -> bool:
        return bool(set(path.replace("-", ".").split(".")) & dropped)

    def keep_institution(spec: dict) -> dict:
        spec = dict(spec)
        spec["members"] = [m for m in spec.get("members", []) if m not in dropped]
        spec["leads"] = [m for m in spec.get("leads", []) if m not in dropped]
        return spec

    raw["institutions"] = [keep_institution(i) for i in raw.get("institutions", [])]
    events = []
    for event in raw.get("events", []):
        event = dict(event)
        event["changes"] = [c for c in event.get("changes", []) if not mentions(c.get("path", ""))]
        event["institutions"] = [keep_institution(i) for i in event.get("institutions", [])]
        events.append(event)
    raw["events"] = events
    return raw


def _drop_institutions(raw: dict) -> dict:
    raw["institutions"] = []
    events = []
    for event in raw.get("events", []):
        event = dict(event)
        event.pop("institutions", None)
        event["changes"] = [c for c in event.get("changes", []) if not c.get("path", "").startswith("institution.")]
        events.append(event)
    raw["events"] = events
    return raw


def _parameters(raw: dict, power_ids: tuple[str, ...], name: str) -> Parameters:
    data = copy.deepcopy(raw.get("parameters", {}))
    powers = data.get("powers", {})
    unknown = set(powers) - set(power_ids)
    if unknown:
        raise ScenarioError(f"scenario '{name}': parameters for powers not in the scenario: {sorted(unknown)}")
    data["powers"] = {p: powers.get(p, {}) for p in power_ids}
    try:
        return Parameters.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(map(str, first["loc"]))
        raise ScenarioError(f"scenario '{name}': parameter '{where}': {first['msg']}") from None


def _check_institution(spec: dict, power_ids: tuple[str, ...], where: str) -> dict:
    required = {"name", "domains", "leads", "members", "binding", "voice"}
    missing = required - set(spec)
    if missing:
        raise ScenarioError(f"{where}: institution lacks {sorted(missing)}")
    extra = set(spec) - required - {"exit_cost"}
    if extra:
        raise ScenarioError(f"{where}: institution has unknown keys {sorted(extra)}")
    for key in ("leads", "members"):
        bad = [p for p in spec[key] if p not in power_ids]
        if bad:
            raise ScenarioError(f"{where}: institution '{spec['name']}' names unknown powers {bad}")
    bad = [d for d in spec["domains"] if d not in DOMAINS]
    if bad:
        raise ScenarioError(f"{where}: institution '{spec['name']}' has unknown domains {bad}")
    return dict(spec)


def _check_change(entry: dict, parameter_paths: set[str], power_ids: tuple[str, ...],
                  institution_names: set[str], where: str) -> Change:
    ops = [op for op in OPERATIONS if op in entry]
    if "path" not in entry or len(ops) != 1 or set(entry) - {"path", *OPERATIONS}:
        raise ScenarioError(f"{where}: a change needs 'path' and exactly one of {OPERATIONS}: {entry}")
    path, op = entry["path"], ops[0]
    parts = path.split(".")
    if path in parameter_paths:
        pass
    elif parts[0] == "state" and len(parts) >= 2 and parts[1] in STATE_TARGETS:
        ids = parts[2:]
        if len(ids) != STATE_TARGETS[parts[1]]:
            raise ScenarioError(f"{where}: state path '{path}' has the wrong number of parts")
        if parts[1] == "rivalry":
            pair = ids[0].split("-")
            if len(pair) != 2 or any(p not in power_ids for p in pair):
                raise ScenarioError(f"{where}: '{path}' must name a pair of powers like RUS-WEST")
        elif ids and ids[0] not in power_ids:
            raise ScenarioError(f"{where}: '{path}' names an unknown power")
        if len(ids) == 2 and ids[1] not in DOMAINS:
            raise ScenarioError(f"{where}: '{path}' names an unknown domain")
    elif parts[0] == "institution":
        inst_name, attribute = ".".join(parts[1:-1]), parts[-1]
        if inst_name not in institution_names or attribute not in INSTITUTION_FIELDS:
            raise ScenarioError(f"{where}: unknown institution or field in '{path}'")
    else:
        raise ScenarioError(f"{where}: unknown path '{path}'")
    value = entry[op]
    if op == "uniform" and (not isinstance(value, list) or len(value) != 2 or value[0] > value[1]):
        raise ScenarioError(f"{where}: 'uniform' needs [low, high] for '{path}'")
    return Change(path, op, value)


def _build(name: str) -> Scenario:
    raw = _resolved(name)
    sc = raw.get("scenario")
    if not isinstance(sc, dict):
        raise ScenarioError(f"scenario '{name}' has no [scenario] table")
    if sc.get("drop_powers"):
        raw = _drop_powers(raw, set(sc["drop_powers"]))
    if sc.get("drop_institutions"):
        raw = _drop_institutions(raw)
    try:
        start = sc["start"]
        parse_quarter(start)
        steps = int(sc["steps"])
        power_ids = tuple(sc["powers"])
    except (KeyError, ValueError, TypeError) as error:
        raise ScenarioError(f"scenario '{name}': bad or missing start/steps/powers ({error})") from None
    if len(power_ids) < 2 or len(set(power_ids)) != len(power_ids):
        raise ScenarioError(f"scenario '{name}': needs at least two distinct powers")
    parameters = _parameters(raw, power_ids, name)
    parameter_paths = {row.path for row in parameter_rows(parameters)}

    institutions = tuple(_check_institution(i, power_ids, f"scenario '{name}'") for i in raw.get("institutions", []))
    names = {i["name"] for i in institutions}
    events: list[Event] = []
    for entry in raw.get("events", []):
        where = f"scenario '{name}', event {entry.get('date')} {entry.get('label', '')!r}"
        created = tuple(_check_institution(i, power_ids, where) for i in entry.get("institutions", []))
        names |= {i["name"] for i in created}
        try:
            step = step_of(start, entry["date"])
        except (KeyError, ValueError):
            raise ScenarioError(f"{where}: bad or missing date") from None
        changes = tuple(_check_change(c, parameter_paths, power_ids, names, where) for c in entry.get("changes", []))
        crisis = entry.get("crisis")
        if crisis is not None and not 0 <= float(crisis) <= 1:
            raise ScenarioError(f"{where}: crisis severity must be in [0, 1]")
        events.append(Event(step, entry["date"], entry.get("label", ""), entry.get("source", ""),
                            changes, created, None if crisis is None else float(crisis)))
    events.sort(key=lambda e: e.step)
    capabilities = quarterly_capability(power_ids, start, steps) if sc.get("capabilities") == "data" else None
    return Scenario(name, sc.get("description", ""), start, steps, power_ids, parameters, institutions,
                    tuple(events), capabilities)


@lru_cache(maxsize=32)
def load_scenario(name: str) -> Scenario:
    """The named scenario, validated. Raises ScenarioError for unknown names or bad files."""
    if not isinstance(name, str) or not name:
        raise ScenarioError(f"unknown scenario {name!r} (known: {', '.join(scenario_names())})")
    try:
        return _build(name)
    except ParameterError as error:
        raise ScenarioError(f"scenario '{name}': {error}") from None


def build_institutions(specs: tuple[dict, ...], step: int, activism: float) -> list[Institution]:
    """Fresh, mutable Institution objects from scenario specs."""
    return [
        Institution(
            name=s["name"], domains=tuple(s["domains"]), leads=tuple(s["leads"]), members=tuple(s["members"]),
            binding=float(s["binding"]), voice=float(s["voice"]), exit_cost=float(s.get("exit_cost", 0.3)),
            activism=activism, created_step=step,
        )
        for s in specs
    ]
