"""The full dbt build on Spark, on the raw tables of a benchmark's (or the demo's) DuckDB file.

    python -m benchmarks.run --scales 100000 --workdir data/bench      # writes data/bench/100000/bench.duckdb
    STREAMGAUGE_SPARK_DIR=data/bench/spark python -m benchmarks.spark data/bench/100000/bench.duckdb

Writes every raw_* table of the file as parquet under `$STREAMGAUGE_SPARK_DIR/raw` and names it
in Spark's catalog as `raw_<source>.<table>` (what the pipeline's loads leave there, one load's
files), then times `dbt build --exclude-resource-type unit_test` on the spark target as of
`--as-of` (the benchmark's), and prints the wall time, the nodes that failed and the slowest.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from benchmarks.engine_build import time_full_build
from benchmarks.run import AS_OF
from orchestration import spark
from orchestration.warehouse import WAREHOUSE_ENV


def copy_raw(source: Path) -> int:
    """Each raw table as one parquet file, named in the catalog; returns the rows written."""
    folder = spark.raw_dir()
    shutil.rmtree(folder, ignore_errors=True)
    total = 0
    with duckdb.connect(str(source), read_only=True) as db:
        tables = db.execute(
            "select schema_name, table_name, estimated_size from duckdb_tables()"
            " where schema_name like 'raw\\_%' escape '\\' and schema_name not like '%\\_staging' escape '\\'"
            " and table_name not like '\\_dlt%' escape '\\' order by 1, 2"
        ).fetchall()
        for schema, table, _ in tables:
            path = folder / schema / table
            path.mkdir(parents=True)
            db.execute(f'copy (select * from "{schema}"."{table}") to \'{path / "load.parquet"}\' (format parquet)')
            total += db.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
    with spark.session(ansi_identifiers=False) as session:
        for schema, table, _ in tables:
            session.execute(f"create database if not exists `{schema}`")
            session.execute(f"drop view if exists `{schema}`.`{table}`")
            session.execute(f"drop table if exists `{schema}`.`{table}`")
            session.execute(f"create table `{schema}`.`{table}` using parquet location '{folder / schema / table}'")
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("duckdb_file", type=Path)
    parser.add_argument("--as-of", default=AS_OF)
    parser.add_argument("--target-path", type=Path, default=Path(tempfile.gettempdir(), "streamgauge-bench-spark"))
    args = parser.parse_args(argv)
    os.environ[WAREHOUSE_ENV] = "spark"
    started = time.perf_counter()
    rows = copy_raw(args.duckdb_file)
    print(f"wrote and registered {rows} raw rows in {time.perf_counter() - started:.1f} s", flush=True)
    return time_full_build(args.target_path, args.as_of)


if __name__ == "__main__":
    sys.exit(main())
