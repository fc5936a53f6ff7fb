"""The simulated organisation served as GitHub's GraphQL API (`POST /graphql`).

Queries are parsed and validated with graphql-core against GitHub's published schema (the npm
package `@octokit/graphql-schema`, `make graphql-schema`), charged in points as GitHub computes
them, and answered from the same index as the REST simulator, so both paths see one organisation:
- cost: every connection asked for counts one request per parent object that may hold it
  (`first`/`last` of the enclosing connections multiplied together); the points are those requests
  ÷ 100, rounded, at least 1. A query may ask for at most 500,000 nodes; `first`/`last` go from 0
  to 100 and are required on a connection whose nodes or edges are selected.
- failures arrive as GitHub sends them: HTTP 200 with `errors` (beside whatever `data` could be
  resolved) for unknown objects, invalid queries and a used-up budget (`RATE_LIMITED`); HTTP 502 for
  a query the server gave up on (injected, or any query asking more nodes than
  `Simulator.graphql_timeout_nodes`).
Only the fields the sources read are resolved (repository, pull requests with reviews, commits and
labels, issues and pull requests listed with their timelines' events, the rate limit); any other
field of the schema validates and answers null.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    build_ast_schema,
    execute,
    get_named_type,
    parse,
    value_from_ast_untyped,
)

from simulator import github_api, graphql_cost
from simulator.api import RateBudget
from simulator.model import Commit, Org, Person, PullRequest, Review
from simulator.routing import ApiRequest, ApiResponse

SCHEMA_ENV = "GITHUB_GRAPHQL_SCHEMA"
DEFAULT_SCHEMA = Path(__file__).resolve().parents[1] / ".cache" / "graphql" / "schema.graphql"
MAX_NODES = 500_000
MAX_PAGE = 100
GRAPHQL_DOCS = "https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api"
# Fault kinds of `simulator.server` that only this endpoint knows.
PARTIAL = "partial"  # the first pull request asked for fails to resolve; the rest of the data comes
# (`simulator.server.NOT_FOUND` here: the first pull request or node asked for is not found, as if deleted meanwhile)
BAD_GATEWAY = "bad_gateway"  # 502: the query was given up on
SOMETHING_WENT_WRONG = (
    "Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub "
    "bug. Please include `5C2A:3F1B:9E0D4:A1B2C3:64F0A1B2` when reporting this issue."
)


class _ResolveError(Exception):
    """A field that cannot be resolved: GitHub lists it in `errors` with its `type`, the rest of the data comes."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


@functools.cache
def schema() -> GraphQLSchema:
    """GitHub's published schema, built once per process (about a second).

    Built without checking the SDL: the published file defines two enterprise fields twice.
    """
    path = Path(os.environ.get(SCHEMA_ENV) or DEFAULT_SCHEMA)
    if not path.exists():
        raise FileNotFoundError(f"no GitHub GraphQL schema at {path}: run `make graphql-schema` or set {SCHEMA_ENV}")
    return build_ast_schema(parse(path.read_text()), assume_valid_sdl=True)


