"""The canonical schema built by dbt over data the real sources loaded from the simulator.

The dbt build itself runs every data test and unit test of the project; these tests check what
the build produced against the generated organisation, and pin metrics.md's worked example from
raw rows to core tables.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from conftest import SMALL, load_source
from dbt_helpers import dbt, invoke_dbt, load_all_sources

from benchmarks.compare import compare, copy_warehouse
from orchestration.defs.transform import NIGHTLY_BUILD
from simulator.generator import generate_org
from simulator.model import CLOSED, REOPENED, STATUS, Org
from simulator.server import Simulator


def query(path: Path, sql: str) -> list[tuple]:
    # Not read-only: dbt, run in this process, may still hold the file, and DuckDB shares an open
    # database only with connections of the same configuration.
    with duckdb.connect(str(path)) as db:
        return db.execute(sql).fetchall()


def test_every_work_item_of_every_source_arrives(built_warehouse: Path, small_org: Org) -> None:
    expected = Counter(i.source for i in small_org.work_items)
    counts = query(built_warehouse, "select source_system, count(*) from core.work_items group by 1")
    assert dict(counts) == dict(expected)


def test_done_and_canceled_match_the_organisation(built_warehouse: Path, small_org: Org) -> None:
    canceled_statuses = {"Won't Do", "Cancelled"}
    truth = {}
    for item in small_org.work_items:
        if item.source == "jira":
            done = small_org.jira_statuses[item.status] == "done" and item.status not in canceled_statuses
            canceled = item.status in canceled_statuses
        else:
            canceled_label = any(label.endswith(("canceled", "won't do")) for label in item.labels)
            canceled = not item.is_open and (item.state_reason == "not_planned" or canceled_label)
            done = not item.is_open and not canceled
        truth[(item.source, item.title, item.created_at.replace(tzinfo=None))] = (done, canceled)
    rows = query(built_warehouse, "select source_system, title, created_at, is_done, is_canceled from core.work_items")
    assert {(s, t, c): (d, x) for s, t, c, d, x in rows} == truth


def test_reopens_are_counted_once_each(built_warehouse: Path, small_org: Org) -> None:
    expected = 0
    for item in small_org.work_items:
        if item.source == "jira":
            out_of_done = [e for e in item.events if e.kind == STATUS and e.from_value in ("Done", "Closed")]
            expected += len(out_of_done)
        else:
            expected += sum(e.kind == REOPENED for e in item.events)
    assert query(built_warehouse, "select sum(reopen_count) from core.work_items")[0][0] == expected


def test_the_bulk_close_is_flagged_and_nothing_else(built_warehouse: Path) -> None:
    bulk = query(built_warehouse, "select count(*) from core.work_items where completed_in_bulk")[0][0]
    assert bulk == SMALL.bulk_close_size


def test_a_bulk_close_by_an_account_deleted_since_is_still_a_bulk_close(
    built_warehouse: Path, small_org: Org, tmp_path: Path
) -> None:
    """The APIs send no author for a deleted account: once the automation that closed the stale
    items is deleted, its transitions count as one unknown actor's (docs/metrics.md), and the
    clean-up stays out of the flow marts."""
    path = copy_warehouse(built_warehouse, tmp_path)
    metrics = "select count(*) from marts.flow_item_metrics"
    before = query(path, metrics)
    with duckdb.connect(str(path)) as db:
        db.execute(
            "update raw_jira.issue_changelog set author_name = null, author_account_id = null "
            "where author_name = (select any_value(actor) from core.work_item_transitions where is_bulk)"
        )
    rebuilt = (
        "stg_jira__issue_changelog int_status_transitions_unioned int_transitions_classified "
        "int_work_items_enriched flow_item_metrics"
    )
    dbt(
        path,
        tmp_path,
        "run",
        "--full-refresh",
        "--select",
        rebuilt,
        variables={"as_of": f"{small_org.end:%Y-%m-%d %H:%M:%S}"},
    )
    assert query(path, "select count(*) from core.work_item_transitions where is_bulk and actor is null") == [
        (SMALL.bulk_close_size,)
    ]
    assert query(path, "select count(*) from core.work_items where completed_in_bulk") == [(SMALL.bulk_close_size,)]
    assert query(path, metrics) == before


def test_every_started_item_has_a_start_no_later_than_its_completion(built_warehouse: Path) -> None:
    rows = query(
        built_warehouse,
        """
        select count(*) filter (where started_at is null and is_done),
               count(*) filter (where completed_at < started_at),
               count(*) filter (where is_done and completed_at is null)
        from core.work_items
        """,
    )
    assert rows == [(0, 0, 0)]


def test_closed_github_and_gitlab_items_end_in_a_closing_transition(built_warehouse: Path, small_org: Org) -> None:
    closed = [i for i in small_org.work_items if i.source != "jira" and not i.is_open]
    assert all(any(e.kind == CLOSED for e in i.events) for i in closed)
    finished = query(
        built_warehouse,
        "select count(*) from core.work_items "
        "where source_system <> 'jira' and current_stage_category in ('done', 'canceled')",
    )
    assert finished[0][0] == len(closed)


def test_nothing_is_left_unmapped_with_the_shipped_seeds(built_warehouse: Path) -> None:
    sql = "select count(*) from intermediate.int_status_stage_mapping where stage = 'unmapped'"
    unmapped = query(built_warehouse, sql)
    assert unmapped == [(0,)]


def test_a_key_repeated_or_null_fails_its_primary_key_test(built_warehouse: Path, tmp_path: Path) -> None:
    """`primary_key` stands for `unique` and `not_null` together (tests/generic/keys.sql): a repeated
    key and a null key are a failing row each, on a column, on a composite key and on a raw table."""
    path = copy_warehouse(built_warehouse, tmp_path)
    with duckdb.connect(str(path)) as db:
        for table in ("marts.value_stream_summary", "marts.predictability_monthly", "raw_jira.issues"):
            db.execute(f"insert into {table} select * from {table} limit 1")
        for table in ("marts.value_stream_summary", "marts.predictability_monthly"):  # dlt's key columns are not null
            db.execute(f"insert into {table} select * replace (null as team) from {table} limit 1")
    selected = "test_name:primary_key,value_stream_summary test_name:primary_key,predictability_monthly"
    checked = invoke_dbt(
        path, tmp_path, "test", "--select", *selected.split(), "test_name:primary_key_when_loaded,source:jira.issues"
    )
    assert checked.result is not None, checked.exception
    tests = [r for r in checked.result if r.node.resource_type == "test"]  # not the on-run-start hook
    failures = {r.node.attached_node or r.node.depends_on.nodes[0]: (str(r.status), r.failures) for r in tests}
    assert {node.split(".")[-1]: outcome for node, outcome in failures.items()} == {
        "value_stream_summary": ("fail", 2),
        "predictability_monthly": ("fail", 2),
        "issues": ("fail", 1),
    }


def test_a_view_is_replaced_in_place_and_takes_the_place_of_a_table(built_warehouse: Path, tmp_path: Path) -> None:
    """DuckDB's views are replaced in one statement (macros/duckdb_view.sql): a view of a warehouse
    built before, and a table left where a view now belongs, both end as the view, with its rows."""
    path = copy_warehouse(built_warehouse, tmp_path)
    rows = "select * from staging.{} order by all"
    with duckdb.connect(str(path)) as db:
        before = {
            name: db.execute(rows.format(name)).fetchall() for name in ("stg_jira__statuses", "stg_github__issues")
        }
        db.execute("create table staging.kept as select * from staging.stg_jira__statuses")
        db.execute("drop view staging.stg_jira__statuses")
        db.execute("alter table staging.kept rename to stg_jira__statuses")
    dbt(path, tmp_path, "run", "--select", *before)
    with duckdb.connect(str(path)) as db:
        views = "select view_name from duckdb_views() where schema_name = 'staging'"
        assert set(before) <= {name for (name,) in db.execute(views).fetchall()}
        assert {name: db.execute(rows.format(name)).fetchall() for name in before} == before
        leftovers = "select table_name from information_schema.tables where contains(table_name, '__dbt_')"
        assert db.execute(leftovers).fetchall() == []
    run = tmp_path / "target" / "run" / "streamgauge" / "models" / "staging"
    for name in before:  # in place, not under a temporary name renamed in
        assert "create or replace view" in next(run.rglob(f"{name}.sql")).read_text()


def test_dbt_docs_generate(built_warehouse: Path, tmp_path: Path) -> None:
    dbt(built_warehouse, tmp_path, "docs", "generate")
    assert (tmp_path / "target" / "catalog.json").exists()


JIRA_RAW_TABLES = """
create schema raw_jira;
create table raw_jira.issues (
    id varchar, key varchar, project_key varchar, summary varchar, issue_type varchar, status_name varchar,
    status_category_key varchar, created timestamptz, updated timestamptz, url varchar, flagged boolean,
    _dlt_id varchar, _dlt_load_id varchar
);
create table raw_jira.issue_changelog (
    history_id varchar, item_index bigint, issue_id varchar, issue_key varchar, created timestamptz,
    author_name varchar, field varchar, from_string varchar, to_string varchar, _dlt_load_id varchar
);
"""

WORKED_EXAMPLE = f"""{JIRA_RAW_TABLES}
insert into raw_jira.issues values
    ('1', 'ABC-1', 'ABC', 'Worked example', 'Story', 'Done', 'done', '2026-06-01 14:30:00+05:30',
     '2026-06-03 17:30:00+05:30', 'https://acme.atlassian.net/browse/ABC-1', false, 'd1', '1'),
    ('2', 'ABC-2', 'ABC', 'Reopened example', 'Story', 'Done', 'done', '2026-06-01 11:00:00+02:00',
     '2026-06-04 17:00:00+02:00', 'https://acme.atlassian.net/browse/ABC-2', false, 'd2', '1');
