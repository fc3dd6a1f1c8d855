"""The palette: strategies, powers and domains are separate colour families (issue 19, item 6),
told apart with the common colour-vision deficiencies."""

import itertools

import numpy as np
import pytest

from multivector.experiments import palette

FAMILIES = {"strategy": list(palette.STRATEGY_COLOURS.values()), "power": list(palette.POWER_CYCLE),
            "domain": list(palette.DOMAIN_COLOURS.values())}

# Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB.
SIMULATIONS = {
    "normal": np.eye(3),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
WHITE = np.array([0.95047, 1.0, 1.08883])


def _lab(colour: str, simulation: np.ndarray) -> np.ndarray:
    """CIELAB of a '#rrggbb' colour as seen under ``simulation``."""
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = SRGB_TO_XYZ @ np.clip(simulation @ linear, 0, 1) / WHITE
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _distance(a: str, b: str) -> float:
    """The smallest CIELAB distance between two colours over normal vision and the three simulations."""
    return min(float(np.linalg.norm(_lab(a, m) - _lab(b, m))) for m in SIMULATIONS.values())


def test_no_colour_belongs_to_two_families():
    for (one, first), (other, second) in itertools.combinations(FAMILIES.items(), 2):
        shared = {c.lower() for c in first} & {c.lower() for c in second}
        assert not shared, f"{one} and {other} share {shared}"


@pytest.mark.parametrize(("one", "other"), list(itertools.combinations(FAMILIES, 2)))
def test_families_stay_apart_under_colour_blindness(one, other):
    closest = min((_distance(a, b), a, b) for a in FAMILIES[one] for b in FAMILIES[other])
    assert closest[0] >= 8.0, f"{one} {closest[1]} and {other} {closest[2]} look alike ({closest[0]:.1f})"


@pytest.mark.parametrize("family", ["power", "domain"])
def test_colours_within_a_family_are_told_apart(family):
    closest = min(_distance(a, b) for a, b in itertools.combinations(FAMILIES[family], 2))
    assert closest >= 12.0


def test_the_first_three_powers_carry_white_labels():
    """The ties picture writes each power's id in white on its node: the node must be dark."""
    for colour in palette.POWER_CYCLE[:3]:
        assert _lab(colour, SIMULATIONS["normal"])[0] < 45, colour


def test_the_lookups_use_the_families():
    assert palette.power_colour("ANY", 0) == palette.POWER_CYCLE[0]
    assert palette.strategy_colour("hedge (best)") == palette.STRATEGY_COLOURS["hedge"]
    assert palette.DOMAIN_COLOURS["security"] not in palette.STRATEGY_COLOURS.values()
