"""What every rule returns, and the small helpers rules share.

A rule is a pure function of what S observes (``model.perception.Observation``) and the
parameters: it returns a :class:`Decision` (target engagements and institutional moves) and
says whether S meets a demand. Nothing here sees the model, the great powers' satisfaction or
any outcome measure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from model.parameters import Parameters
from model.perception import Observation
from model.reactions import Demand


@dataclass
class Decision:
    target: np.ndarray  # target engagement e* (powers, domains)
    investment: float  # internal balancing: capacity investment this quarter
    activism: np.ndarray  # activism x in each institution
    alternative_investment: float = 0.0  # substitutes for the dominant partner (routes, suppliers)
    leave: tuple[int, ...] = ()  # institutions to leave
    join: tuple[int, ...] = ()  # institutions to join
    found_forum: bool = False
    focus: int = -1  # the power the rule is organised around (threat or patron); -1: none


@dataclass(frozen=True)
class Rule:
    """A named rule: its citation, how it sets targets, and how it answers demands."""

    name: str
    citation: str
    decide: Callable[[Observation, Parameters], Decision]
    complies: Callable[[Demand, Observation, Parameters], bool]


def baseline_activism(obs: Observation, activism: float) -> np.ndarray:
    """Activism ``activism`` in every institution S belongs to, 0 elsewhere."""
    return np.where(obs.institutions.member, activism, 0.0)


def fixed_power(obs: Observation, power_id: str) -> int:
    """Index of ``power_id`` among the scenario's powers, or -1 when it is empty (not fixed)."""
    return obs.power_ids.index(power_id) if power_id else -1


def keep_or_switch(scores: np.ndarray, current: int, margin: float) -> int:
    """The highest-scoring power, unless the current focus is within ``margin`` of it (alignment
    inertia: realignment has reputation and sunk costs; Snyder 1984)."""
    best = int(np.argmax(scores))
    if current >= 0 and scores[best] <= (1 + margin) * scores[current]:
        return current
    return best


def fit_capacity(target: np.ndarray, capacity: float, keep: int = -1) -> np.ndarray:
    """Scale each domain's engagements so they sum to at most S's capacity (ODD §7.2).

    With ``keep`` >= 0, that power's engagement is served first and the others share what is left.
    """
    if keep < 0:
        totals = target.sum(axis=0)
        return target * np.where(totals > capacity, capacity / np.maximum(totals, 1e-12), 1.0)
    out = target.copy()
    out[keep] = np.minimum(out[keep], capacity)
    others = np.arange(len(target)) != keep
    room = capacity - out[keep]
    totals = out[others].sum(axis=0)
    out[others] *= np.where(totals > room, room / np.maximum(totals, 1e-12), 1.0)
    return out


def fit_capacity_above_floor(target: np.ndarray, capacity: float, floor: float | np.ndarray) -> np.ndarray:
    """Fit each domain under capacity by shrinking only what lies above the floor (a number or a
    (powers, domains) array), so the floors (no burned bridges, indirect balancing) survive the
    capacity limit; floors that alone exceed capacity are scaled down together."""
    floor = np.broadcast_to(np.asarray(floor, dtype=float), target.shape)
    floor_total = floor.sum(axis=0)
    floor = floor * np.where(floor_total > capacity, capacity / np.maximum(floor_total, 1e-12), 1.0)
    excess = np.maximum(target - floor, 0.0)
    room = capacity - floor.sum(axis=0)
    totals = excess.sum(axis=0)
    return floor + excess * np.where(totals > room, room / np.maximum(totals, 1e-12), 1.0)


def softmax(scores: np.ndarray, temperature: float, axis: int = 0) -> np.ndarray:
    z = (scores - scores.max(axis=axis, keepdims=True)) / temperature
    w = np.exp(z)
    return w / w.sum(axis=axis, keepdims=True)