-- ABC-1 in India time (+05:30), ABC-2 in Berlin summer time (+02:00): the same UTC instants as metrics.md
insert into raw_jira.issue_changelog values
    ('10', 0, '1', 'ABC-1', '2026-06-01 15:30:00+05:30', 'ann', 'status', 'To Do', 'In Progress', '1'),
    ('11', 0, '1', 'ABC-1', '2026-06-02 15:30:00+05:30', 'ann', 'status', 'In Progress', 'In Review', '1'),
    ('12', 0, '1', 'ABC-1', '2026-06-02 17:30:00+05:30', 'ann', 'Flagged', null, 'Impediment', '1'),
    ('13', 0, '1', 'ABC-1', '2026-06-02 19:30:00+05:30', 'ann', 'Flagged', 'Impediment', null, '1'),
    ('14', 0, '1', 'ABC-1', '2026-06-02 21:30:00+05:30', 'ann', 'status', 'In Review', 'In Progress', '1'),
    ('15', 0, '1', 'ABC-1', '2026-06-03 15:30:00+05:30', 'ann', 'status', 'In Progress', 'In Review', '1'),
    ('16', 0, '1', 'ABC-1', '2026-06-03 17:30:00+05:30', 'ann', 'status', 'In Review', 'Done', '1'),
    ('20', 0, '2', 'ABC-2', '2026-06-01 14:00:00+02:00', 'bob', 'status', 'To Do', 'In Progress', '1'),
    ('21', 0, '2', 'ABC-2', '2026-06-02 14:00:00+02:00', 'bob', 'status', 'In Progress', 'Done', '1'),
    ('22', 0, '2', 'ABC-2', '2026-06-04 11:00:00+02:00', 'bob', 'status', 'Done', 'In Progress', '1'),
    ('23', 0, '2', 'ABC-2', '2026-06-04 17:00:00+02:00', 'bob', 'status', 'In Progress', 'Done', '1');
