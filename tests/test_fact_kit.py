"""The building blocks of case facts (experiments/cases/fact_kit.py, and the results in
experiments/cases/facts.py) on constructed records: windows, runs that stopped early, cumulative
counts, leaders, pressure spells, and that events pass only where they happened."""

import numpy as np

from multivector.experiments.cases import fact_kit as kit
from multivector.experiments.cases.facts import Runs, event_fact, state_fact
from tests.case_runs import Record, column_names

DATES = np.array(["2000Q1", "2000Q2", "2000Q3", "2000Q4", "2001Q1", "2001Q2"])


def runs(columns: dict, valid=None) -> Runs:
    columns = {k: np.asarray(v, dtype=float) for k, v in columns.items()}
    R = next(iter(columns.values())).shape[0]
    valid = np.ones((R, len(DATES)), dtype=bool) if valid is None else np.asarray(valid, dtype=bool)
    return Runs(columns, DATES, np.array([int(d[:4]) for d in DATES]), valid, ("A", "B"))


def test_quarters_after_a_run_stopped_never_count():
    r = runs({"x": [[0, 0, 0, 1, 1, 1], [0, 0, 0, 1, 1, 1]]},
             valid=[[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0]])
    assert kit.flags(r, "x", "2000Q3").sum(axis=1).tolist() == [3, 0]
    assert kit.share_of_window(r, r["x"] >= 1.0).tolist() == [0.5, 0.0]
    assert kit.window_mean(r, "x", "2000Q4").tolist()[0] == 1.0 and np.isnan(kit.window_mean(r, "x", "2000Q4")[1])


def test_an_event_in_a_window_passes_only_where_it_happened():
    r = runs({"p": [[0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 1]]})
    result = kit.event_in_window(r, "p", "2000Q1", "2000Q4")
    assert result.passed.tolist() == [True, False] and result.occurred.tolist() == [True, False]
    assert result.figure.tolist() == [1.0, 0.0]


def test_short_pressure_fails_a_long_spell_and_an_absent_event():
    zeros = [[0] * 6] * 3
    r = runs({"pressure_A": [[1, 0, 1, 0, 0, 0], [1, 1, 1, 1, 0, 0], [0, 0, 0, 0, 0, 0]], "pressure_domain_A": zeros})
    result = kit.short_pressure(r, "A", "2000Q1", "2001Q2", longest=2)
    assert result.passed.tolist() == [True, False, False]
    assert result.occurred.tolist() == [True, True, False]
    assert result.figure.tolist() == [1.0, 4.0, 0.0]


def test_rise_counts_only_what_a_cumulative_count_gained_inside_the_window():
    counts = [[1, 1, 2, 3, 3, 3],  # one before the window, two inside
              [0, 0, 0, 0, 0, 1],  # only after the window
              [0, 1, 1, 1, 1, 1]]  # stopped before the window
    r = runs({"n": counts}, valid=[[1] * 6, [1] * 6, [1, 1, 0, 0, 0, 0]])
    assert kit.rise(r, "n", "2000Q3", "2000Q4").tolist() == [2.0, 0.0, 0.0]
    assert kit.rise(r, "n", "2000Q1", "2000Q2").tolist() == [1.0, 0.0, 1.0]


def test_share_leading_counts_ties_as_leading():
    r = runs({"d_A_security": [[0.5, 0.5, 0.2, 0.2, 0.2, 0.2]],
              "d_B_security": [[0.4, 0.5, 0.6, 0.6, 0.6, 0.6]]})
    assert kit.share_leading(r, "d", "A", "security").tolist() == [2 / 6]
    assert kit.share_leading(r, "d", "B", "security").tolist() == [5 / 6]


def test_client_status_with_any_power_and_the_peak_index():
    r = runs({"client_status_A": [[0] * 6, [0, 0, 1, 1, 0, 0]], "client_status_B": [[0] * 6, [0] * 6],
              "client_index_A": [[0.1] * 6, [0.8] * 6], "client_index_B": [[0.3] * 6, [0.2] * 6]})
    assert kit.is_client(r).any(axis=1).tolist() == [False, True]
    assert kit.peak_client_index(r).tolist() == [0.3, 0.8]
    assert kit.is_client(r, powers=("B",)).any(axis=1).tolist() == [False, False]


def test_change_is_the_later_window_minus_the_earlier_one():
    r = runs({"x": [[0.1, 0.1, 0.1, 0.4, 0.4, 0.4]]})
    assert np.allclose(kit.change(r, "x", ("2000Q1", "2000Q3"), ("2000Q4", "2001Q2")), [0.3])
    early, late = ("2000Q1", "2000Q3"), ("2000Q4", "2001Q2")
    assert kit.mean_rises(r, "x", early, late, by=0.2).passed.tolist() == [True]
    assert kit.mean_rises(r, "x", early, late, by=0.4).passed.tolist() == [False]
    falls = kit.mean_falls(r, "x", early, late, by=0.01)
    assert falls.passed.tolist() == [False] and np.allclose(falls.figure, [-0.3]) and falls.occurred.all()


