"""Building blocks for the operational tests of case facts, so that each case pack states its facts
in a few readable lines.

Every function takes a :class:`~experiments.cases.facts.Runs` (R runs by T quarters) and returns
one value per run, shaped (R,), or per-quarter flags shaped (R, T). Windows run from ``first`` to
``last`` inclusive (quarter labels like "2014Q1"; None is open). Quarters after a run stopped early
(``runs.valid`` False) never count: a run is judged on what it recorded. Helpers that return a
:class:`~experiments.cases.facts.FactResult` about an event pass only where the event happened.
Nothing here names a country or a power; the packs do.
"""

from __future__ import annotations

import numpy as np

from multivector.experiments.cases.facts import FactResult, Runs, event_fact, longest_spell, state_fact

ECONOMY = 1  # the record's pressure_domain code of the economy (0 security, 1 economy, 2 institutions)


# --- per-quarter flags and what they add up to ---------------------------------------------------

def flags(runs: Runs, column: str, first: str | None = None, last: str | None = None,
          above: float = 0.0) -> np.ndarray:
    """(R, T) bool: the valid quarters of the window in which ``column`` exceeds ``above``
    (``pressure_P``, ``client_status_P``...)."""
    return (runs[column] > above) & runs.valid & runs.window(first, last)[None, :]


def is_client(runs: Runs, powers: tuple[str, ...] | None = None, first: str | None = None,
              last: str | None = None) -> np.ndarray:
    """(R, T) bool: the quarters of the window in which S has client status (``client_status_P``)
    with any of ``powers`` (default: all the case's powers)."""
    powers = runs.powers if powers is None else powers
    return np.logical_or.reduce([flags(runs, f"client_status_{p}", first, last) for p in powers])


def share_of_window(runs: Runs, condition: np.ndarray, first: str | None = None, last: str | None = None) -> np.ndarray:
    """(R,) the share of each run's valid quarters in the window in which ``condition`` (R, T)
    holds (0 for a run with no valid quarter there)."""
    inside = runs.valid & runs.window(first, last)[None, :]
    count = inside.sum(axis=1)
    return np.where(count > 0, (condition & inside).sum(axis=1) / np.maximum(count, 1), 0.0)


# --- a column over a window ----------------------------------------------------------------------

