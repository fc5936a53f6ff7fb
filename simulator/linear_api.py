"""Linear's GraphQL API, served from the simulated organisation: teams, workflow states, issues and their history.

The organisation's Linear team (the generator's `growth`, key GRO) plans here and codes on
GitHub. Every request is `POST /graphql`, parsed and validated by graphql-core against
`linear_schema.graphql` (the subset of Linear's schema the source uses) and executed by it, so a
misspelt field or a wrong argument type fails as it would on Linear.

What a client must cope with, as Linear does it: a personal API key sent bare in
`Authorization` (OAuth tokens as `Bearer …`); Relay connections (`first`, `after`, default 50,
at most 250); archived issues hidden unless `includeArchived: true` (closed issues are archived
some weeks after they close, which moves their `updatedAt`); identifiers that change when an
issue moves team (`previousIdentifiers` keeps the old ones); each query's complexity computed
and sent as `X-Complexity`, a query above 10,000 points refused; request and complexity budgets
in `X-RateLimit-Requests-*` and `X-RateLimit-Complexity-*` (resets in epoch milliseconds), and a
used-up budget answered with HTTP 400 and `extensions.code` RATELIMITED.

Complexity, as Linear describes it: 0.1 point per scalar field, 1 per object, and a connection
multiplies what it selects by its `first` (50 when not given); rounded up.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    build_schema,
    execute,
    is_leaf_type,
)

from simulator import graphql_cost
from simulator.api import Api, Credentials, RateBudget
from simulator.generator import LINEAR_STATE_TYPES, linear_id
from simulator.model import ASSIGNED, LABELED, STATUS, UNLABELED, LinearTeam, Org, Person, WorkItem
from simulator.routing import ApiRequest, ApiResponse, Router, parse_time, per_org

SCHEMA_PATH = Path(__file__).with_name("linear_schema.graphql")
WORKSPACE = "acme"  # the URL key: issues live at https://linear.app/acme/issue/GRO-12/…
DEFAULT_FIRST = 50
MAX_FIRST = 250
MAX_COMPLEXITY = 10_000
ARCHIVE_AFTER = timedelta(days=30)  # closed issues are archived this long after they close
CYCLE_DAYS = 14
PRIORITIES = {"Highest": 1, "High": 2, "Medium": 3, "Low": 4}
PRIORITY_LABELS = {0: "No priority", 1: "Urgent", 2: "High", 3: "Medium", 4: "Low"}
ESTIMATES = (None, 1, 2, 3, 5, 8)
PROJECTS = ("Self-serve onboarding", "Pricing page revamp")
STATE_COLORS = {"triage": "#FC7840", "backlog": "#bec2c8", "unstarted": "#e2e2e2", "started": "#f2c94c",
                "completed": "#5e6ad2", "canceled": "#95a2b3", "duplicate": "#95a2b3"}  # fmt: skip

ROUTER = Router()


@cache
def schema() -> GraphQLSchema:
    built = build_schema(SCHEMA_PATH.read_text())
    fields = built.query_type.fields
    fields["viewer"].resolve = lambda root, info: root.user(root.org.people[0])
    fields["organization"].resolve = lambda root, info: {"id": linear_id("organization"), "name": "Acme",
                                                          "urlKey": WORKSPACE}  # fmt: skip
    fields["teams"].resolve = _teams
    fields["issues"].resolve = _issues
    fields["issue"].resolve = _issue
    return built


# ---------------------------------------------------------------------------------- the data
@dataclass
class _Index:
    org: Org
    teams: dict[str, LinearTeam]  # by key, also teams issues moved away from
    items: list[WorkItem]
    by_id: dict[str, WorkItem]
    # Worked out once per organisation, not for every item on every page of a listing:
    ids: dict[int, str]  # an issue's id, by the item's native id
    archived: dict[int, datetime | None]  # when an issue was archived, as of the organisation's end
    listings: dict[str, list[WorkItem]] = field(default_factory=dict)  # by filter and order: each page reuses one

    def updated(self, item: WorkItem) -> datetime:
        return max(item.updated_at, self.archived[item.native_id] or item.updated_at)


def issue_id(item: WorkItem) -> str:
    return linear_id("issue", item.native_id)


def linear_items(org: Org) -> list[WorkItem]:
    return [i for i in org.work_items if i.source == "linear"]


@per_org
def _index(org: Org) -> _Index:
    items = linear_items(org)
    teams = {t.key: t for t in org.linear_teams}
    first = org.linear_teams[0] if org.linear_teams else None
    for item in items:  # a team an issue moved from (or is in, before it moved) is a team of the workspace too
        for key in (item.container, *(item.moved_from[:1] if item.moved_from else ())):
            if key not in teams and first is not None:
                teams[key] = LinearTeam(key, key.title(), linear_id("team", key), first.team, first.timezone,
                                        first.statuses, first.code_repo)  # fmt: skip
    ids = {i.native_id: issue_id(i) for i in items}
    archived = {i.native_id: archived_at(i, org.end) for i in items}
    return _Index(org, teams, items, {ids[i.native_id]: i for i in items}, ids, archived)


class _Root:
    """What resolvers reach through `root`: the index and how its objects render."""

    def __init__(self, index: _Index) -> None:
        self.index = index
        self.org = index.org
        self._states: dict[str, list[dict]] = {}  # a team's states, drawn once per query

    def user(self, person: Person | None) -> dict | None:
        if person is None:
            return None
        return {"id": linear_id("user", person.login), "name": person.name, "displayName": person.login.split("-")[0],
                "email": person.email, "active": True}  # fmt: skip

    def team(self, key: str) -> dict:
        team = self.index.teams[key]
        return {"id": team.native_id, "key": team.key, "name": team.name, "private": False,
                "states": lambda info, **args: _connection(self.states(key), args)}  # fmt: skip

    def states(self, key: str) -> list[dict]:
        if key not in self._states:
            team = self.index.teams[key]
            names = ["Triage", *dict.fromkeys(team.statuses.values()), "Duplicate"]
            self._states[key] = [self._draw_state(key, name, position) for position, name in enumerate(names)]
        return self._states[key]

    def state(self, key: str, name: str) -> dict:
        return next(s for s in self.states(key) if s["name"] == name)

    def _draw_state(self, key: str, name: str, position: int) -> dict:
        kind = LINEAR_STATE_TYPES[name]
        return {"id": linear_id("state", key, name), "name": name, "type": kind, "position": float(position),
                "color": STATE_COLORS[kind], "archivedAt": None, "team": lambda info: self.team(key)}  # fmt: skip

    def label(self, name: str) -> dict:
        return {"id": linear_id("label", name), "name": name, "color": "#bb87fc"}


def _time(moment: datetime | None) -> str | None:
    """`2026-05-04T09:00:00.000Z`: Linear answers in UTC with milliseconds."""
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _state_changes(item: WorkItem) -> list[tuple[datetime, str]]:
    return [(e.at, e.to_value) for e in item.events if e.kind == STATUS]


def _first_of_type(item: WorkItem, kinds: set[str]) -> datetime | None:
    """When the issue last entered a state of one of `kinds` and stayed in such states since (None if not there now)."""
    current = item.status
    if LINEAR_STATE_TYPES.get(current) not in kinds:
        return None
    entered = item.created_at
    for at, state in _state_changes(item):
        if LINEAR_STATE_TYPES[state] not in kinds:
            entered = None
        elif entered is None:
            entered = at
    return entered


def _started_at(item: WorkItem) -> datetime | None:
    """Linear's startedAt: when the issue first moved into a started state (kept once completed)."""
    return next((at for at, state in _state_changes(item) if LINEAR_STATE_TYPES[state] == "started"), None)


