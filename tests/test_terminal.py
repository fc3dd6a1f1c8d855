"""The terminal at any width and in any pipe: tables within 80 columns with whole words,
progress lines on stderr when it is not a terminal, one ``--quiet`` across commands, and
``--out`` saying whether it is a file or a folder."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import types

import pandas as pd
import pytest

from multivector.experiments import progress
from multivector.experiments.cli import build_parser, main
from multivector.experiments.commands import _print_comparison, metric_tables
from multivector.experiments.compare import METRICS, STATISTICS

LONG_COMMANDS = ("run", "compare", "sweep", "calibrate", "report", "tune")


def _summary(strategies: list[str]) -> pd.DataFrame:
    rows = [{"strategy": s, "metric": m, "mean": 0.123456 * (i + 1)} for i, s in enumerate(strategies) for m in METRICS]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("columns", [80, 100])
def test_compare_tables_fit_the_width_and_keep_every_word_whole(columns, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", str(columns))
    strategies = ["hedge", "bandwagon-selective (best)", "balance"]
    _print_comparison(_summary(strategies), types.SimpleNamespace(scenario="kazakhstan", replications=2, seed=0))
    lines = capsys.readouterr().out.splitlines()
    assert max(map(len, lines)) <= columns
    words = {w for line in lines for w in line.replace("┃", " ").replace("│", " ").split()}
    for metric in METRICS:
        assert set(metric.split("_")) <= words, metric  # "coexistence", never "coexistenc" / "e"
        assert set(f"({STATISTICS[metric]})".split()) <= words, metric
    assert all(s.split()[0] in words for s in strategies)


def test_metric_tables_pack_in_order_and_hold_one_metric_when_nothing_fits():
    assert metric_tables(80, 26, [("a", 10)] * 7) == [[0, 1, 2], [3, 4, 5], [6]]
    assert metric_tables(200, 26, [("a", 10)] * 7) == [list(range(7))]
    assert metric_tables(30, 26, [("a", 10)] * 2) == [[0], [1]]


def test_scenarios_wrap_to_80_columns(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["scenarios"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and max(map(len, lines)) <= 80


def test_line_progress_prints_at_a_steady_interval_and_a_last_line(capsys):
    bar = progress.LineProgress("comparing", 10, seconds=0.05)
    with bar:
        for _ in range(5):
            bar.advance(2)
            time.sleep(0.06)
    err = capsys.readouterr().err.splitlines()
    assert len(err) >= 3 and all(line.startswith("comparing: ") for line in err)
    assert err[-1] == f"comparing: 10/10 runs in {err[-1].rsplit(' ', 1)[1]}"
    assert any("left" in line for line in err[:-1])


def test_a_quick_job_off_a_terminal_prints_no_progress(capsys):
    with progress.LineProgress("runs", 3, seconds=30) as bar:
        bar.advance(3)
    assert capsys.readouterr().err == ""


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "multivector", *args], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "80", **env}, timeout=300)


def test_piped_run_prints_progress_lines_and_quiet_silences_them(tmp_path):
    env = {progress.INTERVAL_VARIABLE: "0.02"}
    loud = _cli("run", "--replications", "40", "--steps", "40", env=env)
    assert loud.returncode == 0, loud.stderr
    assert "running: " in loud.stderr and " runs (" in loud.stderr
    assert max(map(len, loud.stdout.splitlines())) <= 80
    quiet = _cli("run", "--replications", "40", "--steps", "40", "--quiet", env=env)
    assert quiet.returncode == 0 and "running: " not in quiet.stderr
    assert quiet.stdout == loud.stdout


def _subcommand(name: str):
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")  # noqa: SLF001 - argparse keeps them here
    return action.choices[name]


@pytest.mark.parametrize("command", LONG_COMMANDS)
def test_every_long_command_has_quiet_and_the_old_no_progress_still_works(command):
    sub = _subcommand(command)
    helped = sub.format_help()
    assert "--quiet" in helped and "--no-progress" not in helped
    options = {option: action.dest for action in sub._actions for option in action.option_strings}  # noqa: SLF001
    assert options["--quiet"] == options["--no-progress"] == "quiet"


@pytest.mark.parametrize(("command", "kind"), [("run", "FILE"), ("compare", "FOLDER"), ("sweep", "FOLDER"), ("plot", "FOLDER"),
                                               ("calibrate", "FOLDER"), ("report", "FOLDER"), ("tune", "FOLDER")])
def test_out_says_whether_it_is_a_file_or_a_folder(command, kind):
    out = next(a for a in _subcommand(command)._actions if "--out" in a.option_strings)  # noqa: SLF001
    assert kind in out.help and ("not a folder" in out.help) == (kind == "FILE")


def test_a_heartbeat_says_how_long_work_of_unknown_size_has_run(capsys):
    with progress.LineProgress("calibrating", None, seconds=0.03):
        time.sleep(0.1)
    err = capsys.readouterr().err.splitlines()
    assert err and all(line.startswith("calibrating: still running, 0:00:0") for line in err)
