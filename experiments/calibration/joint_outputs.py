"""What ``multivector calibrate --cases`` writes: the layout of a single-case calibration
(``posterior.csv``, ``sets.csv``, ``prior.csv``, ``generations.csv``, ``predictive.csv``,
``calibrated.toml``, ``calibration.json``, ``report.md``, figures) plus the per-case tables:
``predictive.csv`` has one row per case and fact, ``cases.csv`` one row per case, and
``parameters.csv`` says which cases each shared parameter moves."""

from __future__ import annotations

import datetime as _dt
import json
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from multivector.experiments.calibration.outputs import (POSTERIOR_COLOUR, PRIOR_COLOUR, _pyabc_version, _save,
                                                        _style, _write_text, diagnostics_figure, diagnostics_lines,
                                                        effective, marginals_figure, write_posterior_tables)
from multivector.experiments.tables import write_table_atomically

if TYPE_CHECKING:
    from multivector.experiments.calibration.calibrate import CalibrationOutcome
    from multivector.experiments.calibration.joint import JointCalibration


def case_table(predictive: pd.DataFrame) -> pd.DataFrame:
    """Per case: facts, counting facts, and the mean share of runs reproducing its facts under the
    prior, the posterior predictive and the point summary; facts the posterior predictive
    reproduces in at least half its runs."""
    rows = []
    for case, group in predictive.groupby("case", sort=False):
        rows.append({"case": case, "facts": len(group), "counting": int(group["counts"].sum()),
                     "prior_share": float(group["prior_share"].mean()),
                     "posterior_share": float(group["posterior_share"].mean()),
                     "point_share": float(group["point_share"].mean()),
                     "facts_reproduced": int((group["posterior_share"] >= 0.5).sum()),
                     "missed": " ".join(group.loc[group["posterior_share"] < 0.5, "fact"])})
    return pd.DataFrame(rows)


def predictive_grid(predictive: pd.DataFrame) -> Figure:
    """Per case (one panel each): the share of runs reproducing each fact, prior against posterior
    predictive; facts that do not count are marked."""
    cases = list(dict.fromkeys(predictive["case"]))
    columns = 4
    rows = int(np.ceil(len(cases) / columns))
    fig = Figure(figsize=(3.1 * columns, 2.2 * rows + 0.4), layout="constrained")
    for i, case in enumerate(cases):
        table = predictive[predictive["case"] == case].iloc[::-1]
        ax = fig.add_subplot(rows, columns, i + 1)
        y = np.arange(len(table))
        ax.barh(y + 0.2, table["prior_share"], 0.4, color=PRIOR_COLOUR, label="prior")
        ax.barh(y - 0.2, table["posterior_share"], 0.4, color=POSTERIOR_COLOUR, label="posterior predictive")
        ax.set_yticks(y, [f"{r.fact}" + ("" if r.counts else "*") for r in table.itertuples()], fontsize=7)
        ax.axvline(0.5, color="#777777", lw=0.6, ls=":")
        ax.set_xlim(0, 1)
        ax.set_title(case, fontsize=8)
        _style(ax)
        if i == 0:
            ax.legend(fontsize=6, frameon=False, loc="lower right")
    fig.suptitle("Share of runs reproducing each fact, per case (* not counted: passes in >90% of the prior)",
                 fontsize=9)
    return fig


def parameter_table(calibration: "JointCalibration", outcome: "CalibrationOutcome") -> pd.DataFrame:
    from multivector.experiments.calibration.calibrate import weighted_quantile  # noqa: PLC0415

    posterior = outcome.posterior
    weights = posterior["weight"].to_numpy()
    rows = []
    for f in calibration.factors:
        values = posterior[f.path].to_numpy()
        rows.append({"parameter": f.path, "kind": f.kind, "shared_by": f.owner or "world", "low": f.low, "high": f.high,
                     "median": outcome.chosen[f.path], "q05": weighted_quantile(values, weights, 0.05),
                     "q95": weighted_quantile(values, weights, 0.95),
                     "interval_share_of_prior": (weighted_quantile(values, weights, 0.95)
                                                 - weighted_quantile(values, weights, 0.05)) / (f.high - f.low),
                     "cases": " ".join(f.cases)})
    return pd.DataFrame(rows)


def write(calibration: "JointCalibration", outcome: "CalibrationOutcome", first_epsilon: float,
          sampler_log: list[dict]) -> None:
    from multivector.experiments.calibration.calibrate import _toml_key, _toml_value  # noqa: PLC0415

    folder = calibration.folder
    figures = folder / "figures"
    figures.mkdir(exist_ok=True)
    settings, budget, design = calibration.settings, calibration.budget, calibration.experiment
    write_posterior_tables(calibration, outcome)
    cases = case_table(outcome.predictive)
    write_table_atomically(cases, folder / "cases.csv")
    parameters = parameter_table(calibration, outcome)
    write_table_atomically(parameters, folder / "parameters.csv")
    lines = [f"# The joint posterior's point summary (weighted median of each shared parameter), by "
             f"`multivector calibrate --cases` ({design.source_name}) on {_dt.date.today().isoformat()}.",
             "# experiments.calibration.joint.world_overrides(case) reads it.", "[fixed]"]
    lines += [f"{_toml_key(path)} = {_toml_value(value)}" for path, value in outcome.chosen.items()]
    _write_text("\n".join(lines) + "\n", folder / "calibrated.toml")
    weights = outcome.posterior["weight"].to_numpy()
    manifest = {
        "experiment_file": design.source_name, "experiment_sha256": design.sha256, "cases": list(calibration.cases),
        "method": "ABC-SMC (pyabc, batched ensemble sampler), one world for every case", "seed": calibration.root,
        "quick": calibration.quick, "budget": budget.__dict__, "settings": settings.model_dump(),
        "seconds": round(outcome.seconds, 1), "counting_facts": list(outcome.counting), "first_epsilon": first_epsilon,
        "generations": len(outcome.generations), "final_epsilon": float(outcome.generations["epsilon"].iloc[-1]),
        "particles": len(outcome.posterior), "effective_sample_size": effective(weights),
        "point_summary": "weighted posterior median of each parameter", "chosen": outcome.chosen,
        "sampler_log_this_session": sampler_log,
    }
    _write_text(json.dumps(manifest, indent=1, default=float) + "\n", folder / "calibration.json")
    names = {"marginals": _save(marginals_figure(outcome, calibration.factors), figures / "marginals.png"),
             "predictive": _save(predictive_grid(outcome.predictive), figures / "predictive.png"),
             "diagnostics": _save(diagnostics_figure(outcome.generations), figures / "diagnostics.png")}
    _write_text(_report(calibration, outcome, cases, parameters, names, first_epsilon), folder / "report.md")


