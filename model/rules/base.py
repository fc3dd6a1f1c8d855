"""What every rule returns, and the small helpers rules share.

A rule is a pure function of what S observes (``model.perception.Observation``) and the
parameters, over R replications at once: it returns a :class:`Decision` (target engagements and
institutional moves) and says, for one demand per replication, whether S meets it. Nothing here
sees the model, the great powers' satisfaction or any outcome measure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np

from multivector.model.arrays import ParamArrays
from multivector.model.numeric import arange, largest, total
from multivector.model.perception import Observation


@dataclass
class Decision:
    """A rule's decision in R worlds."""

    target: np.ndarray  # (R, G, D) target engagement e*
    investment: np.ndarray  # (R,) internal balancing: capacity investment this quarter
    activism: np.ndarray  # (R, I) activism x in each institution slot
    alternative_investment: np.ndarray  # (R,) substitutes for the dominant partner (routes, suppliers)
    leave: np.ndarray  # (R, I) bool: institutions to leave
    join: np.ndarray  # (R, I) bool: institutions to join
    found_forum: np.ndarray  # (R,) bool
    focus: np.ndarray  # (R,) the power the rule is organised around (threat or patron); -1: none

    @classmethod
    def empty(cls, replications: int, powers: int, slots: int, domains: int = 3) -> "Decision":
        return cls(np.zeros((replications, powers, domains)), np.zeros(replications), np.zeros((replications, slots)),
                   np.zeros(replications), np.zeros((replications, slots), bool), np.zeros((replications, slots), bool),
                   np.zeros(replications, bool), np.full(replications, -1))

    def put(self, rows: np.ndarray, other: "Decision") -> None:
        """Write ``other`` (a decision for replications ``rows``) into this one."""
        for f in fields(self):
            getattr(self, f.name)[rows] = getattr(other, f.name)


@dataclass(frozen=True)
class DemandView:
    """One demand per replication (the k-th in each replication's queue): who asks, what, at what cost."""

    power: np.ndarray  # (R,) int
    kind: np.ndarray  # (R,) int (1 alignment, 2 support)
    domain: np.ndarray  # (R,) int
    high: np.ndarray  # (R,) bool

    def take(self, rows: np.ndarray) -> "DemandView":
        return DemandView(self.power[rows], self.kind[rows], self.domain[rows], self.high[rows])


@dataclass(frozen=True)
class Rule:
    """A named rule: its citation, how it sets targets, and how it answers demands."""

    name: str
    citation: str
    decide: Callable[[Observation, ParamArrays], Decision]
    complies: Callable[[DemandView, Observation, ParamArrays], np.ndarray]


def rows(n: int) -> np.ndarray:
    """0, 1, ..., n - 1: replication indices (a shared, read-only array)."""
    return arange(n)


def at(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    """values[r, index[r], ...] for each replication r."""
    return values[rows(len(index)), index]


def baseline_activism(obs: Observation, activism: np.ndarray) -> np.ndarray:
    """(R, I) activism ``activism`` (R,) in every institution S belongs to, 0 elsewhere."""
    return np.where(obs.institutions.member, activism[:, None], 0.0)


def keep_or_switch(scores: np.ndarray, current: np.ndarray, margin: np.ndarray) -> np.ndarray:
    """The highest-scoring power, unless the current focus is within ``margin`` of it (alignment
    inertia: realignment has reputation and sunk costs; Snyder 1984)."""
    best = np.argmax(scores, axis=1)
    keep = (current >= 0) & (at(scores, best) <= (1 + margin) * at(scores, np.maximum(current, 0)))
    return np.where(keep, current, best)


def fit_capacity(target: np.ndarray, capacity: np.ndarray, keep: np.ndarray | None = None) -> np.ndarray:
    """Scale each domain's engagements so they sum to at most S's capacity (ODD §7.2).

    With ``keep`` (R,), that power's engagement is served first and the others share what is left.
    """
    cap = capacity[:, None]
    if keep is None:
        totals = total(target, 1)
        return target * np.where(totals > cap, cap / np.maximum(totals, 1e-12), 1.0)[:, None, :]
    out = target.copy()
    r = rows(len(keep))
    out[r, keep] = np.minimum(out[r, keep], cap)
    others = np.arange(target.shape[1])[None, :] != keep[:, None]  # (R, G)
    room = cap - out[r, keep]
    totals = total(np.where(others[:, :, None], out, 0.0), 1)
    factor = np.where(totals > room, room / np.maximum(totals, 1e-12), 1.0)
    return np.where(others[:, :, None], out * factor[:, None, :], out)


def fit_capacity_above_floor(target: np.ndarray, capacity: np.ndarray, floor: np.ndarray) -> np.ndarray:
    """Fit each domain under capacity by shrinking only what lies above the floor (R, G, D), so the
    floors (no burned bridges, indirect balancing) survive the capacity limit; floors that alone
    exceed capacity are scaled down together."""
    cap = capacity[:, None]
    floor_total = total(floor, 1)
    if (floor_total > cap).any():
        floor = floor * np.where(floor_total > cap, cap / np.maximum(floor_total, 1e-12), 1.0)[:, None, :]
        floor_total = total(floor, 1)
    excess = np.maximum(target - floor, 0.0)
    room = cap - floor_total
    totals = total(excess, 1)
    return floor + excess * np.where(totals > room, room / np.maximum(totals, 1e-12), 1.0)[:, None, :]


def softmax(scores: np.ndarray, temperature: np.ndarray, axis: int) -> np.ndarray:
    """Softmax along ``axis``; ``temperature`` (R,) broadcasts over the other axes."""
    t = temperature.reshape((-1,) + (1,) * (scores.ndim - 1))
    z = (scores - largest(scores, axis, keepdims=True)) / t
    w = np.exp(z)
    return w / total(w, axis, keepdims=True)
