"""Benchmark: what a cross-case study pays per run (issue 18, item 5), each figure in a fresh interpreter.

    .venv/bin/python -m multivector.experiments.benchmarks.bench_cross_case --out results/bench-cross-case
    .venv/bin/python -m multivector.experiments.benchmarks.bench_cross_case --quick          # smaller, no report
    ... --before results/bench-base/cross_case.json     # the same figures measured on older code, side by side
    ... --redraw DIR/cross_case.json --before OLD.json --out DIR   # no measuring: the table and figure again

``--out`` writes cross_case.json, cross_case.md (the table) and cross_case.png.

It reports, for runs of 132 quarters under the hedge rule:

1. the array engine's cost per run at R = 1,000 for 2, 3, 4 and 6 great powers (the stylised
   scenario, its symmetric powers A, B, C, ... built here, stretched to 132 quarters) and for
   the default scenario (the case the issue's figures were taken on), and at R = 125 ... 3,000 (best R);
2. inside the engine (default scenario, R = 1,000): the share of time drawing random numbers, the share
   in numpy reductions (``ufunc.reduce``, mostly over the 2-6 powers and 3 domains), and the
   Python-level calls per quarter that a profiler sees (functions and methods, numpy's included;
   array operators are not calls it can see);
3. a 1,000-run sweep of the default scenario as a whole command (``multivector sweep --workers 2``), without
   and with pattern summaries (``[collect] patterns = true``), per run and as a multiple of the
   engine's cost per run;
4. importing what a sweep worker runs, and Mesa on top (seconds of CPU and wall);
5. with ``--report``: ``multivector report --quick --workers 2`` per run.

Every figure is given as wall-clock and as CPU time of the measuring process (and, for commands,
of the command and its children). The machine may be shared: CPU time is the steadier figure
then, and the load is printed beside each case. Tests never assert on any of it.

``--before FILE`` puts a JSON written by this script on older code (run the script file itself
with that code first on ``PYTHONPATH``) beside the new figures in the table and the figure.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import numpy as np

POWERS = (2, 3, 4, 6)
QUARTERS = 132


def default_scenario() -> str:
    """The default scenario's name (imported when asked: the imports case measures a fresh import)."""
    from multivector.model.scenarios import DEFAULT_SCENARIO

    return DEFAULT_SCENARIO
SEED = 20261203


# ----- scenarios -----------------------------------------------------------------------------------

def stylised_with(powers: int):
    """The stylised scenario with ``powers`` symmetric great powers (A, B, C, ...) and 132 quarters."""
    from multivector import model
    from multivector.model.scenarios import scenario_from_dict

    path = Path(model.__file__).parent / "scenario_files" / "stylised.toml"
    raw = tomllib.loads(path.read_text())
    ids = [chr(ord("A") + i) for i in range(powers)]
    raw["scenario"].update(name=f"stylised-{powers}", powers=ids, steps=QUARTERS)
    raw["parameters"]["powers"] = {g: {} for g in ids}
    for institution in raw.get("institutions", []):
        institution["members"] = ids
    return scenario_from_dict(raw, f"stylised-{powers}")


def _scenario(name: str):
    from multivector import model

    return stylised_with(int(name.split("-")[1])) if name.startswith("stylised-") else model.load_scenario(name)


def _world(scenario, runs: int):
    from multivector import model

    return model.Ensemble(scenario, ["hedge"] * runs, [{}] * runs,
                          [np.random.SeedSequence(SEED, spawn_key=(r,)) for r in range(runs)], steps=QUARTERS)


# ----- cases, each in a fresh interpreter ------------------------------------------------------------

def case_engine(name: str, runs: int, repeats: int) -> dict:
    from multivector.model.record import record_values

    scenario = _scenario(name)
    _world(scenario, 2).step()  # warm caches, as any second run finds them
    wall, cpu = [], []
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        world = _world(scenario, runs)
        while world.running:
            world.step()
        record_values(world)
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return {"wall_ms_per_run": min(wall) / runs * 1e3, "cpu_ms_per_run": min(cpu) / runs * 1e3,
            "powers": len(scenario.power_ids), "runs": runs, "repeats": repeats}


