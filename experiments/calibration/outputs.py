"""What ``multivector calibrate`` writes: the posterior and its diagnostics as tables, the point
summary as scenario parameters, figures, and a Markdown report computed from the calibration's own
runs. Every file is written whole (a temporary file renamed into place)."""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from multivector.experiments.calibration.summary import observed_series
from multivector.experiments.tables import save_atomically, write_table_atomically

if TYPE_CHECKING:
    from multivector.experiments.calibration.calibrate import Calibration, CalibrationOutcome

POSTERIOR_COLOUR, PRIOR_COLOUR, POINT_COLOUR = "#1b9e77", "#bbbbbb", "#d95f02"


def _style(ax) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=7)


def _save(fig: Figure, path: Path) -> str:
    save_atomically(lambda name: fig.savefig(name, dpi=130, format="png"), path)
    return path.name


def _write_text(text: str, path: Path) -> None:
    def save(name: str) -> None:
        Path(name).write_text(text)

    save_atomically(save, path)


def marginals_figure(outcome: "CalibrationOutcome", factors: list) -> Figure:
    """Each parameter: the prior (uniform over its range; the prior sample in grey) against the
    posterior's weighted histogram, with the point summary (weighted median) marked."""
    columns = 4
    rows = int(np.ceil(len(factors) / columns))
    fig = Figure(figsize=(2.7 * columns, 1.8 * rows + 0.5), layout="constrained")
    posterior = outcome.posterior
    weights = posterior["weight"].to_numpy()
    for i, factor in enumerate(factors):
        ax = fig.add_subplot(rows, columns, i + 1)
        bins = np.linspace(factor.low, factor.high, 21)
        ax.hist(outcome.prior[factor.path], bins=bins, color=PRIOR_COLOUR, density=True, label="prior sample")
        ax.hist(posterior[factor.path], bins=bins, weights=weights, color=POSTERIOR_COLOUR, alpha=0.75, density=True,
                label="posterior")
        ax.axvline(outcome.chosen[factor.path], color=POINT_COLOUR, lw=1.4, label="weighted median")
        ax.set_xlim(factor.low, factor.high)
        ax.set_title(factor.path, fontsize=7)
        ax.set_yticks([])
        _style(ax)
        if i == 0:
            ax.legend(fontsize=6, frameon=False)
    fig.suptitle("Posterior marginals against the uniform prior over each range", fontsize=9)
    return fig


def predictive_figure(outcome: "CalibrationOutcome") -> Figure:
    """Share of runs reproducing each fact: prior sample against posterior predictive; facts that
    do not count (passing in more than the uninformative share of the prior) are marked."""
    table = outcome.predictive.iloc[::-1]
    fig = Figure(figsize=(7.5, 0.32 * len(table) + 1.4), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(table))
    ax.barh(y + 0.2, table["prior_share"], 0.4, color=PRIOR_COLOUR, label="prior")
    ax.barh(y - 0.2, table["posterior_share"], 0.4, color=POSTERIOR_COLOUR, label="posterior predictive")
    labels = [f"{r.fact} {r.name}" + ("" if r.counts else " (not counted)") for r in table.itertuples()]
    ax.set_yticks(y, labels, fontsize=7)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of runs reproducing the fact", fontsize=8)
    ax.legend(fontsize=7, frameon=False, loc="lower right")
    _style(ax)
    return fig


def diagnostics_figure(generations: pd.DataFrame) -> Figure:
    fig = Figure(figsize=(9, 2.6), layout="constrained")
    for i, (column, label) in enumerate((("epsilon", "epsilon"), ("acceptance_rate", "acceptance rate"),
                                         ("effective_sample_size", "effective sample size"))):
        ax = fig.add_subplot(1, 3, i + 1)
        ax.plot(generations["generation"], generations[column], "o-", color=POSTERIOR_COLOUR, ms=4)
        ax.set_xlabel("generation", fontsize=8)
        ax.set_title(label, fontsize=8)
        ax.set_ylim(bottom=0)
        _style(ax)
    return fig


