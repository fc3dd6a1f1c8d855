"""The array engine: R worlds of one scenario stepped at once, one quarter per ``step()``.

Every replication has its own strategy, parameter overrides and seed; the state is a struct of
arrays with a leading replication axis (:mod:`model.state`), the parameters likewise
(:mod:`model.arrays`), and every phase of the quarter is a pure function of those arrays
(:mod:`model.perception`, :mod:`model.reactions`, :mod:`model.rules`, :mod:`model.secondary`,
:mod:`model.measures`). The Mesa model (:mod:`model.model`) is this engine with R = 1.

Replication r is the same computation, bit for bit, whatever the other replications are: its
random numbers come from its own generator in the fixed layout of :mod:`model.draws`; branches
are masks; what is sequential within a quarter runs as passes in a fixed order; and sums that
could be grouped differently for different R run along a last axis of fixed length.

Schedule of a quarter (ODD §3):
1. exogenous update: the quarter's random block is drawn; capabilities from data; scenario
   events due this quarter (a scheduled crisis is resolved when its event applies); a rule switch;
2. great-power perception: satisfaction with S (eq. 12);
3. great-power action, in a random order: rewards, pressure, coercion draws, demands (eqs. 13-18);
4. S perception: beliefs, threat, leverage, opportunity, enmeshment, stakes (eqs. 1-6);
5. S decision: target engagements by its rule, partial adjustment (eqs. 7-8), demands answered
   in the order they were made, pressure and coercion borne (eq. 19), institutional moves;
6. resolution: dependence (eq. 9), routes, welfare (eq. 10), capacity (eq. 11), crises, rivalry (eq. 16);
7. observation: outcome measures (eqs. 20-22).
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np

from multivector.model import measures, numeric, outcomes, reactions, secondary
from multivector.model.arrays import NO_DATE, ParamArrays, compile_parameters, longest, pairs_of
from multivector.model.calendar import step_date
from multivector.model.draws import QuarterDraws, draw_initial, draw_quarter, generators
from multivector.model.scalars import is_integer, plain
from multivector.model.errors import ParameterError, StrategyError
from multivector.model.events import apply_event
from multivector.model.institutions import (InstitutionView, build_table, consensus_share, enmeshment,
                                institutional_leverage)
from multivector.model.numeric import clip
from multivector.model.perception import ECO, SEC, domain_sizes, gravity, leverage, opportunity, stakes, threat
from multivector.model.reactions import mix
from multivector.model.rules import FIXED_RULES, STRATEGIES, choose_from_menu
from multivector.model.rules.base import at, rows
from multivector.model.scenarios import Scenario, load_scenario
from multivector.model.state import Actions, Ledger, Series, State, cap_domain_shares

ADAPTIVE = "adaptive"
HISTORICAL = "historical"  # the case's own strategy: the rule of each [[case.strategy]] period from its date


def strategies_of(scenario: Scenario) -> tuple[str, ...]:
    """The strategies a run of ``scenario`` may follow: every rule, adaptive, and ``historical``
    where the scenario's case records the strategy it followed."""
    return (*STRATEGIES, HISTORICAL) if scenario.case is not None and scenario.case.strategy else STRATEGIES