def case_inside(runs: int) -> dict:
    """Shares of the engine's time (default scenario, hedge): random numbers timed alone; reductions and
    calls per quarter from a profile (which inflates Python-level costs: read shares, not ms)."""
    from multivector.model.draws import draw_quarter

    scenario = _scenario(default_scenario())
    world = _world(scenario, runs)
    c0 = time.process_time()
    while world.running:
        world.step()
    engine = time.process_time() - c0
    rngs = [np.random.default_rng(np.random.SeedSequence(SEED, spawn_key=(r,))) for r in range(runs)]
    c0 = time.process_time()
    for _ in range(QUARTERS):
        draw_quarter(rngs, len(scenario.power_ids))
    draws = time.process_time() - c0
    profile = cProfile.Profile()
    world = _world(scenario, runs)
    profile.enable()
    while world.running:
        world.step()
    profile.disable()
    stats = pstats.Stats(profile)
    total = stats.total_tt
    reduce_time = sum(v[2] for k, v in stats.stats.items() if k[2] == "<method 'reduce' of 'numpy.ufunc' objects>")
    calls = sum(v[1] for v in stats.stats.values())
    return {"cpu_ms_per_run": engine / runs * 1e3, "random_share": draws / engine,
            "reduce_share_profiled": reduce_time / total, "calls_per_quarter": calls / QUARTERS, "runs": runs}


def case_imports() -> dict:
    w0, c0 = time.perf_counter(), time.process_time()
    import multivector.experiments.sweep.runner  # noqa: F401
    worker = {"wall_s": time.perf_counter() - w0, "cpu_s": time.process_time() - c0,
              "mesa_loaded": "mesa" in sys.modules, "salib_loaded": "SALib" in sys.modules}
    w0, c0 = time.perf_counter(), time.process_time()
    import mesa  # noqa: F401

    import multivector.model.model  # noqa: F401
    return {"worker_import": worker, "mesa_extra": {"wall_s": time.perf_counter() - w0,
                                                    "cpu_s": time.process_time() - c0}}


def _command(arguments: list[str]) -> dict:
    """Wall and CPU seconds of a command and every process under it (its pool's workers included:
    they are sampled while they live, as a forkserver's children are not reaped by the command)."""
    import threading

    import psutil

    multivector = Path(sys.executable).with_name("multivector")
    seen: dict[int, float] = {}
    done = threading.Event()

    def sample(root: psutil.Process) -> None:
        while not done.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            for process in tree:
                try:
                    times = process.cpu_times()
                    seen[process.pid] = times.user + times.system
                except psutil.NoSuchProcess:
                    pass
            done.wait(0.1)

    w0 = time.perf_counter()
    process = psutil.Popen([str(multivector), *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watcher = threading.Thread(target=sample, args=(process,), daemon=True)
    watcher.start()
    _, error = process.communicate(timeout=7200)
    wall = time.perf_counter() - w0
    done.set()
    watcher.join()
    if process.returncode:
        raise RuntimeError(f"{arguments[0]} ended with status {process.returncode}: {error.decode()[-500:]}")
    return {"wall_s": wall, "cpu_s": sum(seen.values())}


def case_sweep(runs: int, patterns: bool) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="bench-cross-case-"))
    source = folder / "sweep.toml"
    source.write_text(f'[experiment]\nname = "bench"\nscenario = "{default_scenario()}"\nreplications = {runs}\nseed = {SEED}\n'
                      f'strategies = ["hedge"]\n' + ("[collect]\npatterns = true\n" if patterns else ""))
    timing = _command(["sweep", str(source), "--out", str(folder / "out"), "--workers", "2", "--quiet"])
    return {**timing, "runs": runs, "wall_ms_per_run": timing["wall_s"] / runs * 1e3,
            "cpu_ms_per_run": timing["cpu_s"] / runs * 1e3, "patterns": patterns}


