"""Quarterly calendar: one model step is one quarter (ODD §2)."""

import re
from functools import lru_cache

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


def parse_quarter(label: str) -> tuple[int, int]:
    """``"1991Q4"`` -> ``(1991, 4)``; raises ValueError for anything else."""
    match = _QUARTER.match(label.strip())
    if not match:
        raise ValueError(f"not a quarter like 1991Q4: {label!r}")
    return int(match.group(1)), int(match.group(2))


def quarter_index(label: str) -> int:
    """Quarters since year 0, so that differences count steps."""
    year, quarter = parse_quarter(label)
    return year * 4 + (quarter - 1)


def quarter_label(index: int) -> str:
    """Inverse of :func:`quarter_index`."""
    return f"{index // 4}Q{index % 4 + 1}"


@lru_cache(maxsize=4096)  # every quarter of a run asks for its date
def step_date(start: str, step: int) -> str:
    """Calendar label of ``step`` quarters after ``start`` (step 0 is the start)."""
    return quarter_label(quarter_index(start) + step)


def step_of(start: str, date: str) -> int:
    """Step at which ``date`` falls for a run starting at ``start``."""
    return quarter_index(date) - quarter_index(start)


def decimal_year(start: str, step: int) -> float:
    """Mid-quarter time in years, used to interpolate annual series."""
    index = quarter_index(start) + step
    return index / 4 + 0.125


def fractional_year(start: str, step: int) -> float:
    """Start of the quarter ``step`` quarters after ``start``, in years (1992.0 for 1992Q1)."""
    return (quarter_index(start) + step) / 4
