"""The full dbt build on PostgreSQL, on the raw tables of a benchmark's DuckDB file.

    python -m benchmarks.run --scales 100000 --workdir data/bench      # writes data/bench/100000/bench.duckdb
    DESTINATION__POSTGRES__CREDENTIALS=postgresql://user:password@host:5432/db \\
        python -m benchmarks.postgres data/bench/100000/bench.duckdb

Copies every raw_* table of the file into the server (dropped and created anew, through COPY),
then times `dbt build --exclude-resource-type unit_test` on the postgres target, as of the
benchmark's as-of time, and prints the wall time and the slowest nodes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from benchmarks.engine_build import time_full_build
from benchmarks.run import AS_OF
from orchestration.warehouse import WAREHOUSE_ENV, Warehouse, connect

TYPES = {
    "VARCHAR": "text",
    "UBIGINT": "bigint",
    "UINTEGER": "bigint",
    "HUGEINT": "numeric",
    "DOUBLE": "double precision",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "JSON": "jsonb",
}


def copy_raw(source: Path, db: Warehouse) -> int:
    """Every raw_* table of the DuckDB file at `source` into the server; the rows copied."""
    copied = 0
    with duckdb.connect(str(source), read_only=True) as raw, tempfile.TemporaryDirectory() as directory:
        tables = raw.execute(
            "select schema_name, table_name from duckdb_tables() where schema_name like 'raw\\_%' escape '\\'"
            " order by 1, 2"
        ).fetchall()
        for schema, table in tables:
            columns = raw.execute(
                "select column_name, data_type from duckdb_columns() where schema_name = ? and table_name = ?"
                " order by column_index",
                [schema, table],
            ).fetchall()
            definition = ", ".join(f"{db.quote(name)} {TYPES.get(kind, kind)}" for name, kind in columns)
            db.execute(f"create schema if not exists {db.quote(schema)}")
            db.execute(f"drop table if exists {db.quote(schema, table)} cascade")  # and the views dbt built on it
            db.execute(f"create table {db.quote(schema, table)} ({definition})")
            csv = Path(directory, f"{schema}.{table}.csv")
            raw.execute(f"copy (select * from \"{schema}\".\"{table}\") to '{csv}' (header, delimiter ',')")
            with csv.open() as rows:
                db.connection.cursor().copy_expert(
                    f"copy {db.quote(schema, table)} from stdin with (format csv, header)", rows
                )
            copied += db.value(f"select count(*) from {db.quote(schema, table)}")
            db.commit()
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("duckdb_file", type=Path)
    parser.add_argument("--target-path", type=Path, default=Path(tempfile.gettempdir(), "streamgauge-bench-postgres"))
    args = parser.parse_args(argv)
    os.environ[WAREHOUSE_ENV] = "postgres"
    started = time.perf_counter()
    with connect() as db:
        rows = copy_raw(args.duckdb_file, db)
    print(f"copied {rows} raw rows in {time.perf_counter() - started:.1f} s", flush=True)
    return time_full_build(args.target_path, AS_OF)


if __name__ == "__main__":
    sys.exit(main())
