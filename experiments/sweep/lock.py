"""One writer per sweep folder: the lock on ``DIR/sweep.lock``, through the ``filelock`` library.

Two kinds of lock, chosen per folder by :func:`lock_mode`:

- ``os`` (local disks): the operating system's lock (``flock`` on Linux and macOS, ``LockFileEx``
  on Windows). The kernel releases it when its holder dies, even by ``kill -9``, so a crashed
  sweep never leaves a stale lock. The file stays after release.
- ``soft`` (network file systems: NFS, SMB, Lustre, GPFS, BeeGFS, CephFS, sshfs...): ``flock`` there
  may be local to one machine (NFS mounted ``nolock``, Lustre ``localflock``), so two nodes could
  both "hold" it. A soft lock is the file's existence instead: created exclusively (which these
  file systems make atomic for every client), holding its owner's pid and host, removed on
  release. A holder killed outright leaves it behind; filelock takes over such a lock when its
  holder is provably gone (same host, pid no longer running). A lock left by a process on another
  host cannot be proved stale from here: the refusal names that holder, and once it is known to be
  gone the file is removed by hand.

``MULTIVECTOR_SWEEP_LOCK`` = ``auto`` (the default: ``soft`` on a network file system, else ``os``),
``os`` or ``soft`` overrides the choice; every writer of one folder must use the same kind (the
default does, for all machines mounting the same file system).
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import sys
from pathlib import Path

import filelock

from multivector.experiments.errors import StorageError, UsageError, shorten
from multivector.experiments.processes import is_running

LOCK = "sweep.lock"
MODE_ENV = "MULTIVECTOR_SWEEP_LOCK"
MODES = ("auto", "os", "soft")
MOUNTINFO = "/proc/self/mountinfo"

# File system types whose flock may not be coherent across machines (Linux's names in /proc/self/mountinfo).
NETWORK_FILE_SYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs", "fuse.glusterfs",
    "lustre", "gpfs", "beegfs", "panfs", "fuse.sshfs", "fuse.s3fs", "fuse.rclone", "fuse.cephfs", "fuse.beegfs",
})


def lock_mode(folder: Path) -> str:
    """``"os"`` or ``"soft"`` for ``folder`` (see the module's docstring)."""
    asked = os.environ.get(MODE_ENV, "auto").strip().lower() or "auto"
    if asked not in MODES:
        raise UsageError(f"{MODE_ENV}: one of {', '.join(MODES)}, got {shorten(repr(asked), 30)}")
    if asked != "auto":
        return asked
    return "soft" if file_system_type(folder) in NETWORK_FILE_SYSTEMS else "os"


def file_system_type(folder: Path) -> str | None:
    """The type of the file system holding ``folder`` (Linux: from /proc/self/mountinfo), or None
    where it cannot be told (other systems, where ``auto`` means the OS lock)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        with open(MOUNTINFO, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    target = os.path.realpath(folder)
    best, kind = -1, None
    for line in lines:
        # ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS
        fields, _, rest = line.partition(" - ")
        parts = fields.split()
        if len(parts) < 5 or not rest:
            continue
        mountpoint = _unescape(parts[4])
        inside = target == mountpoint or target.startswith(mountpoint.rstrip("/") + "/")
        if inside and len(mountpoint) > best:
            best, kind = len(mountpoint), rest.split()[0]
    return kind


def _unescape(text: str) -> str:
    # mountinfo writes space, tab, newline and backslash as octal escapes
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        text = text.replace(code, char)
    return text


class SweepLock:
    """The writer's lock on ``DIR/sweep.lock``; :meth:`acquire` never waits: a held lock is refused
    in one line naming its holder."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.path = self.folder / LOCK
        self._lock: filelock.BaseFileLock | None = None

    def acquire(self) -> None:
        if self._lock is not None:
            return
        mode = lock_mode(self.folder)
        if self.path.is_symlink():  # filelock opens with O_NOFOLLOW too; this says why in words
            raise UsageError(f"{shorten(self.path)} is a symbolic link, which this project never makes; "
                             "remove it or choose another folder")
        lock = filelock.SoftFileLock(self.path, timeout=0) if mode == "soft" else filelock.FileLock(self.path, timeout=0)
        try:
            lock.acquire()
        except filelock.Timeout:
            raise UsageError(
                f"{shorten(self.folder)}: another sweep is writing to this folder ({holder(self.path, mode)}); "
                "wait for it to finish or choose another --out"
            ) from None
        except OSError as err:
            if err.errno == errno.ELOOP:
                raise UsageError(f"{shorten(self.path)} is a symbolic link, which this project never makes; "
                                 "remove it or choose another folder") from None
            raise StorageError(f"{shorten(self.folder)}: cannot write here ({err.strerror or type(err).__name__})") from None
        if mode == "os" and os.name == "posix" and not _uses_marker(lock):
            # flock is advisory, so the holder can say who it is in the file (Windows locks its bytes)
            _write_identity(self.path)
        self._lock = lock

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def _uses_marker(lock: filelock.BaseFileLock) -> bool:
    """True when filelock fell back to a soft marker in the file (flock missing): its content is then filelock's."""
    try:
        lock.pid  # noqa: B018 - only a lock with a marker answers
    except AttributeError:
        return False
    return True


def _write_identity(path: Path) -> None:
    from multivector.experiments.safe_paths import open_for_update  # noqa: PLC0415 - safe_paths imports errors only

    with contextlib.suppress(OSError), open_for_update(path) as handle:
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()}")


def holder(path: Path, mode: str) -> str:
    """Who holds the lock, as its file says: ``pid N on HOST`` (both kinds write it), else "another process"."""
    text = _read_small(path)
    lines = text.split("\n")
    if mode == "soft" and len(lines) >= 2 and lines[0].isdigit():  # filelock's marker: pid, host[, start]
        return shorten(f"pid {lines[0]} on {lines[1]}", 60)
    if text.startswith("pid ") and " on " in text:
        return shorten(text.strip(), 60)
    return "another process"


def _read_small(path: Path) -> str:
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return ""
    try:
        return os.read(descriptor, 1024).decode("utf-8", errors="replace")
    except OSError:
        return ""  # Windows: the holder's bytes are locked
    finally:
        os.close(descriptor)


def is_being_written(folder: Path) -> bool:
    """True while a live process holds ``folder``'s lock (a reader's question: it never creates the file)."""
    path = Path(folder) / LOCK
    if not path.is_file() or path.is_symlink():
        return False
    try:
        mode = lock_mode(path.parent)
    except UsageError:
        mode = "os"
    if mode == "soft":
        lines = _read_small(path).split("\n")
        if len(lines) >= 2 and lines[0].isdigit() and lines[1] == socket.gethostname():
            return is_running(int(lines[0]))
        return True  # a holder elsewhere: it cannot be proved gone from here
    probe = filelock.FileLock(path, timeout=0)
    try:
        probe.acquire()
    except filelock.Timeout:
        return True
    except OSError:
        return False  # a folder we cannot write (read-only): nobody writes it through us either
    probe.release()
    return False
