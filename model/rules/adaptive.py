"""The adaptive secondary: picks one of the fixed rules each period by reinforcement of the
utility each earned (Roth & Erev 1995; Camerer & Ho 1999, EWA; ODD §4). Tests claim C1
(necessity becoming strategy) and experiment E9."""

from __future__ import annotations

import numpy as np

from model.rules.base import softmax


def choose_rule(attractions: np.ndarray, temperature: float, uniform: float) -> int:
    """Pick a rule by softmax over attractions, inverting the cumulative probabilities at one
    uniform draw (so the choice uses a fixed slot of the quarter's random block)."""
    cumulative = np.cumsum(softmax(attractions, temperature))
    return int(min(np.searchsorted(cumulative, uniform * cumulative[-1], side="right"), len(attractions) - 1))


def update_attraction(attractions: np.ndarray, chosen: int, utility: float, recency: float) -> np.ndarray:
    """Move the chosen rule's attraction toward the utility it just earned (Roth & Erev 1995)."""
    out = attractions.copy()
    out[chosen] = (1 - recency) * out[chosen] + recency * utility
    return out
