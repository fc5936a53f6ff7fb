"""The same organisation on Apache Spark: loaded by the real sources through dlt's filesystem
destination as parquet, named in a local Spark's catalog, built by dbt-spark in session mode,
checked, and published by the nightly job as views over tonight's copies, with every core, mart
and seed table identical, row for row, to the DuckDB serving copy of the session's refresh.

Spark runs here with its files in a temporary directory. `make spark-test` runs this module;
elsewhere it is skipped, so `make test` stays fast.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import dagster as dg
import pytest
from conftest import Refreshed, configure
from engine_tables import Tables, comparable_rows, differences, serving_tables

from orchestration import spark
from orchestration.definitions import build_definitions
from orchestration.refresh import Refresh, refresh
from orchestration.serving import PUBLISHED_SCHEMAS
from simulator.model import Org
from simulator.server import Simulator

pytestmark = pytest.mark.skipif(os.environ.get("STREAMGAUGE_SPARK_TEST") != "1", reason="run by `make spark-test`")


@pytest.fixture(scope="module")
def on_spark(
    refreshed: Refreshed, session_simulator: Simulator, small_org: Org, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Refresh]:
    """One nightly refresh of every source into a fresh local Spark, as of the organisation's end
    (after the session's refresh into DuckDB, which runs outside this fixture's settings)."""
    root = tmp_path_factory.mktemp("spark")
    with dg.DagsterInstance.ephemeral() as instance, pytest.MonkeyPatch.context() as patch:
        configure(patch, session_simulator, root, as_of=small_org.end)
        patch.setenv("STREAMGAUGE_WAREHOUSE", "spark")
        patch.setenv(spark.SPARK_DIR_ENV, str(root / "spark"))
        patch.setenv("STREAMGAUGE_DBT_TARGET_PATH", str(root / "dbt_target"))
        yield refresh(build_definitions(), instance)


def _spark_tables() -> Tables:
    tables = {}
    with spark.session(read_only=True) as db:
        for schema in PUBLISHED_SCHEMAS:
            for row in db.execute(f'show tables in "{schema}"').fetchall():
                result = db.execute(f'select * from "{schema}"."{row[1]}"')
                columns = [d[0] for d in result.description]
                tables[f"{schema}.{row[1]}"] = (columns, comparable_rows(result.fetchall(), columns))
    return tables


def test_the_nightly_job_loads_builds_checks_and_publishes_on_spark(on_spark: Refresh) -> None:
    outcome = on_spark
    assert not outcome.failures, outcome.failures
    assert all(run.ok for run in outcome.sources), outcome.sources
    assert outcome.published
    with spark.session(read_only=True) as db:
        assert (
            db.execute("select count(*) from main.quality_checks where severity = 'ERROR' and not passed").fetchone()[0]
            == 0
        )
        # every published name is a view of tonight's copy
        published = db.execute('show tables in "marts"').fetchall()
        assert published and db.relation_exists("marts", "flow_weekly")


def test_every_published_table_is_duckdbs_row_for_row(on_spark: Refresh, refreshed: Refreshed) -> None:
    assert refreshed.outcome.published
    duckdb_tables = serving_tables(refreshed.root / "serving" / "serving.duckdb")
    spark_tables = _spark_tables()
    assert sorted(spark_tables) == sorted(duckdb_tables)
    assert len(duckdb_tables) > 40 and any(name == "marts.flow_forecast" for name in duckdb_tables)
    differing = differences(duckdb_tables, spark_tables, "Spark")
    assert not differing, "\n".join(differing)
