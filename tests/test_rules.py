"""Each rule's direction, table-driven on hand-made observations, plus hypothesis properties, the
registry, and the hedging rule's components one by one (each can be ablated and each acts)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from types import SimpleNamespace

from multivector.model import rules
from multivector.model.arrays import compile_parameters
from multivector.model.institutions import InstitutionView
from multivector.model.parameters import Parameters, PowerParams
from multivector.model.perception import ECO, INS, SEC, Observation
from multivector.model.reactions import ALIGNMENT, SUPPORT
from multivector.model.rules import DemandView, hedge

P = Parameters()
IDS = ("A", "B", "C", "D")


# --- one world, as an ensemble of one ------------------------------------------------------------
# The rules work on R replications at once; these helpers build one world's observation and
# parameters, add the replication axis, and read the decision back without it.

def no_institutions(n: int) -> InstitutionView:
    return institutions(n=n)


def institutions(*specs, n: int = 3) -> InstitutionView:
    """specs: (members, leads, domains, binding, voice, exit_cost, member, founded)."""
    col = lambda i, kind=float: np.array([s[i] for s in specs], dtype=kind).reshape(len(specs), -1)  # noqa: E731
    g = len(specs[0][0]) if specs else n
    members = col(0, bool) if specs else np.zeros((0, g), bool)
    leads = col(1, bool) if specs else np.zeros((0, g), bool)
    domains = col(2, bool) if specs else np.zeros((0, 3), bool)
    row = lambda i, kind=float: np.array([[s[i] for s in specs]], dtype=kind).reshape(1, len(specs))  # noqa: E731
    member = row(6, bool)
    return InstitutionView(members, leads, domains, row(3), row(4), row(5), np.full((1, len(specs)), 0.3), member,
                           np.ones_like(member), np.array([s[7] for s in specs], dtype=bool))


def observation(n: int = 3, threat=(1.0, 0.4, 0.2), capability=(0.3, 0.4, 0.3), reach=(1.0, 0.7, 0.15),
                engagement=None, dependence=None, opportunity=None, insts=None, focus=-1, **extra) -> Observation:
    """One world's observation (arrays with a replication axis of length 1)."""
    e = np.full((n, 3), 0.4) if engagement is None else np.array(engagement, dtype=float)
    d = np.full((n, 3), 0.2) if dependence is None else np.array(dependence, dtype=float)
    omega = np.full((n, 3), 0.5) if opportunity is None else np.array(opportunity, dtype=float)
    values = dict(
        capability=np.array(capability[:n], dtype=float), reach=np.array(reach[:n], dtype=float),
        threat=np.array(threat[:n], dtype=float), leverage=d.copy(), opportunity=omega,
        believed_intent=np.full(n, 0.2), uncertainty=np.full(n, 0.1), enmeshment=np.zeros(n), stakes=np.zeros(n),
        engagement=e, dependence=d, route=np.zeros(n), reliability=np.full(n, 0.5),
        exclusivity=np.full((n, 3), 0.2), salience=np.full((n, 3), 1 / 3), tolerance=np.zeros(n),
        pressure_threshold=np.full(n, -0.1), rivalry=np.full((n, n), 0.5) - 0.5 * np.eye(n), rivalry_threshold=0.3,
        offensive=np.full(n, 1 / n), recent_economic_pressure=0.0, dependence_rates=np.array([0.05, 0.05, 0.1]),
        signal=np.zeros(n), rest_of_world=0.15, focus=focus, offers=np.zeros((n, 3)),
    )
    values.update(extra)
    batched = {k: np.asarray(v, dtype=type(v) if isinstance(v, int) else None)[None] for k, v in values.items()}
    return Observation(**batched, institutions=no_institutions(n) if insts is None else insts, power_ids=IDS[:n])


def with_params(**changes) -> Parameters:
    """A copy of the default parameters with ``group.field`` changes."""
    p = Parameters()
    for path, value in changes.items():
        group, field = path.split("__")
        setattr(getattr(p, group), field, value)
    return p


