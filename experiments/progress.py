"""Progress of a long command on stderr: a live bar in a terminal, a plain line at a steady
interval anywhere else (a pipe, a file, a batch job's log), nothing with ``--quiet``.

rich draws its bar only on a terminal: redirected, it stays silent until the end (and tqdm writes
carriage returns, one endless line in a log). So off a terminal a thread prints one whole line
every ``MULTIVECTOR_PROGRESS_SECONDS`` seconds (default 10), runs or no runs finished since, and a
last line when the work ends: a log shows the command is alive and how far it is.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from datetime import timedelta

INTERVAL_VARIABLE = "MULTIVECTOR_PROGRESS_SECONDS"
DEFAULT_INTERVAL = 10.0
QUIET_HELP = "no progress bar or progress lines on stderr"


def add_quiet(parser) -> None:
    """``--quiet`` as every command spells it; ``--no-progress`` (its old name in ``report``)
    stays as a hidden alias so that scripts keep working."""
    import argparse  # noqa: PLC0415

    parser.add_argument("--quiet", action="store_true", help=QUIET_HELP)
    parser.add_argument("--no-progress", dest="quiet", action="store_true", help=argparse.SUPPRESS)


def interval() -> float:
    """Seconds between two progress lines off a terminal."""
    text = os.environ.get(INTERVAL_VARIABLE, "")
    try:
        value = float(text) if text else DEFAULT_INTERVAL
    except ValueError:
        value = DEFAULT_INTERVAL
    return value if value > 0 else DEFAULT_INTERVAL


def progress(label: str, total: int, enabled: bool = True, transient: bool = True):
    """A progress display for ``total`` runs: ``start()``, ``advance(n)``, ``stop()``, or use it
    as a context manager. A bar on a terminal, lines elsewhere, none when not ``enabled``."""
    if not enabled:
        return NoProgress()
    if sys.stderr.isatty():
        return BarProgress(label, total, transient)
    return LineProgress(label, total, interval())


def heartbeat(label: str, enabled: bool = True):
    """For work whose size is not known in advance (``calibrate``'s generations): off a terminal,
    a line every interval saying it is still running and for how long; on a terminal nothing
    (the command's own lines show its stages)."""
    if not enabled or sys.stderr.isatty():
        return NoProgress()
    return LineProgress(label, None, interval())


class NoProgress:
    def start(self) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass

    def stop(self) -> None:
        pass

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


class BarProgress(NoProgress):
    """rich's bar: runs done of total, time elapsed and time left."""

    def __init__(self, label: str, total: int, transient: bool):
        from rich.console import Console  # noqa: PLC0415
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,  # noqa: PLC0415
                                   TimeElapsedColumn, TimeRemainingColumn)

        self._bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                             TextColumn("left"), TimeRemainingColumn(), console=Console(stderr=True),
                             transient=transient)
        self._task = self._bar.add_task(label, total=total)

    def start(self) -> None:
        self._bar.start()

    def advance(self, n: int = 1) -> None:
        self._bar.advance(self._task, n)

    def stop(self) -> None:
        self._bar.stop()


class LineProgress(NoProgress):
    """One line every ``seconds`` on stderr, from a thread, and one at the end (``total`` None:
    the size is unknown, each line says how long it has run)."""

    def __init__(self, label: str, total: int | None, seconds: float):
        self.label, self.total, self.seconds = label, total, seconds
        self.done = 0
        self.printed = 0  # progress lines printed so far
        self._started = time.monotonic()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:  # started already: a second start changes nothing
            return
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._report, name="progress-lines", daemon=True)
        self._thread.start()

    def advance(self, n: int = 1) -> None:
        self.done += n

    def stop(self) -> None:
        if self._thread is None:
            return
        self._stopping.set()
        self._thread.join()
        self._thread = None
        if self.printed and self.total is not None:  # a closing line where the log shows progress; a quick job stays quiet
            self._print(f"{self.label}: {self.done}/{self.total} runs in {_clock(time.monotonic() - self._started)}")

    def line(self) -> str:
        elapsed = time.monotonic() - self._started
        if self.total is None:
            return f"{self.label}: still running, {_clock(elapsed)} elapsed"
        share = self.done / self.total if self.total else 1.0
        text = f"{self.label}: {self.done}/{self.total} runs ({share:.0%}), {_clock(elapsed)} elapsed"
        if 0 < self.done < self.total:
            text += f", about {_clock(elapsed * (self.total - self.done) / self.done)} left"
        return text

    def _report(self) -> None:
        while not self._stopping.wait(self.seconds):
            self._print(self.line())
            self.printed += 1

    @staticmethod
    def _print(text: str) -> None:
        try:
            print(text, file=sys.stderr, flush=True)
        except (OSError, ValueError):  # stderr closed or gone (a reader that stopped): progress is optional
            pass


def _clock(seconds: float) -> str:
    return str(timedelta(seconds=round(seconds)))
