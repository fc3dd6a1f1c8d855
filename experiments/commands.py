"""The ``run``, ``compare``, ``params`` and ``scenarios`` subcommands."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path
from typing import Any

import numpy as np

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from multivector import model
from multivector.experiments.errors import UsageError, shorten
from multivector.experiments.progress import add_quiet, progress
from multivector.experiments.sweep import limits
from multivector.experiments.tables import check_space, check_writable, write_table_atomically
from multivector.model.outcomes import contract_power_columns, judged_outcomes, outcome_columns, running_mean_columns

OUTPUT_SUFFIXES = (".csv", ".parquet")


def _nonnegative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise UsageError(f"expected a number >= 0, got {value}")
    return value


def _positive(text: str) -> int:
    value = _nonnegative(text)
    if value == 0:
        raise UsageError("expected a number >= 1, got 0")
    return value


def _at_most(parse, limit: int, why: str):
    """An argparse type: ``parse``, then refuse values above ``limit`` (``why`` says what sets it)."""
    def check(text: str) -> int:
        value = parse(text)
        if value > limit:
            raise UsageError(f"expected at most {limit:,} ({why}), got {value:,}")
        return value
    return check


_steps = _at_most(_nonnegative, limits.MAX_STEPS, "quarters per run")


def register(sub) -> None:
    run = sub.add_parser("run", help="run one simulation (or many) and write every per-quarter column",
                         description="Run one simulation, print a summary of the final outcomes and, with --out, "
                                     "write one row per quarter (the initial state is row 0) with every column of "
                                     "the data contract. With --replications N, run N at once on the array engine "
                                     "(replication r has seed SeedSequence(SEED, spawn_key=(r,)), as in compare) and "
                                     "write one row per run and quarter, ordered by replication then step; runs are stepped and "
                                     "written in blocks, so memory does not grow with N.")
    run.add_argument("--scenario", default=model.DEFAULT_SCENARIO, help="scenario name (see `multivector scenarios`)")
    run.add_argument("--strategy", default=None,
                     help=f"one of: {', '.join(model.STRATEGIES)}, or {model.HISTORICAL} (the case's own strategy, "
                          f"switching at its dates; see `multivector cases`). Default: {model.HISTORICAL} for a real "
                          f"case, else hedge")
    run.add_argument("--seed", type=_nonnegative, default=0, help="random seed (default 0)")
    run.add_argument("--steps", type=_steps, default=None, help="quarters to run (default: the scenario's)")
    run.add_argument("--set", action="append", default=[], metavar="PATH=VALUE", dest="overrides",
                     help="override a parameter, e.g. --set powers.<id>.reach=0.8 (repeatable; see `multivector params`)")
    run.add_argument("--replications", type=_at_most(_positive, limits.MAX_RUN_REPLICATIONS, "runs streamed by run"),
                     default=1,
                     help="runs with this strategy and settings (default 1); more than one run together")
    run.add_argument("--out", metavar="FILE",
                     help="a FILE (not a folder): write the per-quarter table to FILE.csv or FILE.parquet")
    add_quiet(run)
    run.set_defaults(handler=run_command)

    compare = sub.add_parser("compare", help="every strategy on the same seeds: table with 95%% CIs and a figure",
                             description="Run every strategy on the same scenario and seeds, at its defaults and "
                                         "at its best form (`multivector tune`); print mean outcomes and write the "
                                         "table with 95%% confidence intervals and figures.")
    compare.add_argument("--scenario", default=model.DEFAULT_SCENARIO, help="scenario name")
    compare.add_argument("--replications", type=_at_most(_positive, limits.MAX_REPLICATIONS, "runs per strategy"),
                         default=20, help="runs per strategy (default 20)")
    compare.add_argument("--seed", type=_nonnegative, default=0, help="root seed (default 0)")
    compare.add_argument("--steps", type=_steps, default=None, help="quarters to run (default: the scenario's)")
    compare.add_argument("--out", metavar="DIR", default=None,
                         help="output FOLDER, created if missing (default results/compare-SCENARIO)")
    add_quiet(compare)
    compare.add_argument("--set", action="append", default=[], metavar="PATH=VALUE", dest="overrides",
                         help="override a parameter for every strategy, as in `run` (repeatable)")
    compare.add_argument("--forms", default=None, metavar="FORMS",
                         help="defaults, best, or defaults,best: each rule at its documented defaults and/or at "
                              "its best form (`multivector tune`); default: both when the scenario has shipped "
                              "best forms, else defaults")
    compare.add_argument("--best", metavar="FILE", default=None,
                         help="best forms to use (default experiments/data/best-forms-SCENARIO/best-forms.toml)")
    compare.set_defaults(handler=compare_command)

    params = sub.add_parser("params", help="every parameter: path, type, default, range, unit, meaning, source")
    params.add_argument("--scenario", default=model.DEFAULT_SCENARIO, help="scenario whose powers and defaults to list")
    params.add_argument("--json", action="store_true", help="print a JSON list of objects")
    params.set_defaults(handler=params_command)

    scenarios = sub.add_parser("scenarios", help="the shipped scenarios, one each (real cases marked), "
                                                 "long descriptions wrapped to the width")
    scenarios.set_defaults(handler=scenarios_command)

    cases = sub.add_parser("cases", help="the real cases: span, powers and their data rows, historical strategy, "
                                         "events, facts and the data each reads",
                           description="Every scenario that declares a real case ([case] in its file): its span, "
                                       "its powers and the data rows each stands for, the strategy it followed "
                                       "with the dates it switched, its number of events and of facts (its case "
                                       "pack), and the data it reads. The docs page \"Add a case\" says how to add one.")
    cases.set_defaults(handler=_cases_command)


def parse_overrides(items: list[str]) -> dict[str, str]:
    """``["a.b=1", ...]`` -> ``{"a.b": "1"}``; values are typed by the parameter schema later."""
    out: dict[str, str] = {}
    for item in items:
        path, sep, value = item.partition("=")
        if not sep or not path.strip() or not value.strip():
            raise UsageError(f"--set expects PATH=VALUE, got {shorten(repr(item))}")
        if not value.isascii():
            # Python reads full-width or Arabic-Indic digits as numbers; a value must be typed as written
            raise UsageError(f"--set {shorten(path.strip(), 60)}: the value must be ASCII, got {shorten(repr(value), 40)}")
        out[path.strip()] = value.strip()
    return out


def _check_strategy(name: str, scenario: str) -> None:
    known = model.strategies_of(model.load_scenario(scenario))
    if name not in known:
        raise UsageError(f"unknown strategy '{name}' for scenario '{scenario}' (known: {', '.join(known)})")


def default_strategy(scenario: str) -> str:
    """A real case's own strategy (``historical``) where it records one, else hedge."""
    return model.HISTORICAL if model.HISTORICAL in model.strategies_of(model.load_scenario(scenario)) else "hedge"


