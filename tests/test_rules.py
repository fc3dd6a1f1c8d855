"""Each rule's direction, table-driven on hand-made observations, plus hypothesis properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import rules
from model.parameters import SecondaryParams
from model.perception import ECO, INS, SEC, InstitutionView, Observation

P = SecondaryParams()


def observation(n: int = 3, threat=(1.0, 0.4, 0.2), capability=(0.3, 0.4, 0.3), reach=(1.0, 0.7, 0.15),
                engagement=None, dependence=None, opportunity=None, institutions=(), focus=None, **extra) -> Observation:
    threat = np.array(threat[:n], dtype=float)
    e = np.full((n, 3), 0.4) if engagement is None else np.array(engagement, dtype=float)
    d = np.full((n, 3), 0.2) if dependence is None else np.array(dependence, dtype=float)
    omega = np.full((n, 3), 0.5) if opportunity is None else np.array(opportunity, dtype=float)
    values = dict(
        capability=np.array(capability[:n], dtype=float), reach=np.array(reach[:n], dtype=float), threat=threat,
        leverage=d.copy(), opportunity=omega, believed_intent=np.full(n, 0.2), uncertainty=np.full(n, 0.1),
        enmeshment=np.zeros(n), stakes=np.zeros(n), engagement=e, dependence=d, route=np.zeros(n),
        reliability=np.full(n, 0.5), exclusivity=np.full((n, 3), 0.2), salience=np.full((n, 3), 1 / 3),
        tolerance=np.zeros(n), dependence_rates=np.array([0.05, 0.05, 0.1]), rest_of_world=0.15,
        institutions=tuple(institutions), focus=focus,
    )
    values.update(extra)
    return Observation(**values)


# --- balancing (Walt 1987) ---------------------------------------------------------------------

@pytest.mark.parametrize("top", [0, 1, 2])
def test_balancing_cuts_security_with_the_top_threat_and_builds_a_counterweight(top):
    threat = np.full(3, 0.3)
    threat[top] = 1.0
    obs = observation(threat=tuple(threat))
    decision = rules.decide_balance(obs, P)
    assert decision.target[top, SEC] < obs.engagement[top, SEC]
    assert decision.target[top, INS] < obs.engagement[top, INS]
    assert decision.target[top, ECO] < obs.engagement[top, ECO]
    counter = rules.counterweight(obs, top)
    assert counter != top
    assert decision.target[counter, SEC] > obs.engagement[counter, SEC]
    assert decision.investment > P.base_investment  # internal balancing


def test_balancing_refuses_every_demand_of_the_threat():
    obs = observation()
    assert not rules.complies_balance(rules.Demand(0, "alignment", SEC, False), obs, P)
    assert rules.complies_balance(rules.Demand(1, "alignment", ECO, False), obs, P)
    assert not rules.complies_balance(rules.Demand(1, "support", SEC, True), obs, P)


def test_balancing_leaves_the_threats_cheap_institutions():
    inst = InstitutionView(0.5, 1.0, 0.2, np.array([True, False, False]), np.array([True, False, False]),
                           np.array([True, False, False]), True, False)
    assert rules.decide_balance(observation(institutions=[inst]), P).leave == (0,)


# --- bandwagoning (Walt 1987; Schweller 1994) ----------------------------------------------------

@pytest.mark.parametrize("top", [0, 1, 2])
def test_security_bandwagoning_raises_engagement_with_the_top_threat(top):
    threat = np.full(3, 0.3)
    threat[top] = 1.0
    obs = observation(threat=tuple(threat))
    decision = rules.decide_bandwagon(obs, P, "security")
    assert np.all(decision.target[top] >= obs.engagement[top])
    assert decision.target[top, SEC] == pytest.approx(1.0)
    others = np.arange(3) != top
    assert np.all(decision.target[others] <= obs.engagement[others])
    assert decision.investment == 0.0


def test_profit_bandwagoning_follows_opportunity_not_threat():
    omega = np.full((3, 3), 0.2)
    omega[2] = 1.5
    obs = observation(threat=(1.0, 0.2, 0.1), opportunity=omega)
    decision = rules.decide_bandwagon(obs, P, "profit")
    assert decision.focus == 2
    assert decision.target[2, ECO] > obs.engagement[2, ECO]


def test_bandwagoner_keeps_its_patron_unless_clearly_surpassed():
    obs = observation(threat=(0.9, 1.0, 0.1), focus=0)
    assert rules.decide_bandwagon(obs, P, "security").focus == 0
    obs = observation(threat=(0.3, 1.0, 0.1), focus=0)
    assert rules.decide_bandwagon(obs, P, "security").focus == 1


def test_bandwagoner_meets_every_patron_demand():
    obs = observation()
    assert rules.complies_bandwagon(rules.Demand(0, "support", SEC, True), obs, P, "security")
    assert not rules.complies_bandwagon(rules.Demand(1, "alignment", ECO, False), obs, P, "security")


# --- hedging (Kuik 2008; Goh 2007/08) ------------------------------------------------------------

def _hedge_caps():
    return np.array([P.dominance_cap_security, P.dominance_cap_economy, P.dominance_cap_institutions])


def test_hedging_keeps_every_power_above_the_fallback_floor_and_under_the_dominance_cap():
    omega = np.array([[3.0, 3.0, 3.0], [0.1, 0.1, 0.1], [0.1, 0.1, 0.1]])  # one power tempts strongly
    obs = observation(opportunity=omega, threat=(0.1, 0.1, 0.1))
    decision = rules.decide_hedge(obs, P)
    assert np.all(decision.target >= P.fallback_floor - 1e-12)
    shares = rules.projected_shares(decision.target, obs.opportunity, obs.rest_of_world)
    over = shares > _hedge_caps()[None, :] + 1e-9
    # the tempting power is pushed down to its fallback floor wherever the cap still binds
    assert np.all(decision.target[over] <= P.fallback_floor + 1e-9)
    moderate = observation(opportunity=np.array([[1.0] * 3, [0.5] * 3, [0.5] * 3]), threat=(0.1, 0.1, 0.1))
    decision = rules.decide_hedge(moderate, P)
    shares = rules.projected_shares(decision.target, moderate.opportunity, moderate.rest_of_world)
    assert np.all(shares <= _hedge_caps()[None, :] + 1e-9)


def test_hedging_shifts_engagement_away_from_a_more_threatening_dependence():
    calm = rules.decide_hedge(observation(threat=(0.2, 0.2, 0.2), dependence=np.full((3, 3), 0.3)), P)
    dep = np.full((3, 3), 0.3)
    dep[0] = 0.6
    risky = rules.decide_hedge(observation(threat=(1.0, 0.2, 0.2), dependence=dep), P)
    assert risky.target[0, ECO] < calm.target[0, ECO]


def test_hedging_meets_low_cost_and_refuses_high_cost_demands():
    obs = observation()
    assert rules.complies_hedge(rules.Demand(0, "alignment", ECO, False), obs, P)
    assert not rules.complies_hedge(rules.Demand(0, "support", SEC, True), obs, P)


def test_hedging_keeps_indirect_balancing_ties_with_the_distant_power():
    decision = rules.decide_hedge(observation(), P)
    distant = 2  # smallest reach
    assert decision.target[distant, SEC] >= P.indirect_balancing_floor - 1e-12


def test_hedging_founds_a_forum_when_some_power_is_not_enmeshed():
    assert rules.decide_hedge(observation(enmeshment=np.array([0.5, 0.0, 0.5])), P).found_forum
    assert not rules.decide_hedge(observation(enmeshment=np.full(3, 0.5)), P).found_forum


# --- adaptive ------------------------------------------------------------------------------------

def test_adaptive_reinforces_the_rule_that_paid():
    attractions = rules.update_attraction(np.zeros(4), 2, 1.0, 0.5)
    assert attractions[2] == pytest.approx(0.5) and attractions[[0, 1, 3]].sum() == 0
    rng = np.random.default_rng(0)
    picks = [rules.choose_rule(np.array([0.0, 0.0, 1.0, 0.0]), 0.1, rng) for _ in range(200)]
    assert np.mean(np.array(picks) == 2) > 0.9


# --- properties for every fixed rule ---------------------------------------------------------------

unit = st.floats(0.0, 1.0, allow_nan=False)


@st.composite
def observations(draw):
    n = draw(st.integers(2, 4))
    grid = st.lists(unit, min_size=3 * n, max_size=3 * n).map(lambda v: np.array(v).reshape(n, 3))
    threat = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=n, max_size=n)))
    threat = threat / threat.max()
    cap = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=n, max_size=n)))
    dependence = draw(grid) / n
    return observation(
        n=n, threat=tuple(threat), capability=tuple(cap / cap.sum()),
        reach=tuple(draw(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n))),
        engagement=draw(grid), dependence=dependence, opportunity=draw(grid) * 2,
        believed_intent=np.array(draw(st.lists(unit, min_size=n, max_size=n))),
        uncertainty=np.full(n, 0.1), enmeshment=np.zeros(n), stakes=np.zeros(n),
        reliability=np.full(n, 0.5), exclusivity=draw(grid), salience=np.full((n, 3), 1 / 3),
        tolerance=np.zeros(n), route=np.zeros(n),
    )


@settings(max_examples=60, deadline=None)
@given(observations(), st.sampled_from(rules.FIXED_RULES))
def test_every_rule_returns_engagements_in_the_unit_interval_within_capacity(obs, rule):
    decision = rules.decide(rule, obs, P)
    assert decision.target.shape == obs.engagement.shape
    assert np.all(decision.target >= 0) and np.all(decision.target <= 1)
    assert np.all(decision.target.sum(axis=0) <= P.domain_capacity + 1e-9)
    again = rules.decide(rule, obs, P)
    assert np.array_equal(decision.target, again.target)  # pure: same input, same output


@settings(max_examples=200, deadline=None)
@given(observations())
def test_hedging_respects_floor_and_dominance_cap_for_any_observation(obs):
    decision = rules.decide_hedge(obs, P)
    n = obs.engagement.shape[0]
    floor_ok = decision.target >= min(P.fallback_floor, P.domain_capacity / n) - 1e-9
    assert floor_ok.all()
    shares = rules.projected_shares(decision.target, obs.opportunity, obs.rest_of_world)
    # wherever a power's share still exceeds the cap, it has been pushed to its fallback floor
    over = shares > _hedge_caps()[None, :] + 1e-6
    assert np.all(decision.target[over] <= P.fallback_floor + 1e-6)
