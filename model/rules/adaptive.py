"""The adaptive secondary: picks one of the fixed rules each period by reinforcement of the
utility each earned (Roth & Erev 1995; Camerer & Ho 1999, EWA; ODD §4). Tests claim C1
(necessity becoming strategy) and experiment E9."""

from __future__ import annotations

import numpy as np

from model.rules.base import softmax


def choose_rule(attractions: np.ndarray, temperature: np.ndarray, uniform: np.ndarray) -> np.ndarray:
    """(R,) a rule for each replication by softmax over its attractions (R, rules), inverting the
    cumulative probabilities at one uniform draw (a fixed slot of the quarter's random block)."""
    cumulative = np.cumsum(softmax(attractions, temperature, axis=1), axis=1)
    picks = (cumulative <= (uniform * cumulative[:, -1])[:, None]).sum(axis=1)
    return np.minimum(picks, attractions.shape[1] - 1)


def update_attraction(attractions: np.ndarray, chosen: np.ndarray, utility: np.ndarray, recency: np.ndarray) -> np.ndarray:
    """Move each replication's chosen rule's attraction toward the utility it just earned (Roth & Erev 1995)."""
    out = attractions.copy()
    r = np.arange(len(chosen))
    out[r, chosen] = (1 - recency) * out[r, chosen] + recency * utility
    return out
