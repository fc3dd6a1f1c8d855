"""Uzbekistan's facts on constructed records (each can pass and fail; event facts need their event),
and the scenario runs and its facts score."""

from multivector.experiments.cases import pack
from tests.case_runs import Record, column_names, scenario_scores

FACTS = {f.id: f for f in pack("uzbekistan").facts}


def evaluate(fact_id, record):
    return FACTS[fact_id].evaluate(record.runs(column_names()))


def test_pack_is_found_by_name_and_has_five_to_eight_facts():
    assert pack("uzbekistan").scenario == "uzbekistan" and 5 <= len(FACTS) <= 8


def test_z1_needs_the_west_up_with_k2_and_down_after():
    r = Record(3).set(0, "engagement_WEST_security", 0.05).set(0, "engagement_WEST_security", 0.3, "2001Q4", "2005Q2")
    r.set(1, "engagement_WEST_security", 0.05).set(1, "engagement_WEST_security", 0.3, "2001Q4")  # never falls
    r.set(2, "engagement_WEST_security", 0.05)  # never rises
    assert evaluate("Z1", r).passed.tolist() == [True, False, False]


def test_z2_needs_western_pressure_after_andijan():
    r = Record(3).set(0, "pressure_WEST", 0.2, "2005Q4", "2005Q4").set(2, "pressure_WEST", 0.2, "2010Q1", "2010Q1")
    result = evaluate("Z2", r)
    assert result.passed.tolist() == [True, False, False]
    assert result.occurred.tolist() == [True, False, False]


def test_z3_needs_an_exit_in_each_swing():
    r = Record(3).count_from(0, "exits_RUS", "1999Q2").count_from(0, "exits_RUS", "2012Q3")
    r.count_from(1, "exits_RUS", "1999Q2")
    result = evaluate("Z3", r)
    assert result.passed.tolist() == [True, False, False]
    assert result.occurred.tolist() == [True, True, False]


def test_z4_fails_on_client_status_toward_any_power():
    r = Record(3).set(1, "client_status_RUS", 1, "2006Q1", "2007Q4").set(2, "client_status_WEST", 1, "2003Q1", "2004Q4")
    assert evaluate("Z4", r).passed.tolist() == [True, False, False]


def test_z5_fails_on_russian_coercion():
    r = Record(2).count_from(1, "coercion_RUS", "2012Q3")
    assert evaluate("Z5", r).passed.tolist() == [True, False]


def test_z6_needs_china_first_late_and_never_early():
    r = Record(3).set(0, "dependence_RUS_economy", 0.3).set(0, "dependence_CHN_economy", 0.4, "2019Q1")
    r.set(1, "dependence_RUS_economy", 0.3).set(1, "dependence_CHN_economy", 0.1)  # never first
    r.set(2, "dependence_RUS_economy", 0.3).set(2, "dependence_CHN_economy", 0.4)  # first from the 1990s
    assert evaluate("Z6", r).passed.tolist() == [True, False, False]


def test_z7_needs_the_west_back_after_2016():
    r = Record(2).set(0, "engagement_WEST_economy", 0.1).set(0, "engagement_WEST_economy", 0.3, "2017Q1")
    r.set(1, "engagement_WEST_economy", 0.3).set(1, "engagement_WEST_economy", 0.1, "2017Q1")
    assert evaluate("Z7", r).passed.tolist() == [True, False]


def test_the_scenario_runs_and_every_fact_scores():
    scenario_scores("uzbekistan", FACTS.values())
