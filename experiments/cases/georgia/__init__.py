"""Georgia, 1992-2024: its stylised facts, written on 2026-12-03 before any calibration of the
case, each with its source and its operational test (seeds/cases/georgia.md).

Georgia hedged under Shevardnadze and balanced against Russia from the Rose Revolution (2004).
The facts are what history records of the great powers' answers and of Georgia's ties; several
are about events (Russian pressure, Russian coercion, abandonment in 2008, leaving Russia-led
bodies) and pass only in runs where the event happened.
"""

from __future__ import annotations

from multivector.experiments.cases import CasePack
from multivector.experiments.cases.fact_kit import count_rises, share_of_window, short_pressure, yearly_lead
from multivector.experiments.cases.facts import Fact, FactResult, Runs, state_fact


def g1_russian_economic_pressure(runs: Runs) -> FactResult:
    """Russia presses Georgia's economy after the Rose Revolution, in short spells: the wine and
    mineral-water bans (March-May 2006) and the transport and postal blockade (October 2006).
    At least one quarter of Russian economic pressure in 2004Q1-2008Q2, no spell longer than 4."""
    return short_pressure(runs, "RUS", "2004Q1", "2008Q2", longest=4, economic=True, figure="quarters")


def g2_russian_coercion(runs: Runs) -> FactResult:
    """Russia coerces Georgia militarily between the Rose Revolution and 2010 (the August 2008 war
    and the occupation of Abkhazia and South Ossetia): at least one Russian coercion event in
    2004Q1-2010Q4."""
    return count_rises(runs, "coercion_RUS", "2004Q1", "2010Q4")


def g3_abandoned_in_2008(runs: Runs) -> FactResult:
    """In the August 2008 war Georgia asked for help and no partner fought for it (the West gave
    diplomacy and aid, no military help): an abandonment in 2008Q3."""
    return count_rises(runs, "abandonment_events", "2008Q3", "2008Q3")


def g4_no_russian_clientage(runs: Runs) -> FactResult:
    """From 2004 Georgia is never Russia's client: no quarter of client status toward Russia in
    2004Q1-2024Q4."""
    share = share_of_window(runs, runs["client_status_RUS"] > 0, "2004Q1", "2024Q4")
    return state_fact(share == 0, share)


def g5_west_leads_security(runs: Runs) -> FactResult:
    """After the Russian bases close (2007) the West, not Russia, is Georgia's security partner
    (US training programmes, troops in Iraq and Afghanistan, NATO's 2008 pledge): the West's
    security engagement exceeds Russia's in at least 80% of quarters 2008Q1-2024Q4."""
    ahead = runs["engagement_WEST_security"] > runs["engagement_RUS_security"]
    share = share_of_window(runs, ahead, "2008Q1", "2024Q4")
    return state_fact(share >= 0.8, share)


def g6_leaves_russian_bodies(runs: Runs) -> FactResult:
    """Georgia leaves Russia-led bodies: the Collective Security Treaty (April 1999) and the CIS
    (announced August 2008, effective August 2009). At least one exit from a Russia-led body in
    1999Q1-2009Q4."""
    return count_rises(runs, "exits_RUS", "1999Q1", "2009Q4")


def g7_west_leads_trade(runs: Runs) -> FactResult:
    """With Russia's embargo (2006-2013) and the EU association (2014), the West (EU + US) is a
    larger trade partner than Russia: the West's yearly economic dependence exceeds Russia's in
    at least 80% of years 2007-2024."""
    share = yearly_lead(runs, "dependence_WEST_economy", ("dependence_RUS_economy",), 2007, 2024)
    return state_fact(share >= 0.8, share)


FACTS = (
    Fact("G1", "Russian economic pressure", "Russia banned Georgian wine and mineral water (2006) and cut transport "
         "and postal links (October 2006) against Georgia's NATO course.",
         "Russian pressure in the economy in at least one quarter of 2004Q1-2008Q2; no spell longer than 4 quarters.",
         "quarters of Russian pressure 2004-08", "Sputnik, 2 Oct 2006; RFE/RL, 18 Apr 2006; CBC and RFE/RL, 3 Oct 2006",
         g1_russian_economic_pressure),
    Fact("G2", "Russian military coercion", "Russia went to war with Georgia in August 2008 and recognised Abkhazia "
         "and South Ossetia.", "At least one Russian coercion event in 2004Q1-2010Q4.",
         "Russian coercion events 2004-10", "Oneindia/UNI, 12 Aug 2008; UNPO, 26 Aug 2008", g2_russian_coercion),
    Fact("G3", "abandoned in 2008", "No partner fought for Georgia in August 2008; the ceasefire was brokered, "
         "not enforced.", "S's crisis request in 2008Q3 ends in abandonment.", "abandonments in 2008Q3",
         "Reuters, 3 Apr 2008 (no MAP at Bucharest); Trend/dpa, 14 Aug 2008", g3_abandoned_in_2008),
    Fact("G4", "never Russia's client after 2004", "After the Rose Revolution Georgia steered 'out of Russia's orbit'.",
         "No quarter of client status toward Russia in 2004Q1-2024Q4.", "share of quarters as Russia's client",
         "Breakingnews.ie/AP, 3 Oct 2006; Reuters, 13 Nov 2007", g4_no_russian_clientage),
    Fact("G5", "the West leads in security", "Russia closed its last base in 2007; US train-and-equip programmes "
         "(2002-04 and after) and NATO's 2008 pledge made the West Georgia's security partner.",
         "West's security engagement above Russia's in at least 80% of quarters 2008Q1-2024Q4.",
         "share of quarters with the West ahead", "DoD News, 30 May 2002; CACI Analyst, 27 Sept 2004; Reuters, 13 Nov 2007",
         g5_west_leads_security),
    Fact("G6", "leaves Russia-led bodies", "Georgia left the Collective Security Treaty in 1999 and the CIS in "
         "2008-09.", "At least one exit from a Russia-led body in 1999Q1-2009Q4.", "exits from Russia-led bodies 1999-2009",
         "Jamestown Monitor 5(79), 1999; Trend/dpa, 14 Aug 2008; Xinhua, 19 Aug 2009", g6_leaves_russian_bodies),
    Fact("G7", "the West leads in trade", "Russia's share of Georgia's trade fell to about 16% by 2006 and its embargo "
         "lasted to 2013; the EU association deepened trade with the EU.",
         "West's yearly economic dependence above Russia's in at least 80% of years 2007-2024.",
         "share of years with the West ahead", "Sputnik, 2 Oct 2006 (15.8% of trade, H1 2006); Agenda.ge, 27 Jun 2014",
         g7_west_leads_trade),
)

PACK = CasePack(scenario="georgia", facts=FACTS, notes="seeds/cases/georgia.md")
