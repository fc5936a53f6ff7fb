"""The delivery and DORA models built by dbt over data the real sources loaded from the simulator.

The build runs every data test and unit test of the project (the hand-computed cases live in
the YAML beside the models); these tests check what it produced against the generated
organisation, whose truth the generator knows: which commits each deployment shipped, which
deployments were rollbacks, which deployment each incident followed.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from dbt_helpers import dbt, load_all_sources

from simulator import jenkins_api
from simulator.model import Deployment, Org, PullRequest, WorkItem
from simulator.pagerduty_api import all_incidents
from simulator.server import Simulator


@pytest.fixture(scope="module")
def built(small_org: Org, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small organisation, loaded and built once for this module, as of its last moment."""
    directory = tmp_path_factory.mktemp("delivery")
    path = directory / "warehouse.duckdb"
    with Simulator(small_org) as simulator:
        load_all_sources(simulator, path)
    # The delivery models and everything they are built from; the flow marts are not needed here.
    delivery = ["--select", "+path:models/marts/delivery", "+path:models/core/delivery"]
    only_their_tests = ["--indirect-selection", "cautious"]  # not tests of models left unbuilt
    as_of = {"as_of": f"{small_org.end:%Y-%m-%d %H:%M:%S}"}
    dbt(path, directory, "build", *delivery, *only_their_tests, variables=as_of)
    return path


def query(path: Path, sql: str) -> list[tuple]:
    # Not read-only: dbt, run in this process, may still hold the file (see test_dbt_canonical).
    with duckdb.connect(str(path)) as db:
        return db.execute(sql).fetchall()


def naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)


def instance(org: Org, source: str, repository: str) -> str:
    """What ids name a repository by: GitHub's repository id, GitLab's project path."""
    if source == "github":
        (repository,) = (str(r.native_id) for r in org.repositories if r.full_name == repository)
    return repository


def issue_id(org: Org, item: WorkItem) -> str:
    """A GitHub or GitLab issue's work item id: by repository id and number, or by global issue id."""
    if item.source == "gitlab":
        return f"gitlab:127.0.0.1:issue:{item.native_id}"  # the simulator's host
    return f"{item.source}:{instance(org, item.source, item.container)}:issue:{item.number}"


def deployment_id(org: Org, deployment: Deployment) -> str:
    return f"{deployment.source}:{instance(org, deployment.source, deployment.repo)}:deployment:{deployment.native_id}"


def production(org: Org, repo: str) -> list[Deployment]:
    """Successful production deployments (GitHub later marks them inactive), in finishing order."""
    shipped = [
        d
        for d in org.deployments
        if d.repo == repo and d.environment == "production" and any(s.state == "success" for s in d.statuses)
    ]
    return sorted(shipped, key=lambda d: next(s.at for s in d.statuses if s.state == "success"))


def first_containing(
    deployments: list[Deployment], pr: PullRequest, merged_at: dict[str, datetime]
) -> Deployment | None:
    """The generator deploys the newest merge on main: a deployment contains every PR merged no
    later than the merge it ships (a rollback ships an old one, and so contains fewer)."""
    return next((d for d in deployments if merged_at[d.sha] >= pr.merged_at), None)


def test_merged_web_prs_link_to_the_first_deployment_that_shipped_them(built: Path, small_org: Org) -> None:
    deployments = production(small_org, "acme/web")
    merged = [p for p in small_org.pull_requests if p.repo == "acme/web" and p.merged_at]
    merged_at = {p.merge_commit_sha: p.merged_at for p in merged}
    sql = "select number, deployment_id, deploy_link_method from core.pull_requests where repository = 'acme/web'"
    links = {number: (deployment, method) for number, deployment, method in query(built, sql)}
    first_start, last_start = min(d.created_at for d in deployments), max(d.created_at for d in deployments)
    expected = {}
    for pr in merged:
        shipped_by = first_containing(deployments, pr, merged_at)
        if first_start <= pr.merged_at <= last_start:
            assert shipped_by is not None, f"#{pr.number} merged before the last deployment began"
        if shipped_by:
            method = "sha" if shipped_by.sha == pr.merge_commit_sha else "time"
            # Nobody knows what the first recorded deployment contained: only its own sha links to it.
            if method == "sha" or pr.merged_at >= first_start:
                expected[pr.number] = (deployment_id(small_org, shipped_by), method)
    assert {n: link for n, link in links.items() if link[0]} == expected
    assert any(method == "time" for _, method in expected.values()), "squash merges ship in batches"


