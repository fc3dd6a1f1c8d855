"""Every parameter of the model: one typed, validated, documented object.

The same object feeds the command line (``--set path=value``), experiment files, the browser
controls and the generated parameter table. Nested fields are addressed by dotted path, for
example ``powers.RUS.reach`` or ``reactions.pressure_cost``. Each field carries its range, unit,
meaning and source. Values are placeholders grounded in the literature cited (theory.md says
so: none is an empirical estimate) unless the source names a data series.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from model.errors import ParameterError

SPEC = "theory.md §2"  # the model specification, cited where a value is a specification placeholder


def param(default: Any, low: float | None, high: float | None, unit: str, meaning: str, source: str):
    """A documented field: default, inclusive range, unit, meaning and source."""
    return Field(
        default,
        ge=low,
        le=high,
        description=meaning,
        json_schema_extra={"unit": unit, "source": source},
    )


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class SecondaryParams(_Strict):
    """The secondary power S (Kazakhstan): its leader, its capacity and its rules' constants."""

    risk_aversion: float = param(
        1.0, 0, 5, "dimensionless",
        "Leader risk aversion phi: weight of risk (threat plus uncertainty, times dependence) "
        "against opportunity in hedging scores.",
        "Kuik 2008 (risk-contingency); theory.md §2.2 placeholder",
    )
    prudence: float = param(
        0.5, 0, 1, "probability weight",
        "Leader prudence: how strongly a demand's cost must fall short of the cost of refusing "
        "before S complies, and how much anticipated pressure counts in hedging.",
        "Korolev 2025; theory.md §2.2 placeholder",
    )
    adjust_security: float = param(
        0.10, 0, 1, "share per quarter",
        "Partial-adjustment rate kappa of security engagement toward its target (security ties are sticky).",
        "theory.md eq. 7",
    )
    adjust_economy: float = param(
        0.25, 0, 1, "share per quarter", "Partial-adjustment rate kappa of economic engagement.", "theory.md eq. 7"
    )
    adjust_institutions: float = param(
        0.50, 0, 1, "share per quarter", "Partial-adjustment rate kappa of institutional engagement.",
        "theory.md eq. 7",
    )
    engagement_noise: float = param(
        0.01, 0, 0.2, "engagement units (s.d.)",
        "Standard deviation of implementation noise added to each engagement adjustment.", "theory.md eq. 7",
    )
    fallback_floor: float = param(
        0.12, 0, 0.5, "engagement", "Hedging: minimum engagement kept with every power in every domain "
        "(fallback position, no burned bridges).", "Kuik 2021; theory.md §2.7.2",
    )
    dominance_cap_security: float = param(
        0.8, 0.2, 1, "share of flows",
        "Hedging: the largest share of security flows (arms, exercises) S lets any one power hold (dominance denial).",
        "Kuik 2008; theory.md §2.7.2 (D_max[d])",
    )
    dominance_cap_economy: float = param(
        0.5, 0.2, 1, "share of flows",
        "Hedging: the largest share of trade or export routes S lets any one power hold (dominance denial).",
        "Kuik 2008; theory.md §2.7.2 (D_max[d])",
    )
    dominance_cap_institutions: float = param(
        0.6, 0.2, 1, "share of flows",
        "Hedging: the largest share of institutional ties S lets any one power hold (dominance denial).",
        "Kuik 2008; theory.md §2.7.2 (D_max[d])",
    )
    domain_capacity: float = param(
        1.4, 0.5, 3, "engagement units per domain",
        "Diplomatic and administrative capacity: the most total engagement S can sustain in one domain.",
        "theory.md §2.7.2 (C[d])",
    )
    softmax_temperature: float = param(
        0.15, 0.01, 2, "score units",
        "Hedging: temperature of the softmax that spreads engagement over partners by score.",
        "theory.md §2.7.2",
    )
    indirect_balancing_floor: float = param(
        0.15, 0, 0.5, "engagement",
        "Hedging: minimum security engagement with the distant power and the second most capable power.",
        "Kuik 2008 (indirect balancing); Goh 2007/08 (complex balancing)",
    )
    balancing_floor: float = param(
        0.02, 0, 0.5, "engagement", "Balancing: security engagement kept with the top threat.", "Walt 1987"
    )
    balancing_step: float = param(
        0.2, 0, 1, "engagement per quarter",
        "Balancing: how far economic engagement moves away from the threat and toward the counterweight.",
        "Walt 1987; theory.md §2.7.2 (delta_bal)",
    )
    base_investment: float = param(
        0.01, 0, 0.2, "capacity per quarter", "Investment in own military and state capacity under every rule "
        "except bandwagoning (which free-rides on the patron).", "Schweller 1994; theory.md eq. 11",
    )
    balancing_investment: float = param(
        0.03, 0, 0.2, "capacity per quarter",
        "Extra internal balancing under the balancing rule (iota_bal).", "Waltz 1979; Walt 1987",
    )
    capacity_depreciation: float = param(
        0.02, 0, 0.2, "share per quarter", "Depreciation delta_K of own capacity K.", "theory.md eq. 11"
    )
    initial_capacity: float = param(
        0.1, 0, 1, "relative capacity", "Own military and state capacity K at the start.", "theory.md §2.5"
    )
    activism: float = param(
        0.3, 0, 1, "activity level",
        "Baseline institutional activism x (chairing, hosting, proposals) in every institution S belongs to.",
        "Goh 2005; theory.md §2.2",
    )
    activism_max: float = param(
        0.8, 0, 1, "activity level", "Hedging: the most activism S puts into its busiest institution.",
        "Goh 2007/08 (binding engagement)",
    )
    enmeshment_target: float = param(
        0.25, 0, 1, "enmeshment", "Hedging: if some power's enmeshment is below this, S founds an inclusive forum.",
        "Goh 2005 (omni-enmeshment)",
    )
    forum_cost: float = param(
        0.01, 0, 0.2, "log welfare", "One-off welfare cost of founding an inclusive forum.", SPEC
    )
    exit_intent_threshold: float = param(
        0.6, 0, 1, "believed intent",
        "Believed hostile intent above which a hedger leaves that power's institutions (if an alternative exists).",
        "theory.md §2.7.2 (rho_exit)",
    )
    exit_cost_limit: float = param(
        0.5, 0, 1, "exit cost", "Balancing: S leaves the threat's institutions whose exit cost is below this.",
        "theory.md §2.7.2 (tau_exit)",
    )
    exit_welfare_cost: float = param(
        0.05, 0, 1, "log welfare per exit-cost unit", "Welfare lost when S leaves an institution, per unit of its exit cost.",
        SPEC,
    )
    alternative_investment: float = param(
        0.02, 0, 0.2, "substitute capacity per quarter",
        "Hedging: investment in substitutes (new routes, other suppliers) while one power's share exceeds the cap.",
        "Kuik 2008 (dominance denial); theory.md §2.7.2",
    )
    alternative_cost: float = param(
        0.2, 0, 2, "log welfare per unit", "Welfare cost of each unit invested in substitutes (c_alt).", SPEC
    )
    realignment_margin: float = param(
        0.5, 0, 5, "share of threat or opportunity",
        "Alignment inertia: a balancer or bandwagoner switches its adversary or patron only when another power "
        "exceeds the current one by this margin (reputation and sunk costs of realignment).",
        "Snyder 1984; Walt 1987",
    )
    demand_step: float = param(
        0.1, 0, 0.5, "engagement",
        "How far complying with a demand moves engagement toward the demanding power (and away from its rivals).",
        SPEC,
    )
    initial_deference: float = param(
        0.5, 0, 1, "share", "Starting value of policy deference and of dropped moves, for every power.", SPEC
    )
    deference_memory: float = param(
        0.125, 0.01, 1, "weight per demand",
        "Weight of the newest demand in the running shares of demands met and moves dropped "
        "(1/8: about the last 8 demands, as theory.md's 8-quarter window).",
        "theory.md §2.7.6",
    )