class Ensemble:
    """R replications of one scenario, stepped together.

    Args:
        scenario: a shipped scenario's name, or a loaded :class:`model.scenarios.Scenario`.
        strategies: each replication's strategy (``model.STRATEGIES``).
        overrides: each replication's ``{dotted.parameter.path: value}`` on top of the scenario.
        seeds: each replication's seed: an int, a numpy SeedSequence or a Generator.
        steps: quarters to run (default: the scenario's length).
    """

    def __init__(self, scenario: str | Scenario, strategies: Sequence[str], overrides: Sequence[dict[str, Any]],
                 seeds: Sequence[Any], steps: int | None = None):
        self.scenario_data = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        sc = self.scenario_data
        if not len(strategies) == len(overrides) == len(seeds):
            raise ValueError("an ensemble needs one strategy, one overrides dict and one seed per replication")
        known = strategies_of(sc)
        for strategy in dict.fromkeys(strategies):
            if strategy not in known:
                raise StrategyError(f"unknown strategy '{strategy}' for scenario '{sc.name}' (known: {', '.join(known)})")
        if steps is not None and (not is_integer(steps) or steps < 0):
            raise StrategyError(f"steps must be a non-negative integer, got {steps!r}")
        steps = plain(steps)  # np.int64 from np.arange counts as the int it holds
        self.count = len(strategies)
        self.power_ids = sc.power_ids
        self.strategies = tuple(strategies)
        self.overrides = [dict(o) for o in overrides]
        self.adaptive = np.array([s == ADAPTIVE for s in self.strategies], dtype=bool)
        self.historical = np.array([s == HISTORICAL for s in self.strategies], dtype=bool)
        self.max_steps = sc.steps if steps is None else steps
        self.P: ParamArrays = compile_parameters(sc.parameters, self.overrides, self.power_ids, sc.start)
        self._check_switch()
        self.periods = sc.case.strategy if self.historical.any() else ()
        # each replication's own adversary and patron, in force in a period that names none
        self.own_roles = (self.P.secondary.adversary.copy(), self.P.secondary.patron.copy())
        if self.periods:
            self._enter_period(self.periods[0], initial=True)
        self.rngs = generators(list(seeds))
        self.quarter = 0
        self.initial_draws = draw_initial(self.rngs, sc.random_changes + 1)
        self.event_log: list[tuple[int, str, str]] = []
        created = [(event.step, spec) for event in sc.events for spec in event.institutions]
        self.table = build_table(sc.institutions, created, self.power_ids, self.P.forum, self.count)
        self.capability, self.economic, self.military = self._inputs(0)
        self.state = self._initial_state()
        self.actions = Actions.none(self.count, len(self.power_ids))
        self.crisis_resolved = np.zeros(self.count, bool)
        # the last crisis in each replication (step -1: none yet)
        self.last_crisis = SimpleNamespace(step=np.full(self.count, -1), severity=np.zeros(self.count),
                                           asked=np.zeros(self.count, dtype=np.int64), helped=np.zeros(self.count, bool))
        self.parameters_changed = True
        self.refresh_structure()
        self.satisfaction = self._satisfaction()
        self.recent = self.recent_history()
        self.observation = secondary.perceive(self, None)
        self.decision = None
        self.plan = None
        self.growth = np.zeros(self.count)
        self.utility = np.zeros(self.count)
        self.measured = 0  # how many times the measures were taken (a record is valid until the next)
        self.measure()
        self.state.attractions[:] = self.utility[:, None]  # equal, informed starting attractions
        if self.adaptive.any():
            chosen = np.nonzero(self.adaptive)[0]
            self.state.rule[chosen] = choose_from_menu(self.state.attractions[chosen], self.P.adaptive.menu[chosen],
                                                       self.P.adaptive.temperature[chosen],
                                                       self.initial_draws[chosen, -1])
        self.rule_in_force = self.state.rule.copy()
        self.measured += 1
        self.running = self.max_steps > 0

    # ----- construction -------------------------------------------------------------------------
    def _check_switch(self) -> None:
        sw, sc = self.P.switch, self.scenario_data
        dated = sw.date != NO_DATE
        if (dated & (sw.rule < 0)).any():
            raise ParameterError("parameter 'switch.rule': needed when switch.date is set")
        outside = dated & ~((sw.date > 0) & (sw.date <= sc.steps))
        if outside.any():
            date = step_date(sc.start, int(sw.date[np.nonzero(outside)[0][0]]))
            raise ParameterError(f"parameter 'switch.date': {date} is not within scenario '{sc.name}' "
                                 f"({step_date(sc.start, 1)} to {step_date(sc.start, sc.steps)})")

    def _first_rule(self, strategy: str) -> str:
        """The rule a replication starts with (adaptive starts as hedge until it first chooses)."""
        if strategy == ADAPTIVE:
            return "hedge"
        if strategy == HISTORICAL:
            return self.periods[0].rule
        return strategy

    def _enter_period(self, period, initial: bool = False) -> None:
        """Historical replications follow ``period``'s rule, and its adversary or patron where it
        names one (else their own ``secondary.adversary`` / ``.patron``)."""
        where = self.historical
        ids = self.power_ids
        for field_name, own, named in (("adversary", self.own_roles[0], period.adversary),
                                       ("patron", self.own_roles[1], period.patron)):
            array = getattr(self.P.secondary, field_name)
            array[where] = ids.index(named) if named else own[where]
        if not initial:  # the first period's rule is the replications' starting rule (_first_rule)
            self.state.rule = np.where(where, FIXED_RULES.index(period.rule), self.state.rule)
            self.state.switched |= where

    def _inputs(self, step: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(R, G) aggregate power, economic size and offensive capability at ``step``, as shares of
        the world's powers: from the scenario's data, or from ``powers.<id>.capability`` and
        ``.military`` (then summing to 1)."""
        series = self.scenario_data.series
        if series is not None:
            i = min(step, len(series.aggregate) - 1)
            R = self.count
            return (series.aggregate[i:i + 1].repeat(R, axis=0), series.economic[i:i + 1].repeat(R, axis=0),
                    series.military[i:i + 1].repeat(R, axis=0))
        aggregate = _shares(self.P.powers.capability)
        return aggregate, aggregate, _shares(self.P.powers.military)

    def _initial_state(self) -> State:
        P, ids, R = self.P, self.power_ids, self.count
        G = len(ids)
        pw = P.powers
        rivalry = np.repeat(P.rivalry.initial[:, None, None], G, axis=1).repeat(G, axis=2)
        pairs_by_overrides: dict[tuple, dict[str, float]] = {}
        for r, items in enumerate(self.overrides):
            key = tuple(sorted((k, repr(v)) for k, v in items.items() if k.startswith("rivalry.pairs.")))
            if key not in pairs_by_overrides:
                pairs_by_overrides[key] = pairs_of(self.scenario_data.parameters, items)
            for pair, value in pairs_by_overrides[key].items():
                a, b = (ids.index(x) for x in pair.split("-"))
                rivalry[r, a, b] = rivalry[r, b, a] = value
        diagonal = np.arange(G)
        rivalry[:, diagonal, diagonal] = 0.0
        infrastructure = pw.route_infrastructure.copy()
        total = infrastructure.sum(axis=1, keepdims=True)
        initial = np.zeros(self.table.size, bool)
        initial[:len(self.scenario_data.institutions)] = True
        member = np.repeat(initial[None, :], R, axis=0)
        return State(
            engagement=pw.initial_engagement.copy(), dependence=cap_domain_shares(pw.initial_dependence.copy()),
            route=np.where(total > 0, infrastructure / np.where(total > 0, total, 1.0), 0.0),
            capacity=P.secondary.initial_capacity.astype(float), log_welfare=np.zeros(R),
            hostile=np.repeat(P.perception.prior_hostile[:, None], G, axis=1).astype(float),
            benign=np.repeat(P.perception.prior_benign[:, None], G, axis=1).astype(float),
            alternative_routes=np.zeros(R),
            rule=np.array([FIXED_RULES.index(self._first_rule(s)) for s in self.strategies], dtype=np.int64),
            focus=np.full(R, -1, dtype=np.int64), attractions=np.zeros((R, len(FIXED_RULES))),
            period_utility=np.zeros(R), period_quarters=np.zeros(R, dtype=np.int64), switched=np.zeros(R, bool),
            rivalry=rivalry, rivalry_baseline=rivalry.copy(), signal=np.zeros((R, G)), tolerance=pw.tolerance.copy(),
            route_infrastructure=infrastructure, oil=np.zeros(R), security_shock=np.zeros(R),
            member=member, exists=member.copy(), activism=np.where(member, P.secondary.activism[:, None], 0.0),
            coercion_count=np.zeros((R, G), dtype=np.int64), pressure_episodes=np.zeros((R, G), dtype=np.int64),
            inducement_total=np.zeros((R, G)), abandonment_count=np.zeros(R, dtype=np.int64),
            crisis_requests=np.zeros(R, dtype=np.int64), client_streak=np.zeros((R, G), dtype=np.int64),
            client_quarters=np.zeros((R, G), dtype=np.int64), exits=np.zeros((R, G), dtype=np.int64),
            deference=np.zeros((R, G)), outcome_sums=np.zeros((R, len(outcomes.RUNNING_MEANS))),
            capability_shifts=np.zeros((R, G, longest("perception.volatility_window"))),
            ledger=Ledger(R, longest("measures.window"), G),
        )

    # ----- calendar and derived structure -----------------------------------------------------------
    @property
    def date(self) -> str:
        """Calendar quarter of the current state, e.g. ``"1998Q3"``."""
        cached = self.__dict__.get("_date")
        if cached is None or cached[0] != self.quarter:
            cached = self.__dict__["_date"] = (self.quarter, step_date(self.scenario_data.start, self.quarter))
        return cached[1]

    @property
    def powers(self):
        """The great powers' parameters, (R, G) arrays (``powers.reach``...)."""
        return self.P.powers

    def rule_names(self) -> np.ndarray:
        """(R,) the rule each replication followed this quarter."""
        return np.array(FIXED_RULES, dtype=object)[self.rule_in_force]

    def create_institution(self, name: str) -> None:
        """An event creates institution ``name`` (its next unused slot); S starts as a member."""
        t, s = self.table, self.state
        for i, slot_name in enumerate(t.names[:-1]):
            if slot_name == name and not s.exists[0, i]:
                s.exists[:, i] = s.member[:, i] = True
                s.activism[:, i] = self.P.secondary.activism
                return
        raise KeyError(name)

    def refresh_structure(self) -> None:
        """Quantities that follow from parameters, institutions and the state (after events and
        after each quarter's resolution)."""
        P, s, pw = self.P, self.state, self.P.powers
        if self.parameters_changed:
            P.forget_derived()
            e = P.economy
            self.dependence_rates = np.stack([e.dependence_rate_security, e.dependence_rate_economy,
                                              e.dependence_rate_institutions], axis=1)
            self.gravity = gravity(pw.reach)
            self.parameters_changed = False
        rp = P.reactions
        self.rivalry_effective = reactions.effective_rivalry(s.rivalry, P.rivalry.scale)
        self.rivals = reactions.rival_mask(self.rivalry_effective, rp.rivalry_threshold)
        self.exclusivity = reactions.exclusivity(pw.exclusivity, self.rivalry_effective, rp.exclusivity_gain)
        if self.table.activism_floor.any():
            s.activism = np.where(s.member, np.maximum(s.activism, self.table.activism_floor[None, :]), s.activism)
        t = self.table
        self.institutions = InstitutionView(t.members, t.leads, t.domains, t.binding, t.voice, t.exit_cost,
                                            s.activism, s.member, s.exists, t.founded)
        self.enmeshment = enmeshment(self.institutions)
        self.stakes = stakes(pw.value, s.engagement)
        self.rival_stakes = mix(self.rivalry_effective, self.stakes)  # what g's rivals stand to lose in S
        self.valuation = clip(pw.value * (1 + rp.activism_value[:, None] * self.enmeshment), 0, 1)
        self.reliability = reactions.reliability(pw.reliability, pw.war, rp.war_reliability_loss, self.valuation)
        self.consensus, institutional = self._membership_structure()
        self.leverage = leverage(s.dependence, s.route, institutional)

    def _membership_structure(self) -> tuple[np.ndarray, np.ndarray]:
        """Consensus share and institutional leverage (ODD eq. 2, §7.5). They follow from S's
        memberships and the bodies' binding, voice and domains, which change only when S joins or
        leaves or an event changes a body: the last results are kept while those are unchanged
        (compared by value, since both change in place)."""
        t, s = self.table, self.state
        key = (s.member.tobytes(), t.binding.tobytes(), t.voice.tobytes(), t.domains.tobytes())
        if self.__dict__.get("_membership_key") != key:
            self._membership_key = key
            self._membership_terms = (consensus_share(self.institutions), institutional_leverage(self.institutions))
        return self._membership_terms

    def route_targets(self) -> np.ndarray:
        """Export-route shares that current infrastructure supports (ODD eq. 9, routes)."""
        s = self.state
        total = numeric.total(s.route_infrastructure, 1, keepdims=True) + s.alternative_routes[:, None]
        return np.where(total > 0, s.route_infrastructure / np.where(total > 0, total, 1.0), 0.0)

    def _satisfaction(self) -> np.ndarray:
        return reactions.satisfaction(self.state.engagement, self.P.powers.salience, self.exclusivity, self.rivals,
                                      self.state.signal)

    def recent_history(self) -> Series:
        """The ledger's totals over each replication's window before this quarter's moves (its own
        slot is still empty): pressure episodes by each power, which make pressure dearer, and the
        economic pressure S suffered, which it diversifies against. Taken once a quarter, when the
        powers act; S reads the same totals when it perceives (nothing it reads changes between)."""
        return self.state.ledger.totals(self.P.measures.window, ("pressed", "economic_pressure"))

    # ----- the quarter ------------------------------------------------------------------------------
    def step(self) -> None:
        """Advance every replication one quarter."""
        draws = self.begin_quarter()
        self.exogenous(draws)
        self.satisfaction = self._satisfaction()
        self.great_power_actions(draws)
        secondary.step(self, draws)
        self.resolve(draws)
        self.measure()
        secondary.learn(self, draws.quarter("rule_choice"))
        if self.quarter >= self.max_steps:
            self.running = False

    def begin_quarter(self) -> QuarterDraws:
        """Move to the next quarter: draw its random block, open its ledger slot, clear the actions."""
        self.quarter += 1
        draws = draw_quarter(self.rngs, len(self.power_ids))
        self.state.ledger.open_quarter()
        self.actions = Actions.none(self.count, len(self.power_ids))
        return draws

    def exogenous(self, draws: QuarterDraws) -> None:
        """Capabilities from data, the quarter's scenario events (with their crises), a rule switch."""
        previous = self.capability
        self.capability, self.economic, self.military = self._inputs(self.quarter)
        shifts = self.state.capability_shifts
        shifts[:, :, :-1] = shifts[:, :, 1:].copy()
        shifts[:, :, -1] = np.abs(self.capability - previous)
        self.crisis_resolved = np.zeros(self.count, bool)
        events = self.scenario_data.events_at(self.quarter)
        for event in events:
            apply_event(self, event, lambda severity: self.crisis(np.ones(self.count, bool),
                                                                  np.full(self.count, float(severity)),
                                                                  draws.quarter("crisis_help")))
        if events:
            self.refresh_structure()
        for period in self.periods[1:]:
            if period.step == self.quarter:
                self._enter_period(period)
        switch = self.P.switch.date == self.quarter
        if switch.any():
            self.state.rule = np.where(switch, self.P.switch.rule, self.state.rule)
            self.state.switched |= switch

    def great_power_actions(self, draws: QuarterDraws) -> None:
        """Every power reacts to the same view of S; they act (and their demands queue) in a random order."""
        P, s, pw = self.P, self.state, self.P.powers
        rp = P.reactions
        sat = self.satisfaction
        ledger = s.ledger
        self.recent = self.recent_history()
        offers = reactions.offers(sat, pw.reward_threshold, pw.budget, self.valuation, rp.loyalty_weight,
                                  rp.bidding_weight, self.rivalry_effective, s.engagement, pw.salience)
        cost = reactions.pressure_cost(rp.pressure_cost, self.enmeshment, rp.enmeshment_cost, self.rival_stakes,
                                       rp.stake_cost, self.recent.pressed, rp.reputation_cost)
        domain, intensity = reactions.pressure(sat, pw.pressure_threshold, self.valuation, self.leverage,
                                               rp.pressure_intensity, cost)
        q = reactions.coercion_probability(pw.reach, pw.intent, sat, pw.pressure_threshold, self.enmeshment,
                                           self.rival_stakes, s.capacity, pw.war, rp)
        p_align = reactions.alignment_demand_probability(sat, s.tolerance, pw.intent, self.leverage,
                                                         rp.demand_probability, rp.demand_exploitation)
        p_war = reactions.war_demand_probability(pw.war, self.consensus, rp.war_demand_probability, rp.consensus_veto)
        demands = reactions.issue_demands(p_align, p_war, pw.intent, pw.salience, rp.high_cost_share,
                                          P.measures.low_cost_weight, draws.per_power("demand"),
                                          draws.per_power("demand_cost"), draws.per_power("war_demand"),
                                          draws.per_power("war_demand_cost"))
        a = self.actions
        a.offers, a.pressure_domain, a.pressure = offers, domain, intensity
        a.coerced = draws.per_power("coercion") < q
        a.demand_kind, a.demand_domain, a.demand_high, a.demand_cost = (demands.kind, demands.domain, demands.high,
                                                                        demands.cost)
        a.order = draws.action_order
        pressed = a.pressure > 0
        ledger.current().pressed[:] = pressed
        s.pressure_episodes += pressed
        s.coercion_count += a.coerced
        s.inducement_total += numeric.total(a.offers, 2)

    # ----- resolution (ODD §7.3, §7.5) -------------------------------------------------------------
    def resolve(self, draws: QuarterDraws) -> None:
        """Dependence, routes, welfare, capacity, crises, signals and rivalry after S's moves."""
        s, P, a, pw = self.state, self.P, self.actions, self.P.powers
        ep, cp, sp = P.economy, P.crisis, P.secondary
        decision = self.decision
        r = rows(self.count)
        omega = opportunity(pw.opportunity, domain_sizes(self.capability, self.economic, self.military), self.gravity,
                            a.offers, self.scenario_data.system_size)
        weight = s.engagement * np.maximum(omega, 1e-9)
        shares = weight / (numeric.total(weight, 1, keepdims=True) + ep.rest_of_world[:, None, None])
        rates = self.dependence_rates[:, None, :]
        s.dependence = cap_domain_shares((1 - rates) * s.dependence + rates * shares)
        s.alternative_routes = s.alternative_routes + decision.alternative_investment
        s.route = (1 - ep.route_rate[:, None]) * s.route + ep.route_rate[:, None] * self.route_targets()

        pressure_cost = np.zeros(self.count)
        pressed = a.pressure > 0
        if pressed.any():
            for g in range(len(self.power_ids)):  # powers in index order, as the sum is taken
                lever = self.leverage[r, g, a.pressure_domain[:, g]]
                pressure_cost = pressure_cost + np.where(pressed[:, g], a.pressure[:, g] * lever, 0.0)
        spillover = ep.sanction_spillover * numeric.total(pw.sanctions * s.engagement[:, :, ECO], 1)
        a.entrapment_cost = a.entrapment_cost + spillover
        growth = (ep.base_growth + s.oil
                  + ep.trade_gain * numeric.total(s.engagement[:, :, ECO] * omega[:, :, ECO], 1)
                  + ep.inducement_gain * a.offers.reshape(self.count, -1).sum(axis=1)
                  - ep.pressure_loss * pressure_cost - spillover
                  - ep.coercion_loss * a.coerced.sum(axis=1)
                  - ep.capacity_cost * decision.investment
                  - sp.alternative_cost * decision.alternative_investment)
        self.growth = growth
        s.log_welfare = s.log_welfare + growth
        s.capacity = clip((1 - sp.capacity_depreciation) * s.capacity
                             + decision.investment * np.sqrt(np.exp(s.log_welfare)), 0, 1)

        s.security_shock = (1 - cp.shock_decay) * s.security_shock + cp.coercion_shock * a.coerced.any(axis=1)
        random_crisis = ~self.crisis_resolved & (draws.quarter("crisis") < cp.probability)
        if random_crisis.any():
            severity = cp.severity_low + (cp.severity_high - cp.severity_low) * draws.quarter("crisis_severity")
            self.crisis(random_crisis, severity, draws.quarter("crisis_help"))

        s.signal = reactions.signal_update(s.signal, P.reactions.signal_decay, a.pressure > 0,
                                           P.reactions.grievance_settled)
        previous_security = self.observation.engagement[:, :, SEC]
        s.rivalry = reactions.rivalry_update(s.rivalry, s.rivalry_baseline, s.engagement[:, :, SEC] - previous_security,
                                             P.reactions.rivalry_feedback, P.reactions.rivalry_reversion)
        self.refresh_structure()

    def crisis(self, where: np.ndarray, severity: np.ndarray, uniform: np.ndarray) -> None:
        """In replications ``where``, S asks the power it relies on most for help; it may be
        abandoned (Snyder 1984; ODD §7.5)."""
        s, cp = self.state, self.P.crisis
        r = rows(self.count)
        self.crisis_resolved |= where
        s.crisis_requests += where
        asked = (s.engagement[:, :, SEC] * self.reliability).argmax(axis=1)
        commitment = reactions.treaty_commitment(self.institutions, self.P.crisis.treaty_commitment)
        helped = where & (uniform < reactions.help_probability(at(self.reliability, asked), at(self.satisfaction, asked),
                                                               at(commitment, asked)))
        abandoned = where & ~helped
        supported = s.dependence.copy()
        supported[r, asked, SEC] = np.minimum(1.0, supported[r, asked, SEC] + cp.support_dependence * severity)
        s.dependence = np.where(helped[:, None, None], cap_domain_shares(supported), s.dependence)
        tolerance = s.tolerance[r, asked]
        s.tolerance[r, asked] = np.where(helped, np.minimum(1.0, tolerance + cp.support_tolerance * severity), tolerance)
        s.abandonment_count += abandoned
        s.security_shock = s.security_shock + np.where(abandoned, cp.abandonment_shock * severity, 0.0)
        c = self.last_crisis
        c.step[where], c.severity[where], c.asked[where], c.helped[where] = (self.quarter, severity[where],
                                                                             asked[where], helped[where])

    # ----- observation (ODD §7.6) ----------------------------------------------------------------
    def measure(self) -> None:
        """The outcome measures (eqs. 20-22) and the adaptive secondary's utility."""
        s, P, pw = self.state, self.P, self.P.powers
        mp, pc = P.measures, P.perception
        ledger = s.ledger
        security_h = measures.security_hierarchy(s.dependence, s.capacity, self.reliability)
        economic_h = measures.economic_hierarchy(s.dependence, s.route, mp.route_weight)
        totals = ledger.totals(mp.window)
        s.deference = measures.policy_deference(totals.demand_cost, totals.demand_cost_met, mp.deference_prior)
        dropped = measures.dropped_moves(totals.planned_rival, totals.dropped)
        client = measures.client_index(security_h, economic_h, s.deference, dropped)
        s.client_streak = np.where(client >= mp.client_threshold[:, None], s.client_streak + 1, 0)
        s.client_quarters += s.client_streak >= mp.client_quarters[:, None]
        autonomy = measures.autonomy(totals, mp.window, mp)
        true_threat = threat(self.capability, self.military, pw.reach, pw.intent, self.leverage, pc.capability_exponent,
                             pc.offensive_exponent, pc.intent_floor, pc.leverage_gain)
        deter = measures.deterrence(s.capacity, self.enmeshment, self.rival_stakes,
                                    s.dependence, mp)
        security = measures.security(true_threat, deter, s.security_shock)
        self.utility = measures.utility(security, self.growth, autonomy, s.engagement, P.adaptive)
        coexistence = (self.satisfaction >= pw.pressure_threshold).all(axis=1)
        self.outcomes = {
            "client_index": client, "security_hierarchy": security_h, "economic_hierarchy": economic_h,
            "policy_deference": s.deference, "dropped_moves": dropped, "autonomy": autonomy, "security": security,
            "entrapment": measures.entrapment(s.dependence, pw.war, self.exclusivity, self.actions.high_cost_met),
            "coexistence": coexistence,
        }
        if self.quarter > 0:
            for i, column in enumerate(outcomes.RUNNING_MEANS):
                s.outcome_sums[:, i] += self.outcomes[column]
        self.rule_in_force = self.state.rule.copy()
        self.measured += 1


def _shares(raw: np.ndarray) -> np.ndarray:
    """Each row as shares of its total (equal shares when the total is 0)."""
    total = raw.sum(axis=1, keepdims=True)
    return np.where(total > 0, raw / np.where(total > 0, total, 1.0), 1.0 / raw.shape[1])
