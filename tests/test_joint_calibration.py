"""Calibration for every case with a pack, the joint calibration (one world for every case) and
leave-one-case-out: a second case calibrates from a design generated from its pack; the joint
design shares a power's parameters with every case the power is in and no other; an interrupted
joint calibration resumes to the same bytes; bad input is one line and exit 2; the leave-one-out
baselines rewrite the record as they say."""

from __future__ import annotations

import tomllib

import numpy as np
import pandas as pd
import pytest
from calibration_resume import assert_resume_reproduces

from multivector import model
from multivector.experiments.calibration import joint, leave_one_out, priors
from multivector.experiments.cli import main

# Two small cases that share one patron and the composite, and one without that patron.
SHARED_PATRON = ("georgia", "armenia")


def patron_of(case: str) -> str:
    """The first power id of ``case`` (read from its scenario, so no id is typed here)."""
    return model.load_scenario(case).power_ids[0]


def test_a_case_design_frees_the_worlds_its_powers_and_its_rules_parameters():
    for case in ("mongolia", "georgia"):
        paths = {p.path for p in priors.case_priors(case)}
        assert set(priors.WORLD) <= paths
        for power in model.load_scenario(case).power_ids:
            assert f"powers.{power}.tolerance" in paths and f"powers.{power}.pressure_threshold" in paths
        for rule in priors.historical_rules(case):
            assert set(priors.rule_parameters(rule)) <= paths
        assert not any(p.startswith("secondary.") for p in paths)  # the leader's traits are the case's own
    # a case that balanced frees the balancing constants; one that only hedged does not
    assert "balance.investment" in {p.path for p in priors.case_priors("georgia")}
    assert "balance.investment" not in {p.path for p in priors.case_priors("mongolia")}