"""


def test_worked_example_from_raw_rows_to_core(tmp_path: Path) -> None:
    """metrics.md's ABC-1 and ABC-2, entered as raw Jira rows with real offsets, built by dbt."""
    path = tmp_path / "worked.duckdb"
    with duckdb.connect(str(path)) as db:
        db.execute(WORKED_EXAMPLE)
    selection = ["--select", "+flow_item_metrics", "--indirect-selection", "cautious"]
    dbt(path, tmp_path, "build", *selection, variables={"as_of": "2026-06-05 00:00:00"})
    items = query(
        path,
        """
        select item_key, created_at, started_at, first_completed_at, completed_at, reopen_count, rework_count
        from core.work_items order by item_key
        """,
    )
    assert [tuple(str(v) for v in row) for row in items] == [
        ("ABC-1", "2026-06-01 09:00:00", "2026-06-01 10:00:00", "2026-06-03 12:00:00", "2026-06-03 12:00:00", "0", "1"),
        ("ABC-2", "2026-06-01 09:00:00", "2026-06-01 12:00:00", "2026-06-02 12:00:00", "2026-06-04 15:00:00", "1", "1"),
    ]
    hours = query(
        path,
        """
        select i.item_key, s.stage, sum(s.duration_hours)
        from core.work_item_stage_intervals s join core.work_items i using (work_item_id)
        where not s.is_current group by all order by 1, 2
        """,
    )
    assert hours == [
        ("ABC-1", "backlog", 1.0),
        ("ABC-1", "in_progress", 42.0),
        ("ABC-1", "review", 8.0),
        ("ABC-2", "backlog", 3.0),
        ("ABC-2", "done", 45.0),
        ("ABC-2", "in_progress", 30.0),
    ]
    measures = query(
        path,
        """
        select item_key, lead_time_hours, cycle_time_hours, cycle_time_days, active_hours, wait_hours,
               blocked_hours, flow_efficiency, rework_count, reopen_count
        from marts.flow_item_metrics order by item_key
        """,
    )
    assert measures == [
        ("ABC-1", 51.0, 50.0, 3, 42.0, 8.0, 2.0, 0.84, 1, 0),
        ("ABC-2", 78.0, 75.0, 4, 30.0, 45.0, 0.0, 0.4, 1, 1),
    ]
    blocked = query(
        path, "select blocked_from, blocked_to, duration_hours, reasons from core.work_item_blocked_intervals"
    )
    assert [(str(a), str(b), h, r) for a, b, h, r in blocked] == [
        ("2026-06-02 12:00:00", "2026-06-02 14:00:00", 2.0, "flagged")
    ]


def test_a_label_removed_since_the_last_build_is_gone_after_an_incremental_one(tmp_path: Path) -> None:
    """Jira keeps no label history: ABC-1's only label, `blocked`, counts from creation. When a
    later load finds it gone, the incremental build drops it, although the item now has no label rows."""
    path = tmp_path / "labels.duckdb"
    with duckdb.connect(str(path)) as db:
        db.execute(WORKED_EXAMPLE)
        db.execute("create table raw_jira.issues__labels (value varchar, _dlt_parent_id varchar, _dlt_id varchar)")
        db.execute("insert into raw_jira.issues__labels values ('blocked', 'd1', 'l1')")
    selection = ["--select", "+work_item_blocked_intervals", "--indirect-selection", "cautious"]
    as_of = {"as_of": "2026-06-05 00:00:00"}
    blocked_by_label = """
        select count(*) from core.work_item_blocked_intervals
        where work_item_id = 'jira:acme.atlassian.net:1' and reasons like '%blocked_label%'
    """
    dbt(path, tmp_path, "build", *selection, variables=as_of)
    assert query(path, blocked_by_label) == [(1,)]
    with duckdb.connect(str(path)) as db:  # the next load: ABC-1 again, without its label
        db.execute("delete from raw_jira.issues__labels")
        db.execute("update raw_jira.issues set _dlt_load_id = '2' where key = 'ABC-1'")
    dbt(path, tmp_path, "build", *selection, variables=as_of)
    assert query(path, "select count(*) from intermediate.int_label_intervals_computed") == [(0,)]
    assert query(path, blocked_by_label) == [(0,)]


