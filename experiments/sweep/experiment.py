"""Experiment files: the TOML schema (pydantic), checked against the model's parameter schema.

An experiment file names a scenario, the strategies to compare, a design over some parameters
(``[factors]``), parameters held fixed (``[fixed]``), replications and a root seed::

    [experiment]
    name = "rivalry-by-strategy"
    scenario = "stylised"
    steps = 40
    replications = 5
    seed = 20260101
    strategies = ["hedge", "balance", "bandwagon"]
    [design]
    kind = "grid"              # grid | lhs | sobol | morris
    samples = 64               # lhs, sobol and morris only
    [factors]
    "rivalry.scale" = [0.2, 0.5, 0.8]              # listed values (grid)
    "reactions.pressure_cost" = { low = 0.0, high = 1.0 }   # a range (sampled designs)
    [fixed]
    "powers.<id>.reach" = 0.3   # a power id of the scenario
    [collect]
    measures = ["autonomy", "welfare"]   # outcomes kept in the runs table (default: all)
    steps = true                         # also write per-step outputs (steps.parquet)
    every = 4                            # ... every 4th quarter (plus the last)
    [[stop]]
    column = "autonomy"                  # end a run early when a measure crosses a bound
    below = 0.1

Everything is validated before any run starts: unknown keys, unknown parameter paths, values
out of range, designs that do not fit their factors. Errors are :class:`UsageError` with one
line naming the file and the field.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr

from multivector import model
from multivector.experiments.errors import UsageError, shorten

from . import limits
from .seeding import MAX_ROOT_ENTROPY, new_root_entropy

DESIGN_KINDS = ("grid", "lhs", "sobol", "morris")
SAMPLED_KINDS = ("lhs", "sobol", "morris")

Scalar = StrictBool | StrictInt | StrictFloat | StrictStr


class _Strict(BaseModel):
    """Unknown keys are errors: a typo must never be silently ignored. Types are strict (``steps =
    true`` or ``seed = "7"`` is refused, not read as 1 or 7) and numbers finite."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class ExperimentSection(_Strict):
    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=120)]
    description: str = ""
    scenario: str
    steps: Annotated[int | None, Field(ge=1, le=limits.MAX_STEPS)] = None
    replications: Annotated[int, Field(ge=1, le=limits.MAX_REPLICATIONS)] = 1
    seed: Annotated[int | None, Field(ge=0, le=MAX_ROOT_ENTROPY)] = None
    strategies: Annotated[list[str] | None, Field(min_length=1)] = None


class DesignSection(_Strict):
    kind: Literal["grid", "lhs", "sobol", "morris"] = "grid"
    # lhs: number of points; sobol: base sample N (N*(D+2) points, a power of 2 is best);
    # morris: number of trajectories (N*(D+1) points)
    samples: Annotated[int | None, Field(ge=1, le=limits.MAX_POINTS)] = None
    levels: Annotated[int, Field(ge=2, le=100)] = 4  # morris grid levels
    second_order: bool = False  # sobol: also sample for second-order indices
    seed: Annotated[int | None, Field(ge=0, le=MAX_ROOT_ENTROPY)] = None  # sampler seed
    # a calibration's posterior parameter sets (experiments.sweep.parameter_sets): a grid runs every
    # point with each set; a sampled design varies the calibrated parameters over the sets' range
    parameter_sets: Annotated[str | None, Field(max_length=64)] = None
    sets: Annotated[int | None, Field(ge=1)] = None  # only the first ``sets`` posterior sets (grid)


class RangeSpec(_Strict):
    low: StrictFloat | StrictInt
    high: StrictFloat | StrictInt
    num: Annotated[int | None, Field(ge=2, le=limits.MAX_GRID_NUM)] = None  # grid only: evenly spaced values

    @pydantic.model_validator(mode="after")
    def _ordered(self) -> "RangeSpec":
        if not self.high > self.low:
            raise ValueError("high must be greater than low")
        return self


class CollectSection(_Strict):
    measures: Annotated[list[str] | None, Field(min_length=1)] = None
    steps: bool = False
    every: Annotated[int, Field(ge=1, le=limits.MAX_STEPS)] = 1
    patterns: bool = False  # also score each run on its case pack's facts and fits (experiments/cases/)


class StopRule(_Strict):
    column: str
    below: float | None = None
    above: float | None = None
    after: Annotated[int, Field(ge=0)] = 0  # not before this step

    @pydantic.model_validator(mode="after")
    def _one_bound(self) -> "StopRule":
        if (self.below is None) == (self.above is None):
            raise ValueError("give exactly one of below or above")
        return self


