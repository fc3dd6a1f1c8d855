"""Intervals that respect the range of what they measure."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from experiments import intervals


def test_bootstrap_stays_inside_the_data_and_is_seeded():
    rare = np.array([0.0] * 19 + [1.0])  # a Student-t interval would reach below 0
    mean, low, high = intervals.bootstrap_mean(rare)
    assert 0 <= low <= mean <= high <= 1
    assert intervals.bootstrap_mean(rare) == (mean, low, high)
    assert intervals.bootstrap_mean([0.3, 0.3, 0.3]) == (0.3, 0.3, 0.3)
    assert np.isnan(intervals.bootstrap_mean([np.nan])[0])


def test_wilson_matches_its_formula_and_stays_in_zero_one():
    share, low, high = intervals.wilson(0, 10)
    assert share == 0 and low == 0 and 0 < high < 0.35
    share, low, high = intervals.wilson(10, 10)
    assert share == 1 and high == 1 and low > 0.65
    _, low, high = intervals.wilson(50, 100)
    assert low == pytest.approx(0.4038, abs=1e-3) and high == pytest.approx(0.5962, abs=1e-3)


def test_exact_poisson_interval_is_never_negative_and_covers():
    rate, low, high = intervals.poisson_rate(0, 5)
    assert rate == 0 and low == 0 and high == pytest.approx(stats.chi2.ppf(0.975, 2) / 2 / 5)
    rng = np.random.default_rng(3)
    covered = 0
    for _ in range(400):
        counts = rng.poisson(0.7, 20)
        _, low, high = intervals.poisson_rate(int(counts.sum()), 20)
        covered += low <= 0.7 <= high
    assert covered / 400 >= 0.93, "an exact interval covers at least its level"
