"""The Jira source against the simulator: complete, incremental, fault tolerant, zone-correct and discreet."""

from __future__ import annotations

import base64
import dataclasses
import logging
import math
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import duckdb
import pytest
from conftest import assert_never_leaked, load_source
from dlt.extract.exceptions import ResourceExtractionError

from ingestion.api_client import SourceError
from ingestion.jira import _search, _search_jql, _utc
from ingestion.pipeline import make_pipeline, user_message
from orchestration.source_runs import SourceRun
from simulator import jira_api
from simulator.model import ASSIGNED, FLAGGED, STATUS, UNFLAGGED, ItemEvent, Org, WorkItem
from simulator.server import MALFORMED, RATE_LIMIT, SERVER_ERROR, Fault, Simulator

PROJECTS = ["PAY", "MOB"]
SEARCH = r"jira:/rest/api/3/search/jql\?"
BULK = r"jira:/rest/api/3/changelog/bulkfetch"
# Per run whatever changed: the API user (time zone), each project, each project's first search
# page, statuses and status categories.
FIXED_REQUESTS = 1 + 2 * len(PROJECTS) + 2


def load_jira(sim: Simulator, path: Path, **settings: object) -> SourceRun:
    return load_source(sim, "jira", path, **{"projects": PROJECTS, "retry_backoff_seconds": 0.01, **settings})


def jira_items(org: Org, projects: list[str] = PROJECTS) -> list[WorkItem]:
    return [i for i in org.work_items if i.source == "jira" and i.container in projects]


def history_items(org: Org, item: WorkItem) -> int:
    """Changelog items the item's events imply: one per status, flag and assignee change, plus a
    resolution item whenever a status change sets, clears or alters the resolution, and two for a
    move to another project."""
    project = next(p for p in org.jira_projects if p.key == item.container)

    def resolution(status: str | None) -> str | None:
        if org.jira_statuses.get(status) != "done":
            return None
        return "Won't Do" if status == project.statuses.get("canceled") else "Done"

    current, count = resolution(item.initial_status), 0
    for event in sorted(item.events, key=lambda e: (e.at, e.id)):
        if event.kind in (STATUS, FLAGGED, UNFLAGGED, ASSIGNED):
            count += 1
        if event.kind == STATUS and resolution(event.to_value) != current:
            current = resolution(event.to_value)
            count += 1
    return count + (2 if item.moved_from else 0)  # a move writes its Key and project items


