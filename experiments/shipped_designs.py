"""``multivector designs``: the experiment files that ship with the package, listed and copied.

They are package data (``multivector/experiments/designs/``, with the claims report's experiments in
``claims/``), so an installed wheel has them too; copy one out to run or edit it::

    multivector designs                       # name, the command that runs it, what it asks
    multivector designs smoke --to .          # writes ./smoke.toml
    multivector designs claims/E1-bandwagon-near --case CASE --to my-designs   # filled for CASE, for sweep

Most of the claims report's experiments are *templates* over a case's roles (``{case}``, ``{near_name}``,
``x_{each}``, ...; see :mod:`.report.plan`). The listing marks them "report (template)" and shows their
descriptions with the placeholders in role words ("the nearest great power"), since a template belongs to no
one case. ``--case CASE`` writes the file the report runs for that case (:func:`.report.plan.prepare`, so the
filling is the report's own), which ``multivector sweep`` runs; without it a template is copied raw, as the
report's input, with a note saying so.
"""

from __future__ import annotations

import re
import shutil
import sys
import textwrap
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import tomli_w

from multivector.experiments.errors import UsageError, shorten
from multivector.experiments.safe_paths import write_text

if TYPE_CHECKING:
    from multivector.experiments.report.plan import Prepared

DESIGNS = Path(__file__).resolve().with_name("designs")

_COMMAND = re.compile(r"^#.*\bmultivector (\w+)")
_DESCRIPTION = re.compile(r'^description\s*=\s*"(.*)"\s*$')


@dataclass(frozen=True)
class ShippedDesign:
    name: str  # relative to the designs folder, without .toml: "smoke", "claims/C12-activism"
    path: Path
    command: str  # the command that runs it: sweep, calibrate or report
    description: str  # as written: a template's holds placeholders
    template: bool = False  # a claims experiment over a case's roles, filled per case by the report

    @property
    def readable(self) -> str:
        """The description with a template's placeholders in role words ("the nearest great power")."""
        return _in_role_words(self.description) if self.template else self.description


def shipped_designs() -> list[ShippedDesign]:
    """Every shipped experiment file, by name."""
    found = []
    for path in sorted(DESIGNS.rglob("*.toml")):
        name = path.relative_to(DESIGNS).with_suffix("").as_posix()
        text = path.read_text(encoding="utf-8")
        commands = [m.group(1) for line in text.splitlines() if (m := _COMMAND.match(line))]
        command = "report" if name.startswith("claims/") else (commands[0] if commands else "sweep")
        descriptions = [m.group(1) for line in text.splitlines() if (m := _DESCRIPTION.match(line))]
        template = name.startswith("claims/") and _is_template(text)
        found.append(ShippedDesign(name, path, command, descriptions[0] if descriptions else "", template))
    return found


def _is_template(text: str) -> bool:
    """Whether a claims experiment has placeholders in its TOML values (comments do not count)."""
    from multivector.experiments.report.case import PLACEHOLDER  # noqa: PLC0415 - the report only when asked

    return bool(PLACEHOLDER.search(tomli_w.dumps(tomllib.loads(text))))


def _in_role_words(text: str) -> str:
    """``text`` with each placeholder in words: a role by its definition's head (report/case.py's ROLES:
    "the nearest great power"), the case, its start year and "each power" in words."""
    from multivector.experiments.report.case import PLACEHOLDER, ROLES  # noqa: PLC0415

    words = {"case": "the case", "start_year": "the case's start", "each": "each power"}
    for role, definition in ROLES.items():
        head = re.split(r"[:,(]", definition)[0].strip()  # "the nearest great power: the greatest reach ..."
        words.update({role: head, f"{role}_name": head, f"{role}_slug": role})
    return PLACEHOLDER.sub(lambda m: words.get(m.group(1), m.group(0)), text)


def find_design(name: str) -> ShippedDesign:
    """The shipped design called ``name`` (``.toml`` may be given); one line (exit 2) if there is none."""
    wanted = name.removesuffix(".toml")
    for design in shipped_designs():
        if design.name == wanted:
            return design
    raise UsageError(f"designs: no shipped design {shorten(repr(name), 60)}; 'multivector designs' lists them")


