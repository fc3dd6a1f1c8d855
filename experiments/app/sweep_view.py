"""The sweep view: open a folder written by ``multivector sweep``, show its analysis, replay a run.

The folder is typed by the user (or given with ``multivector app --sweep DIR``), must lie under
the app's sweep root and is read only inside itself (``sweep_folder.open_confined``); it checks
itself (``experiments.sweep.integrity``) before anything is shown. Analysis and figures come from the sweep
package (``experiments.sweep.analysis`` / ``.plots``), so the app shows what the CLI writes.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
import solara

from multivector import model
from multivector.experiments.app import downloads, sweep_sections
from multivector.experiments.app.session import RunSettings, SweepSeed
from multivector.experiments.app.state import RUN_TAB, TabState
from multivector.experiments.app.sweep_folder import open_confined, sweep_root
from multivector.experiments.errors import StorageError, UsageError, shorten
from multivector.model.outcomes import outcome_columns

RUNS_SHOWN = 200  # rows of the runs table drawn in the page (the picker covers them all)


@dataclass(frozen=True)
class OpenSweep:
    """A sweep folder as the view holds it."""

    results: object  # experiments.sweep.store.SweepResults
    runs: pd.DataFrame
    warning: str = ""  # a partial sweep says so above its results

    @classmethod
    def load(cls, path: str) -> "OpenSweep":
        """The checked sweep; ``UsageError`` (one line, no server path beyond the typed one) if
        it is outside the root, damaged (a truncated, foreign or copied part) or unreadable."""
        from multivector.experiments.sweep import integrity

        notes: list[str] = []
        try:
            results = open_confined(path)
            integrity.verified(results, warn=notes.append)
        except (StorageError, OSError) as problem:
            raise UsageError(f"sweep folder: cannot read {shorten(path)} ({type(problem).__name__})") from None
        return cls(results=results, runs=results.runs, warning=" ".join(notes))


def replay_settings(results, run_id: str) -> RunSettings:
    """The run view's settings that rebuild run ``run_id`` of the sweep exactly."""
    from multivector.experiments.sweep.store import replay_arguments

    arguments = replay_arguments(results, run_id)
    return RunSettings(scenario=arguments["scenario"], strategy=arguments["strategy"],
                       overrides=dict(arguments["overrides"]), steps=arguments["steps"],
                       sweep_seed=SweepSeed(entropy=int(arguments["seed_entropy"]),
                                            spawn_key=tuple(int(k) for k in arguments["spawn_key"]),
                                            run_id=run_id))


def _status_line(sweep: OpenSweep) -> str:
    experiment = sweep.results.experiment
    runs = sweep.runs
    counts = runs["status"].value_counts().to_dict() if len(runs) else {}
    status = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no finished runs"
    varied = [path for path, f in experiment.factors.items() if not f.from_sets]
    if experiment.set_rows:  # a sweep over a calibration's posterior sets: name them once, not column by column
        varied.append(f"{len(experiment.set_rows)} posterior parameter sets of calibration "
                      f"'{experiment.design.parameter_sets}'")
    factors = ", ".join(varied) or "none"
    return (f"{experiment.name}: scenario {experiment.scenario}, {experiment.design.kind} design over {factors}; "
            f"strategies {', '.join(experiment.strategies)}; {experiment.steps} quarters; runs: {status}")


