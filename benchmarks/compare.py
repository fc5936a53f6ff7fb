"""Compare the core and mart tables of two warehouses row for row.

    python -m benchmarks.compare BEFORE.duckdb AFTER.duckdb [--schemas core,marts]

A refactoring must leave every table the analysts read as it was: this prints, for each table,
its rows in each file and the rows only one side has (EXCEPT ALL both ways, so duplicates count;
all of them if the columns' names, order or types changed), and exits 1 if any table differs or
exists on one side only. `refreshed_at` and `rebuilt_at` (the build's clock) and dlt's
bookkeeping (`_dlt_…` columns and tables: which load brought a row, its row id) are left out of
the comparison, and raw tables' columns are matched by name, not position, so two warehouses
loaded apart compare too.
Doubles are compared to 9 decimals: a sum of doubles may differ in its last bits from one build
to the next, as DuckDB adds in parallel.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import duckdb


def copy_warehouse(path: Path, directory: Path) -> Path:
    """A copy of the DuckDB file at `path` in `directory`, with its write-ahead log, under the same
    name (dbt's views name the catalog by it): one a dbt run in this process still holds open, or
    that a test must not change under others, can be read and compared so."""
    directory.mkdir(parents=True, exist_ok=True)
    for file in (path, path.with_name(f"{path.name}.wal")):  # not the spill directory `<name>.tmp` beside them
        if file.exists():
            shutil.copy(file, directory)
    return directory / path.name


def ignored(name: str) -> bool:
    """A column or table left out: the build's clock, or dlt's bookkeeping."""
    return name in ("refreshed_at", "rebuilt_at") or name.startswith("_dlt")


def snapshot(db: duckdb.DuckDBPyConnection, path: Path, side: str, schemas: list[str]) -> dict[str, str]:
    """Copy the file's tables and views into memory as `side`__schema__name; returns name → copy."""
    # Attached under the catalog name dbt's views were written with: the file's stem.
    catalog = path.stem
    db.execute(f"attach '{path}' as \"{catalog}\" (read_only)")
    names = db.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = $1"
        " and list_contains($2, schema_name)"
        " union all select schema_name, view_name from duckdb_views() where database_name = $1"
        " and not internal and list_contains($2, schema_name)",
        [catalog, schemas],
    ).fetchall()
    copies = {}
    for name in [f"{schema}.{table}" for schema, table in names if not ignored(table)]:
        copies[name] = f"{side}__{name.replace('.', '__')}"
        # dlt adds a raw column where a load first meets it: raw tables loaded apart order theirs by name.
        order = "column_name" if name.startswith("raw_") else "column_index"
        columns = db.execute(
            "select column_name, data_type from duckdb_columns() where database_name = ?"
            f" and schema_name || '.' || table_name = ? order by {order}",
            [catalog, name],
        ).fetchall()
        listed = ", ".join(
            f'round("{column}", 9) as "{column}"' if kind in ("DOUBLE", "FLOAT") else f'"{column}"'
            for column, kind in columns
            if not ignored(column)
        )
        db.execute(f'create table {copies[name]} as select {listed} from "{catalog}".{name}')
    db.execute(f'detach "{catalog}"')
    return copies


def columns(db: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    return db.execute(
        "select column_name, data_type from duckdb_columns() where table_name = ? order by column_index", [table]
    ).fetchall()


def compare(before: Path, after: Path, schemas: list[str]) -> list[tuple[str, int | None, int | None, int]]:
    """(table, rows before, rows after, rows that differ) for every table in either file."""
    db = duckdb.connect()
    old, new = snapshot(db, before, "before", schemas), snapshot(db, after, "after", schemas)
    results = []
    for name in sorted(old.keys() | new.keys()):
        counts = [
            db.execute(f"select count(*) from {side[name]}").fetchone()[0] if name in side else None
            for side in (old, new)
        ]
        if None in counts:
            results.append((name, *counts, max(c for c in counts if c is not None)))
            continue
        a, b = old[name], new[name]
        if columns(db, a) != columns(db, b):  # renamed, reordered or retyped columns: every row differs
            results.append((name, *counts, max(counts)))
            continue
        differ = db.execute(
            f"select (select count(*) from (from {a} except all from {b}))"
            f" + (select count(*) from (from {b} except all from {a}))"
        ).fetchone()[0]
        results.append((name, *counts, differ))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--schemas", default="core,marts")
    args = parser.parse_args(argv)
    results = compare(args.before, args.after, args.schemas.split(","))
    print(f"{'table':<44} {'before':>9} {'after':>9} {'differ':>7}")
    for name, old, new, differ in results:
        print(f"{name:<44} {old if old is not None else '-':>9} {new if new is not None else '-':>9} {differ:>7}")
    bad = [name for name, old, new, differ in results if differ or old is None or new is None]
    print(f"{len(results)} tables, {len(bad)} differ" + (f": {', '.join(bad)}" if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
