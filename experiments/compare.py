"""Every strategy on the same scenario and seeds: per-run metrics and a summary with 95% CIs.

Each replication r uses ``SeedSequence(seed, spawn_key=(r,))`` for every strategy (common
random numbers), so differences between strategies are not differences of luck. The CLI's
``compare`` and the app's Compare view both call ``compare_strategies`` and ``summary``, so the
same seed and replications give the same numbers in both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from multivector import model
from multivector.experiments.intervals import bootstrap_percentile
from multivector.model.scenarios import DEFAULT_SCENARIO

# Run-level metrics (``model.OUTCOMES``), each with how it is computed from the per-quarter table
# and what it means, and which statistic of the run it is (printed beside it, written to summary.csv).
METRICS: dict[str, str] = {o.name: o.description for o in model.OUTCOMES}
STATISTICS: dict[str, str] = {o.name: o.shown_statistic for o in model.OUTCOMES}


def run_metrics(frame: pd.DataFrame, power_ids: tuple[str, ...]) -> dict[str, float]:
    """The run-level metrics of one per-quarter table (initial state excluded from means)."""
    return {o.name: o.of_run(frame, power_ids) for o in model.OUTCOMES}


def mean_ci(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and Student-t confidence interval; a single value has an interval of zero width."""
    values = np.asarray(values, dtype=float)
    mean = float(values.mean())
    if len(values) < 2 or np.allclose(values, values[0]):
        return mean, mean, mean
    half = float(stats.t.ppf(0.5 + level / 2, len(values) - 1) * stats.sem(values))
    return mean, mean - half, mean + half


@dataclass
class Comparison:
    scenario: str
    seed: int
    replications: int
    power_ids: tuple[str, ...]
    runs: pd.DataFrame  # one row per (strategy, replication): metrics, and the form (defaults, best)
    steps: pd.DataFrame  # every quarter of every run, with strategy and replication columns

    def summary(self) -> pd.DataFrame:
        """One row per strategy and metric: mean over replications, and its 95% percentile-bootstrap
        interval (ci_low, ci_high), which stays within the runs' values and so within the
        metric's range, unlike a Student-t interval over few runs."""
        rows = []
        for (strategy, form), group in self.runs.groupby(["strategy", "form"], sort=False):
            for metric in METRICS:
                mean, low, high = bootstrap_percentile(group[metric].to_numpy())
                rows.append({"strategy": strategy, "form": form, "metric": metric, "statistic": STATISTICS[metric],
                             "mean": mean, "ci_low": low, "ci_high": high, "n": len(group)})
        return pd.DataFrame(rows)


BATCH = 256  # runs stepped together; bounds the memory a batch's per-quarter records take


def replication_seeds(seed: int, count: int) -> list[np.random.SeedSequence]:
    """Replication r's seed: ``SeedSequence(seed, spawn_key=(r,))`` (compare, ``run --replications``)."""
    return [np.random.SeedSequence(seed, spawn_key=(r,)) for r in range(count)]


DEFAULTS = "defaults"


def form_label(strategy: str, form: str) -> str:
    """How a strategy in a form is named in tables and figures: its name at its defaults,
    ``name (form)`` otherwise (``hedge (best)``)."""
    return strategy if form == DEFAULTS else f"{strategy} ({form})"


def strategies_to_compare(scenario: str) -> tuple[str, ...]:
    """Every strategy, and a real case's ``historical`` one where it is not simply one of them (its
    record switches rule, or names an adversary or patron): the case's history beside its
    counterfactuals, on the same seeds."""
    case = model.load_scenario(scenario).case
    periods = case.strategy if case is not None else ()
    if len(periods) > 1 or any(p.adversary or p.patron for p in periods):
        return (*model.STRATEGIES, model.HISTORICAL)
    return model.STRATEGIES


def compare_strategies(scenario: str = DEFAULT_SCENARIO, replications: int = 20, seed: int = 0,
                       strategies: tuple[str, ...] = model.STRATEGIES, steps: int | None = None,
                       on_runs: Callable[[int], None] | None = None,
                       overrides: dict | None = None,
                       forms: dict[str, dict[str, dict]] | None = None) -> Comparison:
    """Run every strategy ``replications`` times on common seeds (replication r of every strategy
    has seed ``SeedSequence(seed, spawn_key=(r,))``). Runs are stepped together on the array
    engine, in batches of up to ``BATCH``; each equals the Mesa run with its seed. ``on_runs(n)``
    is told when n more runs have finished (it may raise to stop). ``overrides`` (validated
    parameter values, as ``model.validate_overrides`` returns them) apply to every run.

    ``forms`` (form name -> strategy -> overrides) runs each strategy in each form, on the same
    seeds: ``{"defaults": {}, "best": best_forms}`` compares every rule at its defaults and at its
    best (a strategy missing from a form's table is not run in it). Without it, every strategy runs
    at its defaults. A run's ``strategy`` column is :func:`form_label`, its ``form`` the form."""
    power_ids = model.load_scenario(scenario).power_ids
    forms = {DEFAULTS: {strategy: {} for strategy in strategies}} if forms is None else forms
    variants = [(form, strategy, {**(overrides or {}), **table[strategy]})
                for form, table in forms.items() for strategy in strategies if strategy in table]
    cases = [(replication, variant) for replication in range(replications) for variant in variants]
    metric_rows, frames = [], []
    seeds = replication_seeds(seed, replications)
    for start in range(0, len(cases), BATCH):
        batch = cases[start:start + BATCH]
        runs = model.simulate_many(scenario, [v[1] for _, v in batch], [seeds[r] for r, _ in batch], steps,
                                   overrides=[v[2] or None for _, v in batch])
        for (replication, (form, strategy, _)), frame in zip(batch, runs):
            label = form_label(strategy, form)
            metric_rows.append({"strategy": label, "form": form, "replication": replication,
                                **run_metrics(frame, power_ids)})
            frames.append(frame.assign(strategy_setting=label, replication=replication, form=form))
        if on_runs is not None:
            on_runs(len(batch))
    return Comparison(scenario, seed, replications, power_ids, pd.DataFrame(metric_rows),
                      pd.concat(frames, ignore_index=True))
