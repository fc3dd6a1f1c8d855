"""How the secondary power perceives the great powers (ODD §7.1, eqs. 1-6). Pure functions on
arrays with a leading replication axis: (R, G) per power, (R, G, D) per power and domain, domains
in ``model.contract.DOMAINS`` order.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from multivector.model.institutions import InstitutionView
from multivector.model.numeric import arange, clip, mean, power, total

SEC, ECO, INS = 0, 1, 2


def threat(capability: np.ndarray, offensive: np.ndarray, reach: np.ndarray, believed_intent: np.ndarray,
           leverage: np.ndarray, exponent: np.ndarray, offensive_exponent: np.ndarray, intent_floor: np.ndarray,
           leverage_gain: np.ndarray) -> np.ndarray:
    """T[g] = P^alpha * O^beta * lambda * (rho_hat + eps0) * (1 + gamma_L * mean_d L[g]), normalised so max is 1.

    Walt (1985, 1987): threat grows with aggregate power (P), offensive capability (O: military
    power that can be brought to bear on S), geographic proximity (lambda) and perceived
    offensive intentions (rho_hat); ODD eq. 1 adds leverage as a source of vulnerability.
    Parameters are (R,) arrays.
    """
    raw = (power(capability, exponent) * power(offensive, offensive_exponent) * reach
           * (believed_intent + intent_floor[:, None]) * (1 + leverage_gain[:, None] * mean(leverage, 2)))
    top = np.maximum.reduce(raw, axis=1, keepdims=True)
    if (top > 0).all():
        return raw / top
    return np.where(top > 0, raw / np.where(top > 0, top, 1.0), raw)


def leverage(dependence: np.ndarray, route: np.ndarray, institutional: np.ndarray) -> np.ndarray:
    """Leverage L[g,d] = dependence without substitutes plus leverage from g-led bodies (ODD eq. 2).

    Substitutes for g's flows in a domain are the other powers' shares of it (Keohane & Nye 1977:
    vulnerability). In the economy the export route counts when it binds more than trade does.
    """
    substitutes = total(dependence, 1, keepdims=True) - dependence
    direct = dependence * (1 - clip(substitutes, 0, 1))
    route_substitutes = total(route, 1, keepdims=True) - route
    direct[:, :, ECO] = np.maximum(direct[:, :, ECO], route * (1 - clip(route_substitutes, 0, 1)))
    return clip(direct + institutional, 0, 1)


def opportunity(base: np.ndarray, size: np.ndarray, gravity_weight: np.ndarray, offers: np.ndarray,
                system_size: int) -> np.ndarray:
    """Opportunity Omega[g,d] = Omega0[g,d] * size[g,d] * |G| * gravity[g,d] + o[g,d] (Schweller 1994; ODD eq. 3).

    ``size`` is each power's relevant weight by domain (offensive capability for security,
    economic size for the economy, aggregate power for institutions), as a share among the
    ``system_size`` = |G| powers of the world, scaled by |G| so that Omega0 is the opportunity a
    neighbouring power of average size offers. Distance discounts trade and security cooperation
    (:func:`gravity`).
    """
    return base * size * system_size * gravity_weight + offers


def gravity(reach: np.ndarray) -> np.ndarray:
    """(R, G, D) distance discount of opportunity: reach in security and the economy, 1 in
    institutions (the gravity model of trade, Tinbergen 1962; the loss-of-strength gradient,
    Boulding 1962)."""
    return np.stack([reach, reach, np.ones_like(reach)], axis=2)


def domain_sizes(aggregate: np.ndarray, economic: np.ndarray, military: np.ndarray) -> np.ndarray:
    """(R, G, D) weight of each power by domain: military, economic, aggregate (see :func:`opportunity`)."""
    out = np.empty(aggregate.shape + (3,))
    out[:, :, SEC], out[:, :, ECO], out[:, :, INS] = military, economic, aggregate
    return out


def update_beliefs(hostile: np.ndarray, benign: np.ndarray, hostile_evidence: np.ndarray,
                   benign_evidence: np.ndarray, weight: np.ndarray, forgetting: np.ndarray,
                   prior_hostile: np.ndarray, prior_benign: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Beta belief about each power's hostile intent (ODD eq. 4).

    Pressure and coercion count as evidence of hostility, rewards as evidence of benign intent;
    both parameters decay toward the prior at rate ``forgetting``.
    """
    f, w = forgetting[:, None], weight[:, None]
    a = (1 - f) * (hostile + w * hostile_evidence) + f * prior_hostile[:, None]
    b = (1 - f) * (benign + w * benign_evidence) + f * prior_benign[:, None]
    return a, b