class CalibrationSection(_Strict):
    """Settings of ``multivector calibrate`` (ABC-SMC over the factors' ranges; sweeps ignore them).
    The prior sample is the file's [design] (a Latin hypercube of ``samples`` points), each point
    run on ``replications`` seeds, as is every ABC particle."""

    min_patterns: Annotated[int, Field(ge=1)] = 6  # facts a run must reproduce to count as "reaching"
    uninformative_share: Annotated[float, Field(gt=0, le=1)] = 0.9  # a fact passing in more of the prior does not count
    population: Annotated[int, Field(ge=2, le=100_000)] = 300  # particles per generation
    generations: Annotated[int, Field(ge=1, le=100)] = 8  # at most this many generations
    min_epsilon: Annotated[float, Field(ge=0)] = 0.0  # stop when epsilon falls to this
    min_acceptance: Annotated[float, Field(ge=0, lt=1)] = 0.01  # stop when a generation's acceptance rate is lower
    fit_weight: Annotated[float, Field(ge=0)] = 0.25  # weight of the trade-path fit in the distance
    fit_series: list[str] = ["trade"]  # the case pack's observed series the distance fits
    predictive_samples: Annotated[int, Field(ge=1, le=100_000)] = 200  # posterior draws for predictive checks
    point_replications: Annotated[int, Field(ge=1, le=10_000)] = 50  # seeds for the point summary's check
    resample: Annotated[int, Field(ge=1, le=100_000)] = 128  # equally weighted sets written for sweeps to integrate over


class ExperimentFile(_Strict):
    experiment: ExperimentSection
    design: DesignSection = DesignSection()
    factors: dict[str, Annotated[list[Scalar], Field(min_length=1)] | RangeSpec] = {}
    fixed: dict[str, Scalar] = {}
    collect: CollectSection = CollectSection()
    stop: list[StopRule] = []
    calibration: CalibrationSection | None = None


@dataclass(frozen=True)
class Factor:
    """One varied parameter: listed values, or a range ``[low, high]``."""

    path: str
    type: str  # the parameter's type in the model schema: "float" | "int" | "bool"
    values: tuple[Any, ...] | None = None
    low: float | None = None
    high: float | None = None
    from_sets: bool = False  # a column of the posterior parameter sets (grid): crossed, not multiplied out

    @property
    def is_range(self) -> bool:
        return self.values is None


@dataclass(frozen=True)
class Experiment:
    """A validated experiment, ready to be turned into runs."""

    name: str
    description: str
    scenario: str
    power_ids: tuple[str, ...]
    steps: int
    replications: int
    seed: int  # root entropy of every run seed
    seed_given: bool  # False when the file names no seed (one was drawn and recorded)
    strategies: tuple[str, ...]
    design: DesignSection
    design_seed: int | None  # the sampler's own seed when the file names one
    factors: dict[str, Factor]
    fixed: dict[str, Any]
    measures: tuple[str, ...]
    collect_steps: bool
    collect_every: int
    stop: tuple[StopRule, ...]
    source_text: str = field(repr=False)
    source_name: str = ""
    summaries: tuple[str, ...] = ()  # run-level columns computed from the whole run (patterns, fit)
    calibration: CalibrationSection | None = None
    set_rows: tuple[tuple[float, ...], ...] = ()  # the posterior parameter sets (grid), in factor order

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.source_text.encode()).hexdigest()


def load_experiment(path: str | Path, seed: int | None = None) -> Experiment:
    """Read and validate an experiment file. ``seed`` overrides a missing root seed (resume)."""
    path = Path(path)
    name = shorten(path)
    try:
        if path.exists() and not path.is_file():  # a FIFO would block open() until a writer came
            raise UsageError(f"{name}: not a regular file; not an experiment file")
        with open(path, "rb") as handle:
            # read at most one byte past the limit: `sweep /dev/zero` must not fill memory
            data = handle.read(limits.MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"{name}: no such experiment file") from None
    except OSError as err:
        raise UsageError(f"{name}: cannot read experiment file ({err.strerror or type(err).__name__})") from None
    if len(data) > limits.MAX_FILE_BYTES:
        raise UsageError(f"{name}: larger than {limits.MAX_FILE_BYTES} bytes; not an experiment file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{name}: not UTF-8 text; not an experiment file") from None
    return parse_experiment(text, source_name=name, seed=seed)


