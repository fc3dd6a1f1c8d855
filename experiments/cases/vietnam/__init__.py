"""Vietnam between China, the West and Russia, 1991Q4-2024Q4: a hedger.

The facts were written on 2026-12-03, before any calibration of the case, from the sources in
seeds/cases/vietnam.md (which gives each one's operational test in words). Power ids: CHN, WEST
(USA + EU-27 + Japan), RUS.
"""

from multivector.experiments.cases import CasePack
from multivector.experiments.cases import fact_kit as kit
from multivector.experiments.cases.facts import Fact, Runs, state_fact


def chinese_pressure_in_the_2010s(runs: Runs):
    return kit.event_in_window(runs, "pressure_CHN", "2011Q1", "2020Q4")


def chinese_pressure_comes_in_short_episodes(runs: Runs):
    return kit.short_pressure(runs, "CHN", "2011Q1", "2020Q4", longest=4)


def no_client_status(runs: Runs):
    ever = kit.is_client(runs).any(axis=1)
    return state_fact(~ever, kit.peak_client_index(runs))


def russia_first_in_security(runs: Runs):
    share = kit.share_leading(runs, "dependence", "RUS", "security", "1995Q1", "2021Q4")
    return state_fact(share >= 0.8, share)


def economic_dependence_on_china_grows(runs: Runs):
    return kit.mean_rises(runs, "dependence_CHN_economy", ("1995Q1", "1999Q4"), ("2010Q1", "2014Q4"), by=0.05)


def coexistence_with_china(runs: Runs):
    share = kit.share_of_window(runs, runs["satisfaction_margin_CHN"] >= 0.0)
    return state_fact(share >= 0.75, share)


def western_security_ties_deepen_without_alliance(runs: Runs):
    rise = kit.change(runs, "engagement_WEST_security", ("2000Q1", "2009Q4"), ("2015Q1", "2024Q4"))
    west_first = kit.share_leading(runs, "dependence", "WEST", "security", "2015Q1", "2024Q4")
    return state_fact((rise >= 0.02) & (west_first == 0), rise)


PACK = CasePack(
    scenario="vietnam",
    notes="seeds/cases/vietnam.md",
    facts=(
        Fact("V1", "Chinese pressure in the 2010s",
             "China pressed Vietnam at sea in the 2010s: the HD-981 rig (May-July 2014), the halts of Repsol's "
             "drilling forced by Chinese threats (July 2017, March 2018), the Vanguard Bank survey (July-October 2019).",
             "pressure_CHN > 0 in at least one quarter of 2011Q1-2020Q4 (no pressure does not pass)",
             "quarters of Chinese pressure, 2011-2020",
             "Wikipedia, 'Hai Yang Shi You 981 standoff'; Reuters via Taipei Times, 24 Mar 2018; SCMP, 12 Jul 2019",
             chinese_pressure_in_the_2010s),
        Fact("V2", "Pressure in short episodes",
             "Each Chinese campaign was an episode of weeks to months, then withdrawn: the rig left on 15-16 July 2014 "
             "after 2.5 months; the Vanguard Bank survey ran July-October 2019.",
             "Chinese pressure occurs in 2011Q1-2020Q4 and no spell of it lasts more than 4 quarters",
             "longest spell of Chinese pressure (quarters)",
             "Wikipedia, 'Hai Yang Shi You 981 standoff'; The Diplomat, Aug 2019",
             chinese_pressure_comes_in_short_episodes),
        Fact("V3", "No client status",
             "Vietnam joins no alliance, hosts no foreign base and sides with no power against another (the 'three "
             "nos' of the 1998, 2004 and 2009 white papers; 'four nos' in 2019): a client of none.",
             "client_status_P is 0 in every quarter for every power",
             "highest client index reached with any power",
             "Hanoi Times, 26 Nov 2019; ISEAS commentary 2019/104 (Le Hong Hiep)",
             no_client_status),
        Fact("V4", "Russia first in security",
             "Russia stays Vietnam's main arms supplier (56% of its arms imports in 2017-21, SIPRI; 60-70% of its "
             "equipment of Soviet or Russian origin), ahead of both the US and China.",
             "Russia holds the largest security dependence in at least 80% of the quarters of 1995-2021",
             "share of 1995-2021 quarters with Russia first in security dependence",
             "SIPRI via Reuters/Vogon Today, 26 Dec 2022; SCMP, Mar 2024",
             russia_first_in_security),
        Fact("V5", "Economic dependence on China grows",
             "China becomes and stays Vietnam's largest trading partner (COW trade share 0.05 in 1995, 0.25 in 2014).",
             "mean dependence_CHN_economy over 2010-2014 exceeds its 1995-1999 mean by at least 0.05",
             "rise of economic dependence on China, 1995-99 to 2010-14",
             "Xinhua via People's Daily, 12 Dec 2023; COW trade in the cross-case data",
             economic_dependence_on_china_grows),
        Fact("V6", "Coexistence with China",
             "Despite the incidents, party-to-party and state ties with China hold and deepen: comprehensive strategic "
             "cooperative partnership (2008), 'community with a shared future' (December 2023).",
             "China's satisfaction is at or above its pressure threshold in at least 75% of quarters",
             "share of quarters with China at or above its pressure threshold",
             "Xinhua via People's Daily, 13 Dec 2023; China News Service, 22 Jan 2024",
             coexistence_with_china),
        Fact("V7", "Western security ties deepen without alliance",
             "Security ties with the US grow after 2014 (arms embargo eased 2014 and lifted 2016, carrier visit 2018, "
             "comprehensive strategic partnership 2023) without the US becoming Vietnam's first security partner.",
             "mean engagement_WEST_security over 2015-2024 exceeds its 2000-2009 mean by at least 0.02, and the West "
             "never holds the largest security dependence in 2015-2024",
             "rise of Western security engagement, 2000-09 to 2015-24",
             "WAM, 23 May 2016; Mondaq, May 2016; EFE, 10 Sep 2023",
             western_security_ties_deepen_without_alliance),
    ),
)
