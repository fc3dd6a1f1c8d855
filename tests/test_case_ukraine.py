"""Ukraine's facts on constructed records (each can pass and fail; event facts need their event),
and the scenario runs and its facts score."""

from multivector.experiments.cases import pack
from tests.case_runs import Record, column_names, scenario_scores

FACTS = {f.id: f for f in pack("ukraine").facts}


def evaluate(fact_id, record):
    return FACTS[fact_id].evaluate(record.runs(column_names()))


def economic_pressure(record, run, first, last):
    return record.set(run, "pressure_RUS", 0.3, first, last).set(run, "pressure_domain_RUS", 1, first, last)


def test_pack_is_found_by_name_and_has_five_to_eight_facts():
    assert pack("ukraine").scenario == "ukraine" and 5 <= len(FACTS) <= 8


def test_u1_needs_short_russian_economic_pressure_under_yushchenko():
    r = Record(3)
    economic_pressure(r, 0, "2006Q1", "2006Q1")
    economic_pressure(r, 2, "2006Q1", "2006Q4")
    result = evaluate("U1", r)
    assert result.passed.tolist() == [True, False, False]
    assert result.occurred.tolist() == [True, False, True]


def test_u2_needs_russian_coercion_from_2014():
    r = Record(3).count_from(0, "coercion_RUS", "2014Q1").count_from(2, "coercion_RUS", "2008Q3")
    result = evaluate("U2", r)
    assert result.passed.tolist() == [True, False, False]
    assert result.occurred.tolist() == [True, False, False]


def test_u3_needs_less_pressure_under_the_tilt_than_before():
    r = Record(3)
    economic_pressure(r, 0, "2006Q1", "2006Q1")
    economic_pressure(r, 1, "2006Q1", "2006Q1")
    economic_pressure(r, 1, "2011Q1", "2012Q4")
    economic_pressure(r, 2, "2011Q1", "2011Q1")  # pressure only under the tilt: nothing to compare with
    result = evaluate("U3", r)
    assert result.passed.tolist() == [True, False, False]
    assert result.occurred.tolist() == [True, True, False]


def test_u4_fails_on_any_client_status_toward_russia():
    r = Record(2).set(1, "client_status_RUS", 1, "2011Q1", "2012Q4")
    assert evaluate("U4", r).passed.tolist() == [True, False]


def test_u5_needs_the_west_ahead_in_security_after_2014():
    r = Record(2).set(0, "engagement_WEST_security", 0.4, "2014Q1").set(0, "engagement_RUS_security", 0.1)
    r.set(1, "engagement_WEST_security", 0.1).set(1, "engagement_RUS_security", 0.4)
    assert evaluate("U5", r).passed.tolist() == [True, False]


def test_u6_needs_an_exit_after_2014():
    r = Record(3).count_from(0, "exits_RUS", "2018Q2").count_from(2, "exits_RUS", "2005Q2")
    result = evaluate("U6", r)
    assert result.passed.tolist() == [True, False, False]
    assert result.occurred.tolist() == [True, False, False]


def test_u7_needs_a_request_answered_in_2022():
    r = Record(3).count_from(0, "crisis_requests", "2022Q1")
    r.count_from(1, "crisis_requests", "2022Q1").count_from(1, "abandonment_events", "2022Q1")
    result = evaluate("U7", r)
    assert result.passed.tolist() == [True, False, False]
    assert result.occurred.tolist() == [True, True, False]


def test_the_scenario_runs_and_every_fact_scores():
    scenario_scores("ukraine", FACTS.values())
