"""Pull request details, reviews and commits through GitHub's GraphQL API, a page of pull requests per query.

Through REST every changed pull request costs three requests (detail, reviews, commits) of the
5,000 an hour; through GraphQL one query asks for up to 100 of them by number, with their first
100 reviews, commits and labels nested, and costs GitHub's points for the connections it opens
(about 4 points for 100 pull requests, from a separate budget of 5,000 points an hour). The rows
come out in the shapes the REST path loads, so the raw tables and everything built on them are the
same whichever path read them (see docs/performance.md for the few raw columns GraphQL cannot give).

- A pull request with more than 100 reviews, commits or labels has the rest read by a query per
  further page of that connection.
- A query GitHub gives up on (502, or a timeout) is asked again for half as many pull requests,
  down to one, which is then retried like any request; the smaller size holds for the rest of the run.
- Every query asks `rateLimit { cost remaining resetAt }`: when the next query would cost more than
  is left, the load waits for `resetAt` (up to the client's longest wait, else one line saying when
  to rerun); a `RATE_LIMITED` reply waits the same way and asks again.
- An error on one pull request (HTTP 200 with `errors` beside the others' data) asks for it again;
  a pull request GitHub no longer knows (`NOT_FOUND`) is reported as gone, like REST's 404.
"""

from __future__ import annotations

import base64
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ingestion.api_client import ApiClient, ForbiddenError, GaveUpError, NotFoundError, SourceError, TransientError
from ingestion.api_client import points_spent as _points_spent
from ingestion.graphql_shared import PageAnswers, error_messages

log = logging.getLogger("streamgauge.ingestion")

MAX_PAGE = 100  # GitHub's limit on `first`, and on the pull requests one query asks for here
NESTED = ("reviews", "commits", "labels")  # connections read in full for every pull request
_ACTOR = "__typename login ... on User { databaseId } ... on Bot { databaseId }"
_PAGE_INFO = "totalCount pageInfo { hasNextPage endCursor }"
_CONNECTION_FIELDS = {
    "reviews": f"{_PAGE_INFO} nodes {{ id fullDatabaseId author {{ {_ACTOR} }} authorAssociation body state url "
    "submittedAt commit { oid } }",
    "commits": f"{_PAGE_INFO} nodes {{ commit {{ oid message authoredDate committedDate "
    f"author {{ name email user {{ login }} }} committer {{ name email }} }} }}",
    "labels": f"{_PAGE_INFO} nodes {{ name }}",
}
_PULL_SCALARS = (
    "id fullDatabaseId number url title body state locked isDraft merged createdAt updatedAt closedAt mergedAt "
    f"mergeCommit {{ oid }} author {{ {_ACTOR} }} authorAssociation mergedBy {{ {_ACTOR} }} "
    "headRefName headRefOid baseRefName baseRefOid headRepositoryOwner { login } baseRepository { owner { login } } "
    "maintainerCanModify mergeStateStatus additions deletions changedFiles comments { totalCount }"
)
_RATE_LIMIT = "rateLimit { cost remaining resetAt }"


def graphql_url(base_url: str) -> str:
    """Where GraphQL is served beside a REST root: api.github.com/graphql, or HOST/api/graphql on GitHub Enterprise."""
    base = base_url.rstrip("/")
    return base.removesuffix("/v3") + "/graphql" if base.endswith("/api/v3") else base + "/graphql"


def pulls_query(count: int, nested: int = MAX_PAGE) -> str:
    """One query for `count` pull requests of a repository, with the first `nested` of their reviews,
    commits and labels: the n-th is the alias `p<n>`, its number the variable `$n<n>`.

    The numbers are variables, not written into the text, so every full batch sends the same query.
    """
    numbers = " ".join(f"$n{n}: Int!" for n in range(count))
    pulls = " ".join(f"p{n}: pullRequest(number: $n{n}) {{ ...pull }}" for n in range(count))
    connections = " ".join(f"{name}(first: {nested}) {{ {_CONNECTION_FIELDS[name]} }}" for name in NESTED)
    return (
        f"query PullDetails($owner: String!, $name: String!, {numbers}) {{ {_RATE_LIMIT} "
        f"repository(owner: $owner, name: $name) {{ {pulls} }} "
        f"}} fragment pull on PullRequest {{ {_PULL_SCALARS} {connections} }}"
    )


