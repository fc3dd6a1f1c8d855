"""Driving the model from outside in a few lines: ``model.run``, ``mesa.batch_run`` with single
keyword parameters, EMA Workbench, ``compare --set`` and exploration ranges in ``params --json``."""

from __future__ import annotations

import json
import warnings

import mesa
import numpy as np
import pandas as pd
import pytest

from multivector import model
from multivector.experiments.cli import main


def test_run_returns_the_final_quarter_of_the_same_run():
    final = model.run(strategy="balance", steps=12, seed=3, rivalry__scale=0.5)
    frame = model.simulate("kazakhstan", "balance", seed=3, steps=12, overrides={"rivalry.scale": 0.5})
    last = frame.iloc[-1]
    assert final["date"] == last["date"] and final["strategy"] == last["strategy"]
    for column in ("autonomy", "security", "welfare", "autonomy_mean", "client_index_RUS"):
        assert final[column] == last[column]


def test_identifier_safe_and_dotted_names_are_the_same_parameter():
    a = model.run(steps=10, seed=1, powers__RUS__reach=0.3)
    b = model.run(steps=10, seed=1, **{"powers.RUS.reach": 0.3})
    c = model.run(steps=10, seed=1)
    assert a == b and a != c


def test_a_bad_keyword_parameter_names_itself():
    with pytest.raises(model.ModelInputError, match="nosuch.thing"):
        model.run(steps=2, nosuch__thing=1)
    with pytest.raises(model.ModelInputError, match="rivalry.scale"):
        model.run(steps=2, rivalry__scale=99)


def test_batch_run_varies_one_keyword_parameter():
    rows = mesa.batch_run(model.MultivectorModel, parameters={"strategy": "balance", "rivalry__scale": [0.0, 3.0]},
                          rng=[7], max_steps=40, number_processes=1, display_progress=False)
    finals = pd.DataFrame(rows).groupby("rivalry__scale").last()
    assert list(finals.index) == [0.0, 3.0]
    assert finals.loc[0.0, "rivalry_RUS_WEST"] != finals.loc[3.0, "rivalry_RUS_WEST"]


def test_ema_workbench_runs_a_small_latin_hypercube():
    ema_workbench = pytest.importorskip("ema_workbench")
    from multivector.experiments.ema import ema_model

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        experiments, outcomes = ema_workbench.perform_experiments(
            ema_model(parameters=["rivalry.scale", "secondary.prudence", "hedge.binding_engagement"], steps=24),
            scenarios=6)
    assert len(experiments) == 6
    assert {"rivalry__scale", "secondary__prudence", "hedge__binding_engagement"} <= set(experiments.columns)
    table = model.parameter_table("kazakhstan")
    prudence = next(i for i in table if i.path == "secondary.prudence")
    assert experiments["secondary__prudence"].between(prudence.min, prudence.max).all()
    assert len(outcomes["autonomy_mean"]) == 6 and np.isfinite(outcomes["autonomy_mean"]).all()
    first = experiments.iloc[0]
    again = model.run(steps=24, seed=0, rivalry__scale=first["rivalry__scale"],
                      secondary__prudence=first["secondary__prudence"],
                      hedge__binding_engagement=bool(first["hedge__binding_engagement"]))
    assert outcomes["autonomy_mean"][0] == again["autonomy_mean"], "EMA's outcome is model.run's"


def test_compare_takes_set_like_run(tmp_path, capsys):
    out = tmp_path / "c"
    assert main(["compare", "--replications", "2", "--steps", "12", "--set", "rivalry.scale=2.5",
                 "--out", str(out)]) == 0
    summary = pd.read_csv(out / "summary.csv")
    assert "statistic" in summary.columns and (summary["statistic"] != "").all()
    base = tmp_path / "b"
    assert main(["compare", "--replications", "2", "--steps", "12", "--out", str(base)]) == 0
    assert not summary.equals(pd.read_csv(base / "summary.csv"))
    assert main(["compare", "--set", "rivalry.scale=9", "--out", str(tmp_path / "x")]) == 2
    assert not (tmp_path / "x").exists()
    assert "(run mean)" in capsys.readouterr().out


def test_params_json_gives_exploration_ranges_next_to_hard_limits(capsys):
    assert main(["params", "--json"]) == 0
    rows = {r["path"]: r for r in json.loads(capsys.readouterr().out)}
    prudence = rows["secondary.prudence"]
    assert "posterior sample of calibration" in prudence["explore_source"]
    assert prudence["min"] <= prudence["explore_min"] < prudence["explore_max"] <= prudence["max"]
    scale = rows["rivalry.scale"]
    assert scale["explore_source"].startswith("heuristic")
    assert scale["min"] <= scale["explore_min"] <= scale["default"] <= scale["explore_max"] <= scale["max"]


def test_every_parameter_name_survives_the_round_trip_to_an_identifier():
    from multivector.model.run import identifier_of, path_of

    for info in model.parameter_table("kazakhstan"):
        name = identifier_of(info.path)
        assert name.isidentifier() and path_of(name) == info.path
    assert model.run(steps=2, rivalry__pairs__RUS_WEST=0.3) == model.run(steps=2, **{"rivalry.pairs.RUS-WEST": 0.3})
