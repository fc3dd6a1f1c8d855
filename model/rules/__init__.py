"""The secondary power's rules: a registry of small rule objects, each citing its source.

Each replication follows one rule (an index into ``FIXED_RULES``). ``decide`` and ``complies``
run every rule on the replications that follow it and gather the results, so one call serves
worlds following different rules. ``adaptive`` is not a rule of its own: it picks one of the
fixed rules each period by experience (:mod:`model.rules.adaptive`).
"""

from __future__ import annotations

import numpy as np

from model.arrays import ParamArrays
from model.parameters import RULE_NAMES
from model.perception import Observation
from model.rules import balance, bandwagon, hedge
from model.rules.adaptive import choose_rule, update_attraction
from model.rules.base import Decision, DemandView, Rule

RULES: dict[str, Rule] = {rule.name: rule for rule in (balance.RULE, bandwagon.SECURITY, bandwagon.PROFIT, hedge.RULE)}
FIXED_RULES: tuple[str, ...] = tuple(RULES)
STRATEGIES: tuple[str, ...] = (*FIXED_RULES, "adaptive")
assert FIXED_RULES == RULE_NAMES, "parameters.RULE_NAMES must list the registered rules"


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


__all__ = ["RULES", "FIXED_RULES", "STRATEGIES", "Decision", "DemandView", "Rule", "decide", "complies",
           "choose_rule", "update_attraction"]
