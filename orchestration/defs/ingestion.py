"""The dlt sources as Dagster assets: one multi-asset per configured source, one asset per dlt resource.

Asset keys are `[source, table]`, e.g. `["github", "issues"]`: the keys dagster-dbt gives the dbt
sources over the same raw tables, so lineage is one graph from API resource to mart.

A source is configured when dlt resolves any of its settings (environment variables or
`.dlt/*.toml`); one with none is left out of the definitions. One with some settings but not
all, or with an invalid value, stays in as a single asset whose runs fail with the line that
names the setting to fix. Building a source sends no request, so all of this happens offline.
"""

import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import dagster as dg
import dlt
from dagster_dlt import DagsterDltResource, DagsterDltTranslator
from dagster_dlt.translator import DltResourceTranslatorData
from dlt.common.configuration.exceptions import ConfigFieldMissingException, ConfigValueCannotBeCoercedException
from dlt.sources import DltSource

from ingestion import api_client
from ingestion.api_client import SourceError, TransientError
from ingestion.github import github_source
from ingestion.gitlab import gitlab_source
from ingestion.jenkins import jenkins_source
from ingestion.jira import jira_source
from ingestion.linear import linear_source
from ingestion.pagerduty import pagerduty_source
from ingestion.pipeline import causes, finish_interrupted, make_pipeline, user_message
from ingestion.settings import unknown_settings
from orchestration.spark import register_raw
from orchestration.warehouse import dlt_destination, duckdb_path, engine, source_pool, warehouse_lock

SOURCES: dict[str, Callable[..., DltSource]] = {
    "github": github_source,
    "jira": jira_source,
    "gitlab": gitlab_source,
    "pagerduty": pagerduty_source,
    "jenkins": jenkins_source,
    "linear": linear_source,
}

SOURCE_TAG = "streamgauge/source"  # on every step that loads a source
# dlt normalizes an extract this large in two processes (normalize_workers). Measured with
# python -m benchmarks.ingestion at 100k items (docs/performance.md): GitHub's first load extracts
# about 420 MiB and normalizes in 15 s instead of 27, GitLab's 190 MiB in 8 s instead of 15; a
# night's few MiB would wait longer for the processes to start than they save. The sizes are of
# uncompressed files (.dlt/config.toml); compressed, they are about a third.
PARALLEL_NORMALIZE_BYTES = 64 * 2**20
RETRY_SECONDS_ENV = "STREAMGAUGE_SOURCE_RETRY_SECONDS"
# Sources a run loads at once: every one, each in a process of its own (orchestration/definitions.py),
# so that a first load lasts as long as its slowest source. Measured at 100k items on two cores
# (docs/performance.md): 2, 3 or 6 at once load in 178-192 s, against 284 s one after another;
# against real APIs, whose replies take time, more at once gains more.
SOURCES_AT_ONCE = len(SOURCES)


def source_retry_policy() -> dg.RetryPolicy:
    """Two more tries for a source whose API kept failing (TransientError), 60 s then 120 s later.

    The HTTP client has already retried each request; this covers an outage of a few minutes.
    """
    delay = float(os.environ.get(RETRY_SECONDS_ENV, "60"))
    return dg.RetryPolicy(max_retries=2, delay=delay, backoff=dg.Backoff.EXPONENTIAL)


@dataclass(frozen=True)
class SourceSetup:
    """A source whose settings dlt found: built, or the one line saying what is wrong."""

    name: str
    source: DltSource | None
    problem: str | None = None


def configured_sources() -> list[SourceSetup]:
    """The sources with any setting present, in a fixed order; the rest are not configured."""
    setups = []
    for name, factory in SOURCES.items():
        try:
            setups.append(SourceSetup(name, factory()))
        except ConfigFieldMissingException as error:
            if error.resolved_fields_set:  # some settings given, a required one missing
                setups.append(SourceSetup(name, None, user_message(name, error)))
        except Exception as error:  # noqa: BLE001 - an invalid setting; its runs will say which
            setups.append(SourceSetup(name, None, user_message(name, error)))
    return setups


def unread_settings() -> list[str]:
    """The lines of `unknown_settings` that no source's run shows: of no source, or of one that does not load."""
    loading = {setup.name for setup in configured_sources() if setup.source}
    return [line for name, lines in unknown_settings(SOURCES).items() if name not in loading for line in lines]


