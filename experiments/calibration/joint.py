"""One world for every case: a joint calibration by ABC-SMC in which the great powers, the world's
reactions and the rules are the same in every case (issue 18, item 1).

**What is shared** (:mod:`experiments.calibration.priors` lists the parameters and their ranges):

- the world's reactions and the treaty commitment: one value for all cases;
- each great power's red lines (``powers.<id>.tolerance``, ``powers.<id>.pressure_threshold``):
  one value per power id, in every case the power appears in (one patron toward all its
  neighbours);
- **a composite power** (an id a case declares as the sum of several data rows, in
  ``[case.powers]``): its red lines are shared by every case with that id, whatever rows a case
  sums into it. What the composite does (demand, press) is its leading members' policy, which the
  rows a case adds do not change; the rows change its structure (capabilities, trade, alliances),
  which each case reads from its own data. A data row that is a power of its own in some cases
  and a member of a composite in others has its own red lines in the former only. model/ODD.md
  ("The joint calibration") names the cases;
- each rule's own constants: one value per rule family, shared by every case that followed it in
  its historical schedule (``bandwagon-profit`` reads ``bandwagon.*``), so a counterfactual rule is
  played as the cases that followed it played it.

**What is each case's own**: its structure (capabilities, proximity, trade and arms shares,
opportunities, alliances, institutions) from its own data and scenario file, and its leader's
traits; each secondary runs under its historical strategy (the ``historical`` rule).

**Inference**: as the single-case calibration (:mod:`experiments.calibration.calibrate`): a Latin
hypercube prior sample decides which facts count (a fact reproduced by more than
``uninformative_share`` of the prior's runs filters nothing), then ABC-SMC with the batched
sampler. The distance is the mean over cases of each case's single-case distance (the share of its
counting facts its runs miss, plus the fit term where the case has observed series), so every
case weighs the same whatever its number of facts. Each batch of proposals runs as one ensemble
per case. Run ``r`` of particle ``i`` in case ``c`` is seeded by
``SeedSequence(root, spawn_key=(stage, generation, i, c, r))``.

    multivector calibrate --cases                    # every case with a pack (the shipped run)
    multivector calibrate --cases NAME NAME ...       # a subset
    multivector calibrate experiments/designs/calibrate-joint.toml --out DIR [--resume]
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Callable

import numpy as np
import pandas as pd

from multivector import model
from multivector.experiments.calibration import priors as prior_table
from multivector.experiments.calibration.calibrate import (Budget, Calibration, CalibrationOutcome, QUICK,
                                                           predictive_shares)
from multivector.experiments.calibration.distance import FIT_CAP
from multivector.experiments.calibration.simulator import CHUNK, Simulator
from multivector.experiments.calibration.summary import observed_series
from multivector.experiments.cases import CasePack, pack, pack_names
from multivector.experiments.errors import UsageError
from multivector.experiments.sweep.experiment import CalibrationSection

DESIGNS = Path(__file__).resolve().parents[1] / "designs"
JOINT_DESIGN = DESIGNS / "calibrate-joint.toml"
SHIPPED = Path(__file__).resolve().parents[1] / "data" / "calibration-joint"
SEPARATOR = "/"  # a summary's name: "<case>/<fact>"


# ----- the design ------------------------------------------------------------------------------

@dataclass(frozen=True)
class JointPrior:
    """A free parameter of the joint world (what :class:`Calibration` reads as a factor)."""

    path: str
    low: float
    high: float
    kind: str  # "world", "power", "rule"
    owner: str
    cases: tuple[str, ...]  # the cases whose runs it can move
    type: str = "float"


@dataclass(frozen=True)
class JointDesign:
    """A validated joint design: the cases, the budget, the shared parameters."""

    name: str
    description: str
    cases: tuple[str, ...]
    seed: int
    replications: int
    samples: int
    design_seed: int
    settings: CalibrationSection
    factors: tuple[JointPrior, ...]
    source_name: str
    sha256: str  # of the file's text and the cases: what a resumed calibration must match
    scenario: str = "joint"
    strategies: tuple[str, ...] = ("historical",)
    fixed: dict[str, Any] = field(default_factory=dict)


def case_powers(case: str) -> tuple[str, ...]:
    return tuple(model.load_scenario(case).power_ids)


def joint_priors(cases: tuple[str, ...]) -> tuple[JointPrior, ...]:
    """The world's parameters, each power's red lines, each rule family's constants, for ``cases``."""
    out: dict[str, JointPrior] = {}
    for p in prior_table.world_priors():
        out[p.path] = JointPrior(p.path, p.low, p.high, p.kind, p.owner, cases)
    powers = {case: case_powers(case) for case in cases}
    for power in dict.fromkeys(g for case in cases for g in powers[case]):
        holders = tuple(c for c in cases if power in powers[c])
        for p in prior_table.power_priors(power):
            out[p.path] = JointPrior(p.path, p.low, p.high, p.kind, p.owner, holders)
    rules = {case: prior_table.historical_rules(case) for case in cases}
    for rule in dict.fromkeys(r for case in cases for r in rules[case]):
        family = prior_table.rule_family(rule)
        followers = tuple(c for c in cases if any(prior_table.rule_family(r) == family for r in rules[c]))
        for p in prior_table.rule_priors(rule, followers[0]):
            if p.path not in out:
                out[p.path] = JointPrior(p.path, p.low, p.high, p.kind, family, followers)
    return tuple(out.values())


