"""Designs and seeds: the right points, reproducible, independent of replications."""

import numpy as np
import pytest

from multivector.experiments.sweep.design import build_design, count_runs
from multivector.experiments.sweep.experiment import parse_experiment
from multivector.experiments.sweep.seeding import parse_spawn_key, run_id, run_seed, spawn_key_text
from test_sweep_standin import standin_model  # noqa: F401  (fixture)

HEAD = """
[experiment]
name = "d"
scenario = "stylised"
steps = 5
replications = {replications}
seed = 11
strategies = ["hedge", "balance"]
"""

RANGES = """
[factors]
"rivalry.scale" = {{ low = 0.1, high = 0.9 }}
"perception.volatility_window" = {{ low = 1, high = 40 }}
"""


def experiment(design, factors=RANGES, replications=2):
    return parse_experiment((HEAD + design + factors).format(replications=replications))


def test_grid_is_the_full_product_in_file_order(standin_model):
    exp = experiment('[design]\nkind = "grid"\n', '[factors]\n"rivalry.scale" = [0.1, 0.2]\n'
                     '"perception.volatility_window" = [4, 8, 12]\n')
    design = build_design(exp)
    assert len(design) == 6 and design.factor_names == ["rivalry.scale", "perception.volatility_window"]
    assert design.points.iloc[1].tolist() == [0.1, 8] and design.points.iloc[3].tolist() == [0.2, 4]
    assert str(design.points["perception.volatility_window"].dtype) == "int64"
    assert count_runs(exp, design) == 6 * 2 * 2


def test_grid_without_factors_is_one_point(standin_model):
    design = build_design(experiment("", ""))
    assert len(design) == 1 and design.factor_names == []


@pytest.mark.parametrize("kind,samples,points", [("lhs", 20, 20), ("sobol", 16, 16 * (2 + 2)),
                                                 ("morris", 5, 5 * (2 + 1))])
def test_sampled_designs_have_salib_sizes_and_stay_in_bounds(standin_model, kind, samples, points):
    design = build_design(experiment(f'[design]\nkind = "{kind}"\nsamples = {samples}\n'))
    assert len(design) == points
    scale = design.points["rivalry.scale"]
    window = design.points["perception.volatility_window"]
    assert scale.between(0.1, 0.9).all() and window.between(1, 40).all()
    assert str(window.dtype) == "int64"  # integer parameters are sampled as integers


@pytest.mark.parametrize("kind", ["lhs", "sobol", "morris"])
def test_design_is_reproducible_and_independent_of_replications(standin_model, kind):
    section = f'[design]\nkind = "{kind}"\nsamples = 8\n'
    first = build_design(experiment(section, replications=1)).points
    again = build_design(experiment(section, replications=7)).points
    assert first.equals(again)
    other_seed = build_design(experiment(section + "seed = 99\n")).points
    assert not first.equals(other_seed)


def test_run_seed_is_the_spawn_tree_position():
    root = 20260101
    # SeedSequence(root, spawn_key=(p, r)) is what spawning would give at that position
    expected = np.random.SeedSequence(root).spawn(4)[3].spawn(3)[2]
    assert run_seed(root, 3, 2).generate_state(4).tolist() == expected.generate_state(4).tolist()
    assert run_seed(root, 3, 2).generate_state(4).tolist() != run_seed(root, 2, 3).generate_state(4).tolist()


def test_run_ids_sort_by_point_then_replication():
    ids = [run_id(p, r, s) for p in (0, 2, 10) for r in (0, 1, 11) for s in ("balance", "hedge")]
    assert sorted(ids) == ids
    assert parse_spawn_key(spawn_key_text(12, 3)) == (12, 3)
