"""The Mesa model: one secondary power among great powers, one step per quarter.

Schedule of a quarter (theory.md §2.3):
1. exogenous update: capabilities from data, scenario events due this quarter;
2. great-power perception: satisfaction with S (eq. 12);
3. great-power action, in random order: rewards, pressure, coercion, demands (eqs. 13-15);
4. S perception: threat, leverage, opportunity, beliefs, enmeshment, stakes (eqs. 1-6);
5. S decision: demands met or refused, target engagements by its rule, partial adjustment (eq. 7);
6. resolution: dependence (eq. 9), welfare (eq. 10), capacity (eq. 11), crises, rivalry (eq. 16);
7. observation: the outcome measures are recorded.
"""

from __future__ import annotations

from collections import deque
from typing import Any

import numpy as np
from mesa import DataCollector, Model

from model import measures, reactions
from model.agents import GreatPower, SecondaryPower, cap_domain_shares
from model.calendar import step_date
from model.contract import DOMAINS
from model.errors import StrategyError
from model.institutions import Institution, consensus_share, enmeshment, institutional_leverage
from model.parameters import Parameters, set_clipped, with_overrides
from model.perception import (ECO, SEC, InstitutionView, Observation, believed_intent, leverage, opportunity,
                              perceived_capability, stakes, threat, uncertainty, update_beliefs)
from model.rules import STRATEGIES, Decision, Demand
from model.scenarios import Scenario, build_institutions, load_scenario


def _coerce_rng(rng: Any) -> Any:
    """SolaraViz sends the seed as text (mesa/mesa#3516, unfixed in 3.5.1)."""
    if isinstance(rng, str):
        return int(rng) if rng.strip() else None
    return rng


