"""Hedging: multivectorism and omni-enmeshment, as Kuik's components (Kuik 2008, 2016, 2021;
Goh 2005, 2007/08; Vanderhill, Joireman & Tulepbayeva 2020).

Kuik splits hedging into return-maximising components (economic pragmatism, binding engagement,
limited bandwagoning) and risk-contingency components (indirect balancing, dominance denial),
held together by keeping a fallback position with everyone. Each component is a function
below and can be switched off by name (``hedge.<component> = false``) for ablation
experiments. The rule's objective has no autonomy or client-status term: it decides from
opportunity, risk and anticipated reactions only (ODD §4, guard against circularity).
"""

from __future__ import annotations

import numpy as np

from model.parameters import HedgeParams, Parameters
from model.perception import ECO, SEC, Observation
from model.reactions import Demand
from model.rules.base import Decision, Rule, baseline_activism, fit_capacity_above_floor, softmax

CITATION = "Kuik 2008, 2016, 2021; Goh 2005, 2007/08; Vanderhill et al. 2020"
COMPONENTS = ("economic_pragmatism", "risk_contingency", "fallback", "limited_bandwagoning", "indirect_balancing",
              "dominance_denial", "binding_engagement")


def spread(obs: Observation, p: Parameters) -> np.ndarray:
    """Economic pragmatism and risk contingency (ODD eq. H1): each domain's capacity is spread over
    partners by softmax of opportunity minus risk, risk = phi (T + u) D (threat and uncertainty
    of the partner, times how much S already depends on it). With both off, an equal split."""
    h = p.hedge
    score = np.zeros_like(obs.opportunity)
    if h.economic_pragmatism:
        score = score + obs.opportunity
    if h.risk_contingency:
        score = score - p.secondary.risk_aversion * (obs.threat + obs.uncertainty)[:, None] * obs.dependence
    return p.secondary.domain_capacity * softmax(score, h.softmax_temperature, axis=0)


def anticipated_satisfaction(engagement: np.ndarray, obs: Observation) -> np.ndarray:
    """Each power's satisfaction as S predicts it at ``engagement`` (ODD eq. 12 with what S
    knows: salience, exclusivity, rivalry and the diplomatic climate)."""
    rivals = obs.rivalry > obs.rivalry_threshold
    rival_engagement = np.where(rivals[:, :, None], engagement[None, :, :], 0.0).max(axis=1)
    return (obs.salience * (engagement - obs.exclusivity * rival_engagement)).sum(axis=1) + obs.signal


def accommodate(target: np.ndarray, obs: Observation, p: Parameters) -> np.ndarray:
    """Limited bandwagoning with a one-step lookahead (ODD eq. H3; Kuik 2008; Korolev 2025).

    S predicts each power's satisfaction next quarter, when its engagement will have moved a step
    (the adjustment rates of eq. 7) toward the target. Where a power would fall short of its
    pressure threshold (plus a margin), S raises its target with that power in the domain where
    it can please it fastest (salience times adjustment rate: usually institutions, the
    diplomatic gestures of limited bandwagoning), closing a share of the shortfall equal to
    prudence times how much the power can hurt S (its leverage over ``anticipation_leverage``).
    """
    h, s = p.hedge, p.secondary
    rates = np.array([s.adjust_security, s.adjust_economy, s.adjust_institutions])
    out = target.copy()
    next_quarter = obs.engagement + rates[None, :] * (out - obs.engagement)
    shortfall = obs.pressure_threshold + h.accommodation_margin - anticipated_satisfaction(next_quarter, obs)
    fear = s.prudence * np.minimum(1.0, obs.leverage.max(axis=1) / h.anticipation_leverage)
    for g in np.argsort(-shortfall * fear, kind="stable"):
        if shortfall[g] <= 0 or fear[g] <= 0:
            continue
        lever = obs.salience[g] * rates
        d = int(np.argmax(lever))
        out[g, d] = min(1.0, out[g, d] + fear[g] * shortfall[g] / max(lever[d], 1e-9))
    return out


def indirect_balancing_partners(obs: Observation) -> list[int]:
    """Indirect balancing (Kuik 2008; Goh 2007/08 complex balancing): the distant power and the
    most capable power other than the top threat, with whom S keeps security ties."""
    capable = obs.capability.copy()
    capable[int(np.argmax(obs.threat))] = -np.inf
    return sorted({int(np.argmin(obs.reach)), int(np.argmax(capable))})


def projected_shares(engagement: np.ndarray, opportunity: np.ndarray, rest_of_world: float) -> np.ndarray:
    """The share of each domain's flows each power would hold in the long run at this engagement (eq. 9)."""
    weight = engagement * np.maximum(opportunity, 1e-9)
    return weight / (weight.sum(axis=0, keepdims=True) + rest_of_world)


