"""The per-quarter record, over R replications at once, built from the declaration of its columns
(:data:`model.outcomes.RECORD`): its layout (names and kinds, in order), what it is computed from
(:func:`record_inputs`), its values and one replication's row. Mesa's DataCollector of it is
:class:`model.collector.RecordCollector` (apart, so that the engine and sweep workers never import Mesa).

A column's name and its value come from the same declaration, so no list of names runs beside a
list of values.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from multivector.model.outcomes import FLOAT, INT, PAIR, RECORD, TEXT, PowerBlock, Inputs
from multivector.model.rules import FIXED_RULES

if TYPE_CHECKING:
    from multivector.model.ensemble import Ensemble

__all__ = ["FLOAT", "INT", "TEXT", "TEXT_COLUMNS", "record_inputs", "record_layout", "record_row",
           "record_text", "record_values", "values_from"]


@lru_cache(maxsize=16)
def record_layout(power_ids: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Every column of the per-quarter record with its kind (int, float or text), in record order:
    the data contract's columns, then the extra columns (the contract allows them)."""
    layout: list[tuple[str, str]] = []
    for entry in RECORD:
        if isinstance(entry, PowerBlock):
            layout += [(f"{c.name}_{g}", c.kind) for g in power_ids for c in entry.columns]
        else:
            layout += [(name, entry.kind) for name in entry.names(power_ids)]
    return tuple(layout)


TEXT_COLUMNS: tuple[str, ...] = tuple(name for name, kind in record_layout(()) if kind == TEXT)


@lru_cache(maxsize=8)
def _pairs(powers: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(powers, 1)


def record_inputs(w: "Ensemble") -> dict[str, np.ndarray]:
    """What the current quarter's record is computed from, as arrays with a leading replication axis."""
    s, o, a = w.state, w.outcomes, w.actions
    now = s.ledger.current()
    m = w.P.measures
    inputs = {
        "step": np.full(w.count, w.quarter), "year": np.full(w.count, int(w.date[:4])),
        "engagement": s.engagement, "dependence": s.dependence, "offers": a.offers, "pressure": a.pressure,
        "pressure_domain": a.pressure_domain, "coercion_count": s.coercion_count, "satisfaction": w.satisfaction,
        "threat": w.threat, "log_welfare": s.log_welfare, "abandonment_count": s.abandonment_count,
        "route": s.route, "hostile": s.hostile, "benign": s.benign, "enmeshment": w.enmeshment,
        "pressure_episodes": s.pressure_episodes, "inducement_total": s.inducement_total,
        "client_streak": s.client_streak, "client_quarters_needed": m.client_quarters,
        "client_quarters": s.client_quarters, "demand_kind": a.demand_kind, "demand_met": a.demand_met,
        "demand_high": a.demand_high, "pressure_threshold": w.powers.pressure_threshold,
        "economic_cap": w.powers.economic_cap, "exits": s.exits, "capability": w.capability,
        "military": w.military, "rivalry": w.rivalry_effective, "outcome_sums": s.outcome_sums,
        "deviation": now.deviation, "concession": now.concession, "pressure_suffered": now.pressure,
        "exit_option_threshold": m.exit_option_threshold, "capacity": s.capacity, "growth": w.growth,
        "utility": w.utility, "memberships": s.member.sum(axis=1), "alternative_routes": s.alternative_routes,
        "crisis_requests": s.crisis_requests, "rule_in_force": w.rule_in_force,
        **{f"outcome_{name}": value for name, value in o.items()},
    }
    return inputs


def record_values(w: "Ensemble") -> np.ndarray:
    """(R, K) the current quarter's numeric record columns for every replication (ints as floats),
    in the order of :func:`record_layout` without its text columns."""
    return values_from(record_inputs(w))


def values_from(x: Inputs) -> np.ndarray:
    """(N, K) the record's numeric columns, in record order, from :func:`record_inputs` (rows:
    replications, or quarters stacked): each column's declared ``compute``."""
    n = len(x["step"])
    parts = []
    for entry in RECORD:
        if isinstance(entry, PowerBlock):
            parts.append(np.stack([c.compute(x) for c in entry.columns], axis=2).reshape(n, -1))
        elif entry.kind == TEXT:
            continue
        elif entry.over == PAIR:
            upper = _pairs(x["engagement"].shape[1])
            parts.append(entry.compute(x)[:, upper[0], upper[1]])
        else:
            parts.append(np.reshape(entry.compute(x), (n, -1)))
    return np.concatenate(parts, axis=1, dtype=float)


def record_text(w: "Ensemble", replication: int) -> tuple[str, ...]:
    """One replication's text columns of the record, in ``TEXT_COLUMNS`` order."""
    texts = {"date": w.date, "strategy": FIXED_RULES[int(w.rule_in_force[replication])],
             "strategy_setting": w.strategies[replication], "scenario": w.scenario_data.name}
    return tuple(texts[name] for name in TEXT_COLUMNS)


@lru_cache(maxsize=16)
def _row_plan(power_ids: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[int, ...], tuple[tuple[int, str], ...]]:
    """Names of all columns, the positions of int columns among the numeric ones, and (position,
    name) of the text columns in the full record."""
    layout = record_layout(power_ids)
    numeric = [kind for _, kind in layout if kind != TEXT]
    return (tuple(name for name, _ in layout), tuple(i for i, kind in enumerate(numeric) if kind == INT),
            tuple((i, name) for i, (name, kind) in enumerate(layout) if kind == TEXT))


def record_row(w: "Ensemble", replication: int = 0) -> dict:
    """One replication's record as a dict of Python scalars (what Mesa's DataCollector collects)."""
    names, ints, texts = _row_plan(w.power_ids)
    values = record_values(w)[replication].tolist()
    for i in ints:
        values[i] = int(values[i])
    for (i, _), text in zip(texts, record_text(w, replication)):
        values.insert(i, text)
    return dict(zip(names, values))


def __getattr__(name: str):
    if name == "RecordCollector":  # its old home; it lives in model.collector, with Mesa
        from multivector.model.collector import RecordCollector  # noqa: PLC0415

        return RecordCollector
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
