"""The secondary power's rules, as pure functions of an observation and parameters.

Each ``decide_*`` returns a :class:`Decision` (target engagements and institutional moves);
each ``complies_*`` says whether S meets a great power's demand. Nothing here sees the model,
the great powers' satisfaction or any outcome measure: in particular hedging gets no autonomy
term in its objective (theory.md §4.1, guard against circularity).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.parameters import SecondaryParams
from model.perception import ECO, INS, SEC, Observation

FIXED_RULES: tuple[str, ...] = ("balance", "bandwagon", "bandwagon-profit", "hedge")
STRATEGIES: tuple[str, ...] = (*FIXED_RULES, "adaptive")


@dataclass(frozen=True)
class Demand:
    """A great power's demand on S. ``kind`` is "alignment" (stop tilting to my rivals in this
    domain) or "support" (war-time: votes, recognition, troops, sanctions evasion)."""

    power: int
    kind: str
    domain: int
    high_cost: bool


@dataclass
class Decision:
    target: np.ndarray  # target engagement e* (powers, domains)
    investment: float  # internal balancing: capacity investment this quarter
    activism: np.ndarray  # activism x in each institution
    alternative_investment: float = 0.0  # substitutes for the dominant economic partner (routes)
    leave: tuple[int, ...] = ()  # institutions to leave
    join: tuple[int, ...] = ()  # institutions to join
    found_forum: bool = False
    focus: int | None = None  # the power the rule is organised around (threat or patron), for the record


def _baseline_activism(obs: Observation, p: SecondaryParams) -> np.ndarray:
    return np.array([p.activism if inst.secondary_member else 0.0 for inst in obs.institutions])


def _capacity(target: np.ndarray, capacity: float, keep: int | None = None) -> np.ndarray:
    """Scale each domain's engagements so they sum to at most S's capacity (theory.md §2.7.2).

    With ``keep``, that power's engagement is served first and the others share what is left.
    """
    if keep is None:
        totals = target.sum(axis=0)
        factor = np.where(totals > capacity, capacity / np.maximum(totals, 1e-12), 1.0)
        return target * factor
    out = target.copy()
    out[keep] = np.minimum(out[keep], capacity)
    others = np.arange(len(target)) != keep
    room = capacity - out[keep]
    totals = out[others].sum(axis=0)
    out[others] *= np.where(totals > room, room / np.maximum(totals, 1e-12), 1.0)
    return out


def keep_or_switch(scores: np.ndarray, current: int | None, margin: float) -> int:
    """The highest-scoring power, unless the current focus is within ``margin`` of it (alignment
    inertia: realignment has reputation and sunk costs; Snyder 1984)."""
    best = int(np.argmax(scores))
    if current is not None and scores[best] <= (1 + margin) * scores[current]:
        return current
    return best


def _capacity_above_floor(target: np.ndarray, capacity: float, floor: float) -> np.ndarray:
    """Fit each domain under capacity by shrinking only what lies above the fallback floor, so
    the floor (no burned bridges) survives the capacity limit."""
    floor = min(floor, capacity / len(target))
    excess = np.maximum(target - floor, 0.0)
    room = capacity - floor * len(target)
    totals = excess.sum(axis=0)
    factor = np.where(totals > room, room / np.maximum(totals, 1e-12), 1.0)
    return floor + excess * factor


def counterweight(obs: Observation, threat_index: int) -> int:
    """Best available counterweight to the top threat: argmax over h != g* of P * lambda * (1 - rho_hat) * rel."""
    score = obs.capability * obs.reach * (1 - obs.believed_intent) * obs.reliability
    score = score.copy()
    score[threat_index] = -np.inf
    return int(np.argmax(score))


def decide_balance(obs: Observation, p: SecondaryParams) -> Decision:
    """Balance against the most threatening power (Walt 1985, 1987; Waltz 1979).

    Summary of rule: align in security with the best available counterweight, cut security and
    institutional ties with the top threat, shift trade from it to the counterweight, leave its
    cheap-to-leave institutions, join the counterweight's security bodies, invest in own capacity.
    """
    g = keep_or_switch(obs.threat, obs.focus, p.realignment_margin)
    h = counterweight(obs, g)
    target = obs.engagement.copy()
    target[h, SEC] = 1.0
    target[g, SEC] = p.balancing_floor
    target[g, ECO] = (1 - p.balancing_step) * obs.engagement[g, ECO]
    target[h, ECO] = min(1.0, obs.engagement[h, ECO] + p.balancing_step)
    target[g, INS] = p.balancing_floor
    activism = _baseline_activism(obs, p)
    leave, join = [], []
    for i, inst in enumerate(obs.institutions):
        if inst.leads[g] and inst.secondary_member and inst.exit_cost < p.exit_cost_limit:
            leave.append(i)
            activism[i] = 0.0
        elif inst.leads[h] and inst.domains[SEC] and not inst.secondary_member:
            join.append(i)
        if inst.leads[h]:
            activism[i] = p.activism_max
    return Decision(_capacity(np.clip(target, 0, 1), p.domain_capacity, keep=h), p.base_investment + p.balancing_investment,
                    activism, leave=tuple(leave), join=tuple(join), focus=g)


def patron(obs: Observation, variant: str, margin: float = 0.0) -> int:
    """Whom to bandwagon with: the top threat for security (Walt 1987), the largest opportunity
    for profit (Schweller 1994); the current patron is kept unless clearly surpassed."""
    scores = obs.threat if variant == "security" else obs.opportunity.sum(axis=1)
    return keep_or_switch(scores, obs.focus, margin)


def decide_bandwagon(obs: Observation, p: SecondaryParams, variant: str = "security") -> Decision:
    """Bandwagon with one patron: for security with the most threatening power (Walt 1987), or for
    profit with the power offering most (Schweller 1994).

    Summary of rule: engage the patron fully in every domain, cut other powers' engagement by the
    patron's exclusivity demand, join every patron-led institution, invest nothing in own capacity.
    """
    g = patron(obs, variant, p.realignment_margin)
    target = obs.engagement * (1 - obs.exclusivity[g][None, :])
    target[g, :] = 1.0
    activism = _baseline_activism(obs, p)
    join = []
    for i, inst in enumerate(obs.institutions):
        if inst.leads[g]:
            activism[i] = p.activism_max
            if not inst.secondary_member:
                join.append(i)
    return Decision(_capacity(np.clip(target, 0, 1), p.domain_capacity, keep=g), 0.0, activism, join=tuple(join), focus=g)


def _softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = (scores - scores.max()) / temperature
    w = np.exp(z)
    return w / w.sum()


def projected_shares(engagement: np.ndarray, opportunity: np.ndarray, rest_of_world: float) -> np.ndarray:
    """Share of each domain's flows each power would hold at this engagement (theory.md eq. 9)."""
    weight = engagement * np.maximum(opportunity, 1e-9)
    return weight / (weight.sum(axis=0, keepdims=True) + rest_of_world)


