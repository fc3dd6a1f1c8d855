"""The report for every case (issue 17): claims are templates over roles each case binds, a case
tests the claims it can and lists the others with the reason, the default case's experiments are
unchanged by the move into its pack, and a second case's quick report runs end to end."""

from __future__ import annotations

import dataclasses
import hashlib
import tomllib

import pandas as pd
import pytest

from multivector import model
from multivector.experiments.cases import pack_names
from multivector.experiments.cli import main
from multivector.experiments.report import plan
from multivector.experiments.report.build import build_report
from multivector.experiments.report.case import ROLES, bind_roles, load_case
from multivector.experiments.report.catalogue import CANNOT, catalogue, known_claims

SECOND = "mongolia"  # a case with a pack and no calibration


def test_roles_are_bound_from_the_data_or_declared_by_the_pack():
    scenario = model.load_scenario("vietnam")
    roles, sources, unbound = bind_roles(scenario, {})
    reach = {p: scenario.parameters.powers[p].reach for p in scenario.power_ids}
    assert reach[roles["near"]] == max(reach.values()) and reach[roles["distant"]] == min(reach.values())
    assert set(roles) == set(ROLES) and not unbound and "from the data" in sources["near"]
    declared = {"near": (roles["distant"], "a source")}
    assert bind_roles(scenario, declared)[0]["near"] == roles["distant"], "a pack's declaration wins over the data"
    with pytest.raises(ValueError, match="not a power"):
        bind_roles(scenario, {"near": ("NOPE", "x")})


def test_a_tie_in_reach_that_nothing_breaks_leaves_the_distant_role_unbound():
    scenario = model.load_scenario("stylised")
    powers = {p: scenario.parameters.powers[p].model_copy(update={"reach": 0.5, "initial_dependence_security": 0.1})
              for p in scenario.power_ids}
    same = scenario.parameters.model_copy(update={"powers": powers})
    roles, _, unbound = bind_roles(dataclasses.replace(scenario, parameters=same), {})
    assert "distant" in unbound and "distant" not in roles and roles["near"] == scenario.power_ids[0]


def test_every_case_with_a_pack_tests_some_claims_and_says_why_not_the_others():
    everything = None
    for name in pack_names():
        case = load_case(name)
        testable, cannot = catalogue(case)
        assert testable, f"{name} tests no claim"
        assert all(why for why in cannot.values()), "every claim a case cannot test has its reason"
        ids = set(testable) | set(cannot)
        everything = everything or ids
        assert ids == everything, "every claim is listed for every case: tested, or not with the reason"
    kazakhstan_only = {cid for cid, (_, owner) in known_claims(load_case(SECOND)).items()
                       if owner == model.DEFAULT_SCENARIO}
    testable, cannot = catalogue(load_case(SECOND))
    assert kazakhstan_only and kazakhstan_only <= set(cannot)
    assert all("another case" in cannot[c] for c in kazakhstan_only)
    assert "E5" in cannot["C8"], "C8 needs the case without its distant power, which only a pack can provide"


def test_a_case_whose_span_misses_a_claims_years_cannot_test_it():
    case = load_case("cambodia")  # from 1993Q3: CT1 and CT3 read 1992-2024
    _, cannot = catalogue(case)
    assert "span" in cannot["CT1"] and "1993Q3" in cannot["CT1"]


def test_every_design_a_case_can_run_fills_in_and_parses():
    """No placeholder left, every measure a record column of that case's scenario (parse_experiment)."""
    for name in pack_names():
        case = load_case(name)
        for key in plan.design_files(case):
            if plan.unavailable(case, key):
                continue
            prepared = plan.prepare(case, key, quick=True, overrides={})
            assert "{" not in prepared.text.split("\n", 1)[1], (name, key)
            spec = tomllib.loads(prepared.text)
            assert spec["experiment"]["scenario"] in (case.scenario, "stylised", *model.scenario_names())
            if spec["experiment"]["scenario"] == case.scenario and not case.calibrated:
                assert prepared.seed_pairs and "parameter_sets" not in spec["design"]
                assert spec["experiment"]["replications"] == 2 * plan.SEED_PAIRS[True]


# The default case's experiments, as the report runs them, hashed when they moved into its pack
# (identical then to the files they came from, so its sweeps and verdicts are unchanged). A change
# here is a change to the article's experiments: make it on purpose and update the hashes.
KAZAKHSTAN_TEXTS = "1fdce3dd"


def _texts_digest() -> str:
    """Every experiment text but those that run the registered rules (a rule added to the registry
    changes those on purpose, and the registry's own tests see it)."""
    case = load_case(model.DEFAULT_SCENARIO)
    texts = [plan.prepare(case, key, quick, {}).text for quick in (False, True)
             for key, path in plan.design_files(case).items() if not plan.REGISTERED.search(path.read_text())]
    return hashlib.sha256("\n".join(texts).encode()).hexdigest()[:8]


def test_the_default_cases_experiments_are_unchanged_by_the_move():
    assert _texts_digest() == KAZAKHSTAN_TEXTS


@pytest.mark.parametrize("argv, message", [
    (["--scenario", SECOND, "--only", "C5"], CANNOT),
    (["--scenario", SECOND, "--only", "C99"], "unknown claim"),
    (["--scenario", "stylised"], "no case pack"),
    (["--scenario", "nowhere"], "unknown scenario"),
])
def test_a_claim_a_case_cannot_test_is_refused_in_one_line(tmp_path, capsys, argv, message):
    out = tmp_path / "r"
    assert main(["report", "--quick", "--out", str(out), "--no-progress", *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    assert not out.exists()


@pytest.mark.slow
def test_a_second_cases_quick_report_runs_end_to_end(tmp_path):
    """One claim of an uncalibrated case: its experiment filled in with the case's powers, units that
    are pairs of seeds, and a report that says what the case is and that it is uncalibrated."""
    outcome = build_report(tmp_path, quick=True, workers=1, announce=lambda _: None, progress=False, only=["C3"],
                           scenario=SECOND)
    assert [f.id for f in outcome.findings] == ["C3"]
    assert {p.unit_name for p in outcome.findings[0].parts} == {"seed pair"}
    assert outcome.findings[0].parts[0].estimate.units == plan.SEED_PAIRS[True]
    table = pd.read_csv(tmp_path / "verdicts.csv")
    assert list(table["claim"].unique()) == ["C3"]
    text = (tmp_path / "report.md").read_text()
    assert "Case: **Mongolia**" in text and "Uncalibrated case" in text and "near = RUS" in text
    assert "--scenario mongolia" in text
    spec = tomllib.loads(next((tmp_path / "experiments").glob("E2-*.toml")).read_text())
    assert spec["experiment"]["scenario"] == SECOND and spec["fixed"]["secondary.adversary"] == "RUS"