def archived_at(item: WorkItem, now: datetime) -> datetime | None:
    closed = _first_of_type(item, {"completed", "canceled", "duplicate"})
    if closed is None or closed + ARCHIVE_AFTER > now:
        return None
    return closed + ARCHIVE_AFTER


def updated_at(item: WorkItem, now: datetime) -> datetime:
    return max(item.updated_at, archived_at(item, now) or item.updated_at)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _cycle(started: datetime | None, org: Org) -> dict | None:
    if started is None:
        return None
    number = (started - org.start).days // CYCLE_DAYS + 1
    starts = org.start + timedelta(days=CYCLE_DAYS * (number - 1))
    return {"id": linear_id("cycle", number), "number": float(number), "name": None, "startsAt": _time(starts),
            "endsAt": _time(starts + timedelta(days=CYCLE_DAYS))}  # fmt: skip


def _history(root: _Root, item: WorkItem) -> list[dict]:
    """One entry per change, oldest first: state, assignee, labels, and the move to another team."""
    key = item.container
    entries = []
    assignee = None
    if item.moved_from:
        old_key, _, at = item.moved_from
        entries.append((at, 0, {"actor": root.user(item.reporter), "fromTeam": root.team(old_key),
                                "toTeam": root.team(key)}))  # fmt: skip
    for event in item.events:
        change: dict = {"actor": root.user(event.actor)}
        if event.kind == STATUS:
            change |= {"fromState": root.state(key, event.from_value), "toState": root.state(key, event.to_value)}
        elif event.kind == ASSIGNED:
            change |= {"fromAssignee": root.user(assignee), "toAssignee": root.user(event.assignee)}
            assignee = event.assignee
        elif event.kind in (LABELED, UNLABELED):
            change["addedLabels" if event.kind == LABELED else "removedLabels"] = [root.label(event.to_value)]
        else:
            continue
        entries.append((event.at, event.id, change))
    closed = archived_at(item, root.org.end)
    rendered = []
    for at, event_id, change in sorted(entries, key=lambda e: (e[0], e[1])):
        blank = dict.fromkeys(("fromState", "toState", "fromAssignee", "toAssignee", "fromTeam", "toTeam",
                               "addedLabels", "removedLabels", "fromEstimate", "toEstimate", "fromPriority",
                               "toPriority"))  # fmt: skip
        rendered.append({**blank, **change, "id": linear_id("history", item.native_id, event_id, at),
                         "createdAt": _time(at), "updatedAt": _time(at), "archived": closed is not None})  # fmt: skip
    return rendered