def parse_experiment(text: str, source_name: str = "<experiment>", seed: int | None = None) -> Experiment:
    """Validate experiment TOML ``text``; every error is one line naming the field."""
    prefix = f"{shorten(source_name)}: "
    if not isinstance(text, str):
        raise UsageError(f"{prefix}the experiment text is not text")
    if len(text) > limits.MAX_FILE_BYTES:
        raise UsageError(f"{prefix}larger than {limits.MAX_FILE_BYTES} bytes; not an experiment file")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise UsageError(f"{prefix}malformed TOML: {shorten(err, 200)}") from None
    except RecursionError:  # tomllib recurses once per level of nesting
        raise UsageError(f"{prefix}nested more than {limits.MAX_NESTING} levels deep") from None
    if _depth(raw) > limits.MAX_NESTING:
        raise UsageError(f"{prefix}nested more than {limits.MAX_NESTING} levels deep")
    try:
        spec = ExperimentFile.model_validate(raw)
    except pydantic.ValidationError as err:
        raise UsageError(prefix + _describe_validation_error(err)) from None
    try:
        return _resolve(spec, text, source_name, seed)
    except UsageError as err:
        raise UsageError(prefix + str(err)) from None


def _depth(value: Any, level: int = 0) -> int:
    # stops descending past the limit, so the walk itself never recurses deeply
    if level > limits.MAX_NESTING or not isinstance(value, (dict, list)):
        return level
    items = value.values() if isinstance(value, dict) else value
    return max((_depth(item, level + 1) for item in items), default=level)


def _resolve(spec: ExperimentFile, text: str, source_name: str, seed: int | None) -> Experiment:
    section = spec.experiment
    if section.scenario not in model.scenario_names():
        # only shipped scenarios: a name is never a path, so nothing outside is read or probed
        raise UsageError(f"experiment.scenario: unknown scenario {shorten(section.scenario, 60)!r} "
                         f"(known: {', '.join(model.scenario_names())})")
    try:
        scenario = model.load_scenario(section.scenario)
    except model.ModelInputError as err:
        raise UsageError(f"experiment.scenario: {_one_line(str(err))}") from None
    power_ids = tuple(scenario.power_ids)

    strategies = tuple(section.strategies or model.STRATEGIES)
    known = model.strategies_of(scenario)
    for index, strategy in enumerate(strategies):
        if strategy not in known:
            raise UsageError(
                f"experiment.strategies[{index}]: unknown strategy {strategy!r} "
                f"(known: {', '.join(known)})"
            )
    if len(set(strategies)) != len(strategies):
        raise UsageError("experiment.strategies: a strategy is listed twice")

    design = spec.design
    if design.kind in SAMPLED_KINDS and design.samples is None:
        raise UsageError(f"design.samples: required for a {design.kind} design")
    table = {info.path: info for info in model.parameter_table(section.scenario)}
    factors = {path: _resolve_factor(section.scenario, table, path, value, spec.design.kind)
               for path, value in spec.factors.items()}
    fixed = {}
    for path, value in spec.fixed.items():
        if path in factors:
            raise UsageError(f'fixed."{path}": also listed in [factors]')
        fixed.update(_validate_value(section.scenario, path, value, section="fixed"))

    if design.kind == "sobol" and design.samples & (design.samples - 1):
        raise UsageError(f"design.samples: a sobol design needs a power of 2 (got {design.samples})")
    set_rows = _add_parameter_sets(section.scenario, table, design, factors, fixed)
    if design.kind in SAMPLED_KINDS:
        if not factors:
            raise UsageError(f"factors: a {design.kind} design needs at least one factor")
    elif design.samples is not None:
        raise UsageError("design.samples: only used by lhs, sobol and morris designs")
    if design.kind == "sobol" and design.second_order and len(factors) < 2:
        raise UsageError("design.second_order: needs at least two factors")
    _check_size(design, factors, section.replications, len(strategies), len(set_rows))

    numeric = model.numeric_outcome_columns(power_ids)
    recorded = set(model.record_columns(section.scenario))
    measures = tuple(spec.collect.measures or numeric)
    for index, measure in enumerate(measures):
        if measure not in recorded:
            raise UsageError(f"collect.measures[{index}]: unknown outcome {measure!r}")
        if measure in measures[:index]:
            raise UsageError(f"collect.measures[{index}]: {measure!r} is listed twice")
    for index, rule in enumerate(spec.stop):
        if rule.column not in recorded:
            raise UsageError(f"stop[{index}].column: unknown outcome {rule.column!r}")
    summaries: tuple[str, ...] = ()
    if spec.collect.patterns:
        from multivector.experiments.calibration.summary import case_pack, summary_columns  # noqa: PLC0415

        case = case_pack(section.scenario)  # the scenario's facts and fits; one line if it has none
        if spec.stop:
            raise UsageError("collect.patterns: patterns need whole runs; remove the [[stop]] rules")
        summaries = summary_columns(case)

    return Experiment(
        name=section.name,
        description=section.description,
        scenario=section.scenario,
        power_ids=power_ids,
        steps=section.steps if section.steps is not None else int(scenario.steps),
        replications=section.replications,
        seed=section.seed if section.seed is not None else (seed if seed is not None else new_root_entropy()),
        seed_given=section.seed is not None,
        strategies=strategies,
        design=design,
        design_seed=design.seed,
        factors=factors,
        fixed=fixed,
        measures=measures,
        collect_steps=spec.collect.steps,
        collect_every=spec.collect.every,
        stop=tuple(spec.stop),
        summaries=summaries,
        calibration=spec.calibration,
        set_rows=set_rows,
        source_text=text,
        source_name=source_name,
    )


