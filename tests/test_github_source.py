"""The GitHub source against the simulator: complete, incremental, fault tolerant, and discreet."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from conftest import assert_never_leaked, load_source

from orchestration.source_runs import SourceRun
from simulator.github_api import derived_item_events
from simulator.model import Org
from simulator.server import MALFORMED, RATE_LIMIT, SECONDARY_LIMIT, SERVER_ERROR, Fault, Simulator

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
    assert simulator.request_count("github") < full_requests / 3
    assert_complete(warehouse, small_org)


@pytest.mark.parametrize(
    "fault",
    [
        Fault(r"github:/repos/acme/web/issues\?.*[?&]page=2(&|$)", RATE_LIMIT, retry_after=0),
        Fault(r"github:/repos/acme/web/issues/events", SECONDARY_LIMIT, retry_after=0, times=2),
        Fault(r"github:/repos/acme/web/issues\?.*[?&]page=2(&|$)", SERVER_ERROR, times=2),
        Fault(r"github:/repos/acme/payments-api/pulls/\d+/reviews", MALFORMED),
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
