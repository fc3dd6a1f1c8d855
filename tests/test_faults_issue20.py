"""Fault injection, issue 20: planted symbolic links, signals and stale temporary files, inputs
that are not regular files, levels that differ only in their sign. Each test is named after what
it attacks; each checks the promised result (one line, the exit status, targets unchanged)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from multivector.experiments.cli import main
from multivector.experiments.errors import UsageError
from multivector.experiments.sweep.experiment import parse_experiment

VENV_BIN = Path(sys.executable).parent

TINY = """
[experiment]
name = "tiny"
scenario = "stylised"
steps = 3
replications = 1
seed = 7
strategies = ["hedge"]
[factors]
"rivalry.scale" = [0.5, 1.5]
"""


def _one_line(err: str) -> str:
    lines = [line for line in err.strip().splitlines() if line]
    assert len(lines) == 1, err
    return lines[0]


def _experiment(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(TINY)
    return path


def test_a_planted_lock_link_is_refused_and_its_target_is_unchanged(tmp_path, capsys):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "sweep"
    out.mkdir()
    (out / "sweep.lock").symlink_to(victim)
    assert main(["sweep", str(_experiment(tmp_path)), "--out", str(out), "--quiet"]) == 2
    assert "symbolic link" in _one_line(capsys.readouterr().err)
    assert victim.read_text() == "precious"


def test_a_planted_lock_link_is_refused_on_resume_too(tmp_path, capsys):
    out = tmp_path / "sweep"
    assert main(["sweep", str(_experiment(tmp_path)), "--out", str(out), "--quiet"]) == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (out / "sweep.lock").unlink()
    (out / "sweep.lock").symlink_to(victim)
    capsys.readouterr()
    assert main(["sweep", str(_experiment(tmp_path)), "--out", str(out), "--resume", "--quiet"]) == 2
    assert "symbolic link" in _one_line(capsys.readouterr().err)
    assert victim.read_text() == "precious"


def test_a_runs_folder_linked_elsewhere_is_neither_read_nor_moved(tmp_path, capsys):
    out = tmp_path / "sweep"
    assert main(["sweep", str(_experiment(tmp_path)), "--out", str(out), "--quiet"]) == 0
    elsewhere = tmp_path / "elsewhere"
    (out / "runs.parquet").rename(elsewhere)
    (out / "runs.parquet").symlink_to(elsewhere, target_is_directory=True)
    before = sorted(os.listdir(elsewhere))
    capsys.readouterr()
    for command in (["analyze", str(out)], ["sweep", str(_experiment(tmp_path)), "--out", str(out), "--resume",
                                           "--quiet"]):
        assert main(command) == 2
        assert "symbolic link" in _one_line(capsys.readouterr().err)
    assert sorted(os.listdir(elsewhere)) == before


def test_a_linked_experiment_copy_in_a_report_folder_is_not_overwritten(tmp_path, capsys):
    victim = tmp_path / "victim.toml"
    victim.write_text("precious")
    out = tmp_path / "report"
    (out / "experiments").mkdir(parents=True)
    (out / "experiments" / "C12-activism.toml").symlink_to(victim)
    assert main(["report", "--quick", "--only", "C12", "--out", str(out), "--workers", "1"]) == 2
    assert "symbolic link" in _one_line(capsys.readouterr().err)
    assert victim.read_text() == "precious"


def test_a_named_pipe_as_the_experiment_file_is_refused_without_blocking(tmp_path, capsys):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    assert main(["sweep", str(fifo), "--out", str(tmp_path / "never"), "--quiet"]) == 2
    assert "not a regular file" in _one_line(capsys.readouterr().err)
    assert not (tmp_path / "never").exists()


def test_levels_that_differ_only_in_sign_are_one_level_listed_twice():
    text = TINY.replace('"rivalry.scale" = [0.5, 1.5]', '"rivalry.scale" = [0.0, -0.0]')
    with pytest.raises(UsageError, match="listed twice"):
        parse_experiment(text, "exp.toml")


def test_stale_temporary_files_of_dead_processes_are_removed_and_live_ones_kept(tmp_path, capsys):
    out = tmp_path / "run.csv"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".run.csv.{int(dead.stdout)}-abcd.tmp"
    live = tmp_path / f".run.csv.{os.getpid()}-efgh.tmp"
    stale.write_text("left by a killed run")
    live.write_text("being written now")
    assert main(["run", "--scenario", "stylised", "--steps", "2", "--out", str(out)]) == 0
    assert out.is_file() and not stale.exists() and live.exists()


@pytest.mark.slow
def test_sigterm_during_run_replications_removes_its_temporary_file(tmp_path):
    out = tmp_path / "many.parquet"
    process = subprocess.Popen([str(VENV_BIN / "multivector"), "run", "--replications", "5000", "--out", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not any(p.name.endswith(".tmp") for p in tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert any(p.name.endswith(".tmp") for p in tmp_path.iterdir()), "the run never started writing"
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 143
    assert _one_line(err) == "multivector: terminated"
    assert list(tmp_path.iterdir()) == []


def test_a_sigterm_is_a_keyboard_interrupt_with_its_own_status(monkeypatch, capsys):
    from multivector.experiments import commands
    from multivector.experiments.errors import Terminated

    def terminated(args):
        raise Terminated()

    monkeypatch.setattr(commands, "scenarios_command", terminated)
    assert main(["scenarios"]) == 143
    assert _one_line(capsys.readouterr().err) == "multivector: terminated"


# --------------------------------------------------------------------------- Dask time limits

REPO = Path(__file__).resolve().parents[1]


class _Listener:
    """A TCP service on loopback that is not Dask: it accepts and then says ``greeting`` (or nothing)."""

    def __init__(self, greeting: bytes | None):
        import socket
        import threading

        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(4)
        self.address = f"tcp://127.0.0.1:{self.server.getsockname()[1]}"
        self.greeting = greeting
        self.clients = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            self.clients.append(client)
            if self.greeting is not None:
                client.sendall(self.greeting)

    def close(self):
        for client in self.clients:
            client.close()
        self.server.close()


@pytest.mark.parametrize("greeting, words", [(None, "did not answer as a Dask scheduler within 1 s"),
                                             (b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n" * 4,
                                              "is not a Dask scheduler"),
                                             (b"\xff" * 64, "is not a Dask scheduler")])
def test_a_peer_that_is_not_a_dask_scheduler_is_refused_in_one_line_within_the_timeout(tmp_path, capsys, monkeypatch,
                                                                                    greeting, words):
    monkeypatch.setenv("MULTIVECTOR_DASK_TIMEOUT", "1")
    peer = _Listener(greeting)
    try:
        # a sweep that waited on the peer for ever would hit pytest-timeout; the message names the 1 s waited
        status = main(["sweep", str(_experiment(tmp_path)), "--out", str(tmp_path / "out"), "--scheduler",
                       peer.address, "--quiet"])
    finally:
        peer.close()
    assert status == 2 and words in _one_line(capsys.readouterr().err)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("address", ["ucx://127.0.0.1:8786", "tls://127.0.0.1:8786", "tcp://127.0.0.1:0"])
def test_unsupported_scheduler_addresses_are_refused_in_one_line(tmp_path, capsys, address):
    assert main(["sweep", str(_experiment(tmp_path)), "--out", str(tmp_path / "out"), "--scheduler", address,
                 "--quiet"]) == 2
    assert "not a scheduler address" in _one_line(capsys.readouterr().err)


def _start(args, **kw):
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                            cwd=REPO, **kw)


def _scheduler(tmp_path):
    import json

    scheduler_file = tmp_path / "scheduler.json"
    scheduler = _start([str(VENV_BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                        "--scheduler-file", str(scheduler_file)])
    deadline = time.monotonic() + 60
    while not scheduler_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return scheduler, json.loads(scheduler_file.read_text())["address"]


def _sweep_against(tmp_path, address):
    path = tmp_path / "long.toml"
    path.write_text(TINY.replace("steps = 3", "steps = 60").replace("replications = 1", "replications = 150"))
    out = tmp_path / "out"
    env = {**os.environ, "MULTIVECTOR_DASK_TIMEOUT": "6"}  # an answer in 6 s, even on a loaded machine
    process = subprocess.Popen([str(VENV_BIN / "multivector"), "sweep", str(path), "--out", str(out), "--scheduler",
                                address, "--quiet", "--engine", "mesa"], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (out / "runs.parquet").is_dir():
        time.sleep(0.1)
    time.sleep(1)
    return process, out


def _kill(*processes):
    for process in processes:
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.mark.slow
@pytest.mark.parametrize("attack, words", [("stop the scheduler", "did not answer"),
                                           ("kill every worker", "no workers")])
def test_a_cluster_that_goes_silent_ends_the_sweep_within_the_timeout(tmp_path, attack, words):
    """A scheduler alive and connected but silent (SIGSTOP), or a cluster left without workers: the
    sweep ends with 130 in one line within the timeout, its manifest saying interrupted."""
    import json

    scheduler, address = _scheduler(tmp_path)
    worker = _start([str(VENV_BIN / "dask"), "worker", address, "--nthreads", "1", "--nworkers", "1",
                     "--no-dashboard"])
    try:
        process, out = _sweep_against(tmp_path, address)
        if attack == "stop the scheduler":
            os.killpg(scheduler.pid, signal.SIGSTOP)
        else:
            os.killpg(worker.pid, signal.SIGKILL)
        _, err = process.communicate(timeout=120)  # a sweep waiting for ever fails here
        assert process.returncode == 130
        assert words in _one_line(err) and "--resume" in err
        assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"
    finally:
        _kill(worker, scheduler)


# --------------------------------------------------------------------------- every reader checks what it reads


def _report(out: Path) -> int:
    return main(["report", "--quick", "--only", "C12", "--out", str(out), "--workers", "1", "--no-progress"])


@pytest.mark.slow
def test_a_reused_report_sweep_is_checked_a_repeated_part_set_aside_and_a_stray_file_ignored(tmp_path, capsys):
    import shutil

    out = tmp_path / "report"
    assert _report(out) == 0
    verdicts = (out / "verdicts.csv").read_text()
    (sweep,) = (out / "sweeps").iterdir()
    runs = sweep / "runs.parquet"
    first = sorted(runs.glob("part-*.parquet"))[0]
    shutil.copy(first, runs / "part-000999.parquet")  # a part repeating stored runs
    shutil.copy(first, runs / "part-000000 (copy).parquet")  # a stray file: never data
    capsys.readouterr()
    assert _report(out) == 0
    captured = capsys.readouterr()
    assert "set aside" in captured.out + captured.err
    assert "ignored" in captured.out + captured.err and "not a part file" in captured.out + captured.err
    assert (out / "verdicts.csv").read_text() == verdicts
    assert (sweep / "quarantine").is_dir() and not (runs / "part-000999.parquet").exists()


def test_a_sweep_with_a_text_factor_reads_back_through_the_integrity_check(tmp_path, capsys):
    """A text factor (switch.date) comes back from Parquet as pandas' string dtype: the same design."""
    path = tmp_path / "switch.toml"
    path.write_text(TINY.replace('"rivalry.scale" = [0.5, 1.5]', '"switch.date" = ["", "2000Q2"]\n[fixed]\n'
                                 '"switch.rule" = "balance"'))
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--quiet"]) == 0
    assert main(["analyze", str(out)]) == 0


