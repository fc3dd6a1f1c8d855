"""Calibration as inference: a posterior over the free parameters by ABC-SMC (pyabc), with a
distance over the case pack's facts and its fits to observed data.

Stages, all in one process (the array engine runs each batch as one ensemble):

1. **Prior sample.** A Latin hypercube of the file's ``[design] samples`` points over the factors'
   ranges (the uniform prior), each run on ``replications`` seeds. Each fact's pass rate over it
   decides whether the fact counts: a fact reproduced by more than ``uninformative_share`` of the
   prior's runs filters nothing and does not count toward the distance (it is reported). The
   median distance of the prior sample is the first generation's epsilon.
2. **ABC-SMC** (:mod:`experiments.calibration.abc`): ``population`` particles per generation,
   proposals perturbing each parameter with its own normal kernel, the epsilon of each generation
   the weighted median distance of the last, for at most
   ``generations`` generations or until epsilon reaches ``min_epsilon`` or the acceptance rate
   falls below ``min_acceptance``. Each particle is run on ``replications`` seeds.
3. **Posterior predictive checks.** ``predictive_samples`` parameter sets drawn from the posterior
   by weight, each run on ``replications`` fresh seeds: the share of runs reproducing each fact,
   beside the prior's share, and the fit to the observed series against the constant and
   linear-trend baselines. The point summary (the posterior's weighted median of each parameter)
   is checked on ``point_replications`` seeds.

Why ABC-SMC and not rejection filtering: the question is how plausible each parameter set is given
the patterns and the data, with the uncertainty kept (a weighted sample), not a yes/no per point.
Outputs in the folder: ``prior.csv``, ``posterior.csv`` (particles, weights, distances),
``sets.csv`` (an equally weighted resample of the posterior, for sweeps to integrate over),
``generations.csv`` (epsilon, acceptance rate, effective sample size per generation),
``predictive.csv``, ``fit.csv``, ``calibrated.toml`` (the point summary), ``calibration.json``,
``report.md`` with figures, and ``abc.db`` (pyabc's database, for ``--resume``).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from multivector.experiments.safe_paths import refuse_links_below, write_text
from multivector.experiments.calibration.distance import PatternDistance, particle_summaries
from multivector.experiments.calibration.simulator import Simulator
from multivector.experiments.calibration.summary import case_pack, observed_series
from multivector.experiments.errors import UsageError
from multivector.experiments.tables import save_atomically
from multivector.experiments.sweep.experiment import Experiment, load_experiment

STATE_FILE = "calibration-state.json"  # what a resumed calibration must match
KERNEL_SCALING = 2.0  # proposal bandwidth, times Silverman's
SESSIONS_FILE = "sessions.json"  # wall seconds of each session of a calibration


@dataclass(frozen=True)
class Budget:
    """How many prior points, particles, generations and predictive draws a calibration uses."""

    prior_samples: int
    replications: int
    population: int
    generations: int
    predictive_samples: int
    point_replications: int


# A reduced calibration for tests and a first look.
QUICK = Budget(prior_samples=24, replications=2, population=12, generations=2, predictive_samples=8,
               point_replications=4)


@dataclass
class CalibrationOutcome:
    folder: Path
    prior: pd.DataFrame  # the prior sample's points with their scores
    posterior: pd.DataFrame  # the last population: parameters, weight, distance
    generations: pd.DataFrame  # diagnostics per generation
    predictive: pd.DataFrame  # per fact: prior and posterior predictive shares
    fit: pd.DataFrame  # the posterior predictive fit against the baselines
    chosen: dict[str, Any]  # the point summary
    counting: tuple[str, ...]  # the facts that count toward the distance
    seconds: float


# ----- small helpers ---------------------------------------------------------------------------

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


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The ``q`` quantile of a weighted sample (the first value whose cumulative weight reaches q)."""
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order]) / weights.sum()
    return float(values[order][min(np.searchsorted(cumulative, q), len(values) - 1)])


