"""``multivector report``: run (or reuse) the claims experiments, test every claim, write the report."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402

from multivector.experiments.pool import shared  # noqa: E402
from multivector.experiments.tables import write_table_atomically  # noqa: E402

from . import autonomy, contest, figures, render  # noqa: E402
from .case import Case, load_case  # noqa: E402
from .catalogue import CANNOT, catalogue, known_claims  # noqa: E402
from .claims import Finding  # noqa: E402
from .data import Sweep  # noqa: E402
from .evidence import Part  # noqa: E402
from .plan import design_files, prepare, run_or_reuse, unavailable  # noqa: E402
from .sensitivity import OUTCOMES, inverted_u, sobol, tipping  # noqa: E402

SEED_PAIR = "seed pair"  # the unit of an uncalibrated case (plan.SEED_PAIRS)


@dataclass
class ReportOutcome:
    folder: Path
    findings: list[Finding]
    threshold: float | None
    cannot: dict[str, str] = field(default_factory=dict)  # claim -> why this case cannot test it
    case: Case | None = None


def case_for_report(scenario: str) -> Case:
    """The case of ``scenario``; one line when it has no pack."""
    from multivector.experiments.errors import UsageError  # noqa: PLC0415

    case = load_case(scenario)
    if case is None:
        raise UsageError(f"report: scenario '{scenario}' has no case pack (experiments/cases/), so no claims to test")
    return case


def build_report(out: str | Path, quick: bool = False, overrides: dict[str, str] | None = None,
                 workers: int | None = None, announce: Callable[[str], None] = print,
                 progress: bool = True, command: str | None = None, only: list[str] | None = None,
                 scenario: str | None = None) -> ReportOutcome:
    """Run or reuse every experiment of the report of ``scenario``'s case (default: the default
    scenario) into ``out`` and write ``report.md``, ``report.html``, ``verdicts.csv`` and ``figures/``.
    Every experiment is validated before the first run. ``only`` tests just those claims (and runs
    just their experiments, without the sensitivity analysis and the threshold section). A claim the
    case cannot test is listed with the reason; named in ``only``, it is refused in one line."""
    from multivector.experiments.errors import UsageError  # noqa: PLC0415

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out: {out} exists and is not a folder")
    overrides = overrides or {}
    from multivector import model  # noqa: PLC0415

    scenario = scenario or model.DEFAULT_SCENARIO
    case = case_for_report(scenario)
    testable, cannot = catalogue(case)
    known = known_claims(case)
    unknown = [c for c in only or [] if c not in known]
    if unknown:
        raise UsageError(f"--only: unknown claim {unknown[0]!r} (known: {', '.join(known)})")
    refused = [c for c in only or [] if c in cannot]
    if refused:
        raise UsageError(f"--only: claim {refused[0]} {CANNOT} ('{scenario}'): {cannot[refused[0]]}")
    claims = list(only) if only else list(testable)
    model.validate_overrides(scenario, overrides)  # an unknown path or a bad value: one line, before any run
    extra = set()
    if not only:
        extra = {key for key in ("S", case.claims.threshold.key if case.claims.threshold else None)
                 if key and not unavailable(case, key)}
    needed = {key for c in claims for key in testable[c].requires} | extra
    prepared = [prepare(case, key, quick, overrides) for key in design_files(case) if key in needed]
    sweeps: dict[str, Sweep] = {}
    with shared(workers):  # one pool of worker processes for every experiment, not one each
        for item in prepared:
            sweeps[item.key] = Sweep(run_or_reuse(item, out, workers, announce, progress), seed_pairs=item.seed_pairs)

    announce("testing the claims ...")
    findings = [testable[c].test(sweeps, case) for c in claims]
    if not case.calibrated:  # its units are pairs of seeds, not posterior sets: the tables say so
        for f in findings:
            for part in f.parts:
                if part.unit_name == Part.unit_name:
                    part.unit_name = SEED_PAIR
    folder = out / "figures"
    paths = {f.id: render.save_figure(f.figure, folder, f.id) for f in findings}
    announce("autonomy verdicts over the simplex of its weights ...")
    for f in findings:
        for i, part in enumerate(f.parts):
            if part.reweighed is not None:
                part.simplex = autonomy.simplex(part.reweighed, part.margin, part.kind)
                paths[f"{f.id}-simplex-{i}"] = render.save_figure(
                    figures.simplex(part.simplex, f"{f.id}: {part.label}"), folder, f"{f.id}-simplex-{i + 1}")
    sensitivity = sensitivity_paths = threshold = threshold_path = None
    if "S" in sweeps:
        sensitivity = sobol(sweeps["S"])
        sensitivity_paths = {label: render.save_figure(figures.sensitivity(sensitivity.indices, label), folder,
                                                       f"sobol-{column}")
                             for label, column in OUTCOMES.items() if label not in sensitivity.degenerate}
    spec = case.claims.threshold
    if spec is not None and spec.key in sweeps:
        threshold = tipping(sweeps[spec.key], spec.factor)
        threshold_path = render.save_figure(
            figures.advantage_by_level(threshold.advantage, spec.axis,
                                       f"{spec.key}: hedging's autonomy advantage over the best alternative",
                                       "autonomy, hedge minus best alternative"), folder, spec.key)
    shape = inverted_u(sweeps["E6"]) if "E6" in sweeps else None
    table = pd.DataFrame([{"experiment": item.name, "runs": len(sweeps[item.key].runs),
                           "folder": str(sweeps[item.key].results.path)} for item in prepared])
    command = command or "multivector report" + (f" --scenario {scenario}" if scenario != model.DEFAULT_SCENARIO
                                                 else "") + (" --quick" if quick else "") + \
        (f" --only {','.join(only)}" if only else "") + \
        "".join(f" --set {shlex.quote(f'{k}={v}')}" for k, v in overrides.items())
    text = render.markdown_report(findings, paths, sensitivity, sensitivity_paths, threshold, threshold_path, table,
                                  command, quick, {p.name: p.skipped for p in prepared}, shape, case=case,
                                  cannot=None if only else cannot)
    if not only:
        announce("each rule at its best (defaults and best forms) ...")
        from multivector.experiments.tune_cli import best_forms_file  # noqa: PLC0415

        tournament = contest.run_contest(best_forms_file(scenario), scenario, CONTEST_REPLICATIONS[quick], seed=0,
                                         overrides=model.validate_overrides(scenario, overrides))
        contest_path = (render.save_figure(contest.figure(tournament), folder, "best-forms")
                        if tournament is not None else None)
        text = text.rstrip("\n") + "\n\n" + "\n".join(contest.section(tournament, contest_path))
    render.write_atomically(out / "report.md", text)
    render.write_atomically(out / "report.html", render.html_report(text, out))
    write_table_atomically(render.verdict_table(findings), out / "verdicts.csv")
    return ReportOutcome(out, findings, threshold.threshold if threshold else None, {} if only else cannot, case)


CONTEST_REPLICATIONS = {False: 50, True: 5}  # seeds for "each rule at its best" (full, quick)

QUICK_WARNING = ("QUICK REPORT: NOT EVIDENCE. A few parameter sets, two seeds each and small samples check that "
                 "the chain runs; its verdicts, statuses and intervals must not be cited. Run `multivector report` "
                 "without --quick for the report.")


def print_verdicts(outcome: ReportOutcome, stream=None, quick: bool = False) -> None:
    """One line per claim: verdict, status, and the statistic that decided it with its estimate."""
    from multivector.experiments import terminal  # noqa: PLC0415

    stream = sys.stdout if stream is None else stream
    if quick:
        print(QUICK_WARNING, file=stream)  # verbatim: one line a reader can search for
    width = max((len(f.title) for f in outcome.findings), default=0)
    if outcome.case is not None and not outcome.case.calibrated:
        print(terminal.fill(f"UNCALIBRATED CASE: {outcome.case.name} runs at its scenario's own values; units are "
                            "pairs of seeds (seed noise only). Not evidence until the case is calibrated."), file=stream)
    for f in outcome.findings:
        d = f.deciding
        line = f"{f.id:<4} {f.title:<{width}}  {f.verdict:<13}  {f.status:<20}  {d.label}: {d.estimate.text()}"
        if len(line) > terminal.width():  # a narrow terminal: the claim on one line, its verdict below it
            line = (terminal.fill(f"{f.id:<4} {f.title}", indent=5) + "\n"
                    + terminal.fill(f"     {f.verdict}; {f.status}; {d.label}: {d.estimate.text()}", indent=5))
        print(line, file=stream)
    for cid, why in outcome.cannot.items():
        print(terminal.fill(f"{cid:<4} {CANNOT}: {why}", indent=5), file=stream)
    print(f"-> {outcome.folder / 'report.md'} (and report.html, verdicts.csv, figures/)", file=stream)
    if quick:
        print(QUICK_WARNING, file=stream)  # verbatim: one line a reader can search for
