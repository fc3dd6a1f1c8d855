"""Out-of-case prediction (issue 18, item 2): leave one case out, calibrate the joint world on the
rest, and predict the held-out case's facts under its historical strategy, against three naive
baselines.

For each held-out case H:

1. **Calibrate on the rest**: the joint calibration (:mod:`experiments.calibration.joint`) of
   every other case, on a smaller budget (:data:`BUDGET`).
2. **Predict H**: ``SETS`` parameter sets of that posterior (resampled by weight), each on
   ``SEEDS`` fresh seeds, in H's own structure under its historical strategy. A parameter no other
   case shares with H (a power or a rule family only H has) keeps H's scenario value, listed in
   ``unshared``. The prediction for a fact is the share of runs reproducing it; a **hit** is a
   share of at least one half (every fact is a record of what happened, so a hit is a prediction
   that it happens).
3. **Baselines**, each scored with the same fact tests on a record built from H's predicted runs or
   the other cases' runs, so a baseline's verdict is read exactly as the model's:

   - *nothing happens*: H's runs with every pressure, coercion, demand and clientage column set to
     none (no great power presses, coerces or asks; S is nobody's client);
   - *the average case*: H's facts tested on the other cases' runs in the same world (each under its
     own historical strategy), pooled over the cases whose record has the powers the fact reads:
     what the model says happens to a typical secondary, not to this one;
   - *the first decade carried forward*: H's runs with every column after its first 40 quarters held
     at its value in quarter 40 (the state reached by the end of the first decade persists).

Writes ``leave-one-out.csv`` (case, fact, the model's share and hit, each baseline's share and
hit, the unshared parameters), ``leave-one-out-cases.csv`` (per case: hit rates, the facts the
model misses, whether it predicts the case) and ``figures/leave-one-out.png``.

    .venv/bin/python -m multivector.experiments.calibration.leave_one_out --out DIR [--cases NAME ...] [--quick]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from collections.abc import Callable

import numpy as np
import pandas as pd

from multivector import model
from multivector.experiments.calibration.calibrate import Budget, QUICK
from multivector.experiments.calibration.joint import JOINT_DESIGN, applies, calibrate_joint, check_cases
from multivector.experiments.cases import pack
from multivector.experiments.cases.facts import Runs
from multivector.experiments.errors import UsageError
from multivector.model.history import History, run_to_end

# A leave-one-out calibration: a fifth of the shipped joint run's particles, two generations (eleven
# of them must fit beside the shipped run on a shared 2-core machine).
BUDGET = Budget(prior_samples=60, replications=2, population=30, generations=2, predictive_samples=10,
                point_replications=2)
SETS, SEEDS = 30, 2  # the held-out prediction: posterior sets x fresh seeds each
FIRST_DECADE = 40  # quarters
NOTHING_PREFIXES = ("pressure_episodes_", "pressure_", "coercion_", "demands_met_", "demands_", "high_cost_demands_",
                    "high_cost_met_", "client_status_", "client_quarters_", "client_index_")
ROOT_SEED = 20261204
BASELINES = ("nothing", "average", "first_decade")


def simulate(case: str, overrides: list[dict], seeds: list[np.random.SeedSequence]) -> Runs:
    """``case``'s runs under its historical strategy, one per (overrides, seed), as :class:`Runs`
    with every column copied (so baselines can rewrite them)."""
    return simulate_world(model.Ensemble(case, ["historical"] * len(overrides), overrides, seeds))


def simulate_world(world: "model.Ensemble") -> Runs:
    """An ensemble run to its end, as :class:`Runs` with every column copied."""
    history = History(world, world.max_steps + 1)
    run_to_end(world, history)
    runs = Runs.from_history(history)
    columns = {name: np.array(runs.columns[name], dtype=float) for name in runs.columns}
    return Runs(columns, runs.dates, runs.years, runs.valid, runs.powers)


def nothing_happens(runs: Runs) -> Runs:
    """The record with no pressure, coercion, demand or clientage anywhere."""
    columns = dict(runs.columns)
    for name, values in runs.columns.items():
        if name.startswith("pressure_domain_"):
            columns[name] = np.full_like(values, -1.0)
        elif name.startswith(NOTHING_PREFIXES):
            columns[name] = np.zeros_like(values)
    return Runs(columns, runs.dates, runs.years, runs.valid, runs.powers)


def first_decade_forward(runs: Runs, quarters: int = FIRST_DECADE) -> Runs:
    """The record with every column after ``quarters`` held at its value in that quarter."""
    columns = {}
    for name, values in runs.columns.items():
        held = values.copy()
        held[:, quarters:] = values[:, quarters - 1:quarters]
        columns[name] = held
    return Runs(columns, runs.dates, runs.years, runs.valid, runs.powers)


def fact_shares(case: str, runs: Runs) -> dict[str, float]:
    """Each of ``case``'s facts: the share of ``runs`` reproducing it (NaN when the runs lack a
    column the fact reads, as another case's record may)."""
    out = {}
    for fact in pack(case).facts:
        try:
            out[fact.id] = float(fact.evaluate(runs).passed.mean())
        except (KeyError, IndexError, ValueError):  # a power or column this record does not have
            out[fact.id] = float("nan")
    return out


