"""Great-power capability series for data scenarios, read from the case's own data rows.

Walt (1987) names four sources of threat: aggregate power, proximity, offensive capability and
perceived intentions. Three of the model's inputs come from data, each a share among the
modelled powers (so each row sums to 1): aggregate power P[g](t), economic size (GDP share: what
a partner's market and investment offer S) and offensive capability O[g](t). Which rows make up
each power comes from the scenario's ``[case.powers]`` table (:mod:`model.case`).

A case without a data pack of its own reads the cross-case files (:mod:`model.crosscase`). A case
with one (``[case.series]``, the default scenario's) reads its named files:

- **aggregate power**: mean of the COW CINC share (v7.0, to 2022) and the GDP share (World Bank
  NY.GDP.MKTP.CD, current US$, to 2023);
- **offensive capability**, military power that can be brought to bear in the region: mean of the
  military-expenditure share (SIPRI, constant 2022 US$) and the share of the region's military
  installations (each row of the installations file with its source).

Proximity is the parameter ``powers.<id>.reach``; intentions are beliefs S learns.
Sources and licences: ``model/data/SOURCES.md``.

Deviations, also in the ODD description:
- In a case's own pack, a row missing from a file counts as zero: a composite's CINC and
  military-spending shares in the default scenario's pack are those of its rows the files hold
  (COW and SIPRI have no EU aggregate there: ODD §deviations, model/data/SOURCES.md).
- A row's years before it exists in its current borders take its first such year
  (``model/data/series_breaks.csv``: COW code 365 is the USSR through 1991).
- Years after a series ends repeat its last value; quarters interpolate linearly between
  mid-year annual values.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from multivector.model import crosscase
from multivector.model.calendar import decimal_year
from multivector.model.case import Case, OwnSeries
from multivector.model.errors import ScenarioError


@dataclass(frozen=True)
class PowerSeries:
    """Quarterly input series, each (steps + 1, powers), rows summing to 1."""

    aggregate: np.ndarray
    economic: np.ndarray
    military: np.ndarray


def data_file(filename: str):
    """The shipped data file ``model/data/<filename>``; ScenarioError if there is none."""
    path = resources.files("multivector.model") / "data" / filename
    if not path.is_file():
        raise ScenarioError(f"no data file model/data/{filename}")
    return path


@cache
def read_series(filename: str, variable: str) -> dict[str, dict[int, float]]:
    """{iso3: {year: value}} of one variable of a tidy ``year,iso3,variable,value`` file in
    ``model/data`` (blank values left out)."""
    table: dict[str, dict[int, float]] = {}
    with data_file(filename).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["variable"] == variable and row["value"] not in ("", "NA"):
                table.setdefault(row["iso3"], {})[int(row["year"])] = float(row["value"])
    return table


@cache
def _installations(filename: str) -> tuple[tuple[str, int, int], ...]:
    with data_file(filename).open(encoding="utf-8") as handle:
        return tuple((row["power"], int(row["first_year"]), int(row["last_year"])) for row in csv.DictReader(handle))


def _value(series: dict[str, dict[int, float]], iso3: str, year: int) -> float:
    """The series' value for ``year``: repeats the nearest year outside its span, and starts a
    country where it starts existing in its current borders."""
    years = series.get(iso3)
    if not years:
        return 0.0
    year = max(year, crosscase.series_breaks().get(iso3, year))
    if year in years:
        return years[year]
    nearest = max(y for y in years if y <= year) if min(years) <= year else min(years)
    return years[nearest]


def _share(raw: np.ndarray) -> np.ndarray:
    total = raw.sum()
    return raw / total if total > 0 else np.full(len(raw), 1 / len(raw))


def _component_sum(series: dict[str, dict[int, float]], rows: tuple[str, ...], year: int) -> float:
    return sum(_value(series, c, year) for c in rows)


def own_annual(pack: OwnSeries, rows: dict[str, tuple[str, ...]], power_ids: tuple[str, ...],
               year: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(aggregate power, economic size, offensive capability) in ``year`` from a case's own pack."""
    cinc = read_series(pack.cinc, "cinc")
    gdp = read_series(pack.gdp, "gdp_current_usd")
    milex = read_series(pack.milex, "milex_constant2022_usd_m")
    cinc_raw = np.array([_component_sum(cinc, rows[p], year) for p in power_ids])
    gdp_share = _share(np.array([_component_sum(gdp, rows[p], year) for p in power_ids]))
    aggregate = _share(0.5 * _share(cinc_raw) + 0.5 * gdp_share)
    spending = _share(np.array([_component_sum(milex, rows[p], year) for p in power_ids]))
    members = {p: set(rows[p]) | {p} for p in power_ids}
    counts = np.array([sum(1 for power, first, last in _installations(pack.installations)
                           if power in members[p] and first <= year <= last) for p in power_ids], dtype=float)
    return aggregate, gdp_share, _share(0.5 * spending + 0.5 * _share(counts))


def power_series(case: Case, power_ids: tuple[str, ...], start: str, steps: int) -> PowerSeries:
    """The three input series of ``power_ids`` (all of the case's world), one row per quarter from ``start``."""
    rows = {p: case.rows_of(p) for p in power_ids}
    times = np.array([decimal_year(start, s) for s in range(steps + 1)])
    years = np.arange(int(times.min()) - 1, int(times.max()) + 2)
    if case.series is not None:
        table = [own_annual(case.series, rows, power_ids, int(y)) for y in years]
    else:
        groups = [rows[p] for p in power_ids]
        first = crosscase.first_data_year(groups)
        if int(times.min()) < first:
            raise ScenarioError(f"case {case.name}: the scenario starts in {int(times.min())}, before the capability "
                                f"data of its powers' rows ({first})")
        table = [crosscase.annual_inputs(groups, int(y)) for y in years]
    midpoints = years + 0.5

    def quarterly(k: int) -> np.ndarray:
        annual = np.array([row[k] for row in table])
        out = np.column_stack([np.interp(times, midpoints, annual[:, j]) for j in range(len(power_ids))])
        return out / out.sum(axis=1, keepdims=True)

    return PowerSeries(quarterly(0), quarterly(1), quarterly(2))
