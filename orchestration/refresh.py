"""Refresh once, now: `python -m orchestration.refresh` (what `make refresh` runs).

Runs the `nightly_refresh` job in this process, and then `build_and_publish` when some sources
failed but others loaded, as the `build_after_partial_load` sensor does under the daemon. The
runs are recorded in the Dagster instance of `$DAGSTER_HOME` when it is set, so they show in
the UI. First it recovers what a killed run left and waits for a run that is still going
(orchestration/recovery.py). Prints a line per source and the outcome; exits 1 unless the
serving copy was published, and 2 without starting when a STREAMGAUGE_* setting is invalid (one
line names it).
"""

import contextlib
import os
import sys
from dataclasses import dataclass
from typing import TextIO

import dagster as dg

from orchestration.defs.ingestion import unread_settings
from orchestration.recovery import NotStarted, wait_for_warehouse, wait_seconds
from orchestration.report import report_path
from orchestration.schedules import partial_load
from orchestration.serving import describe_serving
from orchestration.source_runs import SourceRun, console_logging, failure_line, source_runs, source_steps
from orchestration.warehouse import describe, duckdb_path


@dataclass
class Refresh:
    results: list[dg.ExecuteInProcessResult]
    sources: list[SourceRun]
    published: bool
    reported: bool  # the report was written from tonight's copy
    failures: list[str]  # one line per failed step
    warnings: dict[str, list[str]]  # check name → the assets it did not pass on, each with why when it says


def refresh(
    defs: dg.Definitions, instance: dg.DagsterInstance, log_level: str = "INFO", log: TextIO | None = None
) -> Refresh:
    """Run `nightly_refresh`, and `build_and_publish` after a partial load; report what happened.

    `log_level` is the runs' console log level; `log`, if given, takes what dbt prints.
    """
    with contextlib.redirect_stdout(log) if log else contextlib.nullcontext():
        return _refresh(defs, instance, console_logging(log_level))


def _refresh(defs: dg.Definitions, instance: dg.DagsterInstance, run_config: dict) -> Refresh:
    nightly = defs.resolve_job_def("nightly_refresh")
    results = [nightly.execute_in_process(run_config=run_config, instance=instance, raise_on_error=False)]
    if partial_load(instance, results[0].run_id, source_steps(nightly)):
        build = defs.resolve_job_def("build_and_publish")
        results.append(
            build.execute_in_process(
                run_config=run_config,
                instance=instance,
                raise_on_error=False,
                tags={"streamgauge/after_run": results[0].run_id},
            )
        )
    materialized = {e.asset_key for r in results for e in r.get_asset_materialization_events()}
    return Refresh(
        results=results,
        sources=source_runs(results[0]),
        published=dg.AssetKey("serving_copy") in materialized,
        reported=dg.AssetKey("report") in materialized,
        failures=[failure_line(e) for r in results for e in r.get_step_failure_events()],
        warnings=_not_passed(results),
    )


def _not_passed(results: list[dg.ExecuteInProcessResult]) -> dict[str, list[str]]:
    checks: dict[str, list[str]] = {}
    for result in results:
        for evaluation in result.get_asset_check_evaluations():
            if not evaluation.passed:
                why = f" ({evaluation.description})" if evaluation.description else ""
                checks.setdefault(evaluation.check_name, []).append(evaluation.asset_key.to_user_string() + why)
    return checks


def print_sources(sources: list[SourceRun]) -> None:
    print(f"{'source':<8} {'status':<7} {'requests':>8} {'seconds':>8}  rows per table")
    for r in sources:
        rows = ", ".join(f"{table} {n}" for table, n in sorted(r.rows.items()))
        print(f"{r.source:<8} {'ok' if r.ok else 'FAILED':<7} {r.requests:>8} {r.seconds:>8.1f}  {r.error or rows}")
        for line in r.warnings:
            print(f"{'':<36}warning: {line}")


def print_outcome(outcome: Refresh) -> None:
    for line in outcome.failures:
        print(f"failed: {line}")
    for check, assets in sorted(outcome.warnings.items()):
        print(f"check {check} did not pass on {len(assets)}: {', '.join(sorted(assets)[:4])}{' …' * (len(assets) > 4)}")
    if outcome.published:
        print(f"Published the serving copy: {describe_serving()}")
        if outcome.reported:
            print(f"Wrote the report: {report_path()}")
    else:
        print(f"Not published; the serving copy stays as it was: {describe_serving()}")


def main() -> int:
    from orchestration.definitions import build_definitions
    from orchestration.settings import setting_problems

    if problems := setting_problems():  # nothing is touched: yesterday's copy stays
        print("\n".join(problems))
        return 2
    log_path = duckdb_path().with_name("refresh.log")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    print(f"Refreshing into {describe()} (dbt's log: {log_path}) ...", flush=True)
    for line in unread_settings():
        print(f"warning: {line}")
    with instance, log_path.open("w") as log:
        defs = build_definitions()
        try:
            wait_for_warehouse(instance, wait_seconds(), say=lambda line: print(line, flush=True))
        except NotStarted as reason:
            print(reason)
            print(f"Not published; the serving copy stays as it was: {describe_serving()}")
            return 1
        # Each failure is summed up in one line below; the full event logs are in the instance.
        outcome = refresh(defs, instance, log_level="CRITICAL", log=log)
    print_sources(outcome.sources)
    print_outcome(outcome)
    return 0 if outcome.published else 1


if __name__ == "__main__":
    sys.exit(main())
