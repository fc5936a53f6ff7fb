"""Shared fixtures: the simulated organisation, its server, and an isolated warehouse per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")

from simulator.generator import OrgConfig, generate_org  # noqa: E402
from simulator.model import Org  # noqa: E402
from simulator.server import Simulator  # noqa: E402

# Small enough to load in seconds, large enough to page (more than 100 rows in the big lists).
SMALL = OrgConfig(items_per_project=25, bulk_close_size=52, days=120)


@pytest.fixture(scope="session")
def small_org() -> Org:
    return generate_org(SMALL)


@pytest.fixture
def simulator(small_org: Org) -> Iterator[Simulator]:
    """A fresh server per test, so faults, the clock and request counts never leak between tests."""
    with Simulator(small_org) as sim:
        yield sim


@pytest.fixture(scope="session")
def built_warehouse(small_org: Org, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small organisation loaded by the real sources and built by dbt, once per session
    (as of the organisation's last moment, so ages and open intervals are reproducible)."""
    from dbt_helpers import dbt, load_all_sources

    directory = tmp_path_factory.mktemp("built")
    path = directory / "warehouse.duckdb"
    with Simulator(small_org) as simulator:
        load_all_sources(simulator, small_org, path)
    dbt(path, directory, "build", variables={"as_of": f"{small_org.end:%Y-%m-%d %H:%M:%S}"})
    return path


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A DuckDB path of the test's own; dlt state lives beside it."""
    path = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("STREAMGAUGE_DUCKDB", str(path))
    return path


def assert_never_leaked(secrets: list[str], said: list[str], directory: Path) -> None:
    """None of `secrets` appears in what was said (logs, output, errors) or in any file under `directory`."""
    text = "\n".join(said)
    files = [file.read_bytes() for file in directory.rglob("*") if file.is_file()]
    for secret in secrets:
        assert secret not in text
        assert not any(secret.encode() in content for content in files)