def deny_dominance(target: np.ndarray, obs: Observation, h: HedgeParams, floor: np.ndarray) -> np.ndarray:
    """Dominance denial (Kuik 2008), triggered by current shares: where a power's current share of
    a domain's flows exceeds the cap, S plans no more engagement with it than the level at which
    its long-run share (eq. 9, others at their targets) would sit at the cap, and moves a share
    (``dominance_transfer``) of the difference to the others in proportion to 1/threat (within
    their room). A power under the
    cap is not held back, so a rising partner's ties can grow until its share reaches the cap;
    cutting only to the long-run level avoids overshooting while dependence catches up."""
    caps = np.array([h.dominance_cap_security, h.dominance_cap_economy, h.dominance_cap_institutions])
    over = obs.dependence > caps[None, :]
    if not over.any():
        return target
    out = target.copy()
    omega = np.maximum(obs.opportunity, 1e-9)
    weights = 1.0 / np.maximum(obs.threat, 1e-3)
    for g, d in zip(*np.nonzero(over)):
        others = np.arange(len(out)) != g
        rest = float(out[others, d] @ omega[others, d]) + obs.rest_of_world
        at_cap = caps[d] * rest / ((1 - caps[d]) * omega[g, d])
        new = max(min(out[g, d], at_cap), floor[g, d])
        moved = max(out[g, d] - new, 0.0)
        out[g, d] = min(out[g, d], new)
        room = np.maximum(1.0 - out[others, d], 0.0)
        share = weights[others] * room
        if moved > 0 and share.sum() > 0:
            out[others, d] += np.minimum(room, h.dominance_transfer * moved * share / share.sum())
    return out


def substitutes(obs: Observation, h: HedgeParams) -> float:
    """Investment in substitute routes and suppliers, in proportion to the economic pressure S
    suffered over the last window: diversification follows pressure (Kuik 2008; P5)."""
    return h.alternative_response * obs.recent_economic_pressure


def bind(obs: Observation, p: Parameters) -> tuple[np.ndarray, tuple[int, ...], bool]:
    """Binding engagement and omni-enmeshment (Kuik 2008; Goh 2005, 2007/08).

    Activism in each institution in proportion to the great powers it binds, its binding
    strength, S's voice there and how risky those powers look; found an inclusive forum if some
    power is barely enmeshed (and founding is allowed); leave a power's bodies only if it looks
    hostile and another body in the same domains, not led by a hostile power, remains.
    """
    h, s = p.hedge, p.secondary
    t = obs.institutions
    activism = baseline_activism(obs, s.activism)
    risk_seen = obs.uncertainty + obs.threat
    n_members = t.members.sum(axis=1)
    mean_risk = (t.members * risk_seen[None, :]).sum(axis=1) / np.maximum(n_members, 1)
    weights = np.where(t.member & (n_members > 0), n_members * t.binding * t.voice * mean_risk, 0.0)
    if weights.max(initial=0.0) > 0:
        activism = np.where(weights > 0, np.maximum(h.activism_max * weights / weights.max(), s.activism), activism)
    hostile_powers = obs.believed_intent > h.exit_intent_threshold
    led_by_hostile = (t.leads & hostile_powers[None, :]).any(axis=1)
    safe = t.member & ~led_by_hostile  # bodies S could fall back on
    shares_domain = (t.domains.astype(int) @ t.domains.T.astype(int)) > 0  # (I, I)
    np.fill_diagonal(shares_domain, False)
    alternative = (shares_domain & safe[None, :]).any(axis=1)
    leave = np.nonzero(t.member & t.leads.any(axis=1) & led_by_hostile & alternative)[0]
    found = s.can_found_forums and not t.founded.any() and obs.enmeshment.min() < h.enmeshment_target
    return activism, tuple(leave.tolist()), bool(found)


def decide(obs: Observation, p: Parameters) -> Decision:
    """Summary of rule (each clause a component, in this order): keep a floor of ties with
    everyone (fallback) and of security ties with the distant and the second power (indirect
    balancing); spread engagement by opportunity against risk; accommodate each power where it
    cares most before its dissatisfaction turns into pressure; fit within capacity above the
    floors; deny any one power dominance of a domain and buy substitutes after economic pressure;
    bind everyone into institutions."""
    h = p.hedge
    floor = np.full_like(obs.engagement, h.fallback_floor if h.fallback else 0.0)
    if h.indirect_balancing:
        partners = indirect_balancing_partners(obs)
        floor[partners, SEC] = np.maximum(floor[partners, SEC], h.indirect_balancing_floor)
    target = np.maximum(spread(obs, p), floor)
    if h.limited_bandwagoning:
        target = accommodate(target, obs, p)
    target = fit_capacity_above_floor(np.clip(np.maximum(target, floor), 0.0, 1.0), p.secondary.domain_capacity, floor)
    alternative = 0.0
    if h.dominance_denial:
        denied = deny_dominance(target, obs, h, floor)
        if denied is not target:  # only refit what dominance denial moved
            target = fit_capacity_above_floor(np.clip(np.maximum(denied, floor), 0.0, 1.0),
                                              p.secondary.domain_capacity, floor)
        alternative = substitutes(obs, h)
    if h.binding_engagement:
        activism, leave, found = bind(obs, p)
    else:
        activism, leave, found = baseline_activism(obs, p.secondary.activism), (), False
    return Decision(target, p.secondary.base_investment, activism, alternative, leave, (), found)


def complies(demand: Demand, obs: Observation, p: Parameters) -> bool:
    """Meet low-cost demands ("abstain rather than condemn") unless that would push the power's
    share of the domain past the dominance cap; refuse high-cost ones (recognition, troops,
    sanctions evasion) unless prudence, the power's leverage and its threat make refusing
    costlier (Kuik 2021; Korolev 2025; ODD eq. H4)."""
    g, d = demand.power, demand.domain
    if demand.high_cost:
        return p.secondary.prudence * obs.leverage[g].max() * (1 + obs.threat[g]) > 1.0
    h = p.hedge
    if not h.dominance_denial:
        return True
    caps = (h.dominance_cap_security, h.dominance_cap_economy, h.dominance_cap_institutions)
    return obs.dependence[g, d] + p.reactions.demand_step * obs.dependence_rates[d] <= caps[d]


RULE = Rule("hedge", CITATION, decide, complies)