def test_the_rollbacks_of_the_organisation_and_only_they_are_flagged(built: Path, small_org: Org) -> None:
    rollbacks = {deployment_id(small_org, d) for d in small_org.deployments if d.is_rollback}
    assert rollbacks, "the generator rolls back once per team that records deployments"
    flagged = {r[0] for r in query(built, "select deployment_id from core.deployments where is_rollback")}
    assert flagged == rollbacks
    rolled_back = query(
        built,
        "select count(*) from core.deployments where is_failed and failure_reasons like '%rollback%' "
        "and rolled_back_by_deployment_id in (select deployment_id from core.deployments where is_rollback)",
    )[0][0]
    assert rolled_back == len(rollbacks)


def test_mobile_app_production_deployments_are_its_jenkins_deploy_stages(built: Path, small_org: Org) -> None:
    """acme/mobile-app records no GitHub deployments and ships through Jenkins: its production
    deployments are the "Deploy to production" stages of its deploy job, and its GitHub deploy
    workflow stands in for nothing (the unit test of int_deployments_unioned covers a repository
    whose deploy workflow runs do stand in)."""
    runs = [r for r in small_org.pipeline_runs if r.repo == "acme/mobile-app" and r.workflow == "Deploy to production"]
    builds = jenkins_api.jobs(small_org)[("releases", "mobile-app-deploy")].builds
    assert {b.run.native_id for b in builds} == {r.native_id for r in runs}
    rows = query(
        built,
        "select deployment_id, deploy_source, environment, is_production, is_successful "
        "from core.deployments where repository = 'acme/mobile-app'",
    )
    assert {r[1:4] for r in rows} == {("jenkins_stage", "production", True)}
    successful = {r[0] for r in rows if r[4]}
    prefix = "jenkins:127.0.0.1:deployment:releases/mobile-app-deploy"
    assert successful == {f"{prefix}#{b.number}:stage:20" for b in builds if b.run.conclusion == "success"}
    # and its pull requests ship with them
    shipped = "select count(deployment_id) from core.pull_requests where repository = 'acme/mobile-app'"
    assert query(built, shipped)[0][0] > 0


def test_incidents_naming_a_release_are_blamed_on_it(built: Path, small_org: Org) -> None:
    incidents = [i for i in small_org.work_items if i.title.startswith("Incident:")]
    counts = Counter(i.source for i in incidents) + Counter(pagerduty=len(all_incidents(small_org)))
    assert dict(query(built, "select source_system, count(*) from core.incidents group by 1")) == dict(counts)
    named = {
        issue_id(small_org, i): i.caused_by_deployment
        for i in incidents
        if "Started after deploying" in i.body and i.source != "jira"  # the Jira source loads no descriptions
    }
    assert named, "the generator's responders name the release half of the time"
    rows = query(built, "select incident_id, caused_by_deployment_id, attribution_method from core.incidents")
    blamed = {incident: (deployment, method) for incident, deployment, method in rows if incident in named}
    assert {i: (d.rsplit(":", 1)[-1], m) for i, (d, m) in blamed.items()} == {
        i: (str(native), "sha") for i, native in named.items()
    }


