"""The secondary power's rules: a registry of small rule objects, each citing its source.

``RULES`` is the one registry of rule names: adding a rule is one entry there (and its module).
Each replication follows one rule (an index into ``FIXED_RULES``, the registry's order, which new
rules extend at the end). ``decide`` and ``complies`` run every rule on the replications that follow
it and gather the results, so one call serves worlds following different rules. ``adaptive`` is not
a rule of its own: it picks one rule of its menu each period by experience
(:mod:`model.rules.adaptive`); the menu is the parameter ``adaptive.menu`` (default
``ADAPTIVE_MENU``, the four original fixed rules), so a newly registered rule does not change what
the adaptive secondary does unless it is named there. Every rule is built from the same parts
(:mod:`model.rules.parts`): one compliance function, one investment function, one observation type.
``OWN_PARAMETERS`` lists the parameters that act on each rule, which ``multivector tune`` tunes for
each rule's best form.
"""

from __future__ import annotations

import numpy as np

from multivector.model.arrays import ParamArrays
from multivector.model.parameters import AdaptiveParams
from multivector.model.perception import Observation
from multivector.model.rules import balance, bandwagon, hedge
from multivector.model.rules.adaptive import choose_from_menu, choose_rule, update_attraction
from multivector.model.rules.base import Decision, DemandView, Rule

# The four original rules first, in their original order: rule indices keep their meaning;
# variants come after them.
RULES: dict[str, Rule] = {rule.name: rule for rule in (
    balance.RULE,
    bandwagon.SECURITY,
    bandwagon.PROFIT,
    hedge.RULE,
    balance.FALLBACK,
    bandwagon.SELECTIVE,
)}
FIXED_RULES: tuple[str, ...] = tuple(RULES)
STRATEGIES: tuple[str, ...] = (*FIXED_RULES, "adaptive")


def menu_mask(names: str) -> int:
    """``adaptive.menu`` ("balance,hedge") as a bit mask over the registry (bit i: ``FIXED_RULES[i]``)."""
    return sum(1 << FIXED_RULES.index(name.strip()) for name in names.split(","))


ADAPTIVE_MENU: tuple[str, ...] = tuple(AdaptiveParams().menu.split(","))  # the default menu

# The parameters that act on each strategy (beyond the world's): the rule's own constants and the
# leader's traits it uses. ``multivector tune`` searches these for each rule's best form.
_LEADER = ("secondary.prudence", "secondary.realignment_margin")
_BALANCE = ("balance.compliance_threshold", "balance.investment", "secondary.balancing_floor",
            "secondary.balancing_step", "secondary.exit_cost_limit", *_LEADER)
_BANDWAGON = ("bandwagon.compliance_threshold", "bandwagon.investment", *_LEADER)
OWN_PARAMETERS: dict[str, tuple[str, ...]] = {
    "balance": _BALANCE,
    "bandwagon": (*_BANDWAGON, "bandwagon.loyalty"),
    "bandwagon-profit": (*_BANDWAGON, "bandwagon.loyalty"),
    "hedge": ("hedge.compliance_threshold", "hedge.investment", "secondary.prudence", "secondary.risk_aversion",
              "hedge.softmax_temperature", "hedge.dominance_cap_economy", "hedge.fallback_floor",
              "hedge.indirect_balancing_floor"),
    "balance-fallback": (*_BALANCE, "balance.fallback_floor"),
    "bandwagon-selective": (*_BANDWAGON, "bandwagon.selective_loyalty"),
    # not the utility weights: they define the objective a best form is tuned for
    "adaptive": ("adaptive.temperature", "adaptive.recency", "adaptive.period"),
}
assert set(OWN_PARAMETERS) == set(STRATEGIES), "every strategy lists its own parameters"


def _groups(rule: np.ndarray):
    """(rule name, rows) for each rule some replication follows; rows is None when all follow it."""
    first = rule[0] if len(rule) else 0
    if (rule == first).all():
        yield FIXED_RULES[int(first)], None
        return
    for index, name in enumerate(FIXED_RULES):
        chosen = np.nonzero(rule == index)[0]
        if len(chosen):
            yield name, chosen


def decide(rule: np.ndarray, obs: Observation, p: ParamArrays, slots: int) -> Decision:
    """Each replication's decision under the rule it follows (``rule``: (R,) indices)."""
    out = None
    for name, chosen in _groups(rule):
        if chosen is None:
            return RULES[name].decide(obs, p)
        if out is None:
            out = Decision.empty(len(rule), obs.engagement.shape[1], slots)
        out.put(chosen, RULES[name].decide(obs.take(chosen), p.take(chosen)))
    return out


def complies(rule: np.ndarray, demand: DemandView, obs: Observation, p: ParamArrays) -> np.ndarray:
    """(R,) whether each replication's rule meets its demand ``demand``."""
    out = np.zeros(len(rule), bool)
    for name, chosen in _groups(rule):
        if chosen is None:
            return RULES[name].complies(demand, obs, p)
        out[chosen] = RULES[name].complies(demand.take(chosen), obs.take(chosen), p.take(chosen))
    return out


__all__ = ["RULES", "FIXED_RULES", "STRATEGIES", "ADAPTIVE_MENU", "OWN_PARAMETERS", "Decision", "DemandView", "Rule",
           "decide", "complies", "choose_rule", "choose_from_menu", "menu_mask", "update_attraction"]