def test_a_sweep_without_factors_reads_back_through_the_integrity_check(tmp_path):
    """No factors: an empty column index (integers when rebuilt, text when read from Parquet) is no difference."""
    path = tmp_path / "plain.toml"
    path.write_text(TINY.replace('[factors]\n"rivalry.scale" = [0.5, 1.5]\n', ""))
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--quiet"]) == 0
    assert main(["analyze", str(out)]) == 0


def test_a_planted_link_in_a_calibration_folder_is_refused_and_its_target_unchanged(tmp_path, capsys):
    victim = tmp_path / "victim.json"
    victim.write_text("precious")
    out = tmp_path / "cal"
    out.mkdir()
    (out / "calibration-state.json").symlink_to(victim)
    design = REPO / "experiments" / "designs" / "calibrate-kazakhstan.toml"
    assert main(["calibrate", str(design), "--out", str(out), "--quick", "--resume"]) == 2
    assert "symbolic link" in _one_line(capsys.readouterr().err)
    assert victim.read_text() == "precious"


@pytest.mark.slow
def test_a_reused_report_sweep_missing_a_part_runs_it_again(tmp_path, capsys):
    out = tmp_path / "report"
    assert _report(out) == 0
    verdicts = (out / "verdicts.csv").read_text()
    (sweep,) = (out / "sweeps").iterdir()
    sorted((sweep / "runs.parquet").glob("part-*.parquet"))[-1].unlink()  # a lost part
    assert _report(out) == 0
    assert (out / "verdicts.csv").read_text() == verdicts
