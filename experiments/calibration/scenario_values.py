"""Write a calibration's point summary into its scenario file, each value marked with where it
comes from: ``# calibrated (posterior median; 90% interval [a, b])``.

    .venv/bin/python -m multivector.experiments.calibration.scenario_values experiments/data/calibration-NAME

rewrites ``model/scenario_files/<scenario>.toml`` in place (the scenario named in the calibration's
experiment file): a value already in the file is replaced on its line, a new one is added at the
top of its table (``[parameters.<group>]``), creating the table (before the file's first array of
tables, ``[[institutions]]`` or ``[[events]]``) if the file has none. Nothing else in the file changes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from pathlib import Path

import pandas as pd

from multivector.experiments.calibration.calibrate import weighted_quantile

SCENARIOS = Path(__file__).resolve().parents[2] / "model" / "scenario_files"
DATA = Path(__file__).resolve().parents[1] / "data"


def comments(folder: Path) -> dict[str, str]:
    """Per calibrated path, its mark: the point summary's kind and the 90% posterior interval."""
    posterior = pd.read_csv(folder / "posterior.csv")
    weights = posterior["weight"].to_numpy()
    chosen = tomllib.loads((folder / "calibrated.toml").read_text())["fixed"]
    out = {}
    for path in chosen:
        values = posterior[path].to_numpy()
        low, high = weighted_quantile(values, weights, 0.05), weighted_quantile(values, weights, 0.95)
        out[path] = f"calibrated (posterior median; 90% interval [{low:.3g}, {high:.3g}])"
    return out


def calibrated_sources(scenario: str) -> dict[str, str]:
    """Per parameter path the shipped calibration of ``scenario`` sets, where its value comes from
    (``multivector params`` shows it in place of "placeholder"); empty without a calibration."""
    folder = DATA / f"calibration-{scenario}"
    if not (folder / "posterior.csv").is_file() or not (folder / "calibrated.toml").is_file():
        return {}
    where = f"experiments/data/calibration-{scenario}"
    return {path: f"{mark} ({where})" for path, mark in comments(folder).items()}


def apply(text: str, values: dict[str, float], marks: dict[str, str]) -> str:
    """``text`` with every ``values`` path set, marked with ``marks``."""
    lines = text.splitlines()
    for path, value in values.items():
        *table, key = path.split(".")
        header = f"[parameters.{'.'.join(table)}]"
        line = f"{key} = {value!r}  # {marks[path]}"
        try:
            start = next(i for i, text_line in enumerate(lines) if text_line.strip() == header)
        except StopIteration:
            # a new table goes after the file's last parameter table, before its arrays of tables
            arrays = next((i for i, text_line in enumerate(lines) if text_line.startswith("[[")), len(lines))
            lines[arrays:arrays] = [header, line, ""]
            continue
        end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
        pattern = re.compile(rf"^{re.escape(key)}\s*=")
        found = next((i for i in range(start + 1, end) if pattern.match(lines[i])), None)
        if found is None:
            lines.insert(start + 1, line)
        else:
            lines[found] = line
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a calibration's output folder")
    args = parser.parse_args(argv)
    manifest = json.loads((args.folder / "calibration.json").read_text())
    experiment = tomllib.loads(Path(manifest["experiment_file"]).read_text())
    scenario = SCENARIOS / f"{experiment['experiment']['scenario']}.toml"
    chosen = tomllib.loads((args.folder / "calibrated.toml").read_text())["fixed"]
    text = apply(scenario.read_text(), chosen, comments(args.folder))
    tomllib.loads(text)  # still a valid file
    scenario.write_text(text)
    print(f"{len(chosen)} calibrated values written to {scenario}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
