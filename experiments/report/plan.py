"""The report's experiments: which files, their quick versions, and running or reusing their sweeps.

Each experiment is a file in ``experiments/designs/claims/`` that ``multivector sweep`` runs on its
own. The report writes the exact text it runs (quick or full, with any ``--set``) into
``OUT/experiments/`` and sweeps it into ``OUT/sweeps/NAME-HASH/``, where HASH covers that text and
the posterior parameter sets it reads: the same text is never run twice, a changed one never reuses
stale results, and an interrupted report resumes where it stopped. The sweep folders are ordinary
sweeps (``multivector analyze``, the app's sweep view).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from multivector import model
from multivector.experiments.errors import UsageError
from multivector.experiments.safe_paths import refuse_links_below, write_text
from multivector.experiments.sweep import integrity, store
from multivector.experiments.sweep.experiment import parse_experiment
from multivector.experiments.sweep.parameter_sets import fingerprint
from multivector.experiments.sweep.store import SweepResults, open_sweep
from multivector.experiments.sweep.sweeper import run_sweep

DESIGNS = Path(__file__).resolve().parents[1] / "designs" / "claims"
EXPERIMENTS = ("E1-bandwagon-russia", "E2-balance-russia", "E3-china-profit", "E4-no-enmeshment", "E5-no-west",
               "E6-rivalry", "E7-leader-change", "E8-shock-scale", "E9-adaptive", "E10-random-powers",
               "C1-china-rise", "C2-clientage", "C7-enmeshment-pressed", "C8-distant-power", "C12-activism",
               "S-sensitivity")
# A design whose text has the line "# report-rules: registered" runs every fixed rule of the registry
# under the report (hedge first), whatever its strategies list (which `multivector sweep` runs on its
# own): the list of rules is the registry's data, not a copy kept in the design.
REGISTERED = re.compile(r"^#\s*report-rules:\s*registered\s*$", re.MULTILINE)

# --quick: the same experiments on fewer sets, seeds and samples (a smoke test of the whole chain,
# not evidence: the report says so at the top)
QUICK_SETS, QUICK_REPLICATIONS, QUICK_LHS, QUICK_SOBOL = 6, 2, 24, 16


@dataclass(frozen=True)
class Prepared:
    name: str
    text: str
    skipped: tuple[str, ...]  # --set paths this experiment cannot take (it varies them, or lacks them)

    @property
    def digest(self) -> str:
        spec = tomllib.loads(self.text)
        calibration = spec.get("design", {}).get("parameter_sets")
        extra = fingerprint(calibration) if calibration else ""
        return hashlib.sha256((self.text + extra).encode()).hexdigest()[:12]


def prepare(name: str, quick: bool, overrides: dict[str, object]) -> Prepared:
    """The experiment text the report runs: the shipped file, shrunk for ``quick``, with ``overrides``
    added to its fixed parameters where the experiment neither varies nor lacks them."""
    source = (DESIGNS / f"{name}.toml").read_text(encoding="utf-8")
    spec = tomllib.loads(source)
    if REGISTERED.search(source):
        spec["experiment"]["strategies"] = registered_rules()
    design = spec.setdefault("design", {})
    if quick:
        spec["experiment"]["replications"] = min(spec["experiment"].get("replications", 1), QUICK_REPLICATIONS)
        if design.get("kind", "grid") == "grid" and "parameter_sets" in design:
            design["sets"] = QUICK_SETS
        if design.get("kind") == "lhs":
            design["samples"] = QUICK_LHS
        if design.get("kind") == "sobol":
            design["samples"] = QUICK_SOBOL
    skipped = []
    paths = {info.path for info in model.parameter_table(spec["experiment"]["scenario"])}
    for path, value in overrides.items():
        if path in spec.get("factors", {}) or path not in paths:
            skipped.append(path)
            continue
        spec.setdefault("fixed", {}).update(model.validate_overrides(spec["experiment"]["scenario"], {path: value}))
    header = (f"# {name}, as run by `multivector report`{' --quick' if quick else ''}"
              f"{' with ' + ', '.join(f'{k}={v}' for k, v in overrides.items()) if overrides else ''}\n")
    text = header + tomli_w.dumps(spec)
    parse_experiment(text, source_name=f"{name}.toml")  # refuses a bad override in one line, before any run
    return Prepared(name, text, tuple(skipped))


def registered_rules() -> list[str]:
    """Every fixed rule of the registry (``model.FIXED_RULES``), hedge first: a rule registered
    later is in every design that asks for the registered rules, with no edit to the design."""
    return ["hedge", *(rule for rule in model.FIXED_RULES if rule != "hedge")]


def run_or_reuse(prepared: Prepared, out: Path, workers: int | None, announce: Callable[[str], None],
                 progress: bool) -> SweepResults:
    """The finished sweep of ``prepared`` under ``out``: reused when complete, resumed when
    interrupted, run otherwise."""
    refuse_links_below(out)  # a planted link would make us overwrite, read or move files elsewhere
    source = out / "experiments" / f"{prepared.name}.toml"
    source.parent.mkdir(parents=True, exist_ok=True)
    write_text(source, prepared.text)
    folder = out / "sweeps" / f"{prepared.name}-{prepared.digest}"
    manifest = folder / store.MANIFEST
    if manifest.is_file():
        results = open_sweep(folder)
        counts = results.manifest.get("counts", {})
        # reused only after the same check analyze runs: a damaged or copied part is set aside and rerun
        check = integrity.check_sweep(results)
        intact = not check.damaged and not check.partial  # a lost part is rerun, never silently left out
        if intact and results.manifest.get("status") == "complete" and counts.get("failed", 0) == 0:
            announce(f"{prepared.name}: reusing {folder} ({counts.get('ok', '?')} runs)")
            integrity.verified(results, warn=announce)
            return results
        run_sweep(source, out=folder, workers=workers, resume=True, retry_failed=True, announce=announce,
                  progress=progress)
    else:
        run_sweep(source, out=folder, workers=workers, announce=announce, progress=progress)
    results = open_sweep(folder)
    integrity.verified(results, warn=announce)
    failed = results.manifest.get("counts", {}).get("failed", 0)
    if failed:
        raise UsageError(f"{prepared.name}: {failed} runs failed in {folder}; see its runs table (status, error)")
    return results
