"""What was observed of Kazakhstan's ties: trade shares by partner (COW Trade v4.0, 1992-2014) and
shares of major-arms deliveries by supplier (SIPRI, 1992-2023).

The model reads them for one thing only, its initial state in the `kazakhstan` scenario
(``initial_dependence = "data"``): economic dependence is the 1994 trade share (1992-93 national
totals miss most intra-CIS trade), security dependence the 1995-1999 share of arms deliveries
(none were recorded in 1992-94). Experiments read them again as calibration targets. Sources,
licences and caveats: ``model/data/SOURCES.md``.
"""

from __future__ import annotations

import numpy as np

from model.capabilities import COMPONENTS, read_series

TRADE_FILE = "kaz_trade_cow.csv"
ARMS_TABLES = "kaz_arms_sipri_tables_1992_2021.csv"  # SIPRI TIV tables, vintage July 2022
ARMS_REGISTER = "kaz_arms_sipri_register_2000_2023.csv"  # SIPRI trade register, vintage January 2025
INITIAL_TRADE_YEAR = 1994
INITIAL_ARMS_YEARS = range(1995, 2000)
# Russia's 2010-2011 COW flows are a recording gap after the Customs Union removed customs
# declarations on mutual trade (mid-2010), not a collapse: fits leave them out.
RECORDING_GAPS = {"RUS": (2010, 2011)}


def _components(power: str) -> tuple[str, ...]:
    # The West is the EU-27 and the USA in the data files (iso3 "EUU" and "USA").
    return COMPONENTS.get(power, (power,))


def trade_shares(power_ids: tuple[str, ...]) -> dict[int, np.ndarray]:
    """{year: share of Kazakhstan's total goods trade with each power} for the years every power
    has data (COW national totals as the denominator; mirror-filled partner flows)."""
    table = read_series(TRADE_FILE, "share_of_total")
    years = sorted(set.intersection(*(set(table.get(c, {})) for p in power_ids for c in _components(p))))
    return {year: np.array([sum(table[c][year] for c in _components(p)) for p in power_ids]) for year in years}


def arms_shares(power_ids: tuple[str, ...]) -> dict[int, np.ndarray]:
    """{year: share of the major arms delivered to Kazakhstan by each power} (SIPRI TIV): the
    tables for 1992-2021, the trade register for 2022-2023; years with no deliveries are left out."""
    out: dict[int, np.ndarray] = {}
    for filename, years in ((ARMS_TABLES, range(1992, 2022)), (ARMS_REGISTER, range(2022, 2024))):
        table = read_series(filename, "share_of_total_tiv")
        for year in years:
            if all(year in table.get(c, {}) for p in power_ids for c in _components(p)):
                out[year] = np.array([sum(table[c][year] for c in _components(p)) for p in power_ids])
    return out


def initial_dependence(power_ids: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """{power: {"economy": 1994 trade share, "security": mean 1995-99 arms share}} for the initial state."""
    trade = trade_shares(power_ids)[INITIAL_TRADE_YEAR]
    arms = np.mean([arms_shares(power_ids)[y] for y in INITIAL_ARMS_YEARS if y in arms_shares(power_ids)], axis=0)
    return {p: {"economy": float(trade[i]), "security": float(arms[i])} for i, p in enumerate(power_ids)}
