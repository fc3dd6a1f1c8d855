"""The report's experiments: which files, their quick versions, and running or reusing their sweeps.

Each experiment is a file in ``experiments/designs/claims/`` (a template over the case's roles, or a
stylised world) or in a case pack's ``designs/``, filled in for the case; ``multivector sweep`` runs
the filled-in file on its own. The report writes the exact text it runs (quick or full, with any ``--set``) into
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

from .case import PLACEHOLDER, Case

DESIGNS = Path(__file__).resolve().parents[1] / "designs" / "claims"
# The generic experiments, by key (the claims name them by key): templates over the case's roles
# ({case}, {near}, {near_name}, {near_slug}, ..., {start_year}; "x_{each}" in a list: one entry per
# power), or stylised worlds that are the same for every case. A case pack adds its own designs
# (:class:`.case.CaseClaims`), e.g. the experiments of its own crises.
GENERIC = {"E1": "E1-bandwagon-near", "E2": "E2-balance-near", "E4": "E4-no-enmeshment", "E6": "E6-rivalry",
           "E9": "E9-adaptive", "E10": "E10-random-powers", "C2": "C2-clientage", "C7": "C7-enmeshment-pressed",
           "C8": "C8-distant-power", "C12": "C12-activism", "S": "S-sensitivity"}
# A design whose text has the line "# report-rules: registered" runs every fixed rule of the registry
# under the report (hedge first), whatever its strategies list (which `multivector sweep` runs on its
# own): the list of rules is the registry's data, not a copy kept in the design.
REGISTERED = re.compile(r"^#\s*report-rules:\s*registered\s*$", re.MULTILINE)

# --quick: the same experiments on fewer sets, seeds and samples (a smoke test of the whole chain,
# not evidence: the report says so at the top)
QUICK_SETS, QUICK_REPLICATIONS, QUICK_LHS, QUICK_SOBOL = 6, 2, 24, 16
# A case without a calibration runs its experiments at the scenario's own values: its units are pairs
# of seeds (replications 2k and 2k+1), so the noise floor (even against odd seeds) still exists, and
# the intervals carry seed noise only, which the report says. Pairs per design point (full, quick):
SEED_PAIRS = {False: 30, True: 6}


# Experiments only a pack can provide, and what they are (the reason a case without one gives)
PACK_ONLY = {"E5": " (the case without its most distant power: a scenario that extends the case and drops that "
                   "power, run over the case's calibration, in the pack's designs/)"}


def experiment_order(key: str) -> tuple[int, int, str]:
    """E1..E10, then C1..C12, then the rest (S): the order the report runs and lists them."""
    match = re.match(r"([A-Z]+)(\d*)", key)
    prefix, number = match.group(1), int(match.group(2) or 0)
    return ({"E": 0, "C": 1}.get(prefix, 2), number, key)


def design_files(case: Case) -> dict[str, Path]:
    """Every experiment key the case can draw on, with its file: the generic ones and its pack's."""
    files = {key: DESIGNS / f"{stem}.toml" for key, stem in GENERIC.items()}
    files.update(case.claims.designs)
    return dict(sorted(files.items(), key=lambda item: experiment_order(item[0])))


def values(case: Case) -> dict[str, str]:
    """What each placeholder of a template stands for in ``case`` (roles the case cannot bind are absent)."""
    out = {"case": case.scenario, "start_year": case.start[:4]}
    for role, power in case.roles.items():
        out.update({role: power, f"{role}_name": case.role_name(role), f"{role}_slug": case.role_slug(role)})
    return out


def unavailable(case: Case, key: str) -> str:
    """Why ``case`` cannot run experiment ``key`` ('' when it can)."""
    files = design_files(case)
    if key not in files:
        return f"it needs experiment {key}{PACK_ONLY.get(key, '')}, which this case's pack does not provide"
    text = files[key].read_text(encoding="utf-8")
    spec = tomllib.loads(text)
    missing = sorted({m for m in PLACEHOLDER.findall(tomli_w.dumps(spec)) if m != "each"} - set(values(case)))
    if missing:
        roles = [m.split("_")[0] for m in missing]
        return f"its experiment {key} needs the role {roles[0]!r}, which this case cannot bind: " \
               f"{case.unbound.get(roles[0], 'unknown role')}"
    design = spec.get("design", {})
    if design.get("parameter_sets") == "{case}" and design.get("kind") == "sobol" and not case.calibrated:
        return f"its experiment {key} samples the calibration's posterior region, and this case has no calibration"
    return ""


def _fill(value, table: dict[str, str], powers: tuple[str, ...]):
    """``value`` with its placeholders filled; a list entry holding {each} becomes one entry per power."""
    if isinstance(value, dict):
        return {_fill(k, table, powers): _fill(v, table, powers) for k, v in value.items()}
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, str) and "{each}" in item:
                out += [_fill(item.replace("{each}", p), table, powers) for p in powers]
            else:
                out.append(_fill(item, table, powers))
        return out
    if isinstance(value, str):
        return PLACEHOLDER.sub(lambda m: table[m.group(1)], value)
    return value


@dataclass(frozen=True)
class Prepared:
    key: str  # the experiment's key (E1, C2, ...): how the claims name it
    name: str  # its name, which the sweep folder and OUT/experiments/NAME.toml carry
    text: str
    skipped: tuple[str, ...]  # --set paths this experiment cannot take (it varies them, or lacks them)
    seed_pairs: bool = False  # run at the scenario's own values: units are pairs of seeds (no calibration)

    @property
    def digest(self) -> str:
        spec = tomllib.loads(self.text)
        calibration = spec.get("design", {}).get("parameter_sets")
        extra = fingerprint(calibration) if calibration else ""
        return hashlib.sha256((self.text + extra).encode()).hexdigest()[:12]


def prepare(case: Case, key: str, quick: bool, overrides: dict[str, object]) -> Prepared:
    """The experiment text the report runs for ``case``: the design filled in for the case, shrunk for
    ``quick``, with ``overrides`` added to its fixed parameters where the experiment neither varies
    nor lacks them. A case without a calibration runs at its scenario's values on pairs of seeds."""
    source = design_files(case)[key].read_text(encoding="utf-8")
    spec = _fill(tomllib.loads(source), values(case), case.power_ids)
    name = spec["experiment"]["name"]
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
    seed_pairs = design.get("parameter_sets") == case.scenario and not case.calibrated
    if seed_pairs:
        del design["parameter_sets"]
        design.pop("sets", None)
        spec["experiment"]["replications"] = 2 * SEED_PAIRS[quick]
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
    return Prepared(key, name, text, tuple(skipped), seed_pairs)


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
