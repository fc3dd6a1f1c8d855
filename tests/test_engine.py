"""The array engine and the Mesa model are one model: replication r of an ensemble is the Mesa run
with the same seed, bit for bit, for every scenario, every strategy and random parameter points,
whatever the other replications of the ensemble are."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from multivector import model
from multivector.model.ensemble import Ensemble
from multivector.model.history import History, run_to_end
from multivector.model.simulate import simulate_many

SCENARIO_STEPS = {"kazakhstan": None, "stylised": 40, "no-west": 60, "no-institutions": 60}


def random_point(scenario: str, rng: np.random.Generator, size: int = 25) -> dict:
    """Overrides for ``size`` parameters drawn at random within their documented ranges (floats
    uniform, integers and switches at random; powers' and text parameters included)."""
    rows = [r for r in model.parameter_table(scenario) if r.type in ("float", "int", "bool", "str")]
    point = {}
    for index in rng.choice(len(rows), size=size, replace=False):
        row = rows[int(index)]
        if row.type == "bool":
            point[row.path] = bool(rng.random() < 0.5)
        elif row.type == "int":
            point[row.path] = int(rng.integers(int(row.min), int(row.max) + 1))
        elif row.type == "str":
            if row.path in ("secondary.patron", "secondary.adversary"):
                point[row.path] = str(rng.choice(model.load_scenario(scenario).power_ids))
        else:
            low = row.min if row.min is not None and math.isfinite(row.min) else row.default - 1
            high = row.max if row.max is not None and math.isfinite(row.max) else row.default + 1
            point[row.path] = float(low + (high - low) * rng.random())
    return point


@pytest.mark.parametrize("scenario", list(SCENARIO_STEPS))
def test_every_replication_equals_its_mesa_run_bit_for_bit(scenario):
    """One ensemble holds every strategy, two seeds, the scenario's defaults and two random
    parameter points; each replication's table equals ``model.simulate`` exactly."""
    rng = np.random.default_rng(list(SCENARIO_STEPS).index(scenario))
    points = [{}, random_point(scenario, rng), random_point(scenario, rng)]
    cases = [(strategy, np.random.SeedSequence(17, spawn_key=(p, s)), point)
             for p, point in enumerate(points) for s in range(2) for strategy in model.STRATEGIES]
    steps = SCENARIO_STEPS[scenario]
    frames = simulate_many(scenario, [c[0] for c in cases], [c[1] for c in cases], steps, [c[2] for c in cases])
    for (strategy, seed, point), frame in zip(cases, frames):
        expected = model.simulate(scenario, strategy, seed=np.random.SeedSequence(17, spawn_key=seed.spawn_key),
                                  steps=steps, overrides=point)
        pd.testing.assert_frame_equal(frame, expected, check_exact=True, obj=f"{scenario}/{strategy}/{point}")


def test_a_replication_does_not_depend_on_its_neighbours():
    """The same run alone, third among seven and 40th among 64 neighbours whose windows, rules and
    parameters differ gives the same numbers (sums over ring buffers and power functions are
    laid out so that no result depends on the ensemble's size)."""
    rng = np.random.default_rng(3)
    target = ("hedge", {"measures.window": 5, "perception.volatility_window": 3})

    def neighbours(n):
        return [(str(rng.choice(model.STRATEGIES)), {**random_point("kazakhstan", rng, 10),
                                                     "measures.window": int(rng.integers(1, 41)),
                                                     "perception.volatility_window": int(rng.integers(1, 41))})
                for _ in range(n)]

    results = []
    for before, after in ((0, 0), (2, 4), (39, 24)):
        runs = neighbours(before) + [target] + neighbours(after)
        seeds = [np.random.SeedSequence(99, spawn_key=(i + 1000,)) for i in range(len(runs))]
        seeds[before] = np.random.SeedSequence(99, spawn_key=(0,))
        frames = simulate_many("kazakhstan", [r[0] for r in runs], seeds, 60, [r[1] for r in runs])
        results.append(frames[before])
    for frame in results[1:]:
        pd.testing.assert_frame_equal(frame, results[0], check_exact=True)


def test_different_seeds_give_different_replications_and_one_seed_the_same():
    seeds = [np.random.SeedSequence(1), np.random.SeedSequence(2), np.random.SeedSequence(1)]
    a, b, c = simulate_many("stylised", ["hedge"] * 3, seeds, 30)
    pd.testing.assert_frame_equal(a, c, check_exact=True)
    assert not a.equals(b)


def test_history_keeps_selected_columns_as_a_long_table():
    world = Ensemble("stylised", ["hedge", "balance"], [{}, {}], [1, 2], steps=6)
    history = History(world, 7, columns=("autonomy", "coercion_A"))
    run_to_end(world, history)
    frame = history.long_frame()
    assert list(frame.columns) == ["replication", "step", "date", "autonomy", "coercion_A"]
    assert len(frame) == 14 and frame["coercion_A"].dtype == np.int64
    full = simulate_many("stylised", ["hedge", "balance"], [1, 2], 6)
    for r in range(2):
        mine = frame[frame["replication"] == r]
        assert np.array_equal(mine["autonomy"].to_numpy(), full[r]["autonomy"].to_numpy())
        assert list(mine["date"]) == list(full[r]["date"])


def test_ensemble_inputs_are_checked_like_the_models():
    with pytest.raises(model.StrategyError, match="unknown strategy 'hedging'"):
        Ensemble("stylised", ["hedge", "hedging"], [{}, {}], [1, 2])
    with pytest.raises(model.ParameterError, match="rivalry.scale"):
        Ensemble("stylised", ["hedge", "hedge"], [{}, {"rivalry.scale": -1}], [1, 2])
    with pytest.raises(model.ParameterError, match="not within"):
        Ensemble("kazakhstan", ["hedge"], [{"switch.date": "1980Q1", "switch.rule": "hedge"}], [1])
    with pytest.raises(ValueError, match="one strategy, one overrides dict and one seed"):
        Ensemble("stylised", ["hedge"], [{}, {}], [1, 2])
