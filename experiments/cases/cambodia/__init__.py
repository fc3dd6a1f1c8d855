"""Cambodia between China, the West and Japan, 1993Q3-2024Q4: a hedger on Western aid until 2009,
then bandwagoning with China for profit.

The facts were written on 2026-12-03, before any calibration of the case, from the sources in
seeds/cases/cambodia.md (which gives each one's operational test in words). Power ids: CHN, WEST
(USA + EU-27), JPN.
"""

from multivector.experiments.cases import CasePack
from multivector.experiments.cases import fact_kit as kit
from multivector.experiments.cases.facts import Fact, Runs, state_fact


def client_of_china(runs: Runs):
    return kit.event_in_window(runs, "client_status_CHN", "2010Q1", "2024Q4")


def client_index_with_china_rises(runs: Runs):
    return kit.mean_rises(runs, "client_index_CHN", ("1994Q1", "2004Q4"), ("2018Q1", "2024Q4"), by=0.1)


def no_chinese_pressure_after_2010(runs: Runs):
    pressed = kit.flags(runs, "pressure_CHN", "2010Q1", "2024Q4").sum(axis=1)
    return state_fact(pressed == 0, pressed)


def western_pressure_2017_2021(runs: Runs):
    return kit.event_in_window(runs, "pressure_WEST", "2017Q4", "2021Q4")


def western_pressure_after_the_1997_coup(runs: Runs):
    return kit.event_in_window(runs, "pressure_WEST", "1997Q3", "1998Q4")


def western_security_ties_fall(runs: Runs):
    return kit.mean_falls(runs, "engagement_WEST_security", before=("2011Q1", "2015Q4"), after=("2017Q1", "2020Q4"), by=0.01)


def economic_dependence_on_china_grows(runs: Runs):
    return kit.mean_rises(runs, "dependence_CHN_economy", ("1995Q1", "1999Q4"), ("2010Q1", "2014Q4"), by=0.05)


PACK = CasePack(
    scenario="cambodia",
    notes="seeds/cases/cambodia.md",
    facts=(
        Fact("C1", "A client of China",
             "From 2009 Cambodia did China's bidding: it deported 20 Uyghur asylum seekers on China's demand the day "
             "before Xi brought $1.2 billion in deals (Dec 2009), blocked ASEAN statements on the South China Sea "
             "(2012, 2016), and gave China's navy a foothold at Ream (secret deal 2019; Chinese corvettes from Dec 2023).",
             "client_status_CHN reached in some quarter of 2010-2024 (no client status does not pass)",
             "quarters of client status with China, 2010-2024",
             "CBC, 21 Dec 2009; Reuters, 21 Dec 2009; Japan Times, 21 Jul 2012; Open Development Mekong, 24 Jul 2016; "
             "WSJ via Straits Times, 27 Jun 2022",
             client_of_china),
        Fact("C2", "China's client index rises and stays high",
             "China's hold grows from nearly nothing in the 1990s (it had backed the Khmer Rouge) to the 'ironclad "
             "partnership' of the 2020s.",
             "mean client_index_CHN over 2018-2024 exceeds its 1994-2004 mean by at least 0.1",
             "rise of the client index with China, 1994-2004 to 2018-2024",
             "SCMP, 8 Jun 2022 ('ironclad partnership'); OODA Loop, 9 Jun 2022",
             client_index_with_china_rises),
        Fact("C3", "No Chinese pressure after 2010",
             "China rewarded Cambodia and never needed to press it: aid and loans (2009, 2016), military aid, the Ream "
             "upgrade as grant aid.",
             "pressure_CHN is 0 in every quarter of 2010-2024",
             "quarters of Chinese pressure, 2010-2024",
             "Taipei Times (AFP), 18 Jan 2017; OODA Loop, 9 Jun 2022",
             no_chinese_pressure_after_2010),
        Fact("C4", "Western pressure, 2017-2021",
             "The West pressed: the EU withdrew a fifth of Cambodia's Everything-But-Arms preferences (decided Feb "
             "2020, in force 12 Aug 2020), the US sanctioned General Kun Kim (Dec 2019) and the Chinese developer of "
             "Dara Sakor (Sept 2020).",
             "pressure_WEST > 0 in at least one quarter of 2017Q4-2021Q4 (no pressure does not pass)",
             "quarters of Western pressure, 2017Q4-2021Q4",
             "EU Commission via pubaffairsbruxelles.eu, Feb 2020; VOA, Feb 2020; US Treasury via US Embassy China, "
             "16 Sep 2020",
             western_pressure_2017_2021),
        Fact("C5", "Western pressure after the 1997 coup",
             "After Hun Sen ousted his co-premier in July 1997 the US suspended its aid (most of it indefinitely from "
             "8 August) and ASEAN postponed Cambodia's admission.",
             "pressure_WEST > 0 in at least one quarter of 1997Q3-1998Q4 (no pressure does not pass)",
             "quarters of Western pressure, 1997Q3-1998Q4",
             "Chicago Tribune, 10 Jul and 9 Aug 1997; Human Rights Watch, 1997; Phnom Penh Post, 12 Jul 1997",
             western_pressure_after_the_1997_coup),
        Fact("C6", "Western security ties fall after 2016",
             "The Angkor Sentinel exercises with the US, held every year since 2010, were cancelled for 2017 and "
             "2018, a month after the first 'Golden Dragon' exercise with China.",
             "mean engagement_WEST_security over 2017-2020 is at least 0.01 below its 2011-2015 mean",
             "fall of Western security engagement, 2011-15 to 2017-20",
             "AP via Federal News Radio, 16 Jan 2017; Taipei Times, 18 Jan 2017; Phnom Penh Post, 18 Jan 2017",
             western_security_ties_fall),
        Fact("C7", "Economic dependence on China grows",
             "China becomes Cambodia's largest investor and a leading trade partner (COW trade share 0.03 in 1995, "
             "0.18 in 2014).",
             "mean dependence_CHN_economy over 2010-2014 exceeds its 1995-1999 mean by at least 0.05",
             "rise of economic dependence on China, 1995-99 to 2010-14",
             "Reuters, 21 Dec 2009 (China the biggest source of FDI); COW trade in the cross-case data",
             economic_dependence_on_china_grows),
    ),
)