# ---------------------------------------------------------------------- cost
def query_cost(document: Any, operation: OperationDefinitionNode, variables: dict) -> tuple[int, int]:
    """(points, nodes) of a query, as GitHub computes them; raises `_ResolveError` for a query it refuses."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    gql_schema = schema()
    requests = nodes = 0

    def walk(selection_set: SelectionSetNode | None, parent: GraphQLObjectType | Any, multiplier: int) -> None:
        nonlocal requests, nodes
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FragmentSpreadNode):
                fragment = fragments[selection.name.value]
                walk(fragment.selection_set, gql_schema.type_map[fragment.type_condition.name.value], multiplier)
                continue
            if isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                walk(
                    selection.selection_set,
                    gql_schema.type_map[condition.name.value] if condition else parent,
                    multiplier,
                )
                continue
            assert isinstance(selection, FieldNode)
            definition = getattr(parent, "fields", {}).get(selection.name.value)
            if definition is None:  # __typename
                continue
            child = get_named_type(definition.type)
            if "first" not in definition.args and "last" not in definition.args:
                walk(selection.selection_set, child, multiplier)
                continue
            args = {a.name.value: value_from_ast_untyped(a.value, variables) for a in selection.arguments}
            size = args.get("first", args.get("last"))
            asked = {s.name.value for s in selection.selection_set.selections if isinstance(s, FieldNode)}
            if size is None and asked & {"nodes", "edges"}:
                raise _ResolveError(
                    f"You must provide a `first` or `last` value to properly paginate the `{selection.name.value}` "
                    "connection.",
                    "MISSING_PAGINATION_BOUNDARIES",
                )
            size = size or 0
            if not 0 <= size <= MAX_PAGE:
                which = "first" if "first" in args else "last"
                raise _ResolveError(
                    f"Requesting {size} records on the `{selection.name.value}` connection exceeds the `{which}` "
                    f"limit of {MAX_PAGE} records.",
                    "EXCESSIVE_PAGINATION",
                )
            requests += multiplier
            nodes += multiplier * size
            walk(selection.selection_set, child, multiplier * size)

    walk(operation.selection_set, gql_schema.query_type, 1)
    if nodes > MAX_NODES:
        raise _ResolveError(
            f"By the time this query traverses to the connections, it is requesting up to {nodes:,} possible nodes "
            f"which exceeds the maximum limit of {MAX_NODES:,}.",
            "MAX_NODE_LIMIT_EXCEEDED",
        )
    return max(1, round(requests / 100)), nodes


# ---------------------------------------------------------------------- answering
def answer(
    request: ApiRequest, org: Org, budget: RateBudget, lock: threading.Lock, fault: str = "", timeout_nodes: int = 0
) -> ApiResponse:
    """The reply to one `POST /graphql`: validated, charged to `budget`, resolved from `org`."""
    try:
        body = json.loads(request.body)
        source, variables = body["query"], body.get("variables") or {}
    except (ValueError, KeyError, TypeError, AttributeError):
        return ApiResponse(400, {"message": "Problems parsing JSON", "documentation_url": github_api.DOCS})
    try:
        gql_schema = schema()
    except FileNotFoundError as missing:
        return ApiResponse(400, {"message": str(missing), "documentation_url": GRAPHQL_DOCS})
    try:
        document, problems = graphql_cost.checked(gql_schema, source)
    except GraphQLError as error:
        return ApiResponse(200, {"errors": [_error(error)]})
    if problems:
        return ApiResponse(200, {"errors": [_error(e) for e in problems]})
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    operation = next((o for o in operations if o.name and o.name.value == body.get("operationName")), operations[0])
    try:
        cost, nodes = query_cost(document, operation, variables)
    except _ResolveError as refused:
        return ApiResponse(200, {"errors": [{"type": refused.kind, "message": str(refused)}]})
    if fault == "forbidden":
        message = "Resource not accessible by personal access token"
        return ApiResponse(200, {"data": None, "errors": [{"type": "FORBIDDEN", "message": message}]})
    if fault == BAD_GATEWAY or (timeout_nodes and nodes > timeout_nodes):
        return ApiResponse(502, {"data": None, "errors": [{"message": SOMETHING_WENT_WRONG}]})
    with lock:
        allowed = budget.spend(cost)
    if not allowed:
        message = f"API rate limit exceeded for user ID {github_api.TOKEN_USER_ID}."
        return ApiResponse(200, {"errors": [{"type": "RATE_LIMITED", "message": message}]})
    first_pull_fault = fault if fault in (PARTIAL, "not_found") else ""
    root = _Root(request.base_url, github_api.index_of(org), budget, cost, nodes, first_pull_fault)
    result = execute(
        gql_schema,
        document,
        root_value=root.fields(),
        variable_values=variables,
        operation_name=body.get("operationName"),
        field_resolver=_resolve,
    )
    reply: dict[str, Any] = {"data": result.data}
    if result.errors:
        reply["errors"] = [_error(e) for e in result.errors]
    return ApiResponse(200, reply)


def _resolve(source: Any, info: Any, **args: Any) -> Any:
    """A field's value: the dict entry named like it, called with the field's arguments when it is a function."""
    value = source.get(info.field_name) if isinstance(source, dict) else None
    return value(**args) if callable(value) else value


def _error(error: GraphQLError) -> dict:
    entry: dict[str, Any] = {"message": error.message}
    original = error.original_error
    if isinstance(original, _ResolveError):
        entry["type"] = original.kind
    elif original is not None:
        entry["message"] = SOMETHING_WENT_WRONG
    if error.path:
        entry["path"] = list(error.path)
    if error.locations:
        entry["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if original is None and not error.path:
        entry["extensions"] = {"code": "undefinedField" if "Cannot query field" in error.message else "invalidQuery"}
    return entry


class _Root:
    """The objects one query can reach, built as dicts of values and argument-taking functions."""

    def __init__(self, base: str, index: Any, budget: RateBudget, cost: int, nodes: int, first_pull_fault: str) -> None:
        self.base, self.index, self.budget = base, index, budget
        self.cost, self.nodes, self.first_pull_fault = cost, nodes, first_pull_fault

    def fields(self) -> dict:
        return {"rateLimit": self.rate_limit, "repository": self.repository, "nodes": self.by_ids, "node": self.by_id}

    def by_id(self, id: str) -> dict:  # noqa: A002 - the schema's argument name
        (found,) = self.by_ids([id])
        if isinstance(found, Exception):
            raise found
        return found

    def by_ids(self, ids: list[str]) -> list:
        """The objects `ids` name, in their order: deployments are the kind resolved by id; any other id, or
        one no longer known, is null with a NOT_FOUND error at its position."""
        deployments = {
            github_api.node_id("DE", deployment_id): (entry, deployment)
            for entry in self.index.repos.values()
            for deployment_id, deployment in entry.deployments.items()
        }
        found = []
        for node_id in ids:
            fault, self.first_pull_fault = self.first_pull_fault, ""
            if node_id not in deployments or fault == "not_found":
                # An exception in the list: null at its position, and an error with its path.
                found.append(
                    _ResolveError(f"Could not resolve to a node with the global id of '{node_id}'", "NOT_FOUND")
                )
                continue
            entry, deployment = deployments[node_id]
            found.append(_deployment(github_api.view_of(self.base, self.index, entry), deployment))
        return found

    def rate_limit(self, dryRun: bool = False) -> dict:  # noqa: N803 - the schema's argument name
        reset = datetime.fromtimestamp(max(self.budget.reset_at, 0), UTC)
        return {
            "cost": self.cost,
            "limit": self.budget.limit,
            "nodeCount": self.nodes,
            "remaining": self.budget.remaining,
            "used": self.budget.used,
            "resetAt": github_api.timestamp(reset),
        }

    def repository(self, owner: str, name: str, followRenames: bool = True) -> dict:  # noqa: N803
        full_name = f"{owner}/{name}".lower()
        entry = self.index.repos.get(full_name)
        if entry is None and followRenames and full_name in self.index.moved:
            entry = self.index.by_id.get(self.index.moved[full_name])
        if entry is None:
            raise _ResolveError(f"Could not resolve to a Repository with the name '{owner}/{name}'.", "NOT_FOUND")
        view = github_api.view_of(self.base, self.index, entry)
        pull_rows = [row for row in entry.rows.values() if isinstance(row.target, PullRequest)]
        issue_rows = [row for row in entry.rows.values() if not isinstance(row.target, PullRequest)]
        return {
            "databaseId": entry.repository.native_id,
            "nameWithOwner": entry.repository.full_name,
            "url": view.html,
            "pullRequest": lambda number: self.pull_request(view, number),
            "issue": lambda number: self.issue(view, number),
            "issues": _listing(view, "issues", issue_rows, lambda row: _issue(view, row)),
            "pullRequests": _listing(view, "pullRequests", pull_rows, lambda row: _pull(view, row.target)),
        }

    def issue(self, view: Any, number: int) -> dict:
        row = view.entry.rows.get(number)
        if row is None or isinstance(row.target, PullRequest):
            raise _ResolveError(f"Could not resolve to an Issue with the number of {number}.", "NOT_FOUND")
        return _issue(view, row)

    def pull_request(self, view: Any, number: int) -> dict:
        pr = view.entry.pulls.get(number)
        fault, self.first_pull_fault = self.first_pull_fault, ""
        if pr is None or fault == "not_found":
            raise _ResolveError(f"Could not resolve to a PullRequest with the number of {number}.", "NOT_FOUND")
        if fault == PARTIAL:
            raise RuntimeError("simulated failure")
        return _pull(view, pr)


def _pull(view: Any, pr: PullRequest) -> dict:
    merged = pr.merged_at is not None
    owner = view.repository.full_name.split("/")[0]
    reviews = sorted(pr.reviews, key=lambda r: (r.submitted_at, r.id))
    commits = pr.commits[: github_api.MAX_PR_COMMITS]
    return {
        "id": github_api.node_id("PR", pr.native_id),
        "fullDatabaseId": str(pr.native_id),
        "number": pr.number,
        "url": f"{view.html}/pull/{pr.number}",
        "title": pr.title,
        "body": pr.body,
        "state": "MERGED" if merged else pr.state.upper(),
        "closed": pr.state == "closed",
        "locked": False,
        "isDraft": pr.is_draft,
        "merged": merged,
        "createdAt": github_api.timestamp(pr.created_at),
        "updatedAt": github_api.timestamp(pr.updated_at),
        "closedAt": github_api.timestamp(pr.closed_at),
        "mergedAt": github_api.timestamp(pr.merged_at),
        "mergeCommit": {"oid": pr.merge_commit_sha} if pr.merge_commit_sha else None,
        "author": _actor(pr.author),
        "authorAssociation": github_api.association(pr.author),
        "mergedBy": _actor(github_api.merger(pr)) if merged else None,
        "headRefName": pr.head_branch,
        "headRefOid": pr.head_sha,
        "baseRefName": pr.base_branch,
        "baseRefOid": github_api.base_sha(pr),
        "headRepositoryOwner": {"__typename": "Organization", "login": owner},
        "baseRepository": {
            "nameWithOwner": view.repository.full_name,
            "owner": {"__typename": "Organization", "login": owner},
        },
        "maintainerCanModify": False,
        "mergeStateStatus": "DRAFT" if pr.is_draft else "CLEAN" if pr.state == "open" else "UNKNOWN",
        "additions": pr.additions,
        "deletions": pr.deletions,
        "changedFiles": pr.changed_files,
        "comments": _connection([], lambda c: c),
        "timelineItems": _timeline(view, pr.number),
        "labels": _connection(list(pr.labels), lambda name: {"name": name}),
        "reviews": _connection(reviews, lambda review: _review(view, pr, review)),
        "commits": _connection(
            list(zip(commits, github_api.parents(pr), strict=False)), lambda pair: _commit(view, *pair)
        ),
    }


# The timeline item type each simulated issue event kind is, in GraphQL's words.
TIMELINE_TYPES = {
    "labeled": "LabeledEvent",
    "unlabeled": "UnlabeledEvent",
    "closed": "ClosedEvent",
    "reopened": "ReopenedEvent",
    "assigned": "AssignedEvent",
    "merged": "MergedEvent",
    "ready_for_review": "ReadyForReviewEvent",
    "review_requested": "ReviewRequestedEvent",
    "head_ref_deleted": "HeadRefDeletedEvent",
    "renamed": "RenamedTitleEvent",
    "milestoned": "MilestonedEvent",
    "locked": "LockedEvent",
    "marked_as_duplicate": "MarkedAsDuplicateEvent",
    "review_dismissed": "ReviewDismissedEvent",
}


def _item_type(typename: str) -> str:
    """`LabeledEvent` → `LABELED_EVENT`, as the `itemTypes` argument names a timeline item type."""
    return "".join(f"_{c}" if c.isupper() and i else c for i, c in enumerate(typename)).upper()


def _listing(view: Any, kind: str, rows: list, build: Callable[[Any], Any]) -> Callable[..., dict]:
    """A repository's issues or pull requests as a connection, in the order `orderBy` asks (oldest first by default)."""

    def page(orderBy: dict | None = None, **args: Any) -> dict:  # noqa: N803 - the schema's argument name
        order = orderBy or {"field": "CREATED_AT", "direction": "ASC"}
        key = {"CREATED_AT": "created_at", "UPDATED_AT": "updated_at"}.get(order["field"], "created_at")

        def ordered() -> list:
            return sorted(rows, key=lambda r: (getattr(r, key), r.number), reverse=order["direction"] == "DESC")

        listed = view.entry.listing(("graphql", kind, key, order["direction"]), ordered)
        return _connection(listed, build)(**args)

    return page


