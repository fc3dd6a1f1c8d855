"""Confine the sweep view to sweep folders under one root folder given at start-up.

The browser sends a path typed by the user; the server must read nothing outside its sweep
root (``multivector app --sweep-root DIR``, default ``./results``). So the path may not climb
(``..``), is taken relative to the root (an absolute path must lie inside it), is resolved
(symlinks followed) and must be a sweep folder (holding ``manifest.json``) inside the root;
every file under it must resolve inside it too: a symlink inside a sweep folder that points
elsewhere makes the folder refused rather than followed. Only then is the folder handed to
the sweep store.

Every refusal of a path outside the root, missing, or not a sweep folder reads the same, so
the messages reveal nothing about what exists outside the root; long paths are shortened.
"""

import os
from pathlib import Path

from multivector.experiments.errors import UsageError, shorten

# ``multivector app`` passes the folder to open first and the root to the server process.
SWEEP_ENV = "MULTIVECTOR_APP_SWEEP"
SWEEP_ROOT_ENV = "MULTIVECTOR_APP_SWEEP_ROOT"
DEFAULT_ROOT = "results"
MANIFEST = "manifest.json"  # the sweep store's name for it (not imported: the store is heavy)


def sweep_root(environ=None) -> Path:
    """The folder the sweep view may read under: ``$MULTIVECTOR_APP_SWEEP_ROOT`` or ./results."""
    env = os.environ if environ is None else environ
    return Path(env.get(SWEEP_ROOT_ENV) or DEFAULT_ROOT).expanduser().resolve()


def resolve_sweep_folder(text: str | os.PathLike, root: Path | None = None) -> Path:
    """The typed sweep folder under ``root``, resolved; ``UsageError`` if it is not usable."""
    root = (root or sweep_root()).resolve()
    raw = str(text).strip()
    if not raw:
        raise UsageError("sweep folder: give the path of a folder written by 'multivector sweep'")
    if "\x00" in raw:
        raise UsageError("sweep folder: the path contains a NUL character")
    path = Path(raw).expanduser()
    if ".." in path.parts:
        raise UsageError(f"sweep folder: '..' is not allowed in the path: {shorten(raw)}")
    refused = UsageError(f"sweep folder: {shorten(raw)} is not a sweep folder under the sweep root {shorten(root)}")
    try:
        resolved = (root / path).resolve(strict=True)  # an absolute path replaces root here
    except (OSError, RuntimeError):
        raise refused from None
    if not resolved.is_relative_to(root) or not resolved.is_dir() or not (resolved / MANIFEST).is_file():
        raise refused
    return resolved


def inside(root: Path, relative: str | os.PathLike) -> Path:
    """``root / relative``, resolved, or ``UsageError`` if that would leave ``root``."""
    rel = Path(relative)
    if rel.is_absolute() or ".." in rel.parts:
        raise UsageError(f"sweep folder: refusing to read outside the folder: {shorten(relative)}")
    target = (root / rel).resolve()
    if not target.is_relative_to(root):
        raise UsageError(f"sweep folder: refusing to read outside the folder: {shorten(relative)}")
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
                    raise UsageError(f"sweep folder: unreadable link: {shorten(entry.relative_to(root))}") from None


def open_confined(text: str | os.PathLike, root: Path | None = None):
    """Open a sweep folder for the app: resolve under the root, confine, then ``open_sweep`` it."""
    folder = resolve_sweep_folder(text, root)
    check_confined(folder)
    from multivector.experiments.sweep.store import open_sweep  # written concurrently; imported on use

    return open_sweep(folder)
