"""Structural inputs of a case from the cross-case data (``model/data/crosscase/``, README there).

For any case without a data pack of its own (:class:`model.case.Case` without ``series``), every
structural input is read from the rows the scenario file names for its secondary and its powers,
never from another case's (Walt 1987: aggregate power, proximity, offensive capability):

- **aggregate power** P[g](t): mean of the share of COW CINC (NMC v7.0, to 2022) and the share of
  real GDP (``pwtrgdp``, Fariss et al. 2022 anchored on PWT 10.0, to 2019) among the modelled
  powers; **economic size**: the GDP share alone;
- **offensive capability** O[g](t): the share of military expenditure (COW NMC ``milex``, to
  2022). A case's own pack may add a table of military installations in its region; no such
  table exists across cases, so here proximity enters through reach alone (ODD §input data);
- **reach** (proximity, ``powers.<id>.reach``): from COW direct contiguity and CShapes minimum
  distance in the case's first observed year (:func:`reach`);
- **initial economic dependence**: the trade share (COW Trade v4.0, trade over national total) in
  the first observed year; **initial economic engagement** in proportion to it;
- **initial security ties**: ATOP v5.1 pledges in force in the first observed year set security
  engagement (:data:`SECURITY_TIES`) and, in proportion, security dependence.

A composite power (several rows, e.g. the US and the EU-27) sums its rows' capabilities and trade and takes the
closest of its rows' reach and the strongest of their pledges. Years after a series ends repeat
its last value (a caveat ``multivector cases`` shows); a row with no data, or a first observed
year the data do not cover, is an error naming the row, variable and year.
"""

from __future__ import annotations

import csv
import math
from functools import cache
from importlib import resources

import numpy as np

from multivector.model.errors import ScenarioError

FILES = ("capabilities.csv", "trade.csv", "geography.csv", "alliances.csv")
GDP = "pwtrgdp"  # real GDP (PPP), the only GDP series in the cross-case data for every great power

# Reach by COW contiguity class (1 land; 2 water <= 12 mi; 3 <= 24 mi; 4 <= 150 mi; 5 <= 400 mi).
# Land contiguity is the default scenario's written reach of its longest land border (1.0);
# placeholders between, as the classes are ordered (ODD §input data).
REACH_BY_CONTIGUITY = {1: 1.0, 2: 0.8, 3: 0.7, 4: 0.6, 5: 0.5}
# No contiguity: reach decays with minimum distance, 0.5 * exp(-km / 1500): at the default scenario's
# distance to its distant power's nearest row (1,737 km in 1992) this gives 0.16, its written 0.15
# (ODD §input data); placeholder scale.
REACH_FAR, REACH_DISTANCE_KM = 0.5, 1500.0
# Security engagement by the strongest ATOP pledge in force (the default scenario's written values:
# 0.9 with its defence ally, 0.05 with powers it has no pledge with); placeholders between.
SECURITY_TIES = (("atop_defense", 0.9), ("atop_offense", 0.9), ("atop_consul", 0.2), ("atop_neutral", 0.1),
                 ("atop_nonagg", 0.1))
NO_TIE = 0.05
# Economic engagement: the largest trade partner at the default scenario's written 0.8, the others
# in proportion to their trade share, at least ECONOMIC_FLOOR (placeholder).
LARGEST_PARTNER_ENGAGEMENT, ECONOMIC_FLOOR = 0.8, 0.02


@cache
def _table(filename: str) -> dict[tuple[str, str, str], dict[int, float]]:
    """{(iso3, partner, variable): {year: value}} of one cross-case file."""
    table: dict[tuple[str, str, str], dict[int, float]] = {}
    with (resources.files("multivector.model") / "data" / "crosscase" / filename).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            table.setdefault((row["iso3"], row["partner"], row["variable"]), {})[int(row["year"])] = float(row["value"])
    return table


@cache
def series_breaks() -> dict[str, int]:
    """{row: first year it exists in its current borders} (``model/data/series_breaks.csv``)."""
    with (resources.files("multivector.model") / "data" / "series_breaks.csv").open(encoding="utf-8") as handle:
        return {row["iso3"]: int(row["first_year"]) for row in csv.DictReader(handle)}


def known_rows() -> set[str]:
    """Every row with capability data (secondaries and great powers)."""
    return {iso3 for iso3, _, _ in _table("capabilities.csv")}


def _years(filename: str, iso3: str, variable: str, partner: str = "") -> dict[int, float]:
    years = _table(filename).get((iso3, partner, variable))
    if not years:
        pair = f"{iso3}-{partner}" if partner else iso3
        raise ScenarioError(f"no '{variable}' data for {pair} in crosscase/{filename}")
    return years


def _level(years: dict[int, float], iso3: str, year: int) -> float:
    """The value in ``year``: a row's years before it exists in its current borders take its first
    such year; years outside the series repeat its nearest year."""
    year = max(year, series_breaks().get(iso3, year))
    if year in years:
        return years[year]
    before = [y for y in years if y <= year]
    return years[max(before)] if before else years[min(years)]