def _issue(view: Any, row: Any) -> dict:
    return {
        "id": github_api.node_id("I", row.target.native_id),
        "fullDatabaseId": str(row.target.native_id),
        "number": row.number,
        "createdAt": github_api.timestamp(row.created_at),
        "updatedAt": github_api.timestamp(row.updated_at),
        "timelineItems": _timeline(view, row.number),
    }


def _timeline(view: Any, number: int) -> Callable[..., dict]:
    """An issue's or pull request's events as `timelineItems`, oldest first, only the `itemTypes` asked for."""

    def page(itemTypes: list[str] | None = None, **args: Any) -> dict:  # noqa: N803 - the schema's argument name
        events = view.entry.events_by_number.get(number, [])
        if itemTypes is not None:
            wanted = set(itemTypes)
            events = [e for e in events if _item_type(TIMELINE_TYPES[e.kind]) in wanted]
        return _connection(events, lambda event: _timeline_item(view, event))(**args)

    return page


def _timeline_item(view: Any, event: Any) -> dict:
    """One timeline event, from the fields its REST issue event has."""
    rest = github_api.issue_event(view, event, with_issue=False)
    item: dict[str, Any] = {
        "__typename": TIMELINE_TYPES[event.kind],
        "id": rest["node_id"],
        "createdAt": rest["created_at"],
        "actor": _actor(event.actor),
    }
    if "label" in rest:
        item["label"] = {"name": rest["label"]["name"], "color": rest["label"]["color"]}
    if event.assignee is not None:
        item["assignee"] = _actor(event.assignee)
    if event.requested_reviewer is not None:
        item["requestedReviewer"] = _actor(event.requested_reviewer)
    if event.kind == "closed":
        item["stateReason"] = (event.state_reason or "").upper() or None
    if event.kind == "merged":
        item["commit"] = {"oid": event.commit_id} if event.commit_id else None
    if "rename" in rest:
        item["previousTitle"], item["currentTitle"] = rest["rename"]["from"], rest["rename"]["to"]
    if "milestone" in rest:
        item["milestoneTitle"] = rest["milestone"]["title"]
    if "lock_reason" in rest:
        item["lockReason"] = rest["lock_reason"].upper()
    if "dismissed_review" in rest:
        dismissed = rest["dismissed_review"]
        item["previousReviewState"] = dismissed["state"].upper()
        item["review"] = {"fullDatabaseId": str(dismissed["review_id"])}
    return item


