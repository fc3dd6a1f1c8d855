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

import model
from experiments.intervals import bootstrap_percentile
from model.scenarios import DEFAULT_SCENARIO

# Run-level metrics, each with how it is computed from the per-quarter table and what it means.
METRICS: dict[str, str] = {
    "autonomy": "mean autonomy over the run (exp of minus the freedom lost: forced deviations, concessions, pressure, coercion)",
    "security": "mean security over the run",
    "welfare": "welfare at the end (start = 1)",
    "hedging_index": "mean hedging index over the run (1 = engagement spread evenly; describes the rule's choice)",
    "max_client_index": "mean over quarters of the highest client index",
    "client_quarters": "quarters in client status with any power (index >= threshold for 8+ quarters)",
    "coexistence": "share of quarters with every power at or above its pressure threshold",
    "pressure_episodes": "great-power pressure episodes, all powers",
    "coercion_events": "military or territorial coercion events, all powers",
    "inducements": "inducements received, all powers, summed over the run",
    "abandonment_events": "crises in which the ally asked did not help",
    "entrapment": "mean entrapment (exposure to a patron's war plus costly war-time demands met)",
}


# What statistic of the run each metric is (printed beside it and written to summary.csv).
STATISTICS: dict[str, str] = {
    "autonomy": "run mean", "security": "run mean", "welfare": "final", "hedging_index": "run mean",
    "max_client_index": "run mean of the highest", "client_quarters": "quarters", "coexistence": "share of quarters",
    "pressure_episodes": "count", "coercion_events": "count", "inducements": "sum over run",
    "abandonment_events": "count", "entrapment": "run mean",
}


def run_metrics(frame: pd.DataFrame, power_ids: tuple[str, ...]) -> dict[str, float]:
    """The run-level metrics of one per-quarter table (initial state excluded from means)."""
    run = frame.iloc[1:] if len(frame) > 1 else frame
    last = frame.iloc[-1]
    client_cols = [f"client_index_{g}" for g in power_ids]
    status_cols = [f"client_status_{g}" for g in power_ids]
    return {
        "autonomy": float(run["autonomy"].mean()),
        "security": float(run["security"].mean()),
        "welfare": float(last["welfare"]),
        "hedging_index": float(run["hedging_index"].mean()),
        "max_client_index": float(run[client_cols].max(axis=1).mean()),
        "client_quarters": float(run[status_cols].max(axis=1).sum()),
        "coexistence": float(run["coexistence"].mean()),
        "pressure_episodes": float(sum(last[f"pressure_episodes_{g}"] for g in power_ids)),
        "coercion_events": float(sum(last[f"coercion_{g}"] for g in power_ids)),
        "inducements": float(sum(last[f"inducement_total_{g}"] for g in power_ids)),
        "abandonment_events": float(last["abandonment_events"]),
        "entrapment": float(run["entrapment"].mean()),
    }


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
    runs: pd.DataFrame  # one row per (strategy, replication): metrics
    steps: pd.DataFrame  # every quarter of every run, with strategy and replication columns

    def summary(self) -> pd.DataFrame:
        """One row per strategy and metric: mean over replications, and its 95% percentile-bootstrap
        interval (ci_low, ci_high), which stays within the runs' values and so within the
        metric's range, unlike a Student-t interval over few runs."""
        rows = []
        for strategy, group in self.runs.groupby("strategy", sort=False):
            for metric in METRICS:
                mean, low, high = bootstrap_percentile(group[metric].to_numpy())
                rows.append({"strategy": strategy, "metric": metric, "statistic": STATISTICS[metric], "mean": mean,
                             "ci_low": low, "ci_high": high, "n": len(group)})
        return pd.DataFrame(rows)


BATCH = 256  # runs stepped together; bounds the memory a batch's per-quarter records take


def replication_seeds(seed: int, count: int) -> list[np.random.SeedSequence]:
    """Replication r's seed: ``SeedSequence(seed, spawn_key=(r,))`` (compare, ``run --replications``)."""
    return [np.random.SeedSequence(seed, spawn_key=(r,)) for r in range(count)]


def compare_strategies(scenario: str = DEFAULT_SCENARIO, replications: int = 20, seed: int = 0,
                       strategies: tuple[str, ...] = model.STRATEGIES, steps: int | None = None,
                       on_runs: Callable[[int], None] | None = None,
                       overrides: dict | None = None) -> Comparison:
    """Run every strategy ``replications`` times on common seeds (replication r of every strategy
    has seed ``SeedSequence(seed, spawn_key=(r,))``). Runs are stepped together on the array
    engine, in batches of up to ``BATCH``; each equals the Mesa run with its seed. ``on_runs(n)``
    is told when n more runs have finished (it may raise to stop). ``overrides`` (validated
    parameter values, as ``model.validate_overrides`` returns them) apply to every run."""
    power_ids = model.load_scenario(scenario).power_ids
    cases = [(replication, strategy) for replication in range(replications) for strategy in strategies]
    metric_rows, frames = [], []
    for start in range(0, len(cases), BATCH):
        batch = cases[start:start + BATCH]
        seeds = replication_seeds(seed, replications)
        runs = model.simulate_many(scenario, [s for _, s in batch], [seeds[r] for r, _ in batch], steps,
                                   overrides=[overrides] * len(batch) if overrides else None)
        for (replication, strategy), frame in zip(batch, runs):
            metric_rows.append({"strategy": strategy, "replication": replication, **run_metrics(frame, power_ids)})
            frames.append(frame.assign(strategy_setting=strategy, replication=replication))
        if on_runs is not None:
            on_runs(len(batch))
    return Comparison(scenario, seed, replications, power_ids, pd.DataFrame(metric_rows),
                      pd.concat(frames, ignore_index=True))
