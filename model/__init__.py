"""Multivector: an agent-based model of a secondary power between great powers.

After Vanderhill, Joireman & Tulepbayeva (2020), "Between the bear and the dragon",
International Affairs 96(4): 975-993. See ``model/ODD.md`` for the full description.

This package is the simulation only: no command line, no plotting, no browser, no file writing.
"""

from multivector.model.contract import DOMAINS, numeric_outcome_columns, output_columns
from multivector.model.ensemble import HISTORICAL, Ensemble, strategies_of
from multivector.model.errors import ModelInputError, ParameterError, ScenarioError, StrategyError
from multivector.model.model import MultivectorModel
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
