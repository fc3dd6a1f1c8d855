"""Errors for invalid input to the model: each message is one line naming what is wrong."""


class ModelInputError(ValueError):
    """Base class: the caller asked for something the model does not have or accept."""


class ParameterError(ModelInputError):
    """An unknown parameter path, or a value of the wrong type or out of range."""


class ScenarioError(ModelInputError):
    """An unknown scenario, or a scenario file that does not fit the schema."""


class StrategyError(ModelInputError):
    """An unknown strategy name."""
