"""GitHub through GraphQL: pull requests, issue timelines, points, nested pages, errors, 502s, same tables as REST."""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import pytest
import requests
from conftest import configure_sources
from dbt_helpers import dbt
from test_github_source import REPOS, assert_complete, expected_counts, load_github, table_counts

from ingestion.github_graphql import UnreadableId, database_id
from orchestration.source_runs import load_sources
from simulator import github_api
from simulator.github_graphql import query_cost
from simulator.model import Org
from simulator.server import FORBIDDEN, NOT_FOUND, PARTIAL, Fault, Simulator


def cost_of(query: str) -> tuple[int, int]:
    from graphql import OperationDefinitionNode, parse

    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return query_cost(document, operation, {})


def test_points_are_the_connections_requests_over_100_at_least_one() -> None:
    # 100 pull requests x (reviews, commits, labels) = 300 requests → 3 points; 100 x 3 x 100 = 30,000 nodes.
    pulls = " ".join(
        f"p{n}: pullRequest(number: {n}) {{ reviews(first: 100) {{ nodes {{ state }} }} "
        f"commits(first: 100) {{ nodes {{ commit {{ oid }} }} }} labels(first: 100) {{ nodes {{ name }} }} }}"
        for n in range(1, 101)
    )
    assert cost_of(f'{{ repository(owner: "acme", name: "web") {{ {pulls} }} }}') == (3, 30_000)
    # One connection of 100 inside one of 100: 1 + 100 requests → 1 point; 100 + 10,000 nodes.
    nested = (
        '{ repository(owner: "acme", name: "web") { pullRequests(first: 100) { nodes { commits(first: 100) { '
        "totalCount } } } } }"
    )
    assert cost_of(nested) == (1, 10_100)
    assert cost_of("{ rateLimit { cost } }") == (1, 0)


