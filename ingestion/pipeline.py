"""The dlt pipeline each source loads through, what a killed load left in it, and the one line a
failed load shows its user.

One pipeline per source, so each loads on its own: a source that is misconfigured or down ends
in one clear line, and the others still load. dlt commits a source's cursors only with the data
they describe, so a rerun after any failure resumes where the last good load stopped.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dlt
from dlt.common.configuration.exceptions import ConfigFieldMissingException, ConfigValueCannotBeCoercedException
from dlt.common.schema.typing import C_DLT_LOAD_ID
from dlt.common.storages import NormalizeStorage
from dlt.destinations.exceptions import DatabaseUndefinedRelation
from dlt.extract.exceptions import PipeException

from ingestion.api_client import SourceError

# The files dlt's normalize step writes and its load step reads into DuckDB. Measured with
# python -m benchmarks.ingestion: dlt's default for DuckDB, insert_values, made the load step
# ~4x and a full load ~30% slower. jsonl was as fast, but DuckDB infers its columns from the
# first rows of a file and failed on a key first seen after 100k rows; parquet carries dlt's schema.
LOADER_FILE_FORMAT = "parquet"


def make_pipeline(source_name: str, path: Path, destination: Any = None) -> dlt.Pipeline:
    """The dlt pipeline of one source: dataset `raw_<source>` in the DuckDB file at `path`, or in
    `destination` (e.g. PostgreSQL) when given; the pipeline's state kept beside `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return dlt.pipeline(
        pipeline_name=f"streamgauge_{source_name}",
        destination=destination or dlt.destinations.duckdb(str(path), preferred_loader_file_format=LOADER_FILE_FORMAT),
        dataset_name=f"raw_{source_name}",
        pipelines_dir=str(path.parent / ".dlt_pipelines"),
    )


def finish_interrupted(source_name: str, pipeline: dlt.Pipeline) -> str | None:
    """Settle what a load killed mid-way (SIGKILL, out of memory, a reboot) left; the line saying what was done.

    - An extract cut off before its end never became a package and never saved its cursors: dlt
      leaves its files in a folder of their own that nothing reads again. They are deleted.
    - A package whose loading had begun is discarded (dlt aborts it and rewinds the local state to
      before it): resuming it would run again every job dlt had not recorded as done, also one that
      had written its rows, and merge keeps both copies of a row staged twice in a table with
      nested tables (both carry one row key). Its rows are read again, from the cursors of the last
      load that committed, at the cost of the requests they took.
    - A package extracted in full that no job has loaded yet (killed while normalizing, or before
      loading) is normalized and loaded now: its rows and the cursors that describe them commit
      together, and its requests are not spent again.

    The caller then runs the source as usual, for what is new since: `dlt.Pipeline.run` itself
    would load a pending package and stop there, leaving tonight's changes for tomorrow.
    """
    said = []
    normalize_folder = Path(pipeline.working_dir, "normalize")
    cut_off = [f for f in normalize_folder.glob("*") if f.is_dir() and f.name != NormalizeStorage.EXTRACTED_FOLDER]
    for folder in cut_off:
        shutil.rmtree(folder)
    if cut_off:
        said.append("discarded the extract an interrupted run cut off (its cursors were never saved)")
    begun = [p for p in pipeline.list_normalized_load_packages() if _load_begun(pipeline, p)]
    if begun:
        appended = _appended_tables(pipeline)  # as the package left the schema: abort rewinds it
        pipeline.abort_packages()
        _delete_rows_of(pipeline, begun, appended)
        said.append(
            f"discarded package {', '.join(begun)}, which an interrupted run had begun to load (loading it "
            "again could write some rows twice); reading its rows again"
        )
    pending = [*pipeline.list_extracted_load_packages(), *pipeline.list_normalized_load_packages()]
    if pending:
        # Not `run()`: on a first load, finding no dataset yet, it would wipe the pipeline, package and all.
        pipeline.normalize()
        pipeline.load()
        said.append(f"loaded package {', '.join(pending)}, which an interrupted run had extracted but not loaded")
    return f"{source_name}: {'; '.join(said)}" if said else None


def _load_begun(pipeline: dlt.Pipeline, load_id: str) -> bool:
    jobs = pipeline.get_load_package_info(load_id).jobs
    return bool(jobs["started_jobs"] or jobs["completed_jobs"] or jobs["failed_jobs"])


def _appended_tables(pipeline: dlt.Pipeline) -> list[str]:
    """The tables a load appends to, straight from its jobs (e.g. `reconciliations`, dlt's own state)."""
    return [
        name
        for name, table in pipeline.default_schema.tables.items()
        if table.get("write_disposition") == "append" and C_DLT_LOAD_ID in table.get("columns", {})
    ]


def _delete_rows_of(pipeline: dlt.Pipeline, load_ids: list[str], tables: list[str]) -> None:
    """Delete what discarded loads appended. A merge table changes only as a package's last step, and
    the rows read again replace what such a step merged; but an appended row would stay, e.g. a
    `reconciliations` row claiming a listing of issue ids that was never loaded."""
    with pipeline.sql_client() as client:
        for table in tables:
            with contextlib.suppress(DatabaseUndefinedRelation):  # the discarded load was to create it
                client.execute_sql(
                    f"delete from {client.make_qualified_table_name(table)} where {C_DLT_LOAD_ID} in "
                    f"({', '.join(['%s'] * len(load_ids))})",
                    *load_ids,
                )


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
    return _unexpected(source_name, error)


def _unexpected(source_name: str, error: BaseException) -> str:
    """An error nobody foresaw, by its first real cause: the first in the chain that is neither dlt's
    wrapper nor the StopIteration dlt's generators leave beneath it, with the resource that raised it
    and the row it was reading (a note `rows.reading` added)."""
    chain = list(causes(error))
    resource = next((seen.pipe_name for seen in chain if isinstance(seen, PipeException)), None)
    real = [seen for seen in chain if not _is_machinery(seen)]
    cause = real[0] if real else chain[-1]
    where = "".join([f" in {resource}" if resource else "", *(f", {note}" for note in getattr(cause, "__notes__", ()))])
    text = str(cause).splitlines()[0][:300] if str(cause) else ""
    return f"{source_name}: load failed{where}: {type(cause).__name__}: {text}"


def _is_machinery(error: BaseException) -> bool:
    """dlt's own wrappers, and the iteration signals its generator machinery chains beneath a real error."""
    return isinstance(error, StopIteration | GeneratorExit) or type(error).__module__.split(".")[0] == "dlt"
