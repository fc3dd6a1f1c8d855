"""Output that never follows a planted symbolic link.

A results folder may be shared: whoever can plant a link in it could otherwise make the next user's
command truncate, overwrite or move any file that user can write. The project makes no links in
its folders, so it refuses a folder that holds any (below the folder the user named; the named
folder itself, and its parents, may be links, as ``results -> /scratch/results`` often is). Files
are created without following a link at their final path: new files through ``O_NOFOLLOW`` or a
temporary name that ``mkstemp`` creates exclusively, then renamed over the final name (a rename
replaces a link, it never writes through one).
"""

from __future__ import annotations

import os
from pathlib import Path

from multivector.experiments.errors import UsageError, shorten


def refuse_links_below(folder: Path, option: str = "--out") -> None:
    """One line (exit 2) if anything below ``folder`` is a symbolic link; nothing if ``folder`` does not exist."""
    if not folder.is_dir():
        return
    for root, dirs, files in os.walk(folder):  # does not descend into linked folders
        for name in (*dirs, *files):
            path = Path(root, name)
            if path.is_symlink():
                raise UsageError(f"{option}: {shorten(path)} is a symbolic link, which this project never makes; "
                                 "remove it or choose another folder")


def open_for_update(path: Path):
    """``path`` opened for reading and writing, created if missing, never through a link at ``path``
    (an ``OSError`` with ELOOP if one is there)."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o666)
    return os.fdopen(descriptor, "r+")


def open_for_append(path: Path):
    """``path`` opened for appending text, created if missing, never through a link at ``path``."""
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o666)
    return os.fdopen(descriptor, "a")


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole, under a temporary name renamed into place (never through a link)."""
    from multivector.experiments.tables import save_atomically  # noqa: PLC0415 - tables imports this module's users

    save_atomically(lambda name: Path(name).write_text(text, encoding="utf-8"), path)
