"""Hedging: multivectorism and omni-enmeshment, as Kuik's components (Kuik 2008, 2016, 2021;
Goh 2005, 2007/08; Vanderhill, Joireman & Tulepbayeva 2020).

Kuik splits hedging into return-maximising components (economic pragmatism, binding engagement,
limited bandwagoning) and risk-contingency components (indirect balancing, dominance denial),
held together by keeping a fallback position with everyone. Each component is a function
below and can be switched off by name (``hedge.<component> = false``) for ablation
experiments. The rule's objective has no autonomy or client-status term: it decides from
opportunity, risk and anticipated reactions only (ODD §4, guard against circularity).
All functions work on R replications at once; switches and constants are (R,) arrays.
"""

from __future__ import annotations

import numpy as np

from multivector.model.arrays import ParamArrays
from multivector.model.numeric import clip, largest, others, pick, put, total
from multivector.model.perception import SEC, Observation
from multivector.model.rules import parts
from multivector.model.rules.base import (Decision, DemandView, Rule, baseline_activism, fit_capacity_above_floor, rows,
                              softmax)

CITATION = "Kuik 2008, 2016, 2021; Goh 2005, 2007/08; Vanderhill et al. 2020"
COMPONENTS = ("economic_pragmatism", "risk_contingency", "fallback", "limited_bandwagoning", "indirect_balancing",
              "dominance_denial", "binding_engagement")


def _each(flag: np.ndarray, ndim: int) -> np.ndarray:
    """A per-replication switch shaped to broadcast over (R, ...) arrays of ``ndim`` dimensions."""
    return flag.reshape((-1,) + (1,) * (ndim - 1))


def _switch(flag: np.ndarray, on, off):
    """``on`` where a replication's component switch is on, ``off`` where it is off (R, G, D)."""
    if flag.all():
        return on
    return np.where(_each(flag, 3), on, off)


def spread(obs: Observation, p: ParamArrays) -> np.ndarray:
    """Economic pragmatism and risk contingency (ODD eq. H1): each domain's capacity is spread over
    partners by softmax of opportunity minus risk, risk = phi (T + u) D (threat and uncertainty
    of the partner, times how much S already depends on it). With both off, an equal split."""
    h = p.hedge
    score = _switch(h.economic_pragmatism, obs.opportunity, 0.0)
    risk = p.secondary.risk_aversion[:, None, None] * (obs.threat + obs.uncertainty)[:, :, None] * obs.dependence
    score = _switch(h.risk_contingency, score - risk, score)
    return p.secondary.domain_capacity[:, None, None] * softmax(score, h.softmax_temperature, axis=1)


def anticipated_satisfaction(engagement: np.ndarray, obs: Observation) -> np.ndarray:
    """Each power's satisfaction as S predicts it at ``engagement`` (ODD eq. 12 with what S
    knows: salience, exclusivity, rivalry and the diplomatic climate)."""
    rivals = obs.rivalry > obs.rivalry_threshold[:, None, None]
    rival_engagement = largest(np.where(rivals[:, :, :, None], engagement[:, None, :, :], 0.0), 2)
    return total(obs.salience * (engagement - obs.exclusivity * rival_engagement), 2) + obs.signal


def adjustment_rates(p: ParamArrays) -> np.ndarray:
    """(R, D) partial-adjustment rates of S's engagement (eq. 7)."""
    return p.derived("adjustment_rates", lambda p: np.stack([p.secondary.adjust_security, p.secondary.adjust_economy,
                                                             p.secondary.adjust_institutions], axis=1))


def dominance_caps(p: ParamArrays) -> np.ndarray:
    """(R, D) the share of a domain's flows above which S denies a power dominance."""
    return p.derived("dominance_caps", lambda p: np.stack([p.hedge.dominance_cap_security, p.hedge.dominance_cap_economy,
                                                           p.hedge.dominance_cap_institutions], axis=1))


def accommodate(target: np.ndarray, obs: Observation, p: ParamArrays) -> np.ndarray:
    """Limited bandwagoning with a one-step lookahead (ODD eq. H3; Kuik 2008; Korolev 2025).

    S predicts each power's satisfaction next quarter, when its engagement will have moved a step
    (the adjustment rates of eq. 7) toward the target. Where a power would fall short of its
    pressure threshold (plus a margin), S raises its target with that power in the domain where
    it can please it fastest (salience times adjustment rate: usually institutions, the
    diplomatic gestures of limited bandwagoning), closing a share of the shortfall equal to
    prudence times how much the power can hurt S (its leverage over ``anticipation_leverage``).
    Each power's row is changed once, so the powers can be served in any order.
    """
    h, s = p.hedge, p.secondary
    rates = adjustment_rates(p)
    next_quarter = obs.engagement + rates[:, None, :] * (target - obs.engagement)
    shortfall = obs.pressure_threshold + h.accommodation_margin[:, None] - anticipated_satisfaction(next_quarter, obs)
    if not (shortfall > 0).any():  # no power would fall short anywhere: nothing to accommodate
        return target.copy()
    fear = s.prudence[:, None] * np.minimum(1.0, largest(obs.leverage, 2) / h.anticipation_leverage[:, None])
    lever = obs.salience * rates[:, None, :]  # (R, G, D)
    d = lever.argmax(axis=2)  # (R, G)
    best = pick(lever, d)
    current = pick(target, d)
    raised = np.minimum(1.0, current + fear * shortfall / np.maximum(best, 1e-9))
    active = (shortfall > 0) & (fear > 0)
    out = target.copy()
    put(out, d, np.where(active, raised, current))
    return out


