"""The check that an interrupted calibration, resumed, writes what an uninterrupted one wrote (shared
by tests/test_calibration.py and tests/test_joint_calibration.py)."""

from __future__ import annotations

from pathlib import Path

from multivector.experiments.cli import main

# the tables a resumed calibration must write to the byte as the uninterrupted one
COMPARED = ("posterior.csv", "generations.csv", "predictive.csv")


def assert_resume_reproduces(monkeypatch, argv: list[str], finished: Path, interrupted: Path) -> None:
    """``main([*argv, "--out", interrupted])`` stopped as by Ctrl-C (exit 130) as its second ABC-SMC
    generation starts, then finished with ``--resume``, writes the same bytes as the uninterrupted
    calibration of the same ``argv`` in ``finished``."""
    from multivector.experiments.calibration import abc  # pyabc only where a calibration runs

    before = {name: (finished / name).read_bytes() for name in COMPARED}
    original = abc.EnsembleSampler.sample_until_n_accepted

    def stop_at_second_generation(self, n, simulate_one, t, **kwargs):
        if t == 1:
            raise KeyboardInterrupt
        return original(self, n, simulate_one, t, **kwargs)

    monkeypatch.setattr(abc.EnsembleSampler, "sample_until_n_accepted", stop_at_second_generation)
    assert main([*argv, "--out", str(interrupted)]) == 130
    monkeypatch.setattr(abc.EnsembleSampler, "sample_until_n_accepted", original)
    assert main([*argv, "--out", str(interrupted), "--resume"]) == 0
    for name, content in before.items():
        assert (interrupted / name).read_bytes() == content, name
