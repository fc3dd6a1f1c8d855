"""Statistics and the decision rule of the claims report: cluster-bootstrap intervals, the smallest
differences that count, verdicts, and the conditions under which a verdict would go the other way.

Every statistic is a mean over *units*: the parameter sets of the calibration's posterior sample (each unit
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

from multivector.experiments import intervals

CONFIDENCE = intervals.CONFIDENCE
BOOTSTRAP = intervals.DRAWS
SEED = intervals.SEED  # the bootstrap's own seed: the report is a pure function of its sweeps

SUPPORTED, NOT_SUPPORTED, INCONCLUSIVE = "supported", "not supported", "inconclusive"

# What a verdict rests on (computed from the runs, :func:`status`).
TESTED, BY_CONSTRUCTION, UNTESTABLE = "tested", "true by construction", "untestable here"
STATUS_TEXT = {
    TESTED: "the event the claim is about happens in the region and the statistic of the rule under test varies "
            "across the units: the verdict is evidence",
    BY_CONSTRUCTION: "the statistic of the rule under test is the same in every unit (every posterior set, or design "
                     "point): a rule's definition, not the world, fixes it, and the verdict says nothing about the "
                     "world",
    UNTESTABLE: "the event the claim is about (pressure, coercion, client status, ...) happens in no run of the "
                "region: the verdict compares nothing with nothing",
}

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


def status(statistic: np.ndarray, events: np.ndarray | None = None, under_test: np.ndarray | None = None) -> str:
    """Whether a verdict is evidence (:data:`STATUS_TEXT`). ``events``: how often the event the claim
    is about happened, per unit or run, in every arm compared (None: the claim is about no event);
    ``under_test``: the rule under test's own value per unit (None: the statistic itself).
    Untestable when the event never happens; true by construction when the value is the same in
    every unit; tested otherwise."""
    if events is not None:
        counts = np.asarray(events, dtype=float)
        counts = counts[np.isfinite(counts)]
        if not len(counts) or np.all(counts == 0):
            return UNTESTABLE
    values = np.asarray(statistic if under_test is None else under_test, dtype=float)
    values = values[np.isfinite(values)]
    if len(values) >= 2 and np.ptp(values) <= 1e-12 * max(1.0, float(np.abs(values).max())):
        return BY_CONSTRUCTION
    return TESTED


def seed_noise(replicates: pd.DataFrame, seed: int = SEED) -> float:
    """The noise a difference must beat: the half-width of the 95% bootstrap interval (over units)
    of the difference between two identical rules, here the rule under test's even- and
    odd-numbered seeds of each unit. ``replicates``: one row per run, columns ``unit``,
    ``replication`` and ``value``. Half of R seeds against the other half is noisier than R against
    R, so the noise is not understated. The noise is how far that interval reaches from 0 (a
    difference no larger could be luck). NaN when no unit has two seeds."""
    r = replicates.dropna(subset=["value"])
    half = r["replication"].to_numpy() % 2
    means = r.assign(half=half).groupby(["unit", "half"])["value"].mean().unstack("half")
    if means.shape[1] < 2:
        return float("nan")
    difference = (means[0] - means[1]).dropna().to_numpy(dtype=float)
    if not len(difference):
        return float("nan")
    estimate = bootstrap_mean(difference, seed)
    return float(max(abs(estimate.low), abs(estimate.high)))  # the placebo interval's reach from 0


def combine(verdicts: list[str]) -> str:
    """A claim with several parts is supported when every part is, not supported when any part is not."""
    if not verdicts:
        return INCONCLUSIVE
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
    """One tested statistic of a claim.

    ``events`` (the event the claim is about, counted per unit or run over every arm compared) and
    ``under_test`` (the rule under test's own value per unit) decide its :func:`status`;
    ``replicates`` (per run of the rule under test: unit, replication, value of the measure) set the
    noise floor of its margin (:func:`seed_noise`): the margin used is the larger of the stated one
    and the noise. ``reweighed`` recomputes an autonomy statistic at other weights of autonomy's parts
    (:mod:`.autonomy`)."""

    label: str
    units: pd.Series  # the statistic per unit (index: unit id)
    kind: str
    margin_kind: str
    margin: float
    unit_name: str = "posterior parameter set"
    events: pd.Series | None = None
    event: str = ""
    under_test: pd.Series | None = None
    replicates: pd.DataFrame | None = None
    reweighed: object | None = None  # autonomy.Reweighed
    stated_margin: float = field(init=False)
    noise: float = field(init=False)
    estimate: Estimate = field(init=False)
    verdict: str = field(init=False)
    status: str = field(init=False)
    share_holding: float = field(init=False)
    simplex: object | None = field(init=False, default=None)  # autonomy.Simplex, when reweighed

    def __post_init__(self) -> None:
        values = self.units.to_numpy(dtype=float)
        self.stated_margin = self.margin
        self.noise = seed_noise(self.replicates) if self.replicates is not None else float("nan")
        if np.isfinite(self.noise):
            self.margin = max(self.margin, self.noise)
        self.estimate = bootstrap_mean(values)
        self.verdict = verdict(self.estimate, self.margin, self.kind)
        self.status = status(values, None if self.events is None else self.events.to_numpy(dtype=float),
                             None if self.under_test is None else self.under_test.to_numpy(dtype=float))
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
