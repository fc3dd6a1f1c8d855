"""Which structural inputs decide hedging's advantage (issue 18 item 3).

**Across the real cases.** Each case's structural inputs are read from the values its scenario
takes from the cross-case data at its start (:mod:`model.crosscase`: reach from COW contiguity and
CShapes distance, aggregate power from COW CINC and real GDP, trade shares from COW Trade, ATOP
pledges), with its world's overrides on top: proximity and contiguity, the capability ratio of the
powers, trade dependence, alliance ties, and the rivalry between the powers. Hedging's advantage in
each case (hedging minus the best alternative, each in its best available form: :mod:`.matrix`) is
set against them two transparent ways: the Spearman rank correlation of each input with the
advantage, and a regression tree of depth 2 with at least 3 cases a leaf (scikit-learn; Breiman et
al. 1984). With 11 cases this describes the cases; it is no estimate of a law, and the tree's
leave-one-case-out R^2 says how little it would predict a twelfth.

**In the stylised scenario.** Sobol indices (Saltelli et al. 2010, via SALib) of the same advantage
over the same kinds of input, varied over ranges that cover the cases (a Saltelli design with a
modest base sample, stated in the report): which input moves hedging's advantage, alone (S1) and
with the others (ST), where nothing else differs between worlds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import tomli_w
from scipy import stats

from multivector import model
from multivector.experiments.report.plan import Prepared, run_or_reuse
from multivector.experiments.report.sensitivity import sobol_rows
from multivector.experiments.sweep.experiment import parse_experiment

from .world import World

# The structural inputs of a case, each with how it is read (a reader's label and the rule).
INPUTS = {
    "contiguous powers": "powers with land contiguity (reach 1, COW class 1)",
    "mean reach": "mean proximity of the powers to S (reach: COW contiguity, else CShapes distance)",
    "strongest power's reach": "proximity of the power with the largest aggregate power",
    "capability ratio": "aggregate power of the strongest power over the second (COW CINC and real GDP)",
    "trade dependence": "S's largest trade share with one power (COW Trade, the first observed year)",
    "alliance tie": "S's strongest security tie with one power (ATOP pledge in force)",
    "rivalry": "mean initial rivalry between the pairs of powers (rivalry.pairs x rivalry.scale)",
}


def structure(case: str, world: World | None = None) -> dict[str, float]:
    """The structural inputs (:data:`INPUTS`) of ``case`` at its start, in its world."""
    scenario = model.load_scenario(case)
    values = {info.path: info.default for info in model.parameter_table(case)}
    if world is not None:
        values.update(model.validate_overrides(case, world.overrides) if world.overrides else {})
    powers = scenario.power_ids
    reach = np.array([float(values[f"powers.{p}.reach"]) for p in powers])
    aggregate = np.asarray(scenario.inputs_at(0, scenario.parameters)[0], dtype=float)
    ranked = np.sort(aggregate)[::-1]
    pairs = [float(v) for path, v in values.items() if path.startswith("rivalry.pairs.")]
    return {
        "contiguous powers": float((reach >= 1.0).sum()),
        "mean reach": float(reach.mean()),
        "strongest power's reach": float(reach[int(np.argmax(aggregate))]),
        "capability ratio": float(ranked[0] / ranked[1]) if len(ranked) > 1 and ranked[1] > 0 else float("nan"),
        "trade dependence": max(float(values[f"powers.{p}.initial_dependence_economy"]) for p in powers),
        "alliance tie": max(float(values[f"powers.{p}.initial_engagement_security"]) for p in powers),
        "rivalry": float(np.mean(pairs) * float(values["rivalry.scale"])) if pairs else float("nan"),
    }


def structure_table(cases: Sequence[str], worlds: dict[str, World] | None = None) -> pd.DataFrame:
    """Case x structural input."""
    worlds = worlds or {}
    return pd.DataFrame({case: structure(case, worlds.get(case)) for case in cases}).T[list(INPUTS)]


@dataclass
class TreeFit:
    target: str
    correlations: pd.DataFrame  # input, rho, p (Spearman, over cases)
    tree: object | None  # sklearn DecisionTreeRegressor, or None when nothing varies
    inputs: list[str]  # the inputs that vary across the cases (the tree's features)
    constant: list[str]  # inputs with one value in every case: they cannot explain anything here
    r2: float  # in sample
    r2_loo: float  # leave one case out
    rules: str  # the tree as text


MAX_DEPTH, MIN_LEAF = 2, 3


def fit_tree(table: pd.DataFrame, advantage: pd.Series, target: str) -> TreeFit:
    """Spearman correlations and a depth-2 regression tree of ``advantage`` (per case) on the
    structural inputs of ``table`` that vary across the cases."""
    from sklearn.model_selection import LeaveOneOut, cross_val_predict  # noqa: PLC0415
    from sklearn.tree import DecisionTreeRegressor, export_text  # noqa: PLC0415

    y = advantage.reindex(table.index).to_numpy(dtype=float)
    varying = [c for c in table.columns if np.nanstd(table[c].to_numpy(dtype=float)) > 0]
    constant = [c for c in table.columns if c not in varying]
    rows = []
    for name in varying:
        x = table[name].to_numpy(dtype=float)
        ok = np.isfinite(x) & np.isfinite(y)
        rho, p = stats.spearmanr(x[ok], y[ok]) if ok.sum() >= 3 and np.ptp(y[ok]) > 0 else (np.nan, np.nan)
        rows.append({"input": name, "rho": float(rho), "p": float(p)})
    correlations = pd.DataFrame(rows, columns=["input", "rho", "p"])
    if not varying or len(y) < 2 * MIN_LEAF or np.ptp(y) == 0:
        return TreeFit(target, correlations, None, varying, constant, float("nan"), float("nan"),
                       "no tree: too few cases, or nothing varies")
    x = table[varying].to_numpy(dtype=float)
    tree = DecisionTreeRegressor(max_depth=MAX_DEPTH, min_samples_leaf=MIN_LEAF, random_state=0).fit(x, y)
    predicted = cross_val_predict(DecisionTreeRegressor(max_depth=MAX_DEPTH, min_samples_leaf=MIN_LEAF,
                                                        random_state=0), x, y, cv=LeaveOneOut())
    total = float(((y - y.mean()) ** 2).sum())
    r2_loo = 1.0 - float(((y - predicted) ** 2).sum()) / total
    return TreeFit(target, correlations, tree, varying, constant, float(tree.score(x, y)), r2_loo,
                   export_text(tree, feature_names=varying, decimals=3))


def drivers_figure(fits: Sequence[TreeFit], table: pd.DataFrame, advantages: dict[str, pd.Series]):
    """Per target: the fitted tree, and the advantage of each case against the input the tree splits
    on first (or the most correlated one)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415
    from sklearn.tree import plot_tree  # noqa: PLC0415

    fig = Figure(figsize=(12.0, 4.6 * len(fits)), layout="constrained")
    FigureCanvasAgg(fig)  # plot_tree measures its text with the canvas's renderer
    fig.suptitle(f"Hedging's advantage over the best alternative across {len(table)} real cases: a depth-{MAX_DEPTH} "
                 "tree (describes these cases; not a law)", fontsize=10)
    axes = np.atleast_2d(fig.subplots(len(fits), 2, width_ratios=[1.5, 1.0]))
    for (tree_ax, scatter_ax), fit in zip(axes, fits):
        if fit.tree is not None:
            plot_tree(fit.tree, feature_names=fit.inputs, filled=True, rounded=True, impurity=False, precision=3,
                      fontsize=7, ax=tree_ax)
            first = fit.inputs[int(fit.tree.tree_.feature[0])] if fit.tree.tree_.feature[0] >= 0 else None
        else:
            tree_ax.text(0.5, 0.5, fit.rules, ha="center", va="center")
            tree_ax.set_axis_off()
            first = None
        tree_ax.set_title(f"{fit.target}: R^2 {fit.r2:.2f} in sample, {fit.r2_loo:.2f} leaving one case out",
                          fontsize=9)
        if first is None and len(fit.correlations.dropna()):
            first = fit.correlations.dropna().assign(a=lambda t: t["rho"].abs()).sort_values("a").iloc[-1]["input"]
        y = advantages[fit.target].reindex(table.index)
        if first is not None:
            x = table[first]
            scatter_ax.scatter(x, y, color="#0072B2")
            for case in table.index:
                scatter_ax.annotate(case, (x[case], y[case]), fontsize=7, xytext=(3, 3), textcoords="offset points")
            scatter_ax.set_xlabel(first, fontsize=8)
        scatter_ax.axhline(0.0, color="0.5", lw=0.8)
        scatter_ax.set_ylabel(f"{fit.target}: hedge minus best alternative", fontsize=8)
        scatter_ax.grid(color="0.92")
    return fig


