"""Run-level columns computed from a whole run: the patterns P1-P10 and the fit to observed trade
and arms shares. Sweeps with ``[collect] patterns = true`` add them to the runs table."""

from __future__ import annotations

import pandas as pd

from experiments.calibration import fit, patterns


def summary_columns() -> tuple[str, ...]:
    pattern_columns = [c for pid in patterns.PATTERN_IDS for c in (pid, f"{pid}_figure")]
    return (*pattern_columns, "patterns_passed", *fit.fit_columns())


def summarise(frame: pd.DataFrame) -> dict[str, float]:
    """Every summary column for one run's per-quarter table."""
    return {**patterns.as_columns(patterns.evaluate(frame)), **fit.fit_statistics(frame)}