def table_counts(path: Path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as db:
        tables = db.execute(
            "select table_name from information_schema.tables where table_schema = 'raw_jira' "
            "and table_name not like '\\_dlt%' escape '\\'"
        ).fetchall()
        return {t: db.execute(f"select count(*) from raw_jira.{t}").fetchone()[0] for (t,) in tables}


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """The loaded rows without dlt's bookkeeping columns, in a stable order."""
    queries = {
        "issues": "select * exclude (_dlt_id, _dlt_load_id) from raw_jira.issues",
        "issue_changelog": "select * exclude (_dlt_id, _dlt_load_id) from raw_jira.issue_changelog",
        "issues__labels": "select i.key, l.value from raw_jira.issues__labels l "
        "join raw_jira.issues i on l._dlt_parent_id = i._dlt_id",
    }
    with duckdb.connect(str(path), read_only=True) as db:
        return {table: sorted(db.execute(sql).fetchall(), key=repr) for table, sql in queries.items()}


def cursors(path: Path) -> dict:
    state = make_pipeline("jira", path).state
    return state.get("sources", {}).get("jira", {}).get("resources", {}).get("changed_issues", {})


def assert_complete(path: Path, org: Org, projects: list[str] = PROJECTS) -> None:
    items = jira_items(org, projects)
    counts = table_counts(path)
    assert counts["issues"] == len(items)
    assert counts["issue_changelog"] == sum(history_items(org, i) for i in items)
    assert counts["issues__labels"] == sum(len(i.labels) for i in items)
    with duckdb.connect(str(path), read_only=True) as db:
        rows, keys = db.execute("select count(*), count(distinct key) from raw_jira.issues").fetchone()
        assert rows == keys, "duplicate issues"
        rows, pairs = db.execute(
            "select count(*), count(distinct (history_id, item_index)) from raw_jira.issue_changelog"
        ).fetchone()
        assert rows == pairs, "duplicate changelog items"
        per_issue = dict(db.execute("select issue_key, count(*) from raw_jira.issue_changelog group by 1").fetchall())
    assert per_issue == {i.key: n for i in items if (n := history_items(org, i))}


def with_long_history(org: Org, extra: int) -> tuple[Org, WorkItem]:
    """A copy of the org in which one PAY issue was flagged and unflagged `extra` times after its last change."""
    item = next(i for i in jira_items(org, ["PAY"]) if len(i.events) >= 3)
    actor = item.events[-1].actor
    events = [
        ItemEvent(
            9_000_000 + n, item.updated_at + timedelta(minutes=n + 1), actor, FLAGGED if n % 2 == 0 else UNFLAGGED
        )
        for n in range(extra)
    ]
    long = dataclasses.replace(item, events=[*item.events, *events])
    return dataclasses.replace(org, work_items=[long if i is item else i for i in org.work_items]), long


# ---------------------------------------------------------------------- completeness
def test_full_load_matches_the_organisation(simulator: Simulator, warehouse: Path, small_org: Org) -> None:
    result = load_jira(simulator, warehouse)
    assert result.ok, result.error
    assert_complete(warehouse, small_org)
    counts = table_counts(warehouse)
    assert counts["projects"] == len(PROJECTS)
    assert counts["statuses"] == len(small_org.jira_statuses)
    assert counts["status_categories"] == 4
    with duckdb.connect(str(warehouse), read_only=True) as db:
        fields = {f for (f,) in db.execute("select distinct field from raw_jira.issue_changelog").fetchall()}
        assert {"status", "resolution", "assignee", "Flagged"} <= fields
        flagged = db.execute("select count(*) from raw_jira.issues where flagged").fetchone()[0]
        assert flagged == sum(i.is_flagged for i in jira_items(small_org))
        done = db.execute(
            "select count(*) from raw_jira.issues where status_category_key = 'done' and resolutiondate is null"
        ).fetchone()[0]
        assert done == 0
        types = dict(
            db.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'raw_jira' and table_name = 'issues'"
            ).fetchall()
        )
        assert types["updated"] == types["resolutiondate"] == "TIMESTAMP WITH TIME ZONE"
    # Bulk changelogs: one request per project here, never one per issue.
    assert simulator.request_count("jira", "changelog") == len(PROJECTS)


def test_history_longer_than_the_embedded_changelog_arrives_complete(warehouse: Path, small_org: Org) -> None:
    org, long = with_long_history(small_org, extra=1100)  # more histories than one bulk page, too
    with Simulator(org) as sim:
        result = load_jira(sim, warehouse, projects=["PAY"])
        assert result.ok, result.error
        assert sim.request_count("jira", "changelog/bulkfetch") >= 2
    assert_complete(warehouse, org, ["PAY"])
    with duckdb.connect(str(warehouse), read_only=True) as db:
        first = db.execute(
            "select min(created) from raw_jira.issue_changelog where issue_key = ?", [long.key]
        ).fetchone()[0]
    assert first == min(e.at for e in long.events)


