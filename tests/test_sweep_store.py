"""The sweep folder, on the stand-in model with a thread executor: layout, failures, resume,
the writer lock, replay. (Process, Dask and kill tests on the real model: test_sweep_execution.)

duration_s is wall time and differs from run to run: comparisons leave it out.
"""

import json
import shutil
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from multivector.experiments.errors import UsageError
from multivector.experiments.sweep import analysis, plots
from multivector.experiments.sweep.execution import ExecutorBackend
from multivector.experiments.sweep.store import SweepLock, open_sweep, replay_arguments
from multivector.experiments.sweep.sweeper import run_sweep
from test_sweep_standin import standin_model  # noqa: F401  (fixture)

GRID = """
[experiment]
name = "grid"
scenario = "stylised"
steps = 8
replications = 2
seed = 5
strategies = ["hedge", "balance"]
[design]
kind = "grid"
[factors]
"rivalry.scale" = [0.2, 0.8]
"secondary.crash" = [false, true]
[collect]
steps = true
every = 3
"""


def threads():
    return ExecutorBackend(ThreadPoolExecutor(2), 2, "threads")


def sweep(path, out, **options):
    options.setdefault("backend", threads())
    return run_sweep(path, out=out, progress=False, announce=lambda line: None, **options)


def comparable(runs):
    return runs.drop(columns="duration_s").reset_index(drop=True)


@pytest.fixture
def grid_file(tmp_path):
    path = tmp_path / "grid.toml"
    path.write_text(GRID)
    return path


def test_layout_rows_and_failed_runs(standin_model, grid_file, tmp_path):
    out = tmp_path / "out"
    outcome = sweep(grid_file, out, chunk_size=3)
    assert (outcome.total, outcome.ok, outcome.failed) == (16, 8, 8)
    results = open_sweep(out)
    runs = results.runs
    assert len(runs) == 16 and runs["run_id"].is_unique and runs["run_id"].is_monotonic_increasing
    assert list(runs.columns[:9]) == ["run_id", "point", "replication", "seed_entropy", "spawn_key", "strategy",
                                      "status", "error", "duration_s"]
    assert {"rivalry.scale", "secondary.crash", "autonomy", "threat_WEST"} <= set(runs.columns)
    crashed = runs[runs["secondary.crash"]]
    assert (crashed["status"] == "failed").all()
    assert crashed["error"].str.startswith("RuntimeError: stand-in crash requested").all()
    assert crashed["autonomy"].isna().all()
    assert (runs.loc[~runs["secondary.crash"], "status"] == "ok").all()
    # common random numbers: strategies at one (point, replication) share the seed
    assert runs.groupby(["point", "replication"])["spawn_key"].nunique().eq(1).all()
    # steps: every 3rd quarter and the last, for ok runs only
    assert sorted(results.steps["step"].unique()) == [0, 3, 6, 8]
    assert set(results.steps["run_id"]) == set(runs.loc[runs["status"] == "ok", "run_id"])
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["experiment"]["text"] == GRID and manifest["root_seed"] == 5
    assert manifest["status"] == "complete" and manifest["counts"] == {"ok": 8, "failed": 8}
    assert {"mesa", "numpy", "SALib", "pyarrow"} <= set(manifest["versions"])
    assert set(manifest["git"]) == {"commit", "dirty"}
    assert manifest["started"] and manifest["ended"]
    assert pd.read_parquet(out / "runs.parquet").shape == runs.shape


def test_results_do_not_depend_on_chunking_or_workers(standin_model, grid_file, tmp_path):
    sweep(grid_file, tmp_path / "a", chunk_size=1)
    sweep(grid_file, tmp_path / "b", chunk_size=5, backend=ExecutorBackend(ThreadPoolExecutor(1), 1))
    pd.testing.assert_frame_equal(comparable(open_sweep(tmp_path / "a").runs),
                                  comparable(open_sweep(tmp_path / "b").runs))