def _add_parameter_sets(scenario: str, table: dict, design: DesignSection, factors: dict[str, Factor],
                        fixed: dict[str, Any]) -> tuple[tuple[float, ...], ...]:
    """Add the calibrated parameters of ``design.parameter_sets`` to ``factors``: for a grid, as
    columns of the posterior sets (returned, to be crossed with the grid); for a sampled design, as
    ranges spanning the posterior sets (the posterior region's bounding box)."""
    if design.parameter_sets is None:
        if design.sets is not None:
            raise UsageError("design.sets: only with design.parameter_sets")
        return ()
    from .parameter_sets import posterior_sets  # noqa: PLC0415 - only experiments that ask read the sets

    if design.sets is not None and design.kind != "grid":
        raise UsageError("design.sets: only for grid designs (sampled designs span the sets' range)")
    sets = posterior_sets(design.parameter_sets, set(table), design.sets)
    for path in sets.columns:
        if path in factors or path in fixed:
            where = "factors" if path in factors else "fixed"
            raise UsageError(f'{where}."{path}": also set by design.parameter_sets')
    if design.kind == "grid":
        for path in sets.columns:
            factors[path] = Factor(path, "float", values=tuple(sorted(set(sets[path]))), from_sets=True)
        return tuple(tuple(float(v) for v in row) for row in sets.itertuples(index=False, name=None))
    for path in sets.columns:
        low, high = float(sets[path].min()), float(sets[path].max())
        if high > low:  # a parameter every set shares is no factor of the region
            factors[path] = Factor(path, "float", low=low, high=high)
    return ()


def _check_size(design: DesignSection, factors: dict[str, "Factor"], replications: int, strategies: int,
                sets: int = 0) -> None:
    """Refuse designs past the limits from their sizes alone, before any point is drawn. A grid over
    posterior parameter sets has one point per set and combination of the other factors."""
    if design.kind == "grid":
        points = math.prod(len(f.values) for f in factors.values() if not f.from_sets) * max(sets, 1)
    else:
        points = limits.sampled_points(design.kind, design.samples, len(factors), design.second_order)
    if points > limits.MAX_POINTS:
        where = "factors" if design.kind == "grid" else "design.samples"
        raise UsageError(f"{where}: the design has {points} points; at most {limits.MAX_POINTS} are allowed")
    runs = points * replications * strategies
    if runs > limits.MAX_RUNS:
        raise UsageError(f"experiment.replications: {runs} runs in all; at most {limits.MAX_RUNS} are allowed")


def _resolve_factor(scenario: str, table: dict, path: str, value: Any, kind: str) -> Factor:
    where = f'factors."{path}"'
    info = table.get(path)
    if info is None:
        # let the model word the error (it may suggest the nearest path)
        _validate_value(scenario, path, None, section="factors")
        raise UsageError(f"{where}: unknown parameter path")
    if isinstance(value, RangeSpec):
        if info.type not in ("float", "int"):
            raise UsageError(f"{where}: a range needs a numeric parameter, this one is {info.type}")
        for bound in (value.low, value.high):
            _validate_value(scenario, path, bound, section="factors")
        if kind == "grid":
            if value.num is None:
                raise UsageError(f"{where}: a grid design needs listed values or a range with num")
            values = _linspace(value.low, value.high, value.num, info.type)
            return Factor(path, info.type, values=values)
        if value.num is not None:
            raise UsageError(f"{where}: num is only used by grid designs")
        return Factor(path, info.type, low=float(value.low), high=float(value.high))
    if kind != "grid":
        raise UsageError(f"{where}: a {kind} design needs a range {{ low = ..., high = ... }}")
    values = []
    for item in value:
        values.extend(_validate_value(scenario, path, item, section="factors").values())
    if len(set(map(_level_key, values))) != len(values):
        raise UsageError(f"{where}: a value is listed twice")
    return Factor(path, info.type, values=tuple(values))


