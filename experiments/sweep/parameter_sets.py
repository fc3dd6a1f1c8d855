"""A calibration's posterior sample, as design points of a sweep.

``[design] parameter_sets = "NAME"`` runs every design point once per parameter set of the
calibration's posterior sample (``experiments/data/calibration-NAME/sets.csv``, written by
``multivector calibrate``: the ABC-SMC posterior resampled systematically by weight into equally
weighted sets), so that averaging over the sets integrates over the posterior: results carry the
calibration's uncertainty, not one chosen point. Only a calibration's name is accepted, never a
path, so a file cannot reach outside the project's data.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from multivector.experiments.errors import UsageError

DATA = Path(__file__).resolve().parents[1] / "data"
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,60}$")


SETS = "sets.csv"


def calibration_names() -> list[str]:
    return sorted(p.parent.name.removeprefix("calibration-") for p in DATA.glob(f"calibration-*/{SETS}"))


def sets_path(name: str) -> Path:
    """The posterior sample of calibration ``name``; a one-line error for an unknown name."""
    path = DATA / f"calibration-{name}" / SETS
    if not _NAME.match(name) or not path.is_file():
        known = ", ".join(calibration_names()) or "none"
        raise UsageError(f"design.parameter_sets: unknown calibration {name[:80]!r} (known: {known})")
    return path


@lru_cache(maxsize=8)
def _read(path: Path, mtime: float) -> pd.DataFrame:  # noqa: ARG001 - part of the cache key: a rewritten file is read again
    return pd.read_csv(path)


def posterior_table(name: str) -> pd.DataFrame:
    """Every column of calibration ``name``'s posterior sample (read once while the file is unchanged)."""
    path = sets_path(name)
    return _read(path, path.stat().st_mtime)


def posterior_sets(name: str, parameter_paths: set[str], count: int | None = None) -> pd.DataFrame:
    """The first ``count`` (default all) sets of calibration ``name``'s posterior sample, in file
    order, with only the columns that are parameters of the scenario (``parameter_paths``): a
    scenario without a power (``no-west``) simply drops that power's calibrated values."""
    table = posterior_table(name)
    columns = [c for c in table.columns if c in parameter_paths]
    if not columns:
        raise UsageError(f"design.parameter_sets: calibration {name!r} sets no parameter of this scenario")
    if count is not None and count > len(table):
        raise UsageError(f"design.sets: calibration {name!r} has {len(table)} posterior sets, asked for {count}")
    return table.loc[: (count or len(table)) - 1, columns].astype(float).reset_index(drop=True)


def fingerprint(name: str) -> str:
    """A hash of the posterior sample's file, so a report never reuses results of an older calibration."""
    return hashlib.sha256(sets_path(name).read_bytes()).hexdigest()
