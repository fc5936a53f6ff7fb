"""Shared fixtures: the simulated organisation, its server, an isolated warehouse per test, and one refresh
for the session."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import dagster as dg
import duckdb
import pytest

os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")

from orchestration.definitions import build_definitions  # noqa: E402
from orchestration.defs.ingestion import RETRY_SECONDS_ENV  # noqa: E402
from orchestration.refresh import Refresh, refresh  # noqa: E402
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


@pytest.fixture(scope="module")
def org() -> Org:
    """The simulated APIs' tests (tests/test_simulator_*.py): an organisation small enough to check by hand."""
    return generate_org(OrgConfig(items_per_project=20))


@pytest.fixture(scope="module")
def sim(org: Org) -> Iterator[Simulator]:
    """One server per test module of the simulated APIs."""
    with Simulator(org) as running:
        yield running


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


@dataclass
class Refreshed:
    root: Path  # warehouse.duckdb, its .dlt_pipelines/ and serving/serving.duckdb
    defs: dg.Definitions
    outcome: Refresh


@pytest.fixture(scope="session")
def refreshed(
    session_simulator: Simulator, small_org: Org, dbt_target: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Refreshed]:
    """One refresh in this process, of every source from the session's server, as of the organisation's
    end; the environment is restored after it."""
    root = tmp_path_factory.mktemp("refresh")
    with dg.DagsterInstance.ephemeral() as instance:
        with pytest.MonkeyPatch.context() as patch:
            configure(patch, session_simulator, root, as_of=small_org.end)
            defs = build_definitions()
            outcome = refresh(defs, instance)
        yield Refreshed(root, defs, outcome)


@pytest.fixture(scope="session")
def dbt_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The tests' own directory for the manifest the Dagster definitions read, apart from anyone's
    dbt runs in dbt_project/target: parsed once, by the first test that builds the definitions."""
    target = tmp_path_factory.mktemp("dbt_target")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STREAMGAUGE_DBT_TARGET_PATH", str(target))
        yield target


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A DuckDB path of the test's own; dlt state lives beside it."""
    path = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv(DUCKDB_PATH_ENV, str(path))
    return path


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


def configure(
    monkeypatch: pytest.MonkeyPatch,
    sim: Simulator,
    root: Path,
    only: set[str] | None = None,
    as_of: datetime | None = None,
) -> None:
    """Point the sources (all, or `only` these) at the simulator and the warehouse and serving copy into `root`;
    `as_of` pins dbt's "now"."""
    settings = {}
    for source in only or ("github", "jira", "gitlab", "pagerduty", "jenkins"):
        settings |= simulated_settings(sim, source, retry_backoff_seconds=0.01)
    configure_sources(monkeypatch, settings, root / "warehouse.duckdb")
    monkeypatch.setenv("STREAMGAUGE_SERVING_DUCKDB", str(root / "serving" / "serving.duckdb"))
    if as_of:
        monkeypatch.setenv("STREAMGAUGE_AS_OF", f"{as_of:%Y-%m-%d %H:%M:%S}")


def published_run(serving: Path) -> str:
    """The id of the Dagster run that published the serving copy at `serving`."""
    with duckdb.connect(str(serving), read_only=True) as db:
        return db.execute("select run_id from main.published").fetchone()[0]


def load_source(sim: Simulator, source: str, warehouse: Path, **settings: object) -> SourceRun:
    """Load one source the way the nightly job does, into `warehouse`, configured by `simulated_settings`
    alone: no other source is."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        configure_sources(monkeypatch, simulated_settings(sim, source, **settings), warehouse)
        (run,) = load_sources()
    return run
