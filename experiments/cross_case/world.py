"""The world a case runs in for the cross-case matrix.

The matrix must compare rules in one world for every case: each great power's behaviour shared
across the cases it appears in (issue 18 item 1, the joint calibration). That world is
``multivector.experiments.calibration.joint.world_overrides(case)`` (parameter path -> value for
the case's scenario). Until the joint calibration ships, each case runs in its own scenario's
values, and every output says which world it used, so a reader never mistakes one for the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

JOINT = "the joint calibration (experiments/calibration/joint.py, world_overrides)"
OWN = ("each case's own scenario values (the joint calibration, experiments/calibration/joint.py, is not "
       "available: no world shared across cases yet)")


@dataclass(frozen=True)
class World:
    """The overrides a case runs with, and where they come from."""

    overrides: dict[str, object] = field(default_factory=dict)
    source: str = OWN

    @property
    def joint(self) -> bool:
        return self.source == JOINT


def _joint_world():
    """The joint calibration's ``world_overrides``, or None while it does not exist."""
    try:
        from multivector.experiments.calibration import joint  # noqa: PLC0415 - optional until it lands
    except ImportError:
        return None
    return getattr(joint, "world_overrides", None)


def world_for(case: str) -> World:
    """The world of ``case`` (a scenario name): the joint calibration's where it exists, else the
    case's own scenario values (no overrides)."""
    world_overrides = _joint_world()
    if world_overrides is None:
        return World()
    return World(dict(world_overrides(case) or {}), JOINT)
