"""Every outcome is declared once (``model.outcomes``), and every record column holds what its name says.

The record's names and values both come from the declaration; these tests recompute each column of
the record from the ensemble's state, ledger and actions, independently of the declaration, for a
few replications and quarters, so a column computed under another column's name fails them.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from multivector import model
from multivector.model import measures, outcomes, record
from multivector.model.contract import DOMAINS
from multivector.model.ensemble import Ensemble
from multivector.model.perception import threat

SAMPLED_QUARTERS = (0, 1, 9, 23, 40, 61, 92, 118)
STRATEGIES = ("balance", "bandwagon", "bandwagon-profit", "hedge", "adaptive", "hedge")


def _hedging_index(engagement: np.ndarray) -> float:
    """Mean over domains of (1 - sum of squared shares) / (1 - 1/G), written out for one replication."""
    powers, domains = engagement.shape
    values = []
    for d in range(domains):
        total = engagement[:, d].sum()
        shares = engagement[:, d] / total if total > 0 else np.full(powers, 1 / powers)
        values.append((1 - (shares**2).sum()) / (1 - 1 / powers))
    return float(np.mean(values))


def expected_record(w: Ensemble, r: int) -> dict[str, object]:
    """Replication r's record, column by column, recomputed from the ensemble's state and ledger."""
    s, a, m, pw = w.state, w.actions, w.P.measures, w.powers
    ids, G = w.power_ids, len(w.power_ids)
    totals = s.ledger.totals(m.window)
    now = s.ledger.current()
    security_h = measures.security_hierarchy(s.dependence, s.capacity, w.reliability)[r]
    economic_h = measures.economic_hierarchy(s.dependence, s.route, m.route_weight)[r]
    deference = measures.policy_deference(totals.demand_cost, totals.demand_cost_met, m.deference_prior)[r]
    dropped = measures.dropped_moves(totals.planned_rival, totals.dropped)[r]
    client = measures.client_index(security_h, economic_h, deference, dropped)
    pc = w.P.perception
    true_threat = threat(w.capability, w.military, pw.reach, pw.intent, w.leverage, pc.capability_exponent,
                         pc.offensive_exponent, pc.intent_floor, pc.leverage_gain)
    deter = measures.deterrence(s.capacity, w.enmeshment, w.rival_stakes, s.dependence, m)
    security = measures.security(true_threat, deter, s.security_shock)[r]
    autonomy = measures.autonomy(totals, m.window, m)[r]
    coexistence = bool((w.satisfaction[r] >= pw.pressure_threshold[r]).all())
    step = w.quarter
    row: dict[str, object] = {"step": step, "date": w.date, "year": int(w.date[:4])}
    for kind, array in (("engagement", s.engagement), ("dependence", s.dependence)):
        row.update({f"{kind}_{g}_{d}": array[r, i, k] for i, g in enumerate(ids) for k, d in enumerate(DOMAINS)})
    asked = a.demand_kind[r] != 0
    per_power = {
        "inducement": a.offers[r].sum(axis=1), "pressure": a.pressure[r], "coercion": s.coercion_count[r],
        "satisfaction": w.satisfaction[r], "client_index": client, "threat": w.threat[r],
        "route_dependence": s.route[r], "belief": s.hostile[r] / (s.hostile[r] + s.benign[r]),
        "enmeshment": w.enmeshment[r], "pressure_episodes": s.pressure_episodes[r],
        "inducement_total": s.inducement_total[r], "client_status": s.client_streak[r] >= m.client_quarters[r],
        "client_quarters": s.client_quarters[r], "security_hierarchy": security_h, "economic_hierarchy": economic_h,
        "policy_deference": deference, "dropped_moves": dropped, "demands": asked,
        "demands_met": asked & a.demand_met[r], "high_cost_demands": asked & a.demand_high[r],
        "high_cost_met": asked & a.demand_high[r] & a.demand_met[r],
        "pressure_domain": np.where(a.pressure[r] > 0, a.pressure_domain[r], -1),
        "satisfaction_margin": w.satisfaction[r] - pw.pressure_threshold[r], "economic_cap": pw.economic_cap[r],
        "exits": s.exits[r], "capability": w.capability[r], "offensive_capability": w.military[r],
    }
    for kind, values in per_power.items():
        row.update({f"{kind}_{g}": values[i] for i, g in enumerate(ids)})
    row.update({f"rivalry_{ids[i]}_{ids[j]}": w.rivalry_effective[r, i, j] for i in range(G) for j in range(i + 1, G)})
    current = {"autonomy": autonomy, "security": security, "coexistence": coexistence}
    for position, name in enumerate(("autonomy", "security", "coexistence")):
        row[f"{name}_mean"] = s.outcome_sums[r, position] / step if step > 0 else current[name]
    engagement = s.engagement[r]
    partners = (engagement >= m.exit_option_threshold[r]).sum(axis=0)
    row.update({
        "autonomy": autonomy, "security": security, "welfare": np.exp(s.log_welfare[r]),
        "hedging_index": _hedging_index(engagement), "abandonment_events": s.abandonment_count[r],
        "entrapment": w.outcomes["entrapment"][r], "strategy": model.FIXED_RULES[int(w.rule_in_force[r])],
        "coexistence": coexistence, "forced_deviation": now.deviation[r], "concession_cost": now.concession[r],
        "pressure_suffered": now.pressure[r], "exit_options": float(np.mean(partners >= 2)),
        "capacity": s.capacity[r], "growth": w.growth[r], "utility": w.utility[r], "memberships": s.member[r].sum(),
        "alternative_routes": s.alternative_routes[r], "crisis_requests": s.crisis_requests[r],
        "rule_in_force": w.rule_in_force[r], "strategy_setting": w.strategies[r], "scenario": w.scenario_data.name,
    })
    return row


def mislabelled(w: Ensemble) -> list[str]:
    """Columns of the record whose value is not what their name says, in any replication."""
    wrong = []
    for r in range(w.count):
        recorded, expected = record.record_row(w, r), expected_record(w, r)
        missing = set(recorded) - set(expected)
        assert not missing, f"no independent check for record column(s) {sorted(missing)}: add one to this test"
        for name, value in recorded.items():
            want = expected[name]
            same = value == want if isinstance(value, str) else np.isclose(float(value), float(want), rtol=1e-9, atol=1e-12)
            if not same:
                wrong.append(f"{name} (replication {r}, step {w.quarter}: {value!r}, expected {want!r})")
    return wrong


def _sampled_worlds(steps: int = max(SAMPLED_QUARTERS)):
    """A few replications of Kazakhstan's history, one per rule and one hedger under heavy pressure,
    yielded at the sampled quarters."""
    first = model.load_scenario("kazakhstan").power_ids[0]
    overrides = [{}] * 5 + [{"reactions.coercion_intercept": -2.0, f"powers.{first}.pressure_threshold": 0.9,
                              f"powers.{first}.intent": 0.9}]
    world = Ensemble("kazakhstan", list(STRATEGIES), overrides, list(range(len(STRATEGIES))), steps)
    while True:
        if world.quarter in SAMPLED_QUARTERS:
            yield world
        if not world.running:
            return
        world.step()


def test_every_record_column_holds_what_its_name_says():
    seen = {"pressure": False, "demand": False, "coercion": False}
    for world in _sampled_worlds():
        assert mislabelled(world) == []
        seen["pressure"] |= bool((world.actions.pressure > 0).any())
        seen["demand"] |= bool((world.actions.demand_kind != 0).any())
        seen["coercion"] |= bool((world.state.coercion_count > 0).any())
    assert all(seen.values()), f"the sample must see these happen: {seen}"  # nothing passes on an empty set


def _swapped(first: str, second: str) -> tuple:
    """The record declaration with the computations of two columns exchanged."""
    def swap(column):
        other = {first: second, second: first}.get(column.name)
        return dataclasses.replace(column, compute=outcomes.COLUMNS[other].compute) if other else column

    return tuple(outcomes.PowerBlock(tuple(swap(c) for c in e.columns)) if isinstance(e, outcomes.PowerBlock)
                 else swap(e) for e in outcomes.RECORD)


@pytest.mark.parametrize("first, second", [("autonomy", "security"), ("autonomy_mean", "security_mean"),
                                           ("pressure_episodes", "client_quarters"), ("inducement", "pressure"),
                                           ("demands", "demands_met")])
def test_a_deliberate_swap_of_two_record_columns_is_caught(monkeypatch, first, second):
    monkeypatch.setattr(record, "RECORD", _swapped(first, second))  # same names, values exchanged
    caught = {problem.split(" ")[0] for world in _sampled_worlds() for problem in mislabelled(world)}
    assert any(name == c or name.startswith(f"{c}_") for c in (first, second) for name in caught), caught


def test_contract_and_outcome_lists_come_from_the_declaration():
    ids = ("P", "Q", "R")
    layout = [name for name, _ in record.record_layout(ids)]
    contract = model.output_columns(ids)
    assert contract == [name for name in layout if outcomes.column_of(name, ids).contract]
    assert len(set(layout)) == len(layout)
    assert model.OUTCOME_COLUMNS == ("autonomy", "security", "welfare", "hedging_index", "abandonment_events",
                                     "entrapment", "strategy")
    for module in (outcomes, record):  # the powers come from the scenario, never from the declaration
        source = open(module.__file__).read()
        assert not any(power in source for power in model.load_scenario("kazakhstan").power_ids), module.__name__
    for outcome in model.OUTCOMES:
        assert outcome.column in outcomes.COLUMNS and outcome.label and outcome.unit
        assert outcome.statistic in (outcomes.FINAL, outcomes.RUN_MEAN, outcomes.RUN_SUM)


def test_a_run_outcome_is_its_statistic_of_its_column():
    frame = model.simulate("stylised", "hedge", seed=2, steps=12)
    ids = model.load_scenario("stylised").power_ids
    run = frame.iloc[1:]
    assert model.OUTCOME["autonomy"].of_run(frame, ids) == pytest.approx(run["autonomy"].mean())
    assert model.OUTCOME["welfare"].of_run(frame, ids) == frame["welfare"].iloc[-1]
    clients = run[[f"client_index_{g}" for g in ids]].max(axis=1).mean()
    assert model.OUTCOME["max_client_index"].of_run(frame, ids) == pytest.approx(clients)
    pressure = sum(frame[f"pressure_episodes_{g}"].iloc[-1] for g in ids)
    assert model.OUTCOME["pressure_episodes"].of_run(frame, ids) == pressure
    # a sweep's runs table holds the final quarter: the running mean there is the run's mean
    assert frame["autonomy_mean"].iloc[-1] == pytest.approx(run["autonomy"].mean())


def test_directions_reach_the_ema_adapter_and_the_app():
    from multivector.experiments.app.compare_view import SHOWN_METRICS
    from multivector.experiments.ema import OUTCOMES, direction_of

    assert OUTCOMES == tuple(o.sweep_column for o in model.OUTCOMES if o.sweep_column)
    assert direction_of("autonomy_mean", ("A", "B")) == outcomes.MORE_IS_BETTER
    assert direction_of("client_index_A", ("A", "B")) == outcomes.MORE_IS_WORSE
    assert direction_of("hedging_index", ("A", "B")) == outcomes.DESCRIPTIVE
    assert [m for m, _, _ in SHOWN_METRICS] == [o.name for o in model.OUTCOMES]
    assert dict((m, better) for m, _, better in SHOWN_METRICS)["hedging_index"] is None


def test_compare_reads_every_run_outcome():
    from multivector.experiments import compare

    assert list(compare.METRICS) == [o.name for o in model.OUTCOMES]
    frame = model.simulate("stylised", "balance", seed=0, steps=6)
    metrics = compare.run_metrics(frame, model.load_scenario("stylised").power_ids)
    assert list(metrics) == list(compare.METRICS) and all(np.isfinite(list(metrics.values())))
    assert isinstance(pd.Series(metrics), pd.Series)
