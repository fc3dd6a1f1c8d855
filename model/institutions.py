"""Institutions: data objects, not decision agents (ODD §2; Goh 2005, 2007/08).

Each has members, lead power(s), domains, binding strength beta, the secondary's voice nu
(1 = consensus or veto, 0.5 = weighted, 0.2 = hegemon-dominated) and an exit cost. A scenario's
institutions sit in a fixed table of slots: those it starts with, those its events create (in
event order), and one slot for an inclusive forum S may found. Per replication, ``exists``,
``member`` and ``activism`` (in :class:`model.state.State`) say what each slot is in that world.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from multivector.model.contract import DOMAINS

FORUM_NAME = "Inclusive forum founded by S"


@dataclass
class InstitutionTable:
    """The scenario's institution slots. ``members``, ``leads`` and ``founded`` never change;
    ``domains``, ``binding``, ``voice``, ``exit_cost`` and ``activism_floor`` may be changed by
    events (the same in every replication; the forum's come from each replication's parameters)."""

    names: tuple[str, ...]
    members: np.ndarray  # (I, G) bool
    leads: np.ndarray  # (I, G) bool
    founded: np.ndarray  # (I,) bool: the forum slot
    created: np.ndarray  # (I,) step at which the slot's institution appears (-1: the forum, when founded)
    domains: np.ndarray  # (I, D) bool
    binding: np.ndarray  # (R, I)
    voice: np.ndarray  # (R, I)
    exit_cost: np.ndarray  # (R, I)
    activism_floor: np.ndarray  # (I,)

    @property
    def size(self) -> int:
        return len(self.names)

    @property
    def forum(self) -> int:
        """The forum's slot (the last)."""
        return len(self.names) - 1

    def index(self, name: str) -> int:
        return self.names.index(name)


def build_table(initial: tuple[dict, ...], created: list[tuple[int, dict]], power_ids: tuple[str, ...], forum,
                replications: int) -> InstitutionTable:
    """Slots for the scenario's initial institutions, those its events create (``(step, spec)``)
    and the forum; ``forum`` holds (R,) arrays of the forum's binding, voice and exit cost."""
    specs = [(0, s) for s in initial] + list(created)
    names = tuple(s["name"] for _, s in specs) + (FORUM_NAME,)
    n = len(names)
    members = np.zeros((n, len(power_ids)), bool)
    leads = np.zeros((n, len(power_ids)), bool)
    domains = np.zeros((n, len(DOMAINS)), bool)
    binding, voice, exit_cost = (np.zeros((replications, n)) for _ in range(3))
    for i, (_, s) in enumerate(specs):
        members[i] = [p in s["members"] for p in power_ids]
        leads[i] = [p in s["leads"] for p in power_ids]
        domains[i] = [d in s["domains"] for d in DOMAINS]
        binding[:, i], voice[:, i] = float(s["binding"]), float(s["voice"])
        exit_cost[:, i] = float(s.get("exit_cost", 0.3))
    members[-1] = True
    domains[-1] = [d in ("institutions", "security") for d in DOMAINS]
    binding[:, -1], voice[:, -1], exit_cost[:, -1] = forum.binding, forum.voice, forum.exit_cost
    founded = np.zeros(n, bool)
    founded[-1] = True
    created_steps = np.array([step for step, _ in specs] + [-1])
    return InstitutionTable(names, members, leads, founded, created_steps, domains, binding, voice, exit_cost,
                            np.zeros(n))


_OVERLAP: dict[bytes, np.ndarray] = {}
_LED: dict[tuple[bytes, bytes], np.ndarray] = {}
_COUNTS: dict[bytes, np.ndarray] = {}


@dataclass
class InstitutionView:
    """What rules and reactions see of the institutions in R worlds (arrays over I slots); read
    only (not frozen, which would make building one each quarter several times dearer)."""

    members: np.ndarray  # (I, G) bool
    leads: np.ndarray  # (I, G) bool
    domains: np.ndarray  # (I, D) bool
    binding: np.ndarray  # (R, I)
    voice: np.ndarray  # (R, I)
    exit_cost: np.ndarray  # (R, I)
    activism: np.ndarray  # (R, I)
    member: np.ndarray  # (R, I) bool: S is a member (so the institution exists)
    exists: np.ndarray  # (R, I) bool
    founded: np.ndarray  # (I,) bool

    @property
    def overlap(self) -> np.ndarray:
        """(I, I) bool: two different slots share a domain."""
        key = self.domains.tobytes()
        cached = _OVERLAP.get(key)
        if cached is None:
            cached = (self.domains.astype(int) @ self.domains.T.astype(int)) > 0
            np.fill_diagonal(cached, False)
            _OVERLAP[key] = cached
        return cached

    @property
    def member_count(self) -> np.ndarray:
        """(I,) how many great powers each slot has as members."""
        key = self.members.tobytes()
        cached = _COUNTS.get(key)
        if cached is None:
            cached = _COUNTS[key] = self.members.sum(axis=1)
        return cached

    @property
    def led(self) -> np.ndarray:
        """(G, D, I) bool: g leads the slot and the slot covers domain d."""
        key = (self.leads.tobytes(), self.domains.tobytes())
        cached = _LED.get(key)
        if cached is None:
            cached = _LED[key] = self.leads.T[:, None, :] & self.domains.T[None, :, :]
        return cached

    def take(self, rows: np.ndarray) -> "InstitutionView":
        return InstitutionView(self.members, self.leads, self.domains, self.binding[rows], self.voice[rows],
                               self.exit_cost[rows], self.activism[rows], self.member[rows], self.exists[rows],
                               self.founded)


def enmeshment(t: InstitutionView) -> np.ndarray:
    """(R, G) M[g] = 1 - prod over shared institutions (1 - beta * nu * x)  (Goh 2005; ODD eq. 5).

    Only institutions that S belongs to count; x is S's activism there.
    """
    weight = (t.binding * t.voice * t.activism)[:, :, None]
    shared = t.member[:, :, None] & t.members[None, :, :]
    return 1.0 - np.where(shared, 1.0 - weight, 1.0).prod(axis=1)


def institutional_leverage(t: InstitutionView) -> np.ndarray:
    """(R, G, D) leverage from g-led bodies S belongs to: sum of beta * (1 - nu) over their domains.

    "Binding cuts both ways" (ODD eq. 2): supranational bodies with little voice for S
    give their lead power leverage over S.
    """
    weight = t.member * t.binding * (1.0 - t.voice)  # (R, I)
    return (weight[:, None, None, :] * t.led).sum(axis=-1)  # summed along the last axis: the same order for any R


def consensus_share(t: InstitutionView) -> np.ndarray:
    """(R, G) best voice S has in a body shared with each power: consensus rules let S veto
    collective commitments and so lower entrapment (ODD §7.5)."""
    shared = t.member[:, :, None] & t.members[None, :, :]
    return np.where(shared, t.voice[:, :, None], 0.0).max(axis=1, initial=0.0)
