"""An EMA Workbench model of Multivector (``pip install 'multivector[ema]'``).

Kwakkel's EMA Workbench explores models over uncertainties (Latin hypercube, Sobol, MORDM...). This
adapter gives it the model with the parameter schema as uncertainties, each over its exploration
range (``experiments.exploration``: the calibration's accepted span, or a stated heuristic) rather
than its hard limits, the secondary's rule as a lever, and names everything as Python identifiers
(``rivalry__scale``)::

    from ema_workbench import perform_experiments
    from multivector.experiments.ema import EnsembleEvaluator, ema_model

    ema = ema_model(replications=4)                     # every parameter, four seeds per experiment
    with EnsembleEvaluator(ema) as evaluator:           # a whole batch at once on the array engine
        experiments, outcomes = evaluator.perform_experiments(scenarios=100, policies=3)

Each outcome is the mean over the experiment's replications. Replication k of every experiment
runs with seed ``seed + k`` (common random numbers: experiments differ by their uncertainties and
lever only), so experiment i's outcome is the mean of ``model.run(strategy=..., seed=seed + k,
**its uncertainties)`` over k, and EMA's own evaluators (``SequentialEvaluator``,
``MultiprocessingEvaluator``) give the same numbers as :class:`EnsembleEvaluator`, one run at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from multivector import model
from multivector.experiments.errors import UsageError
from multivector.experiments.exploration import exploration_range
from multivector.model.ensemble import strategies_of
from multivector.model.history import run_to_end
from multivector.model.outcomes import DESCRIPTIVE, MORE_IS_BETTER, MORE_IS_WORSE, column_of, sweep_outcomes
from multivector.model.record import TEXT, record_layout, record_values
from multivector.model.run import identifier_of, path_of
from multivector.model.scalars import is_integer
from multivector.model.scenarios import DEFAULT_SCENARIO

# the run outcomes a run's final quarter holds (model.outcomes: autonomy_mean, security_mean, welfare, ...)
OUTCOMES = tuple(o.sweep_column for o in sweep_outcomes())
LEVER = "strategy"  # the lever's name: the secondary's rule
SEED = "seed"  # each replication's keyword: its seed
BATCH = 2048  # runs stepped together at most (memory grows with it; speed hardly does beyond)


def direction_of(column: str, power_ids: Sequence[str]) -> int:
    """A record column's direction as declared (1 more is better, -1 more is worse, 0 descriptive)."""
    declared = column_of(column, power_ids)
    return declared.direction if declared is not None else DESCRIPTIVE


def ema_model(scenario: str = DEFAULT_SCENARIO, strategy: str = "hedge", steps: int | None = None,
              parameters: Sequence[str] | None = None, outcomes: Sequence[str] = OUTCOMES, seed: int = 0,
              replications: int = 1, strategies: Sequence[str] | None = None, name: str = "multivector"):
    """An ``ema_workbench.ReplicatorModel`` of ``scenario``.

    - uncertainties: ``parameters`` (dotted paths; default every numeric or boolean parameter of
      the scenario), each over its exploration range; the text parameters (patron, adversary,
      switch date, adaptive menu) are structural choices, not uncertainties: set them as EMA
      ``Constant``\\ s (``secondary__patron``);
    - lever ``strategy``: a ``CategoricalParameter`` over ``strategies`` (default every strategy
      the scenario allows); without policies every experiment runs ``strategy``;
    - ``replications`` runs per experiment, with seeds ``seed``, ``seed + 1``, ...;
    - outcomes: scalar ``outcomes`` (final-quarter record columns, the mean over replications), each
      to maximise, minimise or just record as declared in ``model.outcomes``.

    Bad names raise a one-line ``UsageError``."""
    from ema_workbench import (  # noqa: PLC0415 - an optional dependency
        BooleanParameter, CategoricalParameter, IntegerParameter, RealParameter, ReplicatorModel, ScalarOutcome)

    if not is_integer(replications) or replications < 1:
        raise UsageError(f"replications must be an integer >= 1, got {replications!r}")
    if not is_integer(seed) or seed < 0:
        raise UsageError(f"seed must be a non-negative integer, got {seed!r}")
    table = {info.path: info for info in model.parameter_table(scenario)}
    chosen = list(parameters) if parameters is not None else [p for p, i in table.items()
                                                               if i.type in ("float", "int", "bool")]
    recorded = set(model.record_columns(scenario))
    for path in chosen:
        if path not in table:
            raise UsageError(f"unknown parameter {path!r} for scenario {scenario!r}")
    for outcome in outcomes:
        if outcome not in recorded:
            raise UsageError(f"unknown outcome {outcome!r}")
    loaded = model.load_scenario(scenario)
    allowed = strategies_of(loaded)
    rules = tuple(strategies) if strategies is not None else allowed
    for rule in (strategy, *rules):
        if rule not in allowed:
            raise UsageError(f"unknown strategy {rule!r} for scenario {scenario!r} (known: {', '.join(allowed)})")

    def function(seed: int, strategy: str = strategy, **values):
        result = model.run(scenario=scenario, strategy=strategy, steps=steps, seed=seed,
                           **{path_of(k): v for k, v in values.items()})
        return {identifier_of(o): result[o] for o in outcomes}

    ema = ReplicatorModel(name, function=function)
    ema.multivector = BatchSpec(scenario, strategy, steps, tuple(outcomes))  # what EnsembleEvaluator reads
    ema.replications = [{SEED: int(seed) + k} for k in range(int(replications))]
    uncertainties = []
    for path in chosen:
        info, span = table[path], exploration_range(scenario, table[path])
        if info.type == "bool":
            uncertainties.append(BooleanParameter(identifier_of(path)))
        elif info.type == "int":
            low, high = int(span["explore_min"]), int(span["explore_max"])
            if high > low:
                uncertainties.append(IntegerParameter(identifier_of(path), low, high))
        elif span["explore_max"] > span["explore_min"]:
            uncertainties.append(RealParameter(identifier_of(path), span["explore_min"], span["explore_max"]))
    ema.uncertainties = uncertainties
    ema.levers = [CategoricalParameter(LEVER, list(rules))]
    kinds = {MORE_IS_BETTER: ScalarOutcome.MAXIMIZE, MORE_IS_WORSE: ScalarOutcome.MINIMIZE, DESCRIPTIVE: ScalarOutcome.INFO}
    ema.outcomes = [ScalarOutcome(identifier_of(o), kind=kinds[direction_of(o, loaded.power_ids)], function=np.mean)
                    for o in outcomes]
    return ema


