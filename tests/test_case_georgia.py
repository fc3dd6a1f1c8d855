"""Georgia's facts on constructed records (each can pass and fail; event facts need their event),
and the scenario runs and its facts score."""

from multivector.experiments.cases import pack
from tests.case_runs import Record, column_names, scenario_scores

FACTS = {f.id: f for f in pack("georgia").facts}


def evaluate(fact_id, record):
    return FACTS[fact_id].evaluate(record.runs(column_names()))


def test_pack_is_found_by_name_and_has_five_to_eight_facts():
    found = pack("georgia")
    assert found.scenario == "georgia" and 5 <= len(found.facts) <= 8
    assert found.notes == "seeds/cases/georgia.md"


def test_g1_needs_russian_economic_pressure_in_short_spells():
    r = Record(3)
    r.set(0, "pressure_RUS", 0.3, "2006Q2", "2006Q2").set(0, "pressure_domain_RUS", 1, "2006Q2", "2006Q2")
    r.set(2, "pressure_RUS", 0.3, "2004Q1", "2005Q4").set(2, "pressure_domain_RUS", 1, "2004Q1", "2005Q4")
    result = evaluate("G1", r)
    assert result.passed.tolist() == [True, False, False]
    assert result.occurred.tolist() == [True, False, True]  # run 1: no pressure at all, so nothing passes


def test_g2_needs_russian_coercion_in_the_window():
    r = Record(3).count_from(0, "coercion_RUS", "2008Q3").count_from(2, "coercion_RUS", "2012Q1")
    result = evaluate("G2", r)
    assert result.passed.tolist() == [True, False, False]
    assert not result.occurred[1:].any()


def test_g3_needs_an_abandonment_in_2008q3():
    r = Record(2).count_from(0, "abandonment_events", "2008Q3").count_from(1, "abandonment_events", "1993Q3")
    result = evaluate("G3", r)
    assert result.passed.tolist() == [True, False]
    assert result.occurred.tolist() == [True, False]


def test_g4_fails_on_any_quarter_of_client_status_from_2004():
    r = Record(2).set(0, "client_status_RUS", 1, "1994Q1", "2003Q4").set(1, "client_status_RUS", 1, "2010Q1", "2010Q1")
    assert evaluate("G4", r).passed.tolist() == [True, False]


def test_g5_needs_the_west_ahead_in_security():
    r = Record(2).set(0, "engagement_WEST_security", 0.4).set(0, "engagement_RUS_security", 0.1)
    r.set(1, "engagement_WEST_security", 0.1).set(1, "engagement_RUS_security", 0.4)
    assert evaluate("G5", r).passed.tolist() == [True, False]


def test_g6_needs_an_exit_from_a_russian_body():
    r = Record(2).count_from(0, "exits_RUS", "2008Q3")
    result = evaluate("G6", r)
    assert result.passed.tolist() == [True, False]
    assert result.occurred.tolist() == [True, False]


def test_g7_needs_the_west_ahead_in_trade():
    r = Record(2).set(0, "dependence_WEST_economy", 0.3).set(0, "dependence_RUS_economy", 0.1)
    r.set(1, "dependence_WEST_economy", 0.1).set(1, "dependence_RUS_economy", 0.3)
    assert evaluate("G7", r).passed.tolist() == [True, False]


def test_the_scenario_runs_and_every_fact_scores():
    runs = scenario_scores("georgia", FACTS.values())
    assert runs.dates[0] == "1992Q2"
