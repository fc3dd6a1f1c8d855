"""Confine the sweep view to the one folder the user gave it.

The browser sends a path typed by the user; the server must read nothing outside that
folder. So the path may not climb (``..``), is resolved (symlinks followed) to a real
directory, and every file under it must resolve inside it too: a symlink inside a sweep
folder that points elsewhere makes the folder refused rather than followed. Only then is the
folder handed to the sweep store.
"""

import os
from pathlib import Path

from experiments.errors import UsageError

# ``multivector app --sweep DIR`` passes the folder to the server process in this variable.
SWEEP_ENV = "MULTIVECTOR_APP_SWEEP"


def resolve_sweep_folder(text: str | os.PathLike) -> Path:
    """The typed folder, resolved; ``UsageError`` naming the problem if it is not usable."""
    raw = str(text).strip()
    if not raw:
        raise UsageError("sweep folder: give the path of a folder written by 'multivector sweep'")
    if "\x00" in raw:
        raise UsageError("sweep folder: the path contains a NUL character")
    path = Path(raw).expanduser()
    if ".." in path.parts:
        raise UsageError(f"sweep folder: '..' is not allowed in the path: {raw}")
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise UsageError(f"sweep folder: no such folder: {raw}") from None
    if not resolved.is_dir():
        raise UsageError(f"sweep folder: not a folder: {raw}")
    return resolved


def inside(root: Path, relative: str | os.PathLike) -> Path:
    """``root / relative``, resolved, or ``UsageError`` if that would leave ``root``."""
    rel = Path(relative)
    if rel.is_absolute() or ".." in rel.parts:
        raise UsageError(f"sweep folder: refusing to read outside the folder: {relative}")
    target = (root / rel).resolve()
    if not target.is_relative_to(root):
        raise UsageError(f"sweep folder: refusing to read outside the folder: {relative}")
    return target


def check_confined(root: Path) -> None:
    """Refuse a folder any of whose entries (followed through symlinks) lies outside it."""
    for directory, subdirs, files in os.walk(root, followlinks=False):
        for name in [*subdirs, *files]:
            entry = Path(directory) / name
            if entry.is_symlink():
                try:
                    inside(root, entry.relative_to(root))
                except (OSError, RuntimeError):  # a symlink loop
                    raise UsageError(f"sweep folder: unreadable link: {entry.relative_to(root)}") from None


def open_confined(text: str | os.PathLike):
    """Open a sweep folder for the app: resolve, confine, then ``open_sweep`` it."""
    root = resolve_sweep_folder(text)
    check_confined(root)
    from experiments.sweep.store import open_sweep  # written concurrently; imported on use

    return open_sweep(root)
