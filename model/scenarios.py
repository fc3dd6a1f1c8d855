"""Scenarios as data: the TOML files in ``model/scenario_files/`` plus the shipped capability data.

A scenario names its great powers, its start quarter and length, parameter values (overriding
the defaults in :mod:`model.parameters`), its initial institutions and its dated events
(:mod:`model.events`). A file may ``extends`` another and ``drop_powers`` or
``drop_institutions`` (the counterfactuals of ``seeds/experiments.md``).

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

from multivector.model import crosscase
from multivector.model.calendar import parse_quarter, step_of
from multivector.model.capabilities import PowerSeries, power_series
from multivector.model.case import Case, parse_case
from multivector.model.errors import ParameterError, ScenarioError
from multivector.model.observed import initial_dependence
from multivector.model.events import Event, check_change, check_day, check_institution, order_events
from multivector.model.parameters import Parameters, check_references, parameter_rows

DEFAULT_SCENARIO = "kazakhstan"  # the source article's case (DESIGN.md): the one name of a case the code holds


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
    series: PowerSeries | None = field(default=None, repr=False)  # from data, or None (from parameters)
    random_changes: int = 0  # event changes that draw a uniform from the initial block
    system_size: int = 0  # powers in the world the input shares are taken over (dropped ones included)
    case: Case | None = None  # the real case behind the scenario ([case] table), if any
    from_data: tuple[tuple[str, str], ...] = ()  # (parameter path, where its value was read) for data-set values
    caveats: tuple[str, ...] = ()  # what a reader of the data-set values should know (shown by `multivector cases`)

    def events_at(self, step: int) -> tuple[Event, ...]:
        """The events due at ``step``, in the order they apply."""
        return self._events_by_step().get(step, ())

    def _events_by_step(self) -> dict[int, tuple[Event, ...]]:
        cached = self.__dict__.get("_by_step")
        if cached is None:
            cached = {}
            for event in self.events:
                cached[event.step] = cached.get(event.step, ()) + (event,)
            object.__setattr__(self, "_by_step", cached)
        return cached

    def inputs_at(self, step: int, parameters: Parameters) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(aggregate power, economic size, offensive capability) of each power at ``step``, as
        shares of the world's ``system_size`` powers: from data, or from ``powers.<id>.capability``
        and ``.military`` (then summing to 1)."""
        if self.series is not None:
            i = min(step, len(self.series.aggregate) - 1)
            return self.series.aggregate[i], self.series.economic[i], self.series.military[i]
        aggregate = _shares(np.array([parameters.powers[p].capability for p in self.power_ids]))
        return aggregate, aggregate, _shares(np.array([parameters.powers[p].military for p in self.power_ids]))


def _shares(raw: np.ndarray) -> np.ndarray:
    return raw / raw.sum() if raw.sum() > 0 else np.full(len(raw), 1 / len(raw))


def _read(name: str) -> dict[str, Any]:
    folder = resources.files("multivector.model") / "scenario_files"
    path = folder.joinpath(f"{name}.toml")
    if not path.is_file():
        raise ScenarioError(f"unknown scenario '{name}' (known: {', '.join(scenario_names())})")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"scenario file {name}.toml is not valid TOML: {error}") from None


def scenario_names() -> list[str]:
    """Names of the shipped scenarios."""
    folder = resources.files("multivector.model") / "scenario_files"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def declares_case(name: str) -> bool:
    """Whether the scenario's own file declares a real case (a ``[case]`` table, not one inherited)."""
    return "case" in _read(name)


def parent_of(name: str) -> str | None:
    """The scenario the named one ``extends``, if any."""
    return _read(name).get("scenario", {}).get("extends")


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
        parameters = Parameters.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(map(str, first["loc"]))
        raise ScenarioError(f"scenario '{name}': parameter '{where}': {first['msg']}") from None
    check_references(parameters)
    return parameters


def _build(name: str) -> Scenario:
    return scenario_from_dict(_resolved(name), name)


