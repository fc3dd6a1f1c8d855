"""Patterns, fit statistics and calibration: each pattern computes its verdict from the run (a
perturbed parameter flips it), the fit statistics and baselines are right on known series, the
ABC-SMC calibration's pieces (the 90% rule, the distance, weighted summaries) do what they say, and
``multivector patterns`` and ``multivector calibrate --quick`` work end to end, reproduce
themselves and resume."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from calibration_resume import assert_resume_reproduces

from multivector import model
from multivector.experiments.calibration import fit, summary
from multivector.experiments.calibration.calibrate import dump_toml
from multivector.experiments.cases import pack
from multivector.experiments.cases.facts import Runs
from multivector.experiments.cli import main
from multivector.experiments.sweep.experiment import load_experiment, parse_experiment

DESIGNS = Path(__file__).resolve().parents[1] / "experiments" / "designs"
CALIBRATION = DESIGNS / "calibrate-kazakhstan.toml"


def score_one(frame) -> dict[str, float]:
    columns = summary.score(Runs.from_frames([frame], ("RUS", "CHN", "WEST")), pack("kazakhstan"))
    return {k: float(v[0]) for k, v in columns.items()}


def verdicts(**overrides) -> dict[str, bool]:
    frame = model.simulate("kazakhstan", "hedge", seed=2, overrides=overrides or None)
    scored = score_one(frame)
    return {f.id: bool(scored[f.id]) for f in pack("kazakhstan").facts}


def test_every_fact_reports_a_verdict_a_figure_and_whether_its_event_occurred():
    scored = score_one(model.simulate("kazakhstan", "hedge", seed=1))
    facts = pack("kazakhstan").facts
    for fact in facts:
        assert scored[fact.id] in (0.0, 1.0) and scored[f"{fact.id}_occurred"] in (0.0, 1.0)
        assert np.isfinite(scored[f"{fact.id}_figure"]) or fact.id == "P5"
    assert scored["patterns_passed"] == sum(scored[f.id] for f in facts)


@pytest.mark.parametrize("pattern, passing, failing", [
    # a bandwagoner with Russia from 1992 that free-rides on it (no own capacity) becomes its client
    ("P2", {}, {"switch.date": "1992Q1", "switch.rule": "bandwagon", "secondary.patron": "RUS",
                "bandwagon.investment": 0.0}),
    # military coercion made likely
    ("P4", {"reactions.coercion_intercept": -20.0}, {"reactions.coercion_intercept": 5.0}),
    # the West's security ties pushed above the observed range by a higher indirect-balancing floor
    ("P10", {}, {"hedge.indirect_balancing_floor": 0.3}),
])
def test_a_perturbed_parameter_flips_a_patterns_verdict(pattern, passing, failing):
    """No verdict is typed in: each comes from the run, and a run that differs in one respect
    the fact is about gets the other verdict."""
    assert verdicts(**passing)[pattern] is True
    assert verdicts(**failing)[pattern] is False


def test_the_shipped_point_summary_is_the_scenarios_calibrated_value():
    """calibrated.toml (the posterior's point summary) is what the kazakhstan scenario runs with."""
    import tomllib

    calibrated = tomllib.loads((Path(__file__).resolve().parents[1] / "experiments" / "data" /
                                "calibration-kazakhstan" / "calibrated.toml").read_text())["fixed"]
    from multivector.model.parameters import parameter_rows
    from multivector.model.scenarios import load_scenario

    parameters = {row.path: row.default for row in parameter_rows(load_scenario("kazakhstan").parameters)}
    for path, value in calibrated.items():
        assert parameters[path] == pytest.approx(value), path


def test_hedging_still_loses_in_the_shipped_region_with_the_calibrated_behaviour(tmp_path):
    """The calibrated leader and great-power reactions (the parameters that are not one power's)
    applied to the stylised region where hedging should lose: it still keeps less autonomy than
    bandwagoning."""
    import re
    import tomllib

    from multivector.experiments.sweep.sweeper import run_sweep

    calibrated = tomllib.loads((Path(__file__).resolve().parents[1] / "experiments" / "data" /
                                "calibration-kazakhstan" / "calibrated.toml").read_text())["fixed"]
    general = {k: v for k, v in calibrated.items() if not k.startswith("powers.")}
    assert len(general) >= 8
    text = (DESIGNS / "hedging-loses.toml").read_text()
    text = re.sub(r"(?m)^replications = \d+", "replications = 6", text)
    text = re.sub(r"(?m)^steps = \d+", "steps = 60", text)
    text = text.replace("[fixed]", "[fixed]\n" + "\n".join(f'"{k}" = {v!r}' for k, v in general.items()))
    path = tmp_path / "loses-calibrated.toml"
    path.write_text(text)
    run_sweep(path, tmp_path / "out", workers=1, progress=False, announce=lambda line: None)
    runs = pd.read_parquet(tmp_path / "out" / "runs.parquet")
    autonomy = runs.groupby("strategy")["autonomy_mean"].mean()
    assert autonomy["hedge"] < autonomy["bandwagon"] - 0.01, autonomy


def _fit(frame):
    columns = fit.fit_statistics(Runs.from_frames([frame], ("RUS", "CHN", "WEST")),
                                 summary.observed_series(pack("kazakhstan")))
    return {k: float(v[0]) for k, v in columns.items()}


# --- fit statistics ---------------------------------------------------------------------------------

def test_fit_statistics_and_baselines_on_known_series():
    years = np.arange(2000, 2010, dtype=float)
    data = 0.5 - 0.02 * (years - 2000) + 0.01 * np.sin(years)
    perfect = fit.series_statistics(years, data.copy(), data)
    assert perfect["rmse"] == 0 and perfect["change_correlation"] == pytest.approx(1)
    assert perfect["detrended_correlation"] == pytest.approx(1)
    assert perfect["rmse_constant"] == pytest.approx(np.sqrt(np.mean((data - data[0]) ** 2)))
    slope, intercept = np.polyfit(years, data, 1)
    assert perfect["rmse_trend"] == pytest.approx(np.sqrt(np.mean((data - slope * years - intercept) ** 2)))
    flat = fit.series_statistics(years, np.full_like(data, data[0]), data)
    assert flat["rmse"] == pytest.approx(flat["rmse_constant"]) and np.isnan(flat["change_correlation"])
    gap = data.copy()
    gap[3] = np.nan
    assert np.isfinite(fit.series_statistics(years, data, gap)["rmse"]), "missing years are left out"


def test_fit_statistics_of_many_runs_at_once_equal_one_run_at_a_time():
    years = np.arange(1994, 2015, dtype=float)
    rng = np.random.default_rng(3)
    data = 0.4 + 0.01 * (years - 1994) + rng.normal(0, 0.02, len(years))
    data[5] = np.nan
    runs = 0.3 + rng.normal(0, 0.05, (4, len(years))).cumsum(axis=1) * 0.1
    together = fit.series_statistics(years, runs, data)
    for r in range(4):
        one = fit.series_statistics(years, runs[r], data)
        for name, value in one.items():
            assert together[name][r] == pytest.approx(value, rel=1e-9), name


def test_observed_trade_leaves_out_russias_recording_gap():
    from multivector.experiments.cases.kazakhstan.fit import observed

    trade = observed("trade")
    assert trade.index.min() == 1994 and trade.index.max() == 2014
    assert trade.loc[[2010, 2011], "RUS"].isna().all() and trade["CHN"].notna().all()
    assert trade.loc[1994, "RUS"] == pytest.approx(0.5047, abs=1e-4)


def test_a_fit_statistic_moves_with_a_parameter():
    base = _fit(model.simulate("kazakhstan", "hedge", seed=2))
    other = _fit(model.simulate("kazakhstan", "hedge", seed=2,
                                              overrides={"powers.RUS.opportunity_economy": 12.0}))
    assert base["trade_rmse_RUS"] != other["trade_rmse_RUS"]


# --- the patterns command -----------------------------------------------------------------------------

def test_patterns_command_scores_a_run_file(tmp_path, capsys):
    out = tmp_path / "run.csv"
    assert main(["run", "--seed", "3", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["patterns", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "P1 domain split" in printed and "P10" in printed and "patterns reproduced" in printed
    assert "trade" in printed and "arms" in printed


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "missing.csv", "no such run file"),
    (lambda d: (d / "bad.csv").write_text("a,b\n1,2\n") and d / "bad.csv", "not a run"),
    (lambda d: d, "did not score patterns"),
])
def test_patterns_command_refuses_bad_input_in_one_line(tmp_path, capsys, make, message):
    if message == "did not score patterns":
        assert main(["sweep", str(DESIGNS / "smoke.toml"), "--out", str(tmp_path / "smoke"), "--workers", "1",
                     "--quiet"]) == 0
        target = tmp_path / "smoke"
    else:
        target = make(tmp_path)
    capsys.readouterr()
    assert main(["patterns", str(target)]) == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1


def test_a_sweep_can_score_patterns_and_refuses_where_it_cannot(tmp_path):
    text = CALIBRATION.read_text().replace('scenario = "kazakhstan"', 'scenario = "no-west"')
    with pytest.raises(Exception, match="no case pack|powers.WEST"):
        parse_experiment(text, "no-west.toml")


# --- calibration ------------------------------------------------------------------------------------

def test_the_calibration_file_is_valid_and_every_factor_is_a_range():
    experiment = load_experiment(CALIBRATION)
    assert experiment.calibration is not None and experiment.design.kind == "lhs"
    assert experiment.summaries and experiment.strategies == ("hedge",)
    assert all(f.is_range for f in experiment.factors.values())


def test_a_fact_passing_in_more_than_90_percent_of_the_prior_does_not_count(tmp_path):
    from multivector.experiments.calibration.calibrate import Calibration

    calibration = Calibration(CALIBRATION, tmp_path, quick=True, resume=False, announce=lambda line: None)
    prior = pd.DataFrame({f: [0.5] * 10 for f in calibration.facts})
    prior["P2"] = [1.0] * 10  # always
    prior["P7"] = [1.0] * 9 + [0.0]  # 90%: exactly the bar, still counts
    prior["P8"] = [1.0] * 9 + [0.5]  # 95%
    counting = calibration.counting_facts(prior)
    assert "P2" not in counting and "P8" not in counting and "P7" in counting and "P1" in counting


def test_the_distance_is_zero_only_for_every_fact_and_a_perfect_path_and_grows_with_misses():
    from multivector.experiments.calibration.distance import PatternDistance

    distance = PatternDistance(("P1", "P3"), fit_weight=0.5)
    perfect = {"P1": 1.0, "P3": 1.0, "P2": 0.0, "fit_constant": 0.0, "fit_trend": 0.0}
    assert distance(perfect) == 0.0, "a fact that does not count is ignored"
    assert distance({**perfect, "P1": 0.5}) == pytest.approx(0.25)
    assert distance({**perfect, "fit_constant": 1.0, "fit_trend": 0.5}) == pytest.approx(0.5 * 0.75)


def test_weighted_summaries_of_a_posterior_sample():
    from multivector.experiments.calibration.calibrate import effective_sample_size, systematic_resample, weighted_quantile

    values = np.array([1.0, 2.0, 3.0, 4.0])
    assert weighted_quantile(values, np.array([0.1, 0.1, 0.7, 0.1]), 0.5) == 3.0
    assert weighted_quantile(values, np.ones(4), 0.5) == 2.0
    assert effective_sample_size(np.ones(10)) == pytest.approx(10)
    assert effective_sample_size(np.array([1.0, 0, 0, 0])) == pytest.approx(1)
    picks = systematic_resample(np.array([0.5, 0.0, 0.25, 0.25]), 8)
    assert list(np.bincount(picks, minlength=4)) == [4, 0, 2, 2]


def test_generated_experiment_files_round_trip():
    spec = {"experiment": {"name": "x", "scenario": "stylised", "steps": 4, "strategies": ["hedge"]},
            "design": {"kind": "lhs", "samples": 3, "seed": 1},
            "factors": {"secondary.prudence": {"low": 0.1, "high": 0.9}}, "fixed": {"hedge.fallback": False}}
    experiment = parse_experiment(dump_toml(spec, "a header"), "x.toml")
    assert experiment.factors["secondary.prudence"].high == 0.9 and experiment.fixed["hedge.fallback"] is False


@pytest.mark.parametrize("change, message", [
    (lambda t: t.replace("min_patterns = 6", "min_patterns = 11"), "more than the 10 facts"),
    (lambda t: t.replace('fit_series = ["trade"]', 'fit_series = ["gdp"]'), "not an observed series"),
    (lambda t: t.replace('kind = "lhs"', 'kind = "morris"'), "design.kind"),
    (lambda t: t.replace("population = 300", "population = 1"), "population"),
    (lambda t: t.replace('scenario = "kazakhstan"', 'scenario = "no-institutions"'), "no case pack"),
])
def test_bad_calibration_settings_are_one_line_and_exit_2(tmp_path, capsys, change, message):
    path = tmp_path / "bad.toml"
    path.write_text(change(CALIBRATION.read_text()))
    assert main(["calibrate", str(path), "--out", str(tmp_path / "out"), "--quick", "--quiet"]) == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir()), "nothing half-written"


