"""Outcome measures, defined once (ODD §7.6, eqs. 20-22), and the per-quarter record.

Principle: an outcome is a consequence, never a restatement of the rule's choice. Autonomy and
the client index are computed, identically for every rule, from what happened to S (the
:class:`model.state.Ledger`: demands met and their cost, forced deviations from S's own plan,
pressure and coercion suffered) and from path-dependent dependence (what S would lose if a
power cut it off). None of them reads S's engagement. How a rule spreads its own engagement
(hedging index, exit options) is recorded as description only, never as evidence for a rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from mesa import DataCollector

from model.contract import DOMAINS
from model.parameters import MeasureParams
from model.perception import ECO, SEC
from model.state import Ledger

if TYPE_CHECKING:
    from model.model import MultivectorModel


# ----- client index (Lake 2009) --------------------------------------------------------------------

def security_hierarchy(dependence: np.ndarray, capacity: float, reliability: np.ndarray) -> np.ndarray:
    """SH[g] = D[g,SEC] * (1 - min(1, K + sum_{h != g} D[h,SEC] * rel[h])): the security reliance on g
    that neither S's own capacity nor its other (reliable) partners could replace (Lake 2009's
    security hierarchy: foreign forces and no independent alliances)."""
    weighted = dependence[:, SEC] * reliability
    substitutes = np.minimum(1.0, capacity + weighted.sum() - weighted)
    return dependence[:, SEC] * (1 - substitutes)


def economic_hierarchy(dependence: np.ndarray, route: np.ndarray, route_weight: float) -> np.ndarray:
    """EH[g] = (1 - w) D[g,ECO] + w route[g]: the share of S's trade it would lose if g cut ties,
    with the export routes through g standing for the part of trade that needs them (Keohane &
    Nye 1977 vulnerability; Lake 2009 economic hierarchy). Dependence and routes are accumulated
    over years (ODD eq. 9), not chosen each quarter."""
    return (1 - route_weight) * dependence[:, ECO] + route_weight * route


def policy_deference(ledger: Ledger, prior: float) -> np.ndarray:
    """PD[g]: cost-weighted share of g's demands S met over the window, shrunk toward 1/2 by a
    prior of ``prior`` cost units on each side (Lake 2009: authority is obeyed commands;
    comparable with UNGA voting cohesion, Yuneman 2023). A demand asks for something S was not
    already doing; sincere preference is unobservable, so a demand met counts whatever the rule's
    reasons. With no demand in the window, PD is 1/2: nothing is known."""
    asked = ledger.demand_cost.sum(axis=0)
    met = ledger.demand_cost_met.sum(axis=0)
    return (met + prior) / (asked + 2 * prior)


def dropped_moves(ledger: Ledger) -> np.ndarray:
    """VB[g]: share of S's planned engagement with g's rivals that S gave up because of g (demands
    met, pressure, coercion) over the window."""
    planned = ledger.planned_rival.sum(axis=0)
    return np.where(planned > 1e-12, np.minimum(1.0, ledger.dropped.sum(axis=0) / np.maximum(planned, 1e-12)), 0.0)


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

def autonomy_loss(ledger: Ledger, p: MeasureParams) -> float:
    """Average quarterly loss of freedom over the window: forced deviation from S's own plan,
    cost of concessions made, pressure and coercion suffered, each weighted (ODD eq. 21)."""
    total = (p.autonomy_deviation * ledger.deviation.sum() + p.autonomy_concession * ledger.concession.sum()
             + p.autonomy_pressure * ledger.pressure.sum() + p.autonomy_coercion * ledger.coercion.sum())
    return float(total / len(ledger.deviation))


def autonomy(ledger: Ledger, p: MeasureParams) -> float:
    """A = exp(-loss) in (0, 1]: 1 when nothing was forced on S over the window (ODD eq. 21)."""
    return float(np.exp(-autonomy_loss(ledger, p)))


# ----- security ------------------------------------------------------------------------------------

def deterrence(capacity: float, enmeshment: np.ndarray, rival_stakes: np.ndarray, dependence: np.ndarray,
               p: MeasureParams) -> np.ndarray:
    """Deter[g] = 1 - exp(-(k1 K + k2 M[g] + k3 sum_h R[g,h] Stake[h] + k4 D[g,SEC])) (ODD eq. 22; Goh 2007/08)."""
    return 1 - np.exp(-(p.deterrence_capacity * capacity + p.deterrence_enmeshment * enmeshment
                        + p.deterrence_stakes * rival_stakes + p.deterrence_dependence * dependence[:, SEC]))


def security(threat: np.ndarray, deter: np.ndarray, shock: float) -> float:
    """Sec = 1 - sum_g T[g] (1 - Deter[g]) / |G| - shocks, clipped to [0, 1] (ODD eq. 22), with the
    true threat (true intent, no misperception): an outcome, not a perception."""
    return float(np.clip(1 - (threat * (1 - deter)).sum() / len(threat) - shock, 0.0, 1.0))


def entrapment(dependence: np.ndarray, war: np.ndarray, exclusivity: np.ndarray, high_cost_met: int) -> float:
    """EnI = sum_g D[g,SEC] War[g] chi[g,SEC] + costly war-time demands met this quarter (Snyder 1984)."""
    return float((dependence[:, SEC] * war * exclusivity[:, SEC]).sum() + high_cost_met)


# ----- descriptive only: how a rule spreads its ties -----------------------------------------------

def hedging_index(engagement: np.ndarray) -> float:
    """Mean over domains of HI_d = (1 - sum_g s[g,d]^2) / (1 - 1/|G|), s = e normalised per domain.
    1 when engagement is spread evenly, 0 when it goes to one power. Describes the choice."""
    n = engagement.shape[0]
    totals = engagement.sum(axis=0)
    shares = np.divide(engagement, totals, out=np.full_like(engagement, 1 / n), where=totals > 0)
    return float(((1 - (shares**2).sum(axis=0)) / (1 - 1 / n)).mean())


def exit_options(engagement: np.ndarray, threshold: float) -> float:
    """EO: share of domains with at least two partners engaged at or above ``threshold``. Describes the choice."""
    return float(((engagement >= threshold).sum(axis=0) >= 2).mean())


# ----- the adaptive rule's utility ------------------------------------------------------------------

def utility(security_value: float, growth: float, autonomy_value: float, engagement: np.ndarray, p) -> float:
    """U = w_sec Sec + w_eco growth/1% + w_aut A - c sum e (ODD §4): what the adaptive secondary
    learns from. The fixed rules never see it."""
    return (p.weight_security * security_value + p.weight_welfare * growth / 0.01 + p.weight_autonomy * autonomy_value
            - p.engagement_cost * float(engagement.sum()))


# ----- the record ----------------------------------------------------------------------------------

RUNNING_MEANS = ("autonomy", "security", "coexistence")


def record(m: "MultivectorModel") -> dict[str, Any]:
    """One row of the data contract (and extra columns) for the model's current quarter."""
    s, o = m.state, m.outcomes
    ids = m.power_ids
    r: dict[str, Any] = {"step": m.quarter, "date": m.date, "year": int(m.date[:4])}
    for kind, array in (("engagement", s.engagement), ("dependence", s.dependence)):
        for i, g in enumerate(ids):
            for j, d in enumerate(DOMAINS):
                r[f"{kind}_{g}_{d}"] = float(array[i, j])
    for i, g in enumerate(ids):
        r[f"inducement_{g}"] = float(m.actions.offers[i].sum())
    for i, g in enumerate(ids):
        r[f"pressure_{g}"] = float(m.actions.pressure[i])
    for i, g in enumerate(ids):
        r[f"coercion_{g}"] = int(s.coercion_count[i])
    for kind, array in (("satisfaction", m.satisfaction), ("client_index", o["client_index"]), ("threat", m.threat)):
        for i, g in enumerate(ids):
            r[f"{kind}_{g}"] = float(array[i])
    r.update({
        "autonomy": o["autonomy"], "security": o["security"], "welfare": float(np.exp(s.log_welfare)),
        "hedging_index": hedging_index(s.engagement), "abandonment_events": s.abandonment_count,
        "entrapment": o["entrapment"], "strategy": s.rule,
    })
    # extra columns (the contract allows them)
    demanded, met, costly, costly_met = (np.zeros(len(ids), dtype=int) for _ in range(4))
    for demand, was_met in zip(m.actions.demands, m.actions.met):
        demanded[demand.power] += 1
        met[demand.power] += int(was_met)
        costly[demand.power] += int(demand.high_cost)
        costly_met[demand.power] += int(demand.high_cost and was_met)
    pressed = m.actions.pressure > 0
    mp = m.p.measures
    for i, g in enumerate(ids):
        r[f"route_dependence_{g}"] = float(s.route[i])
        r[f"belief_{g}"] = float(s.hostile[i] / (s.hostile[i] + s.benign[i]))
        r[f"enmeshment_{g}"] = float(m.enmeshment[i])
        r[f"pressure_episodes_{g}"] = int(s.pressure_episodes[i])
        r[f"inducement_total_{g}"] = float(s.inducement_total[i])
        r[f"client_status_{g}"] = int(s.client_streak[i] >= mp.client_quarters)
        r[f"client_quarters_{g}"] = int(s.client_quarters[i])
        r[f"security_hierarchy_{g}"] = float(o["security_hierarchy"][i])
        r[f"economic_hierarchy_{g}"] = float(o["economic_hierarchy"][i])
        r[f"policy_deference_{g}"] = float(o["policy_deference"][i])
        r[f"dropped_moves_{g}"] = float(o["dropped_moves"][i])
        r[f"demands_{g}"] = int(demanded[i])
        r[f"demands_met_{g}"] = int(met[i])
        r[f"high_cost_demands_{g}"] = int(costly[i])
        r[f"high_cost_met_{g}"] = int(costly_met[i])
        r[f"pressure_domain_{g}"] = int(m.actions.pressure_domain[i]) if pressed[i] else -1
        r[f"satisfaction_margin_{g}"] = float(m.satisfaction[i] - m.powers.pressure_threshold[i])
        r[f"economic_cap_{g}"] = float(m.powers.economic_cap[i])
        r[f"exits_{g}"] = int(s.exits[i])
        r[f"capability_{g}"] = float(m.capability[i])
        r[f"offensive_capability_{g}"] = float(m.military[i])
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            r[f"rivalry_{ids[i]}_{ids[j]}"] = float(m.rivalry_effective[i, j])
    ledger = s.ledger
    p = ledger.position
    # running means over the quarters run so far (the initial state excluded): a sweep that keeps
    # final values gets the run's mean autonomy, security and coexistence from these
    for column in RUNNING_MEANS:
        r[f"{column}_mean"] = s.outcome_sums[column] / m.quarter if m.quarter > 0 else o[column]
    r.update({
        "coexistence": int(o["coexistence"]),
        "forced_deviation": float(ledger.deviation[p]), "concession_cost": float(ledger.concession[p]),
        "pressure_suffered": float(ledger.pressure[p]), "exit_options": exit_options(s.engagement, mp.exit_option_threshold),
        "capacity": float(s.capacity), "growth": float(m.growth), "utility": float(m.utility),
        "memberships": int(sum(inst.secondary_member for inst in m.institutions)),
        "alternative_routes": float(s.alternative_routes), "crisis_requests": int(s.crisis_requests),
        "strategy_setting": m.strategy, "scenario": m.scenario_data.name,
    })
    return r


def reporter(column: str):
    """A DataCollector model reporter that reads one column of the current record."""
    def report(model: "MultivectorModel") -> Any:
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
