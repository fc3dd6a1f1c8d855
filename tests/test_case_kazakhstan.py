"""Kazakhstan's case pack: the facts P1-P10 and the trade and arms fits, scored on arrays for a
whole ensemble at once. Facts about events are tested on constructed runs: without the event a
fact fails (and says the event did not occur); with the event where history has it, it passes."""

from __future__ import annotations

import numpy as np
import pytest

from multivector import model
from multivector.experiments.calibration import summary
from multivector.experiments.cases import pack
from multivector.experiments.cases.facts import Runs
from multivector.experiments.cases.kazakhstan import patterns
from multivector.model.history import History, run_to_end

DATES = np.array([f"{y}Q{q}" for y in range(1992, 2025) for q in range(1, 5)])


def quiet_history(**columns) -> Runs:
    """One constructed run, 1992Q1-2024Q4, in which every fact's state clauses hold and no event
    happens (no pressure, no demands, no crisis); ``columns`` replace whole columns."""
    T = len(DATES)
    base = {name: np.zeros((1, T)) for name in (
        "pressure_RUS", "pressure_CHN", "pressure_WEST", "coercion_RUS", "coercion_CHN", "coercion_WEST",
        "high_cost_demands_RUS", "high_cost_met_RUS", "client_status_RUS", "crisis_requests", "abandonment_events")}
    base.update({f"pressure_domain_{g}": np.full((1, T), -1.0) for g in patterns.POWERS})
    base["satisfaction_margin_RUS"] = np.full((1, T), 0.2)
    base["alternative_routes"] = np.zeros((1, T))
    base["route_dependence_RUS"] = np.full((1, T), 0.8)
    base["hedging_index"] = np.full((1, T), 0.5)
    base["client_index_RUS"] = np.full((1, T), 0.3)
    base["dependence_RUS_security"] = np.full((1, T), 0.7)
    for g, level in zip(patterns.POWERS, (0.3, 0.4, 0.1)):  # institutions: CHN > RUS > WEST
        base[f"engagement_{g}_institutions"] = np.full((1, T), level)
    base.update({k: np.asarray(v, dtype=float).reshape(1, T) for k, v in columns.items()})
    return Runs(base, DATES, np.array([int(d[:4]) for d in DATES]), np.ones((1, T), dtype=bool), patterns.POWERS)


def at(*dates: str, value: float = 1.0, default: float = 0.0) -> np.ndarray:
    out = np.full(len(DATES), default)
    for date in dates:
        out[list(DATES).index(date)] = value
    return out


def after(date: str, value: float, before: float = 0.0) -> np.ndarray:
    return np.where(DATES >= date, value, before)


def verdict(fact, runs: Runs) -> tuple[bool, bool]:
    result = fact(runs)
    return bool(result.passed[0]), bool(result.occurred[0])


# ----- P4: pressure happens, short, economic, in 2022 -------------------------------------------------

def test_p4_fails_without_pressure_and_passes_with_a_short_economic_spell_in_2022():
    assert verdict(patterns.p4_short_economic_pressure, quiet_history()) == (False, False)
    pressed = quiet_history(pressure_RUS=at("2022Q3", value=0.2), pressure_domain_RUS=at("2022Q3", value=1, default=-1))
    assert verdict(patterns.p4_short_economic_pressure, pressed) == (True, True)


@pytest.mark.parametrize("quarters, domain, coercion", [
    (("2022Q2", "2022Q3", "2022Q4"), 1, 0),  # a spell longer than 2 quarters
    (("2022Q3",), 0, 0),  # security pressure, not economic
    (("2015Q2",), 1, 0),  # pressure, but none in 2022
    (("2022Q3",), 1, 1),  # military coercion
])
def test_p4_fails_when_the_pressure_is_long_military_or_not_in_2022(quarters, domain, coercion):
    runs = quiet_history(pressure_RUS=at(*quarters, value=0.2), pressure_domain_RUS=at(*quarters, value=domain, default=-1),
                         coercion_RUS=after("2010Q1", coercion))
    passed, occurred = verdict(patterns.p4_short_economic_pressure, runs)
    assert occurred and not passed


# ----- P5: diversification after pressure that occurred -----------------------------------------------

