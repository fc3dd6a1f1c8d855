"""Which claims a case can test, and why not the others.

Every claim the project knows is listed for every case: the generic ones (:data:`.claims.GENERIC`)
and each pack's own. A case tests a claim when it binds the claim's roles, can run its experiments
and spans its years; otherwise the report lists the claim as "cannot be tested in this case" with
the reason, and ``--only`` naming it is refused in one line. Nothing is dropped silently.
"""

from __future__ import annotations

import re

from .case import ROLES, Case, Claim, pack_claims
from .claims import GENERIC
from .plan import unavailable

CANNOT = "cannot be tested in this case"


def claim_order(claim_id: str) -> tuple[str, int]:
    """C1, C2, ..., C12, then CT1, CT2, ...: letters, then number."""
    match = re.match(r"([A-Z]+)(\d*)", claim_id)
    return match.group(1), int(match.group(2) or 0)


def known_claims(case: Case) -> dict[str, tuple[Claim, str]]:
    """Every claim id -> (claim, the scenario whose pack declares it, '' for a generic one); the
    case's own claims first, so a pack may declare its own version of an id."""
    from multivector.experiments.cases import pack_names  # noqa: PLC0415

    out = {cid: (claim, case.scenario) for cid, claim in case.claims.claims.items()}
    for cid, claim in GENERIC.items():
        out.setdefault(cid, (claim, ""))
    for name in pack_names():
        declared = pack_claims(name)
        for cid, claim in (declared.claims if declared else {}).items():
            out.setdefault(cid, (claim, name))
    return dict(sorted(out.items(), key=lambda item: claim_order(item[0])))


def why_not(case: Case, claim: Claim, owner: str) -> str:
    """Why ``case`` cannot test ``claim`` ('' when it can)."""
    if owner and owner != case.scenario:
        return f"a claim about the history of another case ('{owner}'): {claim.specific}"
    for role in claim.roles:
        if role not in case.roles:
            return f"it needs {ROLES[role].split(':')[0]}, which this case cannot bind ({case.unbound[role]})"
    for key in claim.requires:
        reason = unavailable(case, key)
        if reason:
            return reason
    if claim.years and (case.first_year > claim.years[0] or case.last_year < claim.years[1]):
        return (f"it reads the years {claim.years[0]}-{claim.years[1]}, and the case's span is "
                f"{case.start}-{case.end}")
    return ""


def catalogue(case: Case) -> tuple[dict[str, Claim], dict[str, str]]:
    """(the claims ``case`` tests, in report order; the others, each with why it cannot)."""
    testable, cannot = {}, {}
    for cid, (claim, owner) in known_claims(case).items():
        reason = why_not(case, claim, owner)
        if reason:
            cannot[cid] = reason
        else:
            testable[cid] = claim
    return testable, cannot
