"""Parameter tables and override checks for a named scenario (the CLI, sweeps and the app use these)."""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any


from multivector.model.contract import TIME_COLUMNS
from multivector.model.parameters import ParamInfo, check_overrides, parameter_rows
from multivector.model.record import TEXT, record_layout
from multivector.model.scenarios import DEFAULT_SCENARIO, load_scenario


def parameter_table(scenario: str = DEFAULT_SCENARIO) -> list[ParamInfo]:
    """Every parameter of ``scenario`` with its default, range, unit, meaning and source; a default
    the scenario's case read from data names the file, rows and year it came from."""
    sc = load_scenario(scenario)
    from_data = dict(sc.from_data)
    return [dataclasses.replace(row, source=f"data: {from_data[row.path]} (model/data/SOURCES.md); {row.source}")
            if row.path in from_data else row for row in parameter_rows(sc.parameters)]


def validate_overrides(scenario: str, overrides: dict[str, Any]) -> dict[str, Any]:
    """``overrides`` checked against ``scenario``'s schema and coerced to type; raises ParameterError."""
    return check_overrides(load_scenario(scenario).parameters, dict(overrides))


@lru_cache(maxsize=32)
def record_columns(scenario: str = DEFAULT_SCENARIO) -> tuple[str, ...]:
    """Every numeric column a run of ``scenario`` records each quarter (the data contract's and the
    extra ones, as ``model.outcomes`` declares them), in record order; for choosing what a sweep keeps."""
    layout = record_layout(load_scenario(scenario).power_ids)
    return tuple(name for name, kind in layout if kind != TEXT and name not in TIME_COLUMNS)