def scenario_from_dict(raw: dict[str, Any], name: str) -> Scenario:
    """A scenario from the parsed contents of a scenario file (``extends`` already resolved), validated."""
    raw = copy.deepcopy(raw)
    sc = raw.get("scenario")
    if not isinstance(sc, dict):
        raise ScenarioError(f"scenario '{name}' has no [scenario] table")
    system = tuple(sc.get("powers", ()))  # the powers whose shares make up the world, before any is dropped
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
    case = parse_case(raw["case"], power_ids, system, start, steps, name) if "case" in raw else None
    wants_data = sc.get("capabilities") == "data" or sc.get("initial_dependence") == "data"
    if wants_data and case is None:
        raise ScenarioError(f"scenario '{name}': capabilities or initial_dependence = \"data\" needs a [case] table "
                            f"naming the data rows of its powers")
    from_data = _structure_from_data(raw, sc, case, parameters, power_ids, name) if case is not None else ()
    parameter_paths = {row.path for row in parameter_rows(parameters)}

    institutions = tuple(check_institution(i, power_ids, f"scenario '{name}'") for i in raw.get("institutions", []))
    names = {i["name"] for i in institutions}
    events: list[Event] = []
    draws = 0
    for entry in raw.get("events", []):
        where = f"scenario '{name}', event {entry.get('date')} {entry.get('label', '')!r}"
        unknown = set(entry) - {"date", "day", "label", "source", "changes", "institutions", "crisis"}
        if unknown:
            raise ScenarioError(f"{where}: unknown keys {sorted(unknown)}")
        created = tuple(check_institution(i, power_ids, where) for i in entry.get("institutions", []))
        names |= {i["name"] for i in created}
        try:
            step = step_of(start, entry["date"])
        except (KeyError, ValueError):
            raise ScenarioError(f"{where}: bad or missing date") from None
        changes = []
        for c in entry.get("changes", []):
            changes.append(check_change(c, parameter_paths, power_ids, names, where, draws))
            draws += changes[-1].draw >= 0
        crisis = entry.get("crisis")
        if crisis is not None and not 0 <= float(crisis) <= 1:
            raise ScenarioError(f"{where}: crisis severity must be in [0, 1]")
        events.append(Event(step, entry["date"], entry.get("label", ""), entry.get("source", ""),
                            check_day(entry.get("day", ""), entry["date"], where), tuple(changes), created,
                            None if crisis is None else float(crisis)))
    series = None
    if sc.get("capabilities") == "data":
        # A dropped power leaves the game, not the world: shares stay those of the full system.
        full = power_series(case, system, start, steps)
        keep = [system.index(p) for p in power_ids]
        series = PowerSeries(full.aggregate[:, keep], full.economic[:, keep], full.military[:, keep])
    return Scenario(name, sc.get("description", ""), start, steps, power_ids, parameters, institutions,
                    order_events(events), series, draws, len(system), case, from_data,
                    tuple(crosscase.caveats(case.secondary, case.rows, power_ids, case.first_year_observed))
                    if case is not None and case.series is None else ())


def _structure_from_data(raw: dict, sc: dict, case: Case, parameters: Parameters, power_ids: tuple[str, ...],
                         name: str) -> tuple[tuple[str, str], ...]:
    """Set the structural parameters the case's data give; returns (path, source) for each.

    Initial economic and security dependence (``initial_dependence = "data"``) are always the
    data's. A case reading the cross-case data also takes reach and initial economic and security
    engagement from it, except where the scenario file writes a value (each with its source).
    """
    written = raw.get("parameters", {}).get("powers", {})
    out: list[tuple[str, str]] = []
    if case.series is not None:
        if sc.get("initial_dependence") == "data":
            pack = case.series
            # Structural inputs before any free parameter: S's starting dependence is what was observed.
            for power, shares in initial_dependence(case, power_ids).items():
                parameters.powers[power].initial_dependence_economy = shares["economy"]
                parameters.powers[power].initial_dependence_security = shares["security"]
                out.append((f"powers.{power}.initial_dependence_economy", f"{pack.trade} {pack.initial_trade_year}"))
                out.append((f"powers.{power}.initial_dependence_security",
                            f"{', '.join(pack.arms)} {pack.initial_arms_years[0]}-{pack.initial_arms_years[1]}"))
        return tuple(out)
    crosscase.check_rows(case.secondary, case.rows, f"scenario '{name}' [case]")
    year = case.first_year_observed
    sources = {"reach": "crosscase/geography.csv", "initial_dependence_economy": "crosscase/trade.csv",
               "initial_engagement_economy": "crosscase/trade.csv", "initial_engagement_security": "crosscase/alliances.csv",
               "initial_dependence_security": "crosscase/alliances.csv"}
    dependence = ("initial_dependence_economy", "initial_dependence_security")
    for power, values in crosscase.initial_ties(case.secondary, case.rows, power_ids, year).items():
        for field_name, value in values.items():
            if field_name in dependence:
                if sc.get("initial_dependence") != "data":
                    continue
            elif field_name in written.get(power, {}):
                continue
            setattr(parameters.powers[power], field_name, value)
            out.append((f"powers.{power}.{field_name}", f"{sources[field_name]} {case.secondary} {year}"))
    return tuple(out)


@lru_cache(maxsize=32)
def load_scenario(name: str) -> Scenario:
    """The named scenario, validated. Raises ScenarioError for unknown names or bad files."""
    if not isinstance(name, str) or not name:
        raise ScenarioError(f"unknown scenario {name!r} (known: {', '.join(scenario_names())})")
    try:
        return _build(name)
    except ParameterError as error:
        raise ScenarioError(f"scenario '{name}': {error}") from None
