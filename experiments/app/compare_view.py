"""The compare view: every strategy on the same scenario and parameters, over replications.

It calls the CLI's own ``experiments.compare.compare_strategies`` and ``Comparison.summary``:
replication r of every strategy has seed ``SeedSequence(seed, spawn_key=(r,))`` (common
random numbers, so differences between strategies are the rules' doing, not the dice's), and
each metric is a mean over replications with a 95% percentile-bootstrap interval. So the same
seed and replications give the same numbers here and in ``multivector compare``.
"""

import html

import pandas as pd
import solara

from multivector import model
from multivector.experiments import compare
from multivector.experiments.app import charts, downloads
from multivector.experiments.app.session import RunSettings
from multivector.experiments.app.state import TabState

DEFAULT_REPLICATIONS = 20  # as the CLI's compare
MAX_REPLICATIONS = 1000

# Metrics the table shows (every run outcome of ``model.OUTCOMES``, in its order), each with its label
# and whether more is better (None: descriptive, no better or worse).
SHOWN_METRICS: tuple[tuple[str, str, bool | None], ...] = tuple((o.name, o.label, o.better) for o in model.OUTCOMES)
# The outcomes the thesis is about: a sentence each, and a chart of each quarter's mean.
HEADLINE: tuple[str, ...] = tuple(o.name for o in model.OUTCOMES if o.headline)
CHARTED: tuple[tuple[str, str], ...] = tuple((o.name, o.label) for o in model.OUTCOMES if o.headline)


class Cancelled(Exception):
    """Raised from the progress callback to stop a comparison the user left."""


def comparison_seed(settings: RunSettings) -> int:
    """The root seed: the plain seed (a replayed sweep run's seed is one run's, not a root)."""
    return int(settings.seed)


def run_comparison(settings: RunSettings, replications: int = DEFAULT_REPLICATIONS,
                   progress=lambda done, total: None, cancelled=lambda: False) -> compare.Comparison | None:
    """Every strategy under ``settings`` (its strategy is ignored), ``replications`` times each,
    through the CLI's function; None if cancelled."""
    overrides = model.validate_overrides(settings.scenario, settings.overrides) if settings.overrides else None
    strategies = compare.strategies_to_compare(settings.scenario)
    total = replications * len(strategies)
    done = 0

    def on_runs(count: int) -> None:
        nonlocal done
        done += count
        progress(done, total)
        if cancelled():
            raise Cancelled

    try:
        return compare.compare_strategies(settings.scenario, replications, comparison_seed(settings),
                                          strategies=strategies, steps=settings.steps, on_runs=on_runs,
                                          overrides=overrides)
    except Cancelled:
        return None


def cli_command(settings: RunSettings, replications: int) -> str:
    """The ``multivector compare`` command that gives the same numbers (when no parameter changed)."""
    steps = f" --steps {settings.steps}" if settings.steps is not None else ""
    return (f"multivector compare --scenario {settings.scenario} --seed {comparison_seed(settings)} "
            f"--replications {replications}{steps}")


def _shade(rank: float) -> str:
    """0 = best (green) .. 1 = worst (red), pale enough to read text on."""
    red = int(200 + 55 * rank)
    green = int(255 - 55 * rank)
    return f"rgb({red},{green},205)"


def summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """``Comparison.summary()`` as one row per strategy, columns (metric, mean|ci_low|ci_high)."""
    wide = summary.pivot(index="strategy", columns="metric", values=["mean", "ci_low", "ci_high"])
    order = list(dict.fromkeys(summary["strategy"]))
    return wide.reindex(order)


def outcome_table_html(summary: pd.DataFrame) -> str:
    """Mean [95% interval] per strategy and metric; each column shaded best (green) to worst (red)
    by mean, except that a strategy whose interval overlaps the best one's is shaded as the best."""
    table = summary_table(summary)
    head = "".join(f"<th style='padding:4px 8px' title='{html.escape(compare.METRICS[m])}'>{html.escape(label)}"
                   f"{'' if better is None else (' ↑' if better else ' ↓')}</th>"
                   for m, label, better in SHOWN_METRICS)
    rows = []
    for strategy in table.index:
        cells = [f"<td style='padding:4px 8px;font-weight:bold'>{html.escape(str(strategy))}</td>"]
        for metric, _label, better in SHOWN_METRICS:
            means = table[("mean", metric)].astype(float)
            mean = float(means[strategy])
            low, high = float(table.loc[strategy, ("ci_low", metric)]), float(table.loc[strategy, ("ci_high", metric)])
            span = float(means.max() - means.min())
            if better is None or span <= 0:
                background, bold = "#f4f4f4" if better is None else _shade(0.0), False
            else:
                best = means.idxmax() if better else means.idxmin()
                distance = (means.max() - mean) if better else (mean - means.min())
                # An interval overlapping the best one's is not told apart from it: shaded as the best.
                tied = (high >= table.loc[best, ("ci_low", metric)]) if better else (
                    low <= table.loc[best, ("ci_high", metric)])
                background, bold = _shade(0.0 if tied else float(distance / span)), strategy == best
            cells.append(f"<td style='padding:4px 8px;text-align:right;background:{background};"
                         f"{'font-weight:bold' if bold else ''}'>{mean:.3g}<br>"
                         f"<span style='font-size:11px;color:#444'>[{low:.3g}, {high:.3g}]</span></td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return ("<table class='multivector-compare' style='border-collapse:collapse;font-size:13px'>"
            f"<tr><th>strategy</th>{head}</tr>{''.join(rows)}</table>")


