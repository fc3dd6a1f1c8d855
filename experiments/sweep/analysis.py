"""Analysis of a sweep: tables with 95% intervals (percentile bootstrap), and SALib sensitivity indices.

Every function returns a pandas DataFrame and works on ``ok`` runs only (failed runs are
counted, never averaged in). Sensitivity indices need the design they were sampled for: a
Sobol analysis of a grid, or a Morris analysis of a Sobol sample, is refused with
:class:`UsageError` rather than giving numbers that mean nothing (SALib/SALib#172).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from multivector.experiments.errors import UsageError
from multivector.experiments.intervals import bootstrap_mean

CONFIDENCE = 0.95


def varied_factors(results) -> list[str]:
    """The factors a sweep varies by design (grid or sampled); a grid's accepted parameter sets
    (``design.parameter_sets``) are replications of the calibration, not factors to tabulate one by one."""
    return [path for path, f in results.experiment.factors.items() if not f.from_sets]


def ok_runs(runs: pd.DataFrame) -> pd.DataFrame:
    return runs[runs["status"] == "ok"] if len(runs) else runs


def _interval(values: pd.Series, confidence: float) -> tuple[float, float, float, float]:
    """Mean, standard deviation and a percentile-bootstrap interval of the mean (it stays inside the
    measure's range, unlike a Student-t interval with few runs or rare events)."""
    values = values.dropna().astype(float)
    n = len(values)
    if n < 2:
        return (float(values.mean()) if n else np.nan), np.nan, np.nan, np.nan
    mean, low, high = bootstrap_mean(values.to_numpy(), confidence)
    return mean, float(values.std(ddof=1)), low, high


def _summarise(groups, measures: list[str], keys: list[str], confidence: float) -> pd.DataFrame:
    rows = []
    for key, frame in groups:
        key = key if isinstance(key, tuple) else (key,)
        for measure in measures:
            mean, std, low, high = _interval(frame[measure], confidence)
            rows.append({**dict(zip(keys, key)), "measure": measure, "n": int(frame[measure].notna().sum()),
                         "mean": mean, "std": std, "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows, columns=[*keys, "measure", "n", "mean", "std", "ci_low", "ci_high"])


def summary_by_strategy(runs: pd.DataFrame, measures: list[str], confidence: float = CONFIDENCE) -> pd.DataFrame:
    """Per strategy and measure: n, mean, std and the 95% interval of the mean (all points pooled)."""
    runs = ok_runs(runs)
    if not len(runs):
        raise UsageError("the sweep has no successful runs to summarise")
    return _summarise(runs.groupby("strategy", sort=True), measures, ["strategy"], confidence)


def summary_by_factor(runs: pd.DataFrame, factor: str, measures: list[str], bins: int | None = None,
                      confidence: float = CONFIDENCE) -> pd.DataFrame:
    """Per strategy and factor level: mean and 95% interval of each measure.

    Listed (grid) values are their own levels; sampled factors are cut into ``bins``
    equal-count bins (default 5), labelled by the bin's middle value.
    """
    runs = ok_runs(runs)
    if factor not in runs.columns:
        raise UsageError(f"{factor!r} is not a factor of this sweep")
    runs = runs.copy()
    if bins:
        codes, edges = pd.qcut(runs[factor], q=bins, retbins=True, duplicates="drop", labels=False)
        middles = (edges[:-1] + edges[1:]) / 2
        runs[factor] = middles[codes.to_numpy()]
    table = _summarise(runs.groupby(["strategy", factor], sort=True), measures, ["strategy", "level"], confidence)
    table.insert(1, "factor", factor)
    return table


def _design_kind(results) -> str:
    return results.experiment.design.kind


def _point_means(results, strategy: str, measure: str) -> np.ndarray:
    """The measure at each design point for one strategy, averaged over replications."""
    runs = ok_runs(results.runs)
    runs = runs[runs["strategy"] == strategy]
    means = runs.groupby("point")[measure].mean()
    points = len(results.design)
    missing = sorted(set(range(points)) - set(means.index))
    if missing:
        raise UsageError(
            f"strategy {strategy!r}: design point {missing[0]} has no successful run "
            f"({len(missing)} of {points} points missing); finish the sweep with --resume --retry-failed"
        )
    return means.reindex(range(points)).to_numpy(dtype=float)


def _problem(results) -> dict:
    experiment = results.experiment
    factors = list(experiment.factors.values())
    return {"num_vars": len(factors), "names": [f.path for f in factors], "bounds": [[f.low, f.high] for f in factors]}


def _bootstrap_seed(results) -> int:
    # the bootstrap of the intervals is seeded too, so `analyze` prints the same numbers twice
    return int(results.manifest.get("design", {}).get("sampler_seed") or 0)


def sobol_indices(results, measures: list[str], confidence: float = CONFIDENCE) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol indices with their intervals, per strategy."""
    from SALib.analyze import sobol

    if _design_kind(results) != "sobol":
        raise UsageError(f"Sobol indices need a sobol design; this sweep's design is {_design_kind(results)}")
    problem = _problem(results)
    second_order = results.experiment.design.second_order
    rows = []
    for strategy in results.experiment.strategies:
        for measure in measures:
            y = _point_means(results, strategy, measure)
            if np.ptp(y) == 0:  # SALib would print 0 +/- 0 (or NaN): say why there are no indices
                rows += [{"strategy": strategy, "measure": measure, "factor": name, "S1": np.nan, "S1_conf": np.nan,
                          "ST": np.nan, "ST_conf": np.nan, "note": f"constant output ({y[0]:.4g}): no factor moves it"}
                         for name in problem["names"]]
                continue
            with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
                warnings.simplefilter("always")
                index = sobol.analyze(problem, y, calc_second_order=second_order, conf_level=confidence,
                                      seed=_bootstrap_seed(results))
            note = _note(caught, results.experiment.design.samples, MIN_SOBOL_SAMPLES)
            for i, name in enumerate(problem["names"]):
                rows.append({"strategy": strategy, "measure": measure, "factor": name,
                             "S1": index["S1"][i], "S1_conf": index["S1_conf"][i],
                             "ST": index["ST"][i], "ST_conf": index["ST_conf"][i],
                             "note": note or _unresolved(index["ST"][i], index["ST_conf"][i])})
    return pd.DataFrame(rows)


MIN_SOBOL_SAMPLES = 64  # below this base sample Sobol intervals are too wide to rank factors (Saltelli et al. 2010)


def _note(caught, samples: int, minimum: int) -> str:
    """SALib's own warnings, and a warning of our own when the sample is too small, as one line."""
    parts = sorted({str(w.message).splitlines()[0] for w in caught})
    if samples < minimum:
        parts.insert(0, f"N = {samples} < {minimum}: indices unreliable")
    return "; ".join(parts)


def _unresolved(index: float, half_width: float) -> str:
    return "interval includes 0" if abs(index) <= half_width else ""


def morris_indices(results, measures: list[str], confidence: float = CONFIDENCE) -> pd.DataFrame:
    """Morris elementary effects: mu, mu* (with interval) and sigma, per strategy."""
    from SALib.analyze import morris

    if _design_kind(results) != "morris":
        raise UsageError(f"Morris indices need a morris design; this sweep's design is {_design_kind(results)}")
    problem = _problem(results)
    x = results.design[problem["names"]].to_numpy(dtype=float)
    rows = []
    for strategy in results.experiment.strategies:
        for measure in measures:
            y = _point_means(results, strategy, measure)
            if np.ptp(y) == 0:
                rows += [{"strategy": strategy, "measure": measure, "factor": name, "mu": np.nan, "mu_star": np.nan,
                          "mu_star_conf": np.nan, "sigma": np.nan,
                          "note": f"constant output ({y[0]:.4g}): no factor moves it"} for name in problem["names"]]
                continue
            with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
                warnings.simplefilter("always")
                index = morris.analyze(problem, x, y, conf_level=confidence,
                                       num_levels=results.experiment.design.levels, seed=_bootstrap_seed(results))
            note = _note(caught, results.experiment.design.samples, 0)
            for i, name in enumerate(problem["names"]):
                rows.append({"strategy": strategy, "measure": measure, "factor": name, "mu": index["mu"][i],
                             "mu_star": index["mu_star"][i], "mu_star_conf": index["mu_star_conf"][i],
                             "sigma": index["sigma"][i], "note": note})
    return pd.DataFrame(rows)


def analyze(results, method: str = "auto", measures: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """The tables ``multivector analyze`` prints, by title."""
    measures = measures or list(results.experiment.measures)
    kind = _design_kind(results)
    tables: dict[str, pd.DataFrame] = {}
    if method in ("auto", "summary"):
        tables["by strategy"] = summary_by_strategy(results.runs, measures)
    if method in ("auto", "factors"):
        if not varied_factors(results) and method == "factors":
            raise UsageError("this sweep varies no factor")
        bins = None if kind == "grid" else 5
        for factor in varied_factors(results):
            tables[f"by {factor}"] = summary_by_factor(results.runs, factor, measures, bins=bins)
    if method == "sobol" or (method == "auto" and kind == "sobol"):
        tables["sobol indices"] = sobol_indices(results, measures)
    if method == "morris" or (method == "auto" and kind == "morris"):
        tables["morris indices"] = morris_indices(results, measures)
    return tables
