"""The distance ABC-SMC minimises, and the per-particle summaries it reads (no pyabc needed)."""

from __future__ import annotations

import numpy as np

# A run whose trade path misses the data by more than three times a naive baseline's error tells
# the distance nothing more: ratios are capped there so one wild run cannot swamp the patterns.
FIT_CAP = 3.0


class PatternDistance:
    """Distance of a particle's summaries from the history (a callable for pyabc's
    ``FunctionDistance``): the share of counting facts its runs miss (mean over facts of one minus
    the share of its seeds passing) plus ``fit_weight`` times its trade paths' error relative to
    the naive baselines (mean over powers and seeds of RMSE / RMSE of the constant share and of
    RMSE / RMSE of the linear trend, averaged). 0 would be every fact in every seed and a perfect
    path."""

    def __init__(self, counting: tuple[str, ...], fit_weight: float):
        self.counting = counting
        self.fit_weight = fit_weight

    def __call__(self, x: dict, x_0: dict | None = None) -> float:  # noqa: ARG002 - the history is all ones and zeros
        missed = float(np.mean([1.0 - x[f] for f in self.counting])) if self.counting else 0.0
        return missed + self.fit_weight * 0.5 * (x["fit_constant"] + x["fit_trend"])


def particle_summaries(columns: dict[str, np.ndarray], facts: tuple[str, ...], kinds: tuple[str, ...],
                       powers: dict[str, tuple[str, ...]]) -> list[dict[str, float]]:
    """Per particle (rows of ``columns``' (N, seeds) arrays): each fact's share of seeds passing,
    and the capped fit ratios ``fit_constant`` and ``fit_trend`` over the ``kinds`` of series."""
    shares = {f: columns[f].mean(axis=1) for f in facts}
    ratios = {"constant": [], "trend": []}
    for kind in kinds:
        for power in powers[kind]:
            rmse = columns[f"{kind}_rmse_{power}"]
            for base in ratios:
                ratios[base].append(np.minimum(rmse / columns[f"{kind}_rmse_{base}_{power}"], FIT_CAP).mean(axis=1))
    n = len(next(iter(columns.values())))
    fit = {base: (np.mean(values, axis=0) if values else np.zeros(n)) for base, values in ratios.items()}
    return [{**{f: float(shares[f][i]) for f in facts}, "fit_constant": float(fit["constant"][i]),
             "fit_trend": float(fit["trend"][i])} for i in range(n)]