class PerceptionParams(_Strict):
    """How S perceives threat, leverage, opportunity and intent (theory.md §2.7.1)."""

    capability_exponent: float = param(
        0.5, 0, 3, "dimensionless", "Exponent alpha of relative capability in threat.", "Walt 1987; theory.md eq. 1"
    )
    intent_floor: float = param(
        0.1, 0, 1, "believed intent", "epsilon_0: threat a capable neighbour poses even when believed benign.",
        "theory.md eq. 1",
    )
    leverage_gain: float = param(
        0.5, 0, 3, "dimensionless", "gamma_L: how much a power's leverage over S raises its threat.",
        "theory.md eq. 1",
    )
    action_weight: float = param(
        1.0, 0, 5, "pseudo-observations", "Weight w_act of one observed action in the Beta belief about intent.",
        "theory.md eq. 4",
    )
    forgetting: float = param(
        0.05, 0, 1, "share per quarter", "Rate f at which beliefs about intent decay back to the prior.",
        "theory.md eq. 4",
    )
    misperception: float = param(
        0.02, 0, 0.3, "capability share (s.d.)", "Noise in S's perception of relative capability.",
        "Cusack & Stoll 1990",
    )
    prior_hostile: float = param(2.0, 0.1, 50, "pseudo-observations", "Beta prior a on hostile intent.", "theory.md §2.5")
    prior_benign: float = param(8.0, 0.1, 50, "pseudo-observations", "Beta prior b on benign intent.", "theory.md §2.5")
    volatility_window: int = param(
        8, 1, 40, "quarters", "Window over which capability shifts add to uncertainty u.", "theory.md eq. 4"
    )


