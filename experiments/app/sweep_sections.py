"""The analysis part of the sweep view: outcome by strategy, two-factor heatmaps, sensitivity."""

import solara


@solara.component
def AnalysisSections(results, runs):
    try:
        from experiments.sweep import analysis, plots  # noqa: F401
    except ImportError as problem:
        solara.Warning(f"Sweep analysis unavailable: {problem}")
        return