def indirect_balancing_partners(obs: Observation) -> tuple[np.ndarray, np.ndarray]:
    """Indirect balancing (Kuik 2008; Goh 2007/08 complex balancing): the distant power and the
    most capable power other than the top threat, with whom S keeps security ties."""
    capable = obs.capability.copy()
    capable[rows(len(capable)), obs.threat.argmax(axis=1)] = -np.inf
    return obs.reach.argmin(axis=1), capable.argmax(axis=1)


def floors(obs: Observation, p: ParamArrays) -> np.ndarray:
    """(R, G, D) the fallback floor (every power, every domain) and, in security, the
    indirect-balancing floor for the distant and the second power."""
    h = p.hedge
    floor = np.zeros(obs.engagement.shape)
    floor += np.where(h.fallback, h.fallback_floor, 0.0)[:, None, None]
    r = rows(len(floor))
    lift = np.where(h.indirect_balancing, h.indirect_balancing_floor, 0.0)  # floors are never negative
    for partner in indirect_balancing_partners(obs):
        floor[r, partner, SEC] = np.maximum(floor[r, partner, SEC], lift)
    return floor


def projected_shares(engagement: np.ndarray, opportunity: np.ndarray, rest_of_world: np.ndarray) -> np.ndarray:
    """The share of each domain's flows each power would hold in the long run at this engagement (eq. 9)."""
    weight = engagement * np.maximum(opportunity, 1e-9)
    return weight / (total(weight, 1, keepdims=True) + rest_of_world[:, None, None])


