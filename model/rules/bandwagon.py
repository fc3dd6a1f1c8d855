"""Bandwagoning: align with one patron, for security with the most threatening power (Walt 1987:
weak, proximate states without allies), for profit with the power that actually offers most
(Schweller 1994), or selectively, meeting the patron's cheap demands and refusing its costly ones
(``bandwagon-selective``: a treaty ally that will not recognise its patron's annexations; the
historical example is in ODD §7.2b; Kuik 2021 on limited alignment)."""

from __future__ import annotations

import numpy as np

from multivector.model.arrays import ParamArrays
from multivector.model.numeric import clip
from multivector.model.perception import ECO, INS, SEC, Observation
from multivector.model.reactions import ALIGNMENT
from multivector.model.rules import parts
from multivector.model.rules.base import Decision, DemandView, Rule, baseline_activism, fit_capacity, keep_or_switch, rows


def offered(obs: Observation) -> np.ndarray:
    """(R, G) what each power offers S this quarter: the gain trade with it brings (economic
    opportunity, ODD eq. 3, which holds its economic inducements) plus the inducements it offers in
    security and institutions (ODD eq. 13). Both are observed: prices, markets and offers on the table."""
    return obs.opportunity[:, :, ECO] + obs.offers[:, :, SEC] + obs.offers[:, :, INS]


def patron(obs: Observation, p: ParamArrays, variant: str) -> np.ndarray:
    """Whom to bandwagon with: fixed by ``secondary.patron`` (counterfactuals E1, E3), else the top
    threat (security, selective) or the power offering S most (profit: Schweller 1994's jackal
    bandwagons for the gains on offer, :func:`offered`, not for protection), kept unless clearly
    surpassed (alignment inertia)."""
    scores = offered(obs) if variant == "profit" else obs.threat
    chosen = keep_or_switch(scores, obs.focus, p.secondary.realignment_margin)
    return np.where(p.secondary.patron >= 0, p.secondary.patron, chosen)


def _decide(obs: Observation, p: ParamArrays, variant: str) -> Decision:
    """Summary of rule: engage the patron fully in every domain, cut other powers' engagement by the
    patron's exclusivity demand, join and animate every patron-led institution, invest in own
    capacity at ``bandwagon.investment`` (the shared investment part)."""
    r = rows(len(obs.focus))
    g = patron(obs, p, variant)
    target = obs.engagement * (1 - obs.exclusivity[r, g][:, None, :])
    target[r, g, :] = 1.0
    t = obs.institutions
    leads = t.leads.T[g]  # (R, I)
    activism = np.where(leads, p.hedge.activism_max[:, None], baseline_activism(obs, p.secondary.activism))
    join = leads & t.exists & ~t.member
    count = len(r)
    return Decision(fit_capacity(clip(target, 0, 1), p.secondary.domain_capacity, keep=g),
                    parts.invest(p.bandwagon.investment), activism, np.zeros(count), np.zeros_like(join), join,
                    np.zeros(count, bool), g)


def _complies(demand: DemandView, obs: Observation, p: ParamArrays, variant: str) -> np.ndarray:
    """Meet a demand when its net cost is below ``bandwagon.compliance_threshold`` (ODD eq. C1):
    the patron's demands serve the plan (accord, forgiven at the loyalty: ``bandwagon.loyalty``,
    or ``bandwagon.selective_loyalty`` for the selective variant), another power's alignment demands
    work against it (conflict). At the defaults the bandwagoner meets every patron demand, others'
    low-cost support demands, and refuses the rest; the selective bandwagoner refuses the patron's
    high-cost demands unless refusing looks costlier."""
    g = patron(obs, p, variant)
    accord = demand.power == g
    conflict = ~accord & (demand.kind == ALIGNMENT)
    b = p.bandwagon
    loyalty = b.selective_loyalty if variant == "selective" else b.loyalty
    return parts.comply(demand, obs, p, b.compliance_threshold, conflict, accord, loyalty)


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


def decide_selective(obs: Observation, p: ParamArrays) -> Decision:
    """Bandwagon with the most threatening power as :func:`decide_security` (Walt 1987); only its
    answers to demands differ (:func:`complies_selective`)."""
    return _decide(obs, p, "selective")


def complies_selective(demand: DemandView, obs: Observation, p: ParamArrays) -> np.ndarray:
    """Meet the patron's low-cost demands, refuse its high-cost ones unless refusing looks at least as
    costly (loyalty ``bandwagon.selective_loyalty``, 0 by default: the patron's costly demands are
    weighed like anyone's; ODD §7.2b; Kuik 2021); see :func:`_complies`."""
    return _complies(demand, obs, p, "selective")


SECURITY = Rule("bandwagon", "Walt 1987", decide_security, complies_security)
PROFIT = Rule("bandwagon-profit", "Schweller 1994", decide_profit, complies_profit)
SELECTIVE = Rule("bandwagon-selective", "Walt 1987; Kuik 2021", decide_selective, complies_selective)