class EconomyParams(_Strict):
    """Welfare, dependence and capacity dynamics (theory.md §2.7.3)."""

    base_growth: float = param(0.002, -0.05, 0.05, "log welfare per quarter", "Trend growth g0 of welfare.", "theory.md eq. 10")
    trade_gain: float = param(
        0.005, 0, 0.2, "log welfare per unit", "eta: welfare from engagement times opportunity in the economy.",
        "Schweller 1994; theory.md eq. 10",
    )
    inducement_gain: float = param(
        0.05, 0, 2, "log welfare per unit", "Welfare from inducements received (investment, credit, aid).",
        "Cooley 2012; theory.md eq. 13",
    )
    pressure_loss: float = param(
        0.05, 0, 0.5, "log welfare per unit", "Welfare lost per unit of economic pressure times leverage.",
        "theory.md eq. 10",
    )
    coercion_loss: float = param(
        0.05, 0, 0.5, "log welfare", "Welfare lost in a quarter of military or territorial coercion.", SPEC
    )
    sanction_spillover: float = param(
        0.02, 0, 0.2, "log welfare per unit",
        "Welfare lost per unit of (sanctions on a power) times (S's economic engagement with it).",
        "theory.md §3 (2014, 2022 sanctions)",
    )
    secondary_sanction_cost: float = param(
        0.02, 0, 0.2, "log welfare", "Welfare lost when S complies with a high-cost war-time demand (secondary sanctions).",
        "Snyder 1984 (entrapment); theory.md §2.7.5",
    )
    capacity_cost: float = param(
        0.1, 0, 2, "log welfare per unit", "c_K: output given up per unit invested in own capacity.", "theory.md eq. 10"
    )
    dependence_rate_security: float = param(
        0.05, 0, 1, "share per quarter", "delta: speed at which security dependence follows engagement.", "theory.md eq. 9"
    )
    dependence_rate_economy: float = param(
        0.05, 0, 1, "share per quarter", "delta_ECO: speed at which trade dependence follows engagement.", "theory.md eq. 9"
    )
    dependence_rate_institutions: float = param(
        0.10, 0, 1, "share per quarter", "delta: speed at which institutional dependence follows engagement.", "theory.md eq. 9"
    )
    route_rate: float = param(
        0.01, 0, 1, "share per quarter", "delta_ROUTE: speed at which export-route shares follow infrastructure.",
        "theory.md eq. 9",
    )
    rest_of_world: float = param(
        0.15, 0, 2, "engagement x opportunity",
        "Weight of partners outside the model in each domain, so that dependence on the modelled powers sums below 1.",
        SPEC,
    )


