"""Great-power reactions to the secondary power (ODD §7.4, eqs. 12-18). Pure functions.

A great power sees what S does (its engagement with everyone, whether S met its demands), its
own position (its leverage over S, rivals' stakes, S's enmeshment and capacity) and its own
aims (intent, budget, salience). It never sees S's rule: nothing here takes a rule label.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SEC = 0


@dataclass(frozen=True)
class Demand:
    """A great power's demand on S.

    ``kind`` is "alignment" (move toward me and away from my rivals in this domain; high-cost:
    a large move, such as leaving a rival's body or closing its facilities) or "support"
    (war-time: votes and abstentions; high-cost: recognition, troops, help around sanctions).
    ``cost`` is what meeting it costs S's sovereignty, 1 for a high-cost demand (ODD eq. 18).
    """

    power: int
    kind: str
    domain: int
    high_cost: bool
    cost: float


def effective_rivalry(rivalry: np.ndarray, scale: float) -> np.ndarray:
    """Rivalry used by every reaction: the state times the sweep multiplier, clipped to [0, 1]."""
    out = np.clip(rivalry * scale, 0.0, 1.0)
    np.fill_diagonal(out, 0.0)
    return out


def exclusivity(base: np.ndarray, rivalry: np.ndarray, gain: float) -> np.ndarray:
    """chi[g,d] = chi0[g,d] + chi1 * max_h R[g,h] (ODD eq. 12): rivalry raises exclusivity demands."""
    return np.clip(base + gain * rivalry.max(axis=1, initial=0.0)[:, None], 0.0, 1.0)


def rival_mask(rivalry: np.ndarray, threshold: float) -> np.ndarray:
    """(G, G) bool: h is a rival of g (rivalry above r_0); never g itself."""
    return rivalry > threshold


def satisfaction(engagement: np.ndarray, salience: np.ndarray, exclusivity_demand: np.ndarray,
                 rivals: np.ndarray, signal: np.ndarray) -> np.ndarray:
    """Sat[g] = sum_d w[g,d] * (e[g,d] - chi[g,d] * max_{h rival of g} e[h,d]) + sig[g], in [-1, 1] (ODD eq. 12)."""
    # (G, G, D): engagement with h, kept only where h is g's rival; its max over h
    rival_engagement = np.where(rivals[:, :, None], engagement[None, :, :], 0.0).max(axis=1)
    out = (salience * (engagement - exclusivity_demand * rival_engagement)).sum(axis=1) + signal
    return np.clip(out, -1.0, 1.0)


def offers(sat: np.ndarray, threshold: np.ndarray, budget: np.ndarray, value: np.ndarray, loyalty_weight: float,
           bidding_weight: float, rivalry: np.ndarray, engagement: np.ndarray, salience: np.ndarray) -> np.ndarray:
    """Rewards o[g,d] when Sat[g] >= theta+[g] (ODD eq. 13): loyalty plus competitive bidding.

    Competitive bidding (Cooley 2012; Simon & Figiaconi 2024): a power pays more the more S is
    engaged with its rivals. Offers go to the domains the power cares about (salience).
    """
    bidding = rivalry @ engagement  # (G, D): rivals' engagement, weighted by rivalry
    amount = budget[:, None] * value[:, None] * (loyalty_weight * sat[:, None] + bidding_weight * bidding)
    out = np.maximum(0.0, amount * salience * salience.shape[1])
    return np.where((sat >= threshold)[:, None], out, 0.0)


def pressure_cost(base: float, enmeshment: np.ndarray, enmeshment_weight: float, rivalry: np.ndarray,
                  stakes: np.ndarray, stake_weight: float, recent_episodes: np.ndarray, reputation: float) -> np.ndarray:
    """Cost_p[g] = c0 (1 + eta_M M[g]) (1 + xi sum_h R[g,h] Stake[h]) (1 + rep * episodes[g]) (ODD eq. 14).

    Omni-enmeshment and other powers' stakes in S make pressure dearer (Goh 2007/08).
    """
    return (base * (1 + enmeshment_weight * enmeshment) * (1 + stake_weight * (rivalry @ stakes))
            * (1 + reputation * recent_episodes))


def pressure(sat: np.ndarray, threshold: np.ndarray, value: np.ndarray, leverage: np.ndarray, intensity: float,
             cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pressure when Sat < theta- and the expected gain v * (theta- - Sat) * L beats the cost (ODD eq. 14).

    Each power presses in the domain where its leverage is largest. Returns (domain, intensity)
    per power; intensity 0 means no pressure.
    """
    domain = np.argmax(leverage, axis=1)
    lever = leverage[np.arange(len(sat)), domain]
    gap = threshold - sat
    fires = (gap > 0) & (value * gap * lever > cost)
    return domain, np.where(fires, np.minimum(lever, intensity * np.maximum(gap, 0.0)), 0.0)


def coercion_probability(reach: np.ndarray, intent: np.ndarray, sat: np.ndarray, threshold: np.ndarray,
                         enmeshment: np.ndarray, stakes_term: np.ndarray, capacity: float, war: np.ndarray,
                         c: dict) -> np.ndarray:
    """Probability of military or territorial coercion this quarter (ODD eq. 15), scaled by
    reach: a distant power cannot coerce S militarily."""
    z = (c["intercept"] + c["intent"] * intent + c["dissatisfaction"] * np.maximum(0.0, threshold - sat)
         - c["enmeshment"] * enmeshment - c["stakes"] * stakes_term - c["capacity"] * capacity - c["war"] * war)
    return reach / (1 + np.exp(-z))


def alignment_demand_probability(sat: np.ndarray, tolerance: np.ndarray, intent: np.ndarray, leverage: np.ndarray,
                                 dissatisfied_rate: float, exploitation: float) -> np.ndarray:
    """Chance each power makes an alignment demand this quarter (ODD eq. 18).

    A power whose satisfaction is below its tolerance asks S to align (at ``dissatisfied_rate``);
    and a power with hostile intent and leverage over S asks whatever its satisfaction, because
    asymmetric dependence is a resource its holder uses (Hirschman 1945; Keohane & Nye 1977).
    """
    return np.clip(dissatisfied_rate * (sat < tolerance) + exploitation * intent * leverage.max(axis=1), 0.0, 1.0)


def war_demand_probability(war: np.ndarray, consensus: np.ndarray, rate: float, veto: float) -> np.ndarray:
    """Chance a power at war demands S's support (Snyder 1984: the entrapment channel). A consensus
    voice in a body shared with that power lets S veto collective commitments (ODD §7.5)."""
    return rate * war * (1 - veto * consensus)


def issue_demands(p_alignment: np.ndarray, p_war: np.ndarray, intent: np.ndarray, salience: np.ndarray,
                  high_cost_share: float, low_cost: float, u_alignment: np.ndarray, u_alignment_cost: np.ndarray,
                  u_war: np.ndarray, u_war_cost: np.ndarray) -> list[Demand | None]:
    """Each power's demand this quarter, or None (ODD eq. 18).

    A power at war that asks for support makes no alignment demand that quarter. An alignment
    demand is in the power's most salient domain and high-cost with probability equal to its
    intent (a revisionist asks for more); a support demand is high-cost with ``high_cost_share``.
    """
    demands: list[Demand | None] = []
    for g in range(len(p_alignment)):
        if u_war[g] < p_war[g]:
            high = bool(u_war_cost[g] < high_cost_share)
            demands.append(Demand(g, "support", SEC, high, 1.0 if high else low_cost))
        elif u_alignment[g] < p_alignment[g]:
            high = bool(u_alignment_cost[g] < intent[g])
            demands.append(Demand(g, "alignment", int(np.argmax(salience[g])), high, 1.0 if high else low_cost))
        else:
            demands.append(None)
    return demands


def reliability(base: np.ndarray, war: np.ndarray, war_loss: float, value: np.ndarray) -> np.ndarray:
    """rel[g] = rel0 (1 - omega_W War) v (ODD eq. 17): overstretch lowers reliability."""
    return np.clip(base * (1 - war_loss * war) * value, 0.0, 1.0)


def help_probability(reliability_value: float, sat: float) -> float:
    """Chance the power S asks in a crisis helps: rel * (1 + Sat) / 2 (Snyder 1984; ODD §7.5)."""
    return reliability_value * (1 + sat) / 2


def rivalry_update(rivalry: np.ndarray, baseline: np.ndarray, security_shift: np.ndarray, feedback: float,
                   reversion: float) -> np.ndarray:
    """R[g,h] += eps_R |Delta(e[h,SEC] - e[g,SEC])| plus reversion to the baseline (ODD eq. 16).

    S's security shifts feed great-power rivalry (Snyder 1984)."""
    diff = np.abs(security_shift[None, :] - security_shift[:, None])
    out = rivalry + feedback * diff + reversion * (baseline - rivalry)
    out = np.clip(out, 0.0, 1.0)
    np.fill_diagonal(out, 0.0)
    return out
