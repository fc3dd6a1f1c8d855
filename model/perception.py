"""How the secondary power perceives the great powers (ODD §7.1, eqs. 1-6). Pure functions on
numpy arrays shaped (powers,) or (powers, domains); domains in ``model.contract.DOMAINS`` order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.institutions import InstitutionArrays

SEC, ECO, INS = 0, 1, 2


def threat(capability: np.ndarray, offensive: np.ndarray, reach: np.ndarray, believed_intent: np.ndarray,
           leverage: np.ndarray, exponent: float, offensive_exponent: float, intent_floor: float,
           leverage_gain: float) -> np.ndarray:
    """T[g] = P^alpha * O^beta * lambda * (rho_hat + eps0) * (1 + gamma_L * mean_d L[g]), normalised so max is 1.

    Walt (1985, 1987): threat grows with aggregate power (P), offensive capability (O: military
    power that can be brought to bear on S), geographic proximity (lambda) and perceived
    offensive intentions (rho_hat); ODD eq. 1 adds leverage as a source of vulnerability.
    """
    raw = (capability**exponent * offensive**offensive_exponent * reach * (believed_intent + intent_floor)
           * (1 + leverage_gain * leverage.mean(axis=1)))
    top = raw.max()
    return raw / top if top > 0 else raw


def leverage(dependence: np.ndarray, route: np.ndarray, institutional: np.ndarray) -> np.ndarray:
    """Leverage L[g,d] = dependence without substitutes plus leverage from g-led bodies (ODD eq. 2).

    Substitutes for g's flows in a domain are the other powers' shares of it (Keohane & Nye 1977:
    vulnerability). In the economy the export route counts when it binds more than trade does.
    """
    substitutes = dependence.sum(axis=0, keepdims=True) - dependence
    direct = dependence * (1 - np.clip(substitutes, 0, 1))
    route_subs = route.sum() - route
    direct[:, ECO] = np.maximum(direct[:, ECO], route * (1 - np.clip(route_subs, 0, 1)))
    return np.clip(direct + institutional, 0, 1)


def opportunity(base: np.ndarray, size: np.ndarray, reach: np.ndarray, offers: np.ndarray,
                system_size: int) -> np.ndarray:
    """Opportunity Omega[g,d] = Omega0[g,d] * size[g,d] * |G| * gravity[g,d] + o[g,d] (Schweller 1994; ODD eq. 3).

    ``size`` is each power's relevant weight by domain (offensive capability for security,
    economic size for the economy, aggregate power for institutions), as a share among the
    ``system_size`` = |G| powers of the world, scaled by |G| so that Omega0 is the opportunity a
    neighbouring power of average size offers. Distance discounts trade and security cooperation (the gravity model
    of trade, Tinbergen 1962; the loss-of-strength gradient, Boulding 1962): gravity is reach in
    security and the economy, 1 in institutions.
    """
    gravity = np.column_stack([reach, reach, np.ones_like(reach)])
    return base * size * system_size * gravity + offers


def domain_sizes(aggregate: np.ndarray, economic: np.ndarray, military: np.ndarray) -> np.ndarray:
    """(G, D) weight of each power by domain: military, economic, aggregate (see :func:`opportunity`)."""
    return np.column_stack([military, economic, aggregate])


def update_beliefs(hostile: np.ndarray, benign: np.ndarray, hostile_evidence: np.ndarray,
                   benign_evidence: np.ndarray, weight: float, forgetting: float,
                   prior_hostile: float, prior_benign: float) -> tuple[np.ndarray, np.ndarray]:
    """Beta belief about each power's hostile intent (ODD eq. 4).

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
    """u[g] = s.d. of the Beta belief + total absolute capability shift over the window (ODD eq. 4).

    ``capability_history`` is (window + 1, powers), oldest first.
    """
    total = hostile + benign
    sd = np.sqrt(hostile * benign / (total**2 * (total + 1)))
    shift = np.abs(np.diff(capability_history, axis=0)).sum(axis=0) if len(capability_history) > 1 else 0.0
    return sd + shift


def stakes(value: np.ndarray, engagement: np.ndarray) -> np.ndarray:
    """Stake[h] = v[h] * mean_d e[h,d]: what each power stands to lose in S (Goh 2007/08; ODD eq. 6)."""
    return value * engagement.mean(axis=1)


def perceived_capability(capability: np.ndarray, noise: float, standard_normals: np.ndarray) -> np.ndarray:
    """Capability as S sees it, with misperception (Cusack & Stoll 1990); ``standard_normals``
    are this quarter's draws (one per power)."""
    seen = np.clip(capability + noise * standard_normals, 1e-6, None)
    return seen * (capability.sum() / seen.sum())


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
    pressure_threshold: np.ndarray  # (powers,) each power's red line, known to S through diplomacy
    signal: np.ndarray  # (powers,) the diplomatic climate: each power's recent signals of (dis)pleasure
    rivalry: np.ndarray  # (powers, powers) effective rivalry
    rivalry_threshold: float
    offensive: np.ndarray  # (powers,) offensive capability O
    recent_economic_pressure: float  # economic pressure S suffered over the last window
    dependence_rates: np.ndarray  # (domains,)
    rest_of_world: float
    institutions: InstitutionArrays
    focus: int = -1  # the adversary or patron the secondary's rule chose last quarter (-1: none)
    power_ids: tuple[str, ...] = ()  # the scenario's power ids, in array order