def case_report() -> dict:
    import pyarrow.parquet as pq

    folder = Path(tempfile.mkdtemp(prefix="bench-report-"))
    timing = _command(["report", "--quick", "--workers", "2", "--out", str(folder)])
    runs = sum(pq.ParquetFile(part).metadata.num_rows for part in (folder / "sweeps").glob("*/runs.parquet/part-*.parquet"))
    return {**timing, "runs": runs, "wall_ms_per_run": timing["wall_s"] / max(runs, 1) * 1e3,
            "cpu_ms_per_run": timing["cpu_s"] / max(runs, 1) * 1e3}


CASES = {"engine": lambda a: case_engine(a[0], int(a[1]), int(a[2])), "inside": lambda a: case_inside(int(a[0])),
         "imports": lambda a: case_imports(), "sweep": lambda a: case_sweep(int(a[0]), a[1] == "patterns"),
         "report": lambda a: case_report()}


def measure(label: str, name: str, *arguments) -> dict:
    load = os.getloadavg()[0]
    command = [sys.executable, __file__, "--case", name, *map(str, arguments)]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=7200,
                            env={**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"})
    result = {"case": label, **json.loads(output.stdout.strip().splitlines()[-1]), "load1_before": round(load, 2)}
    print(json.dumps(_rounded(result)), flush=True)
    return result


def _rounded(value):
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, R = 1,000 only, 200-run sweeps")
    parser.add_argument("--report", action="store_true", help="also time `multivector report --quick` (minutes)")
    parser.add_argument("--out", metavar="DIR", help="write DIR/cross_case.json and DIR/cross_case.png")
    parser.add_argument("--before", metavar="FILE", help="a JSON from this script on older code, shown beside")
    parser.add_argument("--redraw", metavar="FILE", help="no measuring: redraw --out from a JSON this script wrote")
    parser.add_argument("--case", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.case:
        print(json.dumps(CASES[options.case[0]](options.case[1:])))
        return 0
    if options.redraw:
        saved = json.loads(Path(options.redraw).read_text())
        before = json.loads(Path(options.before).read_text()) if options.before else saved.get("before")
        _write(Path(options.out or "."), saved.get("after", saved), before)
        return 0

    import multivector

    repeats = 1 if options.quick else 3
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "numpy": np.__version__,
                                 "multivector": str(Path(multivector.__file__).resolve().parents[1])}}
    results["powers"] = [measure(f"engine, {g} powers, R = 1,000", "engine", f"stylised-{g}", 1000, repeats)
                         for g in POWERS]
    case = default_scenario()
    results["case"] = measure(f"engine, {case}, R = 1,000", "engine", case, 1000, repeats)
    sizes = (1000,) if options.quick else (125, 500, 1000, 2000, 3000)
    results["best_r"] = [measure(f"engine, {case}, R = {r:,}", "engine", case, r, 1 if r > 1000 else repeats)
                         for r in sizes]
    results["inside"] = measure("inside the engine", "inside", 1000)
    results["imports"] = measure("imports", "imports")
    runs = 200 if options.quick else 1000
    results["sweep"] = measure(f"sweep command, {runs:,} runs, 2 workers", "sweep", runs, "plain")
    results["sweep_patterns"] = measure(f"sweep command with patterns, {runs:,} runs, 2 workers", "sweep", runs,
                                        "patterns")
    if options.report:
        results["report_quick"] = measure("report --quick, 2 workers", "report")
    engine = results["case"]
    results["summary"] = {
        "engine_ms_per_run_R1000": {"wall": engine["wall_ms_per_run"], "cpu": engine["cpu_ms_per_run"]},
        "sweep_over_engine": {k: results["sweep"][f"{k}_ms_per_run"] / engine[f"{k}_ms_per_run"] for k in ("wall", "cpu")},
        "pattern_sweep_ms_per_run": {k: results["sweep_patterns"][f"{k}_ms_per_run"] for k in ("wall", "cpu")},
    }
    print(json.dumps(_rounded(results["summary"])))
    if options.out:
        before = json.loads(Path(options.before).read_text()) if options.before else None
        _write(Path(options.out), results, before)
    return 0


