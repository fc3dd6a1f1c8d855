"""The served app in a real browser: run, compare, sweep and replay, and tab isolation."""

import argparse
import re

import pytest
from playwright.sync_api import expect

from multivector import model

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 60_000
STEP_TIMEOUT_MS = 20_000


CHART = ".solara-echarts canvas"  # an ECharts chart, drawn by the browser


def open_app(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("button", name="Step").wait_for(timeout=LOAD_TIMEOUT_MS)
    page.locator(CHART).first.wait_for(timeout=LOAD_TIMEOUT_MS)


def screenshot(page, path) -> None:
    """The whole view: the app scrolls inside its own box, so a full-page screenshot would stop
    at the window; a tall window shows everything."""
    size = page.viewport_size
    bottom = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
        '.v-card, .v-expansion-panel, .solara-echarts, table, img, .v-btn')]
        .map(e => e.getBoundingClientRect().bottom + (e.closest('.v-main__wrap') || document.body).scrollTop))""")
    page.set_viewport_size({"width": size["width"], "height": int(min(max(bottom + 40, size["height"]), 6000))})
    page.wait_for_timeout(400)  # the charts resize to the new window
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size(size)


def date_text(page) -> str:
    return page.get_by_text("Date: ").first.inner_text()


def step(page, times: int, expected_date: str) -> None:
    for _ in range(times):
        page.get_by_role("button", name="Step").click()
    expect(page.get_by_text(f"Date: {expected_date}")).to_be_visible(timeout=STEP_TIMEOUT_MS)


def quarter_after(start: str, steps: int) -> str:
    from multivector.model.calendar import step_date as after

    return after(start, steps)


def pick(page, label: str, current: str, option: str) -> None:
    """Choose ``option`` in a Vuetify select (click its wrapper, not the label)."""
    page.get_by_role("button", name=f"{label} {current}").click()
    page.get_by_role("option", name=option, exact=True).click()


def test_run_view_steps_changes_charts_and_resets(page, app_url, watch, artifacts):
    watch(page)
    open_app(page, app_url)
    start = model.load_scenario("kazakhstan").start
    expect(page.get_by_text(f"Date: {start}")).to_be_visible()
    chart = page.locator(CHART).nth(2)  # the engagement chart (after the ties and outcomes)
    before = chart.screenshot()
    screenshot(page, artifacts / "run-start.png")
    step(page, 4, quarter_after(start, 4))
    page.wait_for_timeout(300)  # let the chart repaint
    assert chart.screenshot() != before, "the engagement chart did not change after four steps"
    step(page, 40, quarter_after(start, 44))
    screenshot(page, artifacts / "run.png")

    pick(page, "Strategy", "hedge", "balance")
    expect(page.get_by_text("Changed settings apply when you press Reset.")).to_be_visible()
    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_text(f"Date: {start}")).to_be_visible(timeout=STEP_TIMEOUT_MS)
    expect(page.get_by_text("balance on kazakhstan", exact=False)).to_be_visible()
    step(page, 1, quarter_after(start, 1))


def test_compare_view_shows_every_strategy(page, app_url, watch, artifacts):
    watch(page)
    open_app(page, app_url)
    page.get_by_role("tab", name="Compare").click()
    page.get_by_role("button", name="Compare all strategies").click()
    table = page.locator("table.multivector-compare")
    expect(table).to_be_visible(timeout=120_000)
    for strategy in model.STRATEGIES:
        expect(table.get_by_text(strategy, exact=True)).to_be_visible()
    expect(page.get_by_text("20 replications per strategy", exact=False)).to_be_visible()
    expect(page.get_by_text("Autonomy (higher is better): highest", exact=False)).to_be_visible()
    expect(page.get_by_text("multivector compare --scenario kazakhstan --seed 0 --replications 20")).to_be_visible()
    expect(page.locator(CHART).filter(visible=True)).to_have_count(4)  # the four compared outcomes
    screenshot(page, artifacts / "compare.png")


GROUP_BUTTON = re.compile(r"^\S+ \(\d+ parameters")


def open_every_parameter_group(page) -> list[str]:
    """Click every closed parameter group of the visible view open; returns their names."""
    # Visible ones only: the views not shown stay in the page, hidden.
    names = [text.strip() for text in
             page.get_by_role("button", name=GROUP_BUTTON).filter(visible=True).all_inner_texts()]
    for name in names:
        # By group name: the rest of the label changes if the group reports a change.
        button = page.get_by_role("button", name=re.compile("^" + re.escape(name.split(" (")[0]) + r" \(")).filter(
            visible=True)
        button.click()
        expect(button.locator(".mdi-chevron-up")).to_be_visible()  # drawn open
    return names


def test_opening_every_parameter_group_changes_no_value(page, app_url, watch, artifacts):
    """Issue 8: sliders used to snap calibrated defaults to their step grid when drawn, so merely
    opening a group recorded a change. Open every group of every view; nothing may change."""
    watch(page)
    open_app(page, app_url)
    start = model.load_scenario("kazakhstan").start
    groups = {info.group for info in model.parameter_table("kazakhstan")}
    opened = {}
    # Each view with a control only it shows, to wait for the tab switch to finish.
    for view, anchor in (("Run", "Step"), ("Compare", "Compare all strategies"), ("Sweep", "Open")):
        page.get_by_role("tab", name=view).click()
        expect(page.get_by_role("button", name=anchor, exact=True)).to_be_visible(timeout=STEP_TIMEOUT_MS)
        page.wait_for_timeout(500)  # the outgoing view fades out; its controls count as visible until then
        opened[view] = open_every_parameter_group(page)
        if view == "Run":
            # A round trip through the server after the controls are drawn: any value a control
            # sent back while mounting arrives before this step's new date is shown.
            step(page, 1, quarter_after(start, 1))
            page.screenshot(path=artifacts / "run-every-group-open.png")  # the window: groups open, values exact
    assert {name.split(" (")[0] for name in opened["Run"]} == groups
    page.get_by_role("tab", name="Run").click()
    for name in page.get_by_role("button", name=GROUP_BUTTON).filter(visible=True).all_inner_texts():
        assert "changed" not in name, f"opening a group changed a value: {name}"
    expect(page.get_by_role("button", name="Parameter defaults")).to_be_disabled()  # overrides empty
    expect(page.get_by_text("Changed settings apply when you press Reset.")).to_have_count(0)
    page.get_by_role("tab", name="Compare").click()
    expect(page.get_by_text("with the run view's parameters (0 changed)", exact=False)).to_be_visible()


def _small_sweep(folder) -> None:
    """A 2 x 2 grid, two strategies, 8 quarters, written by the sweep command itself."""
    from multivector.experiments.sweep import cli as sweep_cli

    bounded = [p for p in model.parameter_table("kazakhstan")
               if p.type == "float" and p.min is not None and p.max is not None and p.max > p.min]
    a, b = bounded[0], bounded[1]
    levels = lambda p: [round(p.min + (p.max - p.min) * f, 6) for f in (0.25, 0.75)]  # noqa: E731
    design = folder.parent / "app-test.toml"
    design.write_text(
        '[experiment]\nname = "app-browser-test"\nscenario = "kazakhstan"\nsteps = 8\nreplications = 1\n'
        'seed = 7\nstrategies = ["hedge", "balance"]\n[design]\nkind = "grid"\n[factors]\n'
        f'"{a.path}" = {levels(a)}\n"{b.path}" = {levels(b)}\n[collect]\nsteps = true\n')
    parser = argparse.ArgumentParser()
    sweep_cli.register(parser.add_subparsers())
    args = parser.parse_args(["sweep", str(design), "--out", str(folder), "--workers", "1", "--quiet"])
    assert args.handler(args) == 0


def test_sweep_view_opens_a_sweep_and_replays_a_run(page, app_url, watch, artifacts, tmp_path):
    folder = tmp_path / "sweep"
    _small_sweep(folder)
    watch(page)
    open_app(page, app_url)
    page.get_by_role("tab", name="Sweep").click()
    page.get_by_label("Sweep folder").fill(str(folder))
    page.get_by_role("button", name="Open").click()
    expect(page.get_by_text("app-browser-test: scenario kazakhstan", exact=False)).to_be_visible(timeout=STEP_TIMEOUT_MS)
    expect(page.get_by_text("Outcome by strategy", exact=True)).to_be_visible()
    page.locator("img").first.wait_for(timeout=STEP_TIMEOUT_MS)  # the sweep view's figures are images
    screenshot(page, artifacts / "sweep.png")

    page.get_by_role("button", name="Replay in run view").click()
    expect(page.get_by_role("button", name="Step")).to_be_visible(timeout=STEP_TIMEOUT_MS)
    expect(page.get_by_text("sweep run p", exact=False).first).to_be_visible()
    start = model.load_scenario("kazakhstan").start
    step(page, 2, quarter_after(start, 2))
    screenshot(page, artifacts / "sweep-replay.png")


def test_sweep_view_opens_a_claims_report_sweep_and_replays_a_run(page, app_url, watch, artifacts, tmp_path):
    """The report's sweeps (over accepted parameter sets, 20 calibrated columns) open like any sweep."""
    from multivector.experiments.report.build import build_report

    build_report(tmp_path / "report", quick=True, workers=1, announce=lambda _: None, progress=False, only=["C12"])
    folder = next((tmp_path / "report" / "sweeps").glob("C12-activism-*"))
    watch(page)
    open_app(page, app_url)
    page.get_by_role("tab", name="Sweep").click()
    page.get_by_label("Sweep folder").fill(str(folder))
    page.get_by_role("button", name="Open").click()
    expect(page.get_by_text("C12-activism: scenario kazakhstan", exact=False)).to_be_visible(timeout=STEP_TIMEOUT_MS)
    page.locator("img").first.wait_for(timeout=STEP_TIMEOUT_MS)
    screenshot(page, artifacts / "sweep-report.png")
    page.get_by_role("button", name="Replay in run view").click()
    expect(page.get_by_role("button", name="Step")).to_be_visible(timeout=STEP_TIMEOUT_MS)
    start = model.load_scenario("kazakhstan").start
    step(page, 1, quarter_after(start, 1))


