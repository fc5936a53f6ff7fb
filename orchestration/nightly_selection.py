"""What a night's `dbt build` leaves out: what cannot have changed since the last good night.

Two kinds of node, on DuckDB, once a nightly build has made them:
- **Views whose SQL is the same.** A view holds no rows: its SQL is all a build writes. That SQL
  depends on the project, the raw tables' columns (a staging model selects the columns a raw
  table has: macros/source_columns.sql) and, in some, the build's clock (`as_of()`). A view that
  does not read the clock is made again only when the project or a raw table's columns changed.
  Its data tests still run every night: the rows it shows change with the raw tables.
- **Models and data tests of sources with no raw tables.** Every source has its staging models,
  so that the models uniting the sources build whichever of them an organisation uses; a source
  that has loaded nothing gives empty ones. While nothing they read, through every model above
  them, reads the clock, they and their tests give the same every night.

Both hold only while:
- the last nightly build of this warehouse succeeded with the same project (its files, the
  versions of dbt and DuckDB and the vars but `as_of`: `nightly_fingerprint`), in a file of the
  same name (a DuckDB view names the tables it reads with the file's name), over raw tables with
  the same columns: a source's first load, a dropped raw table or a column dlt has not seen
  before builds every node that night. A dbt command that builds a model, seed or snapshot
  (build, run, seed, snapshot; not one that only tests) forgets that build (`on-run-start` drops
  its record), so the night after one by hand builds every node again;
- every model left out exists in the warehouse.
While the last night stands, tonight's data tests of the work-item chain also read only the items
tonight rewrites (dbt_project/macros/rewritten_items.sql): the rows it leaves were tested by a
night that succeeded.
The tables and views the serving copy and the checks read (schemas PUBLISHED_SCHEMAS) are never
left out: Dagster would skip the steps that wait for them.

On DuckDB only (the nightly job asks for nothing else): the record is a table of the warehouse
file, `main.last_nightly_build`, so it goes wherever the file goes. On PostgreSQL the serving step
owns schema `main` and a view is bound to the tables it read when it was made (a table made again
drops it); a Spark session costs more to open than these nodes cost to build. There every node is
built every night.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any, NamedTuple

import duckdb
import yaml

from orchestration.serving import PUBLISHED_SCHEMAS
from orchestration.warehouse import Warehouse, layer

LAST_BUILD = ("main", "last_nightly_build")
# What dbt reads of the project (dbt_project/), and what else a node's SQL depends on.
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "models", "seeds", "macros", "tests", "snapshots", "analyses")
PACKAGES = ("dbt-core", "dbt-adapters", "dbt-common", "dbt-duckdb", "duckdb")
# What a node reads the build's time through (macros/as_of.sql).
CLOCK_MACROS = {"macro.streamgauge.as_of", "macro.streamgauge.refreshed_at"}


def project_paths(project_dir: Path) -> list[Path]:
    """The files and folders dbt reads of the project (a folder's time changes when a file leaves it)."""
    paths = [project_dir / name for name in PROJECT_FILES]
    return [found for path in paths if path.exists() for found in [path, *(path.rglob("*") if path.is_dir() else [])]]


def nightly_fingerprint(project_dir: Path, dbt_vars: str = "") -> str:
    """A digest of what a nightly build's SQL depends on besides the raw tables and the clock: the
    project's files (by their path in it), the packages' versions and the vars (YAML) but `as_of`."""
    digest = hashlib.sha256()
    for path in sorted(p for p in project_paths(project_dir) if p.is_file()):
        digest.update(str(path.relative_to(project_dir)).encode() + b"\0" + path.read_bytes() + b"\0")
    variables = {k: v for k, v in (yaml.safe_load(dbt_vars) or {}).items() if k != "as_of"}
    settings = [f"{package} {version(package)}" for package in PACKAGES] + [json.dumps(variables, sort_keys=True)]
    digest.update("\0".join(settings).encode())
    return digest.hexdigest()


class Tonight(NamedTuple):
    """What tonight's build may rely on: whether the last night stands (see above), and the nodes it
    may then leave out, by their dotted fqn, in the order of their ids."""

    last_night_stands: bool
    left_out: list[str]


# No good night to rely on: every node built, every row tested.
EVERY_NODE = Tonight(last_night_stands=False, left_out=[])


def plan_tonight(manifest: Mapping[str, Any], db: Warehouse, fingerprint: str) -> Tonight:
    """Whether the last nightly build succeeded with this project, in a file of this name, over raw
    tables with these columns, with no dbt command that builds run since; and, if so, what tonight leaves out."""
    relations = set(db.execute("select table_schema, table_name from information_schema.tables").fetchall())
    if _recorded(db, relations) != (fingerprint, db.value("select current_database()"), raw_columns(manifest, db)):
        return EVERY_NODE
    return Tonight(last_night_stands=True, left_out=_left_out(manifest, relations))


def _left_out(manifest: Mapping[str, Any], relations: set[tuple[str, str]]) -> list[str]:
    """The nodes a night after a good one may leave out (see above), or none if one of them is missing."""
    own_clock, upstream_clock = _clock_readers(manifest)
    idle = idle_nodes(manifest, {schema for schema, _ in relations})
    nodes = [
        node
        for unique_id, node in sorted(manifest["nodes"].items())
        if node["resource_type"] in ("model", "test")
        and (node["resource_type"] == "test" or layer(node) not in PUBLISHED_SCHEMAS)
        and (
            (unique_id in idle and unique_id not in upstream_clock)
            or (node["config"].get("materialized") == "view" and unique_id not in own_clock)
        )
    ]
    if any((n["schema"], n["alias"]) not in relations for n in nodes if n["resource_type"] == "model"):
        return []
    return [".".join(node["fqn"]) for node in nodes]


def idle_nodes(manifest: Mapping[str, Any], loaded_schemas: set[str]) -> set[str]:
    """The ids of the models and tests that read raw tables, all of them in schemas not in `loaded_schemas`."""
    source_schema = {unique_id: source["schema"] for unique_id, source in manifest["sources"].items()}
    read: dict[str, frozenset[str]] = {}  # the raw schemas a node reads, through its parents

    def schemas(unique_id: str) -> frozenset[str]:
        if unique_id in source_schema:
            return frozenset([source_schema[unique_id]])
        if unique_id not in read:
            parents = manifest["nodes"].get(unique_id, {}).get("depends_on", {}).get("nodes", [])
            read[unique_id] = frozenset().union(*(schemas(parent) for parent in parents))
        return read[unique_id]

    return {
        unique_id for unique_id in manifest["nodes"] if schemas(unique_id) and not schemas(unique_id) & loaded_schemas
    }


def _clock_readers(manifest: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    """The ids of the nodes whose SQL reads the clock through the macros it calls, and of those that
    do or read a node that does, through their parents."""
    callers: dict[str, set[str]] = {}
    for unique_id, macro in manifest["macros"].items():
        for callee in macro.get("depends_on", {}).get("macros", []):
            callers.setdefault(callee, set()).add(unique_id)
    timed, waiting = set(), list(CLOCK_MACROS)  # every macro that reaches a clock macro
    while waiting:
        macro = waiting.pop()
        if macro not in timed:
            timed.add(macro)
            waiting.extend(callers.get(macro, ()))
    nodes = manifest["nodes"]
    own = {unique_id for unique_id, node in nodes.items() if timed & set(node["depends_on"].get("macros", []))}
    upstream: dict[str, bool] = {}

    def reads(unique_id: str) -> bool:
        if unique_id not in upstream:
            parents = nodes.get(unique_id, {}).get("depends_on", {}).get("nodes", [])
            upstream[unique_id] = unique_id in own or any(reads(parent) for parent in parents)
        return upstream[unique_id]

    return own, {unique_id for unique_id in nodes if reads(unique_id)}


def raw_columns(manifest: Mapping[str, Any], db: Warehouse) -> str:
    """A digest of every column of the raw schemas the project reads: a table or column added or dropped changes it."""
    schemas = sorted({source["schema"] for source in manifest["sources"].values()})
    columns = db.execute(
        "select table_schema, table_name, column_name, data_type from information_schema.columns"
        f" where table_schema in ({', '.join('?' for _ in schemas)})"
        " order by table_schema, table_name, column_name",
        schemas,
    ).fetchall()
    return hashlib.sha256(repr(columns).encode()).hexdigest()


def _recorded(db: Warehouse, relations: set[tuple[str, str]]) -> tuple[str, str, str] | None:
    """What the last good night recorded, or None (none recorded, or unreadable: then every node is built)."""
    if LAST_BUILD not in relations:
        return None
    try:
        rows = db.execute(f"select project_fingerprint, database_name, raw_columns from {db.quote(*LAST_BUILD)}")
        rows = rows.fetchall()
    except duckdb.Error:
        return None
    return tuple(rows[0]) if len(rows) == 1 else None


def record_nightly_build(manifest: Mapping[str, Any], db: Warehouse, fingerprint: str) -> None:
    """Remember that a nightly build of this project succeeded here, and the raw columns it read."""
    db.execute(
        f"create or replace table {db.quote(*LAST_BUILD)} as select ? as project_fingerprint,"
        " current_database() as database_name, ? as raw_columns,"
        " cast(now() at time zone 'UTC' as timestamp) as finished_at",
        [fingerprint, raw_columns(manifest, db)],
    )


def leave_out_args(names: Sequence[str]) -> list[str]:
    """`dbt build` arguments that leave out `names` and nothing else. By default (indirect selection
    `eager`) dbt leaves out the data tests of a model left out too: selected directly, they stay."""
    return ["--indirect-selection", "empty", "--select", "fqn:*", "--exclude", " ".join(names)] if names else []
