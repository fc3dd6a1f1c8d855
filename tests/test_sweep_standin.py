"""A small stand-in for the ``model`` API, for sweep tests that must control the model.

It mimics the calls the sweep layer makes (``load_scenario``, ``parameter_table``,
``validate_overrides``, ``MultivectorModel`` with a Mesa DataCollector) on a tiny random walk,
and it can be told to raise (``secondary.crash = true``) or to kill its worker process
(``perception.volatility_window = 40``), which the real model never does: that is how the
tests check that such runs become failed rows and cost nothing else.

Tests that need it use the ``standin_model`` fixture; it patches the imported ``model``
module in this process only, so it pairs with in-process executors (threads).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import mesa
import numpy as np
import pytest

from multivector import model as real_model
from multivector.model.contract import DOMAINS, numeric_outcome_columns, output_columns

POWERS = ("RUS", "CHN", "WEST")
STRATEGIES = ("balance", "bandwagon", "bandwagon-profit", "hedge", "adaptive")


class StandInError(ValueError):
    pass


class StandInParameterError(StandInError):
    pass


class StandInScenarioError(StandInError):
    pass


@dataclass(frozen=True)
class Info:
    path: str
    type: str
    default: object
    min: float | None
    max: float | None
    unit: str = ""
    description: str = ""
    source: str = ""
    group: str = ""


TABLE = (
    Info("rivalry.scale", "float", 0.5, 0.0, 1.0),
    Info("reactions.pressure_cost", "float", 0.3, 0.0, 1.0),
    Info("secondary.risk_aversion", "float", 2.0, 0.0, 5.0),
    Info("perception.volatility_window", "int", 8, 1, 40),
    Info("secondary.crash", "bool", False, None, None),
)


@dataclass(frozen=True)
class Scenario:
    name: str
    power_ids: tuple[str, ...] = POWERS
    steps: int = 12
    description: str = "stand-in"
    case: object = None  # no real case behind it (so no "historical" strategy)


def load_scenario(name):
    if name not in ("stylised", "kazakhstan"):
        raise StandInScenarioError(f"unknown scenario {name!r}")
    return Scenario(name)


def parameter_table(scenario):
    load_scenario(scenario)
    return list(TABLE)


def validate_overrides(scenario, overrides):
    table = {info.path: info for info in TABLE}
    out = {}
    for path, value in overrides.items():
        info = table.get(path)
        if info is None:
            raise StandInParameterError(f"{path}: unknown parameter")
        if info.type == "bool":
            if not isinstance(value, bool):
                raise StandInParameterError(f"{path}: expected true or false")
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            raise StandInParameterError(f"{path}: expected a number")
        elif info.type == "int":
            if float(value) != int(value):
                raise StandInParameterError(f"{path}: expected an integer")
            value = int(value)
        else:
            value = float(value)
        if info.min is not None and not (info.min <= value <= info.max):
            raise StandInParameterError(f"{path}: {value} is outside [{info.min}, {info.max}]")
        out[path] = value
    return out


class MultivectorModel(mesa.Model):
    """A random walk whose drift depends on strategy and parameters (not a theory of anything)."""

    def __init__(self, scenario="stylised", strategy="hedge", overrides=None, steps=None, rng=None, collect=True):
        super().__init__(rng=rng)
        self.collect = collect
        values = {info.path: info.default for info in TABLE}
        values.update(validate_overrides(scenario, overrides or {}))
        if strategy not in STRATEGIES:
            raise StandInError(f"unknown strategy {strategy!r}")
        self.values = values
        self.strategy = strategy
        self.max_steps = steps if steps is not None else load_scenario(scenario).steps
        self.level = np.full(len(numeric_outcome_columns(POWERS)), 0.5)
        self.drift = 0.02 * (STRATEGIES.index(strategy) - 2) + 0.05 * (values["rivalry.scale"] - 0.5) \
            - 0.03 * values["reactions.pressure_cost"]
        columns = numeric_outcome_columns(POWERS)
        reporters = {name: (lambda m, i=i: float(m.level[i])) for i, name in enumerate(columns)}
        reporters["date"] = lambda m: f"Q{m.steps}"
        self.reporters = reporters
        self.datacollector = mesa.DataCollector(model_reporters=reporters)
        self.datacollector.collect(self)

    @property
    def record(self):
        """The current quarter's row, as the real model keeps it."""
        return {name: report(self) for name, report in self.reporters.items()}

    def step(self):
        if self.values["secondary.crash"] and self.steps >= 2:
            raise RuntimeError("stand-in crash requested")
        if self.values["perception.volatility_window"] == 40 and self.steps >= 2:
            os._exit(3)  # the worker process dies, as on an out-of-memory kill or a segfault
        noise = self.rng.normal(0.0, 0.05, size=self.level.shape)
        self.level = np.clip(self.level + self.drift + noise, 0.0, 1.0)
        if self.collect:
            self.datacollector.collect(self)
        if self.steps >= self.max_steps:
            self.running = False


def record_columns(scenario="stylised"):
    return tuple(numeric_outcome_columns(POWERS))


class Ensemble:
    """The stand-in has no array engine: a sweep's chunk falls back to one model per run."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError("the stand-in has no array engine")


PATCH = {
    "Ensemble": Ensemble,
    "STRATEGIES": STRATEGIES,
    "DOMAINS": DOMAINS,
    "ModelInputError": StandInError,
    "ParameterError": StandInParameterError,
    "ScenarioError": StandInScenarioError,
    "load_scenario": load_scenario,
    "parameter_table": parameter_table,
    "validate_overrides": validate_overrides,
    "MultivectorModel": MultivectorModel,
    "output_columns": output_columns,
    "numeric_outcome_columns": numeric_outcome_columns,
    "record_columns": record_columns,
}


@pytest.fixture
def standin_model(monkeypatch):
    """Replace the model API with the stand-in, in this process, for one test. Caches filled from the
    stand-in are emptied afterwards, so no later test reads the stand-in's parameters."""
    from multivector.experiments.sweep import experiment  # noqa: PLC0415

    experiment._parameter_info.cache_clear()
    for name, value in PATCH.items():
        monkeypatch.setattr(real_model, name, value, raising=False)
    yield real_model
    experiment._parameter_info.cache_clear()