def test_a_counted_event_passes_only_where_the_count_rose_in_the_window():
    r = runs({"n": [[0, 0, 1, 1, 1, 1], [0, 0, 0, 0, 1, 1]]})
    result = kit.count_rises(r, "n", "2000Q1", "2000Q4")
    assert result.passed.tolist() == [True, False] and result.occurred.tolist() == [True, False]
    assert result.figure.tolist() == [1.0, 0.0]


def test_demands_met_need_a_demand_and_count_only_the_window():
    r = runs({"demands_A": [[1, 1, 0, 0, 0, 1], [0] * 6, [2, 0, 0, 0, 0, 0]],
              "demands_met_A": [[1, 0, 0, 0, 0, 0], [0] * 6, [0, 0, 0, 0, 0, 0]]})
    result = kit.meets_demands(r, "A", "2000Q1", "2000Q4", share=0.5)
    assert result.figure.tolist() == [0.5, 0.0, 0.0]
    assert result.passed.tolist() == [True, False, False] and result.occurred.tolist() == [True, False, True]

def test_rise_counts_only_what_happened_inside_the_window():
    r = Record(3).count_from(0, "exits_X", "2008Q3").count_from(1, "exits_X", "1999Q2").count_from(2, "exits_X", "2010Q1")
    runs = r.runs(column_names())
    assert kit.rise(runs, "exits_X", "2004Q1", "2009Q4").tolist() == [1, 0, 0]
    assert kit.rise(runs, "exits_X").tolist() == [1, 1, 1]  # the whole record
    assert kit.rise(runs, "exits_X", "2008Q3", "2008Q3").tolist() == [1, 0, 0]  # one quarter


def test_pressure_after_a_run_stopped_never_counts():
    r = Record(2).set(0, "pressure_RUS", 0.5, "2006Q1", "2006Q2").set(0, "pressure_domain_RUS", 1)
    r.set(1, "pressure_RUS", 0.5, "2006Q1", "2006Q2").set(1, "pressure_domain_RUS", 1)
    runs = r.runs(column_names())
    valid = runs.valid.copy()
    valid[1, runs.dates >= "2005Q1"] = False  # run 1 stopped before the pressure
    stopped = Runs(runs.columns, runs.dates, runs.years, valid, runs.powers)
    assert kit.flags(stopped, "pressure_RUS", "2004Q1", "2008Q4").sum(axis=1).tolist() == [2, 0]
    assert kit.share_of_window(stopped, stopped["pressure_RUS"] > 0, "2006Q1", "2006Q4").tolist() == [0.5, 0.0]


def test_short_pressure_passes_only_where_pressure_happened_and_fails_long_spells():
    r = Record(3).set(0, "pressure_RUS", 0.3, "2006Q2", "2006Q3").set(0, "pressure_domain_RUS", 1)
    r.set(2, "pressure_RUS", 0.3, "2005Q1", "2007Q4").set(2, "pressure_domain_RUS", 1)
    result = kit.short_pressure(r.runs(column_names()), "RUS", "2004Q1", "2008Q4", longest=2, economic=True,
                                figure="quarters")
    assert result.passed.tolist() == [True, False, False]
    assert result.figure.tolist() == [2.0, 0.0, 12.0]
    assert result.occurred.tolist() == [True, False, True]
    assert not (result.passed & ~result.occurred).any()


def test_security_pressure_alone_is_not_economic_pressure():
    r = Record(1).set(0, "pressure_RUS", 0.3, "2006Q2", "2006Q2").set(0, "pressure_domain_RUS", 0)
    result = kit.short_pressure(r.runs(column_names()), "RUS", "2004Q1", "2008Q4", longest=2, economic=True)
    assert result.occurred.tolist() == [False] and result.passed.tolist() == [False]


def test_yearly_lead_needs_a_strict_lead_over_every_other_column():
    r = Record(2).set(0, "dependence_WEST_economy", 0.4).set(0, "dependence_RUS_economy", 0.2)
    r.set(1, "dependence_WEST_economy", 0.3).set(1, "dependence_RUS_economy", 0.3)  # a tie is no lead
    share = kit.yearly_lead(r.runs(column_names()), "dependence_WEST_economy", ("dependence_RUS_economy",), 2000, 2009)
    assert share.tolist() == [1.0, 0.0]


def test_window_mean_is_nan_where_a_run_has_no_valid_quarter():
    runs = Record(1).set(0, "engagement_WEST_economy", 0.2).runs(column_names())
    assert np.isclose(kit.window_mean(runs, "engagement_WEST_economy", "2010Q1", "2012Q4")[0], 0.2)
    assert np.isnan(kit.window_mean(runs, "engagement_WEST_economy", "2030Q1", "2031Q4")[0])


def test_state_facts_occur_everywhere_and_event_facts_need_their_event():
    state = state_fact(np.array([True, False]), np.array([1.0, 0.0]))
    assert state.occurred.all()
    event = event_fact(np.array([False, True]), np.array([True, True]), np.zeros(2))
    assert event.passed.tolist() == [False, True]
