"""Everything Dagster loads (`workspace.yaml`): sources → dbt → checks → serving copy → report, and the schedule."""

from __future__ import annotations

import logging

import dagster as dg
from dagster_dlt import DagsterDltResource

from orchestration.defs.ingestion import SOURCES_AT_ONCE, configured_sources, source_assets, unread_settings
from orchestration.defs.quality import quality_checks
from orchestration.defs.report import report
from orchestration.defs.serving import serving_asset
from orchestration.defs.transform import (
    asset_keys_in_schemas,
    dbt_project,
    dbt_resource,
    load_manifest,
    transform_assets,
)
from orchestration.schedules import (
    build_after_partial_load_sensor,
    check_job,
    nightly_schedule,
    recover_dead_runs_sensor,
    refresh_jobs,
    weekly_checks_schedule,
)
from orchestration.serving import PUBLISHED_SCHEMAS
from orchestration.settings import setting_problems
from orchestration.warehouse import engine

# How runs launched by the daemon or the UI execute: each step in a process of its own, every source
# at once (each in the warehouse only for its turns there: warehouse_lock). The processes fork from
# one that has imported the code already.
STEPS_SIDE_BY_SIDE = dg.multiprocess_executor.configured(
    {
        "max_concurrent": SOURCES_AT_ONCE,
        "start_method": {"forkserver": {"preload_modules": ["orchestration.definitions"]}},
    },
    name="side_by_side",
)


@dg.definitions
def defs() -> dg.Definitions:
    """What `dagster dev` loads, built when it asks: the sources configured now, the dbt manifest now."""
    if problems := setting_problems():
        raise ValueError("\n".join(problems))
    for line in unread_settings():  # no run will show these
        logging.getLogger(__name__).warning(line)
    return build_definitions()


def build_definitions() -> dg.Definitions:
    """The definitions for the sources configured now (environment and `.dlt/`)."""
    setups = configured_sources()
    sources = [source_assets(setup) for setup in setups]
    project = dbt_project()
    manifest = load_manifest(project.manifest_path)
    transform = transform_assets(project, manifest)
    checks = quality_checks(
        manifest, {setup.name: list(a.keys) for setup, a in zip(setups, sources, strict=True) if setup.source}
    )
    published = asset_keys_in_schemas(manifest, PUBLISHED_SCHEMAS)
    specs = [spec for definition in [transform, *checks] for spec in definition.check_specs]
    blocking = [spec.key for spec in specs if spec.blocking and spec.asset_key in published]
    nightly, build = refresh_jobs(sources)
    checks_job = check_job(transform)
    # The HTML report is drawn from the DuckDB serving copy; on PostgreSQL, BI tools read the schemas.
    reports = [report] if engine() == "duckdb" else []
    return dg.Definitions(
        assets=[*sources, transform, serving_asset(published, blocking, [spec.key for spec in specs]), *reports],
        asset_checks=checks,
        jobs=[nightly, build, checks_job],
        schedules=[nightly_schedule(nightly), weekly_checks_schedule(checks_job)],
        sensors=[
            build_after_partial_load_sensor(nightly, build, [a.node_def.name for a in sources]),
            recover_dead_runs_sensor(),
        ],
        resources={"dlt": DagsterDltResource(), "dbt": dbt_resource(project)},
        # `make refresh` and the tests execute a job in their own process, one step after another.
        executor=STEPS_SIDE_BY_SIDE,
    )