def render_issue(root: _Root, item: WorkItem) -> dict:
    rng = random.Random(f"linear:{item.native_id}")
    now = root.org.end
    started = _started_at(item)
    kind = LINEAR_STATE_TYPES[item.status]
    closed = _first_of_type(item, {"completed", "canceled", "duplicate"})
    priority = PRIORITIES.get(item.priority, 0)
    project = rng.choice((*PROJECTS, None))
    identifier = item.key
    return {
        "id": issue_id(item),
        "identifier": identifier,
        "previousIdentifiers": [f"{item.moved_from[0]}-{item.moved_from[1]}"] if item.moved_from else [],
        "number": float(item.number),
        "title": item.title,
        "description": item.body,
        "url": f"https://linear.app/{WORKSPACE}/issue/{identifier}/{_slug(item.title)}",
        "branchName": f"{item.reporter.login.split('-')[0]}/{identifier.lower()}-{_slug(item.title)}",
        "priority": float(priority),
        "priorityLabel": PRIORITY_LABELS[priority],
        "estimate": rng.choice(ESTIMATES),
        "createdAt": _time(item.created_at),
        "updatedAt": _time(updated_at(item, now)),
        "startedAt": _time(started),
        "completedAt": _time(closed if kind == "completed" else None),
        "canceledAt": _time(closed if kind in ("canceled", "duplicate") else None),
        "triagedAt": None,
        "archivedAt": _time(archived_at(item, now)),
        "state": root.state(item.container, item.status),
        "team": root.team(item.container),
        "assignee": root.user(item.assignee),
        "creator": root.user(item.reporter),
        "project": {"id": linear_id("project", project), "name": project} if project else None,
        "cycle": _cycle(started, root.org),
        "labels": lambda info, **args: _connection([root.label(name) for name in item.labels], args),
        "history": lambda info, **args: _connection(_history(root, item), args),
    }


