"""The analysis part of the sweep view: outcome by strategy, outcome against one varied factor
(lines with 95% intervals), two-factor heatmaps, paths over time, and sensitivity indices, each
from ``experiments.sweep.analysis`` and ``.plots`` (the same tables and figures ``multivector
analyze`` writes). Every figure downloads as PNG and its table as CSV."""

import solara

from multivector.experiments.app import downloads
from multivector.experiments.errors import UsageError
from multivector.experiments.sweep import analysis, plots
from multivector.model.outcomes import outcome_columns


# The outcomes the thesis is about (model.outcomes), shown first; every measure the sweep kept can be picked.
HEADLINE_MEASURES = outcome_columns(headline=True)


def _measures(results) -> list[str]:
    return list(results.experiment.measures)


def _headline(results) -> list[str]:
    available = _measures(results)
    return [m for m in HEADLINE_MEASURES if m in available] or available[:4]


@solara.component
def SweepFigure(make, key, name: str = "sweep-figure", table=None):
    """A figure from the sweep plots, encoded once per ``key``, with PNG and CSV downloads (``table``
    returns the numbers it draws); a refused analysis is a message."""

    def build():
        try:
            return make(), ""
        except (UsageError, ValueError, KeyError) as problem:
            return None, str(problem)

    figure, problem = solara.use_memo(build, [key])
    if problem:
        solara.Warning(problem)
    elif figure is not None:
        solara.FigureMatplotlib(figure, dependencies=[key], format="png")
        downloads.DownloadButtons(name, csv=table, png=lambda: downloads.png_bytes(figure))


@solara.component
def ByStrategy(results, runs):
    measures = _measures(results)
    chosen = solara.use_reactive(_headline(results))

    def summarise():
        try:
            return analysis.summary_by_strategy(runs, measures), ""
        except UsageError as problem:
            return None, str(problem)

    summary, problem = solara.use_memo(summarise, [id(results)])
    if problem:
        solara.Warning(problem)
        return
    solara.SelectMultiple("Measures", all_values=measures, values=chosen)
    shown = list(chosen.value) or _headline(results)
    table = summary[summary["measure"].isin(shown)]
    SweepFigure(lambda: plots.outcome_by_strategy(summary, shown), (id(results), "by-strategy", tuple(shown)),
                name="outcome by strategy", table=lambda: table)
    with solara.Details(summary="Table: mean, standard deviation and 95% interval by strategy"):
        solara.DataFrame(table.round(4), items_per_page=30)


def _bins(results) -> int | None:
    """Sampled designs are cut into 5 bins per factor; a grid's listed values are their own levels."""
    return None if results.experiment.design.kind == "grid" else 5


@solara.component
def ByFactor(results, runs):
    """Each headline outcome against one varied factor: a line per strategy, 95% intervals as bands."""
    factors = analysis.varied_factors(results)
    factor = solara.use_reactive(factors[0] if factors else "")
    if not factors:
        solara.Text("This sweep varies no factor (only strategies and replications).", style={"color": "#666"})
        return
    if factor.value not in factors:
        factor.value = factors[0]
    shown = _headline(results)
    bins = _bins(results)
    with solara.Div(style={"width": "320px"}):
        solara.Select("Factor", values=factors, value=factor)
    SweepFigure(lambda: plots.factor_lines(runs, factor.value, shown, bins=bins),
                (id(results), "by-factor", factor.value, tuple(shown)), name=f"by {factor.value}",
                table=lambda: analysis.summary_by_factor(runs, factor.value, shown, bins=bins))


@solara.component
def Heatmap(results, runs):
    factors = list(results.factors)
    measures = _measures(results)
    x = solara.use_reactive(factors[0] if factors else "")
    y = solara.use_reactive(factors[1] if len(factors) > 1 else "")
    measure = solara.use_reactive(_headline(results)[0] if measures else "")
    if len(factors) < 2:
        solara.Text(f"This sweep varies {len(factors)} factor(s); a heatmap needs two (its factor is plotted "
                    "as lines above).", style={"color": "#666"})
        return
    with solara.Row(style={"flex-wrap": "wrap"}):
        for label, value in (("Heatmap x", x), ("Heatmap y", y)):
            with solara.Div(style={"width": "260px"}):
                solara.Select(label, values=factors, value=value)
        with solara.Div(style={"width": "220px"}):
            solara.Select("Heatmap measure", values=measures, value=measure)
    if x.value == y.value:
        solara.Text("Pick two different factors.", style={"color": "#666"})
        return
    bins = _bins(results)
    SweepFigure(lambda: plots.factor_heatmap(runs, x.value, y.value, measure.value, bins=bins),
                (id(results), x.value, y.value, measure.value), name=f"heatmap {measure.value}",
                table=lambda: plots.heatmap_table(runs, x.value, y.value, measure.value, bins=bins))


@solara.component
def Paths(results, runs):
    steps = results.steps
    measures = _measures(results)
    measure = solara.use_reactive(_headline(results)[0] if measures else "")
    if steps is None:
        solara.Text("This sweep kept no per-step outputs ([collect] steps = true keeps them).",
                    style={"color": "#666"})
        return
    with solara.Div(style={"width": "240px"}):
        solara.Select("Path measure", values=[m for m in measures if m in steps.columns], value=measure)
    SweepFigure(lambda: plots.time_series_bands(steps, runs, measure.value), (id(results), "paths", measure.value),
                name=f"paths {measure.value}", table=lambda: plots.time_series_table(steps, runs, measure.value))


@solara.component
def Sensitivity(results, runs):
    kind = results.experiment.design.kind
    measures = _measures(results)
    measure = solara.use_reactive(_headline(results)[0] if measures else "")

    def indices():
        if kind not in ("sobol", "morris"):
            return None, ""
        try:
            method = analysis.sobol_indices if kind == "sobol" else analysis.morris_indices
            return method(results, _headline(results)), ""
        except UsageError as problem:
            return None, str(problem)

    table, problem = solara.use_memo(indices, [id(results)])
    if kind not in ("sobol", "morris"):
        solara.Text(f"Sensitivity indices need a sobol or morris design; this sweep's design is {kind}.",
                    style={"color": "#666"})
        return
    if problem:
        solara.Warning(problem)
        return
    with solara.Div(style={"width": "240px"}):
        solara.Select("Sensitivity measure", values=_headline(results), value=measure)
    SweepFigure(lambda: plots.sensitivity_indices(table, measure.value), (id(results), "sens", measure.value),
                name=f"{kind} {measure.value}", table=lambda: table[table["measure"] == measure.value])
    with solara.Details(summary=f"Table: {kind} indices with 95% intervals"):
        solara.DataFrame(table.round(4), items_per_page=30)


@solara.component
def AnalysisSections(results, runs):
    with solara.Card("Outcome by strategy", margin=0):
        ByStrategy(results, runs)
    with solara.Card("Outcome against one factor", margin=0):
        ByFactor(results, runs)
    with solara.Card("Heatmap over two factors", margin=0):
        Heatmap(results, runs)
    with solara.Card("Paths over time", margin=0):
        Paths(results, runs)
    with solara.Card("Sensitivity indices", margin=0):
        Sensitivity(results, runs)
