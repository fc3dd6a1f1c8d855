"""The facts of the Vietnam, Armenia, Cambodia, Philippines and Kyrgyzstan case packs, each checked
on constructed runs: a run with the event and the right shape passes, one without fails (and a
fact about an event says it did not occur); and each scenario loads, runs and has its facts scored.
"""

from collections import defaultdict

import numpy as np
import pytest

from multivector.experiments.cases import pack
from multivector.experiments.cases.facts import Runs


def quarters(first: str, last: str) -> list[str]:
    year, q = int(first[:4]), int(first[-1])
    out = []
    while True:
        label = f"{year}Q{q}"
        out.append(label)
        if label == last:
            return out
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)


class Record:
    """Two constructed runs over a case's quarters: run 0 is given the fact's shape, run 1 is
    left as a world where nothing happens (every column 0) unless a test shapes it too."""

    def __init__(self, powers: tuple[str, ...], first: str, last: str):
        self.powers = powers
        self.dates = np.array(quarters(first, last))
        self.columns: defaultdict[str, np.ndarray] = defaultdict(lambda: np.zeros((2, len(self.dates))))

    def window(self, first: str | None = None, last: str | None = None) -> np.ndarray:
        keep = np.ones(len(self.dates), dtype=bool)
        if first:
            keep &= self.dates >= first
        if last:
            keep &= self.dates <= last
        return keep

    def set(self, column: str, value: float, first: str | None = None, last: str | None = None, run: int = 0):
        self.columns[column][run, self.window(first, last)] = value
        return self

    def cumulative(self, column: str, at: str, run: int = 0):
        """A count (events to date) that steps up by one at quarter ``at``."""
        self.columns[column][run, self.dates >= at] += 1
        return self

    def runs(self) -> Runs:
        years = np.array([int(d[:4]) for d in self.dates])
        return Runs(self.columns, self.dates, years, np.ones((2, len(self.dates)), dtype=bool), self.powers)


def verdict(case: str, fact_id: str, record: Record):
    fact = next(f for f in pack(case).facts if f.id == fact_id)
    return fact.evaluate(record.runs())


def assert_event_fact(result):
    assert result.passed.tolist() == [True, False]
    assert result.occurred.tolist() == [True, False]


def assert_state_fact(result):
    assert result.passed.tolist() == [True, False]
    assert result.occurred.tolist() == [True, True]


# ----- Vietnam -----------------------------------------------------------------------------------

VNM = ("CHN", "WEST", "RUS")


def vietnam() -> Record:
    return Record(VNM, "1992Q1", "2024Q4")


def test_vietnam_v1_needs_chinese_pressure_in_the_2010s():
    record = vietnam().set("pressure_CHN", 0.2, "2014Q2", "2014Q3")
    record.set("pressure_CHN", 0.2, "2005Q1", "2005Q2", run=1)  # pressure, but outside the window
    assert_event_fact(verdict("vietnam", "V1", record))


def test_vietnam_v2_fails_a_long_spell_and_no_pressure_at_all():
    record = vietnam().set("pressure_CHN", 0.2, "2014Q2", "2014Q3")
    assert_event_fact(verdict("vietnam", "V2", record))
    siege = vietnam().set("pressure_CHN", 0.2, "2014Q2", "2014Q3").set("pressure_CHN", 0.2, "2012Q1", "2016Q4", run=1)
    result = verdict("vietnam", "V2", siege)
    assert result.passed.tolist() == [True, False] and result.occurred.tolist() == [True, True]


def test_vietnam_v3_fails_on_client_status_with_any_power():
    record = vietnam().set("client_status_RUS", 1, "2000Q1", "2002Q4", run=1)
    assert_state_fact(verdict("vietnam", "V3", record))


def test_vietnam_v4_wants_russia_first_in_security():
    record = vietnam().set("dependence_RUS_security", 0.7).set("dependence_WEST_security", 0.1)
    record.set("dependence_RUS_security", 0.2, run=1).set("dependence_CHN_security", 0.5, run=1)
    assert_state_fact(verdict("vietnam", "V4", record))


