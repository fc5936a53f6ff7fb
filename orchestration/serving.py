"""The serving copy: core, marts and seeds in a DuckDB file of their own, for BI tools (on
PostgreSQL, schemas swapped in within the warehouse's database: `publish_schemas`).

BI tools never open the warehouse: a reader would block the nightly write. The copy is built in
a new file beside the serving path and moved onto it with `os.replace`, an atomic rename, so a
tool holding yesterday's file keeps reading it undisturbed and the next connection sees
tonight's. The copy is published only after the build and its blocking checks passed; a failed
night, or one killed while copying, leaves yesterday's copy in place. The new file has one name,
so what a killed publish left is replaced by the next one rather than piling up.
"""

import glob
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.warehouse import BUILD_SCHEMA_PREFIX, Warehouse, describe, engine

SERVING_PATH_ENV = "STREAMGAUGE_SERVING_DUCKDB"
DEFAULT_SERVING_PATH = "data/serving.duckdb"
PUBLISHED_SCHEMAS = ("core", "marts", "seeds")
NEXT = "__next"  # on PostgreSQL, the schemas the next publish is written into before the swap


@dataclass(frozen=True)
class CheckOutcome:
    """A check's latest evaluation, as main.quality_checks keeps it."""

    check_name: str
    asset: str
    passed: bool
    severity: str  # WARN or ERROR
    description: str | None = None
    metadata: dict = field(default_factory=dict)


def serving_path() -> Path:
    """The serving file: `$STREAMGAUGE_SERVING_DUCKDB`, else `data/serving.duckdb`."""
    return Path(os.environ.get(SERVING_PATH_ENV, DEFAULT_SERVING_PATH)).resolve()


def describe_serving() -> str:
    """Where BI tools read: the DuckDB file, or the swapped-in schemas on PostgreSQL."""
    if engine() in ("postgres", "spark"):
        return f"schemas {', '.join(PUBLISHED_SCHEMAS)} and main on {describe()}"
    return str(serving_path())


def publish(
    warehouse: Path,
    serving: Path,
    schemas: Sequence[str] = PUBLISHED_SCHEMAS,
    run_id: str = "",
    checks: Sequence[CheckOutcome] = (),
) -> dict:
    """Copy the schemas' tables and views, as tables with their comments, then swap the file in.

    `checks` (the run's check outcomes) go to main.quality_checks, so a reader knows what warned.

    Returns the row count of every published table, `schema.table` → rows.
    """
    serving.parent.mkdir(parents=True, exist_ok=True)
    # One publish at a time (the asset is in the warehouse's pool), so the name can be fixed.
    temp = serving.with_name(f".{serving.name}.tmp")
    _remove_temporary(serving)
    try:
        with duckdb.connect(str(temp)) as db:
            # Under the catalog name dbt's views were written with: the file's stem.
            catalog = warehouse.stem
            db.execute(f"attach '{_literal(warehouse)}' as \"{catalog}\" (read_only)")
            rows = _copy(db, catalog, schemas)
            db.execute(
                "create table main.published as"
                " select current_timestamp::timestamp as published_at, ? as run_id, ?::timestamp as as_of",
                [run_id, _as_of(db)],
            )
            _write_freshness(db, catalog)
            _write_checks(db, checks)
            db.execute(f'detach "{catalog}"')
            db.execute("checkpoint")
        os.replace(temp, serving)
    finally:
        _remove_temporary(serving)
    return rows


def _remove_temporary(serving: Path) -> None:
    """Delete the new file and its write-ahead log, or what a publish killed mid-way left (earlier
    versions named it `.serving.duckdb.<hex>.tmp`)."""
    for file in serving.parent.glob(f".{glob.escape(serving.name)}.*tmp*"):
        file.unlink(missing_ok=True)


