"""A case is data (issue 17): a scenario's [case] table names its secondary, its powers' data rows
and its historical strategy; every structural input comes from those rows, never from another
case's; bad cases fail with one line."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from multivector import model
from multivector.model import capabilities, crosscase, observed
from multivector.model.errors import ScenarioError
from multivector.model.scenarios import scenario_from_dict

# A Mongolia-like case with power ids that appear in no shipped scenario, and a composite third
# neighbour: nothing of another case can stand in for its inputs unnoticed.
MONGOLIA_LIKE = {
    "scenario": {"name": "steppe", "description": "test case", "start": "1996Q1", "steps": 24,
                 "powers": ["NORTH", "SOUTH", "THIRD"], "capabilities": "data", "initial_dependence": "data"},
    "case": {
        "secondary": "MNG", "name": "Steppe", "first_year_observed": 1996,
        "powers": {"NORTH": ["RUS"], "SOUTH": ["CHN"], "THIRD": ["USA", "JPN"]},
        "strategy": [{"from": "1996Q1", "rule": "hedge"},
                     {"from": "1998Q1", "rule": "balance", "adversary": "SOUTH", "source": "test"},
                     {"from": "2000Q1", "rule": "bandwagon", "patron": "THIRD"}],
    },
    "parameters": {"powers": {"NORTH": {"reach": 0.9}}},  # written in the file: the data must not overwrite it
    "institutions": [{"name": "Forum", "domains": ["institutions"], "leads": [], "members": ["NORTH", "SOUTH", "THIRD"],
                      "binding": 0.2, "voice": 1.0, "exit_cost": 0.1}],
}
OWN_ROWS = {"MNG", "RUS", "CHN", "USA", "JPN"}


def case(**changes) -> dict:
    raw = copy.deepcopy(MONGOLIA_LIKE)
    for path, value in changes.items():
        node = raw
        *parents, leaf = path.split(".")
        for part in parents:
            node = node[part]
        if value is None:
            node.pop(leaf)
        else:
            node[leaf] = value
    return raw


@pytest.fixture
def no_other_case(monkeypatch):
    """Every read of a case's own data pack raises; every cross-case lookup is recorded."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"read another case's data pack: {args}")

    monkeypatch.setattr(capabilities, "read_series", refuse)
    monkeypatch.setattr(capabilities, "_installations", refuse)
    for name in ("trade_shares", "arms_shares", "initial_dependence"):
        monkeypatch.setattr(observed, name, refuse)
    monkeypatch.setattr("multivector.model.scenarios.initial_dependence", refuse)
    seen: list[tuple[str, str, str, str]] = []
    original = crosscase._years

    def recording(filename, iso3, variable, partner=""):
        seen.append((filename, iso3, partner, variable))
        return original(filename, iso3, variable, partner)

    monkeypatch.setattr(crosscase, "_years", recording)
    return seen


def test_every_input_of_a_case_comes_from_its_own_rows(no_other_case):
    sc = scenario_from_dict(case(), "steppe")
    assert no_other_case, "the case read no data at all"
    for filename, iso3, partner, variable in no_other_case:
        if partner:  # a dyad: the secondary with one of its powers' rows
            assert iso3 == "MNG" and partner in OWN_ROWS - {"MNG"}, (filename, iso3, partner, variable)
        else:  # a state-level capability of one of its powers' rows
            assert iso3 in OWN_ROWS - {"MNG"}, (filename, iso3, variable)
    files = {f for f, *_ in no_other_case}
    assert files == {"capabilities.csv", "trade.csv", "geography.csv", "alliances.csv"}
    # The values are the data's: Mongolia's 1996 trade shares, the composite summed.
    trade = crosscase.trade_shares("MNG", [("RUS",), ("CHN",), ("USA", "JPN")], 1996)
    got = [sc.parameters.powers[p].initial_dependence_economy for p in sc.power_ids]
    usa, jpn = (crosscase._at("trade.csv", "trade_share", "MNG", row, 1996) for row in ("USA", "JPN"))
    assert got == pytest.approx(trade) and trade[2] == pytest.approx(usa + jpn)
    assert sc.parameters.powers["NORTH"].reach == 0.9  # written in the file
    assert sc.parameters.powers["SOUTH"].reach == 1.0  # land border with China (COW contiguity class 1)
    assert 0 < sc.parameters.powers["THIRD"].reach < 0.5  # no contiguity: decays with distance
    assert ("powers.NORTH.reach" not in dict(sc.from_data)) and "powers.SOUTH.reach" in dict(sc.from_data)
    # Capability series: shares among the case's powers, summing to 1 each quarter.
    assert sc.series.aggregate.shape == (25, 3)
    assert np.allclose(sc.series.aggregate.sum(axis=1), 1) and np.allclose(sc.series.military.sum(axis=1), 1)


