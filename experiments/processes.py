"""Whether a process is still running, on any operating system.

``os.kill(pid, 0)`` answers that on POSIX, but on Windows signal 0 is ``CTRL_C_EVENT``: it would
interrupt the process it asks about. psutil asks each system its own way (``OpenProcess`` on
Windows, ``kill(pid, 0)`` elsewhere)."""

from __future__ import annotations

import psutil


def is_running(pid: int) -> bool:
    """True if a process with id ``pid`` exists on this machine (a zombie counts as ended)."""
    if pid <= 0:
        return False
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except (psutil.AccessDenied, OverflowError, ValueError):
        return True  # it exists, but belongs to someone else
