"""Sweeps over a calibration's posterior sample (``design.parameter_sets``)."""

from __future__ import annotations

import textwrap

import pandas as pd
import pytest

from multivector.experiments.errors import UsageError
from multivector.experiments.sweep.design import build_design
from multivector.experiments.sweep.experiment import parse_experiment
from multivector.experiments.sweep.parameter_sets import DATA

ACCEPTED = pd.read_csv(DATA / "calibration-kazakhstan" / "sets.csv")


def _experiment(design: str, factors: str = "", scenario: str = "kazakhstan", fixed: str = ""):
    return parse_experiment(textwrap.dedent(f"""
        [experiment]
        name = "t"
        scenario = "{scenario}"
        seed = 1
        strategies = ["hedge"]
        [design]
        {design}
        [factors]
        {factors}
        [fixed]
        {fixed}
    """))


def test_a_grid_runs_every_point_once_per_accepted_set_in_file_order():
    experiment = _experiment('kind = "grid"\nparameter_sets = "kazakhstan"\nsets = 3', '"rivalry.scale" = [0.5, 1.0]')
    points = build_design(experiment).points
    assert len(points) == 6
    calibrated = [c for c in ACCEPTED.columns if "." in c]
    for i in range(3):  # sets outermost: points 2i and 2i+1 use set i
        for point in (2 * i, 2 * i + 1):
            assert points.loc[point, calibrated].to_numpy().tolist() == ACCEPTED.loc[i, calibrated].tolist()
    assert points["rivalry.scale"].tolist() == [0.5, 1.0] * 3


def test_all_sets_by_default_and_only_the_scenarios_parameters():
    full = build_design(_experiment('kind = "grid"\nparameter_sets = "kazakhstan"'))
    assert len(full) == len(ACCEPTED)
    no_west = build_design(_experiment('kind = "grid"\nparameter_sets = "kazakhstan"', scenario="no-west"))
    assert not any("WEST" in c for c in no_west.points.columns), "a scenario without the West drops its values"


def test_a_sampled_design_spans_the_accepted_region():
    experiment = _experiment('kind = "lhs"\nsamples = 20\nparameter_sets = "kazakhstan"')
    factor = experiment.factors["secondary.prudence"]
    assert factor.low == ACCEPTED["secondary.prudence"].min() and factor.high == ACCEPTED["secondary.prudence"].max()


@pytest.mark.parametrize("design, extra, message", [
    ('kind = "grid"\nparameter_sets = "../../etc"', "", "unknown calibration"),
    ('kind = "grid"\nparameter_sets = "nosuch"', "", "unknown calibration"),
    ('kind = "grid"\nparameter_sets = "kazakhstan"\nsets = 100000', "", "posterior sets"),
    ('kind = "grid"\nsets = 3', "", "only with design.parameter_sets"),
    ('kind = "lhs"\nsamples = 8\nparameter_sets = "kazakhstan"\nsets = 3', "", "only for grid"),
    ('kind = "grid"\nparameter_sets = "kazakhstan"', '"secondary.prudence" = 0.3', "also set by design.parameter_sets"),
])
def test_bad_parameter_sets_are_one_line(design, extra, message):
    with pytest.raises(UsageError, match=message) as caught:
        _experiment(design, fixed=extra)
    assert "\n" not in str(caught.value)


def test_a_measure_listed_twice_is_refused():
    with pytest.raises(UsageError, match="listed twice"):
        parse_experiment(textwrap.dedent("""
            [experiment]
            name = "t"
            scenario = "kazakhstan"
            [collect]
            measures = ["welfare", "autonomy", "welfare"]
        """))
