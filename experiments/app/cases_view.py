"""The cases view: one outcome across every real case, as small multiples.

Every scenario that declares a real case runs under its historical strategy (``multivector cases``
lists them), ``replications`` times with the root seed given; the charts show the chosen outcome's
mean and spread per case on one scale, each case's dated events marked. The run view's case picker
(the scenario list, real cases marked) opens one case for stepping and steering.
"""

import solara

import pandas as pd

from multivector.experiments.app import across_cases, downloads
from multivector.experiments.app.state import TabState
from multivector.experiments.cases.commands import case_scenarios

DEFAULT_REPLICATIONS = 10
MAX_REPLICATIONS = 200


@solara.component
def CasesResult(results: list, outcome: str):
    label = dict(across_cases.OUTCOMES)[outcome]
    option = solara.use_memo(lambda: downloads.with_png(across_cases.cases_option(results, outcome, label),
                                                        f"cases-{outcome}"), [id(results), outcome])
    height = across_cases.chart_height(len(results))
    solara.FigureEcharts(option=option, attributes={"style": f"height: {height}px; width: 100%;"}, responsive=True)
    downloads.DownloadButtons(f"{label.lower()} by case", csv=lambda: downloads.chart_table(option),
                              stem=f"cases-{outcome}")
    table = pd.DataFrame(across_cases.last_quarter_table(results, outcome),
                         columns=["case", "historical strategy", "last quarter", "mean", "10% of runs", "90% of runs"])
    downloads.DownloadButtons("last-quarter table", stem=f"cases-{outcome}-last-quarter", csv=lambda: table)
    # a table widget, not solara.Markdown: Markdown loads mermaid from the CDN, which an offline app lacks
    solara.DataFrame(table.round(3), items_per_page=len(table) or 1)


@solara.component
def CasesView(state: TabState):
    names = solara.use_memo(case_scenarios, [])
    outcome = solara.use_reactive(across_cases.OUTCOMES[0][0])
    replications = solara.use_reactive(DEFAULT_REPLICATIONS)
    seed = solara.use_reactive(0)
    request = solara.use_reactive(0)
    progress = solara.use_reactive("")
    error = solara.use_reactive("")
    results = solara.use_reactive(None)

    def work(cancel):
        if request.value == 0:
            return
        error.value = ""
        try:
            found = across_cases.run_cases(names, int(replications.value), int(seed.value),
                                           lambda done, total: progress.set(f"{done} of {total} cases run"),
                                           cancel.is_set)
        except ValueError as problem:  # model.ModelInputError is a ValueError: a bad case file
            error.value = str(problem)
            found = None
        progress.value = ""
        if found is not None:
            results.value = found

    solara.use_thread(work, dependencies=[request.value], intrusive_cancel=False)

    def start():
        if not 1 <= int(replications.value) <= MAX_REPLICATIONS:
            error.value = f"replications must be in 1..{MAX_REPLICATIONS}"
            return
        progress.value = "starting"
        request.value += 1

    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        label = f"Run all {len(names)} cases" if len(names) != 1 else "Run the 1 case"
        solara.Button(label, icon_name="mdi-earth", color="primary", on_click=start, disabled=bool(progress.value))
        with solara.Div(style={"width": "120px"}):
            solara.InputInt("Replications", value=replications, continuous_update=False, dense=True)
        with solara.Div(style={"width": "100px"}):
            solara.InputInt("Root seed", value=seed, continuous_update=False, dense=True)
        with solara.Div(style={"width": "220px"}):
            solara.Select("Outcome", values=[c for c, _ in across_cases.OUTCOMES], value=outcome)
        solara.Text(f"each case under its historical strategy: {', '.join(names)}", style={"color": "#555"})
    if progress.value:
        solara.ProgressLinear(True)
        solara.Text(progress.value)
    if error.value:
        solara.Error(f"Cases refused: {error.value}")
    if results.value is not None:
        CasesResult(results.value, outcome.value)