def pulls_variables(owner: str, name: str, numbers: list[int]) -> dict[str, str | int]:
    """The variables of `pulls_query(len(numbers))` for the pull requests `numbers` of `owner/name`."""
    return {"owner": owner, "name": name, **{f"n{n}": number for n, number in enumerate(numbers)}}


def connection_query(name: str, nested: int = MAX_PAGE) -> str:
    """The next page of one pull request's `name` connection (reviews, commits or labels)."""
    return (
        f"query PullConnectionPage($owner: String!, $name: String!, $number: Int!, $after: String) {{ {_RATE_LIMIT} "
        f"repository(owner: $owner, name: $name) {{ pullRequest(number: $number) {{ "
        f"{name}(first: {nested}, after: $after) {{ {_CONNECTION_FIELDS[name]} }} }} }} }}"
    )


class GraphQL:
    """Queries to GitHub's GraphQL API through the source's client, sharing one points budget."""

    def __init__(self, client: ApiClient) -> None:
        self.client = client
        self._budget: dict[str, Any] = {}  # the last `rateLimit` GitHub reported

    def post(self, query: str, variables: dict, repo: str, retry: bool, what: str = "") -> tuple[dict, list[dict]]:
        """One query's data and errors, after waiting for the budget when it is spent."""
        what = what or f"pull requests of {repo}"
        for _ in range(self.client.retry.attempts):
            self._wait_for_budget()
            response = self.client.request(
                "POST",
                graphql_url(self.client.base_url),
                json_body={"query": query, "variables": variables},
                what=what,
                retry_server_errors=retry,
            )
            body = response.json()
            errors = body.get("errors") or []
            if rate := (body.get("data") or {}).get("rateLimit"):
                self._budget = rate
                _points_spent[self.client.name] += rate["cost"]
            if any(e.get("type") == "RATE_LIMITED" for e in errors):
                reset = response.headers.get("x-ratelimit-reset") or self._budget.get("resetAt")
                reset = reset or str(int(time.time()) + 60)  # no reset time given: try again in a minute
                self._budget = {"remaining": 0, "resetAt": reset, "cost": self._budget.get("cost", 1)}
                continue
            _raise_for_query_errors(errors, repo, what, self.client.token_setting)
            return body.get("data") or {}, errors
        raise TransientError(
            f"github: the GraphQL rate limit was still used up after {self.client.retry.attempts} waits; "
            "rerun later, the load resumes where it stopped"
        )

    def _wait_for_budget(self) -> None:
        """Sleep until the points window resets when what is left would not pay for another query like the last."""
        if not self._budget or self._budget["remaining"] >= self._budget.get("cost", 1):
            return
        reset = self._budget["resetAt"]
        reset_epoch = float(reset) if str(reset).isdigit() else datetime.fromisoformat(reset).timestamp()
        wait = reset_epoch - time.time() + 1
        self._budget = {}
        if wait <= 0:
            return
        if wait > self.client.retry.max_wait_seconds:
            raise TransientError(
                f"github: the GraphQL rate limit is used up and resets in {wait / 60:.0f} minutes; rerun after that, "
                "the load resumes where it stopped"
            )
        log.warning("github: GraphQL points used up; waiting %.0fs for the reset", wait)
        self.client.sleep(wait)


@dataclass
class Detail:
    """What REST's three calls give for one pull request: its row, its reviews, its commits."""

    pull: dict
    reviews: list[dict]
    commits: list[dict]