def _level_key(value: Any) -> str:
    """Equal levels have equal keys: -0.0 is 0.0 (analysis groups them as one level)."""
    if isinstance(value, float) and value == 0.0:
        value = 0.0
    return repr(value)


def _linspace(low: float, high: float, num: int, kind: str) -> tuple[Any, ...]:
    step = (high - low) / (num - 1)
    values = [low + i * step for i in range(num)]
    if kind == "int":
        values = sorted({int(round(v)) for v in values})
    return tuple(values)


def _validate_value(scenario: str, path: str, value: Any, section: str) -> dict[str, Any]:
    """Check one value through the model's own validation; returns {path: coerced value}.

    The model reads ``"0.5"`` as a number (that is how ``--set`` values arrive); a file has
    types of its own, so a string or boolean for a number is refused here."""
    info = _parameter_info(scenario).get(path)
    if info is not None and value is not None:
        numeric = info.type in ("float", "int")
        wrong = (numeric and (isinstance(value, (str, bool)) or (info.type == "int" and isinstance(value, float))))
        wrong = wrong or (info.type == "bool" and not isinstance(value, bool))
        if wrong:
            expected = {"float": "a number", "int": "an integer", "bool": "true or false"}[info.type]
            raise UsageError(f'{section}."{path}": expected {expected}, got {shorten(repr(value), 40)}')
    try:
        return model.validate_overrides(scenario, {path: value})
    except model.ModelInputError as err:
        raise UsageError(f'{section}."{path}": {_one_line(str(err))}') from None


@functools.lru_cache(maxsize=8)
def _parameter_info(scenario: str) -> dict[str, Any]:
    return {info.path: info for info in model.parameter_table(scenario)}


_TOML_TYPES = {str: "a string", bool: "a boolean", int: "an integer", float: "a number", list: "an array",
               dict: "a table"}
_UNION_EXPECTED = {"fixed": "a number, boolean or string", "factors": "a list of values or a range { low, high }"}


def _describe_validation_error(err: pydantic.ValidationError) -> str:
    first = err.errors()[0]
    location = _format_location(first["loc"])
    section = str(first["loc"][0]) if first["loc"] else ""
    union_tags = _UNION_TAGS | {"list[union[bool,int,float,str]]"}
    if section in _UNION_EXPECTED and len(first["loc"]) > 2 and str(first["loc"][2]) in union_tags:
        # pydantic reports the first member of the union it tried ("a valid boolean"): say what fits
        member = "RangeSpec" if isinstance(first["input"], dict) else None
        matching = [e for e in err.errors() if member and any(member in str(part) for part in e["loc"])]
        if matching:  # a range table with a bad entry: report that entry
            first, location = matching[0], _format_location(matching[0]["loc"])
        else:
            got = _TOML_TYPES.get(type(first["input"]), type(first["input"]).__name__)
            return f"{location}: expected {_UNION_EXPECTED[section]}, got {got}"
    if first["type"] == "extra_forbidden":
        return f"{location}: unknown key"
    if first["type"] == "missing":
        return f"{location}: required key is missing"
    message = first["msg"].removeprefix("Value error, ")
    if first["type"].endswith("_type"):  # a wrong type: say which type the file gave
        message += f", got {_TOML_TYPES.get(type(first['input']), type(first['input']).__name__)}"
    return f"{location}: {shorten(message, 200)}"


_UNION_TAGS = {"bool", "int", "float", "str", "RangeSpec", "function-after"}


def _format_location(loc: tuple) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif "[" in str(item) or str(item) in _UNION_TAGS:
            continue  # pydantic names the union member it tried; not a key in the file
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", str(item)):
            parts.append(("." if parts else "") + str(item))
        else:
            parts.append(f'."{item}"' if parts else f'"{item}"')
    return "".join(parts) or "(file)"


def _one_line(text: str) -> str:
    return " ".join(text.split())
