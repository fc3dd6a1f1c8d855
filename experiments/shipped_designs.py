"""``multivector designs``: the experiment files that ship with the package, listed and copied.

They are package data (``multivector/experiments/designs/``, with the claims report's experiments in
``claims/``), so an installed wheel has them too; copy one out to run or edit it::

    multivector designs                       # name, the command that runs it, what it asks
    multivector designs smoke --to .          # writes ./smoke.toml
    multivector designs claims/C12-activism --to my-designs
"""

from __future__ import annotations

import re
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

from multivector.experiments.errors import UsageError, shorten
from multivector.experiments.safe_paths import write_text

DESIGNS = Path(__file__).resolve().with_name("designs")

_COMMAND = re.compile(r"^#.*\bmultivector (\w+)")
_DESCRIPTION = re.compile(r'^description\s*=\s*"(.*)"\s*$')


@dataclass(frozen=True)
class ShippedDesign:
    name: str  # relative to the designs folder, without .toml: "smoke", "claims/C12-activism"
    path: Path
    command: str  # the command that runs it: sweep, calibrate or report
    description: str


def shipped_designs() -> list[ShippedDesign]:
    """Every shipped experiment file, by name."""
    found = []
    for path in sorted(DESIGNS.rglob("*.toml")):
        name = path.relative_to(DESIGNS).with_suffix("").as_posix()
        text = path.read_text(encoding="utf-8")
        commands = [m.group(1) for line in text.splitlines() if (m := _COMMAND.match(line))]
        command = "report" if name.startswith("claims/") else (commands[0] if commands else "sweep")
        descriptions = [m.group(1) for line in text.splitlines() if (m := _DESCRIPTION.match(line))]
        found.append(ShippedDesign(name, path, command, descriptions[0] if descriptions else ""))
    return found


def find_design(name: str) -> ShippedDesign:
    """The shipped design called ``name`` (``.toml`` may be given); one line (exit 2) if there is none."""
    wanted = name.removesuffix(".toml")
    for design in shipped_designs():
        if design.name == wanted:
            return design
    raise UsageError(f"designs: no shipped design {shorten(repr(name), 60)}; 'multivector designs' lists them")


def copy_design(name: str, folder: Path) -> Path:
    """Copy the shipped design ``name`` into ``folder`` (created if missing) as ``NAME.toml``; an
    existing file of that name is refused, never overwritten."""
    design = find_design(name)
    target = Path(folder) / design.path.name
    if target.exists() or target.is_symlink():
        raise UsageError(f"--to: {shorten(target)} exists; remove it or choose another folder")
    if Path(folder).exists() and not Path(folder).is_dir():
        raise UsageError(f"--to: {shorten(folder)} is not a folder")
    Path(folder).mkdir(parents=True, exist_ok=True)
    write_text(target, design.path.read_text(encoding="utf-8"))
    return target


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "designs", help="list the shipped experiment files, or copy one out",
        description="List the experiment files that ship with the package (for sweep, calibrate and the "
                    "report), or copy one into a folder to run or edit it.")
    parser.add_argument("name", nargs="?", metavar="NAME", help="a shipped design to copy (e.g. smoke)")
    parser.add_argument("--to", metavar="DIR", help="with NAME: the folder to copy it into (default: .)")
    parser.set_defaults(handler=designs_command)


def designs_command(args) -> int:
    if args.name is None:
        if args.to is not None:
            raise UsageError("--to: name the design to copy (multivector designs NAME --to DIR)")
        designs = shipped_designs()
        width = max(len(d.name) for d in designs)
        columns = max(60, shutil.get_terminal_size((80, 24)).columns)
        indent = " " * (width + 13)
        for design in designs:
            # the description wraps under itself, so a line never passes the terminal's width
            print(textwrap.fill(design.description, columns - 1, initial_indent=f"{design.name:<{width}}  {design.command:<9}  ",
                                subsequent_indent=indent))
        print(f"\n{len(designs)} designs, in {DESIGNS}\ncopy one with: multivector designs NAME --to DIR")
        return 0
    target = copy_design(args.name, Path(args.to or "."))
    print(target)
    return 0
