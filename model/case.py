"""A real case: the ``[case]`` table of a scenario file (``/work/CASE-FORMAT.md``, docs: how-to/new-case.md).

It names the secondary power's row in the cross-case data (ISO3), the data rows each of the
scenario's power ids stands for (a composite of several rows sums them), the first year of
the case's observed series, the strategy the case followed (dated periods) and, for a case that
ships its own richer series, the files of that data pack (``[case.series]``). Everything
structural is then read from those rows (:mod:`model.crosscase`, :mod:`model.capabilities`,
:mod:`model.observed`), never from another case's.

This module only parses and checks the table; it reads no data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from multivector.model.calendar import parse_quarter, step_of
from multivector.model.errors import ScenarioError

CASE_KEYS = {"secondary", "name", "notes", "first_year_observed", "powers", "strategy", "series"}
PERIOD_KEYS = {"from", "rule", "adversary", "patron", "source"}
SERIES_KEYS = {"cinc", "gdp", "milex", "installations", "trade", "arms", "arms_years", "initial_trade_year",
               "initial_arms_years", "recording_gaps"}


@dataclass(frozen=True)
class Period:
    """One period of the case's historical strategy: from quarter ``start`` (step ``step`` of the
    scenario), S follows ``rule``; a balancer balances against ``adversary``, a bandwagoner follows
    ``patron`` (empty: chosen each quarter by the rule, as ``secondary.adversary`` / ``.patron``)."""

    start: str
    step: int
    rule: str
    adversary: str = ""
    patron: str = ""
    source: str = ""


@dataclass(frozen=True)
class OwnSeries:
    """A case's own data pack (files in ``model/data``), read instead of the cross-case files.

    ``cinc``, ``gdp``, ``milex``: tidy ``year,iso3,variable,value`` files of the great powers'
    capabilities; ``installations``: military installations in the region (power, first and
    last year); ``trade``: the secondary's trade share by partner; ``arms``: shares of arms
    deliveries by supplier, one file per span of ``arms_years``. The initial state takes economic
    dependence from ``initial_trade_year`` and security dependence from the mean of
    ``initial_arms_years`` (first, last); ``recording_gaps`` are years of a power's observed
    series that fits leave out (``{power: (first, last)}``)."""

    cinc: str
    gdp: str
    milex: str
    installations: str
    trade: str
    arms: tuple[str, ...]
    arms_years: tuple[tuple[int, int], ...]
    initial_trade_year: int
    initial_arms_years: tuple[int, int]
    recording_gaps: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    """The case behind a scenario: its secondary, its powers' data rows, its history."""

    secondary: str  # ISO3 row of the secondary in the cross-case data
    name: str  # for readers
    rows: dict[str, tuple[str, ...]]  # power id -> data rows summed for it
    first_year_observed: int
    strategy: tuple[Period, ...] = ()
    notes: str = ""  # seeds/cases/NAME.md
    series: OwnSeries | None = None  # a data pack of its own; None: the cross-case files

    def rows_of(self, power: str) -> tuple[str, ...]:
        return self.rows[power]

    @property
    def data_files(self) -> tuple[str, ...]:
        """The data files the case reads (paths under ``model/data``)."""
        if self.series is not None:
            s = self.series
            return (s.cinc, s.gdp, s.milex, s.installations, s.trade, *s.arms)
        from multivector.model.crosscase import FILES  # noqa: PLC0415

        return tuple(f"crosscase/{name}" for name in FILES)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(f"{where}: expected text, got {value!r}")
    return value.strip()


def _year(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(f"{where}: expected a year, got {value!r}")
    return value


def _span(value: Any, where: str) -> tuple[int, int]:
    if not (isinstance(value, list) and len(value) == 2):
        raise ScenarioError(f"{where}: expected [first, last] years, got {value!r}")
    first, last = (_year(v, where) for v in value)
    if last < first:
        raise ScenarioError(f"{where}: last year {last} is before first year {first}")
    return first, last


def _series(raw: Any, where: str) -> OwnSeries:
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where}: expected a table")
    unknown = set(raw) - SERIES_KEYS
    if unknown:
        raise ScenarioError(f"{where}: unknown keys {sorted(unknown)} (known: {', '.join(sorted(SERIES_KEYS))})")
    missing = SERIES_KEYS - {"recording_gaps"} - set(raw)
    if missing:
        raise ScenarioError(f"{where}: missing {', '.join(sorted(missing))}")
    arms = raw["arms"]
    if not isinstance(arms, list) or not arms:
        raise ScenarioError(f"{where}.arms: expected a list of files")
    spans = raw["arms_years"]
    if not isinstance(spans, list) or len(spans) != len(arms):
        raise ScenarioError(f"{where}.arms_years: expected one [first, last] per file of 'arms'")
    gaps = raw.get("recording_gaps", {})
    if not isinstance(gaps, dict):
        raise ScenarioError(f"{where}.recording_gaps: expected a table of power = [first, last]")
    return OwnSeries(
        *(_text(raw[k], f"{where}.{k}") for k in ("cinc", "gdp", "milex", "installations", "trade")),
        tuple(_text(a, f"{where}.arms") for a in arms),
        tuple(_span(s, f"{where}.arms_years") for s in spans),
        _year(raw["initial_trade_year"], f"{where}.initial_trade_year"),
        _span(raw["initial_arms_years"], f"{where}.initial_arms_years"),
        {p: _span(v, f"{where}.recording_gaps.{p}") for p, v in gaps.items()},
    )


