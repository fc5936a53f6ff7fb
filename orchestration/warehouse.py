"""The warehouse: which engine holds it, how to reach it, and the lock that keeps one process in it.

`STREAMGAUGE_WAREHOUSE` chooses the engine: `duckdb` (the default, a file from `$STREAMGAUGE_DUCKDB`),
`postgres` (a server, reached with dlt's usual credentials: `destination.postgres.credentials`
in `.dlt/secrets.toml`, or `DESTINATION__POSTGRES__CREDENTIALS=postgresql://user:password@host:5432/db`)
or `spark` (a local Spark with its tables, raw parquet and Derby catalog under `$STREAMGAUGE_SPARK_DIR`:
orchestration/spark.py).
One setting picks dlt's destination, the dbt target (profiles.yml) and the connection the checks,
the serving step and the demo open here. dbt reads the same credentials from the environment
that `dbt_environment()` hands it; the password under a `DBT_ENV_SECRET_` name, which dbt keeps
out of its logs.
"""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dlt
import duckdb
import psycopg2

from orchestration import spark

WAREHOUSE_ENV = "STREAMGAUGE_WAREHOUSE"
ENGINES = ("duckdb", "postgres", "spark")
DUCKDB_PATH_ENV = "STREAMGAUGE_DUCKDB"
DEFAULT_DUCKDB_PATH = "data/streamgauge.duckdb"
# What profiles.yml's postgres target reads; set from dlt's credentials before dbt runs.
POSTGRES_DBT_ENV = {
    "host": "STREAMGAUGE_POSTGRES_HOST",
    "port": "STREAMGAUGE_POSTGRES_PORT",
    "username": "STREAMGAUGE_POSTGRES_USER",
    "database": "STREAMGAUGE_POSTGRES_DATABASE",
    "password": "DBT_ENV_SECRET_POSTGRES_PASSWORD",
}

# dbt's schemas on a server are build_core, build_marts, ... (profiles.yml's `schema: build` and
# macros/generate_schema_name.sql); the serving step publishes them as core, marts, ...
BUILD_SCHEMA_PREFIX = "build_"

# Every step after the sources claims this pool, and each source's step the pool of its source
# (`source_pool`). With the instance's `pools: default_limit: 1` (orchestration/dagster.yaml) a run
# started by hand waits for a running one, and two runs never load one source at once; sources of
# one run load side by side, and `warehouse_lock` keeps their turns in the warehouse apart.
DUCKDB_POOL = "streamgauge_duckdb"


def source_pool(source: str) -> str:
    """The pool a source's step claims: `streamgauge_github`."""
    return f"streamgauge_{source}"


# What a query that fails on any engine raises (e.g. on a mart a partial run did not build).
QueryError = (duckdb.Error, psycopg2.Error, spark.SparkQueryError)


class WarehouseSettingError(ValueError):
    """A warehouse setting that cannot be used; its text is the one line the user needs."""


def engine() -> str:
    """`$STREAMGAUGE_WAREHOUSE`, else `duckdb`."""
    name = os.environ.get(WAREHOUSE_ENV, "").strip().lower() or "duckdb"
    if name not in ENGINES:
        raise WarehouseSettingError(f"{WAREHOUSE_ENV}={name!r} is not an engine; write one of {', '.join(ENGINES)}")
    return name


def duckdb_path() -> Path:
    """The warehouse file: `$STREAMGAUGE_DUCKDB`, else `data/streamgauge.duckdb`."""
    return Path(os.environ.get(DUCKDB_PATH_ENV, DEFAULT_DUCKDB_PATH)).resolve()


def layer(node: Mapping[str, Any]) -> str:
    """The schema a dbt node is configured for (`core`): where it is built on DuckDB; on a server
    dbt prefixes it (BUILD_SCHEMA_PREFIX)."""
    return node["config"].get("schema") or node["schema"]


def postgres_credentials() -> Any:
    """dlt's `destination.postgres.credentials`, resolved from the environment or `.dlt/`."""
    from dlt.common.configuration import resolve_configuration
    from dlt.common.configuration.exceptions import ConfigFieldMissingException
    from dlt.destinations.impl.postgres.configuration import PostgresCredentials

    try:
        return resolve_configuration(PostgresCredentials(), sections=("destination", "postgres"))
    except ConfigFieldMissingException as error:
        raise WarehouseSettingError(
            f"{WAREHOUSE_ENV}=postgres needs the server: set destination.postgres.credentials in .dlt/secrets.toml "
            f"or DESTINATION__POSTGRES__CREDENTIALS=postgresql://user:password@host:5432/database "
            f"(missing: {', '.join(error.fields)})"
        ) from None


def describe() -> str:
    """Where the warehouse is, for the user (never the password)."""
    if engine() == "postgres":
        credentials = postgres_credentials()
        return f"PostgreSQL {credentials.host}:{credentials.port}/{credentials.database}"
    if engine() == "spark":
        return f"Spark in {spark.spark_dir()}"
    return str(duckdb_path())


def dlt_destination(path: Path | None = None) -> Any:
    """dlt's destination for the chosen engine (for DuckDB, the file at `path` or `$STREAMGAUGE_DUCKDB`).

    Loader files: parquet into DuckDB (measured in ingestion/pipeline.py); into PostgreSQL, dlt's
    default, insert statements.
    """
    if engine() == "postgres":
        return dlt.destinations.postgres(credentials=postgres_credentials())
    if engine() == "spark":
        return spark.dlt_destination()
    return dlt.destinations.duckdb(str(path or duckdb_path()), preferred_loader_file_format="parquet")


