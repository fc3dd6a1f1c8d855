"""The cross-case test (issue 18 items 3-4): the case-by-rule matrix, the structural drivers, C10 from
real cases and ``multivector report --cases``. Tiny matrices: few cases, rules, seeds and quarters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from multivector import model
from multivector.experiments.compare import run_metrics
from multivector.experiments.cross_case import drivers, matrix, verdict
from multivector.experiments.report.evidence import NOT_SUPPORTED, SUPPORTED, TESTED, UNTESTABLE

CASES = ["georgia", "vietnam"]
RULES = ["hedge", "balance"]
SEEDS, STEPS = 3, 12


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    out = tmp_path_factory.mktemp("matrix")
    lines: list[str] = []
    built = matrix.run_matrix(out, CASES, RULES, replications=SEEDS, steps=STEPS, workers=1, progress=False,
                              announce=lines.append)
    return out, built, lines


def test_the_tiny_matrix_has_every_case_rule_form_and_seed(tiny):
    _, m, _ = tiny
    forms = matrix.shipped_forms()
    with_best = [f for f in forms if "balance" in f.overrides]
    for case in CASES:
        runs = m.runs[m.runs["case"] == case]
        assert set(runs["strategy"]) == {*RULES, model.HISTORICAL}  # the record is the reference row
        assert len(runs[(runs["strategy"] == "balance")]) == SEEDS * (1 + len(with_best))
        assert len(runs[runs["strategy"] == "hedge"]) == SEEDS * (1 + sum("hedge" in f.overrides for f in forms))
        assert sorted(runs["replication"].unique()) == list(range(SEEDS))
    assert m.runs[list(matrix.METRICS)].notna().all().all()


def test_every_cell_has_an_interval_around_its_mean(tiny):
    _, m, _ = tiny
    summary = m.summary()
    assert set(summary["metric"]) == set(matrix.METRICS)
    assert (summary["low"] <= summary["mean"] + 1e-12).all() and (summary["mean"] <= summary["high"] + 1e-12).all()
    assert (summary["seeds"] == SEEDS).all()
    contest = m.contest()
    assert len(contest) == len(CASES) * 1 * 2  # one alternative, utility and autonomy
    assert (contest["low"] <= contest["estimate"]).all() and (contest["estimate"] <= contest["high"]).all()
    assert (contest["hedge_better"] == (contest["low"] > 0)).all()  # the contest section's rule


def test_the_best_available_form_is_the_one_with_the_highest_utility(tiny):
    _, m, _ = tiny
    best = m.best_forms()
    means = m.runs.groupby(["case", "strategy", "form"])["utility"].mean()
    for row in best.itertuples():
        assert row.utility == pytest.approx(means[row.case][row.strategy].max())


def test_a_matrix_run_equals_the_same_seed_run_on_its_own(tiny):
    """The outcomes the matrix computes from its sweep's quarters are `compare`'s for the same seed."""
    _, m, _ = tiny
    seed = np.random.SeedSequence(matrix.SEED, spawn_key=(0, 1))
    from multivector.experiments.cross_case.world import world_for

    frame = model.simulate("georgia", "hedge", seed, STEPS, overrides=world_for("georgia").overrides or None)
    expected = run_metrics(frame, model.load_scenario("georgia").power_ids)
    row = m.runs[(m.runs["case"] == "georgia") & (m.runs["strategy"] == "hedge") & (m.runs["form"] == "defaults")
                 & (m.runs["replication"] == 1)].iloc[0]
    for metric in matrix.METRICS:
        assert row[metric] == pytest.approx(expected[metric], rel=1e-9, abs=1e-12), metric


def test_a_finished_matrix_is_reused_not_rerun(tiny):
    out, m, _ = tiny
    lines: list[str] = []
    again = matrix.run_matrix(out, CASES, RULES, replications=SEEDS, steps=STEPS, workers=1, progress=False,
                              announce=lines.append)
    assert all("reusing" in line for line in lines) and len(lines) == len(m.folders)
    pd.testing.assert_frame_equal(again.runs, m.runs)


def test_the_world_is_named_and_falls_back_to_each_case_own_values(tiny):
    _, m, _ = tiny
    from multivector.experiments.cross_case import world

    assert set(m.worlds) == set(CASES)
    try:
        from multivector.experiments.calibration import joint  # noqa: F401
        has_joint = hasattr(joint, "world_overrides")
    except ImportError:
        has_joint = False
    assert set(m.worlds.values()) == {world.JOINT if has_joint else world.OWN}


# ----- C10 from constructed differences: the verdict follows their sign ------------------------------

def _differences(sign: float, cases: int = 8, seeds: int = 4) -> pd.DataFrame:
    rows = []
    for c in range(cases):
        for r in range(seeds):
            rows.append({"case": f"case{c}", "replication": r, "value": sign * (0.3 + 0.01 * c),
                         "hedge": 2.0 + 0.1 * c + 0.001 * r})
    return pd.DataFrame(rows)


def _finding(sign: float):
    utility, autonomy = _differences(sign), _differences(sign * 0.2)
    cases = utility["case"].unique()
    clients = utility.assign(value=-sign * 8.0, events=10.0)
    return verdict.c10_finding(verdict.c10_parts(pd.Series(sign > 0, index=cases), utility, autonomy, clients))


def test_c10_is_supported_when_hedging_is_ahead_in_every_case_and_not_when_the_signs_flip():
    ahead, behind = _finding(+1.0), _finding(-1.0)
    assert [p.status for p in ahead.parts] == [TESTED] * 4
    assert ahead.verdict == SUPPORTED and all(p.verdict == SUPPORTED for p in ahead.parts)
    assert behind.verdict == NOT_SUPPORTED and all(p.verdict == NOT_SUPPORTED for p in behind.parts)
    assert any("would become" in n for n in ahead.notes)


def test_c10_without_any_client_quarter_is_untestable_on_clientage():
    utility = _differences(1.0)
    clients = utility.assign(value=0.0, events=0.0)
    parts = verdict.c10_parts(pd.Series(True, index=utility["case"].unique()), utility, _differences(0.2), clients)
    assert parts[3].status == UNTESTABLE
    finding = verdict.c10_finding(parts)
    assert finding.verdict == SUPPORTED  # from its tested statistics only
    assert "untestable here" in finding.status


def test_the_cases_that_would_flip_a_verdict_are_counted():
    part = _finding(+1.0).parts[1]
    flips = verdict.cases_to_flip(part)
    assert len(flips) == 1
    k, which, becomes = flips[0]
    assert becomes != SUPPORTED and len(which) == k >= 1
    assert which[0] == "case7"  # the largest advantage goes first


# ----- structural drivers ---------------------------------------------------------------------------

def test_structure_is_read_from_each_case_data():
    table = drivers.structure_table(CASES)
    assert list(table.columns) == list(drivers.INPUTS)
    assert (table["mean reach"].between(0, 1)).all() and (table["capability ratio"] >= 1).all()
    assert table.loc["georgia", "trade dependence"] == pytest.approx(max(
        info.default for info in model.parameter_table("georgia") if info.path.endswith("initial_dependence_economy")))


def test_the_tree_finds_the_input_that_decides_a_constructed_advantage():
    rng = np.random.default_rng(1)
    table = pd.DataFrame({"a": rng.random(12), "b": rng.random(12), "constant": 1.0}, index=[f"c{i}" for i in range(12)])
    advantage = pd.Series(np.where(table["a"] > 0.5, 1.0, -1.0), index=table.index)
    fit = drivers.fit_tree(table, advantage, "utility")
    assert fit.inputs == ["a", "b"] and fit.constant == ["constant"]
    assert "a <=" in fit.rules.splitlines()[0]
    assert fit.r2 > 0.9


def test_leave_one_out_is_said_absent_or_tabled(tmp_path):
    from multivector.experiments.report.cases import leave_one_out_lines

    assert any("Not available" in line for line in leave_one_out_lines(tmp_path / "missing.csv"))
    path = tmp_path / "leave-one-out.csv"
    pd.DataFrame({"case": ["x", "x", "y"], "fact": ["P1", "P2", "P1"], "model_hit": [1, 0, 1],
                  "nothing_happens_hit": [0, 0, 1]}).to_csv(path, index=False)
    text = "\n".join(leave_one_out_lines(path))
    assert "| x | 0.50 | 0.00 |" in text and "| all cases | 0.67 | 0.33 |" in text


# ----- the command ----------------------------------------------------------------------------------

def test_report_cases_quick_end_to_end(tmp_path, monkeypatch, capsys):
    from multivector.experiments import cli
    from multivector.experiments.cases import commands

    monkeypatch.setattr(commands, "case_scenarios", lambda: list(CASES))
    monkeypatch.setattr(matrix, "default_strategies", lambda: ("hedge", "balance"))
    monkeypatch.setitem(drivers.SOBOL_SAMPLES, True, 2)
    from functools import partial

    from multivector.experiments.report import cases as section

    # short runs: the chain is what is tested here, not the numbers
    monkeypatch.setattr(section, "build_cases_report", partial(section.build_cases_report, steps=STEPS))
    out = tmp_path / "cases"
    assert cli.main(["report", "--cases", "--quick", "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert "NOT EVIDENCE" in printed and printed.count("C10") == 1
    text = (out / "report.md").read_text()
    for heading in ("## The case-by-rule matrix", "## Where hedging beats", "## Out-of-case prediction",
                    "## Structural drivers", "## C10 A model strategy (real cases)"):
        assert heading in text
    assert "world" in text.lower() and "QUICK" in text
    verdicts = pd.read_csv(out / "verdicts.csv")
    assert set(verdicts["claim"]) == {"C10"} and set(verdicts["status"]) <= {TESTED, UNTESTABLE, "true by construction"}
    for name in ("cases-matrix", "cases-contest", "cases-drivers"):
        assert (out / "figures" / f"{name}.png").stat().st_size > 0
    assert 'src="data:image/png;base64,' in (out / "report.html").read_text()


def test_report_cases_refuses_flags_it_cannot_take(capsys):
    from multivector.experiments import cli

    assert cli.main(["report", "--cases", "--only", "C1"]) == 2
    err = capsys.readouterr().err
    assert "--only" in err and "Traceback" not in err
