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

from multivector import model as _model
from multivector.model import __all__

# Every public name of the model, except the ones it imports on first use (the Mesa model):
# those are looked up when asked for, so importing multivector does not import Mesa.
globals().update({name: getattr(_model, name) for name in __all__ if name not in _model.LAZY})


def __getattr__(name: str):
    if name in _model.LAZY:
        value = getattr(_model, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_model.LAZY))
