"""The article's claims C1-C12 and three counter-theses, each as statistics computed from the
report's sweeps, a decision rule (:mod:`.evidence`) and a figure (:mod:`.figures`).

Nothing here is typed in: every number comes from the sweeps, the margins from
:data:`evidence.MARGINS`. The sentences come from ``seeds/claims.md`` (Vanderhill, Joireman &
Tulepbayeva 2020, read as testable claims).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from multivector import model

from . import autonomy, figures
from .data import PERIODS, Sweep, any_client, best_of, unit_means, years
from .evidence import (INCONCLUSIVE, MARGINS, NOT_SUPPORTED, TESTED, Flip, Part, combine, flip_conditions,
                       relative_margin)

ARTICLE = "Vanderhill, Joireman & Tulepbayeva 2020"
SHARE, EVENTS, QUARTERS, CHOICE, REGION = (MARGINS[k][0] for k in ("share", "events", "quarters", "choice", "region"))


@dataclass
class Finding:
    """What the report says about one claim."""

    id: str
    title: str
    claim: str
    sources: str
    experiments: tuple[str, ...]
    parts: list[Part]
    figure: Figure | None
    notes: list[str] = field(default_factory=list)
    flips: dict[str, list[Flip]] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # e.g. autonomy's parts by arm
    verdict: str = ""

    def __post_init__(self) -> None:
        self.verdict = combine([p.verdict for p in self.parts if p.status == TESTED]) if self.tested else \
            self.status

    @property
    def tested(self) -> list[Part]:
        return [p for p in self.parts if p.status == TESTED]

    @property
    def status(self) -> str:
        """``tested`` when every statistic is; else what the others are, e.g. 'untestable here (2 of 3)'."""
        others = [p.status for p in self.parts if p.status != TESTED]
        if not others:
            return TESTED
        counts = {s: others.count(s) for s in dict.fromkeys(others)}
        return "; ".join(f"{s} ({n} of {len(self.parts)})" if len(self.parts) > 1 else s for s, n in counts.items())

    @property
    def deciding(self) -> Part:
        """The statistic that decided the verdict: the first tested one that is not supported (or,
        when none, inconclusive), else the tested one nearest its margin; with none tested, the first."""
        tested = self.tested
        for wanted in (NOT_SUPPORTED, INCONCLUSIVE):
            for p in tested:
                if p.verdict == wanted:
                    return p
        if tested:
            return min(tested, key=lambda p: p.estimate.low - (0 if p.kind != "superiority" else p.margin))
        return self.parts[0]


Sweeps = dict[str, Sweep]


def _strategy(sweep: Sweep, strategy: str) -> pd.Series:
    return sweep.runs["strategy"] == strategy


def _with_flips(finding: Finding, sweeps: Sweeps, source: str) -> Finding:
    parameters = sweeps[source].parameters
    # flip conditions need each unit's parameters: statistics over stylised worlds have none here
    finding.flips = {p.label: flip_conditions(p, parameters) if p.unit_name == Part.unit_name and
                     p.units.index.isin(parameters.index).all() else [] for p in finding.parts}
    for p in finding.parts:
        values = p.units.dropna().to_numpy(dtype=float)
        if len(values) and np.ptp(values) == 0:
            finding.notes.append(f"'{p.label}' is {values[0]:g} in every unit: no posterior set moves it, so the "
                                 "sets cannot show what would flip it; the experiment itself is the condition.")
    return finding


def _replicates(sweep: Sweep, value: pd.Series, where: pd.Series | None = None,
                unit: pd.Series | None = None) -> pd.DataFrame:
    """Per run of the rule under test: its unit, replication and ``value`` (the noise floor of a margin)."""
    runs = sweep.runs
    frame = pd.DataFrame({"unit": runs["unit"] if unit is None else unit, "replication": runs["replication"],
                          "value": value})
    return frame if where is None else frame[where.to_numpy()]


def _worlds(sweep: Sweep, *arms: str) -> pd.Series:
    """Per run, the world it belongs to in a grid without parameter sets: the combination of the grid
    factors other than ``arms`` (the unit of a stylised comparison, as a parameter set is of a
    calibrated one)."""
    keys = [f for f in sweep.grid_factors if f not in arms]
    if not keys:
        return pd.Series(0, index=sweep.runs.index)
    return pd.Series(pd.MultiIndex.from_frame(sweep.runs[keys].astype(str)).factorize()[0], index=sweep.runs.index)


def _by_run(sweep: Sweep, value: pd.Series) -> pd.Series:
    """A per-run Series indexed by run_id, aligned back to the rows of ``sweep.runs``."""
    return pd.Series(value.reindex(sweep.runs["run_id"]).to_numpy(), index=sweep.runs.index)


def parts_table(sweep: Sweep, arm: pd.Series) -> pd.DataFrame:
    """Autonomy and its parts on their own scales (per run, then mean over the runs of each arm)."""
    parts = autonomy.run_parts(sweep).reindex(sweep.runs["run_id"])
    parts.index = sweep.runs.index
    parts.insert(0, "autonomy (run mean)", sweep.runs["autonomy_mean"])
    table = parts.groupby(arm.to_numpy()).mean()
    return table.rename(columns=autonomy.PART_LABELS).rename_axis("")


def _rule_share(sweep: Sweep, rule: str) -> pd.DataFrame:
    """Per unit and period, the share of quarters the adaptive secondary had ``rule`` in force."""
    code = float(model.FIXED_RULES.index(rule))
    in_force = (sweep.steps["rule_in_force"] == code).astype(float)
    return pd.DataFrame({period: sweep.per_run_window(in_force, *years(first, last)).groupby("unit")["value"].mean()
                         for period, (first, last) in PERIODS.items()})


# ----- the claims ----------------------------------------------------------------------------------

CAPABILITY = "powers.B.capability"


def c1(s: Sweeps) -> Finding:
    c = s["C1-china-rise"]
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
                         "neighbour B, a distant C; experiments/designs/claims/C1-china-rise.toml): B's capability is "
                         "the factor, and no scripted shock moves anything, so a growing gap is China's rise and "
                         "nothing else. The Kazakhstan scenario reads capability from data and cannot be run "
                         "without China's rise; the earlier test, the gap from the 1990s to the 2020s in that "
                         "scenario, grew with the scripted 2014 and 2022 Russian intent shocks.")
    return _with_flips(finding, s, "C1-china-rise")


def c2(s: Sweeps) -> Finding:
    c = s["C2-clientage"]
    quarters = c.per_run_window(any_client(c), 19921, 20244, "sum")
    patron = quarters["run_id"].map(c.runs.set_index("run_id")["secondary.patron"])
    means = quarters.groupby([quarters["strategy"], patron, quarters["unit"]])["value"].mean()
    runs = c.runs
    clients = _by_run(c, quarters.set_index("run_id")["value"])
    parts, table = [], {}
    for rule in [r for r in c.results.experiment.strategies if r != "hedge"]:
        per_patron = {p: means[rule][p] for p in sorted(patron.unique())}
        same = all(np.allclose(v.to_numpy(), next(iter(per_patron.values())).to_numpy()) for v in per_patron.values())
        for p, values in (list(per_patron.items())[:1] if same else per_patron.items()):
            hedge = means["hedge"][p]
            where = (runs["strategy"].isin([rule, "hedge"]) & (runs["secondary.patron"] == p))
            label = rule if same else f"{rule} (patron {p})"
            table[label] = values
            parts.append(Part(f"quarters as anyone's client, {label} minus hedge", values - hedge, "superiority",
                              "quarters", QUARTERS, events=clients[where].groupby(runs.loc[where, "unit"]).sum(),
                              event="client status", under_test=hedge,
                              replicates=_replicates(c, clients, (runs["strategy"] == "hedge") &
                                                     (runs["secondary.patron"] == p))))
    table = {"hedge": means["hedge"][sorted(patron.unique())[0]], **table}
    finding = Finding("C2", "No clientage",
                      "A multivector secondary spends fewer quarters as anyone's client than a bandwagoner.",
                      f"{ARTICLE}; Lake 2009 (hierarchy)", ("C2-clientage",), parts,
                      figures.by_strategy(table, "Quarters as a client (client index >= threshold for 8 quarters "
                                                 "running)", "quarters, 1992-2024"))
    finding.notes.append("Every rule of the registry is run against the hedger with each great power as the patron "
                         "(experiments/designs/claims/C2-clientage.toml); a rule whose runs do not depend on the "
                         "patron is compared once.")
    return _with_flips(finding, s, "C2-clientage")


def c3(s: Sweeps) -> Finding:
    e2 = s["E2-balance-russia"]
    hedge, balance = _strategy(e2, "hedge"), _strategy(e2, "balance")
    pressure, coercion = e2.total("pressure_episodes"), e2.total("coercion")
    both = hedge | balance
    parts = [
        Part("pressure episodes, hedge minus balance", unit_means(e2.runs, pressure, hedge) -
             unit_means(e2.runs, pressure, balance), "non-inferiority", "events", EVENTS,
             events=unit_means(e2.runs, pressure, both), event="pressure",
             under_test=unit_means(e2.runs, pressure, hedge), replicates=_replicates(e2, pressure, hedge)),
        Part("coercion events, hedge minus balance", unit_means(e2.runs, coercion, hedge) -
             unit_means(e2.runs, coercion, balance), "non-inferiority", "events", EVENTS,
             events=unit_means(e2.runs, coercion, both), event="coercion",
             under_test=unit_means(e2.runs, coercion, hedge), replicates=_replicates(e2, coercion, hedge)),
        Part("security (run mean), balance minus hedge", unit_means(e2.runs, "security_mean", balance) -
             unit_means(e2.runs, "security_mean", hedge), "non-inferiority", "share", SHARE,
             under_test=unit_means(e2.runs, "security_mean", hedge),
             replicates=_replicates(e2, e2.runs["security_mean"], hedge)),
    ]
    panels = {"pressure episodes": (pressure, "episodes"), "coercion events": (coercion, "events"),
              "security (run mean)": (e2.runs["security_mean"], "security")}
    finding = Finding("C3", "No more coercion, no less security than balancing",
                      "Hedging suffers no more pressure or coercion, and has no lower security, than balancing.",
                      f"{ARTICLE}; Walt 1987 (balancing)", ("E2",), parts,
                      figures.panels_by_strategy(e2.runs, panels, ("hedge", "balance")))
    return _with_flips(finding, s, "E2-balance-russia")


MODERATE_RIVALRY = (0.5, 0.75, 1.0, 1.5)


def advantage_by_level(sweep: Sweep, value: pd.Series, factor: str, higher_is_better: bool = True) -> pd.DataFrame:
    """Per unit (rows) and factor level (columns): hedge minus the best of the other strategies."""
    runs = sweep.runs.assign(value=value)
    means = runs.groupby(["strategy", factor, "unit"])["value"].mean()
    others = [x for x in sweep.results.experiment.strategies if x != "hedge"]
    out = {}
    for level in sorted(runs[factor].unique()):
        alternatives = [means[o][level] for o in others]
        best = best_of(*alternatives, lowest=not higher_is_better)
        out[level] = (means["hedge"][level] - best) * (1 if higher_is_better else -1)
    return pd.DataFrame(out)


def c4(s: Sweeps) -> Finding:
    e6 = s["E6-rivalry"]
    inducements = e6.total("inducement_total")
    advantage = advantage_by_level(e6, inducements, "rivalry.scale")
    reference = e6.runs.loc[~_strategy(e6, "hedge") & e6.runs["rivalry.scale"].isin(MODERATE_RIVALRY)]
    parts = [Part(f"inducements, hedge minus the best exclusive strategy, rivalry x{MODERATE_RIVALRY[0]}-"
                  f"{MODERATE_RIVALRY[-1]}", advantage[list(MODERATE_RIVALRY)].mean(axis=1), "superiority",
                  "relative", relative_margin(e6.total("inducement_total", reference)))]
    finding = Finding("C4", "Negotiating power",
                      "Under moderate rivalry a multivector secondary receives more inducements than an exclusive "
                      "strategy.", f"{ARTICLE}; Kuik 2008; Simón & Figiaconi 2024", ("E6",), parts,
                      figures.by_level(e6.runs.assign(value=inducements), "rivalry.scale",
                                       "Inducements received over the run, by rivalry", "inducements (sum over powers)",
                                       shade=MODERATE_RIVALRY))
    return _with_flips(finding, s, "E6-rivalry")


CRIMEA = (20141, 20164)


def c5(s: Sweeps) -> Finding:
    e1, e2 = s["E1-bandwagon-russia"], s["E2-balance-russia"]
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
    return _with_flips(finding, s, "E2-balance-russia")


def _growth(sweep: Sweep, column: str, runs: pd.DataFrame) -> np.ndarray:
    """Per run (in the order of ``runs``), how far a cumulative column rose in 2014-16 above its 2013Q4 value."""
    during = sweep.per_run_window(sweep.steps[column], *CRIMEA, "max").set_index("run_id")["value"]
    before = sweep.per_run_window(sweep.steps[column], 20134, 20134, "max").set_index("run_id")["value"]
    return (during - before).reindex(runs["run_id"]).fillna(0).to_numpy()


def c6(s: Sweeps) -> Finding:
    e1, e3 = s["E1-bandwagon-russia"], s["E3-china-profit"]
    steps = e1.steps
    threshold = model.load_scenario("kazakhstan").parameters.measures.client_threshold
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
    return _with_flips(finding, s, "E1-bandwagon-russia")


def _enmeshment_parts(sweep: Sweep, where: str, unit: pd.Series | None = None) -> list[Part]:
    """Pressure episodes and autonomy, hedging without against with binding engagement."""
    runs = sweep.runs
    unit = runs["unit"] if unit is None else unit
    on = runs["hedge.binding_engagement"].astype(bool)
    pressure = sweep.total("pressure_episodes")
    means = lambda value, mask: value[mask].groupby(unit[mask]).mean()  # noqa: E731
    name = "posterior parameter set" if where == "Kazakhstan" else "world (A's intent, rivalry)"

    def gain(per_run: pd.Series) -> pd.Series:
        value = _by_run(sweep, per_run)
        return means(value, on) - means(value, ~on)

    return [
        Part(f"{where}: pressure episodes, without minus with enmeshment", means(pressure, ~on) - means(pressure, on),
             "superiority", "events", EVENTS, name, events=pressure.groupby(unit).sum(), event="pressure",
             replicates=_replicates(sweep, pressure, on, unit)),
        Part(f"{where}: autonomy (run mean), with minus without enmeshment",
             means(runs["autonomy_mean"], on) - means(runs["autonomy_mean"], ~on), "superiority", "share", SHARE,
             name, replicates=_replicates(sweep, runs["autonomy_mean"], on, unit),
             reweighed=autonomy.Reweighed(sweep, gain, hedge_sign=0)),
    ]


def c7(s: Sweeps) -> Finding:
    e4, pressed = s["E4-no-enmeshment"], s["C7-enmeshment-pressed"]
    parts = _enmeshment_parts(e4, "Kazakhstan") + _enmeshment_parts(pressed, "pressed stylised worlds",
                                                                     _worlds(pressed, "hedge.binding_engagement"))
    arm = lambda sweep: pd.Series(np.where(sweep.runs["hedge.binding_engagement"].astype(bool), "hedge",  # noqa: E731
                                           "hedge, no enmeshment"), index=sweep.runs.index)
    runs = pressed.runs.assign(strategy=arm(pressed))
    panels = {"pressure episodes": (pressed.total("pressure_episodes"), "episodes"),
              "autonomy (run mean)": (runs["autonomy_mean"], "autonomy")}
    runs["unit"] = _worlds(pressed, "hedge.binding_engagement")
    finding = Finding("C7", "Omni-enmeshment adds value",
                      "With the engagement rule fixed, institutions lower great-power pressure and raise autonomy.",
                      f"{ARTICLE}; Goh 2005, 2007/08 (omni-enmeshment); Kuik 2008 (binding engagement)",
                      ("E4", "C7-enmeshment-pressed"), parts,
                      figures.panels_by_strategy(runs, panels, ("hedge", "hedge, no enmeshment")))
    finding.tables["Kazakhstan (E4): autonomy and its parts (mean per run)"] = parts_table(e4, arm(e4))
    finding.tables["Pressed stylised worlds: autonomy and its parts (mean per run)"] = parts_table(pressed, arm(pressed))
    finding.notes.append("The figure shows the pressed stylised worlds (experiments/designs/claims/"
                         "C7-enmeshment-pressed.toml: a proximate power A with leverage that presses S, at three "
                         "levels of its intent and of rivalry); the Kazakhstan ablation (E4) is in the table.")
    return _with_flips(finding, s, "E4-no-enmeshment")


def c8(s: Sweeps) -> Finding:
    e2, e5 = s["E2-balance-russia"], s["E5-no-west"]
    hedge = _strategy(e2, "hedge")
    neighbours = lambda sweep: sweep.runs["pressure_episodes_RUS"] + sweep.runs["pressure_episodes_CHN"]  # noqa: E731
    with_west = unit_means(e2.runs, neighbours(e2), hedge)
    without = unit_means(e5.runs, neighbours(e5))
    parts = [Part("Kazakhstan: pressure episodes by Russia and China, without minus with the West",
                  without - with_west, "superiority", "events", EVENTS, events=with_west + without,
                  event="pressure by the neighbours", replicates=_replicates(e5, neighbours(e5))),
             *_distant_parts(s["C8-distant-power"])]
    table = {"with the West": with_west, "without the West": without}
    finding = Finding("C8", "Complex balancing",
                      "Removing one vector (the distant West) raises the pressure the remaining neighbours exert.",
                      f"{ARTICLE}; Goh 2007/08 (complex balancing)", ("E5", "E2", "C8-distant-power"), parts,
                      figures.by_strategy(table, "Pressure by Russia and China on a hedger",
                                          "pressure episodes (Russia + China)"))
    return _with_flips(finding, s, "E2-balance-russia")


def _distant_parts(c: Sweep) -> list[Part]:
    """Stylised worlds: pressure by the two neighbours A and B with the distant C removed (reach and
    budget 0) minus with it present, per world (A's intent, rivalry)."""
    runs = c.runs
    unit = _worlds(c, "powers.C.reach", "powers.C.budget")
    present = (runs["powers.C.reach"] > 0) & (runs["powers.C.budget"] > 0)
    removed = (runs["powers.C.reach"] == 0) & (runs["powers.C.budget"] == 0)
    neighbours = runs["pressure_episodes_A"] + runs["pressure_episodes_B"]
    means = lambda mask: neighbours[mask].groupby(unit[mask]).mean()  # noqa: E731
    return [Part("pressed stylised worlds: pressure episodes by A and B, without minus with the distant C",
                 means(removed) - means(present), "superiority", "events", EVENTS, "world (A's intent, rivalry)",
                 events=neighbours[present | removed].groupby(unit[present | removed]).sum(),
                 event="pressure by the neighbours", replicates=_replicates(c, neighbours, present, unit))]


def c9(s: Sweeps) -> Finding:
    e1, e2 = s["E1-bandwagon-russia"], s["E2-balance-russia"]
    suffered = lambda sweep: sweep.total("pressure_episodes") + sweep.total("coercion")  # noqa: E731
    hedge = unit_means(e2.runs, suffered(e2), _strategy(e2, "hedge"))
    balance = unit_means(e2.runs, suffered(e2), _strategy(e2, "balance"))
    bandwagon = unit_means(e1.runs, suffered(e1), _strategy(e1, "bandwagon"))
    parts = [Part("pressure episodes and coercion events suffered (all powers), the better alternative minus hedge",
                  best_of(balance, bandwagon, lowest=True) - hedge, "superiority", "events", EVENTS,
                  events=hedge + balance + bandwagon, event="pressure or coercion", under_test=hedge,
                  replicates=_replicates(e2, suffered(e2), _strategy(e2, "hedge")))]
    finding = Finding("C9", "Coexistence",
                      "A multivector secondary keeps every great power above its pressure threshold at once for "
                      "more quarters than the alternatives.", f"{ARTICLE}; Goh 2005", ("E1", "E2"), parts,
                      figures.by_strategy({"hedge": hedge, "balance": balance, "bandwagon": bandwagon},
                                          "Pressure episodes and coercion events suffered, all powers",
                                          "episodes and events over the run"))
    finding.notes.append("Tested on its consequence, what S suffers when a power is not content (pressure and "
                         "coercion from every power), not on the powers' satisfaction, which the ODD calls "
                         "descriptive.")
    return _with_flips(finding, s, "E2-balance-russia")


def c10(s: Sweeps) -> Finding:
    e10, e6 = s["E10-random-powers"], s["E6-rivalry"]
    runs = e10.runs.assign(client=e10.total("client_quarters"))
    means = runs.groupby(["unit", "strategy"])[["autonomy_mean", "client"]].mean().unstack("strategy")
    others = [x for x in e10.results.experiment.strategies if x != "hedge"]
    best_autonomy = means["autonomy_mean"]["hedge"] >= means["autonomy_mean"][others].max(axis=1)
    least_client = means["client"]["hedge"] <= means["client"][others].min(axis=1)
    dominates = (best_autonomy & least_client).astype(float)
    advantage = advantage_by_level(e6, e6.runs["autonomy_mean"], "rivalry.scale")
    parts = [
        Part("share of random great-power triples where hedging has the best autonomy and the fewest client "
             "quarters, minus one half", dominates - 0.5, "superiority", "region", REGION, "great-power triple"),
        Part("share of random triples where it does not (the region has an edge)", 1 - dominates, "superiority",
             "region", REGION, "great-power triple"),
        Part("hedging's autonomy advantage over the best alternative, rivalry x1 minus x3", advantage[1.0] -
             advantage[3.0], "superiority", "share", SHARE,
             reweighed=autonomy.Reweighed(e6, lambda per_run: (lambda a: a[1.0] - a[3.0])(
                 advantage_by_level(e6, _by_run(e6, per_run), "rivalry.scale")), hedge_sign=0)),
    ]
    finding = Finding("C10", "A model strategy",
                      "Hedging's advantage holds over a broad region of power ratios, proximities and rivalry, "
                      "and shrinks at the edges.", f"{ARTICLE}; Kuik 2021; Korolev 2025", ("E10", "E6"), parts,
                      figures.region(e10.parameters, dominates, "Where hedging dominates (E10)"))
    finding.flips = {parts[0].label: flip_conditions(parts[0], e10.parameters),
                     parts[1].label: [], parts[2].label: flip_conditions(parts[2], e6.parameters)}
    return finding


def c11(s: Sweeps) -> Finding:
    e7 = s["E7-leader-change"]
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


def c12(s: Sweeps) -> Finding:
    c = s["C12-activism"]
    inducements = c.total("inducement_total")
    levels = sorted(c.runs["hedge.activism_max"].unique())
    low, high = c.runs["hedge.activism_max"] == levels[0], c.runs["hedge.activism_max"] == levels[-1]
    pressure = c.total("pressure_episodes") + c.total("coercion")
    parts = [Part(f"inducements received (rewards realised), activism {levels[-1]:g} minus {levels[0]:g}",
                  unit_means(c.runs, inducements, high) - unit_means(c.runs, inducements, low), "superiority",
                  "relative", relative_margin(inducements[low]), replicates=_replicates(c, inducements, high)),
             Part(f"pressure episodes and coercion events avoided, activism {levels[0]:g} minus {levels[-1]:g}",
                  unit_means(c.runs, pressure, low) - unit_means(c.runs, pressure, high), "superiority", "events",
                  EVENTS, events=unit_means(c.runs, pressure, low | high), event="pressure or coercion",
                  replicates=_replicates(c, pressure, high))]
    finding = Finding("C12", "Institutional activism pays",
                      "Hosting, chairing and mediating raise enmeshment and the powers' valuation of the secondary, "
                      "and with them the rewards it gets.", f"{ARTICLE} (role in international organisations); "
                      "Goh 2005", ("C12",), parts,
                      figures.by_level(c.runs.assign(value=inducements), "hedge.activism_max",
                                       "Inducements by institutional activism (hedge)", "inducements (sum over powers)"))
    return _with_flips(finding, s, "C12-activism")


# ----- counter-theses -------------------------------------------------------------------------------

def diminishing_returns(s: Sweeps) -> Finding:
    e1, e2 = s["E1-bandwagon-russia"], s["E2-balance-russia"]
    per_quarter = lambda sw: sw.total("inducement", sw.steps)  # noqa: E731
    hedge = _period_means(e2, per_quarter(e2), "hedge")
    alternatives = (_period_means(e2, per_quarter(e2), "balance") + _period_means(e1, per_quarter(e1), "bandwagon")) / 2
    advantage = hedge - alternatives
    parts = [Part("hedging's inducement advantage per quarter over balancing and bandwagoning, 2000-07 minus 2016-24",
                  advantage["2000-07"] - advantage["2016-24"], "superiority", "relative",
                  relative_margin(hedge["2000-07"]))]
    finding = Finding("CT1", "Counter-thesis: diminishing returns",
                      "As the great powers turn their attention elsewhere, the returns of multivectorism fall: "
                      "hedging's advantage in inducements shrinks over time.", "The Asan Forum 2015", ("E1", "E2"),
                      parts, figures.periods(advantage, {}, "Hedging's inducement advantage per quarter, by period",
                                             "inducements per quarter, hedge minus alternatives"))
    return _with_flips(finding, s, "E2-balance-russia")


def _period_means(sweep: Sweep, value: pd.Series, strategy: str) -> pd.DataFrame:
    out = {}
    for period, (first, last) in PERIODS.items():
        window = sweep.per_run_window(value, *years(first, last))
        out[period] = window[window["strategy"] == strategy].groupby("unit")["value"].mean()
    return pd.DataFrame(out)


def intense_rivalry(s: Sweeps) -> Finding:
    e6 = s["E6-rivalry"]
    advantage = advantage_by_level(e6, e6.runs["autonomy_mean"], "rivalry.scale")
    top = max(advantage.columns)
    hedge = _strategy(e6, "hedge") & (e6.runs["rivalry.scale"] == top)
    parts = [Part(f"autonomy (run mean), best alternative minus hedge at rivalry x{top:g}", -advantage[top],
                  "superiority", "share", SHARE, replicates=_replicates(e6, e6.runs["autonomy_mean"], hedge),
                  reweighed=autonomy.Reweighed(e6, lambda per_run: -advantage_by_level(
                      e6, _by_run(e6, per_run), "rivalry.scale")[top], hedge_sign=-1))]
    finding = Finding("CT2", "Counter-thesis: hedging fails when rivalry is intense",
                      "When rivalry is intense and exclusivity is demanded, hedging does worse than alignment.",
                      "Kuik 2021; Korolev 2025", ("E6",), parts,
                      figures.by_level(e6.runs.assign(value=e6.runs["autonomy_mean"]), "rivalry.scale",
                                       "Autonomy by rivalry and strategy", "autonomy (run mean)"))
    finding.tables[f"Autonomy and its parts by rule at rivalry x{top:g} (mean per run)"] = parts_table(
        e6, e6.runs["strategy"].where(e6.runs["rivalry.scale"] == top))
    finding.notes.append("The shipped experiment experiments/designs/hedging-loses.toml is a region (a dominant, "
                         "benign power demanding exclusivity) where the test suite shows hedging losing.")
    return _with_flips(finding, s, "E6-rivalry")


def necessity(s: Sweeps) -> Finding:
    e9 = s["E9-adaptive"]
    share = _rule_share(e9, "hedge")
    chance = 1 / len(model.ADAPTIVE_MENU)  # the rules E9's adaptive secondary chooses among (the default menu)
    parts = [Part(f"chance ({chance:.2f}) minus the adaptive secondary's share of 2016-24 quarters hedging",
                  chance - share["2016-24"], "superiority", "choice", CHOICE)]
    shares = {rule: _rule_share(e9, rule) for rule in model.ADAPTIVE_MENU}
    finding = Finding("CT3", "Counter-thesis: necessity, not choice",
                      "Multivectorism is what a weak state is left with rather than a strategy chosen for its "
                      "results: an adaptive secondary would not prefer it.", f"{ARTICLE} (necessity in the early "
                      "years); Roth & Erev 1995", ("E9",), parts,
                      figures.rule_shares(shares, chance))
    return _with_flips(finding, s, "E9-adaptive")


CLAIMS: dict[str, Callable[[Sweeps], Finding]] = {
    "C1": c1, "C2": c2, "C3": c3, "C4": c4, "C5": c5, "C6": c6, "C7": c7, "C8": c8, "C9": c9, "C10": c10, "C11": c11,
    "C12": c12, "CT1": diminishing_returns, "CT2": intense_rivalry, "CT3": necessity,
}
E1, E2, E3, E4, E5, E6, E7, E9, E10 = ("E1-bandwagon-russia", "E2-balance-russia", "E3-china-profit",
                                       "E4-no-enmeshment", "E5-no-west", "E6-rivalry", "E7-leader-change", "E9-adaptive",
                                       "E10-random-powers")
# the sweeps each claim reads (``multivector report --only`` runs just these)
REQUIRES: dict[str, tuple[str, ...]] = {
    "C1": ("C1-china-rise",), "C2": ("C2-clientage",), "C3": (E2,), "C4": (E6,), "C5": (E1, E2), "C6": (E1, E3),
    "C7": (E4, "C7-enmeshment-pressed"), "C8": (E2, E5, "C8-distant-power"),
    "C9": (E1, E2), "C10": (E10, E6), "C11": (E7,), "C12": ("C12-activism",), "CT1": (E1, E2), "CT2": (E6,),
    "CT3": (E9,),
}
