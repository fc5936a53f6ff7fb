"""Run the configured sources into the project's DuckDB file, one dlt pipeline per source.

Each source loads on its own: a source that is misconfigured or down ends in one clear line,
and the others still load. dlt commits a source's cursors only with the data they describe,
so a rerun after any failure resumes where the last good load stopped.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import dlt
from dlt.common.configuration.exceptions import ConfigFieldMissingException, ConfigValueCannotBeCoercedException
from dlt.sources import DltSource

from ingestion import api_client
from ingestion.api_client import SourceError

log = logging.getLogger("streamgauge.ingestion")

DUCKDB_PATH_ENV = "STREAMGAUGE_DUCKDB"
DEFAULT_DUCKDB_PATH = "data/streamgauge.duckdb"
# The files dlt's normalize step writes and its load step reads into DuckDB. Measured with
# python -m benchmarks.ingestion: dlt's default for DuckDB, insert_values, made the load step
# ~4x and a full load ~30% slower. jsonl was as fast, but DuckDB infers its columns from the
# first rows of a file and failed on a key first seen after 100k rows; parquet carries dlt's schema.
LOADER_FILE_FORMAT = "parquet"
STEPS = ("extract", "normalize", "load")  # the dlt steps LoadResult.step_seconds times


def duckdb_path() -> Path:
    """The warehouse file: `$STREAMGAUGE_DUCKDB`, else `data/streamgauge.duckdb`."""
    return Path(os.environ.get(DUCKDB_PATH_ENV, DEFAULT_DUCKDB_PATH)).resolve()


def make_pipeline(source_name: str, path: Path | None = None) -> dlt.Pipeline:
    """The dlt pipeline of one source: dataset `raw_<source>`, state kept beside the DuckDB file."""
    path = path or duckdb_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return dlt.pipeline(
        pipeline_name=f"streamgauge_{source_name}",
        destination=dlt.destinations.duckdb(str(path), preferred_loader_file_format=LOADER_FILE_FORMAT),
        dataset_name=f"raw_{source_name}",
        pipelines_dir=str(path.parent / ".dlt_pipelines"),
    )


@dataclass
class LoadResult:
    source: str
    error: str | None = None  # the one line to show; None when the load succeeded
    rows: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    seconds: float = 0.0
    step_seconds: dict[str, float] = field(default_factory=dict)  # dlt's extract/normalize/load wall time

    @property
    def ok(self) -> bool:
        return self.error is None


def load(source_name: str, make_source: Callable[[], DltSource], path: Path | None = None) -> LoadResult:
    """Extract and load one source; never raises for a failure the user can fix or retry."""
    started = time.perf_counter()
    started_at = datetime.now(UTC)
    requests_before = api_client.requests_made[source_name]
    result = LoadResult(source_name)
    pipeline = None
    try:
        pipeline = make_pipeline(source_name, path)
        pipeline.run(make_source())
        counts = pipeline.last_trace.last_normalize_info.row_counts
        result.rows = {table: n for table, n in sorted(counts.items()) if not table.startswith("_dlt")}
    except Exception as error:  # noqa: BLE001 - every failure becomes one line; the others still load
        result.error = user_message(source_name, error)
        log.error(result.error)
    if pipeline is not None:
        result.step_seconds = step_seconds(pipeline, since=started_at)
    result.requests = api_client.requests_made[source_name] - requests_before
    result.seconds = time.perf_counter() - started
    return result


def step_seconds(pipeline: dlt.Pipeline, since: datetime) -> dict[str, float]:
    """Wall seconds of each dlt step (extract, normalize, load) of the pipeline's last run, from its trace.

    Steps that started before `since` belong to an earlier run (a failed run may leave no trace of
    its own) and are skipped; a step that ran twice (pending packages first) is summed.
    """
    seconds: dict[str, float] = {}
    trace = pipeline.last_trace
    for step in trace.steps if trace else ():
        if step.step in STEPS and step.started_at and step.finished_at and step.started_at >= since:
            elapsed = (step.finished_at - step.started_at).total_seconds()
            seconds[step.step] = seconds.get(step.step, 0.0) + elapsed
    return seconds


def causes(error: BaseException) -> Iterator[BaseException]:
    """The error, then what caused it, down the chain (`raise ... from`, or raised while handling)."""
    seen: BaseException | None = error
    while seen is not None:
        yield seen
        seen = seen.__cause__ or seen.__context__


def user_message(source_name: str, error: BaseException) -> str:
    """The line a user needs: our own SourceError's text, a missing setting, or the bare cause."""
    for seen in causes(error):
        if isinstance(seen, SourceError):
            return str(seen)
        if isinstance(seen, ConfigFieldMissingException):
            fields = ", ".join(seen.fields)
            return (
                f"{source_name}: missing setting {fields}; set it in .dlt/secrets.toml or .dlt/config.toml "
                f"under [sources.{source_name}], or as SOURCES__{source_name.upper()}__{seen.fields[0].upper()}"
            )
        if isinstance(seen, ConfigValueCannotBeCoercedException):  # never echo the value: it may be secret
            return (
                f"{source_name}: setting {seen.field_name} is not a valid {getattr(seen.hint, '__name__', seen.hint)}; "
                'write lists as ["first", "second"]'
            )
    *_, root = causes(error)
    return f"{source_name}: load failed: {type(root).__name__}: {str(root).splitlines()[0][:300] if str(root) else ''}"
