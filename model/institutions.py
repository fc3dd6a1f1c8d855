"""Institutions: data objects, not decision agents (theory.md §2.2; Goh 2005, 2007/08).

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

    def domain_mask(self) -> np.ndarray:
        return np.array([d in self.domains for d in DOMAINS], dtype=float)


def enmeshment(institutions: list[Institution], power_ids: tuple[str, ...]) -> np.ndarray:
    """M[g] = 1 - prod over shared institutions (1 - beta * nu * x)  (Goh 2005; theory.md eq. 5).

    Only institutions that S belongs to count; x is S's activism there.
    """
    remaining = np.ones(len(power_ids))
    for inst in institutions:
        if not inst.secondary_member:
            continue
        weight = inst.binding * inst.voice * inst.activism
        for i, power in enumerate(power_ids):
            if power in inst.members:
                remaining[i] *= 1.0 - weight
    return 1.0 - remaining


def institutional_leverage(institutions: list[Institution], power_ids: tuple[str, ...]) -> np.ndarray:
    """Leverage from g-led bodies S belongs to: sum of beta * (1 - nu) over their domains.

    "Binding cuts both ways" (theory.md eq. 2): supranational bodies with little voice for S
    give their lead power leverage over S.
    """
    lev = np.zeros((len(power_ids), len(DOMAINS)))
    for inst in institutions:
        if not inst.secondary_member:
            continue
        for i, power in enumerate(power_ids):
            if power in inst.leads:
                lev[i] += inst.binding * (1.0 - inst.voice) * inst.domain_mask()
    return lev


def consensus_share(institutions: list[Institution], power: str) -> float:
    """Best voice S has in a body shared with ``power``: consensus rules let S veto collective
    commitments and so lower entrapment (theory.md §2.7.5)."""
    voices = [i.voice for i in institutions if i.secondary_member and power in i.members]
    return max(voices, default=0.0)