def believed_intent(hostile: np.ndarray, benign: np.ndarray) -> np.ndarray:
    """Mean of the Beta belief."""
    return hostile / (hostile + benign)


def uncertainty(hostile: np.ndarray, benign: np.ndarray, recent_shifts: np.ndarray, window: np.ndarray) -> np.ndarray:
    """u[g] = s.d. of the Beta belief + total absolute capability shift over the last ``window``
    quarters (ODD eq. 4). ``recent_shifts`` is (R, G, S): each quarter's absolute shift in
    aggregate power, the newest last, over a span S at least as long as any window."""
    total = hostile + benign
    sd = np.sqrt(hostile * benign / (total**2 * (total + 1)))
    span = recent_shifts.shape[-1]
    age = span - 1 - arange(span)
    return sd + np.where((age[None, :] < window[:, None])[:, None, :], recent_shifts, 0.0).sum(axis=-1)


def stakes(value: np.ndarray, engagement: np.ndarray) -> np.ndarray:
    """Stake[h] = v[h] * mean_d e[h,d]: what each power stands to lose in S (Goh 2007/08; ODD eq. 6)."""
    return value * mean(engagement, 2)


def perceived_capability(capability: np.ndarray, noise: np.ndarray, standard_normals: np.ndarray) -> np.ndarray:
    """Capability as S sees it, with misperception (Cusack & Stoll 1990); ``standard_normals``
    are this quarter's draws (one per power)."""
    seen = np.maximum(capability + noise[:, None] * standard_normals, 1e-6)
    return seen * (capability.sum(axis=1, keepdims=True) / seen.sum(axis=1, keepdims=True))


@dataclass
class Observation:
    """Everything the secondary power knows when it decides, in R worlds: one information set,
    the same for every rule (what one rule may observe, every rule may; ODD §7.2a). Great powers'
    satisfaction is not in it: S sees actions (offers, pressure, demands), not intentions; their
    red lines (``pressure_threshold``) are in it because powers state them through diplomacy.
    Rules only read it. (Not a frozen dataclass: with this many fields, a frozen __init__ costs
    several microseconds a quarter, a noticeable share of a one-replication step.)"""

    capability: np.ndarray  # perceived P (R, G)
    reach: np.ndarray
    threat: np.ndarray
    leverage: np.ndarray  # (R, G, D)
    opportunity: np.ndarray  # (R, G, D)
    believed_intent: np.ndarray
    uncertainty: np.ndarray
    enmeshment: np.ndarray
    stakes: np.ndarray
    engagement: np.ndarray  # (R, G, D)
    dependence: np.ndarray  # (R, G, D)
    route: np.ndarray  # (R, G)
    reliability: np.ndarray
    exclusivity: np.ndarray  # (R, G, D), effective (with rivalry)
    salience: np.ndarray  # (R, G, D)
    tolerance: np.ndarray
    pressure_threshold: np.ndarray  # (R, G) each power's red line, known to S through diplomacy
    signal: np.ndarray  # (R, G) the diplomatic climate: each power's recent signals of (dis)pleasure
    rivalry: np.ndarray  # (R, G, G) effective rivalry
    rivalry_threshold: np.ndarray  # (R,)
    offensive: np.ndarray  # (R, G) offensive capability O
    offers: np.ndarray  # (R, G, D) inducements each power offers S this quarter (ODD eq. 13)
    recent_economic_pressure: np.ndarray  # (R,) economic pressure S suffered over the last window
    dependence_rates: np.ndarray  # (R, D)
    rest_of_world: np.ndarray  # (R,)
    institutions: InstitutionView
    focus: np.ndarray  # (R,) the adversary or patron the secondary's rule chose last quarter (-1: none)
    power_ids: tuple[str, ...] = ()

    def take(self, rows: np.ndarray) -> "Observation":
        """The observation of replications ``rows`` only."""
        values = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                values[f.name] = value[rows]
            elif isinstance(value, InstitutionView):
                values[f.name] = value.take(rows)
            else:
                values[f.name] = value
        return Observation(**values)
