"""Uzbekistan, 1992-2024: its stylised facts, written on 2026-12-03 before any calibration of the
case, each with its source and its operational test (seeds/cases/uzbekistan.md).

Uzbekistan oscillated: a hedger in the 1990s, against Russia from 1999 (GUUAM, the US base at K2),
with Russia after Andijan (2005), a hedger again from 2008 and under Mirziyoyev's opening from
2016. The facts: the West's security foothold rises and falls with K2, Western pressure after
Andijan, exits from Russia-led bodies in both swings, never a client, no Russian coercion, China
first in trade by the late 2010s, and the West's economic return after 2016. Event facts pass
only where their event happened.
"""

from __future__ import annotations

import numpy as np

from multivector.experiments.cases import CasePack
from multivector.experiments.cases.fact_kit import (change, event_in_window, is_client, leading_years, rise,
                                                    share_of_window, window_mean)
from multivector.experiments.cases.facts import Fact, FactResult, Runs, event_fact, state_fact

POWERS = ("RUS", "CHN", "WEST")


def z1_k2_rise_and_fall(runs: Runs) -> FactResult:
    """The West's security foothold rises and falls with the K2 base (October 2001 - November
    2005): the West's mean security engagement in 2002Q1-2005Q1 exceeds both its 1996Q1-2000Q4
    mean and its 2006Q1-2008Q4 mean by at least 0.05."""
    before = window_mean(runs, "engagement_WEST_security", "1996Q1", "2000Q4")
    k2 = window_mean(runs, "engagement_WEST_security", "2002Q1", "2005Q1")
    after = window_mean(runs, "engagement_WEST_security", "2006Q1", "2008Q4")
    margin = np.minimum(k2 - before, k2 - after)
    return state_fact(margin >= 0.05, margin)


def z2_western_pressure_after_andijan(runs: Runs) -> FactResult:
    """After Andijan (May 2005) the West presses Uzbekistan: the EU's arms embargo and visa bans
    (November 2005, extended in 2006) and aid cuts. At least one quarter of Western pressure in
    2005Q2-2007Q4."""
    return event_in_window(runs, "pressure_WEST", "2005Q2", "2007Q4")


def z3_exits_in_both_swings(runs: Runs) -> FactResult:
    """Uzbekistan leaves Russia-led bodies in both swings away from Moscow: the Collective
    Security Treaty (April 1999), then EurAsEC (2008) and the CSTO (June 2012). An exit from a
    Russia-led body in 1999Q1-2000Q4 and another in 2008Q3-2013Q4."""
    first = rise(runs, "exits_RUS", "1999Q1", "2000Q4")
    second = rise(runs, "exits_RUS", "2008Q3", "2013Q4")
    return event_fact((first > 0) | (second > 0), (first > 0) & (second > 0), first + second)


def z4_never_a_client(runs: Runs) -> FactResult:
    """Uzbekistan is no power's client, not even in the 2005-08 alliance with Russia (it gave
    Russia no base and sent no troops to the CSTO's forces): no quarter of client status toward
    any power, 1992-2024."""
    share = share_of_window(runs, is_client(runs, POWERS))
    return state_fact(share == 0, share)


def z5_no_russian_coercion(runs: Runs) -> FactResult:
    """Russia never coerces Uzbekistan militarily, whatever its swings (1992-2024): no Russian
    coercion event."""
    count = rise(runs, "coercion_RUS")
    return state_fact(count == 0, count)


def z6_china_first_in_trade(runs: Runs) -> FactResult:
    """China becomes Uzbekistan's main trade partner by 2019 (ahead of Russia in 2019, 2020 and
    2023), having been a minor one in the 1990s: China's yearly economic dependence is the highest
    of the three in at least one year of 2017-2024 and in no year before 2008."""
    years, first = leading_years(runs, "dependence_CHN_economy", ("dependence_RUS_economy", "dependence_WEST_economy"))
    late = first[:, (years >= 2017) & (years <= 2024)].any(axis=1)
    early = first[:, years < 2008].any(axis=1)
    return state_fact(late & ~early, late.astype(float) - early.astype(float))