def _copy(db: duckdb.DuckDBPyConnection, catalog: str, schemas: Sequence[str]) -> dict[str, int]:
    relations = db.execute(
        """
        select schema_name, table_name, comment from duckdb_tables()
        where database_name = ? and list_contains(?, schema_name)
        union all
        select schema_name, view_name, comment from duckdb_views()
        where database_name = ? and not internal and list_contains(?, schema_name)
        order by 1, 2
        """,
        [catalog, list(schemas), catalog, list(schemas)],
    ).fetchall()
    rows = {}
    for schema, name, comment in relations:
        target = f'"{schema}"."{name}"'
        db.execute(f'create schema if not exists "{schema}"')
        db.execute(f'create table {target} as select * from "{catalog}"."{schema}"."{name}"')
        if comment:
            db.execute(f"comment on table {target} is '{_literal(comment)}'")
        for column, column_comment in db.execute(
            "select column_name, comment from duckdb_columns() "
            "where database_name = ? and schema_name = ? and table_name = ? and comment is not null",
            [catalog, schema, name],
        ).fetchall():
            db.execute(f"comment on column {target}.\"{column}\" is '{_literal(column_comment)}'")
        rows[f"{schema}.{name}"] = db.execute(f"select count(*) from {target}").fetchone()[0]
    return rows


def _as_of(db: duckdb.DuckDBPyConnection) -> object:
    """The build's as-of time, which every published mart carries in its `as_of` column."""
    marts = db.execute(
        "select table_name from duckdb_columns() where database_name = current_database()"
        " and schema_name = 'marts' and column_name = 'as_of' order by table_name"
    ).fetchall()
    for (table,) in marts:
        (value,) = db.execute(f'select max(as_of) from marts."{table}"').fetchone()
        if value is not None:
            return value
    return None


def _write_freshness(db: duckdb.DuckDBPyConnection, catalog: str) -> None:
    """main.source_freshness: per source, its last successful load (when, rows written) and rows held.

    dlt records every load in `raw_<source>._dlt_loads` (status 0 = loaded); rows carry the load's
    id in `_dlt_load_id` (root tables; child tables such as `issues__labels` count in `rows` only).
    """
    db.execute(
        "create table main.source_freshness (source varchar, last_loaded_at timestamp,"
        " last_load_rows bigint, rows bigint)"
    )
    sources = db.execute(
        "select schema_name from duckdb_tables() where database_name = ? and table_name = '_dlt_loads'"
        " and schema_name like 'raw\\_%' escape '\\' order by 1",
        [catalog],
    ).fetchall()
    for (schema,) in sources:
        raw = f'"{catalog}"."{schema}"'
        last = db.execute(
            f"select load_id, inserted_at::timestamp from {raw}._dlt_loads where status = 0"
            " order by inserted_at desc limit 1"
        ).fetchone()
        if last is None:
            continue
        tables = db.execute(
            "select table_name, bool_or(column_name = '_dlt_load_id') from duckdb_columns()"
            " where database_name = ? and schema_name = ? and table_name not like '\\_dlt%' escape '\\'"
            " group by table_name",
            [catalog, schema],
        ).fetchall()
        held = written = 0
        for table, has_load_id in tables:
            held += db.execute(f'select count(*) from {raw}."{table}"').fetchone()[0]
            if has_load_id:
                query = f'select count(*) from {raw}."{table}" where _dlt_load_id = ?'
                written += db.execute(query, [last[0]]).fetchone()[0]
        db.execute(
            "insert into main.source_freshness values (?, ?, ?, ?)",
            [schema.removeprefix("raw_"), last[1], written, held],
        )


def _write_checks(db: duckdb.DuckDBPyConnection, checks: Sequence[CheckOutcome]) -> None:
    """main.quality_checks: each check's latest outcome when the copy was published."""
    db.execute(
        "create table main.quality_checks (check_name varchar, asset varchar, passed boolean, severity varchar,"
        " description varchar, metadata json)"
    )
    if not checks:
        return
    db.executemany(
        "insert into main.quality_checks values (?, ?, ?, ?, ?, ?)",
        [
            [c.check_name, c.asset, c.passed, c.severity, c.description, json.dumps(c.metadata, default=str)]
            for c in checks
        ],
    )


def _literal(value: object) -> str:
    return str(value).replace("'", "''")


