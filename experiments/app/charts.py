"""Matplotlib figures of one run and of a strategy comparison, drawn from data-contract frames.

Pure functions: a DataFrame with the contract's columns (plus scenario facts) in, a
``matplotlib.figure.Figure`` out. They use ``Figure`` directly, never pyplot: the app draws
from several sessions' threads at once and pyplot's global figure registry is neither
thread-safe nor freed without ``close``. The CLI ``compare`` figure can reuse them.

The time axis is fixed to the whole run (``TimeAxis.steps``) so a chart does not rescale
while a run plays, and the scenario's dated events are marked on it (a dotted line and a
mark on the axis each; the app lists their labels, and names the latest one as it plays).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from model.calendar import fractional_year

DOMAINS: tuple[str, ...] = ("security", "economy", "institutions")
# Colour-blind-safe, and the same in every chart and the ties diagram.
DOMAIN_COLOURS: dict[str, str] = {"security": "#c0392b", "economy": "#2874a6", "institutions": "#239b56"}
POWER_PALETTE: tuple[str, ...] = ("#d95f02", "#7570b3", "#1b9e77", "#e7298a", "#66a61e", "#a6761d")
STRATEGY_PALETTE: tuple[str, ...] = ("#1f77b4", "#d62728", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b")

# Outcomes a comparison shows, with whether more is better (the client index is the
# dependence the thesis warns against, so less is better).
COMPARED_OUTCOMES: tuple[tuple[str, str, bool], ...] = (
    ("autonomy", "Autonomy", True),
    ("security", "Security", True),
    ("welfare", "Welfare", True),
    ("client_index_max", "Client index (highest patron)", False),
)


@dataclass(frozen=True)
class TimeAxis:
    """What every time-series chart of one scenario shares: its calendar, length and events."""

    start: str
    steps: int
    events: tuple[tuple[int, str, str], ...] = field(default_factory=tuple)

    @classmethod
    def for_scenario(cls, scenario, steps: int | None = None) -> "TimeAxis":
        """Build from a ``model.Scenario`` (its ``start``, ``steps`` and ``events``)."""
        n = int(steps if steps is not None else scenario.steps)
        events = tuple((int(e.step), str(e.date), str(e.label)) for e in scenario.events if 0 <= e.step <= n)
        return cls(start=str(scenario.start), steps=n, events=events)


def power_colours(power_ids: Sequence[str]) -> dict[str, str]:
    return {p: POWER_PALETTE[i % len(POWER_PALETTE)] for i, p in enumerate(power_ids)}


def strategy_colours(strategies: Sequence[str]) -> dict[str, str]:
    return {s: STRATEGY_PALETTE[i % len(STRATEGY_PALETTE)] for i, s in enumerate(strategies)}


def _steps(frame: pd.DataFrame) -> np.ndarray:
    return frame["step"].to_numpy() if "step" in frame.columns else np.arange(len(frame))


def _year_ticks(ax, axis: TimeAxis) -> None:
    """Ticks on Q1 of every k-th year, labelled with the year, at most about eight of them."""
    years_total = max(axis.steps / 4, 1)
    every = next(k for k in (1, 2, 4, 5, 10, 20, 50, 100) if years_total / k <= 8)
    ticks, labels = [], []
    for step in range(axis.steps + 1):
        year = fractional_year(axis.start, step)
        if year == int(year) and int(year) % every == 0:
            ticks.append(step)
            labels.append(str(int(year)))
    ax.set_xticks(ticks, labels)


def _time_axes(ax, axis: TimeAxis, label_events: bool = False) -> None:
    """Fixed x range, yearly ticks, and every dated event as a dotted line with a mark on
    the time axis. Event labels are drawn only when asked (a scenario may have dozens)."""
    ax.set_xlim(0, axis.steps)
    _year_ticks(ax, axis)
    ax.grid(True, axis="y", color="0.9", linewidth=0.6)
    ax.tick_params(labelsize=7)
    on_axis = blended_transform_factory(ax.transData, ax.transAxes)
    steps = [step for step, _date, _label in axis.events]
    if steps:
        # One collection for all events: dozens of separate lines would dominate drawing time.
        ax.vlines(steps, 0, 1, transform=on_axis, colors="0.6", linewidths=0.6, linestyles=":", zorder=0)
        ax.plot(steps, [0.0] * len(steps), linestyle="none", marker="^", markersize=3.5, color="0.35",
                transform=on_axis, clip_on=False, zorder=4)
    if label_events:
        for step, _date, label in axis.events:
            short = label if len(label) <= 22 else label[:21] + "…"
            ax.text(step, 1.02, short, transform=on_axis, rotation=90, fontsize=5.5, color="0.35",
                    va="bottom", ha="center", clip_on=False)


def _unit_ylim(ax, values: Iterable[np.ndarray]) -> None:
    """Shares live in [0, 1]; keep that scale unless the data leave it."""
    arrays = [np.asarray(v, dtype=float) for v in values]
    finite = [a[np.isfinite(a)] for a in arrays if a.size]
    high = max((float(a.max()) for a in finite if a.size), default=1.0)
    low = min((float(a.min()) for a in finite if a.size), default=0.0)
    ax.set_ylim(min(0.0, low * 1.05), max(1.0, high * 1.05))


def _new_figure(width: float, height: float, dpi: int) -> Figure:
    return Figure(figsize=(width, height), dpi=dpi)


class _LiveChart:
    """A figure built once whose lines are updated in place from a growing frame.

    Building a figure costs about as much as rendering it, so the app keeps one per chart
    and only moves the line data on each step; the ``*_figure`` functions below use the same
    classes for one-off figures.
    """

    figure: Figure

    def update(self, frame: pd.DataFrame) -> "_LiveChart":
        raise NotImplementedError


class PerPowerDomainChart(_LiveChart):
    """One panel per great power, one line per domain: ``engagement_P_d`` or ``dependence_P_d``."""

    def __init__(self, power_ids: Sequence[str], axis: TimeAxis, kind: str = "engagement", dpi: int = 72):
        self.power_ids, self.kind = tuple(power_ids), kind
        self.figure = _new_figure(9.5, 2.3, dpi)
        self.figure.subplots_adjust(left=0.06, right=0.99, bottom=0.12, top=0.97, wspace=0.06)
        self.axes = self.figure.subplots(1, len(power_ids), sharey=True, squeeze=False)[0]
        self.lines = {}
        for ax, power in zip(self.axes, power_ids):
            for domain in DOMAINS:
                (self.lines[power, domain],) = ax.plot([], [], color=DOMAIN_COLOURS[domain], linewidth=1.4,
                                                       label=domain)
            _time_axes(ax, axis)
            ax.set_title(power, fontsize=8, loc="left", pad=2, y=0.86, x=0.02)
        self.axes[0].set_ylabel(kind, fontsize=8)
        self.axes[-1].legend(fontsize=6.5, loc="upper right", frameon=False)

    def update(self, frame: pd.DataFrame) -> "PerPowerDomainChart":
        x = _steps(frame)
        series = []
        for power in self.power_ids:
            for domain in DOMAINS:
                y = frame[f"{self.kind}_{power}_{domain}"].to_numpy(dtype=float)
                series.append(y)
                self.lines[power, domain].set_data(x, y)
        _unit_ylim(self.axes[0], series)
        return self


class ReactionsChart(_LiveChart):
    """Per great power: inducements received (solid), pressure (dashed), coercion events (marks)."""

    def __init__(self, power_ids: Sequence[str], axis: TimeAxis, dpi: int = 72):
        self.power_ids = tuple(power_ids)
        self.figure = _new_figure(9.5, 2.2, dpi)
        self.figure.subplots_adjust(left=0.06, right=0.99, bottom=0.12, top=0.93, wspace=0.06)
        self.axes = self.figure.subplots(1, len(power_ids), sharey=True, squeeze=False)[0]
        colours = power_colours(power_ids)
        self.lines = {}
        for ax, power in zip(self.axes, power_ids):
            c = colours[power]
            (self.lines[power, "inducement"],) = ax.plot([], [], color=c, linewidth=1.4, label="inducement")
            (self.lines[power, "pressure"],) = ax.plot([], [], color=c, linewidth=1.2, linestyle="--",
                                                       label="pressure")
            (self.lines[power, "coercion"],) = ax.plot([], [], linestyle="none", marker="v", color="black",
                                                       markersize=5, label="coercion", clip_on=False)
            _time_axes(ax, axis)
            ax.set_title(power, fontsize=8, loc="left", pad=2, y=0.86, x=0.02)
        self.axes[0].set_ylabel("inducement / pressure", fontsize=8)
        self.axes[-1].legend(fontsize=6.5, loc="upper right", frameon=False)

    def update(self, frame: pd.DataFrame) -> "ReactionsChart":
        x = _steps(frame)
        series = []
        for power in self.power_ids:
            for kind in ("inducement", "pressure"):
                y = frame[f"{kind}_{power}"].to_numpy(dtype=float)
                series.append(y)
                self.lines[power, kind].set_data(x, y)
            hits = frame[f"coercion_{power}"].to_numpy(dtype=float) > 0
            self.lines[power, "coercion"].set_data(x[hits], np.zeros(int(hits.sum())))
        _unit_ylim(self.axes[0], series)
        return self


class OutcomesChart(_LiveChart):
    """The secondary's outcomes (autonomy, security, welfare) and its client index to each power."""

    OUTCOMES = (("autonomy", "#283747"), ("security", DOMAIN_COLOURS["security"]),
                ("welfare", DOMAIN_COLOURS["economy"]))

    def __init__(self, power_ids: Sequence[str], axis: TimeAxis, dpi: int = 72):
        self.power_ids = tuple(power_ids)
        self.figure = _new_figure(9.5, 2.3, dpi)
        self.figure.subplots_adjust(left=0.05, right=0.99, bottom=0.12, top=0.90, wspace=0.12)
        self.left, self.right = self.figure.subplots(1, 2)
        self.lines = {}
        for name, colour in self.OUTCOMES:
            (self.lines[name],) = self.left.plot([], [], color=colour, linewidth=1.5, label=name)
        _time_axes(self.left, axis)
        self.left.set_title("outcomes", fontsize=8, loc="left", pad=2)
        self.left.legend(fontsize=6.5, loc="lower left", frameon=False, ncols=3)
        colours = power_colours(power_ids)
        for power in power_ids:
            (self.lines[power],) = self.right.plot([], [], color=colours[power], linewidth=1.5, label=power)
        _time_axes(self.right, axis)
        self.right.set_title("client index", fontsize=8, loc="left", pad=2)
        self.right.legend(fontsize=6.5, loc="upper left", frameon=False, ncols=len(power_ids))

    def update(self, frame: pd.DataFrame) -> "OutcomesChart":
        x = _steps(frame)
        left = []
        for name, _colour in self.OUTCOMES:
            y = frame[name].to_numpy(dtype=float)
            left.append(y)
            self.lines[name].set_data(x, y)
        _unit_ylim(self.left, left)
        right = []
        for power in self.power_ids:
            y = frame[f"client_index_{power}"].to_numpy(dtype=float)
            right.append(y)
            self.lines[power].set_data(x, y)
        _unit_ylim(self.right, right)
        return self


