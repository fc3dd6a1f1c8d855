"""C10 from the real cases: "multivectorism is a model strategy for secondary states" (issue 18 item 4).

The claim is tested with the decision rule and status column of every other claim
(:mod:`..report.evidence`), the unit being a **real case** (resampled in the bootstrap as a
posterior set is elsewhere). Every rule enters each case in its best available form
(:mod:`.matrix`). Four statistics, oriented so that positive favours the claim:

1. the share of cases in which hedging beats the best available form of *every* alternative on
   utility and autonomy (the "each rule at its best" section's rule, case by case), minus one half
   (superiority; margin: five percentage points of the cases): hedging is the model strategy in
   most cases, not only on average;
2. hedging's utility U_S minus the best alternative's in each case (superiority; 5% of hedging's
   mean utility, or the seeds' noise if larger);
3. the same on autonomy (superiority; one percentage point, or the noise);
4. quarters as a client: hedging's minus the fewest of any alternative (non-inferiority; four
   quarters), untestable where no rule is ever anyone's client.

A statistic whose rule-under-test values are the same in every case is *true by construction*; the
claim's verdict combines its *tested* statistics. What would flip it is computed, not typed: how
many cases, nearest the line first, would have to go the other way, and which structural inputs
split the cases into thirds with different verdicts (:func:`..report.evidence.flip_conditions`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from multivector import model

from multivector.experiments.report.claims import Finding
from multivector.experiments.report.evidence import MARGINS, NOT_SUPPORTED, SUPPORTED, TESTED, Part, flip_conditions

from .matrix import Matrix

UNIT = "real case"
CLAIM = ("Multivectorism is a model strategy for secondary states: across the real cases, hedging does better for "
         "the secondary than the best form of every alternative.")
SOURCES = ("Vanderhill, Joireman & Tulepbayeva 2020 (the article's title); Kuik 2021; Korolev 2025; the case "
           "library (`multivector cases`)")


def c10_parts(dominates: pd.Series, utility: pd.DataFrame, autonomy: pd.DataFrame, clients: pd.DataFrame) -> list[Part]:
    """The statistics of C10 from per-case inputs: ``dominates`` (case -> hedging beats every
    alternative), and per case and seed the differences ``utility``, ``autonomy`` (hedge minus the
    best alternative) and ``clients`` (hedge minus the fewest client quarters of any alternative),
    each with columns case, replication, value, hedge, and for ``clients`` also events (client
    quarters over every arm compared)."""
    def per_case(frame: pd.DataFrame, column: str = "value") -> pd.Series:
        return frame.groupby("case", sort=False)[column].mean()

    def replicates(frame: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"unit": frame["case"], "replication": frame["replication"], "value": frame["hedge"]})

    hedge_utility = per_case(utility, "hedge")
    return [
        Part("share of real cases where hedging beats the best available form of every alternative (utility and "
             "autonomy), minus one half", dominates.astype(float) - 0.5, "superiority", "region",
             MARGINS["region"][0], UNIT, under_test=hedge_utility),
        Part("utility U_S, hedging minus the best alternative (best available forms)", per_case(utility),
             "superiority", "relative", MARGINS["relative"][0] * float(np.nanmean(np.abs(hedge_utility))), UNIT,
             under_test=hedge_utility, replicates=replicates(utility)),
        Part("autonomy (run mean), hedging minus the best alternative (best available forms)", per_case(autonomy),
             "superiority", "share", MARGINS["share"][0], UNIT, under_test=per_case(autonomy, "hedge"),
             replicates=replicates(autonomy)),
        Part("quarters as a client, hedging minus the fewest of any alternative", per_case(clients),
             "non-inferiority", "quarters", MARGINS["quarters"][0], UNIT, events=per_case(clients, "events"),
             event="client status", under_test=per_case(clients, "hedge"), replicates=replicates(clients)),
    ]


def matrix_inputs(matrix: Matrix) -> tuple[pd.Series, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The inputs of :func:`c10_parts` from a matrix."""
    clients = matrix.advantage("client_quarters", lowest=True)
    best = matrix.at_best()
    events = best[best["strategy"] != model.HISTORICAL].groupby("case")["client_quarters"].sum()
    clients = clients.assign(events=clients["case"].map(events))
    return (matrix.hedging_beats_every_alternative(), matrix.advantage("utility"), matrix.advantage("autonomy"),
            clients)


def cases_to_flip(part: Part) -> list[tuple[int, list[str], str]]:
    """The fewest cases that would have to go the other way for ``part``'s verdict to change: a case
    goes the other way when its difference reverses sign (for the share of cases, when hedging's
    dominance there is lost or won). Toward the claim, the cases against it are reversed, the largest
    first; against it, the cases for it. A supported verdict can only fall, a not-supported one only
    rise, an inconclusive one either way. Each entry: (number of cases, which, the new verdict)."""
    values = part.units.astype(float)
    favours = values < 0 if part.kind == "non-inferiority" else values > 0  # the harm is the non-inferiority's value
    directions = {SUPPORTED: (favours,), NOT_SUPPORTED: (~favours,)}.get(part.verdict, (~favours, favours))
    out = []
    for side in directions:
        candidates = values[side & (values != 0)].abs().sort_values(ascending=False).index  # a zero reversed is zero
        changed = values.copy()
        for k, case in enumerate(candidates, 1):
            changed[case] = -values[case]
            trial = Part(part.label, changed.copy(), part.kind, part.margin_kind, part.margin, part.unit_name)
            if trial.verdict != part.verdict:
                out.append((k, list(candidates[:k]), trial.verdict))
                break
    return out


def c10_finding(parts: list[Part], structure: pd.DataFrame | None = None, figure=None,
                world: str = "") -> Finding:
    """C10's finding: the verdict of its tested statistics, its status, and what would flip it."""
    finding = Finding("C10", "A model strategy (real cases)", CLAIM, SOURCES, ("cross-case matrix",), parts, figure)
    if structure is not None:
        finding.flips = {p.label: flip_conditions(p, structure.loc[structure.index.isin(p.units.index)])
                         if len(p.units) >= 6 else [] for p in parts}
    for p in parts:
        if p.status != TESTED:
            continue
        flips = cases_to_flip(p)
        for k, which, becomes in flips:
            finding.notes.append(f"'{p.label}' ({p.verdict}) would become {becomes} if {k} case(s) went the other "
                                 f"way: {', '.join(which)}.")
        if not flips:
            finding.notes.append(f"'{p.label}' ({p.verdict}): no number of cases going the other way changes it "
                                 "(the interval's width, not the cases, holds it; more seeds could).")
    if world:
        finding.notes.append(f"World: {world}.")
    return finding
