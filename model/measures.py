"""Outcome measures (ODD §7.6, eqs. 20-22), over R replications at once: the formulas. Which
columns the record holds and which outcomes a run is judged by are declared in
:mod:`model.outcomes`; the record itself is built in :mod:`model.record`.

Principle: an outcome is a consequence, never a restatement of the rule's choice. Autonomy and
the client index are computed, identically for every rule, from what happened to S (the
:class:`model.state.Ledger`: demands met and their cost, forced deviations from S's own plan,
pressure and coercion suffered) and from path-dependent dependence (what S would lose if a
power cut it off). None of them reads S's engagement. How a rule spreads its own engagement
(hedging index, exit options) is recorded as description only, never as evidence for a rule.
"""

from __future__ import annotations

import numpy as np

from multivector.model.numeric import clip, mean, total
from multivector.model.perception import ECO, SEC
from multivector.model.state import Series

# ----- client index (Lake 2009) --------------------------------------------------------------------

def security_hierarchy(dependence: np.ndarray, capacity: np.ndarray, reliability: np.ndarray) -> np.ndarray:
    """SH[g] = D[g,SEC] * (1 - min(1, K + sum_{h != g} D[h,SEC] * rel[h])): the security reliance on g
    that neither S's own capacity nor its other (reliable) partners could replace (Lake 2009's
    security hierarchy: foreign forces and no independent alliances)."""
    weighted = dependence[:, :, SEC] * reliability
    substitutes = np.minimum(1.0, capacity[:, None] + total(weighted, 1, keepdims=True) - weighted)
    return dependence[:, :, SEC] * (1 - substitutes)


def economic_hierarchy(dependence: np.ndarray, route: np.ndarray, route_weight: np.ndarray) -> np.ndarray:
    """EH[g] = (1 - w) D[g,ECO] + w route[g]: the share of S's trade it would lose if g cut ties,
    with the export routes through g standing for the part of trade that needs them (Keohane &
    Nye 1977 vulnerability; Lake 2009 economic hierarchy). Dependence and routes are accumulated
    over years (ODD eq. 9), not chosen each quarter."""
    w = route_weight[:, None]
    return (1 - w) * dependence[:, :, ECO] + w * route