def _arrays(p: Parameters, n: int):
    base = p.model_copy(update={"powers": {g: PowerParams() for g in IDS[:n]}})
    return compile_parameters(base, [{}], IDS[:n], "2000Q1")


def decide(rule: str, obs: Observation, p: Parameters = P) -> SimpleNamespace:
    """One world's decision: arrays without the replication axis, moves as tuples of slots."""
    n = obs.engagement.shape[1]
    d = rules.decide(np.array([rules.FIXED_RULES.index(rule)]), obs, _arrays(p, n), obs.institutions.members.shape[0])
    return SimpleNamespace(target=d.target[0], investment=float(d.investment[0]), activism=d.activism[0],
                           alternative_investment=float(d.alternative_investment[0]),
                           leave=tuple(np.nonzero(d.leave[0])[0].tolist()), join=tuple(np.nonzero(d.join[0])[0].tolist()),
                           found_forum=bool(d.found_forum[0]), focus=int(d.focus[0]))


def complies(rule: str, power: int, kind: int, domain: int, high: bool, obs: Observation, p: Parameters = P) -> bool:
    n = obs.engagement.shape[1]
    demand = DemandView(np.array([power]), np.array([kind]), np.array([domain]), np.array([high]))
    return bool(rules.complies(np.array([rules.FIXED_RULES.index(rule)]), demand, obs, _arrays(p, n))[0])


def one(obs: Observation, name: str) -> np.ndarray:
    """One world's observed quantity, without the replication axis."""
    return getattr(obs, name)[0]


def test_the_registry_holds_every_rule_with_a_citation_and_documented_functions():
    assert set(rules.RULES) == set(rules.FIXED_RULES) == {"balance", "bandwagon", "bandwagon-profit", "hedge",
                                                          "balance-fallback", "bandwagon-selective"}
    for rule in rules.RULES.values():
        assert rule.citation and any(char.isdigit() for char in rule.citation)
        for function in (rule.decide, rule.complies):
            assert inspect.getdoc(function), f"{rule.name}.{function.__name__} has no docstring"


# --- balancing (Walt 1987) ---------------------------------------------------------------------

@pytest.mark.parametrize("top", [0, 1, 2])
def test_balancing_cuts_security_with_the_top_threat_and_builds_a_counterweight(top):
    threat = np.full(3, 0.3)
    threat[top] = 1.0
    obs = observation(threat=tuple(threat))
    decision = decide("balance", obs, P)
    assert decision.focus == top
    for d in (SEC, INS, ECO):
        assert decision.target[top, d] < obs.engagement[0, top, d]
    counter = int(rules.balance.counterweight(obs, np.array([top]))[0])
    assert counter != top
    assert decision.target[counter, SEC] > obs.engagement[0, counter, SEC]
    assert decision.investment > P.hedge.investment  # internal balancing: more than the hedger's rate


def test_balancing_against_a_fixed_adversary_ignores_the_threat_ranking():
    obs = observation(threat=(1.0, 0.4, 0.2))
    assert decide("balance", obs, with_params(secondary__adversary="B")).focus == 1


def test_balancing_refuses_every_demand_of_the_threat():
    obs = observation()
    assert not complies("balance", 0, ALIGNMENT, SEC, False, obs, P)
    assert complies("balance", 1, ALIGNMENT, ECO, False, obs, P)
    assert not complies("balance", 1, SUPPORT, SEC, True, obs, P)


def test_balancing_leaves_the_threats_cheap_institutions_and_joins_the_counterweights_security_bodies():
    insts = institutions(([1, 0, 0], [1, 0, 0], [1, 0, 0], 0.5, 1.0, 0.2, True, False),
                         ([0, 1, 1], [0, 1, 0], [1, 0, 0], 0.5, 1.0, 0.2, False, False))
    obs = observation(insts=insts, threat=(1.0, 0.2, 0.1), capability=(0.3, 0.6, 0.1))
    decision = decide("balance", obs, P)
    assert decision.leave == (0,) and decision.join == (1,)


