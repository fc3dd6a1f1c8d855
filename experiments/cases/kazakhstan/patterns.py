"""Kazakhstan's stylised facts P1-P10 (``../shared/theory.md`` §4.1; seeds/patterns.md) as
:class:`~experiments.cases.facts.Fact` tests over a whole ensemble at once.

Each test takes a :class:`~experiments.cases.facts.Runs` ((R, T) arrays of the data contract's
columns over the quarters after the initial state, powers RUS, CHN and WEST) and returns one
verdict, one figure and one ``occurred`` flag per run. Nothing here is fitted: the thresholds are
the facts' own (for example "China passes Russia between 2010 and 2024").

Every clause about an event requires the event to happen where history says it happened
(theory.md §4.1, §4.1a): Russian pressure (P4, P5), Russia's high-cost demands (P3 from 2014, P6
from 2022) and Russia's answer to the January 2022 CSTO request (P9). A run where the event does
not happen fails the fact, and ``occurred`` says so. The clause "no exit from Russia-led bodies"
(P2, P7) is dropped: the model's exit rule needs S's believed hostility of a power above 0.6
(``measures.exit_option_threshold``), and it peaks at about 0.25, so no run of the calibration
prior ever exits (issue 16) and the clause could never fail.
"""

from __future__ import annotations

import numpy as np

from multivector.experiments.cases.fact_kit import share_of_window
from multivector.experiments.cases.facts import Fact, FactResult, Runs, longest_spell

POWERS = ("RUS", "CHN", "WEST")
ECONOMY = 1  # pressure_domain code of the economy (0 security, 1 economy, 2 institutions; -1 no pressure)


# ----- helpers over (R, T) arrays ------------------------------------------------------------------

