"""Every column of the per-quarter record and every run outcome, declared once.

As EMA Workbench declares ``ScalarOutcome(name, kind, function)``, each :class:`Column` here says
its name, its type, how it is computed from what the quarter's record is made of (the ensemble's
state, ledger and outcome measures: :func:`model.record.record_inputs`), its label, unit and
direction (more is better, more is worse, or descriptive), and whether the data contract names it.
Each :class:`Outcome` is one number per run: a record column, gathered over the great powers
(highest, sum) where the column is per power, and summarised over the run (final value, run mean,
run sum), with its direction, label and unit. The record (:mod:`model.record`), the data contract
(:mod:`model.contract`), ``compare``, the command line's tables, the app, the sweeps' defaults and
the EMA adapter read these tables; no list of outcome names is kept anywhere else.

Columns per power are named ``name_P`` for each of the scenario's great powers P, per power and
domain ``name_P_d``, per pair of powers ``name_P_Q``: the powers come from the scenario, never
from here. The formulas themselves are in :mod:`model.measures`; the record only reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from multivector.model.contract import DOMAINS, TIME_COLUMNS
from multivector.model.measures import exit_options, hedging_index

# a column's type
INT, FLOAT, TEXT = "int", "float", "text"
# what a column is indexed by, besides the replication
SCALAR, POWER, POWER_DOMAIN, PAIR = "scalar", "power", "power-domain", "pair"
# direction: how a reader should rank a larger value
MORE_IS_BETTER, MORE_IS_WORSE, DESCRIPTIVE = 1, -1, 0
# how an outcome summarises a run's quarters (the initial state, step 0, is left out of means and sums)
FINAL, RUN_MEAN, RUN_SUM = "final", "run mean", "run sum"

Inputs = Mapping[str, np.ndarray]


@dataclass(frozen=True)
class Column:
    """One column of the per-quarter record (or, per power, per domain or per pair, a family of them)."""

    name: str
    kind: str  # INT, FLOAT or TEXT
    compute: Callable[[Inputs], np.ndarray] | None  # from the record's inputs, (N, ...) by ``over``; None: text
    label: str
    unit: str
    over: str = SCALAR  # SCALAR (N,), POWER (N, G), POWER_DOMAIN (N, G, D) or PAIR (N, G, G) upper triangle
    direction: int = DESCRIPTIVE
    contract: bool = False  # named by the data contract (DESIGN.md): never renamed
    outcome: bool = False  # one of the secondary power's outcomes (the rest describe state or choices)
    headline: bool = False  # an outcome the thesis is about: shown first by tables, charts and sweeps
    mean_of: str = ""  # a running mean: the run mean so far of this column (state keeps the sums)

    def names(self, power_ids: Sequence[str]) -> list[str]:
        """The column's names for these great powers."""
        if self.over == POWER:
            return [f"{self.name}_{g}" for g in power_ids]
        if self.over == POWER_DOMAIN:
            return [f"{self.name}_{g}_{d}" for g in power_ids for d in DOMAINS]
        if self.over == PAIR:
            return [f"{self.name}_{a}_{b}" for i, a in enumerate(power_ids) for b in power_ids[i + 1:]]
        return [self.name]


@dataclass(frozen=True)
class PowerBlock:
    """Per-power columns laid out power by power (all of one power's columns, then the next's)."""

    columns: tuple[Column, ...]


def _o(name: str) -> Callable[[Inputs], np.ndarray]:
    """An outcome measure the ensemble computed this quarter (``Ensemble.outcomes``)."""
    return lambda x: x[f"outcome_{name}"]


def _x(name: str) -> Callable[[Inputs], np.ndarray]:
    """A record input as it is."""
    return lambda x: x[name]


def _running_mean(name: str) -> Callable[[Inputs], np.ndarray]:
    """The mean of ``name`` over quarters 1..step (at step 0: its current value), from the sums the
    ensemble keeps in ``RUNNING_MEANS`` order."""
    def compute(x: Inputs) -> np.ndarray:
        step = x["step"]
        sums = x["outcome_sums"][:, RUNNING_MEANS.index(name)]
        return np.where(step > 0, sums / np.maximum(step, 1), x[f"outcome_{name}"])
    return compute


def _asked(x: Inputs) -> np.ndarray:
    return x["demand_kind"] != 0


