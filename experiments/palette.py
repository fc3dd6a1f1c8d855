"""One palette for every figure and chart (CLI, sweeps, calibration, the report, the app).

Three families that never share a colour, so a colour names one kind of thing in any figure:

- strategies: Okabe & Ito (2008), "Color universal design", the saturated colours told apart
  with the common forms of colour blindness;
- great powers: dark tones from Paul Tol's "muted" scheme (Tol 2021, "Colour schemes", SRON
  technical note), dark enough to carry white labels (the ties picture);
- domains: three lighter tones from Tol's "light" and "muted" schemes.

Every cross-family pair stays at least about 9 CIELAB units apart under normal vision and simulated
deuteranopia, protanopia and tritanopia (Machado et al. 2009, severity 1); checked by
``tests/test_palette.py``. A strategy, a power and a domain have the same colour everywhere.
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
# (Tol muted: indigo, brown, dark olive, wine; Tol high-contrast dark blue; a dark green)
POWER_CYCLE = ("#332288", "#661100", "#666633", "#882255", "#004488", "#0B3D2E")
# Tol light's salmon and mint, Tol's dark rose
DOMAIN_COLOURS = {"security": "#EE8866", "economy": "#44BB99", "institutions": "#994455"}
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
