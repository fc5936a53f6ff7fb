"""The simulated Linear GraphQL API: its schema against Linear's own, validation, complexity and its cap,
archived issues, identifiers of moved issues, auth, the rate-limit headers and RATELIMITED.

No registry ships Linear's schema as SDL; the npm package @linear/sdk ships the TypeScript types
generated from it (`make linear-sdk` fetches them, or point LINEAR_SDK_TYPES at the file). Every
field of the simulator's subset schema is checked against them: same name, same type, same
nullability.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, get_named_type, parse
from test_linear_source import LINEAR_SMALL

from ingestion import linear
from simulator import linear_api
from simulator.generator import generate_org
from simulator.linear_api import archived_at, complexity, issue_id, linear_items
from simulator.model import Org
from simulator.server import Simulator

SDK_TYPES = Path(os.environ.get("LINEAR_SDK_TYPES") or Path(__file__).parents[1] / ".cache/linear/linear-sdk.d.mts")
SCALARS = {"ID": "ID", "String": "String", "Float": "Float", "Boolean": "Boolean", "DateTime": "DateTime", "Int": "Int"}


@pytest.fixture(scope="module")
def org() -> Org:
    return generate_org(LINEAR_SMALL)


@pytest.fixture(scope="module")
def sim(org: Org) -> Iterator[Simulator]:
    with Simulator(org) as running:
        yield running


def post(sim: Simulator, query: str, variables: dict | None = None, key: str | None = None) -> requests.Response:
    return requests.post(
        f"{sim.base_url('linear')}/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": key or sim.credentials.linear_token},
        timeout=30,
    )


def sdk_fields(text: str, type_name: str) -> dict[str, str]:
    """The fields of `type Name = … {` in the SDK's typings: name → TypeScript type."""
    match = re.search(rf"^type {type_name} = (?:Node & )?\{{\n(.*?)^\}};", text, re.M | re.S)
    assert match, f"{type_name} is not in @linear/sdk's types"
    body = re.sub(r"/\*\*.*?\*/", "", match.group(1), flags=re.S)
    return {m[1]: m[3] for m in re.finditer(r"^\s+(\w+)(\??): (.+);$", body, re.M)}


def typescript(field_type) -> str:
    """The TypeScript the SDK generates for a GraphQL output type."""
    nullable = not isinstance(field_type, GraphQLNonNull)
    inner = field_type if nullable else field_type.of_type
    if isinstance(inner, GraphQLList):
        written = f"Array<{typescript(inner.of_type).removeprefix('Maybe<').removesuffix('>')}>"
    else:
        named = get_named_type(inner)
        written = f'Scalars["{SCALARS[named.name]}"]' if named.name in SCALARS else named.name
    return f"Maybe<{written}>" if nullable else written


def test_every_field_of_the_subset_schema_is_linears_own() -> None:
    if not SDK_TYPES.exists():
        pytest.fail(f"{SDK_TYPES} is missing: run `make linear-sdk` (@linear/sdk 98.0.0), or set LINEAR_SDK_TYPES")
    text = SDK_TYPES.read_text()
    schema = linear_api.schema()
    checked = 0
    for name, kind in schema.type_map.items():
        if name.startswith("__") or not isinstance(kind, GraphQLObjectType) or name == "Query":
            continue
        theirs = sdk_fields(text, name)
        for field_name, field in kind.fields.items():
            assert field_name in theirs, f"{name}.{field_name} is not a field of Linear's {name}"
            assert theirs[field_name] == typescript(field.type), f"{name}.{field_name}"
            checked += 1
    assert checked >= 87


def test_queries_are_validated_against_the_schema(sim: Simulator) -> None:
    reply = post(sim, "{ issues(first: 1) { nodes { id nosuchfield } } }")
    assert reply.status_code == 400
    (error,) = reply.json()["errors"]
    assert "nosuchfield" in error["message"] and error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_complexity_counts_fields_objects_and_connections_by_their_first() -> None:
    # Per issue: its node (1) with id and title (0.2) and state (1 + 0.1); pageInfo (1 + 0.1): 3.4, × first 10.
    document = parse("{ issues(first: 10) { nodes { id title state { name } } pageInfo { hasNextPage } } }")
    assert complexity(document, {}) == 34
    assert complexity(parse("{ issues { nodes { id } } }"), {}) == 55, "no first: 50 × 1.1"


def test_the_sources_page_of_issues_stays_under_the_cap() -> None:
    sizes = {"first": 25, "historyFirst": 20, "labelsFirst": 10}
    assert complexity(parse(linear.ISSUES_QUERY), sizes) == 7_590 <= linear_api.MAX_COMPLEXITY


def test_a_query_over_10000_points_is_refused_with_its_cost(sim: Simulator) -> None:
    sizes = {"team": "GRO", "since": "2020-01-01T00:00:00Z", "until": "2030-01-01T00:00:00Z", "first": 50,
             "historyFirst": 20, "labelsFirst": 10}  # fmt: skip
    reply = post(sim, linear.ISSUES_QUERY, sizes)
    assert reply.status_code == 400 and reply.headers["X-Complexity"] == "15180"
    assert "too complex" in reply.json()["errors"][0]["message"]
    fits = post(sim, linear.ISSUES_QUERY, {**sizes, "first": 25})
    assert fits.status_code == 200 and fits.headers["X-Complexity"] == "7590"


