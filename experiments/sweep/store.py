"""The sweep folder: manifest, design, Parquet part files, the writer's lock, and reading back.

Layout of a sweep folder::

    manifest.json          experiment file verbatim + sha256, root seed, versions, git, sessions
    experiment.toml        the experiment file, verbatim (for people; the manifest is the record)
    design.parquet         the design points (point, one column per factor)
    runs.parquet/          part-NNNNNN.parquet: one row per finished run (ok or failed)
    steps.parquet/         part-NNNNNN.parquet: per-step outputs, when the experiment asks
    sweep.lock             held by the one process writing the folder (see .lock)

Crash safety: a part is written under a temporary name and renamed into place, so a reader
never sees half a part. A batch's steps part is written before its runs part, and the runs
part is the commit record: on resume, steps parts without their runs part are deleted and
only runs missing from the runs table are run again. No run is lost or written twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from multivector.experiments.errors import DataError, StorageError, UsageError, shorten
from multivector.experiments.safe_paths import refuse_links_below
from multivector.experiments.tables import temporary_beside

from . import limits
from .lock import LOCK, SweepLock, is_being_written  # noqa: F401 - the folder's lock, re-exported for its readers
from .experiment import Experiment, parse_experiment
from .runner import RunResult

MANIFEST = "manifest.json"
EXPERIMENT_COPY = "experiment.toml"
DESIGN = "design.parquet"
RUNS = "runs.parquet"
STEPS = "steps.parquet"
FORMAT = "multivector-sweep/1"

_PART = re.compile(r"^part-(\d{6})\.parquet$")

IDENTITY_COLUMNS = ("run_id", "point", "replication", "seed_entropy", "spawn_key", "strategy",
                    "status", "error", "duration_s")


def runs_schema(experiment: Experiment) -> pa.Schema:
    """The runs table's columns and types; fixed per experiment so every part matches."""
    kinds = {"float": pa.float64(), "int": pa.int64(), "bool": pa.bool_()}
    fields = [
        pa.field("run_id", pa.string()),
        pa.field("point", pa.int64()),
        pa.field("replication", pa.int64()),
        pa.field("seed_entropy", pa.int64()),
        pa.field("spawn_key", pa.string()),
        pa.field("strategy", pa.string()),
        pa.field("status", pa.string()),
        pa.field("error", pa.string()),
        pa.field("duration_s", pa.float64()),
    ]
    for factor in experiment.factors.values():
        # ranged integer factors are sampled as integers; ranged floats stay floats
        fields.append(pa.field(factor.path, kinds.get(factor.type, pa.string())))
    fields += [pa.field(measure, pa.float64()) for measure in experiment.measures]
    fields += [pa.field(column, pa.float64()) for column in experiment.summaries]
    fields += [pa.field("steps_run", pa.int64()), pa.field("stopped_by", pa.string())]
    return pa.schema(fields)


def steps_schema(experiment: Experiment) -> pa.Schema:
    fields = [pa.field("run_id", pa.string()), pa.field("step", pa.int64()), pa.field("date", pa.string())]
    fields += [pa.field(measure, pa.float64()) for measure in experiment.measures]
    return pa.schema(fields)


# --------------------------------------------------------------------------- writing


def effective_status(folder: Path, manifest: dict) -> str:
    """The manifest's status, except that "running" with no live writer means "interrupted"
    (a sweep killed outright, or one that could not write its last manifest)."""
    status = str(manifest.get("status", "unknown"))
    if status == "running" and not is_being_written(folder):
        return "interrupted"
    return status


def is_unstarted(folder: Path) -> bool:
    """True if ``folder`` holds nothing but what a sweep writes before its first manifest
    (its lock, the experiment copy, the design, temporary files): a sweep killed that early
    left no results, so the folder may be started again."""
    if (folder / MANIFEST).exists():
        return False
    return all(name in (LOCK, EXPERIMENT_COPY, DESIGN) or _is_temporary(name) for name in os.listdir(folder))


def _is_temporary(name: str) -> bool:
    return name.startswith(".") and name.endswith(".tmp")


def describe_os_error(err: OSError) -> str:
    """An OSError in a few words, without the path it carries (messages shorten paths)."""
    return err.strerror or type(err).__name__


def write_json_atomic(path: Path, payload: dict) -> None:
    temporary = temporary_beside(path)
    text = json.dumps(payload, indent=2, sort_keys=False, default=_json_default) + "\n"
    with _removed_on_failure(temporary):
        with open(temporary, "w") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())  # a full disk shows here, not after the rename
        os.replace(temporary, path)


@contextlib.contextmanager
def _removed_on_failure(temporary: Path):
    """No half-written file is left behind when writing ``temporary`` fails (disk full, ...)."""
    try:
        yield
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise


