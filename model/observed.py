"""What was observed of a case's ties in its own data pack (``[case.series]``): trade shares by
partner and shares of major-arms deliveries by supplier (in the default scenario's pack: COW
Trade v4.0, 1992-2014, and SIPRI, 1992-2023).

The model reads them for one thing only, the case's initial state (``initial_dependence =
"data"``): economic dependence is the trade share of ``initial_trade_year``, security dependence the mean share of arms
deliveries over ``initial_arms_years`` (each chosen, with its reason, in the scenario file).
Experiments read them again as calibration targets. Cases without a pack of their own take both
from the cross-case data (:mod:`model.crosscase`). Sources, licences and caveats:
``model/data/SOURCES.md``.
"""

from __future__ import annotations

import numpy as np

from multivector.model.capabilities import read_series
from multivector.model.case import Case, OwnSeries
from multivector.model.errors import ScenarioError


def _pack(case: Case) -> OwnSeries:
    if case.series is None:
        raise ScenarioError(f"case {case.name} has no observed series of its own ([case.series])")
    return case.series


def trade_shares(case: Case, power_ids: tuple[str, ...]) -> dict[int, np.ndarray]:
    """{year: share of the secondary's total goods trade with each power} for the years every power's
    rows have data (national totals as the denominator; mirror-filled partner flows)."""
    table = read_series(_pack(case).trade, "share_of_total")
    rows = [case.rows_of(p) for p in power_ids]
    years = sorted(set.intersection(*(set(table.get(c, {})) for group in rows for c in group)))
    return {year: np.array([sum(table[c][year] for c in group) for group in rows]) for year in years}


def arms_shares(case: Case, power_ids: tuple[str, ...]) -> dict[int, np.ndarray]:
    """{year: share of the major arms delivered to the secondary by each power} (SIPRI TIV), each
    file for its span of years; years with no deliveries are left out."""
    pack = _pack(case)
    rows = [case.rows_of(p) for p in power_ids]
    out: dict[int, np.ndarray] = {}
    for filename, (first, last) in zip(pack.arms, pack.arms_years, strict=True):
        table = read_series(filename, "share_of_total_tiv")
        for year in range(first, last + 1):
            if all(year in table.get(c, {}) for group in rows for c in group):
                out[year] = np.array([sum(table[c][year] for c in group) for group in rows])
    return out


def recording_gaps(case: Case) -> dict[str, tuple[int, int]]:
    """{power: (first, last)} years of the observed trade series that fits leave out."""
    return dict(_pack(case).recording_gaps)


def initial_dependence(case: Case, power_ids: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """{power: {"economy": trade share of the initial year, "security": mean arms share of the initial years}}."""
    pack = _pack(case)
    trade = trade_shares(case, power_ids)
    if pack.initial_trade_year not in trade:
        raise ScenarioError(f"case {case.name}: no observed trade shares in {pack.initial_trade_year} "
                            f"({pack.trade} covers {min(trade, default='-')}-{max(trade, default='-')})")
    arms = arms_shares(case, power_ids)
    first, last = pack.initial_arms_years
    years = [y for y in range(first, last + 1) if y in arms]
    if not years:
        raise ScenarioError(f"case {case.name}: no observed arms deliveries in {first}-{last}")
    security = np.mean([arms[y] for y in years], axis=0)
    return {p: {"economy": float(trade[pack.initial_trade_year][i]), "security": float(security[i])}
            for i, p in enumerate(power_ids)}
