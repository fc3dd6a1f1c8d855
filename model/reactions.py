"""Great-power reactions to the secondary power (ODD §7.4, eqs. 12-18). Pure functions on arrays
with a leading replication axis; per-replication parameters are (R,) arrays.

A great power sees what S does (its engagement with everyone, whether S met its demands), its
own position (its leverage over S, rivals' stakes, S's enmeshment and capacity) and its own
aims (intent, budget, salience). It never sees S's rule: nothing here takes a rule label.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from multivector.model.numeric import clip, largest, pick, total

SEC = 0
NO_DEMAND, ALIGNMENT, SUPPORT = 0, 1, 2


@dataclass(frozen=True)
class Demands:
    """Each power's demand this quarter, in R worlds (ODD eq. 18).

    ``kind`` is 0 (none), 1 alignment (move toward me and away from my rivals in ``domain``;
    high-cost: a large move, such as leaving a rival's body) or 2 support (war-time: votes and
    abstentions; high-cost: recognition, troops, help around sanctions). ``cost`` is what meeting
    it costs S's sovereignty, 1 for a high-cost demand.
    """

    kind: np.ndarray  # (R, G) int
    domain: np.ndarray  # (R, G) int
    high: np.ndarray  # (R, G) bool
    cost: np.ndarray  # (R, G)


@lru_cache(maxsize=8)
def _diagonal(powers: int) -> np.ndarray:
    return np.eye(powers, dtype=bool)


def mix(rivalry: np.ndarray, values: np.ndarray) -> np.ndarray:
    """sum_h R[g,h] x[h] for each g, as an explicit sum (a matrix product through BLAS may round
    differently for one replication than for many): ``values`` (R, G) or (R, G, D)."""
    if values.ndim == 2:
        return total(rivalry * values[:, None, :], 2)
    return total(rivalry[:, :, :, None] * values[:, None, :, :], 2)


def effective_rivalry(rivalry: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Rivalry used by every reaction: the state times the sweep multiplier, clipped to [0, 1]."""
    return np.where(_diagonal(rivalry.shape[1]), 0.0, clip(rivalry * scale[:, None, None], 0.0, 1.0))


def exclusivity(base: np.ndarray, rivalry: np.ndarray, gain: np.ndarray) -> np.ndarray:
    """chi[g,d] = chi0[g,d] + chi1 * max_h R[g,h] (ODD eq. 12): rivalry raises exclusivity demands."""
    return clip(base + gain[:, None, None] * largest(rivalry, 2, initial=0.0)[:, :, None], 0.0, 1.0)


