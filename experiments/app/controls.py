"""The run settings panel: scenario, strategy, seed, and one control per model parameter.

The parameter controls are generated from the model's parameter schema
(``model.parameter_table``): grouped as the schema groups them, bounded by its ranges,
with each parameter's meaning, unit and source as help text, and a search box over their
names and descriptions. Edits go into a *draft* ``RunSettings``; the run picks them up on
Reset, so a half-finished edit never disturbs a running model. A value the schema refuses
(out of range, not a number) is refused at the box, with the allowed range, and never enters
the draft, so it never reaches the model.

Which groups are open is held by the panel, not by each group: a group's own state would be
lost whenever the panel above it changes shape (the "changed settings" note appearing after
the first edit used to remount every group, closed).

A control must never change a value the user did not touch. Real-valued parameters are
therefore number boxes holding the exact value, not sliders: a slider snaps its value to
its step grid when it is drawn, and calibrated defaults (0.42536643...) lie on no grid, so
merely opening a group used to record a change. Integers get number boxes too: one kind of
control, and no always-on slider value labels covering the controls around them.
"""

from collections import defaultdict

import reacton.ipyvuetify as rv
import solara
from solara.components.input import use_change

from multivector import model
from multivector.experiments.app.session import RunSettings


def _help_text(info) -> str:
    parts = [info.description.strip().rstrip(".")]
    if getattr(info, "unit", ""):
        parts.append(f"unit: {info.unit}")
    if getattr(info, "source", ""):
        parts.append(f"source: {info.source}")
    bounds = []
    if info.min is not None:
        bounds.append(f"min {info.min}")
    if info.max is not None:
        bounds.append(f"max {info.max}")
    if bounds:
        parts.append(", ".join(bounds))
    parts.append(f"default {info.default}")
    return ". ".join(p for p in parts if p) + "."


def _bounds_hint(info) -> str | None:
    """'in [0, 5]' beside a number box, so the range a slider used to show stays in sight."""
    if info.min is None and info.max is None:
        return None
    low = "-inf" if info.min is None else f"{info.min:g}"
    high = "inf" if info.max is None else f"{info.max:g}"
    return f"in [{low}, {high}]"


def _with_override(draft: solara.Reactive[RunSettings], info, value) -> None:
    """Record ``value`` for ``info.path``; a value equal to the default is no override."""
    overrides = dict(draft.value.overrides)
    if value == info.default:
        overrides.pop(info.path, None)
    else:
        overrides[info.path] = value
    draft.value = draft.value.with_changes(overrides=overrides)


def _choices(info, scenario: str) -> list[str] | None:
    """The values a text parameter may take ("" = not set), or None for free text (a quarter)."""
    if info.choice == "power":
        return ["", *model.load_scenario(scenario).power_ids]
    if info.choice == "rule":
        return ["", *model.FIXED_RULES]
    return None


def refusal(scenario: str, info, text: str) -> tuple[object, str]:
    """(the value ``text`` stands for, "") if the schema accepts it for ``info.path``, else (None, a
    one-line reason with the allowed range). The model's own check decides (``validate_overrides``),
    so the box refuses exactly what Reset would."""
    hint = _bounds_hint(info)
    allowed = f"; allowed {hint[3:]}" if hint else ""
    try:
        number = int(text) if info.type == "int" else float(text)
    except (TypeError, ValueError):
        kind = "a whole number" if info.type == "int" else "a number"
        return None, f"'{text}' is not {kind}{allowed}"
    try:
        checked = model.validate_overrides(scenario, {info.path: number})
    except (model.ModelInputError, ValueError) as problem:
        reason = str(problem).split(": ", 1)[-1] if info.path in str(problem) else str(problem)
        return None, f"refused: {reason}{allowed if hint and hint[3:] not in reason else ''}"
    return checked[info.path], ""


@solara.component
def NumberBox(info, value, scenario: str, on_value):
    """A number box that checks what is typed when it is committed (Enter or leaving the box): a
    refused value stays in the box, marked, with the reason and the allowed range under it, and
    ``on_value`` is not called, so the draft (and the model) never see it."""
    text, set_text = solara.use_state(str(value))
    message, set_message = solara.use_state("")

    def follow_value():  # a reset to defaults (or another scenario) shows the new value
        set_text(str(value))
        set_message("")

    solara.use_effect(follow_value, [value])

    def commit(typed):
        typed = "" if typed is None else str(typed).strip()
        accepted, problem = refusal(scenario, info, typed)
        set_message(problem)
        if not problem and accepted != value:
            on_value(accepted)

    field = rv.TextField(v_model=text, on_v_model=set_text, label=info.path, dense=True,
                               suffix=_bounds_hint(info) or "", error=bool(message),
                               error_messages=[message] if message else [], hide_details="auto")
    use_change(field, commit)
    return field