def _power_positions(power_ids: Sequence[str]) -> dict[str, np.ndarray]:
    """Great powers on a circle round the secondary, the first at the top (north)."""
    n = len(power_ids)
    angles = np.pi / 2 - 2 * np.pi * np.arange(n) / max(n, 1)
    # Three powers read better as north / east / west than as a rotated triangle.
    if n == 3:
        angles = np.radians([90.0, -20.0, 200.0])
    return {p: np.array([np.cos(a), np.sin(a)]) for p, a in zip(power_ids, angles)}


class TiesChart:
    """The secondary's ties: one edge per (power, domain), as wide as the engagement, in the
    domain's colour; each power's node is labelled with the secondary's dependence on it."""

    def __init__(self, power_ids: Sequence[str], secondary: str = "KAZ", dpi: int = 72):
        self.power_ids = tuple(power_ids)
        self.figure = _new_figure(3.8, 3.4, dpi)
        self.figure.subplots_adjust(left=0.0, right=1.0, bottom=0.02, top=0.92)
        ax = self.ax = self.figure.subplots()
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_xlim(-1.45, 1.45)
        ax.set_ylim(-1.3, 1.35)
        positions = _power_positions(power_ids)
        colours = power_colours(power_ids)
        offsets = (np.arange(len(DOMAINS)) - (len(DOMAINS) - 1) / 2) * 0.075
        self.edges, self.labels = {}, {}
        for power in power_ids:
            end = positions[power] * 0.78
            direction = end / np.linalg.norm(end)
            normal = np.array([-direction[1], direction[0]])
            for j, domain in enumerate(DOMAINS):
                a, b = direction * 0.2 + normal * offsets[j], end + normal * offsets[j]
                (self.edges[power, domain],) = ax.plot([a[0], b[0]], [a[1], b[1]], color=DOMAIN_COLOURS[domain],
                                                       linewidth=0.4, alpha=0.85, solid_capstyle="butt")
            ax.scatter(*positions[power], s=900, color=colours[power], zorder=3, edgecolors="white")
            ax.text(*positions[power], power, ha="center", va="center", fontsize=7.5, color="white",
                    fontweight="bold", zorder=4)
            self.labels[power] = ax.text(*(positions[power] + np.array([0.0, -0.27])), "", ha="center", va="top",
                                         fontsize=6.5, color="0.25", zorder=4)
        ax.scatter([0], [0], s=1200, color="#34495e", zorder=3, edgecolors="white")
        ax.text(0, 0, secondary, ha="center", va="center", fontsize=8, color="white", fontweight="bold", zorder=4)
        handles = [ax.plot([], [], color=DOMAIN_COLOURS[d], linewidth=3)[0] for d in DOMAINS]
        ax.legend(handles, DOMAINS, fontsize=6.5, loc="lower center", ncols=3, frameon=False,
                  bbox_to_anchor=(0.5, -0.06))
        self.title = ax.set_title("", fontsize=8)

    def update(self, engagement: np.ndarray, dependence: np.ndarray, date: str = "") -> "TiesChart":
        """``engagement`` and ``dependence``: arrays shaped (powers, domains) in ``DOMAINS`` order."""
        engagement = np.asarray(engagement, dtype=float)
        dependence = np.asarray(dependence, dtype=float)
        for i, power in enumerate(self.power_ids):
            for j, domain in enumerate(DOMAINS):
                self.edges[power, domain].set_linewidth(0.4 + 9.0 * float(np.clip(engagement[i, j], 0.0, None)))
            self.labels[power].set_text(f"dep. {dependence[i].sum():.2f}")
        self.title.set_text(f"ties in {date} (edge width = engagement)" if date else "ties (edge width = engagement)")
        return self