def _share(raw: np.ndarray) -> np.ndarray:
    total = raw.sum()
    return raw / total if total > 0 else np.full(len(raw), 1 / len(raw))


def _summed(variable: str, rows: list[tuple[str, ...]], year: int) -> np.ndarray:
    return np.array([sum(_level(_years("capabilities.csv", r, variable), r, year) for r in group) for group in rows])


def annual_inputs(rows: list[tuple[str, ...]], year: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(aggregate power, economic size, offensive capability) shares of the powers made of ``rows`` in ``year``."""
    gdp = _share(_summed(GDP, rows, year))
    aggregate = _share(0.5 * _share(_summed("cinc", rows, year)) + 0.5 * gdp)
    return aggregate, gdp, _share(_summed("milex", rows, year))


def first_data_year(rows: list[tuple[str, ...]]) -> int:
    """The first year every capability series of every row covers."""
    return max(min(_years("capabilities.csv", r, v)) for group in rows for r in group for v in ("cinc", GDP, "milex"))


def _at(filename: str, variable: str, secondary: str, partner: str, year: int) -> float:
    years = _years(filename, secondary, variable, partner)
    if year not in years:
        raise ScenarioError(f"no '{variable}' for {secondary}-{partner} in {year} in crosscase/{filename} "
                            f"(years {min(years)}-{max(years)}, {len(years)} of them)")
    return years[year]


def trade_shares(secondary: str, rows: list[tuple[str, ...]], year: int) -> np.ndarray:
    """The secondary's trade with each power over its national total trade in ``year`` (rows summed)."""
    return np.array([sum(_at("trade.csv", "trade_share", secondary, r, year) for r in group) for group in rows])


def reach(secondary: str, group: tuple[str, ...], year: int) -> float:
    """Proximity of a power made of ``group`` to the secondary in ``year``: by contiguity class, else
    decaying with minimum distance; the closest row of a composite."""
    out = 0.0
    for row in group:
        cont = int(_at("geography.csv", "conttype", secondary, row, year))
        if cont in REACH_BY_CONTIGUITY:
            value = REACH_BY_CONTIGUITY[cont]
        else:
            value = REACH_FAR * math.exp(-_at("geography.csv", "mindist", secondary, row, year) / REACH_DISTANCE_KM)
        out = max(out, value)
    return out


def security_tie(secondary: str, group: tuple[str, ...], year: int) -> float:
    """Security engagement implied by the strongest ATOP pledge between the secondary and any row of ``group``."""
    best = NO_TIE
    for row in group:
        for variable, level in SECURITY_TIES:
            if _at("alliances.csv", variable, secondary, row, year) > 0:
                best = max(best, level)
                break
    return best


def initial_ties(secondary: str, rows: dict[str, tuple[str, ...]], power_ids: tuple[str, ...],
                 year: int) -> dict[str, dict[str, float]]:
    """{power: {parameter field: value}} of the structural starting values read from the data."""
    groups = [rows[p] for p in power_ids]
    trade = trade_shares(secondary, groups, year)
    largest = trade.max() if trade.max() > 0 else 1.0
    ties = np.array([security_tie(secondary, g, year) for g in groups])
    out: dict[str, dict[str, float]] = {}
    for i, power in enumerate(power_ids):
        out[power] = {
            "reach": round(reach(secondary, groups[i], year), 6),
            "initial_dependence_economy": float(trade[i]),
            "initial_engagement_economy": round(float(max(ECONOMIC_FLOOR, LARGEST_PARTNER_ENGAGEMENT * trade[i] / largest)),
                                                6),
            "initial_engagement_security": float(ties[i]),
            "initial_dependence_security": round(float(ties[i] / ties.sum()), 6),
        }
    return out


def caveats(secondary: str, rows: dict[str, tuple[str, ...]], power_ids: tuple[str, ...], year: int) -> list[str]:
    """What a reader of the case's inputs should know: dyads whose trade in ``year`` is recorded as
    zero both ways (the data README: most likely non-reporting, not no trade)."""
    out = []
    for power in power_ids:
        for row in rows[power]:
            years = _table("trade.csv").get((secondary, row, "trade"), {})
            if years.get(year) == 0:
                out.append(f"trade with {row} ({power}) in {year} is recorded as zero both ways: most likely "
                           "non-reporting (crosscase/README.md)")
    return out


def check_rows(secondary: str, rows: dict[str, tuple[str, ...]], where: str) -> None:
    """Every named row has capability data, and the secondary is a row of the data."""
    known = known_rows()
    unknown = sorted({r for group in rows.values() for r in group} - known)
    if unknown:
        raise ScenarioError(f"{where}: unknown data row(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    if secondary not in known:
        raise ScenarioError(f"{where}.secondary: unknown data row {secondary!r} (known: {', '.join(sorted(known))})")