_SHARE = "0-1"
_COUNT_TO_DATE = "count since the start"
_QUARTERS = "quarters"

# Running means of these outcomes are kept in state (``State.outcome_sums``, in this order).
RUNNING_MEANS: tuple[str, ...] = ("autonomy", "security", "coexistence")

# The record, in column order: the data contract's columns first (DESIGN.md, "Outputs"), then extras.
RECORD: tuple[Column | PowerBlock, ...] = (
    Column("step", INT, _x("step"), "Step", "quarters since the start", contract=True),
    Column("date", TEXT, None, "Date", "calendar quarter", contract=True),
    Column("year", INT, _x("year"), "Year", "calendar year", contract=True),
    Column("engagement", FLOAT, _x("engagement"), "Engagement", _SHARE, POWER_DOMAIN, contract=True),
    Column("dependence", FLOAT, _x("dependence"), "Dependence", _SHARE, POWER_DOMAIN, contract=True),
    Column("inducement", FLOAT, lambda x: x["offers"].sum(axis=2), "Inducements this quarter", "reward units", POWER,
           contract=True),
    Column("pressure", FLOAT, _x("pressure"), "Pressure this quarter", "intensity", POWER, contract=True),
    Column("coercion", INT, _x("coercion_count"), "Coercion events", _COUNT_TO_DATE, POWER, MORE_IS_WORSE,
           contract=True),
    Column("satisfaction", FLOAT, _x("satisfaction"), "Satisfaction with S", "index", POWER, contract=True),
    Column("client_index", FLOAT, _o("client_index"), "Client index", _SHARE, POWER, MORE_IS_WORSE, contract=True,
           outcome=True, headline=True),
    Column("threat", FLOAT, _x("threat"), "Threat perceived", "index", POWER, contract=True),
    Column("autonomy", FLOAT, _o("autonomy"), "Autonomy", _SHARE, direction=MORE_IS_BETTER, contract=True,
           outcome=True, headline=True),
    Column("security", FLOAT, _o("security"), "Security", _SHARE, direction=MORE_IS_BETTER, contract=True,
           outcome=True, headline=True),
    Column("welfare", FLOAT, lambda x: np.exp(x["log_welfare"]), "Welfare", "start = 1", direction=MORE_IS_BETTER,
           contract=True, outcome=True, headline=True),
    Column("hedging_index", FLOAT, lambda x: hedging_index(x["engagement"]), "Hedging index",
           "0 one partner .. 1 spread evenly", contract=True, outcome=True),
    Column("abandonment_events", INT, _x("abandonment_count"), "Abandonment events", _COUNT_TO_DATE,
           direction=MORE_IS_WORSE, contract=True, outcome=True),
    Column("entrapment", FLOAT, _o("entrapment"), "Entrapment", "index", direction=MORE_IS_WORSE, contract=True,
           outcome=True),
    Column("strategy", TEXT, None, "Rule in force", "rule name", contract=True),
    PowerBlock((
        Column("route_dependence", FLOAT, _x("route"), "Export routes through the power", _SHARE, POWER),
        Column("belief", FLOAT, lambda x: x["hostile"] / (x["hostile"] + x["benign"]),
               "Belief the power is hostile", "probability", POWER),
        Column("enmeshment", FLOAT, _x("enmeshment"), "Enmeshment in shared institutions", "index", POWER),
        Column("pressure_episodes", INT, _x("pressure_episodes"), "Pressure episodes", _COUNT_TO_DATE, POWER,
               MORE_IS_WORSE),
        Column("inducement_total", FLOAT, _x("inducement_total"), "Inducements received", "reward units to date",
               POWER),
        Column("client_status", INT, lambda x: x["client_streak"] >= x["client_quarters_needed"][:, None],
               "Client of the power", "yes (1) or no (0)", POWER, MORE_IS_WORSE),
        Column("client_quarters", INT, _x("client_quarters"), "Quarters as a client", "quarters to date", POWER,
               MORE_IS_WORSE),
        Column("security_hierarchy", FLOAT, _o("security_hierarchy"), "Security hierarchy", _SHARE, POWER),
        Column("economic_hierarchy", FLOAT, _o("economic_hierarchy"), "Economic hierarchy", _SHARE, POWER),
        Column("policy_deference", FLOAT, _o("policy_deference"), "Policy deference", _SHARE, POWER),
        Column("dropped_moves", FLOAT, _o("dropped_moves"), "Moves dropped under objection", _SHARE, POWER),
        Column("demands", INT, _asked, "Demand made this quarter", "yes (1) or no (0)", POWER),
        Column("demands_met", INT, lambda x: _asked(x) & x["demand_met"], "Demand met this quarter",
               "yes (1) or no (0)", POWER),
        Column("high_cost_demands", INT, lambda x: _asked(x) & x["demand_high"], "High-cost demand this quarter",
               "yes (1) or no (0)", POWER),
        Column("high_cost_met", INT, lambda x: _asked(x) & x["demand_high"] & x["demand_met"],
               "High-cost demand met this quarter", "yes (1) or no (0)", POWER),
        Column("pressure_domain", INT, lambda x: np.where(x["pressure"] > 0, x["pressure_domain"], -1),
               "Domain pressed this quarter", "domain index (-1 none)", POWER),
        Column("satisfaction_margin", FLOAT, lambda x: x["satisfaction"] - x["pressure_threshold"],
               "Satisfaction above the pressure threshold", "index", POWER),
        Column("economic_cap", FLOAT, _x("economic_cap"), "Domestic cap on economic ties", _SHARE, POWER),
        Column("exits", INT, _x("exits"), "Exits from the power's institutions", _COUNT_TO_DATE, POWER),
        Column("capability", FLOAT, _x("capability"), "Capability", "share of the powers' total", POWER),
        Column("offensive_capability", FLOAT, _x("military"), "Offensive capability", "share of the powers' total",
               POWER),
    )),
    Column("rivalry", FLOAT, _x("rivalry"), "Rivalry", "index", PAIR),
    Column("autonomy_mean", FLOAT, _running_mean("autonomy"), "Autonomy, run mean so far", _SHARE,
           direction=MORE_IS_BETTER, mean_of="autonomy"),
    Column("security_mean", FLOAT, _running_mean("security"), "Security, run mean so far", _SHARE,
           direction=MORE_IS_BETTER, mean_of="security"),
    Column("coexistence_mean", FLOAT, _running_mean("coexistence"), "Coexistence, run mean so far", _SHARE,
           direction=MORE_IS_BETTER, mean_of="coexistence"),
    Column("coexistence", INT, _o("coexistence"), "Every power at or above its pressure threshold",
           "yes (1) or no (0)", direction=MORE_IS_BETTER, outcome=True),
    Column("forced_deviation", FLOAT, _x("deviation"), "Forced deviation from S's plan", "engagement units"),
    Column("concession_cost", FLOAT, _x("concession"), "Cost of concessions made", "cost units"),
    Column("pressure_suffered", FLOAT, _x("pressure_suffered"), "Pressure suffered", "intensity"),
    Column("exit_options", FLOAT, lambda x: exit_options(x["engagement"], x["exit_option_threshold"]),
           "Domains with two partners or more", _SHARE),
    Column("capacity", FLOAT, _x("capacity"), "S's own capacity", "index"),
    Column("growth", FLOAT, _x("growth"), "Growth this quarter", "log welfare per quarter"),
    Column("utility", FLOAT, _x("utility"), "Adaptive utility", "utility units"),
    Column("memberships", INT, _x("memberships"), "Institutions S belongs to", "count"),
    Column("alternative_routes", FLOAT, _x("alternative_routes"), "Alternative routes", "index"),
    Column("crisis_requests", INT, _x("crisis_requests"), "Crisis help requested", _COUNT_TO_DATE),
    Column("rule_in_force", INT, _x("rule_in_force"), "Rule in force", "index into the rule registry"),
    Column("strategy_setting", TEXT, None, "Strategy set", "strategy name"),
    Column("scenario", TEXT, None, "Scenario", "scenario name"),
)