class StreamgaugeDltTranslator(DagsterDltTranslator):
    """`[source, resource]` keys, grouped by source, with no upstream: the API is where lineage starts;
    kinds dlt and the warehouse's engine."""

    def get_asset_spec(self, data: DltResourceTranslatorData) -> dg.AssetSpec:
        resource = data.resource
        return (
            super()
            .get_asset_spec(data)
            .replace_attributes(
                key=dg.AssetKey([resource.source_name, resource.name]),
                deps=[],
                group_name=resource.source_name,
                kinds={"dlt", engine()},
            )
        )


def source_assets(setup: SourceSetup) -> dg.AssetsDefinition:
    """The assets of one source: its dlt resources, or a stand-in that fails with its setting problem."""
    if setup.source is None:
        return _misconfigured(setup.name, setup.problem or "")
    name = setup.name
    factory = SOURCES[name]
    translator = StreamgaugeDltTranslator()

    # What @dlt_assets expands to, plus the RetryPolicy and pool it does not take (dagster-dlt 0.29).
    @dg.multi_asset(
        name=f"load_{name}",
        specs=[
            # No pipeline: making one writes its working folder, which a loading step may be renewing.
            translator.get_asset_spec(DltResourceTranslatorData(resource=resource, pipeline=None))
            for resource in setup.source.selected_resources.values()
        ],
        can_subset=True,
        retry_policy=source_retry_policy(),
        pool=source_pool(name),
        op_tags={SOURCE_TAG: name},
    )
    def load(context: dg.AssetExecutionContext, dlt: DagsterDltResource) -> Iterator[dg.MaterializeResult]:
        started = time.perf_counter()
        requests_before, points_before = api_client.requests_made[name], api_client.points_spent[name]

        def effort() -> dict[str, dg.MetadataValue]:
            return {
                "source_requests": dg.MetadataValue.int(api_client.requests_made[name] - requests_before),
                "source_graphql_points": dg.MetadataValue.int(api_client.points_spent[name] - points_before),
                "source_seconds": dg.MetadataValue.float(round(time.perf_counter() - started, 1)),
                "source_warnings": dg.MetadataValue.json(warnings),
            }

        # The warehouse as it is set now ($STREAMGAUGE_WAREHOUSE, $STREAMGAUGE_DUCKDB), not at load time
        pipeline = make_pipeline(name, duckdb_path(), dlt_destination())
        try:
            with _warnings_logged(context) as warnings:
                for line in unknown_settings(SOURCES).get(name, []):
                    api_client.log.warning(line)
                with warehouse_lock():
                    recovered = finish_interrupted(name, pipeline)
                if recovered:
                    api_client.log.warning(recovered)
                # A fresh source per run: a built source caches what it looked up (repositories, projects).
                loaded = _load(context, dlt, factory(), pipeline, translator)
        except Exception as error:
            failure = dg.Failure(
                description=user_message(name, error),
                metadata=effort(),
                # Retried by the RetryPolicy only when the API kept failing; a bad token stays bad.
                allow_retries=_caused_by(error, TransientError),
            )
            raise failure from (None if _is_users_to_fix(error) else error)
        rows, spent = _rows_by_resource(pipeline), effort()
        context.log.info(
            f"{name}: {sum(sum(r.values()) for r in rows.values())} rows loaded with "
            f"{spent['source_requests'].value} requests in {spent['source_seconds'].value}s"
        )
        for key, metadata in loaded:
            resource = key.path[-1]
            yield dg.MaterializeResult(
                asset_key=key,
                metadata={
                    **metadata,
                    "rows_loaded": dg.MetadataValue.int(sum(rows.get(resource, {}).values())),
                    "rows_loaded_by_table": dg.MetadataValue.json(rows.get(resource, {})),
                    **spent,
                },
            )

    return load


