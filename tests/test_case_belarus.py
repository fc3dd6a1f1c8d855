"""Belarus's facts on constructed records (each can pass and fail; event facts need their event),
and the scenario runs and its facts score."""

from multivector.experiments.cases import pack
from tests.case_runs import Record, column_names, scenario_scores

FACTS = {f.id: f for f in pack("belarus").facts}


def evaluate(fact_id, record):
    return FACTS[fact_id].evaluate(record.runs(column_names()))


def test_pack_is_found_by_name_and_has_five_to_eight_facts():
    assert pack("belarus").scenario == "belarus" and 5 <= len(FACTS) <= 8


def test_b1_needs_early_and_lasting_client_status():
    r = Record(3).set(0, "client_status_RUS", 1, "2001Q1").set(2, "client_status_RUS", 1, "2012Q1")
    result = evaluate("B1", r)
    assert result.passed.tolist() == [True, False, False]  # run 2: status only from 2012
    assert result.occurred.tolist() == [True, False, True]


def test_b2_needs_short_russian_economic_pressure():
    r = Record(3)
    r.set(0, "pressure_RUS", 0.2, "2009Q2", "2009Q2").set(0, "pressure_domain_RUS", 1, "2009Q2", "2009Q2")
    r.set(2, "pressure_RUS", 0.2, "2006Q1", "2006Q4").set(2, "pressure_domain_RUS", 1, "2006Q1", "2006Q4")
    result = evaluate("B2", r)
    assert result.passed.tolist() == [True, False, False]
    assert result.occurred.tolist() == [True, False, True]


def test_b3_fails_on_any_russian_coercion():
    r = Record(2).count_from(1, "coercion_RUS", "2021Q1")
    assert evaluate("B3", r).passed.tolist() == [True, False]


def test_b4_needs_a_request_answered_in_2020():
    r = Record(3).count_from(0, "crisis_requests", "2020Q3")
    r.count_from(1, "crisis_requests", "2020Q3").count_from(1, "abandonment_events", "2020Q3")
    result = evaluate("B4", r)
    assert result.passed.tolist() == [True, False, False]
    assert result.occurred.tolist() == [True, True, False]  # run 2: no request, nothing to pass


def test_b5_needs_war_demands_met():
    r = Record(3).set(0, "high_cost_demands_RUS", 1, "2022Q1", "2022Q2").set(0, "high_cost_met_RUS", 1, "2022Q1", "2022Q2")
    r.set(1, "high_cost_demands_RUS", 1, "2022Q1", "2022Q2")
    result = evaluate("B5", r)
    assert result.passed.tolist() == [True, False, False]
    assert result.occurred.tolist() == [True, True, False]


def test_b6_needs_russia_first_in_trade():
    r = Record(2).set(0, "dependence_RUS_economy", 0.5).set(0, "dependence_WEST_economy", 0.3)
    r.set(1, "dependence_RUS_economy", 0.3).set(1, "dependence_WEST_economy", 0.5)
    assert evaluate("B6", r).passed.tolist() == [True, False]


def test_b7_needs_the_west_to_retreat_after_2020():
    r = Record(2).set(0, "engagement_WEST_economy", 0.3, None, "2020Q4").set(0, "engagement_WEST_economy", 0.1, "2021Q1")
    r.set(1, "engagement_WEST_economy", 0.1, None, "2020Q4").set(1, "engagement_WEST_economy", 0.3, "2021Q1")
    assert evaluate("B7", r).passed.tolist() == [True, False]


def test_the_scenario_runs_and_every_fact_scores():
    scenario_scores("belarus", FACTS.values())
