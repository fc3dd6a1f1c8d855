"""Pattern-oriented calibration (Grimm et al. 2005; Hartig et al. 2011): filter parameter sets by
how many of the stylised facts P1-P10 their runs reproduce.

Why rejection filtering with a refinement round rather than ABC-SMC: the criterion is a count of
qualitative patterns per seed, not a distance, and the question the project asks of it is binary
(does a point reproduce at least 8 of 10 patterns in at least 80% of its seeds?). A Latin
hypercube over the prior ranges shows where such points lie and which patterns conflict; one
refinement round samples again within the ranges spanned by the best tenth of the first round;
the best few points are then run on many more seeds, since 2 to 4 seeds per point cannot tell a
0.8 share from a lucky one.

Every round is an ordinary sweep in a subfolder of the output folder (``round-1``, ``round-2``,
``verify-01``...), so calibration is resumable exactly as sweeps are, and runs on local processes
or a Dask cluster the same way. Outputs: ``points.csv`` (every point of the search rounds and its
scores), ``accepted.csv`` (the accepted parameter sets), ``calibrated.toml`` (the chosen set, as
scenario parameters), ``report.md`` with its figures, and ``calibration.json``.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.calibration import patterns as pattern_module
from experiments.errors import UsageError
from experiments.sweep.experiment import Experiment, load_experiment
from experiments.sweep.store import open_sweep
from experiments.sweep.sweeper import run_sweep


@dataclass(frozen=True)
class Budget:
    """How many points, seeds and candidates each stage uses."""

    samples: int
    replications: int
    refine_samples: int
    verify_candidates: int
    verify_replications: int


# A reduced calibration for tests and a first look: a few points, two seeds each.
QUICK = Budget(samples=10, replications=2, refine_samples=6, verify_candidates=2, verify_replications=4)


@dataclass
class CalibrationOutcome:
    folder: Path
    points: pd.DataFrame  # every search point with its scores
    accepted: pd.DataFrame  # accepted points (verified where verification ran)
    chosen: dict[str, Any]  # the chosen parameter set
    chosen_score: dict[str, float]
    verified: pd.DataFrame  # the verification runs' runs table
    seconds: float


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def dump_toml(data: dict[str, Any], header: str = "") -> str:
    """TOML text for an experiment-file-shaped dict (tables of scalars, arrays of tables)."""
    lines = [f"# {line}" for line in header.splitlines()]
    for name, table in data.items():
        if isinstance(table, list):
            for item in table:
                lines += ["", f"[[{_toml_key(name)}]]", *(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in item.items())]
        else:
            lines += ["", f"[{_toml_key(name)}]", *(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items())]
    return "\n".join(lines).lstrip("\n") + "\n"


def _check(experiment: Experiment) -> None:
    where = experiment.source_name
    if experiment.calibration is None:
        raise UsageError(f"{where}: a calibration file needs a [calibration] section")
    if experiment.design.kind != "lhs":
        raise UsageError(f"{where}: design.kind must be \"lhs\" for calibration (got {experiment.design.kind!r})")
    if not experiment.summaries:
        raise UsageError(f"{where}: collect.patterns must be true for calibration")
    if not experiment.seed_given:
        raise UsageError(f"{where}: experiment.seed is required for calibration (rounds must be reproducible)")
    if len(experiment.strategies) != 1:
        raise UsageError(f"{where}: experiment.strategies must name one rule (the rule being calibrated)")
    if not all(f.is_range for f in experiment.factors.values()):
        raise UsageError(f"{where}: every factor must be a range {{ low, high }} for calibration")


def score_points(runs: pd.DataFrame, factors: list[str], min_patterns: int) -> pd.DataFrame:
    """One row per design point: its factor values, the share of its seeds reproducing at least
    ``min_patterns`` patterns, the mean number reproduced, each pattern's pass rate, and the trade
    fit relative to the constant baseline (mean over powers and seeds of RMSE / RMSE constant)."""
    ok = runs[runs["status"] == "ok"].copy()
    ok["reaches"] = ok["patterns_passed"] >= min_patterns
    trade = [c for c in ok.columns if c.startswith("trade_rmse_") and not c.startswith(("trade_rmse_constant",
                                                                                          "trade_rmse_trend"))]
    ratios = [ok[c] / ok[c.replace("trade_rmse_", "trade_rmse_constant_")] for c in trade]
    ok["trade_rmse_ratio"] = pd.concat(ratios, axis=1).mean(axis=1) if ratios else np.nan
    grouped = ok.groupby("point")
    table = grouped[factors].first() if factors else pd.DataFrame(index=grouped.size().index)
    table["seeds"] = grouped.size()
    table["share_reaching"] = grouped["reaches"].mean()
    table["mean_passed"] = grouped["patterns_passed"].mean()
    for pid in pattern_module.PATTERN_IDS:
        table[f"rate_{pid}"] = grouped[pid].mean()
    table["trade_rmse_ratio"] = grouped["trade_rmse_ratio"].mean()
    # the fit counts only where it beats the naive baseline: mean RMSE under the constant share's, every power
    beats = [grouped[c].mean() < grouped[c.replace("trade_rmse_", "trade_rmse_constant_")].mean() for c in trade]
    table["trade_beats_constant"] = pd.concat(beats, axis=1).all(axis=1) if beats else False
    return table.reset_index()


def rank(points: pd.DataFrame, min_share: float) -> pd.DataFrame:
    """Best first, in three tiers. (1) Points that pass the pattern bar and whose economic
    dependence fits the observed trade shares better than the constant baseline for every power,
    by mean patterns reproduced, then by trade fit; (2) points that pass the bar only, by trade
    fit (RMSE relative to the constant baseline, averaged over powers); (3) the rest, by how close
    they come to the bar (share of seeds, then mean patterns)."""
    accepted = points["share_reaching"] >= min_share
    beats = points["trade_beats_constant"].astype(bool) if "trade_beats_constant" in points else False
    ranked = points.assign(_tier=np.where(accepted & beats, 0, np.where(accepted, 1, 2)))
    ranked["_patterns"] = np.where(ranked["_tier"] == 0, -ranked["mean_passed"], 0.0)
    ranked["_fit"] = np.where(ranked["_tier"] < 2, ranked["trade_rmse_ratio"], 0.0)
    ranked = ranked.sort_values(["_tier", "_patterns", "_fit", "share_reaching", "mean_passed"],
                                ascending=[True, True, True, False, False], kind="stable")
    return ranked.drop(columns=["_tier", "_patterns", "_fit"]).reset_index(drop=True)


def refined_ranges(points: pd.DataFrame, experiment: Experiment, top: float, widen: float,
                   min_share: float = 0.8) -> dict[str, dict]:
    """New ranges: those spanned by the best ``top`` share of points, widened by ``widen`` of the
    old range on each side and kept inside the old range."""
    best = rank(points, min_share).head(max(2, math.ceil(top * len(points))))
    ranges = {}
    for path, factor in experiment.factors.items():
        span = factor.high - factor.low
        low = max(factor.low, float(best[path].min()) - widen * span)
        high = min(factor.high, float(best[path].max()) + widen * span)
        if high <= low:
            low, high = factor.low, factor.high
        if factor.type == "int":
            low, high = math.floor(low), math.ceil(high)
        ranges[path] = {"low": low, "high": high}
    return ranges


class Calibration:
    """One calibration into ``folder``; each stage is a sweep in a subfolder (resumable)."""

    def __init__(self, path: str | Path, folder: Path, budget: Budget | None, resume: bool, workers: int | None,
                 scheduler: str | None, announce: Callable[[str], None], progress: bool):
        self.experiment = load_experiment(path)
        _check(self.experiment)
        self.settings = self.experiment.calibration
        self.raw = tomllib.loads(self.experiment.source_text)
        self.raw.pop("calibration", None)
        self.folder = folder
        self.budget = budget or Budget(self.experiment.design.samples, self.experiment.replications,
                                       self.settings.refine_samples, self.settings.verify_candidates,
                                       self.settings.verify_replications)
        self.resume = resume
        self.options = {"workers": workers, "scheduler": scheduler, "announce": announce, "progress": progress}
        self.announce = announce
        self.factors = list(self.experiment.factors)

    # --- stages ------------------------------------------------------------------------------
    def _sweep(self, name: str, spec: dict, header: str) -> pd.DataFrame:
        """Write ``name``.toml, run (or finish) its sweep in ``name``/, return its runs table."""
        path = self.folder / f"{name}.toml"
        text = dump_toml(spec, header)
        if path.exists() and path.read_text() != text:
            raise UsageError(f"{path}: differs from what this calibration would run now; use a new --out folder")
        path.write_text(text)
        target = self.folder / name
        done = target.exists() and (target / "manifest.json").exists()
        if done and json.loads((target / "manifest.json").read_text()).get("status") == "complete":
            self.announce(f"{name}: already complete")
        else:
            run_sweep(path, target, resume=done, **self.options)
        return open_sweep(target).runs

    def _round(self, number: int, samples: int, ranges: dict[str, dict] | None) -> pd.DataFrame:
        spec = json.loads(json.dumps(self.raw))
        spec["experiment"]["name"] = f"{self.experiment.name}-round-{number}"
        spec["experiment"]["replications"] = self.budget.replications
        spec["experiment"]["seed"] = self.experiment.seed + number - 1
        spec["design"]["samples"] = samples
        spec["design"]["seed"] = (self.experiment.design_seed or 0) + number - 1
        if ranges is not None:
            spec["factors"] = ranges
        header = (f"Calibration round {number} of {self.experiment.source_name}, written by multivector calibrate."
                  + ("\nRanges narrowed to the best points of round 1." if ranges else ""))
        runs = self._sweep(f"round-{number}", spec, header)
        points = score_points(runs, self.factors, self.settings.min_patterns)
        points.insert(0, "round", number)
        return points

    def _verify(self, number: int, candidate: pd.Series) -> pd.DataFrame:
        spec = json.loads(json.dumps(self.raw))
        spec["experiment"]["name"] = f"{self.experiment.name}-verify-{number:02d}"
        spec["experiment"]["replications"] = self.budget.verify_replications
        spec["experiment"]["seed"] = self.settings.verify_seed
        spec["design"] = {"kind": "grid"}
        spec.pop("factors", None)
        fixed = dict(spec.get("fixed", {}))
        for path in self.factors:
            value = candidate[path]
            fixed[path] = int(value) if self.experiment.factors[path].type == "int" else float(value)
        spec["fixed"] = fixed
        collect = dict(spec.get("collect", {}))
        measures = list(dict.fromkeys([*collect.get("measures", []), *TRAJECTORY_MEASURES]))
        collect.update(measures=measures, steps=True, every=1)
        spec["collect"] = collect
        header = f"Verification of candidate {number} (round {int(candidate['round'])}, point {int(candidate['point'])})."
        runs = self._sweep(f"verify-{number:02d}", spec, header)
        runs.insert(0, "candidate", number)
        return runs

    def stage_seconds(self) -> float:
        """Wall time the stages' sweeps took, summed over their sessions (so a resumed calibration
        reports the time of all its work, not of the last session)."""
        total = 0.0
        for manifest in self.folder.glob("*/manifest.json"):
            for session in json.loads(manifest.read_text()).get("sessions", []):
                if session.get("started") and session.get("ended"):
                    total += (_dt.datetime.fromisoformat(session["ended"])
                              - _dt.datetime.fromisoformat(session["started"])).total_seconds()
        return total

    def run(self) -> CalibrationOutcome:
        self.folder.mkdir(parents=True, exist_ok=True)
        points = self._round(1, self.budget.samples, None)
        if self.budget.refine_samples > 0:
            ranges = refined_ranges(points, self.experiment, self.settings.refine_top, self.settings.refine_widen,
                                    self.settings.min_share)
            points = pd.concat([points, self._round(2, self.budget.refine_samples, ranges)], ignore_index=True)
        ranked = rank(points, self.settings.min_share)
        verified_runs, verified_rows = [], []
        for number, (_, candidate) in enumerate(ranked.head(self.budget.verify_candidates).iterrows(), start=1):
            runs = self._verify(number, candidate)
            verified_runs.append(runs)
            score = score_points(runs.assign(point=0), [], self.settings.min_patterns).iloc[0]
            row = {"candidate": number, "round": int(candidate["round"]), "point": int(candidate["point"]),
                   **{path: candidate[path] for path in self.factors}}
            row.update({k: score[k] for k in score.index if k != "point"})
            verified_rows.append(row)
        verified = pd.DataFrame(verified_rows)
        best = rank(verified, self.settings.min_share).iloc[0]
        min_share = self.settings.min_share
        accepted = points[points["share_reaching"] >= min_share].copy()
        accepted = accepted.merge(verified[["round", "point", "share_reaching", "mean_passed"]].rename(
            columns={"share_reaching": "verified_share", "mean_passed": "verified_mean_passed"}),
            on=["round", "point"], how="left")
        chosen = {path: (int(best[path]) if self.experiment.factors[path].type == "int" else float(best[path]))
                  for path in self.factors}
        outcome = CalibrationOutcome(self.folder, points, rank(accepted, min_share), chosen,
                                     {k: float(best[k]) for k in ("share_reaching", "mean_passed", "trade_rmse_ratio",
                                                                  *[f"rate_{p}" for p in pattern_module.PATTERN_IDS])},
                                     pd.concat(verified_runs, ignore_index=True), self.stage_seconds())
        self._write(outcome, verified, best)
        return outcome

    # --- outputs -----------------------------------------------------------------------------
    def _write(self, outcome: CalibrationOutcome, verified: pd.DataFrame, best: pd.Series) -> None:
        from experiments.calibration import report  # noqa: PLC0415 - matplotlib only when writing

        outcome.points.to_csv(self.folder / "points.csv", index=False)
        outcome.accepted.to_csv(self.folder / "accepted.csv", index=False)
        verified.to_csv(self.folder / "verified.csv", index=False)
        lines = [f"# Calibrated by `multivector calibrate {self.experiment.source_name}` on "
                 f"{_dt.date.today().isoformat()}: candidate {int(best['candidate'])} (round {int(best['round'])}, "
                 f"point {int(best['point'])}),",
                 f"# reproducing >= {self.settings.min_patterns} of 10 patterns in {best['share_reaching']:.0%} of "
                 f"{self.budget.verify_replications} seeds (mean {best['mean_passed']:.2f} patterns).",
                 "[fixed]"]
        lines += [f"{_toml_key(path)} = {_toml_value(value)}" for path, value in outcome.chosen.items()]
        (self.folder / "calibrated.toml").write_text("\n".join(lines) + "\n")
        manifest = {
            "experiment_file": self.experiment.source_name, "experiment_sha256": self.experiment.sha256,
            "budget": asdict(self.budget), "settings": self.settings.model_dump(), "seconds": outcome.seconds,
            "points": len(outcome.points), "accepted": len(outcome.accepted), "chosen": outcome.chosen,
            "chosen_score": outcome.chosen_score, "written": _dt.datetime.now().isoformat(timespec="seconds"),
        }
        (self.folder / "calibration.json").write_text(json.dumps(manifest, indent=1, default=float))
        report.write_report(self, outcome, verified)


# Per-quarter columns the verification runs keep, for the report's trajectories.
TRAJECTORY_MEASURES = tuple(f"dependence_{g}_{d}" for d in ("economy", "security") for g in ("RUS", "CHN", "WEST"))


def calibrate(path: str | Path, out: str | Path | None = None, quick: bool = False, resume: bool = False,
              workers: int | None = None, scheduler: str | None = None, announce: Callable[[str], None] = print,
              progress: bool = True) -> CalibrationOutcome:
    """Run (or finish) the calibration described by the experiment file ``path`` into ``out``."""
    experiment = load_experiment(path)
    folder = Path(out) if out is not None else Path("results") / experiment.name
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out: {folder} exists and is not a folder")
    if folder.exists() and any(folder.iterdir()) and not resume:
        raise UsageError(f"--out: {folder} is not empty; finish it with --resume or choose another folder")
    return Calibration(path, folder, QUICK if quick else None, resume, workers, scheduler, announce, progress).run()
