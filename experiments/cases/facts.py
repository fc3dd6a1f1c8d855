"""Stylised facts as tests over many runs at once (pattern-oriented modelling, Grimm et al. 2005).

A case pack (:mod:`experiments.cases`) lists its facts. Each fact is a pure function of a
:class:`Runs` (the per-quarter record of R runs as (R, T) arrays, over the quarters after the
initial state) returning a :class:`FactResult` with one value per run: whether the run shows the
fact, the figure the verdict rests on, and whether the event the fact is about happened at all.
A fact about an event passes only where the event occurred (nothing passes on an empty set), so
``passed`` implies ``occurred`` for such facts; ``occurred`` is all True for facts about a state
rather than an event.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from multivector.model.history import History


@dataclass(frozen=True)
class Runs:
    """The record of R runs over T quarters (after the initial state), column by column.

    ``valid[r, t]`` is False after run r stopped early (a stop rule); those cells hold the run's
    last recorded value, so window reductions see a run as it ended.
    """

    columns: Mapping[str, np.ndarray]  # name -> (R, T)
    dates: np.ndarray  # (T,) labels like "2014Q1"
    years: np.ndarray  # (T,) int
    valid: np.ndarray  # (R, T) bool
    powers: tuple[str, ...]

    def __getitem__(self, name: str) -> np.ndarray:
        try:
            return self.columns[name]
        except KeyError:
            raise KeyError(f"the record has no column '{name}'") from None

    def __contains__(self, name: str) -> bool:
        return name in self.columns

    @property
    def count(self) -> int:
        return self.valid.shape[0]

    def window(self, first: str | None = None, last: str | None = None) -> np.ndarray:
        """(T,) bool: the quarters from ``first`` to ``last`` inclusive (labels like 2014Q1)."""
        keep = np.ones(len(self.dates), dtype=bool)
        if first is not None:
            keep &= self.dates >= first
        if last is not None:
            keep &= self.dates <= last
        return keep

    def at(self, name: str, date: str) -> np.ndarray:
        """(R,) the column's value at quarter ``date`` (NaN where the run had stopped or the
        quarter is outside the record)."""
        where = np.nonzero(self.dates == date)[0]
        if not len(where):
            return np.full(self.count, np.nan)
        t = where[0]
        return np.where(self.valid[:, t], self[name][:, t], np.nan)

    def yearly_mean(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(years (Y,), means (R, Y)): the column's mean over each calendar year's valid quarters."""
        years = np.unique(self.years)
        values, valid = self[name], self.valid
        out = np.full((self.count, len(years)), np.nan)
        for k, year in enumerate(years):
            cols = self.years == year
            weight = valid[:, cols].sum(axis=1)
            total = np.where(valid[:, cols], values[:, cols], 0.0).sum(axis=1)
            out[:, k] = np.where(weight > 0, total / np.maximum(weight, 1), np.nan)
        return years, out

    @classmethod
    def from_history(cls, history: "History", quarters: np.ndarray | None = None) -> Runs:
        """Runs over an ensemble's :class:`model.history.History` without copying it: each column
        is a view of the history's block. ``quarters`` (R,) is how many quarters after the initial
        state each run recorded (default: all kept); later cells are marked invalid."""
        n = history.count
        positions = {name: j for j, (name, _) in enumerate(history.numeric)}
        block = history.values[1:n]  # (T, R, K): the quarters after the initial state
        R, T = block.shape[1], block.shape[0]
        columns = _BlockColumns(block, positions)
        dates = np.array(history.dates[1:n], dtype=str)
        years = np.array([int(d[:4]) for d in dates], dtype=int)
        valid = np.ones((R, T), dtype=bool)
        if quarters is not None:
            valid = np.arange(T)[None, :] < np.asarray(quarters)[:, None]
        powers = tuple(name[len("engagement_"):-len("_security")] for name, _ in history.numeric
                       if name.startswith("engagement_") and name.endswith("_security"))
        return cls(columns, dates, years, valid, powers)

    @classmethod
    def from_frames(cls, frames: list[pd.DataFrame], powers: tuple[str, ...]) -> Runs:
        """Runs from per-run tables of the data contract (as ``model.simulate`` returns them); runs
        that stopped early are padded with their last row and marked invalid there."""
        bodies = [f[f["step"] > 0] if "step" in f else f for f in frames]
        longest = max(bodies, key=len)
        T = len(longest)
        valid = np.zeros((len(bodies), T), dtype=bool)
        numeric = [c for c in longest.columns if pd.api.types.is_numeric_dtype(longest[c])]
        columns = {c: np.empty((len(bodies), T)) for c in numeric}
        for r, body in enumerate(bodies):
            n = len(body)
            valid[r, :n] = True
            for c in numeric:
                values = body[c].to_numpy(dtype=float)
                columns[c][r, :n] = values
                columns[c][r, n:] = values[-1] if n else np.nan
        dates = longest["date"].to_numpy(dtype=str)
        years = longest["year"].to_numpy(dtype=int) if "year" in longest else np.array([int(d[:4]) for d in dates])
        return cls(columns, dates, years, valid, powers)


