"""The serving copy as a Dagster asset: published after the build and its blocking checks passed.

How the copy is made and where it goes: `orchestration/serving.py`.
"""

import time
from collections.abc import Sequence

import dagster as dg

from orchestration.serving import (
    PUBLISHED_SCHEMAS,
    CheckOutcome,
    publish,
    publish_schemas,
    publish_views,
    serving_path,
)
from orchestration.warehouse import DUCKDB_POOL, connect, duckdb_path, engine, warehouse_lock


def serving_asset(
    deps: Sequence[dg.AssetKey], blocking_checks: Sequence[dg.AssetCheckKey], checks: Sequence[dg.AssetCheckKey] = ()
) -> dg.AssetsDefinition:
    """The asset that publishes the copy, downstream of every table it copies; `checks` are recorded in it."""

    @dg.asset(
        key="serving_copy",
        deps=deps,
        group_name="serving",
        kinds={"duckdb"},
        pool=DUCKDB_POOL,
        description=f"Schemas {', '.join(PUBLISHED_SCHEMAS)} copied to $STREAMGAUGE_SERVING_DUCKDB for BI tools "
        "(on PostgreSQL, swapped into schemas of those names).",
    )
    def serving_copy(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        # In a job, a failed blocking check already skips this step; this also covers a publish
        # started on its own after a bad night.
        unverified = _unverified(context.instance, blocking_checks)
        if unverified:
            raise dg.Failure(
                description=f"not published: {len(unverified)} blocking checks have not passed since the last build, "
                f"e.g. {unverified[0]}; the serving copy stays as it was",
                allow_retries=False,
            )
        started = time.perf_counter()
        outcomes = _outcomes(context.instance, checks)
        if engine() == "postgres":
            with connect() as db:
                rows = publish_schemas(db, run_id=context.run.run_id, checks=outcomes)
            where = {"schemas": ", ".join([*PUBLISHED_SCHEMAS, "main"])}
        elif engine() == "spark":
            with connect() as db:
                rows = publish_views(db, run_id=context.run.run_id, checks=outcomes)
            where = {"schemas": ", ".join([*PUBLISHED_SCHEMAS, "main"]) + " (views of tonight's copies)"}
        else:
            target = serving_path()
            with warehouse_lock():
                rows = publish(duckdb_path(), target, run_id=context.run.run_id, checks=outcomes)
            where = {"path": dg.MetadataValue.path(str(target)), "bytes": target.stat().st_size}
        return dg.MaterializeResult(
            metadata={
                **where,
                "tables": len(rows),
                "rows_by_table": dg.MetadataValue.json(rows),
                "seconds": round(time.perf_counter() - started, 1),
                "checks_not_passed": sum(not o.passed for o in outcomes),
            }
        )

    return serving_copy


def _unverified(instance: dg.DagsterInstance, checks: Sequence[dg.AssetCheckKey]) -> list[str]:
    """Blocking checks whose latest execution failed, or was planned and never ran (e.g. dbt stopped)."""
    records = instance.event_log_storage.get_latest_asset_check_execution_by_key(list(checks))
    bad = []
    for key, record in records.items():
        evaluation = record.event.asset_check_evaluation if record.event else None
        if evaluation is None or (not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR):
            bad.append(key.to_user_string())
    return sorted(bad)


def _outcomes(instance: dg.DagsterInstance, checks: Sequence[dg.AssetCheckKey]) -> list[CheckOutcome]:
    """The latest evaluation of each check (the one tonight's run made, for every check it ran)."""
    records = instance.event_log_storage.get_latest_asset_check_execution_by_key(list(checks))
    outcomes = []
    for key, record in sorted(records.items(), key=lambda item: item[0].to_user_string()):
        evaluation = record.event.asset_check_evaluation if record.event else None
        if evaluation is None:
            continue
        outcomes.append(
            CheckOutcome(
                check_name=key.name,
                asset=key.asset_key.to_user_string(),
                passed=evaluation.passed,
                severity=evaluation.severity.value,
                description=evaluation.description,
                metadata={name: value.value for name, value in evaluation.metadata.items()},
            )
        )
    return outcomes
