"""Parameter tables and override checks for a named scenario (the CLI, sweeps and the app use these)."""

from __future__ import annotations

from typing import Any

from model.parameters import ParamInfo, check_overrides, parameter_rows
from model.scenarios import load_scenario


def parameter_table(scenario: str = "kazakhstan") -> list[ParamInfo]:
    """Every parameter of ``scenario`` with its default, range, unit, meaning and source."""
    return parameter_rows(load_scenario(scenario).parameters)


def validate_overrides(scenario: str, overrides: dict[str, Any]) -> dict[str, Any]:
    """``overrides`` checked against ``scenario``'s schema and coerced to type; raises ParameterError."""
    return check_overrides(load_scenario(scenario).parameters, dict(overrides))
