"""Thin Mesa agents: each perceives, decides through a pure rule or reaction, then acts.

The state they read and write lives on the model (``model.state``, arrays shaped (powers,
domains)); the behaviour lives in :mod:`model.rules`, :mod:`model.reactions` and
:mod:`model.perception`. A great power records its action; the secondary power perceives,
decides, answers demands, suffers pressure and coercion, and moves in institutions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from mesa import Agent

from model import rules
from model.draws import QuarterDraws
from model.institutions import inclusive_forum
from model.perception import (ECO, SEC, Observation, believed_intent, domain_sizes, opportunity,
                              perceived_capability, threat, uncertainty, update_beliefs)
from model.reactions import Demand
from model.rules import FIXED_RULES

if TYPE_CHECKING:
    from model.model import MultivectorModel, ReactionPlan


class GreatPower(Agent):
    """A great power g: rewards, pressures, coerces and makes demands of the secondary power
    (ODD §7.4). It sees S's engagement and its own position, never S's rule."""

    def __init__(self, model: "MultivectorModel", index: int, power_id: str):
        super().__init__(model)
        self.index = index
        self.power_id = power_id

    def act(self, plan: "ReactionPlan", draws: QuarterDraws) -> None:
        """Carry out this quarter's reactions (computed for all powers at once from the same view
        of S, ``plan``): reward, pressure, a coercion draw, and at most one demand."""
        g, actions = self.index, self.model.actions
        actions.offers[g] = plan.offers[g]
        actions.pressure_domain[g] = plan.pressure_domain[g]
        actions.pressure[g] = plan.pressure[g]
        actions.coerced[g] = draws.per_power("coercion")[g] < plan.coercion_probability[g]
        if plan.demand is not None and plan.demand[g] is not None:
            actions.demands.append(plan.demand[g])


class SecondaryPower(Agent):
    """The secondary power S: perceives threat, leverage, opportunity and intent, decides by its
    rule, answers demands, bears pressure and coercion, and moves in institutions (ODD §3, steps 4-5).

    Its state is ``model.state``; ``engagement`` and ``dependence`` are views of it.
    """

    def __init__(self, model: "MultivectorModel"):
        super().__init__(model)
        self.observation: Observation | None = None
        self.decision: rules.Decision | None = None
        self.plan: np.ndarray | None = None

    # views onto the model's state
    @property
    def engagement(self) -> np.ndarray:
        return self.model.state.engagement

    @property
    def dependence(self) -> np.ndarray:
        return self.model.state.dependence

    @property
    def rule(self) -> str:
        return self.model.state.rule

    def step(self, draws: QuarterDraws) -> None:
        """Perceive, decide, answer demands, bear pressure and coercion, move in institutions."""
        m = self.model
        self.observation = self.perceive(draws)
        self.decision = rules.decide(m.state.rule, self.observation, m.p)
        if self.decision.focus >= 0:
            m.state.focus = self.decision.focus
        self.plan = self.adjust(self.decision.target, draws.engagement_noise)
        m.state.engagement = self.plan.copy()
        rivals = m.rivals
        m.state.ledger.planned_rival[m.state.ledger.position] = (rivals * self.plan.sum(axis=1)[None, :]).sum(axis=1)
        for demand in m.actions.demands:
            met = rules.complies(m.state.rule, demand, self.observation, m.p)
            m.actions.met.append(met)
            self.resolve_demand(demand, met)
        self.bear_pressure_and_coercion()
        # Domestic opinion caps economic ties whatever a great power obtains (eq. 8).
        m.state.engagement[:, ECO] = np.minimum(m.state.engagement[:, ECO], m.powers.economic_cap)
        ledger = m.state.ledger
        ledger.deviation[ledger.position] = float(np.abs(m.state.engagement - self.plan).sum())
        self.move_in_institutions(self.decision)

    # ----- perception (ODD §7.1) -------------------------------------------------------------
    def perceive(self, draws: QuarterDraws | None) -> Observation:
        """S's view this quarter (eqs. 1-6). With ``draws`` (every quarter after the start), beliefs
        take in the actions just seen and capability is seen with noise."""
        m = self.model
        s, pc = m.state, m.p.perception
        if draws is not None:
            hostile_evidence = m.actions.pressure + m.actions.coerced.astype(float)
            benign_evidence = pc.reward_evidence * (m.actions.offers.sum(axis=1) > 0)
            s.hostile, s.benign = update_beliefs(s.hostile, s.benign, hostile_evidence, benign_evidence, pc.action_weight,
                                                 pc.forgetting, pc.prior_hostile, pc.prior_benign)
            seen = perceived_capability(m.capability, pc.misperception, draws.misperception)
        else:
            seen = m.capability
        rho_hat = believed_intent(s.hostile, s.benign)
        m.threat = threat(seen, m.military, m.powers.reach, rho_hat, m.leverage, pc.capability_exponent,
                          pc.offensive_exponent, pc.intent_floor, pc.leverage_gain)
        ledger = s.ledger
        return Observation(
            capability=seen, reach=m.powers.reach, threat=m.threat, leverage=m.leverage,
            opportunity=opportunity(m.powers.opportunity_base, domain_sizes(seen, m.economic, m.military), m.powers.reach,
                                    m.actions.offers, m.scenario_data.system_size),
            believed_intent=rho_hat, uncertainty=uncertainty(s.hostile, s.benign, np.array(m.capability_history)),
            enmeshment=m.enmeshment, stakes=m.stakes, engagement=s.engagement.copy(), dependence=s.dependence.copy(),
            route=s.route.copy(), reliability=m.reliability, exclusivity=m.exclusivity, salience=m.powers.salience,
            tolerance=s.tolerance.copy(), pressure_threshold=m.powers.pressure_threshold, signal=s.signal.copy(), rivalry=m.rivalry_effective,
            rivalry_threshold=m.p.reactions.rivalry_threshold, offensive=m.military,
            recent_economic_pressure=float(ledger.economic_pressure.sum()), dependence_rates=m.dependence_rates,
            rest_of_world=m.p.economy.rest_of_world, institutions=m.institution_arrays, focus=s.focus,
            power_ids=m.power_ids,
        )

    # ----- decision to engagement (ODD eqs. 7-8) ----------------------------------------------
    def adjust(self, target: np.ndarray, noise: np.ndarray) -> np.ndarray:
        """S's plan for the quarter: partial adjustment toward the target with implementation noise,
        under the domestic-opinion cap on economic engagement (eqs. 7-8)."""
        m = self.model
        sp = m.p.secondary
        rates = np.array([sp.adjust_security, sp.adjust_economy, sp.adjust_institutions])
        e = m.state.engagement + rates[None, :] * (target - m.state.engagement) + sp.engagement_noise * noise
        e[:, ECO] = np.minimum(e[:, ECO], m.powers.economic_cap)
        return np.clip(e, 0.0, 1.0)

    # ----- demands, pressure, coercion (ODD eqs. 18-19) -----------------------------------------
    def resolve_demand(self, demand: Demand, met: bool) -> None:
        """Consequences of meeting or refusing a demand, and their place in the ledger (ODD eq. 18).

        Meeting an alignment demand moves engagement toward the demanding power and gives up a
        share of engagement with its rivals in that domain; meeting a high-cost war-time demand
        moves security engagement toward it and brings secondary sanctions from its rivals
        (entrapment, Snyder 1984); refusing costs the power's goodwill (a negative signal).
        """
        m = self.model
        s, ledger, rp = m.state, m.state.ledger, m.p.reactions
        g, d = demand.power, demand.domain
        ledger.demand_cost[ledger.position, g] += demand.cost
        if not met:
            s.signal[g] -= rp.signal_refuse
            return
        ledger.demand_cost_met[ledger.position, g] += demand.cost
        ledger.concession[ledger.position] += demand.cost
        s.signal[g] += rp.signal_comply
        rivals = m.rivals[g]
        if demand.kind == "alignment":
            step = min(1.0, rp.demand_step * (rp.high_cost_multiplier if demand.high_cost else 1.0))
            s.engagement[g, d] = min(1.0, s.engagement[g, d] + step)
            self._give_up(g, rivals, d, step)
        elif demand.high_cost:
            s.engagement[g, SEC] = min(1.0, s.engagement[g, SEC] + rp.demand_step)
            cost = m.p.economy.secondary_sanction_cost
            s.log_welfare -= cost
            s.signal[rivals] -= rp.signal_refuse
            m.actions.high_cost_met += 1
            m.actions.entrapment_cost += cost

    def _give_up(self, g: int, rivals: np.ndarray, domain: int, share: float) -> None:
        """Cut engagement with g's rivals in ``domain`` by ``share``, booked as moves dropped because of g."""
        s = self.model.state
        before = s.engagement[rivals, domain].copy()
        s.engagement[rivals, domain] = before * (1 - share)
        s.ledger.dropped[s.ledger.position, g] += float((before - s.engagement[rivals, domain]).sum())

    def bear_pressure_and_coercion(self) -> None:
        """What pressure and coercion force on S, whatever its rule (ODD eq. 19): pressure of
        intensity p in a domain makes S give up a share (force x p) of its engagement with the
        pressing power's rivals there (blocked transit, halted trade: Hirschman 1945); coercion
        makes it give up a share of its security ties with the coercer's rivals."""
        m = self.model
        s, a, rp = m.state, m.actions, m.p.reactions
        ledger = s.ledger
        for g in np.nonzero(a.pressure > 0)[0]:
            d = int(a.pressure_domain[g])
            self._give_up(int(g), m.rivals[g], d, min(1.0, rp.pressure_force * a.pressure[g]))
            suffered = float(a.pressure[g] * m.leverage[g, d])
            ledger.pressure[ledger.position] += suffered
            if d == ECO:
                ledger.economic_pressure[ledger.position] += suffered
        for g in np.nonzero(a.coerced)[0]:
            self._give_up(int(g), m.rivals[g], SEC, rp.coercion_force)
            ledger.coercion[ledger.position] += 1

    # ----- institutions ---------------------------------------------------------------------
    def move_in_institutions(self, decision: rules.Decision) -> None:
        """Leave, join, found and set activism as the rule decided."""
        m = self.model
        s = m.state
        for i in decision.leave:
            inst = m.institutions[i]
            if inst.secondary_member:
                inst.secondary_member = False
                s.log_welfare -= m.p.secondary.exit_welfare_cost * inst.exit_cost
                for g in inst.leads:
                    s.signal[m.power_ids.index(g)] -= m.p.reactions.signal_refuse
                    s.exits[m.power_ids.index(g)] += 1
        for i in decision.join:
            m.institutions[i].secondary_member = True
        for inst, x in zip(m.institutions, decision.activism):
            inst.activism = max(float(x), m.activism_floor.get(inst.name, 0.0)) if inst.secondary_member else 0.0
        if decision.found_forum:
            m.institutions.append(inclusive_forum(m.power_ids, m.p.forum, m.p.hedge.activism_max, m.quarter))
            s.log_welfare -= m.p.secondary.forum_cost

    # ----- adaptive learning (Roth & Erev 1995) ------------------------------------------------
    def learn(self, utility: float, uniform: float) -> None:
        """Adaptive rule: accumulate utility; every period, reinforce the rule in force and pick again."""
        m = self.model
        if m.strategy != "adaptive" or m.switched:
            return
        s, ap = m.state, m.p.adaptive
        s.period_utility += utility
        s.period_quarters += 1
        if s.period_quarters >= ap.period:
            chosen = FIXED_RULES.index(s.rule)
            s.attractions = rules.update_attraction(s.attractions, chosen, s.period_utility / s.period_quarters, ap.recency)
            s.rule = FIXED_RULES[rules.choose_rule(s.attractions, ap.temperature, uniform)]
            s.period_utility, s.period_quarters = 0.0, 0
