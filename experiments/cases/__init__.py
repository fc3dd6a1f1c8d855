"""Case packs: what the project knows about a real case beyond its scenario file.

A scenario named NAME may have a pack, the package ``experiments.cases.<NAME with - as _>``,
defining ``PACK``, a :class:`CasePack`: the case's stylised facts (written, with sources, before
the case was calibrated) and optionally its fits to observed series and its claims. Commands that
need a pack find it by the scenario's name; a scenario without one still runs, sweeps and shows
in the app. Only packs (and scenario files) name countries and power ids.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any

from multivector.experiments.cases.facts import Fact


@dataclass(frozen=True)
class CasePack:
    scenario: str  # the scenario this pack belongs to
    facts: tuple[Fact, ...]
    notes: str = ""  # the case's seeds/cases/NAME.md, by path, for readers
    extras: dict[str, Any] = field(default_factory=dict)  # fits, claims, calibration design...


def _module_name(scenario: str) -> str:
    return scenario.replace("-", "_")


def pack(scenario: str) -> CasePack | None:
    """The pack of ``scenario``, or None if it has none."""
    name = _module_name(scenario)
    if not name.isidentifier():
        return None
    try:
        module = importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as error:
        if error.name in (f"{__name__}.{name}",):
            return None
        raise
    return getattr(module, "PACK", None)


def pack_names() -> list[str]:
    """The scenarios that have a pack."""
    out = []
    for info in pkgutil.iter_modules(__path__):
        if info.ispkg:
            found = pack(info.name.replace("_", "-"))
            if found is not None:
                out.append(found.scenario)
    return sorted(out)
