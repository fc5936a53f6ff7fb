"""The simulated GitHub API: reply shapes against GitHub's OpenAPI description, paging, filters, auth, limits.

Every reply the simulator serves is validated row by row against the response schema GitHub
publishes for its route (strictly: no undocumented fields either), and every URL in it must
lead back to the simulator.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from openapi import GITHUB_TIMESTAMP, assert_valid, response_validator, schema_validator

from simulator import github_api
from simulator.generator import OrgConfig, generate_org
from simulator.github_api import derived_item_events, dismissals
from simulator.model import CLOSED, Org
from simulator.server import (
    BROKEN_CHUNKS,
    CUT_OFF,
    FORBIDDEN,
    FUTURE_DATED,
    GARBLED,
    NOT_FOUND,
    RATE_LIMIT,
    SECONDARY_LIMIT,
    SERVER_ERROR,
    Fault,
    Simulator,
)

REPOS = ("acme/payments-api", "acme/mobile-app", "acme/web")
ISSUES = "/repos/{owner}/{repo}/issues"
ISSUE_EVENTS = "/repos/{owner}/{repo}/issues/events"
ISSUE_EVENTS_WEB = "/repos/acme/web/issues/events"
ISSUE_OWN_EVENTS = "/repos/{owner}/{repo}/issues/{issue_number}/events"
PULL = "/repos/{owner}/{repo}/pulls/{pull_number}"
REVIEWS = "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"
COMMITS = "/repos/{owner}/{repo}/pulls/{pull_number}/commits"
RUNS = "/repos/{owner}/{repo}/actions/runs"
DEPLOYMENTS = "/repos/{owner}/{repo}/deployments"
DEPLOYMENT = "/repos/{owner}/{repo}/deployments/{deployment_id}"
STATUSES = "/repos/{owner}/{repo}/deployments/{deployment_id}/statuses"
REPOSITORY = "/repos/{owner}/{repo}"
BAD_CREDENTIALS = {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"}


class GitHub:
    """A bare client: the simulator's GitHub base URL, a token, and `Link`-following."""

    def __init__(self, sim: Simulator, token: str | None = None) -> None:
        self.sim = sim
        self.base = sim.base_url("github")
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token or sim.credentials.github_token}"

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.session.get(path if path.startswith("http") else self.base + path, params=params, timeout=30)

    def ok(self, path: str, **params: Any) -> Any:
        response = self.get(path, **params)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        return response.json()

    def pages(self, path: str, **params: Any) -> Iterator[Any]:
        """Every page's body, following `rel="next"` from the first."""
        response = self.get(path, **params)
        while True:
            assert response.status_code == 200, (response.url, response.status_code, response.text[:300])
            yield response.json()
            if "next" not in response.links:
                return
            response = self.get(response.links["next"]["url"])

    def rows(self, path: str, **params: Any) -> list:
        return [row for page in self.pages(path, per_page=100, **params) for row in _rows(page)]


def _rows(body: Any) -> list:
    return body["workflow_runs"] if isinstance(body, dict) else body


@pytest.fixture(scope="module")
def gh(sim: Simulator) -> GitHub:
    return GitHub(sim)


def validated_pages(gh: GitHub, route: str, path: str, **params: Any) -> list:
    """All rows of a list, each page checked against GitHub's schema for `route`; returns the rows."""
    validator = response_validator(route)
    rows = []
    for number, page in enumerate(gh.pages(path, per_page=100, **params), start=1):
        check_reply(gh.sim, validator, page, f"{path} page {number}")
        rows += _rows(page)
    return rows


def check_reply(sim: Simulator, validator: Any, body: Any, what: str) -> None:
    assert_valid(validator, body, what)
    for key, value in _leaves(body):
        if isinstance(value, str) and value.startswith(("http://", "https://")) and key != "environment_url":
            assert value.startswith(sim.url + "/github/"), f"{what}: {key} leads away from the simulator: {value}"
        if key.endswith("_at") or key in ("date", "timestamp"):
            assert value is None or GITHUB_TIMESTAMP.fullmatch(value), f"{what}: {key} = {value!r}"


