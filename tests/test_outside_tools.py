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


def test_ema_over_every_parameter_with_seeds_and_the_rule_lever_on_the_array_engine():
    """``ema_model()`` over all its parameters, two seeds per experiment and the rule as a lever:
    the batched evaluator gives EMA's own sequential numbers, which are means of ``model.run``."""
    ema_workbench = pytest.importorskip("ema_workbench")
    from multivector.experiments.ema import EnsembleEvaluator, ema_model

    ema = ema_model(steps=8, replications=2, strategies=["balance", "hedge"])
    numeric = [i for i in model.parameter_table("kazakhstan") if i.type in ("int", "float", "bool")]
    assert len(ema.uncertainties) == len(numeric) > 200 and [lever.name for lever in ema.levers] == ["strategy"]
    rng = np.random.default_rng(5)
    scenarios = [ema_workbench.Sample(**{u.name: (bool(rng.integers(2)) if isinstance(u, ema_workbench.BooleanParameter)
                                                   else rng.integers(u.lower_bound, u.upper_bound + 1)
                                                   if isinstance(u, ema_workbench.IntegerParameter)
                                                   else rng.uniform(u.lower_bound, u.upper_bound))
                                         for u in ema.uncertainties}) for _ in range(2)]
    policies = [ema_workbench.Sample(strategy=rule) for rule in ("balance", "hedge")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with EnsembleEvaluator(ema) as evaluator:
            experiments, outcomes = evaluator.perform_experiments(scenarios=scenarios, policies=policies)
        with ema_workbench.SequentialEvaluator(ema) as evaluator:
            _, one_by_one = evaluator.perform_experiments(scenarios=scenarios, policies=policies)
    assert len(experiments) == 4 and set(experiments["strategy"]) == {"balance", "hedge"}
    for name, values in outcomes.items():
        assert np.array_equal(values, one_by_one[name]), name
    first = experiments.iloc[0]
    runs = [model.run(strategy=first["strategy"], steps=8, seed=k, **{u.name: first[u.name] for u in ema.uncertainties})
            for k in (0, 1)]
    assert outcomes["autonomy_mean"][0] == np.mean([r["autonomy_mean"] for r in runs])
    assert runs[0] != runs[1], "the two replications have seeds of their own"
    assert len(set(outcomes["autonomy_mean"])) > 1


def test_ema_model_refuses_bad_replications_and_rules_in_one_line():
    pytest.importorskip("ema_workbench")
    from multivector.experiments.ema import ema_model
    from multivector.experiments.errors import UsageError

    with pytest.raises(UsageError, match="replications must be an integer >= 1, got True"):
        ema_model(replications=True)
    with pytest.raises(UsageError, match="unknown strategy 'dither'"):
        ema_model(strategies=["balance", "dither"])
    assert ema_model(replications=np.int64(3), parameters=["rivalry.scale"]).nreplications == 3


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


NUMPY_SCALARS = [np.int64, np.int32, np.uint16]


@pytest.mark.parametrize("kind", NUMPY_SCALARS)
def test_numpy_integers_count_as_ints_everywhere(kind):
    plain = model.run(strategy="balance", steps=6, seed=2, adaptive__period=3, rivalry__scale=1)
    numpy = model.run(strategy="balance", steps=kind(6), seed=kind(2), adaptive__period=kind(3),
                      rivalry__scale=kind(1))
    assert numpy == plain
    frame = model.simulate(seed=kind(2), steps=kind(4), overrides={"adaptive.period": kind(3)})
    many = model.simulate_many("kazakhstan", ["hedge"], [kind(2)], steps=kind(4),
                               overrides=[{"adaptive.period": kind(3)}])
    assert frame.equals(many[0]) and len(frame) == 5
    assert model.MultivectorModel(steps=kind(4), rng=kind(2)).max_steps == 4


def test_numpy_floats_and_bools_count_as_floats_and_bools():
    value = np.float32(0.25)
    assert model.run(steps=4, rivalry__scale=value) == model.run(steps=4, rivalry__scale=float(value))
    assert model.run(steps=4, hedge__dominance_denial=np.False_) == model.run(steps=4, hedge__dominance_denial=False)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: model.run(steps=2, adaptive__period=np.True_), "'adaptive.period': expected an int, got True"),
    (lambda: model.run(steps=2, adaptive__period=True), "'adaptive.period': expected an int, got True"),
    (lambda: model.run(steps=2, rivalry__scale=np.bool_(False)), "'rivalry.scale': expected a float"),
    (lambda: model.run(steps=2, rivalry__scale=np.str_("much")), "'rivalry.scale': expected a float"),
    (lambda: model.run(steps=np.True_), "steps must be a non-negative integer"),
    (lambda: model.run(steps=2.0), "steps must be a non-negative integer"),
    (lambda: model.run(steps=2, seed=True), "seed must be a non-negative integer"),
    (lambda: model.run(steps=2, seed=np.float64(1.5)), "seed must be a non-negative integer"),
    (lambda: model.MultivectorModel(rng="seven"), "seed must be a non-negative integer"),
    (lambda: model.simulate_many("kazakhstan", ["hedge"], [np.True_], steps=2), "seed must be a non-negative"),
])
def test_bools_text_and_fractions_are_still_refused_in_one_line(call, message):
    with pytest.raises(model.ModelInputError, match=message) as refused:
        call()
    assert "\n" not in str(refused.value)


def test_batch_run_over_a_numpy_range_of_an_int_parameter():
    rows = mesa.batch_run(model.MultivectorModel, parameters={"strategy": "adaptive", "adaptive__period": np.arange(1, 4),
                                                               "steps": np.int64(12)},
                          rng=list(np.arange(2)), max_steps=12, number_processes=1, display_progress=False)
    finals = pd.DataFrame(rows).groupby(["adaptive__period", "rng"]).last()
    assert sorted(finals.index.get_level_values(0).unique()) == [1, 2, 3]
    assert len(finals) == 6 and (pd.DataFrame(rows)["step"].max() == 12)
