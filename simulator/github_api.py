"""The simulated organisation served as GitHub's REST API (version 2022-11-28).

Paths, parameters and reply shapes follow the published OpenAPI description closely enough that
the real dlt source cannot tell the difference: issues and pull requests share a number space,
pull requests appear in the issues list with a `pull_request` object, repository issue events
come newest first, workflow runs show their latest attempt, filtered run queries stop at 1,000
rows, and every API and web link in a reply points back at the simulator. Faults, ETags and rate budgets are
the server's business; this module only words GitHub's replies.

Each org snapshot (the server swaps in a new `Org` when a test moves the clock) is indexed once,
and each distinct listing query is filtered and sorted once, so paging through tens of thousands
of rows costs no more than sorting them.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import Any
from urllib.parse import quote, urlsplit

from simulator.api import Api, Credentials, RateBudget
from simulator.model import (
    ASSIGNED,
    CLOSED,
    LABELED,
    REOPENED,
    UNLABELED,
    Commit,
    Deployment,
    DeploymentStatus,
    ItemEvent,
    Org,
    Person,
    PipelineRun,
    PullRequest,
    Repository,
    Review,
    WorkItem,
)
from simulator.routing import ApiRequest, ApiResponse, Router, link_header, page_slice, parse_time, per_org

DOCS = "https://docs.github.com/rest"
RATE_LIMIT_DOCS = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api"
ORG_ACCOUNT_ID = 100  # the model has no id for the organisation account that owns the repositories
TOKEN_USER_ID = 999  # whose budget a primary rate-limit message names
RUNS_QUERY_CAP = 1000  # a filtered workflow-run query reaches no further than this many rows
MAX_PR_COMMITS = 250  # GitHub lists no more of a pull request's commits
HEAD_REF_DELETED_AFTER = timedelta(seconds=2)  # branch deleted on merge, a moment after it

# Issue event kinds of the model's work-item history, in GitHub's words.
ITEM_EVENT_KINDS = {
    LABELED: "labeled",
    UNLABELED: "unlabeled",
    CLOSED: "closed",
    REOPENED: "reopened",
    ASSIGNED: "assigned",
}
# Issue event ids rise with time: seconds since this epoch, times this, plus the rank within the second.
EVENT_ID_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
EVENT_IDS_PER_SECOND = 100
# Pull-request events are ordered within a second by `pr.native_id * 16 + slot`; review requests
# take the slots from 8.
PR_EVENT_SLOTS = {"ready_for_review": 0, "merged": 1, "closed": 2, "head_ref_deleted": 3}
REVIEW_DISMISSED_SLOT = 4  # up to four dismissals, slots 4 to 7
REVIEW_REQUEST_SLOT = 8
EVENT_NODE_PREFIXES = {
    "labeled": "LE",
    "unlabeled": "UNLE",
    "closed": "CE",
    "reopened": "REE",
    "assigned": "AE",
    "merged": "ME",
    "ready_for_review": "RFRE",
    "review_requested": "RRE",
    "head_ref_deleted": "HRDE",
    "renamed": "RTE",
    "milestoned": "MIE",
    "locked": "LOE",
    "marked_as_duplicate": "MADE",
    "review_dismissed": "RDE",
}
# The organisation's issue types (GitHub's defaults): name → (id, color, description).
ISSUE_TYPES = {
    "Task": (1, "yellow", "A specific piece of work"),
    "Bug": (2, "red", "An unexpected problem or behavior"),
    "Feature": (3, "blue", "A request, idea, or new functionality"),
}
# Issue events the model does not record, derived from it so that replies carry GitHub's other kinds:
# every `RENAMED_EVERY`th issue was renamed a minute after it was opened, every `MILESTONE_EVERY`th
# was put in its quarter's milestone when opened, and every `LOCKED_EVERY`th closed one was locked
# a day after it closed.
RENAMED_EVERY = 7
MILESTONE_EVERY = 4
LOCKED_EVERY = 6
# Repository-wide lists refuse pages past this many rows with a 422 (GitHub documents the 422, not
# the depth; clients report it for `issues/events` and a 400-page ceiling on other repository lists).
ISSUE_EVENTS_REACHABLE = 40_000
PAGINATION_LIMITED = (
    "In order to keep the API fast for everyone, pagination is limited for this resource. "
    "Check the rel=last link relation in the Link response header to see how far back you can traverse."
)
REDIRECT_DOCS = "https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects"

# name → (color, description); other labels get a neutral grey.
LABEL_STYLES = {
    "bug": ("d73a4a", "Something isn't working"),
    "tech-debt": ("fbca04", "Code that should be improved"),
    "incident": ("b60205", "Production incident"),
    "blocked": ("000000", "Waiting on something outside the team"),
}
STATUS_LABEL_STYLE = ("c5def5", "Workflow stage")
GITHUB_DEFAULT_LABELS = {"bug", "documentation", "duplicate", "enhancement", "good first issue", "help wanted"}

DEPLOYMENT_STATUS_TEXT = {
    "queued": "Deployment queued",
    "in_progress": "Deployment in progress",
    "success": "Deployment finished successfully.",
    "failure": "Deployment failed.",
    "error": "Deployment errored.",
    "inactive": "Superseded by a later deployment.",
}

# Templated links every repository object carries, below the repository's API URL.
REPOSITORY_LINKS = {
    "archive_url": "/{archive_format}{/ref}",
    "assignees_url": "/assignees{/user}",
    "blobs_url": "/git/blobs{/sha}",
    "branches_url": "/branches{/branch}",
    "collaborators_url": "/collaborators{/collaborator}",
    "comments_url": "/comments{/number}",
    "commits_url": "/commits{/sha}",
    "compare_url": "/compare/{base}...{head}",
    "contents_url": "/contents/{+path}",
    "contributors_url": "/contributors",
    "deployments_url": "/deployments",
    "downloads_url": "/downloads",
    "events_url": "/events",
    "forks_url": "/forks",
    "git_commits_url": "/git/commits{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "hooks_url": "/hooks",
    "issue_comment_url": "/issues/comments{/number}",
    "issue_events_url": "/issues/events{/number}",
    "issues_url": "/issues{/number}",
    "keys_url": "/keys{/key_id}",
    "labels_url": "/labels{/name}",
    "languages_url": "/languages",
    "merges_url": "/merges",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "pulls_url": "/pulls{/number}",
    "releases_url": "/releases{/id}",
    "stargazers_url": "/stargazers",
    "statuses_url": "/statuses/{sha}",
    "subscribers_url": "/subscribers",
    "subscription_url": "/subscription",
    "tags_url": "/tags",
    "teams_url": "/teams",
    "trees_url": "/git/trees{/sha}",
}

REPO_PATH = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
REPO_BY_ID_PATH = r"/repositories/(?P<repository_id>\d+)"


# ---------------------------------------------------------------------- the index of one org snapshot
@dataclass(frozen=True)
class _IssueRow:
    """An issue or a pull request as the issues endpoints list it, with its sort and filter keys."""

    target: WorkItem | PullRequest
    number: int
    created_at: datetime
    updated_at: datetime
    is_open: bool
    labels: tuple[str, ...]


@dataclass
class _Event:
    """One issue event: a work item's own history, or derived from a pull request's.

    `order` places events of the same second (the model's event id, or arithmetic on the pull
    request's id); `id` is GitHub's, given once every event of the snapshot is known.
    """

    at: datetime
    order: int
    kind: str
    actor: Person
    number: int
    label: str | None = None
    assignee: Person | None = None
    requested_reviewer: Person | None = None
    commit_id: str | None = None
    state_reason: str | None = None  # closed: why (per-issue event lists say it)
    details: dict[str, Any] = field(default_factory=dict)  # rename, milestone, lock_reason, dismissed_review
    id: int = 0


@dataclass(frozen=True)
class _Run:
    """A workflow run as listed: created when its first attempt was, showing its latest attempt."""

    created_at: datetime
    latest: PipelineRun


@dataclass
class _Repo:
    """One repository's rows, keyed and ordered once per org snapshot."""

    repository: Repository
    rows: dict[int, _IssueRow] = field(default_factory=dict)  # by number
    pulls: dict[int, PullRequest] = field(default_factory=dict)  # by number
    events: list[_Event] = field(default_factory=list)  # newest first once built
    events_by_number: dict[int, list[_Event]] = field(default_factory=dict)  # oldest first
    runs: list[_Run] = field(default_factory=list)  # newest first once built
    deployments: dict[int, Deployment] = field(default_factory=dict)  # by id, newest first once built
    commits: dict[str, tuple[Commit, PullRequest]] = field(default_factory=dict)  # by sha
    merges: dict[str, PullRequest] = field(default_factory=dict)  # by merge commit sha
    pushed_at: datetime | None = None
    open_issues: int = 0  # open issues and pull requests
    listings: dict[tuple, list] = field(default_factory=dict)  # filtered and sorted rows by query

    def listing(self, key: tuple, compute: Callable[[], list]) -> list:
        """The rows a listing query selects, computed once however many pages are asked for."""
        if key not in self.listings:
            if len(self.listings) >= 256:
                self.listings.clear()
            self.listings[key] = compute()
        return self.listings[key]


@dataclass
class _Index:
    """Everything a request needs from one org snapshot, by repository."""

    start: datetime
    clock: datetime  # the moment the snapshot shows
    repos: dict[str, _Repo]  # by lower-case full name: GitHub names are case-insensitive
    moved: dict[str, int] = field(default_factory=dict)  # former names (lower case) → repository id

    @cached_property
    def by_id(self) -> dict[int, _Repo]:
        return {entry.repository.native_id: entry for entry in self.repos.values()}


def _build_index(org: Org) -> _Index:
    """One pass over the snapshot: rows by number, events numbered, lists put in GitHub's order."""
    clock = org.end
    repos = {r.full_name.lower(): _Repo(r) for r in org.repositories if r.source == "github"}
    for item in org.work_items:
        entry = repos.get(item.container.lower()) if item.source == "github" else None
        if entry is not None:
            entry.rows[item.number] = _IssueRow(
                item, item.number, item.created_at, item.updated_at, item.is_open, tuple(item.labels)
            )
            entry.events += [_item_event(item, e) for e in item.events if e.kind in ITEM_EVENT_KINDS]
            entry.events += derived_item_events(item, clock)
    for pr in org.pull_requests:
        entry = repos.get(pr.repo.lower()) if pr.source == "github" else None
        if entry is None:
            continue
        entry.rows[pr.number] = _IssueRow(pr, pr.number, pr.created_at, pr.updated_at, pr.state == "open", pr.labels)
        entry.pulls[pr.number] = pr
        entry.events += _pull_events(pr, clock)
        entry.commits.update({c.sha: (c, pr) for c in pr.commits})
        if pr.merge_commit_sha:
            entry.merges[pr.merge_commit_sha] = pr
        pushes = [c.committed_at for c in pr.commits] + [pr.merged_at or pr.created_at]
        entry.pushed_at = max([entry.pushed_at or org.start, *pushes])
    runs: dict[int, _Run] = {}
    for run in org.pipeline_runs:  # in (created_at, id, attempt) order: the last attempt wins
        entry = repos.get(run.repo.lower()) if run.source == "github" else None
        if entry is not None:
            first = runs.get(run.native_id)
            runs[run.native_id] = _Run(first.created_at if first else run.created_at, run)
    for run in runs.values():
        repos[run.latest.repo.lower()].runs.append(run)
    for deployment in org.deployments:
        entry = repos.get(deployment.repo.lower()) if deployment.source == "github" else None
        if entry is not None:
            entry.deployments[deployment.native_id] = deployment
    _number_events([event for entry in repos.values() for event in entry.events])
    for entry in repos.values():
        entry.events.sort(key=lambda e: e.id, reverse=True)
        entry.runs.sort(key=lambda r: (r.created_at, r.latest.native_id), reverse=True)
        newest_first = sorted(entry.deployments.values(), key=lambda d: (d.created_at, d.native_id), reverse=True)
        entry.deployments = {d.native_id: d for d in newest_first}
        entry.open_issues = sum(row.is_open for row in entry.rows.values())
        for event in reversed(entry.events):
            entry.events_by_number.setdefault(event.number, []).append(event)
    return _Index(org.start, clock, repos, org.moved_repositories)


# The index of an Org, built on first use; the last few snapshots stay cached.
_index = per_org(_build_index)


def _number_events(events: list[_Event]) -> None:
    """Give events GitHub-like ids that rise with time, as sources paging events newest first expect.

    The model's event ids rise per work item rather than over time, and pull request events have
    none, so ids are `seconds since 2020 * 100` plus the event's rank within its second (review
    requests after the readiness they follow). An event keeps its id in every snapshot that shows
    it, since none shows before its moment.
    """
    previous = 0
    for event in sorted(events, key=lambda e: (e.at, e.kind == "review_requested", e.order)):
        floor = int((event.at - EVENT_ID_EPOCH).total_seconds()) * EVENT_IDS_PER_SECOND
        event.id = previous = max(previous + 1, floor)


def _item_event(item: WorkItem, event: ItemEvent) -> _Event:
    return _Event(
        event.at,
        event.id,
        ITEM_EVENT_KINDS[event.kind],
        event.actor,
        item.number,
        label=event.to_value if event.kind in (LABELED, UNLABELED) else None,
        assignee=event.assignee,
        state_reason=event.to_value if event.kind == CLOSED else None,
    )


def derived_item_events(item: WorkItem, clock: datetime) -> list[_Event]:
    """The events of kinds the model does not record (see RENAMED_EVERY), up to the snapshot's clock.

    A close as a duplicate is preceded, in the same second, by `marked_as_duplicate`.
    """
    order = -item.native_id * 8  # below the model's own event ids: first within their second
    events = [
        _Event(e.at, order - 1, "marked_as_duplicate", e.actor, item.number)
        for e in item.events
        if e.kind == CLOSED and e.to_value == "duplicate"
    ]
    renamed_at = item.created_at + timedelta(minutes=1)
    if item.native_id % RENAMED_EVERY == 0 and renamed_at <= clock:
        rename = {"from": f"{item.title} (draft)", "to": item.title}
        events.append(_Event(renamed_at, order - 2, "renamed", item.reporter, item.number, details={"rename": rename}))
    if (milestone := _milestone_title(item)) is not None:
        details = {"milestone": {"title": milestone}}
        events.append(_Event(item.created_at, order - 3, "milestoned", item.reporter, item.number, details=details))
    locked_at = item.closed_at + timedelta(days=1) if item.closed_at else None
    if item.number % LOCKED_EVERY == 0 and locked_at is not None and locked_at <= clock:
        closer = next(e.actor for e in reversed(item.events) if e.kind == CLOSED)
        details = {"lock_reason": "resolved"}
        events.append(_Event(locked_at, order - 4, "locked", closer, item.number, details=details))
    return events


def _milestone_title(item: WorkItem) -> str | None:
    """The quarter's milestone every MILESTONE_EVERY-th issue is put in when opened, or None."""
    if item.number % MILESTONE_EVERY:
        return None
    return f"{item.created_at.year} Q{(item.created_at.month - 1) // 3 + 1}"


def _is_locked(item: WorkItem, clock: datetime) -> bool:
    closed_at = item.closed_at
    return item.number % LOCKED_EVERY == 0 and closed_at is not None and closed_at + timedelta(days=1) <= clock


def _pull_events(pr: PullRequest, clock: datetime) -> list[_Event]:
    """The issue events a pull request's history implies, up to the snapshot's clock.

    Each event shows from its own moment on, as on GitHub: a source that pages events newest first
    down to the newest it has stored never misses one dated in the past.
    """
    merger = _merger(pr)
    events = []

    def add(kind: str, at: datetime | None, actor: Person, **details: Any) -> None:
        if at is not None and at <= clock:
            events.append(_Event(at, pr.native_id * 16 + PR_EVENT_SLOTS[kind], kind, actor, pr.number, **details))

    add("ready_for_review", pr.ready_at, pr.author)
    add("merged", pr.merged_at, merger, commit_id=pr.merge_commit_sha)
    add("closed", pr.closed_at, merger if pr.merged_at else pr.author)
    add("head_ref_deleted", pr.merged_at and pr.merged_at + HEAD_REF_DELETED_AFTER, merger)
    for slot, request in enumerate(pr.review_requests[: 16 - REVIEW_REQUEST_SLOT]):
        order = pr.native_id * 16 + REVIEW_REQUEST_SLOT + slot
        events.append(
            _Event(request.at, order, "review_requested", pr.author, pr.number, requested_reviewer=request.reviewer)
        )
    for slot, (dismissed, approval) in enumerate(dismissals(pr)[: REVIEW_REQUEST_SLOT - REVIEW_DISMISSED_SLOT]):
        review = {
            "state": "changes_requested",
            "review_id": dismissed.id,
            "dismissal_message": None,
            "dismissal_commit_id": approval.commit_sha,
        }
        order = pr.native_id * 16 + REVIEW_DISMISSED_SLOT + slot
        details = {"dismissed_review": review}
        events.append(_Event(approval.submitted_at, order, "review_dismissed", pr.author, pr.number, details=details))
    return events


def dismissals(pr: PullRequest) -> list[tuple[Review, Review]]:
    """Requested changes made stale by new commits: each reviewer's last such review before their approval."""
    pairs, pending = [], {}
    for review in sorted(pr.reviews, key=lambda r: (r.submitted_at, r.id)):
        if review.state == "CHANGES_REQUESTED":
            pending[review.reviewer.login] = review
        elif review.state == "APPROVED" and review.reviewer.login in pending:
            pairs.append((pending.pop(review.reviewer.login), review))
    return pairs


def _merger(pr: PullRequest) -> Person:
    """Who pressed merge: the author, or for a bot's PR the person who approved it."""
    if not pr.author.is_bot:
        return pr.author
    approvals = [r.reviewer for r in pr.reviews if r.state == "APPROVED"]
    return approvals[-1] if approvals else pr.author


# ---------------------------------------------------------------------- reply builders
@dataclass
class _View:
    """One request's view of one repository: where the simulator is, and what the snapshot holds."""

    base: str  # the API root, e.g. http://127.0.0.1:8000/github
    index: _Index
    entry: _Repo

    @property
    def repository(self) -> Repository:
        return self.entry.repository

    @property
    def api(self) -> str:
        return f"{self.base}/repos/{self.repository.full_name}"

    @property
    def html(self) -> str:
        return f"{self.base}/{self.repository.full_name}"

    @cached_property
    def repository_object(self) -> dict:
        """Shared by every row of a reply that embeds the repository (pull request heads and bases)."""
        return _repository(self)


def _ts(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment is not None else None


def _node_id(prefix: str, key: object) -> str:
    """A GraphQL-style global id: stable, opaque, and distinct per kind of object."""
    return f"{prefix}_kwDO{base64.urlsafe_b64encode(str(key).encode()).decode().rstrip('=')}"


def _msgpack_uint(value: int) -> bytes:
    if value < 0x80:
        return bytes([value])
    for marker, size in ((0xCC, 1), (0xCD, 2), (0xCE, 4), (0xCF, 8)):
        if value < 1 << (8 * size):
            return bytes([marker]) + value.to_bytes(size, "big")
    raise ValueError(f"{value} does not fit in 64 bits")


def packed_node_id(prefix: str, *values: int) -> str:
    """A global id in GitHub's current format: a type prefix, then the base64url of a MessagePack array of
    integers (a version, 0, then ids ending with the object's own), as GitHub's own ids decode."""
    packed = bytes([0x90 + len(values)]) + b"".join(_msgpack_uint(v) for v in values)
    return f"{prefix}_{base64.urlsafe_b64encode(packed).decode().rstrip('=')}"


def event_node_id(view: _View, event: _Event) -> str:
    """An issue event's global id: version 0, the repository's id, the event's id."""
    return packed_node_id(EVENT_NODE_PREFIXES[event.kind], 0, view.repository.native_id, event.id)


def _sha(*parts: object) -> str:
    """A stable 40-hex git object name for things the model does not record (trees, base commits)."""
    return hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()


def _account(base: str, login: str, account_id: int, kind: str) -> dict:
    """A simple-user object: a person, a bot or an organisation."""
    api = f"{base}/users/{quote(login)}"
    html = f"{base}/apps/{login.removesuffix('[bot]')}" if kind == "Bot" else f"{base}/{login}"
    return {
        "login": login,
        "id": account_id,
        "node_id": _node_id({"User": "U", "Bot": "BOT", "Organization": "O"}[kind], account_id),
        "avatar_url": f"{base}/avatars/u/{account_id}?v=4",
        "gravatar_id": "",
        "url": api,
        "html_url": html,
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": kind,
        "site_admin": False,
        "user_view_type": "public",
    }


def _user(view: _View, person: Person | None) -> dict | None:
    if person is None:
        return None
    return _account(view.base, person.login, person.numeric_id, "Bot" if person.is_bot else "User")


def _owner(view: _View) -> dict:
    return _account(view.base, view.repository.full_name.split("/")[0], ORG_ACCOUNT_ID, "Organization")


def _association(person: Person) -> str:
    return "NONE" if person.is_bot else "MEMBER"


def _label(view: _View, name: str) -> dict:
    color, description = LABEL_STYLES.get(name) or (
        STATUS_LABEL_STYLE if name.startswith("status: ") else ("ededed", "")
    )
    label_id = 5_000_000_000 + zlib.crc32(f"{view.repository.full_name}:{name}".encode())
    return {
        "id": label_id,
        "node_id": _node_id("LA", label_id),
        "url": f"{view.api}/labels/{quote(name)}",
        "name": name,
        "color": color,
        "default": name in GITHUB_DEFAULT_LABELS,
        "description": description,
    }


def _minimal_repository(view: _View) -> dict:
    """The repository as workflow runs embed it: identity and links only."""
    repo = view.repository
    name = repo.full_name.split("/", 1)[1]
    return {
        "id": repo.native_id,
        "node_id": _node_id("R", repo.native_id),
        "name": name,
        "full_name": repo.full_name,
        "private": True,
        "owner": _owner(view),
        "html_url": view.html,
        "description": f"The {repo.team} team's code.",
        "fork": False,
        "url": view.api,
        **{key: view.api + suffix for key, suffix in REPOSITORY_LINKS.items()},
    }


def _repository(view: _View) -> dict:
    """The repository object pull requests and issues embed: the minimal one plus settings and counts."""
    repo = view.repository
    host = urlsplit(view.base)
    open_issues = view.entry.open_issues
    return {
        **_minimal_repository(view),
        "clone_url": f"{view.html}.git",
        "git_url": f"git://{host.netloc}{host.path}/{repo.full_name}.git",
        "ssh_url": f"git@{host.hostname}:{repo.full_name}.git",
        "svn_url": view.html,
        "mirror_url": None,
        "homepage": None,
        "language": None,
        "forks_count": 0,
        "forks": 0,
        "stargazers_count": 0,
        "watchers_count": 0,
        "watchers": 0,
        "size": 0,
        "default_branch": repo.default_branch,
        "open_issues_count": open_issues,
        "open_issues": open_issues,
        "is_template": False,
        "topics": [],
        "has_issues": True,
        "has_projects": False,
        "has_wiki": False,
        "has_pages": False,
        "has_downloads": True,
        "has_discussions": False,
        "archived": False,
        "disabled": False,
        "visibility": "private",
        "license": None,
        "pushed_at": _ts(view.entry.pushed_at or view.index.start),
        "created_at": _ts(view.index.start - timedelta(days=365)),
        "updated_at": _ts(view.index.clock),
        "permissions": {"admin": False, "maintain": False, "push": True, "triage": True, "pull": True},
        "allow_merge_commit": repo.merge_method == "merge",
        "allow_squash_merge": repo.merge_method == "squash",
        "allow_rebase_merge": False,
        "allow_auto_merge": False,
        "delete_branch_on_merge": True,
        "allow_forking": False,
        "web_commit_signoff_required": False,
    }


def _full_repository(view: _View) -> dict:
    return {**view.repository_object, "organization": _owner(view), "network_count": 0, "subscribers_count": 0}


def _issue(view: _View, row: _IssueRow) -> dict:
    """An issue, or a pull request as the issues endpoints show it (with `pull_request`)."""
    target, number = row.target, row.number
    pr = target if isinstance(target, PullRequest) else None
    author = pr.author if pr else target.reporter
    assignee = None if pr else target.assignee
    locked = not pr and _is_locked(target, view.index.clock)
    url = f"{view.api}/issues/{number}"
    issue = {
        "url": url,
        "repository_url": view.api,
        "labels_url": f"{url}/labels{{/name}}",
        "comments_url": f"{url}/comments",
        "events_url": f"{url}/events",
        "html_url": f"{view.html}/{'pull' if pr else 'issues'}/{number}",
        "id": target.native_id,
        "node_id": _node_id("PR" if pr else "I", target.native_id),
        "number": number,
        "title": target.title,
        "user": _user(view, author),
        "labels": [_label(view, name) for name in row.labels],
        "state": "open" if row.is_open else "closed",
        "locked": locked,
        "assignee": _user(view, assignee),
        "assignees": [_user(view, assignee)] if assignee else [],
        "milestone": None if pr else _milestone(view, target),
        "comments": 0,
        "created_at": _ts(row.created_at),
        "updated_at": _ts(row.updated_at),
        "closed_at": _ts(pr.closed_at if pr else target.closed_at),
        "author_association": _association(author),
        "active_lock_reason": "resolved" if locked else None,
        "body": target.body,
        "reactions": {
            "url": f"{url}/reactions",
            **dict.fromkeys(("total_count", "+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes"), 0),
        },
        "timeline_url": f"{url}/timeline",
        "performed_via_github_app": None,
        "state_reason": None if pr else target.state_reason,
    }
    if not pr:
        issue["closed_by"] = _user(view, _closer(target)) if not row.is_open else None
        issue["type"] = _issue_type(view, target.issue_type)
        issue["sub_issues_summary"] = {"total": 0, "completed": 0, "percent_completed": 0}
    if pr:
        issue["draft"] = pr.is_draft
        issue["pull_request"] = {
            "url": f"{view.api}/pulls/{number}",
            "html_url": issue["html_url"],
            "diff_url": f"{issue['html_url']}.diff",
            "patch_url": f"{issue['html_url']}.patch",
            "merged_at": _ts(pr.merged_at),
        }
    return issue


def _closer(item: WorkItem) -> Person | None:
    return next((e.actor for e in reversed(item.events) if e.kind == CLOSED), None)


def _issue_type(view: _View, name: str) -> dict | None:
    """The issue's type as GitHub shows it (None for an untyped issue)."""
    if name not in ISSUE_TYPES:
        return None
    type_id, color, description = ISSUE_TYPES[name]
    return {
        "id": type_id,
        "node_id": _node_id("IT", type_id),
        "name": name,
        "description": description,
        "color": color,
        "created_at": _ts(view.index.start - timedelta(days=365)),
        "updated_at": _ts(view.index.start - timedelta(days=365)),
        "is_enabled": True,
    }


def _milestone(view: _View, item: WorkItem) -> dict | None:
    """The quarter's milestone of one issue in MILESTONE_EVERY (counts and dates kept simple: it is open)."""
    title = _milestone_title(item)
    if title is None:
        return None
    year, quarter = int(title[:4]), int(title[-1])
    number = (year - 2000) * 4 + quarter
    milestone_id = view.repository.native_id * 1000 + number
    url = f"{view.api}/milestones/{number}"
    due = datetime(year + quarter // 4, quarter % 4 * 3 + 1, 1, tzinfo=UTC) - timedelta(days=1)
    return {
        "url": url,
        "html_url": f"{view.html}/milestone/{number}",
        "labels_url": f"{url}/labels",
        "id": milestone_id,
        "node_id": _node_id("MI", milestone_id),
        "number": number,
        "state": "open",
        "title": title,
        "description": None,
        "creator": _owner(view),
        "open_issues": 0,
        "closed_issues": 0,
        "created_at": _ts(datetime(year, (quarter - 1) * 3 + 1, 1, tzinfo=UTC) - timedelta(days=14)),
        "updated_at": _ts(view.index.clock),
        "closed_at": None,
        "due_on": _ts(due),
    }


def _base_sha(pr: PullRequest) -> str:
    """The base branch's commit the PR started from: the model does not record it."""
    return _sha(pr.repo, pr.number, "base")


def _branch(view: _View, ref: str, sha: str) -> dict:
    owner = view.repository.full_name.split("/")[0]
    return {"label": f"{owner}:{ref}", "ref": ref, "sha": sha, "user": _owner(view), "repo": view.repository_object}


def _pull(view: _View, pr: PullRequest) -> dict:
    """A single pull request: GitHub's pull-request-simple shape plus merge state and size."""
    merged = pr.merged_at is not None
    url = f"{view.api}/pulls/{pr.number}"
    html = f"{view.html}/pull/{pr.number}"
    issue = f"{view.api}/issues/{pr.number}"
    links = {
        "self": url,
        "html": html,
        "issue": issue,
        "comments": f"{issue}/comments",
        "review_comments": f"{url}/comments",
        "review_comment": f"{view.api}/pulls/comments{{/number}}",
        "commits": f"{url}/commits",
        "statuses": f"{view.api}/statuses/{pr.head_sha}",
    }
    return {
        "url": url,
        "id": pr.native_id,
        "node_id": _node_id("PR", pr.native_id),
        "html_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "issue_url": issue,
        "commits_url": links["commits"],
        "review_comments_url": links["review_comments"],
        "review_comment_url": links["review_comment"],
        "comments_url": links["comments"],
        "statuses_url": links["statuses"],
        "number": pr.number,
        "state": pr.state,
        "locked": False,
        "title": pr.title,
        "user": _user(view, pr.author),
        "body": pr.body,
        "labels": [_label(view, name) for name in pr.labels],
        "milestone": None,
        "active_lock_reason": None,
        "created_at": _ts(pr.created_at),
        "updated_at": _ts(pr.updated_at),
        "closed_at": _ts(pr.closed_at),
        "merged_at": _ts(pr.merged_at),
        "merge_commit_sha": pr.merge_commit_sha,
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "head": _branch(view, pr.head_branch, pr.head_sha),
        "base": _branch(view, pr.base_branch, _base_sha(pr)),
        "_links": {name: {"href": href} for name, href in links.items()},
        "author_association": _association(pr.author),
        "auto_merge": None,
        "draft": pr.is_draft,
        "merged": merged,
        "mergeable": None,
        "rebaseable": None,
        "mergeable_state": "draft" if pr.is_draft else "clean" if pr.state == "open" else "unknown",
        "merged_by": _user(view, _merger(pr)) if merged else None,
        "comments": 0,
        "review_comments": 0,
        "maintainer_can_modify": False,
        "commits": len(pr.commits),
        "additions": pr.additions,
        "deletions": pr.deletions,
        "changed_files": pr.changed_files,
    }


def _review(view: _View, pr: PullRequest, review: Review) -> dict:
    url = f"{view.api}/pulls/{pr.number}"
    html = f"{view.html}/pull/{pr.number}#pullrequestreview-{review.id}"
    if review.reviewer.is_bot:
        body = "Quality Gate passed."
    else:
        body = {"APPROVED": "", "CHANGES_REQUESTED": "A few things to address first."}.get(review.state, "Looks fine.")
    return {
        "id": review.id,
        "node_id": _node_id("PRR", review.id),
        "user": _user(view, review.reviewer),
        "body": body,
        "state": review.state,
        "html_url": html,
        "pull_request_url": url,
        "author_association": _association(review.reviewer),
        "_links": {"html": {"href": html}, "pull_request": {"href": url}},
        "submitted_at": _ts(review.submitted_at),
        "commit_id": review.commit_sha,
    }


def _git_person(person: Person, moment: datetime) -> dict:
    return {"name": person.name, "email": person.email, "date": _ts(moment)}


def _commit(view: _View, commit: Commit, parent: str) -> dict:
    """A pull request's commit as `pulls/{n}/commits` lists it."""
    tree = _sha(commit.sha, "tree")
    return {
        "url": f"{view.api}/commits/{commit.sha}",
        "sha": commit.sha,
        "node_id": _node_id("C", f"{view.repository.native_id}:{commit.sha}"),
        "html_url": f"{view.html}/commit/{commit.sha}",
        "comments_url": f"{view.api}/commits/{commit.sha}/comments",
        "commit": {
            "url": f"{view.api}/git/commits/{commit.sha}",
            "author": _git_person(commit.author, commit.authored_at),
            "committer": _git_person(commit.author, commit.committed_at),
            "message": commit.message,
            "tree": {"sha": tree, "url": f"{view.api}/git/trees/{tree}"},
            "verification": {
                "verified": False,
                "reason": "unsigned",
                "signature": None,
                "payload": None,
                "verified_at": None,
            },
            "comment_count": 0,
        },
        "author": _user(view, commit.author),
        "committer": _user(view, commit.author),
        "parents": [{"sha": parent, "url": f"{view.api}/commits/{parent}", "html_url": f"{view.html}/commit/{parent}"}],
    }


def _parents(pr: PullRequest) -> list[str]:
    """Each commit's parent: the one before it, the base branch for the first."""
    return [_base_sha(pr), *(c.sha for c in pr.commits[:-1])]


def _issue_event(view: _View, event: _Event, with_issue: bool = True) -> dict:
    """An issue event: in the repository's list it names the issue, in an issue's own list it says why
    it was closed (GitHub documents `state_reason` only there)."""
    fields = {
        "id": event.id,
        "node_id": event_node_id(view, event),
        "url": f"{view.api}/issues/events/{event.id}",
        "actor": _user(view, event.actor),
        "event": event.kind,
        "commit_id": event.commit_id,
        "commit_url": f"{view.api}/commits/{event.commit_id}" if event.commit_id else None,
        "created_at": _ts(event.at),
        "performed_via_github_app": None,
    }
    if event.label is not None:
        fields["label"] = {"name": event.label, "color": _label(view, event.label)["color"]}
    if event.assignee is not None:
        fields["assignee"] = _user(view, event.assignee)
        fields["assigner"] = _user(view, event.actor)
    if event.requested_reviewer is not None:
        fields["review_requester"] = _user(view, event.actor)
        fields["requested_reviewer"] = _user(view, event.requested_reviewer)
    fields.update(event.details)
    if with_issue:
        fields["issue"] = _issue(view, view.entry.rows[event.number])
    elif event.kind == "closed":
        fields["state_reason"] = event.state_reason
    return fields


def _workflow_path(workflow: str) -> str:
    return f".github/workflows/{re.sub(r'[^a-z0-9]+', '-', workflow.lower()).strip('-')}.yml"


def _head_commit(view: _View, sha: str) -> dict | None:
    """The pushed commit a run built: a PR's commit, or the commit its merge made on the base branch."""
    if sha in view.entry.commits:
        commit = view.entry.commits[sha][0]
        author = {"name": commit.author.name, "email": commit.author.email}
        return {
            "id": sha,
            "tree_id": _sha(sha, "tree"),
            "message": commit.message,
            "timestamp": _ts(commit.committed_at),
            "author": author,
            "committer": author,
        }
    pr = view.entry.merges.get(sha)
    if pr is None:
        return None
    if pr.merge_method == "squash":
        message = f"{pr.title} (#{pr.number})"
    else:
        message = f"Merge pull request #{pr.number} from {view.repository.full_name.split('/')[0]}/{pr.head_branch}"
    merger = _merger(pr)
    return {
        "id": sha,
        "tree_id": _sha(sha, "tree"),
        "message": f"{message}\n\n{pr.body}",
        "timestamp": _ts(pr.merged_at),
        "author": {"name": merger.name, "email": merger.email},
        "committer": {"name": "GitHub", "email": "noreply@github.com"},
    }


def _pull_minimal(view: _View, pr: PullRequest) -> dict:
    repo = {"id": view.repository.native_id, "url": view.api, "name": view.repository.full_name.split("/")[1]}
    return {
        "id": pr.native_id,
        "number": pr.number,
        "url": f"{view.api}/pulls/{pr.number}",
        "head": {"ref": pr.head_branch, "sha": pr.head_sha, "repo": repo},
        "base": {"ref": pr.base_branch, "sha": _base_sha(pr), "repo": repo},
    }


def _run_status(attempt: PipelineRun, clock: datetime) -> str:
    if attempt.finished_at is not None:
        return "completed"
    return "in_progress" if attempt.started_at <= clock else "queued"


def _workflow_run(view: _View, run: _Run) -> dict:
    """A workflow run showing its latest attempt as of the snapshot: queued, in progress or completed."""
    attempt = run.latest
    status = _run_status(attempt, view.index.clock)
    updated_at = {"completed": attempt.finished_at, "in_progress": attempt.started_at}.get(status, attempt.created_at)
    path = _workflow_path(attempt.workflow)
    workflow_id = 80_000_000 + zlib.crc32(f"{view.repository.full_name}/{path}".encode()) % 10_000_000
    check_suite_id = attempt.native_id + 20_000_000_000
    url = f"{view.api}/actions/runs/{attempt.native_id}"
    head_commit = _head_commit(view, attempt.head_sha)
    # The run names the PR it tested; the snapshot's copy of that PR has only the commits pushed so far.
    pr = view.entry.pulls.get(attempt.pull_request.number) if attempt.pull_request else None
    if pr is not None:
        title = pr.title
    elif head_commit is not None and attempt.event == "push":
        title = head_commit["message"].split("\n")[0]
    else:
        title = attempt.workflow
    minimal_repository = _minimal_repository(view)
    return {
        "id": attempt.native_id,
        "name": attempt.workflow,
        "node_id": _node_id("WFR", attempt.native_id),
        "check_suite_id": check_suite_id,
        "check_suite_node_id": _node_id("CS", check_suite_id),
        "head_branch": attempt.branch,
        "head_sha": attempt.head_sha,
        "path": path,
        "display_title": title,
        "run_number": attempt.run_number,
        "event": attempt.event,
        "status": status,
        "conclusion": attempt.conclusion,
        "workflow_id": workflow_id,
        "url": url,
        "html_url": f"{view.html}/actions/runs/{attempt.native_id}",
        "pull_requests": [_pull_minimal(view, pr)] if pr is not None else [],
        "created_at": _ts(run.created_at),
        "updated_at": _ts(updated_at),
        "actor": _user(view, attempt.actor),
        "triggering_actor": _user(view, attempt.actor),
        "run_attempt": attempt.attempt,
        "referenced_workflows": [],
        "run_started_at": _ts(attempt.started_at if status != "queued" else attempt.created_at),
        "jobs_url": f"{url}/jobs",
        "logs_url": f"{url}/logs",
        "check_suite_url": f"{view.api}/check-suites/{check_suite_id}",
        "artifacts_url": f"{url}/artifacts",
        "cancel_url": f"{url}/cancel",
        "rerun_url": f"{url}/rerun",
        "previous_attempt_url": f"{url}/attempts/{attempt.attempt - 1}" if attempt.attempt > 1 else None,
        "workflow_url": f"{view.api}/actions/workflows/{workflow_id}",
        "head_commit": head_commit,
        "repository": minimal_repository,
        "head_repository": minimal_repository,
    }


def _deployment(view: _View, deployment: Deployment) -> dict:
    url = f"{view.api}/deployments/{deployment.native_id}"
    return {
        "url": url,
        "id": deployment.native_id,
        "node_id": _node_id("DE", deployment.native_id),
        "sha": deployment.sha,
        "ref": deployment.ref,
        "task": "deploy",
        "payload": "" if deployment.native_id % 2 else {},  # GitHub sends both
        "original_environment": deployment.environment,
        "environment": deployment.environment,
        "description": f"Rollback to {deployment.sha[:7]}" if deployment.is_rollback else None,
        "creator": _user(view, deployment.creator),
        "created_at": _ts(deployment.created_at),
        "updated_at": _ts(deployment.updated_at),
        "statuses_url": f"{url}/statuses",
        "repository_url": view.api,
        "transient_environment": False,
        "production_environment": deployment.production_environment,
        "performed_via_github_app": None,
    }


def _deployment_status(view: _View, deployment: Deployment, status: DeploymentStatus) -> dict:
    deployment_url = f"{view.api}/deployments/{deployment.native_id}"
    log_url = f"{view.html}/actions/runs/{deployment.pipeline_id}" if deployment.pipeline_id else ""
    name = view.repository.full_name.split("/")[1]
    return {
        "url": f"{deployment_url}/statuses/{status.id}",
        "id": status.id,
        "node_id": packed_node_id("DES", 0, status.id),
        "state": status.state,
        "creator": _user(view, status.creator),
        "description": DEPLOYMENT_STATUS_TEXT.get(status.state, ""),
        "environment": deployment.environment,
        "target_url": log_url,
        "log_url": log_url,
        "environment_url": f"https://{deployment.environment}.{name}.acme.example",
        "created_at": _ts(status.at),
        "updated_at": _ts(status.at),
        "deployment_url": deployment_url,
        "repository_url": view.api,
        "performed_via_github_app": None,
    }


# ---------------------------------------------------------------------- request helpers
def _not_found(request: ApiRequest) -> ApiResponse:
    return ApiResponse(404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"})


def _moved(request: ApiRequest, repository_id: int) -> ApiResponse:
    """GitHub's answer for a repository's former name: 301 to the same path below its id."""
    rest = re.sub(r"^/repos/[^/]+/[^/]+", "", request.path)
    location = f"{request.base_url}/repositories/{repository_id}{rest}"
    query = request.url().partition("?")[2]
    location += f"?{query}" if query else ""
    body = {"message": "Moved Permanently", "url": location, "documentation_url": REDIRECT_DOCS}
    return ApiResponse(301, body, {"Location": location})


def _invalid(field_name: str) -> ApiResponse:
    """GitHub's 422 for a parameter it cannot read."""
    body = {
        "message": "Validation Failed",
        "errors": [{"field": field_name, "code": "invalid"}],
        "documentation_url": DOCS,
        "status": "422",
    }
    return ApiResponse(422, body)


def _paged(request: ApiRequest, view: _View, rows: list, build: Callable[[Any], Any]) -> ApiResponse:
    """One page of `rows` built into reply objects, with GitHub's `Link` header: its URLs name the
    repository by id (`/repositories/{id}/…`), as GitHub's do."""
    page, number, _, last = page_slice(rows, request)
    by_id = dataclasses.replace(request, path=_path_by_id(request.path, view.repository.native_id))
    link = link_header(by_id, number, last)
    return ApiResponse(200, [build(row) for row in page], {"Link": link} if link else {})


def _path_by_id(path: str, repository_id: int) -> str:
    return re.sub(r"^/repos/[^/]+/[^/]+|^/repositories/\d+", f"/repositories/{repository_id}", path)


def canonical_path(path: str, org: Org) -> str:
    """`/repositories/{id}/…` spelt `/repos/{owner}/{repo}/…`, for faults and the request log."""
    match = re.match(r"/repositories/(\d+)(.*)", path)
    entry = _index(org).by_id.get(int(match[1])) if match else None
    return f"/repos/{entry.repository.full_name}{match[2]}" if entry else path


def _query_key(request: ApiRequest, name: str) -> tuple:
    """A listing's cache key: its endpoint and every parameter except the page asked for."""
    return name, tuple(sorted((k, v[-1]) for k, v in request.query.items() if k not in ("page", "per_page")))


def _time_arg(value: str) -> datetime:
    """An ISO 8601 date-time or date from a query string (where `+` arrives as a space); UTC if naive."""
    moment = parse_time(value.strip().replace(" ", "+"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _created_window(text: str) -> tuple[datetime, datetime]:
    """The inclusive (first, last) second GitHub's date search syntax selects.

    `>=X`, `<=X`, `>X`, `<X`, `A..B` (either end may be `*`) or `X`, where each of X, A and B is
    a date (the whole day) or a date-time.
    """
    earliest, latest = datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
    one = timedelta(seconds=1)
    for operator in (">=", "<=", ">", "<"):
        if text.startswith(operator):
            first, last = _moment_bounds(text[len(operator) :])
            bounds = {
                ">=": (first, latest),
                "<=": (earliest, last),
                ">": (last + one, latest),
                "<": (earliest, first - one),
            }
            return bounds[operator]
    if ".." in text:
        start, end = text.split("..", 1)
        first = earliest if start.strip() == "*" else _moment_bounds(start)[0]
        last = latest if end.strip() == "*" else _moment_bounds(end)[1]
        return first, last
    return _moment_bounds(text)


def _moment_bounds(value: str) -> tuple[datetime, datetime]:
    """First and last second a date (a whole day) or a date-time (itself) stands for."""
    value = value.strip()
    if "T" in value:
        moment = _time_arg(value)
        return moment, moment
    day = datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC)
    return day, day + timedelta(days=1, seconds=-1)


# ---------------------------------------------------------------------- routes
router = Router()


def _repo_route(suffix: str) -> Callable[[Callable[[ApiRequest, re.Match, _View], ApiResponse]], Callable]:
    """Register a route below `/repos/{owner}/{repo}` and `/repositories/{id}` whose handler gets the repository's view.

    An unknown repository (or one that is not GitHub's) answers 404, as GitHub answers for
    repositories the token cannot see; a former name of a renamed one answers 301 to its new place.
    """

    def register(handler: Callable[[ApiRequest, re.Match, _View], ApiResponse]) -> Callable:
        @router.get(REPO_PATH + suffix)
        def serve(request: ApiRequest, match: re.Match, org: Org) -> ApiResponse:
            index = _index(org)
            name = f"{match['owner']}/{match['repo']}".lower()
            entry = index.repos.get(name)
            if entry is None and name in index.moved:
                return _moved(request, index.moved[name])
            if entry is None:
                return _not_found(request)
            return handler(request, match, _View(request.base_url, index, entry))

        @router.get(REPO_BY_ID_PATH + suffix)
        def serve_by_id(request: ApiRequest, match: re.Match, org: Org) -> ApiResponse:
            index = _index(org)
            entry = index.by_id.get(int(match["repository_id"]))
            if entry is None:
                return _not_found(request)
            return handler(request, match, _View(request.base_url, index, entry))

        return handler

    return register


@_repo_route("")
def get_repository(request: ApiRequest, match: re.Match, view: _View) -> ApiResponse:
    """The repository: sources ask for it first to learn whether it exists and is visible."""
    return ApiResponse(200, _full_repository(view))


@_repo_route("/issues")
def list_issues(request: ApiRequest, match: re.Match, view: _View) -> ApiResponse:
    """Issues and pull requests, filtered by state, labels and `since`, sorted by creation or update."""
    since = None
    if request.arg("since"):
        try:
            since = _time_arg(request.arg("since"))
        except ValueError:
            return _invalid("since")

    def select() -> list[_IssueRow]:
        state = request.arg("state", "open")
        rows = view.entry.rows.values()
        if state in ("open", "closed"):
            rows = [row for row in rows if row.is_open == (state == "open")]
        wanted = {name.strip() for name in (request.arg("labels") or "").split(",") if name.strip()}
        if wanted:
            rows = [row for row in rows if wanted <= set(row.labels)]
        if since is not None:
            rows = [row for row in rows if row.updated_at >= since]
        key = "updated_at" if request.arg("sort") == "updated" else "created_at"
        return sorted(rows, key=lambda r: (getattr(r, key), r.number), reverse=request.arg("direction") != "asc")

    rows = view.entry.listing(_query_key(request, "issues"), select)
    return _paged(request, view, rows, lambda row: _issue(view, row))


@_repo_route("/issues/events")
def list_issue_events(request: ApiRequest, match: re.Match, view: _View) -> ApiResponse:
    """The repository's issue and pull request events, newest first, as deep as GitHub lets a list be paged:
    the `Link` header leads on past that depth, to a 422 (clients that follow it report the error)."""
    _, number, per_page, _ = page_slice(view.entry.events, request)
    if number > 1 and (number - 1) * per_page >= ISSUE_EVENTS_REACHABLE:
        body = {"message": PAGINATION_LIMITED, "documentation_url": f"{DOCS}#pagination"}
        return ApiResponse(422, body)
    return _paged(request, view, view.entry.events, lambda event: _issue_event(view, event))


@_repo_route(r"/issues/(?P<number>\d+)/events")
def list_events_of_issue(request: ApiRequest, match: re.Match, view: _View) -> ApiResponse:
    """One issue's or pull request's events, oldest first, each closing with its reason."""
    number = int(match["number"])
    if number not in view.entry.rows:
        return _not_found(request)
    events = view.entry.events_by_number.get(number, [])
    return _paged(request, view, events, lambda event: _issue_event(view, event, with_issue=False))


@_repo_route(r"/pulls/(?P<number>\d+)")
def get_pull(request: ApiRequest, match: re.Match, view: _View) -> ApiResponse:
    pr = view.entry.pulls.get(int(match["number"]))
    return ApiResponse(200, _pull(view, pr)) if pr else _not_found(request)


@_repo_route(r"/pulls/(?P<number>\d+)/reviews")
def list_reviews(request: ApiRequest, match: re.Match, view: _View) -> ApiResponse:
    """A pull request's reviews in the order they were submitted."""
    pr = view.entry.pulls.get(int(match["number"]))
    if pr is None:
        return _not_found(request)
    reviews = sorted(pr.reviews, key=lambda r: (r.submitted_at, r.id))
    return _paged(request, view, reviews, lambda review: _review(view, pr, review))


@_repo_route(r"/pulls/(?P<number>\d+)/commits")
def list_pull_commits(request: ApiRequest, match: re.Match, view: _View) -> ApiResponse:
    """A pull request's commits, oldest first, at most 250 of them."""
    pr = view.entry.pulls.get(int(match["number"]))
    if pr is None:
        return _not_found(request)
    pairs = list(zip(pr.commits, _parents(pr), strict=True))[:MAX_PR_COMMITS]
    return _paged(request, view, pairs, lambda pair: _commit(view, *pair))


@_repo_route("/actions/runs")
def list_workflow_runs(request: ApiRequest, match: re.Match, view: _View) -> ApiResponse:
    """Workflow runs newest first; a filtered query reaches only its first 1,000 rows."""
    window = None
    if request.arg("created"):
        try:
            window = _created_window(request.arg("created"))
        except ValueError:
            return _invalid("created")
    filters = {name: request.arg(name) for name in ("status", "branch", "event", "head_sha", "actor")}

    def select() -> list[_Run]:
        runs = view.entry.runs
        if window is not None:
            runs = [r for r in runs if window[0] <= r.created_at <= window[1]]
        if filters["status"]:
            clock = view.index.clock
            runs = [r for r in runs if filters["status"] in (_run_status(r.latest, clock), r.latest.conclusion)]
        for name, value in (("branch", "branch"), ("event", "event"), ("head_sha", "head_sha")):
            if filters[name]:
                runs = [r for r in runs if getattr(r.latest, value) == filters[name]]
        if filters["actor"]:
            runs = [r for r in runs if r.latest.actor.login == filters["actor"]]
        return runs

    runs = view.entry.listing(_query_key(request, "runs"), select)
    reachable = runs[:RUNS_QUERY_CAP] if window is not None or any(filters.values()) else runs
    reply = _paged(request, view, reachable, lambda run: _workflow_run(view, run))
    reply.body = {"total_count": len(runs), "workflow_runs": reply.body}
    return reply


@_repo_route("/deployments")
def list_deployments(request: ApiRequest, match: re.Match, view: _View) -> ApiResponse:
    """Deployments newest first; a repository that ships with a workflow alone has none."""

    def select() -> list[Deployment]:
        if not view.repository.uses_deployments or request.arg("task", "deploy") != "deploy":
            return []
        wanted = {name: request.arg(name) for name in ("sha", "ref", "environment") if request.arg(name)}
        return [d for d in view.entry.deployments.values() if all(getattr(d, k) == v for k, v in wanted.items())]

    deployments = view.entry.listing(_query_key(request, "deployments"), select)
    return _paged(request, view, deployments, lambda deployment: _deployment(view, deployment))


@_repo_route(r"/deployments/(?P<id>\d+)")
def get_deployment(request: ApiRequest, match: re.Match, view: _View) -> ApiResponse:
    """One deployment: sources re-read those whose outcome was still open last time."""
    deployment = view.entry.deployments.get(int(match["id"]))
    return ApiResponse(200, _deployment(view, deployment)) if deployment else _not_found(request)


@_repo_route(r"/deployments/(?P<id>\d+)/statuses")
def list_deployment_statuses(request: ApiRequest, match: re.Match, view: _View) -> ApiResponse:
    """A deployment's statuses, newest first."""
    deployment = view.entry.deployments.get(int(match["id"]))
    if deployment is None:
        return _not_found(request)
    statuses = sorted(deployment.statuses, key=lambda s: (s.at, s.id), reverse=True)
    return _paged(request, view, statuses, lambda status: _deployment_status(view, deployment, status))


# ---------------------------------------------------------------------- credentials, errors, limits
def authenticate(request: ApiRequest, credentials: Credentials) -> ApiResponse | None:
    """`Authorization: Bearer <token>` or `token <token>`; anything else is a 401."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() in ("bearer", "token") and token.strip() == credentials.github_token:
        return None
    return ApiResponse(401, {"message": "Bad credentials", "documentation_url": DOCS, "status": "401"})


ERROR_MESSAGES = {
    "rate_limit": (
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        f"{RATE_LIMIT_DOCS}#about-secondary-rate-limits",
    ),
    "secondary_limit": (
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        f"{RATE_LIMIT_DOCS}#about-secondary-rate-limits",
    ),
    "forbidden": ("Resource not accessible by personal access token", DOCS),
    "primary_limit": (
        f"API rate limit exceeded for user ID {TOKEN_USER_ID}. If you reach out to GitHub Support for help, "
        "please include the request ID.",
        f"{RATE_LIMIT_DOCS}#about-primary-rate-limits",
    ),
}


def error(status: int, kind: str) -> ApiResponse:
    """GitHub's error body for a throttled or failed request."""
    message, docs = ERROR_MESSAGES.get(kind, ("Server Error", DOCS))
    return ApiResponse(status, {"message": message, "documentation_url": docs, "status": str(status)})


def rate_limit_headers(budget: RateBudget) -> dict[str, str]:
    """The primary rate limit's headers; a window not yet opened resets one window from now."""
    now = time.time()
    reset = budget.reset_at if budget.reset_at > now else now + budget.window_seconds
    return {
        "x-ratelimit-limit": str(budget.limit),
        "x-ratelimit-remaining": str(budget.remaining),
        "x-ratelimit-used": str(budget.used),
        "x-ratelimit-reset": str(int(reset)),
        "x-ratelimit-resource": "core",
    }


API = Api(
    name="github",
    router=router,
    authenticate=authenticate,
    error=error,
    rate_limit_headers=rate_limit_headers,
    not_found=_not_found,
    canonical_path=canonical_path,
)


# Shared with the GraphQL endpoint (simulator.github_graphql), which answers from the same snapshot.
index_of = _index
timestamp = _ts
node_id = _node_id
association = _association
merger = _merger
base_sha = _base_sha
parents = _parents
review_object = _review
issue_event = _issue_event
deployment_status_object = _deployment_status
view_of = _View
