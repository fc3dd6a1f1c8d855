"""Great-power reactions to the secondary power (theory.md §2.7.4). Pure functions.

A great power sees what S does (its engagement with everyone, whether S met its demands) and
its own position (leverage, rivals' stakes, S's enmeshment and capacity). It never sees S's
rule: nothing here takes a rule label.
"""

from __future__ import annotations

import numpy as np


def effective_rivalry(rivalry: np.ndarray, scale: float) -> np.ndarray:
    """Rivalry used by every reaction: the state times the sweep multiplier, clipped to [0, 1]."""
    out = np.clip(rivalry * scale, 0.0, 1.0)
    np.fill_diagonal(out, 0.0)
    return out


def exclusivity(base: np.ndarray, rivalry: np.ndarray, gain: float) -> np.ndarray:
    """chi[g,d] = chi0[g,d] + chi1 * max_h R[g,h] (theory.md §2.2): rivalry raises exclusivity demands."""
    return np.clip(base + gain * rivalry.max(axis=1, initial=0.0)[:, None], 0.0, 1.0)


def satisfaction(engagement: np.ndarray, salience: np.ndarray, exclusivity_demand: np.ndarray,
                 rivalry: np.ndarray, rivalry_threshold: float, signal: np.ndarray) -> np.ndarray:
    """Sat[g] = sum_d w[g,d] * (e[g,d] - chi[g,d] * max_{h != g, R[g,h] > r0} e[h,d]) + sig[g] (theory.md eq. 12)."""
    n = engagement.shape[0]
    out = np.empty(n)
    for g in range(n):
        rivals = (rivalry[g] > rivalry_threshold) & (np.arange(n) != g)
        rival_engagement = engagement[rivals].max(axis=0) if rivals.any() else np.zeros(engagement.shape[1])
        out[g] = (salience[g] * (engagement[g] - exclusivity_demand[g] * rival_engagement)).sum() + signal[g]
    return np.clip(out, -1.0, 1.0)


def offers(sat: float, threshold: float, budget: float, value: float, loyalty_weight: float,
           bidding_weight: float, rivalry_row: np.ndarray, engagement: np.ndarray, salience_row: np.ndarray) -> np.ndarray:
    """Rewards o[g,d] if Sat >= theta+ (theory.md eq. 13): loyalty plus competitive bidding.

    Competitive bidding (Cooley 2012; Simon & Figiaconi 2024): a power pays more the more S is
    engaged with its rivals. Offers go to the domains the power cares about (salience).
    """
    if sat < threshold:
        return np.zeros_like(salience_row)
    bidding = (rivalry_row[:, None] * engagement).sum(axis=0)
    return np.maximum(0.0, budget * value * (loyalty_weight * sat + bidding_weight * bidding) * salience_row * len(salience_row))


def pressure_cost(base: float, enmeshment: float, enmeshment_weight: float, rivalry_row: np.ndarray,
                  stakes: np.ndarray, stake_weight: float, recent_episodes: int, reputation: float) -> float:
    """Cost_p[g] = c0 (1 + eta_M M[g]) (1 + xi sum_h R[g,h] Stake[h]) (1 + rep[g]) (theory.md eq. 14).

    Omni-enmeshment and other powers' stakes in S make pressure dearer (Goh 2007/08).
    """
    return base * (1 + enmeshment_weight * enmeshment) * (1 + stake_weight * float(rivalry_row @ stakes)) * (
        1 + reputation * recent_episodes
    )


def pressure(sat: float, threshold: float, value: float, leverage_row: np.ndarray, intensity: float,
             cost: float) -> tuple[int, float]:
    """Pressure if Sat < theta- and the expected gain v * (theta- - Sat) * L beats the cost
    (theory.md eq. 14). Returns (domain, intensity); intensity 0 means no pressure."""
    if sat >= threshold:
        return 0, 0.0
    domain = int(np.argmax(leverage_row))
    gap = threshold - sat
    gain = value * gap * leverage_row[domain]
    if gain <= cost:
        return domain, 0.0
    return domain, float(min(leverage_row[domain], intensity * gap))


def coercion_probability(reach: float, intent: float, sat: float, threshold: float, enmeshment: float,
                         stakes_term: float, capacity: float, war: float, c: dict) -> float:
    """Probability of military or territorial coercion this quarter (theory.md eq. 15), scaled by
    reach: a distant power cannot coerce S militarily."""
    z = (c["intercept"] + c["intent"] * intent + c["dissatisfaction"] * max(0.0, threshold - sat)
         - c["enmeshment"] * enmeshment - c["stakes"] * stakes_term - c["capacity"] * capacity - c["war"] * war)
    return float(reach / (1 + np.exp(-z)))


def reliability(base: float, war: float, war_loss: float, value: float) -> float:
    """rel[g] = rel0 (1 - omega_W War) v (theory.md eq. 17): overstretch lowers reliability."""
    return float(np.clip(base * (1 - war_loss * war) * value, 0.0, 1.0))


def rivalry_update(rivalry: np.ndarray, baseline: np.ndarray, security_shift: np.ndarray, feedback: float,
                   reversion: float) -> np.ndarray:
    """R[g,h] += eps_R |Delta(e[h,SEC] - e[g,SEC])| plus reversion to the baseline (theory.md eq. 16).

    S's security shifts feed great-power rivalry (Snyder 1984)."""
    diff = np.abs(security_shift[None, :] - security_shift[:, None])
    out = rivalry + feedback * diff + reversion * (baseline - rivalry)
    out = np.clip(out, 0.0, 1.0)
    np.fill_diagonal(out, 0.0)
    return out
