"""Constructed records for testing case facts: every column of a fact's test, zero unless set."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from multivector.experiments.cases.facts import Runs

POWERS = ("RUS", "CHN", "WEST")


def quarters(first: str = "1992Q1", last: str = "2024Q4") -> list[str]:
    year, quarter = int(first[:4]), int(first[-1])
    out = []
    while f"{year}Q{quarter}" <= last:
        out.append(f"{year}Q{quarter}")
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return out


class Record:
    """R constructed runs over the quarters from ``first`` to ``last``; columns default to zero."""

    def __init__(self, count: int = 2, first: str = "1992Q1", last: str = "2024Q4"):
        self.dates = np.array(quarters(first, last))
        self.count = count
        self.columns: dict[str, np.ndarray] = defaultdict(lambda: np.zeros((count, len(self.dates))))

    def mask(self, first: str | None = None, last: str | None = None) -> np.ndarray:
        keep = np.ones(len(self.dates), dtype=bool)
        if first:
            keep &= self.dates >= first
        if last:
            keep &= self.dates <= last
        return keep

    def set(self, run: int, column: str, value: float, first: str | None = None, last: str | None = None) -> "Record":
        """Column ``column`` of run ``run`` is ``value`` over the quarters from ``first`` to ``last``."""
        self.columns[column][run, self.mask(first, last)] = value
        return self

    def count_from(self, run: int, column: str, date: str, by: float = 1) -> "Record":
        """A cumulative count (coercion, exits, abandonments) that rises by ``by`` at ``date``."""
        return self.set(run, column, self.columns[column][run, self.dates == date][0] + by, date)

    def runs(self, columns: tuple[str, ...] = ()) -> Runs:
        for name in columns:
            self.columns[name]  # make sure it exists (zeros)
        years = np.array([int(d[:4]) for d in self.dates])
        valid = np.ones((self.count, len(self.dates)), dtype=bool)
        return Runs(dict(self.columns), self.dates, years, valid, POWERS)


def column_names() -> tuple[str, ...]:
    """Every column the case facts read, so that a constructed record has them all."""
    names = ["abandonment_events", "crisis_requests"]
    for g in POWERS:
        names += [f"pressure_{g}", f"pressure_domain_{g}", f"coercion_{g}", f"exits_{g}", f"client_status_{g}",
                  f"client_index_{g}", f"high_cost_demands_{g}", f"high_cost_met_{g}", f"demands_{g}", f"demands_met_{g}"]
        names += [f"{kind}_{g}_{d}" for kind in ("engagement", "dependence") for d in ("security", "economy", "institutions")]
    return tuple(names)


def scenario_scores(name, facts, runs_count=2):
    """The scenario runs under its historical strategy (its [[case.strategy]] periods, read by the
    cases loader) and each fact scores on every run, never passing where its event did not happen."""
    import tomllib
    from importlib import resources

    from multivector.model.simulate import simulate_many

    raw = tomllib.loads((resources.files("multivector.model") / "scenario_files" / f"{name}.toml").read_text())
    frames = simulate_many(name, ["historical"] * runs_count, list(range(runs_count)))
    runs = Runs.from_frames(frames, tuple(raw["scenario"]["powers"]))
    assert runs.dates[-1] == "2024Q4"
    for fact in facts:
        result = fact.evaluate(runs)
        assert result.passed.shape == (runs_count,)
        assert not (result.passed & ~result.occurred).any()  # nothing passes where its event did not happen
        assert np.isfinite(result.figure).all()
    return runs