def _json_default(value: Any):
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def write_table_atomic(table: pa.Table, path: Path) -> None:
    # a leading dot keeps the temporary file out of pyarrow's view of the folder
    temporary = temporary_beside(path)
    with _removed_on_failure(temporary):
        pq.write_table(table, temporary, compression="zstd")
        os.replace(temporary, path)


def part_numbers(folder: Path) -> list[int]:
    if not folder.is_dir():
        return []
    return sorted(int(m.group(1)) for name in os.listdir(folder) if (m := _PART.match(name)))


def part_path(folder: Path, number: int) -> Path:
    return folder / f"part-{number:06d}.parquet"


class PartWriter:
    """Buffers finished runs and writes them as part files (bounded memory).

    A part is written when ``flush_rows`` runs are buffered, ``flush_seconds`` have passed, or
    the steps buffer is large, so an interruption loses at most a few seconds of work.
    """

    def __init__(self, folder: Path, runs: pa.Schema, steps: pa.Schema | None,
                 flush_rows: int = 1000, flush_seconds: float = 5.0, flush_step_rows: int = 200_000):
        self.runs_folder = folder / RUNS
        self.steps_folder = folder / STEPS
        self.runs_schema = runs
        self.steps_schema = steps
        self.flush_rows = flush_rows
        self.flush_seconds = flush_seconds
        self.flush_step_rows = flush_step_rows
        self.runs_folder.mkdir(exist_ok=True)
        if steps is not None:
            self.steps_folder.mkdir(exist_ok=True)
        existing = part_numbers(self.runs_folder) + part_numbers(self.steps_folder)
        self._next = max(existing, default=-1) + 1
        self._rows: list[dict] = []
        self._steps: list[pd.DataFrame] = []
        self._step_rows = 0
        self._last_flush = time.monotonic()
        self.written = 0

    def add(self, results: list[RunResult]) -> None:
        for result in results:
            self._rows.append(result.row)
            if result.steps is not None and self.steps_schema is not None:
                self._steps.append(result.steps)
                self._step_rows += len(result.steps)
        if (len(self._rows) >= self.flush_rows or self._step_rows >= self.flush_step_rows
                or time.monotonic() - self._last_flush >= self.flush_seconds):
            self.flush()

    def flush(self) -> None:
        if not self._rows:
            return
        number = self._next
        if self._steps:
            frame = pd.concat(self._steps, ignore_index=True)
            table = pa.Table.from_pandas(frame, schema=self.steps_schema, preserve_index=False)
            write_table_atomic(table, part_path(self.steps_folder, number))
        # the runs part goes last: its presence commits the whole batch
        write_table_atomic(pa.Table.from_pylist(self._rows, schema=self.runs_schema),
                            part_path(self.runs_folder, number))
        self.written += len(self._rows)
        self._next += 1
        self._rows, self._steps, self._step_rows = [], [], 0
        self._last_flush = time.monotonic()


def recover(folder: Path, drop_failed: bool) -> pd.DataFrame:
    """Make an interrupted folder consistent; return the (run_id, status) of committed runs.

    Deletes temporary files and steps parts whose runs part never landed. With
    ``drop_failed``, failed runs are removed from their parts (rewritten atomically) so they
    run again; their rows are replaced, never duplicated.
    """
    runs_folder, steps_folder = folder / RUNS, folder / STEPS
    for sub in (runs_folder, steps_folder, folder):
        if sub.is_dir():
            for name in os.listdir(sub):
                if name.startswith(".") and name.endswith(".tmp"):
                    os.remove(sub / name)
    committed = set(part_numbers(runs_folder))
    for number in part_numbers(steps_folder):
        if number not in committed:
            os.remove(part_path(steps_folder, number))
    frames = []
    for number in sorted(committed):
        path = part_path(runs_folder, number)
        if drop_failed:
            table = pq.read_table(path)
            status = table.column("status").to_pylist()
            if "failed" in status:
                kept = table.filter(pc.not_equal(table.column("status"), "failed"))
                if kept.num_rows:
                    write_table_atomic(kept, path)
                else:
                    os.remove(path)
                table = kept
            frame = table.select(["run_id", "status"]).to_pandas()
        else:
            frame = pq.read_table(path, columns=["run_id", "status"]).to_pandas()
        frames.append(frame)
    done = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({"run_id": [], "status": []})
    duplicated = done["run_id"][done["run_id"].duplicated()]
    if len(duplicated):
        raise UsageError(f"{folder}: run {duplicated.iloc[0]} is stored twice; the folder was edited by hand")
    return done


# --------------------------------------------------------------------------- reading


