"""Parameter tables and override checks for a named scenario (the CLI, sweeps and the app use these)."""

from __future__ import annotations

from typing import Any

from functools import lru_cache

from model.contract import TIME_COLUMNS
from model.parameters import ParamInfo, check_overrides, parameter_rows
from model.record import TEXT, record_layout
from model.scenarios import load_scenario


def parameter_table(scenario: str = "kazakhstan") -> list[ParamInfo]:
    """Every parameter of ``scenario`` with its default, range, unit, meaning and source."""
    return parameter_rows(load_scenario(scenario).parameters)


def validate_overrides(scenario: str, overrides: dict[str, Any]) -> dict[str, Any]:
    """``overrides`` checked against ``scenario``'s schema and coerced to type; raises ParameterError."""
    return check_overrides(load_scenario(scenario).parameters, dict(overrides))


@lru_cache(maxsize=32)
def record_columns(scenario: str = "kazakhstan") -> tuple[str, ...]:
    """Every numeric column a run of ``scenario`` records each quarter (the data contract's and the
    extra ones, as ``model.outcomes`` declares them), in record order; for choosing what a sweep keeps."""
    layout = record_layout(load_scenario(scenario).power_ids)
    return tuple(name for name, kind in layout if kind != TEXT and name not in TIME_COLUMNS)
