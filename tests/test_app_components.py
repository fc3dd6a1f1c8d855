"""The app's components rendered in-process with ``solara.render`` (no browser): the run
view's controls and re-rendering, reset with new settings, the compare and sweep views, and
one model per rendered app."""

import time

import ipyvuetify as v
import pandas as pd
import pytest
import solara
from solara.components.echarts import EchartsWidget

from multivector import model
from multivector.experiments.app import live_chart
from multivector.experiments.app.app import Page
from multivector.experiments.app.controls import SettingsPanel
from multivector.model.calendar import step_date as quarter_after
from multivector.experiments.app.session import RunSession, RunSettings
from multivector.experiments.app.state import TabState

SCENARIO = "kazakhstan"


@pytest.fixture
def start():
    return model.load_scenario(SCENARIO).start


@pytest.fixture
def app():
    box, rc = solara.render(Page(), handle_error=False)
    yield rc
    box.close()


def button(rc, label: str):
    """The one button whose text is ``label`` (or starts with it, for labels ending in '(')."""
    found = [w for w in rc.find(v.Btn).widgets
             if label in w.children or (label.endswith("(") and any(
                 isinstance(c, str) and c.startswith(label) for c in w.children))]
    assert len(found) == 1, f"expected one {label!r} button, found {len(found)}"
    return found[0]


def select(rc, label: str):
    found = [w for w in rc.find(v.Select).widgets if w.label == label]
    assert len(found) == 1, f"expected one {label!r} select, found {len(found)}"
    return found[0]


def shows(rc, text: str) -> bool:
    return bool(rc.find(children=[text]).widgets)


def texts(rc) -> list[str]:
    """Every string an Html widget shows, those nested in another Html included (the run
    view's date and position are widgets of their own inside a row)."""
    found, queue = [], list(rc.find(v.Html).widgets)
    while queue:
        widget = queue.pop(0)
        for child in getattr(widget, "children", []):
            if isinstance(child, str):
                found.append(child)
            elif isinstance(child, v.Html):
                queue.append(child)
    return found


def chart_options(rc) -> list[dict]:
    """The options of every ECharts chart on the page (what the browser draws)."""
    return [live_chart.shown(w) for w in rc.find(EchartsWidget).widgets]


