"""Great-power capability series for data scenarios, derived from the shipped public data.

Walt (1987) names four sources of threat: aggregate power, proximity, offensive capability and
perceived intentions. Three of the model's inputs come from data, each a share among the
modelled powers (so each row sums to 1):

- **aggregate power** P[g](t): mean of the COW Composite Index of National Capability (v7.0,
  to 2022) share and the GDP share (World Bank NY.GDP.MKTP.CD, current US$, to 2023);
- **economic size** (GDP share alone): what a partner's market and investment offer S;
- **offensive capability** O[g](t), military power that can be brought to bear in Central
  Asia: mean of the military-expenditure share (SIPRI, constant 2022 US$) and the share of
  military installations in Central Asia (``data/military_presence_central_asia.csv``, each
  row with its source).

Proximity is the parameter ``powers.<id>.reach``; intentions are beliefs S learns.
Sources and licences: ``model/data/SOURCES.md``.

Deviations, also in the ODD description:
- WEST is the United States plus the European Union. COW and SIPRI have no EU aggregate, so
  WEST's CINC and military-spending shares are the US's alone, while its GDP share includes the
  EU (World Bank ``EUU``); its installations are the US's.
- COW code 365 is the USSR through 1991 and SIPRI has no Russian figure before 1992, so Russia's
  1991 values are its 1992 values.
- Years after a series ends repeat its last value; quarters interpolate linearly between
  mid-year annual values.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from model.calendar import decimal_year

# Which rows of the data files make up each modelled power.
COMPONENTS: dict[str, tuple[str, ...]] = {"RUS": ("RUS",), "CHN": ("CHN",), "WEST": ("USA", "EUU")}
# Russia in its current borders starts in 1992 in COW and SIPRI.
FIRST_YEAR: dict[str, int] = {"RUS": 1992}


@dataclass(frozen=True)
class PowerSeries:
    """Quarterly input series, each (steps + 1, powers), rows summing to 1."""

    aggregate: np.ndarray
    economic: np.ndarray
    military: np.ndarray


@cache
def read_series(filename: str, variable: str) -> dict[str, dict[int, float]]:
    """{iso3: {year: value}} of one variable of a tidy ``year,iso3,variable,value`` file in
    ``model/data`` (blank values left out)."""
    table: dict[str, dict[int, float]] = {}
    with (resources.files("model") / "data" / filename).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["variable"] == variable and row["value"] not in ("", "NA"):
                table.setdefault(row["iso3"], {})[int(row["year"])] = float(row["value"])
    return table


@cache
def _installations() -> tuple[tuple[str, int, int], ...]:
    with (resources.files("model") / "data" / "military_presence_central_asia.csv").open(encoding="utf-8") as handle:
        return tuple((row["power"], int(row["first_year"]), int(row["last_year"])) for row in csv.DictReader(handle))


def _value(series: dict[str, dict[int, float]], iso3: str, year: int) -> float:
    """The series' value for ``year``: repeats the nearest year outside its span, and starts a
    country where it starts existing in its current borders."""
    years = series.get(iso3)
    if not years:
        return 0.0
    year = max(year, FIRST_YEAR.get(iso3, year))
    if year in years:
        return years[year]
    nearest = max(y for y in years if y <= year) if min(years) <= year else min(years)
    return years[nearest]


def _share(raw: np.ndarray) -> np.ndarray:
    total = raw.sum()
    return raw / total if total > 0 else np.full(len(raw), 1 / len(raw))


def _component_sum(series: dict[str, dict[int, float]], power: str, year: int, skip: tuple[str, ...] = ()) -> float:
    return sum(_value(series, c, year) for c in COMPONENTS[power] if c not in skip)


def annual_capability(power_ids: tuple[str, ...], year: int) -> np.ndarray:
    """Aggregate power: mean of CINC and GDP shares of ``power_ids`` in ``year``."""
    cinc = read_series("cow_nmc_v7.csv", "cinc")
    gdp = read_series("gdp_worldbank_current_usd.csv", "gdp_current_usd")
    cinc_raw = np.array([_component_sum(cinc, p, year, skip=("EUU",)) for p in power_ids])
    gdp_raw = np.array([_component_sum(gdp, p, year) for p in power_ids])
    return _share(0.5 * _share(cinc_raw) + 0.5 * _share(gdp_raw))


def annual_economic(power_ids: tuple[str, ...], year: int) -> np.ndarray:
    """Economic size: GDP shares of ``power_ids`` in ``year``."""
    gdp = read_series("gdp_worldbank_current_usd.csv", "gdp_current_usd")
    return _share(np.array([_component_sum(gdp, p, year) for p in power_ids]))


def annual_military(power_ids: tuple[str, ...], year: int) -> np.ndarray:
    """Offensive capability: mean of military-spending and Central Asian installation shares."""
    milex = read_series("sipri_milex.csv", "milex_constant2022_usd_m")
    spending = _share(np.array([_component_sum(milex, p, year, skip=("EUU",)) for p in power_ids]))
    members = {p: set(COMPONENTS[p]) | {p} for p in power_ids}
    counts = np.array([sum(1 for power, first, last in _installations() if power in members[p] and first <= year <= last)
                       for p in power_ids], dtype=float)
    return _share(0.5 * spending + 0.5 * _share(counts))


def _quarterly(annual, power_ids: tuple[str, ...], start: str, steps: int) -> np.ndarray:
    times = np.array([decimal_year(start, s) for s in range(steps + 1)])
    years = np.arange(int(times.min()) - 1, int(times.max()) + 2)
    table = np.array([annual(power_ids, int(y)) for y in years])
    midpoints = years + 0.5
    out = np.column_stack([np.interp(times, midpoints, table[:, j]) for j in range(len(power_ids))])
    return out / out.sum(axis=1, keepdims=True)


def power_series(power_ids: tuple[str, ...], start: str, steps: int) -> PowerSeries:
    """The three input series, one row per quarter from ``start``."""
    unknown = [p for p in power_ids if p not in COMPONENTS]
    if unknown:
        raise ValueError(f"no capability data for power(s) {unknown}; known: {sorted(COMPONENTS)}")
    return PowerSeries(_quarterly(annual_capability, power_ids, start, steps),
                       _quarterly(annual_economic, power_ids, start, steps),
                       _quarterly(annual_military, power_ids, start, steps))