class BatchSpec:
    """What a batch of experiments shares: the scenario, the default rule, the length and the outcomes."""

    def __init__(self, scenario: str, strategy: str, steps: int | None, outcomes: tuple[str, ...]):
        self.scenario, self.strategy, self.steps, self.outcomes = scenario, strategy, steps, outcomes


def run_batch(ema, points: Sequence[tuple[dict[str, Any], dict[str, Any]]]) -> list[dict[str, float]]:
    """Each point's outcomes, the mean over ``ema``'s replications, every run of every point stepped
    together as one ensemble of the array engine (which gives ``model.run``'s numbers bit for bit).

    A point is (uncertainty values, lever values) as EMA samples them (identifier names); the
    model's constants apply to every point."""
    spec: BatchSpec = ema.multivector
    constants = {c.name: c.value for c in ema.constants}
    seeds = [replication[SEED] for replication in ema.replications]
    strategies, overrides, run_seeds = [], [], []
    for values, levers in points:
        chosen = {**constants, **values}
        rule = levers.get(LEVER, chosen.pop(LEVER, spec.strategy))
        merged = {path_of(k): v for k, v in chosen.items()}
        for s in seeds:
            strategies.append(rule)
            overrides.append(merged)
            run_seeds.append(s)
    finals = np.empty((len(strategies), len(spec.outcomes)))
    world = None
    for start in range(0, len(strategies), BATCH):
        part = slice(start, start + BATCH)
        world = model.Ensemble(spec.scenario, strategies[part], overrides[part], run_seeds[part], spec.steps)
        run_to_end(world)
        finals[part] = record_values(world)[:, _columns(world.power_ids, spec.outcomes)]
    per_point = finals.reshape(len(points), len(seeds), len(spec.outcomes))
    results = []
    for row in per_point:
        outputs = {identifier_of(o): row[:, j].tolist() for j, o in enumerate(spec.outcomes)}
        results.append({o.name: o.process([outputs[v] for v in o.variable_name]) for o in ema.outcomes})
    return results


def _columns(power_ids: tuple[str, ...], outcomes: Sequence[str]) -> list[int]:
    numeric = [name for name, kind in record_layout(power_ids) if kind != TEXT]
    return [numeric.index(o) for o in outcomes]


def __getattr__(name: str):
    """``EnsembleEvaluator`` is built on first use: EMA Workbench is an optional dependency, and
    the rest of this module (``OUTCOMES``, ``direction_of``) is read without it."""
    if name == "EnsembleEvaluator":
        globals()[name] = evaluator = _ensemble_evaluator()
        return evaluator
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _ensemble_evaluator() -> type:
    from ema_workbench.em_framework.evaluators import BaseEvaluator  # noqa: PLC0415 - an optional dependency

    class EnsembleEvaluator(BaseEvaluator):
        """An EMA evaluator that runs a whole batch of experiments at once on the array engine
        (EMA's own evaluators call the model once per replication of each experiment).

        Use it like ``SequentialEvaluator``: ``with EnsembleEvaluator(ema_model(...)) as evaluator:
        evaluator.perform_experiments(scenarios=100)``; it takes models made by :func:`ema_model`."""

        def initialize(self):
            for msi in self._msis:
                if not hasattr(msi, "multivector"):
                    raise UsageError(f"EnsembleEvaluator runs models made by ema_model(), not {msi.name!r}")

        def finalize(self):
            pass

        def evaluate_experiments(self, experiments: Iterable[Any], callback: Callable, **kwargs):
            experiments = list(experiments)
            for msi in self._msis:
                mine = [e for e in experiments if e.model_name == msi.name]
                points = [(dict(e.scenario), dict(e.policy)) for e in mine]
                for experiment, outcomes in zip(mine, run_batch(msi, points)):
                    callback(experiment, outcomes)

    EnsembleEvaluator.__module__ = __name__
    return EnsembleEvaluator
