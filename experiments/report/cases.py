"""``multivector report --cases``: the cross-case section (issue 18 item 4).

Every real case under every rule (the matrix, as a heat map), hedging against the best available
form of each alternative case by case, the leave-one-case-out table of the joint calibration (when
it is shipped), the structural drivers of hedging's advantage (a shallow tree over the cases, Sobol
indices in the stylised scenario), and C10's verdict from the real cases with the claims' decision
rule and status column. Sweeps are run or reused like the claims' (:mod:`.plan`), under
``OUT/sweeps/``; the tables are written beside the report as CSV.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from multivector.experiments.cross_case import drivers as drivers_module
from multivector.experiments.cross_case import matrix as matrix_module
from multivector.experiments.cross_case.verdict import c10_finding, c10_parts, matrix_inputs
from multivector.experiments.cross_case.world import JOINT, world_for
from multivector.experiments.pool import shared
from multivector.experiments.tables import write_table_atomically

from . import render
from .claims import Finding
from .evidence import RULE_TEXT, STATUS_TEXT

LEAVE_ONE_OUT = Path(__file__).resolve().parents[1] / "data" / "calibration-joint" / "leave-one-out.csv"
QUICK_WARNING = ("QUICK CROSS-CASE REPORT: NOT EVIDENCE. Two seeds per cell and a tiny Sobol design check that the "
                 "chain runs; its verdict and intervals must not be cited.")


@dataclass
class CasesOutcome:
    folder: Path
    finding: Finding
    matrix: matrix_module.Matrix


def build_cases_report(out: str | Path, quick: bool = False, workers: int | None = None,
                       announce: Callable[[str], None] = print, progress: bool = True,
                       cases: Sequence[str] | None = None, strategies: Sequence[str] | None = None,
                       replications: int | None = None, steps: int | None = None,
                       sobol_samples: int | None = None, command: str | None = None) -> CasesOutcome:
    """Run or reuse the matrix and the Sobol sweep into ``out``; write ``report.md``, ``report.html``,
    ``verdicts.csv``, the matrix's tables (``matrix-runs.csv``, ``matrix.csv``, ``contest.csv``,
    ``structure.csv``, ``sobol.csv``) and ``figures/``."""
    from multivector.experiments.cases.commands import case_scenarios  # noqa: PLC0415
    from multivector.experiments.errors import UsageError  # noqa: PLC0415

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out: {out} exists and is not a folder")
    cases = list(cases or case_scenarios())
    with shared(workers):  # one pool of worker processes for the whole section, not one per sweep
        return _build(out, quick, workers, announce, progress, cases, strategies, replications, steps, sobol_samples,
                      command)


def _build(out, quick, workers, announce, progress, cases, strategies, replications, steps, sobol_samples,
           command) -> CasesOutcome:
    announce(f"the cross-case matrix: {len(cases)} cases ...")
    matrix = matrix_module.run_matrix(out, cases, strategies, quick=quick, replications=replications, steps=steps,
                                      workers=workers, announce=announce, progress=progress)
    folder = out / "figures"
    contest = matrix.contest()
    figures = {"heat": render.save_figure(matrix_module.heat_map(matrix), folder, "cases-matrix"),
               "contest": render.save_figure(matrix_module.contest_figure(matrix, contest), folder, "cases-contest")}

    announce("structural drivers ...")
    worlds = {case: world_for(case) for case in cases}
    structure = drivers_module.structure_table(cases, worlds)
    advantages = {metric: matrix.advantage(metric).groupby("case")["value"].mean() for metric in ("utility", "autonomy")}
    fits = [drivers_module.fit_tree(structure, advantages[m], m) for m in advantages]
    figures["drivers"] = render.save_figure(drivers_module.drivers_figure(fits, structure, advantages), folder,
                                            "cases-drivers")
    sobol = drivers_module.sobol_drivers(out, quick, workers, announce, progress, sobol_samples)
    if len(sobol.indices):
        figures["sobol"] = render.save_figure(drivers_module.sobol_figure(sobol), folder, "cases-sobol")

    announce("C10 from the real cases ...")
    world_text = _world_text(matrix)
    finding = c10_finding(c10_parts(*matrix_inputs(matrix)), structure, world=world_text)
    figures["C10"] = figures["contest"]

    tables = {"matrix-runs.csv": matrix.runs, "matrix.csv": matrix.summary(), "contest.csv": contest,
              "best-forms.csv": matrix.best_forms(), "structure.csv": structure.rename_axis("case").reset_index(),
              "sobol.csv": sobol.indices}
    for name, table in tables.items():
        write_table_atomically(table, out / name)
    command = command or "multivector report --cases" + (" --quick" if quick else "")
    text = "\n".join(markdown(matrix, contest, structure, advantages, fits, sobol, finding, figures, command, quick,
                              world_text))
    render.write_atomically(out / "report.md", text)
    render.write_atomically(out / "report.html", render.html_report(text, out))
    write_table_atomically(render.verdict_table([finding]), out / "verdicts.csv")
    return CasesOutcome(out, finding, matrix)


def _world_text(matrix: matrix_module.Matrix) -> str:
    sources = set(matrix.worlds.values())
    if sources == {JOINT}:
        return JOINT
    return "; ".join(sorted(sources))


def leave_one_out_lines(path: Path = LEAVE_ONE_OUT) -> list[str]:
    """The joint calibration's leave-one-case-out table, per case (the mean of every numeric column over
    the case's facts: hit rates of the model and of each baseline), or a sentence saying it is absent."""
    lines = ["## Out-of-case prediction (leave one case out)", ""]
    if not path.is_file():
        return lines + [f"Not available: `{'/'.join(path.parts[-4:])}` is not shipped (the joint calibration's "
                        "leave-one-case-out run, `multivector calibrate --cases`, has not been run into it). This "
                        "section fills in when it is.", ""]
    try:
        table = pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError) as error:
        return lines + [f"`{'/'.join(path.parts[-4:])}` could not be read ({error}); no table.", ""]
    numeric = [c for c in table.columns if c not in ("case", "fact") and pd.api.types.is_numeric_dtype(table[c])]
    if "case" not in table.columns or not numeric:
        return lines + [f"`{'/'.join(path.parts[-4:])}` has no case column or no numeric column; no table.", ""]
    per_case = table.groupby("case")[numeric].mean()
    per_case.loc["all cases"] = table[numeric].mean()
    lines += [f"From `{'/'.join(path.parts[-4:])}`: per held-out case, the mean over its facts of each column "
              "(the model's hits and each naive baseline's).", "",
              "| case | " + " | ".join(numeric) + " |", "|---|" + "---|" * len(numeric)]
    lines += [f"| {case} | " + " | ".join(f"{row[c]:.2f}" for c in numeric) + " |" for case, row in per_case.iterrows()]
    return lines + [""]


