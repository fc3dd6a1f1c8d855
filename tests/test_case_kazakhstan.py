"""Kazakhstan's case pack: the facts P1-P10 and the trade and arms fits, scored on arrays for a
whole ensemble at once."""

from __future__ import annotations

import numpy as np
import pytest

import model
from experiments.calibration import summary
from experiments.cases import pack
from experiments.cases.facts import Runs
from model.history import History, run_to_end


@pytest.fixture(scope="module")
def ensemble():
    """A dozen runs of three rules over varied reactions, so verdicts differ between runs."""
    rng = np.random.default_rng(0)
    R = 12
    strategies = ["hedge", "bandwagon", "balance"] * (R // 3)
    overrides = [{"reactions.coercion_intercept": float(rng.uniform(-4, 3)),
                  "powers.RUS.pressure_threshold": float(rng.uniform(-0.2, 0.5)),
                  "powers.RUS.tolerance": float(rng.uniform(-0.1, 0.5))} for _ in range(R)]
    world = model.Ensemble("kazakhstan", strategies, overrides,
                           [np.random.SeedSequence(5, spawn_key=(r,)) for r in range(R)])
    history = History(world, world.max_steps + 1)
    run_to_end(world, history)
    return history


def test_the_pack_is_found_by_its_scenario_and_lists_ten_facts():
    found = pack("kazakhstan")
    assert found is not None and [f.id for f in found.facts] == [f"P{i}" for i in range(1, 11)]
    assert {s.kind for s in found.extras["fit"]} == {"trade", "arms"}


def test_array_scoring_agrees_with_the_per_run_pandas_patterns(ensemble):
    """The array facts give the old pandas patterns' verdicts and figures, run by run (before
    their meaning changes)."""
    from experiments.calibration import patterns as old

    columns = summary.score(Runs.from_history(ensemble), pack("kazakhstan"))
    for r in range(ensemble.values.shape[1]):
        frame = ensemble.frame(r)
        for result in old.evaluate(frame):
            assert columns[result.id][r] == float(result.passed), (r, result.id)
            assert columns[f"{result.id}_figure"][r] == pytest.approx(result.figure, rel=1e-9, abs=1e-12)


def test_runs_from_frames_and_from_history_score_alike(ensemble):
    frames = [ensemble.frame(r) for r in range(3)]
    case = pack("kazakhstan")
    one_by_one = summary.score(Runs.from_frames(frames, ("RUS", "CHN", "WEST")), case)
    together = summary.score(Runs.from_history(ensemble), case)
    for name, values in one_by_one.items():
        np.testing.assert_allclose(values, together[name][:3], rtol=1e-12, equal_nan=True, err_msg=name)
