"""The per-quarter record of every replication of an ensemble, kept as one array.

Rows are quarters, then replications, then the record's numeric columns (``record.record_layout``
without its text columns): a block of (quarters, R, K) numbers filled one quarter at a time from
:func:`model.record.record_values`. ``frame(r)`` gives replication r's table, the same
DataFrame (columns, order, dtypes, values) that ``model.simulate`` returns for that run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from multivector.model.ensemble import Ensemble
from multivector.model.record import INT, TEXT, record_layout, record_values
from multivector.model.rules import FIXED_RULES


class History:
    """Up to ``quarters`` quarters of every replication's record (the initial state counts as one)."""

    def __init__(self, world: Ensemble, quarters: int, columns: tuple[str, ...] | None = None):
        layout = record_layout(world.power_ids)
        numeric = [(name, kind) for name, kind in layout if kind != TEXT]
        self.layout = layout
        self.columns = columns  # None: every column
        positions = {name: j for j, (name, _) in enumerate(numeric)}
        self._keep = None if columns is None else np.array([positions[c] for c in columns])
        # the kept numeric columns, in order, with their kinds
        self.numeric = numeric if columns is None else [(c, dict(numeric)[c]) for c in columns]
        width = len(self.numeric)
        self.values = np.empty((quarters, world.count, width))
        self.rules = np.empty((quarters, world.count), dtype=np.int64)
        self.steps = np.empty(quarters, dtype=np.int64)
        self.dates: list[str] = []
        self.strategies = world.strategies
        self.scenario = world.scenario_data.name
        self.count = 0

    def add(self, world: Ensemble, values: np.ndarray | None = None) -> None:
        """Keep the current quarter (``values``: its ``record_values``, if already computed)."""
        row = record_values(world) if values is None else values
        self.values[self.count] = row if self._keep is None else row[:, self._keep]
        self.rules[self.count] = world.rule_in_force
        self.steps[self.count] = world.quarter
        self.dates.append(world.date)
        self.count += 1

    @property
    def full(self) -> bool:
        return self.count == len(self.values)

    def clear(self) -> None:
        """Forget the quarters kept so far (after they were written out)."""
        self.count = 0
        self.dates = []

    def frame(self, replication: int, quarters: int | None = None) -> pd.DataFrame:
        """Replication ``replication``'s table over its first ``quarters`` kept quarters (default: all),
        every column of the record in record order (as ``model.simulate`` returns it)."""
        if self.columns is not None:
            raise ValueError("this history keeps selected columns only; use long_frame")
        n = self.count if quarters is None else quarters
        block = self.values[:n, replication]
        data: dict[str, object] = {}
        j = 0
        for name, kind in self.layout:
            if kind == TEXT:
                data[name] = self._text(name, replication, n)
                continue
            column = block[:, j]
            data[name] = column.astype(np.int64) if kind == INT else column.copy()
            j += 1
        return pd.DataFrame(data)

    def long_frame(self) -> pd.DataFrame:
        """The kept quarters of every replication as one table, a row per (quarter, replication) in
        that order, ``replication`` first. With every column kept, the columns are those of
        :meth:`frame`; with selected columns, ``step``, ``date`` and the selected ones."""
        n, count = self.count, len(self.strategies)
        block = self.values[:n].reshape(n * count, -1)
        data: dict[str, object] = {"replication": np.tile(np.arange(count), n)}
        if self.columns is not None:
            data["step"] = np.repeat(self.steps[:n], count)
            data["date"] = np.repeat(np.array(self.dates, dtype=object), count)
        j = 0
        for name, kind in (self.layout if self.columns is None else self.numeric):
            if kind == TEXT:
                data[name] = self._long_text(name, n)
                continue
            data[name] = block[:, j].astype(np.int64) if kind == INT else block[:, j]
            j += 1
        return pd.DataFrame(data)

    def runs_frame(self, first_replication: int = 0) -> pd.DataFrame:
        """Every kept quarter of every replication as one table, a row per (replication, quarter)
        in that order, ``replication`` first (numbered from ``first_replication``); the other
        columns are those of :meth:`frame`."""
        if self.columns is not None:
            raise ValueError("this history keeps selected columns only; use long_frame")
        n, count = self.count, len(self.strategies)
        block = self.values[:n].transpose(1, 0, 2).reshape(count * n, -1)
        data: dict[str, object] = {"replication": np.repeat(np.arange(first_replication, first_replication + count), n)}
        j = 0
        for name, kind in self.layout:
            if kind == TEXT:
                data[name] = self._runs_text(name, n)
                continue
            data[name] = block[:, j].astype(np.int64) if kind == INT else block[:, j]
            j += 1
        return pd.DataFrame(data)

    def _runs_text(self, name: str, n: int) -> np.ndarray:
        count = len(self.strategies)
        if name == "date":
            return np.tile(np.array(self.dates, dtype=object), count)
        if name == "strategy":
            return np.array(FIXED_RULES, dtype=object)[self.rules[:n].T.reshape(-1)]
        if name == "strategy_setting":
            return np.repeat(np.array(self.strategies, dtype=object), n)
        return np.full(n * count, self.scenario, dtype=object)

    def _long_text(self, name: str, n: int) -> np.ndarray:
        count = len(self.strategies)
        if name == "date":
            return np.repeat(np.array(self.dates, dtype=object), count)
        if name == "strategy":
            return np.array(FIXED_RULES, dtype=object)[self.rules[:n].reshape(-1)]
        if name == "strategy_setting":
            return np.tile(np.array(self.strategies, dtype=object), n)
        return np.full(n * count, self.scenario, dtype=object)

    def _text(self, name: str, replication: int, n: int) -> np.ndarray:
        if name == "date":
            return np.array(self.dates[:n], dtype=object)
        if name == "strategy":
            return np.array(FIXED_RULES, dtype=object)[self.rules[:n, replication]]
        if name == "strategy_setting":
            return np.full(n, self.strategies[replication], dtype=object)
        return np.full(n, self.scenario, dtype=object)


def run_to_end(world: Ensemble, history: History | None = None) -> Ensemble:
    """Step ``world`` until it stops, keeping every quarter in ``history`` (if given)."""
    if history is not None and history.count == 0:
        history.add(world)
    while world.running:
        world.step()
        if history is not None:
            history.add(world)
    return world