def held_out(case: str, cases: tuple[str, ...], folder: Path, budget: Budget, announce: Callable[[str], None],
             index: int) -> list[dict]:
    """Calibrate on every case but ``case``, then score the predictions and baselines for its facts."""
    rest = [c for c in cases if c != case]
    runs_folder = folder / "runs" / case
    calibrate_joint(JOINT_DESIGN, cases=rest, out=runs_folder, resume=runs_folder.exists(), budget=budget,
                    announce=lambda line: announce(f"  [{case}] {line}"))
    sets = pd.read_csv(runs_folder / "sets.csv")
    rng = np.random.default_rng(np.random.SeedSequence(ROOT_SEED, spawn_key=(index,)))
    chosen = sets.iloc[rng.choice(len(sets), size=SETS, replace=len(sets) < SETS)].reset_index(drop=True)

    def runs_of(target: str, stream: int) -> Runs:
        paths = [p for p in chosen.columns if applies(p, target)]
        overrides = [{p: float(row[p]) for p in paths} for _, row in chosen.iterrows() for _ in range(SEEDS)]
        seeds = [np.random.SeedSequence(ROOT_SEED, spawn_key=(index, stream, i, r)) for i in range(SETS)
                 for r in range(SEEDS)]
        return simulate(target, overrides, seeds)

    own = runs_of(case, 0)
    predicted = fact_shares(case, own)
    nothing = fact_shares(case, nothing_happens(own))
    forward = fact_shares(case, first_decade_forward(own))
    pooled: dict[str, list[float]] = {f: [] for f in predicted}
    for k, other in enumerate(rest, start=1):
        for f, share in fact_shares(case, runs_of(other, k)).items():
            if not np.isnan(share):
                pooled[f].append(share)
    shared = set(chosen.columns)
    from multivector.experiments.calibration.joint import joint_priors  # noqa: PLC0415

    unshared = " ".join(p.path for p in joint_priors((case,)) if p.path not in shared)
    rows = []
    for fact in pack(case).facts:
        f = fact.id
        average = float(np.mean(pooled[f])) if pooled[f] else float("nan")
        row = {"case": case, "fact": f, "name": fact.name, "model_share": predicted[f],
               "model_hit": predicted[f] >= 0.5, "nothing_share": nothing[f], "nothing_hit": nothing[f] >= 0.5,
               "average_share": average, "average_hit": bool(average >= 0.5),  # NaN (no case has the powers): a miss
               "average_cases": len(pooled[f]), "first_decade_share": forward[f],
               "first_decade_hit": forward[f] >= 0.5, "unshared": unshared}
        # graded: the share of runs given to what happened, against each baseline's (a missing one is 0)
        best = max(0.0 if np.isnan(row[f"{base}_share"]) else row[f"{base}_share"] for base in BASELINES)
        row["beats_every_baseline"] = predicted[f] > best
        row["at_least_every_baseline"] = predicted[f] >= best
        rows.append(row)
    return rows


