"""Run-level columns computed from whole runs through the scenario's case pack: each fact's verdict
and figure, how many facts a run reproduces, and the fit to the pack's observed series. Sweeps with
``[collect] patterns = true`` add them to the runs table; the calibration scores its ensembles with
them. Every column is computed for a whole ensemble at once, from (R, T) arrays.
"""

from __future__ import annotations

import numpy as np

from multivector.experiments.calibration import fit
from multivector.experiments.cases import CasePack, pack
from multivector.experiments.cases.facts import Runs
from multivector.experiments.errors import UsageError


def case_pack(scenario: str) -> CasePack:
    """The scenario's pack, or a one-line error when it has none."""
    found = pack(scenario)
    if found is None or not found.facts:
        raise UsageError(f"collect.patterns: scenario {scenario!r} has no case pack with facts (experiments/cases/)")
    return found


def observed_series(case: CasePack) -> tuple[fit.ObservedSeries, ...]:
    return tuple(case.extras.get("fit", ()))


def summary_columns(case: CasePack) -> tuple[str, ...]:
    """The run-level columns :func:`score` returns for ``case``, in order."""
    fact_columns = [c for f in case.facts for c in (f.id, f"{f.id}_figure", f"{f.id}_occurred")]
    return (*fact_columns, "patterns_passed", *fit.fit_columns(observed_series(case)))


def score(runs: Runs, case: CasePack) -> dict[str, np.ndarray]:
    """Every summary column, (R,) each, for every run of ``runs``: ``P1`` (1.0 pass, 0.0 fail),
    ``P1_figure``, ``P1_occurred`` ..., ``patterns_passed`` and the fit columns."""
    out: dict[str, np.ndarray] = {}
    passed = np.zeros(runs.count)
    for fact in case.facts:
        result = fact.evaluate(runs)
        out[fact.id] = result.passed.astype(float)
        out[f"{fact.id}_figure"] = np.asarray(result.figure, dtype=float)
        out[f"{fact.id}_occurred"] = result.occurred.astype(float)
        passed += result.passed
    out["patterns_passed"] = passed
    out.update(fit.fit_statistics(runs, observed_series(case)))
    return out
