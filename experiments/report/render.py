"""Writing the report: Markdown with its figures (PNG and SVG) beside it, the same as one
self-contained HTML file (figures embedded), and the verdicts as a CSV."""

from __future__ import annotations

import base64
import re
import tomllib
from pathlib import Path

import markdown
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from multivector.experiments import figures as cli_figures
from multivector.experiments.tables import save_atomically

from .case import Case, ThresholdSection
from .claims import Finding
from .evidence import BY_CONSTRUCTION, CONFIDENCE, MARGINS, RULE_TEXT, STATUS_TEXT, UNTESTABLE
from .sensitivity import InvertedU, Sensitivity, Threshold, influential

SOURCES = tomllib.loads(Path(__file__).with_name("sources.toml").read_text(encoding="utf-8"))


def limits(case: Case) -> list[str]:
    """What the model cannot say about ``case``: its pack's own list, else one built from its data."""
    if case.claims.limits:
        return list(case.claims.limits)
    out = [f"One secondary power. {case.name} is modelled alone; the secondary powers around it, and what they "
           "do, are not agents.",
           "Quarterly steps. Anything faster than a quarter is folded into one step; event order within a quarter "
           "follows the scenario's dates.",
           f"Unitary actors. Each power, and {case.name}, is one decision maker: no domestic politics, elites, "
           "lobbies or public opinion."]
    out += [f"{power} as one actor. Its data rows {' + '.join(rows)} are one power with one intent, one budget "
            "and one reliability." for power, rows in case.composites.items()]
    out.append("What the calibration could not fit. The case's stylised facts constrain the posterior sets; many "
               "parameters remain placeholders (`multivector params` marks them), and the verdicts are conditional "
               "on them." if case.calibrated else
               f"No calibration. {case.name} has no posterior sample (`multivector calibrate --scenario "
               f"{case.scenario}`): every experiment runs at the scenario's own values, many of them placeholders "
               "(`multivector params` marks them); its units are pairs of seeds, so the intervals carry seed noise "
               "only, not parameter uncertainty, and no calibrated parameter can be named that would flip a verdict. "
               "Nothing here is evidence about the case until it is calibrated.")
    out.append("Counterfactual worlds are the model's. The stylised worlds (C7's and C8's pressed worlds, E10's "
               "random triples) use the stylised scenario's uncalibrated defaults and are the same for every case.")
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def save_figure(fig: Figure, folder: Path, name: str) -> str:
    """PNG and SVG, each written whole; the PNG's path relative to the report."""
    folder.mkdir(parents=True, exist_ok=True)
    cli_figures.save(fig, folder / name)
    return f"figures/{name}.png"


def _share(x: float) -> str:
    return f"{x:.0%}" if np.isfinite(x) else "n/a"


def _fmt(x: float) -> str:
    return "n/a" if not np.isfinite(x) else f"{x:.3g}"


def _margin_text(p) -> str:
    noise = f"; noise {_fmt(p.noise)}" if np.isfinite(p.noise) else ""
    return f"{_fmt(p.margin)} ({p.margin_kind}{noise})"


def _part_rows(finding: Finding) -> list[str]:
    rows = ["| Statistic | Estimate [95% CI] | Units | Margin | Rule | Verdict | Status | Units where it holds |",
            "|---|---|---|---|---|---|---|---|"]
    for p in finding.parts:
        e = p.estimate
        rows.append(f"| {p.label} | {_fmt(e.value)} [{_fmt(e.low)}, {_fmt(e.high)}] | {e.units} {p.unit_name}s | "
                    f"{_margin_text(p)} | {p.kind} | **{p.verdict}** | *{p.status}* | {_share(p.share_holding)} |")
    untestable = [p for p in finding.parts if p.status == UNTESTABLE]
    by_construction = [p for p in finding.parts if p.status == BY_CONSTRUCTION]
    rows.append("")
    for p in untestable:
        rows.append(f"- *{p.label}*: **untestable here**: no {p.event or 'event'} in any run compared; the verdict "
                    "does not count.")
    for p in by_construction:
        rows.append(f"- *{p.label}*: **true by construction**: the rule under test has the same value in every "
                    "unit; the verdict does not count.")
    return rows


def _simplex_lines(finding: Finding, figures: dict[str, str]) -> list[str]:
    lines = []
    for i, p in enumerate(finding.parts):
        grid = p.simplex
        if grid is None:
            continue
        model = ", ".join(f"{name} {share:.2f}" for name, share in zip(("deviation", "concession", "pressure",
                                                                         "coercion"), grid.model_shares))
        wins = (f" Hedging keeps more autonomy (beyond the margin) in **{grid.share_hedge_wins:.0%}** of them."
                if p.reweighed.hedge_sign else "")
        lines += [f"*{p.label}* over the whole simplex of autonomy's weights ({len(grid.shares)} weightings, a "
                  f"regular grid of step 1/12; the model's own shares: {model}): the verdict is supported in "
                  f"**{grid.share_supported:.0%}** of weightings.{wins}", "",
                  f"![{finding.id} simplex]({figures[f'{finding.id}-simplex-{i}']})", ""]
    return lines


