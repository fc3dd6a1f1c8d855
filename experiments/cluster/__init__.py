"""From a laptop to a cluster: a SLURM batch script that starts a Dask cluster inside one allocation
and sweeps on it through the scheduler file (``slurm-sweep.sh``), and a dask-jobqueue recipe that
submits Dask workers as SLURM jobs from a login node (:mod:`.slurm`). README, "Sweeps on a cluster"."""
