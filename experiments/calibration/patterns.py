"""The stylised facts P1-P10 (seeds/patterns.md) as functions over one run's per-quarter table.

Each takes the output of one run of a Kazakhstan-like scenario (the data contract's columns and
the model's extra columns, powers RUS, CHN and WEST) and returns a :class:`PatternResult`:
whether the run shows the fact, the figure the verdict rests on, and a one-line account. Each
docstring says how the fact is operationalised and where it comes from. Nothing here is fitted:
the thresholds are the facts' own (for example "China passes Russia between 2010 and 2024").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

POWERS = ("RUS", "CHN", "WEST")
ECONOMY = 1  # pressure_domain code of the economy (0 security, 1 economy, 2 institutions)
PATTERN_NAMES = {
    "P1": "domain split", "P2": "no clientage", "P3": "assertion without rupture", "P4": "short economic pressure",
    "P5": "diversification after pressure", "P6": "voting alignment", "P7": "institutional breadth",
    "P8": "domestic limits on China", "P9": "continuity across 2019", "P10": "the West engaged, never a security patron",
}


@dataclass(frozen=True)
class PatternResult:
    id: str
    name: str
    passed: bool
    figure: float
    detail: str


def _quarters(frame: pd.DataFrame, first: str | None = None, last: str | None = None) -> pd.DataFrame:
    """The run's quarters after the initial state, between ``first`` and ``last`` (labels like 2014Q1)."""
    run = frame[frame["step"] > 0] if "step" in frame else frame
    if first is not None:
        run = run[run["date"] >= first]
    if last is not None:
        run = run[run["date"] <= last]
    return run


