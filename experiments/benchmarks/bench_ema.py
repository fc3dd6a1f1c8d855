"""Benchmark: seconds for EMA Workbench experiments over every parameter, each with several seeds,
on the array engine (``EnsembleEvaluator``) and, for a few, one run at a time (EMA's
``SequentialEvaluator``), for the per-run cost of each route.

Run: python -m multivector.experiments.benchmarks.bench_ema [--experiments 100] [--replications 4]
"""

from __future__ import annotations

import argparse
import json
import time
import warnings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiments", type=int, default=100)
    parser.add_argument("--replications", type=int, default=4)
    parser.add_argument("--sequential", type=int, default=5, help="experiments run one at a time for comparison")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # EMA warns about optional parallel back-ends
    from ema_workbench import SequentialEvaluator  # noqa: PLC0415 - an optional dependency

    from multivector.experiments.ema import EnsembleEvaluator, ema_model  # noqa: PLC0415

    started = time.perf_counter()
    ema = ema_model(replications=args.replications)
    built = time.perf_counter() - started
    started = time.perf_counter()
    with EnsembleEvaluator(ema) as evaluator:
        evaluator.perform_experiments(scenarios=args.experiments, log_progress=False)
    batched = time.perf_counter() - started
    started = time.perf_counter()
    with SequentialEvaluator(ema) as evaluator:
        evaluator.perform_experiments(scenarios=args.sequential, log_progress=False)
    sequential = time.perf_counter() - started
    runs = args.experiments * args.replications
    print(json.dumps({"parameters": len(ema.uncertainties), "experiments": args.experiments,
                      "replications": args.replications, "build_s": round(built, 2), "batched_s": round(batched, 2),
                      "batched_ms_per_run": round(1000 * batched / runs, 2),
                      "sequential_ms_per_run": round(1000 * sequential / (args.sequential * args.replications), 2)}))


if __name__ == "__main__":
    main()
