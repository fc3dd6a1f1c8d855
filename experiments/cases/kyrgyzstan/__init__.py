"""Kyrgyzstan between Russia, China and the West, 1991Q4-2024Q4: a hedger that hosted both a US and
a Russian air base, then bandwagoned with Russia from 2012.

The facts were written on 2026-12-03, before any calibration of the case, from the sources in
seeds/cases/kyrgyzstan.md (which gives each one's operational test in words). Power ids: RUS, CHN,
WEST (USA + EU-27).
"""

from multivector.experiments.cases import CasePack
from multivector.experiments.cases import fact_kit as kit
from multivector.experiments.cases.facts import Fact, Runs, state_fact


def russia_first_in_security(runs: Runs):
    share = kit.share_leading(runs, "dependence", "RUS", "security", "1995Q1", "2024Q4")
    return state_fact(share >= 0.8, share)


def russian_pressure_over_manas(runs: Runs):
    return kit.event_in_window(runs, "pressure_RUS", "2009Q3", "2010Q2")


def abandoned_in_the_osh_crisis(runs: Runs):
    return kit.count_rises(runs, "abandonment_events", "2010Q2", "2010Q3")


def client_of_russia_after_the_pivot(runs: Runs):
    return kit.event_in_window(runs, "client_status_RUS", "2013Q1", "2024Q4")


def economic_dependence_on_china_grows(runs: Runs):
    return kit.mean_rises(runs, "dependence_CHN_economy", ("1995Q1", "1999Q4"), ("2010Q1", "2014Q4"), by=0.1)


def western_security_ties_fall_after_manas(runs: Runs):
    return kit.mean_falls(runs, "engagement_WEST_security", before=("2003Q1", "2012Q4"), after=("2015Q1", "2019Q4"), by=0.01)


PACK = CasePack(
    scenario="kyrgyzstan",
    notes="seeds/cases/kyrgyzstan.md",
    facts=(
        Fact("K1", "Russia first in security",
             "Through the CST/CSTO (1992), the Kant air base (October 2003, extended for 15 years in 2012) and "
             "arms, Russia stays Kyrgyzstan's main security partner, even while the US used Manas (2001-2014).",
             "Russia holds the largest security dependence in at least 80% of the quarters of 1995-2024",
             "share of 1995-2024 quarters with Russia first in security dependence",
             "TASS, 27 Jul 2015; Reuters, 20 Jun 2013; 24.kg, 23 Feb 2024",
             russia_first_in_security),
        Fact("K2", "Russian pressure over Manas",
             "After Bakiyev took Russia's $2.15 billion package (Feb 2009) and kept the US at Manas anyway (June "
             "2009), Moscow ended the duty-free export of fuel to Kyrgyzstan (1 April 2010) and its television "
             "campaigned against him.",
             "pressure_RUS > 0 in at least one quarter of 2009Q3-2010Q2 (no pressure does not pass)",
             "quarters of Russian pressure, 2009Q3-2010Q2",
             "Eurasianet, 6 Apr 2010; Washington Post, 12 Apr 2010; LA Times, 4 Feb 2009",
             russian_pressure_over_manas),
        Fact("K3", "Abandoned in the Osh crisis",
             "When ethnic violence engulfed Osh in June 2010, the interim president asked Russia for troops; Moscow "
             "called it 'an internal conflict' and sent none, nor did the CSTO.",
             "at least one abandonment event in 2010Q2-2010Q3 (no abandonment does not pass)",
             "abandonment events, 2010Q2-2010Q3",
             "Eurasianet, 12 Jun 2010; VOA via GlobalSecurity, 12 Jun 2010; People's Daily, 12 Jun 2010",
             abandoned_in_the_osh_crisis),
        Fact("K4", "A client of Russia after the pivot",
             "Atambayev 'staked heavily on closer ties with Russia': Manas closed (June 2014), EAEU membership "
             "(August 2015), Russian debt relief and integration funds; remittances from Russia a third of the "
             "economy.",
             "client_status_RUS reached in some quarter of 2013-2024 (no client status does not pass)",
             "quarters of client status with Russia, 2013-2024",
             "Reuters, 20 Jun 2013; EUobserver, 13 Aug 2015; Washington Post, 12 Apr 2010",
             client_of_russia_after_the_pivot),
        Fact("K5", "Economic dependence on China grows",
             "China becomes the first trade partner (COW share 0.17 in 1995, 0.55 in 2010) and the largest creditor "
             "(Exim Bank: about 40% of external debt by 2016-18, from under $10 million in 2008).",
             "mean dependence_CHN_economy over 2010-2014 exceeds its 1995-1999 mean by at least 0.1",
             "rise of economic dependence on China, 1995-99 to 2010-14",
             "24.kg, Feb 2018 and 2019; Center for Global Development via 24.kg, 2018; COW trade",
             economic_dependence_on_china_grows),
        Fact("K6", "Western security ties fall after Manas",
             "With the Manas Transit Center closed (keys handed over 3 June 2014), US security ties shrink.",
             "mean engagement_WEST_security over 2015-2019 is at least 0.01 below its 2003-2012 mean",
             "fall of Western security engagement, 2003-12 to 2015-19",
             "Moscow Times, 3 Jun 2014; REGNUM, 3 Jun 2014; Reuters, 20 Jun 2013",
             western_security_ties_fall_after_manas),
    ),
)
