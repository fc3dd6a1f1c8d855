"""The route to a cluster (issue 19, item 7): experiments/cluster/slurm-sweep.sh run as SLURM would
run it (``dask scheduler --scheduler-file``, a worker that finds the scheduler through the same file,
``sweep --scheduler-file``), here on loopback only; the file's failure modes; the dask-jobqueue recipe."""

import os
import subprocess
import sys
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


CLUSTER = Path(__file__).resolve().parents[1] / "experiments" / "cluster"


@pytest.mark.slow
def test_the_slurm_job_script_sweeps_through_its_scheduler_file(tmp_path):
    """slurm-sweep.sh as SLURM would run it on one node with one core (srun stood in for by a script
    that runs its command here; everything on loopback)."""
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    srun = fake_bin / "srun"
    srun.write_text('#!/usr/bin/env bash\nwhile [[ "$1" == --* ]]; do shift; done\nexec "$@"\n')
    srun.chmod(0o755)
    experiment = tmp_path / "tiny.toml"
    experiment.write_text(TINY)
    env = {**os.environ, "PATH": f"{fake_bin}{os.pathsep}{DASK.parent}{os.pathsep}{os.environ['PATH']}",
           "SLURM_JOB_ID": "42", "SLURM_NNODES": "1", "SLURM_CPUS_PER_TASK": "1",
           "MULTIVECTOR_DASK_HOST": "127.0.0.1", "MULTIVECTOR_DASK_TIMEOUT": "60"}
    done = subprocess.run(["bash", str(CLUSTER / "slurm-sweep.sh"), str(experiment), str(tmp_path / "out")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "8 ok, 0 failed" in done.stdout
    assert not (tmp_path / ".dask-scheduler-42.json").exists()  # the job cleans up after itself
    assert "dask cluster at tcp://127.0.0.1:" in done.stdout
    # the same runs as at home, bit for bit
    assert main(["sweep", str(experiment), "--out", str(tmp_path / "local"), "--quiet", "--workers", "1"]) == 0
    on_cluster = open_sweep(tmp_path / "out").runs.sort_values("run_id").drop(columns="duration_s")
    at_home = open_sweep(tmp_path / "local").runs.sort_values("run_id").drop(columns="duration_s")
    assert len(on_cluster) == 8
    pd.testing.assert_frame_equal(on_cluster.reset_index(drop=True), at_home.reset_index(drop=True))


def test_the_slurm_recipe_writes_one_worker_per_core(capsys):
    pytest.importorskip("dask_jobqueue")
    from multivector.experiments.cluster import slurm

    status = slurm.main(["x.toml", "--out", "o", "--dry-run", "--cores", "4", "--queue", "short",
                         "--scheduler-host", "127.0.0.1"])
    script = capsys.readouterr().out
    assert status == 0
    assert "#SBATCH -p short" in script and "--cpus-per-task=4" in script
    assert "--nthreads 1" in script and "--nworkers 4" in script and "tcp://127.0.0.1:" in script
    assert "OMP_NUM_THREADS=1" in script
