"""The ``patterns`` and ``calibrate`` subcommands (registered by ``experiments.cli``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from multivector.experiments.errors import Terminated
from multivector.experiments.commands import _nonnegative, _positive
from multivector.experiments.errors import UsageError
from multivector.experiments.progress import add_quiet, heartbeat

PATTERNS_HELP = """\
Score a run (a CSV or Parquet file written by `multivector run --out`) on its scenario's case
pack (experiments/cases/<scenario>/: its stylised facts, each with its source), with the
figure behind each verdict and whether the event it is about occurred, and its fit to observed
trade and arms shares against naive baselines. Given a sweep folder whose experiment
collected patterns ([collect] patterns = true), print each pattern's pass rate by strategy."""

CALIBRATE_HELP = """\
Calibration as inference: ABC-SMC (pyabc) over the experiment file's factor ranges (uniform
priors), with a distance over the scenario's case-pack facts (those reproduced by at most 90% of
a prior sample) and its fit to observed trade shares against naive baselines. Writes the posterior
sample with weights, diagnostics per generation, posterior predictive checks per fact, the point
summary (calibrated.toml) and a Markdown report with figures to DIR. Deterministic given the
file's seed. An interrupted calibration is finished with --resume; --quick runs a reduced version."""


def register(subparsers) -> None:
    patterns = subparsers.add_parser("patterns", help="score a run or a sweep on the stylised facts P1-P10",
                                     description=PATTERNS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    patterns.add_argument("source", metavar="RUN_OR_DIR", nargs="?",
                          help="a run's CSV/Parquet file, or a sweep folder (or give --scenario instead)")
    patterns.add_argument("--scenario", metavar="NAME",
                          help="run NAME's scenario --replications times and score its case pack's facts")
    patterns.add_argument("--strategy", default=None,
                          help="with --scenario: the strategy to run (default: historical for a case, else hedge)")
    patterns.add_argument("--replications", type=_positive, default=20, help="with --scenario: runs (default 20)")
    patterns.add_argument("--seed", type=_nonnegative, default=0, help="with --scenario: root seed (default 0)")
    patterns.add_argument("--steps", type=_nonnegative, default=None, help="with --scenario: quarters (default: all)")
    patterns.set_defaults(handler=patterns_command)

    calibrate = subparsers.add_parser("calibrate", help="calibrate a scenario by ABC-SMC (a posterior; resumable)",
                                      description=CALIBRATE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    calibrate.add_argument("file", metavar="FILE_OR_CASE", nargs="?",
                           help="a calibration file (experiments/designs/calibrate-*.toml), a joint design, or the "
                                "name of a case with a pack (its design is generated from the pack)")
    calibrate.add_argument("--cases", metavar="NAME", nargs="*", default=None,
                           help="the joint calibration: one world for the cases named (default: every case with a pack)")
    calibrate.add_argument("--out", metavar="DIR", help="output FOLDER, created if missing (default: results/<experiment name>)")
    calibrate.add_argument("--quick", action="store_true", help="a reduced calibration (a few particles and seeds)")
    calibrate.add_argument("--resume", action="store_true", help="finish an interrupted calibration in --out")
    add_quiet(calibrate)
    calibrate.set_defaults(handler=calibrate_command)


def _read_run(path: Path):
    import pandas as pd

    try:
        return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    except (OSError, ValueError) as error:
        raise UsageError(f"{path}: cannot read a run table ({' '.join(str(error).split())[:160]})") from None


def patterns_command(args) -> int:
    from rich.console import Console
    from rich.table import Table

    from multivector.experiments.calibration import fit, summary
    from multivector.experiments.cases.facts import Runs

    if args.scenario is not None:
        if args.source is not None:
            raise UsageError("patterns: give a run file or sweep folder, or --scenario NAME, not both")
        from multivector.experiments.cases.commands import patterns_for_scenario  # noqa: PLC0415

        return patterns_for_scenario(args)
    if args.source is None:
        raise UsageError("patterns: give a run file or sweep folder, or --scenario NAME")
    source = Path(args.source)
    console = Console()
    if source.is_dir():
        return _sweep_patterns(source, console)
    if not source.is_file():
        raise UsageError(f"{source}: no such run file or sweep folder")
    frame = _read_run(source)
    from multivector.model.scenarios import DEFAULT_SCENARIO  # noqa: PLC0415

    scenario = str(frame["scenario"].iloc[0]) if "scenario" in frame and len(frame) else DEFAULT_SCENARIO
    case = summary.case_pack(scenario)
    powers = tuple(c[len("engagement_"):-len("_security")] for c in frame.columns
                   if c.startswith("engagement_") and c.endswith("_security"))
    try:
        columns = summary.score(Runs.from_frames([frame], powers), case)
    except (KeyError, ValueError, IndexError) as error:
        raise UsageError(f"{source}: not a run of the {scenario} scenario ({' '.join(str(error).split())[:120]})") from None
    table = Table(title=f"{source.name}: stylised facts of {scenario} ({case.notes or 'its case pack'})")
    for column in ("fact", "verdict", "figure", "what it measures", "event occurred"):
        table.add_column(column, overflow="fold")
    for fact in case.facts:
        passed = bool(columns[fact.id][0])
        table.add_row(f"{fact.id} {fact.name}", "[green]pass[/green]" if passed else "[red]fail[/red]",
                      f"{columns[f'{fact.id}_figure'][0]:.3g}", fact.figure_label,
                      "yes" if columns[f"{fact.id}_occurred"][0] else "[red]no[/red]")
    console.print(table)
    console.print(f"{int(columns['patterns_passed'][0])} of {len(case.facts)} patterns reproduced")
    series = summary.observed_series(case)
    if series:
        fit_table = Table(title="Fit to observed shares (RMSE; correlations of changes and of detrended series)")
        for column in ("series", "power", "model", "constant", "trend", "change corr.", "detrended corr."):
            fit_table.add_column(column, justify="right")
        for observed in series:
            for power in observed.data.columns:
                s = {name: float(columns[f"{observed.kind}_{name}_{power}"][0]) for name in fit.STATISTICS}
                fit_table.add_row(observed.kind, power, f"{s['rmse']:.3f}", f"{s['rmse_constant']:.3f}",
                                  f"{s['rmse_trend']:.3f}", f"{s['change_correlation']:+.2f}",
                                  f"{s['detrended_correlation']:+.2f}")
        console.print(fit_table)
    return 0


def _sweep_patterns(folder: Path, console) -> int:
    from rich.table import Table

    from multivector.experiments.calibration import summary
    from multivector.experiments.sweep import integrity
    from multivector.experiments.sweep.store import open_sweep

    results = open_sweep(folder)
    integrity.verified(results, warn=lambda line: print(line, file=sys.stderr))  # damage refused, gaps flagged
    runs = results.runs
    if "patterns_passed" not in runs.columns:
        raise UsageError(f"{folder}: this sweep did not score patterns; add [collect] patterns = true to its file")
    case = summary.case_pack(results.experiment.scenario)  # the pack of the sweep's own scenario
    facts = case.facts
    ok = runs[runs["status"] == "ok"]
    table = Table(title=f"{folder}: share of runs reproducing each fact ({len(ok)} runs)")
    table.add_column("fact")
    strategies = sorted(ok["strategy"].unique())
    for strategy in strategies:
        table.add_column(strategy, justify="right")
    for fact in facts:
        table.add_row(f"{fact.id} {fact.name}",
                      *[f"{ok.loc[ok['strategy'] == s, fact.id].mean():.0%}" for s in strategies])
    table.add_row("mean patterns reproduced", *[f"{ok.loc[ok['strategy'] == s, 'patterns_passed'].mean():.2f}"
                                                for s in strategies])
    bar = int(case.extras.get("min_patterns", len(facts) - 2))  # the pack's bar, else all but two (8 of 10)
    table.add_row(f">= {bar} patterns", *[f"{(ok.loc[ok['strategy'] == s, 'patterns_passed'] >= bar).mean():.0%}"
                                          for s in strategies])
    console.print(table)
    return 0


def calibrate_command(args) -> int:
    from multivector.experiments.calibration.calibrate import calibrate
    from multivector.experiments.calibration.joint import calibrate_joint, is_joint_design

    # off a terminal, a line at a steady interval from the first stage on: bad input fails before it, in one line
    beat = heartbeat("calibrating", enabled=not args.quiet)

    def announce(line: str) -> None:
        if not args.quiet:
            beat.start()
            print(line, flush=True)

    joint = args.cases is not None or (args.file is not None and is_joint_design(args.file))
    if args.file is None and not joint:
        raise UsageError("calibrate: give a calibration file, a case's name, or --cases for the joint calibration")
    try:
        try:
            if joint:
                outcome = calibrate_joint(args.file, cases=args.cases, out=args.out, quick=args.quick,
                                          resume=args.resume, announce=announce)
            else:
                outcome = calibrate(args.file, out=args.out, quick=args.quick, resume=args.resume, announce=announce)
        finally:
            beat.stop()
        if joint:
            table = outcome.predictive
            print(f"{len(outcome.generations)} generations, final epsilon {outcome.generations['epsilon'].iloc[-1]:.4f}; "
                  f"{len(table['case'].unique())} cases; posterior predictive runs reproduce {table['posterior_share'].mean():.0%} "
                  f"of facts on average (prior {table['prior_share'].mean():.0%}); {outcome.seconds / 60:.1f} min -> "
                  f"{outcome.folder / 'report.md'}")
            return 0
    except KeyboardInterrupt as stop:
        terminated = isinstance(stop, Terminated)
        print(f"multivector: {'terminated' if terminated else 'interrupted'}; finished generations are saved, "
              "continue with --resume", file=sys.stderr)
        return 143 if terminated else 130
    reaching = outcome.predictive.attrs["reaching"]
    print(f"{len(outcome.generations)} generations, final epsilon {outcome.generations['epsilon'].iloc[-1]:.4f}; "
          f"posterior predictive runs reach >= {reaching['min_patterns']} of {len(outcome.counting)} counting facts "
          f"in {reaching['posterior']:.0%} (point summary {reaching['point']:.0%}); "
          f"{outcome.seconds / 60:.1f} min -> {outcome.folder / 'report.md'}")
    return 0
