"""An ECharts chart that a running model updates by sending only what moves.

``solara.FigureEcharts`` replaces the whole option on every change: each frame then carried
the axes, legends and the dozens of event marks of every panel again (about 100 kB), and
the browser rebuilt every chart from scratch. ``LiveEchartsWidget`` splits an option into
its *frame* (everything that stays put: axes, legends, event marks; sent only when it
changes: a new run, or an axis that had to grow) and its *update* (the series' ``data`` and
a graph's ``links``, and the titles, which may carry the date), sent every frame and merged
into the chart. ``live_chart.vue`` is solara 1.64's ``echarts.vue`` (MIT, widgetti/solara)
with a watcher for ``update`` added.
"""

import threading

import traitlets
from solara.components.echarts import EchartsWidget

MOVING = ("data", "links")  # what changes inside a series from one frame to the next
MOVING_TOP = ("title",)  # and at the top of the option (the ties picture's title names the date)


class LiveEchartsWidget(EchartsWidget):
    """An ECharts chart fed frame by frame. Each ``show`` counts one more ``sequence``; every
    ``answer_every`` frames the browser answers with that number once it has drawn it
    (``vue_frame_drawn``), so a player can wait for the screen instead of piling frames up
    in the browser's queue."""

    template_file = (__file__, "live_chart.vue")
    update = traitlets.Dict({}).tag(sync=True)  # merged into the chart (ECharts' setOption, notMerge false)
    sequence = traitlets.Int(0).tag(sync=True)
    answer_every = traitlets.Int(16).tag(sync=True)  # the browser reports every this many frames drawn

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._drawn = threading.Condition()
        self._drawn_sequence: int | None = None  # None until a browser has drawn anything

    def vue_frame_drawn(self, sequence):
        with self._drawn:
            self._drawn_sequence = int(sequence)
            self._drawn.notify_all()

    def wait_drawn(self, sequence: int, timeout: float) -> bool:
        """Wait until the browser has drawn ``sequence`` (True), or ``timeout`` passed (False).
        Returns False at once when no browser has ever answered (a page rendered without one)."""
        with self._drawn:
            if self._drawn_sequence is None:
                return False
            return self._drawn.wait_for(lambda: self._drawn_sequence >= sequence, timeout)


def split(option: dict) -> tuple[dict, dict]:
    """(the option with its moving parts emptied, the moving parts as an ECharts partial option)."""
    series = option.get("series", [])
    frame = {key: value for key, value in option.items() if key != "series" and key not in MOVING_TOP}
    frame["series"] = [{key: value for key, value in s.items() if key not in MOVING}
                       | {key: [] for key in MOVING if key in s} for s in series]
    update = {key: option[key] for key in MOVING_TOP if key in option}
    update["series"] = [{key: s[key] for key in MOVING if key in s} for s in series]
    return frame, update


def show(widget: LiveEchartsWidget, option: dict) -> None:
    """Put ``option`` on ``widget``: the frame only when it changed, then the moving parts."""
    frame, update = split(option)
    with widget.hold_sync():  # one message to the browser
        if frame != widget.option:
            widget.option = frame
        widget.update = update
        widget.sequence += 1


def shown(widget: EchartsWidget) -> dict:
    """The option the browser draws: ``option`` with ``update`` merged in (tests use it)."""
    option = dict(widget.option)
    update = getattr(widget, "update", {})
    for key, value in update.items():
        if key != "series":
            option[key] = value
    if update.get("series"):
        option["series"] = [{**s, **moving} for s, moving in zip(option.get("series", []), update["series"])]
    return option
