"""What a worker does: run a chunk of simulations and return their rows.

Tasks carry everything a run needs (scenario, overrides, seed position), so a worker on any
machine computes the same result: a run is a pure function of its task. A run that raises is
returned as a ``failed`` row with its error; it never takes the chunk or the sweep down.

A chunk runs as one ensemble on the array engine (``engine = "array"``, the default): every run
of the chunk, whatever its strategy and factor values, is a replication stepped together with the
others, and gives the numbers the Mesa model gives for it, bit for bit. If the ensemble raises,
the chunk's runs are run again one by one on the Mesa model, so a failing run is found and
recorded as failed without taking the others with it. ``engine = "mesa"`` runs every run on the
Mesa model, one after another.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from multivector import model
from multivector.model.history import History
from multivector.model.record import TEXT, record_layout, record_values

from .seeding import run_seed, spawn_key_text


@dataclass(frozen=True)
class StopCondition:
    """End a run early when ``column`` crosses a bound (not before step ``after``)."""

    column: str
    below: float | None
    above: float | None
    after: int

    def met(self, step: int, value: float) -> bool:
        if step < self.after:
            return False
        if self.below is not None:
            return value < self.below
        return value > self.above

    def met_array(self, step: int, values: np.ndarray) -> np.ndarray:
        """:meth:`met` for every replication of an ensemble at once."""
        if step < self.after:
            return np.zeros(len(values), bool)
        return values < self.below if self.below is not None else values > self.above


@dataclass(frozen=True)
class SweepContext:
    """What every run of a sweep shares; sent once per chunk."""

    scenario: str
    steps: int
    root_entropy: int
    fixed: dict[str, Any]
    measures: tuple[str, ...]
    collect_steps: bool = False
    collect_every: int = 1
    stop: tuple[StopCondition, ...] = ()
    summaries: tuple[str, ...] = ()  # columns computed from the whole run (experiments.calibration.summary)
    engine: str = "array"  # "array": a chunk is one ensemble; "mesa": one MultivectorModel per run


@dataclass(frozen=True)
class RunTask:
    """One run: its id, its position in the seed tree, its strategy and factor values."""

    run_id: str
    point: int
    replication: int
    strategy: str
    factors: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunResult:
    row: dict[str, Any]
    steps: pd.DataFrame | None = None


ENGINES = ("array", "mesa")


def run_chunk(context: SweepContext, tasks: list[RunTask]) -> list[RunResult]:
    """Run ``tasks`` in this process (the unit of work sent to a worker): as one ensemble on the
    array engine, or one after another on the Mesa model."""
    if context.engine == "array":  # a chunk of one too: the Mesa model (and Mesa) only where a run fails
        try:
            return run_ensemble(context, tasks)
        except Exception:  # noqa: BLE001 - some run raises: find it by running them one by one
            pass
    return [run_one(context, task) for task in tasks]


def run_ensemble(context: SweepContext, tasks: list[RunTask]) -> list[RunResult]:
    """Every task of the chunk as one replication of an ensemble; the same rows (and steps) as
    :func:`run_one` gives for each. ``duration_s`` is the chunk's time divided among its runs."""
    started = time.perf_counter()
    world = model.Ensemble(context.scenario, [t.strategy for t in tasks], [{**context.fixed, **t.factors} for t in tasks],
                     [run_seed(context.root_entropy, t.point, t.replication) for t in tasks], steps=context.steps)
    layout = [name for name, kind in record_layout(world.power_ids) if kind != TEXT]
    position = {name: j for j, name in enumerate(layout)}
    measures = np.array([position[m] for m in context.measures])
    stop_columns = [position[rule.column] for rule in context.stop]
    count = len(tasks)
    whole_runs = bool(context.summaries)
    # every column when run summaries need whole tables; else only the measures the steps keep
    history = (History(world, context.steps + 1, None if whole_runs else tuple(context.measures))
               if (context.collect_steps or whole_runs) else None)
    finals = np.full((count, len(measures)), np.nan)
    steps_run = np.zeros(count, dtype=np.int64)
    stopped_by = [""] * count
    running = np.ones(count, bool)
    per_quarter = history is not None or bool(context.stop)  # else only the last quarter's record is read
    values = record_values(world) if per_quarter else None
    if history is not None:
        history.add(world, values)
    step = 0
    while world.running and step < context.steps and running.any():
        world.step()
        step += 1
        if not per_quarter:
            continue
        values = record_values(world)
        if history is not None:
            history.add(world, values)
        for index, (rule, column) in enumerate(zip(context.stop, stop_columns)):
            met = running & rule.met_array(step, values[:, column])
            if met.any():
                finals[met] = values[met][:, measures]
                steps_run[met] = step
                running &= ~met
                for r in np.nonzero(met)[0]:
                    stopped_by[r] = f"stop[{index}]"
    if not per_quarter:
        values = record_values(world)
    finals[running] = values[running][:, measures]
    steps_run[running] = step
    summaries = _score_history(context, history, steps_run) if whole_runs else {}
    duration = (time.perf_counter() - started) / count
    results = []
    for r, task in enumerate(tasks):
        row = _identity(context, task)
        outcome = dict(zip(context.measures, finals[r].tolist()))
        outcome.update({name: float(values[r]) for name, values in summaries.items()})
        row.update(status="ok", error="", **outcome, steps_run=int(steps_run[r]), stopped_by=stopped_by[r],
                   duration_s=duration)
        steps_frame = (_steps_from_history(context, task, history, r, int(steps_run[r]))
                       if context.collect_steps else None)
        results.append(RunResult(row, steps_frame))
    return results


