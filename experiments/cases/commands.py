"""The case library at the command line: ``multivector cases`` (every real case: span, powers and
their data rows, historical strategy, events, facts, data read) and ``multivector patterns
--scenario NAME`` (a case's facts scored on runs of its scenario, each with its figure).

Cases are found by name: a scenario file with a ``[case]`` table (:mod:`model.case`) and, where it
has one, its pack (:func:`experiments.cases.pack`). Nothing here names a case.
"""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass

import numpy as np

from multivector import model
from multivector.model.calendar import step_date
from multivector.experiments.cases import CasePack, pack
from multivector.experiments.errors import UsageError

WIDTH = 80  # the listing reads at 80 columns; wider terminals get up to 100


@dataclass(frozen=True)
class CaseSummary:
    """What ``multivector cases`` shows of one case."""

    scenario: str
    name: str
    secondary: str
    span: str
    quarters: int
    powers: list[str]  # "ID = ROW + ROW"
    strategy: list[str]  # "2004Q1 balance against ID"
    events: int
    facts: int | None  # None: no pack
    data: str
    from_data: list[str]  # parameters set from the data
    notes: str
    variants: list[str]
    caveats: list[str]
    claims: str = ""  # the report's claims it can test (multivector report --scenario NAME)


def _period_text(period) -> str:
    text = f"{period.start} {period.rule}"
    if period.adversary:
        text += f" against {period.adversary}"
    if period.patron:
        text += f" with {period.patron}"
    return text


def case_scenarios() -> list[str]:
    """Scenarios whose own file declares a real case (variants that inherit one are listed with it)."""
    return [name for name in model.scenario_names() if model.scenarios.declares_case(name)]


def summarise(name: str) -> CaseSummary:
    sc = model.load_scenario(name)
    case = sc.case
    found = pack(name)
    series = case.series
    if series is None:
        data = (f"cross-case rows ({', '.join(f.split('/')[-1] for f in case.data_files)}), "
                f"structure read in {case.first_year_observed}")
    else:
        data = f"its own pack: {', '.join(case.data_files)}"
    from_data = sorted({path.split(".")[-1] for path, _ in sc.from_data})
    return CaseSummary(
        scenario=name, name=case.name, secondary=case.secondary,
        span=f"{sc.start}-{step_date(sc.start, sc.steps)}", quarters=sc.steps,
        powers=[f"{p} = {' + '.join(case.rows_of(p))}" for p in sc.power_ids],
        strategy=[_period_text(p) for p in case.strategy] or ["(not recorded)"],
        events=len(sc.events), facts=None if found is None else len(found.facts), data=data,
        from_data=from_data, notes=case.notes,
        variants=[v for v in model.scenario_names() if model.scenarios.parent_of(v) == name],
        caveats=list(sc.caveats), claims="" if found is None else testable_claims(name),
    )


def testable_claims(name: str) -> str:
    """'C2 C3 ... (10 of 15)': the report's claims the case can test (the report says why not the others)."""
    from multivector.experiments.report.case import load_case  # noqa: PLC0415 - the report only when asked
    from multivector.experiments.report.catalogue import catalogue  # noqa: PLC0415

    testable, cannot = catalogue(load_case(name))
    return f"{' '.join(testable)} ({len(testable)} of {len(testable) + len(cannot)}; report --scenario {name})"


def _block(summary: CaseSummary, width: int) -> list[str]:
    label_width = 11
    wrap = textwrap.TextWrapper(width=width, initial_indent="", subsequent_indent=" " * (label_width + 2),
                                break_on_hyphens=False)
    facts = "no case pack" if summary.facts is None else f"{summary.facts} (experiments/cases/" \
        f"{summary.scenario.replace('-', '_')}/)"
    rows = [
        ("powers", "; ".join(summary.powers)),
        ("strategy", "; ".join(summary.strategy)),
        ("events", str(summary.events)),
        ("facts", facts),
        ("data", summary.data),
    ]
    if summary.claims:
        rows.append(("claims", summary.claims))
    if summary.from_data:
        rows.append(("from data", ", ".join(summary.from_data)))
    if summary.notes:
        rows.append(("notes", summary.notes))
    if summary.variants:
        rows.append(("variants", ", ".join(summary.variants)))
    for caveat in summary.caveats:
        rows.append(("caveat", caveat))
    head = f"{summary.scenario}: {summary.name} ({summary.secondary}), {summary.span}, {summary.quarters} quarters"
    lines = textwrap.wrap(head, width=width, subsequent_indent="  ")
    for label, text in rows:
        lines.extend(wrap.wrap(f"  {label:<{label_width}}{text}"))
    return lines


