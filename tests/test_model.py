"""The model as a whole: invariants at every step, determinism, the data contract, Mesa
citizenship (batch_run, SolaraViz), bad inputs, the scenario's events, counterfactual settings,
strategies differing where the theory says they should, and the golden regression runs."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path

import mesa
import numpy as np
import pandas as pd
import pytest

from multivector import model
from multivector.model.perception import ECO, SEC

GOLDEN = Path(__file__).parent / "data" / "golden"


def run_and_check(scenario: str, strategy: str, seed: int, steps: int) -> pd.DataFrame:
    m = model.MultivectorModel(scenario=scenario, strategy=strategy, steps=steps, rng=seed)
    check_invariants(m)
    while m.running:
        m.step()
        check_invariants(m)
    return m.datacollector.get_model_vars_dataframe()


def check_invariants(m: model.MultivectorModel) -> None:
    s = m.state  # arrays with a replication axis of length 1
    engagement, dependence = m.secondary.engagement, m.secondary.dependence
    assert np.all((engagement >= 0) & (engagement <= 1))
    assert np.all((dependence >= 0) & (dependence <= 1))
    assert np.all(dependence.sum(axis=0) <= 1 + 1e-9), "dependence per domain sums to at most 1"
    assert np.all(s.route[0] >= 0) and s.route[0].sum() <= 1 + 1e-9
    assert np.all(engagement[:, ECO] <= m.powers.economic_cap[0] + 1e-12), "domestic cap on economic ties"
    r = m.record
    for g in m.power_ids:
        assert 0 <= r[f"client_index_{g}"] <= 1
        assert 0 <= r[f"policy_deference_{g}"] <= 1 and 0 <= r[f"dropped_moves_{g}"] <= 1
        assert -1 <= r[f"satisfaction_{g}"] <= 1
        assert 0 <= r[f"threat_{g}"] <= 1
        assert r[f"inducement_{g}"] >= 0 and r[f"pressure_{g}"] >= 0
        assert r[f"demands_met_{g}"] <= r[f"demands_{g}"] <= 1
    for column in ("autonomy", "security", "hedging_index", "exit_options"):
        assert 0 <= r[column] <= 1, column
    assert r["forced_deviation"] >= 0 and r["concession_cost"] >= 0 and r["pressure_suffered"] >= 0
    assert r["welfare"] > 0 and r["entrapment"] >= 0 and r["abandonment_events"] >= 0
    assert 0 <= s.capacity[0] <= 1
    rivalry = s.rivalry[0]
    assert np.all((rivalry >= 0) & (rivalry <= 1)) and np.allclose(rivalry, rivalry.T)


@pytest.mark.parametrize("strategy", model.STRATEGIES)
@pytest.mark.parametrize("scenario", ["kazakhstan", "stylised", "no-west", "no-institutions"])
def test_invariants_hold_at_every_step(scenario, strategy):
    steps = 132 if scenario == "kazakhstan" else 40
    frame = run_and_check(scenario, strategy, seed=11, steps=steps)
    assert len(frame) == steps + 1


def test_kazakhstan_run_has_every_contract_column_and_one_row_per_quarter():
    frame = model.simulate("kazakhstan", "hedge", seed=7)
    contract = model.output_columns(("RUS", "CHN", "WEST"))
    assert set(contract) <= set(frame.columns)
    assert len(frame) == 133  # 1991Q4 (the initial state, step 0) to 2024Q4
    assert frame["date"].iloc[0] == "1991Q4" and frame["date"].iloc[-1] == "2024Q4"
    assert list(frame["step"]) == list(range(133))
    assert frame["date"].is_unique and (frame["year"] == frame["date"].str[:4].astype(int)).all()


def test_same_seed_same_output_and_different_seed_different_output():
    a = model.simulate("kazakhstan", "hedge", seed=7)
    b = model.simulate("kazakhstan", "hedge", seed=7)
    c = model.simulate("kazakhstan", "hedge", seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_an_int_seed_is_the_seed_sequence_of_that_int():
    a = model.simulate("stylised", "balance", seed=42, steps=10)
    b = model.simulate("stylised", "balance", seed=np.random.SeedSequence(42), steps=10)
    pd.testing.assert_frame_equal(a, b)
    c = model.simulate("stylised", "balance", seed=np.random.SeedSequence(42, spawn_key=(3, 1)), steps=10)
    d = model.simulate("stylised", "balance", seed=np.random.SeedSequence(42, spawn_key=(3, 1)), steps=10)
    pd.testing.assert_frame_equal(c, d)
    assert not a.equals(c)


@pytest.mark.parametrize("strategy", model.STRATEGIES)
def test_golden_regression_runs(strategy):
    """Regenerate only deliberately, with ``python tests/data/regenerate_golden.py``, and say why
    in the commit (tests/data/README.md)."""
    expected = pd.read_csv(GOLDEN / f"kazakhstan_{strategy}_seed3.csv")
    actual = model.simulate("kazakhstan", strategy, seed=3, steps=20)
    actual = pd.read_csv(io.StringIO(actual.to_csv(index=False, float_format="%.12g")))
    pd.testing.assert_frame_equal(actual, expected, rtol=1e-9, atol=1e-12)


def test_model_is_a_good_mesa_citizen():
    m = model.MultivectorModel()  # every argument has a default
    assert m.scenario_data.name == "kazakhstan" and m.strategy == "hedge" and m.date == "1991Q4"
    assert isinstance(m.scenario, mesa.experimental.scenarios.Scenario), "model.scenario is Mesa's"
    rows = mesa.batch_run(model.MultivectorModel, parameters={}, rng=[1, 2], max_steps=8,
                          number_processes=1, display_progress=False)
    assert len(rows) == 2
    for row in rows:
        assert set(model.output_columns(("RUS", "CHN", "WEST"))) <= set(row)
        assert row["step"] == 8


def test_mesa_solara_viz_renders_steps_and_resets():
    """``SolaraViz(MultivectorModel(), components=[make_plot_component("autonomy")])`` works:
    Step advances the model and redraws the plot, Reset builds a fresh model (through Mesa's own
    scenario object) and redraws the initial plot."""
    solara = pytest.importorskip("solara")
    import ipyvuetify as v
    import ipywidgets
    from mesa.visualization import SolaraViz, make_plot_component

    m = model.MultivectorModel(steps=12)

    @solara.component
    def Page():
        with solara.AppLayout():
            SolaraViz(m, components=[make_plot_component("autonomy")], name="multivector")

    _, rc = solara.render(Page(), handle_error=False)

    def click(label: str) -> None:
        [button] = [b for b in rc.find(v.Btn).widgets if b.children == [label]]
        button.click()

    def image() -> bytes:
        return rc.find(ipywidgets.Image).widgets[0].value

    def wait_for(condition) -> bool:
        deadline = time.monotonic() + 10
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.05)
        return condition()

    initial = image()
    click("Step")
    assert wait_for(lambda: m.quarter == 1 and image() != initial)
    click("Reset")
    assert wait_for(lambda: image() == initial), "reset shows a fresh model"
    click("Step")
    assert wait_for(lambda: image() != initial)
    assert m.quarter == 1, "the fresh model steps, not the old one"


def test_text_seed_from_the_browser_is_accepted():
    a = model.MultivectorModel(rng="5", steps=3)
    b = model.MultivectorModel(rng=5, steps=3)
    for m in (a, b):
        while m.running:
            m.step()
    assert a.record == b.record


def test_importing_the_model_pulls_in_no_ui_plotting_or_experiments():
    code = ("import sys; import multivector.model; bad = [m for m in ('solara', 'matplotlib', 'multivector.experiments') "
            "if m in sys.modules or any(k.startswith(m + '.') for k in sys.modules)]; print(bad); sys.exit(bool(bad))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parent)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("kwargs, error, message", [
    ({"strategy": "nonsense"}, model.StrategyError, "unknown strategy"),
    ({"scenario": "missing"}, model.ScenarioError, "unknown scenario"),
    ({"overrides": {"nonexistent": 1}}, model.ParameterError, "unknown parameter 'nonexistent'"),
    ({"overrides": {"powers.RUS.reach": 3}}, model.ParameterError, "above its maximum"),
    ({"overrides": {"secondary.patron": "USA"}}, model.ParameterError, "unknown power 'USA'"),
    ({"overrides": {"switch.rule": "hedging"}}, model.ParameterError, "unknown rule 'hedging'"),
    ({"overrides": {"switch.date": "2013-07"}}, model.ParameterError, "expected a quarter"),
    ({"overrides": {"switch.date": "2013Q3"}}, model.ParameterError, "'switch.rule': needed"),
    ({"overrides": {"switch.date": "1980Q1", "switch.rule": "hedge"}}, model.ParameterError, "not within"),
    ({"overrides": {"hedge.dominance_denial": "maybe"}}, model.ParameterError, "expected a bool"),
])
def test_bad_inputs_raise_one_line_model_input_errors(kwargs, error, message):
    with pytest.raises(error, match=message) as info:
        model.MultivectorModel(**kwargs)
    assert "\n" not in str(info.value)


def test_overrides_change_the_run():
    base = model.simulate("kazakhstan", "hedge", seed=1, steps=20)
    changed = model.simulate("kazakhstan", "hedge", seed=1, steps=20, overrides={"hedge.fallback_floor": 0.3})
    assert changed["engagement_WEST_security"].iloc[5:].mean() > base["engagement_WEST_security"].iloc[5:].mean()


# --- strategies differ where the theory says they should ------------------------------------------

def _focus_security_path(scenario: str, strategy: str, seed: int, steps: int = 8) -> tuple[float, float, list[int]]:
    """Security engagement with the power the rule is organised around (the threat balanced
    against, or the patron), before and after ``steps`` quarters, and the focus each quarter."""
    m = model.MultivectorModel(scenario=scenario, strategy=strategy, rng=seed)
    m.step()
    focus = m.secondary.decision.focus
    start = m.secondary.observation.engagement[focus, SEC]
    foci = [focus]
    for _ in range(steps):
        m.step()
        foci.append(m.secondary.decision.focus)
    return start, m.secondary.engagement[focus, SEC], foci


@pytest.mark.parametrize("scenario", ["kazakhstan", "stylised"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_balancing_lowers_security_engagement_with_the_most_threatening_power(scenario, seed):
    start, end, foci = _focus_security_path(scenario, "balance", seed)
    assert len(set(foci)) == 1  # alignment inertia: the same adversary throughout
    assert end < 0.75 * start


@pytest.mark.parametrize("scenario", ["kazakhstan", "stylised"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_security_bandwagoning_raises_security_engagement_with_the_most_threatening_power(scenario, seed):
    start, end, foci = _focus_security_path(scenario, "bandwagon", seed)
    assert len(set(foci)) == 1
    assert end > start or end > 0.95
    m = model.MultivectorModel(scenario=scenario, strategy="bandwagon", rng=seed)
    m.step()
    assert m.secondary.decision.focus == int(np.argmax(m.secondary.observation.threat))


def test_in_kazakhstan_russia_is_the_top_threat_so_bandwagoning_follows_it_and_balancing_opposes_it():
    """Walt's threat (aggregate power, proximity, offensive capability, intent) makes Russia, not
    China, the proximate threat: the security bandwagoner's patron and the balancer's adversary."""
    for strategy in ("bandwagon", "balance"):
        frame_focus = []
        m = model.MultivectorModel(scenario="kazakhstan", strategy=strategy, rng=4)
        while m.running:
            m.step()
            frame_focus.append(m.secondary.decision.focus)
        assert np.mean(np.array(frame_focus) == 0) > 0.9, strategy


def test_fixed_partners_are_the_counterfactuals_rules():
    """E1: bandwagon with Russia; E2: balance against Russia; E3: profit-bandwagon with China."""
    for strategy, path, power in (("bandwagon", "secondary.patron", "CHN"), ("balance", "secondary.adversary", "CHN"),
                                  ("bandwagon-profit", "secondary.patron", "WEST")):
        m = model.MultivectorModel(scenario="kazakhstan", strategy=strategy, rng=2, steps=20, overrides={path: power})
        while m.running:
            m.step()
            assert m.secondary.decision.focus == m.power_ids.index(power)


def test_a_rule_switch_takes_effect_on_its_date():
    frame = model.simulate("kazakhstan", "hedge", seed=2, overrides={"switch.date": "2013Q3",
                                                                      "switch.rule": "bandwagon-profit",
                                                                      "secondary.patron": "CHN"})
    switched = frame["date"] >= "2013Q3"
    assert (frame.loc[~switched, "strategy"] == "hedge").all()
    assert (frame.loc[switched, "strategy"] == "bandwagon-profit").all()
    after = frame[frame["date"] >= "2016Q1"]
    assert after["engagement_CHN_security"].mean() > frame.loc[~switched, "engagement_CHN_security"].mean()


def test_bandwagoning_makes_a_client_and_hedging_does_not():
    """A bandwagoner that free-rides on its patron (no investment in own capacity) becomes its client;
    investing at the rate every rule has by default (0.01 a quarter) keeps its security hierarchy
    lower (issue 16: the zero rate alone lifted it from about 0.5 to 0.89). Over a few seeds: at the
    posterior calibration the free rider's client index peaks near the 0.75 threshold (0.74-0.78 on
    seeds 1-3), so one seed may stay just below it."""
    seeds = (1, 2, 3, 4)
    band = [model.simulate("kazakhstan", "bandwagon", seed=s, overrides={"bandwagon.investment": 0.0}) for s in seeds]
    investing = [model.simulate("kazakhstan", "bandwagon", seed=s) for s in seeds]
    hedge = model.simulate("kazakhstan", "hedge", seed=1)
    assert sum(b["client_quarters_RUS"].iloc[-1] for b in band) > sum(i["client_quarters_RUS"].iloc[-1] for i in investing)
    for b, i in zip(band, investing):
        assert b["security_hierarchy_RUS"].iloc[1:].mean() > i["security_hierarchy_RUS"].iloc[1:].mean()
    assert all(hedge[f"client_quarters_{g}"].iloc[-1] == 0 for g in ("RUS", "CHN", "WEST"))
    assert hedge["hedging_index"].iloc[1:].mean() > band[0]["hedging_index"].iloc[1:].mean()


# --- the scenario ------------------------------------------------------------------------------------

def test_scenario_events_fire_on_their_dates():
    m = model.MultivectorModel(scenario="kazakhstan", rng=0)
    while m.running:
        m.step()
    labels = {date: label for _, date, label in m.event_log}
    assert labels["1994Q1"].startswith("Eurasian Union proposal")
    assert "Caspian Pipeline Consortium" in labels["2001Q4"]
    assert "Central Asia-China gas pipeline" in labels["2009Q4"] and "Kenkiyak-Kumkol" in labels["2009Q3"]
    assert "tenge is floated" in labels["2015Q3"] and "farmland" in labels["2021Q2"]
    assert m.powers.war[0, m.power_ids.index("RUS")] == 1.0
    assert "CST/CSTO" in m.institutions


def test_the_january_2022_crisis_is_resolved_before_the_war_changes_russias_reliability():
    """Within 2022Q1 events apply by day: the CSTO request (5 January) before the invasion (24
    February), so Russia's help is judged with its pre-war reliability."""
    from multivector.model.calendar import step_of

    events = model.load_scenario("kazakhstan").events_at(step_of("1991Q4", "2022Q1"))
    labels = [e.label for e in events]
    assert labels[0].startswith("Bloody January") and labels[1].startswith("Russia invades Ukraine")
    m = model.MultivectorModel(scenario="kazakhstan", rng=0)
    seen = {}
    original = m.world.crisis

    def spy(where, severity, uniform):
        if where[0]:
            seen["war"] = m.powers.war[0, 0]
            seen["reliability"] = m.world.reliability[0, 0]
        original(where, severity, uniform)

    m.world.crisis = spy
    while m.date != "2022Q1":
        m.step()
    assert seen["war"] == 0.0 and seen["reliability"] > 0.5
    assert m.last_crisis["date"] == "2022Q1" and m.last_crisis["asked"] == "RUS"