def test_a_nights_tests_of_the_chain_read_the_items_it_rewrote_and_the_weekly_ones_every_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A later load brings ABC-2 again: the incremental build rewrites ABC-2 alone (rebuilt_at).
    A defect left in ABC-1's rows, which no night rewrote, passes the tests as a night runs them
    (STREAMGAUGE_DATA_TESTS=rewritten, macros/rewritten_items.sql) and fails them over every row,
    the default; the same defect in ABC-2 fails both."""
    path = tmp_path / "rewritten.duckdb"
    with duckdb.connect(str(path)) as db:
        db.execute(WORKED_EXAMPLE)
    selection = ["--select", "+work_items", "+work_item_stage_intervals", "+work_item_transitions"]
    as_of = {"as_of": "2026-06-05 00:00:00"}
    monkeypatch.setenv("STREAMGAUGE_DATA_TESTS", "rewritten")
    dbt(path, tmp_path, "build", *selection, "--indirect-selection", "cautious", variables=as_of)
    with duckdb.connect(str(path)) as db:
        db.execute("update raw_jira.issues set _dlt_load_id = '2' where key = 'ABC-2'")
    dbt(path, tmp_path, "build", *selection, "--indirect-selection", "cautious", variables=as_of)
    newest = """
        select distinct items.item_key from intermediate.{0} as rows join core.work_items as items using (work_item_id)
        where rows.rebuilt_at = (select max(rebuilt_at) from intermediate.{0})
    """
    for table in ("int_work_items_enriched", "int_stage_intervals_computed", "int_transitions_classified"):
        assert query(path, newest.format(table)) == [("ABC-2",)], table

    def failing(data_tests: str) -> dict[str, int]:
        monkeypatch.setenv("STREAMGAUGE_DATA_TESTS", data_tests)
        tested = invoke_dbt(path, tmp_path, "test", "--select", "work_item_stage_intervals", "work_item_transitions")
        assert tested.result is not None, tested.exception
        return {r.node.name.split("_work_item")[0]: r.failures for r in tested.result if str(r.status) == "fail"}

    def break_item(key: str) -> None:  # one visit ends an hour late, one transition twice
        with duckdb.connect(str(path)) as db:
            item = f"(select work_item_id from intermediate.int_work_items_enriched where item_key = '{key}')"
            db.execute(f"""update intermediate.int_stage_intervals_computed set exited_at = exited_at + interval 1 hour
                           where work_item_id = {item} and interval_number = 1""")
            db.execute(f"""insert into intermediate.int_transitions_classified
                           select * from intermediate.int_transitions_classified where work_item_id = {item} limit 1""")

    assert failing("rewritten") == failing("every_row") == {}
    break_item("ABC-1")
    assert failing("rewritten") == {}
    assert failing("every_row") == {"intervals_tile_life": 1, "no_overlaps": 1, "primary_key": 1}
    break_item("ABC-2")
    assert failing("rewritten") == {"intervals_tile_life": 1, "no_overlaps": 1, "primary_key": 1}
    assert failing("every_row") == {"intervals_tile_life": 2, "no_overlaps": 2, "primary_key": 2}


GITLAB_LABELLED = """
create schema raw_gitlab;
create table raw_gitlab.issues (
    id bigint, iid bigint, project_path varchar, title varchar, state varchar, created_at timestamptz,
    updated_at timestamptz, web_url varchar, _dlt_id varchar, _dlt_load_id varchar
);
create table raw_gitlab.issue_label_events (
    id bigint, resource_id bigint, action varchar, label__name varchar, created_at timestamptz, _dlt_load_id varchar
);
insert into raw_gitlab.issues values
    (500, 7, 'acme/platform', 'Labelled example', 'opened', '2026-06-01 09:00:00+00', '2026-06-02 09:00:00+00',
     'https://gitlab.com/acme/platform/-/issues/7', 'g7', '1');
insert into raw_gitlab.issue_label_events values
    (1, 500, 'add', 'workflow::in progress', '2026-06-02 09:00:00+00', '1');
"""


def test_an_event_whose_label_was_deleted_since_leaves_the_label_events_of_an_incremental_build(
    tmp_path: Path,
) -> None:
    """A GitLab label deleted since the last night: the issue's next load brings its only label
    event again, without a name, which staging drops. The incremental build keeps no row of it,
    and the item is back in its open state, as in a full refresh."""
    path = tmp_path / "gitlab.duckdb"
    with duckdb.connect(str(path)) as db:
        db.execute(GITLAB_LABELLED)
    as_of = {"as_of": "2026-06-05 00:00:00"}
    events = "select count(*) from intermediate.int_label_events_unioned"
    status = "select current_status_raw from core.work_items"
    dbt(path, tmp_path, *CORE_BUILD, variables=as_of)
    assert (query(path, events), query(path, status)) == ([(1,)], [("workflow::in progress",)])
    with duckdb.connect(str(path)) as db:  # the next load, as dlt merges it: the event without its label
        db.execute("update raw_gitlab.issues set updated_at = '2026-06-03 09:00:00+00', _dlt_load_id = '2'")
        db.execute("update raw_gitlab.issue_label_events set label__name = null, _dlt_load_id = '2'")
    dbt(path, tmp_path, *CORE_BUILD, variables=as_of)
    assert (query(path, events), query(path, status)) == ([(0,)], [("opened",)])
    compared = {"intermediate.int_label_events_unioned", *(f"core.{table}" for table in CORE_TABLES)}
    tables = against_a_full_refresh(path, tmp_path, CORE_BUILD, as_of, ["intermediate", "core"])
    assert compared <= {name for name, *_ in tables}
    assert {name: differ for name, _, _, differ in tables if differ and name in compared} == {}


# After a rename, what an incremental build may hold that a full refresh does not: the items it
# recomputed for the rename, and the status mapping of the former name, which no item reads.
RENAMED_ONLY_IN_INTERMEDIATE = {"intermediate.int_work_items_renamed", "intermediate.int_status_stage_mapping"}

GITHUB_TWO_ISSUES = """
create schema raw_github;
create table raw_github.repositories (id bigint, full_name varchar, _dlt_load_id varchar);
create table raw_github.repository_names (full_name varchar, id bigint);
create table raw_github.issues (
    id bigint, repository varchar, number bigint, title varchar, state varchar, created_at timestamptz,
    updated_at timestamptz, _dlt_id varchar, _dlt_load_id varchar
);
insert into raw_github.repositories values (600000003, 'acme/web', '1');
insert into raw_github.issues values
    (31, 'acme/web', 1, 'Touched again', 'open', '2026-06-01 09:00:00+00', '2026-06-01 09:00:00+00', 'i1', '1'),
    (32, 'acme/web', 2, 'Left alone', 'open', '2026-06-01 10:00:00+00', '2026-06-01 10:00:00+00', 'i2', '1');
