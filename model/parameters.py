"""Every parameter of the model: one typed, validated, documented object.

The same object feeds the command line (``--set path=value``), experiment files, the browser
controls and the generated parameter table. Nested fields are addressed by dotted path, for
example ``powers.<id>.reach`` or ``reactions.pressure_cost``. Each field carries its range, unit,
meaning and source. Equations are cited by their number in the ODD description
(``model/ODD.md`` §7); "placeholder" marks a value that is a modelling choice awaiting
calibration, not an estimate.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from multivector.model.errors import ParameterError
from multivector.model.scalars import plain

PLACEHOLDER = "placeholder"


def param(default: Any, low: float | None, high: float | None, unit: str, meaning: str, source: str):
    """A documented numeric field: default, inclusive range, unit, meaning and source."""
    return Field(default, ge=low, le=high, description=meaning, json_schema_extra={"unit": unit, "source": source})


def switch(default: bool, meaning: str, source: str):
    """A documented on/off field."""
    return Field(default, description=meaning, json_schema_extra={"unit": "on/off", "source": source})


def choice(default: str, meaning: str, source: str, kind: str):
    """A documented text field whose values are checked: ``kind`` is "power" (a power id or
    empty), "rule" (a rule name or empty), "rules" (rule names separated by commas) or "quarter"
    (like 2013Q3, or empty). Rule names are those of the registry, ``model.rules.RULES``."""
    return Field(default, description=meaning, json_schema_extra={"unit": kind, "source": source, "choice": kind})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class SecondaryParams(_Strict):
    """The secondary power S (the case's): its leader, its capacity and the constants of the
    balancing and bandwagoning rules."""

    risk_aversion: float = param(
        1.0, 0, 5, "dimensionless",
        "Leader risk aversion phi: weight of risk (threat plus uncertainty, times dependence) against "
        "opportunity when hedging spreads engagement.",
        "Kuik 2008 (risk-contingency); ODD eq. H1; placeholder",
    )
    prudence: float = param(
        0.5, 0, 1, "share",
        "Leader prudence: the share of a power's anticipated dissatisfaction a hedger closes before it "
        "turns into pressure, and, under every rule, the weight of the anticipated cost of refusing a demand "
        "(prudence x the power's leverage x (1 + its threat)) in the shared compliance part.",
        "Korolev 2025; Kuik 2021; ODD eqs. H3, C1; placeholder (calibrated in the default scenario)",
    )
    adjust_security: float = param(
        0.10, 0, 1, "share per quarter",
        "Partial-adjustment rate kappa of security engagement toward its target (security ties are sticky).",
        "ODD eq. 7; placeholder",
    )
    adjust_economy: float = param(
        0.25, 0, 1, "share per quarter", "Partial-adjustment rate kappa of economic engagement.", "ODD eq. 7; placeholder"
    )
    adjust_institutions: float = param(
        0.50, 0, 1, "share per quarter", "Partial-adjustment rate kappa of institutional engagement.",
        "ODD eq. 7; placeholder",
    )
    engagement_noise: float = param(
        0.01, 0, 0.2, "engagement units (s.d.)",
        "Standard deviation of implementation noise added to each planned engagement.", "ODD eq. 7; placeholder",
    )
    domain_capacity: float = param(
        1.4, 0.5, 3, "engagement units per domain",
        "Diplomatic and administrative capacity: the most total engagement S can sustain in one domain.",
        "ODD §7.2; placeholder",
    )
    balancing_floor: float = param(
        0.02, 0, 0.5, "engagement", "Balancing: engagement kept with the power balanced against.", "Walt 1987; placeholder"
    )
    balancing_step: float = param(
        0.2, 0, 1, "engagement per quarter",
        "Balancing: how far economic engagement moves away from the threat and toward the counterweight.",
        "Walt 1987; placeholder",
    )
    capacity_depreciation: float = param(
        0.02, 0, 0.2, "share per quarter", "Depreciation delta_K of own capacity K.", "ODD eq. 11; placeholder"
    )
    initial_capacity: float = param(
        0.1, 0, 1, "relative capacity", "Own military and state capacity K at the start.", "ODD §5; placeholder"
    )
    activism: float = param(
        0.3, 0, 1, "activity level",
        "Baseline institutional activism x (chairing, hosting, proposals) in every institution S belongs to.",
        "Goh 2005; placeholder",
    )
    exit_cost_limit: float = param(
        0.5, 0, 1, "exit cost", "Balancing: S leaves the threat's institutions whose exit cost is below this.",
        "Walt 1987; placeholder",
    )
    exit_welfare_cost: float = param(
        0.05, 0, 1, "log welfare per exit-cost unit", "Welfare lost when S leaves an institution, per unit of its exit cost.",
        PLACEHOLDER,
    )
    alternative_cost: float = param(
        0.1, 0, 2, "log welfare per unit", "Welfare cost of each unit invested in substitutes (new routes, suppliers).",
        PLACEHOLDER,
    )
    realignment_margin: float = param(
        0.5, 0, 5, "share of threat or opportunity",
        "Alignment inertia: a balancer or bandwagoner switches its adversary or patron only when another power "
        "exceeds the current one by this margin (reputation and sunk costs of realignment).",
        "Snyder 1984; Walt 1987; placeholder",
    )
    patron: str = choice(
        "", "Bandwagoning: the patron, a power id; empty = chosen each quarter by threat (security variant) or "
        "opportunity (profit variant). Counterfactuals E1 and E3 fix it; a case's historical periods may name it.",
        "seeds/experiments.md E1, E3", "power",
    )
    adversary: str = choice(
        "", "Balancing: the power balanced against, a power id; empty = the most threatening power. "
        "Counterfactual E2 fixes it; a case's historical periods may name it.", "seeds/experiments.md E2", "power",
    )
    can_found_forums: bool = switch(
        True, "Whether S may found new inclusive forums (off in the no-institutions counterfactual).",
        "Goh 2005; seeds/experiments.md E4",
    )
    forum_cost: float = param(
        0.01, 0, 0.2, "log welfare", "One-off welfare cost of founding an inclusive forum.", PLACEHOLDER
    )


class BalanceParams(_Strict):
    """The balancing rules' own constants (``balance`` and ``balance-fallback``; Walt 1987; Waltz 1979).
    The shared demand-compliance and capacity-investment parts (:mod:`model.rules.parts`) read the
    threshold and the rate; the adversary floor, step and exit limit are under ``secondary``."""

    compliance_threshold: float = param(
        0.0, -2, 2, "cost units (one high-cost demand = 1)",
        "Balancing: S meets a demand when its net cost (sovereignty cost, plus 1 if it comes from the power "
        "balanced against, minus the anticipated cost of refusing) is below this.",
        "Walt 1987 (no concessions to the threat); ODD eq. C1; placeholder",
    )
    investment: float = param(
        0.04, 0, 0.2, "capacity per quarter",
        "Balancing: investment in own military and state capacity each quarter (internal balancing).",
        "Waltz 1979; Walt 1987; ODD eq. 11; placeholder (the former base 0.01 plus balancing 0.03)",
    )
    fallback_floor: float = param(
        0.12, 0, 0.5, "engagement",
        "balance-fallback only: engagement kept with every power in every domain, the power balanced against "
        "included (no burned bridges), and no exit from its institutions.",
        "Kuik 2021 (fallback position); Walt 1987; placeholder (hedge.fallback_floor's default)",
    )


class BandwagonParams(_Strict):
    """The bandwagoning rules' own constants (``bandwagon``, ``bandwagon-profit``,
    ``bandwagon-selective``; Walt 1987; Schweller 1994). The shared demand-compliance and
    capacity-investment parts (:mod:`model.rules.parts`) read the threshold, the loyalty and the rate."""

    compliance_threshold: float = param(
        0.0, -2, 2, "cost units (one high-cost demand = 1)",
        "Bandwagoning: S meets a demand when its net cost (sovereignty cost, plus 1 for another power's "
        "alignment demand, minus the loyalty owed to the patron's demands, minus the anticipated cost of "
        "refusing) is below this.", "Walt 1987; Schweller 1994; ODD eq. C1; placeholder",
    )
    investment: float = param(
        0.01, 0, 0.2, "capacity per quarter",
        "Bandwagoning: investment in own military and state capacity each quarter (formerly 0: pure free-riding).",
        "Schweller 1994; ODD eq. 11; placeholder (the rate every other rule had)",
    )
    loyalty: float = param(
        1.0, 0, 2, "cost units",
        "bandwagon and bandwagon-profit: how much of a demand's cost S forgives because the patron asks "
        "(1 = every patron demand is met, high-cost ones included).",
        "Walt 1987; Schweller 1994; ODD eq. C1; placeholder",
    )
    selective_loyalty: float = param(
        0.0, 0, 2, "cost units",
        "bandwagon-selective: the loyalty owed to the patron's demands; at 0 the patron's high-cost demands "
        "(recognition, troops, sanctions evasion) are weighed like anyone's: met only when refusing looks at "
        "least as costly (a treaty ally refusing to recognise its patron's annexations; ODD §7.2b). Its cheap "
        "demands are met.",
        "Walt 1987; Kuik 2021; ODD eq. C1; placeholder",
    )


class HedgeParams(_Strict):
    """The hedging (multivector) rule: Kuik's components, each of which can be switched off by name
    (ablation), and their constants (Kuik 2008, 2016, 2021; Goh 2005, 2007/08)."""

    economic_pragmatism: bool = switch(
        True, "Spread each domain's engagement over partners by opportunity (off: an equal split).",
        "Kuik 2008 (return-maximising)",
    )
    risk_contingency: bool = switch(
        True, "Discount partners by threat and uncertainty times dependence (off: opportunity alone).",
        "Kuik 2008 (risk-contingency)",
    )
    fallback: bool = switch(
        True, "Keep a floor of engagement with every power in every domain (no burned bridges).", "Kuik 2021",
    )
    limited_bandwagoning: bool = switch(
        True, "Anticipate each power's dissatisfaction and accommodate it in the domain it cares most about, "
        "weighted by prudence (one-step lookahead).", "Kuik 2008 (limited bandwagoning); Korolev 2025",
    )
    indirect_balancing: bool = switch(
        True, "Keep security ties with the distant power and the most capable power other than the top threat.",
        "Kuik 2008; Goh 2007/08 (complex balancing)",
    )
    dominance_denial: bool = switch(
        True, "Cut engagement with a power whose current share of a domain's flows exceeds the cap, and invest "
        "in substitute routes after economic pressure.", "Kuik 2008 (dominance denial)",
    )
    binding_engagement: bool = switch(
        True, "Put activism into institutions that bind many powers with a voice for S, and found an inclusive "
        "forum when some power is barely enmeshed (off: baseline activism, no forum).",
        "Kuik 2008 (binding engagement); Goh 2005 (omni-enmeshment)",
    )
    compliance_threshold: float = param(
        0.0, -2, 2, "cost units (one high-cost demand = 1)",
        "Hedging: S meets a demand when its net cost (sovereignty cost, plus 1 if meeting it would push the "
        "power past the dominance cap, minus the anticipated cost of refusing) is below this.",
        "Kuik 2021 (abstain rather than condemn); ODD eqs. C1, H4; placeholder",
    )
    investment: float = param(
        0.01, 0, 0.2, "capacity per quarter", "Hedging: investment in own military and state capacity each quarter.",
        "Kuik 2008 (indirect balancing); ODD eq. 11; placeholder",
    )
    fallback_floor: float = param(
        0.12, 0, 0.5, "engagement", "Minimum engagement kept with every power in every domain.", "Kuik 2021; placeholder",
    )
    dominance_cap_security: float = param(
        0.8, 0.2, 1, "share of flows",
        "The largest share of security flows (arms, exercises) S lets any one power hold.", "Kuik 2008; placeholder",
    )
    dominance_cap_economy: float = param(
        0.5, 0.2, 1, "share of flows", "The largest share of trade S lets any one power hold.", "Kuik 2008; placeholder",
    )
    dominance_cap_institutions: float = param(
        0.6, 0.2, 1, "share of flows", "The largest share of institutional ties S lets any one power hold.",
        "Kuik 2008; placeholder",
    )
    dominance_transfer: float = param(
        0.5, 0, 1, "share", "Share of the engagement dominance denial takes from a dominant partner that goes to the "
        "others (in proportion to 1/threat); the rest is simply given up.", "Kuik 2008; placeholder",
    )
    softmax_temperature: float = param(
        0.15, 0.01, 2, "score units", "Temperature of the softmax that spreads engagement over partners by score.",
        "ODD eq. H1; placeholder",
    )
    indirect_balancing_floor: float = param(
        0.15, 0, 0.5, "engagement",
        "Minimum security engagement with the distant power and with the most capable power other than the top threat.",
        "Kuik 2008; Goh 2007/08; placeholder",
    )
    anticipation_leverage: float = param(
        0.3, 0.01, 1, "leverage",
        "Leverage at which a hedger fully fears a dissatisfied power's pressure; below it the accommodation "
        "shrinks in proportion (a power without leverage cannot hurt S).", "ODD eq. H3; placeholder",
    )
    accommodation_margin: float = param(
        0.05, 0, 0.5, "satisfaction", "How far above a power's pressure threshold a hedger aims to keep it.",
        "ODD eq. H3; placeholder",
    )
    activism_max: float = param(
        0.8, 0, 1, "activity level", "The most activism S puts into its busiest institution.",
        "Goh 2007/08 (binding engagement); placeholder",
    )
    enmeshment_target: float = param(
        0.25, 0, 1, "enmeshment", "If some power's enmeshment is below this, S founds an inclusive forum.",
        "Goh 2005; placeholder",
    )
    exit_intent_threshold: float = param(
        0.6, 0, 1, "believed intent",
        "Believed hostile intent above which a hedger leaves that power's institutions (if an alternative exists).",
        PLACEHOLDER,
    )
    alternative_response: float = param(
        0.05, 0, 1, "substitute capacity per unit of pressure",
        "Investment in substitutes (new routes and suppliers) per unit of economic pressure suffered over the "
        "last window (pressure intensity times leverage): diversification follows pressure.",
        "Kuik 2008 (dominance denial); seeds/patterns.md P5; placeholder",
    )


class SwitchParams(_Strict):
    """A change of rule at a date (counterfactual E3 of seeds/experiments.md). A case's
    historical strategy, a schedule of several periods, is the strategy ``historical``."""

    date: str = choice("", "Quarter from which the rule changes, like 2013Q3; empty = never.",
                       "seeds/experiments.md E3", "quarter")
    rule: str = choice("", "The rule in force from that quarter: a registered rule (model.rules), e.g. bandwagon-profit, "
                       "under any strategy; a case's own schedule of periods is the strategy 'historical'.",
                       "seeds/experiments.md E3", "rule")


class ShockParams(_Strict):
    """Scales of the scenario's dated shocks, for the counterfactuals that vary them (seeds/experiments.md
    E7, E8). A change in a scenario file names the scale it follows with ``scaled_by``; at 1 every event
    is exactly as written."""

    intent_scale: float = param(
        1.0, 0, 3, "multiplier",
        "Multiplier on the increments of great-power intent the scenario's shocks add (those marked scaled_by "
        "in the scenario file); 0 = no shock, 2 = twice the shock.",
        "seeds/experiments.md E8",
    )
    leader_spread: float = param(
        1.0, 0, 3, "multiplier",
        "Width of the draws of a new leader's parameters around the old ones (as written in the "
        "scenario file, e.g. [0.75, 1.33]): a draw range [lo, hi] becomes [1 - k(1 - lo), 1 + k(hi - 1)]; 0 = the same leader.",
        "seeds/experiments.md E7",
    )


class ForumParams(_Strict):
    """The inclusive forum a hedger may found (all powers members, no lead; institutions and security)."""

    binding: float = param(0.2, 0, 1, "binding strength", "Binding strength beta of a forum S founds.",
                           "Goh 2005 (omni-enmeshment); placeholder")
    voice: float = param(1.0, 0, 1, "voice", "S's voice nu in a forum it founds (1 = consensus).", "Goh 2005; placeholder")
    exit_cost: float = param(0.1, 0, 1, "exit cost", "Exit cost of a forum S founds.", PLACEHOLDER)


class PerceptionParams(_Strict):
    """How S perceives threat, leverage, opportunity and intent (ODD §7.1)."""

    capability_exponent: float = param(
        0.5, 0, 3, "dimensionless", "Exponent alpha of aggregate power in threat.", "Walt 1987; ODD eq. 1; placeholder"
    )
    offensive_exponent: float = param(
        1.0, 0, 3, "dimensionless",
        "Exponent of offensive capability (military power projectable into S's region) in threat.",
        "Walt 1987; ODD eq. 1; placeholder",
    )
    intent_floor: float = param(
        0.1, 0, 1, "believed intent", "epsilon_0: threat a capable neighbour poses even when believed benign.",
        "ODD eq. 1; placeholder",
    )
    leverage_gain: float = param(
        0.5, 0, 3, "dimensionless", "gamma_L: how much a power's leverage over S raises its threat.",
        "ODD eq. 1; placeholder",
    )
    action_weight: float = param(
        1.0, 0, 5, "pseudo-observations", "Weight w_act of one unit of pressure or coercion in the Beta belief about intent.",
        "ODD eq. 4; placeholder",
    )
    reward_evidence: float = param(
        0.25, 0, 5, "pseudo-observations", "Evidence of benign intent S takes from a quarter in which a power rewards it.",
        "ODD eq. 4; placeholder",
    )
    forgetting: float = param(
        0.05, 0, 1, "share per quarter", "Rate f at which beliefs about intent decay back to the prior.",
        "ODD eq. 4; placeholder",
    )
    misperception: float = param(
        0.02, 0, 0.3, "capability share (s.d.)", "Noise in S's perception of relative capability.",
        "Cusack & Stoll 1990; placeholder",
    )
    prior_hostile: float = param(2.0, 0.1, 50, "pseudo-observations", "Beta prior a on hostile intent.", "ODD §5; placeholder")
    prior_benign: float = param(8.0, 0.1, 50, "pseudo-observations", "Beta prior b on benign intent.", "ODD §5; placeholder")
    volatility_window: int = param(
        8, 1, 40, "quarters", "Window over which capability shifts add to uncertainty u.", "ODD eq. 4; placeholder"
    )


class EconomyParams(_Strict):
    """Welfare, dependence and capacity dynamics (ODD §7.3)."""

    base_growth: float = param(0.002, -0.05, 0.05, "log welfare per quarter", "Trend growth g0 of welfare.",
                               "ODD eq. 10; placeholder")
    trade_gain: float = param(
        0.005, 0, 0.2, "log welfare per unit", "eta: welfare from engagement times opportunity in the economy.",
        "Schweller 1994; ODD eq. 10; placeholder",
    )
    inducement_gain: float = param(
        0.05, 0, 2, "log welfare per unit", "Welfare from inducements received (investment, credit, aid).",
        "Cooley 2012; ODD eq. 10; placeholder",
    )
    pressure_loss: float = param(
        0.05, 0, 0.5, "log welfare per unit", "Welfare lost per unit of pressure intensity times leverage.",
        "ODD eq. 10; placeholder",
    )
    coercion_loss: float = param(
        0.05, 0, 0.5, "log welfare", "Welfare lost in a quarter of military or territorial coercion.", PLACEHOLDER
    )
    sanction_spillover: float = param(
        0.02, 0, 0.2, "log welfare per unit",
        "Welfare lost per unit of (sanctions on a power) times (S's economic engagement with it).",
        "ODD eq. 10; placeholder",
    )
    secondary_sanction_cost: float = param(
        0.02, 0, 0.2, "log welfare", "Welfare lost when S meets a high-cost war-time demand (secondary sanctions).",
        "Snyder 1984 (entrapment); placeholder",
    )
    capacity_cost: float = param(
        0.1, 0, 2, "log welfare per unit", "c_K: output given up per unit invested in own capacity.",
        "ODD eq. 10; placeholder"
    )
    dependence_rate_security: float = param(
        0.05, 0, 1, "share per quarter", "delta: speed at which security dependence follows engagement.",
        "ODD eq. 9; placeholder"
    )
    dependence_rate_economy: float = param(
        0.05, 0, 1, "share per quarter", "delta: speed at which trade dependence follows engagement.",
        "ODD eq. 9; placeholder"
    )
    dependence_rate_institutions: float = param(
        0.10, 0, 1, "share per quarter", "delta: speed at which institutional dependence follows engagement.",
        "ODD eq. 9; placeholder"
    )
    route_rate: float = param(
        0.01, 0, 1, "share per quarter", "Speed at which export-route shares follow infrastructure.", "ODD eq. 9; placeholder",
    )
    rest_of_world: float = param(
        0.15, 0, 2, "engagement x opportunity",
        "Weight of partners outside the model in each domain, so that dependence on the modelled powers sums below 1.",
        "ODD eq. 9; placeholder",
    )


class ReactionParams(_Strict):
    """Great-power satisfaction, rewards, pressure, coercion and demands (ODD §7.4)."""

    loyalty_weight: float = param(1.0, 0, 5, "dimensionless", "alpha_1: weight of satisfaction in rewards.",
                                  "ODD eq. 13; placeholder")
    bidding_weight: float = param(
        1.0, 0, 5, "dimensionless", "alpha_2: weight of rivals' engagement with S in rewards (competitive bidding).",
        "Cooley 2012; Simon & Figiaconi 2024; ODD eq. 13; placeholder",
    )
    pressure_cost: float = param(
        0.05, 0, 1, "satisfaction units", "c_0: base cost to a power of pressuring S.", "ODD eq. 14; placeholder"
    )
    enmeshment_cost: float = param(
        2.0, 0, 10, "dimensionless", "eta_M: how much S's enmeshment of a power raises that power's cost of pressure.",
        "Goh 2007/08; ODD eq. 14; placeholder",
    )
    stake_cost: float = param(
        2.0, 0, 10, "dimensionless", "xi: how much rivals' stakes in S raise a power's cost of pressure.",
        "Goh 2007/08 (complex balancing); ODD eq. 14; placeholder",
    )
    reputation_cost: float = param(
        0.1, 0, 2, "per episode", "Extra cost of pressure per pressure episode by the same power in the last window.",
        "ODD eq. 14; placeholder",
    )
    pressure_intensity: float = param(
        0.5, 0, 2, "pressure per satisfaction unit", "pi: intensity of pressure per unit of dissatisfaction.",
        "ODD eq. 14; placeholder"
    )
    pressure_force: float = param(
        1.0, 0, 3, "share per unit of pressure",
        "Share of S's engagement with the pressing power's rivals, in the pressed domain, that pressure of "
        "intensity 1 forces S to give up that quarter (blocked transit, halted trade).",
        "Hirschman 1945; Keohane & Nye 1977; ODD eq. 19; placeholder",
    )
    coercion_force: float = param(
        0.3, 0, 1, "share", "Share of S's security engagement with the coercer's rivals that a quarter of military "
        "coercion forces S to give up.", "ODD eq. 19; placeholder",
    )
    rivalry_threshold: float = param(
        0.3, 0, 1, "rivalry", "r_0: rivalry above which a power resents S's engagement with that rival.",
        "ODD eq. 12; placeholder"
    )
    exclusivity_gain: float = param(
        0.3, 0, 2, "exclusivity per rivalry", "chi_1: how much rivalry raises exclusivity demands.", "ODD eq. 12; placeholder"
    )
    signal_decay: float = param(0.3, 0, 1, "share per quarter", "Rate at which signals fade from satisfaction.", PLACEHOLDER)
    grievance_settled: float = param(
        0.5, 0, 1, "share per quarter of pressure",
        "Share of a power's negative signal (its grievance over refused demands and assertions) that a quarter of "
        "its own pressure on S settles: pressure answers the affront, so it ends once delivered. At 0 only "
        "signal_decay and S's response end a spell. Prior for calibration [0.2, 1.0]: the default scenario's "
        "recorded spells lasted weeks to a month (the CPC halt of July 2022 became a fine within a week; "
        "theory.md §4.1a), so one or two quarters of pressure settle most of a grievance.",
        "Axelrod 1984 (retaliate, then forgive); theory.md §4.1a; ODD §7.4; placeholder",
    )
    signal_comply: float = param(0.05, 0, 1, "satisfaction", "Signal a power receives when S meets its demand.", PLACEHOLDER)
    signal_refuse: float = param(
        0.1, 0, 1, "satisfaction",
        "Signal a body's lead loses when S leaves it, and a warring power's rivals lose when S meets its high-cost "
        "war-time demand (a refused demand is priced by refusal_price).", PLACEHOLDER,
    )
    refusal_price: float = param(
        0.3, 0, 1, "satisfaction per unit of demand cost",
        "Price of refusing a demand: the power's satisfaction falls by this times the refused demand's cost (1 for a "
        "high-cost demand, measures.low_cost_weight for a low-cost one), then fades at signal_decay. Prior for "
        "calibration [0.1, 0.6]: 0.3 is the SPIEF anchor (refusing to recognise the DPR/LPR, a high-cost demand, "
        "theory.md §3: sig_RU -0.3); below 0.1 a refusal would cost less than the old flat placeholder and refusing "
        "every demand would be free; above 0.6 a single refusal would outweigh a patron's whole security tie "
        "(salience 0.5) and every refusal would start pressure, against the record of many refusals and few "
        "spells (theory.md §4.1a).",
        "theory.md §3 (SPIEF 2022: sig_RU -0.3); Snyder 1984; ODD eq. 18; calibrated (prior [0.1, 0.6])",
    )
    demand_probability: float = param(
        0.15, 0, 1, "probability per quarter",
        "Chance a dissatisfied power (satisfaction below its tolerance) issues an alignment demand.",
        "ODD eq. 18; placeholder",
    )
    demand_exploitation: float = param(
        0.3, 0, 5, "probability per unit of intent times leverage",
        "Extra chance of an alignment demand from a power with hostile intent and leverage over S, satisfied or not: "
        "asymmetric dependence is a power resource its holder uses.",
        "Hirschman 1945; Keohane & Nye 1977; ODD eq. 18; placeholder",
    )
    demand_step: float = param(
        0.1, 0, 0.5, "engagement",
        "How far meeting a low-cost alignment demand moves engagement toward the demanding power, and the share "
        "of engagement with its rivals in that domain given up.", "ODD eq. 18; placeholder",
    )
    high_cost_multiplier: float = param(
        2.5, 1, 10, "multiple of demand_step", "How much larger the move a high-cost alignment demand asks for is.",
        "ODD eq. 18; placeholder",
    )
    war_demand_probability: float = param(
        0.5, 0, 1, "probability per quarter", "Chance a power at war demands support from S.",
        "Snyder 1984; ODD eq. 18; placeholder"
    )
    high_cost_share: float = param(
        0.5, 0, 1, "probability",
        "Share of war-time demands that are high-cost (recognition, troops, sanctions evasion).", "ODD eq. 18; placeholder",
    )
    consensus_veto: float = param(
        0.5, 0, 1, "share", "How much a consensus voice in a body shared with a warring power lowers its war-time demands "
        "(S can veto collective commitments).", "Snyder 1984; ODD §7.5; placeholder",
    )
    coercion_intercept: float = param(-7.0, -20, 5, "log-odds", "a_0 of the coercion logistic.", "ODD eq. 15; placeholder")
    coercion_intent: float = param(4.0, 0, 20, "log-odds per unit", "a_1: weight of true hostile intent.",
                                   "ODD eq. 15; placeholder")
    coercion_dissatisfaction: float = param(3.0, 0, 20, "log-odds per unit", "a_2: weight of dissatisfaction below theta-.",
                                            "ODD eq. 15; placeholder")
    coercion_enmeshment: float = param(2.0, 0, 20, "log-odds per unit", "a_3: weight of enmeshment (restrains).",
                                       "Goh 2007/08; ODD eq. 15; placeholder")
    coercion_stakes: float = param(2.0, 0, 20, "log-odds per unit", "a_4: weight of rivals' stakes (restrains).",
                                   "ODD eq. 15; placeholder")
    coercion_capacity: float = param(2.0, 0, 20, "log-odds per unit", "a_5: weight of S's own capacity (deters).",
                                     "ODD eq. 15; placeholder")
    coercion_war: float = param(1.0, 0, 20, "log-odds per unit", "a_6: weight of the power's own war elsewhere (overstretch).",
                                "ODD eq. 15; placeholder")
    rivalry_feedback: float = param(
        0.1, 0, 2, "rivalry per engagement shift", "epsilon_R: how S's security shifts feed great-power rivalry.",
        "Snyder 1984; ODD eq. 16; placeholder",
    )
    rivalry_reversion: float = param(
        0.05, 0, 1, "share per quarter", "Rate at which rivalry returns to its baseline (set by events).", PLACEHOLDER
    )
    war_reliability_loss: float = param(
        0.5, 0, 1, "share", "omega_W: share of reliability a power at war loses (overstretch).", "ODD eq. 17; placeholder"
    )
    activism_value: float = param(
        0.5, 0, 3, "dimensionless", "How much enmeshment raises a power's valuation v of S (institutional activism).",
        "Vanderhill et al. 2020 (role in IOs); seeds/claims.md C12; placeholder",
    )


class CrisisParams(_Strict):
    """Crises, abandonment and entrapment (Snyder 1984; ODD §7.5)."""

    probability: float = param(0.01, 0, 0.5, "probability per quarter", "Chance of a random crisis (unrest or external threat).",
                               PLACEHOLDER)
    severity_low: float = param(0.2, 0, 1, "severity", "Lowest severity of a random crisis.", PLACEHOLDER)
    severity_high: float = param(0.8, 0, 1, "severity", "Highest severity of a random crisis.", PLACEHOLDER)
    support_dependence: float = param(
        0.1, 0, 1, "share per severity", "zeta: security dependence added when a power helps (price of support).",
        "ODD §7.5; placeholder",
    )
    support_tolerance: float = param(
        0.1, 0, 1, "tolerance per severity", "How much a helper's tolerance (expected alignment) rises after helping.",
        "ODD §7.5; placeholder",
    )
    treaty_commitment: float = param(
        1.0, 0, 2, "help probability per unit of binding",
        "How much a binding security treaty commits its lead to help S in a crisis, beyond the lead's satisfaction "
        "with S: the chance of help is rel * min(1, (1 + Sat) / 2 + treaty_commitment * binding). At 1 a treaty "
        "of binding 0.6 lifts its lead's help to its reliability itself for any Sat above -0.2; at 0 help depends on "
        "satisfaction alone (the earlier model, under which the default scenario's treaty ally failed its January "
        "2022 request in a third of runs). Prior for calibration [0.5, 1.5]: alliance commitments are honoured in "
        "about three cases of four (Leeds, Long & Mitchell 2000), and the default scenario's treaty ally answered "
        "its request within a day (theory.md §4.1a).",
        "Snyder 1984, 1997; Morrow 2000; Leeds, Long & Mitchell 2000; ODD §7.5; placeholder",
    )
    abandonment_shock: float = param(
        0.3, 0, 1, "security per severity", "Security lost when a requested ally fails to help.", "Snyder 1984; placeholder"
    )
    coercion_shock: float = param(0.3, 0, 1, "security", "Security lost in a quarter of coercion.", PLACEHOLDER)
    shock_decay: float = param(0.5, 0, 1, "share per quarter", "Rate at which security shocks fade.", PLACEHOLDER)


class AdaptiveParams(_Strict):
    """The adaptive secondary: chooses a rule each period by experience (ODD §4; Roth & Erev 1995)."""

    period: int = param(4, 1, 40, "quarters", "How often the adaptive secondary reconsiders its rule.", "ODD §4 (each year)")
    temperature: float = param(0.1, 0.001, 10, "utility units", "Softmax temperature of the rule choice.",
                               "Camerer & Ho 1999 (EWA); placeholder")
    recency: float = param(0.3, 0, 1, "weight", "Weight of the newest period's utility in a rule's attraction.",
                           "Roth & Erev 1995; placeholder")
    menu: str = choice("balance,bandwagon,bandwagon-profit,hedge",
                       "The rules the adaptive secondary chooses among, separated by commas (taken in the order of "
                       "the rule registry). Registering a new rule leaves it out until it is named here.",
                       "ODD §4 (the four original fixed rules)", "rules")
    weight_security: float = param(1.0, 0, 5, "dimensionless", "omega_sec in S's utility.", "ODD §4; placeholder")
    weight_welfare: float = param(1.0, 0, 5, "dimensionless", "omega_eco in S's utility (per 1% quarterly growth).",
                                  "ODD §4; placeholder")
    weight_autonomy: float = param(1.0, 0, 5, "dimensionless", "omega_aut in S's utility.", "ODD §4; placeholder")
    engagement_cost: float = param(0.05, 0, 1, "utility per engagement unit", "Cost of total engagement in S's utility.",
                                   "ODD §4; placeholder")


class MeasureParams(_Strict):
    """Constants of the outcome measures (ODD §7.6). They shape what is recorded, never what agents do."""

    window: int = param(8, 1, 40, "quarters", "Trailing window of policy deference, dropped moves and autonomy.",
                        "ODD eq. 20-21 (8 quarters)")
    client_threshold: float = param(0.75, 0, 1, "client index", "Client index at or above which S is a client of that power.",
                                    "Lake 2009; ODD eq. 20")
    client_quarters: int = param(8, 1, 40, "quarters", "Consecutive quarters above the threshold that make client status.",
                                 "ODD eq. 20")
    deference_prior: float = param(
        1.0, 0.01, 20, "cost units", "Prior weight, on each side, that shrinks policy deference toward 1/2 when few "
        "demands were made in the window (a Beta(1, 1)-like prior in cost units).", "ODD eq. 20; placeholder",
    )
    route_weight: float = param(
        0.45, 0, 1, "share of trade",
        "Weight of export-route dependence in economic hierarchy: the part of S's trade that needs the routes "
        "(default scenario: exports about 0.6 of COW trade turnover in 1995-2014, oil and gas most of exports).",
        "COW national trade totals (model/data/SOURCES.md); ODD eq. 20; placeholder",
    )
    low_cost_weight: float = param(
        0.2, 0, 1, "cost units", "Cost of a low-cost demand (an abstention, a small shift of ties) relative to a "
        "high-cost one (recognition, troops, sanctions evasion, leaving a rival's body), which costs 1.",
        "ODD eq. 20; placeholder",
    )
    autonomy_deviation: float = param(
        1.0, 0, 10, "per engagement unit per quarter",
        "Autonomy lost per engagement unit S was forced away from its own plan, per quarter of the window.",
        "ODD eq. 21; placeholder",
    )
    autonomy_concession: float = param(
        0.5, 0, 10, "per cost unit per quarter", "Autonomy lost per unit of concession cost, per quarter of the window.",
        "ODD eq. 21; placeholder",
    )
    autonomy_pressure: float = param(
        1.0, 0, 10, "per pressure unit per quarter",
        "Autonomy lost per unit of pressure suffered (intensity times leverage), per quarter of the window.",
        "ODD eq. 21; placeholder",
    )
    autonomy_coercion: float = param(
        1.0, 0, 10, "per coercion event per quarter", "Autonomy lost per coercion event, per quarter of the window.",
        "ODD eq. 21; placeholder",
    )
    exit_option_threshold: float = param(
        0.1, 0, 1, "engagement", "Engagement at which a partner counts as an exit option (a descriptive column).",
        "ODD §7.6"
    )
    deterrence_capacity: float = param(2.0, 0, 10, "dimensionless", "k_1: deterrence from own capacity.",
                                       "ODD eq. 22; placeholder")
    deterrence_enmeshment: float = param(1.0, 0, 10, "dimensionless", "k_2: deterrence from enmeshment.",
                                         "Goh 2007/08; ODD eq. 22; placeholder")
    deterrence_stakes: float = param(1.0, 0, 10, "dimensionless", "k_3: deterrence from rivals' stakes.",
                                     "Goh 2007/08; ODD eq. 22; placeholder")
    deterrence_dependence: float = param(1.0, 0, 10, "dimensionless",
                                         "k_4: reassurance from security dependence on the power itself.",
                                         "ODD eq. 22; placeholder")


class RivalryParams(_Strict):
    """Great-power rivalry (ODD eq. 16)."""

    initial: float = param(0.2, 0, 1, "rivalry", "Starting rivalry between every pair of powers not listed in pairs.",
                           PLACEHOLDER)
    scale: float = param(
        1.0, 0, 3, "multiplier", "Multiplier on all rivalry (for sweeps over rivalry intensity); results are clipped to [0, 1].",
        "seeds/experiments.md E6",
    )
    pairs: dict[str, float] = Field(
        default_factory=dict,
        description="Starting rivalry of named pairs, keys like 'A-B' (two power ids).",
        json_schema_extra={"unit": "rivalry", "source": "scenario file"},
    )


class PowerParams(_Strict):
    """One great power g (ODD §2)."""

    capability: float = param(
        0.333, 0, 1, "share of the modelled powers",
        "Aggregate power P when the scenario has no capability series (ignored where the scenario reads data).",
        "Walt 1987; placeholder",
    )
    military: float = param(
        0.333, 0, 1, "share of the modelled powers",
        "Offensive capability O (military power projectable into S's region) when the scenario has no series.",
        "Walt 1987; placeholder",
    )
    reach: float = param(0.5, 0, 1, "reach", "lambda: proximity (Walt's geographic proximity) to S.", "Walt 1987; placeholder")
    intent: float = param(0.2, 0, 1, "intent", "rho: true hostile or revisionist intent toward S's sovereignty.",
                          "Walt 1987; placeholder")
    value: float = param(0.6, 0, 1, "value", "v: what S is worth to this power (location, resources, transit).", PLACEHOLDER)
    budget: float = param(0.02, 0, 1, "inducement units per quarter", "B: budget for inducements to S.", PLACEHOLDER)
    reliability: float = param(0.5, 0, 1, "probability", "rel_0: reliability of support commitments.",
                               "ODD eq. 17; placeholder")
    tolerance: float = param(0.1, -1, 1, "satisfaction", "tol: satisfaction below which this power makes alignment demands.",
                             "ODD eq. 18; placeholder")
    reward_threshold: float = param(0.2, -1, 1, "satisfaction", "theta+: satisfaction at or above which this power rewards S.",
                                    "ODD eq. 13; placeholder")
    pressure_threshold: float = param(
        -0.1, -1, 1, "satisfaction", "theta-: satisfaction below which this power considers pressure.", "ODD eq. 14; placeholder"
    )
    war: float = param(0.0, 0, 1, "intensity", "War: intensity of this power's war with a third party.", "ODD §2")
    sanctions: float = param(0.0, 0, 1, "intensity", "Sanctions others impose on this power, which spill over to S's trade "
                             "with it.", "ODD eq. 10")
    salience_security: float = param(0.33, 0, 1, "weight", "w[g, security]: how much this power cares about S's security "
                                     "alignment.", "ODD eq. 12; placeholder")
    salience_economy: float = param(0.33, 0, 1, "weight", "w[g, economy].", "ODD eq. 12; placeholder")
    salience_institutions: float = param(0.34, 0, 1, "weight", "w[g, institutions].", "ODD eq. 12; placeholder")
    exclusivity_security: float = param(0.2, 0, 1, "exclusivity", "chi_0[g, security]: base demand that S not align with "
                                        "rivals in security.", "ODD eq. 12; placeholder")
    exclusivity_economy: float = param(0.1, 0, 1, "exclusivity", "chi_0[g, economy].", "ODD eq. 12; placeholder")
    exclusivity_institutions: float = param(0.1, 0, 1, "exclusivity", "chi_0[g, institutions].", "ODD eq. 12; placeholder")
    opportunity_security: float = param(0.5, 0, 20, "opportunity per offensive capability",
                                        "Omega_0[g, security]: value of security cooperation per unit of the power's "
                                        "offensive capability (arms, training, guarantees).",
                                        "Schweller 1994; ODD eq. 3; placeholder")
    opportunity_economy: float = param(1.0, 0, 20, "opportunity per economic size", "Omega_0[g, economy], per unit of GDP share.",
                                       "Schweller 1994; ODD eq. 3; placeholder")
    opportunity_institutions: float = param(0.5, 0, 20, "opportunity per aggregate power",
                                            "Omega_0[g, institutions], per unit of aggregate power.",
                                            "Schweller 1994; ODD eq. 3; placeholder")
    economic_cap: float = param(1.0, 0, 1, "engagement", "psi: domestic-opinion cap on economic engagement with this power.",
                                "ODD eq. 8")
    initial_engagement_security: float = param(0.1, 0, 1, "engagement", "e[g, security] at the start.", "ODD §5")
    initial_engagement_economy: float = param(0.1, 0, 1, "engagement", "e[g, economy] at the start.", "ODD §5")
    initial_engagement_institutions: float = param(0.1, 0, 1, "engagement", "e[g, institutions] at the start.", "ODD §5")
    initial_dependence_security: float = param(0.1, 0, 1, "share", "D[g, security] at the start.", "ODD §5")
    initial_dependence_economy: float = param(0.1, 0, 1, "share", "D[g, economy] at the start.", "ODD §5")
    initial_dependence_institutions: float = param(0.1, 0, 1, "share", "D[g, institutions] at the start.", "ODD §5")
    route_infrastructure: float = param(
        0.0, 0, 5, "route capacity", "Export-route capacity through this power's territory at the start (pipelines, rail).",
        "ODD §5",
    )


class Parameters(_Strict):
    """All parameters of one run. ``powers`` is keyed by the scenario's power ids."""

    secondary: SecondaryParams = Field(default_factory=SecondaryParams)
    balance: BalanceParams = Field(default_factory=BalanceParams)
    bandwagon: BandwagonParams = Field(default_factory=BandwagonParams)
    hedge: HedgeParams = Field(default_factory=HedgeParams)
    switch: SwitchParams = Field(default_factory=SwitchParams)
    shocks: ShockParams = Field(default_factory=ShockParams)
    forum: ForumParams = Field(default_factory=ForumParams)
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
    choice: str = ""  # for text fields: "power", "rule" or "quarter"

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
                                  field.description or "", extra.get("source", ""), group or name,
                                  extra.get("choice", "")))
    return rows


