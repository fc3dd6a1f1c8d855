"""Outcome measures, defined once (ODD §7.6, eqs. 20-22), and the per-quarter record, over R
replications at once.

Principle: an outcome is a consequence, never a restatement of the rule's choice. Autonomy and
the client index are computed, identically for every rule, from what happened to S (the
:class:`model.state.Ledger`: demands met and their cost, forced deviations from S's own plan,
pressure and coercion suffered) and from path-dependent dependence (what S would lose if a
power cut it off). None of them reads S's engagement. How a rule spreads its own engagement
(hedging index, exit options) is recorded as description only, never as evidence for a rule.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from mesa import DataCollector

from model.contract import DOMAINS
from model.numeric import clip, mean
from model.perception import ECO, SEC
from model.rules import FIXED_RULES
from model.state import Series

if TYPE_CHECKING:
    from model.ensemble import Ensemble
    from model.model import MultivectorModel

RUNNING_MEANS = ("autonomy", "security", "coexistence")


# ----- client index (Lake 2009) --------------------------------------------------------------------

def security_hierarchy(dependence: np.ndarray, capacity: np.ndarray, reliability: np.ndarray) -> np.ndarray:
    """SH[g] = D[g,SEC] * (1 - min(1, K + sum_{h != g} D[h,SEC] * rel[h])): the security reliance on g
    that neither S's own capacity nor its other (reliable) partners could replace (Lake 2009's
    security hierarchy: foreign forces and no independent alliances)."""
    weighted = dependence[:, :, SEC] * reliability
    substitutes = np.minimum(1.0, capacity[:, None] + weighted.sum(axis=1, keepdims=True) - weighted)
    return dependence[:, :, SEC] * (1 - substitutes)


def economic_hierarchy(dependence: np.ndarray, route: np.ndarray, route_weight: np.ndarray) -> np.ndarray:
    """EH[g] = (1 - w) D[g,ECO] + w route[g]: the share of S's trade it would lose if g cut ties,
    with the export routes through g standing for the part of trade that needs them (Keohane &
    Nye 1977 vulnerability; Lake 2009 economic hierarchy). Dependence and routes are accumulated
    over years (ODD eq. 9), not chosen each quarter."""
    w = route_weight[:, None]
    return (1 - w) * dependence[:, :, ECO] + w * route


def policy_deference(asked: np.ndarray, met: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """PD[g]: cost-weighted share of g's demands S met over the window, shrunk toward 1/2 by a
    prior of ``prior`` cost units on each side (Lake 2009: authority is obeyed commands;
    comparable with UNGA voting cohesion, Yuneman 2023). A demand asks for something S was not
    already doing; sincere preference is unobservable, so a demand met counts whatever the rule's
    reasons. With no demand in the window, PD is 1/2: nothing is known. ``asked`` and ``met``
    (R, G) are the cost of g's demands and of those S met, over the window."""
    return (met + prior[:, None]) / (asked + 2 * prior[:, None])


def dropped_moves(planned: np.ndarray, dropped: np.ndarray) -> np.ndarray:
    """VB[g]: share of S's planned engagement with g's rivals (``planned``, over the window) that
    S gave up because of g (``dropped``: demands met, pressure, coercion)."""
    return np.where(planned > 1e-12, np.minimum(1.0, dropped / np.maximum(planned, 1e-12)), 0.0)


def client_index(security_h: np.ndarray, economic_h: np.ndarray, deference: np.ndarray, dropped: np.ndarray) -> np.ndarray:
    """CI[g] = (SH + EH + POL) / 3, POL = 1 - (1 - PD)(1 - VB) (ODD eq. 20).

    Lake's (2009) two dimensions of hierarchy, security and economic, plus the policy dimension
    in which authority is exercised: deference to demands or moves dropped under objection
    (either shows subordination). Equal weights, chosen before any run; a deviation from the
    specification's geometric mean, which is zero whenever one term is.
    """
    policy = 1 - (1 - deference) * (1 - dropped)
    return clip((security_h + economic_h + policy) / 3, 0.0, 1.0)


# ----- autonomy --------------------------------------------------------------------------------------

