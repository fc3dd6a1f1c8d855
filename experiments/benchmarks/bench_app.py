"""How long playing the whole default scenario (132 quarters) takes in the app.

Measures, on this machine:

1. the model alone: ``MultivectorModel`` stepped 132 quarters, no app;
2. one frame's server work: a quarter stepped and the five charts' ECharts options built
   (``live_run.run_options``), averaged over the run;
3. in-process (``solara.render``, no browser): the app's Play button at each "quarters per
   frame" setting (at one quarter per frame this is bounded below by Play's 40 frames a second,
   ``run_view.MIN_FRAME_S``: 3.3 s), and the Step button clicked 132 times;
4. with ``--browser``: the served app (``multivector app``) in Debian's Chromium, Play at one
   quarter per frame from the first quarter until the last one is shown (a fresh server each time).

Run: ``.venv/bin/python -m multivector.experiments.benchmarks.bench_app [--repeats 3] [--browser]``.
Prints best-of-N seconds per configuration.
"""

import argparse
import time
import warnings

import ipyvuetify as v
import solara

from multivector import model
from multivector.experiments.app import charts
from multivector.experiments.app.app import Page
from multivector.experiments.app.live_run import run_options
from multivector.experiments.app.run_view import PLAY_CHOICES
from multivector.experiments.app.session import RunSession

SCENARIO = model.DEFAULT_SCENARIO


def model_alone() -> float:
    start = time.perf_counter()
    m = model.MultivectorModel(scenario=SCENARIO, strategy="hedge", rng=0)
    while m.running:
        m.step()
    return time.perf_counter() - start


def frame_cost() -> float:
    """Mean seconds of server work per frame at one quarter per frame: step, then build every chart."""
    session = RunSession()
    axis = charts.TimeAxis.for_scenario(session.scenario, session.max_steps)
    start = time.perf_counter()
    frames = 0
    while not session.finished:
        session.step(1)
        run_options(session, axis)
        frames += 1
    return (time.perf_counter() - start) / frames


def browser_play(quarters_per_frame: int = 1) -> float:
    """Seconds from clicking Play in Chromium to the last quarter's date shown, on a served app."""
    import signal
    import subprocess
    import sys
    import urllib.request
    from pathlib import Path

    from playwright.sync_api import expect, sync_playwright

    from multivector.experiments.app.cli import server_environment

    port = 8799
    server = subprocess.Popen([str(Path(sys.executable).with_name("multivector")), "app", "--port", str(port)],
                              env=server_environment(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.perf_counter() + 90
        while True:
            try:
                urllib.request.urlopen(url, timeout=5)
                break
            except OSError:
                if time.perf_counter() > deadline:
                    raise
                time.sleep(0.5)
        args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=args)
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.goto(url)
            page.locator(".solara-echarts canvas").first.wait_for(timeout=60_000)
            if quarters_per_frame != 1:
                page.get_by_role("button", name="Quarters per frame 1").click()
                page.get_by_role("option", name=str(quarters_per_frame), exact=True).click()
            start = time.perf_counter()
            page.get_by_role("button", name="Play").click()
            expect(page.get_by_text(f"Date: {_final_date()}")).to_be_visible(timeout=600_000)
            elapsed = time.perf_counter() - start
            browser.close()
        return elapsed
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def _button(rc, label: str):
    found = [w for w in rc.find(v.Btn).widgets if label in w.children]
    assert len(found) == 1, f"expected one {label!r} button, found {len(found)}"
    return found[0]


def _final_date() -> str:
    from multivector.model.calendar import step_date as quarter_after

    scenario = model.load_scenario(SCENARIO)
    return quarter_after(scenario.start, scenario.steps)


def _wait_for_text(rc, text: str, timeout_s: float = 600.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not rc.find(children=[text]).widgets:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{text!r} did not appear within {timeout_s} s")
        time.sleep(0.1)  # polling walks the widget tree: often enough to time, rarely enough not to slow it


def app_play(quarters_per_frame: int) -> float:
    """Seconds from clicking Play to the last quarter drawn."""
    box, rc = solara.render(Page(), handle_error=False)
    select = [w for w in rc.find(v.Select).widgets if w.label == "Quarters per frame"]
    assert len(select) == 1
    select[0].v_model = quarters_per_frame
    start = time.perf_counter()
    _button(rc, "Play").click()
    _wait_for_text(rc, f"Date: {_final_date()}")
    elapsed = time.perf_counter() - start
    box.close()
    return elapsed


def app_step_clicks() -> float:
    """Seconds to click Step once per quarter until the end, each click redrawing everything."""
    box, rc = solara.render(Page(), handle_error=False)
    steps = model.load_scenario(SCENARIO).steps
    start = time.perf_counter()
    for _ in range(steps):
        _button(rc, "Step").click()
    _wait_for_text(rc, f"Date: {_final_date()}")
    elapsed = time.perf_counter() - start
    box.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs (default 3)")
    parser.add_argument("--browser", action="store_true", help="also play the served app in Chromium")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    steps = model.load_scenario(SCENARIO).steps
    best = lambda f: min(f() for _ in range(args.repeats))  # noqa: E731
    print(f"{SCENARIO}: {steps} quarters, best of {args.repeats}")
    print(f"model alone:                       {best(model_alone):7.2f} s")
    cost = best(frame_cost)
    print(f"one frame (a quarter + 5 charts):  {cost * 1000:7.1f} ms  (x {steps} = {cost * steps:.2f} s)")
    for k in PLAY_CHOICES:
        seconds = best(lambda k=k: app_play(k))
        print(f"app Play, {k:2d} quarter(s) per frame:   {seconds:7.2f} s  ({-(-steps // k)} redraws)")
    seconds = best(app_step_clicks)
    print(f"app Step clicked {steps} times:        {seconds:7.2f} s  ({seconds / steps * 1000:.0f} ms per click)")
    if args.browser:
        seconds = best(browser_play)
        print(f"Chromium, Play at 1 quarter/frame:  {seconds:7.2f} s  ({seconds / steps * 1000:.0f} ms per frame)")


if __name__ == "__main__":
    main()
