"""Small building blocks for the operational tests of case facts, over :class:`Runs` (R runs by T
quarters), so that each case pack states its facts in a few readable lines.

Every function reads only the quarters a run actually reached (``runs.valid``): a run that stopped
early is judged on what it recorded. Nothing here names a country or a power; the packs do.
"""

from __future__ import annotations

import numpy as np

from experiments.cases.facts import FactResult, Runs, longest_spell


def flags(runs: Runs, column: str, first: str | None = None, last: str | None = None,
          above: float = 0.0) -> np.ndarray:
    """(R, W) bool: the quarters from ``first`` to ``last`` in which ``column`` exceeds ``above``."""
    keep = runs.window(first, last)
    return (runs[column][:, keep] > above) & runs.valid[:, keep]


def share_above(runs: Runs, column: str, above: float, first: str | None = None,
                last: str | None = None) -> np.ndarray:
    """(R,) share of the window's valid quarters in which ``column`` is at least ``above``."""
    keep = runs.window(first, last)
    valid = runs.valid[:, keep]
    hits = (runs[column][:, keep] >= above) & valid
    return hits.sum(axis=1) / np.maximum(valid.sum(axis=1), 1)


def mean(runs: Runs, column: str, first: str | None = None, last: str | None = None) -> np.ndarray:
    """(R,) the column's mean over the window's valid quarters (NaN where a run has none)."""
    keep = runs.window(first, last)
    valid = runs.valid[:, keep]
    total = np.where(valid, runs[column][:, keep], 0.0).sum(axis=1)
    count = valid.sum(axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def maximum(runs: Runs, column: str, first: str | None = None, last: str | None = None) -> np.ndarray:
    """(R,) the column's largest value over the window's valid quarters (-inf where none)."""
    keep = runs.window(first, last)
    return np.where(runs.valid[:, keep], runs[column][:, keep], -np.inf).max(axis=1)


def ever_client(runs: Runs, powers: tuple[str, ...] | None = None, first: str | None = None,
                last: str | None = None) -> np.ndarray:
    """(R,) whether S had client status (``client_status_P``) with any of ``powers`` (default: all)
    in some quarter of the window."""
    powers = runs.powers if powers is None else powers
    return np.stack([flags(runs, f"client_status_{p}", first, last).any(axis=1) for p in powers]).any(axis=0)


def peak_client_index(runs: Runs, powers: tuple[str, ...] | None = None, first: str | None = None,
                      last: str | None = None) -> np.ndarray:
    """(R,) the highest client index S reached with any of ``powers`` (default: all) in the window."""
    powers = runs.powers if powers is None else powers
    return np.stack([maximum(runs, f"client_index_{p}", first, last) for p in powers]).max(axis=0)


def change(runs: Runs, column: str, before: tuple[str, str], after: tuple[str, str]) -> np.ndarray:
    """(R,) mean over the ``after`` window minus mean over the ``before`` window."""
    return mean(runs, column, *after) - mean(runs, column, *before)


def share_leading(runs: Runs, kind: str, power: str, domain: str | None, first: str | None = None,
                  last: str | None = None) -> np.ndarray:
    """(R,) share of the window's valid quarters in which ``power`` holds the largest value of
    ``kind`` (e.g. ``dependence`` in ``security``, or ``client_index`` with ``domain=None``) among
    the case's powers (ties count as leading)."""
    name = (lambda p: f"{kind}_{p}_{domain}") if domain else (lambda p: f"{kind}_{p}")
    keep = runs.window(first, last)
    values = np.stack([runs[name(p)][:, keep] for p in runs.powers])  # (G, R, W)
    leads = values[runs.powers.index(power)] >= values.max(axis=0)
    valid = runs.valid[:, keep]
    return (leads & valid).sum(axis=1) / np.maximum(valid.sum(axis=1), 1)


def event_in_window(runs: Runs, column: str, first: str, last: str, above: float = 0.0) -> FactResult:
    """The event (``column`` above ``above``) happens in at least one quarter of the window; the
    figure is the number of such quarters. Passes only where it happened."""
    hits = flags(runs, column, first, last, above)
    occurred = hits.any(axis=1)
    return FactResult(occurred, hits.sum(axis=1).astype(float), occurred)


def short_spells(runs: Runs, column: str, first: str, last: str, longest: int, above: float = 0.0) -> FactResult:
    """The event happens in the window and no spell of it lasts more than ``longest`` quarters;
    the figure is the longest spell. Passes only where the event happened."""
    hits = flags(runs, column, first, last, above)
    occurred = hits.any(axis=1)
    spell = longest_spell(hits)
    return FactResult(occurred & (spell <= longest), spell.astype(float), occurred)


def increments(runs: Runs, column: str, first: str, last: str) -> np.ndarray:
    """(R,) how much a cumulative count (``coercion_P``, ``abandonment_events``, ``exits_P``...)
    grew inside the window: its value at the window's last valid quarter minus its value just
    before the window (0 before the record starts)."""
    keep = runs.window(first, last)
    columns = np.nonzero(keep)[0]
    values = runs[column]
    if not len(columns):
        return np.zeros(runs.count)
    start = columns[0]
    before = values[:, start - 1] if start > 0 else np.zeros(runs.count)
    valid_until = np.where(runs.valid[:, keep], columns, -1).max(axis=1)
    end = values[np.arange(runs.count), np.maximum(valid_until, 0)]
    return np.where(valid_until >= 0, end - before, 0.0)


def state(passed: np.ndarray, figure: np.ndarray) -> FactResult:
    """A fact about a state rather than an event: ``occurred`` is True in every run."""
    return FactResult(np.asarray(passed, dtype=bool), np.asarray(figure, dtype=float),
                      np.ones(len(passed), dtype=bool))