def decide_hedge(obs: Observation, p: SecondaryParams) -> Decision:
    """Hedge: multivectorism and omni-enmeshment (Kuik 2008, 2016, 2021; Goh 2005, 2007/08;
    Vanderhill, Joireman & Tulepbayeva 2020).

    Summary of rule, by Kuik's five components:
    - economic pragmatism: spread each domain's engagement by softmax of opportunity minus risk
      (phi/2 * (threat + uncertainty) * dependence^2, the mean-risk form of theory.md §2.7.2);
    - fallback positions: keep at least a floor with every power;
    - dominance denial: if the projected dependence on one power exceeds the cap, move engagement
      to the others in proportion to 1/threat, and invest in substitutes (routes);
    - limited bandwagoning: accommodate each power in the domains it cares about;
    - indirect balancing: keep security ties with the distant power and the second most capable;
    - binding engagement / omni-enmeshment (Goh): activism in institutions in proportion to the
      great powers they bind, S's voice and how risky those powers look; found an inclusive forum
      if some power is barely enmeshed; leave a power's bodies only if it looks hostile and an
      alternative exists.
    """
    n_powers, n_domains = obs.engagement.shape
    risk = 0.5 * p.risk_aversion * (obs.threat + obs.uncertainty)
    caps = np.array([p.dominance_cap_security, p.dominance_cap_economy, p.dominance_cap_institutions])
    target = np.zeros_like(obs.engagement)
    for d in range(n_domains):
        score = obs.opportunity[:, d] - risk * obs.dependence[:, d] ** 2
        target[:, d] = p.domain_capacity * _softmax(score, p.softmax_temperature)
    target = np.clip(target, p.fallback_floor, 1.0)

    accommodation = obs.salience * (obs.exclusivity + np.maximum(obs.tolerance, 0)[:, None])
    target = np.maximum(target, np.clip(accommodation, 0, 1))  # limited bandwagoning

    distant = int(np.argmin(obs.reach))
    order = np.argsort(-obs.capability)
    second = int(order[1]) if len(order) > 1 else int(order[0])
    for g in {distant, second}:  # indirect balancing
        target[g, SEC] = max(target[g, SEC], p.indirect_balancing_floor)
    target = _capacity_above_floor(np.clip(target, p.fallback_floor, 1), p.domain_capacity, p.fallback_floor)

    # Dominance denial last, so accommodation cannot undo it. Deviation from theory.md (which
    # projects one step ahead): the share this engagement leads to in the long run is capped;
    # current dependence far above the cap cannot get under it in one quarter, and a one-step
    # test would cut that partner to the floor at once.
    weights = 1.0 / np.maximum(obs.threat, 1e-3)
    for _ in range(60):
        shares = projected_shares(target, obs.opportunity, obs.rest_of_world)
        over = (shares > caps[None, :]) & (target > p.fallback_floor + 1e-9)
        if not over.any():
            break
        for g, d in zip(*np.nonzero(over)):
            # the engagement at which g's share would sit exactly at the cap, others unchanged
            others = np.arange(n_powers) != g
            rest = float(target[others, d] @ np.maximum(obs.opportunity[others, d], 1e-9)) + obs.rest_of_world
            at_cap = caps[d] * rest / ((1 - caps[d]) * max(obs.opportunity[g, d], 1e-9))
            new = max(at_cap, p.fallback_floor)
            moved = max(target[g, d] - new, 0.0)
            target[g, d] = min(target[g, d], new)
            room = np.maximum(1.0 - target[others, d], 0.0)
            share = weights[others] * room
            if share.sum() > 0:  # to the others, in proportion to 1/threat (Kuik 2008)
                target[others, d] += np.minimum(room, 0.5 * moved * share / share.sum())
        target = _capacity_above_floor(np.clip(target, p.fallback_floor, 1.0), p.domain_capacity, p.fallback_floor)
    alternative = 0.0
    if obs.route.max() > p.dominance_cap_economy or obs.dependence[:, ECO].max() > p.dominance_cap_economy:
        alternative = p.alternative_investment  # substitutes: new routes and suppliers

    activism = _baseline_activism(obs, p)
    risk_seen = obs.uncertainty + obs.threat
    weights_inst = np.zeros(len(obs.institutions))
    for i, inst in enumerate(obs.institutions):
        if inst.secondary_member and inst.members.any():
            weights_inst[i] = inst.members.sum() * inst.binding * inst.voice * risk_seen[inst.members].mean()
    if weights_inst.max(initial=0.0) > 0:
        activism = np.where(weights_inst > 0, p.activism_max * weights_inst / weights_inst.max(), activism)
        activism = np.maximum(activism, np.where(weights_inst > 0, p.activism, 0.0))

    leave = []
    for i, inst in enumerate(obs.institutions):
        if not inst.secondary_member or not inst.leads.any():
            continue
        hostile = inst.leads & (obs.believed_intent > p.exit_intent_threshold)
        alternative_exists = any(
            j != i and other.secondary_member and (other.domains & inst.domains).any() and not (other.leads & hostile).any()
            for j, other in enumerate(obs.institutions)
        )
        if hostile.any() and alternative_exists:
            leave.append(i)
    has_forum = any(inst.founded_by_secondary for inst in obs.institutions)
    found = (not has_forum) and obs.enmeshment.min() < p.enmeshment_target
    return Decision(target, p.base_investment, activism, alternative, tuple(leave), (), found)