# --- bandwagoning (Walt 1987; Schweller 1994) ----------------------------------------------------

@pytest.mark.parametrize("top", [0, 1, 2])
def test_security_bandwagoning_raises_engagement_with_the_top_threat(top):
    threat = np.full(3, 0.3)
    threat[top] = 1.0
    obs = observation(threat=tuple(threat))
    decision = decide("bandwagon", obs, P)
    assert np.all(decision.target[top] >= obs.engagement[0, top])
    assert decision.target[top, SEC] == pytest.approx(1.0)
    others = np.arange(3) != top
    assert np.all(decision.target[others] <= obs.engagement[0, others])
    assert decision.investment == pytest.approx(P.bandwagon.investment)  # its own rate (no longer 0)


def test_profit_bandwagoning_follows_opportunity_not_threat():
    omega = np.full((3, 3), 0.2)
    omega[2] = 1.5
    obs = observation(threat=(1.0, 0.2, 0.1), opportunity=omega)
    decision = decide("bandwagon-profit", obs, P)
    assert decision.focus == 2
    assert decision.target[2, ECO] > obs.engagement[0, 2, ECO]


def test_bandwagoner_keeps_its_patron_unless_clearly_surpassed_or_fixed():
    assert decide("bandwagon", observation(threat=(0.9, 1.0, 0.1), focus=0), P).focus == 0
    assert decide("bandwagon", observation(threat=(0.3, 1.0, 0.1), focus=0), P).focus == 1
    fixed = with_params(secondary__patron="C")
    assert decide("bandwagon", observation(threat=(0.3, 1.0, 0.1), focus=0), fixed).focus == 2


def test_bandwagoner_meets_every_patron_demand():
    obs = observation()
    assert complies("bandwagon", 0, SUPPORT, SEC, True, obs, P)
    assert not complies("bandwagon", 1, ALIGNMENT, ECO, False, obs, P)


# --- hedging (Kuik 2008; Goh 2007/08): each component ---------------------------------------------

def _caps(p: Parameters = P) -> np.ndarray:
    h = p.hedge
    return np.array([h.dominance_cap_security, h.dominance_cap_economy, h.dominance_cap_institutions])


def test_hedging_keeps_every_power_above_the_fallback_floor():
    omega = np.array([[3.0, 3.0, 3.0], [0.1, 0.1, 0.1], [0.1, 0.1, 0.1]])  # one power tempts strongly
    decision = decide("hedge", observation(opportunity=omega, threat=(0.1, 0.1, 0.1)), P)
    assert np.all(decision.target >= P.hedge.fallback_floor - 1e-12)
    without = decide("hedge", observation(opportunity=omega, threat=(0.1, 0.1, 0.1)),
                           with_params(hedge__fallback=False))
    assert without.target[1:].min() < P.hedge.fallback_floor


def test_dominance_denial_is_triggered_by_current_shares_and_cuts_to_the_long_run_cap():
    """A power whose current share of a domain is over the cap gets no more engagement than would
    hold its long-run share at the cap; one under the cap may grow however attractive it is (so a
    rising partner's ties can rise until its share reaches the cap)."""
    omega = np.array([[3.0, 3.0, 3.0], [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]])
    over = np.array([[0.3, 0.7, 0.3], [0.2, 0.1, 0.2], [0.2, 0.1, 0.2]])
    obs = observation(opportunity=omega, dependence=over, threat=(0.1, 0.1, 0.1))
    denied = decide("hedge", obs, P)
    long_run = rules.hedge.projected_shares(denied.target[None], omega[None], obs.rest_of_world)[0]
    assert long_run[0, ECO] <= P.hedge.dominance_cap_economy + 1e-9
    free = decide("hedge", obs, with_params(hedge__dominance_denial=False))
    assert free.target[0, ECO] > denied.target[0, ECO]
    under = observation(opportunity=omega, dependence=np.full((3, 3), 0.2), threat=(0.1, 0.1, 0.1))
    assert np.array_equal(decide("hedge", under, P).target,
                          decide("hedge", under, with_params(hedge__dominance_denial=False)).target)


