"""STREAMGAUGE_WAREHOUSE=spark: a local Spark whose files all live under `$STREAMGAUGE_SPARK_DIR`
(default `data/spark`):

- `raw/raw_<source>/<table>/*.parquet`: what dlt's filesystem destination loads;
- `warehouse/`: Spark's tables (`spark.sql.warehouse.dir`), plain parquet, dbt's among them;
- `metastore_db/`: the catalog, an embedded Derby database.

Derby lets one process at a time open the catalog. dbt-spark's session mode runs Spark inside the
`dbt` process, which Dagster starts while the checks and the serving step run in Dagster's own;
so the Python side opens its session only for the length of one step (`session()`), and closes
it with its JVM, Derby with it, before dbt starts. profiles.yml's `spark` target sets the same
configuration as `configuration()` here.

Raw tables: the filesystem destination only appends (merge needs Delta or Iceberg), so each load
adds files beside the earlier ones. `register_raw` names them in the catalog after every load:
`raw_<source>_files.<table>` is the table over all of a table's files (their columns merged, so
a column a later load added is there, null in earlier rows), and `raw_<source>.<table>`, what dbt
reads, a table written anew after each load (each load rewrites the source's current rows) with
the rows as a merging destination would hold them: per primary key the row of
the latest load, and of a nested table the rows whose parent row is current (by `_dlt_parent_id`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dlt
from py4j.protocol import Py4JError

SPARK_DIR_ENV = "STREAMGAUGE_SPARK_DIR"
DEFAULT_SPARK_DIR = "data/spark"
CORES_ENV = "STREAMGAUGE_SPARK_CORES"
MEMORY_ENV = "STREAMGAUGE_SPARK_MEMORY"
FILES_SUFFIX = "_files"


def _query_errors() -> tuple[type[BaseException], ...]:
    from pyspark.errors import PySparkException

    return (PySparkException, Py4JError)


try:
    SparkQueryError: tuple[type[BaseException], ...] = _query_errors()
except ImportError:  # pyspark is a dependency; a broken install still leaves DuckDB and PostgreSQL working
    SparkQueryError = (Py4JError,)


def spark_dir() -> Path:
    """Where Spark keeps everything: `$STREAMGAUGE_SPARK_DIR`, else `data/spark`."""
    return Path(os.environ.get(SPARK_DIR_ENV, DEFAULT_SPARK_DIR)).resolve()


def raw_dir() -> Path:
    return spark_dir() / "raw"


def configuration() -> dict[str, str]:
    """The session's settings, the same as profiles.yml's spark target."""
    root = spark_dir()
    return {
        "spark.master": f"local[{os.environ.get(CORES_ENV, '2')}]",
        "spark.driver.memory": os.environ.get(MEMORY_ENV, "2g"),
        "spark.sql.warehouse.dir": str(root / "warehouse"),
        "spark.hadoop.javax.jdo.option.ConnectionURL": f"jdbc:derby:;databaseName={root}/metastore_db;create=true",
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={root}",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.parser.escapedStringLiterals": "true",
        "spark.sql.shuffle.partitions": "4",
        "spark.ui.enabled": "false",
    }


class Result:
    """A query's rows, answering fetchone() and fetchall() with tuples like the other engines' cursors."""

    def __init__(self, rows: list[Any], columns: list[str]) -> None:
        self._rows = [tuple(row) for row in rows]
        self.description = [(name,) for name in columns]

    def fetchone(self) -> tuple | None:
        return self._rows.pop(0) if self._rows else None

    def fetchall(self) -> list[tuple]:
        rows, self._rows = self._rows, []
        return rows


READING = re.compile(r"^\s*(select|with|show|describe|desc|explain)\b", re.IGNORECASE)


class SparkConnection:
    """A Spark session behind the connection calls the project makes (`?` parameters, as Spark 3.5 takes)."""

    def __init__(self, session: Any, read_only: bool) -> None:
        self.session = session
        self.read_only = read_only

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> Result:
        if self.read_only and not READING.match(sql):
            raise PermissionError(f"a read-only connection only reads: {sql.split()[0]} refused")
        frame = self.session.sql(sql, args=list(parameters)) if parameters else self.session.sql(sql)
        return Result(frame.collect(), frame.columns)

    def relation_exists(self, schema: str, name: str) -> bool:
        return bool(self.session.catalog.databaseExists(schema)) and bool(
            self.session.catalog.tableExists(f"{_quoted(schema)}.{_quoted(name)}")
        )


@contextmanager
def session(read_only: bool = False, ansi_identifiers: bool = True) -> Iterator[SparkConnection]:
    """A Spark session on the catalog, its JVM stopped on exit (so that dbt's process may open Derby).

    With `ansi_identifiers`, "schema"."table" names a table as on the other engines (Spark's ANSI
    mode, which also makes an invalid cast an error instead of a null).
    """
    from pyspark.sql import SparkSession

    spark_dir().mkdir(parents=True, exist_ok=True)
    builder = SparkSession.builder.appName("streamgauge").enableHiveSupport()
    for key, value in configuration().items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    spark.conf.set("spark.sql.ansi.enabled", str(ansi_identifiers).lower())
    spark.conf.set("spark.sql.ansi.doubleQuotedIdentifiers", str(ansi_identifiers).lower())
    try:
        yield SparkConnection(spark, read_only)
    finally:
        _stop(spark)


def _stop(spark: Any) -> None:
    """Stop the session and the JVM pyspark started for it: Derby lets go of the catalog only then."""
    from pyspark import SparkContext

    spark.stop()
    gateway = SparkContext._gateway
    if gateway is None:
        return
    process = getattr(gateway, "proc", None)
    gateway.shutdown()
    if process is not None:
        process.stdin.close()  # pyspark's JVM exits when its parent's pipe closes
        try:
            process.wait(timeout=30)
        except Exception:
            process.kill()
            process.wait()
    SparkContext._gateway = None
    SparkContext._jvm = None


def dlt_destination() -> Any:
    """dlt's filesystem destination into `raw/`, as parquet files."""
    raw_dir().mkdir(parents=True, exist_ok=True)
    return dlt.destinations.filesystem(bucket_url=raw_dir().as_uri(), preferred_loader_file_format="parquet")


def _quoted(*names: str) -> str:
    return ".".join("`" + name.replace("`", "``") + "`" for name in names)


def register_raw(pipeline: dlt.Pipeline) -> list[str]:
    """Name the pipeline's parquet files in the catalog (above); returns the tables written."""
    schema = pipeline.default_schema
    dataset = pipeline.dataset_name
    folder = raw_dir() / dataset
    written = []
    with session(ansi_identifiers=False) as spark:
        run = spark.session.sql
        run(f"create database if not exists {_quoted(dataset)}")
        run(f"create database if not exists {_quoted(dataset + FILES_SUFFIX)}")
        # Tables of merged resources count as incomplete in the run's schema on the filesystem destination.
        names = [table["name"] for table in schema.data_tables(include_incomplete=True)] + ["_dlt_loads"]
        for name in names:
            files = folder / name
            # dlt writes its own tables (_dlt_loads) as JSON lines, the data as parquet
            kind = next((kind for kind in ("parquet", "json") if any(files.glob(f"*.{kind}*"))), None)
            if kind is None:
                continue
            stored = _quoted(dataset + FILES_SUFFIX, name)
            # Created anew each time: the files' merged columns are read when the table is created.
            run(f"drop table if exists {stored}")
            run(f"create table {stored} using {kind} options (path '{files.as_posix()}', mergeSchema 'true')")
            columns = spark.session.table(stored).columns
            current = _current_rows(schema, name, stored, dataset, columns)
            # A table, not a view: dbt-spark found no columns in a view here (source_columns()).
            if spark.relation_exists(dataset, name):  # a view, as earlier versions wrote, or last load's table
                kind = spark.session.catalog.getTable(f"{dataset}.{name}").tableType
                run(f"drop {'view' if kind == 'VIEW' else 'table'} {_quoted(dataset, name)}")
            run(f"create table {_quoted(dataset, name)} using parquet as {current}")
            written.append(f"{dataset}.{name}")
    return written


def _current_rows(schema: Any, name: str, stored: str, dataset: str, columns: list[str]) -> str:
    """The rows a merging destination would hold: the latest load's per primary key; nested rows of those."""
    from dlt.common.schema.utils import get_columns_names_with_prop, get_root_table, get_write_disposition

    if name == "_dlt_loads":  # JSON lines: the time is text there
        others = ", ".join(_quoted(column) for column in columns if column != "inserted_at")
        return f"select {others}, cast(inserted_at as timestamp) as inserted_at from {stored}"
    if name.startswith("_dlt"):
        return f"select * from {stored}"
    if get_write_disposition(schema.tables, name) != "merge":
        return f"select * from {stored}"
    root = get_root_table(schema.tables, name)
    keys = get_columns_names_with_prop(root, "primary_key")
    if not keys:
        return f"select * from {stored}"
    if root["name"] == name:
        partition = ", ".join(_quoted(key) for key in keys)
        listed = ", ".join(_quoted(column) for column in columns)
        return (
            f"select {listed} from (select *, row_number() over (partition by {partition}"
            f" order by _dlt_load_id desc) as _latest from {stored}) as loaded where _latest = 1"
        )
    parent_view = _quoted(
        dataset, schema.tables[name]["parent"]
    )  # registered before: data_tables() lists parents first
    return f"select * from {stored} where _dlt_parent_id in (select _dlt_id from {parent_view})"
