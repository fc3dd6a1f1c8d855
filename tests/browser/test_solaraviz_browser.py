"""Mesa's own SolaraViz with our model, served offline: its plot is drawn (the grid it sits in
needs vue-grid-layout from the asset cache; without it the main area stays blank) and redrawn
on Step, with no failed request or console error."""

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import _free_port, _wait_for_http_200
from multivector.experiments.app.cli import server_environment
from servers import stop_server

pytestmark = pytest.mark.browser

APP = Path(__file__).with_name("solaraviz_app.py")
LOAD_TIMEOUT_MS = 90_000


@pytest.fixture(scope="module")
def solaraviz_url(artifacts):
    port = _free_port()
    log = artifacts / "solaraviz-server.log"
    with open(log, "w") as output:
        process = subprocess.Popen([sys.executable, "-m", "solara", "run", str(APP), "--host", "127.0.0.1",
                                    "--port", str(port), "--production", "--no-open", "--no-check-version"],
                                   env=server_environment(sweep=None), stdout=output, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_for_http_200(url, process, log)
        yield url
    finally:
        stop_server(process)


def test_solaraviz_draws_the_model_plot_offline_and_redraws_it_on_step(page, solaraviz_url, artifacts, watch):
    watch(page)
    page.goto(solaraviz_url)
    plot = page.locator(".vue-grid-item img")  # the matplotlib plot, inside SolaraViz's draggable grid
    expect(plot.first).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    box = plot.first.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 150
    before = plot.first.get_attribute("src")
    for _ in range(3):
        page.get_by_role("button", name="Step").click()
    expect(page.get_by_text("Time: 3.0")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    expect(plot.first).not_to_have_attribute("src", before, timeout=LOAD_TIMEOUT_MS)
    page.screenshot(path=str(artifacts / "solaraviz.png"))
