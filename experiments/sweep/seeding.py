"""Seeds for sweeps: one root entropy, one SeedSequence per run, a separate one for the design.

Every run's seed is ``SeedSequence(root_entropy, spawn_key=(point, replication))``: it depends
only on the run's position in the experiment, never on which worker ran it, in what order, or
how many runs the sweep has. Growing the ensemble (more replications, more points) leaves the
random streams of existing runs untouched. All strategies at the same (point, replication)
share the seed (common random numbers), so strategy comparisons are paired.
"""

from __future__ import annotations

import numpy as np

# The design sampler draws from its own sequence so that changing the number of replications
# (or anything about the model seeds) never changes the design points. It is told apart from
# run seeds by its entropy, not by a spawn key, so no run's spawn key can collide with it.
_DESIGN_TAG = 0x5EED_DE51


# Root entropies are stored in an int64 Parquet column, so they are kept below 2**63.
MAX_ROOT_ENTROPY = 2**63 - 1


def new_root_entropy() -> int:
    """63 bits from the operating system, for an experiment that names no seed."""
    return int(np.random.SeedSequence().entropy) >> 65


def run_seed(root_entropy: int, point: int, replication: int) -> np.random.SeedSequence:
    """The seed of the run at design point ``point``, replication ``replication``."""
    return np.random.SeedSequence(root_entropy, spawn_key=(point, replication))


def design_seed(root_entropy: int) -> int:
    """An integer seed for the design sampler (SALib takes ints), derived from the root."""
    sequence = np.random.SeedSequence([_DESIGN_TAG, root_entropy])
    return int(sequence.generate_state(1, dtype=np.uint32)[0])


def spawn_key_text(point: int, replication: int) -> str:
    """The spawn key as stored in the runs table, e.g. ``"3,1"``."""
    return f"{point},{replication}"


def parse_spawn_key(text: str) -> tuple[int, ...]:
    """Inverse of :func:`spawn_key_text`."""
    return tuple(int(part) for part in str(text).split(","))


def run_id(point: int, replication: int, strategy: str) -> str:
    """A stable, sortable run identifier, e.g. ``p000012-r0003-hedge``.

    It names the run's position rather than its rank in the sweep, so it stays the same when
    the experiment grows. Zero padding keeps lexical order equal to numeric order up to a
    million points and ten thousand replications.
    """
    return f"p{point:06d}-r{replication:04d}-{strategy}"