def _leaves(node: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _leaves(v, key)
    else:
        yield key, node


def github_prs(org: Org, repo: str) -> list:
    return [p for p in org.pull_requests if p.source == "github" and p.repo == repo]


def ts(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------- reply shapes
@pytest.mark.parametrize("repo", REPOS)
def test_repository_matches_openapi(gh: GitHub, repo: str) -> None:
    body = gh.ok(f"/repos/{repo}")
    check_reply(gh.sim, response_validator(REPOSITORY), body, repo)
    assert body["full_name"] == repo and body["owner"]["type"] == "Organization"


@pytest.mark.parametrize("repo", REPOS)
def test_issues_match_openapi(gh: GitHub, org: Org, repo: str) -> None:
    rows = validated_pages(gh, ISSUES, f"/repos/{repo}/issues", state="all")
    items = [i for i in org.work_items if i.source == "github" and i.container == repo]
    pulls = [row for row in rows if "pull_request" in row]
    assert len(rows) - len(pulls) == len(items) and len(pulls) == len(github_prs(org, repo))
    merged = {p.number for p in github_prs(org, repo) if p.merged_at}
    assert {row["number"] for row in pulls if row["pull_request"]["merged_at"]} == merged
    if items:
        assert any(row["labels"] and row["state_reason"] for row in rows), "labels and closing reasons"


@pytest.mark.parametrize("repo", REPOS)
def test_issue_events_match_openapi(gh: GitHub, org: Org, repo: str) -> None:
    events = validated_pages(gh, ISSUE_EVENTS, f"/repos/{repo}/issues/events")
    kinds = Counter(e["event"] for e in events)
    prs = github_prs(org, repo)
    expected = {"closed", "merged", "head_ref_deleted", "review_requested"}
    if any(p.ready_at for p in prs):
        expected.add("ready_for_review")
    if any(dismissals(p) for p in prs):
        expected.add("review_dismissed")
    if repo == "acme/web":
        expected |= {"labeled", "unlabeled", "assigned"}
        items = [i for i in org.work_items if i.source == "github" and i.container == repo]
        expected |= {e.kind for i in items for e in derived_item_events(i, org.end)}
        assert {"renamed", "milestoned", "locked"} <= expected, "the org shows GitHub's other event kinds"
    assert set(kinds) == expected, kinds
    details = {
        "renamed": "rename",
        "milestoned": "milestone",
        "locked": "lock_reason",
        "review_dismissed": "dismissed_review",
    }
    assert all(e[details[e["event"]]] for e in events if e["event"] in details)
    moments, ids = [e["created_at"] for e in events], [e["id"] for e in events]
    assert moments == sorted(moments, reverse=True), "newest first"
    assert ids == sorted(set(ids), reverse=True), "by id, descending: ids rise with time"
    merged = next(e for e in events if e["event"] == "merged")
    assert merged["commit_id"] and merged["issue"]["pull_request"]["merged_at"]
    assert all(e["issue"]["number"] for e in events)


@pytest.mark.parametrize("days", [7, 30])
def test_events_appear_when_they_happen_and_keep_their_ids(sim: Simulator, gh: GitHub, days: int) -> None:
    """A source pages events newest first until it meets the newest it has: an event a later snapshot
    adds must be dated after the earlier one (so it has a higher id), and every event keeps its id."""

    def events() -> dict[int, tuple]:
        return {
            e["id"]: (e["event"], e["created_at"], e["issue"]["number"])
            for repo in REPOS
            for e in gh.rows(f"/repos/{repo}/issues/events")
        }

    earlier = sim.full_org.end - timedelta(days=days)
    try:
        sim.set_clock(earlier)
        before = events()
    finally:
        sim.set_clock(sim.full_org.end)
    after = events()
    assert before.items() <= after.items()
    new = {i: event for i, event in after.items() if i not in before}
    assert new and all(
        i > max(before) and created > f"{earlier:%Y-%m-%dT%H:%M:%SZ}" for i, (_, created, _) in new.items()
    )


def test_issue_events_include_reopens() -> None:
    """Reopens are rare: the demo-sized organisation has them."""
    demo = generate_org(OrgConfig())
    assert any(e.kind == "reopened" for i in demo.work_items if i.source == "github" for e in i.events)
    with Simulator(demo) as sim:
        events = validated_pages(GitHub(sim), ISSUE_EVENTS, "/repos/acme/web/issues/events")
    assert "reopened" in {e["event"] for e in events}


@pytest.mark.parametrize("repo", REPOS)
def test_pulls_reviews_and_commits_match_openapi(gh: GitHub, org: Org, repo: str) -> None:
    single, reviews, commits = response_validator(PULL), response_validator(REVIEWS), response_validator(COMMITS)
    by_number = {p.number: p for p in github_prs(org, repo)}
    for number in by_number:
        detail = gh.ok(f"/repos/{repo}/pulls/{number}")
        check_reply(gh.sim, single, detail, f"{repo} pull {number}")
        assert detail["merged"] == (by_number[number].merged_at is not None)
        assert detail["commits"] == len(by_number[number].commits)
        review_rows = gh.ok(f"/repos/{repo}/pulls/{number}/reviews")
        check_reply(gh.sim, reviews, review_rows, f"{repo} pull {number} reviews")
        assert [r["submitted_at"] for r in review_rows] == sorted(r["submitted_at"] for r in review_rows)
        assert {r["state"] for r in review_rows} <= {"APPROVED", "CHANGES_REQUESTED", "COMMENTED"}
        commit_rows = gh.ok(f"/repos/{repo}/pulls/{number}/commits")
        check_reply(gh.sim, commits, commit_rows, f"{repo} pull {number} commits")
        assert [c["sha"] for c in commit_rows] == [c.sha for c in by_number[number].commits]


@pytest.mark.parametrize("repo", REPOS)
def test_workflow_runs_match_openapi(gh: GitHub, org: Org, repo: str) -> None:
    runs = validated_pages(gh, RUNS, f"/repos/{repo}/actions/runs")
    ids = {r.native_id for r in org.pipeline_runs if r.repo == repo and r.source == "github"}
    if repo == OrgConfig.jenkins_repository:  # built and deployed on Jenkins: no Actions runs
        assert runs == [] and not ids
        return
    assert [r["id"] for r in runs if r["id"] in ids] == [r["id"] for r in runs] and len(runs) == len(ids)
    assert [r["created_at"] for r in runs] == sorted((r["created_at"] for r in runs), reverse=True)
    assert {r["status"] for r in runs} == {"completed"} and any(r["run_attempt"] == 2 for r in runs)
    assert all(r["pull_requests"] for r in runs if r["event"] == "pull_request")
    workflows = {r.workflow for r in org.pipeline_runs if r.repo == repo and r.source == "github"}
    assert {r["path"] for r in runs} == {f".github/workflows/{w.lower().replace(' ', '-')}.yml" for w in workflows}


def test_runs_in_flight_match_openapi(sim: Simulator, gh: GitHub) -> None:
    """Moving the clock into a re-run shows it queued, then in progress, as its second attempt."""
    rerun = next(r for r in sim.full_org.pipeline_runs if r.source == "github" and r.attempt == 2)
    validator = response_validator(RUNS)
    try:
        for moment, status in ((rerun.created_at, "queued"), (rerun.started_at + timedelta(seconds=1), "in_progress")):
            sim.set_clock(moment)
            body = gh.ok(f"/repos/{rerun.repo}/actions/runs", per_page=100, created=f"<={ts(moment)}")
            check_reply(sim, validator, body, f"runs at {moment}")
            run = next(r for r in body["workflow_runs"] if r["id"] == rerun.native_id)
            assert (run["status"], run["conclusion"], run["run_attempt"]) == (status, None, 2)
            assert run["previous_attempt_url"].endswith("/attempts/1")
    finally:
        sim.set_clock(sim.full_org.end)


@pytest.mark.parametrize("repo", REPOS)
def test_deployments_and_statuses_match_openapi(gh: GitHub, org: Org, repo: str) -> None:
    deployments = validated_pages(gh, DEPLOYMENTS, f"/repos/{repo}/deployments")
    expected = [d for d in org.deployments if d.repo == repo]
    assert len(deployments) == len(expected)
    if repo == "acme/mobile-app":  # ships with a workflow only
        assert deployments == []
        return
    assert [d["created_at"] for d in deployments] == sorted((d["created_at"] for d in deployments), reverse=True)
    single = response_validator(DEPLOYMENT)
    states = Counter()
    for deployment in deployments:
        check_reply(gh.sim, single, gh.ok(f"/repos/{repo}/deployments/{deployment['id']}"), f"{deployment['id']}")
        statuses = validated_pages(gh, STATUSES, f"/repos/{repo}/deployments/{deployment['id']}/statuses")
        assert [s["created_at"] for s in statuses] == sorted((s["created_at"] for s in statuses), reverse=True)
        states.update(s["state"] for s in statuses)
    assert {"queued", "in_progress", "success", "inactive"} <= set(states)


def test_deployment_filters(gh: GitHub, org: Org) -> None:
    production = gh.rows("/repos/acme/web/deployments", environment="production")
    assert production and {d["environment"] for d in production} == {"production"}
    sha = production[0]["sha"]
    assert {d["sha"] for d in gh.rows("/repos/acme/web/deployments", sha=sha)} == {sha}


# ---------------------------------------------------------------------- pagination
def test_link_header_pages_visit_every_row_once(gh: GitHub, org: Org) -> None:
    total = len([i for i in org.work_items if i.container == "acme/web"]) + len(github_prs(org, "acme/web"))
    first = gh.get("/repos/acme/web/issues", state="all", per_page=7)
    last_page = int(parse_qs(urlsplit(first.links["last"]["url"]).query)["page"][0])
    assert last_page == math.ceil(total / 7)
    assert "prev" not in first.links
    numbers = [row["number"] for page in gh.pages("/repos/acme/web/issues", state="all", per_page=7) for row in page]
    assert len(numbers) == len(set(numbers)) == total
    final = gh.get(first.links["last"]["url"])
    assert "next" not in final.links and {"prev", "first"} <= set(final.links)


def test_per_page_is_capped_at_100(gh: GitHub) -> None:
    response = gh.get("/repos/acme/web/issues/events", per_page=500)
    assert len(response.json()) == 100 and "next" in response.links
    assert len(gh.get("/repos/acme/web/issues/events").json()) == 30, "default page size"


# ---------------------------------------------------------------------- filters and order
def test_issues_default_to_open_newest_first(gh: GitHub) -> None:
    rows = gh.rows("/repos/acme/web/issues")
    assert rows and {row["state"] for row in rows} == {"open"}
    assert [row["created_at"] for row in rows] == sorted((row["created_at"] for row in rows), reverse=True)


def test_issues_since_keeps_those_updated_at_or_after(gh: GitHub) -> None:
    everything = gh.rows("/repos/acme/web/issues", state="all")
    since = sorted(row["updated_at"] for row in everything)[len(everything) // 2]
    rows = gh.rows("/repos/acme/web/issues", state="all", since=since)
    assert {row["number"] for row in rows} == {row["number"] for row in everything if row["updated_at"] >= since}
    assert 0 < len(rows) < len(everything)


def test_issues_sorted_by_update_ascending(gh: GitHub) -> None:
    rows = gh.rows("/repos/acme/web/issues", state="all", sort="updated", direction="asc")
    stamps = [row["updated_at"] for row in rows]
    assert stamps == sorted(stamps) and len(set(stamps)) > 1


def test_issues_label_filter(gh: GitHub) -> None:
    rows = gh.rows("/repos/acme/web/issues", state="all", labels="bug")
    assert rows and all("bug" in {label["name"] for label in row["labels"]} for row in rows)


def test_workflow_runs_created_window(gh: GitHub, org: Org) -> None:
    runs = {}
    for run in org.pipeline_runs:  # the first attempt's creation is the run's
        if run.repo == "acme/web":
            runs.setdefault(run.native_id, run.created_at)
    start, end = datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 6, 30, 23, 59, 59, tzinfo=UTC)
    inside = {i for i, created in runs.items() if start <= created <= end}
    for created in (f"{ts(start)}..{ts(end)}", "2026-06-01..2026-06-30"):
        body = gh.ok("/repos/acme/web/actions/runs", created=created, per_page=100)
        assert body["total_count"] == len(inside)
        assert {r["id"] for r in gh.rows("/repos/acme/web/actions/runs", created=created)} == inside
    later = {i for i, created in runs.items() if created >= start}
    assert gh.ok("/repos/acme/web/actions/runs", created=">=2026-06-01")["total_count"] == len(later)
    day = {i for i, created in runs.items() if created.date() == start.date()}
    assert gh.ok("/repos/acme/web/actions/runs", created="2026-06-01")["total_count"] == len(day)
    assert gh.get("/repos/acme/web/actions/runs", created="last tuesday").status_code == 422


def test_workflow_runs_filtered_queries_stop_at_1000(org: Org) -> None:
    """total_count stays true, but a filtered query's pages past 1,000 rows come back empty."""
    template = next(r for r in org.pipeline_runs if r.repo == "acme/web" and r.finished_at)
    copies = [
        dataclasses.replace(
            template, native_id=8_000_000_000 + n, created_at=template.created_at + timedelta(minutes=n)
        )
        for n in range(1200)
    ]
    big = dataclasses.replace(org, pipeline_runs=org.pipeline_runs + copies)
    total = len({r.native_id for r in big.pipeline_runs if r.repo == "acme/web"})
    path = "/repos/acme/web/actions/runs"
    with Simulator(big) as sim:
        gh = GitHub(sim)
        assert len(gh.rows(path)) == total > 1000, "unfiltered: every run is reachable"
        assert len(gh.ok(path, status="completed", per_page=100, page=10)["workflow_runs"]) == 100
        beyond = gh.ok(path, status="completed", per_page=100, page=11)
        assert beyond["total_count"] == total and beyond["workflow_runs"] == []
        assert len(gh.rows(path, status="completed")) == 1000, "Link stops at the cap"


# ---------------------------------------------------------------------- credentials and names
def test_wrong_or_missing_token_is_401(sim: Simulator) -> None:
    url = f"{sim.base_url('github')}/repos/acme/web/issues"
    for headers in ({"Authorization": "Bearer wrong"}, {}, {"Authorization": sim.credentials.github_token}):
        response = requests.get(url, headers=headers, timeout=30)
        assert response.status_code == 401 and response.json() == BAD_CREDENTIALS
    response = requests.get(url, headers={"Authorization": f"token {sim.credentials.github_token}"}, timeout=30)
    assert response.status_code == 200


def test_unknown_repository_or_number_is_404(gh: GitHub) -> None:
    validator = response_validator(REPOSITORY, status="404")
    unknown = (
        "/repos/acme/nope",
        "/repos/acme/nope/issues",
        "/repos/acme/platform/deployments",
        "/repos/acme/web/pulls/9999",
    )
    for path in unknown:
        response = gh.get(path)
        assert response.status_code == 404, path
        assert response.json()["message"] == "Not Found" and response.json()["status"] == "404"
        assert_valid(validator, response.json(), path)
    assert gh.get("/repos/ACME/Web/issues").status_code == 200, "names are case-insensitive"


# ---------------------------------------------------------------------- rate limits and conditional requests
def test_rate_limit_headers_count_down(gh: GitHub) -> None:
    first = gh.get("/repos/acme/web/issues")
    second = gh.get("/repos/acme/web/issues", state="all")
    for response in (first, second):
        headers = response.headers
        assert headers["x-ratelimit-limit"] == "5000" and headers["x-ratelimit-resource"] == "core"
        assert int(headers["x-ratelimit-reset"]) > datetime.now(UTC).timestamp()
    assert int(second.headers["x-ratelimit-remaining"]) == int(first.headers["x-ratelimit-remaining"]) - 1
    assert int(second.headers["x-ratelimit-used"]) == int(first.headers["x-ratelimit-used"]) + 1


def test_if_none_match_answers_304_for_free(gh: GitHub) -> None:
    first = gh.get("/repos/acme/web/issues", state="all")
    etag = first.headers["ETag"]
    again = gh.session.get(first.url, headers={"If-None-Match": etag}, timeout=30)
    assert again.status_code == 304 and again.content == b""
    assert again.headers["x-ratelimit-remaining"] == first.headers["x-ratelimit-remaining"]


def test_throttling_and_failures_are_worded_as_github_words_them(sim: Simulator, gh: GitHub, org: Org) -> None:
    sim.inject(
        Fault("github:/repos/acme/web/actions/runs", SECONDARY_LIMIT, retry_after=7),
        Fault("github:/repos/acme/web/deployments", RATE_LIMIT),
        Fault("github:/repos/acme/web/issues/events", SERVER_ERROR),
    )
    try:
        secondary = gh.get("/repos/acme/web/actions/runs")
        assert secondary.status_code == 403 and secondary.headers["Retry-After"] == "7"
        assert "You have exceeded a secondary rate limit" in secondary.json()["message"]
        assert gh.get("/repos/acme/web/deployments").status_code == 429
        assert gh.get("/repos/acme/web/issues/events").status_code == 500
    finally:
        sim.clear()
    with Simulator(org, rate_limit=1) as limited:
        client = GitHub(limited)
        assert client.get("/repos/acme/web").status_code == 200
        spent = client.get("/repos/acme/web/issues")
        assert spent.status_code == 403 and spent.headers["x-ratelimit-remaining"] == "0"
        assert spent.json()["message"].startswith("API rate limit exceeded for user ID ")


def test_refusals_are_worded_as_github_words_them_and_keep_the_rate_limit_headers(sim: Simulator, gh: GitHub) -> None:
    sim.inject(
        Fault("github:/repos/acme/web/actions/runs", FORBIDDEN), Fault("github:/repos/acme/web/deployments", NOT_FOUND)
    )
    try:
        forbidden = gh.get("/repos/acme/web/actions/runs")
        assert forbidden.status_code == 403 and "Retry-After" not in forbidden.headers
        assert forbidden.json()["message"] == "Resource not accessible by personal access token"
        assert int(forbidden.headers["x-ratelimit-remaining"]) > 0, "no sign of rate limiting"
        assert gh.get("/repos/acme/web/deployments").status_code == 404
    finally:
        sim.clear()


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        (CUT_OFF, requests.exceptions.ChunkedEncodingError),
        (BROKEN_CHUNKS, requests.exceptions.ChunkedEncodingError),
        (GARBLED, requests.exceptions.ConnectionError),
    ],
)
def test_replies_broken_in_transit(sim: Simulator, gh: GitHub, kind: str, error: type[Exception]) -> None:
    sim.inject(Fault("github:/repos/acme/web/issues", kind))
    try:
        with pytest.raises(error):
            gh.get("/repos/acme/web/issues", state="all")
        assert gh.get("/repos/acme/web/issues", state="all").status_code == 200, "only the faulted reply breaks"
    finally:
        sim.clear()