class ReactionParams(_Strict):
    """Great-power satisfaction, rewards, pressure, coercion, demands (theory.md §2.7.4)."""

    loyalty_weight: float = param(1.0, 0, 5, "dimensionless", "alpha_1: weight of satisfaction in rewards.", "theory.md eq. 13")
    bidding_weight: float = param(
        1.0, 0, 5, "dimensionless", "alpha_2: weight of rivals' engagement with S in rewards (competitive bidding).",
        "Cooley 2012; Simon & Figiaconi 2024; theory.md eq. 13",
    )
    pressure_cost: float = param(
        0.05, 0, 1, "satisfaction units", "c_0: base cost to a power of pressuring S.", "theory.md eq. 14"
    )
    enmeshment_cost: float = param(
        2.0, 0, 10, "dimensionless", "eta_M: how much S's enmeshment of a power raises that power's cost of pressure.",
        "Goh 2007/08; theory.md eq. 14",
    )
    stake_cost: float = param(
        2.0, 0, 10, "dimensionless", "xi: how much rivals' stakes in S raise a power's cost of pressure.",
        "Goh 2007/08 (complex balancing); theory.md eq. 14",
    )
    reputation_cost: float = param(
        0.1, 0, 2, "per episode", "Extra cost of pressure per pressure episode by the same power in the last 8 quarters.",
        "theory.md eq. 14 (rep)",
    )
    pressure_intensity: float = param(
        0.5, 0, 2, "pressure per satisfaction unit", "pi: intensity of pressure per unit of dissatisfaction.", "theory.md eq. 14"
    )
    rivalry_threshold: float = param(
        0.3, 0, 1, "rivalry", "r_0: rivalry above which a power resents S's engagement with that rival.", "theory.md eq. 12"
    )
    exclusivity_gain: float = param(
        0.3, 0, 2, "exclusivity per rivalry", "chi_1: how much rivalry raises exclusivity demands.", "theory.md §2.2"
    )
    signal_decay: float = param(0.3, 0, 1, "share per quarter", "Rate at which signals (sig) fade from satisfaction.", SPEC)
    signal_comply: float = param(0.05, 0, 1, "satisfaction", "Signal a power receives when S meets its demand.", SPEC)
    signal_refuse: float = param(0.1, 0, 1, "satisfaction", "Signal lost when S refuses a power's demand.", SPEC)
    demand_probability: float = param(
        0.15, 0, 1, "probability per quarter", "Chance a dissatisfied power (satisfaction below tolerance) issues a demand.", SPEC
    )
    war_demand_probability: float = param(
        0.5, 0, 1, "probability per quarter", "Chance a power at war demands support from S.", "Snyder 1984; theory.md §2.7.5"
    )
    high_cost_share: float = param(
        0.5, 0, 1, "probability", "Share of war-time demands that are high-cost (recognition, troops, sanctions evasion).",
        "theory.md §2.7.2",
    )
    coercion_intercept: float = param(-7.0, -20, 5, "log-odds", "a_0 of the coercion logistic.", "theory.md eq. 15")
    coercion_intent: float = param(4.0, 0, 20, "log-odds per unit", "a_1: weight of true hostile intent.", "theory.md eq. 15")
    coercion_dissatisfaction: float = param(3.0, 0, 20, "log-odds per unit", "a_2: weight of dissatisfaction below theta-.", "theory.md eq. 15")
    coercion_enmeshment: float = param(2.0, 0, 20, "log-odds per unit", "a_3: weight of enmeshment (restrains).", "Goh 2007/08; theory.md eq. 15")
    coercion_stakes: float = param(2.0, 0, 20, "log-odds per unit", "a_4: weight of rivals' stakes (restrains).", "theory.md eq. 15")
    coercion_capacity: float = param(2.0, 0, 20, "log-odds per unit", "a_5: weight of S's own capacity (deters).", "theory.md eq. 15")
    coercion_war: float = param(1.0, 0, 20, "log-odds per unit", "a_6: weight of the power's own war elsewhere (overstretch).", "theory.md eq. 15")
    rivalry_feedback: float = param(
        0.1, 0, 2, "rivalry per engagement shift", "epsilon_R: how S's security shifts feed great-power rivalry.",
        "Snyder 1984; theory.md eq. 16",
    )
    rivalry_reversion: float = param(
        0.05, 0, 1, "share per quarter", "Rate at which rivalry returns to its baseline (set by events).", SPEC
    )
    war_reliability_loss: float = param(
        0.5, 0, 1, "share", "omega_W: share of reliability a power at war loses (overstretch).", "theory.md eq. 17"
    )
    activism_value: float = param(
        0.5, 0, 3, "dimensionless", "How much enmeshment raises a power's valuation v of S (institutional activism).",
        "Vanderhill et al. 2020 (role in IOs); theory.md C12",
    )


