"""Confidence intervals that stay inside the range of the quantity they describe.

A Student-t interval around a mean of bounded values can leave their range (a share below 0,
a count of events below 0) when replications are few or values pile up at a bound. These do
not:

- ``bootstrap_percentile``: any per-run measure; the interval lies within the runs' values
  (Efron & Tibshirani 1993, ch. 13), hence within the measure's range.
- ``wilson``: a share of successes in trials, inside [0, 1] (Wilson 1927).
- ``poisson_exact``: a rate of events per unit of exposure, never below 0 (Garwood 1936).

Each returns ``(estimate, low, high)``. The bootstrap draws from its own generator with a fixed
seed, so the same values always give the same interval (the CLI and the app agree).
"""

import numpy as np
from scipy import stats

BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 0
BOOTSTRAP_BLOCK_VALUES = 4_000_000  # indices drawn at once (32 MB), whatever the number of runs
NORMAL_ABOVE = 100_000  # runs above which the interval is the normal approximation


def bootstrap_percentile(values, level: float = 0.95, resamples: int = BOOTSTRAP_RESAMPLES,
                         seed: int = BOOTSTRAP_SEED) -> tuple[float, float, float]:
    """Mean and percentile-bootstrap interval of ``values`` (one value per run).

    A single value, or identical values, give an interval of zero width. Memory stays bounded at
    any n: the resamples are drawn in blocks of at most ``BOOTSTRAP_BLOCK_VALUES`` indices (the same
    numbers, in the same order, as one draw), and above ``NORMAL_ABOVE`` values the interval is the
    normal approximation mean +- z * sd / sqrt(n), whose error at such n is far below the rounding
    of any table (the sample mean of bounded values is normal to within O(1/sqrt(n)), Berry-Esseen)."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        raise ValueError("bootstrap_percentile needs at least one value")
    if np.all(values == values[0]):
        return (float(values[0]),) * 3  # no spread (and no rounding error in the mean)
    mean = float(values.mean())
    tail = (1.0 - level) / 2.0
    if values.size > NORMAL_ABOVE:
        half = float(stats.norm.ppf(1.0 - tail)) * float(values.std(ddof=1)) / np.sqrt(values.size)
        low, high = mean - half, mean + half
    else:
        means = _resampled_means(values, resamples, seed)
        low, high = np.quantile(means, [tail, 1.0 - tail])
    # Rounding in the resampled means must not push the interval past the mean or the data.
    return mean, float(max(min(low, mean), values.min())), float(min(max(high, mean), values.max()))


def _resampled_means(values: np.ndarray, resamples: int, seed: int) -> np.ndarray:
    """The means of ``resamples`` bootstrap resamples, drawn in blocks of an even number of rows
    (numpy fills bounded integers from 32-bit halves of 64-bit draws and drops an odd leftover at
    the end of a call, so even-sized blocks give exactly the numbers of one big draw)."""
    rng = np.random.default_rng(seed)
    rows = max(2, (BOOTSTRAP_BLOCK_VALUES // values.size) // 2 * 2)
    means = np.empty(resamples)
    for first in range(0, resamples, rows):
        count = min(rows, resamples - first)
        means[first:first + count] = values[rng.integers(0, values.size, size=(count, values.size))].mean(axis=1)
    return means


def wilson(successes: float, trials: float, level: float = 0.95) -> tuple[float, float, float]:
    """Share ``successes / trials`` and its Wilson score interval (inside [0, 1])."""
    if trials <= 0:
        raise ValueError("wilson needs at least one trial")
    if not 0 <= successes <= trials:
        raise ValueError(f"successes must be in [0, {trials}], got {successes}")
    share = successes / trials
    z = float(stats.norm.ppf(0.5 + level / 2))
    centre = (share + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z / (1 + z * z / trials) * np.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials))
    # Clamped to the share as well: rounding must not put 0 successes above their own interval.
    return float(share), float(min(share, max(0.0, centre - half))), float(max(share, min(1.0, centre + half)))


def poisson_exact(count: float, exposure: float = 1.0, level: float = 0.95) -> tuple[float, float, float]:
    """Rate ``count / exposure`` and its exact (Garwood) Poisson interval, never below 0.

    For the mean events per run over n runs, pass the total count and ``exposure=n``."""
    if exposure <= 0:
        raise ValueError("poisson_exact needs a positive exposure")
    if count < 0:
        raise ValueError(f"count must be >= 0, got {count}")
    alpha = 1.0 - level
    low = 0.0 if count == 0 else float(stats.chi2.ppf(alpha / 2, 2 * count) / 2)
    high = float(stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2)
    return float(count / exposure), low / exposure, high / exposure


# ----- tables of many groups (sweep analysis, the claims report) ------------------------------------

CONFIDENCE = 0.95
DRAWS = BOOTSTRAP_RESAMPLES
SEED = 20200704  # the claims report's and sweep analysis's bootstrap seed: their numbers are reproducible


def bootstrap_mean(values, confidence: float = CONFIDENCE, draws: int = DRAWS, seed: int = SEED
                   ) -> tuple[float, float, float]:
    """:func:`bootstrap_percentile` for table cells: missing values dropped, and NaNs (not an
    error) when nothing is left."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return np.nan, np.nan, np.nan
    return bootstrap_percentile(values, confidence, draws, seed)
