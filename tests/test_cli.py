"""The command line as a user meets it: outputs, determinism, and one-line errors with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from multivector import model
from multivector.experiments.cli import main

MULTIVECTOR = [sys.executable, "-m", "multivector.experiments.cli"]


def test_run_writes_every_contract_column_byte_identically(tmp_path):
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    for out, seed in ((a, "7"), (b, "7"), (c, "8")):
        assert main(["run", "--scenario", "kazakhstan", "--strategy", "hedge", "--seed", seed, "--out", str(out)]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()
    frame = pd.read_csv(a)
    assert set(model.output_columns(("RUS", "CHN", "WEST"))) <= set(frame.columns)
    assert len(frame) == 133 and frame["date"].iloc[0] == "1991Q4" and frame["date"].iloc[-1] == "2024Q4"


def test_run_writes_parquet_and_applies_overrides(tmp_path):
    out = tmp_path / "run.parquet"
    assert main(["run", "--scenario", "stylised", "--steps", "6", "--set", "hedge.fallback_floor=0.3",
                 "--out", str(out)]) == 0
    frame = pd.read_parquet(out)
    assert len(frame) == 7


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_run_with_replications_streams_every_run_as_the_model_runs_it(tmp_path, suffix):
    """N runs at once on the array engine: replication r is the run with seed
    SeedSequence(SEED, spawn_key=(r,)), rows ordered by replication then step."""
    import numpy as np

    out = tmp_path / f"many{suffix}"
    assert main(["run", "--scenario", "stylised", "--strategy", "adaptive", "--steps", "9", "--seed", "4",
                 "--replications", "3", "--set", "rivalry.scale=1.4", "--out", str(out)]) == 0
    frame = pd.read_parquet(out) if suffix == ".parquet" else pd.read_csv(out)
    assert len(frame) == 3 * 10 and list(frame["replication"]) == [r for r in range(3) for _ in range(10)]
    assert list(frame.columns[1:]) == list(model.simulate("stylised", steps=0).columns)
    for r in range(3):
        expected = model.simulate("stylised", "adaptive", seed=np.random.SeedSequence(4, spawn_key=(r,)), steps=9,
                                  overrides={"rivalry.scale": 1.4})
        mine = frame[frame["replication"] == r].drop(columns="replication").reset_index(drop=True)
        if suffix == ".parquet":
            pd.testing.assert_frame_equal(mine, expected, check_exact=True)
        else:  # the CSV carries 10 significant digits
            pd.testing.assert_frame_equal(mine, expected, check_dtype=False, rtol=1e-9)


@pytest.mark.parametrize("args, message", [
    (["--replications", "0"], "expected a number >= 1"),
    (["--replications", "2", "--set", "rivalry.scale=-1"], "'rivalry.scale'"),
    (["--set", "nonexistent=1"], "unknown parameter 'nonexistent'"),
    (["--set", "powers.RUS.reach=3"], "'powers.RUS.reach': 3.0 is above its maximum 1"),
    (["--set", "secondary.prudence=abc"], "'secondary.prudence': expected a float"),
    (["--set", "novalue"], "--set expects PATH=VALUE"),
    (["--strategy", "nonsense"], "unknown strategy 'nonsense'"),
    (["--scenario", "missing"], "unknown scenario 'missing'"),
    (["--steps", "-3"], "expected a number >= 0"),
])
def test_bad_run_input_exits_2_with_one_line_and_no_file(tmp_path, args, message):
    out = tmp_path / "out.csv"
    result = subprocess.run([*MULTIVECTOR, "run", *args, "--out", str(out)], capture_output=True, text=True,
                            cwd=Path(__file__).parents[1])
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("multivector: error:") and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_bad_output_suffix_is_refused(tmp_path):
    assert main(["run", "--out", str(tmp_path / "x.txt")]) == 2
    assert list(tmp_path.iterdir()) == []


def test_params_json_lists_every_parameter_with_its_documentation(capsys):
    assert main(["params", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["path"] for r in rows} >= {"powers.RUS.reach", "reactions.pressure_cost", "rivalry.scale"}
    for row in rows:
        assert set(row) == {"path", "type", "default", "min", "max", "unit", "description", "source",
                            "explore_min", "explore_max", "explore_source"}
        assert row["description"] and row["source"] and row["unit"]


def test_params_table_and_scenarios_print(capsys):
    assert main(["params"]) == 0
    assert "powers.RUS.reach" in capsys.readouterr().out
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out.splitlines()  # a long description continues on indented lines
    assert [line.split()[0] for line in out if not line.startswith(" ")] == model.scenario_names()


def test_compare_writes_table_and_figures(tmp_path, capsys):
    out = tmp_path / "cmp"
    assert main(["compare", "--scenario", "stylised", "--replications", "2", "--steps", "8", "--out", str(out)]) == 0
    summary = pd.read_csv(out / "summary.csv")
    assert set(summary["strategy"]) == set(model.STRATEGIES)
    assert (summary["ci_low"] <= summary["mean"]).all() and (summary["mean"] <= summary["ci_high"]).all()
    for name in ("comparison.png", "comparison.svg", "summary.png", "summary.svg", "runs.csv"):
        assert (out / name).stat().st_size > 0
    assert "hedge" in capsys.readouterr().out


def test_compare_uses_the_same_seeds_for_every_strategy():
    from multivector.experiments.compare import compare_strategies

    a = compare_strategies("stylised", replications=2, seed=5, steps=6, strategies=("hedge",))
    b = compare_strategies("stylised", replications=2, seed=5, steps=6, strategies=("balance", "hedge"))
    hedge_a = a.runs[a.runs.strategy == "hedge"].reset_index(drop=True)
    hedge_b = b.runs[b.runs.strategy == "hedge"].reset_index(drop=True)
    pd.testing.assert_frame_equal(hedge_a, hedge_b)


def test_unknown_subcommand_exits_2(capsys):
    assert main(["nonsense"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_output_piped_into_a_reader_that_stops_early_is_not_an_error():
    command = f"{sys.executable} -m multivector.experiments.cli params | head -n 1"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True,
                            cwd=Path(__file__).parents[1])
    assert result.returncode == 0 and "Traceback" not in result.stderr


def test_run_with_replications_is_the_same_in_blocks_of_any_size(tmp_path, monkeypatch):
    """Runs are stepped and written in blocks (memory does not grow with N): the output is the
    same bytes whatever the block size, and no ensemble is larger than a block."""
    from multivector import model as model_package
    from multivector.experiments import streaming

    args = ["run", "--scenario", "stylised", "--steps", "6", "--seed", "2", "--replications", "5"]
    assert main([*args, "--out", str(tmp_path / "one.parquet")]) == 0
    sizes = []
    real = model_package.Ensemble

    def counting(scenario, strategies, *rest, **kw):
        sizes.append(len(strategies))
        return real(scenario, strategies, *rest, **kw)

    monkeypatch.setattr(streaming, "MAX_BLOCK_RUNS", 2)
    monkeypatch.setattr(streaming.model, "Ensemble", counting)
    assert main([*args, "--out", str(tmp_path / "blocks.parquet")]) == 0
    assert sizes == [2, 2, 1]
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "one.parquet"), pd.read_parquet(tmp_path / "blocks.parquet"),
                                  check_exact=True)


@pytest.mark.parametrize("args, message", [
    (["run", "--steps", "100000000"], "expected at most 10,000 (quarters per run)"),
    (["compare", "--replications", "100000000"], "expected at most 10,000 (runs per strategy)"),
    (["run", "--replications", "100000000"], "expected at most 10,000,000"),
])
def test_sizes_beyond_the_limits_are_refused_before_anything_runs(capsys, args, message):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_an_output_that_would_not_fit_the_disk_is_refused_before_the_runs(tmp_path, capsys, monkeypatch):
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 0, 10**9))
    out = tmp_path / "big.parquet"
    assert main(["run", "--replications", "1000000", "--out", str(out)]) == 3
    err = capsys.readouterr().err
    assert "would take about" in err and "GB free" in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []
