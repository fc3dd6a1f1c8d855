"""The secondary power's rules: a registry of small rule objects, each citing its source.

``decide(name, obs, p)`` returns a :class:`Decision`; ``complies(name, demand, obs, p)`` says
whether S meets a great power's demand. ``adaptive`` is not a rule of its own: it picks one of
the fixed rules each period by experience (:mod:`model.rules.adaptive`).
"""

from __future__ import annotations

from model.parameters import RULE_NAMES, Parameters
from model.perception import Observation
from model.reactions import Demand
from model.rules import balance, bandwagon, hedge
from model.rules.adaptive import choose_rule, update_attraction
from model.rules.base import Decision, Rule

RULES: dict[str, Rule] = {rule.name: rule for rule in (balance.RULE, bandwagon.SECURITY, bandwagon.PROFIT, hedge.RULE)}
FIXED_RULES: tuple[str, ...] = tuple(RULES)
STRATEGIES: tuple[str, ...] = (*FIXED_RULES, "adaptive")
assert FIXED_RULES == RULE_NAMES, "parameters.RULE_NAMES must list the registered rules"


def decide(rule: str, obs: Observation, p: Parameters) -> Decision:
    """Target engagements and institutional moves of the named fixed rule."""
    return RULES[rule].decide(obs, p)


def complies(rule: str, demand: Demand, obs: Observation, p: Parameters) -> bool:
    """Whether the named fixed rule meets ``demand``."""
    return RULES[rule].complies(demand, obs, p)


__all__ = ["RULES", "FIXED_RULES", "STRATEGIES", "Decision", "Rule", "Demand", "decide", "complies", "choose_rule",
           "update_attraction"]