@dataclass
class SweepResults:
    """A finished (or partial) sweep, read back from its folder."""

    path: Path
    manifest: dict
    experiment: Experiment

    @cached_property
    def runs(self) -> pd.DataFrame:
        """runs.parquet, sorted by run_id (an empty frame when no run has finished)."""
        return _read_parts(self.path / RUNS, "run_id")

    @cached_property
    def steps(self) -> pd.DataFrame | None:
        """steps.parquet sorted by (run_id, step), or None when the experiment kept no steps."""
        numbers = part_numbers(self.path / STEPS)
        if "steps_parts" in self.__dict__:  # checked by integrity.verified: its intact batches only
            numbers = [n for n in numbers if n in self.__dict__["steps_parts"]]
        if not numbers:
            return None
        frame = pd.concat([pd.read_parquet(part_path(self.path / STEPS, n)) for n in numbers], ignore_index=True)
        return frame.sort_values(["run_id", "step"], kind="stable").reset_index(drop=True)

    @cached_property
    def design(self) -> pd.DataFrame:
        return pd.read_parquet(self.path / DESIGN)

    @property
    def factors(self) -> list[str]:
        return list(self.experiment.factors)


def _read_parts(folder: Path, sort_by) -> pd.DataFrame:
    """The part files of ``folder`` (``part-NNNNNN.parquet`` only: nothing else there is data)."""
    numbers = part_numbers(folder)
    if not numbers:
        return pd.DataFrame()
    frame = pd.concat([pd.read_parquet(part_path(folder, n)) for n in numbers], ignore_index=True)
    return frame.sort_values(sort_by, kind="stable").reset_index(drop=True)


def stray_files(folder: Path) -> list[str]:
    """Names in a parts folder that are neither part files nor our temporary files (ignored by every reader)."""
    if not folder.is_dir():
        return []
    return sorted(name for name in os.listdir(folder) if not _PART.match(name) and not _is_temporary(name))


def open_sweep(path: str | Path) -> SweepResults:
    """Open a sweep folder; :class:`UsageError` if it is not one."""
    path = Path(path)
    shown = shorten(path)
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise UsageError(f"{shown}: not a sweep folder (no {MANIFEST})")
    refuse_links_below(path, "sweep folder")  # a planted link would make us read, write and move elsewhere
    try:
        with open(manifest_path, "rb") as handle:
            data = handle.read(limits.MAX_MANIFEST_BYTES + 1)
    except OSError as err:
        raise StorageError(f"{shown}: cannot read {MANIFEST} ({describe_os_error(err)})") from None
    try:
        if len(data) > limits.MAX_MANIFEST_BYTES:
            raise ValueError("too large")
        manifest = json.loads(data)
        text = manifest["experiment"]["text"]
        seed = manifest["root_seed"]
        if not isinstance(text, str) or not isinstance(seed, int) or isinstance(seed, bool):
            raise TypeError("experiment.text must be text and root_seed an integer")
    except (ValueError, KeyError, TypeError, RecursionError) as err:
        raise DataError(f"{shown}/{MANIFEST}: unreadable manifest ({type(err).__name__}: {shorten(err, 80)})") from None
    try:
        experiment = parse_experiment(text, source_name=f"{shown}/{MANIFEST}", seed=seed)
    except UsageError as err:
        raise DataError(str(err)) from None
    return SweepResults(path=path, manifest=manifest, experiment=experiment)


def replay_arguments(results: SweepResults, run_id: str) -> dict[str, Any]:
    """Arguments that rebuild one run of a sweep exactly::

        a = replay_arguments(results, "p000003-r0001-hedge")
        model.MultivectorModel(scenario=a["scenario"], strategy=a["strategy"],
                               overrides=a["overrides"], steps=a["steps"],
                               rng=numpy.random.SeedSequence(a["seed_entropy"], spawn_key=a["spawn_key"]))

    ``steps`` is the number of quarters the run actually ran (a stop condition may have
    ended it early), so the rebuilt model's final state is the stored one.
    """
    runs = results.runs
    match = runs[runs["run_id"] == run_id] if len(runs) else runs
    if not len(match):
        raise UsageError(f"{results.path}: no run {run_id!r}")
    row = match.iloc[0]
    experiment = results.experiment
    overrides = dict(experiment.fixed)
    for path in experiment.factors:
        overrides[path] = _python_value(row[path])
    steps = experiment.steps
    if row["status"] == "ok" and int(row["steps_run"]) >= 0:
        steps = int(row["steps_run"])
    return {
        "scenario": experiment.scenario,
        "strategy": str(row["strategy"]),
        "overrides": overrides,
        "steps": steps,
        "seed_entropy": int(row["seed_entropy"]),
        "spawn_key": tuple(int(part) for part in str(row["spawn_key"]).split(",")),
    }


def _python_value(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value
