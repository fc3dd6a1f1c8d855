"""The ``multivector`` command line: one console script with subcommands.

Bad input (an unknown parameter, an out-of-range value, an unknown scenario or strategy, a
malformed file) prints one line, ``multivector: error: ...``, and exits with status 2, leaving no
output file behind.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from multivector import model
from multivector.experiments import commands
from multivector.experiments.errors import StorageError, Terminated, UsageError, report, sigterm_interrupts


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2."""

    def error(self, message: str) -> None:  # noqa: D102 - argparse's contract
        raise UsageError(message)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("multivector")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="multivector",
        description="Agent-based simulation of multivector balancing: a secondary power between great powers, "
        "in real cases (`multivector cases`) and stylised ones. After Vanderhill, Joireman & Tulepbayeva (2020).",
    )
    parser.add_argument("--version", action="version", version=f"multivector {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    sub.required = True
    commands.register(sub)
    from multivector.experiments.sweep.cli import register as register_sweep  # noqa: PLC0415 - keeps start-up light
    from multivector.experiments.app.cli import register as register_app  # noqa: PLC0415
    from multivector.experiments.calibration.cli import register as register_calibration  # noqa: PLC0415
    from multivector.experiments.report.cli import register as register_report  # noqa: PLC0415
    from multivector.experiments.tune_cli import register as register_tune  # noqa: PLC0415
    from multivector.experiments.shipped_designs import register as register_designs  # noqa: PLC0415

    register_sweep(sub)
    register_designs(sub)
    register_calibration(sub)
    register_tune(sub)
    register_report(sub)
    register_app(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (0 success, 2 bad input, 3 file system, 4 damaged data)."""
    try:
        args = build_parser().parse_args(argv)
        with sigterm_interrupts():
            return int(args.handler(args) or 0)
    except BrokenPipeError:  # output piped into a reader that stopped early (e.g. `| head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (UsageError, StorageError, OSError, model.ModelInputError) as error:
        message, status = report(error)
        print(f"multivector: error: {message}", file=sys.stderr)
        return status
    except Terminated:
        print("multivector: terminated", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("multivector: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
