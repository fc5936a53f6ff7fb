"""The GitHub source against the simulator: complete, incremental, fault tolerant, and discreet."""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from conftest import assert_never_leaked, load_source

from ingestion import github
from ingestion.api_client import ApiClient, RetryPolicy, TransientError
from orchestration.source_runs import SourceRun
from simulator import github_api
from simulator.github_api import derived_item_events
from simulator.model import Deployment, Org
from simulator.server import (
    MALFORMED,
    NOT_FOUND,
    RATE_LIMIT,
    SECONDARY_LIMIT,
    SERVER_ERROR,
    SPENT_WITHOUT_RESET,
    Fault,
    Simulator,
)

REPOS = ["acme/payments-api", "acme/mobile-app", "acme/web"]


def load_github(sim: Simulator, path: Path, **settings: object) -> SourceRun:
    return load_source(sim, "github", path, **{"repositories": REPOS, "retry_backoff_seconds": 0.01, **settings})


def table_counts(path: Path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as db:
        tables = db.execute(
            "select table_name from information_schema.tables where table_schema = 'raw_github' "
            "and table_name not like '\\_dlt%' escape '\\'"
        ).fetchall()
        return {t: db.execute(f"select count(*) from raw_github.{t}").fetchone()[0] for (t,) in tables}


def expected_counts(org: Org) -> dict[str, int]:
    items = [i for i in org.work_items if i.source == "github"]
    prs = [p for p in org.pull_requests if p.source == "github"]
    deployments = [d for d in org.deployments if d.source == "github"]
    return {
        "repositories": len(REPOS),
        "issues": len(items),
        "pull_requests": len(prs),
        "pull_request_reviews": sum(len(p.reviews) for p in prs),
        "pull_request_commits": sum(len(p.commits) for p in prs),
        "workflow_runs": len({r.native_id for r in org.pipeline_runs if r.source == "github"}),
        "deployments": len(deployments),
        "deployment_statuses": sum(len(d.statuses) for d in deployments),
    }


def work_item_event_count(org: Org) -> int:
    """The events of GitHub issues: those the model records, and the kinds the simulator derives from it."""
    return sum(len(i.events) + len(derived_item_events(i, org.end)) for i in org.work_items if i.source == "github")


def assert_complete(path: Path, org: Org) -> None:
    counts = table_counts(path)
    for table, expected in expected_counts(org).items():
        assert counts.get(table) == expected, table
    with duckdb.connect(str(path), read_only=True) as db:
        issue_events = db.execute("select count(*) from raw_github.issue_events where not is_pull_request").fetchone()
        assert issue_events[0] == work_item_event_count(org)
        for table in ("issues", "pull_requests", "issue_events", "workflow_runs", "deployments"):
            rows, ids = db.execute(f"select count(*), count(distinct id) from raw_github.{table}").fetchone()
            assert rows == ids, f"duplicates in {table}"


def test_full_load_matches_the_organisation(simulator: Simulator, warehouse: Path, small_org: Org) -> None:
    result = load_github(simulator, warehouse)
    assert result.ok, result.error
    assert_complete(warehouse, small_org)
    with duckdb.connect(str(warehouse), read_only=True) as db:
        assert db.execute("select count(*) from raw_github.pull_requests where additions is null").fetchone()[0] == 0
        reasons = {r for (r,) in db.execute("select distinct state_reason from raw_github.issues").fetchall()}
        assert {"completed", "not_planned"} <= reasons
        labels = db.execute("select count(*) from raw_github.issues__labels").fetchone()[0]
        assert labels > 0


def test_rerun_of_unchanged_data_costs_a_few_requests_and_duplicates_nothing(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    assert load_github(simulator, warehouse).ok
    simulator.clear()
    assert load_github(simulator, warehouse).ok
    # Per repository: the repository itself, issues (304), events (304), one window of runs,
    # deployments (304). Nothing is paged, no PR child is fetched.
    assert simulator.request_count("github") <= 5 * len(REPOS)
    assert_complete(warehouse, small_org)


def test_incremental_work_is_proportional_to_change(simulator: Simulator, warehouse: Path, small_org: Org) -> None:
    cutoff = small_org.end - timedelta(days=4)
    simulator.set_clock(cutoff)
    assert load_github(simulator, warehouse).ok
    full_requests = simulator.request_count("github")
    simulator.set_clock(small_org.end)
    simulator.clear()
    assert load_github(simulator, warehouse).ok

    changed_prs = [p for p in small_org.pull_requests if p.source == "github" and p.updated_at > cutoff]
    new_deployments = [d for d in small_org.deployments if d.source == "github" and d.updated_at > cutoff]
    changed_items = [i for i in small_org.work_items if i.source == "github" and i.updated_at > cutoff]
    assert changed_prs and changed_items, "the window must contain change"
    # Constant work per repository, three requests per changed PR (detail, reviews, commits),
    # statuses for deployments within the lookback (3 days) or new.
    lookback = [d for d in small_org.deployments if d.source == "github" and d.created_at > cutoff - timedelta(days=3)]
    bound = 6 * len(REPOS) + 3 * len(changed_prs) + len(lookback) + len(new_deployments)
    assert simulator.request_count("github") <= bound
    # Through GraphQL a first load of this organisation is a few dozen requests: the night costs fewer still.
    assert simulator.request_count("github") < full_requests
    assert_complete(warehouse, small_org)


@pytest.mark.parametrize(
    "fault",
    [
        Fault(r"github:/repos/acme/web/issues\?.*[?&]page=2(&|$)", RATE_LIMIT, retry_after=0),
        Fault(r"github:/repos/acme/web/actions/runs", SECONDARY_LIMIT, retry_after=0, times=2),
        Fault(r"github:/repos/acme/web/issues\?.*[?&]page=2(&|$)", SERVER_ERROR, times=2),
        Fault(r"github:/graphql", MALFORMED),
        Fault(r"github:/repos/acme/web/deployments\?", SERVER_ERROR),
    ],
    ids=["429", "secondary-403", "500-mid-pagination", "malformed-json", "500-deployments"],
)
def test_transient_faults_are_retried_and_nothing_is_lost(
    simulator: Simulator, warehouse: Path, small_org: Org, fault: Fault
) -> None:
    simulator.inject(fault)
    result = load_github(simulator, warehouse, page_size=20)
    assert result.ok, result.error
    assert fault.seen > fault.skip, "the fault must have fired"
    assert_complete(warehouse, small_org)


def test_retry_after_is_honoured(simulator: Simulator, warehouse: Path) -> None:
    simulator.inject(Fault(r"github:/repos/acme/web/issues\?", RATE_LIMIT, retry_after=1))
    started = time.perf_counter()
    assert load_github(simulator, warehouse, repositories=["acme/web"]).ok
    assert time.perf_counter() - started >= 1.0


def test_failure_mid_pagination_keeps_the_cursor_and_a_rerun_completes(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    cutoff = small_org.end - timedelta(days=30)
    simulator.set_clock(cutoff)
    assert load_github(simulator, warehouse).ok
    before = table_counts(warehouse)
    simulator.set_clock(small_org.end)
    simulator.inject(Fault(r"github:/repos/acme/web/issues\?.*[?&]page=2(&|$)", SERVER_ERROR, times=100))
    failed = load_github(simulator, warehouse, page_size=5)
    assert not failed.ok
    assert "kept failing" in failed.error and "\n" not in failed.error
    assert table_counts(warehouse) == before, "a failed extract stores nothing and moves no cursor"
    simulator.clear()
    assert load_github(simulator, warehouse, page_size=5).ok
    assert_complete(warehouse, small_org)


def test_bad_token_gives_one_line_naming_the_setting(simulator: Simulator, warehouse: Path) -> None:
    result = load_github(simulator, warehouse, access_token="ghp_wrong")
    assert not result.ok
    assert "401" in result.error and "sources.github.access_token" in result.error
    assert "\n" not in result.error


def test_unknown_repository_is_reported_and_the_others_load(
    simulator: Simulator, warehouse: Path, small_org: Org, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="streamgauge.ingestion"):
        result = load_github(simulator, warehouse, repositories=["acme/ghost", "acme/web"])
    assert result.ok, result.error
    lines = [r.getMessage() for r in caplog.records if "acme/ghost" in r.getMessage()]
    assert len(lines) == 1 and "404" in lines[0] and "sources.github.repositories" in lines[0]
    assert table_counts(warehouse)["issues"] == len([i for i in small_org.work_items if i.source == "github"])


def test_missing_token_gives_one_line_naming_the_setting(simulator: Simulator, warehouse: Path) -> None:
    result = load_source(simulator, "github", warehouse, repositories=["acme/web"], access_token=None)
    assert not result.ok
    assert "access_token" in result.error and "SOURCES__GITHUB__ACCESS_TOKEN" in result.error


def test_configuration_from_environment_variables(simulator: Simulator, warehouse: Path) -> None:
    result = load_source(simulator, "github", warehouse, repositories='["acme/web"]')
    assert result.ok, result.error
    assert result.rows["issues"] > 0


def test_token_never_appears_in_logs_errors_or_files(
    simulator: Simulator,
    warehouse: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture,
) -> None:
    secret = "ghp_s3cret_value_that_must_not_leak"
    simulator.credentials = type(simulator.credentials)(github_token=secret)
    simulator.inject(Fault(r"github:/repos/acme/web/issues\?", SERVER_ERROR, times=100))
    with caplog.at_level(logging.DEBUG):
        failed = load_github(simulator, warehouse, access_token=secret, repositories=["acme/ghost", "acme/web"])
        simulator.clear()
        wrong = load_github(simulator, warehouse, access_token=secret + "x")
        loaded = load_github(simulator, warehouse, access_token=secret)
    assert not failed.ok and not wrong.ok and loaded.ok
    out = capsys.readouterr()
    assert_never_leaked([secret], [caplog.text, out.out, out.err, failed.error, wrong.error], warehouse.parent)


# ---------------------------------------------------------------------- what real replies bring
def warnings_about(caplog: pytest.LogCaptureFixture, text: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING and text in r.getMessage()]


def in_flight_at(org: Org, repo: str) -> tuple[Deployment, datetime]:
    """A deployment of `repo` and a moment when it had a status but not yet its last."""
    deployment = next(
        d
        for d in org.deployments
        if d.repo == repo and len(d.statuses) > 2 and d.created_at > org.start + timedelta(days=30)
    )
    return deployment, deployment.statuses[0].at + timedelta(seconds=1)


def test_a_deployment_deleted_while_in_flight_is_dropped_with_one_line(
    simulator: Simulator, warehouse: Path, small_org: Org, caplog: pytest.LogCaptureFixture
) -> None:
    deployment, moment = in_flight_at(small_org, "acme/web")
    simulator.set_clock(moment)
    assert load_github(simulator, warehouse).ok
    simulator.delete_deployments(deployment.native_id)
    simulator.set_clock(moment + timedelta(days=1))  # within in_flight_days: still followed
    with caplog.at_level(logging.WARNING, logger="streamgauge.ingestion"):
        result = load_github(simulator, warehouse)
    assert result.ok, result.error
    (line,) = warnings_about(caplog, f"deployment {deployment.native_id}")
    assert "404" in line and "acme/web" in line
    remaining = {d.native_id for d in simulator.org.deployments if d.source == "github"}
    with duckdb.connect(str(warehouse), read_only=True) as db:
        loaded = {i for (i,) in db.execute("select id from raw_github.deployments").fetchall()}
    assert remaining <= loaded, "every other deployment loaded, in every repository"
    assert table_counts(warehouse)["issues"] == len([i for i in simulator.org.work_items if i.source == "github"])
    simulator.clear()
    assert load_github(simulator, warehouse).ok
    assert simulator.request_count("github", rf"/deployments/{deployment.native_id}") == 0, "no longer followed"


def test_a_pull_request_that_has_gone_is_skipped_with_one_line_and_the_others_load(
    simulator: Simulator, warehouse: Path, small_org: Org, caplog: pytest.LogCaptureFixture
) -> None:
    prs = [p for p in small_org.pull_requests if p.source == "github" and p.repo == "acme/web"]
    gone = prs[0]
    simulator.inject(Fault(rf"github:/repos/acme/web/pulls/{gone.number}(/|\?)", NOT_FOUND, times=100))
    with caplog.at_level(logging.WARNING, logger="streamgauge.ingestion"):
        result = load_github(simulator, warehouse, graphql=False)
    assert result.ok, result.error
    (line,) = warnings_about(caplog, "pull request")
    assert f"acme/web#{gone.number}" in line and "404" in line
    assert_all_but_one_pull_request(warehouse, small_org, gone)


def test_a_pull_request_graphql_no_longer_knows_is_skipped_with_one_line_and_the_others_load(
    simulator: Simulator, warehouse: Path, small_org: Org, caplog: pytest.LogCaptureFixture
) -> None:
    simulator.inject(Fault(r"github:/graphql\?#PullDetails", NOT_FOUND))  # the first pull request of the first query
    with caplog.at_level(logging.WARNING, logger="streamgauge.ingestion"):
        result = load_github(simulator, warehouse)
    assert result.ok, result.error
    (line,) = warnings_about(caplog, "pull request")
    repo, number = re.search(r"pull request (\S+)#(\d+)", line).groups()
    assert "not known" in line
    gone = next(
        p for p in small_org.pull_requests if p.source == "github" and (p.repo, p.number) == (repo, int(number))
    )
    assert_all_but_one_pull_request(warehouse, small_org, gone)


def assert_all_but_one_pull_request(warehouse: Path, org: Org, gone: object) -> None:
    counts = table_counts(warehouse)
    expected = expected_counts(org)
    assert counts["pull_requests"] == expected["pull_requests"] - 1
    assert counts["pull_request_reviews"] == expected["pull_request_reviews"] - len(gone.reviews)
    assert counts["pull_request_commits"] == expected["pull_request_commits"] - len(gone.commits)


def test_a_deployment_that_never_leaves_queued_is_followed_for_in_flight_days_only(
    warehouse: Path, small_org: Org
) -> None:
    stuck = next(
        d for d in small_org.deployments if d.repo == "acme/web" and d.created_at > small_org.start + timedelta(days=30)
    )
    org = dataclasses.replace(
        small_org,
        deployments=[
            dataclasses.replace(d, statuses=d.statuses[:1]) if d is stuck else d for d in small_org.deployments
        ],
    )
    assert [s.state for d in org.deployments if d.native_id == stuck.native_id for s in d.statuses] == ["queued"]
    followed = rf"/deployments/{stuck.native_id}(/statuses)?$"
    with Simulator(org) as sim:
        # Through REST: the deployment and its statuses, two requests a run (GraphQL asks 100 deployments a query).
        settings = {"repositories": ["acme/web"], "lookback_days": 0, "in_flight_days": 2, "graphql": False}
        for hours_later, requests_for_it in ((1, None), (24, 2), (25, 2), (49, 0)):
            sim.set_clock(stuck.created_at + timedelta(hours=hours_later))
            sim.clear()
            assert load_github(sim, warehouse, **settings).ok
            if requests_for_it is not None:
                assert sim.request_count("github", followed) == requests_for_it, f"{hours_later} hours later"


def test_a_renamed_repository_costs_one_redirect_then_its_new_name(
    simulator: Simulator, warehouse: Path, small_org: Org, caplog: pytest.LogCaptureFixture
) -> None:
    assert load_github(simulator, warehouse).ok
    simulator.rename_repository("acme/web", "acme/web-platform")
    simulator.clear()
    with caplog.at_level(logging.WARNING, logger="streamgauge.ingestion"):
        assert load_github(simulator, warehouse).ok
    (line,) = warnings_about(caplog, "acme/web-platform")
    assert "acme/web is now acme/web-platform" in line and "sources.github.repositories" in line
    redirects = [r for r in simulator.requests if r.status == 301]
    assert [r.path for r in redirects] == ["/repos/acme/web"], "one redirect: the lookup by the old name"
    assert simulator.request_count("github") <= 6 * len(REPOS) + 1, "its cursors followed: nothing is read again"
    simulator.clear()
    assert load_github(simulator, warehouse).ok
    # Per repository: itself, issues (304), events (304), one window of runs, deployments (304);
    # the renamed one costs one redirect more, and its ETags followed it.
    assert [(r.path, r.status) for r in simulator.requests if r.status not in (200, 304)] == [("/repos/acme/web", 301)]
    assert simulator.request_count("github") == 5 * len(REPOS) + 1
    assert_complete(warehouse, small_org)


def test_issue_events_past_the_depth_github_pages_are_read_issue_by_issue_over_the_next_runs(
    simulator: Simulator,
    warehouse: Path,
    small_org: Org,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Through REST, as a first load reads events when GraphQL is off (with it, the timelines hold them all).
    monkeypatch.setattr(github_api, "ISSUE_EVENTS_REACHABLE", 60)
    monkeypatch.setattr(github, "BACKFILL_ISSUES_PER_RUN", 40)
    with caplog.at_level(logging.WARNING, logger="streamgauge.ingestion"):
        result = load_github(simulator, warehouse, page_size=20, graphql=False)
    assert result.ok, result.error
    refused = {r.path for r in simulator.requests if r.status == 422}
    assert refused, "the cap must have been reached"
    assert len(warnings_about(caplog, "cannot be paged past")) == len(refused), "one line per repository"
    per_issue = {r.path for r in simulator.requests if re.search(r"/issues/\d+/events$", r.path)}
    assert len(per_issue) == 40, "a run reads the events of at most BACKFILL_ISSUES_PER_RUN issues"
    assert warnings_about(caplog, "the next run goes on")
    runs = 1
    while warnings_about(caplog, "the next run goes on") and runs < 10:
        caplog.clear()
        simulator.clear()
        with caplog.at_level(logging.WARNING, logger="streamgauge.ingestion"):
            assert load_github(simulator, warehouse, page_size=20, graphql=False).ok
        runs += 1
    assert 1 < runs < 10
    assert_complete(warehouse, small_org)
    simulator.clear()
    assert load_github(simulator, warehouse, page_size=20, graphql=False).ok
    assert simulator.request_count("github", r"/issues/\d+/events$") == 0, "done: nothing read issue by issue"


def test_a_403_that_spends_the_budget_without_a_reset_time_is_waited_out_as_a_rate_limit(
    simulator: Simulator,
) -> None:
    waits: list[float] = []
    client = ApiClient(
        "github",
        simulator.base_url("github"),
        {"Authorization": f"Bearer {simulator.credentials.github_token}"},
        "sources.github.access_token",
        RetryPolicy(backoff_seconds=1.0),
        sleep=waits.append,
    )
    simulator.inject(Fault(r"github:/repos/acme/web\?", SPENT_WITHOUT_RESET, times=2))
    assert client.get("/repos/acme/web").json()["full_name"] == "acme/web"
    assert waits == [60.0, 120.0], "a minute, then doubling, as for a secondary limit"
    simulator.inject(Fault(r"github:/repos/acme/payments-api\?", SPENT_WITHOUT_RESET, times=100))
    with pytest.raises(TransientError) as failed:
        client.get("/repos/acme/payments-api")
    message = str(failed.value)
    assert "rate limit" in message and "403" in message and "\n" not in message
    assert waits[2:] == [60.0, 120.0, 240.0, 480.0, 900.0], "doubling, each wait capped at max_wait_seconds"