"""


def test_the_untouched_issues_of_a_repository_renamed_since_show_its_new_name_after_an_incremental_build(
    tmp_path: Path,
) -> None:
    """acme/web becomes acme/web-platform. The next load reads issue #1, changed since, under the new
    name; #2 is not read again and keeps its row under the old one. Both items show the new name,
    in int_work_items_unioned (int_work_items_deleted matches reconciliations by it) and in every
    core table, as in a full refresh: the chain recomputes #2 too (int_work_items_renamed). The
    intermediate status mapping keeps the former name's rows, which no item reads any more."""
    path = tmp_path / "github.duckdb"
    with duckdb.connect(str(path)) as db:
        db.execute(GITHUB_TWO_ISSUES)
    as_of = {"as_of": "2026-06-05 00:00:00"}
    keys = "select item_key from core.work_items order by 1"
    dbt(path, tmp_path, *CORE_BUILD, variables=as_of)
    assert query(path, keys) == [("acme/web#1",), ("acme/web#2",)]
    with duckdb.connect(str(path)) as db:  # the next load, renamed: the repository, its former name, issue #1
        db.execute("update raw_github.repositories set full_name = 'acme/web-platform', _dlt_load_id = '2'")
        db.execute("insert into raw_github.repository_names values ('acme/web', 600000003)")
        db.execute(
            "update raw_github.issues set repository = 'acme/web-platform', updated_at = '2026-06-03 09:00:00+00',"
            " _dlt_load_id = '2' where number = 1"
        )
    dbt(path, tmp_path, *CORE_BUILD, variables=as_of)
    assert query(path, keys) == [("acme/web-platform#1",), ("acme/web-platform#2",)]
    tables = against_a_full_refresh(path, tmp_path, CORE_BUILD, as_of, ["intermediate", "core"])
    assert {f"core.{table}" for table in CORE_TABLES} <= {name for name, *_ in tables}
    assert {name for name, _, _, differ in tables if differ} == RENAMED_ONLY_IN_INTERMEDIATE


GITHUB_EVENTS = """
create table raw_github.issue_events (
    id bigint, repository varchar, issue_id bigint, issue_number bigint, is_pull_request boolean, event varchar,
    label__name varchar, created_at timestamptz, _dlt_load_id varchar
);
insert into raw_github.issue_events values
    (901, 'acme/web', 31, 1, false, 'labeled', 'status:review', '2026-06-01 11:00:00+00', '1'),
    (902, 'acme/web', 32, 2, false, 'labeled', 'status:review', '2026-06-01 12:00:00+00', '1'),
    (903, 'acme/old-web', 32, 2, false, 'unlabeled', 'status:review', '2026-06-01 13:00:00+00', '1'),
    (904, 'acme/api', 41, 5, false, 'labeled', 'status:review', '2026-06-01 14:00:00+00', '1');
-- a repository no rename touches: its rows keep the label events' high-water mark where it was
insert into raw_github.repositories values (600000004, 'acme/api', '1');
insert into raw_github.issues values
    (41, 'acme/api', 5, 'Elsewhere', 'open', '2026-06-01 10:00:00+00', '2026-06-01 10:00:00+00', 'i5', '1');
"""


GITHUB_RENAMED_WITH_EVENT_901 = """
update raw_github.repositories set full_name = 'acme/web-platform', _dlt_load_id = '2' where id = 600000003;
insert into raw_github.repository_names values ('acme/web', 600000003), ('acme/old-web', 600000003);
update raw_github.issue_events set repository = 'acme/web-platform', _dlt_load_id = '2' where id = 901;
"""


@pytest.mark.parametrize("names_as_read_kept", [True, False], ids=["nightly", "upgraded"])
def test_the_events_of_a_renamed_repository_resolve_to_its_new_name_after_an_incremental_build(
    tmp_path: Path, names_as_read_kept: bool
) -> None:
    """stg_github__issue_events is kept per event. Night one: events 901 and 902 read under acme/web,
    903 under acme/old-web, a name no repository is known by. Night two's load renames acme/web to
    acme/web-platform, records acme/old-web as one of its former names, and reads 901 again
    under the new name. 902 and 903 are not read again, yet both now resolve to the repository and
    its new name, as in a full refresh, and so do the label events and every core table built from
    them. `upgraded`: the table was built by a version that kept no names as read; the build
    rebuilds it once and adds the column."""
    path = tmp_path / "github.duckdb"
    with duckdb.connect(str(path)) as db:
        db.execute(GITHUB_TWO_ISSUES + GITHUB_EVENTS)
    as_of = {"as_of": "2026-06-05 00:00:00"}
    events = "select event_id, repository, repository_id from staging.stg_github__issue_events order by 1"
    dbt(path, tmp_path, *CORE_BUILD, variables=as_of)
    api = (904, "acme/api", 600000004)
    assert query(path, events) == [(901, "acme/web", 600000003), (902, "acme/web", 600000003), (903, None, None), api]
    with duckdb.connect(str(path)) as db:
        if not names_as_read_kept:
            db.execute("alter table staging.stg_github__issue_events drop column repository_as_read")
        db.execute(GITHUB_RENAMED_WITH_EVENT_901)
    dbt(path, tmp_path, *CORE_BUILD, variables=as_of)
    renamed = ("acme/web-platform", 600000003)
    assert query(path, events) == [(901, *renamed), (902, *renamed), (903, *renamed), api]
    tables = against_a_full_refresh(path, tmp_path, CORE_BUILD, as_of, ["staging", "intermediate", "core"])
    assert {f"core.{table}" for table in CORE_TABLES} <= {name for name, *_ in tables}
    assert {name for name, _, _, differ in tables if differ} == RENAMED_ONLY_IN_INTERMEDIATE


