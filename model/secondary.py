"""What the secondary power S does in a quarter, in R worlds at once (ODD §3, steps 4-5):
perceive, decide by its rule, adjust engagement, answer demands in the order they were made,
bear pressure and coercion, move in institutions; and, for the adaptive secondary, learn.

Functions of an :class:`model.ensemble.Ensemble` (``world``), which they change in place.
Branches are masks over replications; the parts that are sequential within a quarter (the
demand queue, pressure and coercion by power, leaving institutions) are passes in a fixed order,
so replication r does the same floating-point operations in the same order whatever the others do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from multivector.model import reactions, rules
from multivector.model.draws import QuarterDraws
from multivector.model.numeric import clip, total
from multivector.model.perception import (ECO, SEC, Observation, believed_intent, domain_sizes, opportunity,
                              perceived_capability, threat, uncertainty, update_beliefs)
from multivector.model.reactions import ALIGNMENT, NO_DEMAND, SUPPORT
from multivector.model.rules import DemandView
from multivector.model.rules.base import at, rows
from multivector.model.rules.hedge import adjustment_rates

if TYPE_CHECKING:
    from multivector.model.ensemble import Ensemble


# ----- perception (ODD §7.1) ---------------------------------------------------------------------

def perceive(world: "Ensemble", draws: QuarterDraws | None) -> Observation:
    """S's view this quarter (eqs. 1-6). With ``draws`` (every quarter after the start), beliefs
    take in the actions just seen and capability is seen with noise. Sets ``world.threat``."""
    s, P, a = world.state, world.P, world.actions
    pc, pw = P.perception, P.powers
    if draws is not None:
        hostile_evidence = a.pressure + a.coerced.astype(float)
        benign_evidence = pc.reward_evidence[:, None] * (a.offers.sum(axis=2) > 0)
        s.hostile, s.benign = update_beliefs(s.hostile, s.benign, hostile_evidence, benign_evidence, pc.action_weight,
                                             pc.forgetting, pc.prior_hostile, pc.prior_benign)
        seen = perceived_capability(world.capability, pc.misperception, draws.misperception)
    else:
        seen = world.capability
    rho_hat = believed_intent(s.hostile, s.benign)
    world.threat = threat(seen, world.military, pw.reach, rho_hat, world.leverage, pc.capability_exponent,
                          pc.offensive_exponent, pc.intent_floor, pc.leverage_gain)
    return Observation(
        capability=seen, reach=pw.reach, threat=world.threat, leverage=world.leverage,
        opportunity=opportunity(pw.opportunity, domain_sizes(seen, world.economic, world.military), world.gravity,
                                a.offers, world.scenario_data.system_size),
        believed_intent=rho_hat, uncertainty=uncertainty(s.hostile, s.benign, s.capability_shifts, pc.volatility_window),
        enmeshment=world.enmeshment, stakes=world.stakes, engagement=s.engagement.copy(),
        dependence=s.dependence.copy(), route=s.route.copy(), reliability=world.reliability,
        exclusivity=world.exclusivity, salience=pw.salience, tolerance=s.tolerance.copy(),
        pressure_threshold=pw.pressure_threshold, signal=s.signal.copy(), rivalry=world.rivalry_effective,
        rivalry_threshold=P.reactions.rivalry_threshold, offensive=world.military, offers=a.offers,
        recent_economic_pressure=world.recent.economic_pressure,
        dependence_rates=world.dependence_rates, rest_of_world=P.economy.rest_of_world,
        institutions=world.institutions, focus=s.focus.copy(), power_ids=world.power_ids,
    )


# ----- the quarter's moves ---------------------------------------------------------------------------

def step(world: "Ensemble", draws: QuarterDraws) -> None:
    """Perceive, decide, answer demands, bear pressure and coercion, move in institutions."""
    s, P = world.state, world.P
    world.observation = obs = perceive(world, draws)
    world.decision = decision = rules.decide(s.rule, obs, P, world.table.size)
    s.focus = np.where(decision.focus >= 0, decision.focus, s.focus)
    world.plan = plan = adjust(world, decision.target, draws.engagement_noise)
    s.engagement = plan.copy()
    now = s.ledger.current()
    now.planned_rival[:] = total(world.rivals * total(plan, 2)[:, None, :], 2)
    answer_demands(world, obs)
    bear_pressure_and_coercion(world)
    # Domestic opinion caps economic ties whatever a great power obtains (eq. 8).
    s.engagement[:, :, ECO] = np.minimum(s.engagement[:, :, ECO], P.powers.economic_cap)
    now.deviation[:] = np.abs(s.engagement - plan).reshape(world.count, -1).sum(axis=1)
    move_in_institutions(world, decision)


def adjust(world: "Ensemble", target: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """S's plan for the quarter: partial adjustment toward the target with implementation noise,
    under the domestic-opinion cap on economic engagement (ODD eqs. 7-8)."""
    s, P = world.state, world.P
    rates = adjustment_rates(P)
    e = (s.engagement + rates[:, None, :] * (target - s.engagement)
         + P.secondary.engagement_noise[:, None, None] * noise)
    e[:, :, ECO] = np.minimum(e[:, :, ECO], P.powers.economic_cap)
    return clip(e, 0.0, 1.0)


# ----- demands, pressure, coercion (ODD eqs. 18-19) -----------------------------------------------

def answer_demands(world: "Ensemble", obs: Observation) -> None:
    """Answer the quarter's demands in the order the powers made them, each by S's rule."""
    a, s = world.actions, world.state
    if not a.demand_kind.any():
        return
    for k in range(a.order.shape[1]):
        g = a.order[:, k]
        kind = at(a.demand_kind, g)
        asked = kind != NO_DEMAND
        if not asked.any():
            continue
        demand = DemandView(g, kind, at(a.demand_domain, g), at(a.demand_high, g))
        met = asked & rules.complies(s.rule, demand, obs, world.P)
        a.demand_met[rows(world.count), g] = met
        resolve_demand(world, demand, asked, met)


def resolve_demand(world: "Ensemble", demand: DemandView, asked: np.ndarray, met: np.ndarray) -> None:
    """Consequences of meeting or refusing a demand, and their place in the ledger (ODD eq. 18).

    Meeting an alignment demand moves engagement toward the demanding power and gives up a
    share of engagement with its rivals in that domain; meeting a high-cost war-time demand
    moves security engagement toward it and brings secondary sanctions from its rivals
    (entrapment, Snyder 1984); refusing costs the power's goodwill in proportion to what it asked
    (``reactions.answer_signal``: the price of refusal).
    """
    s, a, P = world.state, world.actions, world.P
    rp = P.reactions
    now = s.ledger.current()
    r, g, d = rows(world.count), demand.power, demand.domain
    cost = at(a.demand_cost, g)
    now.demand_cost[r, g] += np.where(asked, cost, 0.0)
    now.demand_cost_met[r, g] += np.where(met, cost, 0.0)
    now.concession[:] += np.where(met, cost, 0.0)
    s.signal[r, g] += reactions.answer_signal(asked, met, cost, rp.signal_comply, rp.refusal_price)

    aligned = met & (demand.kind == ALIGNMENT)
    if aligned.any():
        share = np.minimum(1.0, rp.demand_step * np.where(demand.high, rp.high_cost_multiplier, 1.0))
        s.engagement[r, g, d] = np.where(aligned, np.minimum(1.0, s.engagement[r, g, d] + share), s.engagement[r, g, d])
        give_up(world, aligned, g, d, share)
    supported = met & (demand.kind == SUPPORT) & demand.high
    if supported.any():
        s.engagement[r, g, SEC] = np.where(supported, np.minimum(1.0, s.engagement[r, g, SEC] + rp.demand_step),
                                           s.engagement[r, g, SEC])
        sanction = P.economy.secondary_sanction_cost
        s.log_welfare = s.log_welfare - np.where(supported, sanction, 0.0)
        s.signal -= np.where(supported[:, None] & world.rivals[r, g], rp.signal_refuse[:, None], 0.0)
        a.high_cost_met += supported
        a.entrapment_cost = a.entrapment_cost + np.where(supported, sanction, 0.0)


def give_up(world: "Ensemble", active: np.ndarray, g: np.ndarray, domain: np.ndarray, share) -> None:
    """Where ``active``, cut engagement with g's rivals in ``domain`` by ``share``, booked as
    moves dropped because of g (``g`` and ``domain`` are (R,) indices)."""
    s = world.state
    r = rows(world.count)
    cut = world.rivals[r, g] & active[:, None]  # (R, G)
    before = s.engagement[r, :, domain]
    after = np.where(cut, before * (1 - np.asarray(share)).reshape(-1, 1), before)
    s.engagement[r, :, domain] = after
    s.ledger.current().dropped[r, g] += total(before - after, 1)


def bear_pressure_and_coercion(world: "Ensemble") -> None:
    """What pressure and coercion force on S, whatever its rule (ODD eq. 19): pressure of
    intensity p in a domain makes S give up a share (force x p) of its engagement with the
    pressing power's rivals there (blocked transit, halted trade: Hirschman 1945); coercion
    makes it give up a share of its security ties with the coercer's rivals. Powers in index order."""
    s, a, P = world.state, world.actions, world.P
    rp = P.reactions
    now = s.ledger.current()
    r = rows(world.count)
    if not (a.pressure.any() or a.coerced.any()):
        return
    for g in range(a.pressure.shape[1]):
        pressed = a.pressure[:, g] > 0
        if not pressed.any():
            continue
        d = a.pressure_domain[:, g]
        power = np.full(world.count, g)
        give_up(world, pressed, power, d, np.minimum(1.0, rp.pressure_force * a.pressure[:, g]))
        suffered = a.pressure[:, g] * world.leverage[r, g, d]
        now.pressure[:] += np.where(pressed, suffered, 0.0)
        now.economic_pressure[:] += np.where(pressed & (d == ECO), suffered, 0.0)
    for g in range(a.coerced.shape[1]):
        coerced = a.coerced[:, g]
        if not coerced.any():
            continue
        give_up(world, coerced, np.full(world.count, g), np.full(world.count, SEC), rp.coercion_force)
        now.coercion[:] += coerced


