"""The serving copy, opened read-only as a BI tool opens it: described, no roll-up traps, complete periods.

docs/serving.md is the contract checked here; its example queries are run against the copy too.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from orchestration.serving import publish

DOCS = Path(__file__).resolve().parents[1] / "docs" / "serving.md"
# Counts that add up over teams and repositories, except these: distinct days are shared between
# repositories, and an incident that belongs to no deploying repository counts only organisation-wide.
NOT_ADDITIVE_OVER_REPOSITORIES = {"deploy_days", "incidents_resolved"}


@pytest.fixture(scope="module")
def serving(built_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    directory = tmp_path_factory.mktemp("serving")
    # A copy of the warehouse under the same name (its views name their catalog by it): this
    # process's dbt may still hold the original open, which DuckDB lets nobody attach again.
    warehouse = directory / built_warehouse.name
    for file in (built_warehouse, built_warehouse.with_name(built_warehouse.name + ".wal")):
        if file.exists():  # what was not checkpointed yet is in the write-ahead log
            shutil.copyfile(file, directory / file.name)
    path = directory / "serving.duckdb"
    publish(warehouse, path, run_id="test-run")
    with duckdb.connect(str(path), read_only=True) as db:
        yield db


def columns(db: duckdb.DuckDBPyConnection, schema: str) -> dict[str, dict[str, tuple[str, str | None]]]:
    """table → column → (type, comment), for one schema of the copy."""
    found: dict[str, dict[str, tuple[str, str | None]]] = {}
    for table, column, kind, comment in db.execute(
        "select table_name, column_name, data_type, comment from duckdb_columns()"
        " where schema_name = ? order by table_name, column_index",
        [schema],
    ).fetchall():
        found.setdefault(table, {})[column] = (kind, comment)
    return found


def test_every_column_is_described(serving: duckdb.DuckDBPyConnection) -> None:
    bare = [
        f"{schema}.{table}.{column}"
        for schema in ("core", "marts", "seeds")
        for table, table_columns in columns(serving, schema).items()
        for column, (_, comment) in table_columns.items()
        if not (comment or "").strip()
    ]
    assert not bare


def test_every_mart_says_when_now_is_and_which_periods_are_complete(serving: duckdb.DuckDBPyConnection) -> None:
    marts = columns(serving, "marts")
    assert [table for table, table_columns in marts.items() if "as_of" not in table_columns] == []
    periods = [table for table, table_columns in marts.items() if "period_start" in table_columns]
    assert len(periods) >= 10
    assert [table for table in periods if "is_complete" not in marts[table]] == []
    published = serving.execute("select run_id, as_of from main.published").fetchall()
    as_of = serving.execute("select max(as_of) from marts.flow_daily").fetchone()[0]
    assert published == [("test-run", as_of)]


def test_every_team_grained_mart_names_the_team(serving: duckdb.DuckDBPyConnection) -> None:
    marts = columns(serving, "marts")
    assert [table for table in marts if not table.endswith("_org") and "team" not in marts[table]] == []
    for table, table_columns in marts.items():
        for dimension in ("team", "repository", "source_system"):
            if dimension in table_columns:
                rows = serving.execute(f"select count(*) from marts.{table} where {dimension} = '(all)'").fetchone()
                assert rows == (0,), f"{table}.{dimension} holds a total row"


def test_summing_a_detail_mart_gives_the_organisations_figure(serving: duckdb.DuckDBPyConnection) -> None:
    marts = columns(serving, "marts")
    pairs = [
        (table[: -len("_org")], table) for table in marts if table.endswith("_org") and "period_start" in marts[table]
    ]
    assert len(pairs) == 5
    for detail, organisation in pairs:
        additive = [
            column
            for column, (kind, _) in marts[organisation].items()
            if kind == "INTEGER" and column in marts[detail] and column not in NOT_ADDITIVE_OVER_REPOSITORIES
        ]
        assert additive, organisation
        sums = ", ".join(f"sum({column})" for column in additive)
        listed = ", ".join(additive)
        differ = serving.execute(
            f"""
            select count(*) from (
                (select period_start, {sums} from marts.{detail} group by period_start
                 except select period_start, {listed} from marts.{organisation})
                union all
                (select period_start, {listed} from marts.{organisation}
                 except select period_start, {sums} from marts.{detail} group by period_start)
            )
            """
        ).fetchone()[0]
        assert differ == 0, f"{detail} does not sum to {organisation} in {additive}"


def test_each_source_says_when_it_last_loaded(serving: duckdb.DuckDBPyConnection) -> None:
    rows = serving.execute(
        "select source, last_loaded_at is not null, last_load_rows > 0, rows >= last_load_rows"
        " from main.source_freshness order by source"
    ).fetchall()
    assert rows == [(source, True, True, True) for source in ("github", "gitlab", "jenkins", "jira", "pagerduty")]


def test_the_docs_queries_run_on_the_copy(serving: duckdb.DuckDBPyConnection) -> None:
    queries = re.findall(r"```sql\n(.*?)```", DOCS.read_text(), flags=re.DOTALL)
    assert len(queries) >= 6
    answered = [
        serving.execute(query.replace("'payments'", "(select min(team) from marts.flow_cfd_daily)")).fetchall()
        for query in queries
    ]
    assert sum(1 for rows in answered if rows) >= len(queries) - 1  # the small organisation may have no item at risk