@pytest.mark.parametrize(
    ("source", "table", "compared"),
    [
        ("jira", "core.work_item_handoffs", "core.work_item_handoffs"),
        ("github", "intermediate.int_label_events_unioned", "core.work_item_transitions"),  # a core table it feeds
        ("jira", "intermediate.int_flow_stage_visits_summed", "marts.flow_stage_time"),
    ],
)
def test_a_table_built_before_its_model_was_incremental_catches_up_in_one_nightly_build(
    small_org: Org, tmp_path: Path, source: str, table: str, compared: str
) -> None:
    """Upgrading from a version that rebuilt the model in full: its table has no _dlt_load_id, the
    incremental build's high-water mark. The next nightly build recomputes every item once, adds
    the column, and leaves what a full refresh builds; no --full-refresh is needed."""
    path = tmp_path / "warehouse.duckdb"
    as_of = {"as_of": f"{small_org.end:%Y-%m-%d %H:%M:%S}"}
    build = ("build", "--select", f"+{compared.split('.')[1]}", "--indirect-selection", "cautious")
    with Simulator(small_org) as simulator:
        simulator.set_clock(small_org.end - timedelta(days=10))
        assert load_source(simulator, source, path, retry_backoff_seconds=0.01).ok
        dbt(path, tmp_path, *build, variables=as_of)
        query(path, f"alter table {table} drop column _dlt_load_id")
        simulator.set_clock(small_org.end)
        assert load_source(simulator, source, path, retry_backoff_seconds=0.01).ok
    dbt(path, tmp_path, *build, variables=as_of)
    assert query(path, f"select count(*) > 0, count(_dlt_load_id) = count(*) from {table}") == [(True, True)]
    tables = against_a_full_refresh(path, tmp_path, build, as_of, ["core", "marts"])
    assert compared in {name for name, *_ in tables}
    assert {name: differ for name, _, _, differ in tables if differ} == {}


MOVED_NIGHT_ONE = f"""{JIRA_RAW_TABLES}
insert into raw_jira.issues values
    ('7', 'PAY-19', 'PAY', 'Moved example', 'Story', 'In Progress', 'indeterminate', '2026-06-01 09:00:00+00',
     '2026-06-02 09:00:00+00', 'https://acme.atlassian.net/browse/PAY-19', false, 'd7', '1');
insert into raw_jira.issue_changelog values
    ('70', 0, '7', 'PAY-19', '2026-06-02 09:00:00+00', 'ann', 'status', 'To Do', 'In Progress', '1');
"""
# The next night's load, merged as dlt merges on the primary keys: PAY-19 moved to MOB as MOB-3
# (Jira records the Key and project items), then went to MOB's "Peer Check", a status since
# deleted from MOB's workflow (no /status, no seed row: unmapped), and on to "Verify", also
# absent from /status and the seed, but an issue in it carries its category (indeterminate).
MOVED_NIGHT_TWO = """
update raw_jira.issues set key = 'MOB-3', project_key = 'MOB', status_name = 'Verify',
    updated = '2026-06-04 09:00:00+00', url = 'https://acme.atlassian.net/browse/MOB-3', _dlt_load_id = '2';
update raw_jira.issue_changelog set issue_key = 'MOB-3', _dlt_load_id = '2';
insert into raw_jira.issue_changelog values
    ('71', 0, '7', 'MOB-3', '2026-06-03 09:00:00+00', 'ann', 'Key', 'PAY-19', 'MOB-3', '2'),
    ('71', 1, '7', 'MOB-3', '2026-06-03 09:00:00+00', 'ann', 'project', 'Payments', 'Mobile', '2'),
    ('72', 0, '7', 'MOB-3', '2026-06-03 12:00:00+00', 'ann', 'status', 'In Progress', 'Peer Check', '2'),
    ('73', 0, '7', 'MOB-3', '2026-06-04 09:00:00+00', 'ann', 'status', 'Peer Check', 'Verify', '2');
"""