class CrisisParams(_Strict):
    """Crises, abandonment and entrapment (Snyder 1984; theory.md §2.7.5)."""

    probability: float = param(0.01, 0, 0.5, "probability per quarter", "Chance of a random crisis (unrest or external threat).", SPEC)
    severity_low: float = param(0.2, 0, 1, "severity", "Lowest severity of a random crisis.", SPEC)
    severity_high: float = param(0.8, 0, 1, "severity", "Highest severity of a random crisis.", SPEC)
    support_dependence: float = param(
        0.1, 0, 1, "share per severity", "zeta: security dependence added when a power helps (price of support).",
        "theory.md §2.7.5",
    )
    support_tolerance: float = param(
        0.1, 0, 1, "tolerance per severity", "How much a helper's tolerance (expected alignment) rises after helping.",
        "theory.md §2.7.5",
    )
    abandonment_shock: float = param(
        0.3, 0, 1, "security per severity", "Security lost when a requested ally fails to help.", "Snyder 1984"
    )
    coercion_shock: float = param(0.3, 0, 1, "security", "Security lost in a quarter of coercion.", SPEC)
    shock_decay: float = param(0.5, 0, 1, "share per quarter", "Rate at which security shocks fade.", SPEC)


class AdaptiveParams(_Strict):
    """The adaptive secondary: chooses a rule each period by experience (theory.md §2.4; Roth & Erev 1995)."""

    period: int = param(4, 1, 40, "quarters", "How often the adaptive secondary reconsiders its rule.", "theory.md §2.4 (each year)")
    temperature: float = param(0.1, 0.001, 10, "utility units", "Softmax temperature of the rule choice.", "Camerer & Ho 1999 (EWA)")
    recency: float = param(0.3, 0, 1, "weight", "Weight of the newest period's utility in a rule's attraction.", "Roth & Erev 1995")
    weight_security: float = param(1.0, 0, 5, "dimensionless", "omega_sec in S's utility.", "theory.md §2.4")
    weight_welfare: float = param(1.0, 0, 5, "dimensionless", "omega_eco in S's utility (per 1% quarterly growth).", "theory.md §2.4")
    weight_autonomy: float = param(1.0, 0, 5, "dimensionless", "omega_aut in S's utility.", "theory.md §2.4")
    engagement_cost: float = param(0.05, 0, 1, "utility per engagement unit", "Cost of total engagement in S's utility.", "theory.md §2.4")


class MeasureParams(_Strict):
    """Constants of the outcome measures (theory.md §2.7.6)."""

    client_threshold: float = param(0.75, 0, 1, "client index", "Client index at or above which S is a client of that power.", "Lake 2009; theory.md §2.7.6")
    client_quarters: int = param(8, 1, 40, "quarters", "Consecutive quarters above the threshold that make client status.", "theory.md §2.7.6")
    exit_option_threshold: float = param(
        0.1, 0, 1, "engagement", "Engagement at which a partner counts as an exit option for autonomy.", "theory.md §2.7.6"
    )
    deterrence_capacity: float = param(2.0, 0, 10, "dimensionless", "k_1: deterrence from own capacity.", "theory.md §2.7.6")
    deterrence_enmeshment: float = param(1.0, 0, 10, "dimensionless", "k_2: deterrence from enmeshment.", "Goh 2007/08")
    deterrence_stakes: float = param(1.0, 0, 10, "dimensionless", "k_3: deterrence from rivals' stakes.", "Goh 2007/08")
    deterrence_engagement: float = param(1.0, 0, 10, "dimensionless", "k_4: reassurance from security engagement with the power itself.", "theory.md §2.7.6")


