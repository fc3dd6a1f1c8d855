"""Parameter tables and override checks for a named scenario (the CLI, sweeps and the app use these)."""

from __future__ import annotations

from typing import Any

from functools import lru_cache

from model.parameters import ParamInfo, check_overrides, parameter_rows
from model.scenarios import load_scenario
from model.scenarios import DEFAULT_SCENARIO


def parameter_table(scenario: str = DEFAULT_SCENARIO) -> list[ParamInfo]:
    """Every parameter of ``scenario`` with its default, range, unit, meaning and source."""
    return parameter_rows(load_scenario(scenario).parameters)


def validate_overrides(scenario: str, overrides: dict[str, Any]) -> dict[str, Any]:
    """``overrides`` checked against ``scenario``'s schema and coerced to type; raises ParameterError."""
    return check_overrides(load_scenario(scenario).parameters, dict(overrides))


@lru_cache(maxsize=32)
def record_columns(scenario: str = DEFAULT_SCENARIO) -> tuple[str, ...]:
    """Every numeric column a run of ``scenario`` records each quarter (the data contract's and the
    extra ones), in record order; for choosing what a sweep keeps."""
    from model.model import MultivectorModel  # noqa: PLC0415 - the model module imports this one's neighbours

    record = MultivectorModel(scenario=scenario, steps=0, rng=0, collect=False).record
    return tuple(c for c, v in record.items() if c not in ("step", "date", "year")
                 and isinstance(v, (int, float)) and not isinstance(v, bool))
