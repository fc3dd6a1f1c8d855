"""The run view's moving parts, updated in place: five charts and three lines of text.

Why not plain Solara state: any state change makes reacton re-render and then walk the
whole page (the settings panel's few hundred widgets included) to reconcile it, about 25 ms
a frame and most of a frame's cost. ``LiveRun`` owns the widgets that change while a run
plays; the page mounts them once, and each frame sets only their data. Step and Reset still
go through Solara (they also change buttons); Play's worker thread calls :meth:`LiveRun.show`
directly.
"""

import threading

import ipyvuetify as v

from multivector.experiments.app import charts, downloads, live_chart
from multivector.experiments.app.live_chart import LiveEchartsWidget
from multivector.experiments.app.session import RunSession

CHART_HEIGHTS = {"ties": charts.TIES_SIZE[1], "outcomes": 400, "engagement": 300, "dependence": 300,
                 "reactions": 300}
LAST_CHART = list(CHART_HEIGHTS)[-1]
# How far the browser may fall behind Play (frames sent, not yet drawn): bounds how long the
# screen moves on after Pause (about a second at 40 frames a second). Each answer from the
# browser costs a message both ways, so it answers every few frames (LiveEchartsWidget.answer_every).
FRAMES_AHEAD = 48
DATE_STYLE = "font-size: 20px; font-weight: bold; margin: 0 12px"


def run_options(session: RunSession, axis: charts.TimeAxis) -> dict[str, dict]:
    """Every chart of the run view at the session's current state (each with a PNG button)."""
    frame = session.columns()
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


def where_text(session: RunSession) -> str:
    """'quarter K of N · rule on scenario · seed', and how many parameters were changed."""
    settings = session.settings
    seed = settings.sweep_seed.describe() if settings.sweep_seed else f"seed {settings.seed}"
    changed = f" · {len(settings.overrides)} parameter(s) changed" if settings.overrides else ""
    return (f"quarter {session.step_count} of {session.max_steps} · {settings.strategy} on "
            f"{settings.scenario} · {seed}{changed}")


def event_text(session: RunSession) -> str:
    event = session.latest_event()
    return f"Latest event: {event.date} {event.label}" if event else "No dated event yet."


def _text(style: str) -> v.Html:
    return v.Html(tag="span", children=[""], style_=style)


class LiveRun:
    """One browser tab's run display. :meth:`show` puts a session's current state on it; it
    may be called from any thread (Play's worker, or a Solara effect after Step or Reset)."""

    def __init__(self):
        self.charts = {name: LiveEchartsWidget(responsive=True,
                                               attributes={"style": f"height: {height}px; width: 100%;"})
                       for name, height in CHART_HEIGHTS.items()}
        self.date = _text(DATE_STYLE)
        self.where = _text("color: #555")
        self.event = _text("color: #444; font-style: italic")
        self._lock = threading.Lock()  # one frame at a time: a late frame never overwrites a newer one
        self._axis: tuple[tuple, charts.TimeAxis] | None = None
        self.shown: tuple | None = None  # (session id, generation, step) on display

    def axis(self, session: RunSession) -> charts.TimeAxis:
        key = (id(session), session.generation)
        if self._axis is None or self._axis[0] != key:
            self._axis = (key, charts.TimeAxis.for_scenario(session.scenario, session.max_steps))
        return self._axis[1]

    def show(self, session: RunSession) -> None:
        """Draw ``session`` as it is now (nothing is sent if that state is already shown)."""
        with self._lock, session.lock:  # the session's lock: a Reset cannot swap the model mid-frame
            key = (id(session), *session.state_key)
            if key == self.shown:
                return
            options = run_options(session, self.axis(session))
            texts = (f"Date: {session.date}", where_text(session), event_text(session))
            for name, widget in self.charts.items():
                live_chart.show(widget, options[name])
            for widget, text in zip((self.date, self.where, self.event), texts):
                if widget.children != [text]:
                    widget.children = [text]
            self.shown = key

    def wait_drawn(self, frames_ahead: int = FRAMES_AHEAD, timeout: float = 1.0) -> bool:
        """Wait until the browser is at most ``frames_ahead`` frames behind what was sent.
        False at once without a browser; False after ``timeout`` (a hidden tab draws nothing:
        Play then crawls instead of filling the browser's queue)."""
        last = self.charts[LAST_CHART]  # the last one sent: once it is drawn, every chart is
        return last.wait_drawn(last.sequence - frames_ahead, timeout)