def test_the_date_header_is_the_simulated_clock_and_a_future_dated_row_is_the_newest(
    sim: Simulator, gh: GitHub, org: Org
) -> None:
    assert gh.get("/repos/acme/web").headers["Date"] == org.end.strftime("%a, %d %b %Y %H:%M:%S GMT")
    future = org.end + timedelta(days=270)
    sim.inject(Fault("github:/repos/acme/web/issues\\?", FUTURE_DATED, dated=future))
    try:
        rows = gh.ok("/repos/acme/web/issues", state="all", sort="updated", direction="asc", per_page=100)
        assert [r["updated_at"] for r in rows][-1] == ts(future)
        assert all(r["updated_at"] <= ts(org.end) for r in rows[:-1]), "only one row moves"
    finally:
        sim.clear()


# ---------------------------------------------------------------------- as real GitHub answers
def test_links_name_the_repository_by_id_and_lead_to_the_same_rows(gh: GitHub, org: Org) -> None:
    repository = next(r for r in org.repositories if r.full_name == "acme/web")
    first = gh.get("/repos/acme/web/issues", state="all", per_page=7)
    assert urlsplit(first.links["next"]["url"]).path.endswith(f"/repositories/{repository.native_id}/issues")
    by_name = [row["number"] for page in gh.pages("/repos/acme/web/issues", state="all", per_page=7) for row in page]
    assert by_name == [row["number"] for row in gh.rows("/repos/acme/web/issues", state="all")]
    logged = [r.path for r in gh.sim.requests[-3:]]
    assert all(path.startswith("/repos/acme/web/") for path in logged), "the log spells the repository by name"


