"""The app's charts as ECharts options, drawn from data-contract frames.

Pure functions: a DataFrame with the contract's columns (plus scenario facts) in, an ECharts
``option`` dict out, which ``solara.FigureEcharts`` hands to the browser. The browser draws
the chart, so a step sends a few kilobytes of numbers instead of re-encoding PNG images on
the server (matplotlib spent about 200 ms a frame in ``savefig``).

Every time-series chart spans the whole run from the start (``TimeAxis``), so nothing
rescales while a run plays, and marks the scenario's dated events as dotted lines whose date
and label show on hover. Colours come from ``experiments.palette`` (colour-blind safe, the
same as the CLI's figures). Values are rounded to 3 decimals: what the tooltips show, and a
smaller message per frame.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from multivector.experiments import palette
from multivector.model.calendar import step_date
from multivector.model.outcomes import COLUMNS, OUTCOME, outcome_columns

# A run's record: a data-contract DataFrame, or any mapping of column name to values (the live
# run view reads the collector's columns directly, without building a DataFrame each frame).
Columns = pd.DataFrame | Mapping[str, Sequence[float]]
DOMAINS: tuple[str, ...] = ("security", "economy", "institutions")
DOMAIN_COLOURS: dict[str, str] = dict(palette.DOMAIN_COLOURS)
OUTCOMES: tuple[str, ...] = outcome_columns(headline=True)  # autonomy, security, welfare (model.outcomes)
FONT = {"fontSize": 12}
DIGITS = 3


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

    @cached_property
    def dates(self) -> list[str]:
        """The x axis: every quarter's date (computed once; every chart of every frame uses it)."""
        return [step_date(self.start, step) for step in range(self.steps + 1)]


def power_colours(power_ids: Sequence[str]) -> dict[str, str]:
    return {p: palette.power_colour(p, i) for i, p in enumerate(power_ids)}


def strategy_colours(strategies: Sequence[str]) -> dict[str, str]:
    return {s: palette.strategy_colour(s, i) for i, s in enumerate(strategies)}


def _values(series) -> list[float | None]:
    """Rounded values; NaN becomes a gap (None), which ECharts leaves undrawn."""
    array = np.round(np.asarray(series, dtype=float), DIGITS)
    finite = np.isfinite(array)
    if finite.all():
        return array.tolist()
    return [float(v) if ok else None for v, ok in zip(array.tolist(), finite)]


def _upper(values: Sequence, floor: float = 1.0) -> float:
    """Axis top: ``floor`` (1 for shares) unless the data go above it, then the next tenth
    (below 1) or half (above 1), which fall on ECharts' ticks, so no label crowds the top one."""
    array = np.array(values, dtype=float)  # None (a gap) becomes NaN
    finite = array[np.isfinite(array)]
    high = float(finite.max()) if finite.size else floor
    step = 0.5 if high > 1 else 0.1
    return round(float(max(floor, np.ceil(round(high / step, 9)) * step)), 6)


HOVER_WIDTH = 220  # pixels: an event's label box, wrapped to this width