def complies_balance(demand: Demand, obs: Observation, p: SecondaryParams) -> bool:
    """Balancing refuses every demand of the top threat and meets others' low-cost ones (Walt 1987)."""
    return demand.power != keep_or_switch(obs.threat, obs.focus, p.realignment_margin) and not demand.high_cost


def complies_bandwagon(demand: Demand, obs: Observation, p: SecondaryParams, variant: str = "security") -> bool:
    """Bandwagoning meets all of the patron's demands and refuses others' alignment demands
    (Walt 1987; Schweller 1994)."""
    if demand.power == patron(obs, variant, p.realignment_margin):
        return True
    return demand.kind == "support" and not demand.high_cost


def complies_hedge(demand: Demand, obs: Observation, p: SecondaryParams) -> bool:
    """Hedging meets low-cost demands ("abstain rather than condemn") unless that would break the
    dominance cap, and refuses high-cost ones (recognition, troops, sanctions evasion) unless the
    power's leverage makes refusing costlier, weighed by prudence (Kuik 2021; theory.md §2.7.2)."""
    g, d = demand.power, demand.domain
    if demand.high_cost:
        return p.prudence * obs.leverage[g, d] * (1 + obs.threat[g]) > 1.0
    caps = (p.dominance_cap_security, p.dominance_cap_economy, p.dominance_cap_institutions)
    return obs.dependence[g, d] + p.demand_step * obs.dependence_rates[d] <= caps[d]