def autonomy_loss(totals: Series, window: np.ndarray, p) -> np.ndarray:
    """Average quarterly loss of freedom over the window: forced deviation from S's own plan,
    cost of concessions made, pressure and coercion suffered, each weighted (ODD eq. 21).
    ``totals`` are the ledger's sums over the window."""
    total = (p.autonomy_deviation * totals.deviation + p.autonomy_concession * totals.concession
             + p.autonomy_pressure * totals.pressure + p.autonomy_coercion * totals.coercion)
    return total / window


def autonomy(totals: Series, window: np.ndarray, p) -> np.ndarray:
    """A = exp(-loss) in (0, 1]: 1 when nothing was forced on S over the window (ODD eq. 21)."""
    return np.exp(-autonomy_loss(totals, window, p))


# ----- security ------------------------------------------------------------------------------------

def deterrence(capacity: np.ndarray, enmeshment: np.ndarray, rival_stakes: np.ndarray, dependence: np.ndarray,
               p) -> np.ndarray:
    """Deter[g] = 1 - exp(-(k1 K + k2 M[g] + k3 sum_h R[g,h] Stake[h] + k4 D[g,SEC])) (ODD eq. 22; Goh 2007/08)."""
    k = lambda name: getattr(p, name)[:, None]  # noqa: E731
    return 1 - np.exp(-(k("deterrence_capacity") * capacity[:, None] + k("deterrence_enmeshment") * enmeshment
                        + k("deterrence_stakes") * rival_stakes + k("deterrence_dependence") * dependence[:, :, SEC]))


def security(threat: np.ndarray, deter: np.ndarray, shock: np.ndarray) -> np.ndarray:
    """Sec = 1 - sum_g T[g] (1 - Deter[g]) / |G| - shocks, clipped to [0, 1] (ODD eq. 22), with the
    true threat (true intent, no misperception): an outcome, not a perception."""
    return clip(1 - (threat * (1 - deter)).sum(axis=1) / threat.shape[1] - shock, 0.0, 1.0)


def entrapment(dependence: np.ndarray, war: np.ndarray, exclusivity: np.ndarray, high_cost_met: np.ndarray) -> np.ndarray:
    """EnI = sum_g D[g,SEC] War[g] chi[g,SEC] + costly war-time demands met this quarter (Snyder 1984)."""
    return (dependence[:, :, SEC] * war * exclusivity[:, :, SEC]).sum(axis=1) + high_cost_met


# ----- descriptive only: how a rule spreads its ties -----------------------------------------------

def hedging_index(engagement: np.ndarray) -> np.ndarray:
    """Mean over domains of HI_d = (1 - sum_g s[g,d]^2) / (1 - 1/|G|), s = e normalised per domain.
    1 when engagement is spread evenly, 0 when it goes to one power. Describes the choice."""
    n = engagement.shape[1]
    totals = engagement.sum(axis=1, keepdims=True)
    shares = np.divide(engagement, totals, out=np.full_like(engagement, 1 / n), where=totals > 0)
    return mean((1 - (shares**2).sum(axis=1)) / (1 - 1 / n), 1)


