"""Dated scenario events: what they may change, how they are checked when a scenario loads, and
how they are applied to a running model.

An event changes parameters (``powers.<id>.intent``), the state (``state.rivalry.<id>-<id>``,
``state.engagement.<id>.security``...), institutions (``institution.<name>.binding``), creates
institutions, or starts a crisis. A change is ``set``, ``add``, ``scale``, ``uniform`` (a value
drawn in [low, high]) or ``scale_uniform`` (the current value times a factor drawn in [low, high]);
draws come from the run's initial random block (``model.draws``).

Order within a quarter: by ``day`` (an ISO date inside the quarter) where given, undated events
first, then file order. A crisis is resolved when its event applies, so the help S gets reflects
the world at that moment, before later events of the same quarter (January 2022 before February).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from multivector.model.calendar import parse_quarter
from multivector.model.contract import DOMAINS
from multivector.model.errors import ScenarioError
from multivector.model.state import cap_domain_shares

if TYPE_CHECKING:
    from multivector.model.ensemble import Ensemble

STATE_TARGETS = {
    # target: number of id parts after the target name (powers or domains)
    "engagement": 2, "dependence": 2, "route": 1, "route_infrastructure": 1, "signal": 1,
    "belief_hostile": 1, "belief_benign": 1, "rivalry": 1, "alternative_routes": 0, "oil": 0, "welfare": 0,
}
INSTITUTION_FIELDS = {"binding", "voice", "exit_cost", "activism_floor", "domains"}
OPERATIONS = ("set", "add", "scale", "uniform", "scale_uniform")
RANDOM_OPERATIONS = ("uniform", "scale_uniform")
SCALABLE = ("add", "scale_uniform")  # the changes a shock scale can widen or shrink


@dataclass(frozen=True)
class Change:
    """One change an event makes. ``draw`` is the index of its uniform in the initial block (uniform only)."""

    path: str
    op: str
    value: Any
    draw: int = -1
    scaled_by: str = ""  # a parameter (shocks.*) that scales the change; see :func:`scaled`


@dataclass(frozen=True)
class Event:
    """A dated scenario event. ``crisis`` is a severity in [0, 1] or None."""

    step: int
    date: str
    label: str
    source: str = ""
    day: str = ""
    changes: tuple[Change, ...] = ()
    institutions: tuple[dict, ...] = ()
    crisis: float | None = None


# ----- checking, when a scenario loads ----------------------------------------------------------------

def check_institution(spec: dict, power_ids: tuple[str, ...], where: str) -> dict:
    """An institution spec with every required key, known powers and domains."""
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


def check_change(entry: dict, parameter_paths: set[str], power_ids: tuple[str, ...], institution_names: set[str],
                 where: str, draw: int) -> Change:
    """A change with a known path and exactly one operation."""
    ops = [op for op in OPERATIONS if op in entry]
    if "path" not in entry or len(ops) != 1 or set(entry) - {"path", "scaled_by", *OPERATIONS}:
        raise ScenarioError(f"{where}: a change needs 'path' and exactly one of {OPERATIONS}: {entry}")
    scaled_by = entry.get("scaled_by", "")
    if scaled_by and (not scaled_by.startswith("shocks.") or scaled_by not in parameter_paths):
        raise ScenarioError(f"{where}: scaled_by must name a shocks.* parameter, got {scaled_by!r}")
    if scaled_by and ops[0] not in SCALABLE:
        raise ScenarioError(f"{where}: scaled_by applies to {' and '.join(SCALABLE)} changes only")
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
                raise ScenarioError(f"{where}: '{path}' must name a pair of powers like A-B (two power ids)")
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
    if op in RANDOM_OPERATIONS and (not isinstance(value, list) or len(value) != 2 or value[0] > value[1]):
        raise ScenarioError(f"{where}: '{op}' needs [low, high] for '{path}'")
    return Change(path, op, value, draw if op in RANDOM_OPERATIONS else -1, scaled_by)


def check_day(day: str, date: str, where: str) -> str:
    """``day`` must be an ISO date inside the event's quarter."""
    if not day:
        return ""
    try:
        parsed = datetime.date.fromisoformat(str(day))
    except ValueError:
        raise ScenarioError(f"{where}: day must be a date like 2022-01-05, got {day!r}") from None
    year, quarter = parse_quarter(date)
    if parsed.year != year or (parsed.month - 1) // 3 + 1 != quarter:
        raise ScenarioError(f"{where}: day {day} is not in {date}")
    return parsed.isoformat()


def order_events(events: list[Event]) -> tuple[Event, ...]:
    """By quarter, then day (undated first), then file order (``sorted`` is stable)."""
    return tuple(sorted(events, key=lambda e: (e.step, e.day)))


# ----- applying, during a run ----------------------------------------------------------------------

def scaled(change: Change, scale: np.ndarray | None) -> Any:
    """The change's value under its shock scale k (per replication, (R,)): an increment times k; a
    factor's draw range [lo, hi] widened or narrowed around 1 to [1 - k(1 - lo), 1 + k(hi - 1)]
    (seeds/experiments.md E7, E8). Without a scale, or where k is exactly 1, the value as written, so
    the default scenario is unchanged to the bit."""
    if scale is None or np.all(scale == 1.0):
        return change.value
    k = scale.astype(float)
    if change.op == "add":
        return change.value * k
    low, high = change.value
    return [np.maximum(1 - k * (1 - low), 0.0), 1 + k * (high - 1)]