def test_vietnam_v5_wants_economic_dependence_on_china_to_grow():
    record = vietnam().set("dependence_CHN_economy", 0.05).set("dependence_CHN_economy", 0.2, "2005Q1")
    record.set("dependence_CHN_economy", 0.1, run=1)
    assert_state_fact(verdict("vietnam", "V5", record))


def test_vietnam_v6_wants_china_mostly_satisfied():
    record = vietnam().set("satisfaction_margin_CHN", 0.1).set("satisfaction_margin_CHN", -0.2, run=1)
    assert_state_fact(verdict("vietnam", "V6", record))


def test_vietnam_v7_wants_western_security_ties_to_grow_but_not_to_lead():
    record = vietnam().set("engagement_WEST_security", 0.02).set("engagement_WEST_security", 0.1, "2015Q1")
    record.set("dependence_RUS_security", 0.6, run=0)
    record.set("engagement_WEST_security", 0.1, "2015Q1", run=1).set("dependence_WEST_security", 0.6, run=1)
    assert_state_fact(verdict("vietnam", "V7", record))


# ----- Armenia -----------------------------------------------------------------------------------

ARM = ("RUS", "CHN", "WEST")


def armenia() -> Record:
    return Record(ARM, "1992Q1", "2024Q4")


def test_armenia_a1_wants_russia_first_in_security_until_2020():
    record = armenia().set("dependence_RUS_security", 0.9).set("dependence_WEST_security", 0.1)
    record.set("dependence_RUS_security", 0.3, run=1).set("dependence_WEST_security", 0.5, "2005Q1", run=1)
    assert_state_fact(verdict("armenia", "A1", record))


def test_armenia_a2_needs_client_status_with_russia():
    record = armenia().set("client_status_RUS", 1, "2005Q1", "2008Q4")
    record.set("client_status_RUS", 1, "2023Q1", "2024Q4", run=1)  # only after the window
    assert_event_fact(verdict("armenia", "A2", record))


def test_armenia_a3_needs_an_abandonment_in_the_karabakh_crises():
    record = armenia().cumulative("abandonment_events", "2022Q3")
    record.cumulative("abandonment_events", "1992Q2", run=1)  # abandoned in 1992 only
    assert_event_fact(verdict("armenia", "A3", record))


def test_armenia_a4_and_a5_need_russian_pressure_in_their_windows():
    record = armenia().set("pressure_RUS", 0.1, "2023Q2", "2023Q2").set("pressure_RUS", 0.1, "2018Q1", "2018Q2", run=1)
    assert_event_fact(verdict("armenia", "A4", record))
    record = armenia().set("pressure_RUS", 0.1, "2013Q3", "2013Q3").set("pressure_RUS", 0.1, "2023Q2", "2023Q2", run=1)
    assert_event_fact(verdict("armenia", "A5", record))


def test_armenia_a6_wants_western_security_ties_to_grow_after_2022():
    record = armenia().set("engagement_WEST_security", 0.02).set("engagement_WEST_security", 0.08, "2023Q1")
    record.set("engagement_WEST_security", 0.05, run=1)
    assert_state_fact(verdict("armenia", "A6", record))


# ----- Cambodia ----------------------------------------------------------------------------------

KHM = ("CHN", "WEST", "JPN")


def cambodia() -> Record:
    return Record(KHM, "1993Q4", "2024Q4")


def test_cambodia_c1_needs_client_status_with_china_after_2010():
    record = cambodia().set("client_status_CHN", 1, "2016Q1").set("client_status_CHN", 1, "1995Q1", "1996Q4", run=1)
    assert_event_fact(verdict("cambodia", "C1", record))


