"""The dbt project as Dagster assets: every seed and model an asset, every dbt test an asset check.

The manifest is read at load time from `$STREAMGAUGE_DBT_TARGET_PATH` (default
`dbt_project/target/dagster`, apart from the target/ of dbt runs by hand; `-postgres` appended on
PostgreSQL). It is made with
`dbt parse` when it is missing (a fresh clone) or older than any file of the project, so models
added to the project show up without a build step.
"""

import json
import os
import shutil
import sys
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import Any
from unittest.mock import patch

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets
from filelock import FileLock

from ingestion import github, gitlab, jira
from orchestration.nightly_selection import (
    EVERY_NODE,
    leave_out_args,
    nightly_fingerprint,
    plan_tonight,
    project_paths,
    record_nightly_build,
)
from orchestration.warehouse import (
    DUCKDB_POOL,
    connect,
    dbt_environment,
    duckdb_path,
    engine,
    layer,
    read_only,
    warehouse_lock,
)

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
TARGET_PATH_ENV = "STREAMGAUGE_DBT_TARGET_PATH"
DBT_VARS_ENV = "STREAMGAUGE_DBT_VARS"
# Which rows the work-item chain's data tests read (dbt_project/macros/rewritten_items.sql).
DATA_TESTS_ENV = "STREAMGAUGE_DATA_TESTS"
# Unit tests check the SQL, not the data: they run with the test suite, not every night.
NIGHTLY_BUILD = ("build", "--exclude-resource-type", "unit_test")
# Each source's raw tables that a resource writes under a name of their own.
WRITTEN_BY_OTHER_RESOURCES = {
    "github": github.TABLES_WRITTEN_BY_OTHER_RESOURCES,
    "jira": jira.TABLES_WRITTEN_BY_OTHER_RESOURCES,
    "gitlab": gitlab.TABLES_WRITTEN_BY_OTHER_RESOURCES,
}


# dbt beside this Python when the virtualenv is not activated (`.venv/bin/python -m ...`).
DBT_EXECUTABLE = shutil.which("dbt") or str(Path(sys.executable).with_name("dbt"))


def dbt_project() -> DbtProject:
    """The dbt project with a manifest that matches its files."""
    target_path = Path(os.environ.get(TARGET_PATH_ENV) or Path("target", "dagster"))
    if engine() != "duckdb":  # another engine's manifest names other schemas (build_core): kept apart
        target_path = target_path.with_name(f"{target_path.name}-{engine()}")
    project = DbtProject(project_dir=DBT_PROJECT_DIR, target_path=target_path)
    # Only when stale: under `dagster dev` every step process of a run builds the definitions too.
    if _manifest_is_stale(project):
        _parse(project)
    return project


def dbt_resource(project: DbtProject) -> DbtCliResource:
    return DbtCliResource(project_dir=project, dbt_executable=DBT_EXECUTABLE)


def _parse(project: DbtProject) -> None:
    """`dbt parse`, once when several processes load the definitions at the same time."""
    manifest = project.manifest_path
    manifest.parent.mkdir(parents=True, exist_ok=True)
    seen = manifest.stat().st_mtime if manifest.exists() else 0.0
    with FileLock(manifest.with_suffix(".lock"), timeout=120):
        if manifest.exists() and manifest.stat().st_mtime > seen:
            return  # another process parsed while this one waited
        dbt_resource(project).cli(["parse", "--quiet"], target_path=project.target_path).wait()


def _manifest_is_stale(project: DbtProject) -> bool:
    if not project.manifest_path.exists():
        return True
    built = project.manifest_path.stat().st_mtime
    return any(path.stat().st_mtime > built for path in project_paths(project.project_dir))


def load_manifest(path: Path) -> Mapping[str, Any]:
    return json.loads(path.read_text())


class StreamgaugeDbtTranslator(DagsterDbtTranslator):
    """dbt sources onto the dlt assets' `[source, resource]` keys; models grouped by schema.

    A raw child table (`issues__labels`) and a table a resource writes under its own name
    (`deployment_statuses`) map to the resource that loads them.
    """

    def __init__(self) -> None:
        super().__init__(
            DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True, enable_source_tests_as_checks=True)
        )

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        key = super().get_asset_key(dbt_resource_props)
        if dbt_resource_props["resource_type"] != "source" or key.path != [
            dbt_resource_props["source_name"],
            dbt_resource_props["name"],
        ]:
            return key  # a model, or a source with its own meta.dagster.asset_key
        source, table = key.path
        resource = WRITTEN_BY_OTHER_RESOURCES.get(source, {}).get(table, table.split("__")[0])
        return dg.AssetKey([source, resource])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props.get("config", {}).get("schema") or super().get_group_name(dbt_resource_props)