def _deployment(view: Any, deployment: Any) -> dict:
    statuses = sorted(deployment.statuses, key=lambda s: (s.at, s.id), reverse=True)

    def status(item: Any) -> dict:
        rest = github_api.deployment_status_object(view, deployment, item)
        return {
            "id": rest["node_id"],
            "state": rest["state"].upper(),
            "description": rest["description"],
            "environment": rest["environment"],
            "environmentUrl": rest["environment_url"],
            "logUrl": rest["log_url"] or None,
            "createdAt": rest["created_at"],
            "updatedAt": rest["updated_at"],
            "creator": _actor(item.creator),
        }

    return {
        "__typename": "Deployment",
        "id": github_api.node_id("DE", deployment.native_id),
        "databaseId": deployment.native_id,
        "statuses": _connection(statuses, status),
    }


def _actor(person: Person | None) -> dict | None:
    """An author as GraphQL names it: a bot's login without REST's `[bot]` suffix."""
    if person is None:
        return None
    kind = "Bot" if person.is_bot else "User"
    return {
        "__typename": kind,
        "login": person.login.removesuffix("[bot]"),
        "databaseId": person.numeric_id,
        "id": github_api.node_id("BOT" if person.is_bot else "U", person.numeric_id),
    }


def _review(view: Any, pr: PullRequest, review: Review) -> dict:
    rest = github_api.review_object(view, pr, review)
    return {
        "id": rest["node_id"],
        "fullDatabaseId": str(review.id),
        "author": _actor(review.reviewer),
        "authorAssociation": rest["author_association"],
        "body": rest["body"],
        "state": review.state,
        "url": rest["html_url"],
        "submittedAt": github_api.timestamp(review.submitted_at),
        "commit": {"oid": review.commit_sha},
    }


