"""Running chunks of runs on a ``concurrent.futures.Executor``: local processes or Dask.

The sweep layer owns retries, not the engine. Runs are independent and their seeds depend
only on their position, so any chunk can be run again anywhere with the same result:

- a run that raises comes back as a failed row (see :mod:`.runner`); nothing to retry;
- a worker process that dies breaks a ``ProcessPoolExecutor``: the pool is recreated and the
  chunks that were in flight are resubmitted. A chunk caught in a second breakage is split
  into single runs, which then run one at a time, so a run that kills its worker is found
  and recorded as failed (after two solo attempts) instead of taking others with it;
- on Dask, the nanny restarts a dead worker and the scheduler reschedules its tasks; a task
  that keeps killing workers ends as ``KilledWorker`` and goes through the same policy.

At most a few chunks per worker are in flight, so memory stays flat and the Dask scheduler
never holds the whole sweep.
"""

from __future__ import annotations

import gc
import logging
import math
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from multivector.experiments.errors import UsageError, shorten
from multivector.experiments.processes import is_running

from .runner import RunResult, RunTask, SweepContext, failed_row, run_chunk

# Workers run one simulation per core: multithreaded BLAS would oversubscribe the cores and
# can change floating-point summation order. Set before worker processes start.
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                     "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")

POLL_SECONDS = 1.0  # how often a waiting sweep asks whether its backend is still there
SOLO_ATTEMPTS = 2  # a single run that kills its worker this many times (alone) is failed


def pin_blas_threads() -> None:
    """Ask numerical libraries in processes started from now on to use one thread."""
    for name in _THREAD_VARIABLES:
        os.environ.setdefault(name, "1")


def worker_setup(sweep_pid: int) -> None:
    """Worker initializer: Ctrl-C is the sweep's to handle (it terminates its workers), and a
    worker ends itself when the sweep's process is gone.

    A sweep killed with SIGKILL cannot stop its pool, and its forkserver outlives it for as long
    as the workers do (they hold its pipe), so without this the workers (hundreds of MB each)
    would idle on. A thread waits on the sweep's process (a pidfd on Linux: no polling, no pid reuse;
    elsewhere it asks every 2 s)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_gone, args=(sweep_pid,), name="sweep-watch", daemon=True).start()


def _exit_when_gone(pid: int) -> None:
    try:
        handle = os.pidfd_open(pid)
    except (AttributeError, OSError):  # not Linux, or already gone: fall back to asking now and then
        while is_running(pid):
            time.sleep(2.0)
        os._exit(1)
    multiprocessing.connection.wait([handle])  # readable once the process has exited
    os._exit(1)


class Backend:
    """Where chunks run. ``executor`` is any ``concurrent.futures.Executor``."""

    description = ""
    workers = 1
    recreates_on_break = False

    def executor(self) -> Executor:
        raise NotImplementedError

    def renew(self) -> Executor:
        """A working executor after the current one broke."""
        return self.executor()

    def check(self) -> None:
        """Raise :class:`BackendLost` if the executor can no longer deliver results."""

    def close(self) -> None:
        pass

    def abort(self) -> None:
        """Stop at once (interrupted): work in flight is dropped, no process is left behind."""
        self.close()


class ExecutorBackend(Backend):
    """Any ``concurrent.futures.Executor`` you already have (threads, MPI, ...); not closed here."""

    def __init__(self, executor: Executor, workers: int, description: str = ""):
        self._executor = executor
        self.workers = workers
        self.description = description or f"{type(executor).__name__} ({workers} workers)"

    def executor(self) -> Executor:
        return self._executor


class _ImmediateExecutor(Executor):
    """Runs each submitted call at once, in this thread (an Executor without workers)."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as err:  # noqa: BLE001 - delivered through the future, as a pool would
            future.set_exception(err)
        return future


class InProcess(Backend):
    """One worker: runs in this process, like Mesa's ``batch_run(number_processes=1)``.

    No process start-up and no data to ship, so it is the fastest way to use one core; the
    price is no isolation from a run that crashes the interpreter (resume covers that).
    """

    description = "this process (1 worker)"
    workers = 1

    def executor(self) -> Executor:
        return _ImmediateExecutor()


