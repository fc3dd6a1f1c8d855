"""Which assumptions the verdicts rest on: Sobol indices of hedging's outcomes over the posterior
region (the S-sensitivity sweep), with the estimates that cannot be trusted said to be so.

Also the two shapes the experiments look for beyond the claims: E8's threshold (the shock size at
which hedging stops keeping the most autonomy) and E6's inverted U (hedging's rewards rising with
competitive bidding, then falling as rivalry turns into exclusivity demands).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from multivector.model.outcomes import headline_outcomes

from .data import Sweep
from .claims import advantage_by_level
from .evidence import Estimate, bootstrap_mean

# the headline run outcomes a sweep's runs hold (model.outcomes), and quarters as a client summed over the powers
OUTCOMES = {**{f"{o.label.lower()} ({o.shown_statistic})": o.sweep_column for o in headline_outcomes() if o.sweep_column},
            "client quarters (sum over powers)": "client_quarters"}
MIN_SAMPLES = 128  # below this base sample the report calls every Sobol estimate unreliable
WIDE = 0.1  # an interval half-width above this leaves an index unresolved


@dataclass
class Sensitivity:
    indices: pd.DataFrame  # measure, factor, S1, S1_conf, ST, ST_conf
    degenerate: dict[str, str]  # measure -> why its indices are not reported
    samples: int
    warnings: list[str]


def sobol_rows(factors: list, y: np.ndarray, *, second_order: bool, confidence: float, seed: int) -> list[dict]:
    """Sobol indices (Saltelli et al. 2010, SALib) of ``y``, one value per point of a Saltelli design
    over ``factors`` (ranges with a ``path``, ``low``, ``high``): a row per factor with its first-order
    and total indices and their ``confidence`` interval half-widths (factor, S1, S1_conf, ST,
    ST_conf). SALib's bootstrap is seeded by ``seed``; its warnings are silenced (a small sample's
    estimates are judged by their intervals instead)."""
    from SALib.analyze import sobol as salib_sobol  # noqa: PLC0415

    problem = {"num_vars": len(factors), "names": [f.path for f in factors],
               "bounds": [[f.low, f.high] for f in factors]}
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        index = salib_sobol.analyze(problem, y, calc_second_order=second_order, conf_level=confidence,
                                    seed=seed % (2**32))
    return [{"factor": name, "S1": index["S1"][i], "S1_conf": index["S1_conf"][i], "ST": index["ST"][i],
             "ST_conf": index["ST_conf"][i]} for i, name in enumerate(problem["names"])]


def sobol(sweep: Sweep, confidence: float = 0.95) -> Sensitivity:
    experiment = sweep.results.experiment
    factors = list(experiment.factors.values())
    runs = sweep.runs.assign(client_quarters=sweep.total("client_quarters"))
    points = len(sweep.results.design)
    rows, degenerate, notes = [], {}, []
    samples = int(experiment.design.samples)
    if samples < MIN_SAMPLES:
        notes.append(f"Base sample N = {samples} is below {MIN_SAMPLES}: every index below is unreliable "
                     "(a --quick report); run the full report for usable estimates.")
    for label, column in OUTCOMES.items():
        y = runs.groupby("point")[column].mean().reindex(range(points)).to_numpy(dtype=float)
        if not np.all(np.isfinite(y)):
            degenerate[label] = "some design points have no finished run"
            continue
        if np.ptp(y) == 0:
            degenerate[label] = f"constant ({y[0]:.3g}) over the whole region: no parameter moves it"
            continue
        rows += [{"measure": label, **row} for row in sobol_rows(
            factors, y, second_order=experiment.design.second_order, confidence=confidence, seed=experiment.seed)]
    indices = pd.DataFrame(rows, columns=["measure", "factor", "S1", "S1_conf", "ST", "ST_conf"])
    for label, table in indices.groupby("measure"):
        if table["ST_conf"].median() > WIDE:
            notes.append(f"{label}: the median interval half-width of ST is {table['ST_conf'].median():.2f}; "
                         "the ranking of parameters is not resolved at this sample size.")
    return Sensitivity(indices, degenerate, samples, notes)


def influential(sensitivity: Sensitivity, top: int = 3) -> dict[str, list[str]]:
    """Per outcome, the parameters with the largest total effect whose interval excludes 0."""
    out = {}
    for label, table in sensitivity.indices.groupby("measure"):
        table = table[table["ST"] - table["ST_conf"] > 0].sort_values("ST", ascending=False)
        out[label] = [f"{r.factor} (ST {r.ST:.2f} +/- {r.ST_conf:.2f})" for r in table.head(top).itertuples()]
    return out


@dataclass
class Threshold:
    advantage: pd.DataFrame  # per unit (rows) and shock scale (columns): hedge minus best alternative
    per_level: dict[float, tuple[str, str]]  # scale -> (estimate text, sign)
    threshold: float | None  # the smallest scale at which hedging's advantage is below 0 beyond doubt


def tipping(e8: Sweep, factor: str = "shocks.intent_scale") -> Threshold:
    """E8 (a case pack's shock-scale experiment): hedging's autonomy advantage over the best
    alternative at each level of ``factor``; the threshold is the smallest scale whose whole interval
    is below zero (None: none in the range)."""
    advantage = advantage_by_level(e8, e8.runs["autonomy_mean"], factor)
    per_level, threshold = {}, None
    for scale in advantage.columns:
        estimate = bootstrap_mean(advantage[scale].to_numpy())
        sign = "below 0" if estimate.high < 0 else ("above 0" if estimate.low > 0 else "includes 0")
        per_level[float(scale)] = (estimate.text(), sign)
        if threshold is None and estimate.high < 0:
            threshold = float(scale)
    return Threshold(advantage, per_level, threshold)


@dataclass
class InvertedU:
    peak: float  # the rivalry level with the highest mean inducements under hedging
    rise: Estimate  # inducements at the peak minus at the lowest level, per unit
    fall: Estimate  # inducements at the peak minus at the highest level
    found: bool  # both intervals above 0 and the peak strictly inside the range


def inverted_u(e6: Sweep) -> InvertedU:
    """E6: hedging's inducements per parameter set and rivalry level; an inverted U when they rise
    from the lowest level to an interior peak and fall from it to the highest, both beyond doubt."""
    hedging = e6.runs[e6.runs["strategy"] == "hedge"]
    by_level = (e6.total("inducement_total", hedging).groupby([hedging["unit"], hedging["rivalry.scale"]]).mean()
                .unstack("rivalry.scale"))
    levels = sorted(by_level.columns)
    peak = float(by_level.mean().idxmax())
    rise = bootstrap_mean((by_level[peak] - by_level[levels[0]]).to_numpy())
    fall = bootstrap_mean((by_level[peak] - by_level[levels[-1]]).to_numpy())
    return InvertedU(peak, rise, fall, levels[0] < peak < levels[-1] and rise.low > 0 and fall.low > 0)

