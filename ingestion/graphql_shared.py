"""What GitHub's and GitLab's GraphQL readers share: one answer per page for the resources that each
receive it, and a reply's errors in one line."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any


class PageAnswers:
    """An answer fetched once for the `consumers` resources that each receive the same page.

    dlt hands every transformer of a list the same page: the first to ask sends the queries, the
    others take the answer.
    """

    def __init__(self, consumers: int) -> None:
        self.consumers = consumers
        self._answers: dict[Hashable, list] = {}

    def get(self, key: Hashable, fetch: Callable[[], Any]) -> Any:
        if key not in self._answers:
            if len(self._answers) > 16:  # a consumer that never came (a resource not selected)
                self._answers.pop(next(iter(self._answers)))
            self._answers[key] = [fetch(), self.consumers]
        entry = self._answers[key]
        entry[1] -= 1
        if entry[1] <= 0:
            del self._answers[key]
        return entry[0]


def error_messages(errors: list[dict]) -> str:
    """A GraphQL reply's errors in one line."""
    return "; ".join(str(e.get("message", ""))[:200] for e in errors) or "no data"
