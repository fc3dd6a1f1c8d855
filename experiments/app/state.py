"""What one browser tab's views share: its run session and the reactive values that tie the
views together (the draft settings, the redraw counter, the open tab, loaded results).

Built once per tab inside ``Page`` (``solara.use_memo``), never at module level: module-level
objects would be shared by every tab and every user of the server.
"""

from dataclasses import dataclass

import solara

from multivector.experiments.app.session import RunSession, RunSettings

RUN_TAB, COMPARE_TAB, SWEEP_TAB, CASES_TAB = 0, 1, 2, 3


@dataclass
class TabState:
    session: RunSession
    draft: solara.Reactive  # RunSettings being edited; applied on Reset
    applied: solara.Reactive  # RunSettings the session's model was built from
    version: solara.Reactive  # bumped after every step or reset: charts redraw on it
    tab: solara.Reactive  # index of the open view
    comparison: solara.Reactive  # last compare-view result (or None)
    sweep: solara.Reactive  # the open sweep (or None)
    sweep_path: solara.Reactive  # the folder typed in the sweep view

    @classmethod
    def create(cls, settings: RunSettings | None = None, sweep_path: str = "") -> "TabState":
        session = RunSession(settings)
        return cls(session=session, draft=solara.reactive(session.settings),
                   applied=solara.reactive(session.settings), version=solara.reactive(0),
                   tab=solara.reactive(RUN_TAB), comparison=solara.reactive(None),
                   sweep=solara.reactive(None), sweep_path=solara.reactive(sweep_path))

    def reset_run(self, settings: RunSettings) -> None:
        """Rebuild the model from ``settings`` (raises ``model.ModelInputError`` if invalid)."""
        self.session.reset(settings)
        self.draft.value = settings
        self.applied.value = settings
        self.version.value += 1