def applies(path: str, case: str) -> bool:
    """Whether a joint parameter exists in ``case``'s world: a power's only where the power is."""
    parts = path.split(".")
    return not (parts[0] == "powers" and parts[1] not in case_powers(case))


def case_values(paths: tuple[str, ...], values, case: str) -> dict[str, float]:
    """One joint parameter set (``values`` in the order of ``paths``) as ``case``'s overrides: every
    shared parameter that exists in its world, at the same value in every case."""
    return {path: float(v) for path, v in zip(paths, values) if applies(path, case)}


def check_cases(names: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The cases named (every case with a pack if none), each checked to have a pack with facts."""
    known = pack_names()
    if not names:
        return tuple(known)
    for name in names:
        if name not in model.scenario_names():
            raise UsageError(f"--cases: {name!r} is not a scenario (cases with a pack: {', '.join(known)})")
        if name not in known:
            raise UsageError(f"--cases: scenario {name!r} has no case pack with facts (experiments/cases/)")
    if len(set(names)) != len(names):
        raise UsageError("--cases: a case is named twice")
    if len(names) < 2:
        raise UsageError("--cases: a joint calibration needs at least two cases (one case: `calibrate NAME`)")
    return tuple(names)


def load_design(path: str | Path = JOINT_DESIGN, cases: list[str] | tuple[str, ...] | None = None) -> JointDesign:
    """The joint design in ``path``; ``cases`` (if given) replaces the file's list."""
    path = Path(path)
    try:
        text = path.read_text()
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"{path}: cannot read a joint design ({' '.join(str(error).split())[:120]})") from None
    unknown = set(data) - {"experiment", "design", "joint", "calibration"}
    if unknown:
        raise UsageError(f"{path}: unknown section [{sorted(unknown)[0]}] in a joint design")
    try:
        experiment, design, joint = data["experiment"], data.get("design", {}), data.get("joint", {})
        settings = CalibrationSection(**data.get("calibration", {}))
        chosen = check_cases(list(cases) if cases else list(joint.get("cases", [])))
        seed, replications = int(experiment["seed"]), int(experiment.get("replications", 2))
        samples, design_seed = int(design.get("samples", 200)), int(design.get("seed", 7))
    except UsageError:
        raise
    except (KeyError, TypeError, ValueError) as error:
        raise UsageError(f"{path}: not a joint design ({' '.join(str(error).split())[:160]})") from None
    if replications < 1 or samples < 2:
        raise UsageError(f"{path}: experiment.replications must be >= 1 and design.samples >= 2")
    root = Path(__file__).resolve().parents[2]
    source = str(path.resolve().relative_to(root)) if path.resolve().is_relative_to(root) else str(path)
    digest = hashlib.sha256((text + "\ncases=" + ",".join(chosen)).encode()).hexdigest()
    return JointDesign(str(experiment.get("name", path.stem)), str(experiment.get("description", "")), chosen, seed,
                       replications, samples, design_seed, settings, joint_priors(chosen), source, digest)


# ----- simulation and summaries -----------------------------------------------------------------

@dataclass
class JointSimulator:
    """Runs joint parameter sets in every case, one ensemble per case per batch, ``seeds`` runs each."""

    cases: tuple[str, ...]
    packs: dict[str, CasePack]
    paths: tuple[str, ...]
    seeds: int
    root: int
    chunk: int = CHUNK

    @property
    def runs_per_set(self) -> int:
        return self.seeds * len(self.cases)

    def run(self, sets: np.ndarray, keys: list[tuple[int, ...]], yearly: tuple[str, ...] = ()) -> dict[str, np.ndarray]:
        """Every case's summary columns, named ``<case>/<column>``, each (N, seeds)."""
        sets = np.atleast_2d(np.asarray(sets, dtype=float))
        out: dict[str, np.ndarray] = {}
        for c, case in enumerate(self.cases):
            keep = [j for j, path in enumerate(self.paths) if applies(path, case)]
            simulator = Simulator(case, "historical", tuple(self.paths[j] for j in keep), (False,) * len(keep), {},
                                  self.seeds, self.root, self.packs[case], self.chunk)
            columns = simulator.run(sets[:, keep], [(*key, c) for key in keys])
            out.update({f"{case}{SEPARATOR}{name}": values for name, values in columns.items()})
        return out


