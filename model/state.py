"""The state of R worlds, as arrays with a leading replication axis: what the secondary power and
the great powers carry from one quarter to the next. Shapes use R (replications), G (great
powers), D (3 domains: security, economy, institutions), I (institution slots) and W (the
measures' trailing window). Nothing here computes behaviour; see :mod:`model.ensemble`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from multivector.model.numeric import arange, total


PER_POWER = ("demand_cost", "demand_cost_met", "dropped", "planned_rival", "pressed")
PER_QUARTER = ("deviation", "concession", "pressure", "coercion", "economic_pressure")


class Ledger:
    """What happened to S, quarter by quarter, over a trailing window: a ring buffer of W slots.

    The outcome measures are computed from it (``model.measures``), never from S's choice of
    engagement. Per power g, each quarter: ``demand_cost`` (cost of the demands g made),
    ``demand_cost_met`` (of those S met), ``dropped`` (engagement with g's rivals S gave up because
    of g), ``planned_rival`` (engagement with g's rivals in S's own plan), ``pressed`` (1 if g
    pressed S); per quarter: ``deviation`` (engagement units S was forced away from its plan),
    ``concession`` (cost of demands met), ``pressure`` (intensity times leverage, all powers),
    ``coercion`` (events) and ``economic_pressure`` (pressure in the economy).

    ``series`` is (W, R, series): one (R, series) block per slot; ``position`` is the current
    quarter's slot, shared by all replications; W is the longest window the schema allows.
    ``current()`` names the current slot's series, ``totals(window)`` their sums over the window.
    """

    def __init__(self, replications: int, slots: int, powers: int):
        self.powers = powers
        self.series = np.zeros((slots, replications, len(PER_POWER) * powers + len(PER_QUARTER)))
        self.position = 0

    @property
    def slots(self) -> int:
        return self.series.shape[0]

    def column_of(self, name: str) -> slice | int:
        """:meth:`column`, remembered."""
        cache = self.__dict__.setdefault("_column_of", {})
        if name not in cache:
            cache[name] = self.column(name)
        return cache[name]

    def column(self, name: str) -> slice | int:
        """Where series ``name`` lives along the last axis of ``series``."""
        if name in PER_POWER:
            start = PER_POWER.index(name) * self.powers
            return slice(start, start + self.powers)
        if name in PER_QUARTER:
            return len(PER_POWER) * self.powers + PER_QUARTER.index(name)
        raise AttributeError(name)

    def _window(self, window: np.ndarray) -> tuple[slice | np.ndarray, np.ndarray | None]:
        """The ring slots of the last quarters, newest first (a plain slice when they do not wrap
        around the ring: a view, not a copy), and (ages, R, 1) which are inside each replication's
        window (None when every replication's window spans them all). Kept for the quarter."""
        key = (self.position, window.tobytes())
        cached = self.__dict__.get("_window_cache")
        if cached is None or cached[0] != key:
            ages = int(window.max())
            oldest = self.position - ages
            if oldest >= -1:
                slots = slice(self.position, oldest if oldest >= 0 else None, -1)
            else:
                slots = (self.position - arange(ages)) % self.slots
            inside = None if (window == ages).all() else (arange(ages)[:, None] < window[None, :])[:, :, None]
            cached = (key, slots, inside)
            self.__dict__["_window_cache"] = cached
        return cached[1], cached[2]

    def _columns(self, names: tuple[str, ...]) -> np.ndarray:
        cache = self.__dict__.setdefault("_column_cache", {})
        if names not in cache:
            cache[names] = np.concatenate([np.arange(self.series.shape[-1])[self.column(n)].reshape(-1) for n in names])
        return cache[names]

    def open_quarter(self) -> None:
        """Move to the next slot and clear it (the oldest quarter leaves the ring)."""
        self.position = (self.position + 1) % self.slots
        self.series[self.position] = 0.0

    def current(self) -> "Series":
        """This quarter's series (writable views): one object a quarter, which remembers its views
        (the quarter's moves write to it a dozen times)."""
        cached = self.__dict__.get("_current")
        if cached is None or cached[0] != self.position or cached[1] is not self.series:
            cached = self.__dict__["_current"] = (self.position, self.series, Series(self, self.series[self.position]))
        return cached[2]

    def __getstate__(self) -> dict:
        """Copies and pickles leave out the current quarter's views: a copy makes views of its own series."""
        state = self.__dict__.copy()
        state.pop("_current", None)
        return state

    def totals(self, window: np.ndarray, names: tuple[str, ...] | None = None) -> "Series":
        """The series (``names``, default all) summed over each replication's last ``window``
        quarters, the current one included. The sum runs from the newest quarter to the oldest,
        one quarter at a time, so a replication's totals never depend on the other replications'
        windows (quarters outside a replication's window add exact zeros)."""
        slots, inside = self._window(window)
        block = self.series[slots]  # (ages, R, series), newest first
        if names is not None:
            block = block[:, :, self._columns(names)]
        if inside is not None:
            block = np.where(inside, block, 0.0)
        if block.shape[1] < 64:
            sums = block.cumsum(axis=0)[-1]  # one call: cheapest for a few replications
        else:
            sums = block[0].copy()  # the same additions in the same order, faster for many
            for age in range(1, len(block)):
                sums += block[age]
        return Series(self, sums, names)


class Series:
    """Named views of an (R, series) block of the ledger: ``.pressure`` (R,), ``.dropped`` (R, G)..."""

    def __init__(self, ledger: Ledger, block: np.ndarray, names: tuple[str, ...] | None = None):
        self._ledger, self.block, self._names = ledger, block, names

    def __getattr__(self, name: str) -> np.ndarray:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._names is None:
            view = self.block[:, self._ledger.column_of(name)]
        else:
            view = self._kept(name)
        self.__dict__[name] = view  # remembered: later reads are plain attribute reads
        return view

    def _kept(self, name: str) -> np.ndarray:
        start = 0
        for kept in self._names:  # the kept series, in the order asked
            width = self._ledger.powers if kept in PER_POWER else 1
            if kept == name:
                return self.block[:, start] if kept in PER_QUARTER else self.block[:, start:start + width]
            start += width
        raise AttributeError(name)


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
                   arange(powers)[None, :].repeat(replications, axis=0), np.zeros(replications, dtype=int),
                   np.zeros(replications))


def cap_domain_shares(shares: np.ndarray) -> np.ndarray:
    """Keep each domain's dependence shares summing to at most 1 (they are shares of S's flows)."""
    totals = total(shares, -2, keepdims=True)
    return np.where(totals > 1.0, shares / np.maximum(totals, 1e-12), shares)