def test_an_issue_moved_to_another_project_stays_one_item_and_incremental_equals_full(tmp_path: Path) -> None:
    """Two nights: PAY-19 in progress, then moved to MOB as MOB-3 through a status seen only in its
    history. One work item, by the issue id, with the current key, project and team, the same after
    an incremental build as after a full refresh."""
    path = tmp_path / "moved.duckdb"
    with duckdb.connect(str(path)) as db:
        db.execute(MOVED_NIGHT_ONE)
    as_of = {"as_of": "2026-06-05 00:00:00"}
    dbt(path, tmp_path, *CORE_BUILD, variables=as_of)
    assert query(path, "select work_item_id, item_key, team from core.work_items") == [
        ("jira:acme.atlassian.net:7", "PAY-19", "payments")
    ]
    with duckdb.connect(str(path)) as db:
        db.execute(MOVED_NIGHT_TWO)
    dbt(path, tmp_path, *CORE_BUILD, variables=as_of)
    items = "select work_item_id, item_key, project_key, team, current_stage, rework_count from core.work_items"
    transitions = """
        select to_status_raw, to_stage, direction, is_rework from core.work_item_transitions order by transitioned_at
    """
    intervals = "select stage, status_raw, entered_at, exited_at from core.work_item_stage_intervals order by 3"
    incremental = {sql: query(path, sql) for sql in (items, transitions, intervals)}
    assert incremental[items] == [("jira:acme.atlassian.net:7", "MOB-3", "MOB", "mobile", "in_progress", 0)]
    # The Key and project items are no transitions; moves into and out of the unmapped status have no direction.
    assert incremental[transitions] == [
        ("In Progress", "in_progress", "forward", False),
        ("Peer Check", "unmapped", "unknown", False),
        ("Verify", "in_progress", "unknown", False),
    ]
    mapping = (
        "select status_raw, stage, mapping_method from intermediate.int_status_stage_mapping where project_key = 'MOB'"
    )
    assert sorted(query(path, mapping)) == [
        ("In Progress", "in_progress", "seed"),
        ("Peer Check", "unmapped", "unmapped"),
        ("To Do", "backlog", "seed"),
        ("Verify", "in_progress", "fallback"),
    ]
    dbt(path, tmp_path, *CORE_BUILD, "--full-refresh", variables=as_of)
    assert {sql: query(path, sql) for sql in (items, transitions, intervals)} == incremental


CORE_TABLES = ("work_items", "work_item_transitions", "work_item_stage_intervals", "work_item_blocked_intervals")
# Build only what the core tables need (seeds included); leave out tests of other models.
CORE_BUILD = ("build", "--select", " ".join(f"+{table}" for table in CORE_TABLES), "--indirect-selection", "cautious")


def against_a_full_refresh(path: Path, tmp_path: Path, build: tuple, as_of: dict, schemas: list[str]) -> list[tuple]:
    """Rebuild the warehouse at `path` with --full-refresh and compare each table of `schemas` with
    the build that was there (incremental): (table, rows before, rows after, rows that differ)."""
    incremental = copy_warehouse(path, tmp_path / "incremental")  # copies: dbt in this process holds the file
    dbt(path, tmp_path, *build, "--full-refresh", variables=as_of)
    return compare(incremental, copy_warehouse(path, tmp_path / "full"), schemas)


def assert_core_equals_a_full_refresh(path: Path, tmp_path: Path, as_of: dict) -> None:
    tables = against_a_full_refresh(path, tmp_path, CORE_BUILD, as_of, ["core"])
    assert {f"core.{table}" for table in CORE_TABLES} <= {name for name, *_ in tables}
    assert {name: differ for name, _, _, differ in tables if differ} == {}