def test_calibrate_without_pyabc_says_how_to_install_it_in_one_line(tmp_path, capsys, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pyabc", None)  # as if not installed
    assert main(["calibrate", str(CALIBRATION), "--out", str(tmp_path / "out"), "--quick"]) == 2
    error = capsys.readouterr().err
    assert "multivector[calibrate]" in error and error.count("\n") == 1


OUTPUTS = ("report.md", "prior.csv", "posterior.csv", "sets.csv", "generations.csv", "predictive.csv", "fit.csv",
           "calibrated.toml", "calibration.json", "figures/marginals.png", "figures/predictive.png",
           "figures/diagnostics.png", "figures/trade.png", "figures/arms.png")


@pytest.mark.slow
def test_quick_calibration_writes_its_posterior_reproduces_itself_and_resumes(tmp_path, capsys, monkeypatch):
    out = tmp_path / "calibration"
    assert main(["calibrate", str(CALIBRATION), "--out", str(out), "--quick", "--quiet"]) == 0
    for name in OUTPUTS:
        assert (out / name).exists(), name
    posterior = pd.read_csv(out / "posterior.csv")
    factors = list(load_experiment(CALIBRATION).factors)
    assert list(posterior.columns) == ["particle", *factors, "weight", "distance"]
    assert posterior["weight"].sum() == pytest.approx(1) and (posterior["weight"] > 0).all()
    generations = pd.read_csv(out / "generations.csv")
    assert list(generations.columns) == ["generation", "epsilon", "particles", "evaluations", "acceptance_rate",
                                         "effective_sample_size"]
    assert generations["epsilon"].is_monotonic_decreasing and (generations["acceptance_rate"] <= 1).all()
    predictive = pd.read_csv(out / "predictive.csv")
    assert list(predictive["fact"]) == [f"P{i}" for i in range(1, 11)]
    assert {"prior_share", "posterior_share", "counts", "posterior_occurred"} <= set(predictive.columns)
    assert set(pd.read_csv(out / "fit.csv")["series"]) == {"trade", "arms"}
    assert set(load_experiment_text(out / "calibrated.toml")) == set(factors)
    assert len(pd.read_csv(out / "sets.csv")) == load_experiment(CALIBRATION).calibration.resample
    report = (out / "report.md").read_text()
    assert "ABC-SMC" in report and "| trade | RUS |" in report and "linear trend" in report

    # refused without --resume; with it, a finished calibration changes nothing
    capsys.readouterr()
    assert main(["calibrate", str(CALIBRATION), "--out", str(out), "--quick"]) == 2
    assert "--resume" in capsys.readouterr().err

    # the same seed gives the same bytes, also when the run is interrupted after its first generation and resumed
    assert_resume_reproduces(monkeypatch, ["calibrate", str(CALIBRATION), "--quick", "--quiet"], out,
                             tmp_path / "interrupted")


def load_experiment_text(path: Path) -> dict:
    import tomllib

    return tomllib.loads(path.read_text())["fixed"]


def test_per_parameter_kernels_stay_in_range_and_their_density_integrates_to_one():
    """The proposal density the importance weights divide by is a density over the prior's box,
    and every proposal falls inside it."""
    from multivector.experiments.calibration.abc import TruncatedKernels

    rng = np.random.default_rng(4)
    X = pd.DataFrame({"a": rng.uniform(0, 1, 40), "b": rng.uniform(2, 3, 40) ** 2})
    kernels = TruncatedKernels({"a": (0.0, 1.0), "b": (4.0, 9.0)})
    kernels.fit(X, rng.uniform(0.5, 1.5, 40))
    np.random.seed(0)
    draws = pd.DataFrame([kernels.rvs_single() for _ in range(200)])
    assert draws["a"].between(0, 1).all() and draws["b"].between(4, 9).all()
    a, b = np.linspace(0, 1, 201), np.linspace(4, 9, 201)
    grid = pd.DataFrame([(x, y) for x in a for y in b], columns=["a", "b"])
    mass = kernels.pdf(grid).reshape(201, 201)
    assert np.trapezoid(np.trapezoid(mass, b, axis=1), a) == pytest.approx(1, abs=0.02)
    assert kernels.pdf({"a": 1.5, "b": 5.0}) == 0.0


def test_scenario_values_replace_marked_values_in_place_and_add_new_tables_before_the_events():
    import tomllib

    from multivector.experiments.calibration.scenario_values import apply

    text = ("[scenario]\nname = \"x\"\n\n[parameters.secondary]\nprudence = 0.5  # calibrated\nother = 1\n\n"
            "[[events]]\ndate = \"2000Q1\"\n")
    out = apply(text, {"secondary.prudence": 0.25, "crisis.treaty_commitment": 1.1},
                {"secondary.prudence": "calibrated (posterior median)", "crisis.treaty_commitment": "calibrated (x)"})
    data = tomllib.loads(out)
    assert data["parameters"]["secondary"] == {"prudence": 0.25, "other": 1}
    assert data["parameters"]["crisis"]["treaty_commitment"] == 1.1
    assert "prudence = 0.25  # calibrated (posterior median)" in out
    assert out.index("[parameters.crisis]") < out.index("[[events]]")


def test_params_says_which_values_the_shipped_calibration_sets(capsys):
    import json

    assert main(["params", "--json"]) == 0
    rows = {r["path"]: r for r in json.loads(capsys.readouterr().out)}
    calibrated = load_experiment_text(Path(__file__).resolve().parents[1] / "experiments" / "data" /
                                      "calibration-kazakhstan" / "calibrated.toml")
    for path, value in calibrated.items():
        assert "calibrated (posterior median" in rows[path]["source"] and "placeholder" not in rows[path]["source"]
        assert rows[path]["default"] == pytest.approx(value)
    assert "placeholder" in rows["reactions.stake_cost"]["source"]