def _interval(row) -> str:
    return f"{row['estimate']:+.3g} [{row['low']:+.3g}, {row['high']:+.3g}]"


def markdown(matrix, contest, structure, advantages, fits, sobol, finding, figures, command, quick,
             world_text) -> list[str]:
    out = ["# Multivector: is multivectorism a model strategy? The real cases", ""]
    out += [f"Generated by `{command}`. Every number below is computed from the sweeps listed at the end.", ""]
    if quick:
        out += [f"> **{QUICK_WARNING}**", ""]
    out += [f"**World.** {world_text[0].upper() + world_text[1:]}.", ""]
    forms = sorted(set(matrix.runs["form"]))
    out += ["## The case-by-rule matrix", "",
            f"{len(matrix.cases)} cases x {len(matrix.strategies)} rules, each rule in every available form "
            f"({', '.join(forms)}), and each case's historical strategy as a reference row, on {matrix.replications} "
            f"common seeds (replication r of every cell has the seed `SeedSequence({matrix_module.SEED}, "
            "spawn_key=(0, r))`). A rule's *best available form* in a case is the form with the highest mean "
            "utility there (the choice is made on the same seeds, which flatters the alternatives). The heat map "
            "shows each rule in its best available form; every cell's mean and 95% interval (percentile bootstrap "
            "over seeds), every form and every outcome are in `matrix.csv`, the runs in `matrix-runs.csv`.", "",
            f"![the case-by-rule matrix]({figures['heat']})", ""]
    out += _matrix_table(matrix)
    out += ["## Where hedging beats the best available form of each alternative", "",
            "Hedging minus each alternative, both in their best available forms, paired by seed, with the rule of "
            "the report's \"each rule at its best\" section: hedging is better only where the whole 95% interval is "
            "above zero (`contest.csv`).", "", f"![hedging against each alternative]({figures['contest']})", ""]
    out += _contest_lines(matrix, contest)
    out += leave_one_out_lines()
    out += _drivers_lines(structure, advantages, fits, sobol, figures)
    out += _verdict_lines(finding, figures)
    out += ["## Sweeps", "", "Each is an ordinary sweep folder (`multivector analyze`, the app's sweep view).", "",
            "| Sweep | Runs | Folder |", "|---|---|---|"]
    out += [f"| {name} | {runs} | `{folder}` |" for name, runs, folder in matrix.folders]
    out += [""]
    return out


