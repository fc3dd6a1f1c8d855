"""Figures of a sweep: pure functions from DataFrames to ``matplotlib.figure.Figure``.

No pyplot state is touched, so the browser app can call these from server threads. Figures
are sized for a journal column or page and saved as PNG (300 dpi) and SVG by
:func:`write_figures`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from multivector.experiments.palette import strategy_colour
from multivector.experiments.tables import check_writable, save_atomically
from multivector.model.outcomes import outcome_columns

from . import analysis

DEFAULT_MEASURES = outcome_columns(headline=True)  # autonomy, security, welfare (model.outcomes)
MAX_FACTOR_FIGURES = 12  # one figure per varied factor, up to this many (a Sobol design may vary dozens)

def _colour(strategy: str, index: int) -> str:
    return strategy_colour(strategy, index)


def _style(axes) -> None:
    axes.spines["top"].set_visible(False)
    axes.spines["right"].set_visible(False)
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)


def _label(measure: str) -> str:
    return measure.replace("_", " ")


def outcome_by_strategy(summary: pd.DataFrame, measures: list[str] | None = None) -> Figure:
    """Mean of each measure by strategy with its 95% interval (from ``summary_by_strategy``)."""
    measures = measures or list(dict.fromkeys(summary["measure"]))
    figure = Figure(figsize=(2.8 * len(measures) + 0.8, 3.4), layout="constrained")
    axes_list = np.atleast_1d(figure.subplots(1, len(measures), squeeze=False)[0])
    for axes, measure in zip(axes_list, measures):
        table = summary[summary["measure"] == measure].reset_index(drop=True)
        for i, row in table.iterrows():
            low = row["mean"] - row["ci_low"] if np.isfinite(row["ci_low"]) else 0
            high = row["ci_high"] - row["mean"] if np.isfinite(row["ci_high"]) else 0
            axes.errorbar(i, row["mean"], yerr=[[low], [high]], fmt="o", color=_colour(row["strategy"], i),
                          capsize=3, markersize=5)
        axes.set_xticks(range(len(table)), table["strategy"], rotation=30, ha="right")
        axes.set_title(_label(measure), fontsize=10)
        axes.set_xlim(-0.6, len(table) - 0.4)
        _style(axes)
    figure.supylabel("final value (mean, 95% CI)", fontsize=9)
    return figure


def factor_lines(runs: pd.DataFrame, factor: str, measures: list[str], bins: int | None = None) -> Figure:
    """Each measure against one factor the sweep varies: mean and 95% interval per level (or per bin
    of a sampled factor), a line per strategy: what a sweep over that factor was run to show. The
    legend sits under the panels, off the data."""
    table = analysis.summary_by_factor(runs, factor, measures, bins=bins)
    figure = Figure(figsize=(3.4 * len(measures) + 0.6, 3.8), layout="constrained")
    axes_list = figure.subplots(1, len(measures), squeeze=False)[0]
    for axes, measure in zip(axes_list, measures):
        part = table[table["measure"] == measure]
        for index, (strategy, rows) in enumerate(part.groupby("strategy", sort=True)):
            rows = rows.sort_values("level")
            colour = _colour(strategy, index)
            axes.plot(rows["level"], rows["mean"], "o-", color=colour, label=strategy, markersize=4, linewidth=1.6)
            axes.fill_between(rows["level"], rows["ci_low"], rows["ci_high"], color=colour, alpha=0.18, linewidth=0)
        axes.set_xlabel(factor + (" (bin middle)" if bins else ""), fontsize=9)
        axes.set_title(_label(measure), fontsize=11)
        axes.tick_params(labelsize=8)
        _style(axes)
    axes_list[0].set_ylabel("final value (mean, 95% CI)", fontsize=9)
    _legend_below(figure, axes_list[0], "strategy (bands: 95% interval of the mean)")
    return figure


def _legend_below(figure: Figure, axes, title: str) -> None:
    """One legend for the figure, under its panels, so it never covers data."""
    handles, labels = axes.get_legend_handles_labels()
    if handles:
        figure.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 6), frameon=False,
                      fontsize=8, title=title, title_fontsize=8)


def _binned(runs: pd.DataFrame, x: str, y: str, bins: int | None) -> pd.DataFrame:
    runs = analysis.ok_runs(runs).copy()
    for factor in (x, y):
        if bins:
            runs[factor] = pd.cut(runs[factor], bins=bins).apply(lambda b: round(b.mid, 3)).astype(float)
    return runs


def heatmap_table(runs: pd.DataFrame, x: str, y: str, measure: str, bins: int | None = None) -> pd.DataFrame:
    """What :func:`factor_heatmap` draws: the mean of ``measure`` (and the runs behind it) per
    strategy and pair of factor levels."""
    runs = _binned(runs, x, y, bins)
    grouped = runs.groupby(["strategy", x, y], sort=True)[measure]
    return grouped.agg(mean="mean", runs="count").reset_index().assign(measure=measure)


def factor_heatmap(runs: pd.DataFrame, x: str, y: str, measure: str, bins: int | None = None) -> Figure:
    """Mean of ``measure`` over two factors, one panel per strategy (shared colour scale).

    Listed factor values are used as they are; sampled factors are cut into ``bins`` bins.
    """
    runs = _binned(runs, x, y, bins)
    strategies = sorted(runs["strategy"].unique())
    tables = {s: runs[runs["strategy"] == s].pivot_table(index=y, columns=x, values=measure, aggfunc="mean")
              for s in strategies}
    finite = [t.to_numpy() for t in tables.values() if t.size]
    low = min(np.nanmin(v) for v in finite) if finite else 0.0
    high = max(np.nanmax(v) for v in finite) if finite else 1.0
    figure = Figure(figsize=(3.0 * len(strategies) + 1.2, 3.4), layout="constrained")
    axes_list = figure.subplots(1, max(1, len(strategies)), squeeze=False)[0]
    image = None
    for axes, strategy in zip(axes_list, strategies):
        table = tables[strategy]
        image = axes.imshow(table.to_numpy(), origin="lower", aspect="auto", cmap="viridis", vmin=low, vmax=high)
        axes.set_xticks(range(table.shape[1]), [f"{v:g}" for v in table.columns], rotation=45, fontsize=8)
        axes.set_yticks(range(table.shape[0]), [f"{v:g}" for v in table.index], fontsize=8)
        axes.set_xlabel(x, fontsize=8)
        axes.set_title(strategy, fontsize=10)
    axes_list[0].set_ylabel(y, fontsize=8)
    if image is not None:
        figure.colorbar(image, ax=list(axes_list), label=f"{_label(measure)} (mean)")
    return figure


def time_series_table(steps: pd.DataFrame, runs: pd.DataFrame, measure: str) -> pd.DataFrame:
    """What :func:`time_series_bands` draws, per strategy and quarter: the mean, its 95% interval
    (normal approximation) and the 10th and 90th percentiles of the runs."""
    frame = steps[["run_id", "step", measure]].merge(runs[["run_id", "strategy"]], on="run_id")
    rows = []
    for strategy, group in frame.groupby("strategy", sort=True):
        by_step = group.groupby("step")[measure]
        mean, std, n = by_step.mean(), by_step.std(ddof=1), by_step.count()
        half = std / np.sqrt(n) * 1.96
        rows.append(pd.DataFrame({"strategy": strategy, "step": mean.index, "measure": measure, "runs": n.to_numpy(),
                                  "mean": mean.to_numpy(), "ci_low": (mean - half).to_numpy(),
                                  "ci_high": (mean + half).to_numpy(), "p10": by_step.quantile(0.1).to_numpy(),
                                  "p90": by_step.quantile(0.9).to_numpy()}))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def time_series_bands(steps: pd.DataFrame, runs: pd.DataFrame, measure: str) -> Figure:
    """Mean path of ``measure`` per strategy with a 95% interval band and a 10-90% runs band; the
    legend sits to the right of the plot, off the data."""
    table = time_series_table(steps, runs, measure)
    figure = Figure(figsize=(7.6, 3.8), layout="constrained")
    axes = figure.subplots()
    for index, (strategy, group) in enumerate(table.groupby("strategy", sort=True)):
        colour = _colour(strategy, index)
        axes.fill_between(group["step"], group["p10"], group["p90"], color=colour, alpha=0.12, linewidth=0)
        axes.fill_between(group["step"], group["ci_low"], group["ci_high"], color=colour, alpha=0.35, linewidth=0)
        axes.plot(group["step"], group["mean"], color=colour, label=strategy, linewidth=1.6)
    axes.set_xlabel("quarter (step)", fontsize=9)
    axes.set_ylabel(_label(measure), fontsize=9)
    axes.tick_params(labelsize=8)
    figure.legend(*axes.get_legend_handles_labels(), loc="outside right upper", frameon=False, fontsize=8,
                  title="strategy: mean, 95% CI;\nlight: 10-90% of runs", title_fontsize=7)
    _style(axes)
    return figure


def sensitivity_indices(indices: pd.DataFrame, measure: str) -> Figure:
    """Sobol S1/ST bars with intervals, or Morris mu* against sigma, one panel per strategy."""
    table = indices[indices["measure"] == measure]
    strategies = list(dict.fromkeys(table["strategy"]))
    figure = Figure(figsize=(3.0 * len(strategies) + 0.8, 3.4), layout="constrained")
    axes_list = figure.subplots(1, max(1, len(strategies)), squeeze=False, sharey=True)[0]
    morris = "mu_star" in table.columns
    for axes, strategy in zip(axes_list, strategies):
        part = table[table["strategy"] == strategy].reset_index(drop=True)
        if morris:
            axes.errorbar(part["mu_star"], part["sigma"], xerr=part["mu_star_conf"], fmt="o", color="#0072B2",
                          capsize=2, markersize=4)
            for _, row in part.iterrows():
                axes.annotate(row["factor"], (row["mu_star"], row["sigma"]), fontsize=6, xytext=(3, 3),
                              textcoords="offset points")
            axes.set_xlabel("mu* (mean |elementary effect|)")
            axes_list[0].set_ylabel("sigma")
        else:
            positions = np.arange(len(part))
            axes.barh(positions - 0.2, part["S1"], height=0.4, xerr=part["S1_conf"], color="#0072B2",
                      label="S1 (first order)", capsize=2)
            axes.barh(positions + 0.2, part["ST"], height=0.4, xerr=part["ST_conf"], color="#E69F00",
                      label="ST (total)", capsize=2)
            axes.set_yticks(positions, part["factor"], fontsize=7)
            axes.set_xlabel("Sobol index (95% CI)")
            axes.axvline(0, color="black", linewidth=0.6)
        axes.set_title(strategy, fontsize=10)
        _style(axes)
    if not morris and strategies:
        _legend_below(figure, axes_list[-1], "Sobol index")
    figure.suptitle(_label(measure), fontsize=10)
    return figure


def write_figures(results, out_dir: str | Path, measures: list[str] | None = None) -> list[Path]:
    """Every figure that fits the sweep, as PNG and SVG; returns the files written."""
    out_dir = Path(out_dir)
    check_writable(out_dir)
    available = list(results.experiment.measures)
    measures = measures or [m for m in DEFAULT_MEASURES if m in available] or available[:3]
    runs = results.runs
    figures: dict[str, Figure] = {}
    summary = analysis.summary_by_strategy(runs, measures)
    figures["outcomes-by-strategy"] = outcome_by_strategy(summary, measures)
    factors = analysis.varied_factors(results)
    bins = None if results.experiment.design.kind == "grid" else 5
    for factor in factors[:MAX_FACTOR_FIGURES]:
        figures[f"by-{factor}"] = factor_lines(runs, factor, measures, bins=bins)
    if len(factors) >= 2:
        for measure in measures:
            figures[f"heatmap-{measure}"] = factor_heatmap(runs, factors[0], factors[1], measure, bins=bins)
    steps = results.steps
    if steps is not None:
        for measure in measures:
            figures[f"time-series-{measure}"] = time_series_bands(steps, runs, measure)
    kind = results.experiment.design.kind
    if kind in ("sobol", "morris"):
        indices = (analysis.sobol_indices if kind == "sobol" else analysis.morris_indices)(results, measures)
        for measure in measures:
            figures[f"{kind}-{measure}"] = sensitivity_indices(indices, measure)
    written = []
    for name, figure in figures.items():
        for suffix, options in ((".png", {"dpi": 300}), (".svg", {})):
            path = out_dir / f"{name}{suffix}"
            # fixed metadata keeps SVG output byte-stable from one run to the next
            save_atomically(lambda name, path=path, options=options, figure=figure: figure.savefig(
                name, format=path.suffix[1:], metadata={"Date": None} if path.suffix == ".svg" else None, **options), path)
            written.append(path)
    return written
