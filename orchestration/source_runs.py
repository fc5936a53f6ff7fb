"""What loading each source did in a Dagster run: rows per table, requests, seconds and warnings, or its error line.

The source assets (`orchestration/defs/ingestion.py`) record these as run metadata and failure
descriptions; this module reads them back from the run's events, one record per source.
`load_sources` runs the source assets on their own, without dbt and the checks: the ingestion
benchmark and the tests load through it, so they load the way the nightly job does.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field

import dagster as dg
from dagster_dlt import DagsterDltResource

from orchestration.defs.ingestion import SOURCE_TAG, configured_sources, source_assets


@dataclass
class SourceRun:
    """What loading one source did in a run: rows per table, requests, seconds, or the error line."""

    source: str
    error: str | None = None
    rows: dict[str, int] = field(default_factory=dict)
    requests: int = 0  # HTTP requests, GraphQL queries included
    points: int = 0  # GraphQL points those queries cost (GitHub's budget of its own)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)  # what the user should know though it loaded

    @property
    def ok(self) -> bool:
        return self.error is None


def load_sources(log_level: str = "INFO", at_once: int = 1) -> list[SourceRun]:
    """Load every configured source now with the assets the nightly job runs: in this process, one
    after another (`make refresh`), or `at_once` side by side in processes of their own, as the
    scheduled job does.

    The same ops, retry policy and run metadata, into `$STREAMGAUGE_DUCKDB`; `log_level` is the
    run's console log level.
    """
    run_config = console_logging(log_level)
    if at_once == 1:
        return source_runs(sources_job().execute_in_process(run_config=run_config, raise_on_error=False))
    run_config["execution"] = {"config": {"max_concurrent": at_once}}
    # Dagster keeps the job it reconstructs here by what it selects: select the sources configured now.
    configured = [key for assets in _source_assets() for key in assets.keys]
    # Steps in processes of their own need an instance on disk to report to.
    with tempfile.TemporaryDirectory() as home, dg.DagsterInstance.local_temp(home) as instance:
        job = dg.reconstructable(sources_job)
        with dg.execute_job(job, instance, run_config=run_config, asset_selection=configured) as result:
            return source_runs(result)


def sources_job() -> dg.JobDefinition:
    """Every configured source's assets, as one job (module-level, so that step processes can build it).

    Its steps are spawned, where the definitions' runs fork theirs from a server: a server started
    in a process that runs this job again would keep the environment of the first run.
    """
    defs = dg.Definitions(
        assets=_source_assets(),
        jobs=[dg.define_asset_job("load_sources", executor_def=dg.multiprocess_executor)],
        resources={"dlt": DagsterDltResource()},
    )
    return defs.resolve_job_def("load_sources")


def _source_assets() -> list[dg.AssetsDefinition]:
    return [source_assets(setup) for setup in configured_sources()]


def console_logging(log_level: str) -> dict:
    """Run config that sets the level of a run's console log."""
    return {"loggers": {"console": {"config": {"log_level": log_level}}}}


def source_steps(job: dg.JobDefinition) -> dict[str, str]:
    """The steps of a job that load a source, each with the source it loads."""
    return {node.name: node.tags[SOURCE_TAG] for node in job.graph.node_defs if SOURCE_TAG in node.tags}


def source_runs(result: dg.ExecuteInProcessResult | dg.JobExecutionResult) -> list[SourceRun]:
    """One record per source the run loaded or tried to, by source name."""
    steps = source_steps(result.job_def)
    runs: dict[str, SourceRun] = {}
    for event in result.all_events:
        if event.step_key not in steps:
            continue
        run = runs.setdefault(event.step_key, SourceRun(steps[event.step_key]))
        if event.is_step_materialization:
            metadata = event.step_materialization_data.materialization.metadata
            run.rows.update(metadata["rows_loaded_by_table"].value if "rows_loaded_by_table" in metadata else {})
            _effort(run, metadata)
        elif event.is_step_failure:
            run.error = failure_line(event)
            failure = event.step_failure_data.user_failure_data
            _effort(run, failure.metadata if failure else {})
    return sorted(runs.values(), key=lambda r: r.source)


def _effort(run: SourceRun, metadata: dict) -> None:
    if "source_requests" in metadata:
        run.requests = metadata["source_requests"].value
        run.points = metadata["source_graphql_points"].value if "source_graphql_points" in metadata else 0
        run.seconds = metadata["source_seconds"].value
        run.warnings = metadata["source_warnings"].value


def failure_line(event: dg.DagsterEvent) -> str:
    """The Failure's own line, else the first line of the error without its class's module path."""
    data = event.step_failure_data
    if data.user_failure_data and data.user_failure_data.description:
        return data.user_failure_data.description
    first = data.error.message.strip().splitlines()[0] if data.error else "failed"
    kind, _, message = first.partition(": ")
    return f"{event.step_key}: {kind.rsplit('.', 1)[-1]}: {message}" if message else f"{event.step_key}: {first}"