def _check_scenario(name: str) -> None:
    if name not in model.scenario_names():
        raise UsageError(f"unknown scenario '{name}' (known: {', '.join(model.scenario_names())})")


def run_command(args) -> int:
    _check_scenario(args.scenario)
    if args.strategy is None:
        args.strategy = default_strategy(args.scenario)
    _check_strategy(args.strategy, args.scenario)
    overrides = model.validate_overrides(args.scenario, parse_overrides(args.overrides))
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix not in OUTPUT_SUFFIXES:
        raise UsageError(f"--out must end in .csv or .parquet, got '{out}'")
    if out is not None:
        if out.is_dir():
            raise UsageError(f"--out: {shorten(out)} is a folder; give a file name ending in .csv or .parquet")
        check_writable(out.parent if str(out.parent) else Path("."))
        quarters = model.load_scenario(args.scenario).steps if args.steps is None else args.steps
        check_space(out, args.replications * (quarters + 1), len(model.record_columns(args.scenario)))
    if args.replications > 1:
        return _run_replications(args, overrides, out)
    frame = model.simulate(args.scenario, args.strategy, seed=args.seed, steps=args.steps, overrides=overrides)
    if out is not None:
        write_table_atomically(frame, out)
    _print_run_summary(frame, args, out)
    return 0


