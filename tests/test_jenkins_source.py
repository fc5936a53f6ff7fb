"""The Jenkins source against the simulator: complete, incremental on build numbers, running builds read again,
folders walked without the page that answers 500, fault tolerant."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import assert_never_leaked, configure_sources, load_source, simulated_settings

from ingestion.pipeline import make_pipeline
from orchestration.defs.ingestion import configured_sources
from orchestration.source_runs import SourceRun
from simulator import jenkins_api
from simulator.model import Org
from simulator.server import CUT_OFF, FORBIDDEN, RATE_LIMIT, SERVER_ERROR, Fault, Simulator

DEPLOY = ("releases", "mobile-app-deploy")


def load_jenkins(sim: Simulator, path: Path, **settings: object) -> SourceRun:
    return load_source(sim, "jenkins", path, **{"retry_backoff_seconds": 0.01, **settings})


def query(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as db:
        return db.execute(sql).fetchall()


def leaves(org: Org) -> dict[tuple[str, ...], jenkins_api.Job]:
    return {path: job for path, job in jenkins_api.jobs(org).items() if job.kind == jenkins_api.PIPELINE}


def expected_builds(org: Org) -> set[tuple]:
    results = {None: None, "success": "SUCCESS", "failure": "FAILURE", "cancelled": "ABORTED"}
    return {
        ("/".join(path), b.number, results[b.run.conclusion], b.run.finished_at is None)
        for path, job in leaves(org).items()
        for b in job.builds
    }


def assert_complete(path: Path, org: Org) -> None:
    """Every build once, as it is at the organisation's end; every pipeline build's stages."""
    assert set(query(path, "select job, number, result, building from raw_jenkins.builds")) == expected_builds(org)
    assert query(path, "select count(*) = count(distinct (job, number)) from raw_jenkins.builds") == [(True,)]
    staged = query(path, "select count(distinct (job, number)) from raw_jenkins.stages")
    assert staged == [(len(expected_builds(org)),)]


def cursors(path: Path) -> dict:
    return make_pipeline("jenkins", path).state["sources"]["jenkins"]["resources"]["changed_builds"]


def test_full_load_matches_the_organisation(simulator: Simulator, warehouse: Path, small_org: Org) -> None:
    run = load_jenkins(simulator, warehouse)
    assert run.ok, run.error
    assert_complete(warehouse, small_org)
    jobs = leaves(small_org)
    assert run.rows["jobs"] == len(jobs)
    builds = len(expected_builds(small_org))
    # The walk: acme, its multibranch project and releases (their listings say which children are
    # jobs); then per job one page of builds (each holds under 100); per pipeline build, its stages.
    assert run.requests == 3 + len(jobs) + builds
    revisions = query(
        warehouse,
        "select remote_url, count(*) from raw_jenkins.builds__revisions group by 1 order by 1",
    )
    deploys = len(jobs[DEPLOY].builds)
    assert revisions == [
        ("https://github.com/acme/jenkins-shared-library.git", deploys),
        ("https://github.com/acme/mobile-app.git", builds),
    ]
    replays = [b for job in jobs.values() for b in job.builds if b.rerun_cause == jenkins_api.REPLAY_CAUSE]
    assert query(
        warehouse, "select count(*) from raw_jenkins.builds__causes where cause_class like '%ReplayCause'"
    ) == [(len(replays),)]
    queued = query(warehouse, "select count(*) from raw_jenkins.builds where queuing_duration_ms is null")
    assert queued == [(0,)], "the Metrics plugin's queue time on every build"
    assert_never_leaked([simulator.credentials.jenkins_token], run.warnings, warehouse.parent)


def test_a_rerun_with_nothing_new_asks_only_the_folders(simulator: Simulator, warehouse: Path, small_org: Org) -> None:
    assert load_jenkins(simulator, warehouse).ok
    simulator.clear()
    run = load_jenkins(simulator, warehouse)
    assert run.ok, run.error
    assert simulator.request_count("jenkins") == 3, "the folders alone: their listings say no job has a new build"
    assert "builds" not in run.rows


def test_a_build_running_at_a_load_is_read_again_and_gets_its_result(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    deploy = leaves(small_org)[DEPLOY].builds[-2]
    night = deploy.run.started_at + (deploy.run.finished_at - deploy.run.started_at) / 2
    simulator.set_clock(night)
    assert load_jenkins(simulator, warehouse).ok
    job = "/".join(DEPLOY)
    assert query(warehouse, f"select result, building from raw_jenkins.builds where job = '{job}' and number = "
                 f"{deploy.number}") == [(None, True)]  # fmt: skip
    assert cursors(warehouse)["running"][job] == [deploy.number]
    assert query(
        warehouse, f"select status from raw_jenkins.stages where job = '{job}' and number = {deploy.number} "
        "order by started_at desc limit 1"
    ) == [("IN_PROGRESS",)]  # fmt: skip

    simulator.set_clock(small_org.end)
    simulator.clear()
    run = load_jenkins(simulator, warehouse)
    assert run.ok, run.error
    assert simulator.request_count("jenkins", rf"^/job/releases/job/mobile-app-deploy/{deploy.number}/api/json$") == 1
    assert_complete(warehouse, small_org)
    assert (
        query(warehouse, f"select status from raw_jenkins.stages where job = '{job}' and number = {deploy.number}")
        == [("SUCCESS",)] * 3
    )


def test_builds_page_through_all_builds_and_folders_never_ask_the_page_past_their_last(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    run = load_jenkins(simulator, warehouse, page_size=2, jobs=["acme/*", "releases", "sandbox"])
    assert run.ok, run.error
    assert not [r for r in simulator.requests if r.status >= 400], "no 500 for a page past a folder's last"
    pages = [r for r in simulator.requests if "allBuilds" in r.query and "mobile-app-deploy" in r.path]
    assert len(pages) == len(leaves(small_org)[DEPLOY].builds) // 2 + 1
    assert_complete(warehouse, small_org)


def test_a_server_error_in_the_middle_of_paging_a_cut_off_reply_and_a_429_are_retried(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    simulator.inject(
        Fault(r"jenkins:/job/releases/job/mobile-app-deploy/api/json\?.*allBuilds.*%7B2%2C4%7D", SERVER_ERROR),
        Fault(r"jenkins:/job/releases/job/mobile-app-deploy/api/json\?.*allBuilds.*%7B4%2C6%7D", CUT_OFF),
        Fault(r"jenkins:/job/.*/wfapi/describe", RATE_LIMIT, skip=3),
    )
    run = load_jenkins(simulator, warehouse, page_size=2)
    assert run.ok, run.error
    assert sorted(r.status for r in simulator.requests if r.status >= 400) == [429, 500]
    assert_complete(warehouse, small_org)


def test_a_server_error_that_persists_moves_no_cursor_and_the_next_run_loses_nothing(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    simulator.inject(Fault(r"jenkins:/job/releases/job/mobile-app-deploy/\d+/wfapi/describe", SERVER_ERROR, skip=2,
                           times=1000))  # fmt: skip
    failed = load_jenkins(simulator, warehouse)
    assert failed.error is not None and failed.error.startswith("jenkins: ")
    assert "kept failing (HTTP 500)" in failed.error
    loaded = (
        "select count(*) from information_schema.tables where table_schema = 'raw_jenkins' and table_name = 'builds'"
    )
    assert not warehouse.exists() or query(warehouse, loaded) == [(0,)], "nothing of the failed run was kept"
    simulator.clear()
    assert load_jenkins(simulator, warehouse).ok
    assert_complete(warehouse, small_org)


def test_a_rejected_token_gets_one_line_and_is_never_shown(simulator: Simulator, warehouse: Path) -> None:
    run = load_jenkins(simulator, warehouse, api_token="11wrongtoken")
    assert run.error == (
        "jenkins: the credentials were rejected (HTTP 401); check sources.jenkins.user and sources.jenkins.api_token "
        "(.dlt/secrets.toml) or SOURCES__JENKINS__USER and SOURCES__JENKINS__API_TOKEN"
    )
    assert_never_leaked(["11wrongtoken"], [run.error, *run.warnings], warehouse.parent)


def test_an_unknown_job_gets_one_line_naming_it_and_the_others_load(simulator: Simulator, warehouse: Path) -> None:
    run = load_jenkins(simulator, warehouse, jobs=["releases/*", "acme/mobile-ap", "sandbox/*"])
    assert run.ok, run.error
    assert run.warnings == [
        "jenkins: job acme/mobile-ap was not found (HTTP 404); check the name and the token's access; skipped "
        "(listed in sources.jenkins.jobs (.dlt/config.toml) or SOURCES__JENKINS__JOBS)",
        "jenkins: no job matches 'sandbox/*'; listed in sources.jenkins.jobs (.dlt/config.toml) or "
        "SOURCES__JENKINS__JOBS",
    ]
    assert query(warehouse, "select distinct job from raw_jenkins.builds") == [("releases/mobile-app-deploy",)]


def test_a_job_whose_builds_are_refused_is_skipped_and_read_in_full_once_allowed(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    simulator.inject(Fault(r"jenkins:/job/releases/job/mobile-app-deploy/api/json\?.*allBuilds", FORBIDDEN, times=9))
    run = load_jenkins(simulator, warehouse)
    assert run.ok, run.error
    assert len(run.warnings) == 1 and run.warnings[0].startswith(
        "jenkins: builds of releases/mobile-app-deploy answered HTTP 403; skipped there, everything else loads"
    )
    assert "releases/mobile-app-deploy" not in cursors(warehouse)["last_number"]
    simulator.clear()
    assert load_jenkins(simulator, warehouse).ok
    assert_complete(warehouse, small_org)


def test_missing_settings_get_one_line_and_an_unconfigured_jenkins_is_not_loaded(
    simulator: Simulator, warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = load_jenkins(simulator, warehouse, api_token=None)
    assert run.error == (
        "jenkins: missing setting api_token; set it in .dlt/secrets.toml or .dlt/config.toml under "
        "[sources.jenkins], or as SOURCES__JENKINS__API_TOKEN"
    )
    assert load_jenkins(simulator, warehouse, base_url="ci.example.com").error == (
        "jenkins: base_url must start with http:// or https://; check sources.jenkins.base_url"
    )
    configure_sources(monkeypatch, simulated_settings(simulator, "jira"), warehouse)
    assert [setup.name for setup in configured_sources()] == ["jira"]
