"""The claims report: its decision rule, the quick report end to end, a verdict that flips when the
parameter it rests on changes, reuse by hash, and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from multivector.experiments.cli import main
from multivector.experiments.report import evidence
from multivector.experiments.report.build import build_report
from multivector.experiments.report.case import load_case
from multivector.experiments.report.catalogue import catalogue
from multivector.experiments.report.plan import design_files
from multivector.experiments.report.evidence import Estimate, verdict

pytestmark = pytest.mark.slow

CASE = load_case("kazakhstan")  # the default scenario: the article's case
CLAIMS = list(catalogue(CASE)[0])  # the claims it tests: every one, the generic ones and its pack's


# ----- the decision rule ----------------------------------------------------------------------------

@pytest.mark.parametrize("estimate, expected", [
    (Estimate(0.05, 0.02, 0.08, 10), "supported"),        # clearly above 0 and beyond the margin
    (Estimate(0.005, 0.001, 0.009, 10), "not supported"),  # real but smaller than what counts
    (Estimate(-0.05, -0.08, -0.02, 10), "not supported"),  # the other way
    (Estimate(0.02, -0.01, 0.05, 10), "inconclusive"),     # straddles 0 and the margin
])
def test_superiority_rule(estimate, expected):
    assert verdict(estimate, 0.01, "superiority") == expected


@pytest.mark.parametrize("estimate, expected", [
    (Estimate(-3, -5, -1, 10), "supported"), (Estimate(3, 2, 4, 10), "not supported"),
    (Estimate(0.5, -1, 2, 10), "inconclusive"),
])
def test_non_inferiority_rule(estimate, expected):
    assert verdict(estimate, 1.0, "non-inferiority") == expected


@pytest.mark.parametrize("estimate, expected", [
    (Estimate(0.001, -0.005, 0.006, 10), "supported"), (Estimate(0.05, 0.03, 0.07, 10), "not supported"),
    (Estimate(-0.05, -0.07, -0.03, 10), "not supported"), (Estimate(0.008, 0.0, 0.02, 10), "inconclusive"),
])
def test_equivalence_rule(estimate, expected):
    assert verdict(estimate, 0.01, "equivalence") == expected


def test_parts_combine_strictly():
    assert evidence.combine(["supported", "supported"]) == "supported"
    assert evidence.combine(["supported", "inconclusive"]) == "inconclusive"
    assert evidence.combine(["supported", "inconclusive", "not supported"]) == "not supported"


def test_bootstrap_interval_stays_in_the_measures_range():
    rng = np.random.default_rng(1)
    shares = (rng.random(30) < 0.03).astype(float)  # a rare event: Student-t would go below 0
    e = evidence.bootstrap_mean(shares)
    assert 0 <= e.low <= e.value <= e.high <= 1
    counts = rng.poisson(0.2, 12).astype(float)
    e = evidence.bootstrap_mean(counts)
    assert e.low >= 0
    assert evidence.bootstrap_mean(shares) == evidence.bootstrap_mean(shares), "seeded: same numbers twice"


def test_flip_conditions_find_the_parameter_that_drives_a_statistic():
    rng = np.random.default_rng(2)
    parameters = pd.DataFrame({"driver": rng.random(60), "noise": rng.random(60)})
    values = pd.Series(np.where(parameters["driver"] > 0.5, 0.05, -0.05) + rng.normal(0, 0.005, 60))
    part = evidence.Part("x", values, "superiority", "share", 0.01)
    flips = evidence.flip_conditions(part, parameters)
    assert flips[0].parameter == "driver" and flips[0].flips
    assert {flips[0].low_verdict, flips[0].high_verdict} == {"supported", "not supported"}


# ----- the report end to end --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    lines: list[str] = []
    outcome = build_report(out, quick=True, workers=1, announce=lines.append, progress=False)
    return out, outcome, lines


def test_quick_report_gives_a_verdict_for_every_claim_and_counter_thesis(quick):
    out, outcome, _ = quick
    assert [f.id for f in outcome.findings] == list(CLAIMS)
    table = pd.read_csv(out / "verdicts.csv")
    assert set(table["claim"]) == set(CLAIMS)
    assert set(table["verdict"]) <= {"supported", "not supported", "inconclusive"}
    assert set(table["status"]) <= {"tested", "true by construction", "untestable here"}
    finite = table.dropna(subset=["estimate"])
    assert (finite["low"] <= finite["estimate"] + 1e-12).all() and (finite["estimate"] <= finite["high"] + 1e-12).all()
    text = (out / "report.md").read_text()
    for claim in CLAIMS:
        assert f"## {claim} " in text
        assert (out / "figures" / f"{claim}.png").stat().st_size > 5000
    assert "Quick report" in text and "How a verdict is reached" in text and "Honest limits" in text
    assert "## E6: an inverted U" in text and "## E8: a tipping threshold" in text
    assert "Vanderhill" in text and "Kuik" in text and "Sobol" in text
    assert "unreliable" in text, "a quick Sobol sample is said to be unreliable, not printed as if it were fine"
    html = (out / "report.html").read_text()
    assert "data:image/png;base64," in html and "figures/" not in html.split("<body>")[1].split("src=")[1][:20]


def test_the_report_reuses_its_sweeps_by_hash(quick):
    out, outcome, _ = quick
    lines: list[str] = []
    again = build_report(out, quick=True, workers=1, announce=lines.append, progress=False)
    assert sum("reusing" in line for line in lines) == len(design_files(CASE))
    assert [f.verdict for f in again.findings] == [f.verdict for f in outcome.findings]


def test_sweep_folders_of_the_report_are_ordinary_sweeps(quick, capsys):
    out, _, _ = quick
    folder = next((out / "sweeps").glob("E2-balance-russia-*"))
    assert main(["analyze", str(folder)]) == 0
    assert "hedge" in capsys.readouterr().out


def test_a_verdict_flips_when_the_parameter_it_rests_on_changes(tmp_path):
    """C12 says activism pays because enmeshment raises the powers' valuation of S: with that link cut
    (reactions.activism_value = 0) the same experiment must stop supporting its rewards part."""
    base = build_report(tmp_path / "a", quick=True, workers=1, announce=lambda _: None, progress=False, only=["C12"])
    cut = build_report(tmp_path / "b", quick=True, workers=1, announce=lambda _: None, progress=False, only=["C12"],
                       overrides={"reactions.activism_value": "0"})
    assert base.findings[0].parts[0].verdict == "supported"
    assert cut.findings[0].parts[0].verdict == "not supported"


@pytest.mark.parametrize("argv, message", [
    (["--only", "C99"], "unknown claim"),
    (["--set", "nosuch.path=1"], "nosuch.path"),
    (["--set", "rivalry.scale=9"], "rivalry.scale"),
    (["--workers", "0"], "--workers"),
])
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, capsys, argv, message):
    out = tmp_path / "r"
    assert main(["report", "--quick", "--out", str(out), "--no-progress", *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    assert not out.exists()


def test_an_out_that_is_a_file_is_refused(tmp_path, capsys):
    target = tmp_path / "file"
    target.write_text("x")
    assert main(["report", "--quick", "--only", "C12", "--out", str(target), "--no-progress"]) == 2
    assert "not a folder" in capsys.readouterr().err