def _periods(raw: Any, power_ids: tuple[str, ...], start: str, steps: int, where: str) -> tuple[Period, ...]:
    if not isinstance(raw, list):
        raise ScenarioError(f"{where}: expected [[case.strategy]] periods")
    periods: list[Period] = []
    for i, entry in enumerate(raw):
        at = f"{where}[{i}]"
        if not isinstance(entry, dict):
            raise ScenarioError(f"{at}: expected a table")
        unknown = set(entry) - PERIOD_KEYS
        if unknown:
            raise ScenarioError(f"{at}: unknown keys {sorted(unknown)} (known: {', '.join(sorted(PERIOD_KEYS))})")
        try:
            date = _text(entry.get("from"), f"{at}.from")
            parse_quarter(date)
            step = step_of(start, date)
        except ValueError:
            raise ScenarioError(f"{at}.from: expected a quarter like 2004Q1, got {entry.get('from')!r}") from None
        if step < 0 and not periods:
            step = 0  # the first period may begin before the scenario does: it is in force from the start
        if not 0 <= step <= steps:
            raise ScenarioError(f"{at}.from: {date} is outside the scenario ({start} plus {steps} quarters)")
        if periods and step <= periods[-1].step:
            raise ScenarioError(f"{at}.from: {date} is not after the previous period's {periods[-1].start}")
        rule = entry.get("rule")
        from multivector.model.rules import FIXED_RULES  # noqa: PLC0415 - the registry imports perception, which reads scenarios

        if rule not in FIXED_RULES:
            raise ScenarioError(f"{at}.rule: unknown rule {rule!r} (known: {', '.join(FIXED_RULES)})")
        roles = {}
        for role in ("adversary", "patron"):
            value = entry.get(role, "")
            if value and value not in power_ids:
                raise ScenarioError(f"{at}.{role}: unknown power {value!r} (known: {', '.join(power_ids)})")
            roles[role] = value
        periods.append(Period(date, step, rule, roles["adversary"], roles["patron"], str(entry.get("source", ""))))
    if periods and periods[0].step != 0:
        raise ScenarioError(f"{where}[0].from: the first period must start by the scenario's start ({start}), "
                            f"not {periods[0].start}")
    return tuple(periods)


def parse_case(raw: Any, power_ids: tuple[str, ...], system: tuple[str, ...], start: str, steps: int,
               name: str) -> Case:
    """The scenario's ``[case]`` table, checked: every power of the world (``system``, dropped
    powers included) maps to data rows. Raises ScenarioError naming what is wrong."""
    where = f"scenario '{name}' [case]"
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where}: expected a table")
    unknown = set(raw) - CASE_KEYS
    if unknown:
        raise ScenarioError(f"{where}: unknown keys {sorted(unknown)} (known: {', '.join(sorted(CASE_KEYS))})")
    secondary = _text(raw.get("secondary"), f"{where}.secondary")
    rows_raw = raw.get("powers")
    if not isinstance(rows_raw, dict):
        raise ScenarioError(f"{where}.powers: expected a table power id = [data rows]")
    rows: dict[str, tuple[str, ...]] = {}
    for power, value in rows_raw.items():
        if power not in system:
            raise ScenarioError(f"{where}.powers: '{power}' is not a power of the scenario ({', '.join(system)})")
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            raise ScenarioError(f"{where}.powers.{power}: expected a list of data rows (ISO3 codes of model/data/crosscase)")
        rows[power] = tuple(value)
    missing = [p for p in system if p not in rows]
    if missing:
        raise ScenarioError(f"{where}.powers: no data rows for power(s) {', '.join(missing)}")
    first_year = _year(raw.get("first_year_observed", int(start[:4])), f"{where}.first_year_observed")
    series = _series(raw["series"], f"{where}.series") if "series" in raw else None
    strategy = _periods(raw.get("strategy", []), power_ids, start, steps, f"{where}.strategy")
    return Case(secondary, str(raw.get("name", secondary)), rows, first_year, strategy, str(raw.get("notes", "")),
                series)