def outcome_sentences(summary: pd.DataFrame) -> list[str]:
    """'Autonomy: highest hedge 0.99 [0.989, 0.994], lowest balance ...; intervals do not overlap.'"""
    table = summary_table(summary)
    sentences = []
    for metric, label, better in SHOWN_METRICS:
        if metric not in HEADLINE:
            continue
        means = table[("mean", metric)].astype(float)
        top, bottom = means.idxmax(), means.idxmin()

        def cell(s, means=means, metric=metric):
            return (f"{s} {means[s]:.3g} [{table.loc[s, ('ci_low', metric)]:.3g}, "
                    f"{table.loc[s, ('ci_high', metric)]:.3g}]")

        overlap = table.loc[bottom, ("ci_high", metric)] >= table.loc[top, ("ci_low", metric)]
        verdict = "their intervals overlap" if overlap else "their intervals do not overlap"
        direction = "higher is better" if better else "lower is better"
        sentences.append(f"{label} ({direction}): highest {cell(top)}, lowest {cell(bottom)}; {verdict}.")
    return sentences


@solara.component
def ComparisonResult(comparison: compare.Comparison, settings: RunSettings):
    summary = solara.use_memo(comparison.summary, [id(comparison)])
    steps = int(comparison.steps["step"].max())
    axis = solara.use_memo(lambda: charts.TimeAxis.for_scenario(model.load_scenario(comparison.scenario), steps),
                           [id(comparison)])
    solara.Text(f"{comparison.scenario}, root seed {comparison.seed}, {comparison.replications} replications per "
                f"strategy, {len(settings.overrides)} parameter(s) changed, {steps} quarters: mean over replications "
                "and its 95% bootstrap interval; green: best or not told apart from it, red: worst (hover a column "
                "name for its definition)",
                style={"font-weight": "bold"})
    solara.HTML(tag="div", unsafe_innerHTML=outcome_table_html(summary))
    downloads.DownloadButtons("outcome table", csv=lambda: summary, stem="compare-outcomes")
    for sentence in outcome_sentences(summary):
        solara.Text(sentence, style={"font-size": "13px"})
    if not settings.overrides:
        solara.Text(f"Same numbers on the command line: {cli_command(settings, comparison.replications)}",
                    style={"font-size": "12px", "color": "#555", "font-family": "monospace"})
    options = solara.use_memo(lambda: [downloads.with_png(charts.strategy_means_option(
        comparison.steps, column, label, comparison.power_ids, axis), f"compare-{column}")
        for column, label in CHARTED], [id(comparison)])
    solara.Text("Each quarter's mean over the replications", style={"font-weight": "bold", "margin-top": "8px"})
    with solara.Row(style={"flex-wrap": "wrap"}):
        for option, (column, label) in zip(options, CHARTED):
            with solara.Column(style={"width": "49%", "min-width": "420px"}, gap="0px"):
                solara.FigureEcharts(option=option, attributes={"style": "height: 330px; width: 100%;"},
                                     responsive=True)
                downloads.DownloadButtons(label.lower(), csv=lambda option=option: downloads.chart_table(option),
                                          stem=f"compare-{column}")


@solara.component
def CompareView(state: TabState):
    settings = state.draft.value
    request = solara.use_reactive(0)
    replications = solara.use_reactive(DEFAULT_REPLICATIONS)
    progress = solara.use_reactive("")
    error = solara.use_reactive("")

    def work(cancel):
        if request.value == 0:
            return
        error.value = ""
        try:
            result = run_comparison(settings, int(replications.value),
                                    lambda done, total: progress.set(f"{done} of {total} runs done"), cancel.is_set)
        except (model.ModelInputError, ValueError) as problem:
            error.value = str(problem)
            result = None
        progress.value = ""
        if result is not None:
            state.comparison.value = (result, settings)

    solara.use_thread(work, dependencies=[request.value], intrusive_cancel=False)
    busy = bool(progress.value)

    def start():
        if not 1 <= int(replications.value) <= MAX_REPLICATIONS:
            error.value = f"replications must be in 1..{MAX_REPLICATIONS}"
            return
        progress.value = "starting"
        request.value += 1

    extra = " (a replayed sweep run's seed is not a root seed: the plain seed is used)" if settings.sweep_seed else ""
    with solara.Row(style={"align-items": "center"}):
        solara.Button("Compare all strategies", icon_name="mdi-compare-horizontal", color="primary",
                      on_click=start, disabled=busy)
        with solara.Div(style={"width": "140px"}):
            solara.InputInt("Replications", value=replications, continuous_update=False, dense=True)
        solara.Text(f"every strategy on {settings.scenario}, root seed {comparison_seed(settings)}{extra}, with the "
                    f"run view's parameters ({len(settings.overrides)} changed)", style={"color": "#555"})
    if progress.value:
        solara.ProgressLinear(True)
        solara.Text(progress.value)
    if error.value:
        solara.Error(f"Comparison refused: {error.value}")
    if state.comparison.value is not None:
        ComparisonResult(*state.comparison.value)
