"""Experiment files: valid files resolve; every kind of bad input is one line naming the field."""

import textwrap

import pytest

from multivector.experiments.errors import UsageError
from multivector.experiments.sweep.experiment import parse_experiment
from test_sweep_standin import standin_model  # noqa: F401  (fixture)

VALID = """
[experiment]
name = "rivalry-by-strategy"
scenario = "stylised"
steps = 10
replications = 3
seed = 20260101
strategies = ["hedge", "balance", "bandwagon"]
[design]
kind = "grid"
[factors]
"rivalry.scale" = [0.2, 0.5, 0.8]
"perception.volatility_window" = { low = 2, high = 8, num = 3 }
[fixed]
"reactions.pressure_cost" = 0.3
"""


def parse(text):
    return parse_experiment(textwrap.dedent(text), source_name="x.toml")


def test_valid_file_resolves(standin_model):
    experiment = parse(VALID)
    assert experiment.name == "rivalry-by-strategy"
    assert experiment.scenario == "stylised" and experiment.steps == 10 and experiment.replications == 3
    assert experiment.seed == 20260101 and experiment.seed_given
    assert experiment.strategies == ("hedge", "balance", "bandwagon")
    assert list(experiment.factors) == ["rivalry.scale", "perception.volatility_window"]
    assert experiment.factors["perception.volatility_window"].values == (2, 5, 8)
    assert experiment.fixed == {"reactions.pressure_cost": 0.3}
    # default measures: every numeric column of the data contract
    assert "autonomy" in experiment.measures and "strategy" not in experiment.measures


def test_defaults_fill_in_strategies_steps_and_a_recorded_seed(standin_model):
    experiment = parse('[experiment]\nname = "n"\nscenario = "stylised"\n')
    assert experiment.strategies == standin_model.STRATEGIES
    assert experiment.steps == 12  # the scenario's own length
    assert not experiment.seed_given and 0 <= experiment.seed < 2**63
    assert parse_experiment('[experiment]\nname = "n"\nscenario = "stylised"\n', seed=7).seed == 7


BAD = [
    # (replace this, with this, the message must contain)
    ('seed = 20260101', 'seed = 20260101\nseeds = 3', "experiment.seeds: unknown key"),
    ('[fixed]', '[fixd]', "fixd: unknown key"),
    ('"rivalry.scale" = [0.2, 0.5, 0.8]', '"rivalry.scael" = [0.2]', '"rivalry.scael"'),
    ('"reactions.pressure_cost" = 0.3', '"reactions.pressure_cost" = 1.3', 'fixed."reactions.pressure_cost"'),
    ('"rivalry.scale" = [0.2, 0.5, 0.8]', '"rivalry.scale" = [0.2, 1.5]', 'factors."rivalry.scale"'),
    ('kind = "grid"', 'kind = "factorial"', "design.kind"),
    ('["hedge", "balance", "bandwagon"]', '["hedge", "balancing"]', "experiment.strategies[1]"),
    ('scenario = "stylised"', 'scenario = "atlantis"', "experiment.scenario"),
    ('replications = 3', 'replications = 0', "experiment.replications"),
    ('steps = 10', 'steps = "ten"', "experiment.steps"),
    ('kind = "grid"', 'kind = "sobol"\nsamples = 8', 'factors."rivalry.scale": a sobol design needs a range'),
    ('kind = "grid"', 'kind = "lhs"', "design.samples: required"),
    ('name = "rivalry-by-strategy"', 'name = "rivalry by strategy"', "experiment.name"),
    ('[fixed]', '[collect]\nmeasures = ["autonomy", "happiness"]\n[fixed]', "collect.measures[1]"),
    ('"reactions.pressure_cost" = 0.3', '"rivalry.scale" = 0.3', 'fixed."rivalry.scale": also listed'),
    ('steps = 10', 'steps = 10\nsteps = 11', "malformed TOML"),
    ('[design]', '[design', "malformed TOML"),
]


@pytest.mark.parametrize("old,new,expected", BAD, ids=[b[2] for b in BAD])
def test_bad_input_is_one_line_naming_the_field(standin_model, old, new, expected):
    assert old in VALID
    with pytest.raises(UsageError) as caught:
        parse(VALID.replace(old, new, 1))
    message = str(caught.value)
    assert message.startswith("x.toml: ")
    assert expected in message
    assert "\n" not in message


def test_sobol_samples_must_be_a_power_of_two(standin_model):
    text = VALID.replace('kind = "grid"', 'kind = "sobol"\nsamples = 12').replace(
        '[0.2, 0.5, 0.8]', '{ low = 0.2, high = 0.8 }').replace('low = 2, high = 8, num = 3', 'low = 2, high = 8')
    with pytest.raises(UsageError, match="design.samples: a sobol design needs a power of 2"):
        parse(text)
    assert parse(text.replace("samples = 12", "samples = 16")).design.samples == 16


def test_stop_rule_needs_one_bound_and_a_known_column(standin_model):
    with pytest.raises(UsageError, match=r"stop\[0\]"):
        parse(VALID + '[[stop]]\ncolumn = "autonomy"\n')
    with pytest.raises(UsageError, match=r"stop\[0\].column: unknown outcome"):
        parse(VALID + '[[stop]]\ncolumn = "bliss"\nbelow = 0.1\n')
    assert parse(VALID + '[[stop]]\ncolumn = "autonomy"\nbelow = 0.1\n').stop[0].below == 0.1
