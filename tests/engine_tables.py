"""Published tables of two engines, read so that they can be compared row for row.

Floats to 10 significant digits (sums of doubles differ in their last bits with the order they
are added in), numerics as floats, instants without their zone; the build's clock and load ids,
which no two runs share, are left out; rows sorted.
"""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from orchestration.serving import PUBLISHED_SCHEMAS

# When the build ran, and the id of the load (its time) that wrote a row: the same on no two runs.
RUN_COLUMNS = {"refreshed_at", "_dlt_load_id"}

Tables = dict[str, tuple[list[str], list[tuple]]]


def normalised(value: object) -> object:
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return None if math.isnan(value) else float(f"{value:.10g}")
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def comparable_rows(rows: list[tuple], columns: list[str]) -> list[tuple]:
    kept = [i for i, name in enumerate(columns) if name not in RUN_COLUMNS]
    normalised_rows = [tuple(normalised(row[i]) for i in kept) for row in rows]
    return sorted(normalised_rows, key=lambda row: tuple((v is None, str(v)) for v in row))


def serving_tables(serving: Path) -> Tables:
    """Every published table of a DuckDB serving copy."""
    tables = {}
    with duckdb.connect(str(serving), read_only=True) as db:
        names = db.execute(
            "select schema_name, table_name from duckdb_tables() where list_contains(?, schema_name) order by 1, 2",
            [list(PUBLISHED_SCHEMAS)],
        ).fetchall()
        for schema, table in names:
            result = db.execute(f'select * from "{schema}"."{table}"')
            columns = [d[0] for d in result.description]
            tables[f"{schema}.{table}"] = (columns, comparable_rows(result.fetchall(), columns))
    return tables


def differences(on_duckdb: Tables, other: Tables, engine: str) -> list[str]:
    """A line per table whose columns or rows on `engine` are not DuckDB's."""
    differing = []
    for name, (columns, rows) in on_duckdb.items():
        other_columns, other_rows = other[name]
        if other_columns != columns:
            differing.append(f"{name}: columns {other_columns} on {engine}, {columns} on DuckDB")
        elif other_rows != rows:
            extra = sorted(set(other_rows) - set(rows), key=str)[:2]
            missing = sorted(set(rows) - set(other_rows), key=str)[:2]
            differing.append(
                f"{name}: {len(other_rows)} vs {len(rows)} rows; only on {engine} {extra}, only on DuckDB {missing}"
            )
    return differing
