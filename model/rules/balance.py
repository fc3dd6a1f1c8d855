"""Balancing: align against the most threatening power (Walt 1985, 1987; Waltz 1979)."""

from __future__ import annotations

import numpy as np

from model.arrays import ParamArrays
from model.numeric import clip
from model.perception import ECO, INS, SEC, Observation
from model.rules.base import Decision, DemandView, Rule, baseline_activism, fit_capacity, keep_or_switch, rows

CITATION = "Walt 1985, 1987; Waltz 1979"


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


def decide(obs: Observation, p: ParamArrays) -> Decision:
    """Summary of rule: align in security with the best available counterweight, cut security and
    institutional ties with the adversary, shift trade from it to the counterweight, leave its
    cheap-to-leave institutions, join the counterweight's security bodies, invest in own capacity.
    """
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
    leave = leads_g & t.member & (t.exit_cost < s.exit_cost_limit[:, None])
    join = leads_h & t.domains[None, :, SEC] & t.exists & ~t.member & ~leave
    activism = np.where(leave, 0.0, baseline_activism(obs, s.activism))
    activism = np.where(leads_h, p.hedge.activism_max[:, None], activism)
    count = len(r)
    return Decision(fit_capacity(clip(target, 0, 1), s.domain_capacity, keep=h),
                    s.base_investment + s.balancing_investment, activism, np.zeros(count), leave, join,
                    np.zeros(count, bool), g)


def complies(demand: DemandView, obs: Observation, p: ParamArrays) -> np.ndarray:
    """Refuse every demand of the adversary and every high-cost demand; meet others' low-cost ones (Walt 1987)."""
    return (demand.power != adversary(obs, p)) & ~demand.high


RULE = Rule("balance", CITATION, decide, complies)