def effective_sample_size(weights: np.ndarray) -> float:
    """Kish's effective sample size of importance weights, (sum w)^2 / sum w^2."""
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / (w ** 2).sum())


def systematic_resample(weights: np.ndarray, count: int) -> np.ndarray:
    """Indices of an equally weighted resample of ``count`` draws (systematic resampling: one
    uniform offset, here fixed at 1/2, so the resample is a deterministic function of the weights)."""
    cumulative = np.cumsum(weights) / np.sum(weights)
    positions = (np.arange(count) + 0.5) / count
    return np.minimum(np.searchsorted(cumulative, positions), len(weights) - 1)


def predictive_shares(fact: str, prior: pd.DataFrame, columns: dict, point: dict) -> dict[str, float]:
    """The predictive table's shares for one fact (a summary column's name): the share of runs
    reproducing it, and of runs in which its event occurred, in the prior sample, the posterior
    predictive runs and the point summary's runs."""
    return {"prior_share": float(prior[fact].mean()), "posterior_share": float(columns[fact].mean()),
            "point_share": float(point[fact].mean()), "prior_occurred": float(prior[f"{fact}_occurred"].mean()),
            "posterior_occurred": float(columns[f"{fact}_occurred"].mean()),
            "point_occurred": float(point[f"{fact}_occurred"].mean())}


def _check(experiment: Experiment, budget: Budget) -> None:
    where = experiment.source_name
    settings = experiment.calibration
    if settings is None:
        raise UsageError(f"{where}: a calibration file needs a [calibration] section")
    if experiment.design.kind != "lhs":
        raise UsageError(f"{where}: design.kind must be \"lhs\" for calibration (the prior sample; got "
                         f"{experiment.design.kind!r})")
    if not experiment.summaries:
        raise UsageError(f"{where}: collect.patterns must be true for calibration")
    if not experiment.seed_given:
        raise UsageError(f"{where}: experiment.seed is required for calibration (it must be reproducible)")
    if len(experiment.strategies) != 1:
        raise UsageError(f"{where}: experiment.strategies must name one rule (the rule being calibrated)")
    if not experiment.factors or not all(f.is_range for f in experiment.factors.values()):
        raise UsageError(f"{where}: every factor must be a range {{ low, high }} for calibration (the prior)")
    case = case_pack(experiment.scenario)
    if settings.min_patterns > len(case.facts):
        raise UsageError(f"{where}: calibration.min_patterns is {settings.min_patterns}, more than the "
                         f"{len(case.facts)} facts of {experiment.scenario}'s case pack")
    kinds = {s.kind for s in observed_series(case)}
    unknown = [k for k in settings.fit_series if k not in kinds]
    if unknown:
        raise UsageError(f"{where}: calibration.fit_series: {unknown[0]!r} is not an observed series of "
                         f"{experiment.scenario}'s case pack (known: {', '.join(sorted(kinds)) or 'none'})")
    if budget.population > budget.prior_samples * 50:
        raise UsageError(f"{where}: calibration.population ({budget.population}) is far larger than the prior "
                         f"sample ({budget.prior_samples} points); raise design.samples")