def deny_dominance(target: np.ndarray, obs: Observation, p: ParamArrays, floor: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dominance denial (Kuik 2008), triggered by current shares: where a power's current share of
    a domain's flows exceeds the cap, S plans no more engagement with it than the level at which
    its long-run share (eq. 9, others at their targets) would sit at the cap, and moves a share
    (``dominance_transfer``) of the difference to the others in proportion to 1/threat (within
    their room). A power under the cap is not held back, so a rising partner's ties can grow
    until its share reaches the cap; cutting only to the long-run level avoids overshooting while
    dependence catches up. Powers are taken in order within each domain. Returns the target and
    which replications changed."""
    h = p.hedge
    caps = dominance_caps(p)
    over = (obs.dependence > caps[:, None, :]) & _each(h.dominance_denial, 3)
    out = target.copy()
    somewhere = over.any(axis=0)  # (G, D): over the cap in some replication
    if not somewhere.any():
        return out, np.zeros(len(out), bool)
    omega = np.maximum(obs.opportunity, 1e-9)
    weights = 1.0 / np.maximum(obs.threat, 1e-3)
    others_of = others(target.shape[1])
    powers_over, domains_over = somewhere.nonzero()  # powers in order, then domains
    for g, d in zip(powers_over.tolist(), domains_over.tolist()):
        others_g = others_of[g]
        act = over[:, g, d]
        cap = caps[:, d]
        current, others_ties = out[:, g, d].copy(), out[:, others_g, d]  # the others' ties change only below
        rest = (others_ties * omega[:, others_g, d]).sum(axis=1) + obs.rest_of_world
        at_cap = cap * rest / ((1 - cap) * omega[:, g, d])
        new = np.maximum(np.minimum(current, at_cap), floor[:, g, d])
        moved = np.maximum(current - new, 0.0)
        out[:, g, d] = np.where(act, np.minimum(current, new), current)
        room = np.maximum(1.0 - others_ties, 0.0)
        share = weights[:, others_g] * room
        total = share.sum(axis=1)
        any_room = total > 0  # some other power can take more
        give = act & (moved > 0) & any_room
        added = np.minimum(room, (h.dominance_transfer * moved)[:, None] * share / np.where(any_room, total, 1.0)[:, None])
        out[:, others_g, d] = np.where(give[:, None], others_ties + added, others_ties)
    return out, over.any(axis=(1, 2))


def substitutes(obs: Observation, p: ParamArrays) -> np.ndarray:
    """Investment in substitute routes and suppliers, in proportion to the economic pressure S
    suffered over the last window: diversification follows pressure (Kuik 2008; P5)."""
    h = p.hedge
    return np.where(h.dominance_denial, h.alternative_response * obs.recent_economic_pressure, 0.0)


def bind(obs: Observation, p: ParamArrays, baseline: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Binding engagement and omni-enmeshment (Kuik 2008; Goh 2005, 2007/08).

    Activism in each institution in proportion to the great powers it binds, its binding
    strength, S's voice there and how risky those powers look; found an inclusive forum if some
    power is barely enmeshed (and founding is allowed); leave a power's bodies only if it looks
    hostile and another body in the same domains, not led by a hostile power, remains.
    ``baseline`` is S's activism without binding engagement (:func:`baseline_activism`).
    Returns (activism (R, I), leave (R, I), found (R,)).
    """
    h, s = p.hedge, p.secondary
    t = obs.institutions
    activism = baseline
    risk_seen = obs.uncertainty + obs.threat  # (R, G)
    n_members = t.member_count  # (I,)
    mean_risk = (t.members[None, :, :] * risk_seen[:, None, :]).sum(axis=2) / np.maximum(n_members, 1)
    weights = np.where(t.member & (n_members > 0), n_members * t.binding * t.voice * mean_risk, 0.0)
    top = weights.max(axis=1, initial=0.0)[:, None]
    scaled = np.where(weights > 0, np.maximum(h.activism_max[:, None] * weights / np.where(top > 0, top, 1.0),
                                              s.activism[:, None]), activism)
    activism = np.where(top > 0, scaled, activism)
    hostile_powers = obs.believed_intent > h.exit_intent_threshold[:, None]  # (R, G)
    if hostile_powers.any():
        led_by_hostile = (t.leads[None, :, :] & hostile_powers[:, None, :]).any(axis=2)  # (R, I)
        safe = t.member & ~led_by_hostile
        alternative = (t.overlap[None, :, :] & safe[:, None, :]).any(axis=2)
        leave = t.member & t.leads.any(axis=1)[None, :] & led_by_hostile & alternative
    else:  # no power looks hostile anywhere: nothing to leave
        leave = np.zeros(t.member.shape, bool)
    has_forum = (t.exists & t.founded[None, :]).any(axis=1)
    found = s.can_found_forums & ~has_forum & (obs.enmeshment.min(axis=1) < h.enmeshment_target)
    return activism, leave, found


def decide(obs: Observation, p: ParamArrays) -> Decision:
    """Summary of rule (each clause a component, in this order): keep a floor of ties with
    everyone (fallback) and of security ties with the distant and the second power (indirect
    balancing); spread engagement by opportunity against risk; accommodate each power where it
    cares most before its dissatisfaction turns into pressure; fit within capacity above the
    floors; deny any one power dominance of a domain and buy substitutes after economic pressure;
    bind everyone into institutions."""
    h = p.hedge
    capacity = p.secondary.domain_capacity
    floor = floors(obs, p)
    target = np.maximum(spread(obs, p), floor)
    target = _switch(h.limited_bandwagoning, accommodate(target, obs, p), target)
    target = fit_capacity_above_floor(clip(np.maximum(target, floor), 0.0, 1.0), capacity, floor)
    denied, changed = deny_dominance(target, obs, p, floor)
    if changed.any():  # refit only what dominance denial moved
        refit = fit_capacity_above_floor(clip(np.maximum(denied, floor), 0.0, 1.0), capacity, floor)
        target = np.where(_each(changed, 3), refit, target)
    baseline = baseline_activism(obs, p.secondary.activism)
    activism, leave, found = bind(obs, p, baseline)
    binding = h.binding_engagement[:, None]
    count = len(capacity)
    return Decision(target, parts.invest(h.investment), np.where(binding, activism, baseline),
                    substitutes(obs, p), leave & binding, np.zeros(leave.shape, bool), found & h.binding_engagement,
                    np.full(count, -1))


def complies(demand: DemandView, obs: Observation, p: ParamArrays) -> np.ndarray:
    """Meet a demand when its net cost is below ``hedge.compliance_threshold`` (ODD eq. C1): a
    low-cost demand that would push the power's share of the domain past the dominance cap works
    against the plan (conflict). At the default threshold S meets low-cost demands ("abstain rather
    than condemn") within the caps and refuses high-cost ones (recognition, troops, sanctions
    evasion) unless prudence, the power's leverage and its threat make refusing costlier (Kuik
    2021; Korolev 2025; ODD eq. H4)."""
    g, d = demand.power, demand.domain
    r = rows(len(g))
    h = p.hedge
    caps = dominance_caps(p)
    breach = h.dominance_denial & ~demand.high & (
        obs.dependence[r, g, d] + p.reactions.demand_step * obs.dependence_rates[r, d] > caps[r, d])
    return parts.comply(demand, obs, p, h.compliance_threshold, breach)


RULE = Rule("hedge", CITATION, decide, complies)
