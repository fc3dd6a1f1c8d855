"""Many runs of one scenario on the array engine, their per-quarter records written as they come.

The ensemble's record is kept in a preallocated block of (quarters, runs, columns) numbers
(:class:`model.history.History`); whenever the block is full it is appended to the output file
(Parquet row groups, or CSV) and reused, so memory stays bounded however many runs and quarters
there are. The file is written under a temporary name and renamed when complete
(:class:`experiments.tables.TableWriter`): an error or an interruption leaves no half-written output.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

import model
from experiments.compare import replication_seeds
from experiments.tables import TableWriter
from model.history import History
from model.record import record_layout

BLOCK_BYTES = 64 * 2**20  # the record block's size in memory (at least one quarter)


def run_replications(scenario: str, strategy: str, seed: int, replications: int, steps: int | None,
                     overrides: dict[str, Any], out: Path | None,
                     on_quarter: Callable[[], None] | None = None) -> pd.DataFrame:
    """Run ``replications`` runs at once; write every quarter of every run to ``out`` (one row per
    quarter and run, ordered by step then replication, a ``replication`` column first) and return
    the final quarter of every run."""
    world = model.Ensemble(scenario, [strategy] * replications, [overrides] * replications,
                           replication_seeds(seed, replications), steps)
    width = len(record_layout(world.power_ids))
    block = max(1, min(world.max_steps + 1, BLOCK_BYTES // (8 * width * replications)))
    history = History(world, block)
    writer = TableWriter(out) if out is not None else None
    try:
        history.add(world)
        while world.running:
            if history.full:
                _flush(history, writer)
            world.step()
            history.add(world)
            if on_quarter is not None:
                on_quarter()
        finals = _last_quarter(history)
        _flush(history, writer)
        if writer is not None:
            writer.commit()
    finally:
        if writer is not None:
            writer.discard()
    return finals


def _last_quarter(history: History) -> pd.DataFrame:
    frame = history.long_frame()
    return frame.iloc[-len(history.strategies):].reset_index(drop=True)


def _flush(history: History, writer: TableWriter | None) -> None:
    if writer is not None and history.count:
        writer.write(history.long_frame())
    history.clear()
