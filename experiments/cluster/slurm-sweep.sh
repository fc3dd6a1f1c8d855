#!/usr/bin/env bash
# A sweep inside one SLURM allocation: a Dask scheduler on the first node, one Dask worker process
# per allocated core on every node, and the sweep, which finds the scheduler through its scheduler
# file on the shared file system (multivector sweep --scheduler-file).
#
#   multivector designs sobol-behaviour --to .       # or your own experiment file
#   sbatch --nodes=4 --cpus-per-task=32 --time=02:00:00 slurm-sweep.sh sobol-behaviour.toml results/sobol
#
# Where this script lies: `python -c "import multivector.experiments.cluster as c; print(c.__path__[0])"`.
# Needs the package (pip install 'multivector[cluster]') in the job's environment on every node (load
# your site's Python module and activate your venv below, or before sbatch: SLURM passes the
# environment on). OUT and the scheduler file must be on a file system every node sees; the sweep
# driver alone writes OUT (workers send results back), so that file system needs exclusive file
# creation and renames that every node sees, and nothing more (see the README on locks).
#SBATCH --job-name=multivector-sweep
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=1
#SBATCH --cpus-per-task=8
#SBATCH --time=01:00:00
#SBATCH --output=multivector-sweep-%j.log
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: sbatch slurm-sweep.sh EXPERIMENT.toml OUT_DIR [more multivector sweep options]" >&2
  exit 2
fi
design="$1"; out="$2"; shift 2
job="${SLURM_JOB_ID:-local}"
cores="${SLURM_CPUS_PER_TASK:-1}"
nodes="${SLURM_NNODES:-1}"
scheduler_file="${MULTIVECTOR_SCHEDULER_FILE:-$PWD/.dask-scheduler-$job.json}"
host_option=()
if [ -n "${MULTIVECTOR_DASK_HOST:-}" ]; then host_option=(--host "$MULTIVECTOR_DASK_HOST"); fi
rm -f "$scheduler_file"

# One simulation per core: numerical libraries must not start threads of their own.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

dask scheduler --scheduler-file "$scheduler_file" --no-dashboard "${host_option[@]}" &
scheduler_pid=$!
# Workers find the scheduler through the same file (they wait for it to appear). Node-local scratch
# for their spill files: never the shared file system.
srun --ntasks="$nodes" --ntasks-per-node=1 dask worker --scheduler-file "$scheduler_file" \
  --nworkers "$cores" --nthreads 1 --local-directory "${TMPDIR:-/tmp}" --no-dashboard "${host_option[@]}" &
workers_pid=$!
trap 'kill "$workers_pid" "$scheduler_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -f "$scheduler_file"' EXIT

# An interrupted sweep (time limit, scancel) keeps its finished runs: submit again with --resume.
status=0
multivector sweep "$design" --out "$out" --scheduler-file "$scheduler_file" --quiet "$@" || status=$?
exit "$status"