@solara.component
def ParameterControl(info, value, changed: bool, scenario: str, on_value):
    """One parameter: a number box for a number (the exact value, see the module docstring), a
    checkbox for a switch, a picker for a power or rule; its meaning (and bounds) underneath.
    Plain arguments only (no reactive draft): an edit elsewhere leaves them equal, so reacton
    skips this control instead of re-rendering all of them."""
    label = info.path
    with solara.Column(gap="0px", style={"margin-bottom": "6px"}):
        if info.type == "str":
            choices = _choices(info, scenario)
            if choices is None:
                solara.InputText(label, value=str(value), on_value=on_value, continuous_update=False)
            else:
                solara.Select(label, values=choices, value=str(value), on_value=on_value)
        elif info.type == "bool":
            solara.Checkbox(label=label, value=bool(value), on_value=on_value)
        else:
            NumberBox(info, value, scenario, on_value)
        colour = "#b9770e" if changed else "#666"
        solara.Text(_help_text(info), style={"font-size": "11px", "color": colour, "line-height": "1.25"})


def matches(info, query: str) -> bool:
    """Whether a parameter's name (path) or description contains every word of ``query`` (any case)."""
    haystack = f"{info.path} {info.description}".casefold()
    return all(word in haystack for word in query.casefold().split())


AUTO_OPEN_MATCHES = 30  # a search this narrow opens every group it matches in


@solara.component
def ParameterGroup(group: str, infos: list, overrides: dict, scenario: str, setters: dict, is_open: bool, toggle,
                   total: int | None = None):
    """A collapsible group of parameter controls, built only while it is open: a scenario has
    close to two hundred parameters, and building all their widgets would slow every page.
    ``overrides``: the draft's changed values among this group's parameters (so an edit in another
    group leaves this one's arguments equal, and it is skipped); ``setters``: path -> the function
    that records a new value. ``total`` (when searching): the group's size, of which ``infos`` match."""
    changed = sum(info.path in overrides for info in infos)
    count = f"{len(infos)} of {total} parameters match" if total is not None else f"{len(infos)} parameters"
    summary = f"{group} ({count}{f', {changed} changed' if changed else ''})"
    with solara.Column(gap="0px"):
        solara.Button(summary, icon_name="mdi-chevron-up" if is_open else "mdi-chevron-down", text=True,
                      small=True, on_click=toggle, style={"justify-content": "flex-start", "text-transform": "none"})
        if is_open:
            with solara.Column(style={"padding": "4px 8px 8px 8px"}):
                for info in infos:
                    ParameterControl(info, overrides.get(info.path, info.default), info.path in overrides, scenario,
                                     setters[info.path])


@solara.component
def ParameterControls(draft: solara.Reactive[RunSettings], open_groups: solara.Reactive[frozenset],
                      query: solara.Reactive[str]):
    """Every parameter of the draft's scenario, one collapsible section per schema group, narrowed
    to the search ``query`` when there is one. ``open_groups`` (held by the panel) says which are open."""
    scenario = draft.value.scenario
    overrides = draft.value.overrides
    table = solara.use_memo(lambda: model.parameter_table(scenario), [scenario])
    # One setter per parameter and one toggle per group for the panel's life: new functions on every
    # render would make every control's arguments differ, and reacton would re-render them all.
    setters = solara.use_memo(lambda: {info.path: (lambda new, info=info: _with_override(draft, info, new))
                                       for info in table}, [table])
    groups: dict[str, list] = defaultdict(list)
    for info in table:
        groups[info.group or "other"].append(info)
    toggles = solara.use_memo(lambda: {g: (lambda g=g: open_groups.set(open_groups.value ^ {g})) for g in groups},
                              [table])
    searching = bool(query.value.strip())
    found = {g: [i for i in infos if matches(i, query.value)] for g, infos in groups.items()} if searching else groups
    if searching:
        hits = sum(len(infos) for infos in found.values())
        solara.Text(f"{hits} of {len(table)} parameters match '{query.value.strip()}'"
                    + ("" if hits <= AUTO_OPEN_MATCHES or not hits else "; open a group to see its matches"),
                    style={"font-size": "12px", "color": "#555"})

    for group, infos in found.items():
        if infos:
            mine = {i.path: overrides[i.path] for i in infos if i.path in overrides}
            ParameterGroup(group, infos, mine, scenario, setters, group in open_groups.value, toggles[group],
                           total=len(groups[group]) if searching else None)


