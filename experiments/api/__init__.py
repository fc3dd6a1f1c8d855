"""Multivector: an agent-based model of a secondary power between great powers.

After Vanderhill, Joireman & Tulepbayeva (2020), "Between the bear and the dragon",
International Affairs 96(4): 975-993.

This is the installed top-level package ``multivector``. Its code lives in two folders of the
repository, mapped by ``pyproject.toml`` (the repository's top level is fixed, so this file sits
here rather than in a ``multivector/`` folder):

- ``multivector.model``: the simulation (``model/``), no I/O and no UI;
- ``multivector.experiments``: the command line, sweeps, reports and the app (``experiments/``).

Every name below comes from ``multivector.model``; ``python -m multivector`` is the command line.
"""

from multivector.model import *  # noqa: F403  (the public API is the model's)
from multivector.model import __all__  # noqa: F401