# ---------------------------------------------------------------------------------- resolvers
def _connection(rows: list, args: dict, render: Callable[[Any], dict] | None = None,
                row_id: Callable[[Any], str] | None = None) -> dict:  # fmt: skip
    """A Relay connection of `rows` after the `after` cursor (a row's id), `first` of them.

    `render` draws a row as the reply shows it, for the page's rows only (`row_id` then gives its
    id): drawing every issue of a workspace for each page of 50 made paging quadratic.
    """
    render = render or (lambda row: row)
    row_id = row_id or (lambda row: row["id"])
    first = args.get("first")
    first = DEFAULT_FIRST if first is None else first
    if not 0 <= first <= MAX_FIRST:
        raise GraphQLError(f"Argument first must be between 0 and {MAX_FIRST}", extensions={"code": "INVALID_INPUT"})
    start = 0
    if args.get("after"):
        ids = [row_id(row) for row in rows]
        if args["after"] not in ids:
            raise GraphQLError("Invalid cursor", extensions={"code": "INVALID_INPUT"})
        start = ids.index(args["after"]) + 1
    page = [render(row) for row in rows[start : start + first]]
    return {
        "nodes": page,
        "pageInfo": {
            "hasPreviousPage": start > 0,
            "hasNextPage": start + first < len(rows),
            "startCursor": page[0]["id"] if page else None,
            "endCursor": page[-1]["id"] if page else None,
        },
    }


def _matches_text(value: str, comparator: dict | None) -> bool:
    if not comparator:
        return True
    if "eq" in comparator and value != comparator["eq"]:
        return False
    return "in" not in comparator or value in comparator["in"]


def _matches_date(value: datetime, comparator: dict | None) -> bool:
    if not comparator:
        return True
    tests = {"eq": value.__eq__, "gt": value.__gt__, "gte": value.__ge__, "lt": value.__lt__, "lte": value.__le__}
    return all(tests[op](parse_time(bound)) for op, bound in comparator.items() if bound is not None)


def _matches(root: _Root, item: WorkItem, f: dict | None) -> bool:
    if not f:
        return True
    team = root.index.teams[item.container]
    checks = [
        _matches_text(root.index.ids[item.native_id], f.get("id")),
        not f.get("team")
        or (
            _matches_text(team.native_id, f["team"].get("id"))
            and _matches_text(team.key, f["team"].get("key"))
            and _matches_text(team.name, f["team"].get("name"))
        ),
        _matches_date(item.created_at, f.get("createdAt")),
        _matches_date(root.index.updated(item), f.get("updatedAt")),
        all(_matches(root, item, part) for part in f.get("and") or []),
        not f.get("or") or any(_matches(root, item, part) for part in f["or"]),
    ]
    return all(checks)


def _teams(root: _Root, info, **args) -> dict:
    rows = [root.team(key) for key in root.index.teams]
    wanted = args.get("filter") or {}
    rows = [r for r in rows if all(_matches_text(r[k], wanted.get(k)) for k in ("id", "key", "name"))]
    return _connection(rows, args)


def _issues(root: _Root, info, **args) -> dict:
    index = root.index
    listing = json.dumps([args.get("filter"), args.get("orderBy"), bool(args.get("includeArchived"))], default=str)
    items = index.listings.get(listing)
    if items is None:
        items = [i for i in index.items if _matches(root, i, args.get("filter"))]
        if not args.get("includeArchived"):
            items = [i for i in items if index.archived[i.native_id] is None]
        # Newest first by the ordering field, as Linear lists them.
        if args.get("orderBy") == "updatedAt":
            items.sort(key=lambda i: (index.updated(i), index.ids[i.native_id]), reverse=True)
        else:
            items.sort(key=lambda i: (i.created_at, index.ids[i.native_id]), reverse=True)
        index.listings[listing] = items
    return _connection(items, args, lambda i: render_issue(root, i), lambda i: index.ids[i.native_id])


def _issue(root: _Root, info, id: str) -> dict:  # noqa: A002 - the argument's name in the schema
    item = root.index.by_id.get(id) or next((i for i in root.index.items if i.key == id), None)
    if item is None:
        raise GraphQLError("Entity not found: Issue", extensions={"code": "INVALID_INPUT"})
    return render_issue(root, item)


# ---------------------------------------------------------------------------------- complexity
def complexity(document, variables: dict, operation: OperationDefinitionNode | None = None) -> int:
    """The query's cost in Linear's points (see the module's docstring)."""
    operation = operation or next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return graphql_cost.score(document, operation, schema(), variables, _price)


def _price(named, args: dict, selected) -> float:
    if is_leaf_type(named):
        return 0.1
    if named.name.endswith("Connection"):
        first = args.get("first")
        return (DEFAULT_FIRST if first is None else first) * selected()
    return 1 + selected()