def test_sweep_view_refuses_a_path_that_climbs_out(page, app_url, watch, tmp_path):
    watch(page)
    open_app(page, app_url)
    page.get_by_role("tab", name="Sweep").click()
    page.get_by_label("Sweep folder").fill(str(tmp_path / ".." / "elsewhere"))
    page.get_by_role("button", name="Open").click()
    expect(page.get_by_text("'..' is not allowed", exact=False)).to_be_visible(timeout=STEP_TIMEOUT_MS)


def test_two_browser_contexts_have_separate_models(browser, app_url, watch, artifacts):
    start = model.load_scenario("kazakhstan").start
    first_context, second_context = browser.new_context(), browser.new_context()
    try:
        first, second = first_context.new_page(), second_context.new_page()
        watch(first)
        watch(second)
        open_app(first, app_url)
        step(first, 3, quarter_after(start, 3))
        open_app(second, app_url)
        expect(second.get_by_text(f"Date: {start}")).to_be_visible()
        step(second, 2, quarter_after(start, 2))
        # The first tab's model did not move: it still shows its date, and steps on from it.
        expect(first.get_by_text(f"Date: {quarter_after(start, 3)}")).to_be_visible()
        step(first, 1, quarter_after(start, 4))
        expect(second.get_by_text(f"Date: {quarter_after(start, 2)}")).to_be_visible()
        screenshot(second, artifacts / "second-context.png")
    finally:
        first_context.close()
        second_context.close()


