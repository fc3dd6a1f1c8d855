"""Execution on the real model: 1 worker == 2 workers == a Dask cluster; SIGKILL + resume;
a Dask worker killed mid-sweep; a run that kills its worker process.

Runs tables are compared after sorting by run_id, on every column except duration_s
(wall time, which differs from run to run by nature).
"""

import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor  # noqa: F401
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pytest

from multivector import model
from multivector.experiments.sweep.execution import LocalProcesses
from multivector.experiments.sweep.store import open_sweep, replay_arguments
from multivector.experiments.sweep.sweeper import run_sweep
from test_sweep_standin import standin_model  # noqa: F401  (fixture)

pytestmark = pytest.mark.skipif(not hasattr(model, "MultivectorModel"), reason="the model is not there yet")

VENV_BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[1]

SMALL = """
[experiment]
name = "small"
scenario = "stylised"
steps = {steps}
replications = {replications}
seed = 20260101
strategies = ["hedge", "balance", "bandwagon"]
[design]
kind = "grid"
[factors]
"rivalry.scale" = [0.5, 1.5]
[collect]
steps = true
every = 4
"""


def experiment_file(tmp_path, steps=8, replications=2):
    path = tmp_path / f"small-{steps}-{replications}.toml"
    path.write_text(SMALL.format(steps=steps, replications=replications))
    return path


def quiet(**options):
    return {"progress": False, "announce": lambda line: None, **options}