def test_hedging_risk_term_shifts_engagement_away_from_a_threatening_dependence():
    dep = np.full((3, 3), 0.3)
    dep[0] = 0.6
    obs = observation(threat=(1.0, 0.2, 0.2), dependence=dep)
    averse = decide("hedge", obs, with_params(secondary__risk_aversion=2.0))
    bold = decide("hedge", obs, with_params(secondary__risk_aversion=0.0))
    assert averse.target[0, ECO] < bold.target[0, ECO]
    ablated = decide("hedge", obs, with_params(secondary__risk_aversion=2.0, hedge__risk_contingency=False))
    assert np.array_equal(ablated.target, bold.target)


def test_limited_bandwagoning_accommodates_a_dissatisfied_power_in_proportion_to_prudence():
    """One-step lookahead: power 0 would be dissatisfied with the planned ties (its rivals are
    engaged and it demands exclusivity) and has leverage; a prudent hedger raises its ties with
    power 0 in the domain power 0 cares most about; an imprudent one does not."""
    salience = np.array([[0.8, 0.1, 0.1], [1 / 3] * 3, [1 / 3] * 3])
    kwargs = dict(threat=(0.1, 0.1, 0.1), salience=salience, exclusivity=np.full((3, 3), 0.8),
                  pressure_threshold=np.array([0.4, -0.5, -0.5]), dependence=np.full((3, 3), 0.3))
    obs = observation(**kwargs)
    prudent = decide("hedge", obs, with_params(secondary__prudence=1.0)).target
    careless = decide("hedge", obs, with_params(secondary__prudence=0.0)).target
    assert prudent[0, SEC] > careless[0, SEC] + 0.05
    no_leverage = observation(**{**kwargs, "leverage": np.zeros((3, 3))})
    assert np.allclose(decide("hedge", no_leverage, with_params(secondary__prudence=1.0)).target, careless), \
        "a power that cannot hurt S is not accommodated"
    ablated = decide("hedge", obs, with_params(secondary__prudence=1.0, hedge__limited_bandwagoning=False))
    assert np.allclose(ablated.target, careless)


def test_hedging_keeps_indirect_balancing_ties_with_the_distant_power():
    decision = decide("hedge", observation(opportunity=np.array([[2.0] * 3, [2.0] * 3, [0.0] * 3])), P)
    assert decision.target[2, SEC] >= P.hedge.indirect_balancing_floor - 1e-12
    off = decide("hedge", observation(opportunity=np.array([[2.0] * 3, [2.0] * 3, [0.0] * 3])),
                       with_params(hedge__indirect_balancing=False, hedge__fallback=False))
    assert off.target[2, SEC] < P.hedge.indirect_balancing_floor


def test_substitutes_are_bought_after_economic_pressure_not_on_a_timer():
    calm = decide("hedge", observation(route=np.array([1.0, 0.0, 0.0])), P)
    pressed = decide("hedge", observation(route=np.array([1.0, 0.0, 0.0]), recent_economic_pressure=0.4), P)
    assert calm.alternative_investment == 0.0
    assert pressed.alternative_investment == pytest.approx(P.hedge.alternative_response * 0.4)
    assert decide("hedge", observation(recent_economic_pressure=0.4),
                        with_params(hedge__dominance_denial=False)).alternative_investment == 0.0


