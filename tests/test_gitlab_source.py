"""The GitLab source against the simulator: complete, incremental, fault tolerant, and discreet."""

from __future__ import annotations

import dataclasses
import logging
import time
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from conftest import assert_never_leaked, load_source
from dbt_helpers import dbt

from ingestion.gitlab import _assignee_changes
from ingestion.pipeline import make_pipeline
from orchestration.source_runs import SourceRun
from simulator.gitlab_api import DEPLOYMENT_STATUS, PIPELINE_STATUS
from simulator.model import ASSIGNED, CLOSED, LABELED, REOPENED, UNLABELED, Org, WorkItem
from simulator.server import MALFORMED, RATE_LIMIT, SERVER_ERROR, Fault, Simulator

PROJECTS = ["acme/platform", "acme/data/pipeline"]
NESTED = "acme%2Fdata%2Fpipeline"
SECOND_PAGE = r"[?&]page=2(&|$)"  # not `page=2` alone: `per_page=20` would match the first page


def load_gitlab(sim: Simulator, path: Path, **settings: object) -> SourceRun:
    return load_source(sim, "gitlab", path, **{"projects": PROJECTS, "retry_backoff_seconds": 0.01, **settings})


def query(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as db:
        return db.execute(sql).fetchall()


def table_counts(path: Path) -> dict[str, int]:
    tables = query(
        path,
        "select table_name from information_schema.tables where table_schema = 'raw_gitlab' "
        "and table_name not like '\\_dlt%' escape '\\'",
    )
    return {t: query(path, f"select count(*) from raw_gitlab.{t}")[0][0] for (t,) in tables}


def cursors(path: Path) -> dict[str, dict]:
    """Each list's per-project cursor, as the pipeline's local state holds it."""
    resources = make_pipeline("gitlab", path).state["sources"]["gitlab"]["resources"]
    return {name: dict(state["updated_after"]) for name, state in resources.items() if "updated_after" in state}


def assignee_note_people(item: WorkItem) -> int:
    """People named in the item's assignee notes: the new one and, on a reassignment, the old one."""
    named, current = 0, None
    for event in item.events:
        if event.kind == ASSIGNED and event.assignee != current:
            named += (event.assignee is not None) + (current is not None)
            current = event.assignee
    return named


def expected_counts(org: Org) -> dict[str, int]:
    items = [i for i in org.work_items if i.source == "gitlab"]
    mrs = [p for p in org.pull_requests if p.source == "gitlab"]
    events = [e for i in items for e in i.events]
    return {
        "projects": len(PROJECTS),
        "issues": len(items),
        "issue_state_events": sum(e.kind in (CLOSED, REOPENED) for e in events),
        # GitLab records the labels an issue was created with as `add` events too.
        "issue_label_events": sum(e.kind in (LABELED, UNLABELED) for e in events)
        + sum(len(i.initial_labels) for i in items),
        "issue_assignee_changes": sum(assignee_note_people(i) for i in items),
        "merge_requests": len(mrs),
        "merge_request_commits": sum(len(p.commits) for p in mrs),
        "merge_request_approvals": sum(len({r.reviewer for r in p.reviews if r.state == "APPROVED"}) for p in mrs),
        # Approvals and change requests (system notes), and comments by anyone but the author.
        "merge_request_notes": sum(r.state != "COMMENTED" or r.reviewer != p.author for p in mrs for r in p.reviews),
        "pipelines": len({r.native_id for r in org.pipeline_runs if r.source == "gitlab"}),
        "deployments": len([d for d in org.deployments if d.source == "gitlab"]),
    }


def assert_complete(path: Path, org: Org) -> None:
    """Every table has the organisation's rows, once each, in their latest state."""
    counts = table_counts(path)
    for table, expected in expected_counts(org).items():
        assert counts.get(table) == expected, table
    for table in ("issues", "merge_requests", "pipelines", "deployments", "issue_label_events", "merge_request_notes"):
        rows, ids = query(path, f"select count(*), count(distinct id) from raw_gitlab.{table}")[0]
        assert rows == ids, f"duplicates in {table}"
    issues = dict(query(path, "select id, state from raw_gitlab.issues"))
    assert issues == {i.native_id: "opened" if i.is_open else "closed" for i in org.work_items if i.source == "gitlab"}
    mrs = dict(query(path, "select id, state from raw_gitlab.merge_requests"))
    assert mrs == {
        p.native_id: "merged" if p.merged_at else "closed" if p.closed_at else "opened"
        for p in org.pull_requests
        if p.source == "gitlab"
    }
    latest_runs = {r.native_id: r for r in org.pipeline_runs if r.source == "gitlab"}
    pipelines = {
        i: (s, f is not None) for i, s, f in query(path, "select id, status, finished_at from raw_gitlab.pipelines")
    }
    assert pipelines == {i: (PIPELINE_STATUS[r.conclusion], r.finished_at is not None) for i, r in latest_runs.items()}
    deployments = dict(query(path, "select id, status from raw_gitlab.deployments"))
    assert deployments == {d.native_id: DEPLOYMENT_STATUS[d.state] for d in org.deployments if d.source == "gitlab"}


def test_full_load_matches_the_organisation(simulator: Simulator, warehouse: Path, small_org: Org) -> None:
    result = load_gitlab(simulator, warehouse)
    assert result.ok, result.error
    assert_complete(warehouse, small_org)
    assert {p for (p,) in query(warehouse, "select project_path from raw_gitlab.issues")} == set(PROJECTS)
    incidents = query(warehouse, "select count(*) from raw_gitlab.issues where issue_type = 'incident'")[0][0]
    assert incidents == sum(i.issue_type == "incident" for i in small_org.work_items if i.source == "gitlab") > 0
    assert query(warehouse, "select count(*) from raw_gitlab.issues__labels where name like 'workflow::%'")[0][0] > 0
    tiers = {t for (t,) in query(warehouse, "select distinct environment__tier from raw_gitlab.deployments")}
    assert tiers == {"production", "staging"}
    unlinked = "select count(*) from raw_gitlab.deployments where deployable__pipeline_id is null"
    assert query(warehouse, unlinked)[0][0] == sum(
        d.pipeline_id is None for d in small_org.deployments if d.source == "gitlab"
    )
    untimed = "select count(*) from raw_gitlab.pipelines where started_at is null or queued_duration is null"
    assert query(warehouse, untimed)[0][0] == 0
    actions = {a for (a,) in query(warehouse, "select distinct review_action from raw_gitlab.merge_request_notes")}
    assert {"approved", "requested_changes"} <= actions
    columns = {c for (c,) in query(warehouse, "select column_name from information_schema.columns "
                                              "where table_name = 'merge_request_notes'")}  # fmt: skip
    assert "body" not in columns, "note bodies can hold anything and stay out"


def test_rerun_of_unchanged_data_costs_a_few_requests_and_duplicates_nothing(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    assert load_gitlab(simulator, warehouse).ok
    simulator.clear()
    assert load_gitlab(simulator, warehouse).ok
    # Per project: the project, then one page each of issues, merge requests, pipelines and
    # deployments, all of it rows already loaded: no child is fetched.
    assert simulator.request_count("gitlab") <= 5 * len(PROJECTS)
    assert simulator.request_count("gitlab", "/environments") == 0, "tiers already known are not asked again"
    assert_complete(warehouse, small_org)


@pytest.mark.parametrize("graphql", [True, False], ids=["graphql", "rest"])
def test_incremental_work_is_proportional_to_change(
    simulator: Simulator, warehouse: Path, small_org: Org, graphql: bool
) -> None:
    cutoff = small_org.end - timedelta(days=4)
    simulator.set_clock(cutoff)
    assert load_gitlab(simulator, warehouse, graphql=graphql).ok
    full_requests = simulator.request_count("gitlab")
    simulator.set_clock(small_org.end)
    simulator.clear()
    assert load_gitlab(simulator, warehouse, graphql=graphql).ok

    changed_items = [i for i in small_org.work_items if i.source == "gitlab" and i.updated_at > cutoff]
    before = {i.native_id: i.assignee for i in small_org.as_of(cutoff).work_items}
    reassigned = [i for i in changed_items if before.get(i.native_id) != i.assignee]
    changed_mrs = [p for p in small_org.pull_requests if p.source == "gitlab" and p.updated_at > cutoff]
    latest_runs = {r.native_id: r for r in small_org.pipeline_runs if r.source == "gitlab"}
    changed_runs = [r for r in latest_runs.values() if r.updated_at > cutoff]
    assert changed_items and changed_mrs and changed_runs, "the window must contain change"
    # Constant work per project; two event lists per changed issue, and its notes only when its
    # assignees changed; commits, approvals and notes per changed MR; the detail of each new or
    # finished pipeline.
    bound = 6 * len(PROJECTS) + 2 * len(changed_items) + len(reassigned) + 3 * len(changed_mrs) + len(changed_runs)
    assert simulator.request_count("gitlab") <= bound
    assert reassigned
    if graphql:  # a query for the reassigned issues of each page of changed ones (one page a project here)
        assert simulator.request_count("gitlab", r"/issues/\d+/notes") == 0
        issue_queries = simulator.request_count("gitlab", r"^/api/graphql$", "^IssueNotes$")
        assert issue_queries == len({i.container for i in reassigned})
    else:
        assert simulator.request_count("gitlab", r"/issues/\d+/notes") == len(reassigned)
    assert simulator.request_count("gitlab") < full_requests / 3
    assert_complete(warehouse, small_org)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("assigned to @bob", [("assigned", "bob")]),
        ("unassigned @alice", [("unassigned", "alice")]),
        ("assigned to @bob and unassigned @alice", [("unassigned", "alice"), ("assigned", "bob")]),
        (
            "assigned to @a, @b and @c and unassigned @d and @e.f",
            [("unassigned", "d"), ("unassigned", "e.f"), ("assigned", "a"), ("assigned", "b"), ("assigned", "c")],
        ),
        ("assigned to @new additionally to @kept", [("assigned", "new")]),
        ("reassigned to @carol", [("assigned", "carol")]),
        ("removed assignee", []),
        ("changed the description", []),
        ("mentioned in !12 assigned to @x", []),
    ],
)
def test_assignee_system_notes_name_who_was_assigned_and_unassigned(body: str, expected: list) -> None:
    note = {"id": 5, "body": body, "created_at": "2026-06-01T10:00:00.000+03:00", "author": {"id": 1, "username": "al"}}
    issue = {"id": 99, "iid": 3, "project_path": "acme/platform"}
    rows = _assignee_changes(note, issue)
    assert [(row["action"], row["username"]) for row in rows] == expected
    assert [row["position"] for row in rows] == list(range(len(expected)))


