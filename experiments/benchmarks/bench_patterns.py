"""Benchmark: scoring an ensemble on its case pack's facts and fits, against the bare engine run.

    .venv/bin/python -m multivector.experiments.benchmarks.bench_patterns              # R = 1000 (about a minute)
    .venv/bin/python -m multivector.experiments.benchmarks.bench_patterns --runs 200   # smaller

It reports ms per run of the default scenario (hedge, 132 quarters) for:

1. the bare array engine (final values only, as a sweep without summaries keeps them);
2. the engine keeping every quarter in a ``History`` and scoring every run on the pack's facts
   P1-P10 and the trade and arms fits at once, from (R, T) arrays (what sweeps with
   ``[collect] patterns = true`` and the calibration do);
3. the scoring alone, and its ratio to the bare run (the target: a scored run within 2x of a bare one).

Times are wall-clock on a machine that may be shared: read them with the load figure printed.
Tests never assert on them.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from multivector import model
from multivector.experiments.calibration.summary import case_pack, score
from multivector.experiments.cases.facts import Runs
from multivector.model.history import History, run_to_end

SCENARIO = model.DEFAULT_SCENARIO


def _world(runs: int) -> model.Ensemble:
    return model.Ensemble(SCENARIO, ["hedge"] * runs, [{}] * runs,
                          [np.random.SeedSequence(20261203, spawn_key=(r,)) for r in range(runs)])


def bare(runs: int) -> float:
    world = _world(runs)
    started = time.perf_counter()
    run_to_end(world)
    return time.perf_counter() - started


def scored(runs: int) -> tuple[float, float]:
    world = _world(runs)
    started = time.perf_counter()
    history = History(world, world.max_steps + 1)
    run_to_end(world, history)
    middle = time.perf_counter()
    score(Runs.from_history(history), case_pack(SCENARIO))
    return time.perf_counter() - started, time.perf_counter() - middle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    R = args.runs
    bare(min(R, 50)), scored(min(R, 50))  # warm caches
    bare_s = min(bare(R) for _ in range(args.repeats))
    pairs = [scored(R) for _ in range(args.repeats)]
    scored_s, scoring_s = min(p[0] for p in pairs), min(p[1] for p in pairs)
    print(f"load average {os.getloadavg()[0]:.2f}; R = {R}")
    print(f"bare engine run:             {bare_s / R * 1e3:7.3f} ms per run")
    print(f"run with history + scoring:  {scored_s / R * 1e3:7.3f} ms per run ({scored_s / bare_s:.2f}x bare)")
    print(f"scoring alone (facts + fit): {scoring_s / R * 1e3:7.3f} ms per run")


if __name__ == "__main__":
    main()