def test_hedging_founds_a_forum_when_some_power_is_not_enmeshed_unless_forbidden():
    assert decide("hedge", observation(enmeshment=np.array([0.5, 0.0, 0.5])), P).found_forum
    assert not decide("hedge", observation(enmeshment=np.full(3, 0.5)), P).found_forum
    assert not decide("hedge", observation(enmeshment=np.array([0.5, 0.0, 0.5])),
                            with_params(secondary__can_found_forums=False)).found_forum
    assert not decide("hedge", observation(enmeshment=np.array([0.5, 0.0, 0.5])),
                            with_params(hedge__binding_engagement=False)).found_forum


def test_binding_engagement_puts_activism_where_many_powers_are_bound_with_a_voice_for_s():
    insts = institutions(([1, 1, 1], [0, 0, 0], [0, 0, 1], 0.5, 1.0, 0.2, True, False),
                         ([1, 0, 0], [1, 0, 0], [0, 0, 1], 0.5, 0.5, 0.2, True, False))
    decision = decide("hedge", observation(insts=insts), P)
    assert decision.activism[0] > decision.activism[1]
    assert decision.activism[0] == pytest.approx(P.hedge.activism_max)


def test_hedging_leaves_a_hostile_powers_body_only_when_another_remains():
    insts = institutions(([1, 0, 0], [1, 0, 0], [1, 0, 0], 0.5, 1.0, 0.2, True, False),
                         ([1, 1, 1], [0, 0, 0], [1, 0, 0], 0.3, 1.0, 0.2, True, False))
    hostile = np.array([0.9, 0.1, 0.1])
    assert decide("hedge", observation(insts=insts, believed_intent=hostile), P).leave == (0,)
    alone = institutions(([1, 0, 0], [1, 0, 0], [1, 0, 0], 0.5, 1.0, 0.2, True, False))
    assert decide("hedge", observation(insts=alone, believed_intent=hostile), P).leave == ()


def test_hedging_meets_low_cost_and_refuses_high_cost_demands():
    obs = observation()
    assert complies("hedge", 0, ALIGNMENT, ECO, False, obs, P)
    assert not complies("hedge", 0, SUPPORT, SEC, True, obs, P)
    leveraged = observation(leverage=np.full((3, 3), 0.9), threat=(1.0, 0.2, 0.2))
    assert complies("hedge", 0, SUPPORT, SEC, True, leveraged, with_params(secondary__prudence=1.0))


def test_every_hedging_component_is_named_and_switchable():
    assert set(hedge.COMPONENTS) <= set(type(P.hedge).model_fields)
    for component in hedge.COMPONENTS:
        assert isinstance(getattr(P.hedge, component), bool)


# --- adaptive ------------------------------------------------------------------------------------

def test_adaptive_reinforces_the_rule_that_paid():
    attractions = rules.update_attraction(np.zeros((1, 4)), np.array([2]), np.array([1.0]), np.array([0.5]))[0]
    assert attractions[2] == pytest.approx(0.5) and attractions[[0, 1, 3]].sum() == 0
    uniforms = np.random.default_rng(0).random(200)
    picks = rules.choose_rule(np.tile([0.0, 0.0, 1.0, 0.0], (200, 1)), np.full(200, 0.1), uniforms)
    assert np.mean(picks == 2) > 0.9
    quarters = np.array([0.0, 0.3, 0.6, 0.99])
    assert set(rules.choose_rule(np.zeros((4, 4)), np.ones(4), quarters).tolist()) == {0, 1, 2, 3}


# --- properties for every fixed rule ---------------------------------------------------------------

unit = st.floats(0.0, 1.0, allow_nan=False)


@st.composite
def observations(draw):
    n = draw(st.integers(2, 4))
    grid = st.lists(unit, min_size=3 * n, max_size=3 * n).map(lambda v: np.array(v).reshape(n, 3))
    threat = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=n, max_size=n)))
    threat = threat / threat.max()
    cap = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=n, max_size=n)))
    return observation(
        n=n, threat=tuple(threat), capability=tuple(cap / cap.sum()),
        reach=tuple(draw(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n))),
        engagement=draw(grid), dependence=draw(grid) / n, opportunity=draw(grid) * 2,
        believed_intent=np.array(draw(st.lists(unit, min_size=n, max_size=n))),
        exclusivity=draw(grid), route=np.zeros(n), recent_economic_pressure=draw(st.floats(0, 2)),
        pressure_threshold=np.array(draw(st.lists(st.floats(-1, 1), min_size=n, max_size=n))),
    )


