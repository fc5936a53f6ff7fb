"""The dlt pipeline each source loads through, and the one line a failed load shows its user.

One pipeline per source, so each loads on its own: a source that is misconfigured or down ends
in one clear line, and the others still load. dlt commits a source's cursors only with the data
they describe, so a rerun after any failure resumes where the last good load stopped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dlt
from dlt.common.configuration.exceptions import ConfigFieldMissingException, ConfigValueCannotBeCoercedException
from dlt.extract.exceptions import PipeException

from ingestion.api_client import SourceError

# The files dlt's normalize step writes and its load step reads into DuckDB. Measured with
# python -m benchmarks.ingestion: dlt's default for DuckDB, insert_values, made the load step
# ~4x and a full load ~30% slower. jsonl was as fast, but DuckDB infers its columns from the
# first rows of a file and failed on a key first seen after 100k rows; parquet carries dlt's schema.
LOADER_FILE_FORMAT = "parquet"


def make_pipeline(source_name: str, path: Path) -> dlt.Pipeline:
    """The dlt pipeline of one source into the DuckDB file at `path`: dataset `raw_<source>`, state kept beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return dlt.pipeline(
        pipeline_name=f"streamgauge_{source_name}",
        destination=dlt.destinations.duckdb(str(path), preferred_loader_file_format=LOADER_FILE_FORMAT),
        dataset_name=f"raw_{source_name}",
        pipelines_dir=str(path.parent / ".dlt_pipelines"),
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