def _matrix_table(matrix) -> list[str]:
    shown = [m for m in matrix_module.SHOWN if m in matrix_module.METRICS]
    best = matrix.at_best()
    means = best.groupby(["case", "strategy", "form"], sort=False)[shown].mean().reset_index()
    order = {s: i for i, s in enumerate([*matrix.strategies, "historical"])}
    means = means.assign(_case=means["case"].map({c: i for i, c in enumerate(matrix.cases)}),
                         _rule=means["strategy"].map(order)).sort_values(["_case", "_rule"])
    means["form"] = means["form"].where(means["strategy"] != "historical", "the record")
    lines = ["*Means over seeds, each rule in its best available form (intervals in `matrix.csv`):*", "",
             "| case | rule (form) | " + " | ".join(shown) + " |", "|---|---|" + "---|" * len(shown)]
    for row in means.itertuples(index=False):
        record = row._asdict()
        lines.append(f"| {record['case']} | {record['strategy']} ({record['form']}) | " +
                     " | ".join(f"{record[m]:.3g}" for m in shown) + " |")
    return lines + [""]


def _contest_lines(matrix, contest) -> list[str]:
    lines = ["| case | utility: hedging beats | utility: an alternative beats hedging | autonomy: hedging beats | "
             "autonomy: an alternative beats hedging |", "|---|---|---|---|---|"]
    for case in matrix.cases:
        rows = contest[contest["case"] == case]
        cells = []
        for metric in ("utility", "autonomy"):
            m = rows[rows["metric"] == metric]
            better = ", ".join(m.loc[m["hedge_better"], "alternative"]) or "none"
            worse = ", ".join(f"{r['alternative']} ({_interval(r)})" for _, r in m[m["alternative_better"]].iterrows())
            cells += [better, worse or "none"]
        lines.append(f"| {case} | " + " | ".join(cells) + " |")
    every = matrix.hedging_beats_every_alternative()
    lines += ["", f"Hedging beats the best available form of every alternative on both utility and autonomy in "
              f"**{int(every.sum())} of {len(every)}** cases"
              f"{': ' + ', '.join(every[every].index) if every.any() else ''}.", ""]
    return lines


