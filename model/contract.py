"""The output data contract: the per-step column names every consumer reads (README, "Command line").

Analysis, plots, the app, sweeps and external validation read these exact names. Extra
columns are allowed; these may not be renamed.
"""

DOMAINS: tuple[str, ...] = ("security", "economy", "institutions")

TIME_COLUMNS: tuple[str, ...] = ("step", "date", "year")

OUTCOME_COLUMNS: tuple[str, ...] = (
    "autonomy",
    "security",
    "welfare",
    "hedging_index",
    "abandonment_events",
    "entrapment",
    "strategy",
)

PER_POWER_DOMAIN: tuple[str, ...] = ("engagement", "dependence")
PER_POWER: tuple[str, ...] = (
    "inducement",
    "pressure",
    "coercion",
    "satisfaction",
    "client_index",
    "threat",
)


def power_domain_column(kind: str, power: str, domain: str) -> str:
    """Name of a per-power, per-domain column, e.g. ``engagement_RUS_security``."""
    return f"{kind}_{power}_{domain}"


def power_column(kind: str, power: str) -> str:
    """Name of a per-power column, e.g. ``threat_CHN``."""
    return f"{kind}_{power}"


def output_columns(power_ids: tuple[str, ...] | list[str]) -> list[str]:
    """Every column of the data contract, in a stable order, for these great powers."""
    columns = list(TIME_COLUMNS)
    for kind in PER_POWER_DOMAIN:
        for power in power_ids:
            for domain in DOMAINS:
                columns.append(power_domain_column(kind, power, domain))
    for kind in PER_POWER:
        for power in power_ids:
            columns.append(power_column(kind, power))
    columns.extend(OUTCOME_COLUMNS)
    return columns


def numeric_outcome_columns(power_ids: tuple[str, ...] | list[str]) -> list[str]:
    """The contract's numeric columns (everything but time and the strategy label)."""
    return [c for c in output_columns(power_ids) if c not in (*TIME_COLUMNS, "strategy")]