def _run_replications(args, overrides: dict[str, Any], out: Path | None) -> int:
    from multivector.experiments.streaming import run_replications

    scenario = model.load_scenario(args.scenario)
    quarters = scenario.steps if args.steps is None else args.steps
    columns = _replications_summary_columns(scenario.power_ids)
    with progress("running", args.replications, enabled=not args.quiet) as bar:
        finals = run_replications(args.scenario, args.strategy, args.seed, args.replications, args.steps, overrides,
                                  out, ["date", *columns], on_runs=bar.advance)
    _print_replications_summary(finals, columns, args, out, quarters)
    return 0


def _replications_summary_columns(power_ids) -> list[str]:
    return [*outcome_columns(), *[name for c in contract_power_columns(outcome=True) for name in c.names(power_ids)],
            *running_mean_columns()]


def _print_replications_summary(finals, columns, args, out: Path | None, quarters: int) -> None:
    console = Console()
    table = Table(title=f"{args.scenario} / {args.strategy} / {args.replications} runs, root seed {args.seed}: "
                        f"final quarter ({finals['date'].iloc[0]})")
    for header in ("outcome (final value)", "mean", "5% of runs", "median", "95% of runs"):
        table.add_column(header, justify="left" if header.startswith("outcome") else "right")
    for column in columns:
        values = finals[column].to_numpy(dtype=float)
        low, median, high = np.quantile(values, [0.05, 0.5, 0.95])
        table.add_row(column, f"{values.mean():.3f}", f"{low:.3f}", f"{median:.3f}", f"{high:.3f}")
    console.print(table)
    if out is not None:
        console.print(f"wrote {args.replications * (quarters + 1)} rows (runs x quarters) to {out}")


def _print_run_summary(frame, args, out: Path | None) -> None:
    console = Console()
    last = frame.iloc[-1]
    power_ids = model.load_scenario(args.scenario).power_ids
    table = Table(title=f"{args.scenario} / {args.strategy} / seed {args.seed}: {frame['date'].iloc[0]} to {last['date']}")
    table.add_column("outcome")
    table.add_column("final quarter's value", justify="right")
    for column in outcome_columns():
        table.add_row(column, f"{last[column]:.3f}")
    table.add_row("rule in force", str(last["strategy"]))
    for kind in (*contract_power_columns(outcome=True), *contract_power_columns(outcome=False)):
        table.add_row(kind.name, "  ".join(f"{g} {last[name]:.2f}" for g, name in zip(power_ids, kind.names(power_ids))))
    for domain in model.DOMAINS:
        table.add_row(f"engagement {domain}", "  ".join(f"{g} {last[f'engagement_{g}_{domain}']:.2f}" for g in power_ids))
    console.print(table)
    if out is not None:
        console.print(f"wrote {len(frame)} rows x {len(frame.columns)} columns to {out}")


def _forms(args) -> dict[str, dict[str, dict]]:
    """Form name -> strategy -> overrides, from --forms and --best (one-line errors)."""
    from multivector.experiments import compare as comparing  # noqa: PLC0415
    from multivector.experiments import tune as tuning  # noqa: PLC0415
    from multivector.experiments.tune_cli import best_forms_file  # noqa: PLC0415

    path = Path(args.best) if args.best else best_forms_file(args.scenario)
    if args.forms is None:
        names = ["defaults", "best"] if path.is_file() else ["defaults"]
    else:
        names = list(dict.fromkeys(name.strip() for name in args.forms.split(",") if name.strip()))
        unknown = [name for name in names if name not in ("defaults", "best")]
        if not names or unknown:
            raise UsageError(f"--forms: expected defaults, best or defaults,best, got {args.forms!r}")
    forms: dict[str, dict[str, dict]] = {}
    for name in names:
        if name == "defaults":
            forms[name] = {strategy: {} for strategy in comparing.strategies_to_compare(args.scenario)}
            continue
        if not path.is_file():
            raise UsageError(f"no best forms at '{shorten(path)}': run `multivector tune --scenario {args.scenario} "
                             f"--out DIR` and pass --best DIR/best-forms.toml")
        try:
            best = tuning.read_best_forms(path)
            forms[name] = {strategy: model.validate_overrides(args.scenario, overrides)
                           for strategy, overrides in best.items()}
        except (ValueError, model.ModelInputError) as error:
            raise UsageError(shorten(str(error), 200)) from None
    return forms


