"""Errors the CLI reports on one line, never as a traceback, each with its exit status:
2 bad input (:class:`UsageError`), 3 a file-system error (:class:`StorageError` or any
``OSError``: disk full, read-only folder, a name too long), 4 a damaged sweep folder
(:class:`DataError`)."""

import contextlib
import os
import signal

EXIT_USAGE = 2
EXIT_STORAGE = 3
EXIT_DATA = 4


class UsageError(Exception):
    """Bad input from the user: a wrong parameter, a malformed file, an unknown name."""


class StorageError(Exception):
    """The file system refused (disk full, read-only folder, a name too long) or a stored file
    is unreadable: the CLI prints one line and exits with status 3."""


def shorten(text: object, limit: int = 80) -> str:
    """``text`` on one line, its middle elided past ``limit`` characters (long paths and names
    are echoed in messages, never whole)."""
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    keep = (limit - 3) // 2
    return f"{flat[:keep]}...{flat[-keep:]}"


class DataError(UsageError):
    """A sweep folder whose stored data is damaged or disagrees with its manifest (a truncated
    or foreign part, a run stored twice, an edited manifest): one line, exit status 4."""


def report(error: BaseException) -> tuple[str, int]:
    """The one-line message and exit status for an error the CLI catches."""
    if isinstance(error, DataError):
        return _first_line(error), EXIT_DATA
    if isinstance(error, UsageError):
        return _first_line(error), EXIT_USAGE
    if isinstance(error, StorageError):
        return _first_line(error), EXIT_STORAGE
    if isinstance(error, OSError):
        where = f" ({shorten(os.fsdecode(error.filename), 80)})" if error.filename else ""
        return f"file system: {error.strerror or shorten(error, 120)}{where}", EXIT_STORAGE
    return _first_line(error), EXIT_USAGE  # the model's own input errors


def _first_line(error: BaseException) -> str:
    return shorten(str(error).splitlines()[0] if str(error) else type(error).__name__, 400)


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C everywhere: work stops, temporary files are removed, a sweep's
    manifest says it was interrupted; the CLI prints one line and exits with status 143."""


@contextlib.contextmanager
def sigterm_interrupts():
    """Within this block SIGTERM raises :class:`Terminated` in the main thread (elsewhere: left alone)."""
    def handler(signum, frame):
        raise Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread (a test calling a command from a thread)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