def test_counterfactuals_drop_what_they_say():
    assert model.load_scenario("no-west").power_ids == ("RUS", "CHN")
    assert model.load_scenario("no-institutions").institutions == ()
    m = model.MultivectorModel(scenario="no-institutions", strategy="hedge", rng=0)
    while m.running:
        m.step()
    assert m.institutions == [], "no-institutions forbids founding forums too"
    base = model.MultivectorModel(scenario="kazakhstan", rng=0)
    west = model.MultivectorModel(scenario="no-west", rng=0)
    assert np.allclose(west.world.capability[0], base.world.capability[0, :2]), \
        "a dropped power leaves the game, not the world"


def test_final_values_only_runs_match_fully_collected_runs():
    full = model.MultivectorModel(scenario="stylised", strategy="adaptive", rng=3, steps=15)
    lean = model.MultivectorModel(scenario="stylised", strategy="adaptive", rng=3, steps=15, collect=False)
    for m in (full, lean):
        while m.running:
            m.step()
    assert lean.record == full.record
    assert len(full.datacollector.model_vars["step"]) == 16
    assert all(len(values) == 0 for values in lean.datacollector.model_vars.values())


def test_the_data_collector_keeps_every_quarter_stepped_even_past_the_end_and_after_a_read():
    m = model.MultivectorModel(scenario="stylised", steps=2, rng=3)
    for _ in range(4):
        m.step()
    first = m.datacollector.get_model_vars_dataframe()
    for _ in range(2):
        m.step()
    frame = m.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    pd.testing.assert_frame_equal(frame, model.simulate("stylised", seed=3, steps=6), check_exact=True)
    assert len(first) == 5 and frame.iloc[:5].equals(first.reset_index(drop=True))
