"""How well an ensemble's yearly dependence fits observed shares, against naive baselines, for
every run at once.

A case pack supplies the observed series (:class:`ObservedSeries`: yearly shares per power, in
one domain of dependence); this module scores every run of a :class:`~experiments.cases.facts.Runs`
against them. For each series and power: the model's RMSE, the RMSE of two naive baselines (the
first year's observed share held constant, and a straight line fitted to the observed series by
least squares: an in-sample baseline no forecast could beat on RMSE without skill), the
correlation of year-to-year changes, and the correlation after removing each series' own linear
trend. Two trending series correlate whatever drives them; the change and detrended
correlations are what show skill.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from multivector.experiments.cases.facts import Runs

STATISTICS = ("rmse", "rmse_constant", "rmse_trend", "change_correlation", "detrended_correlation")


@dataclass(frozen=True)
class ObservedSeries:
    """Observed yearly shares (``data``: years x powers, NaN where not observed) that the model's
    yearly mean ``dependence_<power>_<domain>`` is scored against; columns named ``<kind>_...``."""

    kind: str  # "trade", "arms"
    domain: str  # "economy", "security"
    data: pd.DataFrame
    source: str = ""


def _rows_correlation(a: np.ndarray, b: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """(R,) Pearson correlation of each row of ``a`` with ``b`` (1-D) over the columns ``keep``;
    NaN with fewer than 3 points or no spread (as the single-series definition)."""
    a, b = a[:, keep], b[keep]
    if a.shape[1] < 3 or np.std(b) == 0:
        return np.full(a.shape[0], np.nan)
    da = a - a.mean(axis=1, keepdims=True)
    db = b - b.mean()
    spread = np.sqrt((da ** 2).sum(axis=1) * (db ** 2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (da * db).sum(axis=1) / spread
    return np.where(np.std(a, axis=1) > 0, out, np.nan)


def _detrend(years: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Each row of ``values`` (R, Y) less its own least-squares line over ``years``."""
    x = years - years.mean()
    slope = (values - values.mean(axis=1, keepdims=True)) @ x / (x @ x)
    return values - values.mean(axis=1, keepdims=True) - slope[:, None] * x[None, :]


def series_statistics(years: np.ndarray, model_values: np.ndarray, data_values: np.ndarray) -> dict[str, np.ndarray]:
    """The fit of model series (``model_values`` (R, Y), or (Y,) for one run) to one observed series
    (``data_values`` (Y,)), aligned on ``years``; years where the data are missing are left out.
    Every statistic is (R,) (a float for one run)."""
    single = np.ndim(model_values) == 1
    model_values = np.atleast_2d(np.asarray(model_values, dtype=float))
    keep = ~np.isnan(data_values)
    years, model_values, data_values = years[keep].astype(float), model_values[:, keep], data_values[keep]
    slope, intercept = np.polyfit(years, data_values, 1)
    R = model_values.shape[0]
    constant = float(np.sqrt(np.mean((data_values[0] - data_values) ** 2)))
    trend = float(np.sqrt(np.mean((slope * years + intercept - data_values) ** 2)))
    # Changes are taken between consecutive observed years only.
    consecutive = np.diff(years) == 1
    out = {
        "rmse": np.sqrt(np.mean((model_values - data_values[None, :]) ** 2, axis=1)),
        "rmse_constant": np.full(R, constant),
        "rmse_trend": np.full(R, trend),
        "change_correlation": _rows_correlation(np.diff(model_values, axis=1), np.diff(data_values), consecutive),
        "detrended_correlation": _rows_correlation(_detrend(years, model_values), _detrend(years, data_values[None, :])[0],
                                                   np.ones(len(years), dtype=bool)),
    }
    return {k: float(v[0]) for k, v in out.items()} if single else out


def model_yearly(runs: Runs, domain: str, powers: tuple[str, ...], years: np.ndarray) -> dict[str, np.ndarray]:
    """Per power, (R, len(years)) the runs' yearly mean dependence in ``domain`` (NaN for a year
    the record does not cover)."""
    out = {}
    for power in powers:
        recorded, means = runs.yearly_mean(f"dependence_{power}_{domain}")
        table = np.full((runs.count, len(years)), np.nan)
        where = {int(y): k for k, y in enumerate(recorded)}
        for k, year in enumerate(years):
            if int(year) in where:
                table[:, k] = means[:, where[int(year)]]
        out[power] = table
    return out


def fit_statistics(runs: Runs, series: tuple[ObservedSeries, ...]) -> dict[str, np.ndarray]:
    """Columns ``<kind>_<statistic>_<power>``, each (R,), for every run of ``runs``."""
    out: dict[str, np.ndarray] = {}
    for observed in series:
        years = observed.data.index.to_numpy()
        yearly = model_yearly(runs, observed.domain, tuple(observed.data.columns), years)
        for power in observed.data.columns:
            stats = series_statistics(years, yearly[power], observed.data[power].to_numpy(dtype=float))
            for name, value in stats.items():
                out[f"{observed.kind}_{name}_{power}"] = value
    return out


def fit_columns(series: tuple[ObservedSeries, ...]) -> list[str]:
    return [f"{s.kind}_{name}_{power}" for s in series for power in s.data.columns for name in STATISTICS]