@lru_cache(maxsize=64)  # the same for every frame of a run; built once (callers must not change it)
def event_marks(axis: TimeAxis, half: int | None = None) -> dict:
    """The scenario's dated events as dotted vertical lines; hovering one shows its date and label
    in a box that runs from the line towards the middle of the axis, so it stays on the chart.
    ``half`` 0 or 1: only the events in that half of the run (each half's box runs its own way;
    two series carry one half each). None: every event."""
    events = [e for e in axis.events if half is None or (e[0] >= axis.steps / 2) == bool(half)]
    return {
        "symbol": "none", "silent": False, "animation": False,
        # Light: a scenario has dozens of events, and the data must stay in front.
        "lineStyle": {"type": "dotted", "color": "#c8c8c8", "width": 1},
        "label": {"show": False},
        "emphasis": {"label": {"show": True, "formatter": "{b}", "position": "insideEndTop", "fontSize": 11,
                               "width": HOVER_WIDTH, "overflow": "break",
                               # The box is centred on the line: the first half's moves right of
                               # it, the second's left, and both down off the title, into the plot.
                               "offset": [(-1 if half else 1) * (HOVER_WIDTH // 2 + 10), 56],
                               "color": "#222", "backgroundColor": "rgba(255,255,255,0.95)", "borderColor": "#999",
                               "borderWidth": 1, "padding": 4, "lineHeight": 14},
                     "lineStyle": {"color": "#333", "width": 1.5}},
        "data": [{"xAxis": step_date(axis.start, step), "name": f"{date}: {label}"} for step, date, label in events],
    }


def _marks(axis: TimeAxis, index: int) -> dict | None:
    """Event marks for a panel's ``index``-th series: the first half's on the first, the second's on the second."""
    return event_marks(axis, index) if index < 2 else None


def _grids(count: int, top: int = 58, bottom: int = 36, gap: float = 4.0, left: float = 5.0) -> list[dict]:
    """``count`` side-by-side plot areas (percent widths) under a shared legend."""
    width = (100.0 - left - 1.5 - gap * (count - 1)) / count
    return [{"left": f"{left + i * (width + gap):.2f}%", "width": f"{width:.2f}%", "top": top, "bottom": bottom}
            for i in range(count)]


def _time_x(axis: TimeAxis, index: int) -> dict:
    return {"type": "category", "gridIndex": index, "data": axis.dates, "boundaryGap": False,
            "axisLabel": {**FONT, "interval": 15, "hideOverlap": True}, "axisTick": {"alignWithLabel": True}}


def _value_y(index: int, high: float, low: float = 0.0, show_labels: bool = True) -> dict:
    """A y axis; what it measures is in the panel's title (an axis name would collide with it)."""
    return {"type": "value", "gridIndex": index, "min": low, "max": high, "axisLabel": {**FONT, "show": show_labels},
            "splitLine": {"lineStyle": {"color": "#eee"}}}


def _panel_titles(grids: list[dict], titles: Sequence[str]) -> list[dict]:
    return [{"text": t, "left": g["left"], "top": 28, "textStyle": {"fontSize": 13, "fontWeight": "bold"}}
            for g, t in zip(grids, titles)]


def _base(legend: Sequence[str], colours: Mapping[str, str] | None = None) -> dict:
    option = {"animation": False, "textStyle": FONT,
              "tooltip": {"trigger": "axis", "confine": True, "textStyle": FONT},
              "legend": {"data": list(legend), "top": 0, "left": "center", "textStyle": FONT}}
    if colours:
        option["legend"]["data"] = [{"name": n, "itemStyle": {"color": colours[n]}} for n in legend]
    return option


def _line(name: str, values, x: int, colour: str, dashed: bool = False, width: float = 2.0,
          marks: dict | None = None) -> dict:
    series = {"type": "line", "name": name, "xAxisIndex": x, "yAxisIndex": x, "data": _values(values),
              "showSymbol": False, "color": colour, "lineStyle": {"width": width, "type": "dashed" if dashed else "solid"}}
    if marks is not None:
        series["markLine"] = marks
    return series


def per_power_domain_option(frame: Columns, power_ids: Sequence[str], axis: TimeAxis,
                            kind: str = "engagement") -> dict:
    """One panel per great power, one line per domain: ``engagement_P_d`` or ``dependence_P_d``
    (each a share in [0, 1])."""
    grids = _grids(len(power_ids))
    series, everything = [], []
    for i, power in enumerate(power_ids):
        for j, domain in enumerate(DOMAINS):
            values = frame[f"{kind}_{power}_{domain}"]
            everything.extend(_values(values))
            series.append(_line(domain, values, i, DOMAIN_COLOURS[domain], marks=_marks(axis, j)))
    high = _upper(everything)
    option = _base(DOMAINS, DOMAIN_COLOURS)
    return _per_power_panels(option, grids, [f"{kind} with {p} (share)" for p in power_ids], axis, high, series)


def _per_power_panels(option: dict, grids: list, titles: list[str], axis: "TimeAxis", high: float,
                      series: list) -> dict:
    """One panel per power side by side, sharing one value scale (labelled on the first)."""
    option.update(grid=grids, title=_panel_titles(grids, titles),
                  xAxis=[_time_x(axis, i) for i in range(len(titles))],
                  yAxis=[_value_y(i, high, show_labels=i == 0) for i in range(len(titles))],
                  series=series)
    return option


def reactions_option(frame: Columns, power_ids: Sequence[str], axis: TimeAxis) -> dict:
    """Per great power: inducements received this quarter (solid), pressure this quarter
    (dashed), and the quarters a coercion event happened (triangles on the axis)."""
    grids = _grids(len(power_ids))
    colours = power_colours(power_ids)
    series, everything = [], []
    for i, power in enumerate(power_ids):
        for kind, dashed in (("inducement", False), ("pressure", True)):
            values = frame[f"{kind}_{power}"]
            everything.extend(_values(values))
            series.append(_line(kind, values, i, colours[power], dashed=dashed,
                                marks=_marks(axis, 0 if kind == "inducement" else 1)))
        counts = np.asarray(frame[f"coercion_{power}"], dtype=float)
        hits = np.flatnonzero(np.diff(counts, prepend=counts[0] if len(counts) else 0.0) > 0)
        series.append({"type": "scatter", "name": "coercion", "xAxisIndex": i, "yAxisIndex": i, "symbol": "triangle",
                       "symbolSize": 10, "color": "#000000",
                       "data": [[axis.dates[k] if k < len(axis.dates) else str(k), 0] for k in hits]})
    high = _upper(everything, floor=0.05)
    option = _base(("inducement", "pressure", "coercion"))
    option["legend"]["data"] = [{"name": "inducement", "itemStyle": {"color": "#555"}},
                                {"name": "pressure", "itemStyle": {"color": "#555"}, "lineStyle": {"type": "dashed"}},
                                {"name": "coercion", "itemStyle": {"color": "#000"}, "icon": "triangle"}]
    return _per_power_panels(option, grids, [f"from {p} (per quarter)" for p in power_ids], axis, high, series)


def outcomes_option(frame: Columns, power_ids: Sequence[str], axis: TimeAxis) -> dict:
    """The secondary's outcomes (autonomy, security, welfare) and its client index to each power."""
    grids = _grids(2, gap=7.0)
    colours = {**{o: palette.outcome_colour(o, k) for k, o in enumerate(OUTCOMES)}, **power_colours(power_ids)}
    left = [_line(name, frame[name], 0, colours[name], marks=_marks(axis, OUTCOMES.index(name)))
            for name in OUTCOMES]
    right = [_line(power, frame[column], 1, colours[power], marks=_marks(axis, k))
             for k, (power, column) in enumerate(zip(power_ids, COLUMNS["client_index"].names(power_ids)))]
    option = _base(OUTCOMES)
    # One legend per panel: outcomes on the left, powers (their own colour family) on the right.
    option["legend"] = [{"data": [{"name": n, "itemStyle": {"color": colours[n]}} for n in names], "top": 0,
                         "left": grid["left"], "textStyle": FONT}
                        for names, grid in ((OUTCOMES, grids[0]), (power_ids, grids[1]))]
    option.update(grid=grids, title=_panel_titles(grids, ["outcomes (welfare: start = 1)",
                                                          "client index towards each power"]),
                  xAxis=[_time_x(axis, 0), _time_x(axis, 1)],
                  yAxis=[_value_y(0, _upper([v for s in left for v in s["data"]])),
                         _value_y(1, _upper([v for s in right for v in s["data"]]))],
                  series=[*left, *right])
    return option


def _power_positions(power_ids: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Great powers on a circle round the secondary, the first at the top (screen y grows down)."""
    n = len(power_ids)
    angles = np.pi / 2 - 2 * np.pi * np.arange(n) / max(n, 1)
    if n == 3:  # north / east / west reads better than a rotated triangle
        angles = np.radians([90.0, -30.0, 210.0])
    return {p: (float(np.cos(a)) * 100.0, float(-np.sin(a)) * 100.0) for p, a in zip(power_ids, angles)}


# The ties picture: drawn in a TIES_SIZE pixel chart; data box (x0, y0), (x1, y1) and pixel
# margins chosen so that both boxes have the same shape (320 x 280 units in 400 x 350 pixels).
TIES_SIZE = (440, 440)
TIES_BOX = ((-160.0, -150.0), (160.0, 130.0))
TIES_MARGINS = {"left": 20, "right": 20, "top": 55, "bottom": 35}


def dependence_label(dependence_row: Sequence[float]) -> str:
    """A power's dependence line: one share in [0, 1] per domain (never their sum, which is not a share)."""
    return " · ".join(f"{d[:3]}. {float(v):.2f}" for d, v in zip(DOMAINS, dependence_row))


def ties_option(engagement: np.ndarray, dependence: np.ndarray, power_ids: Sequence[str],
                secondary: str = "S", date: str = "") -> dict:
    """The secondary's ties: one edge per (power, domain), as wide as its engagement, in the
    domain's colour; under each power the secondary's dependence on it in each domain. Hovering
    an edge shows both numbers."""
    engagement = np.asarray(engagement, dtype=float)
    dependence = np.asarray(dependence, dtype=float)
    positions = _power_positions(power_ids)
    colours = power_colours(power_ids)
    nodes = [{"name": secondary, "x": 0.0, "y": 0.0, "symbolSize": 62, "itemStyle": {"color": "#34495e"},
              "label": {"show": True, "color": "#fff", "fontWeight": "bold", "fontSize": 13},
              "tooltip": {"formatter": secondary}}]
    links = []
    for i, power in enumerate(power_ids):
        x, y = positions[power]
        nodes.append({"name": power, "x": x, "y": y, "symbolSize": 52, "itemStyle": {"color": colours[power]},
                      "label": {"show": True, "color": "#fff", "fontWeight": "bold", "fontSize": 12},
                      "tooltip": {"formatter": f"{power}: dependence {dependence_label(dependence[i])}"}})
        for j, domain in enumerate(DOMAINS):
            e, d = float(engagement[i, j]), float(dependence[i, j])
            links.append({"source": secondary, "target": power, "value": round(e, DIGITS),
                          "lineStyle": {"color": DOMAIN_COLOURS[domain], "width": 0.5 + 10.0 * max(e, 0.0),
                                        "curveness": (j - 1) * 0.18, "opacity": 0.9},
                          "tooltip": {"formatter": f"{power} {domain}: engagement {e:.2f}, dependence {d:.2f}"}})
    # Each power's dependence line hangs on an invisible node beyond the power (above the top
    # one, below the others), where no edge runs over it.
    for i, power in enumerate(power_ids):
        x, y = positions[power]
        nodes.append({"name": f"{power} dependence", "x": x, "y": y - 35 if y < 0 else y + 45, "symbolSize": 0,
                      "label": {"show": True, "formatter": f"dependence on {power}\n{dependence_label(dependence[i])}",
                                "fontSize": 11, "color": "#333", "lineHeight": 15},
                      "tooltip": {"formatter": f"{power}: dependence {dependence_label(dependence[i])} "
                                                "(each domain a share in [0, 1])"}})
    # Invisible corners fix the drawing's extent to TIES_BOX, whose shape matches the plot box,
    # so the layout never stretches circles into ellipses or pushes labels off the chart.
    (x0, y0), (x1, y1) = TIES_BOX
    nodes += [{"name": f"corner {k}", "x": x, "y": y, "symbolSize": 0, "label": {"show": False},
               "tooltip": {"show": False}} for k, (x, y) in enumerate(((x0, y0), (x1, y1)))]
    return {
        "animation": False, "textStyle": FONT,
        "title": {"text": f"ties in {date}" if date else "ties", "subtext": "edge width = engagement",
                  "left": "center", "top": 0, "textStyle": {"fontSize": 13}, "subtextStyle": {"fontSize": 11}},
        "tooltip": {"trigger": "item", "confine": True, "textStyle": FONT},
        "legend": {"data": [{"name": d, "itemStyle": {"color": DOMAIN_COLOURS[d]}} for d in DOMAINS],
                   "bottom": 0, "textStyle": FONT},
        "series": [{"type": "graph", "layout": "none", "roam": False, "data": nodes, "links": links,
                    **TIES_MARGINS, "edgeSymbol": ["none", "none"],
                    "emphasis": {"focus": "adjacency"}},
                   # Empty series so the legend names each domain's colour.
                   *[{"type": "line", "name": d, "data": [], "color": DOMAIN_COLOURS[d]} for d in DOMAINS]],
        "xAxis": {"show": False}, "yAxis": {"show": False}, "grid": {"show": False},
    }


def strategy_means_option(steps: pd.DataFrame, column: str, label: str, power_ids: Sequence[str],
                          axis: TimeAxis) -> dict:
    """One outcome over time, one line per strategy: the mean over its replications per quarter.
    ``column`` is a record column or a run outcome of ``model.OUTCOMES`` (its per-quarter values,
    e.g. ``max_client_index``: the client index toward the power S is most a client of)."""
    frame = steps.copy()
    if column in OUTCOME and column not in frame:  # a run outcome's per-quarter values (the highest client index)
        frame[column] = OUTCOME[column].quarterly(frame, power_ids)
    means = frame.groupby(["strategy_setting", "step"], sort=False)[column].mean()
    strategies = list(dict.fromkeys(frame["strategy_setting"]))
    colours = strategy_colours(strategies)
    series = [_line(s, means.loc[s].sort_index().to_numpy(), 0, colours[s], marks=_marks(axis, k))
              for k, s in enumerate(strategies)]
    option = _base(strategies, colours)
    # Seven strategies take two legend lines in a half-width chart: the title and plot sit below
    # both, and the legend stops short of the PNG button at the top right.
    option["legend"].update(left=40, width="82%")
    option.update(grid=[{"left": 56, "right": 16, "top": 80, "bottom": 36}],
                  title=[{"text": f"{label}: mean over replications", "left": 56, "top": 50,
                          "textStyle": {"fontSize": 13}}],
                  xAxis=[_time_x(axis, 0)],
                  yAxis=[_value_y(0, _upper([v for s in series for v in s["data"]]))],
                  series=series)
    return option
