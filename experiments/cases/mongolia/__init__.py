"""Mongolia, 1992-2024: its stylised facts, written on 2026-12-03 before any calibration of the
case, each with its source and its operational test (seeds/cases/mongolia.md).

Mongolia hedged between Russia and China and courted "third neighbours" (the US, the EU, Japan).
The facts: no clientage with either neighbour, sustained ties with the third neighbours, China
first in trade, short Chinese economic pressure (2006, 2016) met by accommodation, Russia ahead
of China in security, and no military coercion. Event facts pass only where their event happened.
"""

from __future__ import annotations

from multivector.experiments.cases import CasePack
from multivector.experiments.cases.fact_kit import is_client, meets_demands, rise, share_of_window, short_pressure, yearly_lead
from multivector.experiments.cases.facts import Fact, FactResult, Runs, state_fact


def m1_no_clientage(runs: Runs) -> FactResult:
    """Mongolia is the client of neither neighbour (1992-2024): no quarter of client status
    toward Russia or China."""
    share = share_of_window(runs, is_client(runs, ("RUS", "CHN")))
    return state_fact(share == 0, share)


def m2_third_neighbour(runs: Runs) -> FactResult:
    """The third neighbours stay engaged (Khaan Quest from 2003, NATO partnership 2012, OSCE
    2012): the West's security engagement is at least 0.05 and its institutional engagement at
    least 0.1 in at least 90% of quarters 2004Q1-2024Q4."""
    engaged = (runs["engagement_WEST_security"] >= 0.05) & (runs["engagement_WEST_institutions"] >= 0.1)
    share = share_of_window(runs, engaged, "2004Q1", "2024Q4")
    return state_fact(share >= 0.9, share)


def m3_china_first_in_trade(runs: Runs) -> FactResult:
    """China has been Mongolia's largest trade partner since the early 2000s (more than 90% of
    exports by the 2010s): China's yearly economic dependence exceeds Russia's and the West's in
    at least 90% of years 2003-2024."""
    share = yearly_lead(runs, "dependence_CHN_economy", ("dependence_RUS_economy", "dependence_WEST_economy"), 2003, 2024)
    return state_fact(share >= 0.9, share)


def m4_short_chinese_pressure(runs: Runs) -> FactResult:
    """China presses Mongolia's economy after the Dalai Lama's visits (flights cancelled in 2006;
    border fees and frozen loan talks in November-December 2016), briefly: Chinese economic
    pressure in at least one quarter of 2004Q1-2024Q4, no spell longer than 2 quarters."""
    return short_pressure(runs, "CHN", "2004Q1", "2024Q4", longest=2, economic=True, figure="quarters")


def m5_no_coercion(runs: Runs) -> FactResult:
    """Neither neighbour coerces Mongolia militarily (1992-2024): no coercion event by Russia or China."""
    count = rise(runs, "coercion_RUS") + rise(runs, "coercion_CHN")
    return state_fact(count == 0, count)


def m6_russia_ahead_of_china_in_security(runs: Runs) -> FactResult:
    """Russia, not China, remains Mongolia's neighbour in security (the annual Selenga exercises;
    Soviet-made arms): Russia's security engagement exceeds China's in at least 90% of quarters."""
    ahead = runs["engagement_RUS_security"] > runs["engagement_CHN_security"]
    share = share_of_window(runs, ahead)
    return state_fact(share >= 0.9, share)


def m7_accommodates_china(runs: Runs) -> FactResult:
    """Pressed, Mongolia accommodates China on what China cares most about (in December 2016 the
    foreign minister promised no more Dalai Lama visits under this government): China makes at
    least one demand in 2004Q1-2024Q4 and S meets at least half of them."""
    return meets_demands(runs, "CHN", "2004Q1", "2024Q4", share=0.5)


FACTS = (
    Fact("M1", "client of neither neighbour", "Mongolia's 1994 concepts call for balanced relations with both "
         "neighbours and warn against dependence on one.", "No quarter of client status toward Russia or China, 1992-2024.",
         "share of quarters as a client", "Densmaa et al. 2021 (docslib.org); ckhq.net", m1_no_clientage),
    Fact("M2", "third neighbours engaged", "Khaan Quest with US forces every year since 2003, troops in Iraq and "
         "Afghanistan, NATO partnership (2012) and OSCE membership (2012).",
         "West's security engagement >= 0.05 and institutional engagement >= 0.1 in at least 90% of quarters 2004Q1-2024Q4.",
         "share of quarters with the third neighbours engaged",
         "Khaan Quest (Wikipedia mirror); NATO 2017; News.mn, 17 Nov 2011; The Diplomat, 18 Mar 2016", m2_third_neighbour),
    Fact("M3", "China first in trade", "China has been Mongolia's largest trade partner for over a decade (2014) and "
         "takes more than 90% of its exports.",
         "China's yearly economic dependence above Russia's and the West's in at least 90% of years 2003-2024.",
         "share of years with China first", "China Symposium, 23 Aug 2014; Reuters, 22 Jan 2014; Xinhua, 13 Apr 2020",
         m3_china_first_in_trade),
    Fact("M4", "short Chinese pressure", "China cancelled flights after the Dalai Lama's 2006 visit and imposed border "
         "fees and froze loan talks after his November 2016 visit, for weeks.",
         "Chinese pressure in the economy in at least one quarter of 2004Q1-2024Q4; no spell longer than 2 quarters.",
         "quarters of Chinese pressure", "Reuters, 18 Nov 2016; Shanghaiist via thesafiablog, 12 Dec 2016; AP, 21 Dec 2016",
         m4_short_chinese_pressure),
    Fact("M5", "no military coercion", "Neither Russia nor China has used or threatened force against Mongolia since "
         "1992.", "No coercion event by Russia or China, 1992-2024.", "coercion events",
         "general knowledge (unverified here); Radchenko 2012 (the Soviet withdrawal)", m5_no_coercion),
    Fact("M6", "Russia ahead in security", "Russia holds annual Selenga exercises with Mongolia and supplies its arms "
         "and fuel; China is no security partner.",
         "Russia's security engagement above China's in at least 90% of quarters 1992-2024.",
         "share of quarters with Russia ahead of China", "mongoliaeconomy.blogspot.com, Jul 2014; Jamestown EDM 9(214), 2012",
         m6_russia_ahead_of_china_in_security),
    Fact("M7", "accommodates China", "After China's 2016 pressure the foreign minister said the Dalai Lama would not "
         "be invited again during the government's term.",
         "At least one Chinese demand in 2004Q1-2024Q4, and S meets at least half of them.",
         "share of China's demands met", "AP via Townhall, 21 Dec 2016; SCMP, 22 Dec 2016", m7_accommodates_china),
)

PACK = CasePack(scenario="mongolia", facts=FACTS, notes="seeds/cases/mongolia.md")