def _report(calibration, outcome, cases: pd.DataFrame, parameters: pd.DataFrame, names: dict,
            first_epsilon: float) -> str:
    settings, budget, design = calibration.settings, calibration.budget, calibration.experiment
    generations = outcome.generations
    last = generations.iloc[-1]
    # converged: epsilon fell by less than 2% in each of the last two generations with a healthy
    # effective sample size (a third of the population); otherwise more generations would still move it
    drops = 1 - generations["epsilon"].iloc[1:].to_numpy() / generations["epsilon"].iloc[:-1].to_numpy()
    converged = bool(len(drops) >= 2 and (drops[-2:] < 0.02).all()
                     and last["effective_sample_size"] >= budget.population / 3)
    narrow = parameters.loc[parameters["interval_share_of_prior"] < 0.5, "parameter"].tolist()
    lines = [
        "# One world for every case: the joint calibration",
        "",
        f"Written by `multivector calibrate --cases` ({design.source_name}) on {_dt.date.today().isoformat()} in "
        f"{outcome.seconds / 60:.1f} minutes (seed {calibration.root}{', quick budget' if calibration.quick else ''}). "
        f"Cases ({len(calibration.cases)}), each under its historical strategy: {', '.join(calibration.cases)}. "
        f"Free parameters: {len(calibration.factors)}, each with a uniform prior over its range, each shared as "
        "`experiments/calibration/joint.py` says (the world's reactions by all cases; a power's red lines by every "
        "case it appears in, a composite power's by every case that declares it; a rule's constants by every case that "
        "followed it). Each case's structure is its own data's.",
        "",
        f"**Method.** ABC-SMC with pyabc {_pyabc_version()} and the batched sampler: {budget.population} particles "
        f"per generation, each run on {budget.replications} seeds in every case (one ensemble per case per batch); "
        f"at most {budget.generations} generations; prior sample a Latin hypercube of {budget.prior_samples} points. "
        "The distance is the mean over cases of the share of each case's counting facts its runs miss "
        f"(plus {settings.fit_weight:g} x the trade-path fit ratio for a case with observed series), so each case "
        "weighs the same.",
        "",
        f"**Converged?** {'No' if not converged else 'Yes, by the rule below'}: "
        f"epsilon went from {first_epsilon:.3f} (the prior's median distance) to {last['epsilon']:.3f} over "
        f"{len(generations)} generations, falling by {', '.join(f'{d:.0%}' for d in drops)} from one to the next; "
        f"the last generation accepted {last['acceptance_rate']:.1%} of proposals with an effective sample size of "
        f"{last['effective_sample_size']:.0f} of {budget.population}. (The rule: epsilon falls by less than 2% in "
        "each of the last two generations with an effective sample size of at least a third of the population.) "
        + ("Epsilon was still falling, so more generations would tighten the posterior further. "
           if not converged else "")
        + (f"Parameters with a 90% interval narrower than half their prior range: {len(narrow)} of {len(parameters)} "
           f"({', '.join(f'`{p}`' for p in narrow) or 'none'}); the facts constrain the world's reactions "
           "far more than the powers' red lines or the rules' constants."
           if len(narrow) < len(parameters) / 2 else ""),
        "",
        "## Posterior predictive checks, per case",
        "",
        f"{budget.predictive_samples} parameter sets drawn from the posterior by weight, {budget.replications} fresh "
        f"seeds each, in every case; the point summary on {budget.point_replications} seeds.",
        "",
        "| case | facts | counting | prior share | posterior predictive share | point summary | facts reproduced (>= 50% of runs) | missed |",
        "|---|---|---|---|---|---|---|---|",
        *[f"| {r.case} | {r.facts} | {r.counting} | {r.prior_share:.0%} | {r.posterior_share:.0%} | {r.point_share:.0%} | "
          f"{r.facts_reproduced} | {r.missed or '-'} |" for r in cases.itertuples()],
        "",
        f"![predictive](figures/{names['predictive']})",
        "",
        "Per fact: `predictive.csv` (prior, posterior predictive and point-summary shares, and how often each "
        "fact's event occurred).",
        "",
        "## Posterior",
        "",
        "| parameter | shared by | prior range | point summary | 90% interval | interval / prior range |",
        "|---|---|---|---|---|---|",
        *[f"| `{r.parameter}` | {r.shared_by} ({len(r.cases.split())} cases) | [{r.low:g}, {r.high:g}] | {r.median:.4g} | "
          f"[{r.q05:.3g}, {r.q95:.3g}] | {r.interval_share_of_prior:.0%} |" for r in parameters.itertuples()],
        "",
        f"![marginals](figures/{names['marginals']})",
        "",
        "## Diagnostics",
        "",
        *diagnostics_lines(generations, names["diagnostics"]),
    ]
    return "\n".join(lines)