# ----- Sobol indices over the structural inputs in the stylised scenario ------------------------------

STYLISED = "stylised"
# the stylised scenario's powers: A the proximate one whose structure varies, B a second neighbour
SOBOL_FACTORS = {
    "powers.A.reach": (0.1, 1.0, "proximity of A"),
    "powers.B.reach": (0.1, 1.0, "proximity of B"),
    "powers.A.capability": (0.1, 0.8, "capability of A (B, C at 1/3)"),
    "powers.A.initial_dependence_economy": (0.0, 0.7, "trade dependence on A"),
    "powers.A.initial_engagement_security": (0.05, 0.9, "alliance tie with A"),
    "rivalry.scale": (0.0, 3.0, "rivalry between the powers"),
}
SOBOL_SAMPLES = {False: 64, True: 8}  # Saltelli base sample N (full, --quick): N x (D + 2) points; a modest N
SOBOL_REPLICATIONS = {False: 2, True: 1}
SOBOL_SEED = 1818


def sobol_prepared(quick: bool, samples: int | None = None) -> Prepared:
    """The Sobol sweep over :data:`SOBOL_FACTORS` in the stylised scenario, every strategy."""
    spec = {"experiment": {"name": "drivers-sobol", "description": "hedging's advantage over structural inputs",
                           "scenario": STYLISED, "replications": SOBOL_REPLICATIONS[quick], "seed": SOBOL_SEED,
                           "strategies": ["hedge", *(s for s in model.STRATEGIES if s != "hedge")]},
            "design": {"kind": "sobol", "samples": samples or SOBOL_SAMPLES[quick]},
            "factors": {path: {"low": low, "high": high} for path, (low, high, _) in SOBOL_FACTORS.items()},
            "collect": {"measures": ["utility", "autonomy_mean"], "steps": True, "every": 1}}
    text = "# drivers-sobol, as run by `multivector report --cases`\n" + tomli_w.dumps(spec)
    parse_experiment(text, source_name="drivers-sobol.toml")
    return Prepared("drivers-sobol", "drivers-sobol", text, ())