def case_summaries(columns: dict[str, np.ndarray], case: str, facts: tuple[str, ...],
                   series: dict[str, tuple[str, ...]], kinds: tuple[str, ...]) -> dict[str, np.ndarray]:
    """(N,) per summary of one case: each fact's share of seeds passing, and where the case has
    observed series of ``kinds``, the capped fit ratios (as :func:`distance.particle_summaries`)."""
    prefix = f"{case}{SEPARATOR}"
    out = {f"{prefix}{f}": columns[f"{prefix}{f}"].mean(axis=1) for f in facts}
    ratios: dict[str, list] = {"constant": [], "trend": []}
    for kind in kinds:
        for power in series.get(kind, ()):
            rmse = columns[f"{prefix}{kind}_rmse_{power}"]
            for base in ratios:
                ratios[base].append(np.minimum(rmse / columns[f"{prefix}{kind}_rmse_{base}_{power}"], FIT_CAP).mean(axis=1))
    if ratios["constant"]:
        out[f"{prefix}fit_constant"] = np.mean(ratios["constant"], axis=0)
        out[f"{prefix}fit_trend"] = np.mean(ratios["trend"], axis=0)
    return out


class JointDistance:
    """The mean over cases of each case's distance: the share of its counting facts its runs miss
    (mean over those facts of one minus the share of seeds passing), plus ``fit_weight`` times its
    fit ratio where it has observed series. A case with neither counting facts nor series adds 0."""

    def __init__(self, counting: dict[str, tuple[str, ...]], fitted: tuple[str, ...], fit_weight: float):
        self.counting, self.fitted, self.fit_weight = counting, fitted, fit_weight

    def case_distance(self, x: dict, case: str) -> float:
        facts = self.counting.get(case, ())
        missed = float(np.mean([1.0 - x[f"{case}{SEPARATOR}{f}"] for f in facts])) if facts else 0.0
        if case in self.fitted:
            missed += self.fit_weight * 0.5 * (x[f"{case}{SEPARATOR}fit_constant"] + x[f"{case}{SEPARATOR}fit_trend"])
        return missed

    def __call__(self, x: dict, x_0: dict | None = None) -> float:  # noqa: ARG002
        return float(np.mean([self.case_distance(x, case) for case in self.counting]))


# ----- the calibration --------------------------------------------------------------------------