def exit_options(engagement: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """EO: share of domains with at least two partners engaged at or above ``threshold``. Describes the choice."""
    return mean((engagement >= threshold[:, None, None]).sum(axis=1) >= 2, 1)


# ----- the adaptive rule's utility ------------------------------------------------------------------

def utility(security_value: np.ndarray, growth: np.ndarray, autonomy_value: np.ndarray, engagement: np.ndarray,
            p) -> np.ndarray:
    """U = w_sec Sec + w_eco growth/1% + w_aut A - c sum e (ODD §4): what the adaptive secondary
    learns from. The fixed rules never see it."""
    return (p.weight_security * security_value + p.weight_welfare * growth / 0.01 + p.weight_autonomy * autonomy_value
            - p.engagement_cost * engagement.reshape(len(engagement), -1).sum(axis=1))


# ----- the record ----------------------------------------------------------------------------------

INT = "int"
FLOAT = "float"
TEXT = "text"
PER_POWER_EXTRAS = (
    ("route_dependence", FLOAT), ("belief", FLOAT), ("enmeshment", FLOAT), ("pressure_episodes", INT),
    ("inducement_total", FLOAT), ("client_status", INT), ("client_quarters", INT), ("security_hierarchy", FLOAT),
    ("economic_hierarchy", FLOAT), ("policy_deference", FLOAT), ("dropped_moves", FLOAT), ("demands", INT),
    ("demands_met", INT), ("high_cost_demands", INT), ("high_cost_met", INT), ("pressure_domain", INT),
    ("satisfaction_margin", FLOAT), ("economic_cap", FLOAT), ("exits", INT), ("capability", FLOAT),
    ("offensive_capability", FLOAT),
)
CLOSING = (("coexistence", INT), ("forced_deviation", FLOAT), ("concession_cost", FLOAT), ("pressure_suffered", FLOAT),
           ("exit_options", FLOAT), ("capacity", FLOAT), ("growth", FLOAT), ("utility", FLOAT), ("memberships", INT),
           ("alternative_routes", FLOAT), ("crisis_requests", INT), ("rule_in_force", INT))
TEXT_COLUMNS = ("date", "strategy", "strategy_setting", "scenario")


@lru_cache(maxsize=16)
def record_layout(power_ids: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Every column of the per-quarter record, with its kind (int, float or text), in the data
    contract's order and then the extra columns (the contract allows them)."""
    ids = power_ids
    cols: list[tuple[str, str]] = [("step", INT), ("date", TEXT), ("year", INT)]
    for kind in ("engagement", "dependence"):
        cols += [(f"{kind}_{g}_{d}", FLOAT) for g in ids for d in DOMAINS]
    cols += [(f"inducement_{g}", FLOAT) for g in ids]
    cols += [(f"pressure_{g}", FLOAT) for g in ids]
    cols += [(f"coercion_{g}", INT) for g in ids]
    for kind in ("satisfaction", "client_index", "threat"):
        cols += [(f"{kind}_{g}", FLOAT) for g in ids]
    cols += [("autonomy", FLOAT), ("security", FLOAT), ("welfare", FLOAT), ("hedging_index", FLOAT),
             ("abandonment_events", INT), ("entrapment", FLOAT), ("strategy", TEXT)]
    cols += [(f"{name}_{g}", kind) for g in ids for name, kind in PER_POWER_EXTRAS]
    cols += [(f"rivalry_{ids[i]}_{ids[j]}", FLOAT) for i in range(len(ids)) for j in range(i + 1, len(ids))]
    cols += [(f"{column}_mean", FLOAT) for column in RUNNING_MEANS]
    cols += list(CLOSING) + [("strategy_setting", TEXT), ("scenario", TEXT)]
    return tuple(cols)


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


def values_from(x: dict[str, np.ndarray]) -> np.ndarray:
    """(N, K) record columns from :func:`record_inputs` (rows: replications, or quarters stacked)."""
    n, powers = x["engagement"].shape[:2]
    o = lambda name: x[f"outcome_{name}"]  # noqa: E731
    asked = x["demand_kind"] != 0
    pressed = x["pressure"] > 0
    extras = np.stack([
        x["route"], x["hostile"] / (x["hostile"] + x["benign"]), x["enmeshment"], x["pressure_episodes"],
        x["inducement_total"], x["client_streak"] >= x["client_quarters_needed"][:, None], x["client_quarters"],
        o("security_hierarchy"), o("economic_hierarchy"), o("policy_deference"), o("dropped_moves"), asked,
        asked & x["demand_met"], asked & x["demand_high"], asked & x["demand_high"] & x["demand_met"],
        np.where(pressed, x["pressure_domain"], -1), x["satisfaction"] - x["pressure_threshold"], x["economic_cap"],
        x["exits"], x["capability"], x["military"],
    ], axis=2).reshape(n, -1)
    upper = _pairs(powers)
    step = x["step"]
    current = np.stack([o(c) for c in RUNNING_MEANS], axis=1)
    means = np.where((step > 0)[:, None], x["outcome_sums"] / np.maximum(step, 1)[:, None], current)
    outcomes = np.stack([o("autonomy"), o("security"), np.exp(x["log_welfare"]), hedging_index(x["engagement"]),
                         x["abandonment_count"], o("entrapment")], axis=1)
    closing = np.stack([o("coexistence"), x["deviation"], x["concession"], x["pressure_suffered"],
                        exit_options(x["engagement"], x["exit_option_threshold"]), x["capacity"], x["growth"],
                        x["utility"], x["memberships"], x["alternative_routes"], x["crisis_requests"],
                        x["rule_in_force"]], axis=1)
    return np.concatenate([
        np.stack([step, x["year"]], axis=1), x["engagement"].reshape(n, -1), x["dependence"].reshape(n, -1),
        x["offers"].sum(axis=2), x["pressure"], x["coercion_count"], x["satisfaction"], o("client_index"),
        x["threat"], outcomes, extras, x["rivalry"][:, upper[0], upper[1]], means, closing,
    ], axis=1, dtype=float)


def record_text(w: "Ensemble", replication: int) -> tuple[str, ...]:
    """One replication's text columns of the record, in ``TEXT_COLUMNS`` order."""
    return (w.date, FIXED_RULES[int(w.rule_in_force[replication])], w.strategies[replication], w.scenario_data.name)


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


def reporter(column: str):
    """A DataCollector model reporter that reads one column of the current record."""
    def report(model: "MultivectorModel"):
        return model.record[column]

    report.__name__ = f"report_{column}"
    return report


class RecordCollector(DataCollector):
    """Mesa's DataCollector with one model reporter per record column. Each quarter it stores what
    the record is computed from (:func:`record_inputs`) in preallocated arrays, one row per
    quarter, and computes the rows of all stored quarters at once when ``model_vars`` (Mesa's
    per-column lists) is read: the same values, without building a row per quarter or Mesa's
    defensive deepcopy of every value."""

    def __init__(self, power_ids: tuple[str, ...], quarters: int = 1):
        self._layout = record_layout(power_ids)
        self._capacity = max(1, quarters)
        self._inputs: dict[str, np.ndarray] | None = None  # each input, (capacity, ...) for stored quarters
        self._texts: list[tuple[str, ...]] = []  # text columns of the stored quarters
        self._vars: dict[str, list] = {}
        super().__init__(model_reporters={name: reporter(name) for name, _ in self._layout})

    @property
    def model_vars(self) -> dict[str, list]:
        if self._texts:
            self._flush()
        return self._vars

    @model_vars.setter
    def model_vars(self, value: dict[str, list]) -> None:
        self._vars = value

    def collect(self, model: "MultivectorModel") -> None:
        if hasattr(self, "_collection_steps"):
            self._collection_steps.append(model.time)
        world = model.world
        inputs = record_inputs(world)
        row = len(self._texts)
        if self._inputs is None or row == len(next(iter(self._inputs.values()))):
            self._grow(inputs)
        for key, value in inputs.items():
            self._inputs[key][row] = value[0]
        self._texts.append(record_text(world, 0))

    def _grow(self, inputs: dict[str, np.ndarray]) -> None:
        size = self._capacity if self._inputs is None else 2 * len(next(iter(self._inputs.values())))
        grown = {key: np.empty((size, *np.shape(value)[1:]), dtype=np.asarray(value).dtype)
                 for key, value in inputs.items()}
        if self._inputs is not None:
            for key, array in self._inputs.items():
                grown[key][:len(array)] = array
        self._inputs = grown

    def _flush(self) -> None:
        count, texts = len(self._texts), self._texts
        numbers = iter(values_from({key: array[:count] for key, array in self._inputs.items()}).T.tolist())
        self._texts, self._inputs = [], None
        text_columns = dict(zip(TEXT_COLUMNS, zip(*texts)))
        for name, kind in self._layout:
            if kind == TEXT:
                self._vars[name].extend(text_columns[name])
            elif kind == INT:
                self._vars[name].extend(int(x) for x in next(numbers))
            else:
                self._vars[name].extend(next(numbers))
