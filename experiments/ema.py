"""An EMA Workbench model of Multivector (``pip install 'multivector[ema]'``).

Kwakkel's EMA Workbench explores models over uncertainties (Latin hypercube, Sobol, MORDM...). This
adapter gives it the model with the parameter schema as uncertainties, each over its exploration
range (``experiments.exploration``: the calibration's accepted span, or a stated heuristic) rather
than its hard limits, and names everything as Python identifiers (``rivalry__scale``)::

    from ema_workbench import perform_experiments
    from multivector.experiments.ema import ema_model
    experiments, outcomes = perform_experiments(ema_model(parameters=["rivalry.scale"]), scenarios=50)
"""

from __future__ import annotations

from collections.abc import Sequence

from multivector import model
from multivector.experiments.errors import UsageError
from multivector.experiments.exploration import exploration_range
from multivector.model.outcomes import DESCRIPTIVE, MORE_IS_BETTER, MORE_IS_WORSE, column_of, sweep_outcomes
from multivector.model.run import identifier_of, path_of
from multivector.model.scenarios import DEFAULT_SCENARIO

# the run outcomes a run's final quarter holds (model.outcomes: autonomy_mean, security_mean, welfare, ...)
OUTCOMES = tuple(o.sweep_column for o in sweep_outcomes())


def direction_of(column: str, power_ids: Sequence[str]) -> int:
    """A record column's direction as declared (1 more is better, -1 more is worse, 0 descriptive)."""
    declared = column_of(column, power_ids)
    return declared.direction if declared is not None else DESCRIPTIVE


def ema_model(scenario: str = DEFAULT_SCENARIO, strategy: str = "hedge", steps: int | None = None,
              parameters: Sequence[str] | None = None, outcomes: Sequence[str] = OUTCOMES, seed: int = 0,
              name: str = "multivector"):
    """An ``ema_workbench.Model`` running ``model.run``: uncertainties for ``parameters`` (dotted
    paths; default every numeric or boolean parameter of the scenario) and scalar outcomes for
    ``outcomes`` (final-quarter record columns), each to maximise, minimise or just record as
    declared in ``model.outcomes``. Every experiment uses the same ``seed``
    (common random numbers), so differences come from the uncertainties."""
    from ema_workbench import BooleanParameter, IntegerParameter, Model, RealParameter, ScalarOutcome  # noqa: PLC0415

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

    def function(**values):
        result = model.run(scenario=scenario, strategy=strategy, steps=steps, seed=seed,
                           **{path_of(k): v for k, v in values.items()})
        return {identifier_of(o): result[o] for o in outcomes}

    ema = Model(name, function=function)
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
    power_ids = model.load_scenario(scenario).power_ids
    kinds = {MORE_IS_BETTER: ScalarOutcome.MAXIMIZE, MORE_IS_WORSE: ScalarOutcome.MINIMIZE, DESCRIPTIVE: ScalarOutcome.INFO}
    ema.outcomes = [ScalarOutcome(identifier_of(o), kind=kinds[direction_of(o, power_ids)]) for o in outcomes]
    return ema