class JointCalibration(Calibration):
    """The single-case calibration's stages over the joint world (its summaries are per case)."""

    def __init__(self, design: JointDesign, folder: Path, quick: bool, resume: bool,
                 announce: Callable[[str], None], budget: Budget | None = None):
        settings = design.settings
        self.experiment = design
        self.budget = budget or (QUICK if quick else Budget(design.samples, design.replications, settings.population,
                                                           settings.generations, settings.predictive_samples,
                                                           settings.point_replications))
        self.settings, self.quick, self.folder, self.resume, self.announce = settings, quick, folder, resume, announce
        self.cases = design.cases
        self.packs = {case: pack(case) for case in self.cases}
        self.case_facts = {case: tuple(f.id for f in self.packs[case].facts) for case in self.cases}
        self.facts = tuple(f"{case}{SEPARATOR}{f}" for case in self.cases for f in self.case_facts[case])
        self.factors = list(design.factors)
        self.paths = tuple(f.path for f in self.factors)
        self.names = tuple(f"p{i:02d}" for i in range(len(self.paths)))
        self.kinds = tuple(settings.fit_series)
        self.case_series = {case: {s.kind: tuple(s.data.columns) for s in observed_series(self.packs[case])}
                            for case in self.cases}
        self.fitted = tuple(c for c in self.cases if any(k in self.case_series[c] for k in self.kinds))
        self.series = {}
        self.root = design.seed
        self.case = None

    def simulator(self, seeds: int) -> JointSimulator:
        return JointSimulator(self.cases, self.packs, self.paths, seeds, self.root)

    def _state(self) -> dict:
        return {"experiment_sha256": self.experiment.sha256, "quick": self.quick, "budget": self.budget.__dict__,
                "cases": list(self.cases)}

    def summarise(self, columns: dict[str, np.ndarray]) -> list[dict[str, float]]:
        merged: dict[str, np.ndarray] = {}
        for case in self.cases:
            merged.update(case_summaries(columns, case, self.case_facts[case], self.case_series[case], self.kinds))
        n = len(next(iter(merged.values())))
        return [{name: float(values[i]) for name, values in merged.items()} for i in range(n)]

    def observed(self) -> dict[str, float]:
        out = {f: 1.0 for f in self.facts}
        for case in self.fitted:
            out[f"{case}{SEPARATOR}fit_constant"] = out[f"{case}{SEPARATOR}fit_trend"] = 0.0
        return out

    def _scores(self, columns: dict[str, np.ndarray]) -> pd.DataFrame:
        out = pd.DataFrame({f: columns[f].mean(axis=1) for f in self.facts})
        for f in self.facts:
            out[f"{f}_occurred"] = columns[f"{f}_occurred"].mean(axis=1)
        for case in self.cases:
            out[f"{case}{SEPARATOR}mean_passed"] = columns[f"{case}{SEPARATOR}patterns_passed"].mean(axis=1)
            summaries = case_summaries(columns, case, self.case_facts[case], self.case_series[case], self.kinds)
            for name in ("fit_constant", "fit_trend"):
                if f"{case}{SEPARATOR}{name}" in summaries:
                    out[f"{case}{SEPARATOR}{name}"] = summaries[f"{case}{SEPARATOR}{name}"]
        return out

    def counting_by_case(self, counting: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
        return {case: tuple(f.split(SEPARATOR, 1)[1] for f in counting if f.split(SEPARATOR, 1)[0] == case)
                for case in self.cases}

    def distance(self, counting: tuple[str, ...]) -> JointDistance:
        return JointDistance(self.counting_by_case(counting), self.fitted, self.settings.fit_weight)

    def yearly_paths(self) -> tuple[str, ...]:
        return ()  # the joint report draws no observed paths

    def _outcome(self, prior, posterior, generations, columns, point, chosen, counting, seconds) -> CalibrationOutcome:
        rows = []
        for case in self.cases:
            for fact in self.packs[case].facts:
                f = f"{case}{SEPARATOR}{fact.id}"
                rows.append({"case": case, "fact": fact.id, "name": fact.name, "counts": f in counting,
                             **predictive_shares(f, prior, columns, point)})
        predictive = pd.DataFrame(rows)
        predictive.attrs["reaching"] = {}
        return CalibrationOutcome(self.folder, prior, posterior, generations, predictive, pd.DataFrame(), chosen,
                                  counting, seconds)

    def write(self, outcome: CalibrationOutcome, columns: dict, point: dict, first_epsilon: float,
              sampler_log: list[dict]) -> None:
        from multivector.experiments.calibration import joint_outputs  # noqa: PLC0415 - matplotlib only when writing

        joint_outputs.write(self, outcome, first_epsilon, sampler_log)


def calibrate_joint(path: str | Path | None = None, cases: list[str] | None = None, out: str | Path | None = None,
                    quick: bool = False, resume: bool = False, announce: Callable[[str], None] = print,
                    budget: Budget | None = None) -> CalibrationOutcome:
    """Run (or finish) the joint calibration of ``cases`` (default: the design's, else every case
    with a pack) described by the joint design ``path`` (default: the shipped one) into ``out``."""
    try:
        import pyabc  # noqa: F401, PLC0415
    except ImportError:
        raise UsageError("calibrate needs pyabc: pip install 'multivector[calibrate]'") from None
    from multivector.experiments.safe_paths import refuse_links_below  # noqa: PLC0415

    design = load_design(path or JOINT_DESIGN, cases)
    folder = Path(out) if out is not None else Path("results") / design.name
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out: {folder} exists and is not a folder")
    refuse_links_below(folder)
    if folder.exists() and any(folder.iterdir()) and not resume:
        raise UsageError(f"--out: {folder} is not empty; finish it with --resume or choose another folder")
    return JointCalibration(design, folder, quick, resume, announce, budget).run()


def is_joint_design(path: str | Path) -> bool:
    """Whether a calibration file is a joint design (it has a [joint] table)."""
    try:
        return "joint" in tomllib.loads(Path(path).read_text())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


# ----- the jointly calibrated world, for other commands ------------------------------------------

def world_overrides(case: str, folder: Path = SHIPPED) -> dict[str, float]:
    """``case``'s parameter values in the jointly calibrated world (the posterior's weighted median
    of each shared parameter): the world's, its own powers' red lines, and every rule family's
    constants (a counterfactual rule is played as the cases that followed it played it). Rule
    families no case followed are absent (the scenario's values stand)."""
    path = folder / "calibrated.toml"
    if not path.is_file():
        raise UsageError(f"no joint calibration in {folder} (run `multivector calibrate --cases`)")
    if case not in model.scenario_names():
        raise UsageError(f"world_overrides: unknown scenario {case!r}")
    chosen = tomllib.loads(path.read_text())["fixed"]
    return {p: float(v) for p, v in chosen.items() if applies(p, case)}