def _mean(runs: Runs, name: str, first: str | None = None, last: str | None = None) -> np.ndarray:
    """(R,) the column's mean over the window's valid quarters (NaN where a run has none)."""
    cells = runs.valid & runs.window(first, last)[None, :]
    count = cells.sum(axis=1)
    total = np.where(cells, runs[name], 0.0).sum(axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _extreme(runs: Runs, values: np.ndarray, first: str | None, last: str | None, how) -> np.ndarray:
    cells = runs.valid & runs.window(first, last)[None, :]
    fill = -np.inf if how is np.max else np.inf
    out = how(np.where(cells, values, fill), axis=1)
    return np.where(cells.any(axis=1), out, np.nan)


def _final(runs: Runs, name: str) -> np.ndarray:
    """(R,) the column's value in each run's last recorded quarter."""
    last = runs.valid.shape[1] - 1 - np.argmax(runs.valid[:, ::-1], axis=1)
    return runs[name][np.arange(runs.count), last]


def _security_leader(runs: Runs) -> np.ndarray:
    """(R, T) index (in POWERS) of the power with the highest security engagement (ties: first)."""
    return np.stack([runs[f"engagement_{g}_security"] for g in POWERS], axis=-1).argmax(axis=-1)


def _always(runs: Runs) -> np.ndarray:
    return np.ones(runs.count, dtype=bool)


# ----- the facts ----------------------------------------------------------------------------------

def p1_domain_split(runs: Runs) -> FactResult:
    """Security: Russia has the highest security engagement in at least 95% of quarters (SIPRI:
    Russia delivered 0.7-1.0 of Kazakhstan's major arms in most years; CST/CSTO throughout).
    Economy: China's yearly economic dependence passes Russia's between 2010 and 2024 and never
    before 2008 (COW mirror data put the crossover about 2013; Kazakh customs data in 2023); the
    West (EU-27 + USA) is the largest economic partner in at least 75% of years 1999-2014 (COW:
    the EU alone 0.31-0.38 of trade in 2010-14)."""
    russia_leads = share_of_window(runs, _security_leader(runs) == 0)
    years, dependence = zip(*(runs.yearly_mean(f"dependence_{g}_economy") for g in POWERS))
    years = years[0]
    ahead = dependence[1] > dependence[0]  # (R, Y) China above Russia
    crossover = np.where(ahead.any(axis=1), years[np.argmax(ahead, axis=1)], -1)
    early = (ahead & (years < 2008)[None, :]).any(axis=1)
    window = (years >= 1999) & (years <= 2014)
    first = np.stack(dependence, axis=-1).argmax(axis=-1) == 2
    west_first = first[:, window].mean(axis=1) if window.any() else np.zeros(runs.count)
    passed = (russia_leads >= 0.95) & (crossover >= 2010) & (crossover <= 2024) & ~early & (west_first >= 0.75)
    return FactResult(passed, russia_leads, _always(runs))


def p2_no_clientage(runs: Runs) -> FactResult:
    """No client status with any power 1991-2024 (Tengrinews 2014): the highest client index stays
    below 0.75. (The clause "no exit from Russia-led bodies" is dropped: exits cannot happen in
    the model; see the module's docstring.)"""
    highest = _extreme(runs, np.maximum.reduce([runs[f"client_index_{g}"] for g in POWERS]), None, None, np.max)
    return FactResult(highest < 0.75, highest, _always(runs))


def p3_assertion_without_rupture(runs: Runs) -> FactResult:
    """Assertion without rupture after 2014 and 2022 (UNGA abstentions 2014, 2022, 2023; the
    refusal to recognise the Donbas entities, SPIEF June 2022): from 2014Q1 Russia's satisfaction
    is below its pressure threshold for at most 4 quarters running, and S refuses at least half of
    Russia's high-cost demands. The demands must happen: Russia asked for recognition of the
    Donbas entities and for support in the UN (§4.1a), so a run where Russia makes no high-cost
    demand from 2014 fails."""
    since = runs.valid & runs.window("2014Q1")[None, :]
    longest = longest_spell(since & (runs["satisfaction_margin_RUS"] < 0))
    asked = np.where(since, runs["high_cost_demands_RUS"], 0).sum(axis=1)
    met = np.where(since, runs["high_cost_met_RUS"], 0).sum(axis=1)
    occurred = asked > 0
    refused = np.where(occurred, (asked - met) / np.maximum(asked, 1), 0.0)
    return FactResult(occurred & (longest <= 4) & (refused >= 0.5), longest.astype(float), occurred)


def p4_short_economic_pressure(runs: Runs) -> FactResult:
    """Russian pressure happens, and is economic, deniable and short (theory.md §4.1a: ten episodes
    1993-2024, none military; the CPC halts of 2022 above all, the July 2022 terminal halt reversed
    within days): Russia presses S at least once and at least once in 2022, every spell of Russian
    pressure lasts at most 2 quarters, all of it is economic (trade, transit and routes are the
    model's economic domain), and no power ever coerces S militarily. Zero pressure does not
    satisfy P4."""
    coercion = sum(_final(runs, f"coercion_{g}") for g in POWERS)
    pressed = runs.valid & (runs["pressure_RUS"] > 0)
    occurred = pressed.any(axis=1)
    in_2022 = (pressed & runs.window("2022Q1", "2022Q4")[None, :]).any(axis=1)
    economic = ~(pressed & (runs["pressure_domain_RUS"] != ECONOMY)).any(axis=1)
    passed = occurred & in_2022 & (longest_spell(pressed) <= 2) & economic & (coercion == 0)
    return FactResult(passed, pressed.sum(axis=1).astype(float), occurred)


def p5_diversification_after_pressure(runs: Runs) -> FactResult:
    """Diversification after pressure (the China pipeline 2005-06; the Trans-Caspian route's
    growth after 2022, Astana Times 2023): Russian economic pressure happens (theory.md §4.1a),
    every quarter of it is followed within 8 quarters by more substitute routes than the quarter
    before it, and Russia's share of export routes is still 0.7-0.9 in 2022. A run without Russian
    economic pressure fails: diversification must follow pressure that occurred."""
    share_2022 = _mean(runs, "route_dependence_RUS", "2022Q1", "2022Q4")
    economic = runs.valid & (runs["pressure_RUS"] > 0) & (runs["pressure_domain_RUS"] == ECONOMY)
    occurred = economic.any(axis=1)
    routes = runs["alternative_routes"]
    T = routes.shape[1]
    later = routes[:, np.minimum(np.arange(T) + 8, T - 1)]
    before = routes[:, np.maximum(np.arange(T) - 1, 0)]
    followed = ~(economic & ~(later > before)).any(axis=1)
    passed = occurred & followed & (share_2022 >= 0.7) & (share_2022 <= 0.9)
    return FactResult(passed, share_2022, occurred)


def p6_voting_alignment(runs: Runs) -> FactResult:
    """Alignment in international bodies closest to China, furthest from the US, and no explicit
    support for Russia's wars (Yuneman 2023, UNGA votes 2007-2022): mean institutional engagement
    2007-2022 ranks China > Russia > West, and Russia makes high-cost demands from 2022 (it asked
    for support in the UN votes on Ukraine, which S refused) of which S meets at most half. A run
    where Russia asks for nothing costly from 2022 fails."""
    means = [_mean(runs, f"engagement_{g}_institutions", "2007Q1", "2022Q4") for g in POWERS]
    war = runs.valid & runs.window("2022Q1")[None, :]
    asked = np.where(war, runs["high_cost_demands_RUS"], 0).sum(axis=1)
    met = np.where(war, runs["high_cost_met_RUS"], 0).sum(axis=1)
    occurred = asked > 0
    share_met = np.where(occurred, met / np.maximum(asked, 1), 1.0)
    passed = (means[1] > means[0]) & (means[0] > means[2]) & occurred & (share_met <= 0.5)
    return FactResult(passed, means[1] - means[0], occurred)


def p7_institutional_breadth(runs: Runs) -> FactResult:
    """Institutional breadth (CSTO, SCO, EAEU, OSCE, C5+1...; BRICS declined, Astana Times 2024):
    every power's mean enmeshment in 2005-2024 exceeds 0.1. (The clause "S leaves no body" is
    dropped: exits cannot happen in the model; see the module's docstring.)"""
    lowest = np.minimum.reduce([_mean(runs, f"enmeshment_{g}", "2005Q1") for g in POWERS])
    return FactResult(lowest > 0.1, lowest, _always(runs))


def p8_domestic_limits_on_china(runs: Runs) -> FactResult:
    """Domestic limits on economic ties with China (land protests 2016, bne IntelliNews; land law
    2021, RFE/RL): China's economic engagement comes within 0.02 of the domestic cap after 2016Q2,
    and its 2017-2024 mean is no more than 0.05 above its 2013-2016 peak (a plateau)."""
    gap = _extreme(runs, runs["engagement_CHN_economy"] - runs["economic_cap_CHN"], "2016Q2", None, np.max)
    peak = _extreme(runs, runs["engagement_CHN_economy"], "2013Q1", "2016Q1", np.max)
    later = _mean(runs, "engagement_CHN_economy", "2017Q1")
    return FactResult((gap >= -0.02) & (later <= peak + 0.05), gap, _always(runs))


def p9_continuity(runs: Runs) -> FactResult:
    """Continuity across the 2019 transition, and the January 2022 reliance on the CSTO showing
    without becoming clientage (Trend 2024: CSTO troops within days of the request, gone within
    weeks; Tokayev at SPIEF 2022): S asks for help in 2022Q1, is not abandoned, and its security
    dependence on Russia rises that quarter (the reliance shows: Russia answered); the mean hedging
    index changes by at most 0.1 between 2016-18 and 2020-22; Russia's client index in 2023Q1 is
    within 0.05 of 2021Q4; no client status toward Russia in 2022-23. A run where the request goes
    unanswered, or where help does not come from Russia, fails."""
    asked = runs.at("crisis_requests", "2022Q1") > runs.at("crisis_requests", "2021Q4")
    answered = runs.at("abandonment_events", "2022Q1") == runs.at("abandonment_events", "2021Q4")
    relied = runs.at("dependence_RUS_security", "2022Q1") > runs.at("dependence_RUS_security", "2021Q4")
    occurred = asked & answered & relied
    before = _mean(runs, "hedging_index", "2016Q1", "2018Q4")
    after = _mean(runs, "hedging_index", "2020Q1", "2022Q4")
    settled = runs.at("client_index_RUS", "2023Q1") <= runs.at("client_index_RUS", "2021Q4") + 0.05
    client = _extreme(runs, runs["client_status_RUS"], "2022Q1", "2023Q4", np.max)
    change = np.abs(after - before)
    return FactResult(occurred & (change <= 0.1) & settled & (client == 0), change, occurred)


def p10_west_not_a_patron(runs: Runs) -> FactResult:
    """Western partners engaged but never security patrons (Nunn-Lugar, the 2018 strategic
    partnership, Afghan transit; Amerinews 2018, EADaily 2018): the West's yearly mean security
    engagement lies in [0.05, 0.25] in at least 90% of years 1995-2024, and never leads security."""
    years, yearly = runs.yearly_mean("engagement_WEST_security")
    window = (years >= 1995) & (years <= 2024)
    inside = ((yearly >= 0.05) & (yearly <= 0.25))[:, window].mean(axis=1) if window.any() else np.zeros(runs.count)
    leads = (runs.valid & (_security_leader(runs) == 2)).sum(axis=1)
    return FactResult((inside >= 0.9) & (leads == 0), inside, _always(runs))


def _fact(id: str, name: str, test, statement: str, test_text: str, figure_label: str, source: str) -> Fact:
    return Fact(id, name, statement, test_text, figure_label, source, test)


FACTS: tuple[Fact, ...] = (
    _fact("P1", "domain split", p1_domain_split,
          "Security stays with Russia; the economy shifts toward China; the West the largest trade partner from 1999.",
          "Russia leads security engagement in >= 95% of quarters; China's yearly economic dependence passes "
          "Russia's in 2010-2024, never before 2008; the West largest in >= 75% of years 1999-2014.",
          "share of quarters Russia leads security", "SIPRI arms transfers; COW trade; IntelliNews 2023; Trend 2024"),
    _fact("P2", "no clientage", p2_no_clientage,
          "No client status with any power 1991-2024.",
          "highest client index < 0.75 (the clause 'no exit from Russia-led bodies' dropped: exits cannot happen "
          "in the model)",
          "highest client index", "Tengrinews 2014"),
    _fact("P3", "assertion without rupture", p3_assertion_without_rupture,
          "After 2014 and 2022, abstentions and refused high-cost demands while ties continue.",
          "from 2014Q1 Russia makes high-cost demands, >= half refused; its satisfaction below its threshold at "
          "most 4 quarters running", "longest dip below Russia's threshold since 2014 (quarters)",
          "Tengrinews 2014; Masa Media 2022; India Today 2022"),
    _fact("P4", "short economic pressure", p4_short_economic_pressure,
          "Russian pressure happens, and is economic, deniable and short; no military coercion 1991-2024.",
          "Russian pressure at least once and in 2022; every spell <= 2 quarters; all economic; no coercion by "
          "any power (zero pressure fails)",
          "quarters of Russian pressure", "theory.md §4.1a (Cutler 2001; Moscow Times 2007, 2022; Astana Times 2022)"),
    _fact("P5", "diversification after pressure", p5_diversification_after_pressure,
          "Diversification of routes after pressure (China pipeline 2005-06; the Trans-Caspian route after 2022).",
          "Russian economic pressure happens; every quarter of it followed within 8 quarters by more substitute "
          "routes; Russia's route share 0.7-0.9 in 2022", "Russia's export-route share in 2022", "OGJ 2005; Astana Times 2023"),
    _fact("P6", "voting alignment", p6_voting_alignment,
          "Alignment in international bodies closest to China, furthest from the US; no support for Russia's wars.",
          "mean institutional engagement 2007-22 ranks CHN > RUS > WEST; Russia makes high-cost demands from "
          "2022, at most half met", "China's minus Russia's institutional engagement 2007-22", "Yuneman 2023"),
    _fact("P7", "institutional breadth", p7_institutional_breadth,
          "Member of the CSTO, SCO, EAEU, OSCE, C5+1...; declines BRICS.",
          "every power's mean enmeshment 2005-24 > 0.1 (the clause 'no body left' dropped: exits cannot happen "
          "in the model)", "lowest mean enmeshment 2005-24",
          "Astana Times 2024"),
    _fact("P8", "domestic limits on China", p8_domestic_limits_on_china,
          "Domestic limits on economic ties with China (2016 protests, 2021 land law).",
          "China's economic engagement within 0.02 of the cap after 2016Q2; its 2017-24 mean <= 2013-16 peak + 0.05",
          "largest gap of China's economic engagement to the cap after 2016Q2", "IntelliNews 2016; Diplomat 2021"),
    _fact("P9", "continuity across 2019", p9_continuity,
          "Continuity across the 2019 transition; the January 2022 reliance on the CSTO does not become clientage.",
          "the 2022Q1 request answered by Russia (no abandonment; security dependence on Russia rises); hedging "
          "index changes <= 0.1 between 2016-18 and 2020-22; Russia's client index in 2023Q1 within 0.05 of "
          "2021Q4; no client status to Russia 2022-23", "change of the mean hedging index",
          "Trend 2024; Tokayev at SPIEF 2022"),
    _fact("P10", "the West engaged, never a security patron", p10_west_not_a_patron,
          "Western partners engaged but never security patrons (CTR, ESP 2018, Afghan transit).",
          "the West's yearly security engagement in [0.05, 0.25] in >= 90% of years 1995-2024; never the leader",
          "share of years in range", "Amerinews 2018; EADaily 2018"),
)
FACT_IDS = tuple(f.id for f in FACTS)