def test_a_case_runs_under_its_historical_strategy_switching_at_each_period():
    sc = scenario_from_dict(case(), "steppe")
    assert model.HISTORICAL in model.strategies_of(sc)
    world = model.Ensemble(sc, ["historical", "hedge"], [{}, {}], [1, 1])
    rules, adversary, patron = [], [], []
    while world.running and world.quarter < sc.steps:
        world.step()
        rules.append(world.rule_names()[0])
        adversary.append(int(world.P.secondary.adversary[0]))
        patron.append(int(world.P.secondary.patron[0]))
        assert world.rule_names()[1] == "hedge"  # another strategy in the same ensemble is untouched
    assert rules[:7] == ["hedge"] * 7  # 1996Q2..1997Q4
    assert rules[7] == "balance" and adversary[7] == sc.power_ids.index("SOUTH")  # 1998Q1
    assert rules[15] == "bandwagon" and patron[15] == sc.power_ids.index("THIRD") and adversary[15] == -1  # 2000Q1


def test_a_period_naming_no_adversary_gives_back_the_runs_own():
    sc = scenario_from_dict(case(), "steppe")
    world = model.Ensemble(sc, ["historical"], [{"secondary.adversary": "NORTH"}], [1])
    seen = []
    while world.quarter < 17:
        world.step()
        seen.append(int(world.P.secondary.adversary[0]))
    assert seen[0] == 0 and seen[7] == sc.power_ids.index("SOUTH") and seen[15] == 0  # own, period's, own again


def test_historical_equals_the_fixed_rule_when_the_history_never_switches():
    one = case(**{"case.strategy": [{"from": "1996Q1", "rule": "hedge"}]})
    sc = scenario_from_dict(one, "steppe")
    a = model.Ensemble(sc, ["historical"], [{}], [3])
    b = model.Ensemble(sc, ["hedge"], [{}], [3])
    for _ in range(sc.steps):
        a.step()
        b.step()
    assert np.array_equal(a.state.engagement, b.state.engagement)
    assert np.array_equal(a.state.dependence, b.state.dependence)


def test_a_scenario_without_a_history_has_no_historical_strategy():
    sc = model.load_scenario("stylised")
    assert model.HISTORICAL not in model.strategies_of(sc)
    with pytest.raises(model.StrategyError, match="unknown strategy 'historical'"):
        model.Ensemble(sc, ["historical"], [{}], [1])


@pytest.mark.parametrize(("changes", "message"), [
    ({"case.powers.THIRD": ["USA", "XYZ"]}, "unknown data row"),
    ({"case.powers.THIRD": None}, "no data rows for power"),
    ({"case.powers.EAST": ["IND"]}, "'EAST' is not a power of the scenario"),
    ({"case.secondary": "ZZZ"}, "unknown data row 'ZZZ'"),
    ({"case.first_year_observed": 2016}, "no 'trade_share' for MNG-RUS in 2016"),
    ({"case.strategy": [{"from": "1997Q1", "rule": "hedge"}]}, "must start by the scenario's start"),
    ({"case.strategy": [{"from": "1996Q1", "rule": "hedging"}]}, "unknown rule 'hedging'"),
    ({"case.strategy": [{"from": "1996Q1", "rule": "balance", "adversary": "EAST"}]}, "unknown power 'EAST'"),
    ({"case.strategy": [{"from": "1996Q1", "rule": "hedge"}, {"from": "1996Q1", "rule": "balance"}]}, "not after"),
    ({"case.strategy": [{"from": "1996Q1", "rule": "hedge"}, {"from": "2030Q1", "rule": "balance"}]}, "outside"),
    ({"scenario.start": "1985Q1", "case.strategy": [{"from": "1985Q1", "rule": "hedge"}], "case.first_year_observed": 1996},
     "before the capability data"),
    ({"case": None}, "needs a [case] table"),
    ({"case.colour": "blue"}, "unknown keys ['colour']"),
])
def test_a_bad_case_fails_with_one_line_naming_what_is_missing(changes, message):
    with pytest.raises(ScenarioError) as error:
        scenario_from_dict(case(**changes), "steppe")
    assert message in str(error.value) and "\n" not in str(error.value)