class Calibration:
    """One calibration into ``folder``."""

    def __init__(self, path: str | Path, folder: Path, quick: bool, resume: bool,
                 announce: Callable[[str], None]):
        self.experiment = load_experiment(path)
        settings = self.experiment.calibration
        self.budget = QUICK if quick else Budget(
            self.experiment.design.samples or 0, self.experiment.replications,
            settings.population if settings else 0, settings.generations if settings else 0,
            settings.predictive_samples if settings else 0, settings.point_replications if settings else 0)
        _check(self.experiment, self.budget)
        self.settings = settings
        self.quick = quick
        self.folder = folder
        self.resume = resume
        self.announce = announce
        self.case = case_pack(self.experiment.scenario)
        self.facts = tuple(f.id for f in self.case.facts)
        self.factors = list(self.experiment.factors.values())
        self.paths = tuple(f.path for f in self.factors)
        self.names = tuple(f"p{i:02d}" for i in range(len(self.paths)))  # pyabc's parameter names
        self.series = {s.kind: tuple(s.data.columns) for s in observed_series(self.case)}
        self.kinds = tuple(settings.fit_series)
        self.root = self.experiment.seed

    def simulator(self, seeds: int) -> Simulator:
        return Simulator(self.experiment.scenario, self.experiment.strategies[0], self.paths,
                         tuple(f.type == "int" for f in self.factors), dict(self.experiment.fixed), seeds, self.root,
                         self.case)

    # --- state: what a resumed calibration must match ------------------------------------------
    def _state(self) -> dict:
        return {"experiment_sha256": self.experiment.sha256, "quick": self.quick,
                "budget": self.budget.__dict__}

    def _check_state(self) -> None:
        path = self.folder / STATE_FILE
        if path.exists():
            if json.loads(path.read_text()) != self._state():
                raise UsageError(f"--resume: {self.folder} holds a calibration of another file or budget; "
                                 "use a new --out folder")
        elif any(p.name != "design.toml" for p in self.folder.iterdir()):  # a generated design is written first
            raise UsageError(f"--resume: {self.folder} holds no calibration to resume")

    # --- stage 1: the prior sample ---------------------------------------------------------------
    def prior_sample(self) -> pd.DataFrame:
        from scipy.stats import qmc  # noqa: PLC0415

        path = self.folder / "prior.csv"
        if path.exists():
            self.announce("prior sample: already done")
            return pd.read_csv(path)
        started = time.perf_counter()
        n = self.budget.prior_samples
        self.announce(f"prior sample: {n} points x {self.budget.replications} seeds ...")
        unit = qmc.LatinHypercube(d=len(self.factors), seed=self.experiment.design_seed or 0).random(n)
        low = np.array([f.low for f in self.factors])
        high = np.array([f.high for f in self.factors])
        values = low + unit * (high - low)
        columns = self.simulator(self.budget.replications).run(values, [(0, 0, i) for i in range(n)])
        table = pd.DataFrame(values, columns=list(self.paths))
        table.insert(0, "point", np.arange(n))
        table = pd.concat([table, self._scores(columns)], axis=1)
        # whole or absent (a resumed calibration trusts it), at full precision, and read back so that a
        # fresh and a resumed calibration start ABC-SMC from the same numbers
        save_atomically(lambda name: table.to_csv(name, index=False, lineterminator="\n"), path)
        self.announce(f"prior sample: {n} points x {self.budget.replications} seeds in "
                      f"{time.perf_counter() - started:.0f} s")
        return pd.read_csv(path)

    def _scores(self, columns: dict[str, np.ndarray]) -> pd.DataFrame:
        """Per parameter set: each fact's pass share and occurrence share over its seeds, the mean
        number of facts passed, and the fit ratios (:func:`~experiments.calibration.distance.particle_summaries`)."""
        out = pd.DataFrame({f: columns[f].mean(axis=1) for f in self.facts})
        for f in self.facts:
            out[f"{f}_occurred"] = columns[f"{f}_occurred"].mean(axis=1)
        out["mean_passed"] = columns["patterns_passed"].mean(axis=1)
        summaries = particle_summaries(columns, self.facts, self.kinds, self.series)
        out["fit_constant"] = [s["fit_constant"] for s in summaries]
        out["fit_trend"] = [s["fit_trend"] for s in summaries]
        return out

    def counting_facts(self, prior: pd.DataFrame) -> tuple[str, ...]:
        """The facts that count: those passing in at most ``uninformative_share`` of the prior's runs."""
        return tuple(f for f in self.facts if prior[f].mean() <= self.settings.uninformative_share)

    # --- stage 2: ABC-SMC -----------------------------------------------------------------------
    # (three hooks the joint calibration replaces: its summaries are per case)
    def distance(self, counting: tuple[str, ...]) -> Callable[[dict], float]:
        return PatternDistance(counting, self.settings.fit_weight)

    def summarise(self, columns: dict[str, np.ndarray]) -> list[dict[str, float]]:
        return particle_summaries(columns, self.facts, self.kinds, self.series)

    def observed(self) -> dict[str, float]:
        """The history's summaries: every fact reproduced, a perfect path."""
        return {**{f: 1.0 for f in self.facts}, "fit_constant": 0.0, "fit_trend": 0.0}

    def run_abc(self, counting: tuple[str, ...], prior: pd.DataFrame):
        import logging  # noqa: PLC0415

        import pyabc  # noqa: PLC0415

        from multivector.experiments.calibration import abc as abc_smc  # noqa: PLC0415 - pyabc only when calibrating

        for name in ("ABC", "ABC.History", "ABC.Distance", "ABC.Epsilon", "ABC.Sampler", "ABC.Transition"):
            logging.getLogger(name).setLevel(logging.WARNING)  # the sampler announces each generation itself
        # unnormalised weights are densities of 20-odd uniform priors over kernel densities: tiny
        # numbers pyabc warns about, then normalises (posterior.csv holds the normalised weights)
        logging.getLogger("ABC.Population").setLevel(logging.ERROR)

        distance = self.distance(counting)
        prior_distances = np.array([distance(row) for row in prior.to_dict("records")])
        first_epsilon = float(np.median(prior_distances))
        priors = pyabc.Distribution(**{name: pyabc.RV("uniform", f.low, f.high - f.low)
                                       for name, f in zip(self.names, self.factors)})
        model = abc_smc.BatchedModel()
        population = self.budget.population
        sampler = abc_smc.EnsembleSampler(self.simulator(self.budget.replications), model, self.names, self.facts,
                                          self.kinds, self.series, self.root, first_batch=2 * population,
                                          announce=self.announce, summarise=self.summarise)
        epsilon = pyabc.QuantileEpsilon(initial_epsilon=first_epsilon, alpha=0.5, weighted=True)
        # each parameter perturbed on its own, within its range (abc.TruncatedKernels says why)
        transitions = abc_smc.TruncatedKernels({name: (f.low, f.high) for name, f in zip(self.names, self.factors)},
                                               scaling=KERNEL_SCALING)
        abc = pyabc.ABCSMC(model, priors, pyabc.FunctionDistance(distance), population_size=population,
                           sampler=sampler, eps=epsilon, transitions=transitions)
        database = self.folder / "abc.db"
        observed = self.observed()
        if database.exists():
            history = abc.load(f"sqlite:///{database}", 1)
            done = history.max_t + 1
            if done > 0:
                # the epsilon an uninterrupted run would use next: the weighted median of the last population
                epsilon._update(done, history.get_weighted_distances(done - 1))
            self.announce(f"ABC-SMC: resuming after {done} generation(s)")
        else:
            abc.new(f"sqlite:///{database}", observed)
            done = 0
        remaining = self.budget.generations - done
        if remaining > 0 and not self._stopped(abc.history):
            abc.run(minimum_epsilon=self.settings.min_epsilon, max_nr_populations=remaining,
                    min_acceptance_rate=self.settings.min_acceptance)
        return abc.history, first_epsilon, sampler

    def _stopped(self, history) -> bool:
        """Whether a stored run already met a stopping rule (epsilon or acceptance)."""
        if history.max_t < 0:
            return False
        populations = history.get_all_populations()
        last = populations[populations["t"] == history.max_t].iloc[0]
        return bool(last["epsilon"] <= self.settings.min_epsilon
                    or last["particles"] / max(last["samples"], 1) < self.settings.min_acceptance)

    def diagnostics(self, history) -> pd.DataFrame:
        populations = history.get_all_populations()
        rows = []
        for _, row in populations[populations["t"] >= 0].iterrows():
            t = int(row["t"])
            _, weights = history.get_distribution(m=0, t=t)
            rows.append({"generation": t, "epsilon": float(row["epsilon"]), "particles": int(row["particles"]),
                         "evaluations": int(row["samples"]),
                         "acceptance_rate": float(row["particles"]) / max(int(row["samples"]), 1),
                         "effective_sample_size": effective_sample_size(weights)})
        return pd.DataFrame(rows)

    def posterior(self, history) -> pd.DataFrame:
        t = history.max_t
        frame, weights = history.get_distribution(m=0, t=t)
        distances = history.get_weighted_distances(t)
        table = pd.DataFrame({path: frame[name].to_numpy() for name, path in zip(self.names, self.paths)})
        table.insert(0, "particle", np.arange(len(table)))
        table["weight"] = np.asarray(weights) / np.sum(weights)
        table["distance"] = distances["distance"].to_numpy()
        return table

    def point_summary(self, posterior: pd.DataFrame) -> dict[str, Any]:
        """The posterior's weighted median of each parameter."""
        weights = posterior["weight"].to_numpy()
        out = {}
        for factor in self.factors:
            value = weighted_quantile(posterior[factor.path].to_numpy(), weights, 0.5)
            out[factor.path] = int(round(value)) if factor.type == "int" else value
        return out

    # --- stage 3: predictive checks ----------------------------------------------------------------
    # (two hooks the joint calibration replaces: it keeps no yearly paths and writes per-case tables)
    def yearly_paths(self) -> tuple[str, ...]:
        """The yearly series the predictive runs keep: the dependence paths the observed series are drawn against."""
        return tuple(f"dependence_{power}_{s.domain}" for s in observed_series(self.case) for power in s.data.columns)

    def write(self, outcome: CalibrationOutcome, columns: dict, point: dict, first_epsilon: float,
              sampler_log: list[dict]) -> None:
        from multivector.experiments.calibration import outputs  # noqa: PLC0415 - matplotlib only when writing

        outputs.write(self, outcome, columns, point, first_epsilon, sampler_log)

    def predictive(self, posterior: pd.DataFrame, chosen: dict[str, Any]):
        n = self.budget.predictive_samples
        rng = np.random.default_rng(np.random.SeedSequence(self.root, spawn_key=(2,)))
        drawn = rng.choice(len(posterior), size=n, p=posterior["weight"].to_numpy())
        values = posterior.loc[drawn, list(self.paths)].to_numpy(dtype=float)
        columns = self.simulator(self.budget.replications).run(values, [(2, 0, i) for i in range(n)],
                                                               yearly=self.yearly_paths())
        point = self.simulator(self.budget.point_replications).run(
            np.array([[chosen[p] for p in self.paths]], dtype=float), [(3, 0, 0)])
        return columns, point

    def run(self) -> CalibrationOutcome:
        started = time.perf_counter()
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.resume:
            self._check_state()
        write_text(self.folder / STATE_FILE, json.dumps(self._state(), indent=1))
        try:
            prior = self.prior_sample()
            counting = self.counting_facts(prior)
            if not counting:
                self.announce("no fact is informative over the prior: the distance rests on the data fit alone")
            history, first_epsilon, sampler = self.run_abc(counting, prior)
            posterior = self.posterior(history)
            chosen = self.point_summary(posterior)
            columns, point = self.predictive(posterior, chosen)
        except BaseException:
            self._record_session(time.perf_counter() - started)  # an interrupted session's time counts too
            raise
        outcome = self._outcome(prior, posterior, self.diagnostics(history), columns, point, chosen, counting,
                                self._record_session(time.perf_counter() - started))
        self.write(outcome, columns, point, first_epsilon, sampler.log)
        return outcome

    def _record_session(self, seconds: float) -> float:
        """Add this session's wall time to the folder's record; the calibration's total (a resumed
        calibration reports the time of all its sessions, not of the last)."""
        path = self.folder / SESSIONS_FILE
        sessions = json.loads(path.read_text()) if path.exists() else []
        sessions.append(round(seconds, 1))
        write_text(path, json.dumps(sessions) + "\n")
        return float(sum(sessions))

    def _outcome(self, prior, posterior, generations, columns, point, chosen, counting, seconds) -> CalibrationOutcome:
        minimum = min(self.settings.min_patterns, len(counting)) if counting else 0
        counted = sum(columns[f] for f in counting) if counting else np.zeros_like(columns["patterns_passed"])
        rows = []
        for fact in self.case.facts:
            f = fact.id
            rows.append({"fact": f, "name": fact.name, "counts": f in counting, **predictive_shares(f, prior, columns, point)})
        predictive = pd.DataFrame(rows)
        predictive.attrs["reaching"] = {"min_patterns": minimum, "posterior": float((counted >= minimum).mean()),
                                        "point": float((sum(point[f] for f in counting) >= minimum).mean())
                                        if counting else 1.0}
        fit_rows = []
        for kind, powers in self.series.items():
            for power in powers:
                rmse = columns[f"{kind}_rmse_{power}"]
                constant = float(columns[f"{kind}_rmse_constant_{power}"].mean())
                trend = float(columns[f"{kind}_rmse_trend_{power}"].mean())
                fit_rows.append({"series": kind, "power": power, "rmse": float(rmse.mean()),
                                 "rmse_point": float(point[f"{kind}_rmse_{power}"].mean()),
                                 "rmse_constant": constant, "rmse_trend": trend,
                                 "share_beating_constant": float((rmse < constant).mean()),
                                 "share_beating_trend": float((rmse < trend).mean()),
                                 "change_correlation": float(np.nanmean(columns[f"{kind}_change_correlation_{power}"])),
                                 "detrended_correlation": float(np.nanmean(
                                     columns[f"{kind}_detrended_correlation_{power}"]))})
        return CalibrationOutcome(self.folder, prior, posterior, generations, predictive, pd.DataFrame(fit_rows), chosen,
                                  counting, seconds)