# ---------------------------------------------------------------------- on a PostgreSQL server
def publish_schemas(
    db: Warehouse, schemas: Sequence[str] = PUBLISHED_SCHEMAS, run_id: str = "", checks: Sequence[CheckOutcome] = ()
) -> dict:
    """The serving copy on PostgreSQL: schemas `core`, `marts`, `seeds` and `main` in the warehouse's database.

    dbt builds into `build_<schema>` (profiles.yml). Each published schema is first written whole
    as `<schema>__next` (tables with their comments, then main's published, source_freshness and
    quality_checks), then all are swapped in by renames in one transaction: a reader sees
    yesterday's schemas or tonight's, never a mix; a failed or killed publish leaves yesterday's
    (and the next publish drops what it left). Views and queries a BI tool saved against the old
    schemas go with them: they read tables by name, not by the dropped schema's id.

    Returns the row count of every published table, `schema.table` → rows.
    """
    staged = [*schemas, "main"]
    for schema in staged:
        db.execute(f"drop schema if exists {db.quote(schema + NEXT)} cascade")
        db.execute(f"create schema {db.quote(schema + NEXT)}")
    rows = {}
    for schema in schemas:
        source = BUILD_SCHEMA_PREFIX + schema
        relations = db.execute(
            "select c.relname, obj_description(c.oid, 'pg_class') from pg_class c"
            " join pg_namespace n on n.oid = c.relnamespace"
            " where n.nspname = ? and c.relkind in ('r', 'v', 'm', 'p') order by c.relname",
            [source],
        ).fetchall()
        for name, comment in relations:
            target = db.quote(schema + NEXT, name)
            db.execute(f"create table {target} as select * from {db.quote(source, name)}")
            if comment:
                db.execute(f"comment on table {target} is '{_literal(comment)}'")
            for column, column_comment in db.execute(
                "select a.attname, col_description(a.attrelid, a.attnum) from pg_attribute a"
                " where a.attrelid = cast(? as regclass) and a.attnum > 0 and not a.attisdropped"
                " and col_description(a.attrelid, a.attnum) is not null",
                [db.quote(source, name)],
            ).fetchall():
                db.execute(f"comment on column {target}.{db.quote(column)} is '{_literal(column_comment)}'")
            rows[f"{schema}.{name}"] = db.value(f"select count(*) from {target}")
    main = "main" + NEXT
    as_of = _postgres_as_of(db, "marts" + NEXT) if "marts" in schemas else None
    db.execute(
        f"create table {db.quote(main, 'published')} as select cast(current_timestamp at time zone 'UTC' as timestamp)"
        " as published_at, cast(? as varchar) as run_id, cast(? as timestamp) as as_of",
        [run_id, as_of],
    )
    _write_postgres_freshness(db, main)
    db.execute(
        f"create table {db.quote(main, 'quality_checks')} (check_name varchar, asset varchar, passed boolean,"
        " severity varchar, description varchar, metadata jsonb)"
    )
    if checks:
        db.executemany(
            f"insert into {db.quote(main, 'quality_checks')} values (?, ?, ?, ?, ?, cast(? as jsonb))",
            [
                [c.check_name, c.asset, c.passed, c.severity, c.description, json.dumps(c.metadata, default=str)]
                for c in checks
            ],
        )
    db.commit()
    # The swap: renames and drops only, in one transaction.
    for schema in staged:
        db.execute(f"drop schema if exists {db.quote(schema)} cascade")
        db.execute(f"alter schema {db.quote(schema + NEXT)} rename to {db.quote(schema)}")
    db.commit()
    return rows


def _postgres_as_of(db: Warehouse, marts: str) -> object:
    tables = db.execute(
        "select table_name from information_schema.columns where table_schema = ? and column_name = 'as_of'"
        " order by table_name",
        [marts],
    ).fetchall()
    for (table,) in tables:
        value = db.value(f"select max(as_of) from {db.quote(marts, table)}")
        if value is not None:
            return value
    return None


def _write_postgres_freshness(db: Warehouse, main: str) -> None:
    """main.source_freshness, as `_write_freshness` writes it into the DuckDB copy."""
    target = db.quote(main, "source_freshness")
    db.execute(f"create table {target} (source varchar, last_loaded_at timestamp, last_load_rows bigint, rows bigint)")
    sources = db.execute(
        "select table_schema from information_schema.tables where table_name = '_dlt_loads'"
        " and table_schema like 'raw\\_%' order by 1"
    ).fetchall()
    for (schema,) in sources:
        last = db.execute(
            f"select load_id, cast(inserted_at at time zone 'UTC' as timestamp) from {db.quote(schema, '_dlt_loads')}"
            " where status = 0 order by inserted_at desc limit 1"
        ).fetchone()
        if last is None:
            continue
        tables = db.execute(
            "select table_name, bool_or(column_name = '_dlt_load_id') from information_schema.columns"
            " where table_schema = ? and table_name not like '\\_dlt%' group by table_name",
            [schema],
        ).fetchall()
        held = written = 0
        for table, has_load_id in tables:
            held += db.value(f"select count(*) from {db.quote(schema, table)}")
            if has_load_id:
                written += db.value(f"select count(*) from {db.quote(schema, table)} where _dlt_load_id = ?", [last[0]])
        db.execute(f"insert into {target} values (?, ?, ?, ?)", [schema.removeprefix("raw_"), last[1], written, held])