def _load(
    context: dg.AssetExecutionContext,
    dagster_dlt: DagsterDltResource,
    source: DltSource,
    pipeline: dlt.Pipeline,
    translator: DagsterDltTranslator,
) -> list[tuple[dg.AssetKey, Mapping[str, Any]]]:
    """Extract, normalize and load the selected resources; each one's asset key and dagster-dlt's metadata.

    What `DagsterDltResource.run` does, but step by step: in the warehouse (`warehouse_lock`) only
    to read the pipeline's state and to load, so that other sources load meanwhile; and with a
    large extract normalized by a pool of processes (`normalize_workers`).
    """
    resources = {
        translator.get_asset_spec(DltResourceTranslatorData(resource=resource, pipeline=pipeline)).key: resource
        for resource in source.selected_resources.values()
    }
    if context.is_subset:
        resources = {key: resource for key, resource in resources.items() if key in context.selected_asset_keys}
        source = source.with_resources(*(resource.name for resource in resources.values()))
    # As dagster-dlt does: drop the local state, which the destination's copy then restores, so
    # that nothing a failed run left locally is loaded again.
    if pipeline.config.restore_from_destination:
        pipeline.drop()
        with warehouse_lock():
            pipeline.sync_destination()
    else:  # the cursors live only here
        pipeline.drop_pending_packages()
    pipeline.extract(source)
    pipeline.normalize(workers=normalize_workers(pipeline))
    with warehouse_lock():
        load_info = pipeline.load()
        load_info.raise_on_failed_jobs()
        if engine() == "spark":  # the new parquet files, named in Spark's catalog for dbt
            register_raw(pipeline)
    metadata = dagster_dlt.extract_resource_metadata
    return [(key, metadata(context, resource, load_info, pipeline)) for key, resource in resources.items()]


def normalize_workers(pipeline: dlt.Pipeline) -> int:
    """A pool of two processes to normalize an extract of at least PARALLEL_NORMALIZE_BYTES (a first
    load), else the loading process itself: the pool takes about 1.3 s to start, which a night's
    few thousand rows would wait for. `NORMALIZE__WORKERS` in the environment overrides the choice.
    """
    extracted = sum(
        job.file_size
        for load_id in pipeline.list_extracted_load_packages()
        for jobs in pipeline.get_load_package_info(load_id).jobs.values()
        for job in jobs
    )
    return 2 if extracted >= PARALLEL_NORMALIZE_BYTES else 1


class _Lines(logging.Handler):
    """Keeps each warning line, and passes it on to the run's log."""

    def __init__(self, context: dg.AssetExecutionContext) -> None:
        super().__init__(logging.WARNING)
        self.context = context
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())
        self.context.log.warning(record.getMessage())


@contextmanager
def _warnings_logged(context: dg.AssetExecutionContext) -> Iterator[list[str]]:
    """The warning lines the sources log meanwhile (a skipped repository, a row dated in the future),
    collected for the run's record and shown in the run's log: the load went on, but the user should know."""
    handler = _Lines(context)
    logger = logging.getLogger(api_client.log.name)
    logger.addHandler(handler)
    try:
        yield handler.lines
    finally:
        logger.removeHandler(handler)


def _misconfigured(name: str, problem: str) -> dg.AssetsDefinition:
    @dg.asset(
        key=[name, "settings"],
        group_name=name,
        description=f"{name} cannot load until its settings are fixed: {problem}",
        kinds={"dlt"},
        op_tags={SOURCE_TAG: name},
    )
    def settings() -> None:
        raise dg.Failure(description=problem, allow_retries=False)

    return settings


def _is_users_to_fix(error: BaseException) -> bool:
    """A failure its line fully explains (a token, a project, a setting): the traceback adds nothing."""
    return _caused_by(error, (SourceError, ConfigFieldMissingException, ConfigValueCannotBeCoercedException))


def _caused_by(error: BaseException, kind: type[BaseException] | tuple[type[BaseException], ...]) -> bool:
    return any(isinstance(seen, kind) for seen in causes(error))


def _rows_by_resource(pipeline: dlt.Pipeline) -> dict[str, dict[str, int]]:
    """Rows normalized in the last run, per resource and table (child tables under their root's resource)."""
    trace = pipeline.last_trace
    if trace is None or trace.last_normalize_info is None:
        return {}
    tables = pipeline.default_schema.tables
    rows: dict[str, dict[str, int]] = {}
    for table, count in trace.last_normalize_info.row_counts.items():
        if table.startswith("_dlt"):
            continue
        root = table
        while tables.get(root, {}).get("parent"):
            root = tables[root]["parent"]
        resource = tables.get(root, {}).get("resource", root)
        rows.setdefault(resource, {})[table] = count
    return rows