def calibrate(path: str | Path, out: str | Path | None = None, quick: bool = False, resume: bool = False,
              announce: Callable[[str], None] = print) -> CalibrationOutcome:
    """Run (or finish, with ``resume``) the calibration described by the experiment file ``path``
    into ``out``."""
    try:
        import pyabc  # noqa: F401, PLC0415
    except ImportError:
        raise UsageError("calibrate needs pyabc: pip install 'multivector[calibrate]'") from None
    case = None if _is_file_argument(path) else str(path)  # a case's name: its shipped or generated design
    if case is not None:
        from multivector.experiments.calibration.case_design import require_pack, shipped_design  # noqa: PLC0415

        require_pack(case)
        shipped = shipped_design(case)
        name = load_experiment(shipped).name if shipped is not None else f"calibrate-{case}"
    else:
        name = load_experiment(path).name
    folder = Path(out) if out is not None else Path("results") / name
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out: {folder} exists and is not a folder")
    refuse_links_below(folder)  # a planted link would make us overwrite a file elsewhere
    if folder.exists() and any(folder.iterdir()) and not resume:
        raise UsageError(f"--out: {folder} is not empty; finish it with --resume or choose another folder")
    if case is not None:
        from multivector.experiments.calibration.case_design import design_for  # noqa: PLC0415

        path = design_for(case, folder)
    return Calibration(path, folder, quick, resume, announce).run()


def _is_file_argument(path: str | Path) -> bool:
    """Whether ``calibrate``'s argument names a file (a path or a .toml name) rather than a case."""
    text = str(path)
    return Path(text).exists() or text.endswith(".toml") or "/" in text or "\\" in text


__all__ = ["Budget", "Calibration", "CalibrationOutcome", "QUICK", "calibrate", "dump_toml"]