def publish_views(
    db: Warehouse, schemas: Sequence[str] = PUBLISHED_SCHEMAS, run_id: str = "", checks: Sequence[CheckOutcome] = ()
) -> dict:
    """The serving copy on Spark: views `core.x`, `marts.x`, `seeds.x` and `main.x` over tonight's copies.

    dbt rebuilds `build_<schema>` in place (parquet tables have no transactions), so readers never
    read those. Each checked table is copied into a database of tonight's (`<schema>__v<time>`),
    and then every view of the published schemas is pointed at its copy; the copies of the
    publish before stay for the queries still reading them, older ones are dropped. A reader sees
    a table as of last night or tonight: a view switches in one catalog write, all of them within
    seconds, not in one transaction as on PostgreSQL. A view whose table is gone is dropped.

    Returns the row count of every published table, `schema.table` → rows.
    """
    version = "__v" + datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    rows: dict[str, int] = {}
    copies: dict[str, list[str]] = {}
    for schema in schemas:
        source = BUILD_SCHEMA_PREFIX + schema
        db.execute(f"create database if not exists {db.quote(schema + version)}")
        names = sorted(row[1] for row in db.execute(f"show tables in {db.quote(source)}").fetchall() if not row[2])
        for name in names:
            target = db.quote(schema + version, name)
            db.execute(f"create table {target} using parquet as select * from {db.quote(source, name)}")
            rows[f"{schema}.{name}"] = db.value(f"select count(*) from {target}")
        copies[schema] = names
    main = "main" + version
    db.execute(f"create database if not exists {db.quote(main)}")
    as_of = _spark_as_of(db, "marts" + version, copies.get("marts", []))
    db.execute(
        f"create table {db.quote(main, 'published')} using parquet as select"
        f" cast(current_timestamp() as timestamp) as published_at, {_sql_text(run_id)} as run_id,"
        f" cast({_sql_text(str(as_of)) if as_of is not None else 'null'} as timestamp) as as_of"
    )
    db.execute(
        f"create table {db.quote(main, 'quality_checks')} (check_name string, asset string, passed boolean,"
        " severity string, description string, metadata string) using parquet"
    )
    if checks:
        values = ", ".join(
            "("
            + ", ".join(
                [
                    _sql_text(c.check_name),
                    _sql_text(c.asset),
                    "true" if c.passed else "false",
                    _sql_text(c.severity),
                    _sql_text(c.description) if c.description is not None else "null",
                    _sql_text(json.dumps(c.metadata, default=str)),
                ]
            )
            + ")"
            for c in checks
        )
        db.execute(f"insert into {db.quote(main, 'quality_checks')} values {values}")
    copies["main"] = ["published", "quality_checks"]
    # The switch: each published name a view of tonight's copy.
    for schema, names in copies.items():
        db.execute(f"create database if not exists {db.quote(schema)}")
        for name in names:
            db.execute(
                f"create or replace view {db.quote(schema, name)} as select * from {db.quote(schema + version, name)}"
            )
        for row in db.execute(f"show tables in {db.quote(schema)}").fetchall():
            if row[1] not in names:
                db.execute(f"drop view if exists {db.quote(schema, row[1])}")
    # Keep the copies of the publish before tonight's; drop older ones.
    for schema in copies:
        versions = sorted(
            row[0] for row in db.execute("show databases").fetchall() if row[0].startswith(schema + "__v")
        )
        for old in versions[:-2]:
            db.execute(f"drop database if exists {db.quote(old)} cascade")
    return rows


def _spark_as_of(db: Warehouse, marts: str, names: Sequence[str]) -> object:
    for name in names:
        columns = [row[0] for row in db.execute(f"describe {db.quote(marts, name)}").fetchall()]
        if "as_of" in columns:
            value = db.value(f"select max(as_of) from {db.quote(marts, name)}")
            if value is not None:
                return value
    return None


def _sql_text(value: str) -> str:
    """A string literal Spark reads back as `value` whatever it holds (its UTF-8 bytes in hex)."""
    return f"decode(unhex('{value.encode().hex()}'), 'UTF-8')"
