"""One long-lived worker pool (experiments/pool.py): reused across sweeps, the same results as a
sweep's own pool, shut down when its block ends, and workers that never import Mesa or SALib."""

import subprocess
import sys

import pandas as pd

from multivector.experiments import pool
from multivector.experiments.sweep.execution import InProcess, LocalProcesses
from multivector.experiments.sweep.store import open_sweep
from multivector.experiments.sweep.sweeper import run_sweep

SMALL = """
[experiment]
name = "{name}"
scenario = "stylised"
steps = 6
replications = 2
seed = {seed}
strategies = ["hedge", "balance"]
[design]
kind = "grid"
[factors]
"rivalry.scale" = [0.5, 1.5]
"""


def sweep(tmp_path, name, seed=20260101):
    source = tmp_path / f"{name}.toml"
    source.write_text(SMALL.format(name=name, seed=seed))
    run_sweep(source, out=tmp_path / name, workers=2, progress=False, announce=lambda line: None)
    runs = open_sweep(tmp_path / name).runs
    return runs.drop(columns=["duration_s"]).sort_values("run_id").reset_index(drop=True)


def test_sweeps_in_a_shared_block_reuse_one_pool_and_give_the_same_results(tmp_path):
    alone = sweep(tmp_path, "alone")
    with pool.shared(2):
        backend = pool.current(2)
        first = sweep(tmp_path, "first")
        processes = backend._pool
        second = sweep(tmp_path, "second", seed=7)
        assert backend._pool is processes is not None  # the second sweep ran on the same live pool
        assert backend.started == 1
        assert pool.local_backend(2) is backend
        held = backend.executor().submit(pool.worker_modules).result()
    assert backend._pool is None  # shut down when the block ended
    assert pool.current(2) is None
    pd.testing.assert_frame_equal(alone.drop(columns=["sweep"], errors="ignore"),
                                  first.drop(columns=["sweep"], errors="ignore"))
    assert not second.equals(first)
    assert "mesa" not in held and "SALib" not in held, held


def test_outside_a_block_each_sweep_owns_its_pool():
    assert isinstance(pool.local_backend(1), InProcess)
    one, two = pool.local_backend(2), pool.local_backend(2)
    assert type(one) is LocalProcesses and one is not two


def test_nested_blocks_share_the_outer_pool():
    with pool.shared(2):
        outer = pool.current(2)
        with pool.shared(2):
            assert pool.current(2) is outer
        assert pool.current(2) is outer  # the inner block did not shut it down


def test_importing_the_engine_path_does_not_import_mesa():
    code = ("import sys, multivector, multivector.experiments.sweep.runner; "
            "print(sorted(m for m in ('mesa', 'SALib', 'scipy') if m in sys.modules))")
    held = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert held == "[]"
    code = "import multivector, sys; multivector.MultivectorModel; print('mesa' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "True"


def test_map_ordered_gives_the_items_results_in_order_on_the_shared_pool():
    with pool.shared(2):
        backend = pool.current(2)
        assert pool.map_ordered(abs, [-3, 2, -1, 0], workers=2) == [3, 2, 1, 0]
        assert backend._pool is not None and backend.started == 1  # kept for what comes next
    assert pool.map_ordered(abs, [-5, 4], workers=1) == [5, 4]


def test_a_broken_shared_pool_is_replaced_not_reused():
    import os
    import signal

    with pool.shared(2):
        backend = pool.current(2)
        executor = backend.executor()
        victim = executor.submit(os.getpid).result()
        os.kill(victim, signal.SIGKILL)
        fresh = backend.renew()  # what the sweep's executor does on BrokenProcessPool
        assert fresh is not executor and backend.started == 2
        assert fresh.submit(abs, -1).result() == 1
