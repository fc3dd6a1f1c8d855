"""The Multivector browser app (``multivector app`` serves it with ``solara run``).

Four views in tabs: Run (step, play and steer one model of the case picked), Compare (every
strategy on the same scenario and seed), Sweep (a finished ``multivector sweep`` folder, with
replay of any of its runs in the Run view) and Cases (one outcome across every real case).

Plain Solara components rather than Mesa's SolaraViz: three views need layout and state
SolaraViz does not offer (it has one model page and a fixed sidebar), its draggable grid
needs extra front-end packages, and owning the play loop lets us redraw every k quarters,
which is what keeps playing a 132-quarter run fast. Everything is built per browser tab
inside ``Page``, so two tabs never share a model.
"""

import os

import solara
import solara.lab

from multivector.experiments.app.cases_view import CasesView
from multivector.experiments.app.compare_view import CompareView
from multivector.experiments.app.run_view import RunView
from multivector.experiments.app.state import TabState
from multivector.experiments.app.sweep_folder import SWEEP_ENV
from multivector.experiments.app.sweep_view import SweepView


@solara.component
def Page():
    # One TabState per browser tab (solara gives every tab its own kernel and render tree).
    state = solara.use_memo(lambda: TabState.create(sweep_path=os.environ.get(SWEEP_ENV, "")), [])
    solara.Title("Multivector")
    with solara.Column(style={"padding": "8px 16px"}):
        with solara.Row(style={"align-items": "baseline"}):
            solara.Text("Multivector", style={"font-size": "22px", "font-weight": "bold"})
            solara.Text("a secondary power between great powers: balancing, bandwagoning, hedging",
                        style={"color": "#666"})
        with solara.lab.Tabs(value=state.tab, lazy=True):
            with solara.lab.Tab("Run"):
                RunView(state)
            with solara.lab.Tab("Compare"):
                CompareView(state)
            with solara.lab.Tab("Sweep"):
                SweepView(state)
            with solara.lab.Tab("Cases"):
                CasesView(state)
