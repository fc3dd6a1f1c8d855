"""MkDocs hook: the reference pages generated at build time, never copied by hand.

- ``reference/cli.md`` from the command line's argparse parsers (``multivector.experiments.cli``):
  every subcommand, its usage and every option with its help, default and choices, so a new flag
  appears in the docs the moment it is added to a parser.
- ``reference/parameters.md`` from ``multivector params --json`` (the parameter schema, with the
  exploration ranges the EMA adapter and SALib use), run in-process.
- ``reference/outputs.md`` from ``multivector.model.outcomes``: every record column and run outcome.

MkDocs loads this file by path (``hooks:`` in mkdocs.yml); it is not part of the installed package.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import atexit
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

USAGE_WIDTH = "80"  # argparse wraps usage lines at $COLUMNS: fixed, so the page is the same on every machine


def _cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;")


def _code(text: object) -> str:
    return f"`{text}`" if str(text) else ""


# ----- the command line -------------------------------------------------------------------------

def _subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, str, argparse.ArgumentParser]]:
    """(name, one-line help, parser) for each subcommand of ``parser``, in registration order."""
    for action in parser._actions:  # argparse keeps no public list of its subparsers
        if isinstance(action, argparse._SubParsersAction):
            # argparse %-formats a subcommand's help when it prints it ("95%%" shows as "95%")
            helps = {choice.dest: (choice.help or "").replace("%%", "%") for choice in action._choices_actions}
            return [(name, helps.get(name, ""), sub) for name, sub in action.choices.items()]
    return []


def _option_rows(parser: argparse.ArgumentParser) -> list[str]:
    formatter = parser._get_formatter()
    rows = []
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
            continue
        if action.option_strings:
            name = ", ".join(action.option_strings)
            takes_value = action.nargs != 0
            if takes_value:
                name += " " + formatter._format_args(action, formatter._get_default_metavar_for_optional(action))
        else:
            name = formatter._format_args(action, formatter._get_default_metavar_for_positional(action))
        help_text = formatter._expand_help(action) if action.help else ""
        details = []
        if action.choices and not isinstance(action.choices, dict):
            details.append("one of " + ", ".join(_code(c) for c in action.choices))
        default = action.default
        if (action.option_strings and action.nargs != 0 and default not in (None, argparse.SUPPRESS, [], "")
                and "default" not in help_text):  # the help often says it already
            details.append(f"default {_code(default)}")
        if action.required and action.option_strings:
            details.append("required")
        rows.append(f"| {_code(_cell(name))} | {_cell(help_text)} | {'; '.join(details)} |")
    return rows


def _command_section(path: str, help_line: str, parser: argparse.ArgumentParser, level: int) -> list[str]:
    lines = [f"{'#' * level} {path}", ""]
    description = parser.description or help_line
    if description:
        lines += [_cell(description).replace("\\|", "|").replace("%%", "%"), ""]
    lines += ["```text", parser.format_usage().strip(), "```", ""]
    rows = _option_rows(parser)
    if rows:
        lines += ["| argument | meaning | values |", "| --- | --- | --- |", *rows, ""]
    for name, sub_help, sub in _subcommands(parser):
        lines += _command_section(f"{path} {name}", sub_help, sub, level + 1)
    return lines


def cli_page() -> str:
    from multivector.experiments.cli import build_parser  # noqa: PLC0415 - imported at build time only

    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = USAGE_WIDTH
    try:
        parser = build_parser()
        commands = _subcommands(parser)
        lines = [
            "# Command line",
            "",
            "Generated from the command's own argument parsers when the site is built "
            "(`experiments/docs/hooks.py`): what is here is what `multivector COMMAND --help` says.",
            "Bad input to any command is one line, `multivector: error: ...`, and exit status 2 "
            "([When things go wrong](../guide/troubleshooting.md) lists every status).",
            "",
            "```text",
            parser.format_usage().strip(),
            "```",
            "",
            "| command | what it does |",
            "| --- | --- |",
            *(f"| [`{name}`](#multivector-{name}) | {_cell(help_line)} |" for name, help_line, _ in commands),
            "",
        ]
        for name, help_line, sub in commands:
            lines += _command_section(f"multivector {name}", help_line, sub, 2)
    finally:
        if previous is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = previous
    return "\n".join(lines) + "\n"


# ----- the parameters ---------------------------------------------------------------------------

def _params_json() -> list[dict]:
    """What ``multivector params --json`` prints, run in-process."""
    from multivector.experiments.cli import main  # noqa: PLC0415

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["params", "--json"])
    if status != 0:
        raise RuntimeError(f"`multivector params --json` exited with status {status}")
    return json.loads(out.getvalue())


def _first_power(scenario: str) -> str:
    """The scenario's first great power, for examples (no power is named in code)."""
    from multivector.model import load_scenario  # noqa: PLC0415

    return load_scenario(scenario).power_ids[0]