def per_power_domain_figure(frame: pd.DataFrame, power_ids: Sequence[str], axis: TimeAxis,
                            kind: str = "engagement", dpi: int = 72) -> Figure:
    """One panel per great power, one line per domain: ``engagement_P_d`` or ``dependence_P_d``."""
    return PerPowerDomainChart(power_ids, axis, kind, dpi).update(frame).figure


def reactions_figure(frame: pd.DataFrame, power_ids: Sequence[str], axis: TimeAxis, dpi: int = 72) -> Figure:
    """Per great power: inducements received (solid), pressure (dashed), coercion events (marks)."""
    return ReactionsChart(power_ids, axis, dpi).update(frame).figure


def outcomes_figure(frame: pd.DataFrame, power_ids: Sequence[str], axis: TimeAxis, dpi: int = 72) -> Figure:
    """The secondary's outcomes and its client index to each power over the run."""
    return OutcomesChart(power_ids, axis, dpi).update(frame).figure


def ties_figure(engagement: np.ndarray, dependence: np.ndarray, power_ids: Sequence[str],
                secondary: str = "KAZ", date: str = "", dpi: int = 72) -> Figure:
    """The ties diagram (see ``TiesChart``) for one moment of a run."""
    return TiesChart(power_ids, secondary, dpi).update(engagement, dependence, date).figure


