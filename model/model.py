"""The Mesa model: one secondary power among great powers, one step per quarter.

Schedule of a quarter (ODD §3):
1. exogenous update: the quarter's random block is drawn; capabilities from data; scenario
   events due this quarter (a scheduled crisis is resolved when its event applies); a rule switch;
2. great-power perception: satisfaction with S (eq. 12);
3. great-power action, in a random order: rewards, pressure, coercion draws, demands (eqs. 13-18);
4. S perception: beliefs, threat, leverage, opportunity, enmeshment, stakes (eqs. 1-6);
5. S decision: target engagements by its rule, partial adjustment (eqs. 7-8), demands answered
   in the order they were made, pressure and coercion borne (eq. 19), institutional moves;
6. resolution: dependence (eq. 9), routes, welfare (eq. 10), capacity (eq. 11), crises, rivalry (eq. 16);
7. observation: outcome measures (eqs. 20-22) recorded.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np
from mesa import Model
from mesa.experimental.scenarios import Scenario as MesaScenario

from model import measures, reactions
from model.agents import GreatPower, SecondaryPower
from model.calendar import quarter_index, step_date
from model.contract import DOMAINS
from model.draws import QuarterDraws, draw_initial, draw_quarter
from model.errors import ParameterError, StrategyError
from model.events import apply_event
from model.institutions import as_arrays, build_institutions, consensus_share, enmeshment, institutional_leverage
from model.parameters import Parameters, with_overrides
from model.perception import ECO, SEC, domain_sizes, leverage, opportunity, stakes, threat
from model.rules import FIXED_RULES, STRATEGIES, choose_rule
from model.scenarios import Scenario, load_scenario
from model.state import Actions, Ledger, State, cap_domain_shares

DEFAULT_SCENARIO = "kazakhstan"


def _coerce_rng(rng: Any) -> Any:
    """SolaraViz sends the seed as text (mesa/mesa#3516, unfixed in 3.5.1)."""
    if isinstance(rng, str):
        return int(rng) if rng.strip() else None
    return rng


def _seed_sequence(rng: Any) -> np.random.SeedSequence | np.random.Generator:
    """The run's seed as a SeedSequence (an int n is SeedSequence(n), as numpy itself does), or
    a Generator passed as is."""
    if isinstance(rng, (np.random.SeedSequence, np.random.Generator)):
        return rng
    if rng is None:
        return np.random.SeedSequence()
    return np.random.SeedSequence(int(rng))


@dataclass(frozen=True)
class PowerArrays:
    """The great powers' parameters as arrays (recompiled after events change parameters)."""

    reach: np.ndarray
    intent: np.ndarray
    value: np.ndarray
    budget: np.ndarray
    reliability: np.ndarray
    reward_threshold: np.ndarray
    pressure_threshold: np.ndarray
    war: np.ndarray
    sanctions: np.ndarray
    economic_cap: np.ndarray
    salience: np.ndarray  # (G, D)
    exclusivity_base: np.ndarray  # (G, D)
    opportunity_base: np.ndarray  # (G, D)

    @classmethod
    def compile(cls, p: Parameters, power_ids: tuple[str, ...]) -> "PowerArrays":
        pw = [p.powers[g] for g in power_ids]
        column = lambda name: np.array([getattr(g, name) for g in pw], dtype=float)  # noqa: E731
        by_domain = lambda prefix: np.array([[getattr(g, f"{prefix}_{d}") for d in DOMAINS] for g in pw])  # noqa: E731
        return cls(column("reach"), column("intent"), column("value"), column("budget"), column("reliability"),
                   column("reward_threshold"), column("pressure_threshold"), column("war"), column("sanctions"),
                   column("economic_cap"), by_domain("salience"), by_domain("exclusivity"), by_domain("opportunity"))


@dataclass
class ReactionPlan:
    """What each great power will do this quarter, computed at once from the same view of S."""

    offers: np.ndarray
    pressure_domain: np.ndarray
    pressure: np.ndarray
    coercion_probability: np.ndarray
    demand: list


class MultivectorModel(Model):
    """A secondary power choosing how much to engage each great power, by one rule.

    Args:
        scenario: name of a shipped scenario (``model.scenario_names()``). A Mesa Scenario object
            (as SolaraViz passes when it resets a model) means the default scenario.
        strategy: one of ``model.STRATEGIES``.
        overrides: ``{dotted.parameter.path: value}`` applied on top of the scenario.
        steps: quarters to run (default: the scenario's length).
        rng: seed (int, numpy SeedSequence or None), as for any Mesa model. Every random number
            comes from ``default_rng`` of this seed, in the fixed layout of ``model.draws``.
        collect: record every quarter in ``datacollector`` (default). With False only the
            current quarter's row is kept, in ``record``: for runs that need final values only.

    ``model.scenario`` is Mesa's scenario object; the loaded scenario data is ``scenario_data``.
    """

    domains = DOMAINS

    def __init__(self, scenario: str | MesaScenario = DEFAULT_SCENARIO, strategy: str = "hedge",
                 overrides: dict | None = None, steps: int | None = None, rng: Any = None, collect: bool = True):
        mesa_scenario = scenario if isinstance(scenario, MesaScenario) else None
        if mesa_scenario is not None:
            scenario = DEFAULT_SCENARIO
            rng = rng if rng is not None else mesa_scenario.rng
        seed = _seed_sequence(_coerce_rng(rng))
        if mesa_scenario is not None:
            mesa_scenario.__dict__["rng"] = seed
        super().__init__(rng=seed, scenario=mesa_scenario)
        # A fresh generator, so the run's stream starts at its beginning whatever Mesa drew.
        self.rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        if strategy not in STRATEGIES:
            raise StrategyError(f"unknown strategy '{strategy}' (known: {', '.join(STRATEGIES)})")
        if steps is not None and (not isinstance(steps, int) or isinstance(steps, bool) or steps < 0):
            raise StrategyError(f"steps must be a non-negative integer, got {steps!r}")
        self.scenario_data: Scenario = load_scenario(scenario)
        self.strategy = strategy
        self.overrides = dict(overrides or {})
        self.p: Parameters = with_overrides(self.scenario_data.parameters, self.overrides)
        self.max_steps = self.scenario_data.steps if steps is None else steps
        self.power_ids = self.scenario_data.power_ids
        self._check_switch()
        self.quarter = 0
        self.switched = False
        self.initial_draws = draw_initial(self.rng, self.scenario_data.random_changes + 1)
        self.event_log: list[tuple[int, str, str]] = []
        self.activism_floor: dict[str, float] = {}
        self.institutions = build_institutions(self.scenario_data.institutions, 0, self.p.secondary.activism)
        self.capability, self.economic, self.military = self.scenario_data.inputs_at(0, self.p)
        self.capability_history = deque([self.capability.copy()], maxlen=self.p.perception.volatility_window + 1)
        self.state = self._initial_state()
        self.actions = Actions.none(len(self.power_ids))
        self.parameters_changed = True  # events that change parameters set this; the structure recompiles them
        self.great_powers = [GreatPower(self, i, g) for i, g in enumerate(self.power_ids)]
        self.secondary = SecondaryPower(self)
        self.refresh_structure()
        self.satisfaction = self._satisfaction()
        self.secondary.observation = self.secondary.perceive(None)
        self.growth = 0.0
        self.utility = 0.0
        self._measure()
        self.state.attractions[:] = self.utility  # equal, informed starting attractions
        if strategy == "adaptive":
            self.state.rule = FIXED_RULES[choose_rule(self.state.attractions, self.p.adaptive.temperature,
                                                      float(self.initial_draws[-1]))]
            self.record["strategy"] = self.state.rule
        self.collect = collect
        self.datacollector = measures.RecordCollector(self.record)
        if collect:
            self.datacollector.collect(self)
        self.running = self.max_steps > 0

    # ----- construction -------------------------------------------------------------------------
    def _check_switch(self) -> None:
        sw = self.p.switch
        if not sw.date:
            return
        if not sw.rule:
            raise ParameterError("parameter 'switch.rule': needed when switch.date is set")
        start = quarter_index(self.scenario_data.start)
        if not start < quarter_index(sw.date) <= start + self.scenario_data.steps:
            raise ParameterError(f"parameter 'switch.date': {sw.date} is not within scenario "
                                 f"'{self.scenario_data.name}' ({step_date(self.scenario_data.start, 1)} to "
                                 f"{step_date(self.scenario_data.start, self.scenario_data.steps)})")

    def _initial_state(self) -> State:
        p, ids = self.p, self.power_ids
        n = len(ids)
        pw = [p.powers[g] for g in ids]
        rivalry = np.full((n, n), p.rivalry.initial)
        for key, value in p.rivalry.pairs.items():
            a, b = key.split("-")
            rivalry[ids.index(a), ids.index(b)] = rivalry[ids.index(b), ids.index(a)] = value
        np.fill_diagonal(rivalry, 0.0)
        infrastructure = np.array([g.route_infrastructure for g in pw])
        total = infrastructure.sum()
        engagement = np.array([[getattr(g, f"initial_engagement_{d}") for d in DOMAINS] for g in pw])
        dependence = np.array([[getattr(g, f"initial_dependence_{d}") for d in DOMAINS] for g in pw])
        return State(
            engagement=engagement, dependence=cap_domain_shares(dependence),
            route=infrastructure / total if total > 0 else np.zeros(n), capacity=p.secondary.initial_capacity,
            log_welfare=0.0, hostile=np.full(n, p.perception.prior_hostile), benign=np.full(n, p.perception.prior_benign),
            alternative_routes=0.0, rule=self.strategy if self.strategy != "adaptive" else "hedge", focus=-1,
            attractions=np.zeros(len(FIXED_RULES)), rivalry=rivalry, rivalry_baseline=rivalry.copy(), signal=np.zeros(n),
            tolerance=np.array([g.tolerance for g in pw]), route_infrastructure=infrastructure,
            coercion_count=np.zeros(n, dtype=int), pressure_episodes=np.zeros(n, dtype=int), inducement_total=np.zeros(n),
            client_streak=np.zeros(n, dtype=int), client_quarters=np.zeros(n, dtype=int), exits=np.zeros(n, dtype=int), deference=np.zeros(n),
            ledger=Ledger.empty(p.measures.window, n),
        )

    # ----- calendar and derived structure ------------------------------------------------------------
    @property
    def date(self) -> str:
        """Calendar quarter of the current state, e.g. ``"1998Q3"``."""
        return step_date(self.scenario_data.start, self.quarter)

    def refresh_structure(self) -> None:
        """Quantities that follow from parameters, institutions and the state (after events and
        after each quarter's resolution)."""
        p, s = self.p, self.state
        if self.parameters_changed:
            self.powers = PowerArrays.compile(p, self.power_ids)
            self.dependence_rates = np.array([p.economy.dependence_rate_security, p.economy.dependence_rate_economy,
                                              p.economy.dependence_rate_institutions])
            self.parameters_changed = False
        self.rivalry_effective = reactions.effective_rivalry(s.rivalry, p.rivalry.scale)
        self.rivals = reactions.rival_mask(self.rivalry_effective, p.reactions.rivalry_threshold)
        self.exclusivity = reactions.exclusivity(self.powers.exclusivity_base, self.rivalry_effective,
                                                 p.reactions.exclusivity_gain)
        for inst in self.institutions:
            inst.activism = max(inst.activism, self.activism_floor.get(inst.name, 0.0))
        self.institution_arrays = as_arrays(self.institutions, self.power_ids)
        self.enmeshment = enmeshment(self.institution_arrays)
        self.stakes = stakes(self.powers.value, s.engagement)
        self.valuation = np.clip(self.powers.value * (1 + p.reactions.activism_value * self.enmeshment), 0, 1)
        self.reliability = reactions.reliability(self.powers.reliability, self.powers.war,
                                                 p.reactions.war_reliability_loss, self.valuation)
        self.consensus = consensus_share(self.institution_arrays)
        self.leverage = leverage(s.dependence, s.route, institutional_leverage(self.institution_arrays))

    def route_targets(self) -> np.ndarray:
        """Export-route shares that current infrastructure supports (ODD eq. 9, routes)."""
        s = self.state
        total = s.route_infrastructure.sum() + s.alternative_routes
        return s.route_infrastructure / total if total > 0 else np.zeros_like(s.route_infrastructure)

    def _satisfaction(self) -> np.ndarray:
        return reactions.satisfaction(self.state.engagement, self.powers.salience, self.exclusivity, self.rivals,
                                      self.state.signal)

    # ----- the quarter ------------------------------------------------------------------------------
    def step(self) -> None:
        """Advance one quarter."""
        self.quarter += 1
        draws = draw_quarter(self.rng, len(self.power_ids))
        self.state.ledger.open_quarter()
        self.actions = Actions.none(len(self.power_ids))
        self._exogenous(draws)
        self.satisfaction = self._satisfaction()
        self._great_power_actions(draws)
        self.secondary.step(draws)
        self._resolve(draws)
        self._measure()
        self.secondary.learn(self.utility, draws.quarter("rule_choice"))
        if self.collect:
            self.datacollector.collect(self)
        if self.quarter >= self.max_steps:
            self.running = False

    def _exogenous(self, draws: QuarterDraws) -> None:
        self.capability, self.economic, self.military = self.scenario_data.inputs_at(self.quarter, self.p)
        self.capability_history.append(self.capability.copy())
        self.crisis_resolved = False
        for event in self.scenario_data.events_at(self.quarter):
            apply_event(self, event, lambda severity: self._crisis(severity, draws.quarter("crisis_help")))
        if self.p.switch.date == self.date:
            self.state.rule = self.p.switch.rule
            self.switched = True

    def _great_power_actions(self, draws: QuarterDraws) -> None:
        """Every power reacts to the same view of S; they act (and their demands queue) in a random order."""
        p, s, pw = self.p, self.state, self.powers
        rp = p.reactions
        sat = self.satisfaction
        offers = reactions.offers(sat, pw.reward_threshold, pw.budget, self.valuation, rp.loyalty_weight,
                                  rp.bidding_weight, self.rivalry_effective, s.engagement, pw.salience)
        cost = reactions.pressure_cost(rp.pressure_cost, self.enmeshment, rp.enmeshment_cost, self.rivalry_effective,
                                       self.stakes, rp.stake_cost, s.ledger.pressed.sum(axis=0), rp.reputation_cost)
        domain, intensity = reactions.pressure(sat, pw.pressure_threshold, self.valuation, self.leverage,
                                               rp.pressure_intensity, cost)
        coefficients = {"intercept": rp.coercion_intercept, "intent": rp.coercion_intent,
                        "dissatisfaction": rp.coercion_dissatisfaction, "enmeshment": rp.coercion_enmeshment,
                        "stakes": rp.coercion_stakes, "capacity": rp.coercion_capacity, "war": rp.coercion_war}
        q = reactions.coercion_probability(pw.reach, pw.intent, sat, pw.pressure_threshold, self.enmeshment,
                                           self.rivalry_effective @ self.stakes, s.capacity, pw.war, coefficients)
        p_align = reactions.alignment_demand_probability(sat, s.tolerance, pw.intent, self.leverage,
                                                         rp.demand_probability, rp.demand_exploitation)
        p_war = reactions.war_demand_probability(pw.war, self.consensus, rp.war_demand_probability, rp.consensus_veto)
        demands = reactions.issue_demands(p_align, p_war, pw.intent, pw.salience, rp.high_cost_share,
                                          p.measures.low_cost_weight, draws.per_power("demand"),
                                          draws.per_power("demand_cost"), draws.per_power("war_demand"),
                                          draws.per_power("war_demand_cost"))
        plan = ReactionPlan(offers, domain, intensity, q, demands)
        for g in draws.action_order:
            self.great_powers[int(g)].act(plan, draws)
        a = self.actions
        s.ledger.pressed[s.ledger.position] = a.pressure > 0
        s.pressure_episodes += a.pressure > 0
        s.coercion_count += a.coerced
        s.inducement_total += a.offers.sum(axis=1)

    # ----- resolution (ODD §7.3, §7.5) -------------------------------------------------------------
    def _resolve(self, draws: QuarterDraws) -> None:
        s, p, a = self.state, self.p, self.actions
        ep, cp = p.economy, p.crisis
        decision = self.secondary.decision
        omega = opportunity(self.powers.opportunity_base, domain_sizes(self.capability, self.economic, self.military),
                            self.powers.reach, a.offers, self.scenario_data.system_size)
        weight = s.engagement * np.maximum(omega, 1e-9)
        shares = weight / (weight.sum(axis=0, keepdims=True) + ep.rest_of_world)
        s.dependence = cap_domain_shares((1 - self.dependence_rates) * s.dependence + self.dependence_rates * shares)
        s.alternative_routes += decision.alternative_investment
        s.route = (1 - ep.route_rate) * s.route + ep.route_rate * self.route_targets()

        pressed = np.nonzero(a.pressure > 0)[0]
        pressure_cost = float(sum(a.pressure[g] * self.leverage[g, a.pressure_domain[g]] for g in pressed))
        spillover = ep.sanction_spillover * float(self.powers.sanctions @ s.engagement[:, ECO])
        a.entrapment_cost += spillover
        growth = (ep.base_growth + s.oil
                  + ep.trade_gain * float((s.engagement[:, ECO] * omega[:, ECO]).sum())
                  + ep.inducement_gain * float(a.offers.sum())
                  - ep.pressure_loss * pressure_cost - spillover
                  - ep.coercion_loss * float(a.coerced.sum())
                  - ep.capacity_cost * decision.investment
                  - p.secondary.alternative_cost * decision.alternative_investment)
        self.growth = growth
        s.log_welfare += growth
        sp = p.secondary
        s.capacity = float(np.clip((1 - sp.capacity_depreciation) * s.capacity
                                   + decision.investment * np.sqrt(np.exp(s.log_welfare)), 0, 1))

        s.security_shock = (1 - cp.shock_decay) * s.security_shock + cp.coercion_shock * float(a.coerced.any())
        if not self.crisis_resolved and draws.quarter("crisis") < cp.probability:
            severity = cp.severity_low + (cp.severity_high - cp.severity_low) * draws.quarter("crisis_severity")
            self._crisis(severity, draws.quarter("crisis_help"))

        s.signal *= 1 - p.reactions.signal_decay
        previous_security = self.secondary.observation.engagement[:, SEC]
        s.rivalry = reactions.rivalry_update(s.rivalry, s.rivalry_baseline, s.engagement[:, SEC] - previous_security,
                                             p.reactions.rivalry_feedback, p.reactions.rivalry_reversion)
        self.refresh_structure()

    def _crisis(self, severity: float, uniform: float) -> None:
        """S asks the power it relies on most for help; it may be abandoned (Snyder 1984; ODD §7.5)."""
        s, cp = self.state, self.p.crisis
        self.crisis_resolved = True
        s.crisis_requests += 1
        asked = int(np.argmax(s.engagement[:, SEC] * self.reliability))
        helped = uniform < reactions.help_probability(float(self.reliability[asked]), float(self.satisfaction[asked]))
        if helped:
            s.dependence[asked, SEC] = min(1.0, s.dependence[asked, SEC] + cp.support_dependence * severity)
            s.dependence = cap_domain_shares(s.dependence)
            s.tolerance[asked] = min(1.0, s.tolerance[asked] + cp.support_tolerance * severity)
        else:
            s.abandonment_count += 1
            s.security_shock += cp.abandonment_shock * severity
        self.last_crisis = {"step": self.quarter, "date": self.date, "severity": severity,
                            "asked": self.power_ids[asked], "helped": bool(helped)}

    # ----- observation (ODD §7.6) ----------------------------------------------------------------

    def _measure(self) -> None:
        s, p = self.state, self.p
        mp = p.measures
        ledger = s.ledger
        security_h = measures.security_hierarchy(s.dependence, s.capacity, self.reliability)
        economic_h = measures.economic_hierarchy(s.dependence, s.route, mp.route_weight)
        s.deference = measures.policy_deference(ledger, mp.deference_prior)
        dropped = measures.dropped_moves(ledger)
        client = measures.client_index(security_h, economic_h, s.deference, dropped)
        s.client_streak = np.where(client >= mp.client_threshold, s.client_streak + 1, 0)
        s.client_quarters += s.client_streak >= mp.client_quarters
        autonomy = measures.autonomy(ledger, mp)
        pc = p.perception
        true_threat = threat(self.capability, self.military, self.powers.reach, self.powers.intent, self.leverage,
                             pc.capability_exponent, pc.offensive_exponent, pc.intent_floor, pc.leverage_gain)
        deter = measures.deterrence(s.capacity, self.enmeshment, self.rivalry_effective @ self.stakes, s.dependence, mp)
        security = measures.security(true_threat, deter, s.security_shock)
        self.utility = measures.utility(security, self.growth, autonomy, s.engagement, p.adaptive)
        self.outcomes = {
            "client_index": client, "security_hierarchy": security_h, "economic_hierarchy": economic_h,
            "policy_deference": s.deference, "dropped_moves": dropped, "autonomy": autonomy, "security": security,
            "entrapment": measures.entrapment(s.dependence, self.powers.war, self.exclusivity, self.actions.high_cost_met),
            "coexistence": float(bool((self.satisfaction >= self.powers.pressure_threshold).all())),
        }
        if self.quarter > 0:
            for column in measures.RUNNING_MEANS:
                s.outcome_sums[column] = s.outcome_sums.get(column, 0.0) + float(self.outcomes[column])
        self.record = measures.record(self)
