"""Balancing: align against the most threatening power (Walt 1985, 1987; Waltz 1979)."""

from __future__ import annotations

import numpy as np

from model.parameters import Parameters
from model.perception import ECO, INS, SEC, Observation
from model.reactions import Demand
from model.rules.base import Decision, Rule, baseline_activism, fit_capacity, fixed_power, keep_or_switch

CITATION = "Walt 1985, 1987; Waltz 1979"


def adversary(obs: Observation, p: Parameters) -> int:
    """The power balanced against: fixed by ``secondary.adversary`` (counterfactual E2), or the
    top threat, kept unless another clearly surpasses it (alignment inertia)."""
    fixed = fixed_power(obs, p.secondary.adversary)
    return fixed if fixed >= 0 else keep_or_switch(obs.threat, obs.focus, p.secondary.realignment_margin)


def counterweight(obs: Observation, threat_index: int) -> int:
    """Best available counterweight to the adversary: argmax over h != g* of P * lambda * (1 - rho_hat) * rel."""
    score = obs.capability * obs.reach * (1 - obs.believed_intent) * obs.reliability
    score = score.copy()
    score[threat_index] = -np.inf
    return int(np.argmax(score))


def decide(obs: Observation, p: Parameters) -> Decision:
    """Summary of rule: align in security with the best available counterweight, cut security and
    institutional ties with the adversary, shift trade from it to the counterweight, leave its
    cheap-to-leave institutions, join the counterweight's security bodies, invest in own capacity.
    """
    s = p.secondary
    g = adversary(obs, p)
    h = counterweight(obs, g)
    target = obs.engagement.copy()
    target[h, SEC] = 1.0
    target[g, SEC] = s.balancing_floor
    target[g, ECO] = (1 - s.balancing_step) * obs.engagement[g, ECO]
    target[h, ECO] = min(1.0, obs.engagement[h, ECO] + s.balancing_step)
    target[g, INS] = s.balancing_floor
    t = obs.institutions
    leave = t.leads[:, g] & t.member & (t.exit_cost < s.exit_cost_limit)
    join = t.leads[:, h] & t.domains[:, SEC] & ~t.member & ~leave
    activism = np.where(leave, 0.0, baseline_activism(obs, s.activism))
    activism = np.where(t.leads[:, h], p.hedge.activism_max, activism)
    return Decision(fit_capacity(np.clip(target, 0, 1), s.domain_capacity, keep=h),
                    s.base_investment + s.balancing_investment, activism, leave=tuple(np.nonzero(leave)[0].tolist()),
                    join=tuple(np.nonzero(join)[0].tolist()), focus=g)


def complies(demand: Demand, obs: Observation, p: Parameters) -> bool:
    """Refuse every demand of the adversary and every high-cost demand; meet others' low-cost ones (Walt 1987)."""
    return demand.power != adversary(obs, p) and not demand.high_cost


RULE = Rule("balance", CITATION, decide, complies)
