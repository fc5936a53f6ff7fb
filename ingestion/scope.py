"""The repositories or projects a source is configured to read, looked up on the API once."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from ingestion.api_client import ApiClient, ForbiddenError, NotFoundError, SourceError

log = logging.getLogger("streamgauge.ingestion")
Row = TypeVar("Row")


@dataclass
class ConfiguredScope:
    """The configured repositories or projects, looked up on first use, so building the source sends nothing.

    One that is unknown or not visible is reported in one line and skipped; the others load.
    """

    client: ApiClient
    kind: str  # what they are, in messages: "repositories", "projects"
    setting: str  # where the user lists them
    configured: list[str]
    lookup: Callable[[ApiClient, str], dict]  # one's row; raises NotFoundError when it cannot be seen
    name_column: str  # the row's column that holds its name as the API spells it
    permissions: Mapping[str, str] = field(default_factory=dict)  # resource → what the token needs to read it
    refused: set[tuple[str, str]] = field(default_factory=set, init=False)  # (name, resource) skipped this run
    _refusing: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @functools.cached_property
    def rows(self) -> list[dict]:
        """The rows of those found, in the configured order."""
        rows = [row for name in self.configured if (row := self._row(name))]
        if self.configured and not rows:
            raise SourceError(
                f"{self.client.name}: none of the configured {self.kind} could be read; see {self.setting}"
            )
        return rows

    @property
    def names(self) -> list[str]:
        """The names of those found, as the API spells them."""
        return [row[self.name_column] for row in self.rows]

    def _row(self, name: str) -> dict | None:
        try:
            return self.lookup(self.client, name)
        except NotFoundError as error:
            log.error("%s; skipped (listed in %s)", error, self.setting)
            return None

    def readable(self, name: str, resource: str, rows: Iterator[Row]) -> Iterator[Row]:
        """`rows` of one resource of one of them, until the API refuses that resource there.

        A 403 without rate limiting, or a 404, on one resource of one repository or project skips
        that resource there, with one line naming what the token needs; the rest loads. A resource
        that keeps a cursor moves it only after its last page, so a later run reads what was skipped.
        """
        if (name, resource) in self.refused:
            return
        try:
            yield from rows
        except (ForbiddenError, NotFoundError) as error:
            with self._refusing:  # requests sent side by side can be refused together: one line
                said = (name, resource) in self.refused
                self.refused.add((name, resource))
            if said:
                return
            log.warning(
                "%s: %s of %s answered HTTP %s; skipped there, everything else loads: the token (%s) needs %s on %s",
                self.client.name,
                resource,
                name,
                error.status,
                self.client.token_setting,
                self.permissions.get(resource, "read access"),
                name,
            )
