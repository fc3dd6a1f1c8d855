"""Benchmark: our sweep runner against Mesa 3.5's ``batch_run``, on the same runs and seeds.

    .venv/bin/python -m multivector.experiments.benchmarks.bench_sweep            # full: 500 and 5,000 runs
    .venv/bin/python -m multivector.experiments.benchmarks.bench_sweep --quick    # 100 and 400 runs

Every case runs in a fresh interpreter (so peak memory is its own) and reports wall time,
runs per second, and the peak resident memory of its whole process tree (the interpreter,
and any pool or worker processes), sampled every 20 ms with psutil. RSS counts pages shared
between forked processes more than once, so multi-process figures are upper bounds.

The runs are identical in both tools: the stylised scenario, every strategy, a grid over
``rivalry.scale``, and each run seeded with ``SeedSequence(root, spawn_key=(point,
replication))``; a checksum of the final outcomes shows both computed the same numbers.
``batch_run`` keeps every result in memory and returns it at the end; the sweep writes Parquet
part files as runs finish.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import psutil

from multivector import model

ROOT_SEED = 20260101
STRATEGIES = (*model.ADAPTIVE_MENU, "adaptive")  # the four original rules and adaptive: a fixed workload
POINTS = 10
RIVALRY = [round(0.25 + 0.2 * i, 2) for i in range(POINTS)]


class SeededByPosition(model.MultivectorModel):
    """The model, seeded as the sweep seeds it, so batch_run computes exactly the same runs."""

    # ``rule``, not ``strategy``: batch_run merges the model's reporters over the arguments, and
    # the contract's ``strategy`` column is the rule in force (which ``adaptive`` changes)
    def __init__(self, point_rivalry=(0, 1.0), replication=0, rule="hedge", steps=12, rng=None):
        point, rivalry = point_rivalry
        super().__init__(scenario="stylised", strategy=rule, overrides={"rivalry.scale": rivalry}, steps=steps,
                         rng=np.random.SeedSequence(ROOT_SEED, spawn_key=(point, replication)))
        self.point, self.replication = point, replication


def experiment_text(replications: int, steps: int) -> str:
    return f"""
