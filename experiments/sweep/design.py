"""Designs: the table of design points an experiment asks for (grid, LHS, Sobol/Saltelli, Morris).

Sampled designs come from SALib, so the analysis (SALib again) reads the points in exactly the
order it expects. The sampler has its own seed (the file's ``design.seed`` or one derived from
the root seed), kept apart from the model seeds: changing replications never moves a point.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from SALib.sample import latin, morris, sobol

from .experiment import Experiment
from .seeding import design_seed


@dataclass(frozen=True)
class Design:
    """Design points: row ``i`` of ``points`` is design point ``i``; one column per factor."""

    kind: str
    points: pd.DataFrame
    problem: dict | None  # the SALib problem for sampled designs, None for grids
    sampler_seed: int | None

    @property
    def factor_names(self) -> list[str]:
        return list(self.points.columns)

    def __len__(self) -> int:
        return len(self.points)


def salib_problem(experiment: Experiment) -> dict:
    """The SALib problem dict for an experiment's ranged factors, in file order."""
    factors = list(experiment.factors.values())
    return {
        "num_vars": len(factors),
        "names": [f.path for f in factors],
        "bounds": [[f.low, f.high] for f in factors],
    }


def build_design(experiment: Experiment) -> Design:
    """The design points of ``experiment``; a pure function of the experiment."""
    kind = experiment.design.kind
    if kind == "grid":
        return _grid(experiment)
    seed = experiment.design_seed if experiment.design_seed is not None else design_seed(experiment.seed)
    problem = salib_problem(experiment)
    samples = experiment.design.samples
    with warnings.catch_warnings():
        # SALib warns about sample sizes; the experiment validation already enforces them
        warnings.simplefilter("ignore")
        if kind == "lhs":
            matrix = latin.sample(problem, samples, seed=seed)
        elif kind == "sobol":
            matrix = sobol.sample(problem, samples, calc_second_order=experiment.design.second_order, seed=seed)
        elif kind == "morris":
            matrix = morris.sample(problem, samples, num_levels=experiment.design.levels, seed=seed)
        else:  # the schema admits no other kind
            raise AssertionError(kind)
    points = pd.DataFrame(np.asarray(matrix, dtype=float), columns=problem["names"])
    for factor in experiment.factors.values():
        if factor.type == "int":
            # integer parameters take the nearest integer inside the range
            points[factor.path] = points[factor.path].round().clip(factor.low, factor.high).astype("int64")
    return Design(kind, points, problem, seed)


def _grid(experiment: Experiment) -> Design:
    """Every combination of the listed values; with parameter sets, each combination once per set
    (sets outermost: points ``i * n .. i * n + n - 1`` use set ``i``)."""
    factors = [f for f in experiment.factors.values() if not f.from_sets]
    set_factors = [f for f in experiment.factors.values() if f.from_sets]
    names = [f.path for f in set_factors] + [f.path for f in factors]
    combinations = list(itertools.product(*(f.values for f in factors)))
    rows = ([tuple(row) + combination for row in experiment.set_rows for combination in combinations]
            if set_factors else combinations)
    factors = set_factors + factors
    points = pd.DataFrame(rows, columns=names) if names else pd.DataFrame(index=range(1))
    for factor in factors:
        points[factor.path] = points[factor.path].astype({"float": "float64", "int": "int64", "bool": "bool"}
                                                         .get(factor.type, "object"))
    return Design("grid", points.reset_index(drop=True), None, None)


def count_runs(experiment: Experiment, design: Design) -> int:
    """Points x replications x strategies."""
    return len(design) * experiment.replications * len(experiment.strategies)