def decide(rule: str, obs: Observation, p: SecondaryParams) -> Decision:
    """Dispatch to a fixed rule by name."""
    if rule == "balance":
        return decide_balance(obs, p)
    if rule == "bandwagon":
        return decide_bandwagon(obs, p, "security")
    if rule == "bandwagon-profit":
        return decide_bandwagon(obs, p, "profit")
    if rule == "hedge":
        return decide_hedge(obs, p)
    raise ValueError(f"unknown rule {rule!r}")


def complies(rule: str, demand: Demand, obs: Observation, p: SecondaryParams) -> bool:
    """Dispatch to a fixed rule's compliance policy by name."""
    if rule == "balance":
        return complies_balance(demand, obs, p)
    if rule == "bandwagon":
        return complies_bandwagon(demand, obs, p, "security")
    if rule == "bandwagon-profit":
        return complies_bandwagon(demand, obs, p, "profit")
    if rule == "hedge":
        return complies_hedge(demand, obs, p)
    raise ValueError(f"unknown rule {rule!r}")


def choose_rule(attractions: np.ndarray, temperature: float, rng: np.random.Generator) -> int:
    """Adaptive: pick a fixed rule by softmax over attractions (Roth & Erev 1995; Camerer & Ho
    1999, EWA; theory.md §2.4)."""
    return int(rng.choice(len(attractions), p=_softmax(attractions, temperature)))


def update_attraction(attractions: np.ndarray, chosen: int, utility: float, recency: float) -> np.ndarray:
    """Move the chosen rule's attraction toward the utility it just earned (Roth & Erev 1995)."""
    out = attractions.copy()
    out[chosen] = (1 - recency) * out[chosen] + recency * utility
    return out
