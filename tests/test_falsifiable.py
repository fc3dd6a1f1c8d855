"""The thesis can lose: the shipped experiment files find a region where hedging keeps less
autonomy than bandwagoning and one where it keeps more than both alternatives. Plus the
Kazakhstan scenario's historical anchors (Russia the security lead and the helper of January
2022) and the counterfactuals moving outcomes beyond their intervals."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from multivector import model
from multivector.experiments.compare import mean_ci, run_metrics
from multivector.experiments.sweep.sweeper import run_sweep

DESIGNS = Path(__file__).resolve().parents[1] / "experiments" / "designs"


def small_version(name: str, folder: Path, replications: int = 6, steps: int = 60) -> pd.DataFrame:
    """Run the shipped experiment file with fewer replications and quarters; its runs table."""
    text = (DESIGNS / f"{name}.toml").read_text()
    text = re.sub(r"(?m)^replications = \d+", f"replications = {replications}", text)
    text = re.sub(r"(?m)^steps = \d+", f"steps = {steps}", text)
    path = folder / f"{name}.toml"
    path.write_text(text)
    outcome = run_sweep(path, folder / name, workers=1, progress=False, announce=lambda line: None)
    assert outcome.failed == 0
    return pd.read_parquet(folder / name / "runs.parquet")


def test_there_is_a_region_where_hedging_keeps_less_autonomy_than_bandwagoning(tmp_path):
    runs = small_version("hedging-loses", tmp_path)
    autonomy = runs.groupby("strategy")["autonomy_mean"].mean()  # each run's mean over its quarters
    assert autonomy["hedge"] < autonomy["bandwagon"] - 0.01
    by_level = runs.groupby(["rivalry.scale", "strategy"])["autonomy_mean"].mean().unstack()
    assert (by_level["hedge"] < by_level["bandwagon"]).all(), by_level


def test_there_is_a_region_where_hedging_keeps_more_autonomy_than_both_alternatives(tmp_path):
    runs = small_version("hedging-wins", tmp_path)
    autonomy = runs.groupby("strategy")["autonomy_mean"].mean()  # each run's mean over its quarters
    assert autonomy["hedge"] > autonomy["bandwagon"] + 0.01 and autonomy["hedge"] > autonomy["balance"] + 0.01
    client = runs.groupby("strategy")["client_index_A"].mean()
    assert client["hedge"] < client["bandwagon"]


def test_in_kazakhstan_russia_leads_security_and_helps_in_january_2022():
    leading, helped = [], []
    for seed in range(20):
        m = model.MultivectorModel(scenario="kazakhstan", strategy="hedge", rng=seed)
        leads = []
        while m.running:
            m.step()
            leads.append(int(np.argmax(m.state.engagement[:, 0])) == m.power_ids.index("RUS"))
            if m.date == "2022Q1":
                assert m.last_crisis["date"] == "2022Q1" and m.last_crisis["asked"] == "RUS"
                helped.append(m.last_crisis["helped"])
        leading.append(np.mean(leads) >= 0.95)
    assert sum(leading) >= 18, f"Russia leads security in >=95% of quarters in only {sum(leading)} of 20 seeds"
    assert sum(helped) > 10, f"Russia helped in January 2022 in only {sum(helped)} of 20 seeds"


def _hedge_metrics(scenario: str, replications: int = 20) -> pd.DataFrame:
    ids = model.load_scenario(scenario).power_ids
    return pd.DataFrame([run_metrics(model.simulate(scenario, "hedge", seed=np.random.SeedSequence(0, spawn_key=(r,))),
                                     ids) for r in range(replications)])


def _apart(a: pd.Series, b: pd.Series) -> bool:
    _, low_a, high_a = mean_ci(a.to_numpy())
    _, low_b, high_b = mean_ci(b.to_numpy())
    return high_a < low_b or high_b < low_a


@pytest.fixture(scope="module")
def kazakhstan_hedge():
    return _hedge_metrics("kazakhstan")


@pytest.mark.parametrize("scenario, moved", [
    ("no-west", ["welfare", "security", "max_client_index"]),
    # at the posterior calibration Russia presses the hedger with or without institutions, and welfare no longer
    # separates (3.06 against 3.05 over 20 seeds); security, inducements and S's utility do
    ("no-institutions", ["security", "inducements", "utility"]),
])
def test_counterfactuals_move_hedge_outcomes_beyond_their_intervals(kazakhstan_hedge, scenario, moved):
    counterfactual = _hedge_metrics(scenario)
    for metric in moved:
        assert _apart(kazakhstan_hedge[metric], counterfactual[metric]), metric
