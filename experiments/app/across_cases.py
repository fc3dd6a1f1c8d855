"""One outcome across every real case: the runs behind the app's Cases view and its small multiples.

Each case (a scenario declaring ``[case]``, :func:`experiments.cases.commands.case_scenarios`) runs
``replications`` times under its historical strategy on the array engine, replication r with seed
``SeedSequence(seed, spawn_key=(r,))`` as in ``multivector run --replications``; the view draws, per
case, the mean over runs and the 10% and 90% of runs each quarter, with the case's dated events
marked (hover a dotted line for its date and label). Pure functions: no Solara here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from multivector import model
from multivector.experiments import palette
from multivector.experiments.app.charts import DIGITS, FONT, _upper, _values
from multivector.experiments.compare import replication_seeds
from multivector.model.history import History, run_to_end

# Outcomes every case records, with a label (client_index_max: toward the power S is most a client of).
OUTCOMES: tuple[tuple[str, str], ...] = (("autonomy", "Autonomy"), ("security", "Security"), ("welfare", "Welfare"),
                                         ("client_index_max", "Highest client index"),
                                         ("hedging_index", "Hedging index"))
PANEL_HEIGHT, PANEL_GAP, HEADER = 150, 62, 34  # pixels
MARK_WIDTH = 170  # an event's hover label, wrapped to this width


@dataclass(frozen=True)
class CaseRuns:
    """The runs of one case: each outcome of :data:`OUTCOMES` as a (quarters + 1, R) array."""

    scenario: str
    title: str  # "scenario: Name (ISO3)"
    history: str  # "QUARTER rule; QUARTER rule vs ID"
    strategy: str
    dates: tuple[str, ...]
    values: dict[str, np.ndarray]
    events: tuple[tuple[str, str], ...]  # (date, label)


def _history_text(case) -> str:
    parts = []
    for period in case.strategy:
        text = f"{period.start} {period.rule}"
        if period.adversary:
            text += f" vs {period.adversary}"
        if period.patron:
            text += f" with {period.patron}"
        parts.append(text)
    return "; ".join(parts) or "hedge (no history recorded)"


def run_case(scenario: str, replications: int, seed: int) -> CaseRuns:
    """``replications`` runs of one case under its historical strategy (hedge if it records none)."""
    sc = model.load_scenario(scenario)
    strategy = model.HISTORICAL if model.HISTORICAL in model.strategies_of(sc) else "hedge"
    world = model.Ensemble(sc, [strategy] * replications, [{}] * replications, replication_seeds(seed, replications))
    history = History(world, world.max_steps + 1)
    run_to_end(world, history)
    n = history.count
    block = history.values[:n]  # (T + 1, R, K)
    position = {name: j for j, (name, _) in enumerate(history.numeric)}
    values = {}
    for column, _ in OUTCOMES:
        if column == "client_index_max":
            values[column] = block[:, :, [position[f"client_index_{p}"] for p in sc.power_ids]].max(axis=2)
        else:
            values[column] = block[:, :, position[column]]
    case = sc.case
    title = f"{scenario}: {case.name} ({case.secondary})" if case is not None else scenario
    return CaseRuns(scenario, title, _history_text(case) if case is not None else "no history recorded", strategy,
                    tuple(history.dates[:n]), values,
                    tuple((e.date, e.label) for e in sc.events if 0 <= e.step < n))


def run_cases(names: Sequence[str], replications: int, seed: int,
              progress: Callable[[int, int], None] = lambda done, total: None,
              cancelled: Callable[[], bool] = lambda: False) -> list[CaseRuns] | None:
    """Every named case in turn; None if ``cancelled()`` turns true between cases."""
    out = []
    for i, name in enumerate(names):
        if cancelled():
            return None
        out.append(run_case(name, replications, seed))
        progress(i + 1, len(names))
    return out


def _marks(events: Sequence[tuple[str, str]]) -> dict:
    return {
        "symbol": "none", "silent": False, "animation": False,
        "lineStyle": {"type": "dotted", "color": "#c8c8c8", "width": 1}, "label": {"show": False},
        "emphasis": {"label": {"show": True, "formatter": "{b}", "position": "insideEndTop", "fontSize": 10,
                               "width": MARK_WIDTH, "overflow": "break", "color": "#222",
                               "backgroundColor": "rgba(255,255,255,0.95)", "borderColor": "#999", "borderWidth": 1,
                               "padding": 3, "lineHeight": 13},
                     "lineStyle": {"color": "#333", "width": 1.5}},
        "data": [{"xAxis": date, "name": f"{date}: {label}"} for date, label in events],
    }


def columns_for(count: int) -> int:
    return 1 if count <= 1 else 2 if count <= 4 else 3


def chart_height(count: int) -> int:
    rows = math.ceil(max(count, 1) / columns_for(count))
    return HEADER + rows * (PANEL_HEIGHT + PANEL_GAP)


def cases_option(results: Sequence[CaseRuns], outcome: str, label: str) -> dict:
    """Small multiples: one panel per case, the outcome's mean over runs (solid) and its 10% and 90%
    of runs (thin), on one shared scale; the case's events as dotted lines with their labels on hover."""
    ncols = columns_for(len(results))
    width = 100.0 / ncols
    grids, titles, x_axes, y_axes, series = [], [], [], [], []
    summaries = []
    for result in results:
        runs = result.values[outcome]
        summaries.append((runs.mean(axis=1), np.quantile(runs, 0.1, axis=1), np.quantile(runs, 0.9, axis=1)))
    high = _upper([v for triple in summaries for part in triple for v in _values(part)])
    colour = palette.OUTCOME_COLOURS.get(outcome, palette.OKABE_ITO["black"])
    for i, (result, (mean, low, upper)) in enumerate(zip(results, summaries)):
        row, col = divmod(i, ncols)
        top = HEADER + row * (PANEL_HEIGHT + PANEL_GAP) + 34
        left = col * width + 4.5
        grids.append({"left": f"{left:.2f}%", "width": f"{width - 7:.2f}%", "top": top, "height": PANEL_HEIGHT - 34})
        titles.append({"text": result.title, "subtext": f"{result.strategy}: {result.history}", "left": f"{left:.2f}%",
                       "top": top - 40, "textStyle": {"fontSize": 12, "fontWeight": "bold"},
                       "subtextStyle": {"fontSize": 10, "width": 300, "overflow": "truncate"}})
        x_axes.append({"type": "category", "gridIndex": i, "data": list(result.dates), "boundaryGap": False,
                       "axisLabel": {**FONT, "fontSize": 10, "interval": 23, "hideOverlap": True}})
        y_axes.append({"type": "value", "gridIndex": i, "min": 0.0, "max": high, "interval": round(high / 4, 6),
                       "axisLabel": {**FONT, "fontSize": 10}, "splitLine": {"lineStyle": {"color": "#eee"}}})
        base = {"type": "line", "xAxisIndex": i, "yAxisIndex": i, "showSymbol": False, "color": colour}
        series.append({**base, "name": "mean over runs", "data": _values(mean), "lineStyle": {"width": 2},
                       "markLine": _marks(result.events)})
        for name, values in (("10% of runs", low), ("90% of runs", upper)):
            series.append({**base, "name": name, "data": _values(values), "lineStyle": {"width": 0.8, "opacity": 0.6}})
    return {
        "animation": False, "textStyle": FONT,
        "title": [{"text": f"{label} in every case: mean over runs and 10-90% of runs, each under its historical "
                           "strategy (hover a dotted line for its event)", "left": "center", "top": 0,
                   "textStyle": {"fontSize": 13}}, *titles],
        "tooltip": {"trigger": "axis", "confine": True, "textStyle": FONT},
        "grid": grids, "xAxis": x_axes, "yAxis": y_axes, "series": series,
    }


def last_quarter_table(results: Sequence[CaseRuns], outcome: str) -> list[tuple[str, str, str, float, float, float]]:
    """(case, its history, last date, mean, 10%, 90%) of the outcome in each case's last quarter."""
    rows = []
    for result in results:
        last = result.values[outcome][-1]
        rows.append((result.title, result.history, result.dates[-1], round(float(last.mean()), DIGITS),
                     round(float(np.quantile(last, 0.1)), DIGITS), round(float(np.quantile(last, 0.9)), DIGITS)))
    return rows
