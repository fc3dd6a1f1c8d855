"""A sweep from a SLURM login node, its Dask workers submitted as batch jobs by dask-jobqueue.

    pip install 'multivector[cluster]' dask-jobqueue
    python -m multivector.experiments.cluster.slurm EXPERIMENT.toml --out /shared/results/NAME \\
        --jobs 4 --cores 32 --memory 64GB --walltime 02:00:00 [--queue QUEUE] [--account ACCOUNT]

Each job is one node's worth of Dask workers (``--cores`` processes of one thread: one simulation
per core); ``SLURMCluster`` writes and submits their job scripts (``--dry-run`` prints one). The
scheduler and the sweep run here, on the login node (where your site allows a long process; else
use ``slurm-sweep.sh``, which runs everything inside one allocation). The sweep waits for its first
worker for ``$MULTIVECTOR_DASK_TIMEOUT`` seconds (raise it when the queue is long), writes OUT as
results arrive, and is finished with ``--resume`` if the jobs end first.
"""

from __future__ import annotations

import argparse
import sys

from multivector.experiments.errors import UsageError, report


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m multivector.experiments.cluster.slurm",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("file", metavar="EXPERIMENT", help="experiment file (multivector designs NAME --to . gives one)")
    parser.add_argument("--out", required=True, metavar="DIR", help="sweep folder, on a file system the login node sees")
    parser.add_argument("--jobs", type=int, default=2, help="SLURM jobs of workers (default 2)")
    parser.add_argument("--cores", type=int, default=8, help="cores per job: one worker process each (default 8)")
    parser.add_argument("--memory", default="16GB", help="memory per job (default 16GB)")
    parser.add_argument("--walltime", default="01:00:00", help="time limit per job (default 01:00:00)")
    parser.add_argument("--queue", default=None, help="SLURM partition")
    parser.add_argument("--account", default=None, help="SLURM account")
    parser.add_argument("--scheduler-host", default=None,
                        help="interface the scheduler listens on (default: Dask's choice; compute nodes must reach it)")
    parser.add_argument("--local-directory", default="$TMPDIR", help="node-local scratch for the workers (default $TMPDIR)")
    parser.add_argument("--resume", action="store_true", help="finish an interrupted sweep in --out")
    parser.add_argument("--dry-run", action="store_true", help="print a worker job script and stop")
    return parser


def make_cluster(args):
    """The ``SLURMCluster`` of ``args`` (not started jobs yet)."""
    try:
        from dask_jobqueue import SLURMCluster
    except ImportError:
        raise UsageError("dask-jobqueue is not installed (pip install dask-jobqueue)") from None
    if args.jobs < 1 or args.cores < 1:
        raise UsageError("--jobs and --cores: at least 1")
    return SLURMCluster(
        cores=args.cores, processes=args.cores,  # one single-threaded worker per core
        memory=args.memory, walltime=args.walltime, queue=args.queue, account=args.account,
        local_directory=args.local_directory,
        job_script_prologue=["export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1"],
        scheduler_options={"dashboard_address": ":0", **({"host": args.scheduler_host} if args.scheduler_host else {})},
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        cluster = make_cluster(args)
        if args.dry_run:
            print(cluster.job_script())
            cluster.close()
            return 0
        from multivector.experiments.sweep.sweeper import run_sweep  # noqa: PLC0415 - after the cheap checks

        try:
            cluster.scale(jobs=args.jobs)
            outcome = run_sweep(args.file, out=args.out, scheduler=cluster.scheduler_address, resume=args.resume)
        finally:
            cluster.close()
    except KeyboardInterrupt:
        print("slurm: interrupted; finished runs are saved, continue with --resume", file=sys.stderr)
        return 130
    except (UsageError, OSError) as error:
        message, status = report(error)
        print(f"slurm: {message}", file=sys.stderr)
        return status
    print(f"{outcome.ok} ok, {outcome.failed} failed of {outcome.ran} runs -> {outcome.path}")
    return 1 if outcome.failed_in_folder else 0


if __name__ == "__main__":
    sys.exit(main())
