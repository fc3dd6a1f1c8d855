"""Kazakhstan's own claims: the parts of the article's thesis that are about this case's history
(China's rise beside Russia, the 2014 Crimea crisis, the 2019 change of leader), tested by
``multivector report`` with the generic machinery of :mod:`experiments.report`. The generic claims
(C2-C4, C7-C10, C12 and the counter-theses) are templates over roles that this pack binds below;
the experiments of these claims are this pack's ``designs/`` (C1 in stylised worlds with the
structure of 1991; E3, E7 and E8 read this case's dates; E5 is this case without the West).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from multivector import model
from multivector.experiments.report import autonomy, figures
from multivector.experiments.report.case import Case, CaseClaims, Claim, ThresholdSection
from multivector.experiments.report.claims import (ARTICLE, EVENTS, SHARE, Finding, Sweeps, _by_run, _replicates,
                                                     _with_flips, _worlds, parts_table)
from multivector.experiments.report.data import Sweep
from multivector.experiments.report.evidence import Part, flip_conditions, relative_margin

DESIGNS = Path(__file__).resolve().parent / "designs"

CAPABILITY = "powers.B.capability"


def c1(s: Sweeps, case: Case) -> Finding:
    c = s["C1"]
    runs = c.runs
    world = _worlds(c, CAPABILITY)
    levels = sorted(runs[CAPABILITY].unique())
    hedge = runs["strategy"] == "hedge"

    def growth(value: pd.Series) -> pd.Series:
        """Per world: (hedge - bandwagon) at the highest capability of B minus at the lowest."""
        means = value.groupby([runs["strategy"], runs[CAPABILITY], world]).mean()
        gap = means["hedge"] - means["bandwagon"]
        return gap[levels[-1]] - gap[levels[0]]

    by_run = lambda per_run: growth(_by_run(c, per_run))  # noqa: E731
    cell = world.astype(str) + "@" + runs[CAPABILITY].astype(str)
    parts = [
        Part(f"autonomy gap (hedge - bandwagon with A), B's capability {levels[-1]:g} minus {levels[0]:g}",
             growth(runs["autonomy_mean"]), "superiority", "share", SHARE, "world (A's intent, B's reach)",
             replicates=_replicates(c, runs["autonomy_mean"], hedge, cell),
             reweighed=autonomy.Reweighed(c, by_run, hedge_sign=0)),
        Part(f"utility gap (hedge - bandwagon with A), B's capability {levels[-1]:g} minus {levels[0]:g}",
             growth(runs["utility"]), "superiority", "relative",
             relative_margin(runs.loc[hedge, "utility"]), "world (A's intent, B's reach)",
             replicates=_replicates(c, runs["utility"], hedge, cell)),
    ]
    gaps = pd.DataFrame({level: (runs["autonomy_mean"].groupby([runs["strategy"], runs[CAPABILITY], world]).mean()
                                 .pipe(lambda m: m["hedge"] - m["bandwagon"])[level]) for level in levels})
    finding = Finding("C1", "Necessity, then strategy: China's rise",
                      "In the early 1990s multivectorism buys little over bandwagoning with Russia; its advantage "
                      "grows as other powers' capability and offers grow.",
                      f"{ARTICLE}; theory.md C1", ("C1-china-rise",), parts,
                      figures.advantage_by_level(gaps, "B's capability (share of the modelled powers)",
                                                 "Hedging's autonomy over bandwagoning with A, by B's capability",
                                                 "autonomy, hedge minus bandwagon"))
    finding.tables["Autonomy and its parts by rule and B's capability (mean per run)"] = parts_table(
        c, runs["strategy"] + ", B at " + runs[CAPABILITY].map("{:g}".format))
    finding.notes.append("Stylised worlds with Kazakhstan's 1991 structure (a proximate power A with leverage, a second "
                         "neighbour B, a distant C; experiments/cases/kazakhstan/designs/C1-china-rise.toml): B's capability is "
                         "the factor, and no scripted shock moves anything, so a growing gap is China's rise and "
                         "nothing else. The Kazakhstan scenario reads capability from data and cannot be run "
                         "without China's rise; the earlier test, the gap from the 1990s to the 2020s in that "
                         "scenario, grew with the scripted 2014 and 2022 Russian intent shocks.")
    return _with_flips(finding, s, "C1")



CRIMEA = (20141, 20164)


def c5(s: Sweeps, case: Case) -> Finding:
    e1, e2 = s["E1"], s["E2"]
    content = (e2.steps["satisfaction_margin_RUS"] >= 0).astype(float)
    share = e2.per_run_window(content, *CRIMEA).groupby(["strategy", "unit"])["value"].mean()
    refused = (e2.steps["demands_RUS"] - e2.steps["demands_met_RUS"]).clip(lower=0)
    refusals = e2.per_run_window(refused, *CRIMEA, "sum")
    runs = refusals[["run_id", "strategy", "unit"]]
    asserts = (refusals["value"] > 0).to_numpy() | (_growth(e2, "alternative_routes", runs) > 1e-12)
    asserting = runs.assign(value=asserts.astype(float))
    coerced = runs.assign(value=_growth(e2, "coercion_RUS", runs)).groupby(["strategy", "unit"])["value"].mean()
    entrapment = e1.per_run_window(e1.steps["entrapment"], *CRIMEA).groupby(["strategy", "unit"])["value"].mean()
    parts = [
        Part("share of 2014-16 quarters with Russia content, hedge minus balance", share["hedge"] - share["balance"],
             "superiority", "share", SHARE),
        Part("share of hedging runs that assert themselves in 2014-16 (refuse a Russian demand or add routes)",
             asserting[asserting["strategy"] == "hedge"].groupby("unit")["value"].mean(), "superiority", "share",
             SHARE),
        Part("new Russian coercion events in 2014-16, balance minus hedge", coerced["balance"] - coerced["hedge"],
             "superiority", "events", EVENTS, events=coerced["balance"] + coerced["hedge"], event="coercion"),
        Part("entrapment in 2014-16, bandwagon minus hedge", entrapment["bandwagon"] - entrapment["hedge"],
             "superiority", "share", SHARE, events=entrapment["bandwagon"] + entrapment["hedge"],
             event="entrapment"),
    ]
    finding = Finding("C5", "Crimea",
                      "After the 2014 shock, the hedger keeps Russia above its pressure threshold while asserting "
                      "itself; balancing draws Russian coercion; bandwagoning draws entrapment.",
                      f"{ARTICLE}; Snyder 1984 (entrapment)", ("E1", "E2"), parts,
                      figures.window_series({
                          "Russia content (share of runs)": {
                              "hedge": (e2, content, "hedge", None, "share of runs"),
                              "balance": (e2, content, "balance", None, "share of runs")},
                          "Russian coercion events to date": {
                              "hedge": (e2, e2.steps["coercion_RUS"], "hedge", None, "events"),
                              "balance": (e2, e2.steps["coercion_RUS"], "balance", None, "events")},
                          "Entrapment": {
                              "hedge": (e1, e1.steps["entrapment"], "hedge", None, "entrapment"),
                              "bandwagon": (e1, e1.steps["entrapment"], "bandwagon", None, "entrapment")}},
                          2010, 2018, CRIMEA, "2014-16, around Crimea"))
    return _with_flips(finding, s, "E2")


def _growth(sweep: Sweep, column: str, runs: pd.DataFrame) -> np.ndarray:
    """Per run (in the order of ``runs``), how far a cumulative column rose in 2014-16 above its 2013Q4 value."""
    during = sweep.per_run_window(sweep.steps[column], *CRIMEA, "max").set_index("run_id")["value"]
    before = sweep.per_run_window(sweep.steps[column], 20134, 20134, "max").set_index("run_id")["value"]
    return (during - before).reindex(runs["run_id"]).fillna(0).to_numpy()


def c6(s: Sweeps, case: Case) -> Finding:
    e1, e3 = s["E1"], s["E3"]
    steps = e1.steps
    threshold = model.load_scenario(case.scenario).parameters.measures.client_threshold
    hedge = steps["strategy"] == "hedge"
    # the hedger's own dominance cap on trade (hedge.dominance_cap_economy, a calibrated value of each set)
    cap = steps["run_id"].map(e1.runs.set_index("run_id")["hedge.dominance_cap_economy"])
    cap_room = (cap - steps["dependence_CHN_economy"]).where(hedge)
    client_room = (threshold - steps["client_index_CHN"]).where(hedge)
    after = (20051, 20244)
    room = e1.per_run_window(cap_room, *after, "min").dropna()
    client = e1.per_run_window(client_room, *after, "min").dropna()
    parts = [
        Part("hedging: least headroom of economic dependence on China under the hedger's dominance cap on trade, "
             "2005-24",
             room.groupby("unit")["value"].mean(), "superiority", "share", SHARE),
        Part("hedging: least headroom of the client index toward China under the client threshold, 2005-24",
             client.groupby("unit")["value"].mean(), "superiority", "share", SHARE),
    ]
    switched = e3.steps["switch.date"] == "2013Q3"
    panels = {
        "Economic dependence on China": {
            "hedge": (e1, steps["dependence_CHN_economy"], "hedge", None, "dependence"),
            "E3: profit-bandwagon with China from 2013Q3": (e3, e3.steps["dependence_CHN_economy"].where(switched),
                                                            "hedge", "#CC79A7", "dependence"),
            "the hedger's dominance cap": (e1, cap, "hedge", "black", "dependence")},
        "Client index toward China": {
            "hedge": (e1, steps["client_index_CHN"], "hedge", None, "client index"),
            "E3: profit-bandwagon with China": (e3, e3.steps["client_index_CHN"].where(switched), "hedge", "#CC79A7",
                                                "client index")},
        "Welfare": {
            "hedge": (e1, steps["welfare"], "hedge", None, "welfare (1991 = 1)"),
            "bandwagon with Russia (E1)": (e1, steps["welfare"], "bandwagon", None, "welfare (1991 = 1)")}}
    finding = Finding("C6", "China's rise",
                      "The hedger captures welfare from China while its dependence on China stays under the "
                      "dominance cap and its client index toward China stays low.",
                      f"{ARTICLE}; Kuik 2008 (dominance denial); Lake 2009", ("E1", "E3"), parts,
                      figures.window_series(panels, 2000, 2024, (20051, 20244), "2005-24"))
    finding.notes.append("The hedging rule itself caps the share of trade any one power holds (dominance denial, "
                         "Kuik 2008); the first statistic checks that dependence, which accumulates with a lag and "
                         "through export routes, stays under that cap too: it can fail only through that path "
                         "dependence. The client index toward China is a consequence no rule sets.")
    return _with_flips(finding, s, "E1")



def c11(s: Sweeps, case: Case) -> Finding:
    e7 = s["E7"]
    before = e7.per_run_window(e7.steps["autonomy"], 20171, 20184).set_index("run_id")["value"]
    after = e7.per_run_window(e7.steps["autonomy"], 20191, 20204)
    jump = after.assign(value=after["value"].to_numpy() - before.reindex(after["run_id"]).to_numpy())
    means = jump.groupby(["shocks.leader_spread", "unit"])["value"].mean()
    spreads = sorted(jump["shocks.leader_spread"].unique())
    parts = [Part("change in autonomy across 2019 (2019-20 minus 2017-18), the scenario's new leader (spread 1) "
                  "minus the same leader (spread 0)", means[1.0] - means[0.0], "equivalence", "share", SHARE)]
    finding = Finding("C11", "Continuity across leaders",
                      "Outcomes under hedging are robust to the 2019 change of leader parameters.",
                      f"{ARTICLE}", ("E7",), parts,
                      figures.by_strategy({f"spread {k:g}": means[k] - means[0.0] for k in spreads},
                                     "The 2019 discontinuity against an unchanged leader, by the new leader's spread",
                                     "autonomy jump minus no-change jump"))
    finding.flips = {parts[0].label: flip_conditions(parts[0], e7.parameters)}
    for spread in spreads[2:]:
        wider = Part(f"spread {spread:g}", means[spread] - means[0.0], "equivalence", "share", SHARE)
        finding.notes.append(f"With draws {spread:g} times as wide as the scenario's the same test gives "
                             f"{wider.estimate.text()}: {wider.verdict}.")
    return finding


# The roles of the generic claims, declared with their source rather than left to the data (which
# agree: Russia's reach 1.0 and 99% of S's security ties in 1991, the West's reach 0.15).
ROLES = {
    "near": ("RUS", "theory.md: Russia, the proximate power with leverage (border, security ties, routes)"),
    "second": ("CHN", "theory.md: China, the second neighbour, rising"),
    "distant": ("WEST", "theory.md: the West (United States and European Union), distant"),
}
NAMES = {"RUS": "Russia", "CHN": "China", "WEST": "the West"}

LIMITS = (
    "One secondary power. Kazakhstan is modelled alone; the other Central Asian states, and what they do, are "
    "not agents.",
    "Quarterly steps. Anything faster than a quarter (a week of crisis diplomacy in January 2022) is folded into "
    "one step; event order within a quarter follows the scenario's dates.",
    "Unitary actors. Each power, and Kazakhstan, is one decision maker: no domestic politics, elites, lobbies or "
    "public opinion, except the 2019 leader change as a change of parameters.",
    "The West as one actor. The United States and the European Union are one power with one intent, one budget "
    "and one reliability.",
    "What the calibration could not fit. Ten stylised facts and two observed series (trade shares, arms "
    "shares) constrain the posterior sets; many parameters remain placeholders (`multivector params` marks them), "
    "and the verdicts are conditional on them. The claims are tested over the posterior sets, so the intervals "
    "carry the calibration's uncertainty but not that of the placeholders; the sensitivity analysis and the flip "
    "conditions show which of the calibrated ones matter.",
    "Counterfactual worlds are the model's. E5 removes the West from a world calibrated with it; E10's random "
    "triples use the stylised scenario's uncalibrated defaults.",
)

CLAIMS = CaseClaims(
    claims={c.id: c for c in (
        Claim("C1", c1, ("C1",), specific="China's rise beside Russia, in stylised worlds with Kazakhstan's 1991 "
              "structure"),
        Claim("C5", c5, ("E1", "E2"), specific="its 2014-16 window is the Crimea crisis and Russia's reaction"),
        Claim("C6", c6, ("E1", "E3"), specific="China's rise and the 2013 Belt and Road switch of Kazakhstan"),
        Claim("C11", c11, ("E7",), specific="the 2019 change of Kazakhstan's president"),
    )},
    designs={key: DESIGNS / f"{stem}.toml" for key, stem in (
        ("C1", "C1-china-rise"), ("E3", "E3-china-profit"), ("E5", "E5-no-west"), ("E7", "E7-leader-change"),
        ("E8", "E8-shock-scale"))},
    roles=ROLES,
    names=NAMES,
    limits=LIMITS,
    threshold=ThresholdSection(
        key="E8", factor="shocks.intent_scale", axis="shocks.intent_scale (x the 2014 and 2022 intent shocks)",
        heading="E8: a tipping threshold for the shocks of 2014 and 2022?",
        what="increments of Russia's intent in 2014 and 2022"),
)
