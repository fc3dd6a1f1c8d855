"""Which parameters a case's calibration frees, and their priors: one table for every case and for
the joint calibration, so a parameter means the same thing, over the same range, everywhere.

Three kinds of free parameter, each shared as the joint calibration shares it
(:mod:`experiments.calibration.joint`):

- **the world's**: how any great power reacts (eq. 14, 18 of the ODD: the cost of pressure, what
  enmeshment adds to it, how rivalry raises exclusivity demands, how readily leverage becomes
  demands, the price of refusing, how fast a grievance settles) and how much a treaty commits its
  lead in a crisis. One value for every case.
- **a great power's**: its red lines, the satisfaction below which it makes demands
  (``tolerance``) and the one below which it presses (``pressure_threshold``). One value per
  power id for every case the power appears in.
- **a rule's own**: the constants of each rule a case followed in its historical schedule
  (``model.OWN_PARAMETERS`` without the leader's traits). One value per rule family for every case
  that followed it (``bandwagon-profit`` reads ``bandwagon.*``).

Everything else is structure, fixed from each case's own data and scenario file before any search
(capabilities, proximity, trade and arms shares, opportunities, the leader's traits): the
calibration asks how the powers and the rules behave, not what each country is.

Ranges: the ones the default case's calibration design gives reasons for (its shipped
``experiments/designs/calibrate-<default scenario>.toml``, comments there), else the parameter's
documented range (``multivector params``).
"""

from __future__ import annotations

from dataclasses import dataclass

from multivector import model

# The world's reactions and the treaty commitment: ranges and reasons as in the default case's design.
WORLD: dict[str, tuple[float, float]] = {
    "reactions.pressure_cost": (0.01, 0.3),
    "reactions.enmeshment_cost": (0.0, 6.0),
    "reactions.exclusivity_gain": (0.0, 0.8),
    "reactions.demand_exploitation": (0.0, 1.0),
    "reactions.refusal_price": (0.1, 0.6),  # 0.3 the SPIEF anchor (theory.md §3)
    "reactions.grievance_settled": (0.2, 1.0),  # spells of weeks to a month (theory.md §4.1a)
    "crisis.treaty_commitment": (0.5, 1.5),  # honoured in about three cases of four (Leeds et al. 2000)
}

# A great power's red lines (the default case's design's ranges for its chief patron, used for every power).
POWER: dict[str, tuple[float, float]] = {
    "tolerance": (-0.1, 0.5),
    "pressure_threshold": (-0.2, 0.4),
}

# Rule constants whose range the default case's design narrows, with its reasons; the rest use the
# documented range.
RULE_RANGES: dict[str, tuple[float, float]] = {
    "hedge.softmax_temperature": (0.05, 1.5),
    "hedge.dominance_cap_economy": (0.35, 0.8),
    "hedge.fallback_floor": (0.02, 0.2),
    "hedge.indirect_balancing_floor": (0.05, 0.3),
}


@dataclass(frozen=True)
class Prior:
    path: str  # a parameter path as overrides name it ("powers.<id>.tolerance")
    low: float
    high: float
    kind: str  # "world", "power", "rule"
    owner: str  # "" for the world, the power id, or the rule family


def rule_family(rule: str) -> str:
    """The group of parameters a rule reads: ``bandwagon-profit`` -> ``bandwagon``."""
    return rule.split("-")[0]


def historical_rules(scenario: str) -> tuple[str, ...]:
    """The rules of the scenario's historical schedule, in order of first use."""
    sc = model.load_scenario(scenario)
    periods = sc.case.strategy if sc.case is not None else ()
    return tuple(dict.fromkeys(p.rule for p in periods))


def rule_parameters(rule: str) -> tuple[str, ...]:
    """A rule's own constants (``model.OWN_PARAMETERS`` less the leader's traits, which are the
    case's)."""
    return tuple(p for p in model.OWN_PARAMETERS[rule] if not p.startswith("secondary."))


def _documented(scenario: str) -> dict[str, tuple[float, float]]:
    return {row.path: (float(row.min), float(row.max)) for row in model.parameter_table(scenario)
            if row.min is not None and row.max is not None}


def world_priors() -> list[Prior]:
    return [Prior(path, low, high, "world", "") for path, (low, high) in WORLD.items()]


def power_priors(power: str) -> list[Prior]:
    return [Prior(f"powers.{power}.{name}", low, high, "power", power) for name, (low, high) in POWER.items()]


def rule_priors(rule: str, scenario: str) -> list[Prior]:
    documented = _documented(scenario)
    family = rule_family(rule)
    return [Prior(path, *RULE_RANGES.get(path, documented[path]), "rule", family) for path in rule_parameters(rule)]


def case_priors(scenario: str) -> list[Prior]:
    """The free parameters of one case's own calibration: the world's, its powers' and its rules'."""
    out: dict[str, Prior] = {p.path: p for p in world_priors()}
    for power in model.load_scenario(scenario).power_ids:
        out.update({p.path: p for p in power_priors(power)})
    for rule in historical_rules(scenario):
        out.update({p.path: p for p in rule_priors(rule, scenario)})
    return list(out.values())
