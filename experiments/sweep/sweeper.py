"""Running a whole sweep: validate, lay out the folder, run what is missing, record provenance.

This is the one place that ties the pieces together: the experiment file
(:mod:`.experiment`), its design (:mod:`.design`), seeds (:mod:`.seeding`), the executor
(:mod:`.execution`) and the folder (:mod:`.store`).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import importlib.metadata
import math
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa

from multivector import model
from multivector.experiments.errors import StorageError, UsageError, shorten
from multivector.experiments.progress import progress as show
from multivector.experiments.pool import local_backend
from multivector.experiments.safe_paths import refuse_links_below, write_text

from . import integrity, store
from .design import Design, build_design, count_runs
from .execution import Backend, DaskCluster, _dask_timeout, execute
from .experiment import Experiment, load_experiment
from .runner import ENGINES, RunResult, RunTask, StopCondition, SweepContext
from .scheduler_file import read_scheduler_address
from .seeding import run_id

PACKAGES = ("multivector", "mesa", "numpy", "pandas", "pyarrow", "scipy", "SALib", "pydantic",
            "dask", "distributed", "matplotlib", "rich")


@dataclass
class SweepOutcome:
    path: Path
    total: int
    already_done: int
    ran: int
    ok: int
    failed: int
    seconds: float
    failed_in_folder: int = 0  # failed runs in the whole folder, this session's and earlier ones


def run_sweep(
    experiment_path: str | Path,
    out: str | Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    retry_failed: bool = False,
    announce: Callable[[str], None] = print,
    progress: bool = True,
    chunk_size: int | None = None,
    backend: Backend | None = None,
    flush_seconds: float = 5.0,
    engine: str = "array",
    scheduler_file: str | Path | None = None,
) -> SweepOutcome:
    """Run (or finish) the sweep described by ``experiment_path`` into ``out``.

    Nothing is created before the experiment is validated; a folder already holding a sweep
    is refused unless ``resume``; a folder another process is writing is always refused.
    ``backend`` runs the chunks on an executor of your own (see :mod:`.execution`) instead of
    local processes or ``scheduler``; it is closed at the end. Finished runs are written at
    least every ``flush_seconds`` (what an interruption can cost). ``engine`` is "array" (each
    chunk one ensemble on the array engine) or "mesa" (one Mesa model per run): the runs table is
    the same either way, but for ``duration_s``.
    ``scheduler_file`` is Dask's scheduler file (``dask scheduler --scheduler-file``, ``dask-mpi``):
    the cluster at the address it holds, read once the folder is locked.
    """
    if engine not in ENGINES:
        raise UsageError(f"--engine: one of {', '.join(ENGINES)}, got {shorten(repr(engine), 20)}")
    if workers is not None and workers < 1:
        raise UsageError("--workers: must be at least 1")
    if retry_failed and not resume:
        raise UsageError("--retry-failed: only with --resume")
    if scheduler and scheduler_file:
        raise UsageError("--scheduler-file: not with --scheduler (the file gives the address)")
    experiment = load_experiment(experiment_path)
    folder = Path(out) if out is not None else Path("results") / experiment.name
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out: {shorten(folder)} exists and is not a folder")
    if resume and not (folder.is_dir() and any(folder.iterdir())):
        raise UsageError(f"--resume: {shorten(folder)} holds no sweep to resume")
    workers = _capped_workers(workers, announce)

    refuse_links_below(folder)  # before the lock: a planted sweep.lock link is refused, not truncated
    created = _make_folder(folder)
    lock = store.SweepLock(folder)
    try:
        # Lock first, look second: a second writer is refused here, before it reads the folder,
        # connects to a cluster or writes anything.
        lock.acquire()
    except BaseException:
        _remove_if_unstarted(folder, created)
        raise
    manifest: dict | None = None
    try:
        unstarted = store.is_unstarted(folder)
        if unstarted and resume:
            announce(f"{shorten(folder)} holds no runs yet (its sweep stopped before it started); starting it")
            resume = False
        if not resume and not unstarted:
            hint = "; use --resume to finish it" if (folder / store.MANIFEST).is_file() else ""
            raise UsageError(f"--out: {shorten(folder)} is not empty{hint}")
        if resume:
            manifest, experiment = _check_resumable(folder, experiment)
            design = build_design(experiment)
            if not (folder / store.DESIGN).exists():  # stopped between the manifest and the design
                _write_design(folder, design)
            check = integrity.check_sweep(store.SweepResults(folder, manifest, experiment))
            for line in integrity.quarantine(folder, check.damaged):
                announce(line)
        else:
            design = build_design(experiment)
        if backend is None and scheduler_file is not None:
            scheduler = read_scheduler_address(scheduler_file, _dask_timeout())
        backend = backend or _backend(workers, scheduler)  # may refuse (bad address) before anything is written
        if not resume:
            _clear_unstarted(folder)
            manifest = _new_manifest(experiment, experiment_path, design)
            # the manifest first: from here on the folder is a sweep that --resume can finish
            store.write_json_atomic(folder / store.MANIFEST, manifest)
            _write_design(folder, design)
            write_text(folder / store.EXPERIMENT_COPY, experiment.source_text)
        done = store.recover(folder, drop_failed=retry_failed) if resume else pd.DataFrame({"run_id": []})
        done_ids = set(done["run_id"])
        total = count_runs(experiment, design)
        session = {"started": _now(), "ended": None, "status": "running", "executor": backend.description,
                   "command": shorten(" ".join(sys.argv), 300), "resumed": resume, "retry_failed": retry_failed}
        try:
            manifest.setdefault("sessions", []).append(session)
            manifest["status"] = "running"
            store.write_json_atomic(folder / store.MANIFEST, manifest)
            remaining = total - len(done_ids)
            announce(_headline(experiment, design, total, len(done_ids), backend, folder))
            outcome = _run(folder, experiment, design, done_ids, remaining, total, backend, progress, chunk_size,
                           flush_seconds, engine)
        except BaseException as err:
            # interrupted, lost the cluster, disk full: stop the workers now, keep what finished,
            # and leave a manifest that says so (resume continues from here)
            backend.abort()
            _close_session(folder, manifest, session, "interrupted", err)
            raise
        session.update(ended=_now(), status="complete", ran=outcome.ran)
        counts = _counts(folder)
        manifest.update(status="complete", ended=session["ended"], counts=counts)
        store.write_json_atomic(folder / store.MANIFEST, manifest)
        outcome.already_done = len(done_ids)
        outcome.failed_in_folder = counts["failed"]
        return outcome
    except BaseException:
        if manifest is None:
            _remove_if_unstarted(folder, created, lock)
        raise
    finally:
        if backend is not None:
            backend.close()
        lock.release()


def _capped_workers(workers: int | None, announce: Callable[[str], None]) -> int | None:
    # more processes than cores only adds memory and switching; the results are the same
    cpus = os.cpu_count() or 1
    if workers is not None and workers > cpus:
        announce(f"note: --workers {workers} is more than the {cpus} CPUs here; using {cpus}")
        return cpus
    return workers


def _make_folder(folder: Path) -> bool:
    """Create ``folder`` (and parents); True if this call created it."""
    existed = folder.is_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StorageError(f"--out: cannot create {shorten(folder)} ({store.describe_os_error(err)})") from None
    return not existed


def _remove_if_unstarted(folder: Path, created: bool, lock: store.SweepLock | None = None) -> None:
    """A refused or failed start leaves no folder behind if this run created it."""
    if not created:
        return
    with contextlib.suppress(OSError):
        if store.is_unstarted(folder):
            _clear_unstarted(folder)
            if lock is not None:
                lock.release()
            with contextlib.suppress(FileNotFoundError):  # a soft lock removes its file on release
                os.remove(folder / store.LOCK)
            folder.rmdir()


def _clear_unstarted(folder: Path) -> None:
    """Remove what a sweep killed before its first manifest left (never the lock we hold)."""
    for name in os.listdir(folder):
        if name != store.LOCK:
            os.remove(folder / name)


def _write_design(folder: Path, design: Design) -> None:
    table = pa.Table.from_pandas(design.points.rename_axis("point").reset_index(), preserve_index=False)
    store.write_table_atomic(table, folder / store.DESIGN)


def _close_session(folder: Path, manifest: dict, session: dict, status: str, err: BaseException) -> None:
    session.update(ended=_now(), status=status, reason=shorten(f"{type(err).__name__}: {err}", 200))
    manifest["status"] = status
    # best effort: on a full disk this write fails too; readers then see "running" with no
    # live writer, which they report as interrupted (store.effective_status)
    with contextlib.suppress(OSError):
        store.write_json_atomic(folder / store.MANIFEST, manifest)


def _run(folder: Path, experiment: Experiment, design: Design, done_ids: set, remaining: int, total: int,
         backend: Backend, show_progress: bool, chunk_size: int | None, flush_seconds: float,
         engine: str = "array") -> SweepOutcome:
    context = sweep_context(experiment, engine)
    writer = store.PartWriter(folder, store.runs_schema(experiment),
                              store.steps_schema(experiment) if experiment.collect_steps else None,
                              flush_seconds=flush_seconds)
    size = chunk_size or _chunk_size(remaining, backend.workers, engine,
                                      history=bool(experiment.summaries) or experiment.collect_steps)
    counts = {"ok": 0, "failed": 0}
    started = time.perf_counter()
    progress = show(_PROGRESS_LABEL, remaining, enabled=show_progress, transient=False)

    def on_results(results: list[RunResult]) -> None:
        for result in results:
            counts[result.row["status"]] = counts.get(result.row["status"], 0) + 1
        writer.add(results)
        progress.advance(len(results))

    try:
        progress.start()
        execute(_chunks(experiment, design, done_ids, size), context, backend, on_results)
    except BaseException:
        with contextlib.suppress(OSError):  # finished runs are kept even when interrupted ...
            writer.flush()
        raise  # ... but the error that stopped the sweep is the one reported
    else:
        writer.flush()
    finally:
        progress.stop()
    return SweepOutcome(folder, total, len(done_ids), counts["ok"] + counts["failed"], counts["ok"],
                        counts["failed"], time.perf_counter() - started)


def sweep_context(experiment: Experiment, engine: str = "array") -> SweepContext:
    return SweepContext(
        engine=engine,
        scenario=experiment.scenario,
        steps=experiment.steps,
        root_entropy=experiment.seed,
        fixed=dict(experiment.fixed),
        measures=experiment.measures,
        summaries=experiment.summaries,
        collect_steps=experiment.collect_steps,
        collect_every=experiment.collect_every,
        stop=tuple(StopCondition(r.column, r.below, r.above, r.after) for r in experiment.stop),
    )


def iter_tasks(experiment: Experiment, design: Design) -> Iterator[RunTask]:
    """Every run of the experiment, in run-id order (point, replication, strategy)."""
    names = design.factor_names
    for point, values in enumerate(design.points.itertuples(index=False, name=None)):
        factors = {name: (v.item() if hasattr(v, "item") else v) for name, v in zip(names, values)}
        for replication in range(experiment.replications):
            for strategy in experiment.strategies:
                yield RunTask(run_id(point, replication, strategy), point, replication, strategy, factors)


def _chunks(experiment: Experiment, design: Design, done_ids: set, size: int) -> Iterator[list[RunTask]]:
    chunk: list[RunTask] = []
    for task in iter_tasks(experiment, design):
        if task.run_id in done_ids:
            continue
        chunk.append(task)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# The array engine's cost per run falls with the chunk's size R until about R = 2,000 (per-call
# overhead spread over more runs; experiments/benchmarks/bench_cross_case.py); a chunk that keeps
# every quarter's record (run summaries, collected steps) holds R x quarters x columns numbers,
# so it stays at 500.
ENGINE_BEST_R, HISTORY_R, GOOD_R = 2000, 500, 500


def _chunk_size(remaining: int, workers: int, engine: str = "array", history: bool = False) -> int:
    """Runs per chunk. Array engine: two chunks per worker keep every worker busy to the end, but a
    chunk is never smaller than the engine's good range (GOOD_R) unless the sweep itself is small,
    nor larger than its best R. Mesa: enough chunks (~8 per worker) that per-task dispatch (ms on
    Dask) hardly matters. The result never depends on it."""
    if engine != "array":
        return max(1, min(25, math.ceil(remaining / (workers * 8))))
    largest = HISTORY_R if history else ENGINE_BEST_R
    if workers == 1:
        return max(1, min(largest, remaining))
    share = math.ceil(remaining / workers)
    return max(1, min(largest, max(math.ceil(remaining / (2 * workers)), min(GOOD_R, share))))


def _backend(workers: int | None, scheduler: str | None) -> Backend:
    if scheduler:
        if workers is not None:
            raise UsageError("--workers: not used with --scheduler (the cluster decides)")
        return DaskCluster(scheduler)
    workers = workers or os.cpu_count() or 1
    return local_backend(workers)  # the shared pool inside ``pool.shared``, else one of its own


_PROGRESS_LABEL = "runs"  # a bar in a terminal, a line every few seconds elsewhere (experiments.progress)


def _headline(experiment: Experiment, design: Design, total: int, done: int, backend: Backend, folder: Path) -> str:
    shape = (f"{len(experiment.strategies)} strategies x {len(design)} {design.kind} points "
             f"x {experiment.replications} replications = {total} runs")
    todo = f"{total - done} to run" + (f" ({done} already done)" if done else "")
    return f"{experiment.name}: {shape}; {todo} on {backend.description} -> {folder}"


# --------------------------------------------------------------------------- manifest


def _new_manifest(experiment: Experiment, experiment_path, design: Design) -> dict:
    return {
        "format": store.FORMAT,
        "experiment": {
            "name": experiment.name,
            "path": str(experiment_path),
            "sha256": experiment.sha256,
            "text": experiment.source_text,
        },
        "root_seed": experiment.seed,
        "root_seed_from_file": experiment.seed_given,
        "design": {
            "kind": design.kind,
            "points": len(design),
            "factors": design.factor_names,
            "sampler": "SALib" if design.problem else "grid",
            "sampler_seed": design.sampler_seed,
        },
        "scenario": experiment.scenario,
        "power_ids": list(experiment.power_ids),
        "strategies": list(experiment.strategies),
        "replications": experiment.replications,
        "steps": experiment.steps,
        "run_count": count_runs(experiment, design),
        "seeding": "SeedSequence(root_seed, spawn_key=(point, replication)); shared across strategies",
        "versions": package_versions(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "git": git_state(),
        "started": _now(),
        "ended": None,
        "status": "running",
        "sessions": [],
    }


def _check_resumable(folder: Path, experiment: Experiment) -> tuple[dict, Experiment]:
    results = store.open_sweep(folder)
    manifest = results.manifest
    if manifest["experiment"].get("sha256") != experiment.sha256:
        raise UsageError(
            f"--resume: {shorten(experiment.source_name)} differs from the experiment {shorten(folder)} was started "
            f"with (see {shorten(folder / store.EXPERIMENT_COPY)})"
        )
    integrity.check_manifest(results)  # an edited manifest (steps, root seed) is refused
    return manifest, results.experiment  # carries the recorded root seed


def _counts(folder: Path) -> dict:
    parts = store.part_numbers(folder / store.RUNS)
    if not parts:
        return {"ok": 0, "failed": 0}
    status = pd.read_parquet(folder / store.RUNS, columns=["status"])["status"]
    return {"ok": int((status == "ok").sum()), "failed": int((status == "failed").sum())}


def package_versions() -> dict[str, str | None]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def git_state() -> dict:
    """Commit and dirty flag of the checkout the model is imported from (None outside git)."""
    where = Path(model.__file__).resolve().parent
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=where, capture_output=True, text=True,
                                timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=where,
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": bool(dirty)}


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
