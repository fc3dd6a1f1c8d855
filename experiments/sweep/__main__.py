"""``python -m experiments.sweep sweep|analyze|plot ...``: the sweep subcommands on their own.

The same handlers as ``multivector sweep|analyze|plot``; bad input prints one line and exits 2.
"""

from __future__ import annotations

import argparse
import sys

import model
from experiments.errors import UsageError

from .cli import register


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, like the multivector CLI
        self.exit(2, f"multivector: error: {message}\n")


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m experiments.sweep", description=__doc__)
    register(parser.add_subparsers(dest="command", required=True, parser_class=_Parser))
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except (UsageError, model.ModelInputError) as err:
        print(f"multivector: error: {' '.join(str(err).split())}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
