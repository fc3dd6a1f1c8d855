"""An ECharts chart that a running model updates by sending only its series' data.

``solara.FigureEcharts`` replaces the whole option on every change: each frame then carried
the axes, legends and the dozens of event marks of every panel again (about 100 kB), and
the browser rebuilt every chart from scratch. ``LiveEchartsWidget`` splits an option into
its *frame* (the option with empty series data, sent only when it changes: a new run, or
an axis that had to grow) and its *series data* (one list per series, sent every frame and merged
into the chart by series index). ``live_chart.vue`` is solara 1.64's ``echarts.vue`` (MIT,
widgetti/solara) with a watcher for ``series_data`` added.
"""

import copy

import traitlets
from solara.components.echarts import EchartsWidget


class LiveEchartsWidget(EchartsWidget):
    template_file = (__file__, "live_chart.vue")
    series_data = traitlets.List([]).tag(sync=True)  # not "data": that name is Vue's own


def split(option: dict) -> tuple[dict, list]:
    """(the option without its series' data, the series' data in series order)."""
    series = option.get("series", [])
    frame = {key: value for key, value in option.items() if key != "series"}
    frame["series"] = [{key: value for key, value in s.items() if key != "data"} | {"data": []} for s in series]
    return frame, [s.get("data", []) for s in series]


def show(widget: LiveEchartsWidget, option: dict, whole: bool = False) -> None:
    """Put ``option`` on ``widget``: only the data when the rest is unchanged; all of it when
    ``whole`` (a chart whose structure moves every frame, like the ties picture)."""
    if whole:
        widget.series_data = []
        widget.option = copy.copy(option)
        return
    frame, data = split(option)
    if frame != widget.option:
        widget.option = frame
    widget.series_data = data


def shown(widget: EchartsWidget) -> dict:
    """The option the browser draws: ``option`` with ``series_data`` merged into its series (tests use it)."""
    option = dict(widget.option)
    data = getattr(widget, "series_data", [])
    if data:
        option["series"] = [{**s, "data": values} for s, values in zip(option.get("series", []), data)]
    return option
