"""One run in one call, for tools outside the project (EMA Workbench, notebooks, other ABM harnesses).

Parameters may be given as keyword arguments with identifier-safe names: a double underscore stands
for the dot of a parameter path, so ``rivalry__scale=0.5`` is ``rivalry.scale`` and
``powers__A__reach=0.8`` is ``powers.A.reach`` (``multivector params`` lists every path).
"""

from __future__ import annotations

from typing import Any
from multivector.model.scenarios import DEFAULT_SCENARIO

SEPARATOR = "__"


PAIRS = "rivalry.pairs."  # the only paths with a dash (``rivalry.pairs.A-B``): ``_`` stands for it


def path_of(name: str) -> str:
    """``rivalry__scale`` -> ``rivalry.scale``, ``rivalry__pairs__A_B`` -> ``rivalry.pairs.A-B``;
    a dotted path is returned as it is."""
    path = name.replace(SEPARATOR, ".")
    if path.startswith(PAIRS):
        path = PAIRS + path[len(PAIRS):].replace("_", "-")
    return path


def identifier_of(path: str) -> str:
    """``rivalry.scale`` -> ``rivalry__scale`` (the name a keyword argument or EMA needs)."""
    return path.replace(".", SEPARATOR).replace("-", "_")


def overrides_from(params: dict[str, Any]) -> dict[str, Any]:
    """Keyword parameters (identifier-safe or dotted) as ``{dotted.path: value}``."""
    return {path_of(name): value for name, value in params.items()}


def run(scenario: str = DEFAULT_SCENARIO, strategy: str = "hedge", steps: int | None = None, seed: Any = 0,
        **params: Any) -> dict[str, Any]:
    """Run to the end and return the final quarter's outcomes (every numeric column of the record:
    the data contract's measures, the client index's parts, running means such as ``autonomy_mean``...)
    with ``strategy`` and ``date``. A bad parameter raises ``model.ParameterError`` naming it.

    Examples:
        >>> import multivector
        >>> multivector.run(strategy="balance", steps=8, seed=1, rivalry__scale=0.5)["autonomy"]  # doctest: +SKIP
    """
    from multivector.model.model import MultivectorModel  # noqa: PLC0415 - model.model imports this module's package

    m = MultivectorModel(scenario=scenario, strategy=strategy, overrides=overrides_from(params), steps=steps,
                         rng=seed, collect=False)
    while m.running:
        m.step()
    record = m.record
    numeric = {k: v for k, v in record.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    return {**numeric, "strategy": record["strategy"], "date": record["date"]}