def test_a_first_load_through_graphql_is_complete_and_costs_a_fraction_of_rest(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    result = load_github(simulator, warehouse)
    assert result.ok, result.error
    assert_complete(warehouse, small_org)
    assert simulator.request_count("github", r"/pulls/") == 0
    assert simulator.request_count("github", r"/events$") == 0, "a first load reads events from the timelines"
    prs = sum(1 for p in small_org.pull_requests if p.source == "github")
    queries = simulator.request_count("github", r"^/graphql$")
    # A query per page of changed pull requests, and per repository one for its issues' timelines, one
    # for its pull requests' (fewer than 100 of each) and one for its deployments' statuses.
    assert 0 < queries <= prs / 10 + 3 * len(REPOS)
    assert simulator.request_count("github", r"/statuses$") == 0, "statuses come 100 deployments a query"


def test_nested_pages_are_followed_when_a_pull_request_has_more_than_one_page(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    prs = [p for p in small_org.pull_requests if p.source == "github"]
    assert any(len(p.commits) > 4 for p in prs) and any(len(p.reviews) > 2 for p in prs)
    result = load_github(simulator, warehouse, page_size=2)  # 2 reviews, commits and labels a page
    assert result.ok, result.error
    assert_complete(warehouse, small_org)
    # A query per page of changed issues holding pull requests (at most 2 of them), and one per further
    # page of 2 of each one's commits and reviews.
    further = sum(max(0, -(-len(p.commits) // 2) - 1) + max(0, -(-len(p.reviews) // 2) - 1) for p in prs)
    # The events: per repository a query per 2 issues and per 2 pull requests, with their first 2 events,
    # and one per further 2 events of each.
    owners = [i.container for i in small_org.work_items if i.source == "github"], [p.repo for p in prs]
    listing = sum(max(1, -(-names.count(repo) // 2)) for repo in REPOS for names in owners)
    with duckdb.connect(str(warehouse), read_only=True) as db:
        per_issue = db.execute(
            "select count(*) from raw_github.issue_events group by repository, issue_number"
        ).fetchall()
    assert sum(n for (n,) in per_issue) > 2 * len(per_issue), "some issues have more than one page of events"
    timeline = listing + sum(max(0, -(-n // 2) - 1) for (n,) in per_issue)
    # The deployments' statuses: a query per 2 deployments of a repository, one per further 2 statuses.
    deployments = [d for d in small_org.deployments if d.source == "github"]
    assert any(len(d.statuses) > 2 for d in deployments)
    statuses = sum(-(-sum(1 for d in deployments if d.repo == repo) // 2) for repo in REPOS) + sum(
        max(0, -(-len(d.statuses) // 2) - 1) for d in deployments
    )
    queries = simulator.request_count("github", r"^/graphql$")
    assert -(-len(prs) // 2) + further + timeline + statuses <= queries <= len(prs) + further + timeline + statuses


def test_a_pull_request_failing_inside_a_200_reply_is_asked_again(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    fault = Fault(r"github:/graphql", PARTIAL, times=3)
    simulator.inject(fault)
    result = load_github(simulator, warehouse)
    assert result.ok, result.error
    assert fault.seen > 3
    assert_complete(warehouse, small_org)


def test_a_502_on_a_big_page_halves_the_page_and_loses_nothing(
    small_org: Org, warehouse: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A pull request asks for 300 nested nodes: above 3,000 (10 pull requests) the simulated GitHub gives up.
    with Simulator(small_org, graphql_timeout_nodes=3_000) as sim, caplog.at_level(logging.INFO):
        result = load_github(sim, warehouse)
        statuses = [r.status for r in sim.requests if r.path == "/graphql"]
    assert result.ok, result.error
    assert_complete(warehouse, small_org)
    assert statuses.count(502) >= 1
    halved = [r.getMessage() for r in caplog.records if "pull requests a query instead of" in r.getMessage()]
    assert halved and all("HTTP 502" in line for line in halved)
    # 100 issues with 100 events each ask 10,100 nodes: the timelines are asked in smaller pages too.
    timelines = [r.getMessage() for r in caplog.records if "issues a query instead of" in r.getMessage()]
    assert timelines and all("HTTP 502" in line for line in timelines)


def test_a_spent_points_budget_is_waited_out_until_reset_at(
    small_org: Org, warehouse: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        Simulator(small_org, graphql_rate_limit=2, rate_limit_window_seconds=2, rate_limit=10**6) as sim,
        caplog.at_level(logging.WARNING),
    ):
        result = load_github(sim, warehouse)
    assert result.ok, result.error
    assert_complete(warehouse, small_org)
    assert any("used up; waiting" in r.getMessage() for r in caplog.records)


def test_a_budget_that_resets_too_late_fails_in_one_line_and_stores_no_pull_request(
    small_org: Org, warehouse: Path
) -> None:
    with Simulator(small_org, graphql_rate_limit=1) as sim:  # a page of pull requests costs more than 1 point
        result = load_github(sim, warehouse)
    assert not result.ok
    assert "rate limit is used up and resets in 60 minutes; rerun after that" in result.error
    assert "\n" not in result.error
    assert "pull_requests" not in table_counts(warehouse)


def build(simulator: Simulator, path: Path, setting: str, graphql: bool) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        configure_sources(monkeypatch, simulator.source_settings(), path)
        monkeypatch.setenv(setting, str(graphql).lower())
        runs = load_sources()
    assert all(r.ok for r in runs), [r.error for r in runs]
    dbt(path, path.parent, "build", variables={"as_of": f"{simulator.org.end:%Y-%m-%d %H:%M:%S}"})


def assert_rest_and_graphql_build_the_same(simulator: Simulator, tmp_path: Path, setting: str, raw: str) -> None:
    """Every source loaded twice, with `setting` (a source's `graphql`) off and on, and both built: every raw
    table has the same rows, and every core and mart table is the same, row for row."""
    paths = {}
    for graphql in (False, True):
        (tmp_path / str(graphql)).mkdir()
        paths[graphql] = tmp_path / str(graphql) / "warehouse.duckdb"
        build(simulator, paths[graphql], setting, graphql)
    with duckdb.connect(str(paths[True])) as db:
        db.execute(f"attach '{paths[False]}' as rest (read_only)")
        tables = db.execute(
            "select table_schema, table_name from information_schema.tables where table_catalog = 'rest' "
            "and table_type = 'BASE TABLE' and (table_schema like 'raw_%' or table_schema in ('core', 'marts')) "
            "and table_name not like '\\_dlt%' escape '\\'"
        ).fetchall()
        assert {schema for schema, _ in tables} >= {raw, "core", "marts"}
        for schema, table in tables:
            rest, graphql = (
                db.execute(f"select count(*) from {catalog}.{schema}.{table}").fetchone()[0]
                for catalog in ("rest", "warehouse")
            )
            assert rest == graphql, f"{schema}.{table}: {rest} rows by REST, {graphql} by GraphQL"
            if schema in ("core", "marts"):
                listed = ", ".join(
                    # Sums of doubles come out in the last digit differently from one build to the next, REST or not.
                    f'round("{name}", 9)' if kind in ("DOUBLE", "FLOAT") else f'"{name}"'
                    for name, kind in db.execute(
                        "select column_name, data_type from information_schema.columns where table_catalog = 'rest' "
                        f"and table_schema = '{schema}' and table_name = '{table}'"
                    ).fetchall()
                    if not name.startswith("_dlt") and name != "refreshed_at"  # when each build ran
                )
                differ = db.execute(
                    f"select count(*) from ((select {listed} from rest.{schema}.{table} "
                    f"except all select {listed} from warehouse.{schema}.{table}) union all "
                    f"(select {listed} from warehouse.{schema}.{table} "
                    f"except all select {listed} from rest.{schema}.{table}))"
                ).fetchone()[0]
                assert differ == 0, f"{schema}.{table}: {differ} rows differ between REST and GraphQL"


def test_rest_and_graphql_give_the_same_raw_row_counts_and_the_same_core_and_marts(
    simulator: Simulator, tmp_path: Path
) -> None:
    assert_rest_and_graphql_build_the_same(simulator, tmp_path, "SOURCES__GITHUB__GRAPHQL", "raw_github")


def ask(sim: Simulator, query: str, **variables: object) -> tuple[int, dict]:
    reply = requests.post(
        f"{sim.base_url('github')}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {sim.credentials.github_token}"},
        timeout=30,
    )
    return reply.status_code, reply.json()


def test_the_simulator_answers_with_partial_data_errors_and_the_points_it_charged(small_org: Org) -> None:
    pr = next(p for p in small_org.pull_requests if p.source == "github" and len(p.reviews) >= 2)
    owner, name = pr.repo.split("/")
    query = (
        "query($owner: String!, $name: String!) { rateLimit { cost remaining } repository(owner: $owner, name: $name) "
        f"{{ known: pullRequest(number: {pr.number}) {{ number reviews(first: 1) {{ totalCount nodes {{ state }} "
        "pageInfo { hasNextPage } } } gone: pullRequest(number: 99999) { number } } }"
    )
    with Simulator(small_org, graphql_rate_limit=3) as sim:
        status, body = ask(sim, query, owner=owner, name=name)
        assert status == 200
        assert body["data"]["rateLimit"] == {"cost": 1, "remaining": 2}
        known = body["data"]["repository"]["known"]
        assert known["reviews"]["totalCount"] == len(pr.reviews) and known["reviews"]["pageInfo"]["hasNextPage"]
        assert body["data"]["repository"]["gone"] is None
        (error,) = body["errors"]
        assert error["type"] == "NOT_FOUND" and error["path"] == ["repository", "gone"]
        # A field the schema does not have: refused whole, nothing charged.
        status, body = ask(sim, '{ repository(owner: "acme", name: "web") { pullRequest(number: 1) { size } } }')
        assert status == 200 and "data" not in body and "Cannot query field 'size'" in body["errors"][0]["message"]
        ask(sim, query, owner=owner, name=name)
        ask(sim, query, owner=owner, name=name)
        status, body = ask(sim, query, owner=owner, name=name)  # the fourth point of a budget of three
        assert status == 200 and body["errors"][0]["type"] == "RATE_LIMITED"
    with Simulator(small_org, graphql_timeout_nodes=1) as sim:  # a query of 2 nodes is too big
        status, body = ask(sim, query.replace("first: 1", "first: 2"), owner=owner, name=name)
        assert status == 502 and body["errors"][0]["message"].startswith("Something went wrong")


def test_a_token_refused_pull_requests_by_graphql_skips_them_with_one_line_and_the_rest_loads(
    simulator: Simulator, warehouse: Path, small_org: Org, caplog: pytest.LogCaptureFixture
) -> None:
    simulator.inject(Fault(r"github:/graphql", FORBIDDEN, times=1000))
    with caplog.at_level(logging.WARNING, logger="streamgauge.ingestion"):
        result = load_github(simulator, warehouse)
    assert result.ok, result.error
    refused = [r.getMessage() for r in caplog.records if "pulls of" in r.getMessage()]
    assert len(refused) == 3  # one line per repository
    assert all("403" in line and "Pull requests (read)" in line for line in refused)
    counts = table_counts(warehouse)
    assert counts["issues"] == sum(1 for i in small_org.work_items if i.source == "github")
    assert counts.get("pull_requests", 0) == 0
    assert "ghp_" not in caplog.text


def test_node_ids_give_the_rest_ids_they_carry_in_both_formats() -> None:
    # Current format: a prefix, then base64url of the MessagePack array [0, 541842] (a user's id).
    assert database_id("U_kgDOAAhEkg") == 541842
    # [0, repository 7, event 25,000,000,000]: a uint64 after a fixint.
    assert database_id("LE_kwAHzwAAAAXSHboA") == 25_000_000_000
    # Legacy format: base64 of "010:Repository2325298".
    assert database_id("MDEwOlJlcG9zaXRvcnkyMzI1Mjk4") == 2325298
    for opaque in ("LE_bm90IG1zZ3BhY2s", "bm90IGFuIGlk", ""):
        with pytest.raises(UnreadableId, match="does not carry a REST id"):
            database_id(opaque)


def test_events_whose_node_ids_cannot_be_read_are_read_through_rest_with_one_line_per_repository(
    simulator: Simulator,
    warehouse: Path,
    small_org: Org,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(github_api, "event_node_id", lambda view, event: f"LE_{event.id}")
    with caplog.at_level(logging.WARNING, logger="streamgauge.ingestion"):
        result = load_github(simulator, warehouse)
    assert result.ok, result.error
    fallbacks = [r.getMessage() for r in caplog.records if "read through REST instead" in r.getMessage()]
    assert len(fallbacks) == len(REPOS) and all("does not carry a REST id" in line for line in fallbacks)
    assert_complete(warehouse, small_org)
    assert simulator.request_count("github", r"/issues/events$") >= len(REPOS)


def test_a_deployment_graphql_no_longer_knows_is_skipped_with_one_line_and_the_others_load(
    simulator: Simulator, warehouse: Path, small_org: Org, caplog: pytest.LogCaptureFixture
) -> None:
    simulator.inject(Fault(r"github:/graphql\?#DeploymentStatuses", NOT_FOUND))  # the first deployment asked about
    with caplog.at_level(logging.WARNING, logger="streamgauge.ingestion"):
        result = load_github(simulator, warehouse)
    assert result.ok, result.error
    (line,) = [r.getMessage() for r in caplog.records if "deployment" in r.getMessage()]
    assert "is not known to GitHub's GraphQL API (deleted)" in line
    deployment_id = int(line.split()[2])
    gone = next(d for d in small_org.deployments if d.native_id == deployment_id)
    counts, expected = table_counts(warehouse), expected_counts(small_org)
    assert counts["deployments"] == expected["deployments"] - 1
    assert counts["deployment_statuses"] == expected["deployment_statuses"] - len(gone.statuses)
    assert counts["issue_events"] > 0 and counts["pull_requests"] == expected["pull_requests"]