@pytest.mark.parametrize(
    ("fault", "graphql"),
    [
        (Fault(rf"gitlab:/api/v4/projects/acme%2Fplatform/issues\?.*{SECOND_PAGE}", RATE_LIMIT, retry_after=0), True),
        (Fault(rf"gitlab:/api/v4/projects/{NESTED}/pipelines\?.*{SECOND_PAGE}", SERVER_ERROR), True),
        (Fault(r"gitlab:/api/graphql", MALFORMED), True),  # merge requests' children, or pipelines' detail
        (Fault(r"gitlab:/api/v4/projects/acme%2Fplatform/merge_requests/\d+/notes", MALFORMED), False),
        (Fault(rf"gitlab:/api/v4/projects/{NESTED}/deployments\?", SERVER_ERROR, times=2), True),
    ],
    ids=["429-mid-pagination", "500-mid-pagination", "malformed-json", "malformed-json-rest", "500-deployments"],
)
def test_transient_faults_are_retried_and_nothing_is_lost(
    simulator: Simulator, warehouse: Path, small_org: Org, fault: Fault, graphql: bool
) -> None:
    simulator.inject(fault)
    result = load_gitlab(simulator, warehouse, page_size=20, graphql=graphql)
    assert result.ok, result.error
    assert fault.seen > fault.skip, "the fault must have fired"
    assert_complete(warehouse, small_org)