@dataclass
class PullDetails:
    """Fetches pull requests' details by GraphQL, once per page of changed issues for the pull_requests,
    reviews and commits resources."""

    client: ApiClient
    page_size: int = MAX_PAGE  # pull requests a query asks for, halved on a 502 or a timeout
    nested: int = MAX_PAGE  # reviews, commits and labels asked for per page of each
    answers: PageAnswers = field(default_factory=lambda: PageAnswers(consumers=3))
    api: GraphQL | None = None  # shared with the other GraphQL readers of the run, for one points budget

    def __post_init__(self) -> None:
        self.api = self.api or GraphQL(self.client)

    def of(self, repo: str, numbers: list[int]) -> dict[int, Detail | None]:
        """Each pull request's detail, None for one GitHub no longer knows."""
        return self.answers.get((repo, tuple(numbers)), lambda: self._fetch(repo, numbers))

    # ------------------------------------------------------------------ queries
    def _fetch(self, repo: str, numbers: list[int]) -> dict[int, Detail | None]:
        owner, name = repo.split("/", 1)
        details: dict[int, Detail | None] = {}
        pending, tries = list(numbers), dict.fromkeys(numbers, 0)
        while pending:
            batch, size = pending[: self.page_size], self.page_size
            try:
                query, variables = pulls_query(len(batch), self.nested), pulls_variables(owner, name, batch)
                data, errors = self.api.post(query, variables, repo, retry=size == 1)
            except GaveUpError as error:
                self.page_size = max(1, size // 2)
                log.info("%s; asking %d pull requests a query instead of %d", error, self.page_size, size)
                continue
            failed = _failed_aliases(errors)
            pending = pending[len(batch) :]
            for n, number in enumerate(batch):
                alias = f"p{n}"
                node = (data.get("repository") or {}).get(alias)
                if failed.get(alias) == "NOT_FOUND":
                    details[number] = None
                elif node is None or alias in failed:  # an error inside it may have left a field empty
                    tries[number] += 1
                    if tries[number] >= self.client.retry.attempts:
                        raise TransientError(
                            f"github: pull request {repo}#{number} kept failing in GraphQL queries "
                            f"({failed.get(alias) or 'no data'}) after {tries[number]} attempts; "
                            "rerun later, the load resumes where it stopped"
                        )
                    pending.append(number)
                else:
                    self._complete(node, owner, name, repo)
                    details[number] = _detail(node, repo)
        return details

    def _complete(self, node: dict, owner: str, name: str, repo: str) -> None:
        """Read the further pages of the nested connections that did not fit in the first."""
        for connection in NESTED:
            page = node[connection]
            while page["pageInfo"]["hasNextPage"]:
                variables = {
                    "owner": owner,
                    "name": name,
                    "number": node["number"],
                    "after": page["pageInfo"]["endCursor"],
                }
                data, errors = self.api.post(connection_query(connection, self.nested), variables, repo, retry=True)
                if errors or not (data.get("repository") or {}).get("pullRequest"):
                    raise TransientError(
                        f"github: the {connection} of pull request {repo}#{node['number']} could not be read past "
                        f"{len(node[connection]['nodes'])} ({error_messages(errors)}); rerun later"
                    )
                page = data["repository"]["pullRequest"][connection]
                node[connection]["nodes"] += page["nodes"]


# ---------------------------------------------------------------------- issue events from timelines
# The timeline item types read, with the fields each needs, and the REST issue event each one is.
# Pull requests have the first group too; the second is theirs alone.
_PERSON = (
    "__typename ... on User { login databaseId } ... on Bot { login databaseId } ... on Mannequin { login databaseId }"
)
_ISSUE_ITEMS = {
    "LabeledEvent": ("labeled", "label { name color }"),
    "UnlabeledEvent": ("unlabeled", "label { name color }"),
    "ClosedEvent": ("closed", "closer { __typename ... on Commit { oid } }"),
    "ReopenedEvent": ("reopened", ""),
    "AssignedEvent": ("assigned", f"assignee {{ {_PERSON} }}"),
    "UnassignedEvent": ("unassigned", f"assignee {{ {_PERSON} }}"),
    "MilestonedEvent": ("milestoned", "milestoneTitle"),
    "DemilestonedEvent": ("demilestoned", "milestoneTitle"),
    "RenamedTitleEvent": ("renamed", "previousTitle currentTitle"),
    "LockedEvent": ("locked", "lockReason"),
    "UnlockedEvent": ("unlocked", ""),
    "MarkedAsDuplicateEvent": ("marked_as_duplicate", ""),
    "UnmarkedAsDuplicateEvent": ("unmarked_as_duplicate", ""),
    "PinnedEvent": ("pinned", ""),
    "UnpinnedEvent": ("unpinned", ""),
    "TransferredEvent": ("transferred", ""),
}
_PULL_ITEMS = {
    **_ISSUE_ITEMS,
    "MergedEvent": ("merged", "commit { oid }"),
    "ReadyForReviewEvent": ("ready_for_review", ""),
    "ConvertToDraftEvent": ("convert_to_draft", ""),
    "ReviewRequestedEvent": ("review_requested", f"requestedReviewer {{ {_PERSON} }}"),
    "ReviewRequestRemovedEvent": ("review_request_removed", f"requestedReviewer {{ {_PERSON} }}"),
    "ReviewDismissedEvent": ("review_dismissed", "previousReviewState review { fullDatabaseId }"),
    "HeadRefDeletedEvent": ("head_ref_deleted", ""),
    "HeadRefRestoredEvent": ("head_ref_restored", ""),
    "HeadRefForcePushedEvent": ("head_ref_force_pushed", ""),
    "BaseRefChangedEvent": ("base_ref_changed", ""),
    "AutoMergeEnabledEvent": ("auto_merge_enabled", ""),
    "AutoMergeDisabledEvent": ("auto_merge_disabled", ""),
}
TIMELINE_KINDS = {"issues": ("issue", _ISSUE_ITEMS), "pullRequests": ("pullRequest", _PULL_ITEMS)}


def _item_type(typename: str) -> str:
    """`LabeledEvent` → `LABELED_EVENT`, as `itemTypes` names a timeline item type."""
    return "".join(f"_{c}" if c.isupper() and i else c for i, c in enumerate(typename)).upper()


def _timeline_fields(items: dict[str, tuple[str, str]], nested: int, after: bool = False) -> str:
    fragments = " ".join(
        f"... on {name} {{ id createdAt actor {{ {_ACTOR} }} {fields} }}" for name, (_, fields) in items.items()
    )
    types = ", ".join(_item_type(name) for name in items)
    cursor = ", after: $after" if after else ""
    return (
        f"timelineItems(first: {nested}{cursor}, itemTypes: [{types}]) {{ pageInfo {{ hasNextPage endCursor }} "
        f"nodes {{ __typename {fragments} }} }}"
    )


def timelines_query(kind: str, size: int = MAX_PAGE, nested: int = MAX_PAGE) -> str:
    """A page of `size` of a repository's issues or pull requests (`kind`: issues, pullRequests), oldest first,
    each with the first `nested` events of its timeline."""
    _, items = TIMELINE_KINDS[kind]
    return (
        f"query IssueTimelines($owner: String!, $name: String!, $after: String) {{ {_RATE_LIMIT} "
        f"repository(owner: $owner, name: $name) {{ {kind}(first: {size}, after: $after, "
        f"orderBy: {{field: CREATED_AT, direction: ASC}}) {{ pageInfo {{ hasNextPage endCursor }} "
        f"nodes {{ number fullDatabaseId {_timeline_fields(items, nested)} }} }} }} }}"
    )


def timeline_page_query(kind: str, nested: int = MAX_PAGE) -> str:
    """The next page of one issue's or pull request's timeline events."""
    field_name, items = TIMELINE_KINDS[kind]
    return (
        f"query TimelinePage($owner: String!, $name: String!, $number: Int!, $after: String) {{ {_RATE_LIMIT} "
        f"repository(owner: $owner, name: $name) {{ {field_name}(number: $number) {{ "
        f"{_timeline_fields(items, nested, after=True)} }} }} }}"
    )


class UnreadableId(SourceError):
    """A global node id that does not decode to a database id."""


def database_id(node_id: str) -> int:
    """The database id (REST's `id`) a GitHub global node id carries.

    GitHub calls node ids opaque, and timeline events have no `databaseId` field; but both formats
    GitHub issues carry the REST id, which the issue_events table is keyed by: the current one is a
    type prefix, `_`, and the base64url of a MessagePack array whose last element is the id; the legacy
    one is the base64 of `<length>:<TypeName><id>`. Anything else raises `UnreadableId`.
    """
    try:
        prefix, sep, payload = node_id.partition("_")
        if sep and prefix.isalpha():
            values = _msgpack_array(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            if values and isinstance(values[-1], int):
                return values[-1]
        else:
            legacy = base64.b64decode(node_id + "=" * (-len(node_id) % 4)).decode()
            if match := re.fullmatch(r"\d+:[A-Za-z]+?(\d+)", legacy):
                return int(match[1])
    except (ValueError, UnicodeDecodeError):
        pass
    raise UnreadableId(f"github: the GraphQL node id {node_id!r} does not carry a REST id this version can read")


def _msgpack_array(data: bytes) -> list:
    """The integers and strings of a MessagePack array (what node ids hold); ValueError for anything else."""
    position = 0

    def take(size: int) -> bytes:
        nonlocal position
        if position + size > len(data):
            raise ValueError("truncated")
        chunk, position = data[position : position + size], position + size
        return chunk

    def value() -> Any:
        marker = take(1)[0]
        if marker < 0x80:
            return marker
        if 0xA0 <= marker <= 0xBF:
            return take(marker - 0xA0).decode()
        sizes = {0xCC: 1, 0xCD: 2, 0xCE: 4, 0xCF: 8, 0xD0: -1, 0xD1: -2, 0xD2: -4, 0xD3: -8}
        if marker in sizes:
            size = sizes[marker]
            return int.from_bytes(take(abs(size)), "big", signed=size < 0)
        if marker in (0xD9, 0xC4):  # str 8, bin 8
            chunk = take(take(1)[0])
            return chunk.decode() if marker == 0xD9 else chunk
        raise ValueError(f"MessagePack type {marker:#x}")

    first = take(1)[0]
    if 0x90 <= first <= 0x9F:
        count = first - 0x90
    elif first == 0xDC:
        count = int.from_bytes(take(2), "big")
    else:
        raise ValueError("not an array")
    values = [value() for _ in range(count)]
    if position != len(data):
        raise ValueError("trailing bytes")
    return values


@dataclass
class Timelines:
    """A repository's issue events read from its issues' and pull requests' timelines: a query per page of
    100 of them with the first 100 events of each nested (2 points), a query per further page of events.

    On a first load this replaces the repository-wide REST event list, which GitHub stops paging after a
    few thousand events, and the event list of each issue past that depth. The events come out as REST's
    repository-wide list gives them.
    """

    api: GraphQL
    page_size: int = MAX_PAGE  # issues or pull requests a query asks for, halved on a 502 or a timeout
    nested: int = MAX_PAGE  # events asked for per page of a timeline

    def events(self, repo: str) -> Iterator[list[dict]]:
        """Every issue's and pull request's events, a page of issues or pull requests at a time."""
        owner, name = repo.split("/", 1)
        for kind in TIMELINE_KINDS:
            after: str | None = None
            while True:
                size = self.page_size
                try:
                    data, _ = self.api.post(
                        timelines_query(kind, size, self.nested),
                        {"owner": owner, "name": name, "after": after},
                        repo,
                        retry=size == 1,
                        what=f"issue events of {repo}",
                    )
                except GaveUpError as error:
                    self.page_size = max(1, size // 2)
                    log.info("%s; asking %d %s a query instead of %d", error, self.page_size, kind, size)
                    continue
                listed = ((data.get("repository") or {}).get(kind)) or {}
                rows = []
                for node in listed.get("nodes") or []:
                    issue = {"number": node["number"], "id": int(node["fullDatabaseId"]) if kind == "issues" else None}
                    if kind == "pullRequests":
                        issue["pull_request"] = {}
                    items = self._complete(node, kind, owner, name, repo)
                    rows += [row for item in items if (row := _timeline_event(item, issue, kind)) is not None]
                for row in rows:  # the address REST gives each event
                    row["url"] = f"{self.api.client.base_url.rstrip('/')}/repos/{repo}/issues/events/{row['id']}"
                if rows:
                    yield rows
                page = listed.get("pageInfo") or {}
                if not page.get("hasNextPage"):
                    break
                after = page["endCursor"]

    def _complete(self, node: dict, kind: str, owner: str, name: str, repo: str) -> list[dict]:
        """The node's timeline events, with the further pages of a timeline longer than the first."""
        field_name, _ = TIMELINE_KINDS[kind]
        timeline = node["timelineItems"]
        items, page = list(timeline["nodes"]), timeline["pageInfo"]
        while page["hasNextPage"]:
            variables = {"owner": owner, "name": name, "number": node["number"], "after": page["endCursor"]}
            data, errors = self.api.post(
                timeline_page_query(kind, self.nested), variables, repo, retry=True, what=f"issue events of {repo}"
            )
            found = ((data.get("repository") or {}).get(field_name)) or {}
            if errors or not found:
                raise TransientError(
                    f"github: the events of {repo}#{node['number']} could not be read past {len(items)} "
                    f"({error_messages(errors)}); rerun later"
                )
            items += found["timelineItems"]["nodes"]
            page = found["timelineItems"]["pageInfo"]
        return items


def _timeline_event(item: dict, issue: dict, kind: str) -> dict | None:
    """A timeline item as REST's repository-wide event list gives it (None for a type not read)."""
    _, items = TIMELINE_KINDS[kind]
    typename = item.get("__typename")
    if typename not in items:
        return None
    actor = _user(item.get("actor"))
    event: dict[str, Any] = {
        "id": database_id(item["id"]),
        "node_id": item["id"],
        "actor": actor,
        "event": items[typename][0],
        "commit_id": ((item.get("commit") or item.get("closer") or {}).get("oid")),
        "created_at": item["createdAt"],
        "issue": issue,
    }
    if item.get("label"):
        event["label"] = dict(item["label"])
    if "assignee" in item:
        event["assignee"], event["assigner"] = _user(_named(item["assignee"])), actor
    if "requestedReviewer" in item and _named(item["requestedReviewer"]):
        event["requested_reviewer"], event["review_requester"] = _user(_named(item["requestedReviewer"])), actor
    if "previousTitle" in item:
        event["rename"] = {"from": item["previousTitle"], "to": item["currentTitle"]}
    if item.get("milestoneTitle") is not None:
        event["milestone"] = {"title": item["milestoneTitle"]}
    if item.get("lockReason"):
        event["lock_reason"] = item["lockReason"].lower()
    if "previousReviewState" in item:
        review = item.get("review") or {}
        event["dismissed_review"] = {
            "state": item["previousReviewState"].lower(),
            "review_id": int(review["fullDatabaseId"]) if review.get("fullDatabaseId") else None,
        }
    return event


def _named(person: dict | None) -> dict | None:
    """An assignee or requested reviewer that is an account (a team has no login: None)."""
    return person if person and person.get("login") else None


# ---------------------------------------------------------------------- deployment statuses
_STATUS_FIELDS = f"id state description environment createdAt updatedAt creator {{ {_ACTOR} }}"


def statuses_query(nested: int = MAX_PAGE) -> str:
    """The first `nested` statuses of each deployment the variable `ids` names (up to 100)."""
    return (
        f"query DeploymentStatuses($ids: [ID!]!) {{ {_RATE_LIMIT} nodes(ids: $ids) {{ ... on Deployment {{ id "
        f"statuses(first: {nested}) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {_STATUS_FIELDS} }} }} }} }} }}"
    )


def status_page_query(nested: int = MAX_PAGE) -> str:
    """The next page of one deployment's statuses."""
    return (
        f"query DeploymentStatusPage($id: ID!, $after: String) {{ {_RATE_LIMIT} node(id: $id) {{ "
        f"... on Deployment {{ statuses(first: {nested}, after: $after) {{ pageInfo {{ hasNextPage endCursor }} "
        f"nodes {{ {_STATUS_FIELDS} }} }} }} }} }}"
    )


@dataclass
class DeploymentStatuses:
    """Deployments' statuses by GraphQL, 100 deployments a query (1 point) instead of a REST request each.

    The deployments themselves stay on REST (GraphQL has no `production_environment`); their `node_id`
    names them here. Statuses come out as REST lists them, newest first.
    """

    api: GraphQL
    page_size: int = MAX_PAGE
    nested: int = MAX_PAGE

    def of(self, repo: str, deployments: list[dict]) -> dict[int, list[dict] | None]:
        """Each deployment's statuses (by its id), None for one GitHub no longer knows."""
        found: dict[int, list[dict] | None] = {}
        pending = list(deployments)
        while pending:
            batch, size = pending[: self.page_size], self.page_size
            try:
                data, errors = self.api.post(
                    statuses_query(self.nested),
                    {"ids": [d["node_id"] for d in batch]},
                    repo,
                    retry=size == 1,
                    what=f"deployment statuses of {repo}",
                )
            except GaveUpError as error:
                self.page_size = max(1, size // 2)
                log.info("%s; asking %d deployments a query instead of %d", error, self.page_size, size)
                continue
            pending = pending[len(batch) :]
            failed = {str(path[1]): kind for path, kind in _error_paths(errors, "nodes")}
            nodes = data.get("nodes") or [None] * len(batch)
            for position, (deployment, node) in enumerate(zip(batch, nodes, strict=True)):
                if node is None and failed.get(str(position)) != "NOT_FOUND":
                    raise TransientError(
                        f"github: the statuses of deployment {deployment['id']} of {repo} could not be read "
                        f"({error_messages(errors)}); rerun later, the load resumes where it stopped"
                    )
                if node is None:
                    found[deployment["id"]] = None
                    continue
                base = f"{self.api.client.base_url.rstrip('/')}/repos/{repo}/deployments/{deployment['id']}/statuses"
                found[deployment["id"]] = [dict(row, url=f"{base}/{row['id']}") for row in self._complete(node, repo)]
        return found

    def _complete(self, node: dict, repo: str) -> list[dict]:
        page = node["statuses"]
        statuses = list(page["nodes"])
        while page["pageInfo"]["hasNextPage"]:
            data, errors = self.api.post(
                status_page_query(self.nested),
                {"id": node["id"], "after": page["pageInfo"]["endCursor"]},
                repo,
                retry=True,
                what=f"deployment statuses of {repo}",
            )
            if errors or not data.get("node"):
                raise TransientError(
                    f"github: the statuses of a deployment of {repo} could not be read past {len(statuses)} "
                    f"({error_messages(errors)}); rerun later"
                )
            page = data["node"]["statuses"]
            statuses += page["nodes"]
        rows = [_status(status) for status in statuses]
        return sorted(rows, key=lambda row: (row["created_at"], row["id"]), reverse=True)


def _status(node: dict) -> dict:
    return {
        "id": database_id(node["id"]),
        "node_id": node["id"],
        "state": node["state"].lower(),
        "creator": _user(node["creator"]),
        "description": node["description"],
        "environment": node["environment"],
        "created_at": node["createdAt"],
        "updated_at": node["updatedAt"],
    }


def _error_paths(errors: list[dict], root: str) -> list[tuple[list, str]]:
    """The errors under `root` (such as `nodes`), with their paths and types."""
    return [(e["path"], e.get("type") or "") for e in errors if len(e.get("path") or []) >= 2 and e["path"][0] == root]


def _failed_aliases(errors: list[dict]) -> dict[str, str]:
    """The pull request aliases an error names, with its type (or message)."""
    failed = {}
    for error in errors:
        path = error.get("path") or []
        if len(path) >= 2 and path[0] == "repository":
            failed[str(path[1])] = error.get("type") or error.get("message", "")[:80]
    return failed


def _raise_for_query_errors(errors: list[dict], repo: str, what: str, token_setting: str) -> None:
    """Errors about the whole query, not one pull request: a refused token, an unknown repository, a bad query."""
    for error in errors:
        path = error.get("path") or []
        if error.get("type") == "FORBIDDEN":
            raise ForbiddenError(
                f"github: access to {what} was denied (GraphQL FORBIDDEN); check that {token_setting} "
                "has the permissions it needs"
            )
        if path == ["repository"] and error.get("type") == "NOT_FOUND":
            raise NotFoundError(
                f"github: repository {repo} was not found by GraphQL; check the name and the token's access"
            )
        if not path:
            raise SourceError(f"github: GitHub refused the GraphQL query for {repo}: {error_messages([error])}")


# ---------------------------------------------------------------------- rows shaped as REST gives them
def _detail(node: dict, repo: str) -> Detail:
    number = node["number"]
    return Detail(
        pull=_pull(node),
        reviews=[dict(_review(r), repository=repo, pull_number=number) for r in node["reviews"]["nodes"]],
        commits=[_commit(c["commit"], repo, number) for c in node["commits"]["nodes"]],
    )


def _user(actor: dict | None) -> dict | None:
    """REST's user object: a bot's login carries `[bot]`, which GraphQL leaves off."""
    if actor is None:
        return None
    kind = actor["__typename"]
    login = f"{actor['login']}[bot]" if kind == "Bot" else actor["login"]
    return {"login": login, "id": actor.get("databaseId"), "type": kind}


def _branch(owner: dict | None, ref: str, sha: str) -> dict:
    return {"ref": ref, "sha": sha, "label": f"{(owner or {}).get('login')}:{ref}"}


def _pull(node: dict) -> dict:
    return {
        "id": int(node["fullDatabaseId"]),
        "node_id": node["id"],
        "html_url": node["url"],
        "number": node["number"],
        "state": "open" if node["state"] == "OPEN" else "closed",
        "locked": node["locked"],
        "title": node["title"],
        "user": _user(node["author"]),
        "body": node["body"],
        "labels": [{"name": label["name"]} for label in node["labels"]["nodes"]],
        "created_at": node["createdAt"],
        "updated_at": node["updatedAt"],
        "closed_at": node["closedAt"],
        "merged_at": node["mergedAt"],
        "merge_commit_sha": (node["mergeCommit"] or {}).get("oid"),
        "assignees": [],
        "requested_reviewers": [],
        "head": _branch(node["headRepositoryOwner"], node["headRefName"], node["headRefOid"]),
        "base": _branch((node["baseRepository"] or {}).get("owner"), node["baseRefName"], node["baseRefOid"]),
        "author_association": node["authorAssociation"],
        "draft": node["isDraft"],
        "merged": node["merged"],
        "mergeable_state": node["mergeStateStatus"].lower(),
        "merged_by": _user(node["mergedBy"]),
        "comments": node["comments"]["totalCount"],
        "maintainer_can_modify": node["maintainerCanModify"],
        "commits": node["commits"]["totalCount"],
        "additions": node["additions"],
        "deletions": node["deletions"],
        "changed_files": node["changedFiles"],
    }


def _review(node: dict) -> dict:
    return {
        "id": int(node["fullDatabaseId"]),
        "node_id": node["id"],
        "user": _user(node["author"]),
        "body": node["body"],
        "state": node["state"],
        "html_url": node["url"],
        "author_association": node["authorAssociation"],
        "submitted_at": node["submittedAt"],
        "commit_id": (node["commit"] or {}).get("oid"),
    }


def _commit(commit: dict, repo: str, pull_number: int) -> dict:
    """A commit row as the REST path writes it; `parent_count` stays empty (a parents connection per commit
    would cost a point per commit)."""
    author, committer = commit["author"] or {}, commit["committer"] or {}
    return {
        "repository": repo,
        "pull_number": pull_number,
        "sha": commit["oid"],
        "message": commit["message"],
        "author_name": author.get("name"),
        "author_email": author.get("email"),
        "authored_at": commit["authoredDate"],
        "committer_name": committer.get("name"),
        "committed_at": commit["committedDate"],
        "author_login": (author.get("user") or {}).get("login"),
        "parent_count": None,
    }
