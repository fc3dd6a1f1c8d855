"""Figures for the command line: pure functions from tables to matplotlib Figures.

They use ``matplotlib.figure.Figure`` directly (no pyplot state), so they are safe in servers
and threads; :func:`save` writes PNG and SVG.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

import model
from experiments.tables import save_atomically
from model.calendar import fractional_year

DOMAIN_COLOURS = {"security": "#b2182b", "economy": "#2166ac", "institutions": "#1b7837"}
STRATEGY_COLOURS = {
    "balance": "#d95f02", "bandwagon": "#7570b3", "bandwagon-profit": "#e7298a", "hedge": "#1b9e77",
    "adaptive": "#666666",
}
OUTCOMES = (("autonomy", "Autonomy"), ("security", "Security"), ("welfare", "Welfare (start = 1)"),
            ("max_client", "Highest client index"))


def _band(ax, x, frame: pd.DataFrame, column: str, colour: str, label: str) -> None:
    grouped = frame.groupby("step")[column]
    mean, low, high = grouped.mean(), grouped.quantile(0.1), grouped.quantile(0.9)
    ax.plot(x, mean.to_numpy(), color=colour, lw=1.6, label=label)
    ax.fill_between(x, low.to_numpy(), high.to_numpy(), color=colour, alpha=0.15, lw=0)


def _year_axis(frame: pd.DataFrame) -> np.ndarray:
    return np.array([fractional_year(date, 0) for date in frame.groupby("step")["date"].first()])


def comparison_figure(steps: pd.DataFrame, power_ids: tuple[str, ...], scenario: str,
                      events: list | None = None) -> Figure:
    """Engagement by power and domain, and the outcomes, over time for each strategy.

    Lines are means over replications, bands the 10th-90th percentiles; dotted verticals mark the
    scenario's dated events.
    """
    strategies = list(dict.fromkeys(steps["strategy_setting"]))
    frame = steps.copy()
    frame["max_client"] = frame[[f"client_index_{g}" for g in power_ids]].max(axis=1)
    fig = Figure(figsize=(3.1 * max(len(power_ids), len(OUTCOMES)) + 1, 2.3 * (len(strategies) + 1)),
                 layout="constrained")
    grid = fig.add_gridspec(len(strategies) + 1, max(len(power_ids), len(OUTCOMES)))
    x = None
    for row, strategy in enumerate(strategies):
        sub = frame[frame["strategy_setting"] == strategy]
        x = _year_axis(sub)
        for col, power in enumerate(power_ids):
            ax = fig.add_subplot(grid[row, col])
            for domain in model.DOMAINS:
                _band(ax, x, sub, f"engagement_{power}_{domain}", DOMAIN_COLOURS[domain], domain)
            ax.set_ylim(0, 1.02)
            ax.set_title(f"{strategy}: engagement with {power}", fontsize=9)
            if col == 0:
                ax.set_ylabel("engagement")
            if row == 0 and col == len(power_ids) - 1:
                ax.legend(fontsize=7, loc="upper right", frameon=False)
            ax.tick_params(labelsize=7)
    for col, (column, title) in enumerate(OUTCOMES):
        ax = fig.add_subplot(grid[len(strategies), col])
        for strategy in strategies:
            sub = frame[frame["strategy_setting"] == strategy]
            _band(ax, _year_axis(sub), sub, column, STRATEGY_COLOURS.get(strategy, "black"), strategy)
        for event in (e for e in events or [] if e.step <= frame["step"].max()):  # only those the run reached
            ax.axvline(fractional_year(event.date, 0), color="grey", lw=0.4, ls=":")
        ax.set_title(title, fontsize=9)
        ax.tick_params(labelsize=7)
        if col == 0:
            handles, labels = ax.get_legend_handles_labels()
            fig.legend(handles, labels, loc="outside lower center", ncols=len(strategies), fontsize=9, frameon=False)
    fig.suptitle(f"Scenario '{scenario}': every strategy on the same seeds "
                 f"(mean and 10-90% band over {steps['replication'].nunique()} replications)", fontsize=11)
    return fig


def summary_figure(summary: pd.DataFrame, metrics: list[str]) -> Figure:
    """Mean of each metric by strategy with 95% confidence intervals."""
    fig = Figure(figsize=(3.0 * len(metrics), 3.2), layout="constrained")
    axes = fig.subplots(1, len(metrics))
    for ax, metric in zip(np.atleast_1d(axes), metrics):
        rows = summary[summary["metric"] == metric]
        y = np.arange(len(rows))
        for yi, (_, r) in zip(y, rows.iterrows()):
            ax.errorbar([r["mean"]], [yi], xerr=[[r["mean"] - r["ci_low"]], [r["ci_high"] - r["mean"]]], fmt="o",
                        color=STRATEGY_COLOURS.get(r["strategy"], "black"), capsize=3, ms=4)
        ax.set_yticks(y, rows["strategy"], fontsize=8)
        ax.set_title(metric.replace("_", " "), fontsize=9)
        ax.invert_yaxis()
        ax.tick_params(axis="x", labelsize=7)
    fig.suptitle("Mean by strategy with 95% confidence intervals (common seeds)", fontsize=10)
    return fig


def save(fig: Figure, stem: Path) -> list[Path]:
    """Write ``stem.png`` and ``stem.svg``; return the paths."""
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    for path in paths:
        save_atomically(lambda name, path=path: fig.savefig(name, dpi=150, format=path.suffix[1:]), path)
    return paths