class MultivectorModel(Model):
    """A secondary power choosing how much to engage each great power, by one rule.

    Args:
        scenario: name of a shipped scenario (``model.scenario_names()``).
        strategy: one of ``model.STRATEGIES``.
        overrides: ``{dotted.parameter.path: value}`` applied on top of the scenario.
        steps: quarters to run (default: the scenario's length).
        rng: seed (int, numpy SeedSequence or None), as for any Mesa model.
        collect: record every quarter in ``datacollector`` (default). With False only the
            current quarter's row is kept, in ``record``: for runs that need final values only.
    """

    domains = DOMAINS

    # Mesa 3.5 keeps its own experimental Scenario in ``model.scenario``; ours is the loaded
    # scenario data. Mesa's object is kept aside so both work.
    @property
    def scenario(self) -> Scenario:
        return self._scenario_data

    @scenario.setter
    def scenario(self, value: Any) -> None:
        if isinstance(value, Scenario):
            self._scenario_data = value
        else:
            self.mesa_scenario = value
            value.model = self

    def __init__(self, scenario: str = "kazakhstan", strategy: str = "hedge", overrides: dict | None = None,
                 steps: int | None = None, rng: Any = None, collect: bool = True):
        super().__init__(rng=_coerce_rng(rng))
        if strategy not in STRATEGIES:
            raise StrategyError(f"unknown strategy '{strategy}' (known: {', '.join(STRATEGIES)})")
        self.scenario: Scenario = load_scenario(scenario)
        self.strategy = strategy
        self.p: Parameters = with_overrides(self.scenario.parameters, dict(overrides or {}))
        self.overrides = dict(overrides or {})
        if steps is not None and (not isinstance(steps, int) or isinstance(steps, bool) or steps < 0):
            raise StrategyError(f"steps must be a non-negative integer, got {steps!r}")
        self.max_steps = self.scenario.steps if steps is None else steps
        self.power_ids = self.scenario.power_ids
        self.quarter = 0
        n = len(self.power_ids)
        pw = [self.p.powers[g] for g in self.power_ids]

        self.capability = self.scenario.capability_at(0, self.p)
        self.capability_history = deque([self.capability.copy()], maxlen=self.p.perception.volatility_window + 1)
        self.rivalry = np.full((n, n), self.p.rivalry.initial)
        for key, value in self.p.rivalry.pairs.items():
            a, b = key.split("-")
            i, j = self.power_ids.index(a), self.power_ids.index(b)
            self.rivalry[i, j] = self.rivalry[j, i] = value
        np.fill_diagonal(self.rivalry, 0.0)
        self.rivalry_baseline = self.rivalry.copy()
        self.signal = np.zeros(n)
        self.tolerance = np.array([g.tolerance for g in pw])
        self.route_infrastructure = np.array([g.route_infrastructure for g in pw])
        self.alternative_routes = 0.0
        self.oil = 0.0
        self.institutions = build_institutions(self.scenario.institutions, 0, self.p.secondary.activism)
        self.activism_floor: dict[str, float] = {}

        # this quarter's great-power actions, and running records
        self.offers = np.zeros((n, len(DOMAINS)))
        self.pressure_domain = np.zeros(n, dtype=int)
        self.pressure_intensity = np.zeros(n)
        self.coerced = np.zeros(n, dtype=bool)
        self.demands: list[Demand] = []
        self.pressure_history = [deque(maxlen=8) for _ in range(n)]
        self.coercion_count = np.zeros(n, dtype=int)
        self.pressure_episodes = np.zeros(n, dtype=int)
        self.inducement_total = np.zeros(n)
        self.abandonment_count = 0
        self.client_streak = np.zeros(n, dtype=int)
        self.client_quarters = np.zeros(n, dtype=int)
        self.security_shock = 0.0
        self.quarter_costs = {"entrapment": 0.0}
        self.high_cost_met = 0
        self.last_crisis: dict | None = None
        self.crisis_severity = 0.0
        self.event_log: list[tuple[int, str, str]] = []

        self.great_powers = [GreatPower(self, i, g) for i, g in enumerate(self.power_ids)]
        self.secondary = SecondaryPower(self, strategy)
        self._refresh_structure()
        self.satisfaction = self._satisfaction()
        self.secondary.observation = self.observe(update=False)
        self.record: dict[str, Any] = {}
        self._measure()
        self.secondary.attractions[:] = self.utility  # equal, informed starting attractions
        self.collect = collect
        self.datacollector = DataCollector(model_reporters={c: _reporter(c) for c in self.record})
        if collect:
            self.datacollector.collect(self)
        self.running = self.max_steps > 0

    # ----- calendar -----------------------------------------------------------------------
    @property
    def date(self) -> str:
        """Calendar quarter of the current state, e.g. ``"1998Q3"``."""
        return step_date(self.scenario.start, self.quarter)

    # ----- derived structure ----------------------------------------------------------------
    def _refresh_structure(self) -> None:
        """Quantities that follow from parameters and institutions (recomputed after events)."""
        pw = [self.p.powers[g] for g in self.power_ids]
        self.salience = np.array([[getattr(g, f"salience_{d}") for d in DOMAINS] for g in pw])
        self.exclusivity_base = np.array([[getattr(g, f"exclusivity_{d}") for d in DOMAINS] for g in pw])
        self.opportunity_base = np.array([[getattr(g, f"opportunity_{d}") for d in DOMAINS] for g in pw])
        self.reach = np.array([g.reach for g in pw])
        self.war = np.array([g.war for g in pw])
        self.rivalry_effective = reactions.effective_rivalry(self.rivalry, self.p.rivalry.scale)
        self.exclusivity = reactions.exclusivity(self.exclusivity_base, self.rivalry_effective,
                                                 self.p.reactions.exclusivity_gain)
        for inst in self.institutions:
            inst.activism = max(inst.activism, self.activism_floor.get(inst.name, 0.0))
        self.enmeshment = enmeshment(self.institutions, self.power_ids)
        self.stakes = stakes(np.array([g.value for g in pw]), self.secondary.engagement)
        self.valuation = np.clip(np.array([g.value for g in pw]) * (1 + self.p.reactions.activism_value * self.enmeshment), 0, 1)
        self.reliability = np.array([reactions.reliability(g.reliability, g.war, self.p.reactions.war_reliability_loss, v)
                                     for g, v in zip(pw, self.valuation)])
        self.consensus = np.array([consensus_share(self.institutions, g) for g in self.power_ids])
        inst_lev = institutional_leverage(self.institutions, self.power_ids)
        self.secondary.leverage = leverage(self.secondary.dependence, self.secondary.route, inst_lev)
        rp = self.p.reactions
        self.coercion_coefficients = {
            "intercept": rp.coercion_intercept, "intent": rp.coercion_intent, "dissatisfaction": rp.coercion_dissatisfaction,
            "enmeshment": rp.coercion_enmeshment, "stakes": rp.coercion_stakes, "capacity": rp.coercion_capacity,
            "war": rp.coercion_war,
        }

    def route_targets(self) -> np.ndarray:
        """Export-route shares that current infrastructure supports (theory.md §2.5, eq. 9 ROUTE)."""
        total = self.route_infrastructure.sum() + self.alternative_routes
        return self.route_infrastructure / total if total > 0 else np.zeros_like(self.route_infrastructure)

    def _satisfaction(self) -> np.ndarray:
        return reactions.satisfaction(self.secondary.engagement, self.salience, self.exclusivity,
                                      self.rivalry_effective, self.p.reactions.rivalry_threshold, self.signal)

    # ----- step -------------------------------------------------------------------------------
    def step(self) -> None:
        """Advance one quarter."""
        self.quarter += 1
        self._exogenous()
        self.satisfaction = self._satisfaction()
        self._great_power_actions()
        self.secondary.step()
        self._resolve()
        self._measure()
        self.secondary.learn(self.utility)
        if self.collect:
            self.datacollector.collect(self)
        if self.quarter >= self.max_steps:
            self.running = False

    def _exogenous(self) -> None:
        self.capability = self.scenario.capability_at(self.quarter, self.p)
        self.capability_history.append(self.capability.copy())
        self.crisis_severity = 0.0
        due = [event for event in self.scenario.events if event.step == self.quarter]
        for event in due:
            self._apply_event(event)
        if due:  # otherwise the structure is as _resolve left it last quarter
            self._refresh_structure()

    def _apply_event(self, event) -> None:
        self.event_log.append((event.step, event.date, event.label))
        for spec in event.institutions:
            self.institutions.extend(build_institutions((spec,), self.quarter, self.p.secondary.activism))
        for change in event.changes:
            self._apply_change(change)
        if event.crisis is not None:
            self.crisis_severity = max(self.crisis_severity, event.crisis)

    def _apply_change(self, change) -> None:
        parts = change.path.split(".")

        def new_value(old: float) -> Any:
            if change.op == "set":
                return change.value
            if change.op == "add":
                return old + change.value
            if change.op == "scale":
                return old * change.value
            return float(self.rng.uniform(*change.value))

        if parts[0] == "state":
            self._apply_state_change(parts[1], parts[2:], new_value)
        elif parts[0] == "institution":
            name, attribute = ".".join(parts[1:-1]), parts[-1]
            for inst in self.institutions:
                if inst.name == name:
                    if attribute == "activism_floor":
                        self.activism_floor[name] = float(new_value(self.activism_floor.get(name, 0.0)))
                        inst.activism = max(inst.activism, self.activism_floor[name])
                    elif attribute == "domains":
                        inst.domains = tuple(change.value)
                    else:
                        setattr(inst, attribute, float(np.clip(new_value(getattr(inst, attribute)), 0, 1)))
        else:
            set_clipped(self.p, change.path, new_value)

    def _apply_state_change(self, target: str, ids: list[str], new_value) -> None:
        s = self.secondary
        if target in ("engagement", "dependence"):
            g, d = self.power_ids.index(ids[0]), DOMAINS.index(ids[1])
            array = s.engagement if target == "engagement" else s.dependence
            array[g, d] = np.clip(new_value(array[g, d]), 0, 1)
            s.dependence = cap_domain_shares(s.dependence)
        elif target == "route":
            g = self.power_ids.index(ids[0])
            s.route[g] = np.clip(new_value(s.route[g]), 0, 1)
            s.route = s.route / max(1.0, s.route.sum())
        elif target == "route_infrastructure":
            g = self.power_ids.index(ids[0])
            self.route_infrastructure[g] = max(0.0, new_value(self.route_infrastructure[g]))
        elif target == "signal":
            g = self.power_ids.index(ids[0])
            self.signal[g] = np.clip(new_value(self.signal[g]), -1, 1)
        elif target in ("belief_hostile", "belief_benign"):
            g = self.power_ids.index(ids[0])
            array = s.hostile if target == "belief_hostile" else s.benign
            array[g] = max(0.1, new_value(array[g]))
        elif target == "rivalry":
            a, b = (self.power_ids.index(x) for x in ids[0].split("-"))
            value = float(np.clip(new_value(self.rivalry[a, b]), 0, 1))
            self.rivalry[a, b] = self.rivalry[b, a] = value
            self.rivalry_baseline[a, b] = self.rivalry_baseline[b, a] = value
        elif target == "alternative_routes":
            self.alternative_routes = max(0.0, new_value(self.alternative_routes))
        elif target == "oil":
            self.oil = float(new_value(self.oil))
        elif target == "welfare":
            s.log_welfare = float(new_value(s.log_welfare))

    def _great_power_actions(self) -> None:
        self.offers[:] = 0.0
        self.pressure_intensity[:] = 0.0
        self.coerced[:] = False
        self.demands = []
        self.quarter_costs = {"entrapment": 0.0}
        self.high_cost_met = 0
        self.agents_by_type[GreatPower].shuffle_do("act")
        for g in range(len(self.power_ids)):
            self.pressure_history[g].append(self.pressure_intensity[g] > 0)
        self.pressure_episodes += self.pressure_intensity > 0
        self.coercion_count += self.coerced
        self.inducement_total += self.offers.sum(axis=1)

    # ----- the secondary's perception and moves -------------------------------------------------
    def observe(self, update: bool = True) -> Observation:
        """S's perception this quarter (theory.md eqs. 1-6); ``update`` folds in the actions just seen."""
        s = self.secondary
        pc = self.p.perception
        if update:
            hostile_evidence = self.pressure_intensity + self.coerced.astype(float)
            benign_evidence = 0.25 * (self.offers.sum(axis=1) > 0)
            s.hostile, s.benign = update_beliefs(s.hostile, s.benign, hostile_evidence, benign_evidence, pc.action_weight,
                                                 pc.forgetting, pc.prior_hostile, pc.prior_benign)
        seen = perceived_capability(self.capability, pc.misperception, self.rng) if update else self.capability
        rho_hat = believed_intent(s.hostile, s.benign)
        views = tuple(
            InstitutionView(inst.binding, inst.voice, inst.exit_cost,
                            np.array([g in inst.members for g in self.power_ids]),
                            np.array([g in inst.leads for g in self.power_ids]),
                            inst.domain_mask().astype(bool), inst.secondary_member, inst.founded_by_secondary)
            for inst in self.institutions
        )
        ep = self.p.economy
        self.threat = threat(seen, self.reach, rho_hat, s.leverage, pc.capability_exponent, pc.intent_floor, pc.leverage_gain)
        return Observation(
            capability=seen, reach=self.reach, threat=self.threat, leverage=s.leverage,
            opportunity=opportunity(self.opportunity_base, seen, self.offers),
            believed_intent=rho_hat, uncertainty=uncertainty(s.hostile, s.benign, np.array(self.capability_history)),
            enmeshment=self.enmeshment, stakes=self.stakes, engagement=s.engagement.copy(),
            dependence=s.dependence.copy(), route=s.route.copy(), reliability=self.reliability,
            exclusivity=self.exclusivity, salience=self.salience, tolerance=self.tolerance,
            dependence_rates=np.array([ep.dependence_rate_security, ep.dependence_rate_economy,
                                       ep.dependence_rate_institutions]),
            rest_of_world=ep.rest_of_world, institutions=views,
            focus=s.decision.focus if s.decision is not None and s.decision.focus is not None else None,
        )

    def resolve_demand(self, demand: Demand, met: bool) -> None:
        """Consequences of meeting or refusing a demand (theory.md §2.7.2, §2.7.5)."""
        s = self.secondary
        sp, rp, ep = self.p.secondary, self.p.reactions, self.p.economy
        g, d = demand.power, demand.domain
        memory = sp.deference_memory
        s.deference[g] = (1 - memory) * s.deference[g] + memory * float(met)
        rivals = (self.rivalry_effective[g] > rp.rivalry_threshold) & (np.arange(len(self.power_ids)) != g)
        if demand.kind == "alignment":
            s.dropped_moves[g] = (1 - memory) * s.dropped_moves[g] + memory * float(met)
        if not met:
            self.signal[g] -= rp.signal_refuse
            return
        self.signal[g] += rp.signal_comply
        s.engagement[g, d] = min(1.0, s.engagement[g, d] + sp.demand_step)
        s.engagement[rivals, d] *= 1 - sp.demand_step
        if demand.kind == "support" and demand.high_cost:
            # entrapment: rivals of the power at war impose secondary sanctions (Snyder 1984)
            s.log_welfare -= ep.secondary_sanction_cost
            self.signal[rivals] -= rp.signal_refuse
            self.high_cost_met += 1
            self.quarter_costs["entrapment"] += ep.secondary_sanction_cost

    def apply_institutional_moves(self, decision: Decision) -> None:
        """Leave, join, found and set activism as the rule decided."""
        s = self.secondary
        for i in decision.leave:
            inst = self.institutions[i]
            if inst.secondary_member:
                inst.secondary_member = False
                s.log_welfare -= self.p.secondary.exit_welfare_cost * inst.exit_cost
                for g in inst.leads:
                    self.signal[self.power_ids.index(g)] -= self.p.reactions.signal_refuse
        for i in decision.join:
            self.institutions[i].secondary_member = True
        for inst, x in zip(self.institutions, decision.activism):
            inst.activism = max(float(x), self.activism_floor.get(inst.name, 0.0)) if inst.secondary_member else 0.0
        if decision.found_forum:
            self.institutions.append(Institution(
                name="Inclusive forum founded by S", domains=("institutions", "security"), leads=(),
                members=self.power_ids, binding=0.2, voice=1.0, exit_cost=0.1, founded_by_secondary=True,
                activism=self.p.secondary.activism_max, created_step=self.quarter))
            s.log_welfare -= self.p.secondary.forum_cost

    # ----- resolution -------------------------------------------------------------------------
    def _resolve(self) -> None:
        s = self.secondary
        ep, cp = self.p.economy, self.p.crisis
        obs = s.observation
        decision = s.decision
        rates = np.array([ep.dependence_rate_security, ep.dependence_rate_economy, ep.dependence_rate_institutions])

        omega = opportunity(self.opportunity_base, self.capability, self.offers)
        weight = s.engagement * np.maximum(omega, 1e-9)
        shares = weight / (weight.sum(axis=0, keepdims=True) + ep.rest_of_world)
        s.dependence = cap_domain_shares((1 - rates) * s.dependence + rates * shares)
        self.alternative_routes += decision.alternative_investment
        s.route = (1 - ep.route_rate) * s.route + ep.route_rate * self.route_targets()

        pressure_cost = sum(
            self.pressure_intensity[g] * s.leverage[g, self.pressure_domain[g]] for g in range(len(self.power_ids)))
        sanctions = np.array([self.p.powers[g].sanctions for g in self.power_ids])
        spillover = ep.sanction_spillover * float(sanctions @ s.engagement[:, ECO])
        self.quarter_costs["entrapment"] += spillover
        growth = (ep.base_growth + self.oil
                  + ep.trade_gain * float((s.engagement[:, ECO] * omega[:, ECO]).sum())
                  + ep.inducement_gain * float(self.offers.sum())
                  - ep.pressure_loss * pressure_cost - spillover
                  - ep.coercion_loss * float(self.coerced.sum())
                  - ep.capacity_cost * decision.investment
                  - self.p.secondary.alternative_cost * decision.alternative_investment)
        self.growth = growth
        s.log_welfare += growth

        sp = self.p.secondary
        s.capacity = (1 - sp.capacity_depreciation) * s.capacity + decision.investment * np.sqrt(np.exp(s.log_welfare))
        s.capacity = float(np.clip(s.capacity, 0, 1))

        self.security_shock = (1 - cp.shock_decay) * self.security_shock + cp.coercion_shock * float(self.coerced.any())
        if self.crisis_severity == 0.0 and self.rng.random() < cp.probability:
            self.crisis_severity = float(self.rng.uniform(cp.severity_low, cp.severity_high))
        if self.crisis_severity > 0:
            self._crisis(self.crisis_severity)

        self.signal *= 1 - self.p.reactions.signal_decay
        previous_security = obs.engagement[:, SEC]
        self.rivalry = reactions.rivalry_update(self.rivalry, self.rivalry_baseline, s.engagement[:, SEC] - previous_security,
                                                self.p.reactions.rivalry_feedback, self.p.reactions.rivalry_reversion)
        self._refresh_structure()

    def _crisis(self, severity: float) -> None:
        """S asks the power it relies on most for help; it may be abandoned (Snyder 1984; theory.md §2.7.5)."""
        s = self.secondary
        cp = self.p.crisis
        asked = int(np.argmax(s.engagement[:, SEC] * self.reliability))
        p_help = self.reliability[asked] * (1 + self.satisfaction[asked]) / 2
        helped = bool(self.rng.random() < p_help)
        if helped:
            s.dependence[asked, SEC] = min(1.0, s.dependence[asked, SEC] + cp.support_dependence * severity)
            s.dependence = cap_domain_shares(s.dependence)
            self.tolerance[asked] = min(1.0, self.tolerance[asked] + cp.support_tolerance * severity)
        else:
            self.abandonment_count += 1
            self.security_shock += cp.abandonment_shock * severity
        self.last_crisis = {"step": self.quarter, "severity": severity, "asked": self.power_ids[asked], "helped": helped}

    # ----- measures -----------------------------------------------------------------------------
    def _measure(self) -> None:
        s = self.secondary
        mp = self.p.measures
        client = measures.client_index(s.engagement, s.dependence, s.route, s.deference, s.dropped_moves)
        is_client = client >= mp.client_threshold
        self.client_streak = np.where(is_client, self.client_streak + 1, 0)
        self.client_quarters += self.client_streak >= mp.client_quarters
        options = measures.exit_options(s.engagement, mp.exit_option_threshold)
        autonomy = measures.autonomy(client, options)
        rival_stakes = self.rivalry_effective @ self.stakes
        deter = measures.deterrence(s.capacity, self.enmeshment, rival_stakes, s.engagement, mp.deterrence_capacity,
                                    mp.deterrence_enmeshment, mp.deterrence_stakes, mp.deterrence_engagement)
        threat_now = s.observation.threat
        security = measures.security(threat_now, deter, self.security_shock)
        welfare = float(np.exp(s.log_welfare))
        growth = getattr(self, "growth", 0.0)
        ap = self.p.adaptive
        self.utility = (ap.weight_security * security + ap.weight_welfare * growth / 0.01 + ap.weight_autonomy * autonomy
                        - ap.engagement_cost * float(s.engagement.sum()))
        entrapment = measures.entrapment_exposure(s.engagement, self.war, self.exclusivity) + self.high_cost_met
        pressure_thresholds = np.array([self.p.powers[g].pressure_threshold for g in self.power_ids])

        r: dict[str, Any] = {"step": self.quarter, "date": self.date, "year": int(self.date[:4])}
        for kind, array in (("engagement", s.engagement), ("dependence", s.dependence)):
            for i, g in enumerate(self.power_ids):
                for j, d in enumerate(DOMAINS):
                    r[f"{kind}_{g}_{d}"] = float(array[i, j])
        per_power = {
            "inducement": self.offers.sum(axis=1), "pressure": self.pressure_intensity, "coercion": self.coercion_count,
            "satisfaction": self.satisfaction, "client_index": client, "threat": threat_now,
        }
        for kind, array in per_power.items():
            for i, g in enumerate(self.power_ids):
                r[f"{kind}_{g}"] = float(array[i]) if kind != "coercion" else int(array[i])
        r.update({
            "autonomy": autonomy, "security": security, "welfare": welfare, "hedging_index": measures.hedging_index(s.engagement),
            "abandonment_events": self.abandonment_count, "entrapment": float(entrapment), "strategy": s.rule,
        })
        # extra columns (the contract allows them)
        for i, g in enumerate(self.power_ids):
            r[f"route_dependence_{g}"] = float(s.route[i])
            r[f"belief_{g}"] = float(s.hostile[i] / (s.hostile[i] + s.benign[i]))
            r[f"enmeshment_{g}"] = float(self.enmeshment[i])
            r[f"pressure_episodes_{g}"] = int(self.pressure_episodes[i])
            r[f"inducement_total_{g}"] = float(self.inducement_total[i])
            r[f"client_status_{g}"] = int(self.client_streak[i] >= mp.client_quarters)
            r[f"client_quarters_{g}"] = int(self.client_quarters[i])
            r[f"capability_{g}"] = float(self.capability[i])
        for i in range(len(self.power_ids)):
            for j in range(i + 1, len(self.power_ids)):
                r[f"rivalry_{self.power_ids[i]}_{self.power_ids[j]}"] = float(self.rivalry_effective[i, j])
        r.update({
            "coexistence": int(bool((self.satisfaction >= pressure_thresholds).all())),
            "capacity": float(s.capacity), "growth": float(growth), "utility": float(self.utility),
            "memberships": int(sum(inst.secondary_member for inst in self.institutions)),
            "alternative_routes": float(self.alternative_routes),
            "strategy_setting": self.strategy, "scenario": self.scenario.name,
        })
        self.record = r


def _reporter(column: str):
    def report(model: MultivectorModel) -> Any:
        return model.record[column]

    report.__name__ = f"report_{column}"
    return report
