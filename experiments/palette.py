"""One palette for every figure and chart (CLI, sweeps, calibration, the report, the app).

Okabe & Ito (2008), "Color universal design": eight colours distinguishable with the common forms of
colour blindness. A strategy, a power and a domain have the same colour everywhere.
"""

from __future__ import annotations

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
}
GREY = "#999999"
LIGHT_GREY = "#dddddd"

STRATEGY_COLOURS = {
    "balance": OKABE_ITO["blue"],
    "bandwagon": OKABE_ITO["vermillion"],
    "bandwagon-profit": OKABE_ITO["purple"],
    "hedge": OKABE_ITO["green"],
    "adaptive": OKABE_ITO["orange"],
    "balance-fallback": OKABE_ITO["sky"],  # a light kin of balance's blue
    "bandwagon-selective": OKABE_ITO["black"],
}
# powers by their place in the scenario's list, so every case colours its first power alike
POWER_CYCLE = (OKABE_ITO["vermillion"], OKABE_ITO["orange"], OKABE_ITO["blue"], OKABE_ITO["sky"],
               OKABE_ITO["purple"], OKABE_ITO["black"])
DOMAIN_COLOURS = {"security": OKABE_ITO["vermillion"], "economy": OKABE_ITO["blue"],
                  "institutions": OKABE_ITO["green"]}
OUTCOME_COLOURS = {"autonomy": OKABE_ITO["black"], "security": OKABE_ITO["vermillion"],
                   "welfare": OKABE_ITO["blue"], "hedging_index": OKABE_ITO["purple"]}
CYCLE = (OKABE_ITO["sky"], OKABE_ITO["orange"], OKABE_ITO["purple"], OKABE_ITO["black"], GREY, OKABE_ITO["yellow"])
EVENT_COLOUR = GREY


def strategy_colour(strategy: str, index: int = 0) -> str:
    """A strategy's colour; a strategy in a form (``hedge (best)``) has the strategy's colour."""
    return STRATEGY_COLOURS.get(strategy.split(" (")[0], CYCLE[index % len(CYCLE)])


def outcome_colour(outcome: str, index: int = 0) -> str:
    return OUTCOME_COLOURS.get(outcome, CYCLE[index % len(CYCLE)])


def power_colour(power: str, index: int = 0) -> str:
    """The colour of the scenario's ``index``-th power (``power`` is its id, kept for readers)."""
    return POWER_CYCLE[index % len(POWER_CYCLE)]
