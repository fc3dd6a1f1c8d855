"""Autonomy taken apart: its parts on their own scales, and its verdicts over every weighting of them.

The model scores autonomy each quarter as ``A = exp(-loss)``, ``loss = sum_k w_k S_k / W``, where
``S_k`` is part ``k`` summed over the trailing window of ``W`` quarters (the current one included)
and the parts are forced deviation from S's own plan, cost of concessions made, pressure suffered
(intensity times leverage) and coercion events (ODD eq. 21; :func:`model.measures.autonomy`). The
record keeps each part per quarter (``forced_deviation``, ``concession_cost``, ``pressure_suffered``,
and coercion as the rise of the cumulative ``coercion_P`` columns), so autonomy can be recomputed
at any weights from a sweep's kept quarters: :func:`autonomy_at` does it the way the model does,
and a test checks that the model's own weights give back the recorded ``autonomy``.

The weights are placeholders (``multivector params``: measures.autonomy_*), so a verdict about
autonomy is computed over the whole simplex of their shares (:func:`simplex`), each share times the
model's total weight: the report gives the share of weightings in which the verdict holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from multivector import model

from .data import Sweep

# the parts of autonomy's loss (ODD eq. 21), each with the record column it is read from and its
# weight's parameter; coercion is read from the cumulative per-power counts
PARTS: dict[str, tuple[str, str]] = {
    "deviation": ("forced_deviation", "measures.autonomy_deviation"),
    "concession": ("concession_cost", "measures.autonomy_concession"),
    "pressure": ("pressure_suffered", "measures.autonomy_pressure"),
    "coercion": ("coercion_{g}", "measures.autonomy_coercion"),
}
WINDOW = "measures.window"
# the step of the regular grid on the simplex of the parts' shares (1/12: 455 weightings)
GRID = 12

# Autonomy's parts as what they are, per run (the report's tables and compare's summary): label ->
# (run-level column it is computed from, how). Quarters under pressure counts quarters in which any
# power pressed S, whatever its intensity.
PART_LABELS = {
    "quarters_under_pressure": "quarters under pressure (any power)",
    "pressure_suffered": "pressure suffered (intensity x leverage, summed)",
    "concession_cost": "cost of concessions made (summed)",
    "forced_deviation": "forced deviation from S's plan (engagement units, summed)",
    "coercion_events": "coercion events (all powers)",
}
PART_COLUMNS = ("forced_deviation", "concession_cost", "pressure_suffered")


def step_columns(power_ids: tuple[str, ...] | list[str]) -> list[str]:
    """The per-quarter record columns autonomy's parts are read from (a design keeps them)."""
    return [*PART_COLUMNS, *(f"pressure_{g}" for g in power_ids), *(f"coercion_{g}" for g in power_ids)]


def quarterly_parts(steps: pd.DataFrame, power_ids: tuple[str, ...] | list[str]) -> np.ndarray:
    """(N, 4) the parts of each kept quarter (rows of ``steps`` sorted by run and step), in
    :data:`PARTS` order: coercion is the quarter's rise in coercion events over all powers."""
    coercion = steps[[f"coercion_{g}" for g in power_ids]].sum(axis=1).to_numpy(dtype=float)
    new = np.diff(coercion, prepend=0.0)
    first = np.r_[True, steps["run_id"].to_numpy()[1:] != steps["run_id"].to_numpy()[:-1]]
    new[first] = coercion[first]  # the first kept quarter of a run: its count so far
    return np.column_stack([steps[c].to_numpy(dtype=float) for c in PART_COLUMNS] + [new])


def window_sums(parts: np.ndarray, run: np.ndarray, window: np.ndarray) -> np.ndarray:
    """(N, 4) each part summed over each row's trailing window of ``window`` rows of the same run,
    itself included (rows sorted by run and step, one row per quarter)."""
    n = len(parts)
    total = np.vstack([np.zeros((1, parts.shape[1])), np.cumsum(parts, axis=0)])  # total[i] = sum of rows < i
    index = np.arange(n)
    starts = np.r_[0, np.flatnonzero(run[1:] != run[:-1]) + 1]
    start = np.repeat(starts, np.diff(np.r_[starts, n]))
    oldest = np.maximum(index + 1 - window.astype(int), start)
    return total[index + 1] - total[oldest]


