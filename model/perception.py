"""How the secondary power perceives the great powers (theory.md §2.7.1). Pure functions on
numpy arrays shaped (powers,) or (powers, domains); domains in ``model.contract.DOMAINS`` order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SEC, ECO, INS = 0, 1, 2


def threat(capability: np.ndarray, reach: np.ndarray, believed_intent: np.ndarray, leverage: np.ndarray,
           exponent: float, intent_floor: float, leverage_gain: float) -> np.ndarray:
    """Threat T[g] = P^alpha * lambda * (rho_hat + eps0) * (1 + gamma_L * L[g]), normalised so max is 1.

    Walt (1985, 1987): threat grows with aggregate power, proximity and offensive intentions;
    theory.md eq. 1 adds leverage (mean over domains) as a source of vulnerability.
    """
    raw = capability**exponent * reach * (believed_intent + intent_floor) * (1 + leverage_gain * leverage.mean(axis=1))
    top = raw.max()
    return raw / top if top > 0 else raw


def leverage(dependence: np.ndarray, route: np.ndarray, institutional: np.ndarray) -> np.ndarray:
    """Leverage L[g,d] = dependence without substitutes plus leverage from g-led bodies (theory.md eq. 2).

    Substitutes for g's flows in a domain are the other powers' shares of it. In the economy the
    export route (theory.md's ROUTE sub-domain) counts when it binds more than trade does.
    """
    substitutes = dependence.sum(axis=0, keepdims=True) - dependence
    direct = dependence * (1 - np.clip(substitutes, 0, 1))
    route_subs = route.sum() - route
    direct[:, ECO] = np.maximum(direct[:, ECO], route * (1 - np.clip(route_subs, 0, 1)))
    return np.clip(direct + institutional, 0, 1)


def opportunity(base: np.ndarray, capability: np.ndarray, offers: np.ndarray) -> np.ndarray:
    """Opportunity Omega[g,d] = Omega0[g,d] * P[g] * |G| + o[g,d] (Schweller 1994; theory.md eq. 3).

    Capability enters relative to an equal share (P * |G|), so that Omega0 is the opportunity a
    power of average size offers, whatever the number of powers.
    """
    return base * (capability * len(capability))[:, None] + offers


def update_beliefs(hostile: np.ndarray, benign: np.ndarray, hostile_evidence: np.ndarray,
                   benign_evidence: np.ndarray, weight: float, forgetting: float,
                   prior_hostile: float, prior_benign: float) -> tuple[np.ndarray, np.ndarray]:
    """Beta belief about each power's hostile intent (theory.md eq. 4).

    Pressure and coercion count as evidence of hostility, rewards as evidence of benign intent;
    both parameters decay toward the prior at rate ``forgetting``.
    """
    a = (1 - forgetting) * (hostile + weight * hostile_evidence) + forgetting * prior_hostile
    b = (1 - forgetting) * (benign + weight * benign_evidence) + forgetting * prior_benign
    return a, b


def believed_intent(hostile: np.ndarray, benign: np.ndarray) -> np.ndarray:
    """Mean of the Beta belief."""
    return hostile / (hostile + benign)


def uncertainty(hostile: np.ndarray, benign: np.ndarray, capability_history: np.ndarray) -> np.ndarray:
    """u[g] = s.d. of the Beta belief + total absolute capability shift over the window (theory.md eq. 4).

    ``capability_history`` is (window + 1, powers), oldest first.
    """
    total = hostile + benign
    sd = np.sqrt(hostile * benign / (total**2 * (total + 1)))
    shift = np.abs(np.diff(capability_history, axis=0)).sum(axis=0) if len(capability_history) > 1 else 0.0
    return sd + shift


def stakes(value: np.ndarray, engagement: np.ndarray) -> np.ndarray:
    """Stake[h] = v[h] * mean_d e[h,d]: what each power stands to lose in S (theory.md eq. 6)."""
    return value * engagement.mean(axis=1)


def perceived_capability(capability: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    """Capability as S sees it, with misperception (Cusack & Stoll 1990)."""
    seen = np.clip(capability + rng.normal(0.0, noise, size=capability.shape), 1e-6, None)
    return seen / seen.sum()


@dataclass(frozen=True)
class InstitutionView:
    """What a rule needs to know about one institution."""

    binding: float
    voice: float
    exit_cost: float
    members: np.ndarray  # bool (powers,)
    leads: np.ndarray  # bool (powers,)
    domains: np.ndarray  # bool (domains,)
    secondary_member: bool
    founded_by_secondary: bool


@dataclass(frozen=True)
class Observation:
    """Everything the secondary power knows when it decides. Great powers' satisfaction is not
    in it: S sees actions (offers, pressure, demands), not intentions."""

    capability: np.ndarray  # perceived P (powers,)
    reach: np.ndarray
    threat: np.ndarray
    leverage: np.ndarray  # (powers, domains)
    opportunity: np.ndarray  # (powers, domains)
    believed_intent: np.ndarray
    uncertainty: np.ndarray
    enmeshment: np.ndarray
    stakes: np.ndarray
    engagement: np.ndarray  # (powers, domains)
    dependence: np.ndarray  # (powers, domains)
    route: np.ndarray  # (powers,)
    reliability: np.ndarray
    exclusivity: np.ndarray  # (powers, domains), effective (with rivalry)
    salience: np.ndarray  # (powers, domains)
    tolerance: np.ndarray
    dependence_rates: np.ndarray  # (domains,)
    rest_of_world: float
    institutions: tuple[InstitutionView, ...]
    focus: int | None = None  # the adversary or patron the secondary's rule chose last quarter
