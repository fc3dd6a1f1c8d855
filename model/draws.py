"""The fixed layout of random numbers: one block per quarter, every slot always drawn.

Every random number a run uses comes from one numpy Generator, in blocks of fixed shape: at
the start, one uniform per random event change in the scenario (for example the 2019 leader's
risk aversion); then, each quarter, ``uniform`` (6 per great power + 4) and ``normal`` (4 per
great power) before anything else happens. A slot is drawn whether or not it is used that
quarter, so the stream never depends on what happened before. An array implementation that
draws the same blocks from ``default_rng(SeedSequence(root, spawn_key=(point, replication)))``
reproduces a run of :class:`model.MultivectorModel` bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Uniform slots, as (name, count per power) or (name, 1) for the quarter-wide ones, in order.
POWER_UNIFORMS = ("order", "coercion", "demand", "demand_cost", "war_demand", "war_demand_cost")
QUARTER_UNIFORMS = ("crisis", "crisis_severity", "crisis_help", "rule_choice")
NORMALS_PER_POWER = 4  # misperception of capability (1) and engagement noise (3 domains)


def uniform_count(n_powers: int) -> int:
    return len(POWER_UNIFORMS) * n_powers + len(QUARTER_UNIFORMS)


def normal_count(n_powers: int) -> int:
    return NORMALS_PER_POWER * n_powers


@dataclass(frozen=True)
class QuarterDraws:
    """One quarter's random numbers, named by what they are for."""

    uniform: np.ndarray  # (uniform_count,)
    normal: np.ndarray  # (normal_count,)
    n_powers: int

    def per_power(self, name: str) -> np.ndarray:
        """The uniforms of slot ``name``, one per great power (in the scenario's power order)."""
        i = POWER_UNIFORMS.index(name) * self.n_powers
        return self.uniform[i:i + self.n_powers]

    def quarter(self, name: str) -> float:
        return float(self.uniform[len(POWER_UNIFORMS) * self.n_powers + QUARTER_UNIFORMS.index(name)])

    @property
    def action_order(self) -> np.ndarray:
        """The order in which the great powers act this quarter: a random permutation."""
        return np.argsort(self.per_power("order"), kind="stable")

    @property
    def misperception(self) -> np.ndarray:
        """Standard normals, one per power, for S's noisy view of capability."""
        return self.normal[:self.n_powers]

    @property
    def engagement_noise(self) -> np.ndarray:
        """Standard normals shaped (powers, 3 domains), for implementation noise."""
        return self.normal[self.n_powers:].reshape(self.n_powers, 3)


def draw_quarter(rng: np.random.Generator, n_powers: int) -> QuarterDraws:
    """Draw one quarter's block: uniforms first, then normals (the order is part of the layout)."""
    uniform = rng.random(uniform_count(n_powers))
    normal = rng.standard_normal(normal_count(n_powers))
    return QuarterDraws(uniform, normal, n_powers)


def draw_initial(rng: np.random.Generator, count: int) -> np.ndarray:
    """The uniforms for the scenario's random event changes, drawn once before the first quarter."""
    return rng.random(count)
