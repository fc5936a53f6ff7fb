"""The repositories or projects a source is configured to read, looked up on the API once."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass

from ingestion.api_client import ApiClient, NotFoundError, SourceError

log = logging.getLogger("streamgauge.ingestion")


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
