"""Thin Mesa agents: each perceives, decides through a pure rule, then acts.

The shared state they read and write lives on the model (arrays shaped (powers, domains)); the
behaviour lives in :mod:`model.rules` and :mod:`model.reactions`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from mesa import Agent

from model import reactions, rules
from model.rules import FIXED_RULES, Demand

if TYPE_CHECKING:
    from model.model import MultivectorModel


class GreatPower(Agent):
    """A great power g: rewards, pressures, coerces and makes demands of the secondary power
    (theory.md §2.7.4). It sees S's engagement and its own position, never S's rule."""

    def __init__(self, model: "MultivectorModel", index: int, power_id: str):
        super().__init__(model)
        self.index = index
        self.power_id = power_id

    def act(self) -> None:
        m = self.model
        g = self.index
        pp = m.p.powers[self.power_id]
        rp = m.p.reactions
        sat = float(m.satisfaction[g])
        reward_threshold, pressure_threshold = pp.reward_threshold, pp.pressure_threshold
        rivalry = m.rivalry_effective[g]
        value = m.valuation[g]

        m.offers[g] = reactions.offers(sat, reward_threshold, pp.budget, value, rp.loyalty_weight,
                                       rp.bidding_weight, rivalry, m.secondary.engagement, m.salience[g])

        cost = reactions.pressure_cost(rp.pressure_cost, m.enmeshment[g], rp.enmeshment_cost, rivalry, m.stakes,
                                       rp.stake_cost, int(sum(m.pressure_history[g])), rp.reputation_cost)
        domain, intensity = reactions.pressure(sat, pressure_threshold, value, m.secondary.leverage[g],
                                               rp.pressure_intensity, cost)
        m.pressure_domain[g], m.pressure_intensity[g] = domain, intensity

        q = reactions.coercion_probability(
            pp.reach, pp.intent, sat, pressure_threshold, m.enmeshment[g], float(rivalry @ m.stakes),
            m.secondary.capacity, pp.war, m.coercion_coefficients)
        m.coerced[g] = m.rng.random() < q

        if pp.war > 0 and m.rng.random() < rp.war_demand_probability * pp.war * (1 - 0.5 * m.consensus[g]):
            # War-time support demands: consensus bodies let S veto collective commitments (theory.md §2.7.5).
            m.demands.append(Demand(g, "support", 0, bool(m.rng.random() < rp.high_cost_share)))
        elif sat < m.tolerance[g] and m.rng.random() < rp.demand_probability:
            m.demands.append(Demand(g, "alignment", int(np.argmax(m.salience[g])), False))


class SecondaryPower(Agent):
    """The secondary power S: perceives threat, leverage, opportunity and intent, meets or refuses
    demands, and moves its engagement toward the targets of its rule (theory.md §2.3 steps 4-5)."""

    def __init__(self, model: "MultivectorModel", strategy: str):
        super().__init__(model)
        p = model.p
        ids = model.power_ids
        n = len(ids)
        self.strategy = strategy  # the configured rule; ``rule`` is the one in force
        self.rule = strategy if strategy != "adaptive" else "hedge"
        self.engagement = np.array([[getattr(p.powers[g], f"initial_engagement_{d}") for d in model.domains] for g in ids])
        self.dependence = np.array([[getattr(p.powers[g], f"initial_dependence_{d}") for d in model.domains] for g in ids])
        self.dependence = cap_domain_shares(self.dependence)
        self.route = model.route_targets()
        self.capacity = p.secondary.initial_capacity
        self.log_welfare = 0.0
        self.hostile = np.full(n, p.perception.prior_hostile)
        self.benign = np.full(n, p.perception.prior_benign)
        self.deference = np.full(n, p.secondary.initial_deference)
        self.dropped_moves = np.full(n, p.secondary.initial_deference)
        self.leverage = np.zeros((n, len(model.domains)))
        self.observation = None
        self.decision = None
        # adaptive learning state (Roth & Erev 1995)
        self.rule_names = FIXED_RULES
        self.attractions = np.zeros(len(FIXED_RULES))
        self.period_utility = 0.0
        self.period_quarters = 0
        if strategy == "adaptive":
            self.rule = FIXED_RULES[rules.choose_rule(self.attractions, p.adaptive.temperature, model.rng)]

    def step(self) -> None:
        """Perceive, answer demands, decide, act."""
        m = self.model
        obs = m.observe()
        self.observation = obs
        sp = m.p.secondary
        for demand in m.demands:
            met = rules.complies(self.rule, demand, obs, sp)
            m.resolve_demand(demand, met)
        decision = rules.decide(self.rule, obs, sp)
        self.decision = decision
        self.adjust(decision.target)
        m.apply_institutional_moves(decision)

    def adjust(self, target: np.ndarray) -> None:
        """Partial adjustment toward the target with noise, under domestic caps (theory.md eqs. 7-8)."""
        m = self.model
        sp = m.p.secondary
        rates = np.array([sp.adjust_security, sp.adjust_economy, sp.adjust_institutions])
        noise = m.rng.normal(0.0, sp.engagement_noise, size=self.engagement.shape)
        e = self.engagement + rates[None, :] * (target - self.engagement) + noise
        caps = np.array([m.p.powers[g].economic_cap for g in m.power_ids])
        e[:, 1] = np.minimum(e[:, 1], caps)
        self.engagement = np.clip(e, 0.0, 1.0)

    def learn(self, utility: float) -> None:
        """Adaptive rule: accumulate utility; every period, reinforce the rule in force and pick again."""
        if self.strategy != "adaptive":
            return
        ap = self.model.p.adaptive
        self.period_utility += utility
        self.period_quarters += 1
        if self.period_quarters >= ap.period:
            chosen = self.rule_names.index(self.rule)
            self.attractions = rules.update_attraction(self.attractions, chosen, self.period_utility / self.period_quarters,
                                                       ap.recency)
            self.rule = self.rule_names[rules.choose_rule(self.attractions, ap.temperature, self.model.rng)]
            self.period_utility, self.period_quarters = 0.0, 0


def cap_domain_shares(shares: np.ndarray) -> np.ndarray:
    """Keep each domain's dependence shares summing to at most 1 (they are shares of S's flows)."""
    totals = shares.sum(axis=0, keepdims=True)
    return np.where(totals > 1.0, shares / np.maximum(totals, 1e-12), shares)