def new_value(change: Change, old: np.ndarray, uniforms: np.ndarray, scale: np.ndarray | None = None) -> np.ndarray:
    """The values a change gives a quantity that is ``old`` now in each replication (``old`` and
    the result shaped (R, ...); ``uniforms`` is the runs' initial block, (R, n)); ``scale`` is the
    change's shock scale per replication, if it names one."""
    value = scaled(change, scale)
    along = (-1,) + (1,) * (np.ndim(old) - 1)  # a per-replication value against (R, ...)
    if change.op == "set":
        return np.full(np.shape(old), value, dtype=float) if not isinstance(value, list) else old
    if change.op == "add":
        return old + (np.reshape(value, along) if np.ndim(value) else value)
    if change.op == "scale":
        return old * value
    low, high = (np.reshape(bound, along) if np.ndim(bound) else bound for bound in value)
    drawn = low + (high - low) * uniforms[:, change.draw].reshape(along)
    return drawn if change.op == "uniform" else old * drawn


def apply_event(world: "Ensemble", event: Event, resolve_crisis: Callable[[float], None]) -> None:
    """Apply ``event`` to every replication of ``world`` (parameters, state, institutions), then
    resolve its crisis, if any, at once, on the structure as the event left it. (The world
    recomputes its derived structure once after the quarter's events.)"""
    world.event_log.append((event.step, event.date, event.label))
    for spec in event.institutions:
        world.create_institution(spec["name"])
    for change in event.changes:
        _apply_change(world, change)
    world.parameters_changed = True
    if event.crisis is not None:
        world.refresh_structure()
        resolve_crisis(event.crisis)


def _apply_change(world: "Ensemble", change: Change) -> None:
    parts = change.path.split(".")
    scale = None
    if change.scaled_by:
        slot = world.P.slot(change.scaled_by)
        scale = slot.array[slot.index]
    value_of = lambda old: new_value(change, old, world.initial_draws, scale)  # noqa: E731
    if parts[0] == "state":
        _apply_state_change(world, parts[1], parts[2:], value_of)
    elif parts[0] == "institution":
        t = world.table
        i, attribute = t.index(".".join(parts[1:-1])), parts[-1]
        if attribute == "activism_floor":
            t.activism_floor[i] = float(new_value(change, np.array([t.activism_floor[i]]), world.initial_draws[:1])[0])
            live = world.state.member[:, i]
            world.state.activism[:, i] = np.where(live, np.maximum(world.state.activism[:, i], t.activism_floor[i]),
                                                  world.state.activism[:, i])
        elif attribute == "domains":
            t.domains[i] = [d in change.value for d in DOMAINS]
        else:
            array = getattr(t, attribute)
            array[:, i] = np.clip(value_of(array[:, i]), 0, 1)
    else:
        slot = world.P.slot(change.path)
        cell = slot.array[slot.index]
        value = np.clip(value_of(cell), slot.low, slot.high)
        if slot.kind == "int":
            value = np.round(value)
        slot.array[slot.index] = value


def _apply_state_change(world: "Ensemble", target: str, ids: list[str], value_of) -> None:
    s = world.state
    index = world.power_ids.index
    if target in ("engagement", "dependence"):
        g, d = index(ids[0]), DOMAINS.index(ids[1])
        array = s.engagement if target == "engagement" else s.dependence
        array[:, g, d] = np.clip(value_of(array[:, g, d]), 0, 1)
        s.dependence = cap_domain_shares(s.dependence)
    elif target == "route":
        g = index(ids[0])
        s.route[:, g] = np.clip(value_of(s.route[:, g]), 0, 1)
        s.route = s.route / np.maximum(1.0, s.route.sum(axis=1, keepdims=True))
    elif target == "route_infrastructure":
        g = index(ids[0])
        s.route_infrastructure[:, g] = np.maximum(0.0, value_of(s.route_infrastructure[:, g]))
    elif target == "signal":
        g = index(ids[0])
        s.signal[:, g] = np.clip(value_of(s.signal[:, g]), -1, 1)
    elif target in ("belief_hostile", "belief_benign"):
        g = index(ids[0])
        array = s.hostile if target == "belief_hostile" else s.benign
        array[:, g] = np.maximum(0.1, value_of(array[:, g]))
    elif target == "rivalry":
        a, b = (index(x) for x in ids[0].split("-"))
        value = np.clip(value_of(s.rivalry[:, a, b]), 0, 1)
        s.rivalry[:, a, b] = s.rivalry[:, b, a] = value
        s.rivalry_baseline[:, a, b] = s.rivalry_baseline[:, b, a] = value
    elif target == "alternative_routes":
        s.alternative_routes = np.maximum(0.0, value_of(s.alternative_routes))
    elif target == "oil":
        s.oil = value_of(s.oil).astype(float)
    elif target == "welfare":
        s.log_welfare = value_of(s.log_welfare).astype(float)
