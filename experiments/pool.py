"""One long-lived pool of worker processes for everything a command runs.

A report runs a dozen sweeps, a calibration many batches, a cross-case study one set per case.
Each used to start (and import the model into) a pool of its own. Inside ``with shared(workers):``
every sweep that would start local processes gets the same pool instead, started on first use and
shut down when the block ends; its workers stay warm between sweeps. Outside such a block a sweep
owns its pool, as before.

The results never depend on it: a run's seed depends only on its position, not on the worker or
pool that runs it. A pool that breaks (a worker killed) or is aborted (Ctrl-C) is replaced by a
fresh one for the next sweep, as :class:`~multivector.experiments.sweep.execution.LocalProcesses`
does within a sweep.

Workers import only what the array engine needs (``multivector.experiments.sweep.runner``):
neither Mesa nor SALib (:func:`worker_modules` says which heavy modules a worker holds).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from multivector.experiments.sweep.execution import Backend, InProcess, LocalProcesses

T, R = TypeVar("T"), TypeVar("R")
HEAVY_MODULES = ("mesa", "SALib", "scipy", "networkx", "matplotlib", "solara")


class SharedProcesses(LocalProcesses):
    """Local processes that outlive the sweep using them: ``close`` (the end of one sweep) keeps
    the pool for the next; :func:`shared` shuts it down when its block ends."""

    def __init__(self, workers: int):
        super().__init__(workers)
        self.description = f"shared local processes ({self.workers} workers)"
        self.started = 0  # how many process pools this backend has started (1 unless one broke)

    def executor(self):
        if self._pool is None:
            self.started += 1
        return super().executor()

    def close(self) -> None:
        """Kept for the next sweep (see :meth:`shutdown`)."""

    def renew(self):
        """A fresh pool after this one broke (a worker killed): the broken one is shut down."""
        super().close()
        return self.executor()

    def shutdown(self) -> None:
        super().close()


_active: list[dict[int, SharedProcesses]] = []  # one {workers: backend} per open ``shared`` block


@contextmanager
def shared(workers: int | None = None) -> Iterator[None]:
    """Within the block, sweeps on local processes share one pool per worker count (``workers``:
    started at once, with that many workers; None: on first use). Nested blocks share the
    outermost block's pools."""
    if _active:
        yield
        return
    pools: dict[int, SharedProcesses] = {}
    _active.append(pools)
    try:
        if workers and workers > 1:
            pools[workers] = SharedProcesses(workers)
        yield
    finally:
        _active.pop()
        for backend in pools.values():
            backend.shutdown()


def local_backend(workers: int) -> Backend:
    """Where a sweep with ``workers`` local workers runs: this process for one worker; the shared
    pool inside a :func:`shared` block; else a pool of its own."""
    if workers == 1:
        return InProcess()
    if not _active:
        return LocalProcesses(workers)
    pools = _active[0]
    if workers not in pools:
        pools[workers] = SharedProcesses(workers)
    return pools[workers]


def map_ordered(function: Callable[[T], R], items: Iterable[T], workers: int) -> list[R]:
    """``[function(item) for item in items]`` on ``workers`` local processes (the shared pool inside
    a :func:`shared` block, else a pool for this call alone; in this process for one worker): for
    work that is not a sweep, such as a calibration's batches of parameter sets or one study per
    case. ``function`` must be importable by name (a module-level function) and each item a
    unit worth shipping (an ensemble's worth of runs, not one run). Results come in item order."""
    items = list(items)
    backend = local_backend(workers)
    if isinstance(backend, InProcess) or len(items) < 2:
        return [function(item) for item in items]
    try:
        return list(backend.executor().map(function, items))
    finally:
        backend.close()  # a pool of its own ends here; the shared one is kept


def current(workers: int) -> SharedProcesses | None:
    """The shared backend with ``workers`` workers of the open block, if any (for tests and benchmarks)."""
    return _active[0].get(workers) if _active else None


def worker_modules() -> list[str]:
    """Which of :data:`HEAVY_MODULES` this process has imported (run it in a worker)."""
    return sorted(name for name in HEAVY_MODULES if name in sys.modules)
