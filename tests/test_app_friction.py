"""The app without friction (issue 19, item 6), without a browser: parameter groups stay open while
edited, the search box, values refused at the box, downloads, and the one-factor sweep figure."""

import io

import ipyvuetify as v
import numpy as np
import pandas as pd
import pytest
import solara

from multivector import model
from multivector.experiments.app import charts, downloads
from multivector.experiments.app.controls import SettingsPanel, matches, refusal
from multivector.experiments.app.run_view import chart_csv
from multivector.experiments.app.session import RunSession, RunSettings
from multivector.experiments.sweep import plots

SCENARIO = "kazakhstan"


@pytest.fixture(scope="module")
def bounded():
    """A bounded real parameter of the default scenario."""
    return next(i for i in model.parameter_table(SCENARIO)
                if i.type == "float" and i.min is not None and i.max is not None and i.max > i.min)


def test_refusal_names_the_allowed_range(bounded):
    value, problem = refusal(SCENARIO, bounded, str(bounded.max))
    assert value == bounded.max and problem == ""
    value, problem = refusal(SCENARIO, bounded, str(bounded.max + 1))
    assert value is None and "above its maximum" in problem and f"[{bounded.min:g}, {bounded.max:g}]" in problem
    value, problem = refusal(SCENARIO, bounded, "two")
    assert value is None and problem.startswith("'two' is not a number")
    integer = next(i for i in model.parameter_table(SCENARIO) if i.type == "int")
    assert refusal(SCENARIO, integer, "1.5")[1].startswith("'1.5' is not a whole number")


def test_search_matches_names_and_descriptions(bounded):
    assert matches(bounded, bounded.path.split(".")[-1].upper())
    word = max(bounded.description.split(), key=len)
    assert matches(bounded, word) and matches(bounded, f"{bounded.group} {word}")
    assert not matches(bounded, "no-such-word-anywhere")


def _texts(rc) -> list[str]:
    return [c for w in rc.find(v.Btn).widgets for c in w.children if isinstance(c, str)]


def test_a_group_stays_open_while_edited_and_a_refused_value_never_reaches_the_draft(bounded):
    draft = solara.reactive(RunSettings(scenario=SCENARIO))
    box, rc = solara.render(SettingsPanel(draft, draft.value), handle_error=False)
    try:
        search = next(w for w in rc.find(v.TextField).widgets if w.label.startswith("Search parameters"))
        search.v_model = bounded.path
        assert any(t.startswith(f"{bounded.group} (1 of ") for t in _texts(rc))
        field = next(w for w in rc.find(v.TextField).widgets if w.label == bounded.path)  # opened by the search
        field.v_model = str(bounded.max)
        field.fire_event("focusout", None)
        assert draft.value.overrides == {bounded.path: bounded.max}
        # The first edit brings the "apply on Reset" note; the group stays open.
        field = next(w for w in rc.find(v.TextField).widgets if w.label == bounded.path)
        for typed in (str(bounded.max * 10 + 1), "abc"):
            field.v_model = typed
            field.fire_event("focusout", None)
            assert field.error and "allowed" in field.error_messages[0]
            assert draft.value.overrides == {bounded.path: bounded.max}  # the draft never saw it
        search.v_model = ""
        assert len([t for t in _texts(rc) if "parameters" in t]) == len({i.group for i in model.parameter_table(SCENARIO)})
    finally:
        box.close()


def test_an_edit_with_every_group_open_re_renders_only_what_it_changed():
    """With every group open (over two hundred controls), committing one value re-renders that
    control and the panel around it, not every control (which took seconds an edit)."""
    draft = solara.reactive(RunSettings(scenario=SCENARIO))
    box, rc = solara.render(SettingsPanel(draft, draft.value), handle_error=False)
    try:
        for group in [w for w in rc.find(v.Btn).widgets if any("parameters)" in str(c) for c in w.children)]:
            group.click()
        boxes = [w for w in rc.find(v.TextField).widgets if w.label in {i.path for i in model.parameter_table(SCENARIO)}]
        assert len(boxes) > 200
        field = boxes[len(boxes) // 2]
        renders = rc.render_count
        field.v_model = str(float(field.v_model) / 2 + 0.001)
        field.fire_event("focusout", None)
        assert field.label in draft.value.overrides  # the edit went through
        assert rc.render_count - renders < 20
    finally:
        box.close()


def test_chart_table_reads_what_a_chart_draws():
    session = RunSession(RunSettings(scenario=SCENARIO))
    session.step(3)
    axis = charts.TimeAxis.for_scenario(session.scenario, session.max_steps)
    option = downloads.with_png(charts.outcomes_option(session.frame(), session.power_ids, axis), "outcomes")
    assert option["toolbox"]["feature"]["saveAsImage"]["name"] == "multivector-outcomes"
    table = downloads.chart_table(option)
    autonomy = table[table["series"] == "autonomy"]
    assert list(autonomy["x"]) == axis.dates[:4]
    assert np.allclose(autonomy["value"], session.frame()["autonomy"].round(3))
    ties = downloads.chart_table(charts.ties_option(*session.ties(), session.power_ids))
    assert len(ties) == 3 * len(session.power_ids)  # one link per power and domain
    record = chart_csv(session, "engagement")
    assert list(record["step"]) == [0, 1, 2, 3] and all(c.startswith("engagement_") for c in record.columns[2:])
    assert len(chart_csv(session, "ties")) == 3 * len(session.power_ids)


def test_a_sweep_over_one_factor_plots_lines_and_downloads_its_numbers():
    rng = np.random.default_rng(0)
    runs = pd.DataFrame({"run_id": range(24), "status": "ok", "strategy": ["hedge", "balance"] * 12,
                         "rivalry.scale": np.repeat([0.5, 1.0, 1.5], 8), "autonomy": rng.random(24)})
    figure = plots.factor_lines(runs, "rivalry.scale", ["autonomy"])
    assert figure.legends, "the legend is the figure's, under the panels, not on the data"
    assert not figure.axes[0].get_legend()
    png = downloads.png_bytes(figure)
    assert png.startswith(b"\x89PNG")
    steps = pd.DataFrame({"run_id": np.repeat(range(24), 3), "step": np.tile([0, 1, 2], 24),
                          "autonomy": rng.random(72)})
    table = plots.time_series_table(steps, runs, "autonomy")
    assert len(table) == 2 * 3 and {"mean", "ci_low", "ci_high", "p10", "p90"} <= set(table.columns)
    csv = pd.read_csv(io.BytesIO(downloads.csv_bytes(table)))
    assert csv.shape == table.shape
