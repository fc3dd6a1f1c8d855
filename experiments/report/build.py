"""``multivector report``: run (or reuse) the claims experiments, test every claim, write the report."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402

from multivector.experiments.pool import shared  # noqa: E402
from multivector.experiments.tables import write_table_atomically  # noqa: E402

from . import autonomy, contest, figures, render  # noqa: E402
from .claims import CLAIMS, REQUIRES, Finding  # noqa: E402
from .data import Sweep  # noqa: E402
from .plan import EXPERIMENTS, prepare, run_or_reuse  # noqa: E402
from .sensitivity import OUTCOMES, inverted_u, sobol, tipping  # noqa: E402


@dataclass
class ReportOutcome:
    folder: Path
    findings: list[Finding]
    threshold: float | None


def build_report(out: str | Path, quick: bool = False, overrides: dict[str, str] | None = None,
                 workers: int | None = None, announce: Callable[[str], None] = print,
                 progress: bool = True, command: str | None = None, only: list[str] | None = None) -> ReportOutcome:
    """Run or reuse every experiment of the report into ``out`` and write ``report.md``, ``report.html``,
    ``verdicts.csv`` and ``figures/``. Every experiment is validated before the first run. ``only`` tests
    just those claims (and runs just their experiments, without the sensitivity analysis and E8)."""
    from multivector.experiments.errors import UsageError  # noqa: PLC0415

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out: {out} exists and is not a folder")
    overrides = overrides or {}
    unknown = [c for c in only or [] if c not in CLAIMS]
    if unknown:
        raise UsageError(f"--only: unknown claim {unknown[0]!r} (known: {', '.join(CLAIMS)})")
    claims = list(only) if only else list(CLAIMS)
    from multivector import model  # noqa: PLC0415

    model.validate_overrides("kazakhstan", overrides)  # an unknown path or a bad value: one line, before any run
    needed = {name for c in claims for name in REQUIRES[c]} | (set() if only else {"E8-shock-scale", "S-sensitivity"})
    prepared = [prepare(name, quick, overrides) for name in EXPERIMENTS if name in needed]
    sweeps: dict[str, Sweep] = {}
    with shared(workers):  # one pool of worker processes for every experiment, not one each
        for item in prepared:
            sweeps[item.name] = Sweep(run_or_reuse(item, out, workers, announce, progress))

    announce("testing the claims ...")
    findings = [CLAIMS[c](sweeps) for c in claims]
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
    if "S-sensitivity" in sweeps:
        sensitivity = sobol(sweeps["S-sensitivity"])
        sensitivity_paths = {label: render.save_figure(figures.sensitivity(sensitivity.indices, label), folder,
                                                       f"sobol-{column}")
                             for label, column in OUTCOMES.items() if label not in sensitivity.degenerate}
    if "E8-shock-scale" in sweeps:
        threshold = tipping(sweeps["E8-shock-scale"])
        threshold_path = render.save_figure(
            figures.advantage_by_level(threshold.advantage, "shocks.intent_scale (x the 2014 and 2022 intent shocks)",
                                       "E8: hedging's autonomy advantage over the best alternative",
                                       "autonomy, hedge minus best alternative"), folder, "E8")
    shape = inverted_u(sweeps["E6-rivalry"]) if "E6-rivalry" in sweeps else None
    table = pd.DataFrame([{"experiment": name, "runs": len(s.runs), "folder": str(s.results.path)}
                          for name, s in sweeps.items()])
    command = command or "multivector report" + (" --quick" if quick else "") + \
        (f" --only {','.join(only)}" if only else "") + \
        "".join(f" --set {shlex.quote(f'{k}={v}')}" for k, v in overrides.items())
    text = render.markdown_report(findings, paths, sensitivity, sensitivity_paths, threshold, threshold_path, table,
                                  command, quick, {p.name: p.skipped for p in prepared}, shape)
    if not only:
        announce("each rule at its best (defaults and best forms) ...")
        from multivector.experiments.tune_cli import best_forms_file  # noqa: PLC0415

        tournament = contest.run_contest(best_forms_file(model.DEFAULT_SCENARIO), model.DEFAULT_SCENARIO,
                                         CONTEST_REPLICATIONS[quick], seed=0, overrides=model.validate_overrides(
                                             model.DEFAULT_SCENARIO, overrides))
        contest_path = (render.save_figure(contest.figure(tournament), folder, "best-forms")
                        if tournament is not None else None)
        text = text.rstrip("\n") + "\n\n" + "\n".join(contest.section(tournament, contest_path))
    render.write_atomically(out / "report.md", text)
    render.write_atomically(out / "report.html", render.html_report(text, out))
    write_table_atomically(render.verdict_table(findings), out / "verdicts.csv")
    return ReportOutcome(out, findings, threshold.threshold if threshold else None)


CONTEST_REPLICATIONS = {False: 50, True: 5}  # seeds for "each rule at its best" (full, quick)

QUICK_WARNING = ("QUICK REPORT: NOT EVIDENCE. A few parameter sets, two seeds each and small samples check that "
                 "the chain runs; its verdicts, statuses and intervals must not be cited. Run `multivector report` "
                 "without --quick for the report.")


def print_verdicts(outcome: ReportOutcome, stream=None, quick: bool = False) -> None:
    """One line per claim: verdict, status, and the statistic that decided it with its estimate."""
    stream = sys.stdout if stream is None else stream
    if quick:
        print(QUICK_WARNING, file=stream)
    width = max(len(f.title) for f in outcome.findings)
    for f in outcome.findings:
        d = f.deciding
        print(f"{f.id:<4} {f.title:<{width}}  {f.verdict:<13}  {f.status:<20}  {d.label}: {d.estimate.text()}",
              file=stream)
    print(f"-> {outcome.folder / 'report.md'} (and report.html, verdicts.csv, figures/)", file=stream)
    if quick:
        print(QUICK_WARNING, file=stream)