def test_retry_after_is_honoured(simulator: Simulator, warehouse: Path) -> None:
    simulator.inject(Fault(r"gitlab:/api/v4/projects/acme%2Fplatform/issues\?", RATE_LIMIT, retry_after=1))
    started = time.perf_counter()
    assert load_gitlab(simulator, warehouse, projects=["acme/platform"]).ok
    assert time.perf_counter() - started >= 1.0


def test_failure_mid_pagination_keeps_every_cursor_and_a_rerun_completes(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    cutoff = small_org.end - timedelta(days=30)
    simulator.set_clock(cutoff)
    assert load_gitlab(simulator, warehouse).ok
    before, cursors_before = table_counts(warehouse), cursors(warehouse)
    assert len(cursors_before) == 4 and all(len(c) == len(PROJECTS) for c in cursors_before.values())
    simulator.set_clock(small_org.end)
    # The nested project's pipelines are read late: the other lists have moved their cursors in
    # memory by then, and none of those moves may be kept.
    fault = Fault(rf"gitlab:/api/v4/projects/{NESTED}/pipelines\?.*{SECOND_PAGE}", SERVER_ERROR, times=100)
    simulator.inject(fault)
    failed = load_gitlab(simulator, warehouse, page_size=5)
    assert fault.seen > 0
    assert not failed.ok
    assert "kept failing" in failed.error and "\n" not in failed.error
    assert table_counts(warehouse) == before, "a failed extract stores nothing"
    assert cursors(warehouse) == cursors_before, "and moves no cursor"
    simulator.clear()
    assert load_gitlab(simulator, warehouse, page_size=5).ok
    assert cursors(warehouse) != cursors_before
    assert_complete(warehouse, small_org)


@pytest.mark.parametrize(("lookback_days", "caught"), [(1, True), (0, False)])
def test_rows_committed_late_are_caught_within_the_lookback(
    simulator: Simulator, warehouse: Path, small_org: Org, lookback_days: float, caught: bool
) -> None:
    cutoff = small_org.end - timedelta(days=10)
    simulator.set_clock(cutoff)
    visible = simulator.org
    issues = sorted((i for i in visible.work_items if i.container == "acme/platform"), key=lambda i: i.updated_at)
    late = next(
        i
        for i in reversed(issues)
        if issues[-1].updated_at - timedelta(hours=20) < i.updated_at < issues[-1].updated_at
    )
    # GitLab stamps `updated_at` before the transaction commits: the row shows up after rows
    # stamped later, and after a run whose cursor already passed it.
    simulator.org = dataclasses.replace(visible, work_items=[i for i in visible.work_items if i is not late])
    assert load_gitlab(simulator, warehouse, lookback_days=lookback_days).ok
    simulator.set_clock(cutoff)
    simulator.clear()
    assert load_gitlab(simulator, warehouse, lookback_days=lookback_days).ok
    loaded = {i for (i,) in query(warehouse, "select id from raw_gitlab.issues")}
    assert (late.native_id in loaded) is caught
    # Only the late issue is new: its two event lists are all the child requests.
    assert simulator.request_count("gitlab", r"/resource_") == (2 if caught else 0)


def test_bad_token_gives_one_line_naming_the_setting(simulator: Simulator, warehouse: Path) -> None:
    result = load_gitlab(simulator, warehouse, access_token="glpat-wrong")
    assert not result.ok
    assert "401" in result.error and "sources.gitlab.access_token" in result.error
    assert "\n" not in result.error


def test_unknown_project_is_reported_and_the_others_load(
    simulator: Simulator, warehouse: Path, small_org: Org, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="streamgauge.ingestion"):
        result = load_gitlab(simulator, warehouse, projects=["acme/ghost", "acme/data/pipeline"])
    assert result.ok, result.error
    lines = [r.getMessage() for r in caplog.records if "acme/ghost" in r.getMessage()]
    assert len(lines) == 1 and "404" in lines[0] and "sources.gitlab.projects" in lines[0]
    nested = [i for i in small_org.work_items if i.container == "acme/data/pipeline"]
    assert table_counts(warehouse)["issues"] == len(nested)


def test_missing_token_gives_one_line_naming_the_setting(simulator: Simulator, warehouse: Path) -> None:
    result = load_source(simulator, "gitlab", warehouse, projects=PROJECTS, access_token=None)
    assert not result.ok
    assert "access_token" in result.error and "SOURCES__GITLAB__ACCESS_TOKEN" in result.error


def test_configuration_from_environment_variables(simulator: Simulator, warehouse: Path) -> None:
    projects, base_url = '["acme/data/pipeline"]', simulator.base_url("gitlab") + "/api/v4/"
    result = load_source(simulator, "gitlab", warehouse, projects=projects, base_url=base_url)
    assert result.ok, result.error
    assert result.rows["issues"] > 0


def test_token_never_appears_in_logs_errors_or_files(
    simulator: Simulator,
    warehouse: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture,
) -> None:
    secret = "glpat-s3cret_value_that_must_not_leak"
    simulator.credentials = type(simulator.credentials)(gitlab_token=secret)
    simulator.inject(Fault(r"gitlab:/api/v4/projects/acme%2Fplatform/issues\?", SERVER_ERROR, times=100))
    with caplog.at_level(logging.DEBUG):
        failed = load_gitlab(simulator, warehouse, access_token=secret, projects=["acme/ghost", "acme/platform"])
        simulator.clear()
        wrong = load_gitlab(simulator, warehouse, access_token=secret + "x")
        loaded = load_gitlab(simulator, warehouse, access_token=secret)
    assert not failed.ok and not wrong.ok and loaded.ok
    out = capsys.readouterr()
    assert_never_leaked([secret], [caplog.text, out.out, out.err, failed.error, wrong.error], warehouse.parent)


# ---------------------------------------------------------------------- environments
def test_production_is_told_by_the_environment_tier_the_deployment_list_leaves_out(
    warehouse: Path, small_org: Org, tmp_path: Path
) -> None:
    """Deployments embed EnvironmentBasic (no tier); the tier comes from /environments, read once
    per project and again only for an environment not seen before. Production is the tier first
    (`live` is production, `prod-preview` is staging), the name only without a tier."""
    renamed = {"production": ("live", "production"), "staging": ("prod-preview", "staging")}
    platform = [d for d in small_org.deployments if d.source == "gitlab" and d.repo == "acme/platform"]
    moved = {
        d.native_id: dataclasses.replace(d, environment=renamed[d.tier][0], tier=renamed[d.tier][1])
        for d in platform[: len(platform) // 2]
    }
    org = dataclasses.replace(small_org, deployments=[moved.get(d.native_id, d) for d in small_org.deployments])
    cutoff = max(moved.values(), key=lambda d: d.created_at).created_at
    with Simulator(org) as sim:
        sim.set_clock(cutoff)
        assert load_gitlab(sim, warehouse).ok
        first = sim.request_count("gitlab", "/environments")
        sim.clear()
        sim.set_clock(org.end)
        assert load_gitlab(sim, warehouse).ok
        later = sim.request_count("gitlab", "/environments")

    def environments(moment: datetime) -> dict[str, set[str]]:
        return {p: {d.environment for d in org.deployments if d.repo == p and d.created_at <= moment} for p in PROJECTS}

    before, after = environments(cutoff), environments(org.end)
    assert first == sum(1 for p in PROJECTS if before[p])  # one page per project with deployments
    # The second night lists them again only where an environment is new (production and staging on acme/platform).
    assert later == sum(1 for p in PROJECTS if after[p] - before[p]) >= 1
    tiers = dict(query(warehouse, "select distinct environment__name, environment__tier from raw_gitlab.deployments"))
    assert tiers == {"live": "production", "prod-preview": "staging", "production": "production", "staging": "staging"}

    dbt(warehouse, tmp_path, "build", "--select", "+int_deployments_unioned", "--indirect-selection", "cautious")
    with duckdb.connect(str(warehouse)) as db:  # not read-only: dbt, run in this process, may still hold it
        production = dict(
            db.execute(
                "select environment, bool_and(is_production) from intermediate.int_deployments_unioned "
                "where source_system = 'gitlab' and deploy_source = 'deployment' group by 1",
            ).fetchall()
        )
    assert production == {"live": True, "prod-preview": False, "production": True, "staging": False}