# ----- institutions -------------------------------------------------------------------------------

def move_in_institutions(world: "Ensemble", decision: rules.Decision) -> None:
    """Leave (in slot order: exit costs welfare and goodwill with the bodies' leads), join, set
    activism (at least an institution's floor), and found the inclusive forum, as the rule decided."""
    s, P, t = world.state, world.P, world.table
    refuse = P.reactions.signal_refuse
    leaves = decision.leave & s.member
    for i in leaves.any(axis=0).nonzero()[0]:  # slots someone leaves, in slot order
        leaving = leaves[:, i]
        s.member[:, i] &= ~leaving
        s.log_welfare = s.log_welfare - np.where(leaving, P.secondary.exit_welfare_cost * t.exit_cost[:, i], 0.0)
        for g in np.nonzero(t.leads[i])[0]:
            s.signal[:, g] -= np.where(leaving, refuse, 0.0)
            s.exits[:, g] += leaving
    s.member |= decision.join
    s.activism = np.where(s.member, np.maximum(decision.activism, t.activism_floor[None, :]), 0.0)
    found = decision.found_forum
    if found.any():
        f = t.forum
        s.exists[:, f] |= found
        s.member[:, f] |= found
        s.activism[:, f] = np.where(found, P.hedge.activism_max, s.activism[:, f])
        s.log_welfare = s.log_welfare - np.where(found, P.secondary.forum_cost, 0.0)


# ----- adaptive learning (Roth & Erev 1995) --------------------------------------------------------

def learn(world: "Ensemble", uniform: np.ndarray) -> None:
    """Adaptive secondaries (until a rule switch): accumulate utility; every period, reinforce the
    rule in force and pick again."""
    s, ap = world.state, world.P.adaptive
    learning = world.adaptive & ~s.switched
    if not learning.any():
        return
    s.period_utility = np.where(learning, s.period_utility + world.utility, s.period_utility)
    s.period_quarters = np.where(learning, s.period_quarters + 1, s.period_quarters)
    due = np.nonzero(learning & (s.period_quarters >= ap.period))[0]
    if not len(due):
        return
    attractions = rules.update_attraction(s.attractions[due], s.rule[due],
                                          s.period_utility[due] / s.period_quarters[due], ap.recency[due])
    s.attractions[due] = attractions
    s.rule[due] = rules.choose_from_menu(attractions, ap.menu[due], ap.temperature[due], uniform[due])
    s.period_utility[due] = 0.0
    s.period_quarters[due] = 0