[experiment]
name = "bench"
scenario = "stylised"
steps = {steps}
replications = {replications}
seed = {ROOT_SEED}
strategies = {json.dumps(list(STRATEGIES))}
[design]
kind = "grid"
[factors]
"rivalry.scale" = {json.dumps(RIVALRY)}
"""


def checksum(rows, measures=None) -> str:
    """Hash of (point, replication, strategy, final outcomes), in a canonical order."""
    measures = measures or model.numeric_outcome_columns(("A", "B", "C"))
    digest = hashlib.sha256()
    for row in sorted(rows, key=lambda r: (r["point"], r["replication"], r["strategy"])):
        digest.update(repr((int(row["point"]), int(row["replication"]), str(row["strategy"]),
                            [float(row[m]) for m in measures])).encode())
    return digest.hexdigest()[:12]


class PeakMemory:
    """Peak RSS of this process and all its descendants, sampled in a thread."""

    def __init__(self, interval: float = 0.02):
        self.interval, self.peak, self._stop = interval, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run_case(tool: str, workers: int, replications: int, steps: int) -> dict:
    # both tools' modules are imported before the clock starts
    from mesa.batchrunner import batch_run

    from multivector.experiments.sweep.store import open_sweep
    from multivector.experiments.sweep.sweeper import run_sweep

    runs = POINTS * replications * len(STRATEGIES)
    with PeakMemory() as memory:
        started = time.perf_counter()
        if tool == "batch_run":
            rows = batch_run(SeededByPosition, parameters={
                "point_rivalry": list(enumerate(RIVALRY)), "replication": list(range(replications)),
                "rule": list(STRATEGIES), "steps": steps,
            }, number_processes=workers, data_collection_period=-1, max_steps=steps, display_progress=False)
            for row in rows:
                row["point"], row["strategy"] = row["point_rivalry"][0], row["rule"]
        else:
            folder = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
            experiment = folder / "bench.toml"
            experiment.write_text(experiment_text(replications, steps))
            run_sweep(experiment, out=folder / "out", workers=workers, progress=False, announce=lambda line: None)
            seconds = time.perf_counter() - started
            rows = None
        if rows is not None:
            seconds = time.perf_counter() - started
    if rows is None:
        rows = open_sweep(folder / "out").runs.to_dict("records")
    assert len(rows) == runs, (tool, len(rows), runs)
    return {"tool": tool, "workers": workers, "runs": runs, "steps": steps, "seconds": round(seconds, 2),
            "runs_per_s": round(runs / seconds, 1), "peak_rss_mib": round(memory.peak / 2**20),
            "checksum": checksum(rows)}


def wait_for_quiet(gate: float, limit: float = 180.0) -> float:
    """Wait (up to ``limit`` s) until machine CPU use is below ``gate`` percent: the machine is shared."""
    started = time.perf_counter()
    while psutil.cpu_percent(interval=1.0) > gate and time.perf_counter() - started < limit:
        pass
    return time.perf_counter() - started


def measure(tool: str, workers: int, replications: int, steps: int, gate: float | None = None) -> dict:
    """One case in a fresh interpreter."""
    waited = wait_for_quiet(gate) if gate else 0.0
    load = os.getloadavg()[0]
    command = [sys.executable, "-m", "multivector.experiments.benchmarks.bench_sweep", "--case", tool,
               "--workers", str(workers), "--replications", str(replications), "--steps", str(steps)]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=3600)
    return {**json.loads(output.stdout.strip().splitlines()[-1]), "load1_before": round(load, 2),
            "waited_s": round(waited)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="100 and 400 runs instead of 500 and 5,000")
    parser.add_argument("--steps", type=int, default=40, help="quarters per run (default 40)")
    parser.add_argument("--rounds", type=int, default=1, help="repeat each speed case (median reported)")
    parser.add_argument("--only-small", action="store_true", help="skip the large memory case")
    parser.add_argument("--idle-gate", type=float, metavar="PERCENT",
                        help="before each case, wait until machine CPU use is below PERCENT")
    parser.add_argument("--case", choices=("batch_run", "sweep"), help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--replications", type=int, default=10, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.case:
        print(json.dumps(run_case(options.case, options.workers, options.replications, options.steps)))
        return 0

    small, big = (2, 8) if options.quick else (10, 100)  # replications: x 10 points x 5 strategies
    print(json.dumps({"cpus": os.cpu_count(), "python": sys.version.split()[0], "steps": options.steps}))
    cases = [("batch_run", 1, small), ("sweep", 1, small), ("batch_run", 2, small), ("sweep", 2, small),
             ("sweep", 2, big)]
    if options.only_small:
        cases = cases[:4]
    measured: dict[tuple, list[dict]] = {case: [] for case in cases}
    for _ in range(options.rounds):  # rounds interleave the cases, so load drifts hit all alike
        for case in cases:
            result = measure(*case, options.steps, options.idle_gate)
            measured[case].append(result)
            print(json.dumps(result), flush=True)
    # the median round of each case (by wall time)
    rows = [sorted(results, key=lambda r: r["seconds"])[len(results) // 2] for results in measured.values()]
    by = {(r["tool"], r["workers"], r["runs"]): r for r in rows}
    n_small, n_big = POINTS * small * len(STRATEGIES), POINTS * big * len(STRATEGIES)
    base = by[("batch_run", 1, n_small)]
    summary = {
        "same_results": len({r["checksum"] for r in rows if r["runs"] == n_small}) == 1,
        "sweep_1_vs_batch_run_1": round(by[("sweep", 1, n_small)]["runs_per_s"] / base["runs_per_s"], 2),
        "sweep_2_vs_batch_run_1": round(by[("sweep", 2, n_small)]["runs_per_s"] / base["runs_per_s"], 2),
        "sweep_2_vs_sweep_1": round(by[("sweep", 2, n_small)]["runs_per_s"] / by[("sweep", 1, n_small)]["runs_per_s"], 2),
    }
    if ("sweep", 2, n_big) in by:
        summary["peak_memory_big_over_small"] = round(by[("sweep", 2, n_big)]["peak_rss_mib"]
                                                      / by[("sweep", 2, n_small)]["peak_rss_mib"], 2)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