def comparable(runs):
    return runs.drop(columns="duration_s").reset_index(drop=True)


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """A `dask scheduler` and two `dask worker` processes on loopback, stopped at the end."""
    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    log = open(folder / "dask.log", "wb")
    common = {"stdout": log, "stderr": subprocess.STDOUT, "start_new_session": True, "cwd": REPO}
    processes = [subprocess.Popen([str(VENV_BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                                   "--no-dashboard", "--scheduler-file", str(scheduler_file)], **common)]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert scheduler_file.exists(), "the dask scheduler did not start"
        for i in range(2):
            processes.append(subprocess.Popen(
                [str(VENV_BIN / "dask"), "worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1",
                 "--nworkers", "1", "--host", "127.0.0.1", "--no-dashboard", "--name", f"w{i}"], **common))
        from distributed import Client

        with Client(scheduler_file=str(scheduler_file), timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
            address = client.scheduler.address
        yield address, processes[1:]
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        log.close()


def test_one_two_workers_and_dask_give_identical_runs(tmp_path, dask_cluster):
    path = experiment_file(tmp_path)
    run_sweep(path, out=tmp_path / "one", workers=1, **quiet())
    run_sweep(path, out=tmp_path / "two", workers=2, **quiet(chunk_size=1))
    run_sweep(path, out=tmp_path / "dask", scheduler=dask_cluster[0], **quiet(chunk_size=2))
    one, two, dask = (open_sweep(tmp_path / name) for name in ("one", "two", "dask"))
    assert len(one.runs) == 2 * 2 * 3 and (one.runs["status"] == "ok").all()
    pd.testing.assert_frame_equal(comparable(one.runs), comparable(two.runs))
    pd.testing.assert_frame_equal(comparable(one.runs), comparable(dask.runs))
    pd.testing.assert_frame_equal(one.steps, dask.steps)
    # different seeds give different results: the comparison above is not vacuous
    assert one.runs.groupby("strategy")["autonomy"].nunique().gt(1).all()


def test_stored_runs_equal_the_model_run_alone(tmp_path):
    path = experiment_file(tmp_path)
    run_sweep(path, out=tmp_path / "out", workers=1, **quiet())
    results = open_sweep(tmp_path / "out")
    for run_id in (results.runs["run_id"].iloc[0], results.runs["run_id"].iloc[-1]):
        row = results.runs.set_index("run_id").loc[run_id]
        args = replay_arguments(results, run_id)
        rebuilt = model.MultivectorModel(scenario=args["scenario"], strategy=args["strategy"],
                                         overrides=args["overrides"], steps=args["steps"],
                                         rng=np.random.SeedSequence(args["seed_entropy"], spawn_key=args["spawn_key"]))
        while rebuilt.running:
            rebuilt.step()
        final = rebuilt.datacollector.get_model_vars_dataframe().iloc[-1]
        seed = np.random.SeedSequence(args["seed_entropy"], spawn_key=args["spawn_key"])
        simulated = model.simulate(scenario=args["scenario"], strategy=args["strategy"], seed=seed,
                                   steps=args["steps"], overrides=args["overrides"]).iloc[-1]
        for measure in results.experiment.measures:
            assert final[measure] == row[measure] == simulated[measure], measure


def test_sigkill_partway_then_resume_gives_the_full_identical_result(tmp_path):
    path = experiment_file(tmp_path, steps=12, replications=10)  # 60 runs
    run_sweep(path, out=tmp_path / "reference", workers=1, **quiet())
    out = tmp_path / "killed"
    script = ("import sys; from experiments.sweep.sweeper import run_sweep; "
              f"run_sweep({str(path)!r}, out={str(out)!r}, workers=2, progress=False, chunk_size=2, "
              "flush_seconds=0.2)")
    victim = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(list((out / "runs.parquet").glob("part-*.parquet"))) < 2:
            time.sleep(0.02)
    finally:
        os.killpg(victim.pid, signal.SIGKILL)  # the sweep and its workers, as on a lost machine
        victim.wait(timeout=30)
    partial = pd.read_parquet(out / "runs.parquet")
    assert 0 < len(partial) < 60, "the kill should land partway"
    outcome = run_sweep(path, out=out, workers=2, resume=True, **quiet())
    assert outcome.already_done == len(partial) and outcome.ran == 60 - len(partial)
    resumed, reference = open_sweep(out), open_sweep(tmp_path / "reference")
    assert resumed.runs["run_id"].is_unique and len(resumed.runs) == 60
    pd.testing.assert_frame_equal(comparable(resumed.runs), comparable(reference.runs))
    pd.testing.assert_frame_equal(resumed.steps, reference.steps)


def test_a_dask_worker_killed_mid_sweep_costs_nothing(tmp_path, dask_cluster):
    address, workers = dask_cluster
    path = experiment_file(tmp_path, steps=12, replications=20)  # 120 runs
    out = tmp_path / "out"
    outcome = {}

    def sweep():
        outcome["value"] = run_sweep(path, out=out, scheduler=address, **quiet(chunk_size=2, flush_seconds=0.1))

    thread = threading.Thread(target=sweep)
    thread.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list((out / "runs.parquet").glob("part-*.parquet")):
        time.sleep(0.02)
    # kill the worker process under the first nanny (the nanny restarts it)
    nanny = psutil.Process(workers[0].pid)
    killed = [p for p in nanny.children(recursive=True) if "spawn_main" in " ".join(p.cmdline())]
    assert killed, "found no dask worker process to kill"
    assert thread.is_alive(), "the sweep finished before the kill landed"
    for process in killed:
        process.kill()
    thread.join(timeout=180)
    assert not thread.is_alive(), "the sweep did not finish after a worker was killed"
    assert outcome["value"].ok == 120 and outcome["value"].failed == 0
    runs = open_sweep(out).runs
    assert len(runs) == 120 and runs["run_id"].is_unique and (runs["status"] == "ok").all()


def test_a_run_that_kills_its_worker_is_a_failed_row_and_the_rest_finish(standin_model, tmp_path):
    # fork so the workers inherit the stand-in; window = 40 makes the stand-in kill its worker
    path = tmp_path / "deadly.toml"
    path.write_text(SMALL.format(steps=6, replications=3).replace(
        '"rivalry.scale" = [0.5, 1.5]', '"perception.volatility_window" = [8, 40, 12]'))
    outcome = run_sweep(path, out=tmp_path / "out", **quiet(chunk_size=3, backend=LocalProcesses(2, "fork")))
    runs = open_sweep(tmp_path / "out").runs
    deadly = runs["perception.volatility_window"] == 40
    assert len(runs) == 27 and runs["run_id"].is_unique
    assert (runs.loc[deadly, "status"] == "failed").all()
    assert runs.loc[deadly, "error"].str.startswith("WorkerDied: worker process died").all()
    assert (runs.loc[~deadly, "status"] == "ok").all()
    assert (outcome.ok, outcome.failed) == (18, 9)


def test_the_array_engine_and_the_mesa_model_store_the_same_sweep(tmp_path):
    """Chunks stepped as ensembles give the runs table (all but duration_s) and the steps the
    Mesa model gives run by run, stop conditions included."""
    path = experiment_file(tmp_path, steps=12, replications=3)
    path.write_text(path.read_text() + '\n[[stop]]\ncolumn = "autonomy"\nbelow = 0.999\nafter = 3\n')
    run_sweep(path, out=tmp_path / "array", workers=1, **quiet(chunk_size=7))
    run_sweep(path, out=tmp_path / "mesa", workers=1, **quiet(engine="mesa"))
    array, mesa_runs = open_sweep(tmp_path / "array"), open_sweep(tmp_path / "mesa")
    assert (array.runs["status"] == "ok").all() and len(array.runs) == 2 * 3 * 3
    assert array.runs["stopped_by"].eq("stop[0]").any() and array.runs["stopped_by"].eq("").any()
    pd.testing.assert_frame_equal(comparable(array.runs), comparable(mesa_runs.runs))
    pd.testing.assert_frame_equal(array.steps, mesa_runs.steps)


def test_spawned_workers_store_the_same_sweep_as_the_default(tmp_path):
    """Windows offers only the "spawn" start method (and it is macOS's default): workers that
    import everything afresh, with no forkserver preload, give the same stored sweep."""
    path = experiment_file(tmp_path, steps=8, replications=2)
    run_sweep(path, out=tmp_path / "default", **quiet(chunk_size=4, backend=LocalProcesses(2)))
    run_sweep(path, out=tmp_path / "spawn", **quiet(chunk_size=4, backend=LocalProcesses(2, "spawn")))
    default, spawned = open_sweep(tmp_path / "default"), open_sweep(tmp_path / "spawn")
    assert (spawned.runs["status"] == "ok").all() and len(spawned.runs) == len(default.runs) > 0
    pd.testing.assert_frame_equal(comparable(default.runs), comparable(spawned.runs))
    pd.testing.assert_frame_equal(default.steps, spawned.steps)