def _yearly(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return _quarters(frame).groupby("year")[columns].mean()


def _spells(flags: np.ndarray) -> list[int]:
    """Lengths of the runs of consecutive True values."""
    lengths, current = [], 0
    for flag in flags:
        if flag:
            current += 1
        elif current:
            lengths.append(current)
            current = 0
    if current:
        lengths.append(current)
    return lengths


def p1_domain_split(frame: pd.DataFrame) -> PatternResult:
    """P1, domain split. Security: Russia has the highest security engagement in at least 95% of
    quarters (SIPRI: Russia delivered 0.7-1.0 of Kazakhstan's major arms in most years; CST/CSTO
    throughout). Economy: China's yearly economic dependence passes Russia's between 2010 and 2024
    and never before 2008 (COW mirror data put the crossover about 2013; Kazakh customs data in
    2023); the West (EU-27 + USA) is the largest economic partner in at least 75% of years
    1999-2014 (COW: the EU alone 0.31-0.38 of trade in 2010-14)."""
    run = _quarters(frame)
    security = run[[f"engagement_{g}_security" for g in POWERS]].to_numpy()
    russia_leads = float(np.mean(security.argmax(axis=1) == 0))
    yearly = _yearly(frame, [f"dependence_{g}_economy" for g in POWERS])
    ahead = yearly["dependence_CHN_economy"] > yearly["dependence_RUS_economy"]
    crossover = int(ahead[ahead].index.min()) if ahead.any() else None
    early = bool(ahead[ahead.index < 2008].any())
    window = yearly.loc[1999:2014]
    west_first = float(np.mean(window.to_numpy().argmax(axis=1) == 2)) if len(window) else 0.0
    passed = (russia_leads >= 0.95 and crossover is not None and 2010 <= crossover <= 2024 and not early
              and west_first >= 0.75)
    return PatternResult("P1", PATTERN_NAMES["P1"], passed, russia_leads,
                         f"Russia leads security in {russia_leads:.0%} of quarters; China passes Russia in the "
                         f"economy in {crossover or 'no year'}{' (before 2008 at some point)' if early else ''}; "
                         f"the West is the largest trade partner in {west_first:.0%} of 1999-2014")


def p2_no_clientage(frame: pd.DataFrame) -> PatternResult:
    """P2, no client status with any power 1991-2024 and no exit from Russia-led bodies despite
    the 2014 exit rhetoric (Tengrinews 2014): the highest client index stays below 0.75 and S never
    leaves a body Russia leads."""
    run = _quarters(frame)
    highest = float(run[[f"client_index_{g}" for g in POWERS]].to_numpy().max())
    exits = int(frame["exits_RUS"].iloc[-1])
    return PatternResult("P2", PATTERN_NAMES["P2"], highest < 0.75 and exits == 0, highest,
                         f"highest client index {highest:.2f}; Russia-led bodies left: {exits}")


def p3_assertion_without_rupture(frame: pd.DataFrame) -> PatternResult:
    """P3, assertion without rupture after 2014 and 2022 (UNGA abstentions 2014, 2022, 2023; the
    refusal to recognise the Donbas entities, SPIEF June 2022): from 2014Q1 Russia's satisfaction
    is below its pressure threshold for at most 4 quarters running, and S refuses at least half of
    Russia's high-cost demands (when it makes any)."""
    run = _quarters(frame, "2014Q1")
    below = (run["satisfaction_margin_RUS"] < 0).to_numpy()
    longest = max(_spells(below), default=0)
    asked = int(run["high_cost_demands_RUS"].sum())
    refused = (asked - int(run["high_cost_met_RUS"].sum())) / asked if asked else 1.0
    return PatternResult("P3", PATTERN_NAMES["P3"], longest <= 4 and refused >= 0.5, float(longest),
                         f"longest dip of Russia's satisfaction below its threshold since 2014: {longest} quarters; "
                         f"high-cost Russian demands refused: {refused:.0%} of {asked}")


def p4_short_economic_pressure(frame: pd.DataFrame) -> PatternResult:
    """P4, Russian pressure happens, and is economic, deniable and short (theory.md §4.1a: the CPC
    halts of 2022 above all); no military coercion 1991-2024. No coercion event by any power;
    Russian pressure occurs, in 2022 among other times, every quarter of it in the economy, each
    spell at most 2 quarters. Zero pressure does not satisfy P4."""
    run = _quarters(frame)
    coercion = int(sum(frame[f"coercion_{g}"].iloc[-1] for g in POWERS))
    pressed = (run["pressure_RUS"] > 0).to_numpy()
    spells = _spells(pressed)
    in_2022 = bool((run.loc[run["year"] == 2022, "pressure_RUS"] > 0).any())
    economic = bool((run.loc[run["pressure_RUS"] > 0, "pressure_domain_RUS"] == ECONOMY).all())
    passed = bool(coercion == 0 and pressed.any() and in_2022 and max(spells, default=0) <= 2 and economic)
    return PatternResult("P4", PATTERN_NAMES["P4"], passed, float(pressed.sum()),
                         f"coercion events {coercion}; Russian pressure in {int(pressed.sum())} quarters, "
                         f"spells {spells or 'none'}, {'in' if in_2022 else 'not in'} 2022, "
                         f"{'all' if economic else 'not all'} economic")


def p5_diversification_after_pressure(frame: pd.DataFrame) -> PatternResult:
    """P5, diversification after pressure (the China pipeline 2005-06; the Trans-Caspian route's
    growth after 2022, Astana Times 2023): Russia's share of export routes is still 0.7-0.9 in 2022,
    and every quarter of economic pressure is followed within 8 quarters by more substitute routes."""
    run = _quarters(frame).reset_index(drop=True)
    share_2022 = float(run.loc[run["year"] == 2022, "route_dependence_RUS"].mean())
    economic = np.zeros(len(run), dtype=bool)
    for g in POWERS:
        economic |= ((run[f"pressure_{g}"] > 0) & (run[f"pressure_domain_{g}"] == ECONOMY)).to_numpy()
    routes = run["alternative_routes"].to_numpy()
    followed = all(routes[min(i + 8, len(routes) - 1)] > routes[max(i - 1, 0)] for i in np.nonzero(economic)[0])
    passed = 0.7 <= share_2022 <= 0.9 and followed
    return PatternResult("P5", PATTERN_NAMES["P5"], passed, share_2022,
                         f"Russia's export-route share in 2022 {share_2022:.2f}; economic pressure in "
                         f"{int(economic.sum())} quarters, {'each' if followed else 'not each'} followed by new routes")


def p6_voting_alignment(frame: pd.DataFrame) -> PatternResult:
    """P6, alignment in international bodies closest to China, furthest from the US, and no
    explicit support for Russia's wars (Yuneman 2023, UNGA votes 2007-2022): mean institutional
    engagement 2007-2022 ranks China > Russia > West, and S meets at most half of Russia's
    high-cost war-time demands from 2022."""
    run = _quarters(frame, "2007Q1", "2022Q4")
    means = [float(run[f"engagement_{g}_institutions"].mean()) for g in POWERS]
    war = _quarters(frame, "2022Q1")
    asked = int(war["high_cost_demands_RUS"].sum())
    met = int(war["high_cost_met_RUS"].sum()) / asked if asked else 0.0
    passed = means[1] > means[0] > means[2] and met <= 0.5
    return PatternResult("P6", PATTERN_NAMES["P6"], passed, means[1] - means[0],
                         f"institutional engagement 2007-22: RUS {means[0]:.2f}, CHN {means[1]:.2f}, WEST {means[2]:.2f}; "
                         f"Russian high-cost demands met since 2022: {met:.0%} of {asked}")


def p7_institutional_breadth(frame: pd.DataFrame) -> PatternResult:
    """P7, institutional breadth (CSTO, SCO, EAEU, OSCE, C5+1...; BRICS declined, Astana Times
    2024): S leaves no body, and every power's mean enmeshment in 2005-2024 exceeds 0.1."""
    run = _quarters(frame, "2005Q1")
    exits = int(sum(frame[f"exits_{g}"].iloc[-1] for g in POWERS))
    lowest = float(min(run[f"enmeshment_{g}"].mean() for g in POWERS))
    return PatternResult("P7", PATTERN_NAMES["P7"], exits == 0 and lowest > 0.1, lowest,
                         f"bodies left {exits}; lowest mean enmeshment 2005-24 {lowest:.2f} "
                         f"(memberships at the end: {int(frame['memberships'].iloc[-1])})")


def p8_domestic_limits_on_china(frame: pd.DataFrame) -> PatternResult:
    """P8, domestic limits on economic ties with China (land protests 2016, bne IntelliNews; land
    law 2021, RFE/RL): China's economic engagement comes within 0.02 of the domestic cap after
    2016Q2, and its 2017-2024 mean is no more than 0.05 above its 2013-2016 peak (a plateau)."""
    after = _quarters(frame, "2016Q2")
    gap = float((after["engagement_CHN_economy"] - after["economic_cap_CHN"]).max())
    peak = float(_quarters(frame, "2013Q1", "2016Q1")["engagement_CHN_economy"].max())
    later = float(_quarters(frame, "2017Q1")["engagement_CHN_economy"].mean())
    passed = gap >= -0.02 and later <= peak + 0.05
    return PatternResult("P8", PATTERN_NAMES["P8"], passed, gap,
                         f"China's economic engagement at most {gap:+.2f} from the cap after 2016; "
                         f"2017-24 mean {later:.2f} against a 2013-16 peak of {peak:.2f}")


def p9_continuity(frame: pd.DataFrame) -> PatternResult:
    """P9, continuity across the 2019 transition, and the January 2022 reliance on the CSTO not
    becoming clientage (Trend 2024; SPIEF 2022): the mean hedging index changes by at most 0.1
    between 2016-18 and 2020-22; Russia's client index in 2023Q1 is within 0.05 of 2021Q4; no
    client status toward Russia in 2022-23."""
    before = float(_quarters(frame, "2016Q1", "2018Q4")["hedging_index"].mean())
    after = float(_quarters(frame, "2020Q1", "2022Q4")["hedging_index"].mean())
    at = frame.set_index("date")["client_index_RUS"]
    settled = bool(at.get("2023Q1", np.nan) <= at.get("2021Q4", np.nan) + 0.05)
    client = int(_quarters(frame, "2022Q1", "2023Q4")["client_status_RUS"].max())
    change = abs(after - before)
    passed = change <= 0.1 and settled and client == 0
    return PatternResult("P9", PATTERN_NAMES["P9"], passed, change,
                         f"hedging index {before:.2f} (2016-18) -> {after:.2f} (2020-22); client index to Russia "
                         f"{'back' if settled else 'not back'} to its 2021 level by 2023Q1; client status 2022-23: {client}")


def p10_west_not_a_patron(frame: pd.DataFrame) -> PatternResult:
    """P10, Western partners engaged but never security patrons (Nunn-Lugar, the 2018 strategic
    partnership, Afghan transit; Amerinews 2018, EADaily 2018): the West's yearly mean security
    engagement lies in [0.05, 0.25] in at least 90% of years 1995-2024, and never leads security."""
    yearly = _yearly(frame, ["engagement_WEST_security"]).loc[1995:2024, "engagement_WEST_security"]
    inside = float(((yearly >= 0.05) & (yearly <= 0.25)).mean())
    run = _quarters(frame)
    leads = int((run[[f"engagement_{g}_security" for g in POWERS]].to_numpy().argmax(axis=1) == 2).sum())
    return PatternResult("P10", PATTERN_NAMES["P10"], inside >= 0.9 and leads == 0, inside,
                         f"West's security engagement in [0.05, 0.25] in {inside:.0%} of years 1995-2024; "
                         f"quarters leading security: {leads}")


PATTERNS: tuple[Callable[[pd.DataFrame], PatternResult], ...] = (
    p1_domain_split, p2_no_clientage, p3_assertion_without_rupture, p4_short_economic_pressure,
    p5_diversification_after_pressure, p6_voting_alignment, p7_institutional_breadth, p8_domestic_limits_on_china,
    p9_continuity, p10_west_not_a_patron,
)
PATTERN_IDS = tuple(f"P{i}" for i in range(1, len(PATTERNS) + 1))


def evaluate(frame: pd.DataFrame) -> list[PatternResult]:
    """Every pattern's result for one run."""
    missing = [g for g in POWERS if f"engagement_{g}_security" not in frame]
    if missing:
        raise ValueError(f"patterns need the powers {', '.join(POWERS)}; this run lacks {', '.join(missing)}")
    return [pattern(frame) for pattern in PATTERNS]


def as_columns(results: list[PatternResult]) -> dict[str, float]:
    """Flat run-level columns: ``P1`` (1.0 pass, 0.0 fail), ``P1_figure``, ..., ``patterns_passed``."""
    out: dict[str, float] = {}
    for result in results:
        out[result.id] = float(result.passed)
        out[f"{result.id}_figure"] = float(result.figure)
    out["patterns_passed"] = float(sum(r.passed for r in results))
    return out
