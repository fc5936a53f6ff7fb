"""Helpers every source uses to shape rows for dlt."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime


def nullable_columns(**types: str) -> dict:
    """dlt hints for columns that may be null in every row of a load, so they always exist."""
    return {name: {"data_type": data_type, "nullable": True} for name, data_type in types.items()}


def parse_time(value: str) -> datetime:
    """An ISO 8601 instant as the APIs write it (`Z`, `+00:00` or `+0530`)."""
    return datetime.fromisoformat(value)


@contextmanager
def reading(what: str) -> Iterator[None]:
    """Name the row being shaped (`issue PAY-3, history 10234`) in an unexpected error raised meanwhile,
    so that the load's failure line says where it stopped."""
    try:
        yield
    except Exception as error:
        error.add_note(f"reading {what}")
        raise
