"""Many runs of one scenario on the array engine, their per-quarter records written as they come.

The runs are stepped in blocks of replications (at most ``MAX_BLOCK_RUNS``, near the engine's best
ensemble size, and fewer when a block's whole record would pass ``BLOCK_BYTES``). Each block is run
to its end, its record (every quarter of every run in it, :class:`model.history.History`) appended
to the output file (Parquet row groups, or CSV) and dropped, so memory does not grow with the
number of runs. Rows are ordered by replication, then step: each run's quarters lie together, and
replication r is the run with seed ``SeedSequence(seed, spawn_key=(r,))`` whatever the block size.
The file is written under a temporary name and renamed when complete
(:class:`experiments.tables.TableWriter`): an error or an interruption leaves no half-written output.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from multivector import model
from multivector.experiments.tables import TableWriter
from multivector.model.history import History
from multivector.model.record import record_layout

BLOCK_BYTES = 128 * 2**20  # a block's whole record in memory
MAX_BLOCK_RUNS = 2000  # the engine's cost per run is lowest at R = 2,000-3,000 (bench_engine)


def block_size(replications: int, quarters: int, width: int) -> int:
    """Runs per block: every run when they fit, else as many as ``BLOCK_BYTES`` holds (at least one)."""
    per_run = 8 * width * (quarters + 1)
    return max(1, min(replications, MAX_BLOCK_RUNS, BLOCK_BYTES // per_run))


def run_replications(scenario: str, strategy: str, seed: int, replications: int, steps: int | None,
                     overrides: dict[str, Any], out: Path | None, final_columns: Sequence[str],
                     on_runs: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Run ``replications`` runs; write every quarter of every run to ``out`` (one row per run and
    quarter, ordered by replication then step, a ``replication`` column first) and return the
    ``final_columns`` of every run's last quarter (one row per run). ``on_runs(n)`` is called as
    each block of ``n`` runs finishes."""
    sc = model.load_scenario(scenario)
    quarters = sc.steps if steps is None else steps
    size = block_size(replications, quarters, len(record_layout(sc.power_ids)))
    writer = TableWriter(out) if out is not None else None
    finals = []
    try:
        for first in range(0, replications, size):
            count = min(size, replications - first)
            seeds = [np.random.SeedSequence(seed, spawn_key=(r,)) for r in range(first, first + count)]
            world = model.Ensemble(sc, [strategy] * count, [overrides] * count, seeds, steps)
            history = History(world, world.max_steps + 1)
            history.add(world)
            while world.running:
                world.step()
                history.add(world)
            frame = history.runs_frame(first)
            last = frame.groupby("replication", sort=False).tail(1)
            finals.append(last[list(final_columns)].reset_index(drop=True))
            if writer is not None:
                writer.write(frame)
            del frame, history, world
            if on_runs is not None:
                on_runs(count)
        if writer is not None:
            writer.commit()
    finally:
        if writer is not None:
            writer.discard()
    return pd.concat(finals, ignore_index=True)