def cases_command(args) -> int:
    width = min(max(shutil.get_terminal_size((WIDTH, 24)).columns, 60), 100)
    failed = 0
    names = case_scenarios()
    for i, name in enumerate(names):
        try:
            lines = _block(summarise(name), width)
        except model.ModelInputError as error:
            failed += 1
            lines = textwrap.wrap(f"{name}: cannot load: {error}", width=width, subsequent_indent="  ")
        if i:
            print()
        print("\n".join(lines))
    print(f"\n{len(names)} case(s); `multivector run --scenario NAME` runs one under its historical strategy, "
          f"`multivector patterns --scenario NAME` scores its facts." if width >= 100 else
          f"\n{len(names)} case(s). `multivector run --scenario NAME` runs one under its\nhistorical strategy; "
          f"`multivector patterns --scenario NAME` scores its facts.")
    if failed:
        raise UsageError(f"{failed} case(s) could not be loaded (see above)")
    return 0


def need_pack(scenario: str, command: str) -> CasePack:
    """The scenario's pack, or a one-line error saying the command needs one."""
    if scenario not in model.scenario_names():
        raise UsageError(f"unknown scenario '{scenario}' (known: {', '.join(model.scenario_names())})")
    found = pack(scenario)
    if found is None or not found.facts:
        raise UsageError(f"{command}: scenario '{scenario}' has no case pack with facts "
                         f"(experiments/cases/{scenario.replace('-', '_')}/; docs: how-to/new-case.md)")
    return found


def score_scenario(scenario: str, strategy: str, replications: int, seed: int, steps: int | None = None):
    """Run ``replications`` runs of ``scenario`` at once and evaluate its pack's facts on them:
    [(fact, FactResult)]."""
    from multivector.experiments.cases.facts import Runs  # noqa: PLC0415
    from multivector.experiments.compare import replication_seeds  # noqa: PLC0415
    from multivector.model.history import History, run_to_end  # noqa: PLC0415

    found = need_pack(scenario, "patterns")
    world = model.Ensemble(scenario, [strategy] * replications, [{}] * replications,
                           replication_seeds(seed, replications), steps)
    history = History(world, world.max_steps + 1)
    run_to_end(world, history)
    runs = Runs.from_history(history)
    return [(fact, fact.evaluate(runs)) for fact in found.facts]


def patterns_for_scenario(args) -> int:
    """``multivector patterns --scenario NAME``: each fact, the share of runs showing it, its figure
    (mean and the 5-95% range over runs) and the share of runs in which its event occurred."""
    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    scenario = args.scenario
    need_pack(scenario, "patterns")
    strategy = args.strategy or (model.HISTORICAL if model.HISTORICAL in model.strategies_of(
        model.load_scenario(scenario)) else "hedge")
    known = model.strategies_of(model.load_scenario(scenario))
    if strategy not in known:
        raise UsageError(f"unknown strategy '{strategy}' for scenario '{scenario}' (known: {', '.join(known)})")
    results = score_scenario(scenario, strategy, args.replications, args.seed, args.steps)
    table = Table(title=f"{scenario} / {strategy}: {args.replications} runs, root seed {args.seed}", expand=True)
    table.add_column("fact (and what its figure measures)", ratio=5, overflow="fold")
    for column, ratio in (("runs showing it", 2), ("figure: mean [5%, 95%]", 4), ("event occurred", 2)):
        table.add_column(column, justify="right", ratio=ratio, overflow="fold")
    for fact, result in results:
        figure = np.asarray(result.figure, dtype=float)
        finite = figure[np.isfinite(figure)]
        cell = (f"{finite.mean():.3g} [{np.quantile(finite, 0.05):.3g}, {np.quantile(finite, 0.95):.3g}]"
                if len(finite) else "-")
        table.add_row(f"{fact.id} {fact.name}\n[dim]{fact.figure_label}[/dim]", f"{result.passed.mean():.0%}", cell,
                      f"{result.occurred.mean():.0%}")
    console = Console()
    console.print(table)
    passed = np.sum([r.passed for _, r in results], axis=0)
    console.print(f"facts reproduced per run: mean {passed.mean():.2f} of {len(results)}")
    return 0