def window_mean(runs: Runs, column: str, first: str | None = None, last: str | None = None) -> np.ndarray:
    """(R,) the column's mean over each run's valid quarters in the window (NaN where there are none)."""
    keep = runs.window(first, last)
    valid = runs.valid[:, keep]
    total = np.where(valid, runs[column][:, keep], 0.0).sum(axis=1)  # over the window's quarters only
    count = valid.sum(axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def window_max(runs: Runs, column: str, first: str | None = None, last: str | None = None) -> np.ndarray:
    """(R,) the column's largest value over the window's valid quarters (-inf where there are none)."""
    inside = runs.valid & runs.window(first, last)[None, :]
    return np.where(inside, runs[column], -np.inf).max(axis=1)


def change(runs: Runs, column: str, before: tuple[str, str], after: tuple[str, str]) -> np.ndarray:
    """(R,) the column's mean over the ``after`` window minus its mean over the ``before`` window."""
    return window_mean(runs, column, *after) - window_mean(runs, column, *before)


def mean_rises(runs: Runs, column: str, before: tuple[str, str], after: tuple[str, str], by: float) -> FactResult:
    """A fact about a state: the column's mean over ``after`` exceeds its mean over ``before`` by
    at least ``by``; the figure is the rise."""
    rise = change(runs, column, before, after)
    return state_fact(rise >= by, rise)


def mean_falls(runs: Runs, column: str, before: tuple[str, str], after: tuple[str, str], by: float) -> FactResult:
    """A fact about a state: the column's mean over ``after`` is at least ``by`` below its mean
    over ``before``; the figure is the fall."""
    fall = change(runs, column, after, before)
    return state_fact(fall >= by, fall)


def peak_client_index(runs: Runs, powers: tuple[str, ...] | None = None, first: str | None = None,
                      last: str | None = None) -> np.ndarray:
    """(R,) the highest client index S reached with any of ``powers`` (default: all) in the window."""
    powers = runs.powers if powers is None else powers
    return np.stack([window_max(runs, f"client_index_{p}", first, last) for p in powers]).max(axis=0)


# --- events --------------------------------------------------------------------------------------

def event_in_window(runs: Runs, column: str, first: str | None = None, last: str | None = None,
                    above: float = 0.0) -> FactResult:
    """The event (``column`` above ``above``: pressure, client status...) happens in at least one
    quarter of the window; the figure is the number of such quarters."""
    hits = flags(runs, column, first, last, above)
    occurred = hits.any(axis=1)
    return event_fact(occurred, occurred, hits.sum(axis=1))


def rise(runs: Runs, column: str, first: str | None = None, last: str | None = None) -> np.ndarray:
    """(R,) how much a cumulative count (``coercion_P``, ``exits_P``, ``abandonment_events``,
    ``crisis_requests``) grew inside the window: its value at the run's last valid quarter up to
    ``last`` minus its value at the last valid quarter before ``first`` (0 where there is none)."""
    values = runs[column]
    before = runs.valid & ~runs.window(first, None)[None, :]
    to_last = runs.valid & runs.window(None, last)[None, :]
    return _last_where(values, to_last) - _last_where(values, before)


def _last_where(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """(R,) each row's value at the last column where ``mask`` holds (0 where it never does)."""
    last = mask.shape[1] - 1 - np.argmax(mask[:, ::-1], axis=1)
    return np.where(mask.any(axis=1), values[np.arange(len(values)), last], 0.0)


def count_rises(runs: Runs, column: str, first: str | None = None, last: str | None = None) -> FactResult:
    """The cumulative count ``column`` records at least one event inside the window; the figure
    is how many."""
    count = rise(runs, column, first, last)
    return event_fact(count > 0, count > 0, count)


def short_pressure(runs: Runs, power: str, first: str, last: str, longest: int, economic: bool = False,
                   figure: str = "longest") -> FactResult:
    """``power`` presses S in the window (in the economy, if ``economic``: security pressure alone
    does not count then) and no spell of its pressure (in any domain) lasts more than ``longest``
    quarters. Passes only where that pressure happened. The figure is the longest spell
    (``figure="longest"``) or the number of quarters of pressure (``figure="quarters"``)."""
    pressed = flags(runs, f"pressure_{power}", first, last)
    counted = pressed & (runs[f"pressure_domain_{power}"] == ECONOMY) if economic else pressed
    spell = longest_spell(pressed)
    shown = {"longest": spell, "quarters": pressed.sum(axis=1)}[figure]
    return event_fact(counted.any(axis=1), spell <= longest, shown)


def meets_demands(runs: Runs, power: str, first: str, last: str, share: float, high_cost: bool = False) -> FactResult:
    """``power`` makes at least one demand (a high-cost one, if ``high_cost``) in the window, and S
    meets at least ``share`` of them; the figure is the share met."""
    asked_column, met_column = ((f"high_cost_demands_{power}", f"high_cost_met_{power}") if high_cost
                                else (f"demands_{power}", f"demands_met_{power}"))
    inside = runs.valid & runs.window(first, last)[None, :]
    asked = np.where(inside, runs[asked_column], 0).sum(axis=1)
    met = np.where(inside, runs[met_column], 0).sum(axis=1)
    met_share = np.where(asked > 0, met / np.maximum(asked, 1), 0.0)
    return event_fact(asked > 0, met_share >= share, met_share)


# --- who leads -----------------------------------------------------------------------------------

def share_leading(runs: Runs, kind: str, power: str, domain: str | None, first: str | None = None,
                  last: str | None = None) -> np.ndarray:
    """(R,) share of the window's valid quarters in which ``power`` holds the largest value of
    ``kind`` (e.g. ``dependence`` in ``security``, or ``client_index`` with ``domain=None``) among
    the case's powers (ties count as leading)."""
    name = (lambda p: f"{kind}_{p}_{domain}") if domain else (lambda p: f"{kind}_{p}")
    values = np.stack([runs[name(p)] for p in runs.powers])  # (G, R, T)
    leads = values[runs.powers.index(power)] >= values.max(axis=0)
    return share_of_window(runs, leads, first, last)


def leading_years(runs: Runs, leader: str, others: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(years (Y,), leads (R, Y) bool): the calendar years in which column ``leader``'s yearly
    mean exceeds that of every column in ``others`` (a tie is no lead)."""
    years, lead = runs.yearly_mean(leader)
    ahead = np.ones_like(lead, dtype=bool)
    for other in others:
        ahead &= lead > runs.yearly_mean(other)[1]
    return years, ahead


def yearly_lead(runs: Runs, leader: str, others: tuple[str, ...], first_year: int, last_year: int) -> np.ndarray:
    """(R,) the share of calendar years from ``first_year`` to ``last_year`` in which column
    ``leader``'s yearly mean exceeds every column in ``others``."""
    years, ahead = leading_years(runs, leader, others)
    keep = (years >= first_year) & (years <= last_year)
    return ahead[:, keep].mean(axis=1) if keep.any() else np.zeros(runs.count)
