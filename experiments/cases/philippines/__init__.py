"""The Philippines between China, the West and Japan, 1992Q1-2024Q4: a switcher (hedging after the
US bases closed, balancing China from 2012, bandwagoning with China for profit under Duterte,
balancing again under Marcos Jr).

The facts were written on 2026-12-03, before any calibration of the case, from the sources in
seeds/cases/philippines.md (which gives each one's operational test in words). Power ids: CHN,
WEST (USA + EU-27), JPN.
"""

from multivector.experiments.cases import CasePack
from multivector.experiments.cases import fact_kit as kit
from multivector.experiments.cases.facts import Fact, Runs, event_fact, state_fact

BALANCING = ("2012Q2", "2016Q2")  # Aquino III from the Scarborough standoff to the arbitral award
TILT = ("2016Q4", "2022Q2")  # Duterte from his Beijing visit to the end of his term


def chinese_pressure_while_balancing(runs: Runs):
    return kit.event_in_window(runs, "pressure_CHN", *BALANCING)


def chinese_pressure_falls_during_the_tilt(runs: Runs):
    # shares of the windows' quarters (a run that stopped early counts its lost quarters as unpressed)
    balancing = kit.flags(runs, "pressure_CHN", *BALANCING).sum(axis=1) / runs.window(*BALANCING).sum()
    tilt = kit.flags(runs, "pressure_CHN", *TILT).sum(axis=1) / runs.window(*TILT).sum()
    return event_fact(balancing > 0, tilt < balancing, balancing - tilt)


def chinese_pressure_returns(runs: Runs):
    return kit.event_in_window(runs, "pressure_CHN", "2023Q1", "2024Q4")


def no_client_status_with_china_during_the_tilt(runs: Runs):
    status = kit.flags(runs, "client_status_CHN", "2016Q3", "2022Q2").sum(axis=1)
    return state_fact(status == 0, kit.window_max(runs, "client_index_CHN", "2016Q3", "2022Q2"))


def united_states_first_in_security(runs: Runs):
    share = kit.share_leading(runs, "dependence", "WEST", "security")
    return state_fact(share >= 0.9, share)


def western_security_ties_grow_after_2022(runs: Runs):
    return kit.mean_rises(runs, "engagement_WEST_security", ("2017Q1", "2021Q4"), ("2023Q1", "2024Q4"), by=0.02)


def economic_dependence_on_china_grows(runs: Runs):
    return kit.mean_rises(runs, "dependence_CHN_economy", ("1995Q1", "1999Q4"), ("2010Q1", "2014Q4"), by=0.05)


PACK = CasePack(
    scenario="philippines",
    notes="seeds/cases/philippines.md",
    facts=(
        Fact("P1", "Chinese pressure while balancing",
             "While Aquino III confronted China (Scarborough Shoal from April 2012, arbitration from January 2013, "
             "EDCA in 2014), China pressed: stiffer inspections of Philippine bananas and suspended tours (May 2012), "
             "control of the shoal, blockades at Second Thomas Shoal (2014).",
             "pressure_CHN > 0 in at least one quarter of 2012Q2-2016Q2 (no pressure does not pass)",
             "quarters of Chinese pressure, 2012Q2-2016Q2",
             "Inquirer, 11 May 2012; Inquirer Opinion, May 2012; Asia Sentinel, 2012; BBC via defence.pk, 31 Mar 2014",
             chinese_pressure_while_balancing),
        Fact("P2", "Chinese pressure falls during the tilt",
             "When Duterte announced his 'separation' from the US in Beijing (20 October 2016), China lifted its "
             "restrictions on Philippine tropical fruit and its travel advisory.",
             "Chinese pressure occurs in 2012Q2-2016Q2, and its share of quarters in 2016Q4-2022Q2 is lower",
             "share of quarters under Chinese pressure, balancing minus tilt",
             "CBCP News/AP, 20 Oct 2016; Reuters via Taipei Times, 21 Oct 2016",
             chinese_pressure_falls_during_the_tilt),
        Fact("P3", "Chinese pressure returns under Marcos Jr",
             "After Marcos Jr opened four more EDCA sites to US forces (February 2023), the China Coast Guard "
             "water-cannoned Philippine resupply missions to Second Thomas Shoal (August and November 2023, March 2024) "
             "and seized boats (June 2024).",
             "pressure_CHN > 0 in at least one quarter of 2023Q1-2024Q4 (no pressure does not pass)",
             "quarters of Chinese pressure, 2023-2024",
             "SCMP, 6 Aug 2023; WION, 20 Aug 2023; USNI via World Report Now, 6 Nov 2023; National Herald/DW, "
             "2 Apr 2024; Star Concord, 2024",
             chinese_pressure_returns),
        Fact("P4", "No client status with China during the tilt",
             "Duterte's tilt stopped short of clientage: the Visiting Forces Agreement he moved to end (Feb 2020) was "
             "suspended (June 2020) and fully restored (July 2021); the arbitral award was never given up.",
             "client_status_CHN is 0 in every quarter of 2016Q3-2022Q2",
             "highest client index with China, 2016Q3-2022Q2",
             "Manila Bulletin, 30 Jul 2021; CNN Philippines, 30 Jul 2021",
             no_client_status_with_china_during_the_tilt),
        Fact("P5", "The US first in security throughout",
             "The 1951 Mutual Defense Treaty held through the base closure (1992) and the Duterte years; the VFA "
             "(1999) and EDCA (2014, expanded 2023) rebuilt access.",
             "the West holds the largest security dependence in at least 90% of quarters, 1992-2024",
             "share of quarters with the West first in security dependence",
             "Heritage Foundation, 'Rebuilding the U.S.-Philippine Alliance'; Manila Shimbun, 3 Feb 2023",
             united_states_first_in_security),
        Fact("P6", "Western security ties grow after 2022",
             "Marcos Jr expanded US access from five to nine EDCA sites (announced 2 February 2023, named April 2023).",
             "mean engagement_WEST_security over 2023-2024 exceeds its 2017-2021 mean by at least 0.02",
             "rise of Western security engagement, 2017-21 to 2023-24",
             "Manila Shimbun, 3 Feb 2023; Diplomatic Insight, 2 Feb 2023; DVIDS, 3 Apr 2023",
             western_security_ties_grow_after_2022),
        Fact("P7", "Economic dependence on China grows",
             "China becomes the Philippines' largest trading partner (COW trade share 0.02 in 1995, 0.30 in 2014).",
             "mean dependence_CHN_economy over 2010-2014 exceeds its 1995-1999 mean by at least 0.05",
             "rise of economic dependence on China, 1995-99 to 2010-14",
             "COW trade in the cross-case data; AsiaNews, Oct 2016 (trade with China could reach $60 billion)",
             economic_dependence_on_china_grows),
    ),
)