@settings(max_examples=60, deadline=None)
@given(observations(), st.sampled_from(rules.FIXED_RULES))
def test_every_rule_returns_engagements_in_the_unit_interval_within_capacity(obs, rule):
    decision = decide(rule, obs, P)
    assert decision.target.shape == obs.engagement.shape[1:]
    assert np.all(decision.target >= 0) and np.all(decision.target <= 1)
    assert np.all(decision.target.sum(axis=0) <= P.secondary.domain_capacity + 1e-9)
    again = decide(rule, obs, P)
    assert np.array_equal(decision.target, again.target)  # pure: same input, same output


@settings(max_examples=200, deadline=None)
@given(observations())
def test_hedging_respects_the_floor_and_caps_growth_where_shares_exceed_the_cap(obs):
    decision = decide("hedge", obs, P)
    n = obs.engagement.shape[1]
    assert np.all(decision.target >= min(P.hedge.fallback_floor, P.secondary.domain_capacity / n) - 1e-9)
    over = obs.dependence[0] > _caps()[None, :]
    shares = rules.hedge.projected_shares(decision.target[None], obs.opportunity, obs.rest_of_world)[0]
    # where the current share is over the cap, the long-run share is at most the cap, or the
    # power is at its floor (the floor survives dominance denial)
    assert np.all((shares[over] <= np.broadcast_to(_caps(), shares.shape)[over] + 1e-6)
                  | (decision.target[over] <= P.hedge.fallback_floor + 1e-9))


# --- the shared parts: one compliance function, one investment function, one information set ------

