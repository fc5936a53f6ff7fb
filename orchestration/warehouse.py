"""The DuckDB warehouse: where it is, and the pool that keeps one writer."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

DUCKDB_PATH_ENV = "STREAMGAUGE_DUCKDB"
DEFAULT_DUCKDB_PATH = "data/streamgauge.duckdb"

# Every step that opens the warehouse claims this pool. With the instance's `pools: default_limit: 1`
# (orchestration/dagster.yaml) no two steps touch the file at once, even across runs started by hand.
DUCKDB_POOL = "streamgauge_duckdb"


def duckdb_path() -> Path:
    """The warehouse file: `$STREAMGAUGE_DUCKDB`, else `data/streamgauge.duckdb`."""
    return Path(os.environ.get(DUCKDB_PATH_ENV, DEFAULT_DUCKDB_PATH)).resolve()


@contextmanager
def read_only() -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the warehouse (`$STREAMGAUGE_DUCKDB`), closed on exit."""
    connection = duckdb.connect(str(duckdb_path()), read_only=True)
    try:
        yield connection
    finally:
        connection.close()


def warehouse_holder() -> str | None:
    """The process that has the warehouse open, as DuckDB names it, when another one has; else None.

    E.g. a `dbt build` whose parent was killed: it goes on writing until it finishes.
    """
    path = duckdb_path()
    if not path.exists():
        return None
    try:
        duckdb.connect(str(path)).close()
    except duckdb.IOException as error:
        held = re.search(r"lock is held in (.+) \(PID (\d+)\)", str(error))
        if held:
            return f"pid {held[2]} ({held[1]})"
    return None


def relation_exists(db: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return bool(
        db.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchone()[0]
    )
