"""The building blocks of case facts (experiments/cases/fact_kit.py): windows, runs that stopped
early, cumulative counts, leaders and spells."""

import numpy as np

from experiments.cases import fact_kit as kit
from experiments.cases.facts import Runs

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