class RivalryParams(_Strict):
    """Great-power rivalry (theory.md §2.2, eq. 16)."""

    initial: float = param(0.2, 0, 1, "rivalry", "Starting rivalry between every pair of powers not listed in pairs.", "theory.md §2.2")
    scale: float = param(
        1.0, 0, 3, "multiplier", "Multiplier on all rivalry (for sweeps over rivalry intensity); results are clipped to [0, 1].",
        "theory.md E6",
    )
    pairs: dict[str, float] = Field(
        default_factory=dict,
        description="Starting rivalry of named pairs, keys like 'RUS-WEST'.",
        json_schema_extra={"unit": "rivalry", "source": "scenario file"},
    )


class PowerParams(_Strict):
    """One great power g (theory.md §2.2)."""

    capability: float = param(
        0.333, 0, 1, "share of the modelled powers",
        "Relative capability P when the scenario has no capability series.", "theory.md §2.2",
    )
    reach: float = param(0.5, 0, 1, "reach", "lambda: proximity and ability to project power to S.", "Walt 1987")
    intent: float = param(0.2, 0, 1, "intent", "rho: true hostile or revisionist intent toward S's sovereignty.", "Walt 1987; theory.md §2.2")
    value: float = param(0.6, 0, 1, "value", "v: what S is worth to this power (location, resources, transit).", "theory.md §2.2")
    budget: float = param(0.02, 0, 1, "inducement units per quarter", "B: budget for inducements to S.", "theory.md §2.2")
    reliability: float = param(0.5, 0, 1, "probability", "rel_0: reliability of support commitments.", "theory.md eq. 17")
    tolerance: float = param(0.1, -1, 1, "satisfaction", "tol: alignment this power expects before it makes demands.", "theory.md §2.2")
    reward_threshold: float = param(0.2, -1, 1, "satisfaction", "theta+: satisfaction at or above which this power rewards S.", "theory.md §2.2")
    pressure_threshold: float = param(
        -0.1, -1, 1, "satisfaction", "theta-: satisfaction below which this power considers pressure.", "theory.md §2.2"
    )
    war: float = param(0.0, 0, 1, "intensity", "War: intensity of this power's war with a third party.", "theory.md §2.2")
    sanctions: float = param(0.0, 0, 1, "intensity", "Sanctions others impose on this power, which spill over to S's trade with it.", "theory.md §3")
    salience_security: float = param(0.33, 0, 1, "weight", "w[g, security]: how much this power cares about S's security alignment.", "theory.md §2.2")
    salience_economy: float = param(0.33, 0, 1, "weight", "w[g, economy].", "theory.md §2.2")
    salience_institutions: float = param(0.34, 0, 1, "weight", "w[g, institutions].", "theory.md §2.2")
    exclusivity_security: float = param(0.2, 0, 1, "exclusivity", "chi_0[g, security]: base demand that S not align with rivals in security.", "theory.md §2.2")
    exclusivity_economy: float = param(0.1, 0, 1, "exclusivity", "chi_0[g, economy].", "theory.md §2.2")
    exclusivity_institutions: float = param(0.1, 0, 1, "exclusivity", "chi_0[g, institutions].", "theory.md §2.2")
    opportunity_security: float = param(0.5, 0, 5, "opportunity per capability", "Omega_0[g, security]: complementarity in security.", "Schweller 1994; theory.md eq. 3")
    opportunity_economy: float = param(1.0, 0, 5, "opportunity per capability", "Omega_0[g, economy].", "Schweller 1994; theory.md eq. 3")
    opportunity_institutions: float = param(0.5, 0, 5, "opportunity per capability", "Omega_0[g, institutions].", "Schweller 1994; theory.md eq. 3")
    economic_cap: float = param(1.0, 0, 1, "engagement", "psi: domestic-opinion cap on economic engagement with this power.", "theory.md eq. 8")
    initial_engagement_security: float = param(0.1, 0, 1, "engagement", "e[g, security] at the start.", "theory.md §2.5")
    initial_engagement_economy: float = param(0.1, 0, 1, "engagement", "e[g, economy] at the start.", "theory.md §2.5")
    initial_engagement_institutions: float = param(0.1, 0, 1, "engagement", "e[g, institutions] at the start.", "theory.md §2.5")
    initial_dependence_security: float = param(0.1, 0, 1, "share", "D[g, security] at the start.", "theory.md §2.5")
    initial_dependence_economy: float = param(0.1, 0, 1, "share", "D[g, economy] at the start.", "theory.md §2.5")
    initial_dependence_institutions: float = param(0.1, 0, 1, "share", "D[g, institutions] at the start.", "theory.md §2.5")
    route_infrastructure: float = param(
        0.0, 0, 5, "route capacity", "Export-route capacity through this power's territory at the start (pipelines, rail).",
        "theory.md §2.5 (ROUTE)",
    )


