"""The case packs' fact API: runs as arrays, spells, windows, and pack lookup by name."""

import numpy as np
import pandas as pd

from multivector.experiments.cases import pack, pack_names
from multivector.experiments.cases.facts import Runs, longest_spell, spell_count, spell_lengths


def _frame(values, start=1):
    dates = [f"{2000 + (i // 4)}Q{i % 4 + 1}" for i in range(len(values) + 1)]
    return pd.DataFrame({"step": range(len(values) + 1), "date": dates,
                         "year": [int(d[:4]) for d in dates], "x": [0.0, *values]})


def test_runs_drop_the_initial_state_and_pad_runs_that_stopped_early():
    runs = Runs.from_frames([_frame([1.0, 2.0, 3.0]), _frame([5.0])], ("A",))
    assert runs["x"].tolist() == [[1.0, 2.0, 3.0], [5.0, 5.0, 5.0]]
    assert runs.valid.tolist() == [[True, True, True], [True, False, False]]
    assert runs.dates.tolist() == ["2000Q2", "2000Q3", "2000Q4"]
    assert np.isnan(runs.at("x", "2000Q3")[1]) and runs.at("x", "2000Q3")[0] == 2.0


def test_windows_and_yearly_means_follow_the_calendar():
    runs = Runs.from_frames([_frame([1.0, 2.0, 3.0, 4.0, 5.0])], ("A",))
    assert runs.window("2000Q3", "2001Q1").tolist() == [False, True, True, True, False]
    years, means = runs.yearly_mean("x")
    assert years.tolist() == [2000, 2001] and means.tolist() == [[2.0, 4.5]]


def test_spells_are_counted_per_run():
    flags = np.array([[1, 1, 0, 1, 0, 0], [0, 0, 0, 0, 0, 0], [1, 1, 1, 0, 1, 1]], dtype=bool)
    assert spell_lengths(flags) == [[2, 1], [], [3, 2]]
    assert longest_spell(flags).tolist() == [2, 0, 3]
    assert spell_count(flags).tolist() == [2, 0, 2]


def test_a_scenario_without_a_pack_has_none():
    assert pack("no-such-case") is None
    assert pack("../model") is None
    assert "no-such-case" not in pack_names()
