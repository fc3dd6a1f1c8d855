"""The ``sweep``, ``analyze`` and ``plot`` subcommands (registered by ``experiments.cli``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from multivector.experiments.errors import Terminated, UsageError, sigterm_interrupts
from multivector.experiments.tables import check_writable, write_table_atomically
from multivector.model.outcomes import outcome_columns
from multivector.experiments import terminal
from multivector.experiments.progress import add_quiet

SWEEP_HELP = """\
Run every run of an experiment file and store the results in a folder:
manifest.json (experiment verbatim, root seed, versions, git commit), runs.parquet (one row
per run: seed, factors, status, final outcomes) and, when the file asks, steps.parquet.
Runs are written as they finish; an interrupted sweep is finished with --resume.
Only one sweep writes a folder at a time (a second is refused). Exit status: 0 all runs ok,
1 some runs failed (rows with their error; also after --resume while failed runs remain),
2 bad input, 3 a file-system error (disk full, read-only folder, ...), 4 a damaged sweep folder,
130 interrupted (Ctrl-C, or the Dask scheduler was lost), 143 terminated (SIGTERM); after
130/143 the folder is marked interrupted and --resume continues it."""

ANALYZE_HELP = """\
Summarise a finished sweep: outcomes by strategy and by factor with 95% confidence intervals,
Sobol S1/ST (sobol designs) or Morris mu*/sigma (morris designs) with intervals."""

PLOT_HELP = "Write publication figures (PNG and SVG) for a finished sweep."

# the record's outcome columns (model.outcomes): what analyze summarises unless told otherwise
HEADLINE_MEASURES = outcome_columns()


def register(subparsers) -> None:
    """Add ``sweep``, ``analyze`` and ``plot`` to the CLI's subparsers."""
    sweep = subparsers.add_parser("sweep", help="run a parameter sweep from an experiment file",
                                  description=SWEEP_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    sweep.add_argument("file", metavar="FILE", help="experiment file (TOML), e.g. experiments/designs/smoke.toml")
    sweep.add_argument("--out", metavar="DIR", help="output FOLDER, created if missing (default: results/<experiment name>)")
    sweep.add_argument("--workers", type=int, metavar="N",
                       help="local worker processes (default: all cores; 1 runs in this process)")
    sweep.add_argument("--scheduler", metavar="ADDRESS",
                       help="run on a Dask distributed cluster, e.g. tcp://127.0.0.1:8786")
    sweep.add_argument("--scheduler-file", metavar="FILE",
                       help="run on the Dask cluster whose scheduler wrote FILE (dask scheduler --scheduler-file "
                            "FILE, dask-mpi; see experiments/cluster/)")
    sweep.add_argument("--resume", action="store_true", help="finish an interrupted sweep in --out")
    sweep.add_argument("--retry-failed", action="store_true", help="with --resume: run failed runs again")
    add_quiet(sweep)
    sweep.add_argument("--engine", choices=("array", "mesa"), default="array",
                       help="array: each chunk of runs stepped together on the array engine (default); "
                            "mesa: one Mesa model per run. Same results either way")
    sweep.set_defaults(handler=sweep_command)

    analyze = subparsers.add_parser("analyze", help="summary tables and sensitivity indices of a sweep",
                                    description=ANALYZE_HELP)
    analyze.add_argument("folder", metavar="DIR", help="a sweep folder")
    analyze.add_argument("--method", choices=("auto", "summary", "factors", "sobol", "morris"), default="auto",
                         help="what to compute (default: summary, factors and the design's own indices)")
    analyze.add_argument("--measure", action="append", metavar="NAME",
                         help="outcome to analyse (repeatable; default: " + ", ".join(HEADLINE_MEASURES) + ")")
    analyze.add_argument("--csv", metavar="DIR", help="also write each table as CSV into DIR")
    analyze.set_defaults(handler=analyze_command)

    plot = subparsers.add_parser("plot", help="figures (PNG and SVG) of a sweep", description=PLOT_HELP)
    plot.add_argument("folder", metavar="DIR", help="a sweep folder")
    plot.add_argument("--out", metavar="DIR", help="output FOLDER for the figures, created if missing (default: DIR/figures)")
    plot.add_argument("--measure", action="append", metavar="NAME",
                      help="outcome to plot (repeatable; default: autonomy, welfare, hedging_index)")
    plot.set_defaults(handler=plot_command)


def sweep_command(args) -> int:
    from .execution import BackendLost
    from .sweeper import run_sweep

    try:
        with sigterm_interrupts():
            outcome = run_sweep(args.file, out=args.out, workers=args.workers, scheduler=args.scheduler,
                                resume=args.resume, retry_failed=args.retry_failed, progress=not args.quiet,
                                engine=args.engine, scheduler_file=args.scheduler_file)
    except Terminated:
        print("multivector: terminated; finished runs are saved, continue with --resume", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("multivector: interrupted; finished runs are saved, continue with --resume", file=sys.stderr)
        return 130
    except BackendLost as lost:
        print(f"multivector: {lost}; finished runs are saved, continue with --resume", file=sys.stderr)
        return 130
    print(f"{outcome.ok} ok, {outcome.failed} failed of {outcome.ran} runs in {outcome.seconds:.1f} s"
          f" ({outcome.total} in the sweep) -> {outcome.path}")
    if outcome.failed_in_folder:
        print(f"multivector: {outcome.failed_in_folder} runs failed (see the error column of runs.parquet); "
              "run them again with --resume --retry-failed", file=sys.stderr)
        return 1
    return 0


def analyze_command(args) -> int:
    import pandas as pd

    from . import analysis

    results = _open_checked(args.folder)
    measures = _measures(results, args.measure, HEADLINE_MEASURES)
    if args.csv:
        check_writable(Path(args.csv), "--csv")
    tables = analysis.analyze(results, method=args.method, measures=measures)
    width = terminal.width()  # the terminal's width; 80 in a pipe
    print(terminal.fill("Each run contributes its final quarter's value (columns ending in _mean: its run mean); "
                        "intervals: 95% percentile bootstrap over runs."))
    with pd.option_context("display.width", width, "display.max_columns", 20, "display.max_rows", 400,
                           "display.max_colwidth", 60, "display.float_format", "{:.4g}".format):
        for title, table in tables.items():
            print(f"\n== {title} ==")
            print(terminal.frame_text(table))
    if args.csv:
        folder = Path(args.csv)
        folder.mkdir(parents=True, exist_ok=True)
        for title, table in tables.items():
            # each CSV whole or not at all (a full disk leaves no half table)
            write_table_atomically(table, folder / f"{title.replace(' ', '_')}.csv")
        print(f"\nwrote {len(tables)} tables to {folder}")
    return 0


def plot_command(args) -> int:
    from . import plots

    results = _open_checked(args.folder)
    measures = _measures(results, args.measure, plots.DEFAULT_MEASURES)
    out = Path(args.out) if args.out else Path(args.folder) / "figures"
    written = plots.write_figures(results, out, measures=measures)
    for path in written:
        print(path)
    return 0


def _open_checked(folder: str):
    """The sweep in ``folder`` after it checked itself; damage refuses, a partial sweep warns."""
    from . import integrity
    from .store import open_sweep

    results = open_sweep(folder)
    integrity.verified(results, warn=lambda line: print(line, file=sys.stderr))
    return results


def _measures(results, asked: list[str] | None, default) -> list[str]:
    available = list(results.experiment.measures)
    if asked:
        for name in asked:
            if name not in available:
                raise UsageError(f"--measure: {name!r} is not an outcome of this sweep")
        return list(asked)
    chosen = [m for m in default if m in available]
    return chosen or available[:3]