class Parameters(_Strict):
    """All parameters of one run. ``powers`` is keyed by the scenario's power ids."""

    secondary: SecondaryParams = Field(default_factory=SecondaryParams)
    perception: PerceptionParams = Field(default_factory=PerceptionParams)
    economy: EconomyParams = Field(default_factory=EconomyParams)
    reactions: ReactionParams = Field(default_factory=ReactionParams)
    crisis: CrisisParams = Field(default_factory=CrisisParams)
    adaptive: AdaptiveParams = Field(default_factory=AdaptiveParams)
    measures: MeasureParams = Field(default_factory=MeasureParams)
    rivalry: RivalryParams = Field(default_factory=RivalryParams)
    powers: dict[str, PowerParams] = Field(default_factory=dict)


@dataclass(frozen=True)
class ParamInfo:
    """One row of the parameter table."""

    path: str
    type: str
    default: Any
    min: float | None
    max: float | None
    unit: str
    description: str
    source: str
    group: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path, "type": self.type, "default": self.default, "min": self.min,
            "max": self.max, "unit": self.unit, "description": self.description, "source": self.source,
        }


def _bounds(field) -> tuple[float | None, float | None]:
    low = high = None
    for item in field.metadata:
        low = getattr(item, "ge", low)
        high = getattr(item, "le", high)
    return low, high


def _type_name(annotation: Any) -> str:
    return {float: "float", int: "int", bool: "bool", str: "str"}.get(annotation, str(annotation))


def _walk(obj: BaseModel, prefix: str, group: str) -> list[ParamInfo]:
    rows: list[ParamInfo] = []
    for name, field in type(obj).model_fields.items():
        value = getattr(obj, name)
        path = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            rows.extend(_walk(value, f"{path}.", group or name))
        elif isinstance(value, dict) and name == "powers":
            for power_id, power in value.items():
                rows.extend(_walk(power, f"{path}.{power_id}.", "powers"))
        elif isinstance(value, dict):
            extra = field.json_schema_extra or {}
            for key, item in value.items():
                rows.append(ParamInfo(f"{path}.{key}", "float", item, 0.0, 1.0, extra.get("unit", ""),
                                      f"{field.description} ({key})", extra.get("source", ""), group or name))
        else:
            extra = field.json_schema_extra or {}
            low, high = _bounds(field)
            rows.append(ParamInfo(path, _type_name(field.annotation), value, low, high, extra.get("unit", ""),
                                  field.description or "", extra.get("source", ""), group or name))
    return rows


def parameter_rows(parameters: Parameters) -> list[ParamInfo]:
    """Every leaf parameter of ``parameters`` with its documentation, in declaration order."""
    return _walk(parameters, "", "")


