"""Small array helpers used on every quarter's hot path: the same results as their numpy
counterparts, bit for bit, without numpy's Python-level wrappers (which cost more than the
arithmetic on arrays of a few numbers, the Mesa model's case)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np


def clip(values: np.ndarray, low, high) -> np.ndarray:
    """``np.clip(values, low, high)``."""
    return np.minimum(np.maximum(values, low), high)


def power(base: np.ndarray, exponent: np.ndarray) -> np.ndarray:
    """``base ** exponent[:, None]`` for (R, G) bases and (R,) exponents, through numpy's general
    power loop for every R: with the exponent broadcast (stride 0), numpy takes shortcuts for
    some values (0.5 as a square root, 2 as a square) that round differently, so one replication
    alone would not match the same replication among others."""
    full = np.empty(base.shape)
    full[...] = exponent[:, None]
    return base ** full


def mean(values: np.ndarray, axis: int) -> np.ndarray:
    """``values.mean(axis)``: numpy's mean is this sum divided by the count."""
    return np.add.reduce(values, axis=axis) / values.shape[axis]


@lru_cache(maxsize=64)
def arange(n: int) -> np.ndarray:
    """``np.arange(n)``, shared and read-only (index arrays used every quarter)."""
    out = np.arange(n)
    out.flags.writeable = False
    return out


@lru_cache(maxsize=16)
def others(n: int) -> tuple[np.ndarray, ...]:
    """For each i < n, the indices of the others (0..n-1 without i, in order), shared and read-only."""
    out = tuple(np.array([j for j in range(n) if j != i], dtype=np.intp) for i in range(n))
    for index in out:
        index.flags.writeable = False
    return out


def pick(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    """values[r, g, index[r, g]] for (R, G, D) values and an (R, G) index (``take_along_axis`` on the last axis)."""
    return values[arange(values.shape[0])[:, None], arange(values.shape[1])[None, :], index]


def put(values: np.ndarray, index: np.ndarray, new: np.ndarray) -> None:
    """values[r, g, index[r, g]] = new[r, g] (``put_along_axis`` on the last axis), in place."""
    values[arange(values.shape[0])[:, None], arange(values.shape[1])[None, :], index] = new
