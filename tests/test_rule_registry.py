"""Rule names live in one registry (``model.rules.RULES``), and the adaptive secondary chooses from an
explicit menu (``adaptive.menu``), so registering a rule changes no adaptive run."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from multivector import model
from multivector.model import ensemble, history, record, rules
from multivector.model.errors import ParameterError
from multivector.model.simulate import simulate_many

SEEDS = (0, 1, 2, 3)


def _adaptive_runs(overrides: dict | None = None, steps: int = 60) -> list[pd.DataFrame]:
    return simulate_many("kazakhstan", ["adaptive"] * len(SEEDS), list(SEEDS), steps, [overrides] * len(SEEDS))


def _register(monkeypatch, rule: rules.Rule, first: bool) -> None:
    """Register ``rule`` (at the front of the registry or at its end) wherever the registry is read."""
    registry = {rule.name: rule, **rules.RULES} if first else {**rules.RULES, rule.name: rule}
    names = tuple(registry)
    monkeypatch.setattr(rules, "RULES", registry)
    for module in (rules, ensemble, record, history):
        monkeypatch.setattr(module, "FIXED_RULES", names)


def test_the_default_menu_is_the_four_original_rules_in_order():
    assert rules.ADAPTIVE_MENU == ("balance", "bandwagon", "bandwagon-profit", "hedge")
    assert model.Parameters().adaptive.menu.split(",") == list(rules.ADAPTIVE_MENU)
    assert set(rules.ADAPTIVE_MENU) <= set(rules.FIXED_RULES) and model.STRATEGIES[:-1] == rules.FIXED_RULES


@pytest.mark.parametrize("first", [False, True])
def test_registering_a_rule_changes_no_adaptive_run(monkeypatch, first):
    before = _adaptive_runs()
    assert {"balance", "hedge"} <= set(pd.concat(before)["strategy"])  # the runs do choose among rules
    _register(monkeypatch, dataclasses.replace(rules.RULES["hedge"], name="hedge-copy"), first)
    after = _adaptive_runs()
    for old, new in zip(before, after):
        assert "hedge-copy" not in set(new["strategy"])
        pd.testing.assert_frame_equal(old.drop(columns="rule_in_force"), new.drop(columns="rule_in_force"))


def test_a_registered_rule_joins_the_adaptive_menu_only_when_named(monkeypatch):
    _register(monkeypatch, dataclasses.replace(rules.RULES["balance"], name="balance-copy"), first=False)
    runs = _adaptive_runs({"adaptive.menu": "balance-copy,hedge"})
    assert set(pd.concat(runs)["strategy"]) <= {"balance-copy", "hedge"}
    assert "balance-copy" in set(pd.concat(runs)["strategy"])


def test_a_menu_of_one_rule_is_that_rule():
    for frame in _adaptive_runs({"adaptive.menu": "bandwagon"}, steps=20):
        assert set(frame["strategy"]) == {"bandwagon"}


@pytest.mark.parametrize("menu, problem", [("hedge,nope", "unknown rule 'nope'"), ("hedge,hedge", "named twice"),
                                           ("", "unknown rule ''"), ("adaptive", "unknown rule 'adaptive'")])
def test_a_bad_menu_is_refused_with_one_line(menu, problem):
    with pytest.raises(ParameterError, match=problem):
        model.validate_overrides("stylised", {"adaptive.menu": menu})
