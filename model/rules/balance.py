"""Balancing: align against the most threatening power (Walt 1985, 1987; Waltz 1979), and its
variant that keeps fallback ties with everyone (``balance-fallback``; Kuik 2021)."""

from __future__ import annotations

import numpy as np

from multivector.model.arrays import ParamArrays
from multivector.model.numeric import clip
from multivector.model.perception import ECO, INS, SEC, Observation
from multivector.model.rules import parts
from multivector.model.rules.base import (Decision, DemandView, Rule, baseline_activism, fit_capacity, fit_capacity_above_floor,
                              keep_or_switch, rows)

CITATION = "Walt 1985, 1987; Waltz 1979"
FALLBACK_CITATION = "Walt 1987; Waltz 1979; Kuik 2021 (fallback position)"


def adversary(obs: Observation, p: ParamArrays) -> np.ndarray:
    """The power balanced against: fixed by ``secondary.adversary`` (counterfactual E2), or the
    top threat, kept unless another clearly surpasses it (alignment inertia)."""
    fixed = p.secondary.adversary
    return np.where(fixed >= 0, fixed, keep_or_switch(obs.threat, obs.focus, p.secondary.realignment_margin))


def counterweight(obs: Observation, threat_index: np.ndarray) -> np.ndarray:
    """Best available counterweight to the adversary: argmax over h != g* of P * lambda * (1 - rho_hat) * rel."""
    score = obs.capability * obs.reach * (1 - obs.believed_intent) * obs.reliability
    score = score.copy()
    score[rows(len(threat_index)), threat_index] = -np.inf
    return np.argmax(score, axis=1)


def _decide(obs: Observation, p: ParamArrays, fallback: bool) -> Decision:
    """Align in security with the best available counterweight, cut security and institutional
    ties with the adversary, shift trade from it to the counterweight, join the counterweight's
    security bodies, invest in own capacity (internal balancing, Waltz 1979). Without ``fallback``
    leave the adversary's cheap-to-leave institutions; with it, keep every tie at or above
    ``balance.fallback_floor`` and stay in every body (no burned bridges, Kuik 2021)."""
    s = p.secondary
    r = rows(len(obs.focus))
    g = adversary(obs, p)
    h = counterweight(obs, g)
    target = obs.engagement.copy()
    target[r, h, SEC] = 1.0
    target[r, g, SEC] = s.balancing_floor
    target[r, g, ECO] = (1 - s.balancing_step) * obs.engagement[r, g, ECO]
    target[r, h, ECO] = np.minimum(1.0, obs.engagement[r, h, ECO] + s.balancing_step)
    target[r, g, INS] = s.balancing_floor
    t = obs.institutions
    leads_g, leads_h = t.leads.T[g], t.leads.T[h]  # (R, I)
    if fallback:
        floor = np.broadcast_to(p.balance.fallback_floor[:, None, None], target.shape)
        target = fit_capacity_above_floor(clip(np.maximum(target, floor), 0, 1), s.domain_capacity, floor)
        leave = np.zeros(t.member.shape, bool)
    else:
        target = fit_capacity(clip(target, 0, 1), s.domain_capacity, keep=h)
        leave = leads_g & t.member & (t.exit_cost < s.exit_cost_limit[:, None])
    join = leads_h & t.domains[None, :, SEC] & t.exists & ~t.member & ~leave
    activism = np.where(leave, 0.0, baseline_activism(obs, s.activism))
    activism = np.where(leads_h, p.hedge.activism_max[:, None], activism)
    count = len(r)
    return Decision(target, parts.invest(p.balance.investment), activism, np.zeros(count), leave, join,
                    np.zeros(count, bool), g)


def decide(obs: Observation, p: ParamArrays) -> Decision:
    """Summary of rule: align in security with the best available counterweight, cut security and
    institutional ties with the adversary, shift trade from it to the counterweight, leave its
    cheap-to-leave institutions, join the counterweight's security bodies, invest in own capacity
    at ``balance.investment`` (Walt 1987; Waltz 1979)."""
    return _decide(obs, p, fallback=False)


def decide_fallback(obs: Observation, p: ParamArrays) -> Decision:
    """Summary of rule: balance as :func:`decide`, but keep a floor of ties
    (``balance.fallback_floor``) with every power in every domain, the adversary included, and
    leave none of its institutions: a balancer that does not burn its bridges (Walt 1987; Kuik
    2021's fallback position; the historical examples are in ODD §7.2b)."""
    return _decide(obs, p, fallback=True)


def complies(demand: DemandView, obs: Observation, p: ParamArrays) -> np.ndarray:
    """Meet a demand when its net cost is below ``balance.compliance_threshold``; a demand
    from the power balanced against works against the plan (conflict), so at the default threshold
    every demand of the adversary and every high-cost demand is refused unless refusing looks
    costlier (Walt 1987; ODD eq. C1)."""
    conflict = demand.power == adversary(obs, p)
    return parts.comply(demand, obs, p, p.balance.compliance_threshold, conflict)


RULE = Rule("balance", CITATION, decide, complies)
FALLBACK = Rule("balance-fallback", FALLBACK_CITATION, decide_fallback, complies)
