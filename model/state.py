"""The state of one world, as arrays: what the secondary power and the great powers carry from
one quarter to the next. Shapes use G (great powers) and D (3 domains: security, economy,
institutions). Nothing here computes behaviour; see the phase modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Ledger:
    """What happened to S, quarter by quarter, over a trailing window of W quarters (ring buffers).

    The outcome measures are computed from it (``model.measures``), never from S's choice of
    engagement: demands met and their cost, forced deviations from S's own plan, pressure and
    coercion suffered (ODD §7.6).
    """

    demand_cost: np.ndarray  # (W, G) cost of the demands each power made
    demand_cost_met: np.ndarray  # (W, G) cost of those S met
    dropped: np.ndarray  # (W, G) engagement with g's rivals S gave up because of g (demands met, pressure, coercion)
    planned_rival: np.ndarray  # (W, G) engagement with g's rivals in S's own plan
    deviation: np.ndarray  # (W,) engagement units S was forced away from its plan
    concession: np.ndarray  # (W,) cost of demands met
    pressure: np.ndarray  # (W,) pressure suffered: intensity times leverage, all powers
    coercion: np.ndarray  # (W,) coercion events
    economic_pressure: np.ndarray  # (W,) pressure suffered in the economy (intensity times leverage)
    pressed: np.ndarray  # (W, G) 1 where the power pressed S that quarter
    position: int = 0  # the slot of the current quarter

    @classmethod
    def empty(cls, window: int, n_powers: int) -> "Ledger":
        zeros_g = lambda: np.zeros((window, n_powers))  # noqa: E731
        zeros = lambda: np.zeros(window)  # noqa: E731
        return cls(zeros_g(), zeros_g(), zeros_g(), zeros_g(), zeros(), zeros(), zeros(), zeros(), zeros(), zeros_g())

    def open_quarter(self) -> None:
        """Move to the next slot and clear it (the oldest quarter leaves the window)."""
        self.position = (self.position + 1) % len(self.deviation)
        p = self.position
        for array in (self.demand_cost, self.demand_cost_met, self.dropped, self.planned_rival, self.pressed):
            array[p] = 0.0
        for array in (self.deviation, self.concession, self.pressure, self.coercion, self.economic_pressure):
            array[p] = 0.0


@dataclass
class State:
    """Everything that changes during a run."""

    # the secondary power S
    engagement: np.ndarray  # (G, D) in [0, 1]
    dependence: np.ndarray  # (G, D) shares, each column sums to <= 1
    route: np.ndarray  # (G,) export-route shares, sum <= 1
    capacity: float
    log_welfare: float
    hostile: np.ndarray  # (G,) Beta belief parameter a about each power's hostile intent
    benign: np.ndarray  # (G,) Beta belief parameter b
    alternative_routes: float  # substitute export capacity outside the modelled powers
    rule: str  # the rule in force
    focus: int  # the adversary or patron S's rule last chose (-1: none)
    attractions: np.ndarray  # (rules,) adaptive learning
    period_utility: float = 0.0
    period_quarters: int = 0
    # the great powers and their relations
    rivalry: np.ndarray = field(default=None)  # (G, G) symmetric, zero diagonal
    rivalry_baseline: np.ndarray = field(default=None)
    signal: np.ndarray = field(default=None)  # (G,) recent signals folded into satisfaction
    tolerance: np.ndarray = field(default=None)  # (G,) satisfaction below which a power makes demands
    route_infrastructure: np.ndarray = field(default=None)  # (G,)
    oil: float = 0.0  # oil-price growth term
    security_shock: float = 0.0
    # running counts
    coercion_count: np.ndarray = field(default=None)  # (G,)
    pressure_episodes: np.ndarray = field(default=None)  # (G,)
    inducement_total: np.ndarray = field(default=None)  # (G,)
    abandonment_count: int = 0
    crisis_requests: int = 0
    client_streak: np.ndarray = field(default=None)  # (G,)
    client_quarters: np.ndarray = field(default=None)  # (G,)
    exits: np.ndarray = field(default=None)  # (G,) bodies led by each power that S has left
    outcome_sums: dict = field(default_factory=dict)  # running sums of outcomes over the quarters run
    deference: np.ndarray = field(default=None)  # (G,) policy deference this quarter
    ledger: Ledger = field(default=None)


@dataclass
class Actions:
    """What the great powers did this quarter, and what S did about it."""

    offers: np.ndarray  # (G, D) rewards
    pressure_domain: np.ndarray  # (G,) int
    pressure: np.ndarray  # (G,) intensity (0: none)
    coerced: np.ndarray  # (G,) bool
    demands: list = field(default_factory=list)  # Demand objects, in the order they were made
    met: list = field(default_factory=list)  # bool per demand, once S has answered
    high_cost_met: int = 0
    entrapment_cost: float = 0.0

    @classmethod
    def none(cls, n_powers: int, n_domains: int = 3) -> "Actions":
        return cls(np.zeros((n_powers, n_domains)), np.zeros(n_powers, dtype=int), np.zeros(n_powers),
                   np.zeros(n_powers, dtype=bool))


def cap_domain_shares(shares: np.ndarray) -> np.ndarray:
    """Keep each domain's dependence shares summing to at most 1 (they are shares of S's flows)."""
    totals = shares.sum(axis=0, keepdims=True)
    return np.where(totals > 1.0, shares / np.maximum(totals, 1e-12), shares)