def test_cambodia_c2_wants_the_client_index_with_china_to_rise():
    record = cambodia().set("client_index_CHN", 0.2).set("client_index_CHN", 0.6, "2012Q1")
    record.set("client_index_CHN", 0.4, run=1)
    assert_state_fact(verdict("cambodia", "C2", record))


def test_cambodia_c3_fails_on_any_chinese_pressure_after_2010():
    record = cambodia().set("pressure_CHN", 0.1, "2000Q1", "2000Q2").set("pressure_CHN", 0.1, "2015Q1", "2015Q1", run=1)
    assert_state_fact(verdict("cambodia", "C3", record))


def test_cambodia_c4_and_c5_need_western_pressure_in_their_windows():
    record = cambodia().set("pressure_WEST", 0.1, "2020Q3", "2020Q4").set("pressure_WEST", 0.1, "2010Q1", run=1)
    record.set("pressure_WEST", 0.0, "2017Q4", run=1)
    assert_event_fact(verdict("cambodia", "C4", record))
    record = cambodia().set("pressure_WEST", 0.1, "1997Q3", "1997Q4").set("pressure_WEST", 0.1, "2000Q1", "2000Q4", run=1)
    assert_event_fact(verdict("cambodia", "C5", record))


def test_cambodia_c6_wants_western_security_ties_to_fall_after_2016():
    record = cambodia().set("engagement_WEST_security", 0.1).set("engagement_WEST_security", 0.03, "2017Q1")
    record.set("engagement_WEST_security", 0.1, run=1)
    assert_state_fact(verdict("cambodia", "C6", record))


def test_cambodia_c7_wants_economic_dependence_on_china_to_grow():
    record = cambodia().set("dependence_CHN_economy", 0.03).set("dependence_CHN_economy", 0.18, "2008Q1")
    record.set("dependence_CHN_economy", 0.05, run=1)
    assert_state_fact(verdict("cambodia", "C7", record))


# ----- Philippines -------------------------------------------------------------------------------

PHL = ("CHN", "WEST", "JPN")


def philippines() -> Record:
    return Record(PHL, "1992Q2", "2024Q4")


def test_philippines_p1_and_p3_need_chinese_pressure_in_their_windows():
    record = philippines().set("pressure_CHN", 0.2, "2012Q2", "2012Q3").set("pressure_CHN", 0.2, "2018Q1", run=1)
    assert_event_fact(verdict("philippines", "P1", record))
    record = philippines().set("pressure_CHN", 0.2, "2023Q3", "2023Q3").set("pressure_CHN", 0.2, "2013Q1", "2014Q4", run=1)
    assert_event_fact(verdict("philippines", "P3", record))


def test_philippines_p2_wants_less_pressure_under_the_tilt_than_while_balancing():
    record = philippines().set("pressure_CHN", 0.2, "2012Q2", "2013Q4").set("pressure_CHN", 0.2, "2019Q1", "2019Q1")
    assert_event_fact(verdict("philippines", "P2", record))
    steady = philippines().set("pressure_CHN", 0.2, "2012Q2", "2013Q4").set("pressure_CHN", 0.2, "2012Q2", "2022Q2", run=1)
    result = verdict("philippines", "P2", steady)
    assert result.passed.tolist() == [True, False] and result.occurred.tolist() == [True, True]


def test_philippines_p4_fails_on_client_status_with_china_under_duterte():
    record = philippines().set("client_status_CHN", 1, "2019Q1", "2020Q4", run=1)
    assert_state_fact(verdict("philippines", "P4", record))


def test_philippines_p5_wants_the_west_first_in_security():
    record = philippines().set("dependence_WEST_security", 0.8).set("dependence_CHN_security", 0.1)
    record.set("dependence_WEST_security", 0.1, "2016Q3", run=1).set("dependence_CHN_security", 0.5, "2016Q3", run=1)
    assert_state_fact(verdict("philippines", "P5", record))