@solara.component
def ReplayPicker(state: TabState, sweep: OpenSweep):
    """Choose a run (by id, or filter by strategy) and replay it in the run view."""
    runs = sweep.runs
    strategies = ["any", *sorted(runs["strategy"].astype(str).unique())] if len(runs) else ["any"]
    strategy = solara.use_reactive("any")
    chosen = runs if strategy.value == "any" else runs[runs["strategy"].astype(str) == strategy.value]
    run_ids = [str(r) for r in chosen["run_id"]] if len(chosen) else []
    run_id = solara.use_reactive(run_ids[0] if run_ids else "")
    error = solara.use_reactive("")
    if run_ids and run_id.value not in run_ids:
        run_id.value = run_ids[0]

    def replay():
        try:
            settings = replay_settings(sweep.results, run_id.value)
            state.reset_run(settings)
        except (UsageError, model.ModelInputError, ValueError, KeyError) as problem:
            error.value = str(problem)
            return
        error.value = ""
        state.tab.value = RUN_TAB

    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        with solara.Div(style={"width": "180px"}):
            solara.Select("Strategy filter", values=strategies, value=strategy)
        with solara.Div(style={"width": "300px"}):
            solara.Select("Run", values=run_ids, value=run_id)
        solara.Button("Replay in run view", icon_name="mdi-play-circle-outline", color="primary",
                      on_click=replay, disabled=not run_id.value)
    if error.value:
        solara.Error(f"Replay refused: {error.value}")
    if run_id.value and len(runs):
        row = runs[runs["run_id"].astype(str) == run_id.value]
        if len(row):
            record = row.iloc[0]
            keys = ["strategy", "status", "seed_entropy", "spawn_key", *sweep.results.factors,
                    *[m for m in outcome_columns() if m in row.columns]]
            solara.Text("; ".join(f"{k} = {_short(record[k])}" for k in keys if k in row.columns),
                        style={"font-size": "12px", "color": "#444"})
            if record.get("status") != "ok" and record.get("error"):
                solara.Text(f"error: {record['error']}", style={"font-size": "12px", "color": "#a00"})


def _short(value) -> str:
    if isinstance(value, (float, np.floating)):
        return f"{value:.4g}"
    return str(value)


@solara.component
def SweepContent(state: TabState, sweep: OpenSweep):
    solara.Text(_status_line(sweep), style={"font-weight": "bold"})
    solara.Text(f"folder: {sweep.results.path}", style={"font-size": "12px", "color": "#666"})
    if sweep.warning:
        solara.Warning(sweep.warning)
    if not len(sweep.runs):
        solara.Warning("This sweep has no finished runs yet.")
        return
    with solara.Card("Replay a run", margin=0):
        ReplayPicker(state, sweep)
    sweep_sections.AnalysisSections(sweep.results, sweep.runs)
    with solara.Details(summary=f"Runs table ({len(sweep.runs)} runs; first {min(RUNS_SHOWN, len(sweep.runs))} shown)"):
        downloads.DownloadButtons("runs table (all runs)", csv=lambda: sweep.runs, stem="sweep-runs")
        solara.DataFrame(sweep.runs.head(RUNS_SHOWN), items_per_page=20)


@solara.component
def SweepView(state: TabState):
    path = state.sweep_path
    error = solara.use_reactive("")

    def open_folder():
        try:
            state.sweep.value = OpenSweep.load(path.value)
        except UsageError as problem:  # includes a damaged folder (DataError)
            error.value = str(problem)
            state.sweep.value = None
            return
        error.value = ""

    def open_given_folder():
        # The folder given on the command line (``--sweep DIR``) opens on first view.
        if path.value and state.sweep.value is None:
            open_folder()

    solara.use_effect(open_given_folder, [])

    with solara.Row(style={"align-items": "center"}):
        with solara.Div(style={"flex": "1", "max-width": "640px"}):
            solara.InputText("Sweep folder", value=path, continuous_update=True)
        solara.Button("Open", icon_name="mdi-folder-open", color="primary", on_click=open_folder,
                      disabled=not path.value.strip())
    solara.Text(f"A folder written by 'multivector sweep DESIGN.toml --out DIR', under {sweep_root()} "
                "(a path relative to it, or inside it). Only files inside the folder are read.",
                style={"font-size": "12px", "color": "#666"})
    if error.value:
        solara.Error(error.value)
    if state.sweep.value is not None:
        SweepContent(state, state.sweep.value)
