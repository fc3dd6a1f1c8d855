"""What the great powers do to S, counted: quarters of pressure by power and domain, pressure
spells and their lengths, coercion, demands made / met / refused, the answer to each crisis
request, and each power's satisfaction margin (Sat - theta-), per rule, over many runs.

A diagnostic of the reaction phase (ODD §7.4), used to check that pressure arises where the record
of theory.md §4.1a puts it (short economic, transit or route spells by Russia, in 2022 above all,
no military coercion) and that a rule which refuses more draws more of it. It steps the array
engine directly and reads the actions of each quarter, so it needs nothing from the data contract.

    .venv/bin/python -m multivector.experiments.cases.kazakhstan.eventcounts     # every fixed rule, 50 runs, seed 0
    .venv/bin/python -m multivector.experiments.cases.kazakhstan.eventcounts --rules hedge --runs 100 \
        --set reactions.refusal_cost=0.2
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import numpy as np

from multivector.model import secondary
from multivector.model.calendar import step_date
from multivector.model.ensemble import Ensemble
from multivector.model.errors import ParameterError, ScenarioError, StrategyError
from multivector.model.outcomes import RUNNING_MEANS
from multivector.model.rules import FIXED_RULES as RULE_NAMES
from multivector.model.contract import DOMAINS
from multivector.model.reactions import NO_DEMAND
from multivector.model.scenarios import load_scenario


@dataclass
class Counts:
    """Event counts of one rule's runs (arrays over runs; per-power arrays are (runs, G))."""

    rule: str
    powers: tuple[str, ...]
    runs: int
    pressure_quarters: np.ndarray  # (runs, G, D) quarters of pressure by power and domain
    spells: np.ndarray  # (runs, G) spells of consecutive pressure quarters
    longest_spell: np.ndarray  # (runs, G)
    pressed_2022: np.ndarray  # (runs, G) bool: pressure in some quarter of 2022
    pressure_years: list[dict[int, int]]  # per power: year -> runs with pressure in that year
    coercion: np.ndarray  # (runs, G)
    demands: np.ndarray  # (runs, G)
    high_demands: np.ndarray  # (runs, G)
    met: np.ndarray  # (runs, G)
    refused: np.ndarray  # (runs, G)
    min_margin: np.ndarray  # (runs, G) smallest Sat - theta- over the run
    mean_margin: np.ndarray  # (runs, G)
    csto_asked: np.ndarray  # (runs,) str: the power S asked in the scenario's 2022 crisis ('' if none)
    csto_helped: np.ndarray  # (runs,) bool: it helped
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """One flat row of means (and shares of runs) for a table."""
        row: dict[str, Any] = {"rule": self.rule, "runs": self.runs}
        for g, power in enumerate(self.powers):
            by_domain = self.pressure_quarters[:, g].mean(axis=0)
            row[f"{power} pressure q"] = float(self.pressure_quarters[:, g].sum(axis=1).mean())
            for d, name in enumerate(DOMAINS):
                row[f"{power} pressure q {name[:3]}"] = float(by_domain[d])
            row[f"{power} spells"] = float(self.spells[:, g].mean())
            row[f"{power} longest spell"] = int(self.longest_spell[:, g].max())
            row[f"{power} runs pressed"] = float((self.pressure_quarters[:, g].sum(axis=1) > 0).mean())
            row[f"{power} runs pressed 2022"] = float(self.pressed_2022[:, g].mean())
            row[f"{power} coercion"] = float(self.coercion[:, g].mean())
            row[f"{power} demands"] = float(self.demands[:, g].mean())
            row[f"{power} high demands"] = float(self.high_demands[:, g].mean())
            row[f"{power} met"] = float(self.met[:, g].mean())
            row[f"{power} refused"] = float(self.refused[:, g].mean())
            row[f"{power} min margin"] = float(self.min_margin[:, g].min())
            row[f"{power} median min margin"] = float(np.median(self.min_margin[:, g]))
        asked = self.csto_asked != ""  # runs with a 2022 crisis request (none in a scenario without one)
        row["CSTO helped"] = float(self.csto_helped[asked].mean()) if asked.any() else float("nan")
        row.update({f"{name} (run mean)": float(values.mean()) for name, values in self.extra.items()})
        return row


