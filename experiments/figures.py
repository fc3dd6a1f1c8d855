"""Figures for the command line: pure functions from tables to matplotlib Figures.

They use ``matplotlib.figure.Figure`` directly (no pyplot state), so they are safe in servers
and threads; :func:`save` writes PNG and SVG.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from multivector import model
from multivector.experiments.tables import save_atomically
from multivector.model.calendar import fractional_year
from multivector.model.outcomes import OUTCOME, headline_outcomes

from multivector.experiments.palette import DOMAIN_COLOURS, EVENT_COLOUR, strategy_colour

# the outcomes drawn over time: the thesis's headline outcomes, as declared in model.outcomes
OUTCOMES = headline_outcomes()


def _band(ax, x, frame: pd.DataFrame, column: str, colour: str, label: str) -> None:
    grouped = frame.groupby("step")[column]
    mean, low, high = grouped.mean(), grouped.quantile(0.1), grouped.quantile(0.9)
    ax.plot(x, mean.to_numpy(), color=colour, lw=1.6, label=label)
    ax.fill_between(x, low.to_numpy(), high.to_numpy(), color=colour, alpha=0.18, lw=0)


def _year_axis(frame: pd.DataFrame) -> np.ndarray:
    return np.array([fractional_year(date, 0) for date in frame.groupby("step")["date"].first()])


def _event_marks(ax, events, last_step: int) -> None:
    """Short ticks along the top edge: where the scenario's dated events fall, without lines across the data."""
    years = [fractional_year(e.date, 0) for e in events or [] if e.step <= last_step]
    if years:
        ax.vlines(years, 0.94, 1.0, transform=ax.get_xaxis_transform(), color=EVENT_COLOUR, lw=0.6)


def comparison_figure(steps: pd.DataFrame, power_ids: tuple[str, ...], scenario: str,
                      events: list | None = None) -> Figure:
    """Engagement by power and domain for each strategy (left), and the outcomes over time (right).

    Lines are means over replications, bands the 10th-90th percentiles; ticks along the top of the
    outcome panels mark the scenario's dated events.
    """
    strategies = list(dict.fromkeys(steps["strategy_setting"]))
    frame = steps.copy()
    for outcome in OUTCOMES:  # each quarter's value (the highest client index: over the powers)
        frame[outcome.name] = outcome.quarterly(frame, power_ids)
    rows = max(len(strategies), len(OUTCOMES))
    fig = Figure(figsize=(2.7 * len(power_ids) + 4.2, 1.9 * rows + 1.2), layout="constrained")
    left, right = fig.subfigures(1, 2, width_ratios=[len(power_ids), 1.45])
    grid = left.subplots(len(strategies), len(power_ids), sharex=True, sharey=True, squeeze=False)
    for row, strategy in enumerate(strategies):
        sub = frame[frame["strategy_setting"] == strategy]
        x = _year_axis(sub)
        for col, power in enumerate(power_ids):
            ax = grid[row, col]
            for domain in model.DOMAINS:
                _band(ax, x, sub, f"engagement_{power}_{domain}", DOMAIN_COLOURS[domain], domain)
            ax.set_ylim(0, 1.02)
            ax.set_title(f"{strategy}: with {power}", fontsize=9, color=strategy_colour(strategy))
            if col == 0:
                ax.set_ylabel("engagement (0-1)", fontsize=8)
            ax.tick_params(labelsize=7)
    handles, labels = grid[0, 0].get_legend_handles_labels()
    left.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=8, frameon=False,
                title="domain", title_fontsize=8)
    left.suptitle("Engagement by power and domain", fontsize=10)
    outcome_axes = right.subplots(len(OUTCOMES), 1, sharex=True)
    for ax, outcome in zip(outcome_axes, OUTCOMES):
        for index, strategy in enumerate(strategies):
            sub = frame[frame["strategy_setting"] == strategy]
            _band(ax, _year_axis(sub), sub, outcome.name, strategy_colour(strategy, index), strategy)
        _event_marks(ax, events, int(frame["step"].max()))
        ax.set_title(outcome.label, fontsize=9)
        ax.set_ylabel(f"{outcome.label.lower()} ({outcome.unit})", fontsize=8)
        ax.tick_params(labelsize=7)
    outcome_axes[-1].set_xlabel("year", fontsize=8)
    handles, labels = outcome_axes[0].get_legend_handles_labels()
    right.legend(handles, labels, loc="outside lower center", ncols=2, fontsize=8, frameon=False, title="strategy",
                 title_fontsize=8)
    right.suptitle("Outcomes (ticks: dated events)", fontsize=10)
    fig.suptitle(f"Scenario '{scenario}': every strategy on the same seeds "
                 f"(mean and 10-90% band over {steps['replication'].nunique()} replications)", fontsize=11)
    return fig


def summary_figure(summary: pd.DataFrame, metrics: list[str], columns: int = 3) -> Figure:
    """Mean of each metric by strategy with its 95% interval, one panel per metric in a grid; each
    axis names the metric's statistic (run mean, final value, count). A tuned form (``hedge (best)``)
    is a hollow diamond in its rule's colour."""
    rows = -(-len(metrics) // columns)
    fig = Figure(figsize=(3.2 * columns, 2.6 * rows + 0.5), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, columns)).ravel()
    for ax, metric in zip(axes, metrics):
        part = summary[summary["metric"] == metric]
        y = np.arange(len(part))
        for index, (yi, (_, r)) in enumerate(zip(y, part.iterrows())):
            colour = strategy_colour(r["strategy"], index)
            best = r.get("form", "defaults") != "defaults"  # a tuned form: a hollow marker in its rule's colour
            ax.errorbar([r["mean"]], [yi], xerr=[[r["mean"] - r["ci_low"]], [r["ci_high"] - r["mean"]]],
                        fmt="D" if best else "o", color=colour, mfc="white" if best else colour, capsize=3, ms=5)
        ax.set_yticks(y, part["strategy"], fontsize=8)
        statistic = part["statistic"].iloc[0] if "statistic" in part else ""
        ax.set_title(OUTCOME[metric].label if metric in OUTCOME else metric.replace("_", " "), fontsize=9)
        ax.set_xlabel(statistic, fontsize=8)
        ax.invert_yaxis()
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(axis="x", lw=0.3, alpha=0.6)
    for ax in axes[len(metrics):]:
        ax.set_visible(False)
    fig.suptitle("Mean by strategy with 95% intervals (common seeds)", fontsize=10)
    return fig


def save(fig: Figure, stem: Path) -> list[Path]:
    """Write ``stem.png`` and ``stem.svg``; return the paths."""
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    for path in paths:
        save_atomically(lambda name, path=path: fig.savefig(name, dpi=150, format=path.suffix[1:]), path)
    return paths