def test_issues_carry_types_closers_milestones_and_sub_issue_summaries(gh: GitHub, org: Org) -> None:
    rows = [row for row in gh.rows("/repos/acme/web/issues", state="all") if "pull_request" not in row]
    items = {i.number: i for i in org.work_items if i.container == "acme/web"}
    assert {row["type"]["name"] if row["type"] else "" for row in rows} == {items[r["number"]].issue_type for r in rows}
    assert {"Bug", "Feature"} <= {row["type"]["name"] for row in rows if row["type"]}
    assert all((row["closed_by"] is None) == (row["state"] == "open") for row in rows)
    assert any(row["milestone"] for row in rows) and all("sub_issues_summary" in row for row in rows)
    assert any(row["locked"] and row["active_lock_reason"] == "resolved" for row in rows)


def test_an_issue_closed_as_a_duplicate_says_so_in_its_state_its_events_and_its_own_event_list(org: Org) -> None:
    changed = copy.deepcopy(org)
    item = next(i for i in changed.work_items if i.container == "acme/web" and i.state_reason == "completed")
    last_close = max(n for n, e in enumerate(item.events) if e.kind == CLOSED)
    item.events[last_close] = dataclasses.replace(item.events[last_close], to_value="duplicate")
    with Simulator(changed) as sim:
        gh = GitHub(sim)
        issue = next(row for row in gh.rows("/repos/acme/web/issues", state="closed") if row["number"] == item.number)
        own = gh.rows(f"/repos/acme/web/issues/{item.number}/events")
        repository_wide = gh.rows(ISSUE_EVENTS_WEB)
    assert issue["state_reason"] == "duplicate"
    # GitHub's description lists closes and reopens of an issue's own events only in the timeline's
    # state-change shape; every other kind is in the list's own schema.
    listed, state_change = response_validator(ISSUE_OWN_EVENTS), schema_validator("state-change-issue-event")
    for event in own:
        is_state_change = event["event"] in ("closed", "reopened", "merged", "marked_as_duplicate", "head_ref_deleted")
        validator = state_change if is_state_change else listed
        check_reply(gh.sim, validator, event if is_state_change else [event], f"{item.number} {event['event']}")
    assert [e["state_reason"] for e in own if e["event"] == "closed"][-1] == "duplicate"
    assert [e["created_at"] for e in own] == sorted(e["created_at"] for e in own), "oldest first"
    marked = [e for e in repository_wide if e["event"] == "marked_as_duplicate"]
    assert [e["issue"]["number"] for e in marked] == [item.number]