def _table_lines(title: str, table: pd.DataFrame) -> list[str]:
    columns = list(table.columns)
    lines = [f"*{title}*", "", "| | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    for name, row in table.iterrows():
        lines.append(f"| {name} | " + " | ".join(_fmt(float(row[c])) for c in columns) + " |")
    return lines + [""]


def _flip_lines(finding: Finding) -> list[str]:
    lines = []
    for label, flips in finding.flips.items():
        if not flips:
            continue
        flipping = [f for f in flips if f.flips]
        lines.append(f"- *{label}*:")
        for f in flips:
            lines.append(f"    - `{f.parameter}` (Spearman rho {f.rho:+.2f}, p = {f.p_value:.2g}): lowest third "
                         f"[{f.low_range[0]:.3g}, {f.low_range[1]:.3g}] gives *{f.low_verdict}*, highest third "
                         f"[{f.high_range[0]:.3g}, {f.high_range[1]:.3g}] gives *{f.high_verdict}*"
                         f"{' - **this parameter flips the verdict**' if f.flips else ''}.")
        if not flipping:
            lines.append("    - none of these flips the verdict within the posterior region; the part's own interval "
                         "and its margin say how far the evidence is from the other verdict.")
    return lines


def markdown_report(findings: list[Finding], figures: dict[str, str], sensitivity: Sensitivity | None,
                    sensitivity_figures: dict[str, str] | None, threshold: Threshold | None,
                    threshold_figure: str | None,
                    sweeps: pd.DataFrame, command: str, quick: bool, skipped: dict[str, tuple[str, ...]],
                    shape: InvertedU | None = None, *, case: Case, cannot: dict[str, str] | None = None) -> str:
    out = ["# Multivector: the thesis on trial", ""]
    out += [f"Generated by `{command}`. Every number and verdict below is computed from the sweeps listed at the "
            "end; nothing is typed in.", ""]
    out += [f"Case: **{case.name}** (scenario `{case.scenario}`, {case.start}-{case.end}). " + _roles_text(case), ""]
    if not case.calibrated:
        out += [f"> **Uncalibrated case.** {case.name} has no posterior sample: every experiment runs at the "
                "scenario's own values, and the units below are pairs of seeds (replications 2k and 2k+1), not "
                "parameter sets, so the intervals carry seed noise only. Calibrate the case before citing anything.",
                ""]
    if quick:
        out += ["> **Quick report: not evidence.** Few parameter sets, two seeds each and small samples: a check "
                "that the whole chain runs. Its verdicts, statuses and intervals must not be cited. Run "
                "`multivector report` without `--quick` for the verdicts.", ""]
    out += [SOURCES["source"], ""]
    out += ["## How a verdict is reached", ""]
    out += ["Each claim is one or more statistics, oriented so that a positive value favours the claim. A statistic "
            "is a mean over **units**: the sets of the calibration's posterior sample (each the mean of its seeds; all "
            "strategies of a set share seeds), or the design points of E10. Its 95% interval is a percentile "
            "bootstrap over units (2,000 resamples, seeded), which carries the calibration's uncertainty and never "
            "leaves the measure's range. The rule, stated once:", ""]
    out += [f"- **{kind}**: {text}." for kind, text in RULE_TEXT.items()]
    out += ["- A claim with several statistics is supported when every one is, not supported when any one is not, "
            "and inconclusive otherwise.", ""]
    out += ["The smallest difference that counts (the margin):", ""]
    out += ["| Kind | Margin | Why |", "|---|---|---|"]
    out += [f"| {k} | {v:g}{' x reference' if k == 'relative' else ''} | {why} |" for k, (v, why) in MARGINS.items()]
    out += ["", "**Margins never smaller than the noise.** Where a statistic compares runs of a rule, the margin used "
            "is the larger of the one above and the noise of the comparison: the reach from 0 of the 95% interval "
            "(bootstrap over units) of the difference between two identical rules, the even- and odd-numbered "
            "seeds of the rule under test in each unit. A difference smaller than that could be luck. Each claim's "
            "table gives the margin used and the noise it was checked against.", ""]
    out += ["**Status: is the verdict evidence?** Each statistic carries a status computed from the runs:", ""]
    out += [f"- **{name}**: {text}." for name, text in STATUS_TEXT.items()]
    out += ["", "A claim's verdict combines only its *tested* statistics; a claim with none has no verdict but its "
            "status. The verdict of a statistic that is not tested is still shown, and does not count.", ""]
    out += ["**Autonomy over every weighting.** Autonomy is exp(-loss), the loss a weighted sum of four parts over "
            "the trailing window (forced deviation from S's plan, cost of concessions, pressure suffered, coercion "
            "events; ODD eq. 21), and the weights are placeholders. Each autonomy statistic is recomputed from the "
            "recorded parts at every point of a regular grid on the simplex of the four weights' shares (each share "
            "times the model's total weight; step 1/12, 455 weightings; the model's own weights give back the "
            "recorded autonomy exactly) and the report gives the share of weightings in which its verdict is "
            "supported, with a figure. The parts themselves are shown on their own scales beside the index.", ""]
    out += ["**Seeds.** Each strategy and setting is run on every posterior parameter set with several seeds "
            "(the experiment files say how many). The number was chosen so each comparison rests on over 1,000 runs "
            "(claims.md asks for at least 100 seeds) and the interval of most statistics is narrower than its margin; "
            "the table of each claim gives the interval, so a reader can see where more seeds could still move a "
            "verdict (an interval that straddles 0 or the margin). Between-set differences, not seeds, dominate "
            "the intervals.", ""]
    out += ["**Flip conditions.** For every statistic the report lists the calibrated parameters whose values move "
            "it most across the posterior sets (rank correlation), and applies the same decision rule to the sets in "
            "the lowest and highest third of each: where the two verdicts differ, that parameter flips the verdict.",
            ""]

    out += ["## Verdicts", "", "| | Claim | Verdict | Status | Experiments | Deciding statistic: estimate [95% CI] |",
            "|---|---|---|---|---|---|"]
    for f in findings:
        d = f.deciding
        e = d.estimate
        out.append(f"| {f.id} | [{f.title}](#{_slug(f.id + ' ' + f.title)}) | **{f.verdict}** | *{f.status}* | "
                   f"{', '.join(f.experiments)} | {d.label}: {_fmt(e.value)} [{_fmt(e.low)}, {_fmt(e.high)}] |")
    out.append("")
    for f in findings:
        out += [f"## {f.id} {f.title}", "", f"> {f.claim}", "", f"Sources: {f.sources}. Experiments: "
                f"{', '.join(f.experiments)}. **Verdict: {f.verdict}.** Status: *{f.status}*.", ""]
        out += [f"![{f.id}]({figures[f.id]})", ""]
        out += _part_rows(f) + [""]
        for title, table in f.tables.items():
            out += _table_lines(title, table)
        out += _simplex_lines(f, figures)
        flips = _flip_lines(f)
        if flips:
            out += ["What would flip it:", ""] + flips + [""]
        out += [f"- {n}" for n in f.notes] + ([""] if f.notes else [])

    if shape is not None:
        out += _inverted_u_section(shape)
    if cannot:
        out += _cannot_section(cannot)
    if threshold is not None:
        out += _threshold_section(threshold, threshold_figure, case.claims.threshold)
    if sensitivity is not None:
        out += _sensitivity_section(sensitivity, sensitivity_figures)
    out += _closing(sweeps, skipped, case)
    return "\n".join(out)


def _inverted_u_section(shape: InvertedU) -> list[str]:
    verdict = ("an inverted U" if shape.found else "no inverted U (the rise or the fall is not beyond doubt, or the "
               "peak is at an end of the range)")
    return ["## E6: an inverted U in rivalry?", "",
            "Inducements a hedger receives over the run, by rivalry (the C4 figure): the level with the highest mean "
            f"is x{shape.peak:g}. From the lowest level to it: {shape.rise.text()}; from it to the highest level: "
            f"{shape.fall.text()} (95% intervals over parameter sets). The model shows {verdict}.", ""]


def _roles_text(case: Case) -> str:
    """The roles of the claims, bound to the case's powers, with where each binding comes from."""
    bound = "; ".join(f"{role} = {power} ({case.sources[role]})" for role, power in case.roles.items())
    unbound = "; ".join(f"{role}: {why}" for role, why in case.unbound.items())
    return (f"Roles of the claims: {bound}." if bound else "No role is bound.") + \
        (f" Not bound: {unbound}." if unbound else "")


def _cannot_section(cannot: dict[str, str]) -> list[str]:
    out = ["## Claims this case cannot test", "", "| Claim | Why it cannot be tested in this case |", "|---|---|"]
    return out + [f"| {cid} | {why} |" for cid, why in cannot.items()] + [""]


def _threshold_section(threshold: Threshold, threshold_figure: str, spec: ThresholdSection) -> list[str]:
    out = [f"## {spec.heading}", ""]
    out += ["Hedging's autonomy (run mean) minus the best of balancing and bandwagoning, per posterior set, as the "
            f"{spec.what} are scaled:", "", f"![{spec.key}]({threshold_figure})", "",
            "| Shock scale | Advantage [95% CI] | |", "|---|---|---|"]
    out += [f"| {k:g} | {v[0]} | {v[1]} |" for k, v in threshold.per_level.items()]
    out += ["", ("No threshold in the range tested: at no scale is the whole interval below 0, so no shock size "
                 "tested makes hedging keep less autonomy than the best alternative beyond doubt." if
                 threshold.threshold is None else
                 f"Threshold: from a scale of {threshold.threshold:g} the whole interval is below 0, hedging keeps "
                 "less autonomy than the best alternative."), ""]
    return out


def _sensitivity_section(sensitivity: Sensitivity, sensitivity_figures: dict[str, str]) -> list[str]:
    out = ["## Which assumptions the verdicts rest on", ""]
    out += [f"Sobol indices (first order S1 and total ST, 95% intervals; Saltelli sampling, base sample N = "
            f"{sensitivity.samples}) of hedging's outcomes over the posterior region: each calibrated parameter "
            "ranges over the span of the posterior sets (experiment `S-sensitivity`).", ""]
    out += [f"- {n}" for n in sensitivity.warnings]
    out += [f"- {label}: not reported, {why}." for label, why in sensitivity.degenerate.items()]
    out.append("")
    for label, names in influential(sensitivity).items():
        out.append(f"- **{label}**: {', '.join(names) if names else 'no parameter has a total effect distinguishable from 0'}.")
    out.append("")
    for label, path in sensitivity_figures.items():
        out += [f"![{label}]({path})", ""]
    return out


def _closing(sweeps: pd.DataFrame, skipped: dict[str, tuple[str, ...]], case: Case) -> list[str]:
    out = ["## Honest limits", ""] + [f"- {line}" for line in limits(case)]
    if any(skipped.values()):
        out += ["", "Settings given with `--set` that an experiment could not take (it varies them, or its "
                "scenario lacks them):", ""]
        out += [f"- {name}: {', '.join(paths)}" for name, paths in skipped.items() if paths]
    out += ["", "## Sweeps", "", "Each is an ordinary sweep folder (`multivector analyze`, the app's sweep view).", ""]
    out += ["| Experiment | Runs | Folder |", "|---|---|---|"]
    out += [f"| {r.experiment} | {r.runs} | `{r.folder}` |" for r in sweeps.itertuples()]
    out += ["", "## References", ""] + [f"- {r}" for r in SOURCES["references"]] + [""]
    return out


def html_report(text: str, folder: Path) -> str:
    """The Markdown as one HTML file with its PNG figures embedded."""
    body = markdown.markdown(text, extensions=["tables"])

    def embed(match: re.Match) -> str:
        path = folder / match.group(1)
        data = base64.b64encode(path.read_bytes()).decode()
        return f'src="data:image/png;base64,{data}"'

    body = re.sub(r'src="(figures/[^"]+\.png)"', embed, body)
    style = ("body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;line-height:1.45}"
             "table{border-collapse:collapse;font-size:0.85em;margin:0.5em 0}td,th{border:1px solid #ccc;"
             "padding:3px 6px;vertical-align:top}img{max-width:100%}blockquote{color:#444;border-left:3px solid "
             "#009E73;margin-left:0;padding-left:1em}")
    return f"<!doctype html><html><head><meta charset='utf-8'><title>Multivector: the thesis on trial</title>" \
           f"<style>{style}</style></head><body>{body}</body></html>"


def write_atomically(path: Path, text: str) -> None:
    save_atomically(lambda name: Path(name).write_text(text, encoding="utf-8"), path)


def verdict_table(findings: list[Finding]) -> pd.DataFrame:
    rows = []
    for f in findings:
        for p in f.parts:
            e = p.estimate
            grid = p.simplex
            rows.append({"claim": f.id, "title": f.title, "claim_verdict": f.verdict, "claim_status": f.status,
                         "statistic": p.label, "decides": p is f.deciding, "status": p.status,
                         "estimate": e.value, "low": e.low, "high": e.high, "confidence": CONFIDENCE, "units": e.units,
                         "margin": p.margin, "stated_margin": p.stated_margin, "noise": p.noise, "rule": p.kind,
                         "verdict": p.verdict, "share_of_units_holding": p.share_holding,
                         "simplex_share_supported": grid.share_supported if grid else np.nan,
                         "simplex_share_hedge_wins": grid.share_hedge_wins if grid and p.reweighed.hedge_sign
                         else np.nan,
                         "flipped_by": "; ".join(x.parameter for x in f.flips.get(p.label, []) if x.flips)})
    return pd.DataFrame(rows)
