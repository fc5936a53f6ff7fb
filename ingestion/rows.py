"""Helpers every source uses to shape rows for dlt."""

from __future__ import annotations

from datetime import datetime


def nullable_columns(**types: str) -> dict:
    """dlt hints for columns that may be null in every row of a load, so they always exist."""
    return {name: {"data_type": data_type, "nullable": True} for name, data_type in types.items()}


def parse_time(value: str) -> datetime:
    """An ISO 8601 instant as the APIs write it (`Z`, `+00:00` or `+0530`)."""
    return datetime.fromisoformat(value)
