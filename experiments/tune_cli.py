"""The ``tune`` subcommand (registered by ``experiments.cli``): each rule at its best."""

from __future__ import annotations

import shlex
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from multivector import model
from multivector.experiments.errors import UsageError, shorten
from multivector.experiments.tables import check_writable, save_atomically, write_table_atomically
from multivector.experiments.progress import add_quiet, progress

DATA = Path(__file__).parent / "data"
HELP = """\
Each rule at its best: for every strategy, a Latin hypercube of POINTS
settings of its own parameters (`model.OWN_PARAMETERS`; the defaults are point
0), each run on the same SEARCH seeds; the setting with the highest mean
utility (ODD §4, the `utility` column averaged over the run) is the rule's
best form. Defaults and best form are then run on VERIFY fresh seeds. Every
rule gets the same budget of runs. Writes best-forms.toml (read by
`multivector compare --forms best`), search.csv, verify.csv and summary.csv to
DIR.
"""


def best_forms_file(scenario: str) -> Path:
    """Where the shipped best forms of a scenario are: experiments/data/best-forms-SCENARIO/best-forms.toml."""
    return DATA / f"best-forms-{scenario}" / "best-forms.toml"


def _count(text: str, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"expected a whole number, got {text!r}") from None
    if value < least:
        raise UsageError(f"expected a number >= {least}, got {value}")
    return value


def strategy_list(text: str) -> tuple[str, ...]:
    """Comma-separated strategy names, each known."""
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    if not names:
        raise UsageError("--strategies: no strategy named")
    for name in names:
        if name not in model.STRATEGIES:
            raise UsageError(f"unknown strategy '{name}' (known: {', '.join(model.STRATEGIES)})")
    return tuple(dict.fromkeys(names))


def register(subparsers) -> None:
    import argparse  # noqa: PLC0415

    tune = subparsers.add_parser("tune", help="each rule at its best: tune its own parameters, same budget for all",
                                 description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    tune.add_argument("--scenario", default=model.DEFAULT_SCENARIO, help="scenario name")
    tune.add_argument("--strategies", default=",".join(model.STRATEGIES),
                      help="comma-separated strategies (default: all)")
    tune.add_argument("--points", type=lambda t: _count(t, 1), default=128,
                      help="settings of each rule's parameters, the defaults included (default 128)")
    tune.add_argument("--search-seeds", type=lambda t: _count(t, 1), default=16,
                      help="seeds each setting is run on (default 16)")
    tune.add_argument("--verify-seeds", type=lambda t: _count(t, 2), default=50,
                      help="fresh seeds for defaults and best form (default 50)")
    tune.add_argument("--seed", type=lambda t: _count(t, 0), default=0, help="root seed (default 0)")
    tune.add_argument("--steps", type=lambda t: _count(t, 1), default=None,
                      help="quarters per run (default: the scenario's)")
    tune.add_argument("--out", metavar="DIR", default=None,
                      help="output FOLDER, created if missing (default results/tune-SCENARIO)")
    add_quiet(tune)
    tune.set_defaults(handler=tune_command)


def _command_line(args) -> str:
    parts = ["multivector", "tune", "--scenario", args.scenario, "--strategies", args.strategies,
             "--points", str(args.points), "--search-seeds", str(args.search_seeds), "--verify-seeds",
             str(args.verify_seeds), "--seed", str(args.seed)]
    if args.steps is not None:
        parts += ["--steps", str(args.steps)]
    return " ".join(shlex.quote(p) for p in parts) + " --out DIR"


def tune_command(args) -> int:
    from multivector.experiments import tune as tuning  # noqa: PLC0415

    if args.scenario not in model.scenario_names():
        raise UsageError(f"unknown scenario '{args.scenario}' (known: {', '.join(model.scenario_names())})")
    strategies = strategy_list(args.strategies)
    out = Path(args.out) if args.out else Path("results") / f"tune-{args.scenario}"
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out '{shorten(out)}' exists and is not a folder")
    check_writable(out)
    budget = tuning.Budget(args.points, args.search_seeds, args.verify_seeds)
    total = budget.runs_per_rule() * len(strategies)
    console = Console(stderr=True)
    console.print(f"{total} runs: {len(strategies)} strategies x {budget.runs_per_rule()} "
                  f"({budget.points} settings x {budget.search_seeds} seeds, then 2 forms x "
                  f"{budget.verify_seeds} fresh seeds) on '{args.scenario}', root seed {args.seed}")
    started = time.perf_counter()
    with progress("tuning", total, enabled=not args.quiet) as bar:
        result = tuning.tune(args.scenario, strategies, budget, args.seed, args.steps, on_runs=bar.advance)
    seconds = time.perf_counter() - started
    summary = result.summary()
    out.mkdir(parents=True, exist_ok=True)
    write_table_atomically(result.search, out / "search.csv")
    write_table_atomically(result.verify, out / "verify.csv")
    write_table_atomically(summary, out / "summary.csv")
    text = tuning.best_forms_text(result, _command_line(args))
    save_atomically(lambda path: Path(path).write_text(text), out / "best-forms.toml")
    print_best_forms(summary, f"Each rule at its best on '{args.scenario}': utility on {budget.verify_seeds} "
                              f"fresh seeds [95% CI]")
    Console().print(f"{total} runs in {seconds:.0f} s; wrote {out / 'best-forms.toml'}, search.csv, verify.csv, "
                    f"summary.csv")
    return 0


def print_best_forms(summary, title: str) -> None:
    """Utility at the defaults and at the best form, per strategy, within 80 columns."""
    table = Table(title=title)
    table.add_column("strategy")
    for column in ("defaults", "best form", "gain"):
        table.add_column(column, justify="right")
    for strategy in dict.fromkeys(summary["strategy"]):
        cells = {}
        for form in ("defaults", "best"):
            row = summary[(summary.strategy == strategy) & (summary.form == form) & (summary.metric == "utility")].iloc[0]
            cells[form] = (row["mean"], f"{row['mean']:.3f} [{row['ci_low']:.3f}, {row['ci_high']:.3f}]")
        table.add_row(strategy, cells["defaults"][1], cells["best"][1], f"{cells['best'][0] - cells['defaults'][0]:+.3f}")
    Console().print(table)
