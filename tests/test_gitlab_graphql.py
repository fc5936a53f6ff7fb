"""GitLab through GraphQL: merge requests' commits, approvals and notes, pipelines, issues' notes,
complexity, nested pages, errors, 502s."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import requests
from graphql import OperationDefinitionNode, parse
from test_github_graphql import assert_rest_and_graphql_build_the_same
from test_gitlab_source import PROJECTS, assert_complete, load_gitlab

from ingestion.gitlab_graphql import issues_query, merge_requests_query, pipelines_query, pipelines_variables
from simulator import gitlab_api, gitlab_graphql
from simulator.gitlab_graphql import BAD_GATEWAY, PARTIAL, complexity
from simulator.model import Org, PullRequest, WorkItem
from simulator.server import Fault, Simulator

GRAPHQL = r"^/api/graphql$"
CHILDREN = r"/merge_requests/\d+/(commits|approvals|notes)$"
ISSUE_NOTES = r"/issues/\d+/notes$"
MR_QUERIES = "^MergeRequest"  # the operations asking for merge requests' children, and their further pages


def complexity_of(query: str) -> int:
    document = parse(query)
    return complexity(document, {}, next(d for d in document.definitions if isinstance(d, OperationDefinitionNode)))


def merge_requests(org: Org, project: str | None = None) -> list[PullRequest]:
    return [p for p in org.pull_requests if p.source == "gitlab" and project in (None, p.repo)]


def assigned_issues(org: Org, project: str | None = None) -> list[WorkItem]:
    """The issues whose notes a first load reads: those with someone assigned."""
    return [i for i in org.work_items if i.source == "gitlab" and project in (None, i.container) and i.assignee]


def test_complexity_is_a_field_each_and_a_connection_times_one_plus_a_hundredth_of_its_page() -> None:
    # project 1 + mergeRequests (1 + nodes (1 + iid 1)) × (1 + 10 × 0.01) = 1 + 3.3 → 5 (rounded up).
    assert complexity_of('{ project(fullPath: "acme/platform") { mergeRequests(first: 10) { nodes { iid } } } }') == 5
    # Without `first`, a page is GitLab's largest, 100: 1 + 3 × 2 = 7.
    assert complexity_of('{ project(fullPath: "acme/platform") { mergeRequests { nodes { iid } } } }') == 7
    # 100 issues with 100 notes each: project 1 + issues (1 + nodes (1 + iid 1 + notes (1 + pageInfo 3
    # + nodes (1 + 5 fields + author 3 + 2 times)) × 2)) × 2 = 1 + (1 + 32) × 2 = 67.
    assert complexity_of(issues_query(100)) == 67
    # The source's query for 100 merge requests with 100 of each child fits GitLab's 250, but not twice over.
    assert (
        complexity_of(merge_requests_query(100))
        <= gitlab_graphql.MAX_COMPLEXITY
        < 2 * complexity_of(merge_requests_query(100))
    )


def test_a_first_load_through_graphql_is_complete_and_costs_a_query_per_page_of_merge_requests(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    result = load_gitlab(simulator, warehouse)
    assert result.ok, result.error
    assert_complete(warehouse, small_org)
    assert simulator.request_count("gitlab", CHILDREN) == 0
    # Fewer than 100 merge requests per project: one page, one query (no merge request has 100 of anything).
    assert all(len(merge_requests(small_org, p)) < 100 for p in PROJECTS)
    assert simulator.request_count("gitlab", GRAPHQL, MR_QUERIES) == len(PROJECTS)
    # Pipelines: no detail request each, but a query per 20 of each page of 100 listed.
    assert simulator.request_count("gitlab", r"/pipelines/\d+$") == 0
    runs = {r.native_id: r.repo for r in small_org.pipeline_runs if r.source == "gitlab"}
    listed = [list(runs.values()).count(p) for p in PROJECTS]
    pages = [min(100, n - start) for n in listed for start in range(0, n, 100)]
    assert simulator.request_count("gitlab", GRAPHQL, "^PipelineDetails$") == sum(-(-n // 20) for n in pages) > 0
    # Issues' notes: a query per page of issues with someone assigned (under 100 issues a project: one page).
    assert simulator.request_count("gitlab", ISSUE_NOTES) == 0
    assert all(0 < len(assigned_issues(small_org, p)) < 100 for p in PROJECTS)
    assert simulator.request_count("gitlab", GRAPHQL, "^Issue") == len(PROJECTS)


def test_nested_pages_are_followed_when_a_merge_request_has_more_than_one_page(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    mrs = merge_requests(small_org)
    approvers = {p.native_id: len({r.reviewer for r in p.reviews if r.state == "APPROVED"}) for p in mrs}
    assert any(len(p.commits) > 1 for p in mrs) and any(len(p.reviews) > 1 for p in mrs)
    result = load_gitlab(simulator, warehouse, page_size=1)  # a merge request a page, one of each child a page
    assert result.ok, result.error
    assert_complete(warehouse, small_org)
    # A query per changed merge request, and one per further commit, approver and note of each (every
    # review is a note; the source keeps the review actions).
    further = sum(max(0, n - 1) for p in mrs for n in (len(p.commits), approvers[p.native_id], len(p.reviews)))
    assert simulator.request_count("gitlab", GRAPHQL, MR_QUERIES) == len(mrs) + further
    assert simulator.request_count("gitlab", CHILDREN) == 0
    # A query per issue with someone assigned (an issue a page), and one per further note of each.
    assigned = assigned_issues(small_org)
    assert simulator.request_count("gitlab", GRAPHQL, "^IssueNotes$") == len(assigned)
    further_notes = sum(max(0, len(gitlab_api.issue_notes_of(i)) - 1) for i in assigned)
    assert simulator.request_count("gitlab", GRAPHQL, "^IssueConnectionPage$") == further_notes > 0
    assert simulator.request_count("gitlab", ISSUE_NOTES) == 0


@pytest.mark.parametrize(
    ("operation", "queries", "faults"),
    [("MergeRequestChildren", MR_QUERIES, 3), ("IssueNotes", "^IssueNotes$", 2)],
    ids=["merge request", "issue"],
)
def test_a_node_failing_inside_a_200_reply_is_asked_again(
    simulator: Simulator, warehouse: Path, small_org: Org, operation: str, queries: str, faults: int
) -> None:
    fault = Fault(rf"gitlab:/api/graphql\?#{operation}", PARTIAL, times=faults)
    simulator.inject(fault)
    result = load_gitlab(simulator, warehouse)
    assert result.ok, result.error
    assert fault.seen > faults
    # Each partial reply loses one merge request or issue (its commits or notes failed), asked
    # again in a query of its own.
    assert simulator.request_count("gitlab", GRAPHQL, queries) == len(PROJECTS) + faults
    assert_complete(warehouse, small_org)  # every commit, approval, note and assignee change


def test_a_pipeline_failing_inside_a_200_reply_is_asked_again(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    fault = Fault(r"gitlab:/api/graphql\?#PipelineDetails", PARTIAL, times=2)
    simulator.inject(fault)
    result = load_gitlab(simulator, warehouse)
    assert result.ok, result.error
    assert fault.seen > 2
    assert_complete(warehouse, small_org)  # every pipeline, with its status and finish


def test_a_502_on_a_big_page_halves_the_page_and_loses_nothing(
    simulator: Simulator, warehouse: Path, small_org: Org, caplog: pytest.LogCaptureFixture
) -> None:
    simulator.inject(
        Fault(r"gitlab:/api/graphql\?#MergeRequestChildren", BAD_GATEWAY),
        Fault(r"gitlab:/api/graphql\?#PipelineDetails", BAD_GATEWAY, times=2),
        Fault(r"gitlab:/api/graphql\?#IssueNotes", BAD_GATEWAY),
    )
    with caplog.at_level(logging.INFO, logger="streamgauge.ingestion"):
        result = load_gitlab(simulator, warehouse)
    assert result.ok, result.error
    assert_complete(warehouse, small_org)
    halved = [r.getMessage() for r in caplog.records if "a query instead of" in r.getMessage()]
    assert all("HTTP 502" in line for line in halved)
    assert sorted(line.split("; ")[-1] for line in halved) == [
        "asking 10 pipelines a query instead of 20",
        "asking 5 pipelines a query instead of 10",
        "asking 50 issues a query instead of 100",
        "asking 50 merge requests a query instead of 100",
    ]
    statuses = [r.status for r in simulator.requests if r.path == "/api/graphql"]
    assert statuses.count(502) == 4


def test_a_query_gitlab_refuses_fails_the_source_in_one_line_and_stores_no_merge_request_child(
    simulator: Simulator, warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gitlab_graphql, "MAX_COMPLEXITY", 100)  # an instance with a lower limit
    result = load_gitlab(simulator, warehouse)
    assert not result.ok
    assert "GitLab refused the GraphQL query for acme/platform" in result.error
    assert "which exceeds max complexity of 100" in result.error and "\n" not in result.error
    assert "glpat-" not in result.error


def test_the_simulator_scores_refuses_and_answers_with_partial_data(small_org: Org) -> None:
    pr = max(merge_requests(small_org, "acme/platform"), key=lambda p: len(p.reviews))
    query = merge_requests_query(100).replace("query MergeRequestChildren", "query", 1)
    variables = {"path": "acme/platform", "iids": [str(pr.number), "99999"]}
    with Simulator(small_org) as sim:

        def ask(document: str) -> tuple[int, dict]:
            reply = requests.post(
                f"{sim.base_url('gitlab')}/api/graphql",
                json={"query": document, "variables": variables},
                headers={"PRIVATE-TOKEN": sim.credentials.gitlab_token},
                timeout=30,
            )
            return reply.status_code, reply.json()

        status, body = ask(query)
        assert status == 200 and "errors" not in body
        (node,) = body["data"]["project"]["mergeRequests"]["nodes"]  # an iid the project lacks is left out
        assert node["iid"] == str(pr.number) and len(node["notes"]["nodes"]) == len(pr.reviews)
        assert node["notes"]["nodes"][0]["id"].startswith("gid://gitlab/Note/")
        # Twice the query under two aliases scores twice as much: above 250, refused whole.
        start = query.index("mergeRequests(")
        asked = query[start:].removesuffix(
            " } }"
        )  # the merge requests' selection, without project's and the query's ends
        twice = f"{query[:start]} a: {asked} b: {asked} }} }}"
        status, body = ask(twice)
        assert status == 200 and "data" not in body
        assert body["errors"][0]["message"].startswith("Query has complexity of ")
        assert body["errors"][0]["message"].endswith("which exceeds max complexity of 250")
        status, body = ask(query.replace("iid commits", "iid size commits"))
        assert status == 200 and "Cannot query field 'size'" in body["errors"][0]["message"]
        sim.inject(Fault(r"gitlab:/api/graphql", PARTIAL))
        status, body = ask(query)
        (node,) = body["data"]["project"]["mergeRequests"]["nodes"]  # kept, its nullable commits null
        assert status == 200 and node["commits"] is None and node["notes"]["nodes"]
        assert body["errors"][0]["path"] == ["project", "mergeRequests", "nodes", 0, "commits"]
        variables = pipelines_variables("acme/platform", [1, 99999])
        status, body = ask(pipelines_query(2))  # a pipeline the project lacks is null, no error
        assert status == 200 and "errors" not in body and body["data"]["project"]["p1"] is None
        assert body["data"]["project"]["p0"]["duration"] > 0


def test_rest_and_graphql_give_the_same_raw_row_counts_and_the_same_core_and_marts(
    simulator: Simulator, tmp_path: Path
) -> None:
    assert_rest_and_graphql_build_the_same(simulator, tmp_path, "SOURCES__GITLAB__GRAPHQL", "raw_gitlab")