def search_parameters(query: solara.Reactive[str], open_groups: solara.Reactive[frozenset], table, text: str) -> None:
    """Set the search text; a narrow search opens the groups it matches in (so its matches show)."""
    query.value = text or ""
    if not query.value.strip():
        return
    hits = [info for info in table if matches(info, query.value)]
    if len(hits) <= AUTO_OPEN_MATCHES:
        open_groups.value = open_groups.value | {info.group or "other" for info in hits}


def case_line(scenario) -> str:
    """'Case: NAME (ISO3); powers ID = ROW + ROW, ...; history QUARTER RULE [against ID], ...' for a
    real case's scenario."""
    case = scenario.case
    powers = ", ".join(f"{p} = {' + '.join(case.rows_of(p))}" for p in scenario.power_ids)
    periods = ", ".join(f"{p.start} {p.rule}" + (f" against {p.adversary}" if p.adversary else "")
                        + (f" with {p.patron}" if p.patron else "") for p in case.strategy)
    return f"Case: {case.name} ({case.secondary}); powers {powers}; history {periods or 'not recorded'}"


@solara.component
def SettingsPanel(draft: solara.Reactive[RunSettings], applied: RunSettings):
    """Scenario, strategy, seed and parameters; says when the draft differs from the run."""
    settings = draft.value
    open_groups = solara.use_reactive(frozenset())  # the panel's, so no group closes while it is edited
    query = solara.use_reactive("")
    table = solara.use_memo(lambda: model.parameter_table(settings.scenario), [settings.scenario])
    scenarios = solara.use_memo(model.scenario_names, [])
    descriptions = solara.use_memo(lambda: dict(model.describe_scenarios()), [])

    def set_scenario(name: str) -> None:
        # Parameters differ between scenarios (powers, events): start from that one's defaults. A real
        # case starts under its own history; a strategy the new scenario lacks falls back to hedge.
        try:
            known = model.strategies_of(model.load_scenario(name))
        except model.ModelInputError:  # a broken scenario file: the panel says what is wrong
            known = model.STRATEGIES
        strategy = model.HISTORICAL if model.HISTORICAL in known else (
            settings.strategy if settings.strategy in known else "hedge")
        draft.value = settings.with_changes(scenario=name, strategy=strategy, overrides={}, sweep_seed=None,
                                            steps=None)

    def set_seed(seed: int) -> None:
        draft.value = settings.with_changes(seed=int(seed), sweep_seed=None)

    with solara.Card("Run settings", margin=0):
        solara.Select("Scenario (real cases and stylised)", values=scenarios, value=settings.scenario,
                      on_value=set_scenario)
        # block: each on its own line (two spans in a row would run on: "...1991-2024Case: ...")
        solara.Text(descriptions.get(settings.scenario, ""), style={"font-size": "12px", "color": "#555",
                                                                    "display": "block"})
        try:
            scenario = model.load_scenario(settings.scenario)
        except model.ModelInputError as problem:
            scenario = None
            solara.Error(str(problem), dense=True)
        if scenario is not None and scenario.case is not None:
            solara.Text(case_line(scenario), style={"font-size": "12px", "color": "#555", "display": "block",
                                                    "margin-top": "4px"})
        strategies = model.strategies_of(scenario) if scenario is not None else model.STRATEGIES
        solara.Select("Strategy", values=list(strategies), value=settings.strategy,
                      on_value=lambda s: draft.set(settings.with_changes(strategy=s)))
        if settings.sweep_seed is not None:
            solara.Text(f"Seed: {settings.sweep_seed.describe()}", style={"font-size": "12px"})
            solara.Button("Use a plain seed instead", text=True, small=True,
                          on_click=lambda: draft.set(settings.with_changes(sweep_seed=None)))
        else:
            solara.InputInt("Seed", value=settings.seed, on_value=set_seed, continuous_update=False)
        with solara.Column(gap="0px"):  # always here, so the note coming and going moves nothing below
            if settings != applied:
                solara.Warning("Changed settings apply when you press Reset.", dense=True)
        with solara.Row():
            solara.Button("Parameter defaults", small=True, outlined=True, disabled=not settings.overrides,
                          on_click=lambda: draft.set(settings.with_changes(overrides={})))
        solara.Text("Parameters", style={"font-weight": "bold", "margin-top": "8px"})
        solara.InputText("Search parameters (name or description)", value=query.value, continuous_update=True,
                         on_value=lambda text: search_parameters(query, open_groups, table, text))
        ParameterControls(draft, open_groups, query)