def parameter_rows(parameters: Parameters) -> list[ParamInfo]:
    """Every leaf parameter of ``parameters`` with its documentation, in declaration order."""
    return _walk(parameters, "", "")


_QUARTER = re.compile(r"^\d{4}Q[1-4]$")


def _check_choice(info: ParamInfo, value: str, power_ids: tuple[str, ...]) -> str:
    """Text parameters name a power, a rule (or several) or a quarter; empty means "not set"."""
    from multivector.model.rules import FIXED_RULES  # noqa: PLC0415 - the rule registry imports the parameters

    value = value.strip()
    if info.choice == "rules":
        names = [name.strip() for name in value.split(",")]
        for name in names:
            if name not in FIXED_RULES:
                raise ParameterError(f"parameter '{info.path}': unknown rule {name!r} (known: {', '.join(FIXED_RULES)})")
        if len(set(names)) < len(names):
            raise ParameterError(f"parameter '{info.path}': a rule is named twice in {value!r}")
        return ",".join(names)
    if not value:
        return value
    if info.choice == "power" and value not in power_ids:
        raise ParameterError(f"parameter '{info.path}': unknown power {value!r} (known: {', '.join(power_ids)})")
    if info.choice == "rule" and value not in FIXED_RULES:
        raise ParameterError(f"parameter '{info.path}': unknown rule {value!r} (known: {', '.join(FIXED_RULES)})")
    if info.choice == "quarter" and not _QUARTER.match(value):
        raise ParameterError(f"parameter '{info.path}': expected a quarter like 2013Q3, got {value!r}")
    return value