def transform_assets(project: DbtProject, manifest: Mapping[str, Any]) -> dg.AssetsDefinition:
    """One op runs `dbt build`: seeds, models and their tests in dependency order."""
    tables = _tables(manifest)

    @dbt_assets(
        manifest=manifest,
        project=project,
        dagster_dbt_translator=StreamgaugeDbtTranslator(),
        name="dbt_build",
        pool=DUCKDB_POOL,
    )
    def dbt_build(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
        # The warehouse as chosen now: the DuckDB file as an absolute path, or the server's credentials.
        os.environ.update(dbt_environment())
        with warehouse_lock():
            # A nightly build leaves out what cannot have changed (orchestration/nightly_selection.py).
            nightly = _is_nightly_build(context)
            fingerprint = nightly_fingerprint(project.project_dir, os.environ.get(DBT_VARS_ENV, "")) if nightly else ""
            tonight = EVERY_NODE
            if nightly and duckdb_path().exists():
                with read_only() as db:
                    tonight = plan_tonight(manifest, db, fingerprint)
                context.log.info(
                    f"left out {len(tonight.left_out)} nodes that cannot have changed since the last good night"
                )
            # After a good night, tonight's tests of the chain read the items it rewrites; every other
            # run (the first night, the one after a failure or a change, the weekly one) every row.
            # One run at a time, so one fixed directory: no pile of per-run targets, partial parsing kept.
            with patch.dict(os.environ, {DATA_TESTS_ENV: "rewritten" if tonight.last_night_stands else "every_row"}):
                invocation = dbt.cli(
                    [*NIGHTLY_BUILD, *_vars_args(), *leave_out_args(tonight.left_out)],
                    context=context,
                    raise_on_error=False,
                    target_path=project.target_path / "run",
                )  # the process starts here, with the environment as it is now
            # The events are held until dbt exits: DuckDB lets nobody else open the file meanwhile.
            events = list(invocation.stream())
            record = nightly and invocation.is_successful()
            with connect(read_only=not record) as db:
                for event in events:
                    output = event.output_name if isinstance(event, dg.Output) else None
                    key = context.assets_def.keys_by_output_name.get(output) if output else None
                    if key in tables:
                        rows = db.execute(f"select count(*) from {tables[key]}").fetchone()[0]
                        event = event.with_metadata({**event.metadata, "dagster/row_count": rows})
                    yield event
                if record:
                    record_nightly_build(manifest, db, fingerprint)
        # So the asset's page says why tonight did not make it, beside the night that did.
        for key in left_out_assets(manifest, tonight.left_out):
            yield dg.AssetObservation(asset_key=key, metadata={"left out": LEFT_OUT})
        if not invocation.is_successful():
            run_results = invocation.get_artifact("run_results.json")
            raise dg.Failure(description=_failure_line(run_results), allow_retries=False)

    return dbt_build


LEFT_OUT = (
    "not built tonight: its SQL (a view) or the raw tables it reads (none loaded) are as on the last good night"
    " (orchestration/nightly_selection.py)"
)


def left_out_assets(manifest: Mapping[str, Any], skipped: Collection[str]) -> list[dg.AssetKey]:
    """The asset keys of the models among `skipped` (dotted fqns, as `plan_tonight` gives them)."""
    translator = StreamgaugeDbtTranslator()
    names = set(skipped)
    return [
        translator.get_asset_key(node)
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and ".".join(node["fqn"]) in names
    ]


def _tables(manifest: Mapping[str, Any]) -> dict[dg.AssetKey, str]:
    """The relation of every dbt node that stores rows (not views), by asset key."""
    translator = StreamgaugeDbtTranslator()
    return {
        translator.get_asset_key(node): f'"{node["schema"]}"."{node["alias"]}"'
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed", "snapshot")
        and node["config"].get("materialized") not in ("view", "ephemeral")
    }


def _is_nightly_build(context: dg.AssetExecutionContext) -> bool:
    """A build on DuckDB of every model, with every test on them: what a night may leave nodes out of.

    The job's checks leave out the tests of unconfigured sources' raw tables, so it builds a subset
    of the checks: that is still a nightly build. A run that deselects a model or one of its tests is not.
    """
    assets = context.assets_def
    selected_checks = context.selected_asset_check_keys
    every_test = all(
        spec.key in selected_checks
        for spec in assets.node_check_specs_by_output_name.values()
        if spec.asset_key in assets.keys
    )
    return engine() == "duckdb" and set(assets.keys) == set(assets.node_keys_by_output_name.values()) and every_test


def _vars_args() -> list[str]:
    """`--vars` from `$STREAMGAUGE_DBT_VARS` (YAML, e.g. `{as_of: "2026-11-02"}`), to pin dbt vars."""
    value = os.environ.get(DBT_VARS_ENV, "").strip()
    return ["--vars", value] if value else []


def _failure_line(run_results: Mapping[str, Any]) -> str:
    """`dbt build failed: 2 of 103 nodes: test x (fail: 3 rows), model y (error)`."""
    results = run_results.get("results", [])
    failed = [r for r in results if r.get("status") in ("error", "fail", "runtime error")]
    names = [f"{_node_name(r['unique_id'])} ({r['status']}" + _rows(r.get("failures")) + ")" for r in failed[:3]]
    more = f" and {len(failed) - 3} more" if len(failed) > 3 else ""
    return f"dbt build failed: {len(failed)} of {len(results)} nodes: {', '.join(names)}{more}"


def _node_name(unique_id: str) -> str:
    """`test not_null_work_items_id`, `model work_items`, `unit_test work_items.reopens`."""
    kind, _, *name = unique_id.split(".")
    return f"{kind} {'.'.join(name[:2]) if kind == 'unit_test' else name[0]}"


def _rows(failures: int | None) -> str:
    return f": {failures} rows" if failures else ""


def asset_keys_in_schemas(manifest: Mapping[str, Any], schemas: Collection[str]) -> list[dg.AssetKey]:
    """The assets of the models, seeds and snapshots dbt builds into `schemas`."""
    translator = StreamgaugeDbtTranslator()
    return [
        translator.get_asset_key(node)
        for _, node in sorted(manifest["nodes"].items())
        if node["resource_type"] in ("model", "seed", "snapshot") and layer(node) in schemas
    ]
