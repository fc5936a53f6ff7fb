"""Which issues still exist upstream, listed every `reconcile_days`: incremental cursors never see a deletion.

A run that is due lists the ids of every issue of each configured repository or project (ids
only: one request per 100 issues on GitHub and GitLab, per 5,000 on Jira) into `issue_ids`, each
with `reconciled_at`, the moment the run began, and records the listing in `reconciliations`.
dbt marks a work item deleted (`deleted_at`) when a reconciliation of its repository or project
after its last sighting did not list it. A repository or project whose listing failed or was
refused records no reconciliation, so nothing of it is marked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from typing import Any

import dlt
from dlt.sources import DltResource

from ingestion.rows import parse_time
from ingestion.scope import ConfiguredScope

RECONCILIATIONS = "reconciliations"  # the table `issue_ids` writes each listing's time to
TABLES_WRITTEN = {RECONCILIATIONS: "issue_ids"}  # for each source's TABLES_WRITTEN_BY_OTHER_RESOURCES


def issue_ids(
    scope: ConfiguredScope,
    every: timedelta,
    key: Sequence[str],
    list_ids: Callable[[str], Iterator[list[dict]]],
    scope_column: str,
) -> DltResource:
    """The resource that lists, when due, the ids `list_ids(name)` gives for each configured name.

    `key` is the primary key of the id rows; `scope_column` is the column that names their
    repository or project, in them and in `reconciliations`.
    """

    # A listing is one row of `reconciliations`, keyed by its own columns (not the id rows' key).
    listed = dlt.mark.make_hints(
        table_name=RECONCILIATIONS, write_disposition="append", primary_key=(scope_column, "reconciled_at")
    )

    @dlt.resource(name="issue_ids", primary_key=tuple(key), write_disposition="merge")
    def reconciled() -> Iterator[Any]:
        last = dlt.current.resource_state().setdefault("reconciled_at", {})
        now = scope.client.now()
        due = [name for name in scope.names if name not in last or now - parse_time(last[name]) >= every]

        def listing(name: str) -> Iterator[Any]:
            for rows in list_ids(name):
                yield [dict(row, reconciled_at=now) for row in rows]
            yield dlt.mark.with_hints({scope_column: name, "reconciled_at": now}, listed, create_table_variant=True)
            last[name] = now.isoformat()

        for name in due:
            yield from scope.readable(name, "issues", listing(name))

    return reconciled
