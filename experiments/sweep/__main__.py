"""``python -m multivector.experiments.sweep sweep|analyze|plot ...``: the sweep subcommands on their own.

The same handlers as ``multivector sweep|analyze|plot``; errors print one line (exit 2, 3 or 4).
"""

from __future__ import annotations

import argparse
import sys

from multivector import model
from multivector.experiments.errors import StorageError, UsageError, report

from .cli import register


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, like the multivector CLI
        self.exit(2, f"multivector: error: {message}\n")


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m multivector.experiments.sweep", description=__doc__)
    register(parser.add_subparsers(dest="command", required=True, parser_class=_Parser))
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except (UsageError, StorageError, OSError, model.ModelInputError) as err:
        message, status = report(err)
        print(f"multivector: error: {message}", file=sys.stderr)
        return status


if __name__ == "__main__":
    sys.exit(main())