def test_philippines_p6_and_p7_want_growth_in_their_windows():
    record = philippines().set("engagement_WEST_security", 0.3).set("engagement_WEST_security", 0.4, "2023Q1")
    record.set("engagement_WEST_security", 0.3, run=1)
    assert_state_fact(verdict("philippines", "P6", record))
    record = philippines().set("dependence_CHN_economy", 0.02).set("dependence_CHN_economy", 0.25, "2005Q1")
    record.set("dependence_CHN_economy", 0.1, run=1)
    assert_state_fact(verdict("philippines", "P7", record))


# ----- Kyrgyzstan --------------------------------------------------------------------------------

KGZ = ("RUS", "CHN", "WEST")


def kyrgyzstan() -> Record:
    return Record(KGZ, "1992Q1", "2024Q4")


def test_kyrgyzstan_k1_wants_russia_first_in_security():
    record = kyrgyzstan().set("dependence_RUS_security", 0.8).set("dependence_WEST_security", 0.2)
    record.set("dependence_WEST_security", 0.9, "2001Q4", "2014Q2", run=1)
    assert_state_fact(verdict("kyrgyzstan", "K1", record))


def test_kyrgyzstan_k2_needs_russian_pressure_over_manas():
    record = kyrgyzstan().set("pressure_RUS", 0.2, "2010Q2", "2010Q2").set("pressure_RUS", 0.2, "2014Q1", "2014Q2", run=1)
    assert_event_fact(verdict("kyrgyzstan", "K2", record))


def test_kyrgyzstan_k3_needs_an_abandonment_in_2010():
    record = kyrgyzstan().cumulative("abandonment_events", "2010Q2").cumulative("abandonment_events", "2022Q3", run=1)
    assert_event_fact(verdict("kyrgyzstan", "K3", record))


def test_kyrgyzstan_k4_needs_client_status_with_russia_after_2012():
    record = kyrgyzstan().set("client_status_RUS", 1, "2016Q1").set("client_status_RUS", 1, "1995Q1", "1999Q4", run=1)
    assert_event_fact(verdict("kyrgyzstan", "K4", record))


def test_kyrgyzstan_k5_and_k6_want_china_up_and_the_west_down():
    record = kyrgyzstan().set("dependence_CHN_economy", 0.15).set("dependence_CHN_economy", 0.5, "2008Q1")
    record.set("dependence_CHN_economy", 0.2, run=1)
    assert_state_fact(verdict("kyrgyzstan", "K5", record))
    record = kyrgyzstan().set("engagement_WEST_security", 0.2, "2002Q1", "2014Q2").set("engagement_WEST_security", 0.05, run=1)
    assert_state_fact(verdict("kyrgyzstan", "K6", record))


# ----- every case: the scenario runs and its facts score -----------------------------------------

CASES = ("vietnam", "armenia", "cambodia", "philippines", "kyrgyzstan")


@pytest.mark.parametrize("case", CASES)
def test_the_case_runs_and_its_facts_score(case):
    from multivector.model.scenarios import load_scenario
    from multivector.model.simulate import simulate_many

    scenario = load_scenario(case)
    frames = simulate_many(case, ["historical", "historical"], [0, 1])
    runs = Runs.from_frames(frames, scenario.power_ids)
    facts = pack(case).facts
    assert 5 <= len(facts) <= 8 and len({f.id for f in facts}) == len(facts)
    for fact in facts:
        result = fact.evaluate(runs)
        assert result.passed.shape == result.occurred.shape == (2,)
        assert not (result.passed & ~result.occurred).any()  # nothing passes on an empty set


@pytest.mark.parametrize("case", CASES)
def test_the_case_has_15_to_40_sourced_events(case):
    from multivector.model.scenarios import load_scenario

    events = load_scenario(case).events
    assert 15 <= len(events) <= 40
    assert all(e.source for e in events)
    # no scripted pressure or coercion: events change conditions, reactions make the pressure
    assert not any(c.path.split(".")[-1] in ("pressure", "coercion") for e in events for c in e.changes)