def test_a_pagerduty_incident_fails_the_deployment_before_it_and_counts_in_its_repositorys_dora_week(
    built: Path, small_org: Org
) -> None:
    """One paged incident from the simulator's truth to dora_weekly. It follows a successful production
    deployment with no other one of its repository finished in between, so the time rule blames that
    deployment (or its title names it); its restore time is the resolve log entry less its creation,
    computed here by hand; in a week where it is the only incident its repository resolved, the mart's
    median time to restore is that one value."""
    resolved = (
        "select repository, cast(date_trunc('week', resolved_at) as date), count(*) from core.incidents "
        "where resolved_at is not null group by 1, 2"
    )
    alone = {(repository, week) for repository, week, n in query(built, resolved) if n == 1}

    def week_of(moment: datetime) -> object:
        return (moment - timedelta(days=moment.weekday())).date()

    def finished(d: Deployment) -> datetime | None:
        return next((s.at for s in d.statuses if s.state == "success"), None)

    def blamed(incident) -> Deployment | None:
        shipped = [d for d in production(small_org, incident.service.repo) if finished(d) < incident.created_at]
        return shipped[-1] if shipped else None

    incident, deployment = next(
        (i, d)
        for i in all_incidents(small_org)
        if i.deployment and i.resolved_at <= small_org.end and (d := blamed(i)) and d.native_id == i.deployment
        and (d.repo, week_of(i.resolved_at)) in alone
    )  # fmt: skip
    hours = (incident.resolved_at - incident.created_at).total_seconds() / 3600
    row = query(
        built,
        "select repository, severity, created_at, resolved_at, time_to_restore_hours, caused_by_deployment_id, "
        "attribution_method from core.incidents "
        f"where incident_id = 'pagerduty:acme.pagerduty.com:incident:{incident.id}'",
    )
    assert row == [
        (
            deployment.repo,
            (incident.priority or incident.urgency).lower(),
            naive(incident.created_at),
            naive(incident.resolved_at),
            pytest.approx(hours),
            deployment_id(small_org, deployment),
            "deployment_id" if "after deployment" in incident.title else "time",
        )
    ]
    blamed_id = deployment_id(small_org, deployment)
    failed = f"select is_failed, failure_reasons from core.deployments where deployment_id = '{blamed_id}'"
    ((is_failed, reasons),) = query(built, failed)
    assert is_failed and "incident" in reasons
    dora = query(
        built,
        "select incidents_resolved, time_to_restore_p50_hours from marts.dora_weekly "
        f"where repository = '{deployment.repo}' and period_start = '{week_of(incident.resolved_at)}'",
    )
    assert dora == [(1, pytest.approx(hours))]


def test_a_deployment_fails_once_however_many_incidents_it_has(built: Path) -> None:
    incident_counts = query(
        built,
        "select d.deployment_id, d.incident_count, count(i.incident_id) from core.deployments d "
        "left join core.incidents i on i.caused_by_deployment_id = d.deployment_id "
        "where d.is_production and d.is_successful group by 1, 2",
    )
    assert all(count == attributed for _, count, attributed in incident_counts)
    assert any(count > 1 for _, count, _ in incident_counts), "some deployments have several incidents"
    failed = query(built, "select count(*) from core.deployments where is_failed")[0][0]
    weekly_failed = query(built, "select sum(failed_deployments) from marts.dora_weekly_org")
    assert weekly_failed[0][0] == failed


@pytest.mark.parametrize("mart", ["dora_weekly", "dora_monthly"])
def test_the_organisation_is_the_sum_of_the_repositories(built: Path, mart: str) -> None:
    rows = query(
        built,
        f"""
        with repositories as (
            select period_start, sum(deployments) as deployments, sum(deploy_days) as day_sum,
                max(deploy_days) as day_max, sum(failed_deployments) as failed, sum(deployed_changes) as changes
            from marts.{mart}
            group by period_start
        )
        select
            organisation.period_start,
            organisation.deployments, repositories.deployments,
            organisation.deploy_days, repositories.day_sum, repositories.day_max,
            organisation.failed_deployments, repositories.failed,
            organisation.deployed_changes, repositories.changes
        from marts.{mart}_org as organisation
        left join repositories using (period_start)
        """,
    )
    assert rows
    for _, all_deploys, deploys, all_days, day_sum, day_max, all_failed, failed, all_changes, changes in rows:
        assert all_deploys == (deploys or 0)
        assert all_failed == (failed or 0)
        assert all_changes == (changes or 0)
        assert (day_max or 0) <= all_days <= (day_sum or 0)  # distinct days: repositories deploy on the same days too
    totals = query(
        built,
        f"select sum(deployments) from marts.{mart} union all select sum(deployments) from marts.{mart}_org "
        "union all select count(*) from core.deployments where is_production and is_successful",
    )
    assert totals[0][0] == totals[1][0] == totals[2][0]


