"""The app without friction (issue 19, item 6), in Chromium: search the parameters, edit one (its
group stays open), type an out-of-range and a non-numeric value (refused beside the box, the
model unchanged) and download a chart's CSV."""

import pandas as pd
import pytest
from playwright.sync_api import expect

from multivector import model

from test_app_browser import STEP_TIMEOUT_MS, open_app, quarter_after, screenshot, step

pytestmark = pytest.mark.browser


def test_search_edit_refuse_and_download(page, app_url, watch, artifacts, tmp_path):
    info = next(i for i in model.parameter_table("kazakhstan") if i.path == "secondary.risk_aversion")
    start = model.load_scenario("kazakhstan").start
    watch(page)
    open_app(page, app_url)

    page.get_by_label("Search parameters (name or description)").fill("risk_aversion")
    group = page.get_by_role("button", name=f"{info.group} (1 of ", exact=False)
    expect(group).to_be_visible()
    box = page.get_by_label(info.path, exact=True)
    expect(box).to_be_visible()  # a narrow search opens the group it matches in

    box.fill(f"{info.max:g}")
    box.press("Enter")
    expect(page.get_by_role("button", name=f"{info.group} (1 of ", exact=False)).to_contain_text("1 changed")
    expect(box).to_be_visible()  # the group stayed open after the edit
    expect(page.get_by_text("Changed settings apply when you press Reset.")).to_be_visible()

    box.fill(str(info.max * 1000))
    box.press("Enter")
    refusal = page.get_by_text("is above its maximum", exact=False)
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text(f"allowed [{info.min:g}, {info.max:g}]")
    screenshot(page, artifacts / "refused-value.png")
    box.fill("lots")
    box.press("Enter")
    expect(page.get_by_text("'lots' is not a number; allowed", exact=False)).to_be_visible()

    # The refused values never reached the draft: Reset builds the run with the one valid change.
    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_text("1 parameter(s) changed", exact=False)).to_be_visible(timeout=STEP_TIMEOUT_MS)
    expect(page.get_by_text("Reset refused", exact=False)).to_have_count(0)
    step(page, 3, quarter_after(start, 3))

    with page.expect_download(timeout=STEP_TIMEOUT_MS) as download:
        page.get_by_role("button", name="outcomes CSV").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "multivector-run-outcomes.csv"
    table = pd.read_csv(path)
    assert list(table["step"]) == [0, 1, 2, 3]  # the start and the three quarters stepped
    assert {"date", "autonomy", "security", "welfare"} <= set(table.columns)
    assert table["date"].iloc[-1] == quarter_after(start, 3)
