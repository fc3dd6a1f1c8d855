"""Great-power reactions to what S does (issue 16, item 1): the price of refusal, pressure that
ends by mechanism, coercion only from a dissatisfied power, treaty help in a crisis, and the
Kazakhstan record they must produce under the hedge rule (theory.md §4.1a)."""

from __future__ import annotations

import numpy as np
import pytest

from multivector.experiments.cases.kazakhstan.eventcounts import count_events
from multivector.model import reactions
from multivector.model.institutions import InstitutionView
from multivector.model.scenarios import load_scenario

RUNS = 20


@pytest.fixture(scope="module")
def hedge_counts():
    return count_events("hedge", RUNS)


# --- the price of refusal ----------------------------------------------------------------------------

def test_refusing_costs_goodwill_in_proportion_to_what_was_asked():
    asked = np.array([[True, True, True, False]])
    met = np.array([[True, False, False, False]])
    cost = np.array([[1.0, 1.0, 0.3, 0.0]])
    signal = reactions.answer_signal(asked, met, cost, np.array([[0.05]]), np.array([[0.3]]))
    assert signal[0, 0] == pytest.approx(0.05)  # met
    assert signal[0, 1] == pytest.approx(-0.3)  # a refused high-cost demand: the SPIEF anchor
    assert signal[0, 2] == pytest.approx(-0.09)  # a refused low-cost demand costs less
    assert signal[0, 3] == 0.0  # nothing asked, nothing refused
    dearer = reactions.answer_signal(asked, met, cost, np.array([[0.05]]), np.array([[0.5]]))
    assert (dearer[0, 1:3] < signal[0, 1:3]).all()


def test_a_higher_refusal_price_lowers_russias_satisfaction_with_a_refusing_hedger():
    cheap = count_events("hedge", RUNS, overrides={"reactions.refusal_price": 0.1})
    dear = count_events("hedge", RUNS, overrides={"reactions.refusal_price": 0.5})
    assert dear.mean_margin[:, 0].mean() < cheap.mean_margin[:, 0].mean() - 0.05
    assert dear.pressure_quarters[:, 0].sum() > cheap.pressure_quarters[:, 0].sum()


def test_refusing_every_demand_lowers_satisfaction_and_draws_pressure():
    refusing = count_events("hedge", RUNS, refuse_all=True)
    free = count_events("hedge", RUNS, overrides={"reactions.refusal_price": 0.0}, refuse_all=True)
    assert refusing.mean_margin[:, 0].mean() < free.mean_margin[:, 0].mean()
    assert refusing.pressure_quarters[:, 0].sum() > 0
    assert refusing.pressure_quarters[:, 0].sum() > free.pressure_quarters[:, 0].sum()


# --- pressure: its cost, and why it ends ---------------------------------------------------------------

def test_pressure_falls_when_its_cost_rises():
    cheap = count_events("hedge", RUNS, overrides={"reactions.pressure_cost": 0.03})
    dear = count_events("hedge", RUNS, overrides={"reactions.pressure_cost": 0.2})
    assert cheap.pressure_quarters[:, 0].sum() > dear.pressure_quarters[:, 0].sum()


def test_pressure_settles_part_of_the_pressers_grievance():
    signal = np.array([[-0.4, -0.4, 0.2]])
    pressed = np.array([[True, False, True]])
    out = reactions.signal_update(signal, np.array([0.25]), pressed, np.array([0.5]))
    assert out[0, 0] == pytest.approx(-0.15)  # faded to -0.3, half of it settled
    assert out[0, 1] == pytest.approx(-0.3)  # faded only
    assert out[0, 2] == pytest.approx(0.15)  # goodwill is not "settled" by pressing
    unsettled = reactions.signal_update(signal, np.array([0.25]), pressed, np.array([0.0]))
    assert unsettled[0, 0] == pytest.approx(-0.3)


def test_settling_the_grievance_shortens_pressure():
    settling = count_events("hedge", RUNS, overrides={"reactions.grievance_settled": 1.0})
    lasting = count_events("hedge", RUNS, overrides={"reactions.grievance_settled": 0.0,
                                                     "reactions.signal_decay": 0.05})
    assert lasting.pressure_quarters[:, 0].sum() > settling.pressure_quarters[:, 0].sum()
    assert lasting.longest_spell[:, 0].max() > settling.longest_spell[:, 0].max()


