"""``sweep --scheduler-file FILE``: the Dask scheduler's address from the file Dask writes for it.

``dask scheduler --scheduler-file FILE`` and ``dask-mpi --scheduler-file FILE`` write a small JSON
file whose ``address`` is where the scheduler listens (``tcp://10.1.2.3:8786``); on a cluster the
scheduler is started by a batch job on a node whose name the user cannot know in advance, and the
file on the shared file system is how the sweep finds it (experiments/cluster/). The file may
appear a while after the job starts, and is written in place, so a reader can catch it half
written: it is read again until it parses, for at most the Dask timeout.
"""

from __future__ import annotations

import json
import stat
import time
from pathlib import Path

from multivector.experiments.errors import UsageError, shorten

MAX_BYTES = 1_000_000  # a scheduler file is a few hundred bytes


def read_scheduler_address(path: str | Path, timeout: float) -> str:
    """The ``address`` in Dask's scheduler file ``path``, waiting up to ``timeout`` seconds for the
    file to appear and be whole; one line (exit 2) if it does not or is not a scheduler file."""
    path = Path(path)
    shown = shorten(path, 80)
    deadline = time.monotonic() + timeout
    problem = "does not exist"
    while True:
        try:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                raise UsageError(f"--scheduler-file: {shown} is not a regular file")
            if info.st_size > MAX_BYTES:
                raise UsageError(f"--scheduler-file: {shown} is too large for a Dask scheduler file")
            payload = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(payload, dict) or not isinstance(payload.get("address"), str):
                raise UsageError(f"--scheduler-file: {shown} is not a Dask scheduler file (no \"address\")")
            return payload["address"]
        except FileNotFoundError:
            problem = "does not exist"
        except (json.JSONDecodeError, UnicodeDecodeError):
            problem = "is not a Dask scheduler file (not JSON)"  # or half written: read it again
        except OSError as err:
            raise UsageError(f"--scheduler-file: cannot read {shown} ({err.strerror or type(err).__name__})") from None
        if time.monotonic() >= deadline:
            raise UsageError(f"--scheduler-file: {shown} {problem} (waited {timeout:g} s; start the scheduler "
                             "with: dask scheduler --scheduler-file FILE)")
        time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