def _every_rule_calls(monkeypatch, name: str) -> set[str]:
    """The rules that call ``parts.<name>`` when they decide and answer a demand."""
    from multivector.model.rules import parts

    callers: set[str] = set()
    real = getattr(parts, name)
    current: list[str] = []

    def spy(*args, **kwargs):
        callers.add(current[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(parts, name, spy)
    for rule in rules.FIXED_RULES:
        current[:] = [rule]
        decide(rule, observation(), P)
        complies(rule, 0, ALIGNMENT, ECO, False, observation(), P)
    return callers


@pytest.mark.parametrize("part", ["comply", "invest"])
def test_every_rule_answers_demands_and_invests_through_the_same_shared_function(monkeypatch, part):
    assert _every_rule_calls(monkeypatch, part) == set(rules.FIXED_RULES)


def test_every_rule_sees_the_same_observation_type():
    import typing

    for rule in rules.RULES.values():
        for function in (rule.decide, rule.complies):
            hints = typing.get_type_hints(function)
            assert hints["obs"] is Observation, f"{rule.name}.{function.__name__}"


def _demand(power: int, kind: int, high: bool, domain: int = ECO) -> DemandView:
    return DemandView(np.array([power]), np.array([kind]), np.array([domain]), np.array([high]))


# (rule, threshold parameter, demand: power, kind, high). Each rule meets the demand when the
# threshold is just above the demand's net cost and refuses it when just below.
THRESHOLDS = [
    ("balance", "balance__compliance_threshold", (1, ALIGNMENT, True)),
    ("balance", "balance__compliance_threshold", (0, SUPPORT, False)),
    ("balance-fallback", "balance__compliance_threshold", (1, SUPPORT, True)),
    ("bandwagon", "bandwagon__compliance_threshold", (0, SUPPORT, True)),
    ("bandwagon", "bandwagon__compliance_threshold", (1, ALIGNMENT, False)),
    ("bandwagon-selective", "bandwagon__compliance_threshold", (0, SUPPORT, True)),
    ("bandwagon-profit", "bandwagon__compliance_threshold", (2, SUPPORT, False)),
    ("hedge", "hedge__compliance_threshold", (0, SUPPORT, True)),
    ("hedge", "hedge__compliance_threshold", (1, ALIGNMENT, False)),
]


@pytest.mark.parametrize("rule, threshold, demand", THRESHOLDS)
def test_a_demand_costing_more_than_the_rules_threshold_is_refused_and_less_is_met(rule, threshold, demand):
    from multivector.model.rules import parts

    obs = observation(leverage=np.full((3, 3), 0.3))
    power, kind, high = demand
    view = _demand(power, kind, high)
    seen = []
    real = parts.demand_cost

    def spy(*args, **kwargs):
        seen.append(float(real(*args, **kwargs)[0]))
        return real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parts, "demand_cost", spy)
        complies(rule, power, kind, ECO, high, obs, P)
    cost = seen[0]
    assert cost == pytest.approx(float(parts.demand_cost(view, obs, _arrays(P, 3), *_plan(rule, view, obs))[0]))
    assert complies(rule, power, kind, ECO, high, obs, with_params(**{threshold: cost + 0.01}))
    assert not complies(rule, power, kind, ECO, high, obs, with_params(**{threshold: cost - 0.01}))


def _plan(rule: str, demand: DemandView, obs: Observation):
    """(conflict, accord, loyalty) of a demand under a rule at the default parameters, by hand."""
    p = _arrays(P, 3)
    none = np.zeros(1, bool)
    if rule.startswith("balance"):
        return demand.power == rules.balance.adversary(obs, p), none, 0.0
    if rule.startswith("bandwagon"):
        variant = {"bandwagon": "security", "bandwagon-profit": "profit", "bandwagon-selective": "selective"}[rule]
        accord = demand.power == rules.bandwagon.patron(obs, p, variant)
        loyalty = P.bandwagon.selective_loyalty if variant == "selective" else P.bandwagon.loyalty
        return ~accord & (demand.kind == ALIGNMENT), accord, loyalty
    return none, none, 0.0  # hedge, within the dominance caps


def test_the_anticipated_cost_of_refusing_lowers_a_demands_net_cost_under_every_rule():
    from multivector.model.rules import parts

    calm = observation(leverage=np.zeros((3, 3)))
    tense = observation(leverage=np.full((3, 3), 0.8))
    view = _demand(0, SUPPORT, True)
    p = _arrays(P, 3)
    args = (np.zeros(1, bool), np.zeros(1, bool), 0.0)
    assert parts.demand_cost(view, tense, p, *args)[0] < parts.demand_cost(view, calm, p, *args)[0]
    assert parts.demand_cost(view, calm, p, *args)[0] == pytest.approx(1.0)  # a high-cost demand, nothing else


@pytest.mark.parametrize("rule, rate", [("balance", "balance__investment"), ("balance-fallback", "balance__investment"),
                                        ("bandwagon", "bandwagon__investment"),
                                        ("bandwagon-profit", "bandwagon__investment"),
                                        ("bandwagon-selective", "bandwagon__investment"),
                                        ("hedge", "hedge__investment")])
def test_every_rule_invests_in_own_capacity_at_its_own_rate(rule, rate):
    assert decide(rule, observation(), with_params(**{rate: 0.07})).investment == pytest.approx(0.07)
    assert decide(rule, observation(), with_params(**{rate: 0.0})).investment == 0.0
    assert decide(rule, observation(), P).investment > 0  # bandwagoning included: no free ride by default


# --- variants: where they differ from their parents, and where they do not --------------------------

def test_a_selective_bandwagoner_refuses_the_patrons_costly_demand_its_parent_meets():
    calm = observation(leverage=np.full((3, 3), 0.05))  # patron (top threat) is power 0; refusing costs little
    assert complies("bandwagon", 0, SUPPORT, SEC, True, calm, P)
    assert not complies("bandwagon-selective", 0, SUPPORT, SEC, True, calm, P)
    for rule in ("bandwagon", "bandwagon-selective"):  # the patron's cheap demands: both meet them
        assert complies(rule, 0, ALIGNMENT, SEC, False, calm, P)
    leveraged = observation(leverage=np.full((3, 3), 0.9))  # a patron that can hurt S: refusing is dear
    assert complies("bandwagon-selective", 0, SUPPORT, SEC, True, leveraged, with_params(secondary__prudence=1.0))
    assert not complies("bandwagon-selective", 0, SUPPORT, SEC, True, leveraged, with_params(secondary__prudence=0.2))
    assert np.array_equal(decide("bandwagon", calm, P).target, decide("bandwagon-selective", calm, P).target)


def test_a_balancer_with_fallback_ties_keeps_ties_with_the_adversary_and_stays_in_its_bodies():
    insts = institutions(([1, 1, 0], [1, 0, 0], [1, 0, 1], 0.3, 0.5, 0.1, True, False))
    obs = observation(insts=insts)  # power 0 is the top threat and leads a cheap-to-leave body
    plain, fallback = decide("balance", obs, P), decide("balance-fallback", obs, P)
    assert plain.focus == fallback.focus == 0
    assert plain.target[0, SEC] < P.balance.fallback_floor
    assert np.all(fallback.target >= P.balance.fallback_floor - 1e-12)
    assert plain.leave == (0,) and fallback.leave == ()
    counter = int(rules.balance.counterweight(obs, np.array([0]))[0])
    assert fallback.target[counter, SEC] > obs.engagement[0, counter, SEC]  # still balancing


def test_profit_bandwagoning_follows_the_power_that_offers_most_not_the_threat():
    offers = np.zeros((3, 3))
    offers[1, SEC] = 2.0  # power 1 puts the largest inducement on the table
    obs = observation(threat=(1.0, 0.2, 0.1), offers=offers)
    assert decide("bandwagon-profit", obs, P).focus == 1
    assert decide("bandwagon", obs, P).focus == 0
    offers = np.zeros((3, 3))
    offers[2, INS] = 2.0
    assert decide("bandwagon-profit", observation(threat=(1.0, 0.2, 0.1), offers=offers), P).focus == 2


def test_the_adaptive_menu_is_the_four_original_rules():
    assert rules.ADAPTIVE_MENU == ("balance", "bandwagon", "bandwagon-profit", "hedge")
    assert rules.FIXED_RULES[:4] == rules.ADAPTIVE_MENU
    for strategy in rules.STRATEGIES:
        assert rules.OWN_PARAMETERS[strategy], strategy
        assert not any(path.startswith("adaptive.weight") for path in rules.OWN_PARAMETERS[strategy])


def test_the_adaptive_secondary_only_ever_follows_a_rule_on_its_menu():
    from multivector import model

    world = model.Ensemble("stylised", ["adaptive"] * 8, [{"adaptive.period": 1, "adaptive.temperature": 5.0}] * 8,
                           list(range(8)), 30)
    assert world.state.attractions.shape == (8, len(rules.FIXED_RULES))  # over the registry; the menu masks it
    seen = set()
    while world.running:
        world.step()
        seen |= set(world.state.rule.tolist())
    assert seen <= {rules.FIXED_RULES.index(name) for name in rules.ADAPTIVE_MENU} and len(seen) > 1


def test_below_the_threshold_is_strict_as_in_h4():
    """A costly demand whose refusal would cost exactly its cost is refused (H4: prudence x L x (1 + T) > 1)."""
    exact = observation(leverage=np.full((3, 3), 1.0), threat=(1.0, 0.4, 0.2))
    assert not complies("hedge", 0, SUPPORT, SEC, True, exact, with_params(secondary__prudence=0.5))
    assert complies("hedge", 0, SUPPORT, SEC, True, exact, with_params(secondary__prudence=0.51))
