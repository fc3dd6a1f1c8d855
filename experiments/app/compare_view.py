"""The compare view: every strategy on the same scenario, parameters and seed, side by side.

All strategies share the seed (common random numbers), so differences between them are the
rules' doing, not the dice's. The outcome table shades each column from best (green) to worst
and states each outcome's best and worst strategy and the gap between them.
"""

import html
from dataclasses import dataclass

import pandas as pd
import solara

import model
from experiments.app import charts
from experiments.app.run_view import Figure
from experiments.app.session import RunSettings
from experiments.app.state import TabState


@dataclass(frozen=True)
class Comparison:
    settings: RunSettings
    frames: dict
    power_ids: tuple
    axis: charts.TimeAxis


def run_comparison(settings: RunSettings, progress=lambda done, total: None, cancelled=lambda: False):
    """Simulate every strategy under ``settings`` (its strategy is ignored); None if cancelled."""
    overrides = model.validate_overrides(settings.scenario, settings.overrides) if settings.overrides else None
    scenario = model.load_scenario(settings.scenario)
    frames = {}
    for i, strategy in enumerate(model.STRATEGIES):
        if cancelled():
            return None
        progress(i, len(model.STRATEGIES))
        frames[strategy] = model.simulate(scenario=settings.scenario, strategy=strategy, seed=settings.rng(),
                                          steps=settings.steps, overrides=overrides)
    steps = int(max(len(f) for f in frames.values()) - 1)
    return Comparison(settings=settings, frames=frames, power_ids=tuple(scenario.power_ids),
                      axis=charts.TimeAxis.for_scenario(scenario, steps))


def _shade(rank: float) -> str:
    """0 = best (green) .. 1 = worst (red), pale enough to read text on."""
    red = int(200 + 55 * rank)
    green = int(255 - 55 * rank)
    return f"rgb({red},{green},205)"


def outcome_table_html(table: pd.DataFrame) -> str:
    """The final outcomes, one row per strategy, each column shaded best-to-worst."""
    columns = [(c, label, better) for c, label, better in charts.COMPARED_OUTCOMES]
    head = "".join(f"<th style='padding:4px 10px'>{html.escape(label)}</th>" for _c, label, _b in columns)
    rows = []
    for strategy in table.index:
        cells = [f"<td style='padding:4px 10px;font-weight:bold'>{html.escape(str(strategy))}</td>"]
        for column, _label, more_is_better in columns:
            values = table[column]
            span = float(values.max() - values.min())
            value = float(values[strategy])
            distance = (values.max() - value) if more_is_better else (value - values.min())
            rank = float(distance / span) if span > 0 else 0.0
            best = rank == 0.0 and span > 0
            cells.append(f"<td style='padding:4px 10px;text-align:right;background:{_shade(rank)};"
                         f"{'font-weight:bold' if best else ''}'>{value:.3f}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return ("<table class='multivector-compare' style='border-collapse:collapse;font-size:13px'>"
            f"<tr><th>strategy</th>{head}</tr>{''.join(rows)}</table>")


def outcome_sentences(table: pd.DataFrame) -> list[str]:
    """'Autonomy: best hedge (0.71), worst bandwagon (0.40), gap 0.31.' for each outcome."""
    sentences = []
    for column, label, more_is_better in charts.COMPARED_OUTCOMES:
        values = table[column]
        best = values.idxmax() if more_is_better else values.idxmin()
        worst = values.idxmin() if more_is_better else values.idxmax()
        sentences.append(f"{label}: best {best} ({values[best]:.3f}), worst {worst} ({values[worst]:.3f}), "
                         f"gap {abs(values[best] - values[worst]):.3f}.")
    return sentences


@solara.component
def ComparisonResult(comparison: Comparison):
    table = solara.use_memo(lambda: charts.final_outcomes(comparison.frames, comparison.power_ids), [comparison])
    settings = comparison.settings
    seed = settings.sweep_seed.describe() if settings.sweep_seed else f"seed {settings.seed}"
    solara.Text(f"{settings.scenario}, {seed}, {len(settings.overrides)} parameter(s) changed, "
                f"{comparison.axis.steps} quarters: final values (shaded best to worst)",
                style={"font-weight": "bold"})
    solara.HTML(tag="div", unsafe_innerHTML=outcome_table_html(table))
    for sentence in outcome_sentences(table):
        solara.Text(sentence, style={"font-size": "13px"})
    Figure(lambda: charts.compare_figure(comparison.frames, comparison.power_ids, comparison.axis, dpi=96),
           id(comparison))


@solara.component
def CompareView(state: TabState):
    settings = state.draft.value
    request = solara.use_reactive(0)
    progress = solara.use_reactive("")
    error = solara.use_reactive("")

    def work(cancel):
        if request.value == 0:
            return
        error.value = ""
        try:
            result = run_comparison(settings, lambda done, total: progress.set(f"running strategy {done + 1} of {total}"),
                                    cancel.is_set)
        except (model.ModelInputError, ValueError) as problem:
            error.value = str(problem)
            result = None
        progress.value = ""
        if result is not None:
            state.comparison.value = result

    solara.use_thread(work, dependencies=[request.value], intrusive_cancel=False)
    busy = bool(progress.value)

    def start():
        progress.value = "starting"
        request.value += 1

    seed = settings.sweep_seed.describe() if settings.sweep_seed else f"seed {settings.seed}"
    with solara.Row(style={"align-items": "center"}):
        solara.Button("Compare all strategies", icon_name="mdi-compare-horizontal", color="primary",
                      on_click=start, disabled=busy)
        solara.Text(f"every strategy on {settings.scenario}, {seed}, with the run view's parameters "
                    f"({len(settings.overrides)} changed)", style={"color": "#555"})
    if progress.value:
        solara.ProgressLinear(True)
        solara.Text(progress.value)
    if error.value:
        solara.Error(f"Comparison refused: {error.value}")
    if state.comparison.value is not None:
        ComparisonResult(state.comparison.value)