def policy_deference(asked: np.ndarray, met: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """PD[g]: cost-weighted share of g's demands S met over the window, shrunk toward 1/2 by a
    prior of ``prior`` cost units on each side (Lake 2009: authority is obeyed commands;
    comparable with UNGA voting cohesion, Yuneman 2023). A demand asks for something S was not
    already doing; sincere preference is unobservable, so a demand met counts whatever the rule's
    reasons. With no demand in the window, PD is 1/2: nothing is known. ``asked`` and ``met``
    (R, G) are the cost of g's demands and of those S met, over the window."""
    return (met + prior[:, None]) / (asked + 2 * prior[:, None])


def dropped_moves(planned: np.ndarray, dropped: np.ndarray) -> np.ndarray:
    """VB[g]: share of S's planned engagement with g's rivals (``planned``, over the window) that
    S gave up because of g (``dropped``: demands met, pressure, coercion)."""
    return np.where(planned > 1e-12, np.minimum(1.0, dropped / np.maximum(planned, 1e-12)), 0.0)


def client_index(security_h: np.ndarray, economic_h: np.ndarray, deference: np.ndarray, dropped: np.ndarray) -> np.ndarray:
    """CI[g] = (SH + EH + POL) / 3, POL = 1 - (1 - PD)(1 - VB) (ODD eq. 20).

    Lake's (2009) two dimensions of hierarchy, security and economic, plus the policy dimension
    in which authority is exercised: deference to demands or moves dropped under objection
    (either shows subordination). Equal weights, chosen before any run; a deviation from the
    specification's geometric mean, which is zero whenever one term is.
    """
    policy = 1 - (1 - deference) * (1 - dropped)
    return clip((security_h + economic_h + policy) / 3, 0.0, 1.0)


# ----- autonomy --------------------------------------------------------------------------------------

def autonomy_loss(totals: Series, window: np.ndarray, p) -> np.ndarray:
    """Average quarterly loss of freedom over the window: forced deviation from S's own plan,
    cost of concessions made, pressure and coercion suffered, each weighted (ODD eq. 21).
    ``totals`` are the ledger's sums over the window."""
    total = (p.autonomy_deviation * totals.deviation + p.autonomy_concession * totals.concession
             + p.autonomy_pressure * totals.pressure + p.autonomy_coercion * totals.coercion)
    return total / window


def autonomy(totals: Series, window: np.ndarray, p) -> np.ndarray:
    """A = exp(-loss) in (0, 1]: 1 when nothing was forced on S over the window (ODD eq. 21)."""
    return np.exp(-autonomy_loss(totals, window, p))


# ----- security ------------------------------------------------------------------------------------

def deterrence(capacity: np.ndarray, enmeshment: np.ndarray, rival_stakes: np.ndarray, dependence: np.ndarray,
               p) -> np.ndarray:
    """Deter[g] = 1 - exp(-(k1 K + k2 M[g] + k3 sum_h R[g,h] Stake[h] + k4 D[g,SEC])) (ODD eq. 22; Goh 2007/08)."""
    k = lambda name: getattr(p, name)[:, None]  # noqa: E731
    return 1 - np.exp(-(k("deterrence_capacity") * capacity[:, None] + k("deterrence_enmeshment") * enmeshment
                        + k("deterrence_stakes") * rival_stakes + k("deterrence_dependence") * dependence[:, :, SEC]))


def security(threat: np.ndarray, deter: np.ndarray, shock: np.ndarray) -> np.ndarray:
    """Sec = 1 - sum_g T[g] (1 - Deter[g]) / |G| - shocks, clipped to [0, 1] (ODD eq. 22), with the
    true threat (true intent, no misperception): an outcome, not a perception."""
    return clip(1 - total(threat * (1 - deter), 1) / threat.shape[1] - shock, 0.0, 1.0)


def entrapment(dependence: np.ndarray, war: np.ndarray, exclusivity: np.ndarray, high_cost_met: np.ndarray) -> np.ndarray:
    """EnI = sum_g D[g,SEC] War[g] chi[g,SEC] + costly war-time demands met this quarter (Snyder 1984)."""
    return total(dependence[:, :, SEC] * war * exclusivity[:, :, SEC], 1) + high_cost_met


# ----- descriptive only: how a rule spreads its ties -----------------------------------------------

def hedging_index(engagement: np.ndarray) -> np.ndarray:
    """Mean over domains of HI_d = (1 - sum_g s[g,d]^2) / (1 - 1/|G|), s = e normalised per domain.
    1 when engagement is spread evenly, 0 when it goes to one power. Describes the choice."""
    n = engagement.shape[1]
    totals = total(engagement, 1, keepdims=True)
    shares = np.divide(engagement, totals, out=np.full_like(engagement, 1 / n), where=totals > 0)
    return mean((1 - total(shares**2, 1)) / (1 - 1 / n), 1)


def exit_options(engagement: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """EO: share of domains with at least two partners engaged at or above ``threshold``. Describes the choice."""
    return mean((engagement >= threshold[:, None, None]).sum(axis=1) >= 2, 1)


# ----- the adaptive rule's utility ------------------------------------------------------------------

def utility(security_value: np.ndarray, growth: np.ndarray, autonomy_value: np.ndarray, engagement: np.ndarray,
            p) -> np.ndarray:
    """U = w_sec Sec + w_eco growth/1% + w_aut A - c sum e (ODD §4): what the adaptive secondary
    learns from. The fixed rules never see it."""
    return (p.weight_security * security_value + p.weight_welfare * growth / 0.01 + p.weight_autonomy * autonomy_value
            - p.engagement_cost * engagement.reshape(len(engagement), -1).sum(axis=1))
