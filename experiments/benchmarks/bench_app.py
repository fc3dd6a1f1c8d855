"""How long playing the whole Kazakhstan scenario (132 quarters) takes in the app.

Measures, on this machine, in-process (``solara.render``, no browser; the browser adds only
the transfer of the PNGs):

1. the model alone: ``MultivectorModel`` stepped 132 quarters, no app;
2. the app's Play button, at each "quarters per frame" setting (the model steps that many
   quarters between redraws of the five charts);
3. the app's Step button clicked 132 times (a redraw after every quarter).

Run: ``.venv/bin/python experiments/benchmarks/bench_app.py [--repeats 3]``. Prints best-of-N
seconds per configuration.
"""

import argparse
import time
import warnings

import ipyvuetify as v
import solara

import model
from experiments.app.app import Page
from experiments.app.run_view import PLAY_CHOICES

SCENARIO = "kazakhstan"


def model_alone() -> float:
    start = time.perf_counter()
    m = model.MultivectorModel(scenario=SCENARIO, strategy="hedge", rng=0)
    while m.running:
        m.step()
    return time.perf_counter() - start


def _button(rc, label: str):
    found = [w for w in rc.find(v.Btn).widgets if label in w.children]
    assert len(found) == 1, f"expected one {label!r} button, found {len(found)}"
    return found[0]


def _final_date() -> str:
    from model.calendar import step_date as quarter_after

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
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    steps = model.load_scenario(SCENARIO).steps
    best = lambda f: min(f() for _ in range(args.repeats))  # noqa: E731
    print(f"{SCENARIO}: {steps} quarters, best of {args.repeats}")
    print(f"model alone:                       {best(model_alone):7.2f} s")
    for k in PLAY_CHOICES:
        seconds = best(lambda: app_play(k))
        print(f"app Play, {k:2d} quarter(s) per frame:   {seconds:7.2f} s  ({-(-steps // k)} redraws)")
    seconds = best(app_step_clicks)
    print(f"app Step clicked {steps} times:        {seconds:7.2f} s  ({seconds / steps * 1000:.0f} ms per click)")


if __name__ == "__main__":
    main()
