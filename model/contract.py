"""The output data contract: the per-step column names every consumer reads (docs: reference/outputs.md).

Analysis, plots, the app, sweeps and external validation read these exact names. Extra
columns are allowed; these may not be renamed. Which columns the contract holds is declared with
each column in :mod:`model.outcomes` (``contract=True``); this module lists them for a scenario's
great powers.
"""

DOMAINS: tuple[str, ...] = ("security", "economy", "institutions")

TIME_COLUMNS: tuple[str, ...] = ("step", "date", "year")


def output_columns(power_ids: tuple[str, ...] | list[str]) -> list[str]:
    """Every column of the data contract, in a stable order (the record's), for these great powers."""
    from multivector.model.outcomes import RECORD, PowerBlock  # noqa: PLC0415 - the declaration reads DOMAINS from here

    return [name for entry in RECORD if not isinstance(entry, PowerBlock) and entry.contract
            for name in entry.names(list(power_ids))]


def numeric_outcome_columns(power_ids: tuple[str, ...] | list[str]) -> list[str]:
    """The contract's numeric columns (everything but time and the text columns)."""
    from multivector.model.outcomes import COLUMNS, TEXT  # noqa: PLC0415

    text = {name for name, column in COLUMNS.items() if column.kind == TEXT}
    return [c for c in output_columns(power_ids) if c not in (*TIME_COLUMNS, *text)]

