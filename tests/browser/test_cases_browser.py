"""The app across cases in a real browser: the case picker starts a case under its history, and the
Cases view draws one outcome for every real case with its events marked."""

import pytest
from playwright.sync_api import expect

from multivector import model
from multivector.experiments.cases.commands import case_scenarios
from test_app_browser import CHART, LOAD_TIMEOUT_MS, open_app, screenshot

pytestmark = pytest.mark.browser


def test_case_picker_and_small_multiples(page, app_url, watch, artifacts):
    watch(page)  # no page error, no request the offline app cannot serve
    open_app(page, app_url)
    # The default scenario is a real case: the run panel names it and offers its history.
    case = model.load_scenario(model.DEFAULT_SCENARIO).case
    expect(page.get_by_text(f"Case: {case.name} ({case.secondary})")).to_be_visible()
    page.get_by_role("button", name="Strategy hedge").click()
    expect(page.get_by_role("option", name=model.HISTORICAL, exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    page.get_by_role("tab", name="Cases").click()
    names = case_scenarios()
    page.get_by_role("button", name=f"Run all {len(names)} cases" if len(names) != 1 else "Run the 1 case").click()
    expect(page.locator("table").filter(has_text="last quarter")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    for name in names:
        expect(page.locator("td").filter(has_text=f"{name}: ").first).to_be_visible()
    expect(page.locator(CHART).first).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    screenshot(page, artifacts / "cases-view.png")
