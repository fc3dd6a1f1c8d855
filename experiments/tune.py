"""Each rule at its best: the same budget of runs for every rule to tune its own parameters for
the secondary's own utility, then a check of the best form on fresh seeds.

As an Axelrod tournament lets each strategy enter in its best form, a rule is compared with the
others at the setting of its own parameters (``model.OWN_PARAMETERS``) that serves S best, not
only at its documented defaults. The objective is S's utility as ODD §4 defines it and the model
records it every quarter (``utility``: w_sec Sec + w_eco growth/1% + w_aut A - c sum e), averaged
over the run; no rule's own parameters include the utility's weights.

For every strategy: a Latin hypercube (McKay, Beckman & Conover 1979) of ``points`` settings of
its own parameters over their documented ranges, the defaults being point 0, each run on the same
``search_seeds`` seeds (common random numbers: points differ by setting, not by luck); the point
with the highest mean utility is the best form. Defaults and best form are then run on
``verify_seeds`` fresh seeds, and their utility and outcomes are reported with 95% bootstrap
intervals. Every rule gets ``points x search_seeds`` search runs and ``2 x verify_seeds``
verification runs. The same arguments give the same numbers.

Seeds: search run k has ``SeedSequence(seed, spawn_key=(0, k))``, verification run k
``SeedSequence(seed, spawn_key=(1, k))``, and the hypercube of strategy i (its index in
``model.STRATEGIES``) ``SeedSequence(seed, spawn_key=(2, i))``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import tomli_w
from scipy.stats import qmc

from multivector import model
from multivector.experiments.compare import run_metrics
from multivector.experiments.intervals import bootstrap_percentile

BATCH = 256  # runs stepped together
REPORTED = ("utility", "autonomy", "security", "welfare", "client_quarters", "pressure_episodes")


@dataclass(frozen=True)
class Budget:
    """How many runs each rule gets: ``points`` settings x ``search_seeds``, then defaults and the
    best form on ``verify_seeds`` fresh seeds each."""

    points: int = 32
    search_seeds: int = 8
    verify_seeds: int = 32

    def runs_per_rule(self) -> int:
        return self.points * self.search_seeds + 2 * self.verify_seeds


@dataclass
class Tuning:
    scenario: str
    seed: int
    budget: Budget
    steps: int
    search: pd.DataFrame  # one row per (strategy, point): its setting, mean and s.d. of utility
    verify: pd.DataFrame  # one row per (strategy, form, replication): utility and outcomes
    best: dict[str, dict[str, Any]] = field(default_factory=dict)  # strategy -> overrides of its best form

    def summary(self) -> pd.DataFrame:
        """Per strategy, form and reported outcome: mean and 95% bootstrap interval over the
        verification seeds."""
        rows = []
        for (strategy, form), group in self.verify.groupby(["strategy", "form"], sort=False):
            for metric in REPORTED:
                mean, low, high = bootstrap_percentile(group[metric].to_numpy())
                rows.append({"strategy": strategy, "form": form, "metric": metric, "mean": mean, "ci_low": low,
                             "ci_high": high, "n": len(group)})
        return pd.DataFrame(rows)


def seeds(seed: int, stream: int, count: int) -> list[np.random.SeedSequence]:
    """Seed k of a stream (0 search, 1 verification): ``SeedSequence(seed, spawn_key=(stream, k))``."""
    return [np.random.SeedSequence(seed, spawn_key=(stream, k)) for k in range(count)]


def settings(scenario: str, strategy: str, points: int, seed: int) -> list[dict[str, Any]]:
    """``points`` settings of the strategy's own parameters: the defaults (no overrides) first,
    then a Latin hypercube over each parameter's documented range (integers rounded)."""
    rows = {row.path: row for row in model.parameter_table(scenario)}
    paths = model.OWN_PARAMETERS[strategy]
    key = model.STRATEGIES.index(strategy)
    out: list[dict[str, Any]] = [{}]
    if points > 1:
        sampler = qmc.LatinHypercube(d=len(paths), seed=np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2, key))))
        unit = sampler.random(points - 1)
        for u in unit:
            setting = {}
            for path, value in zip(paths, u):
                row = rows[path]
                x = row.min + value * (row.max - row.min)
                setting[path] = int(round(x)) if row.type == "int" else float(x)
            out.append(setting)
    return out


def mean_utilities(scenario: str, strategy: str, overrides: Sequence[dict[str, Any]],
                   run_seeds: Sequence[np.random.SeedSequence], steps: int | None,
                   on_runs: Callable[[int], None] | None = None) -> np.ndarray:
    """(settings, seeds) run-mean utility of each setting on each seed, on the array engine."""
    cases = [(i, k) for i in range(len(overrides)) for k in range(len(run_seeds))]
    out = np.zeros((len(overrides), len(run_seeds)))
    for start in range(0, len(cases), BATCH):
        batch = cases[start:start + BATCH]
        world = model.Ensemble(scenario, [strategy] * len(batch), [overrides[i] for i, _ in batch],
                               [run_seeds[k] for _, k in batch], steps)
        total = np.zeros(len(batch))
        while world.running:
            world.step()
            total += world.utility
        mean = total / max(world.quarter, 1)
        for (i, k), value in zip(batch, mean):
            out[i, k] = value
        if on_runs is not None:
            on_runs(len(batch))
    return out


