"""Fault injection: the attacks of issue 9, each repeated against the fixed sweep.

1 one writer per folder, whatever the executor; 2 paths never escape; 3 Dask failures end
cleanly; 4 a store that checks itself (damaged, copied, missing parts; edited manifests);
5 file-system errors; 6 strict input and upper limits; 7 kills leave no debris.

Most attacks run in this process on tiny sweeps of the real model (a fraction of a second
each); the kill and scheduler tests drive real processes and are marked slow.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pyarrow.parquet as pq
import pytest

from multivector.experiments.cli import main
from multivector.experiments.errors import DataError, UsageError, shorten
from multivector.experiments.sweep import execution, store
from multivector.experiments.sweep.execution import Backend, BackendLost, DaskCluster
from multivector.experiments.sweep.experiment import parse_experiment
from multivector.experiments.sweep.store import SweepLock, open_sweep
from multivector.experiments.sweep.sweeper import run_sweep
from test_sweep_standin import standin_model  # noqa: F401  (fixture)

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent

TINY = """
[experiment]
name = "tiny"
scenario = "stylised"
steps = {steps}
replications = {replications}
seed = 7
strategies = ["hedge", "balance"]
[factors]
"rivalry.scale" = [0.5, 1.5]
[collect]
steps = true
"""


def tiny(tmp_path, steps=4, replications=2, name="tiny.toml") -> Path:
    path = tmp_path / name
    path.write_text(TINY.format(steps=steps, replications=replications))
    return path


def sweep(path, out, **options):
    options.setdefault("workers", 1)
    return run_sweep(path, out=out, progress=False, announce=lambda line: None, **options)


def cli(capsys, *args) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def comparable(runs):
    return runs.drop(columns="duration_s").reset_index(drop=True)


@pytest.fixture
def parts(tmp_path):
    """A finished 8-run sweep stored as four batches (parts 0-3) and its experiment file."""
    path = tiny(tmp_path)
    out = tmp_path / "out"
    sweep(path, out, chunk_size=2, flush_seconds=0)
    assert store.part_numbers(out / store.RUNS) == [0, 1, 2, 3]
    return path, out


# --------------------------------------------------------------------------- 1 one writer


def test_a_second_writer_is_refused_before_it_connects_anywhere(tmp_path, capsys, monkeypatch):
    from multivector.experiments.sweep import sweeper

    path = tiny(tmp_path)
    out = tmp_path / "fresh"
    out.mkdir()
    holder = SweepLock(out)
    holder.acquire()  # as a first sweep that has just created the folder
    built = []  # refused at the lock: no pool started, no cluster reached
    real_backend = sweeper._backend
    monkeypatch.setattr(sweeper, "_backend", lambda *args: built.append(args) or real_backend(*args))
    try:
        for executor in (["--workers", "1"], ["--scheduler", "tcp://127.0.0.1:1"], ["--scheduler", "foo://bar"]):
            status, _, err = cli(capsys, "sweep", path, "--out", out, "--quiet", *executor)
            assert status == 2 and "another sweep is writing to this folder" in one_line(err)
        assert built == []
        assert sorted(p.name for p in out.iterdir()) == [store.LOCK]
    finally:
        holder.release()
    status, _, _ = cli(capsys, "sweep", path, "--out", out, "--quiet", "--workers", "1")
    assert status == 0 and len(open_sweep(out).runs) == 8


# --------------------------------------------------------------------------- 2 paths


def test_the_lock_is_held_before_the_folder_is_read_or_a_cluster_reached(tmp_path, monkeypatch):
    from multivector.experiments.sweep import sweeper

    seen = []
    real_backend = sweeper._backend

    def backend(workers, scheduler):
        seen.append(store.is_being_written(tmp_path / "out"))  # a second writer would be refused now
        return real_backend(workers, scheduler)

    monkeypatch.setattr(sweeper, "_backend", backend)
    sweep(tiny(tmp_path), tmp_path / "out")
    assert seen == [True]


def test_scenarios_are_names_never_paths_and_errors_reveal_nothing(tmp_path, monkeypatch):
    from multivector import model

    (tmp_path / "evil.toml").write_text('[scenario]\nstart = "1991Q4"\nsteps = 4\npowers = ["A", "B"]\n')
    monkeypatch.chdir(tmp_path)
    shipped = Path(model.__file__).parent / "scenario_files"
    climb = os.path.relpath(tmp_path / "evil", shipped)  # ../../.. from the shipped scenarios to evil.toml
    messages = []
    for target in (climb, climb.replace("evil", "missing"), "evil", "../../../../etc/passwd", "/etc/hostname"):
        text = TINY.format(steps=4, replications=1).replace('"stylised"', json.dumps(str(target)))
        with pytest.raises(UsageError) as refused:
            parse_experiment(text, "exp.toml")
        messages.append(str(refused.value).replace(shorten(target, 60), "X"))
    assert len(set(messages)) == 1 and "unknown scenario" in messages[0]


# --------------------------------------------------------------------------- 3 Dask


@pytest.mark.parametrize("address", ["foo://bar", "tcp://127.0.0.1:notaport", "tcp://host-without-port"])
def test_malformed_scheduler_addresses_are_refused_at_once(address, monkeypatch):
    import socket

    import distributed

    attempts = []  # at once: refused before any connection is tried
    monkeypatch.setattr(socket, "create_connection", lambda *args, **kwargs: attempts.append(args))
    monkeypatch.setattr(distributed, "Client", lambda *args, **kwargs: attempts.append(args))
    with pytest.raises(UsageError, match="not a scheduler address"):
        DaskCluster(address, timeout=2)
    assert attempts == []


def test_unreachable_and_workerless_schedulers_end_within_the_timeout(tmp_path):
    from distributed import LocalCluster

    with pytest.raises(UsageError, match="cannot connect to tcp://127.0.0.1:1 "):
        DaskCluster("tcp://127.0.0.1:1", timeout=1)
    with LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster:
        with pytest.raises(UsageError, match=r"has no workers \(waited 1 s\)"):
            DaskCluster(cluster.scheduler_address, timeout=1)


class _Vanishing(Backend):
    """An executor whose work never comes back and whose scheduler is then found gone."""

    description = "a cluster that disappears"

    def __init__(self, after: int):
        from concurrent.futures import Future

        self._future_type = Future
        self.checks = 0
        self.after = after
        self.aborted = False

    def executor(self):
        backend = self

        class Never:
            def submit(self, *args, **kwargs):
                return backend._future_type()

        return Never()

    def check(self):
        self.checks += 1
        if self.checks >= self.after:
            raise BackendLost("lost the Dask scheduler (closed)")

    def abort(self):
        self.aborted = True


def test_a_lost_scheduler_ends_the_sweep_marked_interrupted_and_resumable(tmp_path, monkeypatch):
    monkeypatch.setattr(execution, "POLL_SECONDS", 0.01)
    path = tiny(tmp_path)
    out = tmp_path / "out"
    lost = _Vanishing(after=3)
    with pytest.raises(BackendLost):
        sweep(path, out, backend=lost)
    assert lost.aborted
    assert json.loads((out / store.MANIFEST).read_text())["status"] == "interrupted"
    outcome = sweep(path, out, resume=True)
    assert outcome.ran == 8 and open_sweep(out).runs["run_id"].is_unique


@pytest.mark.slow
def test_a_scheduler_killed_mid_sweep_ends_the_cli_with_130(tmp_path):
    scheduler_file = tmp_path / "scheduler.json"
    common = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "start_new_session": True, "cwd": REPO}
    scheduler = subprocess.Popen([str(VENV_BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                                  "--no-dashboard", "--scheduler-file", str(scheduler_file)], **common)
    worker = None
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads(scheduler_file.read_text())["address"]
        worker = subprocess.Popen([str(VENV_BIN / "dask"), "worker", address, "--nthreads", "1", "--nworkers", "1",
                                   "--no-dashboard"], **common)
        path = tiny(tmp_path, steps=60, replications=150)
        out = tmp_path / "out"
        env = {**os.environ, "MULTIVECTOR_DASK_TIMEOUT": "3"}
        sweep_process = subprocess.Popen([str(VENV_BIN / "multivector"), "sweep", str(path), "--out", str(out),
                                          "--scheduler", address, "--quiet", "--engine", "mesa"], cwd=tmp_path,
                                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (out / store.RUNS).is_dir():
            time.sleep(0.1)
        time.sleep(1)
        os.killpg(scheduler.pid, signal.SIGKILL)
        _, err = sweep_process.communicate(timeout=60)
        assert sweep_process.returncode == 130
        assert "lost the Dask scheduler" in one_line(err) and "--resume" in err
        assert json.loads((out / store.MANIFEST).read_text())["status"] == "interrupted"
    finally:
        for process in (worker, scheduler):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


# --------------------------------------------------------------------------- 4 store checks itself


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:200])


def _empty(path: Path) -> None:
    table = pq.read_table(path)
    pq.write_table(table.slice(0, 0), path)


@pytest.mark.parametrize("damage, reason", [
    (_truncate, "unreadable"),
    (_empty, "empty"),
])
def test_a_damaged_part_is_refused_by_readers_and_rerun_by_resume(parts, tmp_path, capsys, damage, reason):
    path, out = parts
    reference = comparable(open_sweep(out).runs)
    damage(store.part_path(out / store.RUNS, 2))
    for command in (["analyze", out], ["plot", out, "--out", tmp_path / "figures"]):
        status, _, err = cli(capsys, *command)
        assert status == 4 and reason in one_line(err) and "part-000002" in err
    assert not (tmp_path / "figures").exists()
    status, out_text, _ = cli(capsys, "sweep", path, "--out", out, "--resume", "--quiet", "--workers", "1")
    assert status == 0 and "set aside runs.parquet/part-000002.parquet" in out_text
    assert (out / "quarantine" / "runs-part-000002.parquet").exists()
    pd.testing.assert_frame_equal(comparable(open_sweep(out).runs), reference)


def test_a_truncated_steps_part_reruns_its_batch(parts, capsys):
    path, out = parts
    reference = comparable(open_sweep(out).runs)
    _truncate(store.part_path(out / store.STEPS, 1))
    status, _, err = cli(capsys, "analyze", out)
    assert status == 4 and "steps part is unreadable" in one_line(err)
    assert sweep(path, out, resume=True).ran == 2
    pd.testing.assert_frame_equal(comparable(open_sweep(out).runs), reference)


def test_a_copied_part_is_never_counted_twice(parts, capsys):
    path, out = parts
    shutil.copy(store.part_path(out / store.RUNS, 0), store.part_path(out / store.RUNS, 9))
    shutil.copy(store.part_path(out / store.STEPS, 0), store.part_path(out / store.STEPS, 9))
    status, _, err = cli(capsys, "analyze", out)
    assert status == 4 and "repeats runs stored in part 0" in one_line(err)
    assert sweep(path, out, resume=True).ran == 0
    assert len(open_sweep(out).runs) == 8
    status, _, _ = cli(capsys, "analyze", out)
    assert status == 0


def test_a_foreign_part_is_refused(parts, tmp_path, capsys):
    path, out = parts
    other = tmp_path / "other.toml"
    other.write_text(path.read_text().replace("seed = 7", "seed = 8"))
    sweep(other, tmp_path / "other", chunk_size=2, flush_seconds=0)
    shutil.copy(store.part_path(tmp_path / "other" / store.RUNS, 0), store.part_path(out / store.RUNS, 9))
    status, _, err = cli(capsys, "analyze", out)
    assert status == 4 and "foreign" in one_line(err)


def test_a_partial_sweep_is_flagged(parts, capsys):
    path, out = parts
    os.remove(store.part_path(out / store.RUNS, 3))
    os.remove(store.part_path(out / store.STEPS, 3))
    status, text, err = cli(capsys, "analyze", out)
    assert status == 0 and "holds 6 of 8 runs" in err and "by strategy" in text
    assert sweep(path, out, resume=True).ran == 2


@pytest.mark.parametrize("edit, expected", [
    (lambda m: m.update(steps=2), "steps is 2"),
    (lambda m: m.update(root_seed=8), "root_seed is 8"),
    (lambda m: m["experiment"].update(text=5), "unreadable manifest"),
    (lambda m: m["experiment"].update(text=m["experiment"]["text"].replace("steps = 4", "steps = 3")),
     "does not match its recorded sha256"),
])
def test_an_edited_manifest_is_refused_by_readers_and_resume(parts, capsys, edit, expected):
    path, out = parts
    manifest = json.loads((out / store.MANIFEST).read_text())
    edit(manifest)
    (out / store.MANIFEST).write_text(json.dumps(manifest))
    for command in (["analyze", out], ["sweep", path, "--out", out, "--resume", "--quiet", "--workers", "1"]):
        status, _, err = cli(capsys, *command)
        assert status == 4 and expected in one_line(err)


def test_the_app_view_refuses_damage_in_one_line(parts, monkeypatch):
    from multivector.experiments.app.sweep_folder import SWEEP_ROOT_ENV
    from multivector.experiments.app.sweep_view import OpenSweep

    _, out = parts
    monkeypatch.setenv(SWEEP_ROOT_ENV, str(out.parent))
    _truncate(store.part_path(out / store.RUNS, 0))
    with pytest.raises(DataError, match="part-000000.parquet: unreadable"):
        OpenSweep.load(str(out))


# --------------------------------------------------------------------------- 5 file system


def test_a_full_disk_is_one_line_and_leaves_a_resumable_folder(tmp_path, capsys, monkeypatch):
    path = tiny(tmp_path)
    out = tmp_path / "out"
    real_write = store.write_table_atomic
    writes = {"n": 0}

    def fill_up(table, target):
        writes["n"] += 1
        if writes["n"] > 1:  # the design fits; then the disk is full
            with open(target.with_name(f".{target.name}.tmp"), "wb") as handle:
                handle.write(b"half")
            os.remove(target.with_name(f".{target.name}.tmp"))
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(table, target)

    monkeypatch.setattr(store, "write_table_atomic", fill_up)
    status, _, err = cli(capsys, "sweep", path, "--out", out, "--quiet", "--workers", "1")
    assert status == 3 and "No space left on device" in one_line(err)
    assert json.loads((out / store.MANIFEST).read_text())["status"] == "interrupted"
    assert not [p for p in out.rglob(".*.tmp")]
    monkeypatch.setattr(store, "write_table_atomic", real_write)
    kept = len(open_sweep(out).runs)
    assert sweep(path, out, resume=True).ran == 8 - kept
    assert len(open_sweep(out).runs) == 8


def test_unwritable_and_impossible_outputs_are_one_line(tmp_path, capsys):
    path = tiny(tmp_path)
    a_file = tmp_path / "file"
    a_file.write_text("x")
    cases = [(["sweep", path, "--out", a_file], 2, "exists and is not a folder"),
             (["sweep", path, "--out", a_file / "below"], 3, "cannot create"),
             (["sweep", path, "--out", tmp_path / ("n" * 300)], 3, "too long"),
             (["run", "--steps", "2", "--out", a_file / "x.csv"], 3, "cannot write"),
             (["compare", "--steps", "2", "--replications", "1", "--out", a_file / "c"], 3, "cannot write")]
    for args, code, words in cases:
        status, _, err = cli(capsys, *args, *(["--quiet"] if args[0] == "sweep" else []))
        assert status == code and words in one_line(err), err
        assert len(err) < 400


def test_a_read_only_folder_when_the_machine_allows_mounting(tmp_path, capsys, parts):
    target = tmp_path / "ro"
    target.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(target)],
                                           capture_output=True).returncode:
        pytest.skip("cannot mount a read-only file system here")
    try:
        _, out = parts
        path = tiny(tmp_path, name="again.toml")
        for args in (["sweep", path, "--out", target / "s", "--quiet"], ["analyze", out, "--csv", target / "a"],
                     ["plot", out, "--out", target / "p"]):
            status, _, err = cli(capsys, *args)
            assert status == 3 and "Read-only file system" in one_line(err)
    finally:
        subprocess.run(["umount", str(target)], check=False)


# --------------------------------------------------------------------------- 6 strict input

BAD_INPUT = [
    ("steps = 4", "steps = true", "experiment.steps: Input should be a valid integer, got a boolean"),
    ("steps = 4", 'steps = "3"', "experiment.steps: Input should be a valid integer, got a string"),
    ("replications = 2", 'replications = "2"', "experiment.replications"),
    ("seed = 7", 'seed = "7"', "experiment.seed"),
    ("steps = 4", "steps = 10000000", "experiment.steps: Input should be less than or equal to 10000"),
    ("replications = 2", "replications = 1000000000000", "experiment.replications: Input should be less than"),
    ('"rivalry.scale" = [0.5, 1.5]', '"rivalry.scale" = { low = 0.1, high = 2.0, num = 1000000000 }',
     'factors."rivalry.scale".num'),
    ('"rivalry.scale" = [0.5, 1.5]', '"rivalry.scale" = [0.5, nan]', 'factors."rivalry.scale"'),
    ("[collect]", '[fixed]\n"powers.A.reach" = [1, 2]\n[collect]',
     'fixed."powers.A.reach": expected a number, boolean or string, got an array'),
    ("[collect]", '[fixed]\n"powers.A.reach" = "0.5"\n[collect]', 'fixed."powers.A.reach": expected a number'),
    ("[collect]", '[[stop]]\ncolumn = "autonomy"\nbelow = nan\n[collect]', "stop[0].below"),
    ("[collect]", '[[stop]]\ncolumn = "autonomy"\nabove = -inf\n[collect]', "stop[0].above"),
    ("[factors]", '[design]\nkind = "sobol"\nsamples = 524288\n[factors]',
     "design.samples: the design has 1572864 points"),
]


@pytest.mark.parametrize("old, new, expected", BAD_INPUT)
def test_bad_experiment_values_are_refused_naming_the_field(old, new, expected):
    text = TINY.format(steps=4, replications=2).replace(old, new, 1)
    if "sobol" in new:
        text = text.replace('"rivalry.scale" = [0.5, 1.5]', '"rivalry.scale" = { low = 0.1, high = 2.0 }')
    with pytest.raises(UsageError) as refused:
        parse_experiment(text, "exp.toml")
    assert expected in str(refused.value) and "\n" not in str(refused.value)


def test_huge_deep_or_binary_files_are_refused_in_one_line(tmp_path, capsys):
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * 2_000_000)
    for target, words in ((deep, "nested more than"), (big, "larger than"), (Path("/dev/zero"), "not a regular file")):
        status, _, err = cli(capsys, "sweep", target, "--out", tmp_path / "never", "--quiet")
        assert status == 2 and words in one_line(err)
    assert not (tmp_path / "never").exists()


def test_workers_are_capped_at_the_cpu_count_and_set_values_must_be_ascii(tmp_path, capsys):
    lines = []
    run_sweep(tiny(tmp_path), out=tmp_path / "out", workers=(os.cpu_count() or 1) + 20, progress=False,
              announce=lines.append)
    assert any(line.startswith("note: --workers") for line in lines)
    status, _, err = cli(capsys, "run", "--steps", "2", "--set", "rivalry.scale=\uff11")
    assert status == 2 and "must be ASCII" in one_line(err)


# --------------------------------------------------------------------------- 7 kills


def test_a_kill_before_the_first_manifest_leaves_a_folder_that_reruns_or_resumes(tmp_path):
    path = tiny(tmp_path)
    for resume in (False, True):
        out = tmp_path / f"early-{resume}"
        out.mkdir()
        (out / store.LOCK).write_text("pid 1 on elsewhere")  # what such a kill leaves
        (out / store.EXPERIMENT_COPY).write_text(path.read_text())
        (out / ".manifest.json.tmp").write_text("{")
        assert sweep(path, out, resume=resume).ran == 8


def test_resume_with_failed_runs_left_exits_1(standin_model, tmp_path, capsys):
    path = tmp_path / "grid.toml"
    path.write_text(TINY.format(steps=4, replications=2).replace(
        '"rivalry.scale" = [0.5, 1.5]', '"rivalry.scale" = [0.2, 0.8]\n"secondary.crash" = [false, true]'))
    status, _, err = cli(capsys, "sweep", path, "--out", tmp_path / "out", "--quiet", "--workers", "1")
    assert status == 1, err
    status, _, err = cli(capsys, "sweep", path, "--out", tmp_path / "out", "--resume", "--quiet", "--workers", "1")
    assert status == 1 and "runs failed" in err


def _start_cli_sweep(tmp_path, out) -> subprocess.Popen:
    path = tiny(tmp_path, steps=60, replications=100)
    return subprocess.Popen([str(VENV_BIN / "multivector"), "sweep", str(path), "--out", str(out), "--workers", "2",
                             "--engine", "mesa", "--quiet"], cwd=tmp_path, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def _wait_for_workers(process, out) -> list[psutil.Process]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        children = psutil.Process(process.pid).children(recursive=True)
        if (out / store.MANIFEST).exists() and len(children) >= 3:  # forkserver, tracker, workers
            return children
        time.sleep(0.1)
    raise AssertionError("the sweep did not start its workers")


def _gone(processes, within: float) -> bool:
    _, alive = psutil.wait_procs(processes, timeout=within)
    return not alive


@pytest.mark.slow
def test_sigterm_stops_workers_marks_interrupted_and_resumes(tmp_path):
    out = tmp_path / "out"
    process = _start_cli_sweep(tmp_path, out)
    children = _wait_for_workers(process, out)
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 143 and "terminated" in one_line(err) and "--resume" in err
    assert json.loads((out / store.MANIFEST).read_text())["status"] == "interrupted"
    assert _gone(children, within=10)
    outcome = sweep(tmp_path / "tiny.toml", out, resume=True)
    runs = open_sweep(out).runs
    assert len(runs) == 400 and runs["run_id"].is_unique and outcome.ran == 400 - outcome.already_done


@pytest.mark.slow
def test_sigkill_leaves_no_worker_processes_behind(tmp_path):
    out = tmp_path / "out"
    process = _start_cli_sweep(tmp_path, out)
    children = _wait_for_workers(process, out)
    process.kill()
    process.communicate(timeout=30)
    assert _gone(children, within=15), [c.cmdline()[:3] for c in children if c.is_running()]
    status = store.effective_status(out, json.loads((out / store.MANIFEST).read_text()))
    assert status == "interrupted"
