"""Shared fixtures: the simulated organisation, its server, and an isolated warehouse per test."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")

from orchestration.defs.ingestion import RETRY_SECONDS_ENV  # noqa: E402
from orchestration.source_runs import SourceRun, load_sources  # noqa: E402
from orchestration.warehouse import DUCKDB_PATH_ENV  # noqa: E402
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
def session_simulator(small_org: Org) -> Iterator[Simulator]:
    """One server for the session's shared warehouses, so that the URLs in their rows match. A test
    that injects faults or moves its clock clears them and sets it back to the end when done."""
    with Simulator(small_org) as sim:
        yield sim


@pytest.fixture(scope="session")
def built_warehouse(small_org: Org, session_simulator: Simulator, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small organisation loaded by the real sources and built by dbt, once per session
    (as of the organisation's last moment, so ages and open intervals are reproducible)."""
    from dbt_helpers import dbt, load_all_sources

    directory = tmp_path_factory.mktemp("built")
    path = directory / "warehouse.duckdb"
    load_all_sources(session_simulator, path)
    dbt(path, directory, "build", variables={"as_of": f"{small_org.end:%Y-%m-%d %H:%M:%S}"})
    return path


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A DuckDB path of the test's own; dlt state lives beside it."""
    path = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv(DUCKDB_PATH_ENV, str(path))
    return path


def copy_warehouse(path: Path, directory: Path) -> Path:
    """A copy of the warehouse at `path` in `directory`, with its write-ahead log: dbt, run in this
    process, may still hold the original open, and a test that builds on a shared warehouse must not
    change it under the others."""
    for file in path.parent.glob(f"{path.name}*"):
        shutil.copy(file, directory)
    return directory / path.name


def assert_never_leaked(secrets: list[str], said: list[str], directory: Path) -> None:
    """None of `secrets` appears in what was said (logs, output, errors) or in any file under `directory`."""
    text = "\n".join(said)
    files = [file.read_bytes() for file in directory.rglob("*") if file.is_file()]
    for secret in secrets:
        assert secret not in text
        assert not any(secret.encode() in content for content in files)


def configure_sources(monkeypatch: pytest.MonkeyPatch, settings: Mapping[str, str | None], warehouse: Path) -> None:
    """Configure the sources through these environment variables alone (None leaves one unset), loading
    into `warehouse`; a source whose API kept failing is retried at once, not a minute later."""
    for name in [n for n in os.environ if n.startswith("SOURCES__")]:
        monkeypatch.delenv(name)
    for name, value in settings.items():
        if value is not None:
            monkeypatch.setenv(name, value)
    monkeypatch.setenv(DUCKDB_PATH_ENV, str(warehouse))
    monkeypatch.setenv(RETRY_SECONDS_ENV, "0")


def simulated_settings(sim: Simulator, source: str, **settings: object) -> dict[str, str | None]:
    """The settings that point `source` at `sim`, with `settings` on top (lists as JSON; None leaves one unset)."""
    prefix = f"SOURCES__{source.upper()}__"
    chosen: dict[str, str | None] = {k: v for k, v in sim.source_settings().items() if k.startswith(prefix)}
    for key, value in settings.items():
        chosen[prefix + key.upper()] = value if value is None or isinstance(value, str) else json.dumps(value)
    return chosen


def load_source(sim: Simulator, source: str, warehouse: Path, **settings: object) -> SourceRun:
    """Load one source the way the nightly job does, into `warehouse`, configured by `simulated_settings`
    alone: no other source is."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        configure_sources(monkeypatch, simulated_settings(sim, source, **settings), warehouse)
        (run,) = load_sources()
    return run
