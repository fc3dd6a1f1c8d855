"""The ``report`` subcommand."""

from __future__ import annotations

import sys

from multivector.experiments.commands import parse_overrides

from multivector.experiments.progress import add_quiet

DESCRIPTION = """Test every claim of Vanderhill, Joireman & Tulepbayeva (2020) on the calibrated model.
Runs (or reuses, by the hash of each experiment's text) the experiments in experiments/designs/claims/
over the calibration's posterior sample (sets.csv), and writes OUT/report.md, OUT/report.html (self-contained),
OUT/verdicts.csv and OUT/figures/. The sweeps are kept under OUT/sweeps/ (open them with analyze or the app).
An interrupted report resumes where it stopped."""


def register(subparsers) -> None:
    report = subparsers.add_parser("report", help="test the article's claims on the calibrated model",
                                   description=DESCRIPTION)
    report.add_argument("--quick", action="store_true",
                        help="few sets, seeds and samples: checks the chain in about a minute; not evidence")
    report.add_argument("--out", metavar="DIR", default=None,
                        help="output FOLDER, created if missing (default results/report, or results/report-quick)")
    report.add_argument("--workers", type=int, default=None, help="local worker processes (default: all cores)")
    report.add_argument("--set", action="append", default=[], metavar="PATH=VALUE", dest="overrides",
                        help="hold a parameter at a value in every experiment that does not vary it (repeatable)")
    report.add_argument("--only", default=None, metavar="C1,C2,...",
                        help="test only these claims (and run only their experiments)")
    add_quiet(report)
    report.add_argument("--scenario", default=None, metavar="NAME",
                        help="the case whose claims to test (default: the default scenario); its case pack must "
                             "name its claims")
    report.set_defaults(handler=report_command)


def report_command(args) -> int:
    from multivector.experiments.errors import UsageError  # noqa: PLC0415

    from .build import build_report, print_verdicts  # noqa: PLC0415 - heavy imports only when used

    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers: must be at least 1")
    from multivector.experiments.cases.commands import need_pack  # noqa: PLC0415
    from multivector.model import DEFAULT_SCENARIO  # noqa: PLC0415

    scenario = args.scenario or DEFAULT_SCENARIO
    if "claims" not in need_pack(scenario, "report").extras:
        raise UsageError(f"report: the case pack of '{scenario}' names no claims to test (extras['claims'])")
    if scenario != DEFAULT_SCENARIO:  # the claims' experiments are the default scenario's so far (issue 18)
        raise UsageError(f"report: only the claims of '{DEFAULT_SCENARIO}' can be tested so far, not '{scenario}'")
    out = args.out or ("results/report-quick" if args.quick else "results/report")
    outcome = build_report(out, quick=args.quick, overrides=parse_overrides(args.overrides), workers=args.workers,
                           announce=lambda line: print(line, file=sys.stderr), progress=not args.quiet,
                           only=[c.strip() for c in args.only.split(",") if c.strip()] if args.only else None)
    print_verdicts(outcome, quick=args.quick)
    return 0