def _flat() -> tuple[Column, ...]:
    return tuple(c for entry in RECORD for c in (entry.columns if isinstance(entry, PowerBlock) else (entry,)))


COLUMNS: dict[str, Column] = {c.name: c for c in _flat()}
assert len(COLUMNS) == len(_flat()), "a record column is declared twice"
# the contract's per-quarter outcome columns and the rule in force (``autonomy`` ... ``strategy``)
OUTCOME_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS.values()
                                         if c.contract and c.over == SCALAR and c.name not in TIME_COLUMNS)
assert tuple(c.mean_of for c in COLUMNS.values() if c.mean_of) == RUNNING_MEANS, "running means out of order"


def column_of(name: str, power_ids: Sequence[str]) -> Column | None:
    """The declaration behind a record column name (``client_index_P`` -> client_index), or None."""
    if name in COLUMNS:
        return COLUMNS[name]
    for column in COLUMNS.values():
        if column.over != SCALAR and name in column.names(power_ids):
            return column
    return None


def outcome_columns(headline: bool = False) -> tuple[str, ...]:
    """The record's scalar outcome columns (the contract's ``autonomy`` ... ``entrapment``), or only
    the headline ones."""
    return tuple(c.name for c in COLUMNS.values() if c.over == SCALAR and c.contract and c.outcome
                 and (c.headline or not headline))


