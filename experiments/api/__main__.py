"""``python -m multivector``: the same command line as ``multivector``."""

from multivector.experiments.cli import main

raise SystemExit(main())
