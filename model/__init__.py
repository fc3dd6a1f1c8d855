"""Multivector: an agent-based model of a secondary power between great powers.

After Vanderhill, Joireman & Tulepbayeva (2020), "Between the bear and the dragon",
International Affairs 96(4): 975-993. See ``model/ODD.md`` for the full description.

This package is the simulation only: no command line, no plotting, no browser, no file writing.

``MultivectorModel`` (the Mesa model) is imported on first use: the array engine and everything a
sweep's worker runs need no Mesa, whose import (with scipy and networkx) costs more than a
thousand runs of the engine.
"""

from multivector.model.contract import DOMAINS, numeric_outcome_columns, output_columns
from multivector.model.ensemble import HISTORICAL, Ensemble, strategies_of
from multivector.model.errors import ModelInputError, ParameterError, ScenarioError, StrategyError
from multivector.model.outcomes import OUTCOME, OUTCOME_COLUMNS, OUTCOMES, Outcome
from multivector.model.parameters import ParamInfo, Parameters
from multivector.model.rules import ADAPTIVE_MENU, FIXED_RULES, OWN_PARAMETERS, RULES, STRATEGIES
from multivector.model.scenarios import DEFAULT_SCENARIO, Event, Scenario, describe_scenarios, load_scenario, scenario_names
from multivector.model.run import run
from multivector.model.simulate import simulate, simulate_many
from multivector.model.validation import parameter_table, record_columns, validate_overrides

__all__ = [
    "DOMAINS", "OUTCOME", "OUTCOME_COLUMNS", "OUTCOMES", "Outcome", "numeric_outcome_columns", "output_columns",
    "ModelInputError",
    "ParameterError", "ScenarioError", "StrategyError", "MultivectorModel", "Ensemble", "simulate_many", "ParamInfo",
    "Parameters",
    "ADAPTIVE_MENU", "FIXED_RULES", "OWN_PARAMETERS", "RULES", "STRATEGIES", "Event", "Scenario", "describe_scenarios",
    "load_scenario", "scenario_names",
    "simulate", "parameter_table", "record_columns", "validate_overrides", "run", "HISTORICAL", "strategies_of",
    "DEFAULT_SCENARIO",
]

LAZY = {"MultivectorModel": "multivector.model.model"}  # name -> module, imported on first use


def __getattr__(name: str):
    if name in LAZY:
        import importlib  # noqa: PLC0415

        value = getattr(importlib.import_module(LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(LAZY))
