"""Bandwagoning: align with one patron, for security with the most threatening power (Walt 1987:
weak, proximate states without allies), or for profit with the power offering most
(Schweller 1994)."""

from __future__ import annotations

import numpy as np

from model.arrays import ParamArrays
from model.numeric import clip
from model.perception import Observation
from model.reactions import SUPPORT
from model.rules.base import Decision, DemandView, Rule, baseline_activism, fit_capacity, keep_or_switch, rows


def patron(obs: Observation, p: ParamArrays, variant: str) -> np.ndarray:
    """Whom to bandwagon with: fixed by ``secondary.patron`` (counterfactuals E1, E3), else the top
    threat (security) or the largest opportunity (profit), kept unless clearly surpassed."""
    scores = obs.threat if variant == "security" else obs.opportunity.sum(axis=2)
    chosen = keep_or_switch(scores, obs.focus, p.secondary.realignment_margin)
    return np.where(p.secondary.patron >= 0, p.secondary.patron, chosen)


def _decide(obs: Observation, p: ParamArrays, variant: str) -> Decision:
    """Summary of rule: engage the patron fully in every domain, cut other powers' engagement by the
    patron's exclusivity demand, join and animate every patron-led institution, invest nothing in
    own capacity (free-riding on the patron)."""
    r = rows(len(obs.focus))
    g = patron(obs, p, variant)
    target = obs.engagement * (1 - obs.exclusivity[r, g][:, None, :])
    target[r, g, :] = 1.0
    t = obs.institutions
    leads = t.leads.T[g]  # (R, I)
    activism = np.where(leads, p.hedge.activism_max[:, None], baseline_activism(obs, p.secondary.activism))
    join = leads & t.exists & ~t.member
    count = len(r)
    return Decision(fit_capacity(clip(target, 0, 1), p.secondary.domain_capacity, keep=g), np.zeros(count),
                    activism, np.zeros(count), np.zeros_like(join), join, np.zeros(count, bool), g)


def _complies(demand: DemandView, obs: Observation, p: ParamArrays, variant: str) -> np.ndarray:
    """Meet every demand of the patron; refuse others' alignment demands and high-cost ones."""
    return (demand.power == patron(obs, p, variant)) | ((demand.kind == SUPPORT) & ~demand.high)


def decide_security(obs: Observation, p: ParamArrays) -> Decision:
    """Bandwagon for security with the most threatening power (Walt 1987); see :func:`_decide`."""
    return _decide(obs, p, "security")


def complies_security(demand: DemandView, obs: Observation, p: ParamArrays) -> np.ndarray:
    """Meet the security patron's demands (Walt 1987); see :func:`_complies`."""
    return _complies(demand, obs, p, "security")


def decide_profit(obs: Observation, p: ParamArrays) -> Decision:
    """Bandwagon for profit with the power offering most (Schweller 1994); see :func:`_decide`."""
    return _decide(obs, p, "profit")


def complies_profit(demand: DemandView, obs: Observation, p: ParamArrays) -> np.ndarray:
    """Meet the profit patron's demands (Schweller 1994); see :func:`_complies`."""
    return _complies(demand, obs, p, "profit")


SECURITY = Rule("bandwagon", "Walt 1987", decide_security, complies_security)
PROFIT = Rule("bandwagon-profit", "Schweller 1994", decide_profit, complies_profit)