class LocalProcesses(Backend):
    """A ``ProcessPoolExecutor`` on this machine (the default)."""

    recreates_on_break = True

    def __init__(self, workers: int | None = None, start_method: str | None = None):
        self.workers = workers or os.cpu_count() or 1
        self.description = f"local processes ({self.workers} workers)"
        self._pool: ProcessPoolExecutor | None = None
        # forkserver: workers start from a clean process that has imported the model once
        # (fast, and safe although this process runs a progress thread); spawn elsewhere.
        available = multiprocessing.get_all_start_methods()
        self.start_method = start_method or ("forkserver" if "forkserver" in available else "spawn")

    def executor(self) -> Executor:
        if self._pool is None:
            pin_blas_threads()
            context = multiprocessing.get_context(self.start_method)
            if self.start_method == "forkserver":
                context.set_forkserver_preload(["multivector.experiments.sweep.runner"])
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                             initializer=worker_setup, initargs=(os.getpid(),))
        return self._pool

    def renew(self) -> Executor:
        self.close()
        return self.executor()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def abort(self) -> None:
        if self._pool is None:
            return
        # An interrupted sweep does not wait for the runs in flight (resume reruns them):
        # terminate the workers, then let the pool reap them.
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        for process in processes:
            if process.is_alive():
                process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None


class BackendLost(Exception):
    """The executor is gone (a Dask scheduler that stopped answering): the sweep cannot go on,
    but what finished is kept and ``--resume`` continues it."""


def _dask_timeout() -> float:
    # seconds to connect, to wait for a first worker, and to wait for a lost scheduler to come back
    text = os.environ.get("MULTIVECTOR_DASK_TIMEOUT", "30")
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"MULTIVECTOR_DASK_TIMEOUT: expected seconds, got {shorten(repr(text), 40)}") from None
    if not 0 < value <= 3600:
        raise UsageError("MULTIVECTOR_DASK_TIMEOUT: expected seconds in (0, 3600]")
    return value


SUPPORTED_SCHEMES = ("tcp", "inproc")  # tls needs certificates, ucx a GPU stack: neither is configured here


def check_scheduler_address(address: str) -> str:
    """``address`` if it is a ``tcp://host:port`` Dask address; else a one-line UsageError."""
    from distributed.comm import addressing

    shown = shorten(address, 60)
    try:
        scheme, location = addressing.parse_address(address)
        if scheme not in SUPPORTED_SCHEMES:
            raise ValueError(f"unsupported scheme {shorten(scheme, 20)!r}; only tcp:// is supported")
        if scheme == "tcp":
            host, port = addressing.parse_host_port(location)
            if not port:
                raise ValueError("no port")
    except (ValueError, TypeError) as err:
        raise UsageError(f"--scheduler: not a scheduler address: {shown} ({shorten(err, 80)}; "
                         "expected e.g. tcp://127.0.0.1:8786)") from None
    return address


MAX_HANDSHAKE_FRAMES = 64  # a Dask handshake is one message of a few small frames
MAX_HANDSHAKE_BYTES = 1_000_000


def check_speaks_dask(address: str, timeout: float) -> None:
    """One line (exit 2) unless the peer at ``address`` opens with a Dask handshake within ``timeout``.

    Dask's TCP comm sends its handshake as soon as a connection opens: the message's length (8
    bytes), then its frame count and each frame's length (8 bytes each), then the frames. A service
    that is not Dask sends nothing (Dask's own client would then wait far past its timeout) or bytes
    that read as absurd lengths (Dask would try to allocate them)."""
    import socket
    import struct

    from distributed.comm import addressing

    shown = shorten(address, 60)
    scheme, location = addressing.parse_address(address)
    if scheme != "tcp":  # an in-process cluster (tests) has no socket to check
        return
    host, port = addressing.parse_host_port(location)
    try:
        with socket.create_connection((host, port), timeout=timeout) as peer:
            peer.settimeout(timeout)
            (total,) = struct.unpack("<Q", _read_exactly(peer, 8))
            if not 16 <= total <= MAX_HANDSHAKE_BYTES:
                raise ValueError
            message = _read_exactly(peer, total)
            (frames,) = struct.unpack_from("<Q", message)
            if not 1 <= frames <= MAX_HANDSHAKE_FRAMES or 8 + 8 * frames > total:
                raise ValueError
            lengths = struct.unpack_from(f"<{frames}Q", message, 8)
            if 8 + 8 * frames + sum(lengths) != total:
                raise ValueError
    except TimeoutError:
        raise UsageError(f"--scheduler: {shown} did not answer as a Dask scheduler within {timeout:g} s") from None
    except (ValueError, struct.error, EOFError):
        raise UsageError(f"--scheduler: {shown} is not a Dask scheduler (it does not speak Dask's protocol)") from None
    except OSError as err:
        raise UsageError(f"--scheduler: cannot connect to {shown} ({err.strerror or type(err).__name__})") from None


