"""The parts every rule is built from: one demand-compliance function, one capacity-investment
function, and one information set (:class:`model.perception.Observation`, the same for every rule).

A rule differs from another only in what it plans (its ``decide``), in which demands work for or
against that plan, and in its own parameters (a compliance threshold, an investment rate and what
its literature gives it): the contest between rules is between rules on equal terms (ODD §7.2a).

Compliance (ODD eq. C1). S meets a demand when its net cost is below the rule's threshold:

    cost = sovereignty + conflict - loyalty * accord - prudence * L[g] * (1 + T[g])

- sovereignty: 1 for a high-cost demand (recognition, troops, sanctions evasion, leaving a rival's
  body), 0 for a low-cost one (an abstention, a small shift of ties): what S gives up (ODD eq. 18);
- conflict: 1 where meeting works against the rule's plan (a balancer asked by the power it
  balances against, a bandwagoner asked to move toward another power, a hedger asked to let one
  power dominate a domain);
- accord: 1 where meeting serves the plan (a bandwagoner asked by its patron), forgiven at the
  rule's ``loyalty``;
- the anticipated cost of refusing: prudence times the power's largest leverage over S times one
  plus its threat (Korolev 2025; Kuik 2021; ODD eq. H4): a power that can hurt S is dearer to refuse.

"Below" is strict, as H4 was: a costly demand whose refusal would cost exactly as much is refused,
and so is a demand that costs nothing from a power with no hold over S (zero leverage, or a
leader without prudence), unless the rule owes it loyalty.

Investment (ODD eq. 11): each rule invests in own capacity at its own rate every quarter.
"""

from __future__ import annotations

import numpy as np

from multivector.model.arrays import ParamArrays
from multivector.model.numeric import largest
from multivector.model.perception import Observation
from multivector.model.rules.base import DemandView, at


def refusal_cost(demand: DemandView, obs: Observation, p: ParamArrays) -> np.ndarray:
    """(R,) what S expects refusing to cost: prudence x the asking power's largest leverage over S x
    (1 + its threat) (Korolev 2025; Kuik 2021; ODD eq. H4)."""
    g = demand.power
    return p.secondary.prudence * largest(at(obs.leverage, g), 1) * (1 + at(obs.threat, g))


def demand_cost(demand: DemandView, obs: Observation, p: ParamArrays, conflict: np.ndarray, accord: np.ndarray,
                loyalty: np.ndarray) -> np.ndarray:
    """(R,) the net cost to S of meeting the demand (ODD eq. C1; see the module docstring)."""
    sovereignty = demand.high.astype(float)
    return (sovereignty + conflict.astype(float) - loyalty * accord.astype(float)
            - refusal_cost(demand, obs, p))


def comply(demand: DemandView, obs: Observation, p: ParamArrays, threshold: np.ndarray,
           conflict: np.ndarray, accord: np.ndarray | None = None, loyalty: np.ndarray | float = 0.0) -> np.ndarray:
    """(R,) whether S meets the demand: its net cost (:func:`demand_cost`) is below the rule's
    ``threshold`` (ODD eq. C1). Every rule answers demands through this one function."""
    if accord is None:
        accord = np.zeros(len(demand.power), bool)
    return demand_cost(demand, obs, p, conflict, accord, np.asarray(loyalty, dtype=float)) < threshold


def invest(rate: np.ndarray) -> np.ndarray:
    """(R,) this quarter's investment in own military and state capacity: the rule's own rate
    (internal balancing, Waltz 1979; ODD eq. 11: welfare pays for it, capacity depreciates). Every
    rule invests through this one function."""
    return np.array(rate, dtype=float, copy=True)
