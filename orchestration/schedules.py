"""The jobs, the nightly and weekly schedules, the follow-up build after a night some sources
failed, and the recovery of runs whose process was killed.

`nightly_refresh` materializes everything: each configured source, then `dbt build`, the checks,
and the serving copy. Sources load one after another (DuckDB has one writer); a source that
fails does not stop the others. dbt depends on every source, so in that run it is skipped; the
`build_after_partial_load` sensor (and `python -m orchestration.refresh`) then runs
`build_and_publish` on what did load. A failed source's raw tables keep their last good load
(dlt commits a load and its cursors together), its freshness check warns, and everything else
is tonight's. When every source fails, nothing is built and yesterday's serving copy stays.

A night's dbt tests of the work-item chain read only the items it rewrote (the others are as an
earlier night wrote and tested them: dbt_project/macros/rewritten_items.sql); `check_every_row`,
on the schedule `weekly_checks`, runs every check over every row and builds nothing.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from typing import TYPE_CHECKING

import dagster as dg

from orchestration.recovery import recover

if TYPE_CHECKING:
    from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

CRON_ENV = "STREAMGAUGE_SCHEDULE_CRON"
TIMEZONE_ENV = "STREAMGAUGE_SCHEDULE_TIMEZONE"
DEFAULT_CRON = "0 2 * * *"
WEEKLY_CRON_ENV = "STREAMGAUGE_WEEKLY_CHECKS_CRON"
DEFAULT_WEEKLY_CRON = "0 8 * * 0"
DEFAULT_TIMEZONE = "UTC"


def refresh_jobs(
    source_assets: Collection[dg.AssetsDefinition],
) -> tuple[UnresolvedAssetJobDefinition, UnresolvedAssetJobDefinition]:
    """`nightly_refresh` (everything) and `build_and_publish` (everything but loading the sources)."""
    nightly = dg.define_asset_job(
        "nightly_refresh",
        selection=dg.AssetSelection.all(),
        description="Load every configured source, build the dbt project, run the checks, publish the serving copy.",
    )
    loaded = dg.AssetSelection.assets(*source_assets)
    build = dg.define_asset_job(
        "build_and_publish",
        selection=(dg.AssetSelection.all() - loaded) | dg.AssetSelection.checks_for_assets(*source_assets),
        description="Build, check and publish from the raw data already loaded (after a night a source failed).",
    )
    return nightly, build


def check_job(checked_assets: dg.AssetsDefinition) -> UnresolvedAssetJobDefinition:
    """`check_every_row`: every check on `checked_assets` (the dbt models and seeds: their data tests
    and the checks of orchestration/defs/quality.py) over every row, nothing built."""
    return dg.define_asset_job(
        "check_every_row",
        selection=dg.AssetSelection.checks_for_assets(checked_assets),
        description="Every data test and check on the dbt models and seeds, over every row; nothing built.",
    )


def nightly_schedule(job: UnresolvedAssetJobDefinition) -> dg.ScheduleDefinition:
    """`$STREAMGAUGE_SCHEDULE_CRON`, default 02:00 daily."""
    return _schedule("nightly", job, os.environ.get(CRON_ENV) or DEFAULT_CRON)


def weekly_checks_schedule(job: UnresolvedAssetJobDefinition) -> dg.ScheduleDefinition:
    """`$STREAMGAUGE_WEEKLY_CHECKS_CRON`, default 08:00 on Sundays."""
    return _schedule("weekly_checks", job, os.environ.get(WEEKLY_CRON_ENV) or DEFAULT_WEEKLY_CRON)


def _schedule(name: str, job: UnresolvedAssetJobDefinition, cron: str) -> dg.ScheduleDefinition:
    """On as soon as the daemon runs, in `$STREAMGAUGE_SCHEDULE_TIMEZONE` (default UTC). The settings
    are checked before the definitions load (`orchestration/settings.py`)."""
    return dg.ScheduleDefinition(
        name=name,
        job=job,
        cron_schedule=cron,
        execution_timezone=os.environ.get(TIMEZONE_ENV) or DEFAULT_TIMEZONE,
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )


def partial_load(instance: dg.DagsterInstance, run_id: str, source_steps: Collection[str]) -> bool:
    """Whether a run failed only in loading sources, and at least one source loaded."""
    status = {stats.step_key: stats.status.value for stats in instance.get_run_step_stats(run_id)}
    failed = {step for step, s in status.items() if s == "FAILURE"}
    loaded = {step for step, s in status.items() if s == "SUCCESS" and step in source_steps}
    return bool(failed) and failed <= set(source_steps) and bool(loaded)


def build_after_partial_load_sensor(
    nightly: UnresolvedAssetJobDefinition, build: UnresolvedAssetJobDefinition, source_steps: Collection[str]
) -> dg.SensorDefinition:
    """After a nightly run some sources failed in, build and publish what the others loaded."""

    @dg.run_failure_sensor(
        name="build_after_partial_load",
        monitored_jobs=[nightly],
        request_job=build,
        default_status=dg.DefaultSensorStatus.RUNNING,
    )
    def build_after_partial_load(context: dg.RunFailureSensorContext) -> dg.RunRequest | dg.SkipReason:
        run_id = context.dagster_run.run_id
        if not partial_load(context.instance, run_id, source_steps):
            return dg.SkipReason(f"run {run_id} did not load any source, or failed after loading")
        return dg.RunRequest(run_key=run_id, tags={"streamgauge/after_run": run_id})

    return build_after_partial_load


def recover_dead_runs_sensor() -> dg.SensorDefinition:
    """Under the daemon, every minute: fail the runs whose process is gone and free their pool slots.

    What `make refresh` does before it starts (orchestration/recovery.py): a run killed with its
    process, by `make dagster` going down with it or by a `make refresh` killed meanwhile, would
    otherwise keep the queue and the warehouse's pool blocked.
    """

    @dg.sensor(name="recover_dead_runs", minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING)
    def recover_dead_runs(context: dg.SensorEvaluationContext) -> dg.SkipReason:
        said = recover(context.instance)
        for line in said:
            context.log.warning(line)
        return dg.SkipReason(" ".join(said) or "no run left behind by a process that is gone")

    return recover_dead_runs