def _drivers_lines(structure, advantages, fits, sobol, figures) -> list[str]:
    lines = ["## Structural drivers", "",
             "Each case's structural inputs at its start, read from its data (`structure.csv`):", ""]
    lines += [f"- *{name}*: {text}" for name, text in drivers_module.INPUTS.items()]
    columns = list(structure.columns)
    lines += ["", "| case | " + " | ".join(columns) + " | utility advantage | autonomy advantage |",
              "|---|" + "---|" * (len(columns) + 2)]
    for case, row in structure.iterrows():
        lines.append(f"| {case} | " + " | ".join(f"{row[c]:.3g}" for c in columns) +
                     f" | {advantages['utility'].get(case, np.nan):+.3g} | {advantages['autonomy'].get(case, np.nan):+.3g} |")
    lines += ["", f"The advantage is hedging minus the best alternative (best available forms), the mean over seeds. "
              f"With {len(structure)} cases, what follows describes these cases; it is not an estimate of a law.", ""]
    for fit in fits:
        lines += [f"**{fit.target}**: a regression tree of depth {drivers_module.MAX_DEPTH} (at least "
                  f"{drivers_module.MIN_LEAF} cases a leaf) explains {fit.r2:.2f} of the variance across cases in "
                  f"sample and {fit.r2_loo:.2f} leaving one case out (a value at or below 0 predicts a held-out case "
                  "no better than the other cases' mean).", "", "```", fit.rules.rstrip(), "```", ""]
        if fit.constant:
            lines += [f"Inputs with the same value in every case (no driver here): {', '.join(fit.constant)}.", ""]
        table = fit.correlations.dropna()
        if len(table):
            lines += ["| input | Spearman rho with the advantage | p |", "|---|---|---|"]
            lines += [f"| {r.input} | {r.rho:+.2f} | {r.p:.2g} |" for r in table.itertuples()]
            lines += [""]
    lines += [f"![structural drivers]({figures['drivers']})", ""]
    lines += ["**In the stylised scenario**: Sobol indices of hedging's advantage over the best other strategy "
              "(all rules at their defaults; each point the mean of its seeds) over these inputs "
              f"(Saltelli design, base sample N = {sobol.samples}, {sobol.points} points, {sobol.runs} runs: a "
              "modest N, so the indices' intervals are wide and only the ranking of large effects is "
              "resolved):", ""]
    lines += [f"- `{path}` in [{low:g}, {high:g}]: {label}" for path, (low, high, label) in
              drivers_module.SOBOL_FACTORS.items()]
    lines += [f"- {target}: not reported, {why}." for target, why in sobol.degenerate.items()]
    lines += [""]
    if len(sobol.indices):
        lines += ["| target | input | S1 [95%] | ST [95%] |", "|---|---|---|---|"]
        lines += [f"| {r.target} | {r.label} | {r.S1:.2f} +/- {r.S1_conf:.2f} | {r.ST:.2f} +/- {r.ST_conf:.2f} |"
                  for r in sobol.indices.itertuples()]
        first = sobol.indices.drop_duplicates("target")
        lines += [""] + [f"- {r.target}: hedging is ahead of every other strategy at {r.share_hedge_ahead:.0%} of the "
                         f"points (mean advantage {r.advantage_mean:+.3g})." for r in first.itertuples()]
        lines += ["", f"![Sobol indices]({figures['sobol']})", ""]
    return lines


def _verdict_lines(finding: Finding, figures) -> list[str]:
    lines = [f"## {finding.id} {finding.title}", "", f"> {finding.claim}", "",
             f"Sources: {finding.sources}. **Verdict: {finding.verdict}.** Status: *{finding.status}*.", "",
             "The decision rule is the claims report's, each statistic a mean over real cases with a 95% percentile "
             "bootstrap interval over cases:", ""]
    lines += [f"- **{kind}**: {text}." for kind, text in RULE_TEXT.items()]
    lines += ["", "Status:", ""] + [f"- **{name}**: {text}." for name, text in STATUS_TEXT.items()] + [""]
    lines += render._part_rows(finding) + [""]
    flips = render._flip_lines(finding)
    lines += ["What would flip it:", ""]
    lines += [f"- {n}" for n in finding.notes if "would become" in n or "no number of cases" in n]
    if flips:
        lines += ["- Structural inputs that split the cases into thirds (lowest and highest) with different "
                  "verdicts:"] + [f"  {line.replace('within the posterior region', 'across the cases')}"
                                  for line in flips]
    lines += [""] + [f"- {n}" for n in finding.notes if n.startswith("World")] + [""]
    return lines


def print_cases(outcome: CasesOutcome, stream=None, quick: bool = False) -> None:
    """C10's line, as ``report`` prints each claim's, and where the report is."""
    import sys  # noqa: PLC0415

    stream = sys.stdout if stream is None else stream
    if quick:
        print(QUICK_WARNING, file=stream)
    f = outcome.finding
    d = f.deciding
    print(f"{f.id:<4} {f.title}  {f.verdict:<13}  {f.status:<20}  {d.label}: {d.estimate.text()}", file=stream)
    print(f"-> {outcome.folder / 'report.md'} (and report.html, verdicts.csv, matrix.csv, figures/)", file=stream)