def test_archived_issues_are_hidden_unless_asked_for(sim: Simulator, org: Org) -> None:
    query = "query($archived: Boolean) { issues(first: 250, includeArchived: $archived) { nodes { id archivedAt } } }"
    shown = post(sim, query, {"archived": False}).json()["data"]["issues"]["nodes"]
    every = post(sim, query, {"archived": True}).json()["data"]["issues"]["nodes"]
    archived = {issue_id(i) for i in linear_items(org) if archived_at(i, org.end)}
    assert archived and {r["id"] for r in every} - {r["id"] for r in shown} == archived
    assert len(every) == len(linear_items(org))


def test_issues_filtered_on_updated_at_and_paged_by_cursor(sim: Simulator, org: Org) -> None:
    since = org.end - timedelta(days=20)
    query = """query($since: DateTimeOrDuration!, $after: String) {
      issues(first: 3, after: $after, includeArchived: true, orderBy: updatedAt,
             filter: {team: {key: {eq: "GRO"}}, updatedAt: {gt: $since}}) {
        nodes { id updatedAt } pageInfo { hasNextPage endCursor } } }"""
    seen, after = [], None
    while True:
        page = post(sim, query, {"since": since.isoformat(), "after": after}).json()["data"]["issues"]
        seen += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    expected = {issue_id(i) for i in linear_items(org) if linear_api.updated_at(i, org.end) > since}
    assert [r["id"] for r in seen] and {r["id"] for r in seen} == expected and len(seen) == len(expected)
    stamps = [r["updatedAt"] for r in seen]
    assert stamps == sorted(stamps, reverse=True), "newest first"


def test_a_moved_issue_keeps_its_id_and_lists_its_old_identifier(org: Org) -> None:
    item = linear_items(org)[0]
    moved_at = item.created_at + timedelta(minutes=5)
    moved = dataclasses.replace(item, moved_from=("OLD", 3, moved_at))
    changed = dataclasses.replace(org, work_items=[moved if i is item else i for i in org.work_items])
    with Simulator(changed) as served:
        query = """query($id: String!) { issue(id: $id) { identifier previousIdentifiers
          history(first: 50) { nodes { createdAt fromTeam { key } toTeam { key } } } } }"""
        issue = post(served, query, {"id": issue_id(item)}).json()["data"]["issue"]
        served.set_clock(moved_at - timedelta(minutes=1))
        before = post(served, query, {"id": issue_id(item)}).json()["data"]["issue"]
    assert issue["identifier"] == f"GRO-{item.number}" and issue["previousIdentifiers"] == ["OLD-3"]
    assert {
        "createdAt": f"{moved_at:%Y-%m-%dT%H:%M:%S}.000Z",
        "fromTeam": {"key": "OLD"},
        "toTeam": {"key": "GRO"},
    } in (issue["history"]["nodes"])
    assert before["identifier"] == "OLD-3" and before["previousIdentifiers"] == []


def test_a_bad_key_is_an_authentication_error(sim: Simulator) -> None:
    reply = post(sim, "{ viewer { id } }", key="lin_api_wrong")
    assert reply.status_code == 400
    assert reply.json()["errors"][0]["extensions"]["code"] == "AUTHENTICATION_ERROR"
    assert post(sim, "{ viewer { id } }", key=f"Bearer {sim.credentials.linear_token}").status_code == 200


def test_rate_limit_headers_count_requests_and_points_and_a_spent_budget_is_ratelimited(org: Org) -> None:
    with Simulator(org, rate_limit=2, complexity_limit=1_000) as limited:
        first = post(limited, "{ viewer { id name } }")
        assert first.headers["X-Complexity"] == "2"  # 1 + 0.2, rounded up
        assert first.headers["X-RateLimit-Requests-Remaining"] == "1"
        assert first.headers["X-RateLimit-Complexity-Remaining"] == "998"
        reset_ms = int(first.headers["X-RateLimit-Requests-Reset"])
        assert reset_ms == int(first.headers["X-RateLimit-Complexity-Reset"]) > 10**12, "epoch milliseconds"
        post(limited, "{ viewer { id } }")
        spent = post(limited, "{ viewer { id } }")
    assert spent.status_code == 400 and spent.json()["errors"][0]["extensions"]["code"] == "RATELIMITED"
    assert spent.headers["X-RateLimit-Requests-Remaining"] == "0"


def test_a_query_costing_more_points_than_are_left_is_ratelimited(org: Org) -> None:
    with Simulator(org, complexity_limit=100) as limited:
        reply = post(limited, "{ issues(first: 50) { nodes { id identifier } } }")  # 50 × 1.2 = 60
        again = post(limited, "{ issues(first: 50) { nodes { id identifier } } }")
    assert reply.status_code == 200 and reply.headers["X-RateLimit-Complexity-Remaining"] == "40"
    assert again.status_code == 400 and again.json()["errors"][0]["extensions"]["code"] == "RATELIMITED"