def test_a_jira_issue_moved_between_two_nights_is_one_item_as_in_a_full_load(small_org: Org, tmp_path: Path) -> None:
    """The simulator moves a PAY issue to MOB between two nightly loads (Jira writes Key and project
    history items; the issue id stays). After the incremental build it is one work item with its new
    key, project and team, and every core row equals what a full refresh builds."""
    item = next(i for i in small_org.work_items if i.container == "PAY" and len(i.events) >= 4 and not i.moved_from)
    moved_at = item.events[len(item.events) // 2].at + timedelta(minutes=1)
    number = 1 + max(i.number for i in small_org.work_items if i.container == "MOB")
    moved = dataclasses.replace(item, container="MOB", number=number, moved_from=("PAY", item.number, moved_at))
    org = dataclasses.replace(small_org, work_items=[moved if i is item else i for i in small_org.work_items])
    path = tmp_path / "warehouse.duckdb"
    as_of = {"as_of": f"{org.end:%Y-%m-%d %H:%M:%S}"}
    work_item = f"select item_key, project_key, team from core.work_items where work_item_id like '%:{item.native_id}'"
    with Simulator(org) as simulator:
        simulator.set_clock(moved_at - timedelta(hours=1))
        assert load_source(simulator, "jira", path, retry_backoff_seconds=0.01).ok
        dbt(path, tmp_path, *CORE_BUILD, variables=as_of)
        assert query(path, work_item) == [(f"PAY-{item.number}", "PAY", "payments")]
        simulator.set_clock(org.end)
        assert load_source(simulator, "jira", path, retry_backoff_seconds=0.01).ok
    dbt(path, tmp_path, *CORE_BUILD, variables=as_of)
    assert query(path, work_item) == [(f"MOB-{number}", "MOB", "mobile")]
    jira_items = sum(1 for i in org.work_items if i.source == "jira")
    assert query(path, "select count(*) from core.work_items where source_system = 'jira'") == [(jira_items,)]
    moves = "select count(*) from raw_jira.issue_changelog where field in ('Key', 'project') and issue_id = "
    assert query(path, f"{moves}'{item.native_id}'") == [(2,)]
    assert_core_equals_a_full_refresh(path, tmp_path, as_of)


def test_incremental_build_equals_a_full_refresh_on_the_demo_data(tmp_path: Path) -> None:
    """Load the demo organisation as it was 20 days before its end, build, load the rest and
    build incrementally, as the nightly job does, each build measuring to its own night: every
    core and mart table equals, row for row, what a full refresh builds from the same data."""
    org = generate_org()
    path = tmp_path / "warehouse.duckdb"
    as_of = {"as_of": f"{org.end:%Y-%m-%d %H:%M:%S}"}
    first_night = org.end - timedelta(days=20)
    with Simulator(org) as simulator:
        simulator.set_clock(first_night)
        load_all_sources(simulator, path)
        dbt(path, tmp_path, *NIGHTLY_BUILD, variables={"as_of": f"{first_night:%Y-%m-%d %H:%M:%S}"})
        simulator.set_clock(org.end)
        load_all_sources(simulator, path)
    dbt(path, tmp_path, *NIGHTLY_BUILD, variables=as_of)
    tables = against_a_full_refresh(path, tmp_path, NIGHTLY_BUILD, as_of, ["core", "marts"])
    assert len(tables) > 40 and all(rows for _, rows, _, _ in tables)
    assert {name: differ for name, _, _, differ in tables if differ} == {}


def test_a_github_repository_renamed_between_two_nights_keeps_its_items_as_in_a_full_load(
    small_org: Org, tmp_path: Path
) -> None:
    """acme/web becomes acme/web-platform between two nightly loads: the rows loaded before carry
    the old name, those after the new one. Every item, pull request and run keeps its id (built
    from the repository id), shows the new name, and every core row equals a full refresh."""
    (web,) = (r for r in small_org.repositories if r.full_name == "acme/web")
    renamed_at = small_org.end - timedelta(days=30)
    path = tmp_path / "warehouse.duckdb"
    as_of = {"as_of": f"{small_org.end:%Y-%m-%d %H:%M:%S}"}
    items_of_web = "select work_item_id from core.work_items where item_key like 'acme/web%'"
    with Simulator(small_org) as simulator:
        simulator.set_clock(renamed_at)
        assert load_source(simulator, "github", path, retry_backoff_seconds=0.01).ok
        dbt(path, tmp_path, *CORE_BUILD, variables=as_of)
        ids_before = {row[0] for row in query(path, items_of_web)}
        simulator.rename_repository("acme/web", "acme/web-platform")
        simulator.set_clock(small_org.end)
        assert load_source(simulator, "github", path, retry_backoff_seconds=0.01).ok
    for table in ("issue_ids", "pull_request_commits"):  # keyed by name and number: rows under both names
        names = {row[0] for row in query(path, f"select distinct repository from raw_github.{table}")}
        assert names >= {"acme/web", "acme/web-platform"}, table
    dbt(path, tmp_path, *CORE_BUILD, variables=as_of)
    ids_after = {row[0] for row in query(path, items_of_web)}
    assert ids_before and ids_before <= ids_after, "the items of the first night keep their ids"
    assert all(i.startswith(f"github:{web.native_id}:issue:") for i in ids_after)
    web_items = sum(1 for i in small_org.work_items if i.container == "acme/web")
    assert len(ids_after) == web_items, "one item each, whichever name its rows were read under"
    keys = query(path, "select count(*) from core.work_items where item_key like 'acme/web#%'")
    assert keys == [(0,)], "item keys show the current name"
    assert_core_equals_a_full_refresh(path, tmp_path, as_of)


def test_a_gitlab_project_renamed_between_two_nights_keeps_its_items_as_in_a_full_load(
    small_org: Org, tmp_path: Path
) -> None:
    """acme/platform becomes acme/platform-core between two nightly loads; GitLab redirects the old
    path. Items are named by GitLab's global issue id, so every issue stays one item with the id
    it had, whichever path its rows were read under, and every core row equals a full refresh."""
    platform = [i for i in small_org.work_items if i.container == "acme/platform"]
    renamed_at = small_org.end - timedelta(days=30)
    path = tmp_path / "warehouse.duckdb"
    as_of = {"as_of": f"{small_org.end:%Y-%m-%d %H:%M:%S}"}
    gitlab_items = "select work_item_id from core.work_items where source_system = 'gitlab'"
    with Simulator(small_org) as simulator:
        simulator.set_clock(renamed_at)
        assert load_source(simulator, "gitlab", path, retry_backoff_seconds=0.01).ok
        dbt(path, tmp_path, *CORE_BUILD, variables=as_of)
        ids_before = {row[0] for row in query(path, gitlab_items)}
        simulator.rename_repository("acme/platform", "acme/platform-core")
        simulator.set_clock(small_org.end)
        assert load_source(simulator, "gitlab", path, retry_backoff_seconds=0.01).ok
    # the cursors follow the path, so the renamed project is read anew; assignee notes of the issues
    # whose assignees did not change since stay as read under the old path
    read_as = "select distinct project_path from raw_gitlab.issue_assignee_changes"
    paths = {row[0] for row in query(path, read_as)}
    assert paths >= {"acme/platform", "acme/platform-core"}, "rows read under both paths"
    dbt(path, tmp_path, *CORE_BUILD, variables=as_of)
    ids_after = {row[0] for row in query(path, gitlab_items)}
    assert ids_before and ids_before <= ids_after, "the items of the first night keep their ids"
    assert {i for i in ids_after if i.rsplit(":", 1)[-1] in {str(i.native_id) for i in platform}} == {
        f"gitlab:127.0.0.1:issue:{i.native_id}" for i in platform
    }, "one item per issue of the renamed project, named by its global id"
    assert len(ids_after) == sum(1 for i in small_org.work_items if i.source == "gitlab")
    assert_core_equals_a_full_refresh(path, tmp_path, as_of)
