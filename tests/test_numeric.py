"""The engine's short-axis reductions and its random block equal numpy's own, bit for bit.

``numeric.total`` and ``numeric.largest`` replace ``sum``/``max`` over the power and domain axes
on the quarter's hot path; ``draws.draw_quarter`` fills each replication's block from its own
generator. Any difference in a single bit would break the golden runs and the engine == Mesa
identity, so each is checked against numpy on awkward values (signed zeros, NaN, infinities,
magnitudes far apart) for every axis and every length the model uses and beyond.
"""

from __future__ import annotations

import numpy as np
import pytest

from multivector.model.draws import draw_quarter, normal_count, uniform_count
from multivector.model.numeric import largest, total


def awkward(shape, seed):
    """Values whose sums depend on the order of addition, with zeros of both signs."""
    rng = np.random.default_rng(seed)
    values = rng.standard_normal(shape) * 10.0 ** rng.integers(-12, 12, shape)
    values[rng.random(shape) < 0.1] = 0.0
    values[rng.random(shape) < 0.1] = -0.0
    return values


SHAPES = [((50, n), 1) for n in range(1, 10)] + [((40, n, 3), 1) for n in range(1, 10)] \
    + [((40, 3, n), 2) for n in range(1, 10)] + [((30, n, n, 3), 2) for n in (2, 3, 4, 6)] \
    + [((30, n, n), 1) for n in (2, 3, 6)] + [((30, 4, 3), -2), ((30, 4, 3), -1)]


@pytest.mark.parametrize(("shape", "axis"), SHAPES)
def test_total_is_numpys_sum_bit_for_bit(shape, axis):
    values = awkward(shape, len(shape) * 10 + shape[axis])
    for keepdims in (False, True):
        assert total(values, axis, keepdims=keepdims).tobytes() == values.sum(axis=axis, keepdims=keepdims).tobytes()


@pytest.mark.parametrize(("shape", "axis"), SHAPES)
def test_largest_is_numpys_max_bit_for_bit(shape, axis):
    values = awkward(shape, len(shape) * 10 + shape[axis] + 1)
    for keepdims in (False, True):
        assert largest(values, axis, keepdims=keepdims).tobytes() == values.max(axis=axis, keepdims=keepdims).tobytes()
        assert (largest(values, axis, initial=0.0, keepdims=keepdims).tobytes()
                == values.max(axis=axis, initial=0.0, keepdims=keepdims).tobytes())


def test_all_negative_zeros_sum_to_positive_zero_as_numpy_does():
    values = np.full((4, 3), -0.0)
    assert np.signbit(values.sum(axis=1)).tobytes() == np.signbit(total(values, 1)).tobytes()


def test_nan_and_infinities_propagate_as_in_numpy():
    values = np.array([[np.nan, 1.0, 2.0], [np.inf, -np.inf, 0.0], [1.0, np.inf, -1.0], [-0.0, 0.0, np.nan]])
    with np.errstate(invalid="ignore"):
        for axis in (0, 1):
            assert total(values, axis).tobytes() == values.sum(axis=axis).tobytes()
            assert largest(values, axis).tobytes() == values.max(axis=axis).tobytes()


def test_integer_and_boolean_arrays_keep_numpys_types():
    flags = np.array([[True, True, False], [True, False, False]])
    assert total(flags, 1).tolist() == [2, 1]  # counted, not or-ed
    assert total(flags.astype(np.int64), 1).dtype == np.int64
    assert largest(flags, 1).tolist() == [True, True]


def test_an_empty_axis_takes_the_initial_value():
    assert largest(np.empty((3, 0)), 1, initial=0.0).tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("powers", [2, 3, 4, 6])
def test_the_quarters_block_is_each_generators_own_stream(powers):
    seeds = [np.random.SeedSequence(7, spawn_key=(r,)) for r in range(5)]
    rngs = [np.random.default_rng(s) for s in seeds]
    blocks = [draw_quarter(rngs, powers) for _ in range(3)]
    for r, seed in enumerate(seeds):
        alone = np.random.default_rng(seed)
        for block in blocks:
            assert block.uniform[r].tobytes() == alone.random(uniform_count(powers)).tobytes()
            assert block.normal[r].tobytes() == alone.standard_normal(normal_count(powers)).tobytes()