# ---------------------------------------------------------------------------------- routes
def _errors(status: int, message: str, code: str, **extra) -> ApiResponse:
    return ApiResponse(status, {"errors": [{"message": message, "extensions": {"code": code, **extra}}]})


@ROUTER.post(r"/graphql")
def graphql(request: ApiRequest, match: re.Match, org: Org) -> ApiResponse:
    try:
        body = json.loads(request.body or b"{}")
        source, variables = body["query"], body.get("variables") or {}
        document, problems = graphql_cost.checked(schema(), source)
    except (ValueError, KeyError, TypeError, GraphQLError) as error:
        return _errors(400, f"Invalid request: {error}", "GRAPHQL_PARSE_FAILED")
    if problems:
        return ApiResponse(400, {"errors": [{**p.formatted, "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}
                                            for p in problems]})  # fmt: skip
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    name = body.get("operationName")
    operation = next((o for o in operations if name is None or (o.name and o.name.value == name)), None)
    if operation is None:
        return _errors(400, f"Unknown operation {name!r}", "GRAPHQL_VALIDATION_FAILED")
    points = complexity(document, variables, operation)
    if points > MAX_COMPLEXITY:
        reply = _errors(400, f"Query too complex: complexity {points} exceeds the maximum of {MAX_COMPLEXITY}",
                        "INVALID_INPUT", userPresentableMessage="The query is too complex.")  # fmt: skip
        reply.headers["X-Complexity"] = str(points)
        return reply
    result = execute(schema(), document, _Root(_index(org)), variable_values=variables, operation_name=name)
    payload: dict = {"data": result.data}
    if result.errors:
        payload["errors"] = [{**e.formatted, "extensions": e.extensions or {"code": "INTERNAL_SERVER_ERROR"}}
                             for e in result.errors]  # fmt: skip
    return ApiResponse(200, payload, {"X-Complexity": str(points)})


# ---------------------------------------------------------------------------------- the Api
def authenticate(request: ApiRequest, credentials: Credentials) -> ApiResponse | None:
    """A personal API key, sent bare in `Authorization`, or an OAuth token as `Bearer …`."""
    given = request.headers.get("authorization", "")
    if given in (credentials.linear_token, f"Bearer {credentials.linear_token}"):
        return None
    return _errors(400, "Authentication required, not authenticated", "AUTHENTICATION_ERROR",
                   userPresentableMessage="You need to authenticate to access this operation.")  # fmt: skip


def error(status: int, kind: str) -> ApiResponse:
    if status == 429 or kind in ("rate_limit", "primary_limit"):
        return _errors(400, "Rate limit exceeded", "RATELIMITED")
    if kind == "forbidden":
        return _errors(403, "Forbidden", "FORBIDDEN")
    return _errors(status, "Internal server error", "INTERNAL_SERVER_ERROR")


def charge(reply: ApiResponse, budget: RateBudget) -> ApiResponse:
    """Spend the reply's complexity from the window's points; RATELIMITED once they would run out."""
    points = int(reply.headers.get("X-Complexity", "0")) if reply.status == 200 else 0
    if budget.points_limit and budget.points + points > budget.points_limit:
        return _errors(400, "Rate limit exceeded: complexity", "RATELIMITED")
    budget.points += points
    return reply


def rate_limit_headers(budget: RateBudget) -> dict[str, str]:
    """Linear's budgets: requests and complexity points, their resets in epoch milliseconds."""
    reset = str(int(budget.reset_at * 1000))
    headers = {
        "X-RateLimit-Requests-Limit": str(budget.limit),
        "X-RateLimit-Requests-Remaining": str(budget.remaining),
        "X-RateLimit-Requests-Reset": reset,
    }
    if budget.points_limit:
        headers |= {
            "X-RateLimit-Complexity-Limit": str(budget.points_limit),
            "X-RateLimit-Complexity-Remaining": str(max(0, int(budget.points_limit - budget.points))),
            "X-RateLimit-Complexity-Reset": reset,
        }
    return headers


def not_found(request: ApiRequest) -> ApiResponse:
    return ApiResponse(404, {"errors": [{"message": "Not found"}]})


API = Api(
    name="linear",
    router=ROUTER,
    authenticate=authenticate,
    error=error,
    rate_limit_headers=rate_limit_headers,
    not_found=not_found,
    charge=charge,
)