def count_events(rule: str, runs: int = 50, seed: int = 0, scenario: str = "kazakhstan",
                 overrides: dict[str, Any] | None = None, steps: int | None = None,
                 refuse_all: bool = False) -> Counts:
    """Run ``runs`` replications of ``rule`` (seeds as ``multivector run --replications``) and count
    what the great powers did to S, quarter by quarter. With ``refuse_all`` the rule decides its
    engagement as usual but refuses every demand (a probe of the price of refusal, not a rule)."""
    if refuse_all:
        with mock.patch.object(secondary.rules, "complies", lambda rule, demand, obs, p: np.zeros(len(rule), bool)):
            counts = count_events(rule, runs, seed, scenario, overrides, steps)
        counts.rule = f"{rule} (refuses all)"
        return counts
    seeds = [np.random.SeedSequence(seed, spawn_key=(r,)) for r in range(runs)]
    world = Ensemble(scenario, [rule] * runs, [dict(overrides or {})] * runs, seeds, steps)
    G, D = len(world.power_ids), len(DOMAINS)
    start = world.scenario_data.start
    pressure_q = np.zeros((runs, G, D), int)
    spells = np.zeros((runs, G), int)
    current = np.zeros((runs, G), int)
    longest = np.zeros((runs, G), int)
    coercion = np.zeros((runs, G), int)
    demands = np.zeros((runs, G), int)
    high = np.zeros((runs, G), int)
    met = np.zeros((runs, G), int)
    min_margin = np.full((runs, G), np.inf)
    margin_sum = np.zeros((runs, G))
    years: list[dict[int, np.ndarray]] = [{} for _ in range(G)]
    csto_asked = np.full(runs, "", dtype=object)
    csto_helped = np.zeros(runs, bool)
    crisis_2022 = next((e.step for e in world.scenario_data.events if e.crisis and
                        step_date(start, e.step).startswith("2022")), None)
    quarters = 0
    while world.running:
        world.step()
        quarters += 1
        a = world.actions
        year = int(step_date(start, world.quarter)[:4])
        pressed = a.pressure > 0
        for d in range(D):
            pressure_q[:, :, d] += pressed & (a.pressure_domain == d)
        spells += pressed & (current == 0)
        current = np.where(pressed, current + 1, 0)
        longest = np.maximum(longest, current)
        for g in range(G):
            years[g].setdefault(year, np.zeros(runs, bool))
            years[g][year] |= pressed[:, g]
        coercion += a.coerced
        asked = a.demand_kind != NO_DEMAND
        demands += asked
        high += asked & a.demand_high
        met += asked & a.demand_met
        margin = world.satisfaction - world.P.powers.pressure_threshold
        min_margin = np.minimum(min_margin, margin)
        margin_sum += margin
        if crisis_2022 is not None and world.quarter == crisis_2022:
            c = world.last_crisis
            csto_asked = np.array([world.power_ids[i] for i in c.asked], dtype=object)
            csto_helped = c.helped.copy()
    extra = {name: world.state.outcome_sums[:, i] / max(quarters, 1) for i, name in enumerate(RUNNING_MEANS)}
    pressed_2022 = np.stack([years[g].get(2022, np.zeros(runs, bool)) for g in range(G)], axis=1)
    pressure_years = [{y: int(v.sum()) for y, v in sorted(years[g].items()) if v.any()} for g in range(G)]
    return Counts(rule, world.power_ids, runs, pressure_q, spells, longest, pressed_2022, pressure_years, coercion,
                  demands, high, met, demands - met, min_margin, margin_sum / max(quarters, 1), csto_asked,
                  csto_helped, extra)