class _BlockColumns(Mapping):
    """name -> (R, T) view of a (T, R, K) history block's column (no copy)."""

    def __init__(self, block: np.ndarray, positions: dict[str, int]):
        self._block, self._positions = block, positions

    def __getitem__(self, name: str) -> np.ndarray:
        return self._block[:, :, self._positions[name]].T

    def __iter__(self):
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)


@dataclass(frozen=True)
class FactResult:
    passed: np.ndarray  # (R,) bool
    figure: np.ndarray  # (R,) float: the number the verdict rests on
    occurred: np.ndarray  # (R,) bool: the event the fact is about happened (all True for a fact about a state)


@dataclass(frozen=True)
class Fact:
    """One stylised fact of a case: written, with its source, before the case was calibrated."""

    id: str  # "P1", "F3"...
    name: str  # a few words
    statement: str  # the fact as the source states it
    test_text: str  # its operational test, in words
    figure_label: str  # what ``figure`` measures, with its unit
    source: str
    test: Callable[[Runs], FactResult]

    def evaluate(self, runs: Runs) -> FactResult:
        result = self.test(runs)
        if result.passed.shape != (runs.count,):
            raise ValueError(f"fact {self.id} returned {result.passed.shape} results for {runs.count} runs")
        return result


def state_fact(passed: np.ndarray, figure: np.ndarray) -> FactResult:
    """The result of a fact about a state, not an event: ``occurred`` is True in every run."""
    passed = np.asarray(passed, dtype=bool)
    return FactResult(passed, np.asarray(figure, dtype=float), np.ones_like(passed))


def event_fact(occurred: np.ndarray, condition: np.ndarray, figure: np.ndarray) -> FactResult:
    """The result of a fact about an event: it passes only where the event occurred and
    ``condition`` holds (nothing passes on an empty set)."""
    occurred = np.asarray(occurred, dtype=bool)
    return FactResult(occurred & np.asarray(condition, dtype=bool), np.asarray(figure, dtype=float), occurred)


def spell_lengths(flags: np.ndarray) -> list[list[int]]:
    """Per run, the lengths of its runs of consecutive True values; ``flags`` (R, T) bool."""
    out = []
    for row in flags:
        lengths, current = [], 0
        for flag in row:
            if flag:
                current += 1
            elif current:
                lengths.append(current)
                current = 0
        if current:
            lengths.append(current)
        out.append(lengths)
    return out


def longest_spell(flags: np.ndarray) -> np.ndarray:
    """(R,) the longest run of consecutive True values in each row of ``flags`` (R, T), vectorised."""
    R, T = flags.shape
    longest = np.zeros(R, dtype=np.int64)
    current = np.zeros(R, dtype=np.int64)
    for t in range(T):
        current = np.where(flags[:, t], current + 1, 0)
        longest = np.maximum(longest, current)
    return longest


def spell_count(flags: np.ndarray) -> np.ndarray:
    """(R,) the number of separate spells of True in each row of ``flags`` (R, T)."""
    starts = flags[:, :1].astype(np.int64).sum(axis=1)
    starts += (flags[:, 1:] & ~flags[:, :-1]).sum(axis=1)
    return starts