@pytest.mark.slow
def test_calibrate_a_second_case_by_name(tmp_path, capsys):
    out = tmp_path / "mongolia"
    assert main(["calibrate", "mongolia", "--out", str(out), "--quick", "--quiet"]) == 0
    design = tomllib.loads((out / "design.toml").read_text())
    assert design["experiment"]["scenario"] == "mongolia" and design["experiment"]["strategies"] == ["historical"]
    posterior = pd.read_csv(out / "posterior.csv")
    assert list(posterior.columns) == ["particle", *design["factors"], "weight", "distance"]
    predictive = pd.read_csv(out / "predictive.csv")
    assert list(predictive["fact"]) == [f"M{i}" for i in range(1, 8)]
    assert "counting facts" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["calibrate", "stylised"], "has no case pack"),
    (["calibrate", "atlantis"], "neither a calibration file nor a scenario"),
    (["calibrate", "--cases", "atlantis"], "not a scenario"),
    (["calibrate", "--cases", "stylised", "georgia"], "has no case pack"),
    (["calibrate", "--cases", "georgia"], "at least two cases"),
    (["calibrate", "--cases", "georgia", "georgia"], "named twice"),
    (["calibrate"], "give a calibration file"),
])
def test_bad_cases_are_one_line_and_exit_2(tmp_path, capsys, argv, message):
    assert main([*argv, "--out", str(tmp_path / "out"), "--quick"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_malformed_joint_design_is_one_line_and_exit_2(tmp_path, capsys):
    bad = tmp_path / "joint.toml"
    bad.write_text("[experiment]\nname = 'x'\n[joint]\ncases = []\n")  # no seed
    assert main(["calibrate", str(bad), "--out", str(tmp_path / "out"), "--quick"]) == 2
    err = capsys.readouterr().err
    assert "not a joint design" in err and err.count("\n") == 1


def test_one_power_parameter_moves_every_case_with_that_power_and_no_other():
    cases = (*SHARED_PATRON, "cambodia")
    patron = patron_of(SHARED_PATRON[0])
    assert patron == patron_of(SHARED_PATRON[1]) and patron not in model.load_scenario("cambodia").power_ids
    factors = joint.joint_priors(cases)
    paths = tuple(f.path for f in factors)
    path = f"powers.{patron}.pressure_threshold"
    shared = next(f for f in factors if f.path == path)
    assert shared.cases == SHARED_PATRON  # listed once, for the cases it is in
    assert paths.count(path) == 1
    low, high = np.array([f.low for f in factors]), np.array([f.high for f in factors])
    values = (low + high) / 2
    moved = values.copy()
    moved[paths.index(path)] = high[paths.index(path)]
    for case in SHARED_PATRON:  # the same value in both, and moving it moves both
        before, after = joint.case_values(paths, values, case), joint.case_values(paths, moved, case)
        assert after[path] == moved[paths.index(path)] and before[path] != after[path]
        assert {k: v for k, v in before.items() if k != path} == {k: v for k, v in after.items() if k != path}
    assert joint.case_values(paths, values, "cambodia") == joint.case_values(paths, moved, "cambodia")
    # a world parameter reaches every case; a rule's constants are one parameter for all its followers
    assert all("reactions.pressure_cost" in joint.case_values(paths, values, c) for c in cases)
    assert next(f for f in factors if f.path == "bandwagon.loyalty").owner == "bandwagon"


def test_the_shared_value_reaches_each_cases_world():
    """Moving the patron's pressure threshold changes what both its neighbours' runs record."""
    patron = patron_of(SHARED_PATRON[0])
    path = f"powers.{patron}.pressure_threshold"
    for case in SHARED_PATRON:
        pressed = []
        for value in (-1.0, 1.0):  # never presses / presses at any dissatisfaction
            world = model.Ensemble(case, ["historical"] * 2, [{path: value}] * 2,
                                   [np.random.SeedSequence(5, spawn_key=(r,)) for r in range(2)], steps=60)
            runs = leave_one_out.simulate_world(world)
            pressed.append(float(runs[f"pressure_{patron}"].sum()))
        assert pressed[0] != pressed[1], case


@pytest.mark.slow
def test_joint_calibration_writes_per_case_tables_reproduces_itself_and_resumes(tmp_path, monkeypatch):
    out = tmp_path / "joint"
    argv = ["calibrate", "--cases", *SHARED_PATRON, "--quick", "--quiet"]
    assert main([*argv, "--out", str(out)]) == 0
    for name in ("posterior.csv", "sets.csv", "prior.csv", "generations.csv", "predictive.csv", "cases.csv",
                 "parameters.csv", "calibrated.toml", "calibration.json", "report.md", "figures/marginals.png",
                 "figures/predictive.png", "figures/diagnostics.png"):
        assert (out / name).exists(), name
    cases = pd.read_csv(out / "cases.csv")
    assert list(cases["case"]) == list(SHARED_PATRON)
    predictive = pd.read_csv(out / "predictive.csv")
    assert set(predictive["case"]) == set(SHARED_PATRON) and predictive["posterior_share"].between(0, 1).all()
    overrides = joint.world_overrides("georgia", out)
    assert f"powers.{patron_of('georgia')}.tolerance" in overrides and "reactions.refusal_price" in overrides

    assert_resume_reproduces(monkeypatch, argv, out, tmp_path / "interrupted")
    # another set of cases is another calibration: --resume refuses it
    assert main(["calibrate", "--cases", "georgia", "ukraine", "--quick", "--quiet", "--out", str(out),
                 "--resume"]) == 2


def test_world_overrides_without_a_calibration_is_one_line(tmp_path):
    from multivector.experiments.errors import UsageError

    with pytest.raises(UsageError, match="no joint calibration"):
        joint.world_overrides("georgia", tmp_path)


def test_the_shipped_joint_world_gives_each_case_its_own_powers_values():
    if not (joint.SHIPPED / "calibrated.toml").is_file():
        pytest.skip("no shipped joint calibration")
    chosen = tomllib.loads((joint.SHIPPED / "calibrated.toml").read_text())["fixed"]
    for case in ("georgia", "cambodia"):
        values = joint.world_overrides(case)
        assert values and all(values[p] == chosen[p] for p in values)
        powers = set(model.load_scenario(case).power_ids)
        assert {p.split(".")[1] for p in values if p.startswith("powers.")} <= powers


def test_the_baselines_rewrite_the_record_as_they_say():
    world = model.Ensemble("georgia", ["historical"] * 2, [{}] * 2,
                           [np.random.SeedSequence(1, spawn_key=(r,)) for r in range(2)], steps=60)
    runs = leave_one_out.simulate_world(world)
    patron = patron_of("georgia")
    quiet = leave_one_out.nothing_happens(runs)
    for column in (f"pressure_{patron}", f"coercion_{patron}", f"demands_{patron}", f"client_status_{patron}"):
        assert not quiet[column].any()
    assert np.array_equal(quiet[f"engagement_{patron}_security"], runs[f"engagement_{patron}_security"])
    held = leave_one_out.first_decade_forward(runs, quarters=20)
    column = f"engagement_{patron}_economy"
    assert np.array_equal(held[column][:, :20], runs[column][:, :20])
    assert (held[column][:, 20:] == runs[column][:, 19:20]).all()


def test_leave_one_out_tables_from_finished_cases_and_the_comparison_with_baselines(tmp_path):
    """The tables are built from each held-out case's rows; --partial lists the cases not held out;
    a fact counts as beating the baselines only with a larger share than every one of them."""
    def rows(case, shares):
        out = []
        for k, (model_share, nothing, average, first) in enumerate(shares):
            best = max(nothing, 0.0 if np.isnan(average) else average, first)
            out.append({"case": case, "fact": f"F{k}", "name": "x", "model_share": model_share,
                        "model_hit": model_share >= 0.5, "nothing_share": nothing, "nothing_hit": nothing >= 0.5,
                        "average_share": average, "average_hit": bool(average >= 0.5), "average_cases": 1,
                        "first_decade_share": first, "first_decade_hit": first >= 0.5, "unshared": "",
                        "beats_every_baseline": model_share > best, "at_least_every_baseline": model_share >= best})
        return out

    cases = ("georgia", "ukraine", "armenia")
    for case, shares in (("georgia", [(0.9, 0.2, 0.5, 0.1), (0.6, 0.6, np.nan, 0.0)]),
                         ("ukraine", [(0.1, 0.0, 0.3, 0.0), (0.4, 0.7, 0.2, 0.1)])):
        (tmp_path / "runs" / case).mkdir(parents=True)
        pd.DataFrame(rows(case, shares)).to_csv(tmp_path / "runs" / case / "held-out.csv", index=False)
    assert leave_one_out.run(tmp_path, cases, leave_one_out.BUDGET, announce=lambda line: None, hold_out=()) is None
    table = leave_one_out.run(tmp_path, cases, leave_one_out.BUDGET, announce=lambda line: None, hold_out=(),
                              partial=True)
    assert list(table["beats_every_baseline"]) == [True, False, False, False]
    summary = pd.read_csv(tmp_path / "leave-one-out-cases.csv")
    assert list(summary["case"]) == ["georgia", "ukraine"]
    assert list(summary["model_hits"]) == [2, 0] and list(summary["nothing_hits"]) == [1, 1]
    assert list(summary["predicted"]) == [True, False] and summary.loc[1, "missed"] == "F0 F1"
    text = (tmp_path / "leave-one-out.md").read_text()
    assert "Not held out" in text and "armenia" in text and "does **not** beat" in text
    assert (tmp_path / "figures" / "leave-one-out.png").is_file()


def test_leave_one_out_refuses_bad_cases_in_one_line(tmp_path, capsys):
    assert leave_one_out.main(["--out", str(tmp_path / "o"), "--cases", "georgia", "ukraine"]) == 2
    assert "at least three cases" in capsys.readouterr().err
    assert leave_one_out.main(["--out", str(tmp_path / "o"), "--cases", "georgia", "ukraine", "armenia",
                               "--hold-out", "mongolia"]) == 2
    assert "not among the cases" in capsys.readouterr().err