def event_table(rules: tuple[str, ...] = RULE_NAMES, runs: int = 50, seed: int = 0, scenario: str = "kazakhstan",
                overrides: dict[str, Any] | None = None, refuse_all: bool = False):
    """One row of :meth:`Counts.summary` per rule (and, with ``refuse_all``, per rule refusing every
    demand) as a pandas DataFrame: the table the report and the calibration can cite."""
    import pandas as pd  # noqa: PLC0415 - only the table needs pandas

    variants = [(rule, refuse) for rule in rules for refuse in ((False, True) if refuse_all else (False,))]
    return pd.DataFrame([count_events(rule, runs, seed, scenario, overrides, refuse_all=refuse).summary()
                         for rule, refuse in variants])


def _parse_set(items: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        path, _, value = item.partition("=")
        try:
            out[path] = float(value)
        except ValueError:
            raise ParameterError(f"--set {item!r}: expected PATH=NUMBER") from None
    return out


def _at_least(low: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}, got {value}")
        return value
    return parse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", nargs="+", default=list(RULE_NAMES), choices=[*RULE_NAMES, "adaptive"])
    parser.add_argument("--runs", type=_at_least(1), default=50)
    parser.add_argument("--seed", type=_at_least(0), default=0)
    parser.add_argument("--scenario", default="kazakhstan")
    parser.add_argument("--power", default="RUS", help="the power whose row is printed in full (default RUS)")
    parser.add_argument("--refuse-all", action="store_true", help="also run each rule refusing every demand")
    parser.add_argument("--set", nargs="*", default=[], metavar="PATH=VALUE", help="parameter overrides")
    args = parser.parse_args(argv)
    try:
        return _print_counts(args, _parse_set(args.set))
    except (ParameterError, ScenarioError, StrategyError) as error:
        print(f"eventcounts: {error}", file=sys.stderr)
        return 2


def _print_counts(args: argparse.Namespace, overrides: dict[str, Any]) -> int:
    powers = load_scenario(args.scenario).power_ids
    if args.power not in powers:
        raise ParameterError(f"--power {args.power!r} is not a power of '{args.scenario}' (its powers: {', '.join(powers)})")
    variants = [(rule, refuse) for rule in args.rules for refuse in ((False, True) if args.refuse_all else (False,))]
    for rule, refuse in variants:
        counts = count_events(rule, args.runs, args.seed, args.scenario, overrides, refuse_all=refuse)
        rule = counts.rule
        row = counts.summary()
        g = counts.powers.index(args.power)
        p = args.power
        print(f"{rule:17s} {p}: pressure q/run {row[f'{p} pressure q']:.2f} "
              f"(sec {row[f'{p} pressure q sec']:.2f} eco {row[f'{p} pressure q eco']:.2f} "
              f"ins {row[f'{p} pressure q ins']:.2f}), spells/run {row[f'{p} spells']:.2f}, "
              f"longest {row[f'{p} longest spell']}, runs pressed {row[f'{p} runs pressed']:.2f}, "
              f"in 2022 {row[f'{p} runs pressed 2022']:.2f}, coercion/run {row[f'{p} coercion']:.2f}; "
              f"demands/run {row[f'{p} demands']:.2f} (high {row[f'{p} high demands']:.2f}) met "
              f"{row[f'{p} met']:.2f} refused {row[f'{p} refused']:.2f}; min margin {row[f'{p} min margin']:+.3f} "
              f"(median of runs {row[f'{p} median min margin']:+.3f}); CSTO helped {row['CSTO helped']:.2f}")
        others = [q for q in counts.powers if q != p]
        print(" " * 18 + "; ".join(f"{q}: pressure q/run {row[f'{q} pressure q']:.2f}, coercion/run "
                                   f"{row[f'{q} coercion']:.2f}, demands {row[f'{q} demands']:.2f} refused "
                                   f"{row[f'{q} refused']:.2f}, min margin {row[f'{q} min margin']:+.3f}"
                                   for q in others))
        print(" " * 18 + f"{p} runs pressed by year: {counts.pressure_years[g]}")
        print(" " * 18 + "; ".join(f"{name} {value:.3f}" for name, value in row.items() if "(run mean)" in name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
