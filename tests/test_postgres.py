"""The same organisation on PostgreSQL 15: loaded by the real sources through dlt's postgres
destination, built by dbt-postgres, checked, and published by the nightly job, with every core,
mart and seed table identical, row for row, to the DuckDB serving copy of the session's refresh.

A server of its own is started here on 127.0.0.1 (tests/postgres_server.py) and stopped after.
`make postgres-test` runs this module (it installs Debian's postgresql-15 first); elsewhere it is
skipped, so `make test` stays fast.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import dagster as dg
import psycopg2
import pytest
from conftest import Refreshed, configure
from engine_tables import Tables, comparable_rows, differences, serving_tables
from postgres_server import available, postgres_server

from orchestration.definitions import build_definitions
from orchestration.refresh import Refresh, refresh
from orchestration.serving import PUBLISHED_SCHEMAS
from simulator.model import Org
from simulator.server import Simulator

pytestmark = pytest.mark.skipif(
    os.environ.get("STREAMGAUGE_POSTGRES_TEST") != "1", reason="run by `make postgres-test`"
)


@pytest.fixture(scope="module")
def on_postgres(
    refreshed: Refreshed, session_simulator: Simulator, small_org: Org, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Refresh, str]]:
    """One nightly refresh of every source into a fresh PostgreSQL server, as of the organisation's end
    (after the session's refresh into DuckDB, which runs outside this fixture's settings)."""
    assert available(), "PostgreSQL 15 is not installed: `make postgres` installs Debian's postgresql-15"
    root = tmp_path_factory.mktemp("postgres")
    with postgres_server() as url, dg.DagsterInstance.ephemeral() as instance, pytest.MonkeyPatch.context() as patch:
        configure(patch, session_simulator, root, as_of=small_org.end)
        patch.setenv("STREAMGAUGE_WAREHOUSE", "postgres")
        patch.setenv("DESTINATION__POSTGRES__CREDENTIALS", url)
        patch.setenv("STREAMGAUGE_DBT_TARGET_PATH", str(root / "dbt_target"))
        yield refresh(build_definitions(), instance), url


def _postgres_tables(url: str) -> Tables:
    tables = {}
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "select table_schema, table_name from information_schema.tables where table_schema = any(%s) order by 1, 2",
            [list(PUBLISHED_SCHEMAS)],
        )
        for schema, table in cursor.fetchall():
            cursor.execute(f'select * from "{schema}"."{table}"')
            columns = [d[0] for d in cursor.description]
            tables[f"{schema}.{table}"] = (columns, comparable_rows(cursor.fetchall(), columns))
    return tables


def test_the_nightly_job_loads_builds_checks_and_publishes_on_postgres(on_postgres: tuple[Refresh, str]) -> None:
    outcome, url = on_postgres
    assert not outcome.failures, outcome.failures
    assert all(run.ok for run in outcome.sources), outcome.sources
    assert outcome.published
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("select count(*) from main.quality_checks where severity = 'ERROR' and not passed")
        assert cursor.fetchone()[0] == 0
        cursor.execute("select count(*) from main.source_freshness where last_load_rows > 0")
        assert cursor.fetchone()[0] == 5  # github, gitlab, jenkins, jira, pagerduty (no Linear team in this org)
        # the swap left no staged schema behind
        cursor.execute("select count(*) from information_schema.schemata where schema_name like '%\\_\\_next'")
        assert cursor.fetchone()[0] == 0


def test_every_published_table_is_duckdbs_row_for_row(on_postgres: tuple[Refresh, str], refreshed: Refreshed) -> None:
    _, url = on_postgres
    assert refreshed.outcome.published
    duckdb_tables = serving_tables(refreshed.root / "serving" / "serving.duckdb")
    postgres_tables = _postgres_tables(url)
    assert sorted(postgres_tables) == sorted(duckdb_tables)
    assert len(duckdb_tables) > 40 and any(name == "marts.flow_forecast" for name in duckdb_tables)
    differing = differences(duckdb_tables, postgres_tables, "PostgreSQL")
    assert not differing, "\n".join(differing)
