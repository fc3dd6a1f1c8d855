"""Verdicts that say when they are empty, margins tied to the noise, and autonomy over the whole
simplex of its weights: each on constructed inputs whose answer is known, plus the model's own
weighting reproducing the recorded autonomy, the quick report's warning and the CSV's status."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from multivector import model
from multivector.experiments.report import autonomy, evidence, plan
from multivector.experiments.report.build import QUICK_WARNING, ReportOutcome, print_verdicts
from multivector.experiments.report.claims import Finding
from multivector.experiments.report.render import verdict_table


# ----- status ------------------------------------------------------------------------------------------

def test_no_event_in_any_run_is_untestable_here():
    assert evidence.status(np.zeros(10), events=np.zeros(10)) == evidence.UNTESTABLE
    assert evidence.status(np.linspace(-1, 1, 10), events=np.zeros(10)) == evidence.UNTESTABLE


def test_a_statistic_constant_across_sets_is_true_by_construction():
    assert evidence.status(np.full(10, 3.0)) == evidence.BY_CONSTRUCTION
    varying = np.linspace(0, 5, 10)
    assert evidence.status(varying, events=np.ones(10), under_test=np.zeros(10)) == evidence.BY_CONSTRUCTION


def test_a_varying_statistic_with_its_event_is_tested():
    assert evidence.status(np.linspace(0, 1, 10), events=np.r_[np.zeros(9), 1.0]) == evidence.TESTED
    assert evidence.status(np.linspace(0, 1, 10)) == evidence.TESTED


def test_a_claim_verdict_counts_only_its_tested_parts():
    rng = np.random.default_rng(0)
    tested = evidence.Part("varies", pd.Series(0.05 + rng.normal(0, 0.001, 20)), "superiority", "share", 0.01)
    empty = evidence.Part("no event", pd.Series(np.zeros(20)), "superiority", "share", 0.01,
                          events=pd.Series(np.zeros(20)), event="pressure")
    assert (tested.status, empty.status) == (evidence.TESTED, evidence.UNTESTABLE)
    assert empty.verdict == evidence.NOT_SUPPORTED  # computed, and shown, but it does not count
    finding = Finding("X", "t", "c", "s", (), [tested, empty], None)
    assert finding.verdict == evidence.SUPPORTED and finding.status == "tested (1 of 2); untestable here (1 of 2)"
    only_empty = Finding("Y", "t", "c", "s", (), [empty], None)
    assert only_empty.verdict == evidence.UNTESTABLE and only_empty.deciding is empty


# ----- margins and noise --------------------------------------------------------------------------------

def _replicates(spread: float, units: int = 30, seeds: int = 8, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"unit": np.repeat(np.arange(units), seeds), "replication": np.tile(np.arange(seeds), units),
                         "value": rng.normal(0.5, spread, units * seeds)})


def test_the_margin_is_never_smaller_than_the_noise_of_two_identical_rules():
    quiet, noisy = evidence.seed_noise(_replicates(0.001)), evidence.seed_noise(_replicates(0.1))
    assert 0 < quiet < 0.01 < noisy
    units = pd.Series(np.full(30, 0.02) + np.random.default_rng(2).normal(0, 0.001, 30))
    calm = evidence.Part("d", units, "superiority", "share", 0.01, replicates=_replicates(0.001))
    loud = evidence.Part("d", units, "superiority", "share", 0.01, replicates=_replicates(0.1))
    assert calm.margin == 0.01 and calm.verdict == evidence.SUPPORTED
    assert loud.margin == pytest.approx(noisy) and loud.margin > 0.02 and loud.verdict == evidence.NOT_SUPPORTED


# ----- autonomy and its weights ------------------------------------------------------------------------

def test_the_models_weights_reproduce_the_recorded_autonomy():
    seeds = [np.random.SeedSequence(3, spawn_key=(r,)) for r in range(3)]
    frames = model.simulate_many("kazakhstan", ["hedge", "balance", "bandwagon"], seeds, 60)
    steps = pd.concat([f.assign(run_id=i) for i, f in enumerate(frames)], ignore_index=True)
    ids = model.load_scenario("kazakhstan").power_ids
    p = model.load_scenario("kazakhstan").parameters.measures
    parts = autonomy.quarterly_parts(steps, ids)
    assert parts[:, 2].sum() > 0, "some pressure, so the pressure weight is exercised"
    window = np.full(len(steps), float(p.window))
    sums = autonomy.window_sums(parts, steps["run_id"].to_numpy(), window)
    weights = np.array([[p.autonomy_deviation, p.autonomy_concession, p.autonomy_pressure, p.autonomy_coercion]]).T
    recomputed = autonomy.autonomy_at(sums, window, weights)[:, 0]
    np.testing.assert_allclose(recomputed, steps["autonomy"].to_numpy(), rtol=0, atol=1e-12)
    other = autonomy.autonomy_at(sums, window, weights * np.array([[0.0], [1.0], [0.0], [0.0]]))[:, 0]
    assert not np.allclose(other, recomputed), "another weighting gives another autonomy"


def test_window_sums_restart_with_each_run():
    parts = np.ones((6, 4))
    sums = autonomy.window_sums(parts, np.array([0, 0, 0, 1, 1, 1]), np.full(6, 2.0))
    np.testing.assert_array_equal(sums[:, 0], [1, 2, 2, 1, 2, 2])


def test_the_simplex_grid_covers_the_simplex():
    grid = autonomy.simplex_grid(4, 12)
    assert len(grid) == 455 and np.allclose(grid.sum(axis=1), 1) and (grid >= 0).all()
    assert {tuple(row) for row in np.eye(4)} <= {tuple(row) for row in grid}


class _Constructed:
    """A stand-in for a sweep's kept quarters: two rules, ten units, one quarter each after the start.
    Hedging suffers only pressure (1 a quarter), the other rule only concessions (1 a quarter), so
    hedging keeps more autonomy exactly where the pressure weight is below the concession weight."""

    def __init__(self):
        units, rules = 10, ("hedge", "other")
        rows = [(f"{r}-{u}", r, u) for r in rules for u in range(units)]
        run_ids = [run for run, _, _ in rows for _ in (0, 1)]
        self.runs = pd.DataFrame(rows, columns=["run_id", "strategy", "unit"])
        self.steps = pd.DataFrame({"run_id": run_ids, "step": [0, 1] * len(rows), "quarter": [20001, 20002] * len(rows)})
        parts = np.zeros((len(run_ids), 4))
        hedge = np.array([run.startswith("hedge") for run in run_ids]) & (self.steps["step"] == 1).to_numpy()
        other = ~np.array([run.startswith("hedge") for run in run_ids]) & (self.steps["step"] == 1).to_numpy()
        parts[hedge, 2] = 1.0
        parts[other, 1] = 1.0
        window = np.ones(len(run_ids))
        self.quarters = autonomy.Quarters(self.steps, autonomy.window_sums(parts, np.array(run_ids), window), window,
                                          np.ones((len(run_ids), 4)))


def test_the_simplex_share_is_the_share_of_weightings_where_the_answer_is_known(monkeypatch):
    case = _Constructed()
    monkeypatch.setattr(autonomy, "quarters", lambda sweep: case.quarters)
    runs = case.runs.set_index("run_id")

    def advantage(per_run: pd.Series) -> pd.Series:
        table = pd.DataFrame({"value": per_run, "strategy": runs["strategy"], "unit": runs["unit"]})
        means = table.groupby(["strategy", "unit"])["value"].mean()
        return means["hedge"] - means["other"]

    grid = autonomy.simplex_grid(4, 12)
    result = autonomy.simplex(autonomy.Reweighed(None, advantage, hedge_sign=1), 0.01, "superiority", grid)
    # with total weight 4, hedging's advantage is exp(-4 w_pressure) - exp(-4 w_concession): beyond the
    # margin 0.01 exactly where that difference is at least 0.01
    expected = np.exp(-4 * grid[:, 2]) - np.exp(-4 * grid[:, 1]) >= 0.01
    assert result.share_hedge_wins == pytest.approx(expected.mean())
    assert result.share_supported == pytest.approx(expected.mean())
    assert 0.3 < expected.mean() < 0.5


# ----- the report's output ---------------------------------------------------------------------------------

def test_the_quick_report_says_it_is_not_evidence_at_the_terminal(capsys, tmp_path):
    part = evidence.Part("x", pd.Series(np.linspace(0.02, 0.04, 10)), "superiority", "share", 0.01)
    outcome = ReportOutcome(tmp_path, [Finding("C0", "A claim", "c", "s", (), [part], None)], None)
    print_verdicts(outcome, quick=True)
    out = capsys.readouterr().out
    assert "NOT EVIDENCE" in out and out.count(QUICK_WARNING) == 2
    print_verdicts(outcome, quick=False)
    assert "NOT EVIDENCE" not in capsys.readouterr().out


def test_the_verdict_table_has_a_status_and_the_deciding_statistic():
    tested = evidence.Part("varies", pd.Series(np.linspace(0.02, 0.04, 10)), "superiority", "share", 0.01)
    fixed = evidence.Part("fixed", pd.Series(np.full(10, 5.0)), "superiority", "events", 1.0)
    empty = evidence.Part("empty", pd.Series(np.zeros(10)), "superiority", "events", 1.0,
                          events=pd.Series(np.zeros(10)))
    table = verdict_table([Finding("C0", "A claim", "c", "s", (), [tested, fixed, empty], None)])
    assert list(table["status"]) == [evidence.TESTED, evidence.BY_CONSTRUCTION, evidence.UNTESTABLE]
    assert list(table["decides"]) == [True, False, False]
    assert {"claim_status", "stated_margin", "noise", "simplex_share_supported"} <= set(table.columns)


def test_designs_that_ask_for_the_registered_rules_get_every_one(monkeypatch):
    monkeypatch.setattr(model, "FIXED_RULES", (*model.FIXED_RULES, "a-new-variant"))
    assert plan.registered_rules()[0] == "hedge" and "a-new-variant" in plan.registered_rules()
    assert plan.REGISTERED.search((plan.DESIGNS / "C2-clientage.toml").read_text())


def test_each_rule_at_its_best_compares_hedging_with_the_best_form_of_every_alternative(tmp_path):
    """The report's best-forms section: paired differences hedge (best) minus each alternative (best),
    a verdict per statistic, and one line saying so when a scenario ships no best forms."""
    from multivector.experiments.report import contest
    from multivector.experiments.tune_cli import best_forms_file

    result = contest.run_contest(best_forms_file("kazakhstan"), "kazakhstan", 3, seed=1)
    alternatives = set(result.differences["alternative"])
    assert "hedge" not in alternatives and {"balance", "bandwagon", "balance-fallback"} <= alternatives
    assert set(result.differences["metric"]) == set(contest.COMPARED)
    assert ((result.differences["low"] <= result.differences["estimate"])
            & (result.differences["estimate"] <= result.differences["high"])).all()
    assert list(result.differences["hedge_better"]) == list(result.differences["low"] > 0)
    text = "\n".join(contest.section(result, "figures/best-forms.png"))
    assert "hedge (best) minus" in text and ("beats the best form of every alternative" in text
                                             or "does not beat the best form" in text)
    assert "experiments/data/best-forms-kazakhstan/best-forms.toml" in text and str(tmp_path) not in text
    assert contest.run_contest(tmp_path / "none.toml", "kazakhstan", 3, seed=1) is None
    assert "No best forms are shipped" in "\n".join(contest.section(None, None))
