"""Run one simulation to the end and return its per-quarter table."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from model.model import MultivectorModel


def simulate(scenario: str = "kazakhstan", strategy: str = "hedge", seed: int | np.random.SeedSequence | None = 0,
             steps: int | None = None, overrides: dict[str, Any] | None = None) -> pd.DataFrame:
    """One run: a DataFrame with one row per quarter, the initial state (step 0) included.

    The result is a pure function of the arguments and ``seed``.
    """
    model = MultivectorModel(scenario=scenario, strategy=strategy, overrides=overrides, steps=steps, rng=seed)
    while model.running:
        model.step()
    return model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