def compare_command(args) -> int:
    from multivector.experiments import compare as comparing
    from multivector.experiments import figures

    _check_scenario(args.scenario)
    overrides = model.validate_overrides(args.scenario, parse_overrides(args.overrides))
    forms = _forms(args)
    out = Path(args.out) if args.out else Path("results") / f"compare-{args.scenario}"
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out '{shorten(out)}' exists and is not a folder")
    check_writable(out)  # before the runs, not after them
    strategies = comparing.strategies_to_compare(args.scenario)
    variants = sum(len(table) for table in forms.values())
    total = variants * args.replications
    console = Console(stderr=True)
    console.print(f"{total} runs: {variants} strategies and forms ({', '.join(forms)}) x {args.replications} "
                  f"replications on scenario '{args.scenario}', root seed {args.seed}")
    with progress("comparing", total, enabled=not args.quiet) as bar:
        result = comparing.compare_strategies(args.scenario, args.replications, args.seed, strategies=strategies,
                                              steps=args.steps, on_runs=bar.advance, overrides=overrides, forms=forms)
    summary = result.summary()
    out.mkdir(parents=True, exist_ok=True)
    write_table_atomically(summary, out / "summary.csv")
    write_table_atomically(result.runs, out / "runs.csv")
    events = list(model.load_scenario(args.scenario).events)
    first = next(iter(forms))  # the engagement panels show one form: a row per strategy is already many
    steps = result.steps[result.steps["form"] == first]
    written = figures.save(figures.comparison_figure(steps, result.power_ids, args.scenario, events),
                           out / "comparison")
    written += figures.save(figures.summary_figure(summary, [o.name for o in judged_outcomes()]), out / "summary")
    _print_comparison(summary, args)
    Console().print(f"wrote {out / 'summary.csv'}, {out / 'runs.csv'}, " + ", ".join(str(p) for p in written))
    return 0


STRATEGY_HEADER = "strategy"
NARROWEST_METRIC = 10  # a metric column is at least this wide: "(run mean)" on one line


def metric_heading(metric: str, statistic: str) -> tuple[str, int]:
    """A metric's column heading, one word a line, its statistic below (``coexistence`` /
    ``(share of quarters)``), and the width that keeps every word of it whole."""
    words = metric.split("_")
    label = f"({statistic})"
    return "\n".join(words) + "\n" + label, max(NARROWEST_METRIC, *map(len, words), *map(len, label.split()))


def metric_tables(width: int, first_width: int, metrics: list[tuple[str, int]]) -> list[list[int]]:
    """Metrics (heading, width) packed in order into tables no wider than ``width``: a first column
    ``first_width`` wide, then as many metrics as fit (each column pads one space a side and
    draws one border). At least one metric a table, whatever the width."""
    tables: list[list[int]] = []
    used = first_width + 3 + 1  # the first column, its padding and two borders
    for index, (_, need) in enumerate(metrics):
        if tables and tables[-1] and used + need + 3 <= width:
            tables[-1].append(index)
            used += need + 3
        else:
            tables.append([index])
            used = first_width + 3 + 1 + need + 3
    return tables