def test_resume_after_a_crash_gives_the_uninterrupted_result(standin_model, grid_file, tmp_path):
    whole = tmp_path / "whole"
    sweep(grid_file, whole, chunk_size=2)
    # a crashed sweep: some parts never written, a steps part whose runs part never landed,
    # a temporary file half written, and a manifest still saying "running"
    broken = tmp_path / "broken"
    shutil.copytree(whole, broken)
    parts = sorted((broken / "runs.parquet").glob("part-*.parquet"))
    for part in parts[len(parts) // 2:]:
        part.unlink()
    (broken / "runs.parquet" / ".part-000099.parquet.tmp").write_bytes(b"half")
    # (the steps parts of the deleted runs parts stay behind, as after a kill between the two)
    outcome = sweep(grid_file, broken, resume=True)
    assert outcome.already_done + outcome.ran == 16 and outcome.ran > 0
    again, reference = open_sweep(broken), open_sweep(whole)
    pd.testing.assert_frame_equal(comparable(again.runs), comparable(reference.runs))
    pd.testing.assert_frame_equal(again.steps, reference.steps)
    assert not list((broken / "runs.parquet").glob(".*.tmp"))
    manifest = json.loads((broken / "manifest.json").read_text())
    assert [s["resumed"] for s in manifest["sessions"]] == [False, True]
    # resuming a finished sweep runs nothing
    assert sweep(grid_file, broken, resume=True).ran == 0


def test_retry_failed_replaces_failed_rows_without_duplicates(standin_model, grid_file, tmp_path):
    out = tmp_path / "out"
    sweep(grid_file, out)
    outcome = sweep(grid_file, out, resume=True, retry_failed=True)
    assert outcome.ran == 8 and outcome.failed == 8  # the stand-in fails deterministically
    runs = open_sweep(out).runs
    assert len(runs) == 16 and runs["run_id"].is_unique


def test_refusals_write_nothing(standin_model, grid_file, tmp_path):
    out = tmp_path / "out"
    sweep(grid_file, out)
    before = sorted(p.name for p in out.iterdir())
    with pytest.raises(UsageError, match="not empty; use --resume"):
        sweep(grid_file, out)
    changed = tmp_path / "changed.toml"
    changed.write_text(GRID.replace("seed = 5", "seed = 6"))
    with pytest.raises(UsageError, match="differs from the experiment"):
        sweep(changed, out, resume=True)
    with pytest.raises(UsageError, match="holds no sweep"):
        sweep(grid_file, tmp_path / "nothing", resume=True)
    assert not (tmp_path / "nothing").exists()
    bad = tmp_path / "bad.toml"
    bad.write_text(GRID.replace('"rivalry.scale"', '"rivalry.scael"', 1))
    with pytest.raises(UsageError, match="rivalry.scael"):
        sweep(bad, tmp_path / "never")
    assert not (tmp_path / "never").exists()
    assert sorted(p.name for p in out.iterdir()) == before


def test_a_second_writer_is_refused(standin_model, grid_file, tmp_path):
    out = tmp_path / "out"
    sweep(grid_file, out)
    holder = SweepLock(out)
    holder.acquire()  # as a running sweep holds it
    try:
        with pytest.raises(UsageError, match="another sweep is writing to this folder"):
            sweep(grid_file, out, resume=True)
        with pytest.raises(UsageError, match="another sweep is writing"):
            sweep(grid_file, out)
    finally:
        holder.release()
    assert sweep(grid_file, out, resume=True).ran == 0


def test_replay_arguments_rebuild_a_run(standin_model, grid_file, tmp_path):
    out = tmp_path / "out"
    sweep(grid_file, out)
    results = open_sweep(out)
    row = results.runs[results.runs["status"] == "ok"].iloc[-1]
    args = replay_arguments(results, row["run_id"])
    assert args["overrides"]["rivalry.scale"] == row["rivalry.scale"]
    rebuilt = standin_model.MultivectorModel(
        scenario=args["scenario"], strategy=args["strategy"], overrides=args["overrides"], steps=args["steps"],
        rng=np.random.SeedSequence(args["seed_entropy"], spawn_key=args["spawn_key"]))
    while rebuilt.running:
        rebuilt.step()
    final = rebuilt.datacollector.get_model_vars_dataframe().iloc[-1]
    for measure in ("autonomy", "welfare", "engagement_CHN_economy"):
        assert final[measure] == row[measure]
    with pytest.raises(UsageError, match="no run"):
        replay_arguments(results, "p999999-r0000-hedge")


def test_stop_rule_ends_runs_early(standin_model, tmp_path):
    path = tmp_path / "stop.toml"
    path.write_text(GRID.replace('"secondary.crash" = [false, true]\n', "")
                    + '[[stop]]\ncolumn = "autonomy"\nabove = 0.0\nafter = 2\n')
    sweep(path, tmp_path / "out")
    runs = open_sweep(tmp_path / "out").runs
    assert (runs["steps_run"] == 2).all() and (runs["stopped_by"] == "stop[0]").all()
    row = runs.iloc[0]
    assert replay_arguments(open_sweep(tmp_path / "out"), row["run_id"])["steps"] == 2


SOBOL = """
[experiment]
name = "sobol"
scenario = "stylised"
steps = 6
replications = 1
seed = 3
strategies = ["hedge", "balance"]
[design]
kind = "sobol"
samples = 16
[factors]
"rivalry.scale" = { low = 0.0, high = 1.0 }
"reactions.pressure_cost" = { low = 0.0, high = 1.0 }
[collect]
measures = ["autonomy", "welfare", "hedging_index"]
"""


def test_sobol_analysis_and_figures(standin_model, tmp_path):
    path = tmp_path / "sobol.toml"
    path.write_text(SOBOL)
    sweep(path, tmp_path / "out")
    results = open_sweep(tmp_path / "out")
    assert len(results.runs) == 16 * 4 * 2
    indices = analysis.sobol_indices(results, ["autonomy"])
    assert list(indices.columns) == ["strategy", "measure", "factor", "S1", "S1_conf", "ST", "ST_conf", "note"]
    assert len(indices) == 2 * 2 and indices[["S1", "ST", "S1_conf", "ST_conf"]].notna().all().all()
    with pytest.raises(UsageError, match="Morris indices need a morris design"):
        analysis.morris_indices(results, ["autonomy"])
    written = plots.write_figures(results, tmp_path / "figs")
    names = {p.name for p in written}
    assert {"outcomes-by-strategy.png", "outcomes-by-strategy.svg", "sobol-autonomy.svg",
            "heatmap-welfare.png"} <= names
    assert all(p.stat().st_size > 1000 for p in written)


def test_grid_analysis_refuses_sensitivity_indices(standin_model, grid_file, tmp_path):
    sweep(grid_file, tmp_path / "out")
    results = open_sweep(tmp_path / "out")
    with pytest.raises(UsageError, match="Sobol indices need a sobol design; this sweep's design is grid"):
        analysis.analyze(results, method="sobol", measures=["autonomy"])
    tables = analysis.analyze(results, measures=["autonomy"])
    summary = tables["by strategy"]
    assert set(summary["strategy"]) == {"hedge", "balance"} and (summary["n"] == 4).all()
    assert (summary["ci_low"] <= summary["mean"]).all() and (summary["mean"] <= summary["ci_high"]).all()
    assert "by rivalry.scale" in tables


def test_open_sweep_refuses_a_folder_that_is_not_a_sweep(tmp_path):
    with pytest.raises(UsageError, match="not a sweep folder"):
        open_sweep(tmp_path)
