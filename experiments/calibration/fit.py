"""How well a run's economic and security dependence fits the observed shares, against naive
baselines.

Trade: the model's yearly economic dependence on Russia, China and the West against the COW
trade shares 1994-2014 (Russia's 2010-2011 values, a recording gap after the Customs Union, left
out). Arms: the yearly security dependence against SIPRI shares of major-arms deliveries (years
with deliveries, 1995-2023). For each power: the model's RMSE, the RMSE of two naive baselines (the
first year's observed share held constant, and a straight line fitted to the observed series by
least squares: an in-sample baseline no forecast could beat on RMSE without skill), the
correlation of year-to-year changes, and the correlation after removing each series' own linear
trend. Two trending series correlate whatever drives them; the change and detrended
correlations are what show skill.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.observed import arms_shares, recording_gaps, trade_shares
from model.scenarios import load_scenario

POWERS = ("RUS", "CHN", "WEST")
SCENARIO = "kazakhstan"  # the case whose own observed series these are (its [case.series])
TRADE_YEARS = (1994, 2014)
STATISTICS = ("rmse", "rmse_constant", "rmse_trend", "change_correlation", "detrended_correlation")


def observed(kind: str) -> pd.DataFrame:
    """Observed yearly shares (years x powers): ``kind`` "trade" or "arms"."""
    case = load_scenario(SCENARIO).case
    shares = trade_shares(case, POWERS) if kind == "trade" else arms_shares(case, POWERS)
    frame = pd.DataFrame.from_dict(shares, orient="index", columns=list(POWERS)).sort_index()
    if kind == "trade":
        frame = frame.loc[TRADE_YEARS[0]:TRADE_YEARS[1]]
        for power, (first, last) in recording_gaps(case).items():
            frame.loc[list(range(first, last + 1)), power] = np.nan
    return frame


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    if len(a) < 3 or np.std(a) == 0 or np.std(b) == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def _detrend(years: np.ndarray, values: np.ndarray) -> np.ndarray:
    slope, intercept = np.polyfit(years, values, 1)
    return values - (slope * years + intercept)


def series_statistics(years: np.ndarray, model_values: np.ndarray, data_values: np.ndarray) -> dict[str, float]:
    """The fit of one model series to one observed series (both yearly, aligned on ``years``)."""
    keep = ~(np.isnan(model_values) | np.isnan(data_values))
    years, model_values, data_values = years[keep], model_values[keep], data_values[keep]
    slope, intercept = np.polyfit(years, data_values, 1)
    rmse = lambda fitted: float(np.sqrt(np.mean((fitted - data_values) ** 2)))  # noqa: E731
    # Changes are taken between consecutive observed years only.
    consecutive = np.diff(years) == 1
    return {
        "rmse": rmse(model_values),
        "rmse_constant": rmse(np.full_like(data_values, data_values[0])),
        "rmse_trend": rmse(slope * years + intercept),
        "change_correlation": _correlation(np.diff(model_values)[consecutive], np.diff(data_values)[consecutive]),
        "detrended_correlation": _correlation(_detrend(years, model_values), _detrend(years, data_values)),
    }


def model_yearly(frame: pd.DataFrame, domain: str) -> pd.DataFrame:
    """The run's yearly mean dependence on each power in ``domain`` (years x powers)."""
    run = frame[frame["step"] > 0] if "step" in frame else frame
    yearly = run.groupby("year")[[f"dependence_{g}_{domain}" for g in POWERS]].mean()
    yearly.columns = list(POWERS)
    return yearly


def fit_statistics(frame: pd.DataFrame) -> dict[str, float]:
    """Flat columns ``trade_<stat>_<power>`` and ``arms_<stat>_<power>`` for one run."""
    out: dict[str, float] = {}
    for kind, domain in (("trade", "economy"), ("arms", "security")):
        data = observed(kind)
        run = model_yearly(frame, domain).reindex(data.index)
        for power in POWERS:
            stats = series_statistics(data.index.to_numpy(dtype=float), run[power].to_numpy(), data[power].to_numpy())
            for name, value in stats.items():
                out[f"{kind}_{name}_{power}"] = value
    return out


def fit_columns() -> list[str]:
    return [f"{kind}_{name}_{power}" for kind in ("trade", "arms") for power in POWERS for name in STATISTICS]
