"""What a night's `dbt build` leaves out: the nodes that read only sources with no raw tables.

Every source has its staging models, so that the models uniting the sources build whichever of
them an organisation uses; a source that has loaded nothing gives empty ones
(macros/source_columns.sql). Unless they read the build's clock, their SQL then depends on the
project alone, and once a build has made them, making and testing them again each night changes
nothing: an organisation on GitHub alone would build and test the nodes of five other sources.

A night skips these idle nodes, models and data tests, while all of this holds:
- none of their sources' raw schemas holds a table: a source's first load brings its nodes back
  that night;
- the last nightly build of this warehouse succeeded with the same project (its files, dbt's
  version and the vars: `project_fingerprint`), in a file of the same name. Any other dbt command
  forgets that build (`on-run-start` drops its record), so a night after a build by hand builds
  every node again;
- every idle model exists in the warehouse.

On DuckDB only (the nightly job asks for nothing else): the record is a table of the warehouse
file, `main.last_nightly_build`, so it goes wherever the file goes. On PostgreSQL the serving step
owns schema `main`, and a Spark session costs more to open than these nodes cost to build; there
every node is built every night.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from orchestration.warehouse import Warehouse

LAST_BUILD = ("main", "last_nightly_build")
# What a node reads the build's time through (macros/as_of.sql).
CLOCK_MACROS = {"macro.streamgauge.as_of", "macro.streamgauge.refreshed_at"}


def project_fingerprint(files: Iterable[Path], root: Path, *settings: str) -> str:
    """A digest of the project's files (by their path under `root`) and `settings`."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    for setting in settings:
        digest.update(setting.encode() + b"\0")
    return digest.hexdigest()


def idle_nodes(manifest: Mapping[str, Any], loaded_schemas: set[str]) -> list[Mapping[str, Any]]:
    """The models and data tests that read raw tables, none of them in `loaded_schemas`, and not the
    build's clock (`as_of()`: a model could make rows of it without reading any)."""
    source_schema = {unique_id: source["schema"] for unique_id, source in manifest["sources"].items()}
    nodes, macros = manifest["nodes"], manifest["macros"]
    read: dict[str, frozenset[str]] = {}  # the raw schemas a node reads, through its parents
    timed: dict[str, bool] = {}  # whether a macro reads the clock, through the macros it calls

    def schemas(unique_id: str) -> frozenset[str]:
        if unique_id in source_schema:
            return frozenset([source_schema[unique_id]])
        if unique_id not in read:
            parents = nodes[unique_id]["depends_on"].get("nodes", []) if unique_id in nodes else []
            read[unique_id] = frozenset().union(*(schemas(parent) for parent in parents))
        return read[unique_id]

    def reads_clock(macro: str) -> bool:
        if macro not in timed:
            timed[macro] = macro in CLOCK_MACROS  # until its callees say otherwise: macros may call each other
            called = macros.get(macro, {}).get("depends_on", {}).get("macros", [])
            timed[macro] = timed[macro] or any(reads_clock(callee) for callee in called)
        return timed[macro]

    return [
        node
        for unique_id, node in sorted(nodes.items())
        if node["resource_type"] in ("model", "test")
        and schemas(unique_id)
        and not schemas(unique_id) & loaded_schemas
        and not any(reads_clock(macro) for macro in node["depends_on"].get("macros", []))
    ]


def nodes_to_skip(manifest: Mapping[str, Any], db: Warehouse, fingerprint: str) -> list[str]:
    """The names of the idle nodes when tonight may leave them out (see above), else none."""
    relations = set(db.execute("select table_schema, table_name from information_schema.tables").fetchall())
    if LAST_BUILD not in relations:
        return []
    # A view names the views it reads with the file's name (its catalog): a copy under another name needs new ones.
    same = f"select project_fingerprint = ? and database_name = current_database() from {db.quote(*LAST_BUILD)}"
    if not db.value(same, [fingerprint]):
        return []
    idle = idle_nodes(manifest, {schema for schema, _ in relations})
    if any((node["schema"], node["alias"]) not in relations for node in idle if node["resource_type"] == "model"):
        return []
    return [node["name"] for node in idle]


def record_nightly_build(db: Warehouse, fingerprint: str) -> None:
    """Remember that a nightly build of this project succeeded here."""
    table = db.quote(*LAST_BUILD)
    db.execute(
        f"create or replace table {table} (project_fingerprint varchar, database_name varchar, finished_at timestamp)"
    )
    db.execute(
        f"insert into {table} values (?, current_database(), cast(now() at time zone 'UTC' as timestamp))",
        [fingerprint],
    )


def exclude_args(names: Sequence[str]) -> list[str]:
    """`--exclude a b c`, or nothing."""
    return ["--exclude", " ".join(names)] if names else []
