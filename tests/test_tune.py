"""Each rule at its best (experiments/tune.py, `multivector tune`, `compare --forms`): the same
budget for every rule, determinism, the defaults as a candidate, and one-line errors."""

from __future__ import annotations

import pandas as pd
import pytest

from multivector import model
from multivector.experiments import tune
from multivector.experiments.cli import main

TINY = tune.Budget(points=3, search_seeds=2, verify_seeds=2)


def test_tuning_is_deterministic_and_gives_every_rule_the_same_budget():
    a = tune.tune("stylised", ("hedge", "bandwagon-selective"), TINY, seed=4, steps=6)
    b = tune.tune("stylised", ("hedge", "bandwagon-selective"), TINY, seed=4, steps=6)
    pd.testing.assert_frame_equal(a.search, b.search)
    pd.testing.assert_frame_equal(a.verify, b.verify)
    assert a.best == b.best
    assert a.search.groupby("strategy").size().to_dict() == {"hedge": 3, "bandwagon-selective": 3}
    assert a.verify.groupby(["strategy", "form"]).size().eq(2).all()
    c = tune.tune("stylised", ("hedge",), TINY, seed=5, steps=6)
    assert not c.search["utility_mean"].equals(a.search[a.search.strategy == "hedge"]["utility_mean"])


def test_the_defaults_are_a_candidate_and_the_best_form_has_the_highest_search_utility():
    result = tune.tune("stylised", ("balance",), TINY, seed=1, steps=6)
    search = result.search
    assert search.loc[search.point == 0, model.OWN_PARAMETERS["balance"][0]].isna().all()  # point 0: defaults
    chosen = search[search.chosen]
    assert len(chosen) == 1 and chosen["utility_mean"].iloc[0] == search["utility_mean"].max()


def test_settings_stay_within_each_parameters_documented_range_and_only_touch_the_rules_own():
    rows = {row.path: row for row in model.parameter_table("kazakhstan")}
    for strategy in model.STRATEGIES:
        for setting in tune.settings("kazakhstan", strategy, 20, seed=0)[1:]:
            assert set(setting) == set(model.OWN_PARAMETERS[strategy])
            for path, value in setting.items():
                assert rows[path].min <= value <= rows[path].max


def test_best_forms_round_trip_through_their_file(tmp_path):
    result = tune.tune("stylised", ("hedge", "balance"), TINY, seed=2, steps=6)
    path = tmp_path / "best-forms.toml"
    path.write_text(tune.best_forms_text(result, "multivector tune ..."))
    assert tune.read_best_forms(path) == result.best


def test_tune_and_compare_forms_from_the_command_line(tmp_path, capsys):
    out = tmp_path / "tuned"
    assert main(["tune", "--scenario", "stylised", "--strategies", "hedge,balance", "--points", "2",
                 "--search-seeds", "2", "--verify-seeds", "2", "--steps", "5", "--out", str(out)]) == 0
    for name in ("best-forms.toml", "search.csv", "verify.csv", "summary.csv"):
        assert (out / name).stat().st_size > 0
    cmp = tmp_path / "cmp"
    assert main(["compare", "--scenario", "stylised", "--replications", "2", "--steps", "5", "--forms",
                 "defaults,best", "--best", str(out / "best-forms.toml"), "--out", str(cmp)]) == 0
    summary = pd.read_csv(cmp / "summary.csv")
    assert {"hedge (best)", "balance (best)", "hedge", "bandwagon"} <= set(summary["strategy"])
    assert set(summary["form"]) == {"defaults", "best"}
    printed = capsys.readouterr().out
    assert "hedge (best)" in printed


@pytest.mark.parametrize("argv, message", [
    (["tune", "--strategies", "hedge,nonsense"], "unknown strategy 'nonsense'"),
    (["tune", "--points", "0"], "expected a number >= 1"),
    (["tune", "--scenario", "atlantis"], "unknown scenario 'atlantis'"),
    (["compare", "--scenario", "stylised", "--forms", "worst"], "--forms"),
    (["compare", "--scenario", "stylised", "--forms", "best"], "no best forms"),
])
def test_bad_input_is_one_line_and_exit_status_2(argv, message, capsys, tmp_path):
    assert main([*argv, "--out", str(tmp_path / "never")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    assert not (tmp_path / "never").exists()


def test_a_damaged_best_forms_file_is_a_one_line_error(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[forms.hedge]\noverrides = { 'hedge.nonsense' = 1 }\n")
    assert main(["compare", "--scenario", "stylised", "--forms", "best", "--best", str(bad), "--out",
                 str(tmp_path / "never")]) == 2
    assert "hedge.nonsense" in capsys.readouterr().err
