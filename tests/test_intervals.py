"""Intervals that stay inside the range of what they describe (experiments/intervals.py)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from multivector.experiments.intervals import bootstrap_percentile, poisson_exact, wilson

values = st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=30)


@given(values)
def test_bootstrap_interval_lies_within_the_values_and_around_the_mean(sample):
    mean, low, high = bootstrap_percentile(sample)
    assert min(sample) <= low <= mean <= high <= max(sample)


def test_bootstrap_is_repeatable_and_narrows_with_more_runs():
    rng = np.random.default_rng(1)
    few, many = rng.normal(0.5, 0.1, 5), rng.normal(0.5, 0.1, 500)
    assert bootstrap_percentile(few) == bootstrap_percentile(few)
    assert np.ptp(bootstrap_percentile(many)[1:]) < np.ptp(bootstrap_percentile(few)[1:])
    assert bootstrap_percentile([0.2, 0.2, 0.2]) == (0.2, 0.2, 0.2)


def test_two_replications_no_longer_give_an_interval_outside_the_range():
    # Issue 8: Student-t gave [-2.1, 2.79] for an autonomy measured in [0, 1].
    _mean, low, high = bootstrap_percentile([0.1, 0.6])
    assert 0.1 <= low and high <= 0.6


@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_stays_in_the_unit_interval_and_holds_the_share(case):
    successes, trials = case
    share, low, high = wilson(successes, trials)
    assert 0.0 <= low <= share <= high <= 1.0


def test_poisson_exact_known_values():
    assert poisson_exact(0)[1:] == pytest.approx((0.0, 3.6889), abs=1e-4)  # the "rule of three"
    rate, low, high = poisson_exact(3, exposure=20)  # 3 events over 20 runs
    assert rate == 0.15 and 0.0 < low < rate < high
    assert (low * 20, high * 20) == pytest.approx((0.6187, 8.7673), abs=1e-4)
    with pytest.raises(ValueError):
        poisson_exact(-1)


def test_table_cells_drop_missing_values_and_keep_to_the_range():
    from multivector.experiments.intervals import bootstrap_mean

    rare = np.array([0.0] * 19 + [1.0, np.nan])  # a Student-t interval would reach below 0
    mean, low, high = bootstrap_mean(rare)
    assert 0 <= low <= mean <= high <= 1 and mean == pytest.approx(0.05)
    assert bootstrap_mean(rare) == (mean, low, high)
    assert all(np.isnan(bootstrap_mean([np.nan])))


def test_bootstrap_in_blocks_draws_exactly_what_one_draw_would(monkeypatch):
    """Blocked draws keep memory bounded and give the very same interval as one big draw."""
    from multivector.experiments import intervals

    values = np.random.default_rng(3).random(101)  # odd n: blocks must still line up
    whole = bootstrap_percentile(values)
    monkeypatch.setattr(intervals, "BOOTSTRAP_BLOCK_VALUES", 101 * 7)  # 6 rows a block
    assert bootstrap_percentile(values) == whole
    rng = np.random.default_rng(intervals.BOOTSTRAP_SEED)
    means = values[rng.integers(0, values.size, size=(intervals.BOOTSTRAP_RESAMPLES, values.size))].mean(axis=1)
    tail = (1.0 - 0.95) / 2.0
    low, high = np.quantile(means, [tail, 1.0 - tail])
    assert whole[1:] == (float(low), float(high))


def test_bootstrap_of_a_million_runs_uses_the_normal_interval():
    """Above NORMAL_ABOVE runs (a 1,000,000-point sweep) the interval is mean +- 1.96 sd/sqrt(n)."""
    values = np.random.default_rng(5).random(1_000_000)
    mean, low, high = bootstrap_percentile(values)
    half = 1.959963984540054 * values.std(ddof=1) / 1000.0
    assert abs(mean - values.mean()) < 1e-12 and abs((high - low) / 2 - half) < 1e-9
