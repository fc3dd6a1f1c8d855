"""The Mesa model: one secondary power among great powers, one step per quarter.

It is the array engine (:class:`model.ensemble.Ensemble`) with one replication: ``step()``
advances the engine, the agents are views onto its arrays (:mod:`model.agents`), and Mesa's
DataCollector records one row per quarter. There is no second copy of any rule, reaction or
measure; a run here equals replication r of an ensemble with the same seed, bit for bit.
The schedule of a quarter is in :mod:`model.ensemble`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from mesa import Model
from mesa.experimental.scenarios import Scenario as MesaScenario

from multivector.model.collector import RecordCollector
from multivector.model.record import record_row
from multivector.model.agents import GreatPower, SecondaryPower
from multivector.model.contract import DOMAINS
from multivector.model.draws import checked_seed
from multivector.model.ensemble import Ensemble
from multivector.model.parameters import Parameters, with_overrides
from multivector.model.rules import FIXED_RULES
from multivector.model.scenarios import DEFAULT_SCENARIO, Scenario, load_scenario
from multivector.model.run import overrides_from


def _coerce_rng(rng: Any) -> Any:
    """SolaraViz sends the seed as text (mesa/mesa#3516, unfixed in 3.5.1): digits are read as the
    int they spell, anything else is left for :func:`checked_seed` to refuse in one line."""
    if isinstance(rng, str):
        text = rng.strip()
        return None if not text else int(text) if text.isdigit() else rng
    return rng


def _seed_sequence(rng: Any) -> np.random.SeedSequence | np.random.Generator:
    """The run's seed as a SeedSequence (an int n is SeedSequence(n), as numpy itself does), or
    a Generator passed as is."""
    if isinstance(rng, (np.random.SeedSequence, np.random.Generator)):
        return rng
    if rng is None:
        return np.random.SeedSequence()
    return np.random.SeedSequence(checked_seed(rng))


class MultivectorModel(Model):
    """A secondary power choosing how much to engage each great power, by one rule.

    Args:
        scenario: name of a shipped scenario (``model.scenario_names()``). A Mesa Scenario object
            (as SolaraViz passes when it resets a model) means the default scenario.
        strategy: one of ``model.STRATEGIES``.
        overrides: ``{dotted.parameter.path: value}`` applied on top of the scenario.
        steps: quarters to run (default: the scenario's length).
        rng: seed (int, numpy SeedSequence or None), as for any Mesa model. Every random number
            comes from ``default_rng`` of this seed, in the fixed layout of ``model.draws``.
        collect: record every quarter in ``datacollector`` (default). With False nothing is
            collected; ``record`` gives the current quarter: for runs that need final values only.
        **params: single parameters as keywords, identifier-safe (``rivalry__scale=0.5`` for
            ``rivalry.scale``), so ``mesa.batch_run(MultivectorModel, parameters={"rivalry__scale":
            [0.5, 1.0]})`` varies one parameter; they are added to ``overrides``.

    ``model.scenario`` is Mesa's scenario object; the loaded scenario data is ``scenario_data``;
    the engine is ``world`` (an ensemble of one), its state ``state`` (arrays with a leading axis
    of length 1) and its parameters ``powers`` and ``world.P``.
    """

    domains = DOMAINS

    def __init__(self, scenario: str | Scenario | MesaScenario = DEFAULT_SCENARIO, strategy: str = "hedge",
                 overrides: dict | None = None, steps: int | None = None, rng: Any = None, collect: bool = True,
                 **params: Any):
        mesa_scenario = scenario if isinstance(scenario, MesaScenario) else None
        if mesa_scenario is not None:
            scenario = DEFAULT_SCENARIO
            rng = rng if rng is not None else mesa_scenario.rng
        seed = _seed_sequence(_coerce_rng(rng))
        if mesa_scenario is not None:
            mesa_scenario.__dict__["rng"] = seed
        super().__init__(rng=seed, scenario=mesa_scenario)
        # A fresh generator, so the run's stream starts at its beginning whatever Mesa drew.
        self.rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        self.scenario_data: Scenario = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        self.strategy = strategy
        self.overrides = {**dict(overrides or {}), **overrides_from(params)}
        self.world = Ensemble(self.scenario_data, [strategy], [self.overrides], [self.rng], steps)
        self.p: Parameters = with_overrides(self.scenario_data.parameters, self.overrides)  # as given, before events
        self.max_steps = self.world.max_steps
        self.power_ids = self.scenario_data.power_ids
        self.great_powers = [GreatPower(self, i, g) for i, g in enumerate(self.power_ids)]
        self.secondary = SecondaryPower(self)
        self.collect = collect
        self._record: tuple[int, dict] | None = None
        self.datacollector = RecordCollector(self.power_ids, self.max_steps + 1)
        if collect:
            self.datacollector.collect(self)
        self.running = self.max_steps > 0

    def step(self) -> None:
        """Advance one quarter."""
        self.world.step()
        if self.collect:
            self.datacollector.collect(self)
        if not self.world.running:
            self.running = False

    # ----- views of the engine ----------------------------------------------------------------
    @property
    def quarter(self) -> int:
        return self.world.quarter

    @property
    def date(self) -> str:
        """Calendar quarter of the current state, e.g. ``"1998Q3"``."""
        return self.world.date

    @property
    def state(self):
        """The engine's state (arrays with a leading replication axis of length 1)."""
        return self.world.state

    @property
    def powers(self):
        """The great powers' current parameters, (1, G) arrays (events change them)."""
        return self.world.powers

    @property
    def initial_draws(self) -> np.ndarray:
        return self.world.initial_draws[0]

    @property
    def event_log(self) -> list[tuple[int, str, str]]:
        return self.world.event_log

    @property
    def institutions(self) -> list[str]:
        """Names of the institutions S belongs to now."""
        t = self.world.table
        return [t.names[i] for i in np.nonzero(self.world.state.member[0])[0]]

    @property
    def last_crisis(self) -> dict | None:
        """The run's latest crisis: when, how severe, whom S asked, whether it was helped (None: none yet)."""
        c = self.world.last_crisis
        if c.step[0] < 0:
            return None
        from multivector.model.calendar import step_date  # noqa: PLC0415

        return {"step": int(c.step[0]), "date": step_date(self.scenario_data.start, int(c.step[0])),
                "severity": float(c.severity[0]), "asked": self.power_ids[int(c.asked[0])], "helped": bool(c.helped[0])}

    @property
    def record(self) -> dict:
        """The current quarter's row of the data contract (and the extra columns)."""
        stamp = self.world.measured
        if self._record is None or self._record[0] != stamp:
            self._record = (stamp, record_row(self.world, 0))
        return self._record[1]

    @property
    def rule(self) -> str:
        return FIXED_RULES[int(self.world.state.rule[0])]
