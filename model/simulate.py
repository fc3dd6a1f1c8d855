"""Run simulations to the end and return their per-quarter tables: one run through the Mesa
model, or many at once through the array engine (the same numbers, bit for bit)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from multivector.model.ensemble import Ensemble
from multivector.model.history import History, run_to_end
from multivector.model.scenarios import DEFAULT_SCENARIO


def simulate(scenario: str = DEFAULT_SCENARIO, strategy: str = "hedge", seed: int | np.random.SeedSequence | None = 0,
             steps: int | None = None, overrides: dict[str, Any] | None = None) -> pd.DataFrame:
    """One run: a DataFrame with one row per quarter, the initial state (step 0) included.

    The result is a pure function of the arguments and ``seed``.
    """
    from multivector.model.model import MultivectorModel  # noqa: PLC0415 - Mesa only where a Mesa model runs

    model = MultivectorModel(scenario=scenario, strategy=strategy, overrides=overrides, steps=steps, rng=seed)
    while model.running:
        model.step()
    return model.datacollector.get_model_vars_dataframe().reset_index(drop=True)


def simulate_many(scenario: str, strategies: Sequence[str], seeds: Sequence[Any], steps: int | None = None,
                  overrides: Sequence[dict[str, Any] | None] | None = None) -> list[pd.DataFrame]:
    """Many runs of one scenario at once on the array engine: run i has ``strategies[i]``,
    ``seeds[i]`` and ``overrides[i]``; its table equals ``simulate(scenario, strategies[i],
    seeds[i], steps, overrides[i])`` exactly."""
    count = len(strategies)
    overrides = [dict(o or {}) for o in (overrides if overrides is not None else [None] * count)]
    world = Ensemble(scenario, list(strategies), overrides, list(seeds), steps)
    history = History(world, world.max_steps + 1)
    run_to_end(world, history)
    return [history.frame(r) for r in range(count)]
