"""Outcome measures, defined once (theory.md §2.7.6). Pure functions on arrays.

The model computes them each quarter; the data collector, the CLI, sweeps and the app read the
resulting columns (``model.contract``).
"""

from __future__ import annotations

import numpy as np

from model.perception import ECO, INS, SEC


def security_hierarchy(engagement: np.ndarray) -> np.ndarray:
    """SH[g] = e[g,SEC] * prod_{h != g} (1 - e[h,SEC]): g as exclusive security patron (Lake 2009)."""
    return exclusive_alignment(engagement, SEC)


def economic_hierarchy(dependence: np.ndarray, route: np.ndarray) -> np.ndarray:
    """EH[g] = max(D[g,ECO], D[g,ROUTE]): trade or export-route dependence (Lake 2009)."""
    return np.maximum(dependence[:, ECO], route)


def exclusive_alignment(engagement: np.ndarray, domain: int) -> np.ndarray:
    """e[g,d] * prod_{h != g} (1 - e[h,d]): how exclusively S is aligned with g in domain d."""
    column = engagement[:, domain]
    return column * np.array([np.prod(np.delete(1 - column, g)) for g in range(len(column))])


def policy_deference(demands_met: np.ndarray, engagement: np.ndarray) -> np.ndarray:
    """PD[g]: half the running share of g's demands S met, half S's exclusive institutional
    alignment with g (voting with g and not with the others; comparable with UNGA voting
    cohesion, Yuneman 2023). The second half lets deference show when a satisfied patron has
    nothing left to demand."""
    return 0.5 * demands_met + 0.5 * exclusive_alignment(engagement, INS)


def client_index(engagement: np.ndarray, dependence: np.ndarray, route: np.ndarray, deference: np.ndarray,
                 dropped_moves: np.ndarray) -> np.ndarray:
    """Client-state index CI[g] in [0, 1], after Lake (2009): mean of security hierarchy, economic
    hierarchy, policy deference (:func:`policy_deference`) and moves dropped after g objected.

    Deviation from theory.md §2.7.6, which takes the geometric mean: a geometric mean is zero
    whenever one term is, so a full security client that has not yet been asked to drop a move
    would score 0. The arithmetic mean keeps each term's contribution visible.
    """
    terms = np.stack([security_hierarchy(engagement), economic_hierarchy(dependence, route),
                      policy_deference(deference, engagement), dropped_moves])
    return np.clip(terms.mean(axis=0), 0.0, 1.0)


def exit_options(engagement: np.ndarray, threshold: float) -> float:
    """EO: share of domains with at least two partners engaged at or above ``threshold``."""
    return float(((engagement >= threshold).sum(axis=0) >= 2).mean())


def autonomy(client: np.ndarray, options: float) -> float:
    """A = (1 - max_g CI[g]) * EO (theory.md §2.7.6)."""
    return float((1 - client.max()) * options)


def deterrence(capacity: float, enmeshment: np.ndarray, rival_stakes: np.ndarray, engagement: np.ndarray,
               k_capacity: float, k_enmeshment: float, k_stakes: float, k_engagement: float) -> np.ndarray:
    """Deter[g] = 1 - exp(-(k1 K + k2 M[g] + k3 sum_h R[g,h] Stake[h] + k4 e[g,SEC])) (theory.md §2.7.6)."""
    return 1 - np.exp(-(k_capacity * capacity + k_enmeshment * enmeshment + k_stakes * rival_stakes
                        + k_engagement * engagement[:, SEC]))


def security(threat: np.ndarray, deter: np.ndarray, shock: float) -> float:
    """Sec = 1 - sum_g T[g] (1 - Deter[g]) / |G| - shocks, clipped to [0, 1] (theory.md §2.7.6)."""
    return float(np.clip(1 - (threat * (1 - deter)).sum() / len(threat) - shock, 0.0, 1.0))


def hedging_index(engagement: np.ndarray) -> float:
    """Mean over domains of HI_d = (1 - sum_g s[g,d]^2) / (1 - 1/|G|), s = e normalised per domain.

    1 when engagement is spread evenly over all powers, 0 when it goes to one (theory.md §2.7.6).
    """
    n = engagement.shape[0]
    totals = engagement.sum(axis=0)
    shares = np.divide(engagement, totals, out=np.full_like(engagement, 1 / n), where=totals > 0)
    hi = (1 - (shares**2).sum(axis=0)) / (1 - 1 / n)
    return float(hi.mean())


def entrapment_exposure(engagement: np.ndarray, war: np.ndarray, exclusivity: np.ndarray) -> float:
    """EnI = sum_g e[g,SEC] * War[g] * chi[g,SEC]: exposure to being dragged into a patron's war
    (Snyder 1984; theory.md §2.7.6)."""
    return float((engagement[:, SEC] * war * exclusivity[:, SEC]).sum())