def wait_until(condition, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_step_moves_the_date_and_redraws_the_charts(app, start):
    assert shows(app, f"Date: {start}")
    before = chart_options(app)
    assert len(before) == 5  # ties, outcomes, engagement, dependence, reactions
    for _ in range(4):
        button(app, "Step").click()
    assert shows(app, f"Date: {quarter_after(start, 4)}")
    after = chart_options(app)
    assert all(a != b for a, b in zip(before, after)), "every chart should be redrawn after stepping"
    autonomy = next(s for option in after for s in option["series"] if s.get("name") == "autonomy")
    assert len(autonomy["data"]) == 5  # the start and four quarters
    assert any(t.startswith("quarter 4 of") for t in texts(app))


def test_strategy_and_seed_apply_on_reset(app, start):
    button(app, "Step").click()
    select(app, "Strategy").v_model = "balance"
    assert shows(app, "Changed settings apply when you press Reset.")
    assert any("hedge on kazakhstan" in t for t in texts(app))  # the run is untouched until Reset
    button(app, "Reset").click()
    assert shows(app, f"Date: {start}")
    assert any("balance on kazakhstan · seed 0" in t for t in texts(app))
    assert not shows(app, "Changed settings apply when you press Reset.")


def number_box(rc, label: str):
    found = [w for w in rc.find(v.TextField).widgets if w.label == label]
    assert len(found) == 1, f"expected one {label!r} number box, found {len(found)}"
    return found[0]


def commit(field, text: str) -> None:
    """Type ``text`` and leave the field, as a user would (number boxes apply on focus-out)."""
    field.v_model = text
    field.fire_event("focusout", None)


def test_parameter_controls_follow_the_schema(app):
    table = model.parameter_table(SCENARIO)
    groups = list(dict.fromkeys(info.group for info in table))
    assert all(any(t.startswith(f"{g} (") for t in group_buttons(app)) for g in groups)
    bounded = [i for i in table if i.type == "float" and i.min is not None and i.max is not None]
    info = bounded[0]
    assert not [w for w in app.find(v.TextField).widgets if w.label == info.path]  # closed until opened
    button(app, f"{info.group} (").click()
    box = number_box(app, info.path)
    assert box.v_model == str(info.default)  # the exact value, not a rounded one
    assert box.suffix == f"in [{info.min:g}, {info.max:g}]"
    assert any(info.description.strip().rstrip(".")[:40] in t for t in texts(app))  # meaning as help text
    commit(box, str(info.max if info.default != info.max else info.min))
    assert any(t.startswith(f"{info.group} (") and "1 changed" in t for t in group_buttons(app))
    button(app, "Reset").click()
    assert any("1 parameter(s) changed" in t for t in texts(app))
    button(app, "Parameter defaults").click()
    assert not any("changed" in t for t in group_buttons(app))


@pytest.mark.parametrize("scenario", model.scenario_names())
def test_opening_and_leaving_every_control_changes_nothing(scenario):
    """Open every group and focus out of every number box without typing: no override appears."""
    draft = solara.reactive(RunSettings(scenario=scenario))
    box, rc = solara.render(SettingsPanel(draft, draft.value), handle_error=False)
    try:
        for label in list(group_buttons(rc)):
            button(rc, label).click()
        fields = [w for w in rc.find(v.TextField).widgets if w.label != "Seed" and not w.label.startswith("Search")]
        assert len(fields) > 10
        for field in fields:
            field.fire_event("focusout", None)
        assert draft.value.overrides == {}
        assert not any("changed" in t for t in group_buttons(rc))
    finally:
        box.close()


def group_buttons(rc) -> list[str]:
    return [c for w in rc.find(v.Btn).widgets for c in w.children if isinstance(c, str) and "parameters" in c]


def test_an_invalid_seed_is_refused_without_losing_the_run(start):
    state = TabState.create()
    state.session.step(3)
    with pytest.raises(model.ModelInputError):
        state.reset_run(RunSettings(scenario="no-such-scenario"))
    assert state.session.step_count == 3 and state.session.settings.scenario == SCENARIO


def test_play_advances_and_pause_stops(app, start):
    button(app, "Play").click()
    wait_until(lambda: not shows(app, f"Date: {start}"), timeout_s=60)
    button(app, "Pause").click()
    wait_until(lambda: bool([w for w in app.find(v.Btn).widgets if "Play" in w.children]))
    time.sleep(0.5)  # a frame in flight when Pause was clicked may still land
    paused_at = [t for t in texts(app) if t.startswith("Date: ")]
    time.sleep(1.5)
    assert [t for t in texts(app) if t.startswith("Date: ")] == paused_at
    assert paused_at != [f"Date: {start}"]


def test_play_draws_every_frame_without_re_rendering_the_page(app, start):
    """A frame of Play sets the charts' data and the date; the page (a few hundred widgets,
    which reacton walks on every render) renders only when Play starts and stops."""
    renders = app.render_count
    button(app, "Play").click()
    final = quarter_after(start, model.load_scenario(SCENARIO).steps)
    wait_until(lambda: shows(app, f"Date: {final}"), timeout_s=120)
    wait_until(lambda: bool([w for w in app.find(v.Btn).widgets if "Play" in w.children]))
    assert app.render_count - renders <= 6  # Play, the thread's start, its end, a few hooks: never 132
    assert any(t.startswith("quarter 132 of 132") for t in texts(app))
    ties = next(o for o in chart_options(app) if o["series"][0]["type"] == "graph")
    assert ties["title"]["text"] == f"ties in {final}"  # the charts show the last quarter too


def test_two_pages_have_separate_models(start):
    first_box, first = solara.render(Page(), handle_error=False)
    second_box, second = solara.render(Page(), handle_error=False)
    try:
        for _ in range(3):
            button(first, "Step").click()
        assert shows(first, f"Date: {quarter_after(start, 3)}")
        assert shows(second, f"Date: {start}")
        button(second, "Step").click()
        assert shows(first, f"Date: {quarter_after(start, 3)}")
        assert shows(second, f"Date: {quarter_after(start, 1)}")
    finally:
        first_box.close()
        second_box.close()


def test_session_steps_stop_at_the_end_and_match_simulate():
    session = RunSession(RunSettings(strategy="balance", seed=3, steps=6))
    assert session.step(100) == 6 and session.finished
    frame = session.frame()
    expected = model.simulate(scenario=SCENARIO, strategy="balance", seed=3, steps=6)
    assert list(frame["date"]) == list(expected["date"])
    assert frame["autonomy"].tolist() == pytest.approx(expected["autonomy"].tolist())


def test_compare_view_gives_the_cli_compare_numbers(tmp_path):
    """Issue 8: the app's compare runs the CLI's replications and intervals, so the same seed gives
    the same numbers (it used to run one seed per strategy and differ from the CLI)."""
    from multivector.experiments.app.compare_view import run_comparison
    from multivector.experiments.cli import main

    comparison = run_comparison(RunSettings(scenario="stylised", steps=8, seed=3), replications=3)
    assert set(comparison.runs["strategy"]) == set(model.STRATEGIES)
    assert main(["compare", "--scenario", "stylised", "--seed", "3", "--replications", "3", "--steps", "8",
                 "--out", str(tmp_path / "cli")]) == 0
    cli = pd.read_csv(tmp_path / "cli" / "summary.csv")
    app_summary = comparison.summary()
    assert list(app_summary["strategy"]) == list(cli["strategy"]) and list(app_summary["metric"]) == list(cli["metric"])
    for column in ("mean", "ci_low", "ci_high"):
        assert app_summary[column].tolist() == pytest.approx(cli[column].tolist(), rel=1e-9, abs=1e-12)  # the CSV keeps 10 digits


def test_compare_applies_the_run_views_parameters():
    from multivector.experiments.app.compare_view import run_comparison

    base = run_comparison(RunSettings(steps=8, seed=1), replications=2)
    changed = run_comparison(RunSettings(steps=8, seed=1, overrides={"hedge.fallback_floor": 0.3}), replications=2)
    hedge = lambda c: c.runs[c.runs.strategy == "hedge"]["hedging_index"].tolist()  # noqa: E731
    assert hedge(base) != hedge(changed)


def test_compare_tab_shows_the_table():
    box, rc = solara.render(Page(), handle_error=False)
    try:
        tabs = rc.find(v.Tabs).widgets[0]
        tabs.v_model = 1
        commit(number_box(rc, "Replications"), "2")
        button(rc, "Compare all strategies").click()
        wait_until(lambda: any("Autonomy (higher is better): highest" in t for t in texts(rc)), timeout_s=120)
        assert any("2 replications per strategy" in t for t in texts(rc))
        assert len(chart_options(rc)) >= 4  # the run view's charts may be there too
    finally:
        box.close()


def test_sweep_tab_refuses_a_folder_outside(tmp_path):
    box, rc = solara.render(Page(), handle_error=False)
    try:
        rc.find(v.Tabs).widgets[0].v_model = 2
        field = [w for w in rc.find(v.TextField).widgets if w.label == "Sweep folder"][0]
        field.v_model = str(tmp_path / ".." / "x")
        button(rc, "Open").click()
        assert any("'..' is not allowed" in str(w.children) for w in rc.find(v.Alert).widgets)
    finally:
        box.close()
