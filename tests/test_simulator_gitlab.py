"""The simulated GitLab REST v4: project lookup, offset paging, incremental filters, shapes, auth."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import pytest
import requests

from simulator.gitlab_api import pagination_headers
from simulator.model import ASSIGNED, CLOSED, LABELED, REOPENED, UNLABELED, Org, PullRequest, WorkItem
from simulator.routing import ApiRequest
from simulator.server import Simulator

GITLAB_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$")
PLATFORM = "acme/platform"
NESTED = "acme%2Fdata%2Fpipeline"


@pytest.fixture
def gitlab(sim: Simulator) -> requests.Session:
    session = requests.Session()
    session.headers["PRIVATE-TOKEN"] = sim.credentials.gitlab_token
    return session


def project_url(sim: Simulator, project: str = "acme%2Fplatform") -> str:
    return f"{sim.base_url('gitlab')}/api/v4/projects/{project}"


def parse_gitlab(stamp: str) -> datetime:
    assert GITLAB_STAMP.match(stamp), stamp
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def to_ms(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def issues_of(org: Org, path: str = PLATFORM) -> list[WorkItem]:
    return [i for i in org.work_items if i.source == "gitlab" and i.container == path]


def merge_requests_of(org: Org, path: str = PLATFORM) -> list[PullRequest]:
    return [p for p in org.pull_requests if p.source == "gitlab" and p.repo == path]


def follow_links(session: requests.Session, url: str, **params) -> tuple[list[dict], list[requests.Response]]:
    """Every row of a list, following rel="next" as a source must."""
    rows, replies = [], []
    reply = session.get(url, params=params)
    while True:
        assert reply.status_code == 200, reply.text
        rows += reply.json()
        replies.append(reply)
        if "next" not in reply.links:
            return rows, replies
        reply = session.get(reply.links["next"]["url"])


# ---------------------------------------------------------------------------------- projects and paging
def test_projects_are_found_by_id_or_encoded_path(gitlab, sim, org):
    nested = next(r for r in org.repositories if r.full_name == "acme/data/pipeline")

    by_path = gitlab.get(project_url(sim, NESTED))
    by_id = gitlab.get(project_url(sim, str(nested.native_id)))
    unknown = gitlab.get(project_url(sim, "acme%2Fnope"))
    github_repo = gitlab.get(project_url(sim, "acme%2Fweb"))

    assert by_path.status_code == by_id.status_code == 200
    assert by_path.json() == by_id.json()
    assert by_path.json()["id"] == nested.native_id
    assert by_path.json()["path_with_namespace"] == "acme/data/pipeline"
    assert by_path.json()["namespace"]["full_path"] == "acme/data"
    assert unknown.status_code == github_repo.status_code == 404
    assert unknown.json() == {"message": "404 Project Not Found"}


def test_link_walk_visits_every_issue_once(gitlab, sim, org):
    rows, replies = follow_links(gitlab, f"{project_url(sim)}/issues", per_page=7)

    iids = [r["iid"] for r in rows]
    assert sorted(iids) == sorted(i.number for i in issues_of(org))
    assert len(iids) == len(set(iids))
    total = len(issues_of(org))
    assert [r.headers["x-page"] for r in replies] == [str(n) for n in range(1, len(replies) + 1)]
    assert all(r.headers["x-total"] == str(total) and r.headers["x-per-page"] == "7" for r in replies)
    assert replies[0].headers["x-prev-page"] == "" and replies[-1].headers["x-next-page"] == ""
    assert replies[0].links["last"]["url"] == replies[-1].url
    assert all(r.links["next"]["url"].startswith(sim.base_url("gitlab")) for r in replies[:-1])


def test_x_next_page_walk_matches_link_walk(gitlab, sim):
    url, rows, page = f"{project_url(sim, NESTED)}/merge_requests", [], "1"
    while page:
        reply = gitlab.get(url, params={"per_page": 3, "page": page})
        rows += reply.json()
        page = reply.headers["x-next-page"]

    assert rows == follow_links(gitlab, url, per_page=3)[0]


def test_totals_are_left_out_above_10000_rows():
    request = ApiRequest.build("GET", "/api/v4/projects/1/pipelines", "per_page=100&page=3", {}, b"",
                               "http://gitlab.test/gitlab")  # fmt: skip

    large = pagination_headers(request, page=3, per_page=100, total=10_001)
    small = pagination_headers(request, page=3, per_page=100, total=10_000)

    assert "x-total" not in large and "x-total-pages" not in large and 'rel="last"' not in large["Link"]
    assert (large["x-next-page"], large["x-prev-page"]) == ("4", "2")
    assert 'rel="next"' in large["Link"] and 'rel="first"' in large["Link"]
    assert (small["x-total"], small["x-total-pages"]) == ("10000", "100")
    last = '<http://gitlab.test/gitlab/api/v4/projects/1/pipelines?per_page=100&page=100>; rel="last"'
    assert last in small["Link"]


# ---------------------------------------------------------------------------------- incremental filters
def test_updated_after_is_inclusive_for_every_list(gitlab, sim, org):
    repo_rows = {
        "issues": ([i for i in issues_of(org)], lambda i: (i.native_id, i.updated_at)),
        "merge_requests": (merge_requests_of(org), lambda p: (p.native_id, p.updated_at)),
        "pipelines": ([r for r in org.pipeline_runs if r.source == "gitlab" and r.repo == PLATFORM],
                      lambda r: (r.native_id, r.updated_at)),
        "deployments": ([d for d in org.deployments if d.source == "gitlab" and d.repo == PLATFORM],
                        lambda d: (d.native_id, d.updated_at)),
    }  # fmt: skip
    for resource, (rows, key) in repo_rows.items():
        moments = sorted(key(r)[1] for r in rows)
        cutoff = moments[len(moments) // 2]
        params = {"updated_after": cutoff.isoformat(), "order_by": "updated_at", "sort": "asc", "per_page": 100}

        got, _ = follow_links(gitlab, f"{project_url(sim)}/{resource}", **params)

        assert {r["id"] for r in got} == {key(r)[0] for r in rows if key(r)[1] >= cutoff}, resource
        stamps = [parse_gitlab(r["updated_at"]) for r in got]
        assert stamps == sorted(stamps) and stamps[0] == to_ms(cutoff), resource


def test_issue_filters(gitlab, sim, org):
    incidents, _ = follow_links(gitlab, f"{project_url(sim)}/issues", issue_type="incident")
    closed, _ = follow_links(gitlab, f"{project_url(sim)}/issues", state="closed")
    labelled, _ = follow_links(gitlab, f"{project_url(sim)}/issues", labels="tech-debt")

    assert {r["iid"] for r in incidents} == {i.number for i in issues_of(org) if i.issue_type == "incident"}
    assert {r["type"] for r in incidents} == {"INCIDENT"}
    assert {r["iid"] for r in closed} == {i.number for i in issues_of(org) if not i.is_open}
    assert {r["iid"] for r in labelled} == {i.number for i in issues_of(org) if "tech-debt" in i.labels}
    assert gitlab.get(f"{project_url(sim)}/issues", params={"updated_after": "last week"}).json() == {
        "error": "updated_after is invalid"
    }


def test_deployment_filters_follow_gitlabs_pairing_rules(gitlab, sim, org):
    url = f"{project_url(sim)}/deployments"
    unpaired = gitlab.get(url, params={"finished_after": "2026-06-01T00:00:00Z"})
    not_success = gitlab.get(url, params={"finished_after": "2026-06-01T00:00:00Z", "order_by": "finished_at"})
    finished, _ = follow_links(gitlab, url, finished_after="2026-06-01T00:00:00Z", order_by="finished_at",
                               status="success")  # fmt: skip
    production, _ = follow_links(gitlab, url, environment="production")

    assert unpaired.status_code == not_success.status_code == 400
    reason = "`finished_at` filter and `finished_at` sorting must be paired"
    assert unpaired.json() == {"message": f"400 Bad request - {reason}"}
    assert finished and {r["status"] for r in finished} == {"success"}
    ends = [
        parse_gitlab(r["deployable"]["finished_at"]) for r in finished
    ]  # the deploy job's: no finished_at of its own
    assert ends == sorted(ends) and min(ends) >= datetime(2026, 6, 1, tzinfo=UTC)
    assert {r["environment"]["name"] for r in production} == {"production"}


# ---------------------------------------------------------------------------------- shapes
def test_issue_shape_and_timestamps(gitlab, sim, org):
    rows, _ = follow_links(gitlab, f"{project_url(sim, NESTED)}/issues", per_page=100)
    model = {i.number: i for i in issues_of(org, "acme/data/pipeline")}

    for row in rows:
        item = model[row["iid"]]
        assert {"id", "iid", "project_id", "title", "description", "state", "created_at", "updated_at", "closed_at",
                "closed_by", "labels", "assignees", "assignee", "author", "issue_type", "type", "web_url",
                "references", "severity"} <= set(row)  # fmt: skip
        assert row["id"] == item.native_id and row["labels"] == item.labels
        assert parse_gitlab(row["created_at"]) == to_ms(item.created_at)
        assert parse_gitlab(row["updated_at"]) == to_ms(item.updated_at)
        assert row["state"] == ("opened" if item.is_open else "closed")
        assert (row["closed_at"] and parse_gitlab(row["closed_at"])) == (item.closed_at and to_ms(item.closed_at))
        assert row["references"]["full"] == f"acme/data/pipeline#{item.number}"
        assert row["web_url"].startswith(sim.base_url("gitlab"))


def test_resource_events_replay_the_model(gitlab, sim, org):
    item = next(i for i in issues_of(org) if any(e.kind == CLOSED for e in i.events))
    base = f"{project_url(sim)}/issues/{item.number}"

    states = gitlab.get(f"{base}/resource_state_events").json()
    labels = gitlab.get(f"{base}/resource_label_events").json()

    assert [(s["state"], parse_gitlab(s["created_at"])) for s in states] == [
        ("closed" if e.kind == CLOSED else "reopened", to_ms(e.at)) for e in item.events if e.kind in (CLOSED, REOPENED)
    ]
    assert all(s["resource_type"] == "Issue" and s["resource_id"] == item.native_id for s in states)
    expected = [("add", label, item.created_at) for label in item.initial_labels]
    expected += [("add" if e.kind == LABELED else "remove", e.to_value, e.at) for e in item.events
                 if e.kind in (LABELED, UNLABELED)]  # fmt: skip
    assert [(r["action"], r["label"]["name"], parse_gitlab(r["created_at"])) for r in labels] == [
        (action, name, to_ms(at)) for action, name, at in expected
    ]
    missing = gitlab.get(f"{project_url(sim)}/issues/9999/resource_state_events")
    assert missing.status_code == 404 and missing.json() == {"message": "404 Issue Not Found"}


def test_issue_notes_record_assignee_changes_as_gitlab_writes_them(gitlab, sim, org):
    """GitLab has no resource event for assignees: its system notes are the history."""
    item = next(i for i in issues_of(org) if len({e.assignee for e in i.events if e.kind == ASSIGNED}) > 1)
    notes = gitlab.get(f"{project_url(sim)}/issues/{item.number}/notes", params={"sort": "asc"}).json()
    assignee_notes = [n for n in notes if n["system"] and "assigned" in n["body"]]
    expected, current = [], None
    for event in item.events:
        if event.kind == ASSIGNED and event.assignee != current:
            parts = [f"assigned to @{event.assignee.login}"] + ([f"unassigned @{current.login}"] if current else [])
            expected.append((" and ".join(parts), to_ms(event.at)))
            current = event.assignee
    assert [(n["body"], parse_gitlab(n["created_at"])) for n in assignee_notes] == expected
    assert any(" and unassigned @" in body for body, _ in expected), "a reassignment names both people"
    newest_first = gitlab.get(f"{project_url(sim)}/issues/{item.number}/notes").json()
    assert [n["id"] for n in newest_first] == [n["id"] for n in reversed(notes)]


def test_merge_request_views(gitlab, sim, org):
    pr = next(p for p in merge_requests_of(org) if p.merged_at and any(r.state == "APPROVED" for r in p.reviews))
    base = f"{project_url(sim)}/merge_requests/{pr.number}"

    listed = next(r for r in follow_links(gitlab, f"{project_url(sim)}/merge_requests")[0] if r["iid"] == pr.number)
    single = gitlab.get(base).json()
    commits = gitlab.get(f"{base}/commits").json()
    approvals = gitlab.get(f"{base}/approvals").json()
    notes = gitlab.get(f"{base}/notes").json()
    states = gitlab.get(f"{base}/resource_state_events").json()

    assert {"id", "iid", "project_id", "title", "state", "created_at", "updated_at", "merged_at", "closed_at",
            "merge_commit_sha", "squash_commit_sha", "squash", "sha", "source_branch", "target_branch", "author",
            "draft", "work_in_progress", "web_url", "references", "merge_user", "merged_by"} <= set(listed)  # fmt: skip
    assert listed["state"] == "merged" and listed["merge_commit_sha"] == pr.merge_commit_sha
    assert parse_gitlab(listed["merged_at"]) == to_ms(pr.merged_at) and listed["closed_at"] is None
    assert single["changes_count"] == str(pr.changed_files) and single["diff_refs"]["head_sha"] == pr.head_sha
    assert single["first_deployed_to_production_at"] is None
    assert [c["id"] for c in commits] == [c.sha for c in reversed(pr.commits)]
    assert {"short_id", "title", "message", "author_name", "authored_date", "committed_date",
            "parent_ids"} <= set(commits[0])  # fmt: skip
    approvers = {r.reviewer.login for r in pr.reviews if r.state == "APPROVED"}
    assert {a["user"]["username"] for a in approvals["approved_by"]} == approvers and approvals["approved"]
    approved_notes = [n for n in notes if n["system"] and n["body"] == "approved this merge request"]
    assert {n["author"]["username"] for n in approved_notes} == approvers
    assert [n["created_at"] for n in notes] == sorted((n["created_at"] for n in notes), reverse=True)
    assert [(s["state"], parse_gitlab(s["created_at"])) for s in states] == [("merged", to_ms(pr.merged_at))]


def test_pipeline_list_leaves_out_timings_the_detail_has(gitlab, sim, org):
    rows, _ = follow_links(gitlab, f"{project_url(sim)}/pipelines", per_page=100)
    runs = {r.native_id: r for r in org.pipeline_runs if r.source == "gitlab" and r.repo == PLATFORM}
    detail = gitlab.get(f"{project_url(sim)}/pipelines/{rows[0]['id']}").json()
    run = runs[rows[0]["id"]]

    assert {r["id"] for r in rows} == set(runs)
    assert [r["id"] for r in rows] == sorted(runs, reverse=True)  # newest first by default
    assert not {"started_at", "finished_at", "duration"} & set(rows[0])
    assert {r["source"] for r in rows} <= {"push", "merge_request_event", "web"}
    assert {r["status"] for r in rows} <= {"success", "failed", "canceled", "running"}
    assert parse_gitlab(detail["started_at"]) == to_ms(run.started_at)
    assert detail["duration"] == int((run.finished_at - run.started_at).total_seconds())
    assert {"queued_duration", "user", "before_sha", "tag", "yaml_errors", "coverage", "detailed_status"} <= set(detail)
    assert gitlab.get(f"{project_url(sim)}/pipelines/1").json() == {"message": "404 Not found"}


def test_deployments_carry_environment_and_deploying_pipeline(gitlab, sim, org):
    rows, _ = follow_links(gitlab, f"{project_url(sim)}/deployments", per_page=100)
    model = {d.native_id: d for d in org.deployments if d.source == "gitlab" and d.repo == PLATFORM}
    states = {"queued": "created", "in_progress": "running", "success": "success", "failure": "failed"}

    assert [r["id"] for r in rows] == sorted(model)  # ascending id by default
    for row in rows:
        deployment = model[row["id"]]
        assert row["status"] == states[deployment.state] and row["sha"] == deployment.sha
        # EnvironmentBasic, as GitLab embeds it: no tier, no state; and no finished_at on the deployment.
        assert set(row["environment"]) == {"id", "name", "slug", "external_url", "created_at", "updated_at"}
        assert "finished_at" not in row
        pipeline = row["deployable"]["pipeline"]
        assert pipeline["id"] == deployment.pipeline_id
        assert set(pipeline) >= {"id", "iid", "project_id", "sha", "ref", "status", "source", "created_at",
                                 "updated_at", "web_url"}  # fmt: skip
        assert row["deployable"]["commit"]["id"] == deployment.sha
        assert (row["deployable"]["finished_at"] is None) == (row["status"] not in ("success", "failed"))


def test_environments_list_their_tier(gitlab, sim, org):
    rows, _ = follow_links(gitlab, f"{project_url(sim)}/environments", per_page=1)
    model = {d.environment: d.tier for d in org.deployments if d.source == "gitlab" and d.repo == PLATFORM}
    deployments, _ = follow_links(gitlab, f"{project_url(sim)}/deployments", per_page=100)

    assert {r["name"]: r["tier"] for r in rows} == model and len(rows) == len(model) >= 2
    assert all(r["state"] == "available" for r in rows)
    assert {d["environment"]["id"] for d in deployments} == {r["id"] for r in rows}


def test_timestamps_carry_the_instance_offset(gitlab, sim, org):
    rows, _ = follow_links(gitlab, f"{project_url(sim)}/deployments", per_page=100)
    model = {d.native_id: d for d in org.deployments if d.source == "gitlab" and d.repo == PLATFORM}

    assert all(r["created_at"].endswith("+03:00") for r in rows)
    assert all(parse_gitlab(r["created_at"]) == to_ms(model[r["id"]].created_at) for r in rows)


# ---------------------------------------------------------------------------------- auth and limits
def test_credentials(sim):
    url = project_url(sim)
    token = sim.credentials.gitlab_token

    assert requests.get(url).status_code == 401
    assert requests.get(url).json() == {"message": "401 Unauthorized"}
    assert requests.get(url, headers={"PRIVATE-TOKEN": "glpat-wrong"}).status_code == 401
    assert requests.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert requests.get(url, headers={"PRIVATE-TOKEN": token}).status_code == 200


def test_rate_limit_headers(gitlab, sim):
    first = gitlab.get(project_url(sim))
    second = gitlab.get(project_url(sim, NESTED))

    assert first.headers["RateLimit-Limit"] == str(sim.rate_limit)
    assert int(second.headers["RateLimit-Remaining"]) == int(first.headers["RateLimit-Remaining"]) - 1
    assert int(second.headers["RateLimit-Observed"]) == int(first.headers["RateLimit-Observed"]) + 1
    assert int(first.headers["RateLimit-Reset"]) > time.time()
    assert first.headers["RateLimit-ResetTime"].endswith("GMT")
