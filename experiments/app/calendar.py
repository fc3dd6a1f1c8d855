"""Quarter arithmetic for axis labels: ``"1991Q4"`` plus n quarters.

The model knows its own calendar; the charts need it for steps a run has not reached yet
(the time axis is fixed to the whole run so it does not rescale while playing).
"""

import re

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


def parse_quarter(label: str) -> tuple[int, int]:
    """``"1991Q4"`` -> ``(1991, 4)``; raises ValueError for anything else."""
    match = _QUARTER.match(label.strip())
    if not match:
        raise ValueError(f"not a quarter label like 1991Q4: {label!r}")
    return int(match.group(1)), int(match.group(2))


def quarter_after(start: str, steps: int) -> str:
    """The quarter ``steps`` quarters after ``start``: ``quarter_after("1991Q4", 1) == "1992Q1"``."""
    year, quarter = parse_quarter(start)
    index = year * 4 + (quarter - 1) + steps
    return f"{index // 4}Q{index % 4 + 1}"


def fractional_year(start: str, steps: int) -> float:
    """Years as a decimal (1992.0 for 1992Q1), used to place yearly ticks."""
    year, quarter = parse_quarter(start)
    return year + (quarter - 1) / 4 + steps / 4