def diagnostics_lines(generations: pd.DataFrame, figure: str) -> list[str]:
    """The report's table of each generation's epsilon, acceptance rate and effective sample size,
    then the ``figure`` of the same (:func:`diagnostics_figure`) and a blank line."""
    return ["| generation | epsilon | accepted | evaluations | acceptance rate | effective sample size |",
            "|---|---|---|---|---|---|",
            *[f"| {int(r.generation)} | {r.epsilon:.4f} | {r.particles} | {r.evaluations} | {r.acceptance_rate:.1%} | "
              f"{r.effective_sample_size:.0f} |" for r in generations.itertuples()],
            "",
            f"![diagnostics](figures/{figure})",
            ""]


def paths_figure(calibration: "Calibration", columns: dict, series) -> Figure:
    """Observed yearly shares (dots) against the posterior predictive yearly dependence (median and
    10-90% band over its runs), with the two naive baselines: the first observed share held
    constant and the straight line fitted to the observed series."""
    from multivector.experiments.palette import power_colour  # noqa: PLC0415

    powers = list(series.data.columns)
    fig = Figure(figsize=(3.4 * len(powers), 3.1), layout="constrained")
    years = columns["years"]
    for i, power in enumerate(powers):
        ax = fig.add_subplot(1, len(powers), i + 1)
        yearly = columns[f"yearly:dependence_{power}_{series.domain}"]
        colour = power_colour(power, i)
        ax.fill_between(years, np.nanquantile(yearly, 0.1, axis=0), np.nanquantile(yearly, 0.9, axis=0),
                        color=colour, alpha=0.25, lw=0)
        ax.plot(years, np.nanmedian(yearly, axis=0), color=colour, lw=1.8, label="posterior predictive (median, 10-90%)")
        data = series.data[power].dropna()
        x = data.index.to_numpy(dtype=float)
        ax.plot(x, data.to_numpy(), "o", color="black", ms=3.5, label="observed")
        if len(data) > 2:
            ax.plot(x, np.full(len(x), data.iloc[0]), "--", color="#777777", lw=1, label="constant baseline")
            slope, intercept = np.polyfit(x, data.to_numpy(), 1)
            ax.plot(x, slope * x + intercept, ":", color="#777777", lw=1.2, label="linear-trend baseline")
        ax.set_ylim(0, 1.02)
        ax.set_title(power, fontsize=9)
        if i == 0:
            ax.set_ylabel(f"share ({series.kind})", fontsize=8)
            ax.legend(fontsize=6, frameon=False)
        _style(ax)
    fig.suptitle(f"{series.kind.capitalize()}: {series.source}", fontsize=9)
    return fig


def _calibrated_toml(calibration: "Calibration", outcome: "CalibrationOutcome") -> str:
    from multivector.experiments.calibration.calibrate import _toml_key, _toml_value  # noqa: PLC0415

    reaching = outcome.predictive.attrs["reaching"]
    lines = [f"# The posterior's point summary (weighted median of each parameter), by `multivector calibrate "
             f"{calibration.experiment.source_name}` on {_dt.date.today().isoformat()}.",
             f"# On {calibration.budget.point_replications} fresh seeds it reproduces at least "
             f"{reaching['min_patterns']} of the {len(outcome.counting)} counting facts in {reaching['point']:.0%} of runs.",
             "[fixed]"]
    lines += [f"{_toml_key(path)} = {_toml_value(value)}" for path, value in outcome.chosen.items()]
    return "\n".join(lines) + "\n"


