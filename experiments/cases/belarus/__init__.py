"""Belarus, 1992-2024: its stylised facts, written on 2026-12-03 before any calibration of the
case, each with its source and its operational test (seeds/cases/belarus.md).

Belarus bandwagoned with Russia from Lukashenko's election (1994). The facts are what history
records: clientage toward Russia, Russian economic pressure all the same (energy and milk),
never military coercion, Russia's help in the 2020 crisis, compliance with Russia's war-time
demands in 2022, Russia first in trade, and the West's retreat after 2020. Event facts pass only
in runs where their event happened.
"""

from __future__ import annotations

from multivector.experiments.cases import CasePack
from multivector.experiments.cases.fact_kit import change, meets_demands, rise, share_of_window, short_pressure, yearly_lead
from multivector.experiments.cases.facts import Fact, FactResult, Runs, event_fact, state_fact


def b1_russian_client(runs: Runs) -> FactResult:
    """Belarus becomes Russia's client (Union State 1999; Russia holds its gas network from 2011)
    and stays one: client status toward Russia reached by 2005Q4 and held in at least 75% of
    quarters 2005Q1-2024Q4."""
    status = runs["client_status_RUS"] > 0
    reached = (status & runs.window(None, "2005Q4")[None, :] & runs.valid).any(axis=1)
    share = share_of_window(runs, status, "2005Q1", "2024Q4")
    return event_fact(status.any(axis=1), reached & (share >= 0.75), share)


def b2_russian_economic_pressure(runs: Runs) -> FactResult:
    """Alignment does not spare Belarus Russian economic pressure, but it is short: the gas
    cut-offs of February 2004 and June 2010, the oil and gas disputes of 2007, the milk war of
    June 2009. Russian economic pressure in at least one quarter of 2004Q1-2010Q4; no spell
    longer than 2 quarters."""
    return short_pressure(runs, "RUS", "2004Q1", "2010Q4", longest=2, economic=True, figure="quarters")


def b3_no_russian_coercion(runs: Runs) -> FactResult:
    """Russia never coerces Belarus militarily (1992-2024): no Russian coercion event."""
    count = rise(runs, "coercion_RUS")
    return state_fact(count == 0, count)


def b4_helped_in_2020(runs: Runs) -> FactResult:
    """In the 2020 crisis Lukashenko asked Putin for help and got it (a police reserve, a $1.5 bn
    loan, joint exercises): S's crisis request in 2020Q3 is answered, no abandonment."""
    asked = rise(runs, "crisis_requests", "2020Q3", "2020Q3") > 0
    abandoned = rise(runs, "abandonment_events", "2020Q3", "2020Q3")
    return event_fact(asked, abandoned == 0, abandoned)


def b5_meets_war_demands(runs: Runs) -> FactResult:
    """Belarus gives Russia what it asks in its war: its territory for the invasion (February
    2022) and for Russian tactical nuclear weapons (2023). Russia makes at least one high-cost
    demand in 2022Q1-2024Q4, and S meets at least half of them."""
    return meets_demands(runs, "RUS", "2022Q1", "2024Q4", share=0.5, high_cost=True)


def b6_russia_first_in_trade(runs: Runs) -> FactResult:
    """Russia stays Belarus's largest trade partner ('almost half of all of Belarus' foreign
    trade', 2021): Russia's yearly economic dependence exceeds the West's and China's in at least
    90% of years 1995-2024."""
    share = yearly_lead(runs, "dependence_RUS_economy", ("dependence_WEST_economy", "dependence_CHN_economy"), 1995, 2024)
    return state_fact(share >= 0.9, share)


def b7_west_retreats_after_2020(runs: Runs) -> FactResult:
    """After the 2020 crackdown and the Ryanair affair (2021), the West's economic ties shrink:
    mean Western economic engagement in 2021Q3-2024Q4 is below its 2016Q1-2019Q4 mean (the years
    after the EU lifted its sanctions in 2016)."""
    shift = change(runs, "engagement_WEST_economy", ("2016Q1", "2019Q4"), ("2021Q3", "2024Q4"))
    return state_fact(shift < 0, shift)


FACTS = (
    Fact("B1", "Russia's client", "Belarus entered a Union State with Russia (1999), sold it its gas network "
         "(2007-11) and relies on it for energy and security.",
         "Client status toward Russia by 2005Q4, held in at least 75% of quarters 2005Q1-2024Q4.",
         "share of quarters 2005-24 as Russia's client",
         "BBC, 8 Dec 1999; Blitz Quotidiano/ANSA, 25 Nov 2011; Reuters factbox, 31 Dec 2019", b1_russian_client),
    Fact("B2", "Russian economic pressure all the same", "Russia cut gas in February 2004 and June 2010 and banned "
         "Belarusian dairy in June 2009; each episode lasted days or weeks.",
         "Russian pressure in the economy in at least one quarter of 2004Q1-2010Q4; no spell longer than 2 quarters.",
         "quarters of Russian pressure 2004-10",
         "RFE/RL, 18 Feb 2004; data.minsk.by (AP, Dow Jones), June 2010; 'Milk War' (Wikipedia, 6-17 June 2009)",
         b2_russian_economic_pressure),
    Fact("B3", "no Russian coercion", "Russia has never used or threatened force against Belarus.",
         "No Russian coercion event in 1992-2024.", "Russian coercion events",
         "Reuters factbox, 31 Dec 2019 (the disputes were over energy)", b3_no_russian_coercion),
    Fact("B4", "helped in 2020", "After the disputed August 2020 election Lukashenko asked Putin for help and "
         "received a $1.5 bn loan, security cooperation and joint exercises.",
         "S's crisis request in 2020Q3 ends without abandonment.", "abandonments in 2020Q3",
         "Reuters, 14 Sept 2020; Czech Points, 14 Sept 2020", b4_helped_in_2020),
    Fact("B5", "meets Russia's war demands", "Belarus let Russia invade Ukraine from its territory (2022) and station "
         "tactical nuclear weapons (2023).",
         "At least one high-cost Russian demand in 2022Q1-2024Q4, and S meets at least half of them.",
         "share of Russia's high-cost demands met, 2022-24",
         "Der Spiegel, 2023; AP via Observer BD, 26 May 2023; WION, 17 Jun 2023", b5_meets_war_demands),
    Fact("B6", "Russia first in trade", "Russia accounts for almost half of Belarus's foreign trade.",
         "Russia's yearly economic dependence above the West's and China's in at least 90% of years 1995-2024.",
         "share of years with Russia first", "Kremlin, Putin-Lukashenko news conference, 2021 (trull.org mirror)",
         b6_russia_first_in_trade),
    Fact("B7", "the West retreats after 2020", "The EU banned Belarusian carriers and extended sanctions after the "
         "2020 crackdown and the forced landing of a Ryanair flight (May 2021).",
         "Mean Western economic engagement 2021Q3-2024Q4 below its 2016Q1-2019Q4 mean.",
         "change in Western economic engagement", "Euractiv, 25 Feb 2016; FTN News and TVN24, May 2021",
         b7_west_retreats_after_2020),
)

PACK = CasePack(scenario="belarus", facts=FACTS, notes="seeds/cases/belarus.md")