@dataclass
class SobolDrivers:
    indices: pd.DataFrame  # target, factor, label, S1, S1_conf, ST, ST_conf
    samples: int
    points: int
    runs: int
    degenerate: dict[str, str]


def sobol_drivers(out: Path, quick: bool, workers: int | None, announce: Callable[[str], None],
                  progress: bool, samples: int | None = None) -> SobolDrivers:
    """Run (or reuse) the Sobol sweep and compute the indices of hedging's advantage (hedging minus
    the best other strategy at each point, each the mean of its seeds) on utility and autonomy."""
    prepared = sobol_prepared(quick, samples)
    results = run_or_reuse(prepared, out, workers, announce, progress)
    experiment = results.experiment
    runs = results.runs
    runs = runs[runs["status"] == "ok"].set_index("run_id")
    steps = results.steps
    utility = steps[steps["step"] > 0].groupby("run_id")["utility"].mean()
    runs = runs.assign(utility_mean=utility.reindex(runs.index))
    points = len(results.design)
    factors = list(experiment.factors.values())
    rows, degenerate = [], {}
    for target, column in (("utility", "utility_mean"), ("autonomy", "autonomy_mean")):
        means = runs.groupby(["point", "strategy"])[column].mean().unstack("strategy")
        y = (means["hedge"] - means.drop(columns="hedge").max(axis=1)).reindex(range(points)).to_numpy(dtype=float)
        if not np.all(np.isfinite(y)):
            degenerate[target] = "some design points have no finished run"
            continue
        if np.ptp(y) == 0:
            degenerate[target] = f"constant ({y[0]:.3g}) over the whole region"
            continue
        rows += [{"target": target, **row, "label": SOBOL_FACTORS[row["factor"]][2], "advantage_mean": float(y.mean()),
                  "share_hedge_ahead": float((y > 0).mean())}
                 for row in sobol_rows(factors, y, second_order=False, confidence=0.95, seed=experiment.seed)]
    indices = pd.DataFrame(rows, columns=["target", "factor", "label", "S1", "S1_conf", "ST", "ST_conf",
                                          "advantage_mean", "share_hedge_ahead"])
    return SobolDrivers(indices, int(experiment.design.samples), points, len(runs), degenerate)


def sobol_figure(drivers: SobolDrivers):
    """S1 and ST with their 95% intervals, per target."""
    from matplotlib.figure import Figure  # noqa: PLC0415

    targets = list(dict.fromkeys(drivers.indices["target"]))
    fig = Figure(figsize=(5.5 * max(1, len(targets)), 3.8), layout="constrained")
    fig.suptitle(f"Sobol indices of hedging's advantage over the best other strategy, stylised scenario "
                 f"(Saltelli, N = {drivers.samples}, {drivers.points} points)", fontsize=9)
    for ax, target in zip(np.atleast_1d(fig.subplots(1, max(1, len(targets)))), targets):
        table = drivers.indices[drivers.indices["target"] == target].reset_index(drop=True)
        y = np.arange(len(table))
        ax.errorbar(table["S1"], y - 0.15, xerr=table["S1_conf"], fmt="o", color="#0072B2", capsize=2, label="S1")
        ax.errorbar(table["ST"], y + 0.15, xerr=table["ST_conf"], fmt="s", color="#D55E00", capsize=2, label="ST")
        ax.set_yticks(y, table["label"], fontsize=7)
        ax.invert_yaxis()
        ax.axvline(0.0, color="0.5", lw=0.8)
        ax.set_title(f"{target}: hedge minus best other", fontsize=9)
        ax.set_xlabel("index (95% interval)", fontsize=8)
        ax.legend(fontsize=7)
        ax.grid(axis="x", color="0.92")
    return fig
