"""Confidence intervals that respect the range of what they measure.

A Student-t interval of a mean can leave a measure's range (a share below 0, a count below 0, an
autonomy above 1), most visibly with few runs or rare events. These intervals cannot:

- :func:`bootstrap_mean`: percentile bootstrap of a mean (seeded, so the same data give the same
  interval), inside the range of the data themselves;
- :func:`wilson`: Wilson's score interval for a share of successes, inside [0, 1];
- :func:`poisson_rate`: the exact (Garwood) interval of a mean count per run, never below 0.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

CONFIDENCE = 0.95
DRAWS = 2000
SEED = 20200704


def bootstrap_mean(values, confidence: float = CONFIDENCE, draws: int = DRAWS, seed: int = SEED
                   ) -> tuple[float, float, float]:
    """(mean, low, high): percentile bootstrap over the values (NaNs dropped; NaNs if none are left;
    a single value, or identical values, give an interval of zero width)."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return np.nan, np.nan, np.nan
    mean = float(values.mean())
    if len(values) == 1 or np.all(values == values[0]):
        return mean, mean, mean
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), size=(draws, len(values)))].mean(axis=1)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return mean, float(low), float(high)


def wilson(successes: int, trials: int, confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """(share, low, high) for ``successes`` out of ``trials``."""
    if trials == 0:
        return np.nan, np.nan, np.nan
    z = stats.norm.ppf(0.5 + confidence / 2)
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * np.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    low = 0.0 if successes == 0 else max(0.0, float(centre - half))  # exact at the ends, not 1 - 1e-16
    high = 1.0 if successes == trials else min(1.0, float(centre + half))
    return p, low, high


def poisson_rate(total: int, runs: int, confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """(mean count per run, low, high): the exact interval of a Poisson mean from ``total`` events
    over ``runs`` runs."""
    if runs == 0:
        return np.nan, np.nan, np.nan
    alpha = 1 - confidence
    low = stats.chi2.ppf(alpha / 2, 2 * total) / 2 if total > 0 else 0.0
    high = stats.chi2.ppf(1 - alpha / 2, 2 * total + 2) / 2
    return total / runs, float(low) / runs, float(high) / runs