def _commit(view: Any, commit: Commit, parent: str) -> dict:
    def git_actor(moment: datetime) -> dict:
        return {
            "name": commit.author.name,
            "email": commit.author.email,
            "date": github_api.timestamp(moment),
            # The account the email belongs to, named as REST names it (GitHub gives no User for a bot).
            "user": {"login": commit.author.login, "databaseId": commit.author.numeric_id},
        }

    return {
        "id": github_api.node_id("PURC", f"{view.repository.native_id}:{commit.sha}"),
        "url": f"{view.html}/commit/{commit.sha}",
        "commit": {
            "oid": commit.sha,
            "message": commit.message,
            "authoredDate": github_api.timestamp(commit.authored_at),
            "committedDate": github_api.timestamp(commit.committed_at),
            "author": git_actor(commit.authored_at),
            "committer": git_actor(commit.committed_at),
            "parents": _connection([parent], lambda sha: {"oid": sha}),
        },
    }


def _cursor(position: int) -> str:
    return base64.b64encode(f"cursor:v2:{position}".encode()).decode()


def _position(cursor: str | None) -> int:
    """The index a cursor stands at; -1 before the first (no cursor, or one not from here)."""
    try:
        return int(base64.b64decode(cursor or "").decode().rsplit(":", 1)[1])
    except (ValueError, IndexError):
        return -1


