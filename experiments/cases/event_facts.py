"""Building blocks for case facts about events and spells, vectorised over runs.

Case packs state their facts about events with these: whether a cumulative count (coercion
events, exits, abandonments, crisis requests) rose inside a window, how many quarters a power
pressed S inside a window and how long its longest spell was, and the share of a window's
quarters in which a condition held. Every function takes a
:class:`~experiments.cases.facts.Runs` and returns one value per run, shaped (R,). Quarters after
a run stopped early (``runs.valid`` False) never count.
"""

from __future__ import annotations

import numpy as np

from experiments.cases.facts import FactResult, Runs, longest_spell

ECONOMY = 1  # the record's pressure_domain code of the economy (0 security, 1 economy, 2 institutions)


def _inside(runs: Runs, first: str | None, last: str | None) -> np.ndarray:
    """(R, T) bool: the valid quarters of each run between ``first`` and ``last``."""
    return runs.valid & runs.window(first, last)[None, :]


def rise(runs: Runs, column: str, first: str | None = None, last: str | None = None) -> np.ndarray:
    """(R,) how much a cumulative count (``coercion_P``, ``exits_P``, ``abandonment_events``,
    ``crisis_requests``) rose from the quarter before ``first`` to the last valid quarter up to
    ``last``. Zero for a run with no valid quarter in the window."""
    values = runs[column]
    inside = _inside(runs, first, last)
    before = runs.window(None, first)[None, :] & ~runs.window(first, None)[None, :] & runs.valid
    start = np.where(before.any(axis=1), _last_where(values, before), 0.0)
    end = np.where(inside.any(axis=1), _last_where(values, inside), start)
    return np.maximum(end - start, 0.0)


def _last_where(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """(R,) each row's value at the last column where ``mask`` holds (0 where it never does)."""
    T = values.shape[1]
    last = T - 1 - np.argmax(mask[:, ::-1], axis=1)
    return np.where(mask.any(axis=1), values[np.arange(len(values)), last], 0.0)


def pressed(runs: Runs, power: str, first: str | None = None, last: str | None = None,
            economic_only: bool = False) -> np.ndarray:
    """(R, T) bool: quarters in the window in which ``power`` pressed S (in the economy only, if asked)."""
    flags = (runs[f"pressure_{power}"] > 0) & _inside(runs, first, last)
    if economic_only:
        flags &= runs[f"pressure_domain_{power}"] == ECONOMY
    return flags


def quarters(flags: np.ndarray) -> np.ndarray:
    """(R,) how many quarters the (R, T) flags hold."""
    return flags.sum(axis=1)


def share_of_window(runs: Runs, condition: np.ndarray, first: str | None = None, last: str | None = None) -> np.ndarray:
    """(R,) the share of each run's valid quarters in the window in which ``condition`` (R, T) holds
    (0 for a run with no valid quarter there)."""
    inside = _inside(runs, first, last)
    count = inside.sum(axis=1)
    return np.where(count > 0, (condition & inside).sum(axis=1) / np.maximum(count, 1), 0.0)


def window_mean(runs: Runs, column: str, first: str | None = None, last: str | None = None) -> np.ndarray:
    """(R,) the column's mean over each run's valid quarters in the window (NaN where there are none)."""
    inside = _inside(runs, first, last)
    count = inside.sum(axis=1)
    total = np.where(inside, runs[column], 0.0).sum(axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def yearly_lead(runs: Runs, leader: str, others: tuple[str, ...], first_year: int, last_year: int) -> np.ndarray:
    """(R,) the share of calendar years from ``first_year`` to ``last_year`` in which column
    ``leader``'s yearly mean exceeds every column in ``others``."""
    years, lead = runs.yearly_mean(leader)
    ahead = np.ones_like(lead, dtype=bool)
    for other in others:
        ahead &= lead > runs.yearly_mean(other)[1]
    keep = (years >= first_year) & (years <= last_year)
    return ahead[:, keep].mean(axis=1) if keep.any() else np.zeros(runs.count)


def event_fact(occurred: np.ndarray, condition: np.ndarray, figure: np.ndarray) -> FactResult:
    """A fact about an event: it passes only where the event occurred and ``condition`` holds."""
    occurred = np.asarray(occurred, dtype=bool)
    return FactResult(passed=occurred & np.asarray(condition, dtype=bool), figure=np.asarray(figure, dtype=float),
                      occurred=occurred)


def state_fact(condition: np.ndarray, figure: np.ndarray) -> FactResult:
    """A fact about a state, not an event: ``occurred`` is all True."""
    condition = np.asarray(condition, dtype=bool)
    return FactResult(passed=condition, figure=np.asarray(figure, dtype=float), occurred=np.ones_like(condition))


def short_pressure(runs: Runs, power: str, first: str, last: str, longest: int) -> FactResult:
    """Economic pressure by ``power`` happens in the window, and no spell of pressure there is
    longer than ``longest`` quarters (a fact about an event: passes only where pressure happened)."""
    flags = pressed(runs, power, first, last)
    economic = pressed(runs, power, first, last, economic_only=True)
    occurred = quarters(economic) > 0
    return event_fact(occurred, longest_spell(flags) <= longest, quarters(flags))
