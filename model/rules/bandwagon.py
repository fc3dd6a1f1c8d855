"""Bandwagoning: align with one patron, for security with the most threatening power (Walt 1987:
weak, proximate states without allies), or for profit with the power offering most
(Schweller 1994)."""

from __future__ import annotations

import numpy as np

from model.parameters import Parameters
from model.perception import Observation
from model.reactions import Demand
from model.rules.base import Decision, Rule, baseline_activism, fit_capacity, fixed_power, keep_or_switch


def patron(obs: Observation, p: Parameters, variant: str) -> int:
    """Whom to bandwagon with: fixed by ``secondary.patron`` (counterfactuals E1, E3), else the top
    threat (security) or the largest opportunity (profit), kept unless clearly surpassed."""
    fixed = fixed_power(obs, p.secondary.patron)
    if fixed >= 0:
        return fixed
    scores = obs.threat if variant == "security" else obs.opportunity.sum(axis=1)
    return keep_or_switch(scores, obs.focus, p.secondary.realignment_margin)


def _decide(obs: Observation, p: Parameters, variant: str) -> Decision:
    """Summary of rule: engage the patron fully in every domain, cut other powers' engagement by the
    patron's exclusivity demand, join and animate every patron-led institution, invest nothing in
    own capacity (free-riding on the patron)."""
    g = patron(obs, p, variant)
    target = obs.engagement * (1 - obs.exclusivity[g][None, :])
    target[g, :] = 1.0
    t = obs.institutions
    activism = np.where(t.leads[:, g], p.hedge.activism_max, baseline_activism(obs, p.secondary.activism))
    join = np.nonzero(t.leads[:, g] & ~t.member)[0]
    return Decision(fit_capacity(np.clip(target, 0, 1), p.secondary.domain_capacity, keep=g), 0.0, activism,
                    join=tuple(join.tolist()), focus=g)


def _complies(demand: Demand, obs: Observation, p: Parameters, variant: str) -> bool:
    """Meet every demand of the patron; refuse others' alignment demands and high-cost ones."""
    if demand.power == patron(obs, p, variant):
        return True
    return demand.kind == "support" and not demand.high_cost


def decide_security(obs: Observation, p: Parameters) -> Decision:
    """Bandwagon for security with the most threatening power (Walt 1987); see :func:`_decide`."""
    return _decide(obs, p, "security")


def complies_security(demand: Demand, obs: Observation, p: Parameters) -> bool:
    """Meet the security patron's demands (Walt 1987); see :func:`_complies`."""
    return _complies(demand, obs, p, "security")


def decide_profit(obs: Observation, p: Parameters) -> Decision:
    """Bandwagon for profit with the power offering most (Schweller 1994); see :func:`_decide`."""
    return _decide(obs, p, "profit")


def complies_profit(demand: Demand, obs: Observation, p: Parameters) -> bool:
    """Meet the profit patron's demands (Schweller 1994); see :func:`_complies`."""
    return _complies(demand, obs, p, "profit")


SECURITY = Rule("bandwagon", "Walt 1987", decide_security, complies_security)
PROFIT = Rule("bandwagon-profit", "Schweller 1994", decide_profit, complies_profit)