def test_weeks_without_deployments_are_zero_rows(built: Path, small_org: Org) -> None:
    rows = query(
        built,
        "select repository, min(period_start), max(period_start), count(*), "
        "sum(case when deployments = 0 then 1 else 0 end) from marts.dora_weekly group by repository",
    )
    end = naive(small_org.end)
    as_of_week = (end - timedelta(days=end.weekday())).date()
    for repository, first, last, weeks, _ in rows:
        assert last == as_of_week, repository
        assert weeks == (last - first).days // 7 + 1, f"{repository} has a gap"
    assert sum(quiet for *_, quiet in rows) > 0


def test_pull_requests_link_the_work_items_they_name(built: Path) -> None:
    rows = query(built, "select head_branch, linked_work_item_ids from core.pull_requests")
    chores = [linked for branch, linked in rows if branch.startswith(("chore/", "dependabot/"))]
    work = [linked for branch, linked in rows if not branch.startswith(("chore/", "dependabot/"))]
    assert work and all(work), "every PR written for a work item names it in its title, body or branch"
    assert not any(chores)
    mismatched = query(
        built,
        """
        select w.work_item_id from core.work_items w
        left join (
            select work_item_id, string_agg(pull_request_id, ', ' order by pull_request_id) as ids
            from core.pull_request_work_items group by 1
        ) b on b.work_item_id = w.work_item_id
        where coalesce(w.linked_pr_ids, '') <> coalesce(b.ids, '')
        """,
    )
    assert mismatched == []


def test_value_streams_end_in_production(built: Path) -> None:
    rows = query(
        built,
        "select count(*), count(deployed_at), "
        "sum(case when deployed_at < last_pr_merged_at or last_pr_merged_at < first_pr_opened_at then 1 else 0 end) "
        "from marts.value_stream_items",
    )
    items, deployed, disordered = rows[0]
    assert items == query(built, "select count(*) from core.work_items")[0][0]
    assert deployed > 0
    assert disordered == 0


def test_the_summary_tiers_every_measure_it_has(built: Path) -> None:
    overall = query(
        built,
        "select deployments, deploy_frequency_tier, lead_time_tier, change_failure_rate_tier"
        " from marts.dora_summary_org",
    )
    assert len(overall) == 1
    deployments, frequency, lead_time, rate_tier = overall[0]
    assert deployments > 0 and frequency and lead_time and rate_tier
    repositories = {r for (r,) in query(built, "select repository from marts.dora_summary")}
    assert repositories >= {"acme/web", "acme/mobile-app", "acme/platform"}


# ---------------------------------------------------------------------- Jenkins
def test_a_replayed_jenkins_build_is_a_rerun_in_pipeline_runs_and_makes_its_sha_flaky_in_ci_health(
    built: Path, small_org: Org
) -> None:
    """One Jenkins build from the simulator's truth to ci_health_weekly: a pull request's build that
    failed and was replayed. Its row in core.pipeline_runs is computed by hand from the build
    (queue time from the Metrics plugin's action, duration from start to finish); the week's CI
    health of the multibranch project (its workflow) is counted by hand from every build of its
    branch jobs created that week, per metrics.md: failure rate = failed ÷ concluded runs, a sha
    flaky when its builds both failed and succeeded, counted in the week of its first build."""
    jobs = jenkins_api.jobs(small_org)
    branch_builds = [b for path, job in jobs.items() if path[:2] == ("acme", "mobile-app") for b in job.builds]
    replay = next(b for b in branch_builds if b.rerun_cause == jenkins_api.REPLAY_CAUSE and b.run.finished_at)
    run = replay.run
    key = f"{'/'.join(replay.job)}#{replay.number}"
    row = query(
        built,
        "select source_system, repository, service, workflow_name, event, branch, head_sha, attempt, run_number, "
        "status, conclusion, created_at, started_at, finished_at, duration_seconds from core.pipeline_runs "
        f"where pipeline_run_id = 'jenkins:127.0.0.1:build:{key}'",
    )
    assert row == [
        (
            "jenkins", "acme/mobile-app", "mobile", "acme/mobile-app", "replay", replay.job[-1], run.head_sha, 2,
            replay.number, "completed", "success", naive(run.created_at), naive(run.started_at),
            naive(run.finished_at), int((run.finished_at - run.started_at).total_seconds()),
        )
    ]  # fmt: skip

    def week_of(moment: datetime) -> object:
        return (moment - timedelta(days=moment.weekday())).date()

    week = week_of(run.created_at)
    in_week = [b.run for b in branch_builds if week_of(b.run.created_at) == week and b.run.finished_at]
    failed = sum(r.conclusion == "failure" for r in in_week)
    first_week: dict[str, object] = {}
    outcomes: dict[str, set[str]] = {}
    for b in sorted(branch_builds, key=lambda b: b.run.created_at):
        first_week.setdefault(b.run.head_sha, week_of(b.run.created_at))
        if b.run.conclusion:
            outcomes.setdefault(b.run.head_sha, set()).add(b.run.conclusion)
    shas = [sha for sha, w in first_week.items() if w == week and sha in outcomes]
    flaky = sum(outcomes[sha] >= {"success", "failure"} for sha in shas)
    assert flaky >= 1, "the replayed build's sha failed, then passed"
    health = query(
        built,
        "select runs, concluded_runs, failed_runs, failure_rate, concluded_shas, flaky_shas, team "
        "from marts.ci_health_weekly where source_system = 'jenkins' and workflow = 'acme/mobile-app' "
        f"and period_start = '{week}'",
    )
    assert health == [
        (len(in_week), len(in_week), failed, pytest.approx(failed / len(in_week)), len(shas), flaky, "mobile")
    ]


