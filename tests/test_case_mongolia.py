"""Mongolia's facts on constructed records (each can pass and fail; event facts need their event),
and the scenario runs and its facts score."""

from multivector.experiments.cases import pack
from tests.case_runs import Record, column_names, scenario_scores

FACTS = {f.id: f for f in pack("mongolia").facts}


def evaluate(fact_id, record):
    return FACTS[fact_id].evaluate(record.runs(column_names()))


def test_pack_is_found_by_name_and_has_five_to_eight_facts():
    assert pack("mongolia").scenario == "mongolia" and 5 <= len(FACTS) <= 8


def test_m1_fails_on_client_status_toward_either_neighbour():
    r = Record(3).set(1, "client_status_CHN", 1, "2015Q1", "2016Q4").set(2, "client_status_RUS", 1, "1993Q1", "1994Q4")
    assert evaluate("M1", r).passed.tolist() == [True, False, False]


def test_m2_needs_the_third_neighbours_engaged_in_security_and_institutions():
    r = Record(3).set(0, "engagement_WEST_security", 0.1).set(0, "engagement_WEST_institutions", 0.2)
    r.set(1, "engagement_WEST_security", 0.1)  # institutions left at zero
    r.set(2, "engagement_WEST_security", 0.1, None, "2009Q4").set(2, "engagement_WEST_institutions", 0.2)
    assert evaluate("M2", r).passed.tolist() == [True, False, False]


def test_m3_needs_china_first_in_trade():
    r = Record(2).set(0, "dependence_CHN_economy", 0.6).set(0, "dependence_RUS_economy", 0.2)
    r.set(1, "dependence_CHN_economy", 0.2).set(1, "dependence_RUS_economy", 0.6)
    assert evaluate("M3", r).passed.tolist() == [True, False]


def test_m4_needs_short_chinese_economic_pressure():
    r = Record(3)
    r.set(0, "pressure_CHN", 0.3, "2016Q4", "2016Q4").set(0, "pressure_domain_CHN", 1, "2016Q4", "2016Q4")
    r.set(2, "pressure_CHN", 0.3, "2016Q4", "2017Q4").set(2, "pressure_domain_CHN", 1, "2016Q4", "2017Q4")
    result = evaluate("M4", r)
    assert result.passed.tolist() == [True, False, False]
    assert result.occurred.tolist() == [True, False, True]


def test_m5_fails_on_coercion_by_either_neighbour():
    r = Record(3).count_from(1, "coercion_CHN", "2010Q1").count_from(2, "coercion_RUS", "1995Q1")
    assert evaluate("M5", r).passed.tolist() == [True, False, False]


def test_m6_needs_russia_ahead_of_china_in_security():
    r = Record(2).set(0, "engagement_RUS_security", 0.3).set(0, "engagement_CHN_security", 0.1)
    r.set(1, "engagement_RUS_security", 0.1).set(1, "engagement_CHN_security", 0.3)
    assert evaluate("M6", r).passed.tolist() == [True, False]


def test_m7_needs_chinese_demands_met():
    r = Record(3).set(0, "demands_CHN", 1, "2016Q4", "2016Q4").set(0, "demands_met_CHN", 1, "2016Q4", "2016Q4")
    r.set(1, "demands_CHN", 1, "2016Q4", "2017Q1")
    result = evaluate("M7", r)
    assert result.passed.tolist() == [True, False, False]
    assert result.occurred.tolist() == [True, True, False]


def test_the_scenario_runs_and_every_fact_scores():
    scenario_scores("mongolia", FACTS.values())
