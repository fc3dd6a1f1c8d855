"""Reproducible parameter sweeps: experiment files, designs, seeds, executors, store, analysis.

A sweep runs an experiment file (``experiments/designs/*.toml``) into a folder of Parquet part
files with a manifest; every run's seed depends only on its position in the design, so the
results are the same whatever executor, worker count or completion order produced them.
Entry points: ``multivector sweep|analyze|plot`` (:mod:`.cli`), :func:`.store.open_sweep`.
"""