def _number(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def parameters_page() -> str:
    from multivector.model import DEFAULT_SCENARIO  # noqa: PLC0415

    rows = _params_json()
    power = _first_power(DEFAULT_SCENARIO)
    sections: dict[str, list[dict]] = {}
    for row in rows:
        sections.setdefault(row["path"].split(".")[0], []).append(row)
    lines = [
        "# Parameters",
        "",
        f"Every parameter of the default scenario (`{DEFAULT_SCENARIO}`), {len(rows)} in all, generated when the site "
        "is built from `multivector params --json` (the schema in `model/parameters.py`, with each scenario's values "
        "and sources). Another scenario has its own powers and defaults: `multivector params --scenario NAME`.",
        "",
        "Set any of them with `--set PATH=VALUE` (`run`, `compare`, `report`), in an experiment file's `[fixed]` or "
        "factors, or as a keyword to `multivector.run` with the dots as double underscores "
        f"(`powers.{power}.reach` is `powers__{power}__reach`). *limits* are what the model accepts; *explore* is the range "
        "for exploration (the calibration posterior's span for calibrated values, otherwise half to twice the "
        "default), which the EMA adapter uses as its uncertainties.",
        "",
        "Sections: " + ", ".join(f"[`{name}`](#{name.replace('_', '-')})" for name in sections) + ".",
        "",
    ]
    for name, members in sections.items():
        lines += [f"## {name}", ""]
        for row in members:  # a definition list: a table of eight columns is unreadable at page width
            facts = [_cell(row["type"]), f"default `{_cell(_number(row['default']))}`",
                     f"limits [{_number(row.get('min'))}, {_number(row.get('max'))}]"]
            if row.get("explore_min") is not None:
                facts.append(f"explore [{row['explore_min']:.4g}, {row['explore_max']:.4g}]")
            if row.get("unit"):
                facts.append(_cell(row["unit"]))
            lines += [f"`{row['path']}`", f":   {' · '.join(facts)}  ",
                      f"    {_cell(row.get('description', ''))} *Source:* {_cell(row.get('source', '')) or '-'}", ""]
    return "\n".join(lines) + "\n"


# ----- the outputs ------------------------------------------------------------------------------

def outputs_page() -> str:
    from multivector.model import outcomes  # noqa: PLC0415

    direction = {outcomes.MORE_IS_BETTER: "more is better", outcomes.MORE_IS_WORSE: "more is worse",
                 outcomes.DESCRIPTIVE: "descriptive"}
    from multivector.model import DEFAULT_SCENARIO  # noqa: PLC0415

    example = ("P", "Q")
    power = _first_power(DEFAULT_SCENARIO)
    lines = [
        "# Run outputs",
        "",
        "Generated when the site is built from `model/outcomes.py`, where every column of a run's record and every "
        "run outcome is declared once. `P` and `Q` stand for the scenario's great powers (`engagement_P_d` is "
        f"`engagement_{power}_security` in the `{DEFAULT_SCENARIO}` scenario), `d` for a domain (security, economy, "
        "institutions). "
        "Columns marked *contract* belong to the data contract and are never renamed.",
        "",
        "## Record columns",
        "",
        "One row per quarter (and replication): `multivector run --out FILE`, `multivector.simulate`, a sweep's "
        "`steps.parquet`.",
        "",
        "| column | type | label | unit | direction | contract |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for column in outcomes.COLUMNS.values():
        names = column.names(example)
        shown = names[0].replace("_security", "_d") if column.over == outcomes.POWER_DOMAIN else names[0]
        lines.append(f"| `{_cell(shown)}` | {column.kind} | {_cell(column.label)} | {_cell(column.unit)} "
                     f"| {direction[column.direction]} | {'yes' if column.contract else ''} |")
    lines += [
        "",
        "## Run outcomes",
        "",
        "One number per run, from a record column: what `compare`, sweeps (`runs.parquet`), the app and the EMA "
        "adapter report.",
        "",
        "| outcome | from column | statistic | across powers | label | unit | direction | meaning |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for outcome in outcomes.OUTCOMES:
        lines.append(f"| `{outcome.name}` | `{outcome.column}` | {_cell(outcome.shown_statistic)} "
                     f"| {_cell(outcome.across_powers or '-')} | {_cell(outcome.label)} | {_cell(outcome.unit)} "
                     f"| {direction[outcome.direction]} | {_cell(outcome.description)} |")
    return "\n".join(lines) + "\n"


GENERATED: dict[str, Callable[[], str]] = {
    "reference/cli.md": cli_page,
    "reference/parameters.md": parameters_page,
    "reference/outputs.md": outputs_page,
}


ROOT = Path(__file__).resolve().parents[2]


def _package_tree() -> str:
    """A temporary folder in which the package has its installed layout, made of symbolic links:
    ``multivector/`` (experiments/api/), ``multivector/model`` (model/) and
    ``multivector/experiments`` (experiments/). pyproject.toml maps those names to folders, which
    mkdocstrings' static loader (griffe) cannot follow in the repository itself, and importing
    instead fails where a module and the function it exports share a name (``multivector.model.run``)."""
    tree = Path(tempfile.mkdtemp(prefix="multivector-docs-"))
    atexit.register(shutil.rmtree, tree, ignore_errors=True)
    package = tree / "multivector"
    package.mkdir()
    (package / "__init__.py").symlink_to(ROOT / "experiments" / "api" / "__init__.py")
    (package / "model").symlink_to(ROOT / "model", target_is_directory=True)
    (package / "experiments").symlink_to(ROOT / "experiments", target_is_directory=True)
    return str(tree)


@event_priority(100)  # before mkdocstrings reads its configuration
def on_config(config):
    """Point mkdocstrings at the package's installed layout (:func:`_package_tree`)."""
    python = config.plugins["mkdocstrings"].config["handlers"].setdefault("python", {})
    python["paths"] = [_package_tree()]
    return config


def on_files(files: Files, config) -> Files:
    """Add the generated pages to the site (they exist only in the build, never in the source tree)."""
    for uri, make in GENERATED.items():
        files.append(File.generated(config, uri, content=make()))
    return files
