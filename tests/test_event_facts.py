"""The building blocks of case facts (experiments/cases/event_facts.py) on constructed records:
windows, cumulative counts, pressure spells, stopped runs, and that events pass only where they happened."""

import numpy as np

from experiments.cases import event_facts as ef
from experiments.cases.facts import Runs
from tests.case_runs import Record, column_names


def test_rise_counts_only_what_happened_inside_the_window():
    r = Record(3).count_from(0, "exits_X", "2008Q3").count_from(1, "exits_X", "1999Q2").count_from(2, "exits_X", "2010Q1")
    runs = r.runs(column_names())
    assert ef.rise(runs, "exits_X", "2004Q1", "2009Q4").tolist() == [1, 0, 0]
    assert ef.rise(runs, "exits_X").tolist() == [1, 1, 1]  # the whole record
    assert ef.rise(runs, "exits_X", "2008Q3", "2008Q3").tolist() == [1, 0, 0]  # one quarter


def test_quarters_after_a_run_stopped_never_count():
    r = Record(2).set(0, "pressure_RUS", 0.5, "2006Q1", "2006Q2").set(0, "pressure_domain_RUS", 1)
    r.set(1, "pressure_RUS", 0.5, "2006Q1", "2006Q2").set(1, "pressure_domain_RUS", 1)
    runs = r.runs(column_names())
    valid = runs.valid.copy()
    valid[1, runs.dates >= "2005Q1"] = False  # run 1 stopped before the pressure
    stopped = Runs(runs.columns, runs.dates, runs.years, valid, runs.powers)
    assert ef.quarters(ef.pressed(stopped, "RUS", "2004Q1", "2008Q4")).tolist() == [2, 0]
    assert ef.share_of_window(stopped, stopped["pressure_RUS"] > 0, "2006Q1", "2006Q4").tolist() == [0.5, 0.0]


def test_short_pressure_passes_only_where_pressure_happened_and_fails_long_spells():
    r = Record(3).set(0, "pressure_RUS", 0.3, "2006Q2", "2006Q3").set(0, "pressure_domain_RUS", 1)
    r.set(2, "pressure_RUS", 0.3, "2005Q1", "2007Q4").set(2, "pressure_domain_RUS", 1)
    result = ef.short_pressure(r.runs(column_names()), "RUS", "2004Q1", "2008Q4", longest=2)
    assert result.passed.tolist() == [True, False, False]
    assert result.occurred.tolist() == [True, False, True]
    assert not (result.passed & ~result.occurred).any()


def test_security_pressure_alone_is_not_economic_pressure():
    r = Record(1).set(0, "pressure_RUS", 0.3, "2006Q2", "2006Q2").set(0, "pressure_domain_RUS", 0)
    result = ef.short_pressure(r.runs(column_names()), "RUS", "2004Q1", "2008Q4", longest=2)
    assert result.occurred.tolist() == [False] and result.passed.tolist() == [False]


def test_yearly_lead_needs_a_strict_lead_over_every_other_column():
    r = Record(2).set(0, "dependence_WEST_economy", 0.4).set(0, "dependence_RUS_economy", 0.2)
    r.set(1, "dependence_WEST_economy", 0.3).set(1, "dependence_RUS_economy", 0.3)  # a tie is no lead
    share = ef.yearly_lead(r.runs(column_names()), "dependence_WEST_economy", ("dependence_RUS_economy",), 2000, 2009)
    assert share.tolist() == [1.0, 0.0]


def test_window_mean_is_nan_where_a_run_has_no_valid_quarter():
    runs = Record(1).set(0, "engagement_WEST_economy", 0.2).runs(column_names())
    assert np.isclose(ef.window_mean(runs, "engagement_WEST_economy", "2010Q1", "2012Q4")[0], 0.2)
    assert np.isnan(ef.window_mean(runs, "engagement_WEST_economy", "2030Q1", "2031Q4")[0])


def test_state_facts_occur_everywhere_and_event_facts_need_their_event():
    state = ef.state_fact(np.array([True, False]), np.array([1.0, 0.0]))
    assert state.occurred.all()
    event = ef.event_fact(np.array([False, True]), np.array([True, True]), np.zeros(2))
    assert event.passed.tolist() == [False, True]