def _score_history(context: SweepContext, history: History, steps_run: np.ndarray) -> dict[str, np.ndarray]:
    """The run summaries (the scenario's case-pack facts and fits) of every run of the ensemble at
    once, from its history's arrays."""
    from multivector.experiments.calibration.summary import case_pack, score  # noqa: PLC0415 - only sweeps that ask need it
    from multivector.experiments.cases.facts import Runs  # noqa: PLC0415

    return score(Runs.from_history(history, steps_run), case_pack(context.scenario))


def run_one(context: SweepContext, task: RunTask) -> RunResult:
    """Run one simulation; any exception becomes a failed row, not a crash."""
    started = time.perf_counter()
    try:
        finals, steps_run, stopped_by, steps_frame = _simulate(context, task)
    except Exception as err:  # noqa: BLE001 - a failed run is data, the sweep goes on
        error = f"{type(err).__name__}: {' '.join(str(err).split())}"
        return RunResult(failed_row(context, task, error, time.perf_counter() - started))
    row = _identity(context, task)
    row.update(status="ok", error="", **finals, steps_run=steps_run, stopped_by=stopped_by,
               duration_s=time.perf_counter() - started)
    return RunResult(row, steps_frame)


def failed_row(context: SweepContext, task: RunTask, error: str, duration_s: float) -> dict[str, Any]:
    """The runs-table row of a run that did not finish: outcomes are NaN, the error is kept."""
    row = _identity(context, task)
    row.update(status="failed", error=error[:2000], **{m: math.nan for m in context.measures},
               **{c: math.nan for c in context.summaries},
               steps_run=-1, stopped_by="", duration_s=duration_s)
    return row


def _identity(context: SweepContext, task: RunTask) -> dict[str, Any]:
    return {
        "run_id": task.run_id,
        "point": task.point,
        "replication": task.replication,
        "seed_entropy": context.root_entropy,
        "spawn_key": spawn_key_text(task.point, task.replication),
        "strategy": task.strategy,
        **task.factors,
    }


def _simulate(context: SweepContext, task: RunTask):
    overrides = {**context.fixed, **task.factors}
    simulation = model.MultivectorModel(
        scenario=context.scenario,
        strategy=task.strategy,
        overrides=overrides or None,
        steps=context.steps,
        rng=run_seed(context.root_entropy, task.point, task.replication),
        # final values only: skip per-quarter collection unless steps or run summaries need it
        collect=context.collect_steps or bool(context.summaries),
    )
    # ``record`` holds the current quarter's row; per-quarter history is only kept when asked for.
    stopped_by = ""
    step = 0
    while simulation.running and step < context.steps:
        simulation.step()
        step += 1
        for index, rule in enumerate(context.stop):
            if rule.met(step, float(simulation.record[rule.column])):
                stopped_by = f"stop[{index}]"
                break
        if stopped_by:
            break
    finals = {measure: float(simulation.record[measure]) for measure in context.measures}
    if context.summaries:
        from multivector.experiments.calibration.summary import case_pack, score  # noqa: PLC0415 - only sweeps that ask need it
        from multivector.experiments.cases.facts import Runs  # noqa: PLC0415

        frame = pd.DataFrame(simulation.datacollector.model_vars)
        columns = score(Runs.from_frames([frame], simulation.power_ids), case_pack(context.scenario))
        finals.update({name: float(values[0]) for name, values in columns.items()})
    steps_frame = (_steps_frame(context, task, simulation.datacollector.model_vars)
                   if context.collect_steps else None)
    return finals, step, stopped_by, steps_frame


def _kept_steps(context: SweepContext, last: int) -> list[int]:
    return sorted(set(range(0, last + 1, context.collect_every)) | {last})


def _steps_table(context: SweepContext, task: RunTask, kept: list[int], dates, column) -> pd.DataFrame:
    """The steps rows of one run: its kept quarters, their dates and ``column(measure)`` for each measure."""
    frame = pd.DataFrame({"run_id": task.run_id, "step": np.asarray(kept, dtype="int64")})
    frame["date"] = dates
    for measure in context.measures:
        frame[measure] = np.asarray(column(measure), dtype="float64")
    return frame


def _steps_from_history(context: SweepContext, task: RunTask, history: History, replication: int,
                        last: int) -> pd.DataFrame:
    kept = _kept_steps(context, last)
    block = history.values[kept, replication]
    positions = {name: j for j, (name, _) in enumerate(history.numeric)}
    return _steps_table(context, task, kept, [history.dates[i] for i in kept],
                        lambda measure: block[:, positions[measure]])


def _steps_frame(context: SweepContext, task: RunTask, collected: dict) -> pd.DataFrame:
    kept = _kept_steps(context, len(collected[context.measures[0]]) - 1)
    dates = collected.get("date")
    return _steps_table(context, task, kept, [str(dates[i]) for i in kept] if dates is not None else "",
                        lambda measure: [collected[measure][i] for i in kept])
