"""Armenia between Russia, China and the West, 1991Q4-2024Q4: bandwagoned with Russia, tilted
West after the Karabakh defeats (hedging from 2023Q4).

The facts were written on 2026-12-03, before any calibration of the case, from the sources in
seeds/cases/armenia.md (which gives each one's operational test in words). Power ids: RUS, CHN,
WEST (USA + EU-27).
"""

from multivector.experiments.cases import CasePack
from multivector.experiments.cases import fact_kit as kit
from multivector.experiments.cases.facts import Fact, Runs, state_fact


def russia_first_in_security(runs: Runs):
    share = kit.share_leading(runs, "dependence", "RUS", "security", "1994Q1", "2020Q4")
    return state_fact(share >= 0.9, share)


def client_of_russia(runs: Runs):
    return kit.event_in_window(runs, "client_status_RUS", "1995Q1", "2020Q4")


def abandoned_in_the_karabakh_crises(runs: Runs):
    return kit.count_rises(runs, "abandonment_events", "2020Q3", "2023Q4")


def russian_pressure_after_the_tilt(runs: Runs):
    return kit.event_in_window(runs, "pressure_RUS", "2023Q1", "2024Q4")


def russian_pressure_over_the_eu_agreement(runs: Runs):
    return kit.event_in_window(runs, "pressure_RUS", "2012Q3", "2013Q4")


def western_security_ties_after_2022(runs: Runs):
    return kit.mean_rises(runs, "engagement_WEST_security", ("2015Q1", "2019Q4"), ("2023Q1", "2024Q4"), by=0.02)


PACK = CasePack(
    scenario="armenia",
    notes="seeds/cases/armenia.md",
    facts=(
        Fact("A1", "Russia first in security to 2020",
             "Russia supplied almost all of Armenia's arms (94% in 2016-20, 96% of military-technical cooperation in "
             "2020, SIPRI and Armenia's Security Council), keeps the 102nd base at Gyumri (treaty of 1995, extended to "
             "2044 in 2010) and leads the CSTO Armenia belongs to.",
             "Russia holds the largest security dependence in at least 90% of the quarters of 1994-2020",
             "share of 1994-2020 quarters with Russia first in security dependence",
             "PanARMENIAN, 9 Mar 2020 (SIPRI); Public Radio of Armenia (el.armradio.am), 17 Mar 2021 (SIPRI); BM.ge, 2024; "
             "Moscow Times, 18 Aug 2010",
             russia_first_in_security),
        Fact("A2", "A client of Russia",
             "Under Kocharyan and Sargsyan Armenia accepted Russian authority over its security and, in 2013, over "
             "its trade policy: a Russian base and border guards, and the U-turn from the EU Association Agreement to "
             "the Customs Union explained by membership of 'one system of military security'.",
             "client_status_RUS is reached in some quarter of 1995-2020 (no client status does not pass)",
             "quarters of client status with Russia, 1995-2020",
             "Azatutyun (RFE/RL), 3 Sep 2013; CACI Analyst, 18 Sep 2013; Moscow Times, 18 Aug 2010",
             client_of_russia),
        Fact("A3", "Abandoned in the Karabakh crises",
             "Armenia's patron did not come to its help: the CSTO declined Armenia's Article 4 request after the "
             "Azerbaijani attack of 13 September 2022 (a fact-finding mission instead), and Russian peacekeepers did "
             "not stop the offensive of 19-20 September 2023; Pashinyan: the treaty 'has not been implemented'.",
             "at least one abandonment event in 2020Q3-2023Q4 (no abandonment does not pass)",
             "abandonment events, 2020Q3-2023Q4",
             "Azatutyun, Oct 2022; CivilNet, 2024; 24.kg, 23 Feb 2024; Novaya Gazeta Europe, 23 Feb 2024",
             abandoned_in_the_karabakh_crises),
        Fact("A4", "Russian pressure after the tilt West",
             "Russia answered the ICC ratification and the CSTO freeze with economic pressure: Rosselkhoznadzor's "
             "dairy ban (April 2023), food import blocks (November 2023), Jermuk water (December 2023) and a ban on "
             "16 produce exporters (July 2024).",
             "pressure_RUS > 0 in at least one quarter of 2023Q1-2024Q4 (no pressure does not pass)",
             "quarters of Russian pressure, 2023-2024",
             "Azatutyun, Mar 2023; Aravot, 10 Apr 2024; Novaya Gazeta Europe, 6 Aug 2024",
             russian_pressure_after_the_tilt),
        Fact("A5", "Russian pressure over the EU agreement",
             "While Armenia finished negotiating the EU Association Agreement (concluded July 2013), Russia raised gas "
             "prices and its officials warned Yerevan; Sargsyan turned to the Customs Union on 3 September 2013.",
             "pressure_RUS > 0 in at least one quarter of 2012Q3-2013Q4 (no pressure does not pass)",
             "quarters of Russian pressure, 2012Q3-2013Q4",
             "CACI Analyst, 18 Sep 2013; Azatutyun, 3 Sep 2013",
             russian_pressure_over_the_eu_agreement),
        Fact("A6", "Western security ties after 2022",
             "After 2022 Armenia turned to Western security partners: an EU monitoring mission (February 2023), a US "
             "exercise (September 2023), French radars and missiles (October 2023).",
             "mean engagement_WEST_security over 2023-2024 exceeds its 2015-2019 mean by at least 0.02",
             "rise of Western security engagement, 2015-19 to 2023-24",
             "Asbarez, 20 Feb 2023; babel.ua, 3 Oct 2023; Azatutyun, Mar 2024",
             western_security_ties_after_2022),
    ),
)
