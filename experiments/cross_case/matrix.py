"""The case-by-rule matrix: every real case under every rule and its variants, each in its available
forms, with the case's historical strategy as a reference row, on common seeds (issue 18 item 3).

Each (case, form) is an ordinary sweep the report runs or reuses (:func:`..report.plan.run_or_reuse`:
the same text is never run twice, an interrupted one resumes, a damaged one is rerun after the
integrity check). Every sweep has the same root seed and one design point, so replication r of every
rule, form and case has the seed ``SeedSequence(SEED, spawn_key=(0, r))``: every difference the
matrix reports is paired by seed.

**Forms.** A rule at its documented defaults, and at each shipped best form
(``experiments/data/best-forms-NAME/``, ``multivector tune``: the rule's own parameters tuned for
S's utility in case NAME). A rule's own parameters are the same parameters in every case, so a form
tuned on one case is *available* to every case. A rule's **best available form** in a case is the
form with the highest mean utility U_S there (on the matrix's own seeds: the choice favours the
alternatives a little, which can only make hedging's advantage look smaller).

**Hedging against each alternative.** Per case, hedging in its best available form minus each
alternative in its best available form, on utility and autonomy, paired by seed, with the decision
rule of the report's "each rule at its best" section (:func:`..report.contest.paired_difference`):
hedging beats an alternative only where the whole 95% interval is above zero.

Run outcomes are computed from the kept quarters with the declarations of :mod:`model.outcomes`
(the same numbers ``compare`` shows for the same seed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import tomli_w

from multivector import model
from multivector.experiments.intervals import bootstrap_percentile
from multivector.experiments.report.contest import COMPARED, HEDGE, paired_difference
from multivector.experiments.report.plan import Prepared, run_or_reuse
from multivector.experiments.sweep.experiment import parse_experiment
from multivector.model.outcomes import COLUMNS, FINAL, OUTCOMES, RUN_MEAN, judged_outcomes

from .world import World, world_for

SEED = 2018  # the matrix's root seed: one for every case, rule and form (common random numbers)
REPLICATIONS = {False: 20, True: 2}  # seeds per cell (full, --quick)
DEFAULTS = "defaults"
METRICS = tuple(o.name for o in judged_outcomes())  # every run outcome with a direction
# what the heat map and the report's tables show: autonomy and its parts, security, welfare, clientage, pressure
SHOWN = ("utility", "autonomy", "security", "welfare", "client_quarters", "pressure_episodes", "coercion_events",
         "pressure_suffered", "concession_cost", "forced_deviation")


@dataclass(frozen=True)
class Form:
    """A form every rule can enter in: ``overrides[strategy]`` (empty: the rule's defaults)."""

    name: str
    overrides: dict[str, dict[str, object]]


@dataclass(frozen=True)
class Cell:
    """One sweep of the matrix: a case, a form, the strategies run in it, the parameters fixed."""

    case: str
    form: str
    strategies: tuple[str, ...]
    fixed: dict[str, object] = field(default_factory=dict)

    @property
    def name(self) -> str:
        slug = re.sub(r"[^A-Za-z0-9]+", "-", self.form).strip("-").lower()
        rules = "all" if len(self.strategies) > 1 else self.strategies[0]
        return f"matrix-{self.case}-{slug}-{rules}"


def shipped_forms() -> list[Form]:
    """The best forms shipped in ``experiments/data/best-forms-NAME/``, one form per file, each named
    for the case it was tuned on; only a rule whose best form differs from its defaults is in it."""
    from multivector.experiments.tune import read_best_forms  # noqa: PLC0415
    from multivector.experiments.tune_cli import DATA  # noqa: PLC0415

    forms = []
    for path in sorted(DATA.glob("best-forms-*/best-forms.toml")):
        tuned_on = path.parent.name.removeprefix("best-forms-")
        table = {s: o for s, o in read_best_forms(path).items() if o}
        if table:
            forms.append(Form(f"best ({tuned_on})", table))
    return forms


def cells(cases: Sequence[str], strategies: Sequence[str], forms: Sequence[Form],
          worlds: dict[str, World]) -> list[Cell]:
    """The sweeps of the matrix: per case, every strategy at its defaults (with the case's historical
    strategy as a reference), then each rule with a best form in a sweep of its own (forms of
    different rules share parameters, ``secondary.prudence`` say, so they cannot share a sweep)."""
    out = []
    for case in cases:
        world = worlds[case].overrides
        known = model.strategies_of(model.load_scenario(case))
        reference = (model.HISTORICAL,) if model.HISTORICAL in known else ()
        out.append(Cell(case, DEFAULTS, (*strategies, *reference), dict(world)))
        for form in forms:
            for strategy in strategies:
                if strategy in form.overrides:
                    out.append(Cell(case, form.name, (strategy,), {**world, **form.overrides[strategy]}))
    return out


def measures(power_ids: Sequence[str]) -> list[str]:
    """The record columns the run outcomes are computed from."""
    names: list[str] = []
    for outcome in OUTCOMES:
        if outcome.name in METRICS:
            names += [n for n in COLUMNS[outcome.column].names(power_ids) if n not in names]
    return names


def prepare(cell: Cell, replications: int, steps: int | None = None) -> Prepared:
    """The experiment text of one cell, validated (a bad world or form value: one line, before any run)."""
    scenario = model.load_scenario(cell.case)
    fixed = model.validate_overrides(cell.case, cell.fixed) if cell.fixed else {}
    spec = {"experiment": {"name": cell.name,
                           "description": f"cross-case matrix: {cell.case}, {cell.form}",
                           "scenario": cell.case, "replications": replications, "seed": SEED,
                           "strategies": list(cell.strategies)},
            "fixed": fixed,
            "collect": {"measures": measures(scenario.power_ids), "steps": True, "every": 1}}
    if steps is not None:
        spec["experiment"]["steps"] = steps
    if not fixed:
        del spec["fixed"]
    text = f"# {cell.name}, as run by `multivector report --cases`\n" + tomli_w.dumps(spec)
    parse_experiment(text, source_name=f"{cell.name}.toml")
    return Prepared(cell.name, cell.name, text, ())


def run_outcomes(steps: pd.DataFrame, power_ids: Sequence[str]) -> pd.DataFrame:
    """Per run (index run_id), every outcome of :data:`METRICS` from its kept quarters, as
    :meth:`model.outcomes.Outcome.of_run` computes it from one run's table (step 0 left out of means
    and sums; final values from the last quarter)."""
    steps = steps.sort_values(["run_id", "step"], kind="stable")
    later = steps["step"] > 0
    out = {}
    for outcome in OUTCOMES:
        if outcome.name not in METRICS:
            continue
        values = outcome.quarterly(steps, power_ids).astype(float)
        if outcome.statistic == FINAL:
            out[outcome.name] = values.groupby(steps["run_id"]).last()
        else:
            grouped = values[later].groupby(steps.loc[later, "run_id"])
            out[outcome.name] = grouped.mean() if outcome.statistic == RUN_MEAN else grouped.sum()
    return pd.DataFrame(out)


@dataclass
class Matrix:
    """The matrix's runs (one row per case, strategy, form and seed) and what is read from them."""

    runs: pd.DataFrame  # case, strategy, form, replication, and every metric
    worlds: dict[str, str]  # case -> where its world comes from
    replications: int
    folders: list[tuple[str, int, str]] = field(default_factory=list)  # sweep name, runs, folder

    @property
    def cases(self) -> list[str]:
        return list(dict.fromkeys(self.runs["case"]))

    @property
    def strategies(self) -> list[str]:
        """The rules run, hedge first, then in the registry's order (the historical reference is no rule)."""
        run = set(self.runs["strategy"]) - {model.HISTORICAL}
        order = [HEDGE, *model.STRATEGIES]
        return sorted(run, key=lambda s: (order.index(s) if s in order else len(order), s))

    def summary(self) -> pd.DataFrame:
        """Per case, strategy, form and metric: mean over seeds and its 95% percentile-bootstrap interval."""
        rows = []
        for (case, strategy, form), group in self.runs.groupby(["case", "strategy", "form"], sort=False):
            for metric in METRICS:
                mean, low, high = bootstrap_percentile(group[metric].to_numpy(dtype=float))
                rows.append({"case": case, "strategy": strategy, "form": form, "metric": metric, "mean": mean,
                             "low": low, "high": high, "seeds": len(group)})
        return pd.DataFrame(rows)

    def best_forms(self) -> pd.DataFrame:
        """Per case and rule (the historical reference is no rule), its best available form: the form
        with the highest mean utility in that case. Columns case, strategy, form, utility."""
        rules = self.runs[self.runs["strategy"] != model.HISTORICAL]
        means = rules.groupby(["case", "strategy", "form"], sort=False)["utility"].mean().reset_index()
        best = means.loc[means.groupby(["case", "strategy"], sort=False)["utility"].idxmax()]
        return best.reset_index(drop=True)

    def at_best(self) -> pd.DataFrame:
        """The runs of each rule in its best available form in each case (and the historical reference)."""
        chosen = self.best_forms()[["case", "strategy", "form"]]
        rules = self.runs.merge(chosen, on=["case", "strategy", "form"], how="inner")
        history = self.runs[self.runs["strategy"] == model.HISTORICAL]
        return pd.concat([rules, history], ignore_index=True)

    def contest(self) -> pd.DataFrame:
        """Per case, alternative and metric (:data:`COMPARED`): hedging minus the alternative, each in
        its best available form, paired by seed; ``hedge_better`` by the contest's rule, and
        ``alternative_better`` when the whole interval is below zero."""
        best = self.at_best()
        rows = []
        for case in self.cases:
            runs = best[best["case"] == case]
            hedge = runs[runs["strategy"] == HEDGE].set_index("replication")
            for alternative in self.strategies:
                if alternative == HEDGE:
                    continue
                other = runs[runs["strategy"] == alternative].set_index("replication")
                for metric in COMPARED:
                    d = paired_difference(hedge[metric], other[metric])
                    rows.append({"case": case, "alternative": alternative, "metric": metric, **d,
                                 "alternative_better": d["high"] < 0})
        return pd.DataFrame(rows)

    def hedging_beats_every_alternative(self) -> pd.Series:
        """Per case: does hedging beat the best available form of every alternative on every metric
        compared (utility and autonomy)?"""
        contest = self.contest()
        return contest.groupby("case", sort=False)["hedge_better"].all()

    def advantage(self, metric: str, lowest: bool = False) -> pd.DataFrame:
        """Per case and seed: hedging's ``metric`` minus the best alternative's (the highest mean, or the
        lowest where less is better), each rule in its best available form. Columns case,
        replication, value, hedge, best_alternative."""
        best = self.at_best()
        best = best[best["strategy"] != model.HISTORICAL]
        rows = []
        for case in self.cases:
            runs = best[best["case"] == case]
            means = runs.groupby("strategy")[metric].mean().drop(HEDGE)
            rival = means.idxmin() if lowest else means.idxmax()
            hedge = runs[runs["strategy"] == HEDGE].set_index("replication")[metric]
            other = runs[runs["strategy"] == rival].set_index("replication")[metric].reindex(hedge.index)
            rows.append(pd.DataFrame({"case": case, "replication": hedge.index, "value": (hedge - other).to_numpy(),
                                      "hedge": hedge.to_numpy(), "best_alternative": rival}))
        return pd.concat(rows, ignore_index=True)


def default_strategies() -> tuple[str, ...]:
    """Every strategy of the registry (its rules and ``adaptive``), hedge first."""
    return (HEDGE, *(s for s in model.STRATEGIES if s != HEDGE))


def run_matrix(out: Path, cases: Sequence[str], strategies: Sequence[str] | None = None, quick: bool = False,
               replications: int | None = None, steps: int | None = None, workers: int | None = None,
               announce: Callable[[str], None] = print, progress: bool = True,
               forms: Sequence[Form] | None = None) -> Matrix:
    """Run (or reuse) every sweep of the matrix under ``out/sweeps/`` and gather its runs.
    ``strategies``: default every strategy of the registry, hedge first; ``forms``: default the
    shipped best forms (plus every rule's defaults, always)."""
    strategies = tuple(strategies or default_strategies())
    if HEDGE not in strategies or len(strategies) < 2:
        raise ValueError("the matrix needs hedge and at least one alternative")
    forms = shipped_forms() if forms is None else list(forms)
    replications = replications or REPLICATIONS[quick]
    worlds = {case: world_for(case) for case in cases}
    plan = [(cell, prepare(cell, replications, steps)) for cell in cells(cases, strategies, forms, worlds)]
    frames, folders = [], []
    for cell, prepared in plan:  # every cell validated before the first run
        results = run_or_reuse(prepared, out, workers, announce, progress)
        runs = results.runs
        runs = runs[runs["status"] == "ok"].set_index("run_id")
        outcomes = run_outcomes(results.steps, results.experiment.power_ids)
        table = runs[["strategy", "replication"]].join(outcomes, how="inner")
        frames.append(table.assign(case=cell.case, form=cell.form).reset_index(drop=True))
        folders.append((cell.name, len(table), str(results.path)))
    runs = pd.concat(frames, ignore_index=True)[["case", "strategy", "form", "replication", *METRICS]]
    return Matrix(runs, {case: w.source for case, w in worlds.items()}, replications, folders)


def heat_values(matrix: Matrix, metric: str) -> pd.DataFrame:
    """Case x strategy: the mean of ``metric``, each rule in its best available form, and the
    historical reference last."""
    best = matrix.at_best()
    table = best.groupby(["case", "strategy"])[metric].mean().unstack("strategy")
    order = [s for s in matrix.strategies if s in table] + ([model.HISTORICAL] if model.HISTORICAL in table else [])
    return table.reindex(index=matrix.cases, columns=order)


def heat_map(matrix: Matrix, metrics: Sequence[str] = ("utility", "autonomy", "security", "welfare",
                                                       "client_quarters", "pressure_episodes")):
    """One panel per metric: cases down, rules across (each in its best available form, historical
    last), the mean written in each cell; colour scaled within each panel (darker = better for S)."""
    from matplotlib.figure import Figure  # noqa: PLC0415

    from multivector.model.outcomes import MORE_IS_WORSE, OUTCOME  # noqa: PLC0415

    columns = 3
    rows = int(np.ceil(len(metrics) / columns))
    fig = Figure(figsize=(5.2 * columns, 0.36 * len(matrix.cases) * rows + 2.2 * rows), layout="constrained")
    fig.suptitle(f"Every case under every rule (best available form; mean of {matrix.replications} common seeds); "
                 "darker is better for S", fontsize=10)
    axes = np.atleast_1d(fig.subplots(rows, columns)).ravel()
    for ax, metric in zip(axes, metrics):
        table = heat_values(matrix, metric)
        values = table.to_numpy(dtype=float)
        shown = -values if OUTCOME[metric].direction == MORE_IS_WORSE else values
        span = np.nanmax(shown) - np.nanmin(shown) if np.isfinite(shown).any() else 0.0
        scaled = (shown - np.nanmin(shown)) / span if span > 0 else np.full_like(shown, 0.5)
        ax.imshow(scaled, cmap="Greens", vmin=-0.15, vmax=1.15, aspect="auto")
        for (i, j), value in np.ndenumerate(values):
            ax.text(j, i, "" if not np.isfinite(value) else f"{value:.3g}", ha="center", va="center", fontsize=6,
                    color="white" if scaled[i, j] > 0.65 else "black")
        ax.set_xticks(range(table.shape[1]), table.columns, rotation=40, ha="right", fontsize=7)
        ax.set_yticks(range(table.shape[0]), table.index, fontsize=7)
        ax.set_title(f"{OUTCOME[metric].label} ({OUTCOME[metric].shown_statistic})", fontsize=9)
    for ax in axes[len(metrics):]:
        ax.set_visible(False)
    return fig


def contest_figure(matrix: Matrix, contest: pd.DataFrame | None = None):
    """Per metric compared: case x alternative, hedging minus the alternative (best available forms);
    green where hedging is better beyond doubt, vermilion where the alternative is, grey otherwise."""
    from matplotlib.colors import ListedColormap  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415

    contest = matrix.contest() if contest is None else contest
    fig = Figure(figsize=(11.0, 0.34 * len(matrix.cases) + 2.4), layout="constrained")
    fig.suptitle("Hedging minus each alternative, each in its best available form, paired over common seeds\n"
                 "green: hedging better (whole 95% interval above 0); vermilion: the alternative better (below 0); "
                 "grey: neither", fontsize=9)
    cmap = ListedColormap(["#D55E00", "#DDDDDD", "#009E73"])
    for ax, metric in zip(np.atleast_1d(fig.subplots(1, len(COMPARED))), COMPARED):
        rows = contest[contest["metric"] == metric]
        estimate = rows.pivot(index="case", columns="alternative", values="estimate")
        better = rows.pivot(index="case", columns="alternative", values="hedge_better").astype(bool)
        worse = rows.pivot(index="case", columns="alternative", values="alternative_better").astype(bool)
        order = [s for s in matrix.strategies if s in estimate.columns]
        estimate, better, worse = (t.reindex(index=matrix.cases, columns=order) for t in (estimate, better, worse))
        code = np.where(better.to_numpy(), 2, np.where(worse.to_numpy(), 0, 1))
        ax.imshow(code, cmap=cmap, vmin=0, vmax=2, aspect="auto")
        for (i, j), value in np.ndenumerate(estimate.to_numpy(dtype=float)):
            ax.text(j, i, f"{value:+.2g}", ha="center", va="center", fontsize=6)
        ax.set_xticks(range(len(order)), [f"vs {s}" for s in order], rotation=40, ha="right", fontsize=7)
        ax.set_yticks(range(len(matrix.cases)), matrix.cases, fontsize=7)
        ax.set_title(metric, fontsize=9)
    return fig
