"""The fixed layout of random numbers: one block per quarter per replication, every slot always drawn.

Every random number a run uses comes from its own numpy Generator, ``default_rng`` of the run's
seed, in blocks of fixed shape: at the start, one uniform per random event change in the
scenario (for example the 2019 leader's risk aversion) plus one for the adaptive secondary's
first choice; then, each quarter, ``uniform`` (6 per great power + 4) and ``normal`` (4 per
great power) before anything else happens. A slot is drawn whether or not it is used that
quarter, so the stream never depends on what happened before. An ensemble of R replications
draws the same blocks from R generators, so replication r reproduces the single run with the
same seed bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from multivector.model.errors import ModelInputError
from multivector.model.scalars import plain

# Uniform slots per power, then per quarter, in order.
POWER_UNIFORMS = ("order", "coercion", "demand", "demand_cost", "war_demand", "war_demand_cost")
QUARTER_UNIFORMS = ("crisis", "crisis_severity", "crisis_help", "rule_choice")
NORMALS_PER_POWER = 4  # misperception of capability (1) and engagement noise (3 domains)


def uniform_count(n_powers: int) -> int:
    return len(POWER_UNIFORMS) * n_powers + len(QUARTER_UNIFORMS)


def normal_count(n_powers: int) -> int:
    return NORMALS_PER_POWER * n_powers


@dataclass(frozen=True)
class QuarterDraws:
    """One quarter's random numbers for R replications, named by what they are for."""

    uniform: np.ndarray  # (R, uniform_count)
    normal: np.ndarray  # (R, normal_count)
    n_powers: int

    def per_power(self, name: str) -> np.ndarray:
        """(R, G) the uniforms of slot ``name``, one per great power (in the scenario's power order)."""
        i = POWER_UNIFORMS.index(name) * self.n_powers
        return self.uniform[:, i:i + self.n_powers]

    def quarter(self, name: str) -> np.ndarray:
        """(R,) one uniform per replication."""
        return self.uniform[:, len(POWER_UNIFORMS) * self.n_powers + QUARTER_UNIFORMS.index(name)]

    @property
    def action_order(self) -> np.ndarray:
        """(R, G) the order in which the great powers act this quarter: a random permutation."""
        return self.per_power("order").argsort(axis=1, kind="stable")

    @property
    def misperception(self) -> np.ndarray:
        """(R, G) standard normals for S's noisy view of capability."""
        return self.normal[:, :self.n_powers]

    @property
    def engagement_noise(self) -> np.ndarray:
        """(R, G, 3) standard normals for implementation noise."""
        return self.normal[:, self.n_powers:].reshape(-1, self.n_powers, 3)


def generators(seeds: list) -> list[np.random.Generator]:
    """One Generator per replication: ``default_rng`` of its seed (an int n is SeedSequence(n)),
    or the Generator itself when one is given."""
    return [s if isinstance(s, np.random.Generator) else np.random.default_rng(checked_seed(s)) for s in seeds]


def checked_seed(seed: Any) -> Any:
    """A seed as numpy takes it: an int (a numpy integer counts as the int it holds), a
    SeedSequence or anything else ``default_rng`` takes. A bool, a float or text is refused in
    one line rather than read as a number (``True`` would be seed 1; numpy's own message for 1.5
    does not say it is the seed)."""
    seed = plain(seed)
    if isinstance(seed, (bool, float, str)) or (isinstance(seed, int) and seed < 0):
        raise ModelInputError(f"seed must be a non-negative integer or a numpy SeedSequence, got {seed!r}")
    return seed


def draw_quarter(rngs: list[np.random.Generator], n_powers: int) -> QuarterDraws:
    """Draw one quarter's block in every replication: uniforms first, then normals (the order is
    part of the layout)."""
    u, n = uniform_count(n_powers), normal_count(n_powers)
    uniform = np.empty((len(rngs), u))
    normal = np.empty((len(rngs), n))
    # Two calls per replication are the floor while each run keeps its own stream (a vectorised
    # normal across generators would have to re-implement numpy's ziggurat bit for bit); the
    # loop itself is kept lean: rows are iterated, not indexed (a third less time at R = 1,000).
    for rng, uniform_row, normal_row in zip(rngs, uniform, normal):
        rng.random(out=uniform_row)
        rng.standard_normal(out=normal_row)
    return QuarterDraws(uniform, normal, n_powers)


def draw_initial(rngs: list[np.random.Generator], count: int) -> np.ndarray:
    """(R, count) uniforms for the scenario's random event changes and the adaptive secondary's
    first choice, drawn once before the first quarter."""
    return np.stack([rng.random(count) for rng in rngs]) if rngs else np.empty((0, count))
