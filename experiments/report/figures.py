"""The report's figures: one per claim, means with 95% bootstrap intervals over units (posterior
parameter sets, or design points), in the strategies' colour-blind-safe colours (Okabe-Ito, as the
sweep plots)."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from multivector.experiments.palette import CYCLE, STRATEGY_COLOURS

from .evidence import bootstrap_mean

OTHER = CYCLE
SIZE = (7.0, 3.6)


def _colour(label: str, index: int) -> str:
    for name, colour in STRATEGY_COLOURS.items():
        if label == name:
            return colour
    if label.startswith("hedge"):
        return "#7FCDBB" if label != "hedge" else STRATEGY_COLOURS["hedge"]
    return OTHER[index % len(OTHER)]


def _style(ax, title: str, ylabel: str, xlabel: str = "") -> None:
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(ylabel)
    if xlabel:
        ax.set_xlabel(xlabel)
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.grid(axis="y", lw=0.3, alpha=0.5)


def _interval(values) -> tuple[float, float, float]:
    e = bootstrap_mean(np.asarray(values, dtype=float))
    return e.value, e.value - e.low, e.high - e.value


def _points(ax, table: dict[str, pd.Series], fontsize: int) -> None:
    """One point with its interval per entry of ``table`` (label -> per-unit values)."""
    for i, (label, values) in enumerate(table.items()):
        mean, below, above = _interval(values)
        ax.errorbar([i], [mean], yerr=[[below], [above]], fmt="o", color=_colour(label, i), capsize=4, ms=6)
    ax.set_xticks(range(len(table)), list(table), fontsize=fontsize)
    ax.set_xlim(-0.6, len(table) - 0.4)


def by_strategy(table: dict[str, pd.Series], title: str, ylabel: str) -> Figure:
    """One point with its interval per entry (per-unit values)."""
    many = len(table) > 4  # long rule names side by side overlap: tilt them, and widen the figure
    fig = Figure(figsize=(6.5 if many else 5.0, 3.8 if many else 3.4), layout="constrained")
    ax = fig.subplots()
    _points(ax, table, 9)
    if many:
        ax.tick_params(axis="x", labelrotation=30)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")
    _style(ax, textwrap.fill(title, 60), ylabel)
    return fig


def panels_by_strategy(runs: pd.DataFrame, panels: dict[str, tuple[pd.Series, str]], strategies) -> Figure:
    fig = Figure(figsize=(3.0 * len(panels), 3.3), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(panels)))
    for ax, (title, (values, unit)) in zip(axes, panels.items()):
        per_unit = {s: values[runs["strategy"] == s].groupby(runs.loc[runs["strategy"] == s, "unit"]).mean()
                    for s in strategies}
        _points(ax, per_unit, 8)
        _style(ax, title, unit)
    return fig


def periods(gaps: pd.DataFrame, extra: dict[str, pd.DataFrame], title: str, ylabel: str) -> Figure:
    """A per-period statistic (columns: periods) with intervals; extra panels beside it."""
    fig = Figure(figsize=(max(5.0, 3.6 * (1 + len(extra))), 3.4), layout="constrained")  # one panel: room for labels
    axes = np.atleast_1d(fig.subplots(1, 1 + len(extra)))
    for ax, (name, table), colour in zip(axes, [(title, gaps), *extra.items()], ("#009E73", "#56B4E9")):
        stats = [_interval(table[c].dropna()) for c in table.columns]
        x = np.arange(len(table.columns))
        ax.errorbar(x, [s[0] for s in stats], yerr=[[s[1] for s in stats], [s[2] for s in stats]], fmt="o-",
                    color=colour, capsize=4)
        ax.axhline(0, color="black", lw=0.6)
        ax.set_xticks(x, list(table.columns), fontsize=8)
        _style(ax, textwrap.fill(name, 50), textwrap.fill(ylabel, 40) if table is gaps else "share of quarters",
               "period")
    return fig


def by_level(runs: pd.DataFrame, factor: str, title: str, ylabel: str, shade=None) -> Figure:
    """``runs['value']`` by factor level, a line with intervals per strategy."""
    fig = Figure(figsize=SIZE, layout="constrained")
    ax = fig.subplots()
    for i, (strategy, group) in enumerate(runs.groupby("strategy", sort=False)):
        levels = sorted(group[factor].unique())
        stats = [_interval(group[group[factor] == level].groupby("unit")["value"].mean()) for level in levels]
        ax.errorbar(levels, [s[0] for s in stats], yerr=[[s[1] for s in stats], [s[2] for s in stats]], fmt="o-",
                    color=_colour(strategy, i), capsize=3, ms=4, label=strategy)
    if shade:
        ax.axvspan(min(shade), max(shade), color="#999999", alpha=0.12, lw=0, label="moderate")
    ax.legend(fontsize=8, frameon=False)
    _style(ax, title, ylabel, factor)
    return fig


def window_series(panels: dict[str, dict[str, tuple]], first_year: int, last_year: int, window: tuple[int, int],
                  window_label: str) -> Figure:
    """Quarterly means over units of per-quarter values, one panel per entry of ``panels`` (title ->
    {label: (sweep, value, strategy, colour, ylabel)}), with the tested window shaded; bands: the 10th
    to 90th percentile of the units."""
    fig = Figure(figsize=(3.6 * len(panels), 3.4), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(panels)))
    start, end = (window[0] // 10 + (window[0] % 10 - 1) / 4, window[1] // 10 + window[1] % 10 / 4)
    for ax, (title, series) in zip(axes, panels.items()):
        ylabel = ""
        for label, (sweep, value, strategy, colour, unit) in series.items():
            ylabel = unit
            steps = sweep.steps
            keep = (steps["strategy"] == strategy) & steps["year"].between(first_year, last_year) & value.notna()
            frame = steps.loc[keep, ["quarter", "unit"]].assign(value=value[keep])
            per_unit = frame.groupby(["quarter", "unit"])["value"].mean().groupby("quarter")
            mean, low, high = per_unit.mean(), per_unit.quantile(0.1), per_unit.quantile(0.9)
            x = mean.index // 10 + (mean.index % 10 - 1) / 4
            colour = colour or STRATEGY_COLOURS.get(strategy, "black")
            ax.plot(x, mean.to_numpy(), color=colour, lw=1.6, label=label, ls="--" if "cap" in label else "-")
            if "cap" not in label:  # a threshold's spread across sets would hide the data under it
                ax.fill_between(x, low.to_numpy(), high.to_numpy(), color=colour, alpha=0.15, lw=0)
        ax.axvspan(start, end, color="#999999", alpha=0.12, lw=0)
        ax.legend(fontsize=7, frameon=False, loc="best")
        _style(ax, title, ylabel, "year")
    fig.suptitle(f"Mean over parameter sets (band: 10th-90th percentile of sets); shaded: {window_label}", fontsize=9)
    return fig


def region(parameters: pd.DataFrame, dominates: pd.Series, title: str) -> Figure:
    """Share of triples where hedging dominates, by decile of each drawn factor (the region's edges)."""
    names = list(parameters.columns)
    fig = Figure(figsize=(9.0, 5.0), layout="constrained")
    axes = fig.subplots(3, 4, sharey=True).ravel()
    for ax, name in zip(axes, names):
        x = parameters.loc[dominates.index, name]
        bins = pd.cut(x, 5)
        share = dominates.groupby(bins, observed=True).mean()
        centres = [b.mid for b in share.index]
        ax.plot(centres, share.to_numpy(), "o-", color=STRATEGY_COLOURS["hedge"], ms=3)
        ax.set_ylim(-0.02, 1.02)
        ax.set_title(name.removeprefix("powers."), fontsize=8)
        ax.tick_params(labelsize=7)
        ax.spines["top"].set_visible(False)
        ax.spines["right"].set_visible(False)
    for ax in axes[len(names):]:
        ax.set_visible(False)
    fig.supylabel("share of triples where hedging dominates", fontsize=9)
    fig.suptitle(title + " by each drawn attribute (A proximate, C distant)", fontsize=10)
    return fig


def rule_shares(shares: dict[str, pd.DataFrame], chance: float) -> Figure:
    fig = Figure(figsize=SIZE, layout="constrained")
    ax = fig.subplots()
    for i, (rule, table) in enumerate(shares.items()):
        stats = [_interval(table[c].dropna()) for c in table.columns]
        x = np.arange(len(table.columns)) + (i - 1.5) * 0.06
        ax.errorbar(x, [s[0] for s in stats], yerr=[[s[1] for s in stats], [s[2] for s in stats]], fmt="o-",
                    color=_colour(rule, i), capsize=3, ms=4, label=rule)
    ax.axhline(chance, color="black", lw=0.6, ls="--", label="chance")
    ax.set_xticks(range(len(next(iter(shares.values())).columns)), list(next(iter(shares.values())).columns))
    ax.legend(fontsize=8, frameon=False, ncol=3)
    _style(ax, "The adaptive secondary: share of quarters each rule is in force", "share of quarters", "period")
    return fig


def advantage_by_level(advantage: pd.DataFrame, factor: str, title: str, ylabel: str) -> Figure:
    fig = Figure(figsize=SIZE, layout="constrained")
    ax = fig.subplots()
    stats = [_interval(advantage[c]) for c in advantage.columns]
    ax.errorbar(list(advantage.columns), [s[0] for s in stats], yerr=[[s[1] for s in stats], [s[2] for s in stats]],
                fmt="o-", color=STRATEGY_COLOURS["hedge"], capsize=3)
    ax.axhline(0, color="black", lw=0.6)
    _style(ax, title, ylabel, factor)
    return fig


def sensitivity(indices: pd.DataFrame, measure: str) -> Figure:
    """S1 and ST with their intervals for one measure, factors sorted by ST."""
    table = indices[indices["measure"] == measure].sort_values("ST")
    fig = Figure(figsize=(6.0, 0.28 * len(table) + 1.2), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(table))
    ax.errorbar(table["ST"], y + 0.15, xerr=table["ST_conf"], fmt="o", color="#0072B2", ms=4, capsize=2, label="ST")
    ax.errorbar(table["S1"], y - 0.15, xerr=table["S1_conf"], fmt="s", color="#E69F00", ms=4, capsize=2, label="S1")
    ax.set_yticks(y, table["factor"], fontsize=7)
    ax.axvline(0, color="black", lw=0.5)
    ax.legend(fontsize=8, frameon=False)
    _style(ax, f"Sobol indices of {measure} under hedging", "")
    ax.set_xlabel("index (95% interval)")
    return fig


def simplex(grid, title: str, parts: tuple[str, ...] = ("deviation", "concession", "pressure", "coercion"),
            slices: tuple[float, ...] = (0.0, 1 / 3, 2 / 3)) -> Figure:
    """The weight simplex of autonomy's four parts as ternary maps of the first three parts' shares,
    one panel per share of the fourth: the colour is the statistic's estimate at that weighting
    (positive: the claim's way), a black dot marks a weighting at which the verdict is supported,
    and a white star the model's own weighting (on the panel nearest its share of the fourth)."""
    from matplotlib.colors import TwoSlopeNorm  # noqa: PLC0415
    from matplotlib.tri import Triangulation  # noqa: PLC0415

    shares, estimates = grid.shares, grid.estimates
    supported = np.array([v == "supported" for v in grid.verdicts])
    span = float(np.nanmax(np.abs(estimates))) or 1.0
    norm = TwoSlopeNorm(0.0, -span, span)
    fig = Figure(figsize=(3.3 * len(slices) + 0.8, 3.4), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(slices)))
    corners = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])
    mappable = None
    nearest = min(slices, key=lambda c: abs(c - grid.model_shares[3]))
    for ax, fourth in zip(axes, slices):
        near = np.abs(shares[:, 3] - fourth) < 0.5 / 12 + 1e-9
        rest = shares[near, :3] / np.maximum(1 - shares[near, 3:4], 1e-12)
        xy = rest @ corners
        if len(xy) >= 3:
            mappable = ax.tripcolor(Triangulation(xy[:, 0], xy[:, 1]), estimates[near], cmap="RdBu", norm=norm,
                                    shading="gouraud")
        ax.plot(*xy[supported[near]].T, "k.", ms=3)
        if fourth == nearest:
            m = (grid.model_shares[:3] / grid.model_shares[:3].sum()) @ corners
            ax.plot(m[0], m[1], "*", color="white", mec="black", ms=11)
        ax.plot(*np.vstack([corners, corners[:1]]).T, color="black", lw=0.6)
        for (x, y), name, ha in zip(corners, parts[:3], ("right", "left", "center")):
            ax.text(x, y + (0.04 if name == parts[2] else -0.06), name, ha=ha, fontsize=8)
        ax.set_title(f"{parts[3]} weight share {fourth:.2f}", fontsize=9, pad=16)
        ax.set_aspect("equal")
        ax.set_axis_off()
    if mappable is not None:
        fig.colorbar(mappable, ax=list(axes), shrink=0.8, label="estimate")
    fig.suptitle(title, fontsize=9)
    return fig