# The ECharts instance behind the n-th chart of the page (the app loads ECharts through requirejs).
ECHARTS = """(n) => {
    const [, echarts] = Object.entries(requirejs.s.contexts._.defined).find(([name]) => name.includes('echarts'));
    return echarts.getInstanceByDom(document.querySelectorAll('.solara-echarts')[n]);
}"""


def shown_title(page, n: int) -> str:
    """The title the n-th chart draws (on its canvas, so read from ECharts itself)."""
    return page.evaluate(f"(n) => ({ECHARTS})(n).getOption().title[0].text", n)


def test_play_pause_and_play_to_the_end(page, app_url, watch, artifacts):
    watch(page)
    scenario = model.load_scenario("kazakhstan")
    open_app(page, app_url)
    page.get_by_role("button", name="Play").click()
    page.wait_for_timeout(700)
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=STEP_TIMEOUT_MS)
    paused = date_text(page)
    page.wait_for_timeout(1500)
    # Pause stops what the screen shows, not just the model: the date and the ties picture
    # (whose title names the quarter it draws) agree, and neither moves on.
    assert date_text(page) == paused != f"Date: {scenario.start}"
    assert shown_title(page, 0) == f"ties in {paused.removeprefix('Date: ')}"
    page.get_by_role("button", name="Play").click()
    final = quarter_after(scenario.start, scenario.steps)
    expect(page.get_by_text(f"Date: {final}")).to_be_visible(timeout=120_000)
    expect(page.get_by_role("button", name="Play")).to_be_disabled(timeout=STEP_TIMEOUT_MS)
    page.wait_for_timeout(500)
    assert shown_title(page, 0) == f"ties in {final}"
    screenshot(page, artifacts / "run-played.png")


def test_hovering_an_event_date_names_the_event(page, app_url, watch, artifacts):
    watch(page)
    scenario = model.load_scenario("kazakhstan")
    event = next(e for e in scenario.events if e.label == "CST becomes CSTO")
    open_app(page, app_url)
    step(page, event.step + 2, quarter_after(scenario.start, event.step + 2))
    outcomes = page.locator(".solara-echarts").nth(1)
    outcomes.scroll_into_view_if_needed()
    x, y = page.evaluate(f"([n, date]) => ({ECHARTS})(n).convertToPixel({{xAxisIndex: 0, yAxisIndex: 0}}, [date, 0.5])",
                         [1, event.date])
    box = outcomes.bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)
    page.mouse.move(box["x"] + x + 1, box["y"] + y, steps=3)
    expect(page.get_by_text(f"event {event.date}: {event.label}")).to_be_visible(timeout=STEP_TIMEOUT_MS)
    page.screenshot(path=artifacts / "event-tooltip.png")
