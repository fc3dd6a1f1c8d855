"""The route to a cluster (issue 19, item 7): ``sweep --scheduler-file FILE`` on a Dask cluster
started as a batch job would start it (``dask scheduler --scheduler-file``, then a worker that finds
the scheduler through the same file), here on loopback only; and the file's failure modes."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from multivector.experiments.cli import main
from multivector.experiments.sweep.store import open_sweep

DASK = Path(sys.executable).parent / "dask"

TINY = """
[experiment]
name = "tiny"
scenario = "stylised"
steps = 4
replications = 2
seed = 7
strategies = ["hedge", "balance"]
[factors]
"rivalry.scale" = [0.5, 1.5]
"""


def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([str(DASK), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"})


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.mark.slow
def test_a_sweep_runs_on_the_cluster_named_by_a_scheduler_file(tmp_path, capsys):
    experiment = tmp_path / "tiny.toml"
    experiment.write_text(TINY)
    scheduler_file = tmp_path / "shared" / "scheduler.json"
    scheduler_file.parent.mkdir()
    scheduler = _start("scheduler", "--scheduler-file", str(scheduler_file), "--host", "127.0.0.1", "--port", "0",
                       "--no-dashboard")
    worker = None
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert scheduler_file.exists(), "the scheduler wrote no scheduler file"
        assert json.loads(scheduler_file.read_text())["address"].startswith("tcp://127.0.0.1:")
        worker = _start("worker", "--scheduler-file", str(scheduler_file), "--host", "127.0.0.1", "--nworkers", "1",
                        "--nthreads", "1", "--no-dashboard")
        status = main(["sweep", str(experiment), "--out", str(tmp_path / "cluster"), "--quiet",
                       "--scheduler-file", str(scheduler_file)])
        out = capsys.readouterr().out
        assert status == 0, out
        assert "dask cluster at tcp://127.0.0.1:" in out
    finally:
        for process in (worker, scheduler):
            if process is not None:
                _stop(process)
    assert main(["sweep", str(experiment), "--out", str(tmp_path / "local"), "--quiet", "--workers", "1"]) == 0
    on_cluster = open_sweep(tmp_path / "cluster").runs.sort_values("run_id").drop(columns="duration_s")
    at_home = open_sweep(tmp_path / "local").runs.sort_values("run_id").drop(columns="duration_s")
    assert len(on_cluster) == 8
    pd.testing.assert_frame_equal(on_cluster.reset_index(drop=True), at_home.reset_index(drop=True))


@pytest.mark.parametrize(("content", "says"), [
    (None, "does not exist (waited 1 s"),
    ("{\"addr", "is not a Dask scheduler file (not JSON)"),
    ("{\"type\": \"Scheduler\"}", "is not a Dask scheduler file (no \"address\")"),
    ("{\"address\": \"http://127.0.0.1:8786\"}", "--scheduler: not a scheduler address"),
])
def test_a_bad_scheduler_file_is_refused_in_one_line_and_writes_nothing(tmp_path, capsys, monkeypatch, content, says):
    monkeypatch.setenv("MULTIVECTOR_DASK_TIMEOUT", "1")
    experiment = tmp_path / "tiny.toml"
    experiment.write_text(TINY)
    scheduler_file = tmp_path / "scheduler.json"
    if content is not None:
        scheduler_file.write_text(content)
    status = main(["sweep", str(experiment), "--out", str(tmp_path / "out"), "--quiet",
                   "--scheduler-file", str(scheduler_file)])
    err = capsys.readouterr().err
    assert status == 2 and says in err and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "out").exists()


def test_scheduler_and_scheduler_file_exclude_each_other(tmp_path, capsys):
    experiment = tmp_path / "tiny.toml"
    experiment.write_text(TINY)
    status = main(["sweep", str(experiment), "--out", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:1",
                   "--scheduler-file", str(tmp_path / "s.json")])
    assert status == 2 and "not with --scheduler" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