# --- coercion is the top of the ladder ----------------------------------------------------------------

def test_only_a_dissatisfied_power_considers_coercion():
    class C:
        coercion_intercept = np.array([-1.0])
        coercion_intent = coercion_dissatisfaction = coercion_enmeshment = np.array([1.0])
        coercion_stakes = coercion_capacity = coercion_war = np.array([1.0])

    def q(sat):
        return reactions.coercion_probability(np.array([[1.0]]), np.array([[0.5]]), np.array([[sat]]),
                                              np.array([[0.0]]), np.array([[0.0]]), np.array([[0.0]]),
                                              np.array([0.0]), np.array([[0.0]]), C)[0, 0]

    assert q(0.1) == 0.0
    assert 0 < q(-0.1) < q(-0.5)


# --- crisis help from a treaty ally -------------------------------------------------------------------

def test_a_binding_security_treaty_commits_its_lead_to_help():
    rel, sat = np.array([0.9, 0.9]), np.array([0.0, -0.9])
    none = reactions.help_probability(rel, sat, np.zeros(2))
    assert none == pytest.approx(rel * (1 + sat) / 2)  # without a treaty: the earlier rule
    treaty = reactions.help_probability(rel, sat, np.full(2, 0.6))
    assert treaty[0] == pytest.approx(0.9)  # a treaty ally in standing gets the patron's reliability
    assert none[1] < treaty[1] < treaty[0]  # a deeply dissatisfied patron still weighs walking away


def test_treaty_commitment_reads_security_bodies_the_power_leads_and_s_belongs_to():
    # slots: a RUS-led security body, a RUS-led economic body, a WEST-led security body S has left
    view = InstitutionView(
        members=np.ones((3, 2), bool), leads=np.array([[True, False], [True, False], [False, True]]),
        domains=np.array([[True, False, False], [False, True, False], [True, False, False]]),
        binding=np.array([[0.6, 0.9, 0.8]]), voice=np.ones((1, 3)), exit_cost=np.zeros((1, 3)),
        activism=np.zeros((1, 3)), member=np.array([[True, True, False]]), exists=np.ones((1, 3), bool),
        founded=np.zeros(3, bool))
    assert reactions.treaty_commitment(view, np.array([1.0]))[0] == pytest.approx([0.6, 0.0])


def test_russia_answers_the_january_2022_csto_request(hedge_counts):
    assert (hedge_counts.csto_asked == "RUS").all()
    assert hedge_counts.csto_helped.mean() >= 0.9


# --- the Kazakhstan record under the hedge rule (theory.md §4.1a, P4) --------------------------------

def test_the_spief_refusal_carries_its_signal():
    scenario = load_scenario("kazakhstan")
    spief = [e for e in scenario.events if "SPIEF" in e.label]
    assert len(spief) == 1 and spief[0].date == "2022Q2"
    assert [(c.path, c.op, c.value) for c in spief[0].changes] == [("state.signal.RUS", "add", -0.3)]
    assert not any("CPC" in e.label and e.changes for e in scenario.events if e.date == "2022Q3")


def test_russia_presses_the_hedger_in_short_economic_spells_and_never_militarily(hedge_counts):
    rus = 0
    pressed = hedge_counts.pressure_quarters[:, rus].sum(axis=1)
    assert (pressed > 0).mean() >= 0.8  # pressure happens...
    assert hedge_counts.pressed_2022[:, rus].mean() >= 0.6  # ...in 2022 above all...
    assert hedge_counts.longest_spell.max() <= 2  # ...in short spells...
    assert hedge_counts.pressure_quarters[:, :, 0].sum() == 0  # ...economic, never in security...
    assert hedge_counts.coercion.sum() == 0  # ...and nobody coerces S militarily
    assert hedge_counts.spells[:, rus].mean() <= 6  # a few spells, not a siege


def test_balancing_against_russia_draws_more_pressure_than_hedging_and_bandwagoning_less(hedge_counts):
    balance = count_events("balance", RUNS)
    bandwagon = count_events("bandwagon", RUNS)
    quarters = [c.pressure_quarters[:, 0].sum() for c in (bandwagon, hedge_counts, balance)]
    assert quarters[0] < quarters[1] < quarters[2]