def verify(scenario: str, strategy: str, forms: dict[str, dict[str, Any]], run_seeds: Sequence[np.random.SeedSequence],
           steps: int | None) -> pd.DataFrame:
    """Each form (name -> overrides) of the strategy on the fresh seeds: utility and outcomes per run."""
    power_ids = model.load_scenario(scenario).power_ids
    names = list(forms)
    cases = [(name, k) for name in names for k in range(len(run_seeds))]
    rows = []
    for start in range(0, len(cases), BATCH):
        batch = cases[start:start + BATCH]
        frames = model.simulate_many(scenario, [strategy] * len(batch), [run_seeds[k] for _, k in batch], steps,
                                     overrides=[forms[name] for name, _ in batch])
        for (name, k), frame in zip(batch, frames):
            run = frame.iloc[1:] if len(frame) > 1 else frame
            rows.append({"strategy": strategy, "form": name, "replication": k, "utility": float(run["utility"].mean()),
                         **run_metrics(frame, power_ids)})
    return pd.DataFrame(rows)


def tune(scenario: str = model.DEFAULT_SCENARIO, strategies: Sequence[str] = model.STRATEGIES, budget: Budget = Budget(),
         seed: int = 0, steps: int | None = None, on_runs: Callable[[int], None] | None = None) -> Tuning:
    """Tune every strategy's own parameters with the same budget; see the module docstring."""
    search_seeds = seeds(seed, 0, budget.search_seeds)
    fresh = seeds(seed, 1, budget.verify_seeds)
    search_rows, verified, best = [], [], {}
    for strategy in strategies:
        points = settings(scenario, strategy, budget.points, seed)
        utilities = mean_utilities(scenario, strategy, points, search_seeds, steps, on_runs)
        means = utilities.mean(axis=1)
        chosen = int(np.argmax(means))  # ties: the earliest point, so the defaults win a tie
        for i, (setting, row) in enumerate(zip(points, utilities)):
            search_rows.append({"strategy": strategy, "point": i, "chosen": i == chosen, "utility_mean": float(row.mean()),
                                "utility_sd": float(row.std(ddof=1)) if len(row) > 1 else 0.0, **setting})
        best[strategy] = dict(points[chosen])
        verified.append(verify(scenario, strategy, {"defaults": {}, "best": best[strategy]}, fresh, steps))
        if on_runs is not None:
            on_runs(2 * budget.verify_seeds)
    scenario_steps = model.load_scenario(scenario).steps if steps is None else steps
    return Tuning(scenario, seed, budget, scenario_steps, pd.DataFrame(search_rows),
                  pd.concat(verified, ignore_index=True), best)


def best_forms_text(tuning: Tuning, command: str) -> str:
    """The best forms as TOML: how they were found (budget, seeds, command) and, per strategy, the
    overrides of its best form and its utility on the fresh seeds beside the defaults'."""
    summary = tuning.summary()
    b = tuning.budget

    def stat(strategy: str, form: str, metric: str) -> list[float]:
        row = summary[(summary.strategy == strategy) & (summary.form == form) & (summary.metric == metric)].iloc[0]
        return [round(float(row["mean"]), 6), round(float(row["ci_low"]), 6), round(float(row["ci_high"]), 6)]

    search = tuning.search
    spec: dict[str, Any] = {
        "tuning": {
            "scenario": tuning.scenario, "seed": tuning.seed, "steps": tuning.steps, "points": b.points,
            "search_seeds": b.search_seeds, "verify_seeds": b.verify_seeds, "runs_per_rule": b.runs_per_rule(),
            "objective": "run-mean utility U_S (ODD §4, the model's `utility` column)",
            "design": "Latin hypercube over each rule's own parameters (model.OWN_PARAMETERS), defaults as point 0",
            "intervals": "mean [95% percentile bootstrap] over the verification seeds",
            "seeds": "search run k: SeedSequence(seed, spawn_key=(0, k)); verification run k: SeedSequence(seed, "
                     "spawn_key=(1, k)); hypercube of strategy i (index in model.STRATEGIES): SeedSequence(seed, "
                     "spawn_key=(2, i))",
            "own_parameters": {strategy: list(model.OWN_PARAMETERS[strategy]) for strategy in tuning.best},
        },
        "forms": {},
    }
    for strategy, overrides in tuning.best.items():
        chosen = search[(search.strategy == strategy) & search.chosen].iloc[0]
        spec["forms"][strategy] = {
            "overrides": {k: v for k, v in overrides.items()},
            "search_utility": round(float(chosen["utility_mean"]), 6),
            "utility_defaults": stat(strategy, "defaults", "utility"),
            "utility_best": stat(strategy, "best", "utility"),
        }
    header = (f"# Each rule at its best on scenario '{tuning.scenario}' (experiments/tune.py).\n"
              f"# Reproduce: {command}\n")
    return header + tomli_w.dumps(spec)


def read_best_forms(path: Path) -> dict[str, dict[str, Any]]:
    """Strategy -> overrides of its best form, from a file :func:`best_forms_text` wrote. Raises
    ValueError naming what is wrong."""
    import tomllib  # noqa: PLC0415

    try:
        data = tomllib.loads(path.read_text())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"cannot read best forms '{path}': {error}") from None
    forms = data.get("forms")
    if not isinstance(forms, dict) or not forms:
        raise ValueError(f"best forms '{path}' has no [forms] table")
    out = {}
    for strategy, entry in forms.items():
        if strategy not in model.STRATEGIES:
            raise ValueError(f"best forms '{path}': unknown strategy '{strategy}'")
        overrides = entry.get("overrides") if isinstance(entry, dict) else None
        if not isinstance(overrides, dict):
            raise ValueError(f"best forms '{path}': strategy '{strategy}' has no overrides table")
        out[strategy] = dict(overrides)
    return out
