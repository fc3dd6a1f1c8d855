"""One browser tab's run: the settings it was built from, the live model, and stepping.

Nothing here knows about Solara, so the stepping logic is tested (and benchmarked) without a
browser. The app keeps one ``RunSession`` per browser tab (inside its ``Page`` component), so
two tabs never share a model.
"""

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from multivector import model


@dataclass(frozen=True)
class SweepSeed:
    """The seed of one run of a sweep: ``SeedSequence(entropy, spawn_key=spawn_key)``."""

    entropy: int
    spawn_key: tuple[int, ...]
    run_id: int | None = None

    def sequence(self) -> np.random.SeedSequence:
        return np.random.SeedSequence(self.entropy, spawn_key=self.spawn_key)

    def describe(self) -> str:
        run = f"sweep run {self.run_id}: " if self.run_id is not None else ""
        return f"{run}entropy {self.entropy}, spawn key {list(self.spawn_key)}"


@dataclass(frozen=True)
class RunSettings:
    """Everything a run is a pure function of: scenario, rule, parameter overrides, length, seed.

    ``seed`` is the plain integer the user types; ``sweep_seed`` (when set, by replaying a
    sweep run) takes precedence so the replay reproduces that run exactly.
    """

    scenario: str = model.DEFAULT_SCENARIO
    strategy: str = "hedge"
    seed: int = 0
    overrides: dict = field(default_factory=dict)
    steps: int | None = None
    sweep_seed: SweepSeed | None = None

    def rng(self):
        """What ``MultivectorModel(rng=...)`` gets."""
        return self.sweep_seed.sequence() if self.sweep_seed is not None else int(self.seed)

    def with_changes(self, **changes) -> "RunSettings":
        return replace(self, **changes)


def build_model(settings: RunSettings) -> "model.MultivectorModel":
    """A fresh model for these settings; bad settings raise ``model.ModelInputError``."""
    overrides = model.validate_overrides(settings.scenario, settings.overrides) if settings.overrides else None
    return model.MultivectorModel(scenario=settings.scenario, strategy=settings.strategy,
                                  overrides=overrides, steps=settings.steps, rng=settings.rng())


class RunSession:
    """A model being stepped by one user, with the data-contract frame of what it has done."""

    def __init__(self, settings: RunSettings | None = None):
        self.settings = settings or RunSettings()
        self.model = build_model(self.settings)
        self.scenario = model.load_scenario(self.settings.scenario)
        self._frame: pd.DataFrame | None = None
        self._frame_at = -1
        # Play steps from a worker thread while the user may click Step or Reset.
        self.lock = threading.RLock()
        self.generation = 0  # bumped by every reset: (generation, step_count) names a state

    # --- state --------------------------------------------------------------------------
    @property
    def step_count(self) -> int:
        """Quarters stepped since the start (0 before the first step)."""
        return int(self.model.steps)

    @property
    def state_key(self) -> tuple[int, int]:
        """Changes whenever what the charts show changes (a step or a reset)."""
        return (self.generation, self.step_count)

    @property
    def max_steps(self) -> int:
        return int(self.model.max_steps)

    @property
    def date(self) -> str:
        return str(self.model.date)

    @property
    def finished(self) -> bool:
        return not self.model.running or self.step_count >= self.max_steps

    @property
    def power_ids(self) -> tuple[str, ...]:
        return tuple(self.model.power_ids)

    # --- actions ------------------------------------------------------------------------
    def step(self, quarters: int = 1) -> int:
        """Advance up to ``quarters`` quarters, stopping at the run's end; returns how many ran."""
        done = 0
        with self.lock:
            while done < quarters and not self.finished:
                self.model.step()
                done += 1
        return done

    def reset(self, settings: RunSettings | None = None) -> None:
        """Rebuild the model from ``settings`` (or the current ones). The old model is kept if
        the new settings are invalid, so a typo does not lose the user's run."""
        new_settings = settings or self.settings
        new_model = build_model(new_settings)
        with self.lock:
            self.settings, self.model = new_settings, new_model
            self.scenario = model.load_scenario(new_settings.scenario)
            self._frame, self._frame_at = None, -1
            self.generation += 1

    # --- data ---------------------------------------------------------------------------
    def frame(self) -> pd.DataFrame:
        """The collected rows so far (step 0 .. now), cached until the next step."""
        with self.lock:
            return self._current_frame()

    def _current_frame(self) -> pd.DataFrame:
        if self._frame is None or self._frame_at != self.step_count:
            frame = self.model.datacollector.get_model_vars_dataframe()
            if "step" not in frame.columns:
                frame = frame.assign(step=np.arange(len(frame)))
            self._frame, self._frame_at = frame.reset_index(drop=True), self.step_count
        return self._frame

    def columns(self) -> "RecordColumns":
        """The record so far as numeric columns, read straight from the collector: what the
        charts draw each frame, without building a DataFrame of every column (``frame``)."""
        with self.lock:
            return RecordColumns(self.model.datacollector.model_vars)

    def latest_event(self):
        """The scenario's most recent dated event at or before the current step (or None)."""
        passed = [e for e in self.scenario.events if e.step <= self.step_count]
        return max(passed, key=lambda e: e.step) if passed else None

    def ties(self) -> tuple[np.ndarray, np.ndarray]:
        """The secondary's engagement and dependence now, each shaped (powers, domains)."""
        with self.lock:
            secondary = self.model.secondary
            return np.array(secondary.engagement, dtype=float), np.array(secondary.dependence, dtype=float)


class RecordColumns(Mapping):
    """Columns of the record (step 0 .. now) as float arrays, each converted when first read.
    The lengths are fixed when made, so a model stepping on meanwhile does not change them."""

    def __init__(self, lists: dict[str, list]):
        self._lists = lists
        self._rows = len(next(iter(lists.values()), []))
        self._arrays: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._arrays:
            self._arrays[name] = np.asarray(self._lists[name][: self._rows], dtype=float)
        return self._arrays[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._lists)

    def __len__(self) -> int:
        return len(self._lists)