def rival_mask(rivalry: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """(R, G, G) bool: h is a rival of g (rivalry above r_0); never g itself."""
    return rivalry > threshold[:, None, None]


def satisfaction(engagement: np.ndarray, salience: np.ndarray, exclusivity_demand: np.ndarray,
                 rivals: np.ndarray, signal: np.ndarray) -> np.ndarray:
    """Sat[g] = sum_d w[g,d] * (e[g,d] - chi[g,d] * max_{h rival of g} e[h,d]) + sig[g], in [-1, 1] (ODD eq. 12)."""
    rival_engagement = largest(np.where(rivals[:, :, :, None], engagement[:, None, :, :], 0.0), 2)
    out = total(salience * (engagement - exclusivity_demand * rival_engagement), 2) + signal
    return clip(out, -1.0, 1.0)


def offers(sat: np.ndarray, threshold: np.ndarray, budget: np.ndarray, value: np.ndarray, loyalty_weight: np.ndarray,
           bidding_weight: np.ndarray, rivalry: np.ndarray, engagement: np.ndarray, salience: np.ndarray) -> np.ndarray:
    """Rewards o[g,d] when Sat[g] >= theta+[g] (ODD eq. 13): loyalty plus competitive bidding.

    Competitive bidding (Cooley 2012; Simon & Figiaconi 2024): a power pays more the more S is
    engaged with its rivals. Offers go to the domains the power cares about (salience).
    """
    bidding = mix(rivalry, engagement)  # (R, G, D): rivals' engagement, weighted by rivalry
    amount = budget[:, :, None] * value[:, :, None] * (loyalty_weight[:, None, None] * sat[:, :, None]
                                                       + bidding_weight[:, None, None] * bidding)
    out = np.maximum(0.0, amount * salience * salience.shape[2])
    return np.where((sat >= threshold)[:, :, None], out, 0.0)


def pressure_cost(base: np.ndarray, enmeshment: np.ndarray, enmeshment_weight: np.ndarray, rival_stakes: np.ndarray,
                  stake_weight: np.ndarray, recent_episodes: np.ndarray, reputation: np.ndarray) -> np.ndarray:
    """Cost_p[g] = c0 (1 + eta_M M[g]) (1 + xi sum_h R[g,h] Stake[h]) (1 + rep * episodes[g]) (ODD eq. 14).

    Omni-enmeshment and other powers' stakes in S make pressure dearer (Goh 2007/08).
    ``rival_stakes`` is sum_h R[g,h] Stake[h] (``mix(rivalry, stakes)``).
    """
    return (base[:, None] * (1 + enmeshment_weight[:, None] * enmeshment)
            * (1 + stake_weight[:, None] * rival_stakes) * (1 + reputation[:, None] * recent_episodes))


def pressure(sat: np.ndarray, threshold: np.ndarray, value: np.ndarray, leverage: np.ndarray, intensity: np.ndarray,
             cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pressure when Sat < theta- and the expected gain v * (theta- - Sat) * L beats the cost (ODD eq. 14).

    Each power presses in the domain where its leverage is largest. Returns (domain, intensity)
    per power; intensity 0 means no pressure.
    """
    domain = leverage.argmax(axis=2)
    gap = threshold - sat
    if not (gap > 0).any():  # nobody is below its threshold: no pressure anywhere
        return domain, np.zeros(gap.shape)
    lever = pick(leverage, domain)
    fires = (gap > 0) & (value * gap * lever > cost)
    return domain, np.where(fires, np.minimum(lever, intensity[:, None] * np.maximum(gap, 0.0)), 0.0)


def signal_update(signal: np.ndarray, decay: np.ndarray, pressed: np.ndarray, settled: np.ndarray) -> np.ndarray:
    """Signals at the end of the quarter: every signal fades at ``decay``; and a power that pressed S
    this quarter has answered part of its grievance, so a share ``settled`` of its negative signal
    goes too (ODD §7.4). Pressure is a reply to an affront (a refused demand, an assertion): once
    delivered, the affront is answered, as a retaliating strategy forgives once it has retaliated
    (Axelrod 1984); the CPC terminal halt of July 2022 was lifted for a fine within a week
    (theory.md §4.1a). What pressure does not settle is the structural part of dissatisfaction
    (S's ties with the power's rivals), which only S's response changes."""
    faded = signal * (1 - decay[:, None])
    return np.where(pressed & (faded < 0), faded * (1 - settled[:, None]), faded)


def coercion_probability(reach: np.ndarray, intent: np.ndarray, sat: np.ndarray, threshold: np.ndarray,
                         enmeshment: np.ndarray, stakes_term: np.ndarray, capacity: np.ndarray, war: np.ndarray,
                         c) -> np.ndarray:
    """Probability of military or territorial coercion this quarter (ODD eq. 15), scaled by
    reach: a distant power cannot coerce S militarily. ``c`` holds the (R,) coefficients
    ``coercion_intercept``, ``coercion_intent``... (the reactions' parameters).

    Coercion is the top rung of the escalation ladder (Kahn 1965; Schelling 1966): only a power
    dissatisfied with S (Sat below theta-, where it would also consider pressure) considers it.
    A content power does not threaten S militarily out of the blue; the logistic then says how
    likely a dissatisfied one is to climb that far."""
    z = (c.coercion_intercept[:, None] + c.coercion_intent[:, None] * intent
         + c.coercion_dissatisfaction[:, None] * np.maximum(0.0, threshold - sat)
         - c.coercion_enmeshment[:, None] * enmeshment - c.coercion_stakes[:, None] * stakes_term
         - (c.coercion_capacity * capacity)[:, None] - c.coercion_war[:, None] * war)
    return np.where(sat < threshold, reach / (1 + np.exp(-z)), 0.0)


def alignment_demand_probability(sat: np.ndarray, tolerance: np.ndarray, intent: np.ndarray, leverage: np.ndarray,
                                 dissatisfied_rate: np.ndarray, exploitation: np.ndarray) -> np.ndarray:
    """Chance each power makes an alignment demand this quarter (ODD eq. 18).

    A power whose satisfaction is below its tolerance asks S to align (at ``dissatisfied_rate``);
    and a power with hostile intent and leverage over S asks whatever its satisfaction, because
    asymmetric dependence is a resource its holder uses (Hirschman 1945; Keohane & Nye 1977).
    """
    return clip(dissatisfied_rate[:, None] * (sat < tolerance)
                   + exploitation[:, None] * intent * largest(leverage, 2), 0.0, 1.0)


def war_demand_probability(war: np.ndarray, consensus: np.ndarray, rate: np.ndarray, veto: np.ndarray) -> np.ndarray:
    """Chance a power at war demands S's support (Snyder 1984: the entrapment channel). A consensus
    voice in a body shared with that power lets S veto collective commitments (ODD §7.5)."""
    return rate[:, None] * war * (1 - veto[:, None] * consensus)


def issue_demands(p_alignment: np.ndarray, p_war: np.ndarray, intent: np.ndarray, salience: np.ndarray,
                  high_cost_share: np.ndarray, low_cost: np.ndarray, u_alignment: np.ndarray,
                  u_alignment_cost: np.ndarray, u_war: np.ndarray, u_war_cost: np.ndarray) -> Demands:
    """Each power's demand this quarter (ODD eq. 18).

    A power at war that asks for support makes no alignment demand that quarter. An alignment
    demand is in the power's most salient domain and high-cost with probability equal to its
    intent (a revisionist asks for more); a support demand is high-cost with ``high_cost_share``.
    """
    war = u_war < p_war
    alignment = ~war & (u_alignment < p_alignment)
    high = np.where(war, u_war_cost < high_cost_share[:, None], alignment & (u_alignment_cost < intent))
    kind = war * SUPPORT + alignment * ALIGNMENT  # the two never both hold; neither is NO_DEMAND (0)
    domain = np.where(alignment, salience.argmax(axis=2), SEC)  # a support demand is in security
    cost = np.where(war | alignment, np.where(high, 1.0, low_cost[:, None]), 0.0)
    return Demands(kind, domain, high, cost)


def answer_signal(asked: np.ndarray, met: np.ndarray, cost: np.ndarray, comply: np.ndarray,
                  refusal_price: np.ndarray) -> np.ndarray:
    """The signal a power takes from S's answer to its demand (ODD eq. 18): ``comply`` when S met it;
    minus ``refusal_price`` times the demand's cost when S refused it. Refusing recognition or
    troops (cost 1) costs more goodwill than refusing a small vote (the low-cost weight): the
    SPIEF refusal of June 2022 is the anchor, sig_RU -0.3 (theory.md §3). This is the price of
    refusal: without it, a rule that refuses everything would be pressed no more than one that
    refuses only what costs its sovereignty most."""
    return np.where(met, comply, np.where(asked, -refusal_price * cost, 0.0))


def reliability(base: np.ndarray, war: np.ndarray, war_loss: np.ndarray, value: np.ndarray) -> np.ndarray:
    """rel[g] = rel0 (1 - omega_W War) v (ODD eq. 17): overstretch lowers reliability."""
    return clip(base * (1 - war_loss[:, None] * war) * value, 0.0, 1.0)


def treaty_commitment(institutions, weight: np.ndarray) -> np.ndarray:
    """(R, G) how far each power is committed to S by treaty: ``weight`` times the binding of the
    most binding security body it leads and S belongs to (a collective-defence treaty), 0 without one.
    ``institutions`` is a :class:`model.institutions.InstitutionView`."""
    led = institutions.led[:, SEC, :]  # (G, I): g leads the slot and it covers security
    bound = institutions.member[:, None, :] & led[None, :, :]
    return weight[:, None] * largest(np.where(bound, institutions.binding[:, None, :], 0.0), 2, initial=0.0)


def help_probability(reliability_value: np.ndarray, sat: np.ndarray, commitment: np.ndarray) -> np.ndarray:
    """Chance the power S asks in a crisis helps: rel * min(1, (1 + Sat) / 2 + commitment)
    (Snyder 1984; ODD §7.5).

    Without a treaty this is rel * (1 + Sat) / 2: a power weighs helping by how content it is
    with S. A binding alliance commits it beyond its mood of the moment: abandoning a treaty ally
    costs the patron its reputation for reliability with every other ally (Snyder 1984, 1997;
    Morrow 2000; Leeds 2003), so a treaty ally in reasonable standing is helped with the
    patron's reliability itself, and only a deeply dissatisfied patron weighs walking away.
    In the default scenario the treaty ally answered S's crisis request of 5 January 2022 within a day
    (theory.md §4.1a) although it was not S's most favoured partner in every domain."""
    return reliability_value * np.minimum(1.0, (1 + sat) / 2 + commitment)


def rivalry_update(rivalry: np.ndarray, baseline: np.ndarray, security_shift: np.ndarray, feedback: np.ndarray,
                   reversion: np.ndarray) -> np.ndarray:
    """R[g,h] += eps_R |Delta(e[h,SEC] - e[g,SEC])| plus reversion to the baseline (ODD eq. 16).

    S's security shifts feed great-power rivalry (Snyder 1984)."""
    diff = np.abs(security_shift[:, None, :] - security_shift[:, :, None])
    out = rivalry + feedback[:, None, None] * diff + reversion[:, None, None] * (baseline - rivalry)
    return np.where(_diagonal(out.shape[1]), 0.0, clip(out, 0.0, 1.0))