def copy_design(name: str, folder: Path, case: str | None = None) -> Path:
    """Copy the shipped design ``name`` into ``folder`` (created if missing) as ``NAME.toml``; an
    existing file of that name is refused, never overwritten. With ``case`` (templates only): the text
    the report runs for that case instead, as ``OUT/experiments/`` has it (its experiment's name)."""
    design = find_design(name)
    if case is None:
        target, text = Path(folder) / design.path.name, design.path.read_text(encoding="utf-8")
    else:
        prepared = fill_template(design, case)
        target, text = Path(folder) / f"{prepared.name}.toml", prepared.text
    if target.exists() or target.is_symlink():
        raise UsageError(f"--to: {shorten(target)} exists; remove it or choose another folder")
    if Path(folder).exists() and not Path(folder).is_dir():
        raise UsageError(f"--to: {shorten(folder)} is not a folder")
    Path(folder).mkdir(parents=True, exist_ok=True)
    write_text(target, text)
    return target


def fill_template(design: ShippedDesign, scenario: str) -> Prepared:
    """The report's experiment ``design`` as the report runs it for case ``scenario`` (full, no --set):
    :func:`.report.plan.prepare`'s text, so a file written here and the report's own never differ. A case
    that cannot run it is refused in one line with :func:`.report.plan.unavailable`'s reason."""
    from multivector import model  # noqa: PLC0415
    from multivector.experiments.report import case as report_case  # noqa: PLC0415 - the report only when asked
    from multivector.experiments.report import plan  # noqa: PLC0415

    if not design.template:
        raise UsageError(f"--case: {design.name} is not a template (it is the same for every case); "
                         f"copy it without --case")
    if scenario not in model.scenario_names():
        raise UsageError(f"--case: unknown case {shorten(repr(scenario), 60)}; 'multivector cases' lists them")
    case = report_case.load_case(scenario)
    if case is None:
        raise UsageError(f"--case: scenario {scenario!r} has no case pack (experiments/cases/), so no roles to fill "
                         f"{design.name} with")
    key = next((k for k, stem in plan.GENERIC.items() if f"claims/{stem}" == design.name), None)
    if key is None:  # a template the report does not run (yet): nothing to fill it as
        raise UsageError(f"--case: the report runs no experiment from {design.name}, so there is no case text for it")
    reason = plan.unavailable(case, key)
    if reason:
        raise UsageError(f"--case: {scenario} cannot run {design.name}: {reason}")
    return plan.prepare(case, key, quick=False, overrides={})


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "designs", help="list the shipped experiment files, or copy one out",
        description="List the experiment files that ship with the package (for sweep, calibrate and the "
                    "report), or copy one into a folder to run or edit it. The report's experiments listed as "
                    "'report (template)' are written over a case's roles; the listing shows their placeholders "
                    "in role words ('the nearest great power'), and --case CASE writes one filled for that case, "
                    "exactly as the report runs it, which 'multivector sweep' runs.")
    parser.add_argument("name", nargs="?", metavar="NAME", help="a shipped design to copy (e.g. smoke)")
    parser.add_argument("--to", metavar="DIR", help="with NAME: the folder to copy it into (default: .)")
    parser.add_argument("--case", metavar="CASE",
                        help="with a template: write it filled for this case (multivector cases lists them)")
    parser.set_defaults(handler=designs_command)


def designs_command(args) -> int:
    if args.name is None:
        for flag, given in (("--to", args.to), ("--case", args.case)):
            if given is not None:
                raise UsageError(f"{flag}: name the design to copy (multivector designs NAME {flag} ...)")
        designs = shipped_designs()
        width = max(len(d.name) for d in designs)
        columns = max(60, shutil.get_terminal_size((80, 24)).columns)
        commands = [f"{d.command} (template)" if d.template else d.command for d in designs]
        command_width = max(map(len, commands))
        indent = " " * (width + command_width + 4)
        for design, command in zip(designs, commands, strict=True):
            # the description wraps under itself, so a line never passes the terminal's width
            print(textwrap.fill(design.readable, columns - 1, subsequent_indent=indent,
                                initial_indent=f"{design.name:<{width}}  {command:<{command_width}}  "))
        print(f"\n{len(designs)} designs, in {DESIGNS}\ncopy one with: multivector designs NAME --to DIR\n"
              "a template (its roles in words above): add --case CASE for a file sweep runs")
        return 0
    target = copy_design(args.name, Path(args.to or "."), case=args.case)
    print(target)
    design = find_design(args.name)
    if design.template and args.case is None:
        print(f"note: {design.name} is a template over a case's roles, copied raw (the report's input; "
              f"'multivector sweep' cannot run it); for a runnable file: multivector designs {design.name} "
              f"--case CASE --to DIR", file=sys.stderr)
    return 0