def test_a_jenkins_deploy_stage_is_a_production_deployment_of_its_github_repository_in_dora(
    built: Path, small_org: Org
) -> None:
    """One production deployment made by a Jenkins pipeline stage, "Deploy to production" (matching
    the default pattern of jenkins_deployment_patterns), from the simulator's truth to dora_weekly.
    It counts in the GitHub repository its remote URL names; the pull request whose merge commit it
    deployed links to it by sha, its lead time ending at the stage's end; the week's deployment
    count is the Jenkins deploys that finished successfully in that week, counted here by hand."""
    deploys = jenkins_api.jobs(small_org)[("releases", "mobile-app-deploy")].builds
    merged = {
        pr.merge_commit_sha: pr for pr in small_org.pull_requests if pr.repo == "acme/mobile-app" and pr.merged_at
    }
    build = next(b for b in deploys if b.run.conclusion == "success" and b.run.head_sha in merged)
    run, pr = build.run, merged[build.run.head_sha]
    stage = jenkins_api.stages(build, small_org)[-1]
    assert stage["name"] == "Deploy to production"
    stage_start = datetime.fromtimestamp(stage["startTimeMillis"] / 1000, UTC)
    deployment = f"jenkins:127.0.0.1:deployment:releases/mobile-app-deploy#{build.number}:stage:{stage['id']}"
    row = query(
        built,
        "select source_system, repository, service, deploy_source, environment, is_production, is_successful, sha, "
        "status, source_status, created_at, finished_at, pipeline_run_id from core.deployments "
        f"where deployment_id = '{deployment}'",
    )
    assert row == [
        (
            "github", "acme/mobile-app", "mobile", "jenkins_stage", "production", True, True, run.head_sha,
            "success", "SUCCESS", naive(stage_start), naive(run.finished_at),
            f"jenkins:127.0.0.1:build:releases/mobile-app-deploy#{build.number}",
        )
    ]  # fmt: skip
    linked = query(
        built,
        "select deployment_id, deployed_at, deploy_link_method from core.pull_requests "
        f"where repository = 'acme/mobile-app' and number = {pr.number}",
    )
    assert linked == [(deployment, naive(run.finished_at), "sha")]

    def week_of(moment: datetime) -> object:
        return (moment - timedelta(days=moment.weekday())).date()

    week = week_of(run.finished_at)
    in_week = [b for b in deploys if b.run.conclusion == "success" and week_of(b.run.finished_at) == week]
    dora = query(
        built,
        "select source_system, deployments from marts.dora_weekly "
        f"where repository = 'acme/mobile-app' and period_start = '{week}'",
    )
    assert dora == [("github", len(in_week))]
