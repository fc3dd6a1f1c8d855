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

from typing import TYPE_CHECKING

import numpy as np
from mesa import DataCollector

from model.contract import DOMAINS
from model.perception import ECO, SEC
from model.reactions import mix
from model.state import Ledger

if TYPE_CHECKING:
    from model.ensemble import Ensemble
    from model.model import MultivectorModel

RUNNING_MEANS = ("autonomy", "security", "coexistence")


# ----- the trailing window -------------------------------------------------------------------------

def in_window(ledger: Ledger, window: np.ndarray) -> np.ndarray:
    """(R, W) bool: the ledger slots within each replication's window (its last ``window`` quarters)."""
    slots = ledger.deviation.shape[1]
    age = (ledger.position - np.arange(slots)) % slots
    return age[None, :] < window[:, None]


def window_sum(array: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Sum over the window axis (axis 1) of a ledger array, slots outside the window counted as 0."""
    return np.where(mask.reshape(mask.shape + (1,) * (array.ndim - 2)), array, 0.0).sum(axis=1)


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


def policy_deference(ledger: Ledger, window: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """PD[g]: cost-weighted share of g's demands S met over the window, shrunk toward 1/2 by a
    prior of ``prior`` cost units on each side (Lake 2009: authority is obeyed commands;
    comparable with UNGA voting cohesion, Yuneman 2023). A demand asks for something S was not
    already doing; sincere preference is unobservable, so a demand met counts whatever the rule's
    reasons. With no demand in the window, PD is 1/2: nothing is known."""
    mask = in_window(ledger, window)
    asked = window_sum(ledger.demand_cost, mask)
    met = window_sum(ledger.demand_cost_met, mask)
    return (met + prior[:, None]) / (asked + 2 * prior[:, None])


def dropped_moves(ledger: Ledger, window: np.ndarray) -> np.ndarray:
    """VB[g]: share of S's planned engagement with g's rivals that S gave up because of g (demands
    met, pressure, coercion) over the window."""
    mask = in_window(ledger, window)
    planned = window_sum(ledger.planned_rival, mask)
    dropped = window_sum(ledger.dropped, mask)
    return np.where(planned > 1e-12, np.minimum(1.0, dropped / np.maximum(planned, 1e-12)), 0.0)


def client_index(security_h: np.ndarray, economic_h: np.ndarray, deference: np.ndarray, dropped: np.ndarray) -> np.ndarray:
    """CI[g] = (SH + EH + POL) / 3, POL = 1 - (1 - PD)(1 - VB) (ODD eq. 20).

    Lake's (2009) two dimensions of hierarchy, security and economic, plus the policy dimension
    in which authority is exercised: deference to demands or moves dropped under objection
    (either shows subordination). Equal weights, chosen before any run; a deviation from the
    specification's geometric mean, which is zero whenever one term is.
    """
    policy = 1 - (1 - deference) * (1 - dropped)
    return np.clip((security_h + economic_h + policy) / 3, 0.0, 1.0)


# ----- autonomy --------------------------------------------------------------------------------------

def autonomy_loss(ledger: Ledger, window: np.ndarray, p) -> np.ndarray:
    """Average quarterly loss of freedom over the window: forced deviation from S's own plan,
    cost of concessions made, pressure and coercion suffered, each weighted (ODD eq. 21)."""
    mask = in_window(ledger, window)
    total = (p.autonomy_deviation * window_sum(ledger.deviation, mask)
             + p.autonomy_concession * window_sum(ledger.concession, mask)
             + p.autonomy_pressure * window_sum(ledger.pressure, mask)
             + p.autonomy_coercion * window_sum(ledger.coercion, mask))
    return total / window


def autonomy(ledger: Ledger, window: np.ndarray, p) -> np.ndarray:
    """A = exp(-loss) in (0, 1]: 1 when nothing was forced on S over the window (ODD eq. 21)."""
    return np.exp(-autonomy_loss(ledger, window, p))


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
    return np.clip(1 - (threat * (1 - deter)).sum(axis=1) / threat.shape[1] - shock, 0.0, 1.0)


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
    return ((1 - (shares**2).sum(axis=1)) / (1 - 1 / n)).mean(axis=1)


def exit_options(engagement: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """EO: share of domains with at least two partners engaged at or above ``threshold``. Describes the choice."""
    return ((engagement >= threshold[:, None, None]).sum(axis=1) >= 2).mean(axis=1)


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


def record_arrays(w: "Ensemble") -> tuple[list[str], list[np.ndarray], list[str]]:
    """The current quarter's record for every replication: column names, (R,) arrays, and each
    column's kind (int, float or text), in the data contract's order (then the extra columns)."""
    s, o, a = w.state, w.outcomes, w.actions
    ids = w.power_ids
    count = w.count
    names: list[str] = []
    values: list[np.ndarray] = []
    kinds: list[str] = []

    def add(name: str, value, kind: str = FLOAT) -> None:
        names.append(name)
        values.append(np.broadcast_to(np.asarray(value), (count,)))
        kinds.append(kind)

    add("step", w.quarter, INT)
    add("date", w.date, TEXT)
    add("year", int(w.date[:4]), INT)
    for kind, array in (("engagement", s.engagement), ("dependence", s.dependence)):
        for i, g in enumerate(ids):
            for j, d in enumerate(DOMAINS):
                add(f"{kind}_{g}_{d}", array[:, i, j])
    offered = a.offers.sum(axis=2)
    for i, g in enumerate(ids):
        add(f"inducement_{g}", offered[:, i])
    for i, g in enumerate(ids):
        add(f"pressure_{g}", a.pressure[:, i])
    for i, g in enumerate(ids):
        add(f"coercion_{g}", s.coercion_count[:, i], INT)
    for kind, array in (("satisfaction", w.satisfaction), ("client_index", o["client_index"]), ("threat", w.threat)):
        for i, g in enumerate(ids):
            add(f"{kind}_{g}", array[:, i])
    add("autonomy", o["autonomy"])
    add("security", o["security"])
    add("welfare", np.exp(s.log_welfare))
    add("hedging_index", hedging_index(s.engagement))
    add("abandonment_events", s.abandonment_count, INT)
    add("entrapment", o["entrapment"])
    add("strategy", w.rule_names(), TEXT)
    # extra columns (the contract allows them)
    asked = a.demand_kind != 0
    pressed = a.pressure > 0
    window = w.P.measures.client_quarters
    for i, g in enumerate(ids):
        add(f"route_dependence_{g}", s.route[:, i])
        add(f"belief_{g}", s.hostile[:, i] / (s.hostile[:, i] + s.benign[:, i]))
        add(f"enmeshment_{g}", w.enmeshment[:, i])
        add(f"pressure_episodes_{g}", s.pressure_episodes[:, i], INT)
        add(f"inducement_total_{g}", s.inducement_total[:, i])
        add(f"client_status_{g}", (s.client_streak[:, i] >= window).astype(int), INT)
        add(f"client_quarters_{g}", s.client_quarters[:, i], INT)
        add(f"security_hierarchy_{g}", o["security_hierarchy"][:, i])
        add(f"economic_hierarchy_{g}", o["economic_hierarchy"][:, i])
        add(f"policy_deference_{g}", o["policy_deference"][:, i])
        add(f"dropped_moves_{g}", o["dropped_moves"][:, i])
        add(f"demands_{g}", asked[:, i].astype(int), INT)
        add(f"demands_met_{g}", (asked[:, i] & a.demand_met[:, i]).astype(int), INT)
        add(f"high_cost_demands_{g}", (asked[:, i] & a.demand_high[:, i]).astype(int), INT)
        add(f"high_cost_met_{g}", (asked[:, i] & a.demand_high[:, i] & a.demand_met[:, i]).astype(int), INT)
        add(f"pressure_domain_{g}", np.where(pressed[:, i], a.pressure_domain[:, i], -1), INT)
        add(f"satisfaction_margin_{g}", w.satisfaction[:, i] - w.powers.pressure_threshold[:, i])
        add(f"economic_cap_{g}", w.powers.economic_cap[:, i])
        add(f"exits_{g}", s.exits[:, i], INT)
        add(f"capability_{g}", w.capability[:, i])
        add(f"offensive_capability_{g}", w.military[:, i])
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            add(f"rivalry_{ids[i]}_{ids[j]}", w.rivalry_effective[:, i, j])
    ledger = s.ledger
    for k, column in enumerate(RUNNING_MEANS):
        add(f"{column}_mean", s.outcome_sums[:, k] / w.quarter if w.quarter > 0 else o[column])
    add("coexistence", o["coexistence"].astype(int), INT)
    add("forced_deviation", ledger.now(ledger.deviation))
    add("concession_cost", ledger.now(ledger.concession))
    add("pressure_suffered", ledger.now(ledger.pressure))
    add("exit_options", exit_options(s.engagement, w.P.measures.exit_option_threshold))
    add("capacity", s.capacity)
    add("growth", w.growth)
    add("utility", w.utility)
    add("memberships", s.member.sum(axis=1), INT)
    add("alternative_routes", s.alternative_routes)
    add("crisis_requests", s.crisis_requests, INT)
    add("strategy_setting", np.asarray(w.strategies, dtype=object), TEXT)
    add("scenario", w.scenario_data.name, TEXT)
    return names, values, kinds


def record_row(w: "Ensemble", replication: int = 0) -> dict:
    """One replication's record as a dict of Python scalars (what Mesa's DataCollector collects)."""
    names, values, kinds = record_arrays(w)
    row = {}
    for name, value, kind in zip(names, values, kinds):
        item = value[replication]
        row[name] = int(item) if kind == INT else float(item) if kind == FLOAT else str(item)
    return row


def reporter(column: str):
    """A DataCollector model reporter that reads one column of the current record."""
    def report(model: "MultivectorModel"):
        return model.record[column]

    report.__name__ = f"report_{column}"
    return report


class RecordCollector(DataCollector):
    """Mesa's DataCollector with one model reporter per record column, collecting the model's
    current record directly: its values are immutable scalars, so Mesa's defensive deepcopy of
    every value (a sixth of a run's time) is not needed."""

    def __init__(self, columns):
        super().__init__(model_reporters={c: reporter(c) for c in columns})

    def collect(self, model: "MultivectorModel") -> None:
        if hasattr(self, "_collection_steps"):
            self._collection_steps.append(model.time)
        record = model.record
        for column, values in self.model_vars.items():
            values.append(record[column])