def test_kazakhstan_reads_its_own_pack_and_nothing_else():
    sc = model.load_scenario("kazakhstan")
    assert sc.case.secondary == "KAZ" and sc.case.series is not None
    assert sc.case.rows == {"RUS": ("RUS",), "CHN": ("CHN",), "WEST": ("USA", "EUU")}
    # 1994 COW trade shares and 1995-99 SIPRI arms shares, as the ODD says
    assert sc.parameters.powers["RUS"].initial_dependence_economy == pytest.approx(0.504742)
    assert sc.parameters.powers["RUS"].initial_dependence_security > 0.9
    assert [p.rule for p in sc.case.strategy] == ["hedge"]


# ----- the commands ------------------------------------------------------------------------------
from multivector.experiments.cli import main  # noqa: E402


def test_cases_lists_each_case_readably_at_80_columns(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["cases"]) == 0
    out = capsys.readouterr().out
    assert all(len(line) <= 80 for line in out.splitlines()), max(out.splitlines(), key=len)
    block = next(b for b in out.split("\n\n") if b.startswith("kazakhstan:"))
    assert block.startswith("kazakhstan: Kazakhstan (KAZ), 1991Q4-2024Q4, 132 quarters")
    for text in ("WEST = USA + EUU", "1991Q4 hedge", "events", "facts", "kaz_trade_cow.csv", "no-west"):
        assert text in block
    flat = " ".join(block.split())  # the claims the report can test for the case, however the line wraps
    assert "claims C1 C2 C3" in flat and "(15 of 15; report --scenario kazakhstan)" in flat


def test_scenarios_marks_the_real_cases(capsys):
    assert main(["scenarios"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert "[case KAZ]" in lines["kazakhstan"] and "[case" not in lines["stylised"]


def test_run_defaults_to_the_case_history(capsys):
    assert main(["run", "--scenario", "kazakhstan", "--steps", "2"]) == 0
    assert "kazakhstan / historical" in capsys.readouterr().out
    assert main(["run", "--scenario", "stylised", "--steps", "2"]) == 0
    assert "stylised / hedge" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["patterns", "--scenario", "stylised"], ["report", "--scenario", "stylised"],
                                  ["patterns"], ["patterns", "--scenario", "atlantis"],
                                  ["run", "--scenario", "stylised", "--strategy", "historical"]])
