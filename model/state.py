"""The state of R worlds, as arrays with a leading replication axis: what the secondary power and
the great powers carry from one quarter to the next. Shapes use R (replications), G (great
powers), D (3 domains: security, economy, institutions), I (institution slots) and W (the
measures' trailing window). Nothing here computes behaviour; see :mod:`model.step`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np


@dataclass
class Ledger:
    """What happened to S, quarter by quarter, over a trailing window (ring buffers of W slots,
    the window axis last).

    The outcome measures are computed from it (``model.measures``), never from S's choice of
    engagement: demands met and their cost, forced deviations from S's own plan, pressure and
    coercion suffered (ODD §7.6). The position of the current quarter is shared by all
    replications. W is the longest window the schema allows, whatever the replications' own
    windows, so a replication's sums never depend on which others share its ensemble.
    """

    demand_cost: np.ndarray  # (R, G, W) cost of the demands each power made
    demand_cost_met: np.ndarray  # (R, G, W) cost of those S met
    dropped: np.ndarray  # (R, G, W) engagement with g's rivals S gave up because of g
    planned_rival: np.ndarray  # (R, G, W) engagement with g's rivals in S's own plan
    pressed: np.ndarray  # (R, G, W) 1 where the power pressed S that quarter
    deviation: np.ndarray  # (R, W) engagement units S was forced away from its plan
    concession: np.ndarray  # (R, W) cost of demands met
    pressure: np.ndarray  # (R, W) pressure suffered: intensity times leverage, all powers
    coercion: np.ndarray  # (R, W) coercion events
    economic_pressure: np.ndarray  # (R, W) pressure suffered in the economy
    position: int = 0

    @classmethod
    def empty(cls, replications: int, slots: int, powers: int) -> "Ledger":
        per_power = lambda: np.zeros((replications, powers, slots))  # noqa: E731
        per_quarter = lambda: np.zeros((replications, slots))  # noqa: E731
        return cls(per_power(), per_power(), per_power(), per_power(), per_power(), per_quarter(), per_quarter(),
                   per_quarter(), per_quarter(), per_quarter())

    @property
    def slots(self) -> int:
        return self.deviation.shape[-1]

    def arrays(self) -> list[np.ndarray]:
        return [getattr(self, f.name) for f in fields(self) if f.name != "position"]

    def open_quarter(self) -> None:
        """Move to the next slot and clear it (the oldest quarter leaves the ring)."""
        self.position = (self.position + 1) % self.slots
        for array in self.arrays():
            array[..., self.position] = 0.0

    def now(self, array: np.ndarray) -> np.ndarray:
        """The current quarter's slot of one of the ledger's arrays: (R,) or (R, G)."""
        return array[..., self.position]

    def take(self, rows: np.ndarray) -> "Ledger":
        return Ledger(*(a[rows] for a in self.arrays()), position=self.position)


@dataclass
class State:
    """Everything that changes during a run, for R replications."""

    # the secondary power S
    engagement: np.ndarray  # (R, G, D) in [0, 1]
    dependence: np.ndarray  # (R, G, D) shares, each domain summing to <= 1
    route: np.ndarray  # (R, G) export-route shares, sum <= 1
    capacity: np.ndarray  # (R,)
    log_welfare: np.ndarray  # (R,)
    hostile: np.ndarray  # (R, G) Beta belief parameter a about each power's hostile intent
    benign: np.ndarray  # (R, G) Beta belief parameter b
    alternative_routes: np.ndarray  # (R,) substitute export capacity outside the modelled powers
    rule: np.ndarray  # (R,) index of the rule in force (model.rules.FIXED_RULES)
    focus: np.ndarray  # (R,) the adversary or patron S's rule last chose (-1: none)
    attractions: np.ndarray  # (R, rules) adaptive learning
    period_utility: np.ndarray  # (R,)
    period_quarters: np.ndarray  # (R,)
    switched: np.ndarray  # (R,) bool: the rule switch has taken effect
    # the great powers and their relations
    rivalry: np.ndarray  # (R, G, G) symmetric, zero diagonal
    rivalry_baseline: np.ndarray  # (R, G, G)
    signal: np.ndarray  # (R, G) recent signals folded into satisfaction
    tolerance: np.ndarray  # (R, G) satisfaction below which a power makes demands
    route_infrastructure: np.ndarray  # (R, G)
    oil: np.ndarray  # (R,) oil-price growth term
    security_shock: np.ndarray  # (R,)
    # institutions: per replication, in the slots of the scenario's table (model.institutions)
    member: np.ndarray  # (R, I) bool: S is a member
    exists: np.ndarray  # (R, I) bool: the institution exists (created by now; a forum once founded)
    activism: np.ndarray  # (R, I)
    # running counts
    coercion_count: np.ndarray  # (R, G)
    pressure_episodes: np.ndarray  # (R, G)
    inducement_total: np.ndarray  # (R, G)
    abandonment_count: np.ndarray  # (R,)
    crisis_requests: np.ndarray  # (R,)
    client_streak: np.ndarray  # (R, G)
    client_quarters: np.ndarray  # (R, G)
    exits: np.ndarray  # (R, G) bodies led by each power that S has left
    deference: np.ndarray  # (R, G) policy deference this quarter
    outcome_sums: np.ndarray  # (R, 3) running sums of autonomy, security, coexistence
    capability_shifts: np.ndarray  # (R, G, S) absolute shift in aggregate power, last S quarters, newest last
    ledger: Ledger = field(default=None)


@dataclass
class Actions:
    """What the great powers did this quarter, and what S did about it (R replications)."""

    offers: np.ndarray  # (R, G, D) rewards
    pressure_domain: np.ndarray  # (R, G) int
    pressure: np.ndarray  # (R, G) intensity (0: none)
    coerced: np.ndarray  # (R, G) bool
    demand_kind: np.ndarray  # (R, G) 0 none, 1 alignment, 2 support
    demand_domain: np.ndarray  # (R, G)
    demand_high: np.ndarray  # (R, G) bool
    demand_cost: np.ndarray  # (R, G)
    demand_met: np.ndarray  # (R, G) bool
    order: np.ndarray  # (R, G) the order in which the powers acted (and their demands queue)
    high_cost_met: np.ndarray  # (R,)
    entrapment_cost: np.ndarray  # (R,)

    @classmethod
    def none(cls, replications: int, powers: int, domains: int = 3) -> "Actions":
        per_power = lambda kind=float: np.zeros((replications, powers), dtype=kind)  # noqa: E731
        return cls(np.zeros((replications, powers, domains)), per_power(int), per_power(), per_power(bool),
                   per_power(int), per_power(int), per_power(bool), per_power(), per_power(bool),
                   np.tile(np.arange(powers), (replications, 1)), np.zeros(replications, dtype=int),
                   np.zeros(replications))


def cap_domain_shares(shares: np.ndarray) -> np.ndarray:
    """Keep each domain's dependence shares summing to at most 1 (they are shares of S's flows)."""
    totals = shares.sum(axis=-2, keepdims=True)
    return np.where(totals > 1.0, shares / np.maximum(totals, 1e-12), shares)
