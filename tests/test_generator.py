"""The simulated organisation: deterministic, internally consistent, and rich in the edge cases."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from simulator.generator import OrgConfig, generate_org, working_hours_later
from simulator.model import ASSIGNED, CLOSED, FLAGGED, LABELED, REOPENED, STATUS, Org, PullRequest, WorkItem


@pytest.fixture(scope="module")
def org() -> Org:
    return generate_org()


def fingerprint(org: Org) -> list:
    return [
        [
            (i.source, i.key, i.created_at, [(e.id, e.at, e.kind, e.from_value, e.to_value) for e in i.events])
            for i in org.work_items
        ],
        [(p.repo, p.number, p.created_at, p.merged_at, [c.sha for c in p.commits]) for p in org.pull_requests],
        [(r.native_id, r.attempt, r.conclusion) for r in org.pipeline_runs],
        [(d.native_id, d.sha, [s.state for s in d.statuses]) for d in org.deployments],
    ]


def test_same_seed_same_org_and_other_seed_other_org(org: Org) -> None:
    assert fingerprint(generate_org()) == fingerprint(org)
    assert fingerprint(generate_org(OrgConfig(seed=8))) != fingerprint(org)


def test_sizes_are_parameters() -> None:
    small = generate_org(OrgConfig(items_per_project=10, bulk_close_size=0, days=60))
    assert 40 <= len(small.work_items) <= 80
    assert small.end - small.start <= timedelta(days=60)


def test_default_demo_is_a_few_hundred_issues_over_six_months(org: Org) -> None:
    assert 300 <= len(org.work_items) <= 600
    assert timedelta(days=170) <= org.end - org.start <= timedelta(days=190)
    assert {r.source for r in org.repositories} == {"github", "gitlab"}
    assert len(org.jira_projects) == 2 and len(org.teams) == 5


def test_nothing_happens_before_it_was_created_or_after_the_end(org: Org) -> None:
    for item in org.work_items:
        moments = [e.at for e in item.events]
        assert moments == sorted(moments), item.key
        assert all(item.created_at <= t <= org.end for t in moments), item.key
    for pr in org.pull_requests:
        assert pr.commits[0].authored_at < pr.created_at, (pr.repo, pr.number)
        assert all(r.submitted_at > pr.created_at for r in pr.reviews), (pr.repo, pr.number)
        assert pr.merged_at is None or pr.merged_at > pr.created_at
        assert pr.ready_at is None or pr.ready_at >= pr.created_at
    for deployment in org.deployments:
        assert all(s.at >= deployment.created_at for s in deployment.statuses)
    for run in org.pipeline_runs:
        assert run.created_at <= run.started_at and (run.finished_at is None or run.started_at < run.finished_at)


def test_item_numbers_rise_with_creation_time(org: Org) -> None:
    """Jira numbers items as they are created in a project, and an item moved in as it arrives."""
    for container in {i.container for i in org.work_items if i.source == "jira"}:
        items = sorted((i for i in org.work_items if i.container == container), key=lambda i: i.number)
        created = [i.created_at for i in items if not i.moved_from]
        assert created == sorted(created)
        arrived = [(i.moved_from[2], i.number) for i in items if i.moved_from]
        assert arrived == sorted(arrived) and all(
            n > max(i.number for i in items if not i.moved_from) for _, n in arrived
        )


def test_some_jira_items_move_to_the_other_team_in_review_and_are_taken_over(org: Org) -> None:
    moved = [i for i in org.work_items if i.moved_from]
    assert moved
    for item in moved:
        old_project, _, at = item.moved_from
        assert old_project != item.container
        assert any(e.kind == ASSIGNED and e.at == at for e in item.events), "someone of the new team takes it"


def test_workflows_have_every_kind_of_movement(org: Org) -> None:
    jira = [i for i in org.work_items if i.source == "jira"]
    statuses = Counter(e.to_value for i in jira for e in i.events if e.kind == STATUS)
    assert {"In Progress", "IN PROGRESS"} <= set(statuses), "the same stage in several spellings"
    assert statuses["Won't Do"] + statuses["Cancelled"] > 0, "canceled items"
    assert statuses["Blocked"] > 0, "a Blocked status"
    assert any(e.kind == FLAGGED for i in jira for e in i.events), "Jira Flagged periods"
    assert any(i.initial_status in ("Done", "Closed") and not i.events for i in jira), "created already done"
    assert any(e.kind == REOPENED for i in org.work_items for e in i.events), "reopens"
    labels = Counter(e.to_value for i in org.work_items for e in i.events if e.kind == LABELED)
    assert labels["blocked"] > 0 and labels["status: in review"] > 0 and labels["workflow::in review"] > 0
    assert any(e.kind == CLOSED and e.to_value == "not_planned" for i in org.work_items for e in i.events)
    backward = 0
    for item in jira:
        names = [e.to_value for e in item.events if e.kind == STATUS]
        backward += any(
            a in ("In Review", "Code Review") and b in ("In Progress", "IN PROGRESS")
            for a, b in zip(names, names[1:], strict=False)
        )
    assert backward > 5, "backward moves from review to in progress"


def test_one_bulk_close_by_automation_within_a_minute(org: Org) -> None:
    by_minute = Counter(
        (e.actor.login, e.at.replace(second=0))
        for i in org.work_items
        for e in i.events
        if e.kind == STATUS and e.to_value == "Done"
    )
    (actor, _), count = by_minute.most_common(1)[0]
    assert actor == "Automation for Jira" and count >= 50


def test_items_in_flight_at_the_end(org: Org) -> None:
    def in_progress(item: WorkItem) -> bool:
        if item.source == "jira":
            return org.jira_statuses[item.status] == "indeterminate"
        return item.is_open and any(label.startswith(("status:", "workflow::")) for label in item.labels)

    assert sum(map(in_progress, org.work_items)) >= 10, "work in progress when the history stops"


def test_pull_requests_cover_the_shapes_people_make(org: Org) -> None:
    prs = org.pull_requests
    assert any(p.created_as_draft and p.ready_at for p in prs), "drafts that became ready"
    assert any(p.merged_at for p in prs) and any(p.closed_at and not p.merged_at for p in prs)
    assert any(p.merge_method == "squash" for p in prs) and any(p.merge_method == "merge" for p in prs)
    assert any(r.reviewer.is_bot for p in prs for r in p.reviews), "bot reviews"
    assert any(p.author.is_bot for p in prs), "bot authors"
    assert any(all(r.reviewer == p.author or r.reviewer.is_bot for r in p.reviews) and p.merged_at for p in prs)
    assert any(p.title.startswith(("PAY-", "MOB-")) for p in prs), "Jira keys in titles"
    assert any("Closes #" in p.body for p in prs), "closing keywords"


def test_ci_runs_fail_and_are_rerun(org: Org) -> None:
    attempts = Counter(r.native_id for r in org.pipeline_runs if r.source == "github")
    rerun = [run_id for run_id, n in attempts.items() if n == 2]
    assert rerun
    first = next(r for r in org.pipeline_runs if r.native_id == rerun[0] and r.attempt == 1)
    assert first.conclusion == "failure"


def test_deployments_staging_production_failures_and_a_rollback(org: Org) -> None:
    deployments = org.deployments
    assert {d.environment for d in deployments} == {"staging", "production"}
    assert any("failure" in [s.state for s in d.statuses] for d in deployments)
    merge_shas = {p.merge_commit_sha for p in org.pull_requests if p.merge_commit_sha}
    assert all(d.sha in merge_shas for d in deployments)
    rollbacks = [d for d in deployments if d.is_rollback]
    assert rollbacks
    for rollback in rollbacks:
        earlier = [
            d
            for d in deployments
            if d.repo == rollback.repo and d.environment == "production" and d.created_at < rollback.created_at
        ]
        assert rollback.sha in {d.sha for d in earlier[:-1]}, "re-deploys an earlier sha"
    mobile = [r for r in org.pipeline_runs if r.workflow == "Deploy to production"]
    assert mobile and not any(d.repo == "acme/mobile-app" for d in deployments), "a repository without deployments"


def test_incidents_some_caused_by_deployments(org: Org) -> None:
    incidents = [i for i in org.work_items if i.issue_type.lower() == "incident" or "incident" in i.initial_labels]
    caused = [i for i in incidents if i.caused_by_deployment]
    assert caused and len(caused) < len(incidents)
    finished = {
        d.native_id: next(s.at for s in d.statuses if s.state in ("success", "failure")) for d in org.deployments
    }
    assert all(finished[i.caused_by_deployment] <= i.created_at for i in caused)
    assert {i.source for i in incidents} == {"jira", "github", "gitlab"}


def test_as_of_shows_the_past(org: Org) -> None:
    moment = org.start + timedelta(days=90)
    past = org.as_of(moment)
    assert all(i.created_at <= moment for i in past.work_items)
    assert all(e.at <= moment for i in past.work_items for e in i.events)
    assert 0 < len(past.work_items) < len(org.work_items)
    assert all(p.merged_at is None or p.merged_at <= moment for p in past.pull_requests)
    assert any(r.conclusion is None for r in org.as_of(org.pipeline_runs[100].started_at).pipeline_runs)


def test_working_hours_skip_nights_and_weekends() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    friday_4pm = datetime(2026, 6, 5, 16, 0, tzinfo=berlin)
    assert working_hours_later(friday_4pm, 2, berlin) == datetime(2026, 6, 8, 10, 0, tzinfo=berlin).astimezone(UTC)
    saturday = datetime(2026, 6, 6, 12, 0, tzinfo=berlin)
    assert working_hours_later(saturday, 0, berlin) == datetime(2026, 6, 8, 9, 0, tzinfo=berlin).astimezone(UTC)


def _lines(pr: PullRequest) -> int:
    return pr.additions + pr.deletions


def _first_review(pr: PullRequest) -> datetime | None:
    reviews = [r.submitted_at for r in pr.reviews if r.reviewer != pr.author and not r.reviewer.is_bot]
    return min(reviews, default=None)


def test_larger_pull_requests_wait_longer_for_review_and_fail_ci_more_often() -> None:
    """Over three seeds' PRs, so that the claim is the generator's and not one draw's luck."""
    orgs = [generate_org(OrgConfig(seed=seed)) for seed in (7, 8, 9)]
    reviewed = [p for o in orgs for p in o.pull_requests if p.merged_at and _first_review(p)]
    small = [p for p in reviewed if _lines(p) < 50]
    large = [p for p in reviewed if _lines(p) >= 200]
    assert len(small) > 30 and len(large) > 30

    def pickup_p50(prs: list[PullRequest]) -> float:
        return statistics.median((_first_review(p) - (p.ready_at or p.created_at)).total_seconds() for p in prs)

    def review_p50(prs: list[PullRequest]) -> float:
        return statistics.median((p.merged_at - _first_review(p)).total_seconds() for p in prs)

    assert pickup_p50(large) > 1.5 * pickup_p50(small)
    assert review_p50(large) > 1.5 * review_p50(small)
    runs = [r for o in orgs for r in o.pipeline_runs if r.pull_request and r.attempt == 1]

    def failure_rate(lowest: int, highest: float) -> float:
        tested = [r for r in runs if lowest <= _lines(r.pull_request) < highest]
        return sum(r.conclusion == "failure" for r in tested) / len(tested)

    assert failure_rate(200, float("inf")) > 1.3 * failure_rate(0, 50)


def test_some_incidents_get_a_follow_up_defect_whose_pr_names_the_incident(org: Org) -> None:
    incidents = {
        i.key if i.source == "jira" else f"#{i.number}": i for i in org.work_items if i.title.startswith("Incident:")
    }
    follow_ups = [i for i in org.work_items if i.title.startswith("Follow-up: ")]
    assert follow_ups and all(i.issue_type == "Bug" or "bug" in i.initial_labels for i in follow_ups)
    naming = [p for p in org.pull_requests if "Follow-up to incident " in p.body]
    assert naming
    repositories = {r.team: r.full_name for r in org.repositories}
    for pr in naming:
        incident = incidents[pr.body.rsplit("Follow-up to incident ", 1)[1].rstrip(".")]
        team = next(t for t in org.teams if incident.container in (repositories[t], *(
            p.key for p in org.jira_projects if p.team == t)))  # fmt: skip
        assert pr.repo == repositories[team], "the fix lands in the incident's team's repository"
