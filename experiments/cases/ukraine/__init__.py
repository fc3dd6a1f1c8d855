"""Ukraine, 1992-2024: its stylised facts, written on 2026-12-03 before any calibration of the
case, each with its source and its operational test (seeds/cases/ukraine.md).

Ukraine was multivector under Kravchuk and Kuchma, balanced against Russia under Yushchenko
(2005-10), tilted to Russia under Yanukovych (2010-13) and balanced again from 2014. The facts:
short Russian gas pressure under Yushchenko and less of it under Yanukovych, Russian coercion
from 2014, never Russia's client, the West first in security after 2014, leaving Russia-led
bodies, and help (not abandonment) in 2022. Event facts pass only where their event happened.
"""

from __future__ import annotations

from multivector.experiments.cases import CasePack
from multivector.experiments.cases.fact_kit import count_rises, flags, rise, share_of_window, short_pressure
from multivector.experiments.cases.facts import Fact, FactResult, Runs, event_fact, state_fact


def u1_gas_pressure(runs: Runs) -> FactResult:
    """Russia cuts gas to Ukraine under Yushchenko (1-4 January 2006; 1-20 January 2009), for days
    or weeks: Russian economic pressure in at least one quarter of 2005Q1-2009Q4, no spell longer
    than 2 quarters."""
    return short_pressure(runs, "RUS", "2005Q1", "2009Q4", longest=2, economic=True, figure="quarters")


def u2_russian_coercion(runs: Runs) -> FactResult:
    """Russia uses force against Ukraine from 2014 (Crimea, Donbas, the 2022 invasion): at least
    one Russian coercion event in 2014Q1-2022Q4."""
    return count_rises(runs, "coercion_RUS", "2014Q1", "2022Q4")


def u3_less_pressure_under_the_tilt(runs: Runs) -> FactResult:
    """While Yanukovych accommodated Russia (Kharkiv Pact, non-bloc law), Russia's economic
    pressure paused until the EU association talks of summer 2013: the share of quarters with
    Russian pressure in 2010Q2-2013Q2 is below its share in 2005Q1-2009Q4, where pressure
    happened."""
    pressed = flags(runs, "pressure_RUS")
    before = share_of_window(runs, pressed, "2005Q1", "2009Q4")
    tilt = share_of_window(runs, pressed, "2010Q2", "2013Q2")
    return event_fact(before > 0, tilt < before, tilt - before)


def u4_never_russias_client(runs: Runs) -> FactResult:
    """Ukraine is never Russia's client, even under Yanukovych: no quarter of client status
    toward Russia, 1992-2024."""
    share = share_of_window(runs, runs["client_status_RUS"] > 0)
    return state_fact(share == 0, share)


def u5_west_leads_security(runs: Runs) -> FactResult:
    """After 2014 the West, not Russia, is Ukraine's security partner (training, arms, the end
    of non-alignment): the West's security engagement exceeds Russia's in at least 80% of
    quarters 2015Q1-2024Q4."""
    ahead = runs["engagement_WEST_security"] > runs["engagement_RUS_security"]
    share = share_of_window(runs, ahead, "2015Q1", "2024Q4")
    return state_fact(share >= 0.8, share)


def u6_leaves_russian_bodies(runs: Runs) -> FactResult:
    """After 2014 Ukraine leaves Russia-led bodies (it recalled its representatives from the CIS
    bodies in May 2018): at least one exit from a Russia-led body in 2014Q1-2019Q4."""
    return count_rises(runs, "exits_RUS", "2014Q1", "2019Q4")


def u7_helped_in_2022(runs: Runs) -> FactResult:
    """Invaded in 2022, Ukraine asked for help and got it, short of troops (arms, money,
    intelligence, EU candidacy): S's crisis request in 2022Q1 ends without abandonment."""
    asked = rise(runs, "crisis_requests", "2022Q1", "2022Q1") > 0
    abandoned = rise(runs, "abandonment_events", "2022Q1", "2022Q1")
    return event_fact(asked, abandoned == 0, abandoned)


FACTS = (
    Fact("U1", "gas pressure under Yushchenko", "Gazprom cut gas to Ukraine on 1 January 2006 (for three days) and "
         "1 January 2009 (for about three weeks) as Yushchenko sought NATO membership.",
         "Russian pressure in the economy in at least one quarter of 2005Q1-2009Q4; no spell longer than 2 quarters.",
         "quarters of Russian pressure 2005-09", "BBC, 1 Jan 2006; UPI and AP, 1 Jan 2009; Energy Voice, Jan 2009",
         u1_gas_pressure),
    Fact("U2", "Russian coercion from 2014", "Russia annexed Crimea (March 2014), backed the Donbas war and invaded in "
         "February 2022.", "At least one Russian coercion event in 2014Q1-2022Q4.", "Russian coercion events 2014-22",
         "USA Today and RFE/RL, 18 Mar 2014; VOA, 23 Dec 2014; eu-ua.kmu.gov.ua", u2_russian_coercion),
    Fact("U3", "less pressure under the tilt", "Under Yanukovych's Kharkiv Pact and non-bloc law Russia's trade war "
         "waited until the EU association talks of July-August 2013.",
         "Share of quarters with Russian pressure in 2010Q2-2013Q2 below its share in 2005Q1-2009Q4, where pressure happened.",
         "change in the share of pressured quarters", "'Kharkiv Pact' (Wikipedia); DW, 21 Aug 2013; Wikisum, "
         "'Russian embargo of Ukrainian goods'", u3_less_pressure_under_the_tilt),
    Fact("U4", "never Russia's client", "Even Yanukovych kept the EU association talks going until November 2013 and "
         "never joined the Customs Union.", "No quarter of client status toward Russia, 1992-2024.",
         "share of quarters as Russia's client", "luaediciones 2015; NahNews, Nov 2013", u4_never_russias_client),
    Fact("U5", "the West leads in security after 2014", "Ukraine dropped non-alignment in December 2014 to seek NATO "
         "membership; the West trained and armed its forces.",
         "West's security engagement above Russia's in at least 80% of quarters 2015Q1-2024Q4.",
         "share of quarters with the West ahead", "VOA, 23 Dec 2014; UPI, 29 Dec 2014; Valtioneuvosto, 24 Jun 2022",
         u5_west_leads_security),
    Fact("U6", "leaves Russia-led bodies", "Ukraine recalled its representatives from all CIS bodies in May 2018.",
         "At least one exit from a Russia-led body in 2014Q1-2019Q4.", "exits from Russia-led bodies 2014-19",
         "TASS, 2 and 19 May 2018; RT, Apr 2018", u6_leaves_russian_bodies),
    Fact("U7", "helped in 2022", "After the 2022 invasion the West gave arms, money and candidacy, not troops.",
         "S's crisis request in 2022Q1 ends without abandonment.", "abandonments in 2022Q1",
         "Valtioneuvosto, 24 Jun 2022; Ukrainian News, June 2022", u7_helped_in_2022),
)

PACK = CasePack(scenario="ukraine", facts=FACTS, notes="seeds/cases/ukraine.md")