def dbt_environment() -> dict[str, str]:
    """What dbt needs in its environment to reach the warehouse (profiles.yml reads these)."""
    if engine() == "postgres":
        credentials = postgres_credentials()
        values = {field: getattr(credentials, field) for field in POSTGRES_DBT_ENV}
        return {POSTGRES_DBT_ENV[field]: str(value or "") for field, value in values.items()} | {
            WAREHOUSE_ENV: "postgres"
        }
    if engine() == "spark":
        return {spark.SPARK_DIR_ENV: str(spark.spark_dir()), WAREHOUSE_ENV: "spark"}
    # dbt runs in the project directory: hand it the warehouse as an absolute path.
    return {DUCKDB_PATH_ENV: str(duckdb_path()), WAREHOUSE_ENV: "duckdb"}


class Warehouse:
    """One connection, the same few calls on every engine: SQL takes `?` for parameters."""

    def __init__(self, engine_name: str, connection: Any) -> None:
        self.engine = engine_name
        self.connection = connection

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> Any:
        """Run `sql`; the result answers fetchone() and fetchall()."""
        if self.engine == "duckdb":
            return self.connection.execute(sql, list(parameters))
        if self.engine == "spark":
            return self.connection.execute(sql, parameters)
        cursor = self.connection.cursor()
        # psycopg2 takes %s, and reads a bare % as the start of one
        cursor.execute(sql.replace("%", "%%").replace("?", "%s") if parameters else sql, tuple(parameters) or None)
        return cursor

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if self.engine == "duckdb":
            self.connection.executemany(sql, [list(row) for row in rows])
        elif self.engine == "spark":
            for row in rows:
                self.connection.execute(sql, row)
        else:
            self.connection.cursor().executemany(sql.replace("%", "%%").replace("?", "%s"), [tuple(r) for r in rows])

    def value(self, sql: str, parameters: Sequence[Any] = ()) -> Any:
        """The first column of the first row (None when there is none)."""
        row = self.execute(sql, parameters).fetchone()
        return row[0] if row else None

    def relation_exists(self, schema: str, name: str) -> bool:
        """Whether `schema.name` is a table or a view."""
        if self.engine == "spark":
            return self.connection.relation_exists(schema, name)
        return bool(
            self.value(
                "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                [schema, name],
            )
        )

    @staticmethod
    def quote(*names: str) -> str:
        """`"schema"."table"`: identifiers quoted the ANSI way, which every engine reads (Spark's session
        here is opened with double-quoted identifiers on)."""
        return ".".join('"' + name.replace('"', '""') + '"' for name in names)

    def commit(self) -> None:
        if self.engine == "postgres":
            self.connection.commit()


_holding_lock = False  # this process is inside a warehouse_lock block


@contextmanager
def warehouse_lock() -> Iterator[None]:
    """The warehouse for this process alone until the block ends; waits while another process has it.

    A run's steps go side by side, each in a process of its own, and a DuckDB file (or Spark's Derby
    catalog) takes one process at a time: opening it while another has it fails instead of waiting.
    So each step holds this lock while it is in the warehouse, and does its other work (a source's
    requests) outside. A block inside another one is already held. The system lets go of the lock
    when its process dies, so a killed run leaves nothing to free. PostgreSQL takes many writers.
    """
    global _holding_lock
    if _holding_lock or engine() == "postgres":
        yield
        return
    path = spark.spark_dir() / "warehouse.lock" if engine() == "spark" else Path(f"{duckdb_path()}.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        _holding_lock = True
        try:
            yield
        finally:
            _holding_lock = False  # closing the file lets go of the lock


@contextmanager
def connect(read_only: bool = False) -> Iterator[Warehouse]:
    """A connection to the chosen warehouse, closed on exit (read-only ones cannot write), in `warehouse_lock`."""
    with warehouse_lock(), _connection(read_only) as warehouse:
        yield warehouse


@contextmanager
def _connection(read_only: bool) -> Iterator[Warehouse]:
    if engine() == "postgres":
        credentials = postgres_credentials()
        connection = psycopg2.connect(
            host=credentials.host,
            port=credentials.port,
            user=credentials.username,
            password=credentials.password,
            dbname=credentials.database,
            connect_timeout=15,
        )
        connection.set_session(readonly=read_only, autocommit=read_only)
        try:
            yield Warehouse("postgres", connection)
        finally:
            connection.close()
        return
    if engine() == "spark":
        with spark.session() as session:
            yield Warehouse("spark", session)
        return
    connection = duckdb.connect(str(duckdb_path()), read_only=read_only)
    try:
        yield Warehouse("duckdb", connection)
    finally:
        connection.close()


@contextmanager
def read_only() -> Iterator[Warehouse]:
    """A read-only connection to the warehouse, closed on exit."""
    with connect(read_only=True) as warehouse:
        yield warehouse


def warehouse_holder() -> str | None:
    """The process that has the warehouse open, as DuckDB names it, when another one has; else None.

    E.g. a `dbt build` whose parent was killed: it goes on writing until it finishes. A PostgreSQL
    server takes many writers: None.
    """
    path = duckdb_path()
    if engine() != "duckdb" or not path.exists():
        return None
    try:
        duckdb.connect(str(path)).close()
    except duckdb.IOException as error:
        held = re.search(r"lock is held in (.+) \(PID (\d+)\)", str(error))
        if held:
            return f"pid {held[2]} ({held[1]})"
    return None
