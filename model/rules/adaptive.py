"""The adaptive secondary: picks one of the fixed rules each period by reinforcement of the
utility each earned (Roth & Erev 1995; Camerer & Ho 1999, EWA; ODD §4). Tests claim C1
(necessity becoming strategy) and experiment E9."""

from __future__ import annotations

import numpy as np

from multivector.model.rules.base import softmax


def choose_rule(attractions: np.ndarray, temperature: np.ndarray, uniform: np.ndarray) -> np.ndarray:
    """(R,) a rule for each replication by softmax over its attractions (R, rules), inverting the
    cumulative probabilities at one uniform draw (a fixed slot of the quarter's random block)."""
    cumulative = np.cumsum(softmax(attractions, temperature, axis=1), axis=1)
    picks = (cumulative <= (uniform * cumulative[:, -1])[:, None]).sum(axis=1)
    return np.minimum(picks, attractions.shape[1] - 1)


def choose_from_menu(attractions: np.ndarray, menu: np.ndarray, temperature: np.ndarray,
                     uniform: np.ndarray) -> np.ndarray:
    """(R,) the registry index of the rule each replication picks from its menu: ``menu`` (R,) is a
    bit mask over the registry (``adaptive.menu``), ``attractions`` (R, registered rules). Only the
    menu's rules take part, in registry order, so registering another rule changes no choice."""
    out = np.empty(len(menu), dtype=np.int64)
    for mask in np.unique(menu):
        rows = np.nonzero(menu == mask)[0]
        columns = np.array([i for i in range(attractions.shape[1]) if int(mask) >> i & 1])
        out[rows] = columns[choose_rule(attractions[rows][:, columns], temperature[rows], uniform[rows])]
    return out


def update_attraction(attractions: np.ndarray, chosen: np.ndarray, utility: np.ndarray, recency: np.ndarray) -> np.ndarray:
    """Move each replication's chosen rule's attraction toward the utility it just earned (Roth & Erev 1995)."""
    out = attractions.copy()
    r = np.arange(len(chosen))
    out[r, chosen] = (1 - recency) * out[r, chosen] + recency * utility
    return out