def _fit_lines(fit: pd.DataFrame) -> list[str]:
    lines = ["| series | power | model RMSE (posterior predictive) | at the point summary | constant share | "
             "linear trend | runs beating constant | runs beating trend | change corr. | detrended corr. |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in fit.itertuples():
        lines.append(f"| {r.series} | {r.power} | {r.rmse:.3f} | {r.rmse_point:.3f} | {r.rmse_constant:.3f} | "
                     f"{r.rmse_trend:.3f} | {r.share_beating_constant:.0%} | {r.share_beating_trend:.0%} | "
                     f"{r.change_correlation:+.2f} | {r.detrended_correlation:+.2f} |")
    return lines


def write(calibration: "Calibration", outcome: "CalibrationOutcome", columns: dict, point: dict,
          first_epsilon: float, sampler_log: list[dict]) -> Path:
    folder = calibration.folder
    figures = folder / "figures"
    figures.mkdir(exist_ok=True)
    settings, budget = calibration.settings, calibration.budget
    factors = calibration.factors
    write_posterior_tables(calibration, outcome)
    write_table_atomically(outcome.fit, folder / "fit.csv")
    _write_text(_calibrated_toml(calibration, outcome), folder / "calibrated.toml")
    reaching = outcome.predictive.attrs["reaching"]
    weights = outcome.posterior["weight"].to_numpy()
    manifest = {
        "experiment_file": calibration.experiment.source_name, "experiment_sha256": calibration.experiment.sha256,
        "method": "ABC-SMC (pyabc, batched ensemble sampler)", "seed": calibration.root, "quick": calibration.quick,
        "budget": budget.__dict__, "settings": settings.model_dump(), "seconds": round(outcome.seconds, 1),
        "counting_facts": list(outcome.counting), "first_epsilon": first_epsilon,
        "generations": len(outcome.generations), "final_epsilon": float(outcome.generations["epsilon"].iloc[-1]),
        "particles": len(outcome.posterior), "effective_sample_size": effective(weights),
        "point_summary": "weighted posterior median of each parameter", "chosen": outcome.chosen,
        "reaching": reaching, "sampler_log_this_session": sampler_log,
    }
    _write_text(json.dumps(manifest, indent=1, default=float) + "\n", folder / "calibration.json")
    names = {"marginals": _save(marginals_figure(outcome, factors), figures / "marginals.png"),
             "predictive": _save(predictive_figure(outcome), figures / "predictive.png"),
             "diagnostics": _save(diagnostics_figure(outcome.generations), figures / "diagnostics.png")}
    for series in observed_series(calibration.case):
        names[series.kind] = _save(paths_figure(calibration, columns, series), figures / f"{series.kind}.png")
    path = folder / "report.md"
    _write_text(_report(calibration, outcome, names, first_epsilon), path)
    return path


def effective(weights: np.ndarray) -> float:
    from multivector.experiments.calibration.calibrate import effective_sample_size  # noqa: PLC0415

    return effective_sample_size(weights)


def write_posterior_tables(calibration: "Calibration", outcome: "CalibrationOutcome") -> None:
    """The tables every calibration writes: ``posterior.csv``, ``sets.csv`` (``settings.resample``
    sets resampled systematically by weight), ``generations.csv`` and ``predictive.csv``."""
    from multivector.experiments.calibration.calibrate import systematic_resample  # noqa: PLC0415

    folder = calibration.folder
    write_table_atomically(outcome.posterior, folder / "posterior.csv")
    resampled = systematic_resample(outcome.posterior["weight"].to_numpy(), calibration.settings.resample)
    write_table_atomically(outcome.posterior.loc[resampled, list(calibration.paths)].reset_index(drop=True),
                           folder / "sets.csv")
    write_table_atomically(outcome.generations, folder / "generations.csv")
    write_table_atomically(outcome.predictive, folder / "predictive.csv")


def _report(calibration: "Calibration", outcome: "CalibrationOutcome", names: dict, first_epsilon: float) -> str:
    settings, budget = calibration.settings, calibration.budget
    experiment = calibration.experiment
    predictive, generations = outcome.predictive, outcome.generations
    reaching = predictive.attrs["reaching"]
    posterior = outcome.posterior
    weights = posterior["weight"].to_numpy()
    from multivector.experiments.calibration.calibrate import weighted_quantile  # noqa: PLC0415

    def interval(path: str) -> str:
        values = posterior[path].to_numpy()
        return f"[{weighted_quantile(values, weights, 0.05):.3g}, {weighted_quantile(values, weights, 0.95):.3g}]"

    uninformative = [r for r in predictive.itertuples() if not r.counts]
    lines = [
        f"# Calibration of the {experiment.scenario} scenario: a posterior by ABC-SMC",
        "",
        f"Written by `multivector calibrate {experiment.source_name}` on {_dt.date.today().isoformat()} in "
        f"{outcome.seconds / 60:.1f} minutes (seed {calibration.root}{', quick budget' if calibration.quick else ''}). "
        f"Rule calibrated: `{experiment.strategies[0]}`. Free parameters: {len(calibration.factors)}, each with a "
        "uniform prior over its range.",
        "",
        "**Method.** ABC-SMC (Toni et al. 2009; Beaumont et al. 2009) with pyabc "
        f"{_pyabc_version()}: {budget.population} particles per generation, each run on {budget.replications} seeds; "
        "proposals perturb the last population with a multivariate normal kernel; each generation's epsilon is the "
        "weighted median distance of the last. Every batch of proposals runs as one ensemble on the array engine "
        "(a pyabc sampler of our own, `experiments/calibration/abc.py`), since the engine costs 1-2 ms per run in "
        "ensembles and far more one run at a time.",
        "",
        "**Distance.** The share of counting facts a particle's runs miss (mean over facts of one minus the share "
        f"of its seeds reproducing the fact) plus {settings.fit_weight:g} x the error of its "
        f"{' and '.join(settings.fit_series)} paths relative to two naive baselines: the mean over powers and seeds "
        "of RMSE / RMSE of the first observed share held constant and of RMSE / RMSE of a straight line fitted to "
        "the observed series (ratios capped at 3), averaged.",
        "",
        f"**Which facts count.** A fact reproduced by more than {settings.uninformative_share:.0%} of the prior's "
        f"runs filters nothing and does not count toward the distance. Prior sample: a Latin hypercube of "
        f"{budget.prior_samples} points x {budget.replications} seeds. Counting: {', '.join(outcome.counting) or 'none'}."
        + (" Reported but not counted: " + "; ".join(f"{r.fact} ({r.name}, {r.prior_share:.0%} of the prior)"
                                                    for r in uninformative) + "." if uninformative else ""),
        "",
        f"**What each fact requires** (`experiments/cases/{experiment.scenario.replace('-', '_')}/`; a fact about an "
        "event fails where the event does not happen):",
        "",
        *[f"- {fact.id} {fact.name}: {fact.test_text.rstrip('.')}." for fact in calibration.case.facts],
        "",
        "## Posterior predictive checks",
        "",
        f"{budget.predictive_samples} parameter sets drawn from the posterior by weight, {budget.replications} fresh "
        f"seeds each; the point summary on {budget.point_replications} seeds. A fact about an event passes only in "
        "runs where the event happened; 'event occurred' is that share.",
        "",
        "| fact | counts | prior | posterior predictive | point summary | event occurred (prior / posterior) |",
        "|---|---|---|---|---|---|",
        *[f"| {r.fact} {r.name} | {'yes' if r.counts else 'no'} | {r.prior_share:.0%} | {r.posterior_share:.0%} | "
          f"{r.point_share:.0%} | {r.prior_occurred:.0%} / {r.posterior_occurred:.0%} |" for r in predictive.itertuples()],
        "",
        f"Runs reproducing at least {reaching['min_patterns']} of the {len(outcome.counting)} counting facts: "
        f"{reaching['posterior']:.0%} of posterior predictive runs, {reaching['point']:.0%} at the point summary.",
        "",
        f"![predictive](figures/{names['predictive']})",
        "",
        "## Fit to data, against naive baselines",
        "",
        "Means over the posterior predictive runs; years the case's data mark as recording gaps are left out "
        f"({'; '.join(s.source for s in observed_series(calibration.case))}).",
        "",
        *_fit_lines(outcome.fit),
        "",
        *[f"![{kind}](figures/{names[kind]})" for kind in ("trade", "arms") if kind in names],
        "",
        "## Posterior",
        "",
        "| parameter | prior range | point summary (weighted median) | 90% posterior interval |",
        "|---|---|---|---|",
        *[f"| `{f.path}` | [{f.low:g}, {f.high:g}] | {outcome.chosen[f.path]:.4g} | {interval(f.path)} |"
          for f in calibration.factors],
        "",
        f"![marginals](figures/{names['marginals']})",
        "",
        "## Diagnostics",
        "",
        f"First epsilon (median distance of the prior sample): {first_epsilon:.4f}.",
        "",
        *diagnostics_lines(generations, names["diagnostics"]),
        "Files: `posterior.csv` (the last population: parameters, normalised weight, distance), `sets.csv` "
        f"({settings.resample} sets resampled systematically by weight, equally weighted: what "
        "`parameter_sets = \"...\"` sweeps and the report integrate over), `prior.csv`, `generations.csv`, "
        "`predictive.csv`, `fit.csv`, `calibrated.toml` (the point summary), `calibration.json`.",
        "",
    ]
    return "\n".join(lines)


def _pyabc_version() -> str:
    import pyabc  # noqa: PLC0415

    return pyabc.__version__