def _read_exactly(peer, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = peer.recv(count - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


class DaskCluster(Backend):
    """A Dask distributed cluster reached at ``address`` (``tcp://host:port``).

    Every wait is bounded by ``timeout`` seconds (default ``$MULTIVECTOR_DASK_TIMEOUT`` or 30):
    connecting, the first worker to appear, and a scheduler that stopped answering mid-sweep.
    """

    def __init__(self, address: str, timeout: float | None = None):
        try:
            from distributed import Client
        except ImportError:  # Dask is an extra: the model and local sweeps do not need it
            raise UsageError("--scheduler: Dask is not installed (pip install 'multivector[cluster]')") from None
        self.timeout = timeout if timeout is not None else _dask_timeout()
        # the sweep reports a lost or unreachable cluster in one line of its own; Dask's
        # reconnection log lines would only repeat it
        for name in ["distributed", *[n for n in logging.root.manager.loggerDict if n.startswith("distributed.")]]:
            logging.getLogger(name).setLevel(logging.CRITICAL)
        check_scheduler_address(address)
        check_speaks_dask(address, self.timeout)
        shown = shorten(address, 60)
        problem = None
        try:
            self._client = Client(address, timeout=self.timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as err:
            problem = f"--scheduler: cannot connect to {shown} within {self.timeout:g} s ({type(err).__name__})"
        if problem:
            # The half-built Client sits in the failed call's frames; collect it now, while its
            # event loop still runs: left to interpreter exit, its __del__ waits a minute.
            gc.collect()
            raise UsageError(problem)
        try:
            self._client.wait_for_workers(1, timeout=self.timeout)
        except (TimeoutError, OSError):
            self.close()
            raise UsageError(f"--scheduler: {shown} has no workers (waited {self.timeout:g} s); "
                             "start some with: dask worker " + shown) from None
        threads = self._client.nthreads()
        self.workers = max(1, sum(threads.values()))
        self.description = f"dask cluster at {shown} ({len(threads)} workers, {self.workers} threads)"
        self._executor = self._client.get_executor(pure=False)
        self._unhealthy_since: float | None = None
        self._no_workers_since: float | None = None
        self._last_heartbeat = time.monotonic()

    def executor(self) -> Executor:
        return self._executor

    HEARTBEAT_SECONDS = 2.0  # how often a running sweep asks the scheduler to answer

    def check(self) -> None:
        """Raise :class:`BackendLost` when the scheduler is gone, has stopped answering, or has had
        no worker for longer than the timeout."""
        # "running" while connected; "connecting" while it tries to reconnect; "closed" when it gave up
        status = self._client.status
        now = time.monotonic()
        if status != "running":
            self._unhealthy_since = self._unhealthy_since or now
            if status in ("closed", "closing", "failed") or now - self._unhealthy_since > self.timeout:
                raise BackendLost(f"lost the Dask scheduler ({status})")
            return
        self._unhealthy_since = None
        if now - self._last_heartbeat < self.HEARTBEAT_SECONDS:
            return
        self._last_heartbeat = now
        # a stopped scheduler (SIGSTOP, a hung host) keeps its connection open: only an answer shows it lives
        try:
            info = self._client.sync(self._client.scheduler.identity, callback_timeout=self.timeout)
        except Exception as err:  # noqa: BLE001 - a timeout or a broken comm both mean no answer
            raise BackendLost(f"the Dask scheduler did not answer within {self.timeout:g} s "
                              f"({type(err).__name__})") from None
        if info.get("workers"):
            self._no_workers_since = None
            return
        self._no_workers_since = self._no_workers_since or now
        if now - self._no_workers_since > self.timeout:
            raise BackendLost(f"the Dask cluster has had no workers for {self.timeout:g} s")

    def close(self) -> None:
        try:
            self._client.close(timeout=min(self.timeout, 10))
        except Exception:  # noqa: BLE001 - closing a client whose scheduler is gone may time out
            pass


@dataclass
class _Chunk:
    tasks: list[RunTask]
    attempts: int = 0
    solo: bool = False


def execute(
    chunks: Iterable[list[RunTask]],
    context: SweepContext,
    backend: Backend,
    on_results: Callable[[list[RunResult]], None],
    in_flight_per_worker: int = 2,
) -> None:
    """Run every chunk; hand each finished chunk's results to ``on_results`` (in this thread)."""
    source: Iterator[list[RunTask]] = iter(chunks)
    retry: deque[_Chunk] = deque()  # resubmitted after a breakage, before new work
    suspects: deque[_Chunk] = deque()  # single runs that were in flight at two breakages
    in_flight: dict[Future, _Chunk] = {}
    window = max(1, backend.workers * in_flight_per_worker)
    executor = backend.executor()
    exhausted = False

    def next_chunk() -> _Chunk | None:
        nonlocal exhausted
        if retry:
            return retry.popleft()
        if suspects:
            # suspects run alone, so a breakage names its culprit; new work waits for them
            return suspects.popleft() if not in_flight else None
        if exhausted:
            return None
        try:
            return _Chunk(next(source))
        except StopIteration:
            exhausted = True
            return None

    while True:
        while len(in_flight) < window:
            chunk = next_chunk()
            if chunk is None:
                break
            try:
                future = executor.submit(run_chunk, context, chunk.tasks)
            except BrokenProcessPool:
                executor = backend.renew()
                future = executor.submit(run_chunk, context, chunk.tasks)
            in_flight[future] = chunk
            if chunk.solo:
                break
        if not in_flight:
            return  # nothing left to submit and nothing running
        # bounded waits, so a backend that silently disappears (a lost scheduler) is noticed
        done, _ = wait(list(in_flight), timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
        if not done:
            backend.check()
            continue
        broken = False
        for future in done:
            chunk = in_flight.pop(future)
            try:
                results = future.result()
            except BrokenProcessPool:
                broken = True
                _requeue(chunk, "worker process died", retry, suspects, on_results, context)
            except Exception as err:  # noqa: BLE001 - infrastructure failure: lost worker, ...
                _requeue(chunk, f"{type(err).__name__}: {err}", retry, suspects, on_results, context)
            else:
                on_results(results)
        if broken and backend.recreates_on_break:
            # every future of a broken pool fails; collect them all before renewing it
            for future in list(in_flight):
                chunk = in_flight.pop(future)
                try:
                    on_results(future.result())
                except Exception:  # noqa: BLE001
                    _requeue(chunk, "worker process died", retry, suspects, on_results, context)
            executor = backend.renew()


def _requeue(chunk: _Chunk, reason: str, retry: deque, suspects: deque,
             on_results: Callable[[list[RunResult]], None], context: SweepContext) -> None:
    chunk.attempts += 1
    if chunk.solo:
        if chunk.attempts >= SOLO_ATTEMPTS:
            on_results([_failed(context, chunk.tasks[0], f"{reason} (attempted {chunk.attempts} times alone)")])
        else:
            suspects.append(chunk)
    elif chunk.attempts >= 2:
        suspects.extend(_Chunk([task], solo=True) for task in chunk.tasks)
    else:
        retry.append(chunk)


def _failed(context: SweepContext, task: RunTask, reason: str) -> RunResult:
    return RunResult(failed_row(context, task, f"WorkerDied: {reason}", math.nan))
