"""Institutions: data objects, not decision agents (ODD §2; Goh 2005, 2007/08).

Each has members, lead power(s), domains, binding strength beta, the secondary's voice nu
(1 = consensus or veto, 0.5 = weighted, 0.2 = hegemon-dominated) and an exit cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.contract import DOMAINS


@dataclass
class Institution:
    name: str
    domains: tuple[str, ...]
    leads: tuple[str, ...]
    members: tuple[str, ...]
    binding: float
    voice: float
    exit_cost: float = 0.3
    secondary_member: bool = True
    founded_by_secondary: bool = False
    activism: float = 0.0
    created_step: int = 0


@dataclass(frozen=True)
class InstitutionArrays:
    """The institutions as arrays over I institutions (what rules and reactions read)."""

    members: np.ndarray  # (I, G) bool: g is a member
    leads: np.ndarray  # (I, G) bool: g leads it
    domains: np.ndarray  # (I, D) bool
    binding: np.ndarray  # (I,)
    voice: np.ndarray  # (I,) S's voice
    exit_cost: np.ndarray  # (I,)
    activism: np.ndarray  # (I,) S's activism
    member: np.ndarray  # (I,) bool: S is a member
    founded: np.ndarray  # (I,) bool: founded by S

    def __len__(self) -> int:
        return len(self.binding)


def as_arrays(institutions: list[Institution], power_ids: tuple[str, ...]) -> InstitutionArrays:
    """The institutions' current state as arrays."""
    n, g = len(institutions), len(power_ids)
    members, leads, domains = np.zeros((n, g), bool), np.zeros((n, g), bool), np.zeros((n, len(DOMAINS)), bool)
    for i, inst in enumerate(institutions):
        members[i] = [p in inst.members for p in power_ids]
        leads[i] = [p in inst.leads for p in power_ids]
        domains[i] = [d in inst.domains for d in DOMAINS]
    column = lambda name, kind=float: np.array([getattr(i, name) for i in institutions], dtype=kind)  # noqa: E731
    return InstitutionArrays(members, leads, domains, column("binding"), column("voice"), column("exit_cost"),
                             column("activism"), column("secondary_member", bool), column("founded_by_secondary", bool))


def enmeshment(t: InstitutionArrays) -> np.ndarray:
    """M[g] = 1 - prod over shared institutions (1 - beta * nu * x)  (Goh 2005; ODD eq. 5).

    Only institutions that S belongs to count; x is S's activism there.
    """
    weight = (t.binding * t.voice * t.activism)[:, None]
    return 1.0 - np.where(t.member[:, None] & t.members, 1.0 - weight, 1.0).prod(axis=0)


def institutional_leverage(t: InstitutionArrays) -> np.ndarray:
    """(G, D) leverage from g-led bodies S belongs to: sum of beta * (1 - nu) over their domains.

    "Binding cuts both ways" (ODD eq. 2): supranational bodies with little voice for S
    give their lead power leverage over S.
    """
    weight = t.member * t.binding * (1.0 - t.voice)
    return (t.leads * weight[:, None]).T.astype(float) @ t.domains.astype(float)


def consensus_share(t: InstitutionArrays) -> np.ndarray:
    """(G,) best voice S has in a body shared with each power: consensus rules let S veto
    collective commitments and so lower entrapment (ODD §7.5)."""
    return np.where(t.member[:, None] & t.members, t.voice[:, None], 0.0).max(axis=0, initial=0.0)


def build_institutions(specs: tuple[dict, ...], step: int, activism: float) -> list[Institution]:
    """Fresh, mutable Institution objects from scenario specs (checked by ``model.events.check_institution``)."""
    return [
        Institution(
            name=s["name"], domains=tuple(s["domains"]), leads=tuple(s["leads"]), members=tuple(s["members"]),
            binding=float(s["binding"]), voice=float(s["voice"]), exit_cost=float(s.get("exit_cost", 0.3)),
            activism=activism, created_step=step,
        )
        for s in specs
    ]


def inclusive_forum(power_ids: tuple[str, ...], forum, activism: float, step: int) -> Institution:
    """The forum a hedger founds: every power a member, none leading, in institutions and security
    (Goh 2005: omni-enmeshment); binding, voice and exit cost from ``forum`` parameters."""
    return Institution(name="Inclusive forum founded by S", domains=("institutions", "security"), leads=(),
                       members=tuple(power_ids), binding=forum.binding, voice=forum.voice, exit_cost=forum.exit_cost,
                       founded_by_secondary=True, activism=activism, created_step=step)