def _connection(items: list, build: Callable[[Any], Any]) -> Callable[..., dict]:
    """A connection over `items`: paged by `first`/`after` (or `last`/`before`), nodes built only for the page."""

    def page(
        first: int | None = None, after: str | None = None, last: int | None = None, before: str | None = None, **_: Any
    ) -> dict:
        start, end = _position(after) + 1, len(items)
        if before is not None and 0 <= _position(before) < end:
            end = _position(before)
        if first is not None:
            end = min(end, start + first)
        if last is not None:
            start = max(start, end - last)
        start = min(start, end)
        positions = range(start, end)
        nodes = [build(items[i]) for i in positions]
        return {
            "totalCount": len(items),
            "nodes": nodes,
            "edges": [{"cursor": _cursor(i), "node": node} for i, node in zip(positions, nodes, strict=True)],
            "pageInfo": {
                "hasNextPage": end < len(items),
                "hasPreviousPage": start > 0,
                "startCursor": _cursor(start) if nodes else None,
                "endCursor": _cursor(end - 1) if nodes else None,
            },
        }

    return page


def budget_headers(budget: RateBudget) -> dict[str, str]:
    """The rate-limit headers of a GraphQL reply: the points budget, resource `graphql`."""
    return {**github_api.rate_limit_headers(budget), "x-ratelimit-resource": "graphql"}
