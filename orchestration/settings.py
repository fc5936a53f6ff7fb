"""The STREAMGAUGE_* settings, checked before anything runs: a bad one ends the start with one line naming it.

Unchecked, `STREAMGAUGE_AS_OF=yesterday` fails six dbt models without naming the setting, and a bad
schedule ends in a traceback. `make refresh` exits 2 on these lines, before it touches the warehouse
or the serving copy; `dagster dev` refuses to load the definitions with them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from datetime import datetime

import dagster as dg
import yaml

from orchestration.defs.ingestion import RETRY_SECONDS_ENV
from orchestration.defs.transform import DBT_VARS_ENV
from orchestration.recovery import WAIT_SECONDS_ENV
from orchestration.schedules import CRON_ENV, DEFAULT_CRON, DEFAULT_WEEKLY_CRON, TIMEZONE_ENV, WEEKLY_CRON_ENV
from orchestration.warehouse import ENGINES, WAREHOUSE_ENV

AS_OF_ENV = "STREAMGAUGE_AS_OF"
MEMORY_LIMIT_ENV = "STREAMGAUGE_DUCKDB_MEMORY_LIMIT"
AS_OF_EXAMPLE = "'2026-11-02 00:00:00' (UTC)"
MEMORY = re.compile(r"\d+(\.\d+)?\s*([KMGT]i?B|B|%)", re.IGNORECASE)


def setting_problems(environ: Mapping[str, str] = os.environ) -> list[str]:
    """One line per STREAMGAUGE_* setting that is set to something it cannot mean."""
    return [
        f"{name}={value!r} {problem}"
        for name, check in CHECKS.items()
        if (value := environ.get(name, "").strip()) and (problem := check(value))
    ]


def _as_of(value: str) -> str | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return f"is not a date and time; write it like {AS_OF_EXAMPLE}"
    return f"has a time zone offset; write it in UTC without one, like {AS_OF_EXAMPLE}" if moment.tzinfo else None


def _dbt_vars(value: str) -> str | None:
    try:
        variables = yaml.safe_load(value)
    except yaml.YAMLError:
        variables = None
    if not isinstance(variables, dict):
        return """is not a YAML mapping; write it like '{as_of: "2026-11-02 00:00:00"}'"""
    problem = _as_of(str(variables["as_of"])) if variables.get("as_of") else None
    return f"sets as_of, which {problem}" if problem else None


def _schedule(example: str = f"{DEFAULT_CRON!r} (daily at 02:00)", **definition: str) -> str | None:
    """None if Dagster takes the schedule, else what is wrong with the part given."""
    try:
        dg.ScheduleDefinition(name="check", job_name="check", **{"cron_schedule": DEFAULT_CRON, **definition})
    except dg.DagsterInvalidDefinitionError:
        if "cron_schedule" in definition:
            return f"is not a cron schedule; write it like {example}"
        return "is not a time zone; write it like 'Europe/Berlin' or 'UTC'"
    return None


def _seconds(value: str) -> str | None:
    try:
        return None if float(value) >= 0 else "is negative; give the seconds to wait, like 60"
    except ValueError:
        return "is not a number of seconds; write it like 60"


CHECKS: dict[str, Callable[[str], str | None]] = {
    AS_OF_ENV: _as_of,
    DBT_VARS_ENV: _dbt_vars,
    CRON_ENV: lambda value: _schedule(cron_schedule=value),
    WEEKLY_CRON_ENV: lambda value: _schedule(f"{DEFAULT_WEEKLY_CRON!r} (Sundays at 08:00)", cron_schedule=value),
    TIMEZONE_ENV: lambda value: _schedule(execution_timezone=value),
    RETRY_SECONDS_ENV: _seconds,
    WAIT_SECONDS_ENV: _seconds,
    WAREHOUSE_ENV: lambda value: (
        None if value.lower() in ENGINES else f"is not an engine; write one of {', '.join(ENGINES)}"
    ),
    MEMORY_LIMIT_ENV: lambda value: (
        None if MEMORY.fullmatch(value) else "is not an amount of memory; write it like '3GB'"
    ),
}
