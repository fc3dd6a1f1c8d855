"""Ranges for exploring the parameter space (``params --json``, the EMA adapter), next to the
schema's hard limits, which say only what the model accepts.

A parameter the scenario's calibration fitted ranges over the span of its posterior sample
(``experiments/data/calibration-SCENARIO/sets.csv``). Any other number ranges from half to twice
its default within the hard limits (from the lower limit to a quarter of the way up when the default
is 0): a heuristic, said as such in ``explore_source``.
"""

from __future__ import annotations

import pandas as pd

from multivector.experiments.sweep.parameter_sets import calibration_names, posterior_table
from multivector.model.parameters import ParamInfo

HEURISTIC = "heuristic: half to twice the default, within the hard limits"


def _accepted(scenario: str) -> pd.DataFrame | None:
    """The scenario's calibration's posterior sample (a calibration is named after its scenario), if any."""
    return posterior_table(scenario) if scenario in calibration_names() else None


def exploration_range(scenario: str, info: ParamInfo) -> dict:
    """``{"explore_min", "explore_max", "explore_source"}`` for one parameter (None for text)."""
    if info.type == "bool":
        return {"explore_min": False, "explore_max": True, "explore_source": "both values"}
    if info.type not in ("float", "int") or info.default is None:
        return {"explore_min": None, "explore_max": None, "explore_source": "not numeric"}
    accepted = _accepted(scenario)
    if accepted is not None and info.path in accepted.columns:
        column = accepted[info.path]
        return {"explore_min": float(column.min()), "explore_max": float(column.max()),
                "explore_source": f"posterior sample of calibration '{scenario}' ({len(column)} sets)"}
    low = info.min if info.min is not None else float("-inf")
    high = info.max if info.max is not None else float("inf")
    default = float(info.default)
    if default > 0:
        span = (max(low, default / 2), min(high, default * 2))
    elif default < 0:
        span = (max(low, default * 2), min(high, default / 2))
    else:
        span = (low, low + (high - low) / 4) if high != float("inf") else (low, 1.0)
    if info.type == "int":
        span = (int(round(span[0])), int(round(span[1])))
    return {"explore_min": span[0], "explore_max": span[1], "explore_source": HEURISTIC}
