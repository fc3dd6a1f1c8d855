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


# Reductions over a short axis (the 2-6 great powers, the 3 domains). numpy's ``sum``/``max``
# over such an axis run a strided inner loop per element of the other axes; the same result as
# a few whole-array operations, one per position along the short axis, costs a fraction of that
# at R = 1,000. Below 8 elements numpy adds in index order from 0.0 (its pairwise summation
# starts only at 8), so the explicit sum matches it bit for bit; ``+ 0.0`` at the end gives +0.0
# where every term is -0.0, as numpy's sum does. Longer axes go to numpy itself.
SHORT_AXIS = 8


def total(values: np.ndarray, axis: int, keepdims: bool = False) -> np.ndarray:
    """``values.sum(axis, keepdims=keepdims)``, bit for bit (float64; other types go to numpy)."""
    n = values.shape[axis]
    if n >= SHORT_AXIS or n < 2 or values.dtype != np.float64:
        return values.sum(axis=axis, keepdims=keepdims)
    index = [slice(None)] * values.ndim
    index[axis] = 0
    out = values[tuple(index)] + values[tuple(_at(index, axis, 1))]
    for i in range(2, n):
        out += values[tuple(_at(index, axis, i))]
    out += 0.0
    return np.expand_dims(out, axis) if keepdims else out


def largest(values: np.ndarray, axis: int, initial: float | None = None, keepdims: bool = False) -> np.ndarray:
    """``values.max(axis, initial=initial, keepdims=keepdims)``, bit for bit (NaN propagates,
    and of two equal zeros the first is kept, as numpy's maximum does)."""
    n = values.shape[axis]
    if n >= SHORT_AXIS or values.dtype != np.float64 or (n < 1 and initial is None):
        extra = {} if initial is None else {"initial": initial}
        return values.max(axis=axis, keepdims=keepdims, **extra)
    index = [slice(None)] * values.ndim
    if n == 0:
        shape = values.shape[:axis] + values.shape[axis + 1:]
        out = np.full(shape, float(initial))
    else:
        first = values[tuple(_at(index, axis, 0))]
        out = np.maximum(initial, first) if initial is not None else first.copy()
        for i in range(1, n):
            np.maximum(out, values[tuple(_at(index, axis, i))], out=out)
    return np.expand_dims(out, axis) if keepdims else out


def _at(index: list, axis: int, i: int) -> list:
    index[axis] = i
    return index