def table(results: dict, before: dict | None) -> str:
    """The figures as a Markdown table (CPU ms per run, wall in brackets), before and now."""
    def rows(data: dict) -> list[tuple[str, str]]:
        out = [(r["case"], f"{r['cpu_ms_per_run']:.2f} ({r['wall_ms_per_run']:.2f})") for r in data["powers"]]
        out.append((data["case"]["case"], f"{data['case']['cpu_ms_per_run']:.2f} ({data['case']['wall_ms_per_run']:.2f})"))
        best = min(data["best_r"], key=lambda r: r["cpu_ms_per_run"])
        out.append(("best R (CPU)", f"{best['runs']:,}"))
        inside = data["inside"]
        out += [("random numbers, share of engine time", f"{inside['random_share']:.0%}"),
                ("numpy reductions, share (profiled)", f"{inside['reduce_share_profiled']:.0%}"),
                ("calls per quarter (profiled)", f"{inside['calls_per_quarter']:,.0f}")]
        for key in ("sweep", "sweep_patterns", "report_quick"):
            if key in data:
                r = data[key]
                out.append((r["case"] + ", ms per run", f"{r['cpu_ms_per_run']:.2f} ({r['wall_ms_per_run']:.2f})"))
        engine = data["case"]
        out.append(("sweep command / engine, per run", f"{data['sweep']['cpu_ms_per_run'] / engine['cpu_ms_per_run']:.1f}x "
                    f"({data['sweep']['wall_ms_per_run'] / engine['wall_ms_per_run']:.1f}x)"))
        imports = data["imports"]
        out.append(("worker import, s (Mesa loaded?)", f"{imports['worker_import']['cpu_s']:.2f} "
                    f"({imports['worker_import']['wall_s']:.2f}; {'yes' if imports['worker_import']['mesa_loaded'] else 'no'})"))
        return out

    now = rows(results)
    old = dict(rows(before)) if before else {}
    lines = ["| figure: CPU ms per run (wall) | before | now |", "| --- | --- | --- |"]
    lines += [f"| {label} | {old.get(label, '')} | {value} |" for label, value in now]
    return "\n".join(lines) + "\n"


def _write(folder: Path, results: dict, before: dict | None) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cross_case.json").write_text(json.dumps({"after": results, "before": before} if before else results,
                                                       indent=2))
    (folder / "cross_case.md").write_text(table(results, before))
    print(table(results, before))
    figure, (left, right) = plt.subplots(1, 2, figsize=(13, 4.6), constrained_layout=True)
    width = 0.38
    xs = np.arange(len(POWERS))
    series = ([("before", before, "#bbbbbb")] if before else []) + [("now", results, "#4477aa")]
    for i, (label, data, color) in enumerate(series):
        values = [r["cpu_ms_per_run"] for r in data["powers"]]
        bars = left.bar(xs + (i - (len(series) - 1) / 2) * width, values, width, label=label, color=color)
        left.bar_label(bars, fmt="%.2f", fontsize=8)
    left.set_xticks(xs, [f"{g} powers" for g in POWERS])
    left.set_ylabel("CPU ms per run (R = 1,000, 132 quarters, hedge)")
    left.set_title("Array engine by number of great powers (stylised)")
    left.legend()
    for label, data, color in series:
        sizes = [r["runs"] for r in data["best_r"]]
        right.plot(sizes, [r["cpu_ms_per_run"] for r in data["best_r"]], "o-", color=color, label=label)
    right.set_xscale("log")
    sizes = sorted({r["runs"] for _, data, _ in series for r in data["best_r"]})
    right.set_xticks(sizes, [f"{size:,}" for size in sizes])
    right.minorticks_off()
    right.set_xlabel("replications stepped together (R)")
    right.set_ylabel(f"CPU ms per run ({results['case']['case'].split(', ')[1]}, hedge)")
    right.set_title("Cost per run by ensemble size: a sweep's chunk size")
    right.legend()
    figure.suptitle("Cost per run on a shared 2-core machine (CPU time of the measuring process; see the JSON for wall)")
    figure.savefig(folder / "cross_case.png", dpi=130)
    plt.close(figure)


if __name__ == "__main__":
    sys.exit(main())