def autonomy_at(sums: np.ndarray, window: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(N, K) autonomy of each row at K weightings (``weights``: (N, 4, K) or (4, K)): exp of minus
    the weighted window sums over the window, as :func:`model.measures.autonomy`."""
    loss = np.einsum("nk,nkj->nj", sums, weights) if weights.ndim == 3 else sums @ weights
    return np.exp(-loss / window[:, None])


def run_parameter(sweep: Sweep, path: str) -> pd.Series:
    """Per run (index: run_id), the value of parameter ``path``: a factor or calibrated column of
    the runs table, else the experiment's fixed value, else the scenario's default."""
    runs = sweep.runs
    if path in runs.columns:
        return pd.Series(runs[path].to_numpy(dtype=float), index=runs["run_id"])
    experiment = sweep.results.experiment
    if path in experiment.fixed:
        value = experiment.fixed[path]
    else:
        value = model.load_scenario(experiment.scenario).parameters
        for name in path.split("."):
            value = getattr(value, name)
    return pd.Series(float(value), index=runs["run_id"])


@dataclass
class Quarters:
    """A sweep's kept quarters ready for reweighing: window sums of the parts per row, each row's
    run, window, the model's weights, and the rows that count toward run means (step > 0)."""

    steps: pd.DataFrame  # run_id, step, quarter of each row (sorted)
    sums: np.ndarray  # (N, 4)
    window: np.ndarray  # (N,)
    weights: np.ndarray  # (N, 4) the model's weights of each row's run


def quarters(sweep: Sweep) -> Quarters:
    experiment = sweep.results.experiment
    if experiment.collect_every != 1:
        raise ValueError(f"{sweep.name}: autonomy can be reweighed only from every quarter (collect.every = 1)")
    steps = sweep.steps.sort_values(["run_id", "step"], kind="stable")
    runs = steps["run_id"].to_numpy()
    window = run_parameter(sweep, WINDOW).reindex(runs).to_numpy(dtype=float)
    weights = np.column_stack([run_parameter(sweep, p).reindex(runs).to_numpy(dtype=float) for _, p in PARTS.values()])
    sums = window_sums(quarterly_parts(steps, experiment.power_ids), runs, window)
    return Quarters(steps[["run_id", "step", "quarter"]].reset_index(drop=True), sums, window, weights)


def simplex_grid(parts: int = len(PARTS), step: int = GRID) -> np.ndarray:
    """(K, parts) every point of the regular grid of step 1/``step`` on the simplex (shares summing to 1)."""
    points = []
    for bars in combinations(range(step + parts - 1), parts - 1):  # stars and bars
        edges = (-1, *bars, step + parts - 1)
        points.append([edges[i + 1] - edges[i] - 1 for i in range(parts)])
    return np.asarray(points, dtype=float) / step


def run_means(q: Quarters, shares: np.ndarray, first: int | None = None, last: int | None = None,
              chunk: int = 32) -> pd.DataFrame:
    """(runs, K) each run's mean autonomy over its quarters after the start (and within ``first``..
    ``last``, keys like 20141), at each of the K weightings ``shares`` (K, 4): each share times the
    total of the run's own weights. ``shares=None``-like use: pass the model's shares to get its value."""
    keep = (q.steps["step"] > 0).to_numpy()
    if first is not None:
        keep &= q.steps["quarter"].between(first, last).to_numpy()
    runs = q.steps["run_id"].to_numpy()[keep]
    sums, window, total = q.sums[keep], q.window[keep], q.weights[keep].sum(axis=1)
    codes, index = pd.factorize(runs)
    counts = np.bincount(codes)
    out = np.empty((len(index), len(shares)))
    for start in range(0, len(shares), chunk):
        block = shares[start:start + chunk].T  # (4, k)
        values = np.exp(-(sums @ block) * (total / window)[:, None])
        for j in range(values.shape[1]):
            out[:, start + j] = np.bincount(codes, weights=values[:, j]) / counts
    return pd.DataFrame(out, index=pd.Index(index, name="run_id"))


def model_means(q: Quarters, first: int | None = None, last: int | None = None) -> pd.Series:
    """Each run's mean autonomy at its own (the model's) weights, recomputed from the parts."""
    keep = (q.steps["step"] > 0).to_numpy()
    if first is not None:
        keep &= q.steps["quarter"].between(first, last).to_numpy()
    values = autonomy_at(q.sums[keep], q.window[keep], q.weights[keep][:, :, None])[:, 0]
    return pd.Series(values).groupby(q.steps["run_id"].to_numpy()[keep]).mean()


@dataclass
class Reweighed:
    """How one autonomy statistic is recomputed at other weights: ``statistic`` maps each run's
    autonomy (a Series indexed by run_id) to the per-unit statistic; ``hedge_sign`` is +1 when a
    positive statistic means hedging keeps more autonomy, -1 when it means less, 0 when the
    statistic compares no rule with hedging."""

    sweep: Sweep
    statistic: Callable[[pd.Series], pd.Series]
    hedge_sign: int = 1
    window: tuple[int, int] | None = None


@dataclass
class Simplex:
    shares: np.ndarray  # (K, 4) the weightings
    estimates: np.ndarray  # (K,) the statistic's estimate at each
    verdicts: list[str]  # the decision rule's verdict at each
    hedge_wins: np.ndarray  # (K,) bool: hedging keeps more autonomy beyond the margin (None-like: all False)
    model_shares: np.ndarray  # (4,) the model's own shares

    @property
    def share_supported(self) -> float:
        from .evidence import SUPPORTED  # noqa: PLC0415

        return float(np.mean([v == SUPPORTED for v in self.verdicts]))

    @property
    def share_hedge_wins(self) -> float:
        return float(self.hedge_wins.mean())


def simplex(reweighed: Reweighed, margin: float, kind: str, shares: np.ndarray | None = None) -> Simplex:
    """The statistic and its verdict at every weighting of the grid on the simplex."""
    from .evidence import SUPPORTED, bootstrap_mean, verdict  # noqa: PLC0415

    shares = simplex_grid() if shares is None else shares
    q = quarters(reweighed.sweep)
    window = reweighed.window or (None, None)
    means = run_means(q, shares, *window)
    estimates, verdicts, wins = [], [], []
    for k in range(len(shares)):
        units = reweighed.statistic(means[k])
        estimate = bootstrap_mean(units.to_numpy(dtype=float))
        estimates.append(estimate.value)
        verdicts.append(verdict(estimate, margin, kind))
        if reweighed.hedge_sign:
            oriented = bootstrap_mean(reweighed.hedge_sign * units.to_numpy(dtype=float))
            wins.append(verdict(oriented, margin, "superiority") == SUPPORTED)
        else:
            wins.append(False)
    model_weights = q.weights[0]
    return Simplex(shares, np.asarray(estimates), verdicts, np.asarray(wins), model_weights / model_weights.sum())


# ----- the parts on their own scales ------------------------------------------------------------

def run_parts(sweep: Sweep) -> pd.DataFrame:
    """Per run (index: run_id): autonomy's parts as what they are (:data:`PART_LABELS`), from the
    kept quarters (after the start)."""
    steps = sweep.steps.sort_values(["run_id", "step"], kind="stable")
    power_ids = sweep.results.experiment.power_ids
    parts = quarterly_parts(steps, power_ids)
    after = (steps["step"] > 0).to_numpy()
    pressed = (steps[[f"pressure_{g}" for g in power_ids]] > 0).any(axis=1).to_numpy()
    frame = pd.DataFrame({
        "quarters_under_pressure": pressed.astype(float),
        "pressure_suffered": parts[:, 2], "concession_cost": parts[:, 1], "forced_deviation": parts[:, 0],
        "coercion_events": parts[:, 3]}, index=steps.index)
    return frame[after].groupby(steps.loc[after, "run_id"].to_numpy()).sum().rename_axis("run_id")