def with_client_index_max(frame: pd.DataFrame, power_ids: Sequence[str]) -> pd.Series:
    """The client index toward the power the secondary is most a client of, per step."""
    return frame[[f"client_index_{p}" for p in power_ids]].max(axis=1)


def final_outcomes(frames: Mapping[str, pd.DataFrame], power_ids: Sequence[str]) -> pd.DataFrame:
    """One row per strategy: each compared outcome at the run's last step, plus its run mean."""
    rows = []
    for strategy, frame in frames.items():
        row: dict[str, object] = {"strategy": strategy}
        client = with_client_index_max(frame, power_ids)
        for column, _label, _better in COMPARED_OUTCOMES:
            series = client if column == "client_index_max" else frame[column].astype(float)
            row[column] = float(series.iloc[-1])
            row[f"{column}_mean"] = float(series.mean())
        row["hedging_index"] = float(frame["hedging_index"].iloc[-1])
        rows.append(row)
    return pd.DataFrame(rows).set_index("strategy")


def compare_figure(frames: Mapping[str, pd.DataFrame], power_ids: Sequence[str], axis: TimeAxis,
                   dpi: int = 72) -> Figure:
    """Every strategy side by side: each compared outcome over time (top row, one line per
    strategy) and its final value (bottom row, bars, the best one outlined)."""
    strategies = list(frames)
    colours = strategy_colours(strategies)
    table = final_outcomes(frames, power_ids)
    fig = _new_figure(11.0, 5.2, dpi)
    fig.set_layout_engine("constrained")  # drawn once per comparison: layout quality over speed
    grid = fig.subplots(2, len(COMPARED_OUTCOMES), gridspec_kw={"height_ratios": [3, 2]})
    for k, (column, label, more_is_better) in enumerate(COMPARED_OUTCOMES):
        ax = grid[0][k]
        series = []
        for strategy, frame in frames.items():
            y = (with_client_index_max(frame, power_ids) if column == "client_index_max"
                 else frame[column].astype(float)).to_numpy(dtype=float)
            series.append(y)
            ax.plot(_steps(frame), y, color=colours[strategy], linewidth=1.3, label=strategy)
        _unit_ylim(ax, series)
        _time_axes(ax, axis)
        ax.set_title(label, fontsize=8.5, loc="left", pad=2)
        bars = grid[1][k]
        values = table[column].reindex(strategies).to_numpy(dtype=float)
        best = int(np.nanargmax(values) if more_is_better else np.nanargmin(values))
        drawn = bars.barh(range(len(strategies)), values, color=[colours[s] for s in strategies])
        drawn[best].set_edgecolor("black")
        drawn[best].set_linewidth(1.8)
        bars.set_yticks(range(len(strategies)), strategies if k == 0 else [""] * len(strategies), fontsize=7)
        bars.invert_yaxis()
        bars.tick_params(labelsize=7)
        bars.set_xlim(0, max(1.0, float(np.nanmax(values)) * 1.1))
        for i, value in enumerate(values):
            bars.text(value, i, f" {value:.2f}", va="center", fontsize=6.5,
                      fontweight="bold" if i == best else "normal")
        bars.set_title(f"final ({'higher' if more_is_better else 'lower'} is better)", fontsize=7, loc="left")
    grid[0][0].legend(fontsize=6.5, loc="best", frameon=False)
    return fig
