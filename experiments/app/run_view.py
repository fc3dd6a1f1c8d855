"""The run view: step, play and reset this tab's model and watch its charts and ties.

The charts are ECharts options (``charts``) that the browser draws: a frame sends only the
series' numbers (``live_chart``), not images, so drawing no longer dominates a frame. While playing, the model
advances ``quarters per frame`` quarters between frames, and waits for each frame to be
drawn before stepping on.
"""

import pandas as pd
import solara

from multivector import model
from multivector.experiments.app import charts, downloads, live_chart
from multivector.experiments.app.controls import SettingsPanel
from multivector.experiments.app.live_chart import LiveEchartsWidget
from multivector.experiments.app.session import RunSession
from multivector.experiments.app.state import TabState

PLAY_CHOICES = [1, 2, 4, 8, 13]  # quarters per frame while playing
DEFAULT_QUARTERS_PER_FRAME = 1
FRAME_TIMEOUT_S = 10.0  # Play steps on anyway if a frame takes longer to draw


def run_options(session: RunSession, axis: charts.TimeAxis) -> dict[str, dict]:
    """Every chart of the run view at the session's current state (each with a PNG button)."""
    frame = session.frame()
    engagement, dependence = session.ties()
    powers = session.power_ids
    case = session.scenario.case
    options = {"ties": charts.ties_option(engagement, dependence, powers, case.secondary if case else "S",
                                          date=session.date),
               "outcomes": charts.outcomes_option(frame, powers, axis),
               "engagement": charts.per_power_domain_option(frame, powers, axis, "engagement"),
               "dependence": charts.per_power_domain_option(frame, powers, axis, "dependence"),
               "reactions": charts.reactions_option(frame, powers, axis)}
    return {name: downloads.with_png(option, f"run-{name}") for name, option in options.items()}


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


CHART_HEIGHTS = {"ties": charts.TIES_SIZE[1], "outcomes": 400, "engagement": 300, "dependence": 300,
                 "reactions": 300}


class Frame:
    """One frame's chart options, passed to the charts as an opaque object: a dict argument
    would make reacton walk (and compare) every number of every option on every frame, which
    took most of a frame's time."""

    def __init__(self, key, options: dict[str, dict]):
        self.key, self.options = key, options


@solara.component
def LiveChart(frame: Frame, name: str):
    """One chart: its widget is made once; each frame sends it only what changed (``live_chart``)."""
    height = CHART_HEIGHTS[name]
    widget = solara.use_memo(lambda: LiveEchartsWidget(responsive=True,
                                                       attributes={"style": f"height: {height}px; width: 100%;"}), [])

    def push():
        # The ties picture's edges and labels move every frame: it is sent whole (a few kB).
        live_chart.show(widget, frame.options[name], whole=name == "ties")

    solara.use_effect(push, [frame.key])
    solara.Div(children=[widget], style={"width": "100%"})


@solara.component
def RunCharts(session: RunSession, version: int):
    """Every chart of the run, at the session's current state."""
    axis = solara.use_memo(lambda: charts.TimeAxis.for_scenario(session.scenario, session.max_steps),
                           [id(session), session.generation])
    key = (id(session), session.state_key)
    frame = solara.use_memo(lambda: Frame(key, run_options(session, axis)), [key])
    with solara.Row(style={"align-items": "flex-start", "flex-wrap": "wrap"}):
        with solara.Column(style={"width": f"{charts.TIES_SIZE[0]}px"}):
            LiveChart(frame, "ties")
        with solara.Column(style={"flex": "1", "min-width": "520px"}):
            LiveChart(frame, "outcomes")
    for name in ("engagement", "dependence", "reactions"):
        LiveChart(frame, name)
    EventList(session.scenario.name, axis)
    drawn = session.state_key
    solara.use_effect(lambda: session.mark_drawn(drawn), [key])  # effects run once the frame is out


@solara.component
def EventList(scenario: str, axis: charts.TimeAxis):
    """The scenario's dated events (its own component: it does not change while a run plays)."""
    with solara.Details(summary=f"Dated events of the {scenario} scenario ({len(axis.events)}; "
                                "hover a dotted line in a chart for its label)"):
        for step, date, label in axis.events:
            solara.Text(f"{date} (quarter {step}): {label}", style={"font-size": "12px"})


@solara.component
def Player(state: TabState):
    """Step / play / reset, the current date, and the charts."""
    session = state.session
    playing = solara.use_reactive(False)
    per_frame = solara.use_reactive(DEFAULT_QUARTERS_PER_FRAME)
    error = solara.use_reactive("")
    current = state.version.value  # subscribe: a step anywhere (button or play thread) re-renders here

    def play(cancel):
        # A worker thread: step, ask for a redraw, and wait until that frame is drawn, so every
        # frame is shown and drawing paces the loop.
        if not playing.value:
            return
        while not cancel.is_set() and not session.finished:
            session.step(per_frame.value)
            shown = session.state_key
            state.version.value += 1
            session.wait_drawn(shown, timeout=FRAME_TIMEOUT_S)
        playing.value = False

    solara.use_thread(play, dependencies=[playing.value], intrusive_cancel=False)

    def step_once():
        session.step(1)
        state.version.value += 1

    def reset():
        playing.value = False
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
            solara.Button("Pause", icon_name="mdi-pause", on_click=lambda: playing.set(False))
        else:
            solara.Button("Play", icon_name="mdi-play", on_click=lambda: playing.set(True),
                          disabled=session.finished)
        solara.Button("Reset", icon_name="mdi-restore", on_click=reset)
        with solara.Div(style={"width": "170px"}):
            solara.Select("Quarters per frame", values=PLAY_CHOICES, value=per_frame)
        settings = session.settings
        seed = settings.sweep_seed.describe() if settings.sweep_seed else f"seed {settings.seed}"
        solara.Text(f"Date: {session.date}", style={"font-size": "20px", "font-weight": "bold", "margin": "0 12px"})
        solara.Text(f"quarter {session.step_count} of {session.max_steps} · {settings.strategy} on "
                    f"{settings.scenario} · {seed}" + (f" · {len(settings.overrides)} parameter(s) changed"
                                                      if settings.overrides else ""),
                    style={"color": "#555"})
    event = session.latest_event()
    solara.Text(f"Latest event: {event.date} {event.label}" if event else "No dated event yet.",
                style={"color": "#444", "font-style": "italic"})
    if error.value:
        solara.Error(f"Reset refused: {error.value}")
    RunCharts(session, current)


@solara.component
def RunView(state: TabState):
    with solara.Row(style={"align-items": "flex-start"}):
        with solara.Column(style={"width": "360px", "min-width": "360px"}):
            SettingsPanel(state.draft, state.applied.value)
        with solara.Column(style={"flex": "1", "min-width": "0"}):
            Player(state)
            RunDownloads(state.session)  # here, not among the charts: it need not redraw every frame
