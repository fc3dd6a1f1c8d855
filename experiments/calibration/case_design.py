"""A calibration design for any case with a pack, generated from the pack and the scenario: the
pack's facts (and its observed series, if it has any) as summaries, the case's historical
strategy as the rule, and the free parameters of :mod:`experiments.calibration.priors` (the
world's, its powers' red lines, its rules' own constants) with uniform priors.

``multivector calibrate NAME`` uses ``experiments/designs/calibrate-NAME.toml`` when the project
ships one (the default case's, written by hand) and this generated design otherwise, written into the
output folder as ``design.toml`` so the calibration names the file it ran.
"""

from __future__ import annotations

from pathlib import Path

from multivector import model
from multivector.experiments.calibration.calibrate import dump_toml
from multivector.experiments.calibration.priors import case_priors, historical_rules
from multivector.experiments.calibration.summary import observed_series
from multivector.experiments.cases import pack
from multivector.experiments.errors import UsageError

DESIGNS = Path(__file__).resolve().parents[1] / "designs"
DESIGN_FILE = "design.toml"  # the generated design, in the output folder

# The budget of a generated design: about a third of the default case's runs (10-12 cases to calibrate
# on a shared 2-core machine). Seeds per particle as the joint calibration's.
SAMPLES, REPLICATIONS, POPULATION, GENERATIONS = 300, 3, 150, 6
SEED = 20261203


def shipped_design(scenario: str) -> Path | None:
    path = DESIGNS / f"calibrate-{scenario}.toml"
    return path if path.is_file() else None


def require_pack(scenario: str):
    """The scenario's case pack, or one line naming what is missing."""
    if scenario not in model.scenario_names():
        raise UsageError(f"calibrate: {scenario!r} is neither a calibration file nor a scenario "
                         f"(cases with a pack: {', '.join(_packs())})")
    found = pack(scenario)
    if found is None or not found.facts:
        raise UsageError(f"calibrate: scenario {scenario!r} has no case pack with facts (experiments/cases/); "
                         "nothing to calibrate it on")
    return found


def _packs() -> list[str]:
    from multivector.experiments.cases import pack_names  # noqa: PLC0415

    return pack_names()


def design_text(scenario: str) -> str:
    """The TOML text of ``scenario``'s generated calibration design."""
    case = require_pack(scenario)
    rules = historical_rules(scenario)
    factors = {p.path: {"low": p.low, "high": p.high} for p in case_priors(scenario)}
    series = [s.kind for s in observed_series(case)]
    facts = len(case.facts)
    data = {
        "experiment": {"name": f"calibrate-{scenario}", "scenario": scenario, "replications": REPLICATIONS,
                       "seed": SEED, "strategies": ["historical"],
                       "description": f"ABC-SMC posterior of {scenario}'s free parameters under its historical "
                                      f"strategy ({', '.join(rules)}), given its case pack's facts."},
        "design": {"kind": "lhs", "samples": SAMPLES, "seed": 7},
        "factors": factors,
        "collect": {"patterns": True},
        "calibration": {"min_patterns": max(1, facts - 2), "uninformative_share": 0.9, "population": POPULATION,
                        "generations": GENERATIONS, "min_acceptance": 0.02, "fit_weight": 0.25,
                        "fit_series": series, "predictive_samples": 100, "point_replications": 30, "resample": 64},
    }
    header = (f"Calibration design for {scenario}, generated from its case pack (experiments/cases/) by\n"
              "experiments/calibration/case_design.py: the free parameters and their ranges are\n"
              "experiments/calibration/priors.py's (the world's reactions, the case's powers' red lines,\n"
              f"the constants of the rules it followed: {', '.join(rules)}); everything else is the scenario's.")
    return dump_toml(data, header)


def design_for(scenario: str, folder: Path) -> Path:
    """The design ``calibrate NAME`` runs: the shipped file, else the generated one written to
    ``folder/design.toml`` (left alone when it already holds the same text, as on --resume)."""
    shipped = shipped_design(scenario)
    if shipped is not None:
        require_pack(scenario)
        return shipped
    text = design_text(scenario)
    path = folder / DESIGN_FILE
    if not path.is_file() or path.read_text() != text:
        from multivector.experiments.safe_paths import write_text  # noqa: PLC0415

        folder.mkdir(parents=True, exist_ok=True)
        write_text(path, text)
    return path
