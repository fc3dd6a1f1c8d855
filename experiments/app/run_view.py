"""The run view: step, play and reset this tab's model and watch its charts and ties.

The charts are ECharts options (``charts``) that the browser draws: a frame sends only the
series' numbers (``live_chart``), not images. While playing, a worker thread advances
``quarters per frame`` quarters and puts the new state straight on the display's widgets
(``live_run``), at most 40 frames a second (``MIN_FRAME_S``); the page itself re-renders
only when Play starts and stops.
"""

import threading
import time

import pandas as pd
import solara

from multivector import model
from multivector.experiments.app import charts, downloads
from multivector.experiments.app.controls import SettingsPanel
from multivector.experiments.app.live_run import LiveRun
from multivector.experiments.app.session import RunSession
from multivector.experiments.app.state import TabState

PLAY_CHOICES = [1, 2, 4, 8, 13]  # quarters per frame while playing
DEFAULT_QUARTERS_PER_FRAME = 1
# Play sends at most 40 frames a second. Faster only queues frames the browser cannot draw
# (it then falls behind what Pause stops); on our 2-core bench 40 played the 132 quarters
# sooner than 30 or 60 (bench_app --browser).
MIN_FRAME_S = 1 / 40


# The record's columns behind each time-series chart (by column-name prefix), for its CSV.
CHART_COLUMNS = {"outcomes": ("autonomy", "security", "welfare", "client_index_"), "engagement": ("engagement_",),
                 "dependence": ("dependence_",), "reactions": ("inducement_", "pressure_", "coercion_")}


def chart_csv(session: RunSession, name: str) -> pd.DataFrame:
    """What chart ``name`` shows, as a table at the session's current state: the quarters so far
    (step, date and the chart's record columns), or for the ties one row per power and domain."""
    if name == "ties":
        engagement, dependence = session.ties()
        return pd.DataFrame([{"date": session.date, "power": p, "domain": d, "engagement": engagement[i, j],
                              "dependence": dependence[i, j]}
                             for i, p in enumerate(session.power_ids) for j, d in enumerate(charts.DOMAINS)])
    if name == "record":
        return session.frame()
    frame = session.frame()
    prefixes = CHART_COLUMNS[name]
    columns = [c for c in frame.columns if c in prefixes or any(c.startswith(p) for p in prefixes if p.endswith("_"))]
    return frame[[c for c in ("step", "date") if c in frame.columns] + columns]


DOWNLOADS = ("ties", "outcomes", "engagement", "dependence", "reactions", "record")


@solara.component
def RunDownloads(session: RunSession):
    """One CSV button per chart (and the whole record so far); PNGs: the button at each chart's top right."""
    # one table function per chart for the session's life, not a new one per frame (see DownloadButtons)
    tables = solara.use_memo(lambda: {name: (lambda name=name: chart_csv(session, name)) for name in DOWNLOADS},
                             dependencies=[session])
    with solara.Row(gap="2px", style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Text("Download the run so far:", style={"font-size": "12px", "color": "#555"})
        for name in DOWNLOADS:
            downloads.DownloadButtons(name, csv=tables[name], stem=f"run-{name}").key(name)
        solara.Text("(each chart's PNG: the icon at its top right)", style={"font-size": "12px", "color": "#555"})


@solara.component
def RunCharts(live: LiveRun):
    """The run's charts: ``live``'s widgets, mounted once (what changes is sent to them directly)."""
    with solara.Row(style={"align-items": "flex-start", "flex-wrap": "wrap"}):
        with solara.Column(style={"width": f"{charts.TIES_SIZE[0]}px"}):
            solara.Div(children=[live.charts["ties"]], style={"width": "100%"})
        with solara.Column(style={"flex": "1", "min-width": "520px"}):
            solara.Div(children=[live.charts["outcomes"]], style={"width": "100%"})
    for name in ("engagement", "dependence", "reactions"):
        solara.Div(children=[live.charts[name]], style={"width": "100%"})


@solara.component
def EventList(scenario: str, events: tuple[tuple[int, str, str], ...]):
    """The scenario's dated events, (step, date, label) each."""
    with solara.Details(summary=f"Dated events of the {scenario} scenario ({len(events)}; "
                                "hover a chart at a dotted line: its tooltip names the event)"):
        for step, date, label in events:
            solara.Text(f"{date} (quarter {step}): {label}", style={"font-size": "12px"})


@solara.component
def Player(state: TabState):
    """Step / play / reset, the current date, and the charts."""
    session = state.session
    live = solara.use_memo(LiveRun, [])
    stepping = solara.use_memo(threading.Lock, [])  # held by Play for each frame
    playing = solara.use_reactive(False)
    per_frame = solara.use_reactive(DEFAULT_QUARTERS_PER_FRAME)
    error = solara.use_reactive("")
    version = state.version.value  # subscribe: Step, Reset and the end of Play re-render here

    def play(cancel):
        # A worker thread that steps and draws without re-rendering the page (see live_run). It
        # stops on Pause, at the end, or when a Reset builds a new model under it.
        if not playing.value:
            return
        generation = session.generation
        while True:
            began = time.perf_counter()
            with stepping:  # Pause and Reset take it too: once they return, no frame follows
                if cancel.is_set() or not playing.value or session.generation != generation or session.finished:
                    break
                session.step(per_frame.value)
                live.show(session)
            live.wait_drawn()  # never far ahead of the browser, so Pause stops what is on screen
            time.sleep(max(0.0, MIN_FRAME_S - (time.perf_counter() - began)))
        playing.value = False
        state.version.value += 1  # the buttons catch up once (Step and Play grey out at the end)

    solara.use_thread(play, dependencies=[playing.value], intrusive_cancel=False)
    solara.use_effect(lambda: live.show(session), [version])  # after Step or Reset (effects run after a render)

    def step_once():
        session.step(1)
        state.version.value += 1

    def pause():
        with stepping:
            playing.value = False

    def reset():
        pause()
        try:
            state.reset_run(state.draft.value)
        except (model.ModelInputError, ValueError) as problem:
            error.value = str(problem)
            return
        error.value = ""

    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button("Step", icon_name="mdi-skip-next", on_click=step_once,
                      disabled=playing.value or session.finished, color="primary")
        if playing.value:
            solara.Button("Pause", icon_name="mdi-pause", on_click=pause)
        else:
            solara.Button("Play", icon_name="mdi-play", on_click=lambda: playing.set(True),
                          disabled=session.finished)
        solara.Button("Reset", icon_name="mdi-restore", on_click=reset)
        with solara.Div(style={"width": "170px"}):
            solara.Select("Quarters per frame", values=PLAY_CHOICES, value=per_frame)
        solara.Div(children=[live.date, live.where], style={"display": "flex", "align-items": "center"})
    solara.Div(children=[live.event])
    if error.value:
        solara.Error(f"Reset refused: {error.value}")
    RunCharts(live)
    EventList(session.scenario.name, live.axis(session).events)


@solara.component
def RunView(state: TabState):
    with solara.Row(style={"align-items": "flex-start"}):
        with solara.Column(style={"width": "360px", "min-width": "360px"}):
            SettingsPanel(state.draft, state.applied.value)
        with solara.Column(style={"flex": "1", "min-width": "0"}):
            Player(state)
            RunDownloads(state.session)  # here, not among the charts: it need not redraw every frame
