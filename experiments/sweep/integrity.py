"""A sweep folder checks itself: stored rows against the manifest and the design.

Every reader (``analyze``, ``plot``, ``--resume``, the app) goes through :func:`check_sweep`
before using a row, so nothing damaged is averaged silently:

- the manifest must agree with the experiment text it records (hash recomputed; steps,
  replications, scenario, strategies, run count and a seed named in the file compared), and
  ``design.parquet`` with the design rebuilt from that text;
- every runs part must be readable, have this sweep's columns, hold rows, and hold only runs of
  this sweep: run ids that match their point, replication and strategy, seeds recomputed from
  the root seed, factor values of their design point, and no run stored twice;
- a batch's steps part must be readable and hold steps of that batch's runs only.

A part that fails is *damaged*; readers refuse the folder (one line) and ``--resume`` moves
damaged parts to ``quarantine/`` and runs their runs again. A folder holding fewer runs than
its design is *partial*; readers say so before showing anything.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from multivector.experiments.errors import DataError, UsageError, shorten
from multivector.experiments.safe_paths import open_for_append

from . import store
from .design import build_design, count_runs

QUARANTINE = "quarantine"


@dataclass
class Damage:
    """One damaged batch: its part number and what is wrong with it."""

    number: int
    reason: str

    def describe(self) -> str:
        return f"{store.RUNS}/part-{self.number:06d}.parquet: {self.reason}"


@dataclass
class Check:
    """What a folder holds, checked."""

    total: int  # runs in the design
    status: str  # the manifest's status ("running" with no live writer reads "interrupted")
    runs: pd.DataFrame  # the intact runs, sorted by run_id
    good_parts: list[int] = field(default_factory=list)
    damaged: list[Damage] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return len(self.runs)

    @property
    def partial(self) -> bool:
        return self.stored < self.total

    def partial_warning(self, folder: Path) -> str:
        return (f"warning: {shorten(folder)} holds {self.stored} of {self.total} runs (sweep {self.status}); "
                "what follows covers those runs only")


def check_manifest(results: store.SweepResults) -> None:
    """Refuse a manifest that disagrees with the experiment text it records (edited by hand)."""
    manifest, experiment = results.manifest, results.experiment
    where = f"{shorten(results.path)}/{store.MANIFEST}"
    recorded = manifest.get("experiment", {}).get("sha256")
    if hashlib.sha256(experiment.source_text.encode()).hexdigest() != recorded:
        raise DataError(f"{where}: the experiment text does not match its recorded sha256; the manifest was edited")
    expected = {"steps": experiment.steps, "replications": experiment.replications,
                "scenario": experiment.scenario, "strategies": list(experiment.strategies)}
    if experiment.seed_given:
        expected["root_seed"] = experiment.seed
    for key, value in expected.items():
        if manifest.get(key) != value:
            raise DataError(f"{where}: {key} is {shorten(repr(manifest.get(key)), 40)} but its experiment says "
                            f"{shorten(repr(value), 40)}; the manifest was edited")


def check_sweep(results: store.SweepResults) -> Check:
    """Check the whole folder; raises :class:`DataError` only for what no rerun can mend (an
    edited manifest, a design that no longer matches); damaged parts are reported in the result."""
    check_manifest(results)
    experiment, folder = results.experiment, results.path
    design = build_design(experiment)
    _check_design_file(folder, design.points)
    total = count_runs(experiment, design)
    runs_schema = store.runs_schema(experiment)
    steps_schema = store.steps_schema(experiment) if experiment.collect_steps else None
    root = int(results.manifest["root_seed"])
    steps_parts = set(store.part_numbers(folder / store.STEPS))

    check = Check(total=total, status=store.effective_status(folder, results.manifest), runs=pd.DataFrame())
    frames: list[pd.DataFrame] = []
    seen: dict[str, int] = {}  # run_id -> part number
    seeds_seen: set[int] = set()
    for number in store.part_numbers(folder / store.RUNS):
        frame, reason = _read_runs_part(store.part_path(folder / store.RUNS, number), runs_schema)
        if frame is not None:
            seeds_seen.update(int(s) for s in frame["seed_entropy"].unique())
            reason = _row_problem(frame, design.points, experiment, root)
        if reason is None:
            earlier = {seen[r] for r in frame["run_id"] if r in seen}
            if earlier:
                reason = f"repeats runs stored in part {min(earlier)} (a copied part?)"
            elif frame["run_id"].duplicated().any():
                reason = "stores a run twice"
        if reason is None and steps_schema is not None:
            reason = _steps_problem(folder, number, number in steps_parts, steps_schema, set(frame["run_id"]))
        if reason is not None:
            check.damaged.append(Damage(number, reason))
            continue
        seen.update(dict.fromkeys(frame["run_id"], number))
        frames.append(frame)
        check.good_parts.append(number)
    if seeds_seen and root not in seeds_seen and len(seeds_seen) == 1:
        raise DataError(f"{shorten(folder)}/{store.MANIFEST}: root_seed {root} is not the seed of any stored run "
                        f"({seeds_seen.pop()}); the manifest was edited")
    if frames:
        check.runs = pd.concat(frames, ignore_index=True).sort_values("run_id", kind="stable").reset_index(drop=True)
    else:
        check.runs = runs_schema.empty_table().to_pandas()
    return check


def verified(results: store.SweepResults, warn) -> Check:
    """For readers: the checked folder, or :class:`DataError` naming the first damaged part.

    ``warn(line)`` is told when the sweep is partial. The intact runs are kept on ``results``
    so readers use exactly the rows that were checked."""
    check = check_sweep(results)
    if check.damaged:
        more = f" (and {len(check.damaged) - 1} more damaged parts)" if len(check.damaged) > 1 else ""
        raise DataError(f"{shorten(results.path)}: {check.damaged[0].describe()}{more}; nothing was read. "
                        f"Set damaged parts aside and rerun their runs with: multivector sweep "
                        f"{shorten(results.path / store.EXPERIMENT_COPY)} --out {shorten(results.path)} --resume")
    if check.partial:
        warn(check.partial_warning(results.path))
    strays = [f"{sub}/{name}" for sub in (store.RUNS, store.STEPS) for name in store.stray_files(results.path / sub)]
    if strays:
        more = f" and {len(strays) - 1} more" if len(strays) > 1 else ""
        warn(f"warning: {shorten(results.path)}: ignored {shorten(strays[0], 60)}{more} (not a part file; "
             "only part-NNNNNN.parquet files are data)")
    results.__dict__["runs"] = check.runs
    results.__dict__["steps_parts"] = check.good_parts
    return check


def quarantine(folder: Path, damaged: list[Damage]) -> list[str]:
    """Move each damaged batch (runs part and steps part) to ``quarantine/``; return one line each.

    Their runs are then missing from the folder, so ``--resume`` runs them again."""
    if not damaged:
        return []
    target = folder / QUARANTINE
    if target.is_symlink():
        raise UsageError(f"{shorten(target)} is a symbolic link, which this project never makes; "
                         "remove it or choose another folder")
    target.mkdir(exist_ok=True)
    lines = []
    with open_for_append(target / "reasons.txt") as log:
        for item in damaged:
            for sub in (store.RUNS, store.STEPS):
                source = store.part_path(folder / sub, item.number)
                if source.exists():
                    destination = target / f"{sub.split('.')[0]}-{source.name}"
                    suffix = 1
                    while destination.exists():
                        destination = target / f"{sub.split('.')[0]}-{source.stem}-{suffix}.parquet"
                        suffix += 1
                    os.replace(source, destination)
            log.write(item.describe() + "\n")
            lines.append(f"set aside {item.describe()} (moved to {QUARANTINE}/; its runs will run again)")
    return lines


def _read_runs_part(path: Path, schema: pa.Schema) -> tuple[pd.DataFrame | None, str | None]:
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException, ValueError):
        return None, "unreadable (truncated or not Parquet)"
    if not table.schema.equals(schema, check_metadata=False):
        return None, "foreign (its columns are not this sweep's)"
    if table.num_rows == 0:
        return None, "empty"
    return table.to_pandas(), None


def _row_problem(frame: pd.DataFrame, points: pd.DataFrame, experiment, root: int) -> str | None:
    point, replication = frame["point"].to_numpy(), frame["replication"].to_numpy()
    if ((point < 0) | (point >= len(points))).any() or ((replication < 0) | (replication >= experiment.replications)).any():
        return "foreign (runs outside this sweep's design)"
    if not frame["strategy"].isin(experiment.strategies).all():
        return "foreign (strategies this sweep does not run)"
    ids = ("p" + frame["point"].map("{:06d}".format) + "-r" + frame["replication"].map("{:04d}".format)
           + "-" + frame["strategy"])
    if not (ids == frame["run_id"]).all():
        return "foreign (run ids that do not match their point, replication and strategy)"
    if not (frame["seed_entropy"] == root).all():
        return "foreign (seeds not derived from this sweep's root seed)"
    keys = frame["point"].astype(str) + "," + frame["replication"].astype(str)
    if not (keys == frame["spawn_key"]).all():
        return "foreign (spawn keys that do not match their point and replication)"
    ok = frame["status"] == "ok"
    if not experiment.stop and (frame.loc[ok, "steps_run"] != experiment.steps).any():
        # without stop rules every finished run ran the experiment's steps
        return f"foreign (runs of another length than {experiment.steps} steps)"
    for name in points.columns:
        stored, expected = frame[name].to_numpy(), points[name].to_numpy()[point]
        if not np.array_equal(stored, expected):
            return f"foreign ({shorten(name, 40)} differs from its design point)"
    return None


def _steps_problem(folder: Path, number: int, present: bool, schema: pa.Schema, run_ids: set) -> str | None:
    if not present:
        return "its steps part is missing"
    try:
        table = pq.read_table(store.part_path(folder / store.STEPS, number))
    except (OSError, pa.ArrowException, ValueError):
        return "its steps part is unreadable (truncated or not Parquet)"
    if not table.schema.equals(schema, check_metadata=False):
        return "its steps part is foreign (its columns are not this sweep's)"
    if not set(table.column("run_id").to_pylist()) <= run_ids:
        return "its steps part holds steps of other runs"
    return None


def _same_values(stored: pd.DataFrame, current: pd.DataFrame) -> bool:
    """Exactly the same values; a text column may come back from Parquet as pandas' string dtype
    where the rebuilt design holds Python objects (pandas 3), which is no difference."""
    try:
        pd.testing.assert_frame_equal(stored, current, check_dtype=False, check_exact=True, check_index_type=False,
                                      check_column_type=False)
    except AssertionError:
        return False
    return True


def _check_design_file(folder: Path, points: pd.DataFrame) -> None:
    path = folder / store.DESIGN
    try:
        stored = pd.read_parquet(path).drop(columns="point")
    except (OSError, pa.ArrowException, ValueError, KeyError):
        raise DataError(f"{shorten(folder)}/{store.DESIGN}: missing or unreadable") from None
    current = points.reset_index(drop=True)
    if list(stored.columns) != list(current.columns) or not _same_values(stored, current):
        raise DataError(f"{shorten(folder)}/{store.DESIGN}: does not match the design of its experiment "
                        "(edited, or a different SALib version); start a new sweep")
