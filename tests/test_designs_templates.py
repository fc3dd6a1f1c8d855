"""``multivector designs`` and the claims report's templates: the listing reads without placeholders,
``--case CASE`` writes the file the report runs for that case (which ``multivector sweep`` parses), and
everything it cannot do is one line with exit status 2."""

import dataclasses
import re
import tomllib

import pytest

from multivector.experiments.cli import main
from multivector.experiments.report import case as report_case
from multivector.experiments.report import plan
from multivector.experiments.shipped_designs import shipped_designs
from multivector.experiments.sweep.experiment import parse_experiment

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def test_the_listing_marks_templates_and_shows_no_raw_placeholder(capsys):
    assert main(["designs"]) == 0
    out = capsys.readouterr().out
    designs = {d.name: d for d in shipped_designs()}
    e1 = designs["claims/E1-bandwagon-near"]
    assert e1.template and PLACEHOLDER.search(e1.description)  # the raw text has them; the listing must not
    assert not designs["claims/E10-random-powers"].template  # a stylised world, the same for every case
    assert not designs["smoke"].template
    assert re.search(r"^claims/E1-bandwagon-near +report \(template\) +Bandwagoning with the nearest",
                     out, re.MULTILINE)
    assert re.search(r"^claims/E10-random-powers +report +Random", out, re.MULTILINE)
    assert not PLACEHOLDER.search(out)
    assert all(not PLACEHOLDER.search(d.readable) for d in designs.values())
    assert all(len(line) <= 80 for line in out.splitlines() if not line.startswith(str(len(designs))))


def test_case_writes_the_report_s_own_text_which_sweep_parses(tmp_path, capsys):
    assert main(["designs", "claims/E1-bandwagon-near", "--case", "kazakhstan", "--to", str(tmp_path)]) == 0
    written = capsys.readouterr().out.strip()
    case = report_case.load_case("kazakhstan")
    prepared = plan.prepare(case, "E1", quick=False, overrides={})
    assert written == str(tmp_path / f"{prepared.name}.toml")
    text = (tmp_path / f"{prepared.name}.toml").read_text()
    assert text == prepared.text  # the report's filling, not a copy of it
    assert not PLACEHOLDER.search(text)
    experiment = parse_experiment(text, source_name="E1.toml")
    assert experiment.scenario == "kazakhstan"
    assert tomllib.loads(text)["fixed"]["secondary.patron"] == case.roles["near"]


def test_a_template_copied_raw_says_so_in_one_line(tmp_path, capsys):
    assert main(["designs", "claims/E9-adaptive", "--to", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert "{case}" in (tmp_path / "E9-adaptive.toml").read_text()  # the report's input, unchanged
    note = captured.err.strip()
    assert len(note.splitlines()) == 1 and "template" in note and "--case CASE" in note
    assert main(["designs", "smoke", "--to", str(tmp_path)]) == 0
    assert capsys.readouterr().err == ""  # not a template: no note


@pytest.mark.parametrize(("args", "says"), [
    (["claims/E1-bandwagon-near", "--case", "no-such-case"], "--case: unknown case 'no-such-case'"),
    (["claims/E1-bandwagon-near", "--case", "stylised"], "has no case pack"),
    (["smoke", "--case", "kazakhstan"], "--case: smoke is not a template"),
    (["claims/E10-random-powers", "--case", "kazakhstan"], "is not a template"),
    (["claims/S-sensitivity", "--case", "armenia"], "this case has no calibration"),
    (["--case", "kazakhstan"], "--case: name the design"),
])
def test_what_case_cannot_do_is_one_line_exit_2_and_writes_nothing(tmp_path, capsys, args, says):
    assert main(["designs", *args, "--to", str(tmp_path / "out")] if args[0] != "--case" else ["designs", *args]) == 2
    err = capsys.readouterr().err
    assert says in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_role_the_case_cannot_bind_is_refused_with_unavailable_s_reason(tmp_path, capsys, monkeypatch):
    real = report_case.load_case("kazakhstan")
    roles = {role: power for role, power in real.roles.items() if role != "second"}
    unbound = {"second": "the case has 4 powers, not three"}
    monkeypatch.setattr(report_case, "load_case",
                        lambda name: dataclasses.replace(real, roles=roles, unbound=unbound))
    assert main(["designs", "claims/E2-balance-near", "--case", "kazakhstan", "--to", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert plan.unavailable(report_case.load_case("kazakhstan"), "E2") in err
    assert "role 'second'" in err and "4 powers, not three" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_a_filled_template_sweeps_on_its_own(tmp_path, capsys):
    # a case without a calibration runs on pairs of seeds at its scenario's values: 60 short runs
    assert main(["designs", "claims/E9-adaptive", "--case", "armenia", "--to", str(tmp_path)]) == 0
    assert main(["sweep", str(tmp_path / "E9-adaptive.toml"), "--out", str(tmp_path / "sweep"), "--workers", "1",
                 "--quiet"]) == 0
    assert "60 ok, 0 failed" in capsys.readouterr().out