def test_commands_that_need_a_pack_or_a_history_say_so_in_one_line(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("multivector: error:") and "\n" not in err


def test_patterns_by_scenario_prints_each_fact_with_its_figure(capsys, monkeypatch):
    from multivector.experiments.cases import CasePack
    from multivector.experiments.cases import commands
    from multivector.experiments.cases.facts import Fact, FactResult

    def high_autonomy(runs):
        last = runs["autonomy"][:, -1]
        return FactResult(passed=last > 0.0, figure=last, occurred=np.ones(runs.count, bool))

    fact = Fact("F1", "autonomy kept", "S keeps its autonomy", "final autonomy > 0", "final autonomy", "test",
                high_autonomy)
    monkeypatch.setattr(commands, "pack", lambda name: CasePack(scenario=name, facts=(fact,)))
    assert main(["patterns", "--scenario", "stylised", "--replications", "3", "--steps", "4"]) == 0
    out = capsys.readouterr().out
    assert "F1 autonomy kept" in out and "final autonomy" in out and "100%" in out and "stylised / hedge" in out


def test_a_sweep_may_run_a_case_under_its_history_and_only_where_it_has_one():
    from multivector.experiments.errors import UsageError
    from multivector.experiments.sweep.experiment import parse_experiment

    text = '[experiment]\nname = "n"\nscenario = "{}"\nsteps = 4\nstrategies = ["historical", "hedge"]\n'
    assert parse_experiment(text.format("kazakhstan"), source_name="x.toml").strategies == ("historical", "hedge")
    with pytest.raises(UsageError, match="unknown strategy 'historical'"):
        parse_experiment(text.format("stylised"), source_name="x.toml")


@pytest.mark.parametrize(("changes", "named"), [
    ({"case.powers.THIRD": ["USA", "XYZ"]}, "XYZ"),
    ({"case.first_year_observed": 2016}, "2016"),
    ({"case.strategy": [{"from": "1996Q1", "rule": "balance", "adversary": "EAST"}]}, "EAST"),
])
def test_the_command_line_refuses_a_bad_case_in_one_line(changes, named, monkeypatch, capsys, tmp_path):
    from multivector.model import scenarios

    real_read, real_names = scenarios._read, scenarios.scenario_names
    monkeypatch.setattr(scenarios, "_read", lambda name: case(**changes) if name == "steppe" else real_read(name))
    monkeypatch.setattr(scenarios, "scenario_names", lambda: [*real_names(), "steppe"])
    monkeypatch.setattr(model, "scenario_names", scenarios.scenario_names)
    scenarios.load_scenario.cache_clear()
    try:
        out = tmp_path / "run.csv"
        assert main(["run", "--scenario", "steppe", "--steps", "2", "--out", str(out)]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("multivector: error:") and "\n" not in err and named in err
        assert not out.exists()
    finally:
        scenarios.load_scenario.cache_clear()


def test_a_historical_replication_equals_its_mesa_run_bit_for_bit():
    import pandas as pd

    from multivector.model.simulate import simulate_many

    sc = scenario_from_dict(case(), "steppe")
    strategies = ["historical", "balance", "historical", "adaptive"]
    seeds = [np.random.SeedSequence(5, spawn_key=(r,)) for r in range(len(strategies))]
    overrides = [{}, {}, {"secondary.adversary": "NORTH"}, {}]
    frames = simulate_many(sc, strategies, seeds, 20, overrides)
    for strategy, seed, point, frame in zip(strategies, seeds, overrides, frames):
        pd.testing.assert_frame_equal(frame.reset_index(drop=True), model.simulate(
            sc, strategy, seed=np.random.SeedSequence(5, spawn_key=seed.spawn_key), steps=20,
            overrides=point).reset_index(drop=True), check_exact=True)
    assert set(frames[0]["strategy"]) == {"hedge", "balance", "bandwagon"}  # 1996Q1, 1998Q1, 2000Q1


def test_patterns_of_a_sweep_come_from_the_pack_of_its_scenario(tmp_path, capsys):
    from multivector.experiments.cases import pack

    design = tmp_path / "p.toml"
    design.write_text('[experiment]\nname = "p"\nscenario = "kazakhstan"\nreplications = 2\nseed = 3\n'
                      'strategies = ["historical", "balance"]\n[factors]\n"rivalry.scale" = [0.5, 0.6]\n'
                      '[collect]\npatterns = true\n')  # a factor: main's read-back check refuses factorless sweeps
    assert main(["sweep", str(design), "--out", str(tmp_path / "p"), "--workers", "1", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["patterns", str(tmp_path / "p")]) == 0
    out = capsys.readouterr().out
    assert all(f"{fact.id} {fact.name}" in out for fact in pack("kazakhstan").facts)
    assert "historical" in out and "balance" in out


def test_a_zero_recorded_trade_is_a_caveat_the_listing_shows():
    raw = case(**{"case.secondary": "GEO", "case.first_year_observed": 1995,
                  "case.powers": {"NORTH": ["RUS"], "SOUTH": ["CHN"], "THIRD": ["USA", "EUU"]}})
    sc = scenario_from_dict(raw, "steppe")
    assert any("CHN (SOUTH) in 1995 is recorded as zero" in c for c in sc.caveats)
    assert scenario_from_dict(case(), "steppe").caveats == ()


def test_the_parameter_table_names_the_data_behind_a_default():
    rows = {row.path: row for row in model.parameter_table("kazakhstan")}
    assert rows["powers.RUS.initial_dependence_economy"].source.startswith("data: kaz_trade_cow.csv 1994")
    assert not rows["powers.RUS.reach"].source.startswith("data:")  # written in the file


def test_compare_puts_a_switching_history_beside_its_counterfactuals(monkeypatch):
    from multivector.experiments import compare

    assert compare.strategies_to_compare("kazakhstan") == model.STRATEGIES  # one period of hedge: no repeat
    sc = scenario_from_dict(case(), "steppe")
    monkeypatch.setattr(model, "load_scenario", lambda name: sc)
    assert compare.strategies_to_compare("steppe") == (*model.STRATEGIES, "historical")
    result = compare.compare_strategies(sc, 2, 0, strategies=("hedge", "historical"), steps=12)
    assert set(result.runs["strategy"]) == {"hedge", "historical"}
