"""Great-power capability series for scenarios, derived from the shipped public data.

Relative capability P[g](t) (theory.md §2.2) is the mean of two shares among the modelled
powers: the COW Composite Index of National Capability (v7.0, to 2022) and GDP in current US$
(World Bank NY.GDP.MKTP.CD, to 2023). Sources and licences: ``model/data/SOURCES.md``.

Deviations, also in the ODD description:
- WEST is the United States plus the European Union. COW has no EU aggregate, so WEST's CINC
  share is the US's alone, while its GDP share includes the EU (World Bank ``EUU``).
- COW code 365 is the USSR in 1991, so Russia's 1991 CINC is taken from 1992.
- Years after a series ends repeat its last value; quarters are linearly interpolated between
  mid-year annual values.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

import numpy as np

from model.calendar import decimal_year

# Which rows of the data files make up each modelled power.
COMPONENTS: dict[str, tuple[str, ...]] = {"RUS": ("RUS",), "CHN": ("CHN",), "WEST": ("USA", "EUU")}
# COW code 365 is the USSR through 1991: Russia's CINC starts in 1992.
CINC_FIRST_YEAR: dict[str, int] = {"RUS": 1992}


@lru_cache(maxsize=None)
def _series(filename: str, variable: str) -> dict[str, dict[int, float]]:
    table: dict[str, dict[int, float]] = {}
    with (resources.files("model") / "data" / filename).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["variable"] == variable:
                table.setdefault(row["iso3"], {})[int(row["year"])] = float(row["value"])
    return table


def _value(series: dict[str, dict[int, float]], iso3: str, year: int, first_year: int | None = None) -> float:
    """The series' value for ``year``: repeats the nearest year outside its span, and skips
    years before ``first_year`` (for a country that did not yet exist in its current borders)."""
    years = series.get(iso3)
    if not years:
        return 0.0
    if first_year is not None:
        year = max(year, first_year)
    if year in years:
        return years[year]
    nearest = max(y for y in years if y <= year) if min(years) <= year else min(years)
    return years[nearest]


def annual_capability(power_ids: tuple[str, ...], year: int) -> np.ndarray:
    """Capability shares of ``power_ids`` in ``year`` (sums to 1)."""
    cinc = _series("cow_nmc_v7.csv", "cinc")
    gdp = _series("gdp_worldbank_current_usd.csv", "gdp_current_usd")
    cinc_raw = np.array(
        [sum(_value(cinc, c, year, CINC_FIRST_YEAR.get(c)) for c in COMPONENTS[p] if c != "EUU") for p in power_ids]
    )
    gdp_raw = np.array([sum(_value(gdp, c, year) for c in COMPONENTS[p]) for p in power_ids])
    shares = 0.5 * cinc_raw / cinc_raw.sum() + 0.5 * gdp_raw / gdp_raw.sum()
    return shares / shares.sum()


def quarterly_capability(power_ids: tuple[str, ...], start: str, steps: int) -> np.ndarray:
    """Array (steps + 1, powers) of capability shares, one row per quarter from ``start``."""
    unknown = [p for p in power_ids if p not in COMPONENTS]
    if unknown:
        raise ValueError(f"no capability data for power(s) {unknown}; known: {sorted(COMPONENTS)}")
    times = np.array([decimal_year(start, s) for s in range(steps + 1)])
    years = np.arange(int(times.min()) - 1, int(times.max()) + 2)
    annual = np.array([annual_capability(power_ids, int(y)) for y in years])
    midpoints = years + 0.5
    out = np.column_stack([np.interp(times, midpoints, annual[:, j]) for j in range(len(power_ids))])
    return out / out.sum(axis=1, keepdims=True)
