"""Upper limits on what one sweep may ask for, checked before anything is allocated.

Each is far above any sweep the model is meant for, and low enough that a typo (``1e9``
samples, ``steps = 10000000``) is refused in one line instead of filling memory. They are
documented in the docs (experiments/docs/pages/guide/troubleshooting.md, "Limits"); change them there too.
"""

from __future__ import annotations

MAX_FILE_BYTES = 1_000_000  # an experiment file (TOML) is a page of text, not a data set
MAX_MANIFEST_BYTES = 5_000_000  # a manifest holds the experiment text and one entry per session
MAX_NESTING = 16  # tables/arrays inside tables/arrays; experiment files need 3
MAX_STEPS = 10_000  # quarters per run (2,500 years; the real cases have about 130)
MAX_REPLICATIONS = 10_000  # run ids keep four digits for the replication; also compare's runs per strategy
MAX_RUN_REPLICATIONS = 10_000_000  # `run --replications`: streamed in blocks, so bounded by disk, not memory
MAX_POINTS = 1_000_000  # design points (grid size, samples x factors); run ids keep six digits
MAX_RUNS = 10_000_000  # points x replications x strategies
MAX_GRID_NUM = 10_000  # evenly spaced values of one ranged grid factor


def sampled_points(kind: str, samples: int, factors: int, second_order: bool = False) -> int:
    """How many design points SALib will draw for a sampled design (without drawing them)."""
    if kind == "sobol":
        return samples * (2 * factors + 2 if second_order else factors + 2)
    if kind == "morris":
        return samples * (factors + 1)
    return samples  # lhs