def contract_power_columns(outcome: bool | None = None) -> tuple[Column, ...]:
    """The contract's per-power columns (``client_index``, ``threat`` ...); ``outcome`` True or False:
    only the outcomes, or only the others."""
    return tuple(c for c in COLUMNS.values() if c.contract and c.over == POWER and outcome in (None, c.outcome))


def running_mean_columns() -> tuple[str, ...]:
    """The record's running means (``autonomy_mean`` ...): their final value is the run mean."""
    return tuple(c.name for c in COLUMNS.values() if c.mean_of)


# ----- run outcomes: one number per run ----------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """One number per run, from a record column (EMA Workbench's ``ScalarOutcome``)."""

    name: str
    column: str  # a record column declared above
    statistic: str  # FINAL, RUN_MEAN or RUN_SUM over the run's quarters
    description: str
    label: str
    unit: str
    direction: int
    across_powers: str = ""  # per-power columns: "max" (the power S is most ... toward), "sum", or "any" (> 0)
    statistic_text: str = ""  # how tables name the statistic (default: ``statistic``)
    sweep_column: str = ""  # a record column whose final value is this statistic (sweeps keep final values)
    headline: bool = False

    @property
    def shown_statistic(self) -> str:
        return self.statistic_text or self.statistic

    @property
    def better(self) -> bool | None:
        """True: more is better; False: more is worse; None: descriptive."""
        return None if self.direction == DESCRIPTIVE else self.direction == MORE_IS_BETTER

    def quarterly(self, frame: pd.DataFrame, power_ids: Sequence[str]) -> pd.Series:
        """The per-quarter values this outcome summarises (gathered over powers where per power)."""
        if not self.across_powers:
            return frame[self.column]
        columns = frame[COLUMNS[self.column].names(power_ids)]
        if self.across_powers == "any":
            return (columns > 0).any(axis=1).astype(float)
        return columns.max(axis=1) if self.across_powers == "max" else columns.sum(axis=1)

    def of_run(self, frame: pd.DataFrame, power_ids: Sequence[str]) -> float:
        """This outcome of one run's per-quarter table (the initial state left out of means and sums)."""
        if self.statistic == FINAL:
            last = frame.iloc[-1]
            if not self.across_powers:
                return float(last[self.column])
            values = [last[name] for name in COLUMNS[self.column].names(power_ids)]
            return float(max(values) if self.across_powers == "max" else sum(values))
        run = frame.iloc[1:] if len(frame) > 1 else frame
        series = self.quarterly(run, power_ids)
        return float(series.mean() if self.statistic == RUN_MEAN else series.sum())


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("autonomy", "autonomy", RUN_MEAN, "mean autonomy over the run (exp of minus the freedom lost: forced "
            "deviations, concessions, pressure, coercion)", "Autonomy", _SHARE, MORE_IS_BETTER,
            sweep_column="autonomy_mean", headline=True),
    Outcome("security", "security", RUN_MEAN, "mean security over the run", "Security", _SHARE, MORE_IS_BETTER,
            sweep_column="security_mean", headline=True),
    Outcome("welfare", "welfare", FINAL, "welfare at the end (start = 1)", "Welfare", "start = 1", MORE_IS_BETTER,
            sweep_column="welfare", headline=True),
    Outcome("hedging_index", "hedging_index", RUN_MEAN, "mean hedging index over the run (1 = engagement spread "
            "evenly; describes the rule's choice)", "Hedging index", "0 one partner .. 1 spread evenly",
            DESCRIPTIVE),
    Outcome("max_client_index", "client_index", RUN_MEAN, "mean over quarters of the highest client index",
            "Highest client index", _SHARE, MORE_IS_WORSE, across_powers="max",
            statistic_text="run mean of the highest", headline=True),
    Outcome("client_quarters", "client_status", RUN_SUM, "quarters in client status with any power (index >= "
            "threshold for 8+ quarters)", "Client quarters", _QUARTERS, MORE_IS_WORSE, across_powers="max",
            statistic_text="quarters"),
    Outcome("coexistence", "coexistence", RUN_MEAN, "share of quarters with every power at or above its pressure "
            "threshold", "Coexistence", _SHARE, MORE_IS_BETTER, statistic_text="share of quarters",
            sweep_column="coexistence_mean"),
    Outcome("pressure_episodes", "pressure_episodes", FINAL, "great-power pressure episodes, all powers",
            "Pressure episodes", "episodes", MORE_IS_WORSE, across_powers="sum", statistic_text="count"),
    Outcome("coercion_events", "coercion", FINAL, "military or territorial coercion events, all powers",
            "Coercion events", "events", MORE_IS_WORSE, across_powers="sum", statistic_text="count"),
    Outcome("inducements", "inducement_total", FINAL, "inducements received, all powers, summed over the run",
            "Inducements", "reward units", MORE_IS_BETTER, across_powers="sum", statistic_text="sum over run"),
    Outcome("abandonment_events", "abandonment_events", FINAL, "crises in which the ally asked did not help",
            "Abandonment events", "events", MORE_IS_WORSE, statistic_text="count",
            sweep_column="abandonment_events"),
    Outcome("entrapment", "entrapment", RUN_MEAN, "mean entrapment (exposure to a patron's war plus costly war-time "
            "demands met)", "Entrapment", "index", MORE_IS_WORSE),
    Outcome("utility", "utility", RUN_MEAN, "mean of S's own utility U_S over the run (ODD §4: w_sec Sec + w_eco "
            "growth + w_aut A - engagement cost)", "Utility", "utility units", MORE_IS_BETTER),
    # autonomy's parts on their own scales (ODD eq. 21), beside the index
    Outcome("quarters_under_pressure", "pressure", RUN_SUM, "quarters in which any power pressed S",
            "Quarters under pressure", _QUARTERS, MORE_IS_WORSE, across_powers="any", statistic_text="quarters"),
    Outcome("pressure_suffered", "pressure_suffered", RUN_SUM, "pressure suffered, summed over the run (intensity x "
            "leverage; autonomy's pressure part)", "Pressure suffered", "intensity x leverage", MORE_IS_WORSE,
            statistic_text="sum over run"),
    Outcome("concession_cost", "concession_cost", RUN_SUM, "cost of the demands S met, summed over the run "
            "(autonomy's concession part)", "Concession cost", "demand cost units", MORE_IS_WORSE,
            statistic_text="sum over run"),
    Outcome("forced_deviation", "forced_deviation", RUN_SUM, "engagement units S was forced away from its own plan, "
            "summed over the run", "Forced deviation", "engagement units", MORE_IS_WORSE,
            statistic_text="sum over run"),
)
OUTCOME: dict[str, Outcome] = {o.name: o for o in OUTCOMES}
assert len(OUTCOME) == len(OUTCOMES), "a run outcome is declared twice"
assert all(o.column in COLUMNS and (not o.sweep_column or o.sweep_column in COLUMNS) for o in OUTCOMES)


def headline_outcomes() -> tuple[Outcome, ...]:
    """The run outcomes the thesis is about (autonomy, security, welfare, client status)."""
    return tuple(o for o in OUTCOMES if o.headline)


def judged_outcomes() -> tuple[Outcome, ...]:
    """The run outcomes with a direction (more is better or worse): all but the descriptive ones."""
    return tuple(o for o in OUTCOMES if o.direction != DESCRIPTIVE)


def sweep_outcomes() -> tuple[Outcome, ...]:
    """The run outcomes a sweep's runs table holds directly (the final value of a record column)."""
    return tuple(o for o in OUTCOMES if o.sweep_column)