def _print_comparison(summary, args) -> None:
    """Means per strategy (rows; ``name (best)`` for a best form) and metric (columns), as many
    metrics a table as the terminal holds whole (80 columns: three), never a word broken; the
    intervals are in summary.csv."""
    from multivector.experiments.compare import METRICS, STATISTICS

    order = ["utility", "autonomy", "security", "welfare", "client_quarters", "pressure_episodes",
             *[m for m in METRICS if m not in ("utility", "autonomy", "security", "welfare", "client_quarters",
                                               "pressure_episodes")]]
    means = summary.pivot(index="strategy", columns="metric", values="mean")
    strategies = list(dict.fromkeys(summary["strategy"]))
    console = Console()
    console.print(f"Scenario '{args.scenario}': mean over {args.replications} replications, seed {args.seed} "
                  f"(95% intervals in summary.csv)")
    headings = [metric_heading(metric, STATISTICS[metric]) for metric in order]
    first = max(len(STRATEGY_HEADER), *map(len, strategies))
    for chunk in metric_tables(console.width, first, headings):
        table = Table()
        table.add_column(STRATEGY_HEADER, no_wrap=True)
        for index in chunk:
            heading, need = headings[index]
            table.add_column(heading, justify="right", min_width=need)
        for strategy in strategies:
            table.add_row(strategy, *(f"{means.loc[strategy, order[i]]:.3g}" for i in chunk))
        console.print(table)


WIDE_TABLE = 140  # columns below which `params` prints a block per parameter instead of a table


def params_command(args) -> int:
    _check_scenario(args.scenario)
    rows = _with_calibrated_sources(args.scenario, model.parameter_table(args.scenario))
    if args.json:
        from multivector.experiments.exploration import exploration_range  # noqa: PLC0415

        print(json.dumps([{**row.as_dict(), **exploration_range(args.scenario, row)} for row in rows], indent=1))
        return 0
    console = Console()
    title = f"Parameters (scenario '{args.scenario}'); set with --set PATH=VALUE"
    if console.width < WIDE_TABLE:  # a seven-column table is unreadable in a narrow terminal: one block each
        blocks: list = [Text(title, style="bold")]
        for row in rows:
            blocks.append(Text.assemble((row.path, "bold"), f"  {row.type}  default {_fmt(row.default)}  "
                                        f"[{_fmt(row.min)}, {_fmt(row.max)}]  {row.unit}"))
            blocks.append(Padding(Text(f"{row.description} ({row.source})"), (0, 0, 0, 4)))
        console.print(*blocks)  # one write, as the table: a reader that stops early is no error
        return 0
    table = Table(title=title, show_lines=False)
    table.add_column("path", no_wrap=True)  # a path is copied into --set: never broken across lines
    for column in ("type", "default", "range", "unit", "meaning", "source"):
        table.add_column(column, overflow="fold")
    for row in rows:
        span = f"[{_fmt(row.min)}, {_fmt(row.max)}]"
        table.add_row(row.path, row.type, _fmt(row.default), span, row.unit, row.description, row.source)
    console.print(table)
    return 0


def _with_calibrated_sources(scenario: str, rows: list) -> list:
    """Rows whose value the scenario's shipped calibration sets say so in their source, in place of
    "placeholder" (experiments/calibration/scenario_values.py)."""
    import dataclasses  # noqa: PLC0415
    import re  # noqa: PLC0415

    from multivector.experiments.calibration.scenario_values import calibrated_sources  # noqa: PLC0415

    marks = calibrated_sources(scenario)
    out = []
    for row in rows:
        if row.path in marks:
            source = re.sub(r";?\s*placeholder(\s*\([^)]*\))?", "", row.source).strip("; ")
            row = dataclasses.replace(row, source=f"{source}; {marks[row.path]}" if source else marks[row.path])
        out.append(row)
    return out


def _fmt(value: Any) -> str:
    return "-" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def scenarios_command(args) -> int:
    """One entry per scenario, wrapped to the terminal's width (continued on indented lines); a real
    case is marked ``[case ISO3]`` (``multivector cases`` lists them)."""
    for name, description in model.describe_scenarios():
        mark = ""
        if model.scenarios.declares_case(name):
            try:
                mark = f"[case {model.load_scenario(name).case.secondary}] "
            except model.ModelInputError:  # listed all the same; `multivector cases` says what is wrong
                mark = "[case, does not load: see `multivector cases`] "
        print(textwrap.fill(f"{name:18s} {mark}{description}", width=max(40, shutil.get_terminal_size().columns),
                            subsequent_indent=" " * 19, break_on_hyphens=False))
    return 0


def _cases_command(args) -> int:
    from multivector.experiments.cases.commands import cases_command  # noqa: PLC0415

    return cases_command(args)
