"""Downloads: every chart and table of the app as a CSV file, every chart as a PNG.

ECharts charts (drawn by the browser) get ECharts' own "save as image" button (``with_png``),
which writes the chart as the reader sees it; their numbers come as CSV from :func:`chart_table`,
read off the chart's option, so the file holds exactly what is drawn. Matplotlib figures (the sweep
view) are encoded on the server (:func:`png_bytes`). ``DownloadButtons`` puts the buttons in the
page; their data are computed only when clicked.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pandas as pd
import solara

PNG_SCALE = 2  # ECharts images at twice the screen's pixels: sharp enough to print


def filename(name: str, suffix: str) -> str:
    """'multivector-NAME.SUFFIX', NAME reduced to letters, digits and dashes."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "chart"
    return f"multivector-{stem}.{suffix}"


def with_png(option: dict, name: str) -> dict:
    """``option`` with ECharts' save-as-PNG button at its top right (a new dict; ``option`` is left alone)."""
    stem = filename(name, "png")[: -len(".png")]
    toolbox = {"right": 4, "top": 0, "itemSize": 14,
               "feature": {"saveAsImage": {"title": "PNG", "name": stem, "pixelRatio": PNG_SCALE,
                                           "backgroundColor": "#ffffff"}}}
    return {**option, "toolbox": toolbox}


def _listed(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def chart_table(option: dict) -> pd.DataFrame:
    """The numbers an ECharts option draws, one row per point: ``panel`` (the panel's title),
    ``series``, ``x``, ``value``. Line and scatter series are read against their category axis;
    a graph's links become rows ``source -> target`` with their value."""
    titles = [t.get("text", "") for t in _listed(option.get("title"))]
    x_axes = _listed(option.get("xAxis"))
    rows = []
    for series in option.get("series", []):
        kind = series.get("type")
        if kind == "graph":
            for link in series.get("links", []):
                rows.append({"panel": titles[0] if titles else "", "series": "link",
                             "x": f"{link['source']} -> {link['target']}", "value": link.get("value")})
            continue
        index = int(series.get("xAxisIndex", 0))
        axis = x_axes[index] if index < len(x_axes) else {}
        categories = axis.get("data") if isinstance(axis, dict) else None
        panel = titles[index] if index < len(titles) and len(titles) > 1 else (titles[0] if titles else "")
        for position, point in enumerate(series.get("data", [])):
            if isinstance(point, dict):
                point = point.get("value")
            if isinstance(point, (list, tuple)):
                x, value = point[0], point[-1]
            else:
                x = categories[position] if categories and position < len(categories) else position
                value = point
            rows.append({"panel": panel, "series": series.get("name", ""), "x": x, "value": value})
    return pd.DataFrame(rows, columns=["panel", "series", "x", "value"])


def csv_bytes(table: pd.DataFrame, index: bool = False) -> bytes:
    return table.to_csv(index=index).encode("utf-8")


def png_bytes(figure, dpi: int = 200) -> bytes:
    """A matplotlib figure as PNG bytes (white background, what a paper needs)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


@solara.component
def DownloadButtons(name: str, csv: Callable[[], pd.DataFrame] | None = None,
                    png: Callable[[], bytes] | None = None, index: bool = False, stem: str = ""):
    """Small "NAME CSV" and "NAME PNG" buttons for one chart or table; ``csv`` returns the table and
    ``png`` the image, each called only when its button is pressed. Files: ``filename(stem or name)``."""
    stem = stem or name
    # the same function object on every render while csv is the same: a new one each frame would
    # make every button's widget update on every frame of Play
    csv_data = solara.use_memo(lambda: (lambda: csv_bytes(csv(), index=index)) if csv is not None else None,
                               dependencies=[csv, index])
    with solara.Row(gap="4px", style={"align-items": "center", "flex-wrap": "wrap"}):
        if csv is not None:
            solara.FileDownload(csv_data, filename=filename(stem, "csv"),
                                mime_type="text/csv", children=[_button(f"{name} CSV")])
        if png is not None:
            solara.FileDownload(png, filename=filename(stem, "png"), mime_type="image/png",
                                children=[_button(f"{name} PNG")])


def _button(text: str):
    return solara.Button(text, icon_name="mdi-download", small=True, text=True,
                         style={"text-transform": "none", "font-size": "12px"})
