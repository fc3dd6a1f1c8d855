"""Benchmark: milliseconds per run of the default scenario (with data collection) and steps per second, against
a bare Mesa model with the same number of agents, no logic and no collection (the floor).

Run: python -m multivector.experiments.benchmarks.bench_model [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

from mesa import Agent, Model

from multivector import model


class _Idle(Agent):
    def act(self) -> None:
        pass


class BareModel(Model):
    """Same agents (one secondary, three great powers), no logic, no data collection."""

    def __init__(self, powers: int = 3, rng=None):
        super().__init__(rng=rng)
        for _ in range(powers + 1):
            _Idle(self)

    def step(self) -> None:
        self.agents.shuffle_do("act")


def _time(make, steps: int, repeats: int) -> list[float]:
    times = []
    for seed in range(repeats):
        start = time.perf_counter()
        m = make(seed)
        for _ in range(steps):
            m.step()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    steps = model.load_scenario(model.DEFAULT_SCENARIO).steps
    model.MultivectorModel(steps=1)  # warm the scenario cache, as a sweep does after its first run
    ours = _time(lambda s: model.MultivectorModel(scenario=model.DEFAULT_SCENARIO, strategy="hedge", rng=s), steps,
                 args.repeats)
    bare = _time(lambda s: BareModel(rng=s), steps, args.repeats)
    for name, times in ((f"multivector {model.DEFAULT_SCENARIO}/hedge (with DataCollector)", ours),
                        ("bare Mesa model, 4 agents", bare)):
        best, median = min(times), statistics.median(times)
        print(f"{name}: {steps} quarters, best {best * 1e3:.1f} ms/run, median {median * 1e3:.1f} ms/run, "
              f"{steps / best:,.0f} steps/s (best of {len(times)})")
    print(f"ratio (ours / bare floor): {min(ours) / min(bare):.0f}x")


if __name__ == "__main__":
    main()