def _coerce(info: ParamInfo, value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        try:
            if info.type == "bool":
                if text.lower() not in ("true", "false", "1", "0"):
                    raise ValueError
                return text.lower() in ("true", "1")
            value = float(text) if info.type == "float" else int(text) if info.type == "int" else text
        except ValueError:
            raise ParameterError(f"parameter '{info.path}': expected a {info.type}, got {value!r}") from None
    if isinstance(value, bool) and info.type in ("float", "int"):
        raise ParameterError(f"parameter '{info.path}': expected a {info.type}, got {value!r}")
    if info.type == "float":
        if not isinstance(value, (int, float)) or not math.isfinite(float(value)):
            raise ParameterError(f"parameter '{info.path}': expected a finite number, got {value!r}")
        value = float(value)
    elif info.type == "int":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int):
            raise ParameterError(f"parameter '{info.path}': expected an integer, got {value!r}")
    if info.min is not None and value < info.min:
        raise ParameterError(f"parameter '{info.path}': {value} is below its minimum {info.min}")
    if info.max is not None and value > info.max:
        raise ParameterError(f"parameter '{info.path}': {value} is above its maximum {info.max}")
    return value


def locate(parameters: Parameters, path: str) -> tuple[Any, str, ParamInfo]:
    """The object holding the parameter at ``path``, the field name, and its documentation.

    Raises ParameterError naming the path when it does not exist.
    """
    unknown = ParameterError(f"unknown parameter '{path}' (see `multivector params`)")
    node: Any = parameters
    parts = path.split(".")
    group = parts[0]
    for i, part in enumerate(parts[:-1]):
        if isinstance(node, dict):
            if part not in node:
                raise unknown
            node = node[part]
        elif isinstance(node, BaseModel) and part in type(node).model_fields:
            child = getattr(node, part)
            if isinstance(child, dict) and part == "pairs" and i == len(parts) - 2:
                field = type(node).model_fields[part]
                extra = field.json_schema_extra or {}
                leaf = parts[-1]
                if leaf not in child:
                    raise unknown
                return child, leaf, ParamInfo(path, "float", child[leaf], 0.0, 1.0, extra.get("unit", ""),
                                              field.description or "", extra.get("source", ""), group)
            node = child
        else:
            raise unknown
    leaf = parts[-1]
    if not isinstance(node, BaseModel) or leaf not in type(node).model_fields:
        raise unknown
    field = type(node).model_fields[leaf]
    value = getattr(node, leaf)
    if isinstance(value, (BaseModel, dict)):
        raise unknown
    extra = field.json_schema_extra or {}
    low, high = _bounds(field)
    return node, leaf, ParamInfo(path, _type_name(field.annotation), value, low, high, extra.get("unit", ""),
                                 field.description or "", extra.get("source", ""), group)


def check_overrides(parameters: Parameters, overrides: dict[str, Any]) -> dict[str, Any]:
    """Validate ``{path: value}`` against ``parameters``' schema; return the values coerced to type.

    Raises ParameterError naming the path for unknown paths and bad or out-of-range values.
    """
    checked: dict[str, Any] = {}
    for path, value in overrides.items():
        if not isinstance(path, str):
            raise ParameterError(f"parameter path must be text, got {path!r}")
        _, _, info = locate(parameters, path)
        checked[path] = _coerce(info, value)
    return checked


def set_clipped(parameters: Parameters, path: str, change: Callable[[Any], Any]) -> None:
    """Replace a parameter in place by ``change(current value)``, clipped to its documented range
    (for scenario events, which are data checked when the scenario loads, not user input)."""
    owner, leaf, info = locate(parameters, path)
    value = change(info.default)
    if info.type in ("float", "int"):
        low = -math.inf if info.min is None else info.min
        high = math.inf if info.max is None else info.max
        value = min(max(value, low), high)
        value = int(round(value)) if info.type == "int" else float(value)
    if isinstance(owner, dict):
        owner[leaf] = value
    else:
        setattr(owner, leaf, value)


def with_overrides(parameters: Parameters, overrides: dict[str, Any]) -> Parameters:
    """A validated copy of ``parameters`` with ``overrides`` applied."""
    checked = check_overrides(parameters, overrides)
    data = parameters.model_dump()
    for path, value in checked.items():
        node = data
        *parents, leaf = path.split(".")
        for part in parents:
            node = node[part]
        node[leaf] = value
    try:
        return Parameters.model_validate(data)
    except ValidationError as error:  # cross-field problems; single-field ones were caught above
        first = error.errors()[0]
        raise ParameterError(f"parameter '{'.'.join(map(str, first['loc']))}': {first['msg']}") from None
