"""Statistics and the decision rule of the claims report: cluster-bootstrap intervals, the smallest
differences that count, verdicts, and the conditions under which a verdict would go the other way.

Every statistic is a mean over *units*: the accepted parameter sets of the calibration (each unit
the mean of its seeds), or the design points of a sampled experiment. Resampling units, not runs,
keeps the calibration's uncertainty in the interval (runs of one set are not independent draws of
the world). Percentile intervals of a mean never leave the range of the unit values, so no
interval leaves the range of a bounded measure or a count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from experiments import intervals

CONFIDENCE = intervals.CONFIDENCE
BOOTSTRAP = intervals.DRAWS
SEED = intervals.SEED  # the bootstrap's own seed: the report is a pure function of its sweeps

SUPPORTED, NOT_SUPPORTED, INCONCLUSIVE = "supported", "not supported", "inconclusive"

# The smallest difference that counts, per kind of measure (stated once, at the top of the report).
MARGINS = {
    "share": (0.01, "one percentage point of a share in [0, 1] (autonomy, security, coexistence, shares of quarters)"),
    "events": (1.0, "one event or episode over the run"),
    "quarters": (4.0, "four quarters (a year) of client status"),
    "relative": (0.05, "5% of the comparison's reference mean (welfare, utility, inducements: no natural unit)"),
    "choice": (0.05, "five percentage points of the quarters a rule is in force"),
    "region": (0.05, "five percentage points of the sampled space"),
}

RULE_TEXT = {
    "superiority": "supported when the whole 95% interval is above 0 and the estimate is at least the margin; "
                   "not supported when the whole interval is below the margin (an advantage, if any, smaller than "
                   "what counts, or none); otherwise inconclusive",
    "non-inferiority": "supported when the whole 95% interval of the harm is below the margin; not supported when "
                       "the whole interval is above it; otherwise inconclusive",
    "equivalence": "supported when the whole 95% interval lies within plus or minus the margin; not supported when "
                   "it lies wholly outside; otherwise inconclusive",
}


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float
    units: int

    def text(self, digits: int = 3) -> str:
        return f"{self.value:.{digits}g} [{self.low:.{digits}g}, {self.high:.{digits}g}]"


def bootstrap_mean(values: np.ndarray, seed: int = SEED, draws: int = BOOTSTRAP) -> Estimate:
    """Mean of the unit values with a percentile bootstrap interval (units resampled with replacement)."""
    values = np.asarray(values, dtype=float)
    mean, low, high = intervals.bootstrap_mean(values, CONFIDENCE, draws, seed)
    return Estimate(mean, low, high, int(np.isfinite(values).sum()))


def verdict(estimate: Estimate, margin: float, kind: str) -> str:
    """The decision rule (:data:`RULE_TEXT`). ``estimate`` is oriented so that positive favours the
    claim (superiority), is the harm the claim says stays small (non-inferiority), or is a change
    the claim says is negligible (equivalence)."""
    lo, hi, value = estimate.low, estimate.high, estimate.value
    if not np.isfinite(value):
        return INCONCLUSIVE
    if kind == "superiority":
        if lo > 0 and value >= margin:
            return SUPPORTED
        return NOT_SUPPORTED if hi < margin else INCONCLUSIVE
    if kind == "non-inferiority":
        if hi < margin:
            return SUPPORTED
        return NOT_SUPPORTED if lo > margin else INCONCLUSIVE
    if kind == "equivalence":
        if -margin < lo and hi < margin:
            return SUPPORTED
        return NOT_SUPPORTED if lo > margin or hi < -margin else INCONCLUSIVE
    raise ValueError(kind)


def combine(verdicts: list[str]) -> str:
    """A claim with several parts is supported when every part is, not supported when any part is not."""
    if all(v == SUPPORTED for v in verdicts):
        return SUPPORTED
    return NOT_SUPPORTED if NOT_SUPPORTED in verdicts else INCONCLUSIVE


def holds(values: np.ndarray, margin: float, kind: str) -> np.ndarray:
    """Per unit: does this unit's value go the claimed way by the margin?"""
    if kind == "superiority":
        return values >= margin
    if kind == "non-inferiority":
        return values < margin
    return np.abs(values) < margin


@dataclass
class Part:
    """One tested statistic of a claim."""

    label: str
    units: pd.Series  # the statistic per unit (index: unit id)
    kind: str
    margin_kind: str
    margin: float
    unit_name: str = "accepted parameter set"
    estimate: Estimate = field(init=False)
    verdict: str = field(init=False)
    share_holding: float = field(init=False)

    def __post_init__(self) -> None:
        values = self.units.to_numpy(dtype=float)
        self.estimate = bootstrap_mean(values)
        self.verdict = verdict(self.estimate, self.margin, self.kind)
        finite = values[np.isfinite(values)]
        self.share_holding = float(holds(finite, self.margin, self.kind).mean()) if len(finite) else np.nan


def relative_margin(reference: pd.Series) -> float:
    """The 'relative' margin: 5% of the reference's mean magnitude."""
    return MARGINS["relative"][0] * float(np.nanmean(np.abs(reference.to_numpy(dtype=float))))


@dataclass(frozen=True)
class Flip:
    parameter: str
    rho: float
    p_value: float
    low_verdict: str
    high_verdict: str
    low_range: tuple[float, float]
    high_range: tuple[float, float]

    @property
    def flips(self) -> bool:
        return self.low_verdict != self.high_verdict


def flip_conditions(part: Part, parameters: pd.DataFrame, top: int = 3) -> list[Flip]:
    """The parameters that move this part's statistic most across units (Spearman rank correlation
    over the units), and the verdict the same rule gives in the lowest and highest third of each:
    where those differ, that parameter can flip the verdict."""
    values = part.units
    rows = []
    for name in parameters.columns:
        x = parameters.loc[values.index, name].to_numpy(dtype=float)
        y = values.to_numpy(dtype=float)
        ok = np.isfinite(x) & np.isfinite(y)
        if ok.sum() < 6 or np.ptp(x[ok]) == 0 or np.ptp(y[ok]) == 0:
            continue
        rho, p = stats.spearmanr(x[ok], y[ok])
        rows.append((abs(rho), name, rho, p))
    flips = []
    for _, name, rho, p in sorted(rows, reverse=True)[:top]:
        x = parameters.loc[values.index, name]
        low_cut, high_cut = x.quantile(1 / 3), x.quantile(2 / 3)
        low, high = values[x <= low_cut], values[x >= high_cut]
        low_v = verdict(bootstrap_mean(low.to_numpy()), part.margin, part.kind)
        high_v = verdict(bootstrap_mean(high.to_numpy()), part.margin, part.kind)
        flips.append(Flip(name, float(rho), float(p), low_v, high_v,
                          (float(x.min()), float(low_cut)), (float(high_cut), float(x.max()))))
    return flips