# ---------------------------------------------------------------------- incremental
def test_rerun_of_unchanged_data_costs_a_few_requests_and_duplicates_nothing(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    assert load_jira(simulator, warehouse).ok
    simulator.clear()
    result = load_jira(simulator, warehouse)
    assert result.ok, result.error
    assert simulator.request_count("jira") == FIXED_REQUESTS
    assert "issues" not in result.rows, "issues re-read only because of the safety lag are skipped"
    assert_complete(warehouse, small_org)


def test_incremental_work_is_proportional_to_change_and_ends_equal_to_a_full_load(
    simulator: Simulator, warehouse: Path, small_org: Org, tmp_path: Path
) -> None:
    cutoff = small_org.end - timedelta(days=20)
    simulator.set_clock(cutoff)
    # The ids listed every `reconcile_days` are no incremental work: not within these 20 days.
    assert load_jira(simulator, warehouse, page_size=5, reconcile_days=30).ok
    full_searches = simulator.request_count("jira", "search")
    simulator.set_clock(small_org.end)
    simulator.clear()
    assert load_jira(simulator, warehouse, page_size=5, reconcile_days=30).ok

    # Each project's search starts a safety lag (15 minutes, floored to the minute) before its cursor.
    then = small_org.as_of(cutoff)
    since = {p: max(i.updated_at for i in jira_items(then, [p])) - timedelta(minutes=16) for p in PROJECTS}
    changed = {p: [i for i in jira_items(small_org, [p]) if i.updated_at >= since[p]] for p in PROJECTS}
    assert sum(map(len, changed.values())) >= 10, "the window must contain change"
    # Constant work, one search page per 5 changed issues, one bulk changelog per project that changed.
    pages = sum(max(1, math.ceil(len(c) / 5)) for c in changed.values())
    bulk = sum(1 for c in changed.values() if c)
    assert simulator.request_count("jira", "search") <= pages
    assert simulator.request_count("jira", "search") < full_searches / 3
    assert simulator.request_count("jira") <= FIXED_REQUESTS + (pages - len(PROJECTS)) + bulk
    assert_complete(warehouse, small_org)

    fresh = tmp_path / "fresh" / "warehouse.duckdb"
    assert load_jira(simulator, fresh).ok
    assert snapshot(warehouse) == snapshot(fresh)


# ---------------------------------------------------------------------- faults
@pytest.mark.parametrize(
    "fault",
    [
        Fault(SEARCH + r".*nextPageToken", RATE_LIMIT, retry_after=0),
        Fault(SEARCH + r".*nextPageToken", SERVER_ERROR, times=2),
        Fault(BULK, MALFORMED),
        Fault(r"jira:/rest/api/3/myself", SERVER_ERROR),
        Fault(r"jira:/rest/api/3/status\?", RATE_LIMIT, retry_after=0, times=3),
    ],
    ids=["429-mid-pagination", "500-mid-pagination", "malformed-json", "500-myself", "429-statuses"],
)
def test_transient_faults_are_retried_and_nothing_is_lost(
    simulator: Simulator, warehouse: Path, small_org: Org, fault: Fault
) -> None:
    simulator.inject(fault)
    result = load_jira(simulator, warehouse, page_size=20)
    assert result.ok, result.error
    assert fault.seen > fault.skip, "the fault must have fired"
    assert_complete(warehouse, small_org)


def test_retry_after_is_honoured(simulator: Simulator, warehouse: Path) -> None:
    simulator.inject(Fault(SEARCH, RATE_LIMIT, retry_after=1))
    started = time.perf_counter()
    assert load_jira(simulator, warehouse, projects=["MOB"]).ok
    assert time.perf_counter() - started >= 1.0


def test_failure_mid_pagination_keeps_the_cursor_and_a_rerun_completes(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    simulator.set_clock(small_org.end - timedelta(days=30))
    assert load_jira(simulator, warehouse).ok
    before, cursors_before = table_counts(warehouse), cursors(warehouse)
    simulator.set_clock(small_org.end)
    simulator.inject(Fault(SEARCH + r".*nextPageToken", SERVER_ERROR, times=100))
    failed = load_jira(simulator, warehouse, page_size=5)
    assert not failed.ok
    assert "kept failing" in failed.error and "\n" not in failed.error
    assert table_counts(warehouse) == before, "a failed extract stores nothing"
    assert cursors(warehouse) == cursors_before, "and moves no cursor"
    simulator.clear()
    assert load_jira(simulator, warehouse, page_size=5).ok
    assert_complete(warehouse, small_org)


# ---------------------------------------------------------------------- configuration and credentials
@pytest.mark.parametrize("wrong", ["api_token", "email"])
def test_bad_credentials_give_one_line_naming_the_settings(simulator: Simulator, warehouse: Path, wrong: str) -> None:
    result = load_jira(simulator, warehouse, **{wrong: "wrong"})
    assert not result.ok
    assert "401" in result.error and "sources.jira.api_token" in result.error and "sources.jira.email" in result.error
    assert "\n" not in result.error


def test_unknown_project_is_reported_and_the_others_load(
    simulator: Simulator, warehouse: Path, small_org: Org, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="streamgauge.ingestion"):
        result = load_jira(simulator, warehouse, projects=["XYZ", "MOB"])
    assert result.ok, result.error
    lines = [r.getMessage() for r in caplog.records if "XYZ" in r.getMessage()]
    assert len(lines) == 1 and "sources.jira.projects" in lines[0]
    assert_complete(warehouse, small_org, ["MOB"])


def test_jql_replaces_the_project_filter(simulator: Simulator, warehouse: Path, small_org: Org) -> None:
    assert load_jira(simulator, warehouse, projects=None, jql="project = MOB ORDER BY key").ok
    assert_complete(warehouse, small_org, ["MOB"])
    simulator.clear()
    assert load_jira(simulator, warehouse, projects=None, jql="project = MOB ORDER BY key").ok
    assert simulator.request_count("jira") == 4  # myself, one search page, statuses, categories
    for refused in ("ORDER BY key", "project = NOPE"):  # no filter at all; a filter Jira answers 400
        result = load_jira(simulator, warehouse, projects=None, jql=refused)
        assert not result.ok
        assert "sources.jira.jql" in result.error and "\n" not in result.error


def test_search_jql_groups_a_filter_with_or_before_adding_the_cursor() -> None:
    since = datetime(2026, 3, 29, 0, 30, 59, tzinfo=UTC)
    zone = ZoneInfo("Europe/Berlin")
    assert _search_jql('project = "A"', None, zone) == 'project = "A" ORDER BY updated ASC'
    assert _search_jql("project = A order by key", since, zone) == (
        'project = A AND updated >= "2026-03-29 01:30" ORDER BY updated ASC'
    )
    assert _search_jql("project = A OR labels = 'x or y'", since, zone).startswith(
        "(project = A OR labels = 'x or y') AND"
    )
    assert _search_jql("summary ~ 'a or b'", since, zone).startswith("summary ~ 'a or b' AND")


def test_data_center_bearer_token_works(simulator: Simulator, warehouse: Path, small_org: Org) -> None:
    result = load_jira(simulator, warehouse, email=None)
    assert result.ok, result.error
    assert_complete(warehouse, small_org)


def test_missing_token_gives_one_line_naming_the_setting(simulator: Simulator, warehouse: Path) -> None:
    result = load_source(simulator, "jira", warehouse, projects=["MOB"], api_token=None)
    assert not result.ok
    assert "api_token" in result.error and "SOURCES__JIRA__API_TOKEN" in result.error


def test_configuration_from_environment_variables(simulator: Simulator, warehouse: Path) -> None:
    result = load_source(simulator, "jira", warehouse, projects='["MOB"]')
    assert result.ok, result.error
    assert result.rows["issues"] > 0


# ---------------------------------------------------------------------- time zones
@pytest.mark.parametrize("zone", ["Asia/Kolkata", "America/Los_Angeles"])
def test_timestamps_are_the_models_utc_instants_in_any_jira_time_zone(
    warehouse: Path, small_org: Org, zone: str
) -> None:
    org = dataclasses.replace(small_org, jira_timezone=zone)
    items = jira_items(org)
    # Stop the first load at a change that the next one follows within hours: a cursor written
    # into the JQL in the wrong zone would skip the second.
    moments = sorted({m for i in jira_items(org, ["PAY"]) for m in (i.created_at, *(e.at for e in i.events))})
    cutoff = max(
        a for a, b in zip(moments, moments[1:], strict=False) if timedelta(minutes=30) < b - a < timedelta(hours=5)
    )
    with Simulator(org) as sim:
        sim.set_clock(cutoff)
        assert load_jira(sim, warehouse).ok
        sim.set_clock(org.end)
        assert load_jira(sim, warehouse).ok
    assert_complete(warehouse, org)

    def ms(moment: datetime) -> datetime:  # Jira keeps milliseconds
        return moment.replace(microsecond=moment.microsecond // 1000 * 1000)

    with duckdb.connect(str(warehouse), read_only=True) as db:
        stored = {
            key: (c, u) for key, c, u in db.execute("select key, created, updated from raw_jira.issues").fetchall()
        }
        changes = set(db.execute("select distinct issue_key, created from raw_jira.issue_changelog").fetchall())
    assert stored == {i.key: (ms(i.created_at), ms(i.updated_at)) for i in items}
    expected = {(i.key, ms(e.at)) for i in items for e in i.events if e.kind in (STATUS, FLAGGED, UNFLAGGED, ASSIGNED)}
    assert changes == expected


# ---------------------------------------------------------------------- secrets
def test_token_never_appears_in_logs_errors_or_files(
    simulator: Simulator,
    warehouse: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture,
) -> None:
    secret = "jira_s3cret_value_that_must_not_leak"
    email = simulator.credentials.jira_email
    simulator.credentials = dataclasses.replace(simulator.credentials, jira_token=secret)
    simulator.inject(Fault(SEARCH, SERVER_ERROR, times=100))
    with caplog.at_level(logging.DEBUG):
        failed = load_jira(simulator, warehouse, api_token=secret, projects=["XYZ", "MOB"])
        simulator.clear()
        wrong = load_jira(simulator, warehouse, api_token=secret + "x")
        loaded = load_jira(simulator, warehouse, api_token=secret)
        bearer = load_jira(simulator, warehouse, api_token=secret, email=None)
    assert not failed.ok and not wrong.ok and loaded.ok and bearer.ok
    out = capsys.readouterr()
    encoded = base64.b64encode(f"{email}:{secret}".encode()).decode()
    said = [caplog.text, out.out, out.err, failed.error, wrong.error]
    assert_never_leaked([secret, encoded], said, warehouse.parent)


# ---------------------------------------------------------------------- as Atlassian documents the replies
def test_documented_timestamp_forms_name_the_same_instant() -> None:
    instant = datetime(2017, 4, 13, 20, 0, 29, tzinfo=UTC)
    assert _utc(1492113629) == instant  # epoch seconds: the bulk fetch's published example
    assert _utc(1492113629000) == instant  # epoch milliseconds
    assert _utc("1492113629123") == instant + timedelta(milliseconds=123)
    assert _utc("2017-04-13T22:00:29.000+0200") == instant
    assert _utc("2017-04-13T17:30:29.000-02:30") == instant
    assert _utc("2017-04-13T20:00:29Z") == instant
    assert _utc(None) is None and _utc("") is None


def test_bulk_histories_dated_by_number_and_in_the_server_shape_load_exactly(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    """The bulk fetch dates histories in epoch milliseconds; the first month's histories name their
    author `{name, key}` and have no fieldId: every one loads, at its instant, with its author's name."""
    assert load_jira(simulator, warehouse).ok
    assert_complete(warehouse, small_org)
    legacy_until = small_org.start + timedelta(days=30)
    with duckdb.connect(str(warehouse), read_only=True) as db:
        rows = db.execute(
            "select created, author_account_id, author_name, field_id from raw_jira.issue_changelog"
        ).fetchall()
    legacy = [r for r in rows if r[0] < legacy_until]
    assert legacy and len(legacy) < len(rows)
    assert all(account is None and name and field_id is None for _, account, name, field_id in legacy)
    assert all(account and name and field_id for created, account, name, field_id in rows if created >= legacy_until)


def test_search_follows_the_token_while_it_comes_whatever_is_last_says(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    # The simulator, like Jira, sends isLast only on the last page: the next page's token is the signal.
    result = load_jira(simulator, warehouse, page_size=7)
    assert result.ok, result.error
    assert simulator.request_count("jira", "search") > 2 * len(PROJECTS)
    assert_complete(warehouse, small_org)


def test_a_token_sent_twice_stops_the_search_with_one_line() -> None:
    class SameToken:
        page_size = 100

        def get(self, path: str, params: dict, what: str) -> SimpleNamespace:
            return SimpleNamespace(json=lambda: {"issues": [{"id": "1"}], "nextPageToken": "again", "isLast": False})

    pages = _search(SameToken(), "project = PAY", ["summary"], "project PAY")  # type: ignore[arg-type]
    with pytest.raises(SourceError, match="same nextPageToken twice") as raised:
        list(pages)
    assert "project PAY" in str(raised.value) and "\n" not in str(raised.value)


def test_an_unexpected_reply_is_reported_by_its_cause_with_the_resource_and_the_issue(
    simulator: Simulator, warehouse: Path, small_org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = next(i for i in jira_items(small_org, ["MOB"]) if i.events)
    served = jira_api._history

    def garbled(history: jira_api.History, index: object, base: str, epoch_created: bool = False) -> dict:
        reply = served(history, index, base, epoch_created)
        if history.id == str(item.events[0].id):
            reply["created"] = {"iso": reply["created"]}  # a shape no documentation shows
        return reply

    monkeypatch.setattr(jira_api, "_history", garbled)
    result = load_jira(simulator, warehouse, projects=["MOB"])
    assert not result.ok
    assert result.error.startswith(
        f"jira: load failed in issue_changelog, reading issue {item.key}, history {item.events[0].id}: TypeError: "
    ), result.error
    assert "StopIteration" not in result.error and "\n" not in result.error


def test_the_failure_line_skips_the_stop_iteration_dlt_leaves_beneath_the_cause() -> None:
    """dlt's generator machinery can leave StopIteration as the deepest exception of the chain."""
    try:
        try:
            raise StopIteration
        except StopIteration:
            try:
                raise TypeError("fromisoformat: argument must be str")
            except TypeError as cause:
                cause.add_note("reading issue PAY-3, history 10234")
                raise ResourceExtractionError("issue_changelog", None, str(cause), "transformer") from cause
    except ResourceExtractionError as error:
        line = user_message("jira", error)
    assert line == (
        "jira: load failed in issue_changelog, reading issue PAY-3, history 10234: "
        "TypeError: fromisoformat: argument must be str"
    )
