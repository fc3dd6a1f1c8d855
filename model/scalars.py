"""Numbers from other tools as the Python numbers they hold.

numpy hands out its own scalar types (``np.arange`` gives ``np.int64``, a float32 array gives
``np.float32``, a comparison gives ``np.bool_``), and tools built on numpy pass them on: Mesa's
``batch_run`` over ``np.arange(1, 4)``, EMA Workbench's samplers, pandas rows. ``np.int64`` is not
a Python ``int`` and ``np.bool_`` is not a ``bool``, so every input check of the model reads its
value through :func:`plain` first: a numpy scalar counts as the number it holds, and a numpy bool
stays a bool (refused where a number is expected, like ``True``).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def plain(value: Any) -> Any:
    """A numpy scalar (``np.int64``, ``np.float32``, ``np.bool_``, ``np.str_``...) as the Python
    int, float, bool or str it holds; any other value as it is."""
    return value.item() if isinstance(value, np.generic) else value


def is_integer(value: Any) -> bool:
    """An int or a numpy integer, not a bool (``True`` is an ``int`` to Python, never a count here)."""
    value = plain(value)
    return isinstance(value, int) and not isinstance(value, bool)
