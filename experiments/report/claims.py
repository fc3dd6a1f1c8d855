"""The article's claims and three counter-theses, each as statistics computed from the report's
sweeps, a decision rule (:mod:`.evidence`) and a figure (:mod:`.figures`).

The claims here are templates over roles (:mod:`.case`): "the nearest great power", "the most
distant one"; each case binds them to its own powers. Sweeps are named by experiment key (E1, E2,
C2, ...; :mod:`.plan`). Claims about one case's own history (its crises, its leaders) live in that
case's pack (``experiments/cases/NAME/claims.py``) and use the helpers below.

Nothing here is typed in: every number comes from the sweeps, the margins from
:data:`evidence.MARGINS`. The sentences come from ``seeds/claims.md`` (Vanderhill, Joireman &
Tulepbayeva 2020, read as testable claims).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from multivector import model

from . import autonomy, figures
from .case import Case, Claim
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
        """``tested`` when every statistic is; else how many are each, tested first, e.g. 'tested (1 of 3);
        untestable here (2 of 3)' (a claim whose verdict rests on its tested statistics says so)."""
        statuses = [p.status for p in self.parts]
        if all(s == TESTED for s in statuses):
            return TESTED
        order = [TESTED] * (TESTED in statuses) + [s for s in dict.fromkeys(statuses) if s != TESTED]
        return "; ".join(f"{s} ({statuses.count(s)} of {len(statuses)})" if len(statuses) > 1 else s for s in order)

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

def c2(s: Sweeps, case: Case) -> Finding:
    c = s["C2"]
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
    return _with_flips(finding, s, "C2")


def c3(s: Sweeps, case: Case) -> Finding:
    e2 = s["E2"]
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
    return _with_flips(finding, s, "E2")


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


def c4(s: Sweeps, case: Case) -> Finding:
    e6 = s["E6"]
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
    return _with_flips(finding, s, "E6")


def _enmeshment_parts(sweep: Sweep, where: str, unit: pd.Series | None = None) -> list[Part]:
    """Pressure episodes and autonomy, hedging without against with binding engagement: over the
    case's own units (``unit`` None), or over stylised worlds (``unit`` given)."""
    runs = sweep.runs
    name = Part.unit_name if unit is None else "world (A's intent, rivalry)"
    unit = runs["unit"] if unit is None else unit
    on = runs["hedge.binding_engagement"].astype(bool)
    pressure = sweep.total("pressure_episodes")
    means = lambda value, mask: value[mask].groupby(unit[mask]).mean()  # noqa: E731

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


def c7(s: Sweeps, case: Case) -> Finding:
    e4, pressed = s["E4"], s["C7"]
    parts = _enmeshment_parts(e4, case.name) + _enmeshment_parts(pressed, "pressed stylised worlds",
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
    finding.tables[f"{case.name} (E4): autonomy and its parts (mean per run)"] = parts_table(e4, arm(e4))
    finding.tables["Pressed stylised worlds: autonomy and its parts (mean per run)"] = parts_table(pressed, arm(pressed))
    finding.notes.append("The figure shows the pressed stylised worlds (experiments/designs/claims/"
                         "C7-enmeshment-pressed.toml: a proximate power A with leverage that presses S, at three "
                         f"levels of its intent and of rivalry); the {case.name} ablation (E4) is in the table.")
    return _with_flips(finding, s, "E4")


def c8(s: Sweeps, case: Case) -> Finding:
    e2, e5 = s["E2"], s["E5"]  # E5: the case's pack runs S without its most distant power
    hedge = _strategy(e2, "hedge")
    distant = case.roles["distant"]
    remaining = [p for p in case.power_ids if p != distant]
    names = [case.power_name(p) for p in remaining]
    neighbours = lambda sweep: sum(sweep.runs[f"pressure_episodes_{p}"] for p in remaining)  # noqa: E731
    with_distant = unit_means(e2.runs, neighbours(e2), hedge)
    without = unit_means(e5.runs, neighbours(e5))
    parts = [Part(f"{case.name}: pressure episodes by {' and '.join(names)}, without minus with "
                  f"{case.power_name(distant)}", without - with_distant, "superiority", "events", EVENTS,
                  events=with_distant + without, event="pressure by the neighbours",
                  replicates=_replicates(e5, neighbours(e5))),
             *_distant_parts(s["C8"])]
    table = {f"with {case.power_name(distant)}": with_distant, f"without {case.power_name(distant)}": without}
    finding = Finding("C8", "Complex balancing",
                      f"Removing one vector (the distant {case.power_name(distant).removeprefix('the ')}) raises the "
                      "pressure the remaining neighbours exert.",
                      f"{ARTICLE}; Goh 2007/08 (complex balancing)", ("E5", "E2", "C8-distant-power"), parts,
                      figures.by_strategy(table, f"Pressure by {' and '.join(names)} on a hedger",
                                          f"pressure episodes ({' + '.join(names)})"))
    return _with_flips(finding, s, "E2")


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


def c9(s: Sweeps, case: Case) -> Finding:
    e1, e2 = s["E1"], s["E2"]
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
    return _with_flips(finding, s, "E2")


def c10(s: Sweeps, case: Case) -> Finding:
    e10, e6 = s["E10"], s["E6"]
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


def c12(s: Sweeps, case: Case) -> Finding:
    c = s["C12"]
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
    return _with_flips(finding, s, "C12")


# ----- counter-theses -------------------------------------------------------------------------------

def diminishing_returns(s: Sweeps, case: Case) -> Finding:
    e1, e2 = s["E1"], s["E2"]
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
    return _with_flips(finding, s, "E2")


def _period_means(sweep: Sweep, value: pd.Series, strategy: str) -> pd.DataFrame:
    out = {}
    for period, (first, last) in PERIODS.items():
        window = sweep.per_run_window(value, *years(first, last))
        out[period] = window[window["strategy"] == strategy].groupby("unit")["value"].mean()
    return pd.DataFrame(out)


def intense_rivalry(s: Sweeps, case: Case) -> Finding:
    e6 = s["E6"]
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
    return _with_flips(finding, s, "E6")


def necessity(s: Sweeps, case: Case) -> Finding:
    e9 = s["E9"]
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
    return _with_flips(finding, s, "E9")


# The claims every case can test where it binds their roles and runs their experiments (keys of
# :mod:`.plan`); a case pack adds the claims about its own history (:class:`.case.CaseClaims`).
# CT1 and CT3 read the periods of :data:`.data.PERIODS`, so the case's span must cover them.
SPAN = (min(p[0] for p in PERIODS.values()), max(p[1] for p in PERIODS.values()))
GENERIC: dict[str, Claim] = {c.id: c for c in (
    Claim("C2", c2, ("C2",)),
    Claim("C3", c3, ("E2",), ("near",)),
    Claim("C4", c4, ("E6",)),
    Claim("C7", c7, ("E4", "C7")),
    Claim("C8", c8, ("E2", "E5", "C8"), ("near", "distant")),
    Claim("C9", c9, ("E1", "E2"), ("near",)),
    Claim("C10", c10, ("E10", "E6")),
    Claim("C12", c12, ("C12",)),
    Claim("CT1", diminishing_returns, ("E1", "E2"), ("near",), SPAN),
    Claim("CT2", intense_rivalry, ("E6",)),
    Claim("CT3", necessity, ("E9",), (), SPAN),
)}