def test_p5_fails_without_pressure_and_passes_when_routes_follow_pressure():
    assert verdict(patterns.p5_diversification_after_pressure, quiet_history()) == (False, False)
    pressure = dict(pressure_RUS=at("2022Q3", value=0.2), pressure_domain_RUS=at("2022Q3", value=1, default=-1))
    followed = quiet_history(alternative_routes=after("2023Q2", 0.2), **pressure)
    assert verdict(patterns.p5_diversification_after_pressure, followed) == (True, True)
    flat = quiet_history(**pressure)
    assert verdict(patterns.p5_diversification_after_pressure, flat) == (False, True)


# ----- P3 and P6: Russia's high-cost demands must be made --------------------------------------------

def test_p3_and_p6_fail_without_demands_and_pass_when_demands_are_refused():
    for fact in (patterns.p3_assertion_without_rupture, patterns.p6_voting_alignment):
        assert verdict(fact, quiet_history()) == (False, False)
        refused = quiet_history(high_cost_demands_RUS=at("2022Q2", "2022Q3"))
        assert verdict(fact, refused) == (True, True)
        met = quiet_history(high_cost_demands_RUS=at("2022Q2", "2022Q3"), high_cost_met_RUS=at("2022Q2", "2022Q3"))
        assert verdict(fact, met) == (False, True)


# ----- P9: the January 2022 request answered by Russia, no clientage -------------------------------------

def test_p9_needs_russia_to_answer_the_2022_request_and_no_clientage_after():
    request = after("2022Q1", 1)
    assert verdict(patterns.p9_continuity, quiet_history()) == (False, False)
    answered = quiet_history(crisis_requests=request, dependence_RUS_security=after("2022Q1", 0.8, 0.7))
    assert verdict(patterns.p9_continuity, answered) == (True, True)
    abandoned = quiet_history(crisis_requests=request, abandonment_events=request,
                              dependence_RUS_security=after("2022Q1", 0.8, 0.7))
    assert verdict(patterns.p9_continuity, abandoned) == (False, False)
    client = quiet_history(crisis_requests=request, dependence_RUS_security=after("2022Q1", 0.8, 0.7),
                           client_status_RUS=at("2022Q4"))
    assert verdict(patterns.p9_continuity, client) == (False, True)


# ----- the pack, and scoring a real ensemble ----------------------------------------------------------

@pytest.fixture(scope="module")
def ensemble():
    """A dozen runs of three rules over varied reactions, so verdicts differ between runs."""
    rng = np.random.default_rng(0)
    R = 12
    strategies = ["hedge", "bandwagon", "balance"] * (R // 3)
    overrides = [{"reactions.coercion_intercept": float(rng.uniform(-4, 3)),
                  "powers.RUS.pressure_threshold": float(rng.uniform(-0.2, 0.5)),
                  "powers.RUS.tolerance": float(rng.uniform(-0.1, 0.5))} for _ in range(R)]
    world = model.Ensemble("kazakhstan", strategies, overrides,
                           [np.random.SeedSequence(5, spawn_key=(r,)) for r in range(R)])
    history = History(world, world.max_steps + 1)
    run_to_end(world, history)
    return history


def test_the_pack_is_found_by_its_scenario_and_lists_ten_facts_with_sources():
    found = pack("kazakhstan")
    assert found is not None and [f.id for f in found.facts] == [f"P{i}" for i in range(1, 11)]
    assert {s.kind for s in found.extras["fit"]} == {"trade", "arms"}
    for fact in found.facts:
        assert fact.source and fact.test_text and len(fact.test.__doc__ or "") > 100


def test_an_event_fact_passes_only_where_its_event_occurred(ensemble):
    runs = Runs.from_history(ensemble)
    for fact in pack("kazakhstan").facts:
        result = fact.evaluate(runs)
        assert not (result.passed & ~result.occurred).any(), fact.id


def test_runs_from_frames_and_from_history_score_alike(ensemble):
    frames = [ensemble.frame(r) for r in range(3)]
    case = pack("kazakhstan")
    one_by_one = summary.score(Runs.from_frames(frames, ("RUS", "CHN", "WEST")), case)
    together = summary.score(Runs.from_history(ensemble), case)
    for name, values in one_by_one.items():
        np.testing.assert_allclose(values, together[name][:3], rtol=1e-12, equal_nan=True, err_msg=name)


def test_summary_columns_name_every_scored_column_in_order(ensemble):
    case = pack("kazakhstan")
    columns = summary.score(Runs.from_history(ensemble), case)
    assert tuple(columns) == summary.summary_columns(case)
    assert all(v.shape == (ensemble.values.shape[1],) for v in columns.values())
