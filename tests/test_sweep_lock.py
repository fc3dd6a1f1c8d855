"""The sweep folder's writer lock (experiments/sweep/lock.py): one writer, in both kinds of lock
(the OS lock on local disks, the soft lock on network file systems), no stale lock after a kill -9
on this host, the holder named in the refusal, and the kind chosen from the file system."""

import socket
import subprocess
import sys

import pytest

from multivector.experiments.errors import UsageError
from multivector.experiments.sweep import lock as sweep_lock
from multivector.experiments.sweep.lock import SweepLock, is_being_written, lock_mode

MODES = ("os", "soft")


@pytest.fixture(params=MODES)
def mode(request, monkeypatch):
    monkeypatch.setenv(sweep_lock.MODE_ENV, request.param)
    return request.param


def test_a_second_writer_is_refused_and_told_who_holds_it(tmp_path, mode):
    first, second = SweepLock(tmp_path), SweepLock(tmp_path)
    first.acquire()
    try:
        assert is_being_written(tmp_path)
        with pytest.raises(UsageError, match=r"another sweep is writing to this folder \(pid \d+ on "):
            second.acquire()
    finally:
        first.release()
    assert not is_being_written(tmp_path)
    second.acquire()  # free again
    second.release()
    # the OS lock's file stays (waiters share its inode); a soft lock is the file, gone on release
    assert (tmp_path / sweep_lock.LOCK).exists() == (mode == "os")


def _holder_killed_outright(folder) -> None:
    code = ("import sys, time; from multivector.experiments.sweep.lock import SweepLock; "
            "held = SweepLock(sys.argv[1]); held.acquire(); print('held', flush=True); time.sleep(120)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(folder)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert is_being_written(folder)
    finally:
        holder.kill()  # SIGKILL: no chance to release
        holder.wait()


def test_a_writer_killed_outright_leaves_no_stale_lock(tmp_path, mode):
    _holder_killed_outright(tmp_path)
    assert (tmp_path / sweep_lock.LOCK).exists()  # whatever it left behind...
    assert not is_being_written(tmp_path)  # ...reads as free
    after = SweepLock(tmp_path)
    after.acquire()  # ...and is taken over
    after.release()


def test_a_soft_lock_held_on_another_host_is_refused_with_its_holder(tmp_path, monkeypatch):
    monkeypatch.setenv(sweep_lock.MODE_ENV, "soft")
    # filelock's marker: pid, host, start token; a holder elsewhere cannot be proved gone from here
    (tmp_path / sweep_lock.LOCK).write_text(f"4242\nnode17-not-{socket.gethostname()}\n1\n")
    assert is_being_written(tmp_path)
    with pytest.raises(UsageError, match="pid 4242 on node17-not-"):
        SweepLock(tmp_path).acquire()


def test_the_kind_of_lock_follows_the_file_system_and_the_variable(tmp_path, monkeypatch):
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text(
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
        f"40 22 0:50 / {tmp_path}/scratch\\040space rw,relatime shared:2 - nfs4 server:/export rw,vers=4.2\n")
    monkeypatch.setattr(sweep_lock, "MOUNTINFO", str(mountinfo))
    monkeypatch.setattr(sweep_lock.sys, "platform", "linux")
    shared = tmp_path / "scratch space" / "sweep"
    shared.mkdir(parents=True)
    monkeypatch.delenv(sweep_lock.MODE_ENV, raising=False)
    assert sweep_lock.file_system_type(shared) == "nfs4" and lock_mode(shared) == "soft"
    assert sweep_lock.file_system_type(tmp_path) == "ext4" and lock_mode(tmp_path) == "os"
    monkeypatch.setenv(sweep_lock.MODE_ENV, "os")
    assert lock_mode(shared) == "os"
    monkeypatch.setenv(sweep_lock.MODE_ENV, "flock")
    with pytest.raises(UsageError, match="MULTIVECTOR_SWEEP_LOCK: one of auto, os, soft"):
        lock_mode(shared)


def test_a_reader_never_creates_the_lock_file(tmp_path, mode):
    assert not is_being_written(tmp_path)
    assert not (tmp_path / sweep_lock.LOCK).exists()
