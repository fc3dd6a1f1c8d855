"""The ``report`` subcommand."""

from __future__ import annotations

import sys

from multivector.experiments.commands import parse_overrides

from multivector.experiments.progress import add_quiet

DESCRIPTION = """Test every claim of Vanderhill, Joireman & Tulepbayeva (2020) on the calibrated model of a case.
Runs (or reuses, by the hash of each experiment's text) the experiments in experiments/designs/claims/ (filled in
for the case: its powers in the claims' roles) and the case pack's designs/, over the case's calibrated posterior
sample (sets.csv; a case without one runs at its scenario's values, on pairs of seeds, and says so), and writes
OUT/report.md, OUT/report.html (self-contained), OUT/verdicts.csv and OUT/figures/. A claim the case cannot test
is listed with the reason. The sweeps are kept under OUT/sweeps/ (open them with analyze or the app).
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
                        help="the case whose claims to test (default: the default scenario); it needs a case "
                             "pack (multivector cases)")
    report.add_argument("--cases", action="store_true",
                        help="the cross-case test instead of the claims: every real case under every rule, the "
                             "structural drivers and C10 from the real cases (default --out results/report-cases)")
    report.set_defaults(handler=report_command)


def report_command(args) -> int:
    from multivector.experiments.errors import UsageError  # noqa: PLC0415

    from .build import build_report, print_verdicts  # noqa: PLC0415 - heavy imports only when used

    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers: must be at least 1")
    if args.cases:
        return cases_command(args)
    from multivector.experiments.cases.commands import need_pack  # noqa: PLC0415
    from multivector.model import DEFAULT_SCENARIO  # noqa: PLC0415

    scenario = args.scenario or DEFAULT_SCENARIO
    need_pack(scenario, "report")  # an unknown scenario, or one without a pack: one line
    suffix = "" if scenario == DEFAULT_SCENARIO else f"-{scenario}"
    out = args.out or (f"results/report-quick{suffix}" if args.quick else f"results/report{suffix}")
    outcome = build_report(out, quick=args.quick, overrides=parse_overrides(args.overrides), workers=args.workers,
                           announce=lambda line: print(line, file=sys.stderr), progress=not args.quiet,
                           only=[c.strip() for c in args.only.split(",") if c.strip()] if args.only else None,
                           scenario=scenario)
    print_verdicts(outcome, quick=args.quick)
    return 0


def cases_command(args) -> int:
    """``report --cases``: the cross-case section on its own (experiments/report/cases.py)."""
    from multivector.experiments.errors import UsageError  # noqa: PLC0415

    from .cases import build_cases_report, print_cases  # noqa: PLC0415 - heavy imports only when used

    for given, flag in ((args.only, "--only"), (args.overrides, "--set"), (args.scenario, "--scenario")):
        if given:
            raise UsageError(f"report --cases: {flag} is not taken (every case runs in its world)")
    out = args.out or ("results/report-cases-quick" if args.quick else "results/report-cases")
    outcome = build_cases_report(out, quick=args.quick, workers=args.workers,
                                 announce=lambda line: print(line, file=sys.stderr), progress=not args.quiet)
    print_cases(outcome, quick=args.quick)
    return 0