def z7_west_returns_after_2016(runs: Runs) -> FactResult:
    """Mirziyoyev's opening (currency convertibility, investors invited) brings the West back
    into the economy: mean Western economic engagement 2018Q1-2024Q4 exceeds its 2012Q1-2016Q3
    mean."""
    shift = change(runs, "engagement_WEST_economy", ("2012Q1", "2016Q3"), ("2018Q1", "2024Q4"))
    return state_fact(shift > 0, shift)


FACTS = (
    Fact("Z1", "the K2 rise and fall", "The US used the K2 base from October 2001 with up to 1,500 troops until "
         "Uzbekistan evicted it in July 2005.",
         "West's mean security engagement 2002Q1-2005Q1 at least 0.05 above both its 1996-2000 and its 2006-08 mean.",
         "smaller of the two margins", "CRS RS22295, 7 Oct 2005; Washington Post, 27 Aug 2005", z1_k2_rise_and_fall),
    Fact("Z2", "Western pressure after Andijan", "The EU imposed an arms embargo and visa bans in November 2005 and "
         "extended them in 2006.", "At least one quarter of Western pressure in 2005Q2-2007Q4.",
         "quarters of Western pressure 2005-07", "RFE/RL and EUobserver, 14 Nov 2005; RIA Novosti, 13 Nov 2006",
         z2_western_pressure_after_andijan),
    Fact("Z3", "exits in both swings", "Uzbekistan left the CST in 1999, returned in 2006, suspended EurAsEC in 2008 "
         "and the CSTO in 2012.", "An exit from a Russia-led body in 1999Q1-2000Q4 and another in 2008Q3-2013Q4.",
         "exits from Russia-led bodies in the two windows",
         "Jamestown Monitor 5(79), 1999; RIA Novosti, 12 Nov 2008; RT and TASS, 28 Jun 2012", z3_exits_in_both_swings),
    Fact("Z4", "never a client", "Even allied with Russia (2005-08) Uzbekistan stayed out of the CSTO's military "
         "cooperation and hosted no Russian base.", "No quarter of client status toward any power, 1992-2024.",
         "share of quarters as a client", "TASS, 19 Dec 2012; IDSA, 27 Dec 2005", z4_never_a_client),
    Fact("Z5", "no Russian coercion", "Russia answered Uzbekistan's exits with words (the CSTO's warning of 'negative "
         "outcomes', 2012), not force.", "No Russian coercion event, 1992-2024.", "Russian coercion events",
         "RFE/RL, 2012 (Bordyuzha, 1 Aug 2012); Messenger, 14 Nov 2008", z5_no_russian_coercion),
    Fact("Z6", "China first in trade by the late 2010s", "China was Uzbekistan's main trade partner in 2019 ($7.6 bn "
         "against Russia's $6.6 bn), 2020 and 2023.",
         "China's yearly economic dependence the highest of the three in at least one year of 2017-2024 and none before 2008.",
         "1 if first late and never early, 0 or -1 otherwise",
         "SalamWeb/State Statistics Committee, 2020; News Front, 19 Jun 2020; Central Asian Light, 12 Feb 2024",
         z6_china_first_in_trade),
    Fact("Z7", "the West returns after 2016", "Mirziyoyev lifted currency controls and invited foreign investment.",
         "Mean Western economic engagement 2018Q1-2024Q4 above its 2012Q1-2016Q3 mean.",
         "change in Western economic engagement", "Jamestown EDM 15(6), 2018; AP via Dayton Daily News, 25 Oct 2021",
         z7_west_returns_after_2016),
)

PACK = CasePack(scenario="uzbekistan", facts=FACTS, notes="seeds/cases/uzbekistan.md")
