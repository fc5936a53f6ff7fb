"""Linear source: the configured teams, their workflow states, their issues and each issue's history.

What Linear's GraphQL API makes hard, and how this source meets it:
- One query may cost at most 10,000 complexity points, and a nested connection without `first`
  counts as 50 items. Every connection here names its `first`: a page of `page_size` issues,
  each with its first `history_page_size` history entries and `labels_page_size` labels
  (25, 20 and 10 by default: 7,590 points as the simulator counts them; README). An issue with
  more history or labels gets further pages of its own. Should Linear still refuse a page as too
  complex, the page is asked again with half as many issues.
- Issues are read per team, filtered on `updatedAt` after the team's cursor and up to the run's
  start (less a safety lag), archived ones included (Linear hides them otherwise, and archiving
  an issue moves its `updatedAt`). The order Linear lists them in does not matter: the cursor
  moves to the end of the window only after its last page.
- Rate limits come in headers (requests and complexity points, resets in epoch milliseconds);
  a spent budget is HTTP 400 with `extensions.code` RATELIMITED, waited out until the reset the
  headers give. A budget at zero is waited out before the next request.
- The issue's `id` is its stable key; its `identifier` (GRO-12) changes when it moves team, and
  `previousIdentifiers` keeps the old ones (pull requests may name those).
Cursors live in dlt resource state, which dlt commits only with the data it describes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import dlt
import requests
from dlt.sources import DltResource

from ingestion.api_client import ApiClient, AuthError, NotFoundError, RetryPolicy, SourceError, TransientError
from ingestion.rows import nullable_columns, parse_time, reading
from ingestion.scope import ConfiguredScope

log = logging.getLogger("streamgauge.ingestion")

TOKEN_SETTING = "sources.linear.api_key (.dlt/secrets.toml) or SOURCES__LINEAR__API_KEY"
TEAMS_SETTING = "sources.linear.teams (.dlt/config.toml) or SOURCES__LINEAR__TEAMS"
MAX_FIRST = 250  # the most one connection page holds
MAX_COMPLEXITY = 10_000

USER = "id name"
STATE = "id name type"
HISTORY = f"""id createdAt actor {{ {USER} }} fromState {{ {STATE} }} toState {{ {STATE} }}
  fromAssignee {{ {USER} }} toAssignee {{ {USER} }} fromTeam {{ id key }} toTeam {{ id key }}
  addedLabels {{ id name }} removedLabels {{ id name }}"""
ISSUE = f"""id identifier previousIdentifiers number title url branchName priority priorityLabel estimate
  createdAt updatedAt startedAt completedAt canceledAt triagedAt archivedAt
  state {{ {STATE} }} team {{ id key name }} assignee {{ {USER} }} creator {{ {USER} }}
  project {{ id name }} cycle {{ id number name startsAt endsAt }}
  labels(first: $labelsFirst) {{ nodes {{ id name }} pageInfo {{ hasNextPage endCursor }} }}
  history(first: $historyFirst) {{ nodes {{ {HISTORY} }} pageInfo {{ hasNextPage endCursor }} }}"""
ISSUES_QUERY = f"""query Issues($team: String!, $since: DateTimeOrDuration!, $until: DateTimeOrDuration!,
    $first: Int!, $after: String, $historyFirst: Int!, $labelsFirst: Int!) {{
  issues(first: $first, after: $after, includeArchived: true, orderBy: updatedAt,
         filter: {{ team: {{ key: {{ eq: $team }} }}, updatedAt: {{ gt: $since, lte: $until }} }}) {{
    nodes {{ {ISSUE} }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}"""
MORE_QUERY = """query More($id: String!, $first: Int!, $after: String) {
  issue(id: $id) { %s(first: $first, after: $after) { nodes { %s } pageInfo { hasNextPage endCursor } } }
}"""
TEAM_QUERY = f"""query Team($key: String!) {{
  teams(first: 1, filter: {{ key: {{ eq: $key }} }}) {{
    nodes {{ id key name
      states(first: {MAX_FIRST}) {{ nodes {{ id name type position }} pageInfo {{ hasNextPage }} }} }}
  }}
}}"""

ISSUE_COLUMNS = nullable_columns(
    estimate="double",
    started_at="timestamp",
    completed_at="timestamp",
    canceled_at="timestamp",
    triaged_at="timestamp",
    archived_at="timestamp",
    assignee__id="text",
    assignee__name="text",
    project__id="text",
    project__name="text",
    cycle__id="text",
    cycle__number="double",
    cycle__name="text",
)
HISTORY_COLUMNS = nullable_columns(
    **{
        f"{side}_{what}__{column}": "text"
        for side in ("from", "to")
        for what, columns in (("state", ("id", "name", "type")), ("assignee", ("id", "name")), ("team", ("id", "key")))
        for column in columns
    },
    actor__id="text",
    actor__name="text",
)


class QueryTooComplex(SourceError):
    """Linear refused a query for its complexity."""


class LinearClient(ApiClient):
    """ApiClient speaking GraphQL to Linear: its errors inside 400 replies, its rate-limit headers."""

    def query(self, document: str, variables: dict, what: str) -> dict:
        """The `data` of one GraphQL request; an error in the reply raises SourceError."""
        response = self.request("POST", "/graphql", json_body={"query": document, "variables": variables}, what=what)
        body = response.json()
        if body.get("errors"):
            first = body["errors"][0]
            if (first.get("extensions") or {}).get("code") in ("INVALID_INPUT", "ENTITY_NOT_FOUND") and (
                "not found" in first.get("message", "").lower()
            ):
                raise NotFoundError(f"linear: {what} was not found; check the name and the key's access")
            raise SourceError(f"linear: {what} answered with an error: {first.get('message', '')[:300]}")
        return body["data"]

    def _wait_before_retry(self, response: requests.Response, backoff: float) -> float | None:
        if response.status_code == 400 and _code(response) == "RATELIMITED":
            wait = self._until_linear_reset(response, _spent_budgets(response, cost=None))
            log.warning("linear: rate limited (HTTP 400 RATELIMITED); waiting %.0fs for the reset", wait)
            return wait
        return super()._wait_before_retry(response, backoff)

    def _until_linear_reset(self, response: requests.Response, budgets: list[str]) -> float:
        """Seconds until the spent budgets reset, by the headers' epoch milliseconds."""
        resets = [_number(response.headers.get(f"X-RateLimit-{budget}-Reset")) for budget in budgets]
        resets = [reset / 1000 for reset in resets if reset is not None]
        if not resets:
            return self.retry.secondary_limit_wait_seconds
        wait = max(1.0, max(resets) - time.time() + 1)
        if wait > self.retry.max_wait_seconds:
            raise TransientError(
                f"linear: the API rate limit is used up and resets in {wait / 60:.0f} minutes; "
                "rerun after that, the load resumes where it stopped"
            )
        return wait

    def _respect_primary_limit(self, response: requests.Response) -> None:
        """Before a budget runs out, wait for its reset instead of earning a RATELIMITED.

        The next query is taken to cost about what this one did: a page like the last.
        """
        if response.status_code != 200:
            return
        spent = _spent_budgets(response, cost=_number(response.headers.get("X-Complexity")) or 0)
        if spent:
            wait = self._until_linear_reset(response, spent)
            log.warning("linear: %s budget used up; waiting %.0fs for the reset", spent[0].lower(), wait)
            self.sleep(wait)

    def _raise_for_user_error(self, response: requests.Response, what: str) -> None:
        if response.status_code in (400, 401) and _code(response) == "AUTHENTICATION_ERROR":
            raise AuthError(f"linear: the API key was rejected; check {TOKEN_SETTING}")
        if response.status_code == 400 and "too complex" in _message(response).lower():
            raise QueryTooComplex(f"linear: {what}: {_message(response)}")
        if response.status_code == 400:
            raise SourceError(f"linear: {what} was refused (HTTP 400): {_message(response)}")
        super()._raise_for_user_error(response, what)


def _spent_budgets(response: requests.Response, cost: float | None) -> list[str]:
    """The budgets that cannot pay for the next query: requests at zero, complexity at or below `cost`.

    After a refusal the refused query's cost is unknown (None): it can be dearer than any before
    it, so the complexity ran out unless the requests did.
    """
    requests_left = _number(response.headers.get("X-RateLimit-Requests-Remaining"))
    complexity_left = _number(response.headers.get("X-RateLimit-Complexity-Remaining"))
    spent = ["Requests"] if requests_left is not None and requests_left <= 0 else []
    if (cost is None and not spent) or (cost is not None and complexity_left is not None and complexity_left <= cost):
        spent.append("Complexity")
    return spent


def _errors(response: requests.Response) -> list[dict]:
    try:
        body = response.json()
    except ValueError:
        return []
    return body.get("errors") or [] if isinstance(body, dict) else []


def _code(response: requests.Response) -> str | None:
    return next(((e.get("extensions") or {}).get("code") for e in _errors(response)), None)


def _message(response: requests.Response) -> str:
    return "; ".join(e.get("message", "") for e in _errors(response))[:300]


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


@dlt.source(name="linear", max_table_nesting=1)
def linear_source(
    teams: list[str] = dlt.config.value,
    api_key: str = dlt.secrets.value,
    base_url: str = "https://api.linear.app",
    history_days: float = 365,
    page_size: int = 25,
    history_page_size: int = 20,
    labels_page_size: int = 10,
    retry_backoff_seconds: float = 1.0,
) -> list[DltResource]:
    """Every configured team's workflow states and issues, with each changed issue's history.

    `teams` lists team keys (`ENG`, the prefix of the team's identifiers); `api_key` is a personal
    API key (sent bare, as Linear wants it) or an OAuth token written `Bearer <token>`. The first
    load reads issues updated in the last `history_days`. The page sizes are the `first` of each
    connection (see the module's docstring); a team that is unknown or not visible is reported in
    one line and skipped.
    """
    if isinstance(teams, str):
        teams = [t.strip() for t in teams.split(",") if t.strip()]
    if not teams:
        raise SourceError(f"linear: no teams configured; set {TEAMS_SETTING}")
    for name, value in (("page_size", page_size), ("history_page_size", history_page_size),
                        ("labels_page_size", labels_page_size)):  # fmt: skip
        if not 1 <= value <= MAX_FIRST:
            raise SourceError(
                f"linear: {name} must be between 1 and {MAX_FIRST}; check sources.linear.{name} "
                f"or SOURCES__LINEAR__{name.upper()}"
            )
    client = LinearClient(
        "linear",
        base_url,
        {"Authorization": api_key, "Content-Type": "application/json"},
        TOKEN_SETTING,
        RetryPolicy(backoff_seconds=retry_backoff_seconds),
        page_size=page_size,
        title="Linear",
    )
    found = ConfiguredScope(client, "teams", TEAMS_SETTING, teams, _team, "key")
    sizes = {"historyFirst": history_page_size, "labelsFirst": labels_page_size}
    changed = _changed_issues(client, found, timedelta(days=history_days), sizes)
    return [_teams(found), _workflow_states(found), changed, changed | _issues, changed | _issue_history]


def _team(client: ApiClient, key: str) -> dict:
    nodes = client.query(TEAM_QUERY, {"key": key}, what=f"team {key}")["teams"]["nodes"]
    if not nodes:
        raise NotFoundError(
            f"linear: team {key} was not found (no team has that key); check the key and the key's access"
        )
    team = nodes[0]
    if team["states"]["pageInfo"]["hasNextPage"]:
        log.warning("linear: team %s has more than %d workflow states; the rest are not read", key, MAX_FIRST)
    return team


def _teams(found: ConfiguredScope) -> DltResource:
    @dlt.resource(name="teams", primary_key="id", write_disposition="merge")
    def teams() -> Iterator[list[dict]]:
        if found.rows:
            yield [{"id": t["id"], "key": t["key"], "name": t["name"]} for t in found.rows]

    return teams


def _workflow_states(found: ConfiguredScope) -> DltResource:
    @dlt.resource(name="workflow_states", primary_key="id", write_disposition="merge")
    def workflow_states() -> Iterator[list[dict]]:
        rows = [
            {**state, "team_id": team["id"], "team_key": team["key"]}
            for team in found.rows
            for state in team["states"]["nodes"]
        ]
        if rows:
            yield rows

    return workflow_states


# ---------------------------------------------------------------------- issues
def _changed_issues(client: LinearClient, found: ConfiguredScope, history: timedelta, sizes: dict) -> DltResource:
    """Issues updated since the team's cursor, each with all of its history and labels; loads nothing itself."""

    @dlt.resource(name="changed_issues", selected=False)
    def changed_issues() -> Iterator[list[dict]]:
        cursors = dlt.current.resource_state().setdefault("updated_until", {})  # per team key
        keys = found.names  # looks the teams up first: the server's clock is known from here on
        until = client.cursor_limit()
        for key in keys:
            since = parse_time(cursors[key]) if key in cursors else until - history
            if since >= until:
                continue
            yield from found.readable(key, "issues", _pages(client, key, since, until, sizes))
            if (key, "issues") in found.refused:  # its cursor stays: a later run reads what was skipped
                continue
            # Nothing later than `until` was asked for, so nothing dated after the run's start moves it.
            cursors[key] = _linear_time(until)

    return changed_issues


def _pages(client: LinearClient, key: str, since: datetime, until: datetime, sizes: dict) -> Iterator[list[dict]]:
    first, after = client.page_size, None
    while True:
        variables = {"team": key, "since": _linear_time(since), "until": _linear_time(until), "first": first,
                     "after": after, **sizes}  # fmt: skip
        try:
            data = client.query(ISSUES_QUERY, variables, what=f"issues of team {key}")
        except QueryTooComplex as error:
            if first == 1:
                raise SourceError(f"{error}; lower sources.linear.history_page_size or labels_page_size") from None
            first = max(1, first // 2)
            log.warning("linear: Linear found a page of issues too complex; asking %d at a time", first)
            continue
        connection = data["issues"]
        rows = []
        for issue in connection["nodes"]:
            with reading(f"issue {issue.get('identifier')}"):
                for name, fields in (("history", HISTORY), ("labels", "id name")):
                    issue[name]["nodes"] += _rest(client, issue, name, fields, sizes)
                rows.append(issue)
        if rows:
            yield rows
        if not connection["pageInfo"]["hasNextPage"]:
            return
        after = connection["pageInfo"]["endCursor"]


def _rest(client: LinearClient, issue: dict, name: str, fields: str, sizes: dict) -> list[dict]:
    """The pages of an issue's history or labels after the first, which came with the issue."""
    more: list[dict] = []
    page = issue[name]["pageInfo"]
    first = sizes["historyFirst"] if name == "history" else sizes["labelsFirst"]
    while page["hasNextPage"]:
        data = client.query(
            MORE_QUERY % (name, fields),
            {"id": issue["id"], "first": max(first, 50), "after": page["endCursor"]},
            what=f"{name} of issue {issue['identifier']}",
        )
        connection = data["issue"][name]
        more += connection["nodes"]
        page = connection["pageInfo"]
    return more


@dlt.transformer(name="issues", primary_key="id", write_disposition="merge", columns=ISSUE_COLUMNS)
def _issues(rows: list[dict]) -> Iterator[list[dict]]:
    yield [_issue_row(row) for row in rows]


def _issue_row(row: dict) -> dict:
    slim = {
        "id": row["id"],
        "identifier": row["identifier"],
        "number": row["number"],
        "title": row["title"],
        "url": row["url"],
        "branch_name": row.get("branchName"),
        "priority": row.get("priority"),
        "priority_label": row.get("priorityLabel"),
        "estimate": row.get("estimate"),
        **{
            _snake(key): row.get(key)
            for key in ("createdAt", "updatedAt", "startedAt", "completedAt", "canceledAt", "triagedAt", "archivedAt")
        },  # fmt: skip
        "state": row["state"],
        "team": row["team"],
        "assignee": row.get("assignee"),
        "creator": row.get("creator"),
        "project": row.get("project"),
        "cycle": row.get("cycle"),
        "labels": [{"id": label["id"], "name": label["name"]} for label in row["labels"]["nodes"]],
        "previous_identifiers": [{"identifier": old} for old in row.get("previousIdentifiers") or []],
    }
    return {key: value for key, value in slim.items() if value is not None}


@dlt.transformer(name="issue_history", primary_key="id", write_disposition="merge", columns=HISTORY_COLUMNS)
def _issue_history(rows: list[dict]) -> Iterator[list[dict]]:
    entries = []
    for row in rows:
        for entry in row["history"]["nodes"]:
            shaped = {
                "id": entry["id"],
                "issue_id": row["id"],
                "created_at": entry["createdAt"],
                **{
                    _snake(key): entry.get(key)
                    for key in ("actor", "fromState", "toState", "fromAssignee", "toAssignee", "fromTeam", "toTeam")
                },  # fmt: skip
                "added_labels": [{"id": x["id"], "name": x["name"]} for x in entry.get("addedLabels") or []],
                "removed_labels": [{"id": x["id"], "name": x["name"]} for x in entry.get("removedLabels") or []],
            }
            entries.append({key: value for key, value in shaped.items() if value is not None})
    if entries:
        yield entries


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def _linear_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
