"""The Mesa agents: views onto one replication of the array engine.

A run's state and behaviour live in :class:`model.ensemble.Ensemble` (pure functions over arrays
with a leading replication axis); the Mesa model steps an ensemble of one. The agents are how a
Mesa user, the app or a DataCollector agent reporter sees that world: a great power's actions
this quarter, the secondary power's ties, rule, observation and decision. Writing to
``engagement`` or ``dependence`` writes the engine's state.
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

import numpy as np
from mesa import Agent

from multivector.model.perception import Observation
from multivector.model.rules import FIXED_RULES, Decision

if TYPE_CHECKING:
    from multivector.model.model import MultivectorModel


class GreatPower(Agent):
    """A great power g (ODD §7.4): what it did this quarter. It sees S's engagement and its own
    position, never S's rule (see :mod:`model.reactions`)."""

    def __init__(self, model: "MultivectorModel", index: int, power_id: str):
        super().__init__(model)
        self.index = index
        self.power_id = power_id

    @property
    def _actions(self):
        return self.model.world.actions

    @property
    def offers(self) -> np.ndarray:
        """(D,) rewards offered this quarter."""
        return self._actions.offers[0, self.index]

    @property
    def pressure(self) -> float:
        """Intensity of pressure this quarter (0: none)."""
        return float(self._actions.pressure[0, self.index])

    @property
    def coerced(self) -> bool:
        return bool(self._actions.coerced[0, self.index])

    @property
    def demand(self) -> dict | None:
        """This quarter's demand (kind, domain, high cost, met) or None."""
        a, g = self._actions, self.index
        kind = int(a.demand_kind[0, g])
        if kind == 0:
            return None
        return {"kind": "alignment" if kind == 1 else "support", "domain": int(a.demand_domain[0, g]),
                "high_cost": bool(a.demand_high[0, g]), "met": bool(a.demand_met[0, g])}

    @property
    def satisfaction(self) -> float:
        return float(self.model.world.satisfaction[0, self.index])


class SecondaryPower(Agent):
    """The secondary power S (ODD §3, steps 4-5): its ties, the rule in force, and this quarter's
    observation and decision."""

    @property
    def engagement(self) -> np.ndarray:
        """(G, D) engagement, a view of the engine's state."""
        return self.model.world.state.engagement[0]

    @property
    def dependence(self) -> np.ndarray:
        """(G, D) dependence, a view of the engine's state."""
        return self.model.world.state.dependence[0]

    @property
    def rule(self) -> str:
        return FIXED_RULES[int(self.model.world.state.rule[0])]

    @property
    def observation(self) -> Observation:
        """What S saw when it last decided (arrays without the replication axis)."""
        return self.model.world.observation.take(0)

    @property
    def decision(self) -> Decision | None:
        """S's last decision (arrays without the replication axis), None before the first quarter."""
        d = self.model.world.decision
        return None if d is None else Decision(*(getattr(d, f.name)[0] for f in fields(d)))