def _article(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"


def _coerce(info: ParamInfo, value: Any, power_ids: tuple[str, ...] = ()) -> Any:
    value = plain(value)  # np.int64 from np.arange, np.float32, np.bool_: the number (or bool) it holds
    if info.type == "str":
        if not isinstance(value, str):
            raise ParameterError(f"parameter '{info.path}': expected text, got {value!r}")
        return _check_choice(info, value, power_ids)
    if isinstance(value, str):
        text = value.strip()
        try:
            if info.type == "bool":
                if text.lower() not in ("true", "false", "1", "0"):
                    raise ValueError
                return text.lower() in ("true", "1")
            value = float(text) if info.type == "float" else int(text) if info.type == "int" else text
        except ValueError:
            raise ParameterError(f"parameter '{info.path}': expected {_article(info.type)} {info.type}, got {value!r}") from None
    if isinstance(value, bool) and info.type in ("float", "int"):
        raise ParameterError(f"parameter '{info.path}': expected {_article(info.type)} {info.type}, got {value!r}")
    if info.type == "bool":
        if not isinstance(value, bool) and value not in (0, 1):
            raise ParameterError(f"parameter '{info.path}': expected true or false, got {value!r}")
        return bool(value)
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
                                 field.description or "", extra.get("source", ""), group, extra.get("choice", ""))


def check_overrides(parameters: Parameters, overrides: dict[str, Any]) -> dict[str, Any]:
    """Validate ``{path: value}`` against ``parameters``' schema; return the values coerced to type.

    Raises ParameterError naming the path for unknown paths and bad or out-of-range values.
    """
    checked: dict[str, Any] = {}
    for path, value in overrides.items():
        if not isinstance(path, str):
            raise ParameterError(f"parameter path must be text, got {path!r}")
        _, _, info = locate(parameters, path)
        checked[path] = _coerce(info, value, tuple(parameters.powers))
    return checked


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


def check_references(parameters: Parameters) -> None:
    """Text parameters (patron, adversary, rule switch) name things that exist; raises ParameterError."""
    for row in parameter_rows(parameters):
        if row.choice:
            _check_choice(row, str(row.default), tuple(parameters.powers))
