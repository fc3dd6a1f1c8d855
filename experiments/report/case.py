"""The case a report tests its claims on: the roles a claim needs, bound to the case's power ids.

A claim is written over *roles*, never over a country or a power id: "the nearest great power"
(the one S bandwagons with or balances against in E1 and E2), "the most distant one" (the vector
C8 removes), "the third". Each case binds them from its scenario's data, or its pack declares them
with a source (:class:`CaseClaims`). A claim whose roles, experiments or span a case cannot supply
is listed in that case's report as "cannot be tested in this case", with the reason; a claim that
only makes sense for one case (its own crises, leaders, dates) lives in that case's pack
(``experiments/cases/NAME/``, found by the scenario's name as ``patterns`` finds facts).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from multivector import model
from multivector.experiments.sweep.parameter_sets import calibration_names

ROLES = {
    "near": "the nearest great power: the greatest reach at the start (the scenario's powers.<id>.reach, from "
            "contiguity and minimum distance in the case's data); a tie goes to the power S's security depends on "
            "most (initial_dependence_security)",
    "distant": "the most distant great power: the least reach at the start",
    "second": "the third great power, neither the nearest nor the most distant (a case with exactly three powers)",
}

# How a design template names a role ({near}, {near_name}, {near_slug}), the case ({case}) or its first
# year ({start_year}); report/plan.py fills them. Here, not there, so that listing the shipped designs
# (experiments/shipped_designs.py) can tell a template without loading the sweep machinery.
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Claim:
    """One claim of the report: its test, the experiments (by key) and roles it needs, the years its
    windows read, and, for a claim that belongs to one case, why it does."""

    id: str
    test: Callable[..., Any]  # (sweeps by key, Case) -> Finding
    requires: tuple[str, ...]  # experiment keys (see :mod:`.plan`)
    roles: tuple[str, ...] = ()
    years: tuple[int, int] | None = None  # the claim reads quarters first..last of these years
    specific: str = ""  # non-empty: the claim is about one case's history, and this says why


@dataclass(frozen=True)
class ThresholdSection:
    """A pack's tipping-threshold section: the experiment (key) that scales its shocks, the factor,
    and the words that say which shocks they are."""

    key: str
    factor: str
    axis: str  # the figure's x label
    heading: str
    what: str  # "... per posterior set, as <what> are scaled:"


@dataclass(frozen=True)
class CaseClaims:
    """What a case pack adds to the report (``PACK.extras["claims"]``, the name of a module that
    defines ``CLAIMS``, a :class:`CaseClaims`): claims of its own, the designs they (and generic claims
    such as C8's E5) run, roles bound by hand with their source, the powers' names in prose, the
    report's honest limits for this case, and a tipping-threshold section."""

    claims: dict[str, Claim] = field(default_factory=dict)
    designs: dict[str, Path] = field(default_factory=dict)  # experiment key -> the pack's design file
    roles: dict[str, tuple[str, str]] = field(default_factory=dict)  # role -> (power id, source)
    names: dict[str, str] = field(default_factory=dict)  # power id -> its name in prose ("the North")
    limits: tuple[str, ...] = ()
    threshold: ThresholdSection | None = None


@dataclass(frozen=True)
class Case:
    """A scenario with its pack's claims and its roles bound."""

    scenario: str
    name: str  # for readers
    power_ids: tuple[str, ...]
    start: str  # first quarter, '1991Q4'
    end: str  # last quarter
    roles: dict[str, str]  # role -> power id
    sources: dict[str, str]  # role -> where its binding comes from
    unbound: dict[str, str]  # role -> why the case cannot bind it
    claims: CaseClaims
    calibrated: bool  # a posterior sample experiments/data/calibration-<scenario> exists
    composites: dict[str, tuple[str, ...]] = field(default_factory=dict)  # power -> its data rows, if several

    def power_name(self, power: str) -> str:
        return self.claims.names.get(power, power)

    def role_name(self, role: str) -> str:
        return self.power_name(self.roles[role])

    def role_slug(self, role: str) -> str:
        """The role's power as a file-name word ('the North' -> 'north')."""
        return re.sub(r"[^a-z0-9]+", "-", self.role_name(role).lower().removeprefix("the ")).strip("-")

    @property
    def first_year(self) -> int:
        return int(self.start[:4]) + (1 if self.start[4:] != "Q1" else 0)  # the first whole year

    @property
    def last_year(self) -> int:
        return int(self.end[:4]) - (1 if self.end[4:] != "Q4" else 0)  # the last whole year


def pack_claims(scenario: str) -> CaseClaims | None:
    """The claims a case's pack declares (an empty :class:`CaseClaims` for a pack that declares none),
    or None when the scenario has no pack. The module is imported only here: reading facts does not
    load the report."""
    from multivector.experiments.cases import pack  # noqa: PLC0415

    found = pack(scenario)
    if found is None:
        return None
    module = found.extras.get("claims")
    if not module:
        return CaseClaims()
    return importlib.import_module(module).CLAIMS


def bind_roles(scenario: model.Scenario, declared: dict[str, tuple[str, str]]) -> tuple[dict, dict, dict]:
    """(roles, sources, unbound): each role of :data:`ROLES` bound to a power id, by the pack's
    declaration or else from the scenario's data."""
    powers = scenario.parameters.powers
    ids = scenario.power_ids
    reach = {p: powers[p].reach for p in ids}
    roles, sources, unbound = {}, {}, {}
    by_reach = sorted(ids, key=lambda p: (-reach[p], -powers[p].initial_dependence_security, ids.index(p)))
    derived = {"near": by_reach[0], "distant": by_reach[-1]}
    rest = [p for p in ids if p not in derived.values()]
    if len(ids) == 3 and len(rest) == 1:
        derived["second"] = rest[0]
    for role in ROLES:
        if role in declared:
            power, source = declared[role]
            if power not in ids:
                raise ValueError(f"{scenario.name}: the pack binds role '{role}' to {power!r}, not a power of the "
                                 f"scenario ({', '.join(ids)})")
            roles[role], sources[role] = power, f"declared in the case pack: {source}"
        elif role == "near" and len(ids) >= 2:
            roles[role], sources[role] = derived[role], (f"from the data: reach {reach[derived[role]]:.3g} at the "
                                                         "start, the greatest")
        elif role == "distant" and len(ids) >= 2 and reach[derived["distant"]] < reach[derived["near"]]:
            roles[role], sources[role] = derived[role], (f"from the data: reach {reach[derived[role]]:.3g} at the "
                                                         "start, the least")
        elif role == "second" and "second" in derived:
            roles[role], sources[role] = derived[role], "from the data: the power that is neither nearest nor most distant"
        else:
            unbound[role] = ("the powers' reach does not single one out" if role != "second" else
                             f"the case has {len(ids)} powers, not three")
    return roles, sources, unbound


def load_case(scenario: str) -> Case | None:
    """The case of ``scenario`` with its roles bound; None when it has no pack."""
    claims = pack_claims(scenario)
    if claims is None:
        return None
    sc = model.load_scenario(scenario)
    roles, sources, unbound = bind_roles(sc, claims.roles)
    from multivector.model.calendar import step_date  # noqa: PLC0415

    rows = sc.case.rows if sc.case else {}
    return Case(scenario, sc.case.name if sc.case else scenario, sc.power_ids, sc.start, step_date(sc.start, sc.steps),
                roles, sources, unbound, claims, scenario in calibration_names(),
                {p: tuple(rows[p]) for p in sc.power_ids if len(rows.get(p, ())) > 1})