def test_a_repository_event_list_refuses_pages_past_its_depth(
    sim: Simulator, gh: GitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(github_api, "ISSUE_EVENTS_REACHABLE", 40)
    pages = gh.get(ISSUE_EVENTS_WEB, per_page=20)
    second = gh.get(pages.links["next"]["url"])
    assert second.status_code == 200 and "next" in second.links, "the Link header leads on past the depth"
    refused = gh.get(second.links["next"]["url"])
    assert refused.status_code == 422 and "pagination is limited" in refused.json()["message"]
    assert_valid(response_validator(ISSUE_EVENTS, status="422"), refused.json(), "422")


def test_a_renamed_repository_answers_its_old_name_with_301_to_its_new_place(org: Org) -> None:
    with Simulator(org) as sim:
        sim.rename_repository("acme/web", "acme/web-platform")
        gh = GitHub(sim)
        moved = gh.session.get(f"{gh.base}/repos/acme/web/issues", params={"state": "all"}, allow_redirects=False)
        assert moved.status_code == 301
        assert_valid(response_validator(REPOSITORY, status="301"), moved.json(), "301")
        repository = next(r for r in org.repositories if r.full_name == "acme/web")
        assert urlsplit(moved.headers["Location"]).path.endswith(f"/repositories/{repository.native_id}/issues")
        assert gh.ok("/repos/acme/web")["full_name"] == "acme/web-platform", "clients that follow it land there"
        assert gh.ok("/repos/acme/web-platform/issues", state="all")


def test_a_deleted_deployment_is_gone_and_payloads_come_as_objects_or_strings(org: Org) -> None:
    with Simulator(org) as sim:
        gh = GitHub(sim)
        deployments = gh.rows("/repos/acme/web/deployments")
        assert {type(d["payload"]) for d in deployments} == {dict, str}
        sim.delete_deployments(deployments[0]["id"])
        assert gh.get(f"/repos/acme/web/deployments/{deployments[0]['id']}").status_code == 404
        assert gh.get(f"/repos/acme/web/deployments/{deployments[0]['id']}/statuses").status_code == 404
        assert len(gh.rows("/repos/acme/web/deployments")) == len(deployments) - 1