def case_summary(table: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for case, group in table.groupby("case", sort=False):
        row = {"case": case, "facts": len(group), "model_hits": int(group["model_hit"].sum())}
        for base in BASELINES:
            row[f"{base}_hits"] = int(group[f"{base}_hit"].sum())
        row["model_hit_rate"] = row["model_hits"] / len(group)
        row["model_mean_share"] = float(group["model_share"].mean())
        for base in BASELINES:
            row[f"{base}_mean_share"] = float(group[f"{base}_share"].fillna(0.0).mean())
        best = max(row[f"{base}_hits"] for base in BASELINES)
        row["more_hits_than_every_baseline"] = row["model_hits"] > best
        row["facts_beating_every_baseline"] = int(group["beats_every_baseline"].sum())
        row["facts_at_least_every_baseline"] = int(group["at_least_every_baseline"].sum())
        row["predicted"] = row["model_hit_rate"] >= 0.5  # most of its facts
        row["missed"] = " ".join(group.loc[~group["model_hit"].astype(bool), "fact"])
        rows.append(row)
    return pd.DataFrame(rows)


def figure(table: pd.DataFrame, cases: pd.DataFrame):
    from matplotlib.figure import Figure  # noqa: PLC0415

    from multivector.experiments.calibration.outputs import _style  # noqa: PLC0415

    labels = {"model": "model (joint world, case held out)", "nothing": "nothing happens",
              "average": "the average case", "first_decade": "first decade carried forward"}
    colours = {"model": "#1b9e77", "nothing": "#bbbbbb", "average": "#7570b3", "first_decade": "#d95f02"}
    fig = Figure(figsize=(9, 6.0), layout="constrained")
    names = list(cases["case"]) + ["all"]
    x = np.arange(len(names))
    width = 0.2
    panels = (("hit", "share of the case's facts predicted\n(>= half of runs reproduce it)"),
              ("share", "mean share of runs reproducing\nthe case's facts"))
    for p, (suffix, label) in enumerate(panels):
        ax = fig.add_subplot(2, 1, p + 1)
        for k, kind in enumerate(("model", *BASELINES)):
            column = table[f"{kind}_{suffix}"].astype(float).fillna(0.0)
            rates = [float(column[table["case"] == c].mean()) for c in cases["case"]] + [float(column.mean())]
            ax.bar(x + (k - 1.5) * width, rates, width, color=colours[kind], label=labels[kind])
        ax.set_xticks(x, names if p else [""] * len(names), fontsize=7, rotation=30, ha="right")
        ax.set_ylim(0, 1)
        ax.set_ylabel(label, fontsize=8)
        _style(ax)
        if p == 0:
            ax.set_title("Leave one case out: each case's facts predicted from the world calibrated on the others",
                         fontsize=9)
            ax.legend(fontsize=7, frameon=False, ncols=4, loc="lower center", bbox_to_anchor=(0.5, 1.06))
    return fig


def run(out: Path, cases: tuple[str, ...], budget: Budget, announce: Callable[[str], None] = print,
        hold_out: tuple[str, ...] | None = None, partial: bool = False) -> pd.DataFrame | None:
    """Hold out each of ``hold_out`` (default: every case) in turn; each held-out case's rows are
    kept in ``runs/<case>/held-out.csv``, so a second process can take other cases and an
    interrupted run skips the cases it finished. Writes the tables once every case has its rows."""
    out.mkdir(parents=True, exist_ok=True)
    for case in (cases if hold_out is None else hold_out):
        done = out / "runs" / case / "held-out.csv"
        if done.is_file():
            continue
        started = time.perf_counter()
        rows = held_out(case, cases, out, budget, announce, cases.index(case))
        from multivector.experiments.tables import write_table_atomically  # noqa: PLC0415

        write_table_atomically(pd.DataFrame(rows), done)
        announce(f"{case}: held out, predicted in {time.perf_counter() - started:.0f} s")
    missing = [c for c in cases if not (out / "runs" / c / "held-out.csv").is_file()]
    if missing:
        announce(f"still to hold out: {' '.join(missing)}")
        if not partial or len(missing) == len(cases):
            return None
    table = pd.concat([pd.read_csv(out / "runs" / c / "held-out.csv", keep_default_na=False, na_values=[""])
                       for c in cases if c not in missing], ignore_index=True)
    table.attrs["missing"] = missing
    from multivector.experiments.calibration.outputs import _save  # noqa: PLC0415
    from multivector.experiments.tables import write_table_atomically  # noqa: PLC0415

    summary = case_summary(table)
    write_table_atomically(table, out / "leave-one-out.csv")
    write_table_atomically(summary, out / "leave-one-out-cases.csv")
    (out / "figures").mkdir(exist_ok=True)
    _save(figure(table, summary), out / "figures" / "leave-one-out.png")
    (out / "leave-one-out.md").write_text(markdown(table, summary, budget))
    return table


def markdown(table: pd.DataFrame, summary: pd.DataFrame, budget: Budget) -> str:
    """A short account of the test: per case and overall, the model against each baseline."""
    beats, ties = table["beats_every_baseline"].mean(), table["at_least_every_baseline"].mean()
    lines = [
        "# Leave one case out",
        "",
        f"Each case held out in turn; the joint world calibrated on the other {len(summary) - 1} "
        f"(ABC-SMC: {budget.prior_samples} prior points, {budget.population} particles, {budget.generations} "
        f"generations, {budget.replications} seeds); the held-out case's facts predicted on {SETS} posterior sets x "
        f"{SEEDS} seeds under its historical strategy. A hit: at least half the runs reproduce the fact. Baselines "
        "(`experiments/calibration/leave_one_out.py`): nothing happens (no pressure, coercion, demand or clientage), "
        "the average case (the held-out case's facts on the other cases' runs), the first decade carried forward.",
        "",
        f"**Overall**: the model hits {table['model_hit'].mean():.0%} of {len(table)} facts; nothing happens "
        f"{table['nothing_hit'].mean():.0%}, the average case {table['average_hit'].mean():.0%}, the first decade "
        f"{table['first_decade_hit'].mean():.0%}. The model gives a fact a larger share of runs than every baseline "
        f"on {beats:.0%} of facts and at least as large on {ties:.0%}: "
        + ("it beats every naive baseline on at least 70% of the held-out facts." if beats >= 0.7 else
           "it does **not** beat every naive baseline on 70% of the held-out facts (the bar of issue 18)."),
        "",
        "| case | facts | model hits | nothing | average case | first decade | model mean share | facts above every baseline | missed by the model |",
        "|---|---|---|---|---|---|---|---|---|",
        *[f"| {r.case} | {r.facts} | {r.model_hits} | {r.nothing_hits} | {r.average_hits} | {r.first_decade_hits} | "
          f"{r.model_mean_share:.0%} | {r.facts_beating_every_baseline} | {r.missed or '-'} |"
          for r in summary.itertuples()],
        "",
        *([f"**Not held out** (the budget ran out before their turn): {', '.join(table.attrs['missing'])}.", ""]
          if table.attrs.get("missing") else []),
        "Cases the model does not predict (fewer than half their facts hit): "
        + (", ".join(f"{r.case} (misses {r.missed})" for r in summary.itertuples() if not r.predicted) or "none") + ".",
        "",
        "![leave one out](figures/leave-one-out.png)",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--cases", nargs="*", default=[], help="the cases (default: every case with a pack)")
    parser.add_argument("--quick", action="store_true", help="the reduced calibration budget (tests)")
    parser.add_argument("--hold-out", nargs="*", default=None, metavar="NAME",
                        help="hold out only these cases (another process may take the rest; the tables are written "
                             "when every case is done)")
    parser.add_argument("--partial", action="store_true",
                        help="hold out nothing more; write the tables from the cases already held out")
    args = parser.parse_args(argv)
    try:
        cases = check_cases(args.cases)
        if len(cases) < 3:
            raise UsageError("leave-one-out needs at least three cases (two to calibrate on)")
        hold_out = tuple(args.hold_out) if args.hold_out else None
        if hold_out and not set(hold_out) <= set(cases):
            raise UsageError(f"--hold-out: {sorted(set(hold_out) - set(cases))[0]!r} is not among the cases")
        table = run(args.out, cases, QUICK if args.quick else BUDGET, hold_out=() if args.partial else hold_out,
                    partial=args.partial)
    except UsageError as error:
        print(f"multivector: {error}", file=sys.stderr)
        return 2
    if table is None:
        return 0
    print(f"model hits {table['model_hit'].mean():.0%} of {len(table)} held-out facts; nothing happens "
          f"{table['nothing_hit'].mean():.0%}, the average case {table['average_hit'].mean():.0%}, the first decade "
          f"carried forward {table['first_decade_hit'].mean():.0%}; the model's share above every baseline's on "
          f"{table['beats_every_baseline'].mean():.0%} of facts, at least equal on {table['at_least_every_baseline'].mean():.0%} "
          f"-> {args.out / 'leave-one-out.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
