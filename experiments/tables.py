"""Tables written by suffix (CSV or Parquet), whole or block by block, under a temporary name that
is renamed into place when complete: an error or an interruption never leaves a half-written file."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from multivector.experiments.processes import is_running


def usual_permissions(path) -> None:
    """mkstemp creates 0600 files; an output file gets the permissions any new file would (umask)."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


def temporary_beside(path: Path, suffix: str = ".tmp") -> Path:
    """A new empty file beside ``path``, named ``.NAME.PID-XXXXXXXX{suffix}``: created exclusively
    (never a planted link), with the usual permissions. Temporary files of ``path`` left by a process
    that no longer runs on this machine (killed outright) are removed first."""
    _remove_stale(path)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}-", suffix=suffix)
    os.close(handle)
    usual_permissions(name)
    return Path(name)


def _remove_stale(path: Path) -> None:
    prefix = f".{path.name}."
    try:
        names = os.listdir(path.parent if str(path.parent) else ".")
    except OSError:
        return
    for name in names:
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        pid_text = name[len(prefix):].split("-", 1)[0]
        if pid_text.isdigit() and not is_running(int(pid_text)):
            try:
                os.remove(path.parent / name)
            except OSError:
                pass


def write_table_atomically(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` (.csv or .parquet) in one go."""
    writer = TableWriter(path)
    try:
        writer.write(frame)
        writer.commit()
    finally:
        writer.discard()


class TableWriter:
    """Appends frames to a temporary Parquet or CSV file; ``commit`` renames it into place,
    ``discard`` (always call it) removes what an unfinished write left."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.temporary = temporary_beside(path)
        self._parquet: pq.ParquetWriter | None = None
        self._header = True

    def write(self, frame: pd.DataFrame) -> None:
        if self.path.suffix == ".parquet":
            table = pa.Table.from_pandas(frame, preserve_index=False)
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.temporary, table.schema)
            self._parquet.write_table(table)
        else:
            frame.to_csv(self.temporary, mode="w" if self._header else "a", header=self._header, index=False,
                         lineterminator="\n", float_format="%.10g")
            self._header = False

    def commit(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
            self._parquet = None
        usual_permissions(self.temporary)
        os.replace(self.temporary, self.path)

    def discard(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
        if self.temporary.exists():
            self.temporary.unlink()


def check_writable(folder: Path, option: str = "--out") -> None:
    """Create ``folder`` and prove a file can be written there, before any work is done: a
    read-only or full folder is reported in one line, not after minutes of runs."""
    from multivector.experiments.errors import StorageError, shorten  # noqa: PLC0415 - errors imports nothing back

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-check.", suffix=".tmp") as probe:
            probe.write(b"x")
            probe.flush()
    except OSError as err:
        raise StorageError(f"{option}: cannot write to {shorten(folder)} ({err.strerror or type(err).__name__})") from None


# Bytes a value of the per-quarter record takes on disk, measured on runs of the default scenario (129 columns:
# Parquet 532 bytes a row, CSV 997) and rounded up by about a fifth so the check errs on refusing.
BYTES_PER_VALUE = {".parquet": 5.0, ".csv": 9.0}
SPACE_MARGIN = 256 * 2**20  # left free for everything else on the disk


def check_space(path: Path, rows: int, columns: int) -> None:
    """Refuse, before any run, an output of ``rows`` x ``columns`` that would not fit the free
    space of ``path``'s file system (one line, exit 3)."""
    from multivector.experiments.errors import StorageError, shorten  # noqa: PLC0415 - errors imports nothing back

    need = rows * columns * BYTES_PER_VALUE.get(path.suffix, 9.0)
    free = shutil.disk_usage(path.parent if str(path.parent) else Path(".")).free
    if need + SPACE_MARGIN > free:
        raise StorageError(f"--out: {shorten(path)} would take about {need / 1e9:.1f} GB ({rows:,} rows); "
                           f"{free / 1e9:.1f} GB free there")


def save_atomically(save, path: Path) -> None:
    """``save(temporary)`` writes a file (e.g. ``figure.savefig``); renamed to ``path`` when whole."""
    name = str(temporary_beside(path, path.suffix + ".tmp"))
    try:
        save(name)
        usual_permissions(name)
        os.replace(name, path)
    finally:
        if os.path.exists(name):
            os.unlink(name)
