"""Many parameter sets at once: each set run on a few seeds, every run of a batch stepped together
as one ensemble on the array engine, and scored on the case pack's facts and fits from arrays.

The engine costs about 1-2 ms per run in ensembles of a thousand runs but far more one run at a
time, so the calibration hands it whole batches of proposals (:mod:`experiments.calibration.abc`).
Run r of particle i is seeded by ``SeedSequence(root, spawn_key=(stage, generation, i, r))``:
what a particle's runs give depends on where it sits in the calibration, never on how the batch
was cut into ensembles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from multivector import model
from multivector.experiments.calibration.summary import score
from multivector.experiments.cases import CasePack
from multivector.experiments.cases.facts import Runs
from multivector.model.history import History, run_to_end

# Runs per ensemble: a History of every column costs about 0.16 MB per run of 132 quarters.
CHUNK = 1000


@dataclass
class Simulator:
    """Runs parameter sets of one scenario under one rule, ``seeds`` runs each."""

    scenario: str
    strategy: str
    paths: tuple[str, ...]  # the free parameters, in the order of a set's values
    integer: tuple[bool, ...]  # which of them are integers
    fixed: dict[str, Any]
    seeds: int
    root: int  # root entropy of every run seed
    case: CasePack
    chunk: int = CHUNK
    runs_done: int = field(default=0, init=False)

    def overrides(self, values: np.ndarray) -> dict[str, Any]:
        return {**self.fixed, **{path: (int(round(v)) if whole else float(v))
                                 for path, v, whole in zip(self.paths, values, self.integer)}}

    def run(self, sets: np.ndarray, keys: list[tuple[int, ...]], yearly: tuple[str, ...] = ()) -> dict[str, np.ndarray]:
        """Score ``sets`` ((N, P) values) on ``seeds`` runs each; ``keys`` are the sets' places in
        the seed tree. Returns every summary column as (N, seeds), and for each record column in
        ``yearly`` its yearly means as ``yearly:<column>`` (N * seeds, years) with ``years``."""
        sets = np.atleast_2d(np.asarray(sets, dtype=float))
        tasks = [(i, r) for i in range(len(sets)) for r in range(self.seeds)]
        columns: dict[str, np.ndarray] = {}
        for start in range(0, len(tasks), self.chunk):
            part = tasks[start:start + self.chunk]
            world = model.Ensemble(self.scenario, [self.strategy] * len(part),
                                   [self.overrides(sets[i]) for i, _ in part],
                                   [np.random.SeedSequence(self.root, spawn_key=(*keys[i], r)) for i, r in part])
            history = History(world, world.max_steps + 1)
            run_to_end(world, history)
            runs = Runs.from_history(history)
            scored = score(runs, self.case)
            for column in yearly:
                years, means = runs.yearly_mean(column)
                scored[f"yearly:{column}"] = means
                columns["years"] = years
            for name, values in scored.items():
                if name.startswith("yearly:"):
                    if name not in columns:
                        columns[name] = np.empty((len(tasks), values.shape[1]))
                    columns[name][start:start + len(part)] = values
                    continue
                if name not in columns:
                    columns[name] = np.empty(len(tasks))
                columns[name][start:start + len(part)] = values
            self.runs_done += len(part)
        return {name: (values if name == "years" or name.startswith("yearly:") else values.reshape(len(sets), self.seeds))
                for name, values in columns.items()}
