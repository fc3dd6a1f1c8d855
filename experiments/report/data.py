"""Reading a finished sweep for the report: ok runs with their unit (posterior parameter set, or design
point), per-run quantities derived from the kept quarters, and per-unit means."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from multivector.experiments.sweep.store import SweepResults

PERIODS = {"1992-99": (1992, 1999), "2000-07": (2000, 2007), "2008-15": (2008, 2015), "2016-24": (2016, 2024)}


def quarter_key(date: pd.Series) -> pd.Series:
    """'2014Q1' -> 20141 (sortable, comparable)."""
    return date.str.slice(0, 4).astype(int) * 10 + date.str.slice(5, 6).astype(int)


@dataclass
class Sweep:
    """One sweep of the report, with units: the posterior parameter set a run used (grids over sets:
    point // points per set), the design point (sampled designs), or, for a case without a
    calibration (``seed_pairs``), the pair of replications 2k and 2k+1 (their seeds are shared by the
    strategies of a design point, so comparisons of rules stay paired, and the noise floor has an
    even and an odd seed in every unit)."""

    results: SweepResults
    seed_pairs: bool = False

    @property
    def name(self) -> str:
        return self.results.experiment.name

    @cached_property
    def set_columns(self) -> list[str]:
        return [f.path for f in self.results.experiment.factors.values() if f.from_sets]

    @cached_property
    def grid_factors(self) -> list[str]:
        return [f.path for f in self.results.experiment.factors.values() if not f.from_sets]

    @cached_property
    def runs(self) -> pd.DataFrame:
        runs = self.results.runs
        runs = runs[runs["status"] == "ok"].copy()
        sets = len(self.results.experiment.set_rows)
        per_set = len(self.results.design) // sets if sets else 1
        runs["unit"] = runs["replication"] // 2 if self.seed_pairs else runs["point"] // per_set
        return runs.reset_index(drop=True)

    @cached_property
    def steps(self) -> pd.DataFrame:
        steps = self.results.steps
        if steps is None:
            raise ValueError(f"{self.name}: the experiment keeps no steps")
        keys = ["run_id", "unit", "strategy", "point", "replication", *self.grid_factors]
        steps = steps.merge(self.runs[keys], on="run_id", how="inner")
        steps["year"] = steps["date"].str.slice(0, 4).astype(int)
        steps["quarter"] = quarter_key(steps["date"])
        return steps

    @cached_property
    def parameters(self) -> pd.DataFrame:
        """The calibrated parameters of each unit (index: unit), or the factors of each design point;
        none for pairs of seeds (every unit has the scenario's own values: nothing to flip a verdict)."""
        columns = [] if self.seed_pairs else self.set_columns or list(self.results.experiment.factors)
        return self.runs.groupby("unit")[columns].first()

    def total(self, prefix: str, frame: pd.DataFrame | None = None) -> pd.Series:
        """Sum over the powers of the columns ``prefix_P``."""
        frame = self.runs if frame is None else frame
        powers = self.results.experiment.power_ids
        return frame[[f"{prefix}_{g}" for g in powers if f"{prefix}_{g}" in frame]].sum(axis=1)

    def per_run_window(self, value: pd.Series, first: int, last: int, how: str = "mean") -> pd.DataFrame:
        """Per run, the mean (or sum, min, max) of a per-quarter ``value`` over quarters ``first``..``last``
        (keys like 20141), with the run's unit, strategy and grid factors."""
        steps = self.steps
        inside = (steps["quarter"] >= first) & (steps["quarter"] <= last) & (steps["step"] > 0)
        keys = ["run_id", "unit", "strategy", *self.grid_factors]
        return (steps.loc[inside, keys].assign(value=value[inside]).groupby(keys, dropna=False)["value"]
                .agg(how).reset_index())


def unit_means(frame: pd.DataFrame, value: str | pd.Series, where: pd.Series | None = None) -> pd.Series:
    """Per unit, the mean of ``value`` over the runs (rows) selected by ``where``."""
    values = frame[value] if isinstance(value, str) else value
    if where is not None:
        values, frame = values[where], frame[where]
    return values.groupby(frame["unit"]).mean()


def best_of(*series: pd.Series, lowest: bool = False) -> pd.Series:
    """Unit by unit, the best (highest, or lowest) of several per-unit series."""
    table = pd.concat(series, axis=1)
    return table.min(axis=1) if lowest else table.max(axis=1)


def any_client(sweep: Sweep) -> pd.Series:
    """Per quarter row of the steps: 1 when S is anyone's client."""
    return (sweep.total("client_status", sweep.steps) > 0).astype(float)


def years(first: int, last: int) -> tuple[int, int]:
    return first * 10 + 1, last * 10 + 4
