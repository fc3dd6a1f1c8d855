"""Benchmark: the array engine against the Mesa model, on runs of the default scenario, in one go.

    .venv/bin/python -m multivector.experiments.benchmarks.bench_engine             # everything (about 5 minutes)
    .venv/bin/python -m multivector.experiments.benchmarks.bench_engine --quick     # smaller cases (about 1 minute)
    .venv/bin/python -m multivector.experiments.benchmarks.bench_engine --out results/bench-engine   # + JSON and a figure

It reports, each case in a fresh interpreter (so its peak memory is its own):

1. ms per run of the default scenario (hedge, 132 quarters): the Mesa model with its
   DataCollector (the standard path) and without collection; the array engine with R = 1, 100,
   1,000 and 10,000 replications stepped together (final values kept, as a sweep keeps them);
   a bare Mesa model with four idle agents (the floor); and the peak resident memory of each;
2. sweeps of the default scenario (every strategy): ``mesa.batch_run`` against ``multivector
   sweep`` (array engine) at 1 and 2 workers on the same runs and seeds (a checksum of the final
   outcomes shows both computed the same numbers), and a 5,000-run sweep on 2 workers.

Times are wall-clock on a machine that may be shared: read them with the load figure printed
beside each case. Tests never assert on them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from multivector import model
from multivector.experiments.benchmarks.bench_model import BareModel, _time
from multivector.experiments.benchmarks.bench_sweep import PeakMemory, checksum

ROOT_SEED = 20261129
SCENARIO = model.DEFAULT_SCENARIO


class DefaultByPosition(model.MultivectorModel):
    """The model seeded as a sweep seeds replication r of its only point, for ``batch_run``."""

    def __init__(self, replication=0, rule="hedge", rng=None):
        super().__init__(scenario=SCENARIO, strategy=rule,
                         rng=np.random.SeedSequence(ROOT_SEED, spawn_key=(0, replication)))
        self.point, self.replication = 0, replication


# ----- cases, each run in a fresh interpreter ----------------------------------------------------

def _per_run(times: list[float], runs: int = 1) -> dict:
    return {"ms_per_run": min(times) / runs * 1e3, "median_ms_per_run": statistics.median(times) / runs * 1e3,
            "runs": runs if runs > 1 else len(times)}


def case_mesa(repeats: int, collect: bool) -> dict:
    model.MultivectorModel(steps=1)  # warm the scenario cache, as any second run finds it
    steps = model.load_scenario(SCENARIO).steps
    make = lambda seed: model.MultivectorModel(scenario=SCENARIO, strategy="hedge", rng=seed, collect=collect)  # noqa: E731
    return _per_run(_time(make, steps, repeats))


def case_bare(repeats: int) -> dict:
    return _per_run(_time(lambda seed: BareModel(rng=seed), model.load_scenario(SCENARIO).steps, repeats))


def case_engine(replications: int, repeats: int) -> dict:
    from multivector.model.record import record_values

    model.MultivectorModel(steps=1)
    seeds = lambda: [np.random.SeedSequence(0, spawn_key=(r,)) for r in range(replications)]  # noqa: E731
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        world = model.Ensemble(SCENARIO, ["hedge"] * replications, [{}] * replications, seeds())
        while world.running:
            world.step()
        record_values(world)  # the final values of every run
        times.append(time.perf_counter() - started)
    return _per_run(times, replications)


def case_sweep(tool: str, workers: int, replications: int) -> dict:
    from mesa.batchrunner import batch_run

    from multivector.experiments.sweep.store import open_sweep
    from multivector.experiments.sweep.sweeper import run_sweep

    model.MultivectorModel(steps=1)
    runs = replications * len(model.STRATEGIES)
    folder = Path(tempfile.mkdtemp(prefix="bench-engine-"))
    started = time.perf_counter()
    if tool == "batch_run":
        rows = batch_run(DefaultByPosition, parameters={"replication": list(range(replications)),
                                                           "rule": list(model.STRATEGIES)},
                         number_processes=workers, data_collection_period=-1, display_progress=False)
        seconds = time.perf_counter() - started
        for row in rows:
            row["strategy"] = row["rule"]
    else:
        experiment = folder / "bench.toml"
        experiment.write_text(f'[experiment]\nname = "bench"\nscenario = "{SCENARIO}"\nreplications = {replications}\n'
                              f'seed = {ROOT_SEED}\nstrategies = {json.dumps(list(model.STRATEGIES))}\n')
        run_sweep(experiment, out=folder / "out", workers=workers, progress=False, announce=lambda line: None)
        seconds = time.perf_counter() - started
        rows = open_sweep(folder / "out").runs.to_dict("records")
    assert len(rows) == runs, (tool, len(rows), runs)
    return {"seconds": seconds, "runs": runs, "runs_per_s": runs / seconds, "checksum": checksum_default(rows)}


def checksum_default(rows) -> str:
    for row in rows:
        row.setdefault("point", 0)
    return checksum(rows, model.numeric_outcome_columns(model.load_scenario(SCENARIO).power_ids))


def run_case(name: str, arguments: list) -> dict:
    with PeakMemory() as memory:
        if name == "mesa":
            result = case_mesa(int(arguments[0]), arguments[1] == "collect")
        elif name == "bare":
            result = case_bare(int(arguments[0]))
        elif name == "engine":
            result = case_engine(int(arguments[0]), int(arguments[1]))
        else:
            result = case_sweep(arguments[0], int(arguments[1]), int(arguments[2]))
    return {**result, "peak_rss_mib": round(memory.peak / 2**20)}


def measure(label: str, name: str, *arguments) -> dict:
    load = os.getloadavg()[0]
    command = [sys.executable, "-m", "multivector.experiments.benchmarks.bench_engine", "--case", name, *map(str, arguments)]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=3600)
    result = {"case": label, **json.loads(output.stdout.strip().splitlines()[-1]), "load1_before": round(load, 2)}
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()}), flush=True)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller cases (no R = 10,000, smaller sweeps)")
    parser.add_argument("--out", metavar="DIR", help="also write DIR/engine.json and DIR/engine.png")
    parser.add_argument("--case", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.case:
        print(json.dumps(run_case(options.case[0], options.case[1:])))
        return 0

    quick = options.quick
    print(json.dumps({"cpus": os.cpu_count(), "python": sys.version.split()[0], "numpy": np.__version__,
                      "scenario": SCENARIO, "quarters": model.load_scenario(SCENARIO).steps}))
    per_run = [
        measure("Mesa model, DataCollector", "mesa", 5 if quick else 9, "collect"),
        measure("Mesa model, final values only", "mesa", 5 if quick else 9, "final"),
        measure("array engine, R = 1", "engine", 1, 5 if quick else 9),
        measure("array engine, R = 100", "engine", 100, 3),
        measure("array engine, R = 1,000", "engine", 1000, 1 if quick else 3),
    ]
    if not quick:
        per_run.append(measure("array engine, R = 10,000", "engine", 10000, 1))
    per_run.append(measure("bare Mesa model (floor)", "bare", 9))
    reps = 20 if quick else 100  # x 5 strategies
    plural = {1: "1 process", 2: "2 processes"}
    sweeps = [measure(f"batch_run, {plural[w]}", "sweep", "batch_run", w, reps) for w in (1, 2)]
    sweeps += [measure(f"multivector sweep, {w} worker{'s' if w > 1 else ''}", "sweep", "sweep", w, reps)
               for w in (1, 2)]
    big = 200 if quick else 1000
    sweeps.append(measure(f"multivector sweep, 2 workers, {big * 5:,} runs", "sweep", "sweep", 2, big))

    mesa = per_run[0]["ms_per_run"]
    mesa_final = per_run[1]["ms_per_run"]
    thousand = next(r for r in per_run if r["case"] == "array engine, R = 1,000")["ms_per_run"]
    batch1 = sweeps[0]["runs_per_s"]
    summary = {
        "engine_R1000_speedup_vs_mesa_collecting": round(mesa / thousand, 1),
        "engine_R1000_speedup_vs_mesa_final_only": round(mesa_final / thousand, 1),
        "same_results_batch_run_and_sweep": len({s["checksum"] for s in sweeps[:4]}) == 1,
        "sweep_runs_per_s_vs_batch_run_1": {s["case"]: round(s["runs_per_s"] / batch1, 1) for s in sweeps},
        "big_sweep_seconds": round(sweeps[-1]["seconds"], 1),
    }
    print(json.dumps(summary))
    if options.out:
        _write(Path(options.out), per_run, sweeps, summary)
    return 0


def _write(folder: Path, per_run: list[dict], sweeps: list[dict], summary: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "engine.json").write_text(json.dumps({"per_run": per_run, "sweeps": sweeps, "summary": summary},
                                                   indent=2))
    figure, (left, right) = plt.subplots(1, 2, figsize=(14, 4.6), constrained_layout=True)
    labels = [r["case"] for r in per_run]
    left.barh(labels, [r["ms_per_run"] for r in per_run], color="#4477aa")
    left.set_xscale("log")
    left.set_xlabel("milliseconds per run of the default scenario (log scale; best of repeats)")
    left.invert_yaxis()
    for y, r in enumerate(per_run):
        left.text(r["ms_per_run"], y, f" {r['ms_per_run']:.2f} ms, {r['peak_rss_mib']} MiB", va="center", fontsize=8)
    right.barh([s["case"] for s in sweeps], [s["runs_per_s"] for s in sweeps], color="#228833")
    right.set_xlabel("runs of the default scenario per second (sweeps, all strategies)")
    right.invert_yaxis()
    for y, s in enumerate(sweeps):
        right.text(s["runs_per_s"], y, f" {s['runs_per_s']:.0f}/s ({s['runs']:,} runs, {s['seconds']:.1f} s)",
                   va="center", fontsize=8)
    right.set_xlim(0, max(s["runs_per_s"] for s in sweeps) * 1.9)
    left.set_xlim(min(r["ms_per_run"] for r in per_run) / 2, max(r["ms_per_run"] for r in per_run) * 20)
    figure.suptitle("Array engine vs Mesa model (132 quarters, hedge; same numbers bit for bit)")
    figure.savefig(folder / "engine.png", dpi=150)
    plt.close(figure)


if __name__ == "__main__":
    sys.exit(main())
