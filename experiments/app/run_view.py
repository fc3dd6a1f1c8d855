"""The run view: step, play and reset this tab's model and watch its charts and ties.

Redrawing, not the model, is what costs time (about a tenth of a second per figure), so
each figure is redrawn only when the run's state changes (``session.state_key``), and while
playing the model advances ``quarters per frame`` quarters between redraws.
"""

import solara

import model
from experiments.app import charts
from experiments.app.controls import SettingsPanel
from experiments.app.session import RunSession
from experiments.app.state import TabState

PLAY_CHOICES = [1, 2, 4, 8, 13]  # quarters per redraw while playing
DEFAULT_QUARTERS_PER_FRAME = 4
FRAME_TIMEOUT_S = 10.0  # Play steps on anyway if a frame takes longer to draw
FIGURE_FORMAT = "png"  # faster to encode than svg for line charts with many points


@solara.component
def Figure(make, key, width: str = "100%"):
    """A matplotlib figure built by ``make()``, re-encoded only when ``key`` changes."""
    figure = solara.use_memo(make, [key])
    with solara.Div(style={"width": width}):
        solara.FigureMatplotlib(figure, dependencies=[key], format=FIGURE_FORMAT)


class LiveCharts:
    """The run view's figures for one model: built once, their lines moved on every step."""

    def __init__(self, session: RunSession):
        axis = charts.TimeAxis.for_scenario(session.scenario, session.max_steps)
        power_ids = session.power_ids
        self.axis = axis
        self.ties = charts.TiesChart(power_ids)
        self.outcomes = charts.OutcomesChart(power_ids, axis)
        self.engagement = charts.PerPowerDomainChart(power_ids, axis, "engagement")
        self.dependence = charts.PerPowerDomainChart(power_ids, axis, "dependence")
        self.reactions = charts.ReactionsChart(power_ids, axis)

    def update(self, session: RunSession) -> None:
        frame = session.frame()
        engagement, dependence = session.ties()
        self.ties.update(engagement, dependence, session.date)
        for chart in (self.outcomes, self.engagement, self.dependence, self.reactions):
            chart.update(frame)


@solara.component
def LiveFigure(figure, key, width: str = "100%"):
    with solara.Div(style={"width": width}):
        solara.FigureMatplotlib(figure, dependencies=[key], format=FIGURE_FORMAT)


@solara.component
def RunCharts(session: RunSession, version: int):
    """Every chart of the run, at the session's current state."""
    live = solara.use_memo(lambda: LiveCharts(session), [id(session), session.generation])
    key = (id(live), session.state_key)
    solara.use_memo(lambda: live.update(session), [key])  # move the lines once per state
    drawn = session.state_key
    solara.use_effect(lambda: session.mark_drawn(drawn), [key])  # effects run once the frame is out
    with solara.Row(style={"align-items": "flex-start", "flex-wrap": "wrap"}):
        LiveFigure(live.ties.figure, key, width="330px")
        with solara.Column(style={"flex": "1", "min-width": "520px"}):
            solara.Text("Outcomes and client index", style={"font-weight": "bold"})
            LiveFigure(live.outcomes.figure, key)
    solara.Text("Engagement by power and domain", style={"font-weight": "bold"})
    LiveFigure(live.engagement.figure, key)
    solara.Text("Dependence by power and domain", style={"font-weight": "bold"})
    LiveFigure(live.dependence.figure, key)
    solara.Text("Inducements, pressure and coercion from each power", style={"font-weight": "bold"})
    LiveFigure(live.reactions.figure, key)
    with solara.Details(summary=f"Dated events of the {session.scenario.name} scenario ({len(live.axis.events)})"):
        for step, date, label in live.axis.events:
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
