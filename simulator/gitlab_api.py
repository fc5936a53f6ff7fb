"""GitLab REST v4, served from the simulated organisation.

Projects are found by numeric id or URL-encoded path (`acme%2Fdata%2Fpipeline`), lists page by
offset with GitLab's `Link` and `x-*` headers (the totals vanish past 10,000 rows, as on
gitlab.com), and the filters and orderings sources rely on behave as GitLab's finders do:
`updated_after` is inclusive, the pipeline list leaves out timings the detail has, and the
deployments finder's pairing rules for `updated_at`/`finished_at` are enforced. A deployment
embeds its environment as `EnvironmentBasic`, without the tier (`/environments` has it), and has
no `finished_at` of its own (its deploy job has). Timestamps carry the instance's offset, +03:00,
as a self-managed GitLab set to its users' zone writes them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import formatdate
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from simulator.api import Api, Credentials, RateBudget
from simulator.model import (
    ASSIGNED,
    CLOSED,
    LABELED,
    REOPENED,
    UNLABELED,
    Commit,
    Deployment,
    Org,
    Person,
    PipelineRun,
    PullRequest,
    Repository,
    WorkItem,
)
from simulator.routing import ApiRequest, ApiResponse, Router, page_slice, parse_time, per_org

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
TOTAL_HEADERS_LIMIT = 10_000  # above this many rows GitLab omits x-total, x-total-pages and rel="last"
JOB_ID_OFFSET = 5_000_000_000  # deploy jobs get ids of their own, derived from the deployment's
PROJECT = r"/api/v4/projects/(?P<project>[^/]+)"

PIPELINE_STATUS = {"success": "success", "failure": "failed", "cancelled": "canceled", None: "running"}
PIPELINE_SOURCE = {"merge_request_event": "merge_request_event", "push": "push", "workflow_dispatch": "web"}
PIPELINE_STATUSES = ("created", "waiting_for_resource", "preparing", "pending", "running", "success", "failed",
                     "canceled", "skipped", "manual", "scheduled")  # fmt: skip
STATUS_LABELS = {"success": "passed", "failed": "failed", "canceled": "canceled", "running": "running",
                 "created": "created"}  # fmt: skip
DEPLOYMENT_STATUS = {"created": "created", "queued": "created", "in_progress": "running", "success": "success",
                     "failure": "failed", "error": "failed"}  # fmt: skip
DEPLOYMENT_STATUSES = ("created", "running", "success", "failed", "canceled", "blocked")
SEVERITY = {"Highest": "CRITICAL", "High": "HIGH", "Medium": "MEDIUM", "Low": "LOW"}
LABEL_COLOURS = ("#6699cc", "#009966", "#8fbc8f", "#ed9121", "#36454f", "#cd5b45", "#5843ad", "#dc143c")

INSTANCE_ZONE = timezone(timedelta(hours=3), "+03:00")

ROUTER = Router()


class _Refused(Exception):
    """A request GitLab answers with an error: the status and the body it sends."""

    def __init__(self, status: int, body: dict) -> None:
        super().__init__(body)
        self.status, self.body = status, body


def _bad_request(reason: str) -> _Refused:
    """What GitLab's `bad_request!(reason)` answers."""
    return _Refused(400, {"message": f"400 Bad request - {reason}"})


# ---------------------------------------------------------------------------------- rendering helpers
def gitlab_time(moment: datetime | None) -> str | None:
    """`2024-01-02T13:00:00.000+03:00`: milliseconds, in the instance's zone (gitlab.com writes `Z`)."""
    if moment is None:
        return None
    local = moment.astimezone(INSTANCE_ZONE)
    offset = local.strftime("%z")
    return local.strftime("%Y-%m-%dT%H:%M:%S.") + f"{local.microsecond // 1000:03d}{offset[:3]}:{offset[3:]}"


def _seconds(start: datetime | None, end: datetime | None) -> float | None:
    return (end - start).total_seconds() if start and end else None


def _user(person: Person, base: str) -> dict:
    return {
        "id": person.numeric_id,
        "username": person.login,
        "name": person.name,
        "state": "active",
        "locked": False,
        "avatar_url": f"{base}/uploads/-/system/user/avatar/{person.numeric_id}/avatar.png",
        "web_url": f"{base}/{person.login}",
    }


def _group_id(path: str) -> int:
    """A stable numeric id for a group path such as `acme/data`."""
    return int(hashlib.sha1(path.encode()).hexdigest()[:7], 16)


def pagination_headers(request: ApiRequest, page: int, per_page: int, total: int) -> dict[str, str]:
    """GitLab's offset-pagination headers; past 10,000 rows the totals and rel="last" are left out."""
    last = max(1, -(-total // per_page))
    links = []
    if page > 1:
        links.append(f'<{request.url(page=page - 1, per_page=per_page)}>; rel="prev"')
    if page < last:
        links.append(f'<{request.url(page=page + 1, per_page=per_page)}>; rel="next"')
    links.append(f'<{request.url(page=1, per_page=per_page)}>; rel="first"')
    headers = {
        "x-page": str(page),
        "x-per-page": str(per_page),
        "x-next-page": str(page + 1) if page < last else "",
        "x-prev-page": str(page - 1) if page > 1 else "",
    }
    if total <= TOTAL_HEADERS_LIMIT:
        links.append(f'<{request.url(page=last, per_page=per_page)}>; rel="last"')
        headers.update({"x-total": str(total), "x-total-pages": str(last)})
    headers["Link"] = ", ".join(links)
    return headers


# ---------------------------------------------------------------------------------- the per-org index
@dataclass(frozen=True)
class Environment:
    id: int
    name: str
    tier: str
    created_at: datetime
    updated_at: datetime


@dataclass(eq=False)
class _Index:
    """Lookups built once per organisation, so each request is dictionary hits and slices."""

    org: Org
    projects: dict[str, Repository]  # by str(id) and by path
    issues: dict[str, list[WorkItem]]  # project path → issues by iid
    merge_requests: dict[str, list[PullRequest]]  # project path → MRs by iid
    pipelines: dict[str, list[PipelineRun]]  # project path → pipelines by creation
    deployments: dict[str, list[Deployment]]  # project path → deployments by creation
    pipeline_ids: dict[int, PipelineRun]
    pipeline_iids: dict[int, int]  # pipeline id → its number within the project
    head_pipelines: dict[str, PipelineRun]  # sha → the latest pipeline for it
    environments: dict[tuple[str, str], Environment]
    merge_commits: dict[str, PullRequest]  # merge commit sha → the MR it merged
    label_ids: dict[str, int]
    _by_iid: dict[tuple[str, str, int], WorkItem | PullRequest] = field(default_factory=dict)

    @classmethod
    def build(cls, org: Org) -> _Index:
        repos = [r for r in org.repositories if r.source == "gitlab"]
        paths = [r.full_name for r in repos]
        issues = {p: sorted((i for i in org.work_items if i.source == "gitlab" and i.container == p),
                            key=lambda i: i.number) for p in paths}  # fmt: skip
        mrs = {p: sorted((m for m in org.pull_requests if m.source == "gitlab" and m.repo == p),
                         key=lambda m: m.number) for p in paths}  # fmt: skip
        latest = {r.native_id: r for r in org.pipeline_runs if r.source == "gitlab"}  # rows come in attempt order
        runs = sorted(latest.values(), key=lambda r: (r.created_at, r.native_id))
        pipelines = {p: [r for r in runs if r.repo == p] for p in paths}
        deployments = {p: [d for d in org.deployments if d.source == "gitlab" and d.repo == p] for p in paths}
        all_issues = [i for rows in issues.values() for i in rows]
        label_names = {label for i in all_issues for label in i.initial_labels}
        label_names |= {e.to_value for i in all_issues for e in i.events if e.kind in (LABELED, UNLABELED)}
        label_names |= {label for rows in mrs.values() for m in rows for label in m.labels}
        index = cls(
            org=org,
            projects={**{str(r.native_id): r for r in repos}, **{r.full_name: r for r in repos}},
            issues=issues,
            merge_requests=mrs,
            pipelines=pipelines,
            deployments=deployments,
            pipeline_ids={r.native_id: r for r in runs},
            pipeline_iids={r.native_id: n for rows in pipelines.values() for n, r in enumerate(rows, 1)},
            head_pipelines={r.head_sha: r for r in runs},
            environments=_environments([d for rows in deployments.values() for d in rows]),
            merge_commits={m.merge_commit_sha: m for rows in mrs.values() for m in rows if m.merge_commit_sha},
            label_ids={name: 20_000_000 + n for n, name in enumerate(sorted(label_names))},
        )
        index._by_iid.update({("issues", i.container, i.number): i for rows in issues.values() for i in rows})
        index._by_iid.update({("merge_requests", m.repo, m.number): m for rows in mrs.values() for m in rows})
        return index

    def find(self, kind: str, repo: Repository, iid: str) -> WorkItem | PullRequest | None:
        """The project's issue or merge request `iid` (`kind` issues | merge_requests), None if it has none."""
        return self._by_iid.get((kind, repo.full_name, int(iid))) if iid.isdigit() else None

    def issuable(self, kind: str, repo: Repository, iid: str) -> WorkItem | PullRequest:
        found = self.find(kind, repo, iid)
        if found is None:
            raise _Refused(404, {"message": f"404 {'Issue' if kind == 'issues' else 'Merge Request'} Not Found"})
        return found


def _environments(deployments: list[Deployment]) -> dict[tuple[str, str], Environment]:
    """One environment per project and name, created with its first deployment; its id is derived from
    both, so that it stays the same whatever moment the organisation is served as of."""
    environments: dict[tuple[str, str], Environment] = {}
    for d in deployments:
        known = environments.get((d.repo, d.environment))
        if known is None:
            number = int(hashlib.sha1(f"{d.repo}/{d.environment}".encode()).hexdigest()[:6], 16)
            known = Environment(7_000_000 + number, d.environment, d.tier, d.created_at, d.updated_at)
        environments[(d.repo, d.environment)] = Environment(
            known.id, known.name, known.tier, known.created_at, max(known.updated_at, d.updated_at)
        )
    return environments


# The organisation's index, built on its first request; a clock move serves a new Org.
_index = per_org(_Index.build)


# ---------------------------------------------------------------------------------- parameters
def _time(params: dict[str, str], name: str) -> datetime | None:
    """An ISO 8601 parameter; naive values are UTC, as GitLab reads them."""
    value = params.get(name)
    if not value:
        return None
    try:
        moment = parse_time(value)
    except ValueError:
        raise _Refused(400, {"error": f"{name} is invalid"}) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _choice(params: dict[str, str], name: str, allowed: Sequence[str], default: str) -> str:
    value = params.get(name) or default
    if value not in allowed:
        raise _Refused(400, {"error": f"{name} does not have a valid value"})
    return value


def _window(rows: list, params: dict[str, str], prefix: str, moment: Callable[[Any], datetime]) -> list:
    """Keep rows whose `<prefix>_at` lies in [`<prefix>_after`, `<prefix>_before`], both ends inclusive."""
    after, before = _time(params, f"{prefix}_after"), _time(params, f"{prefix}_before")
    return [r for r in rows if (after is None or moment(r) >= after) and (before is None or moment(r) <= before)]


def _ordered(rows: list, key: Callable[[Any], Any], descending: bool, tie: Callable[[Any], int]) -> list:
    return sorted(rows, key=lambda r: (key(r), tie(r)), reverse=descending)


@lru_cache(maxsize=64)
def _listing(select: Callable, index: _Index, path: str, params: tuple[tuple[str, str], ...]) -> tuple:
    """A filtered, ordered list, cached so a walk through thousands of pages slices it page by page."""
    return tuple(select(index, path, dict(params)))


def _paged(request: ApiRequest, rows: Sequence, render: Callable[[Any], dict]) -> ApiResponse:
    page_rows, page, per_page, _ = page_slice(rows, request, DEFAULT_PER_PAGE, MAX_PER_PAGE)
    return ApiResponse(200, [render(r) for r in page_rows], pagination_headers(request, page, per_page, len(rows)))


def _list(request: ApiRequest, index: _Index, repo: Repository, select: Callable, render: Callable) -> ApiResponse:
    params = tuple(sorted((k, v[-1]) for k, v in request.query.items() if k not in ("page", "per_page")))
    rows = _listing(select, index, repo.full_name, params)
    return _paged(request, rows, lambda row: render(row, index, request.base_url))


ProjectHandler = Callable[[ApiRequest, re.Match, _Index, Repository], ApiResponse]


def _moved(request: ApiRequest, match: re.Match, org: Org) -> ApiResponse | None:
    """A renamed project's former path: GitLab redirects a GET to the same resource below the project's id."""
    project_id = org.moved_repositories.get(unquote(match["project"]).lower())
    if project_id is None or not any(r.native_id == project_id and r.source == "gitlab" for r in org.repositories):
        return None
    location = f"{request.base_url}/api/v4/projects/{project_id}{request.path[match.end('project') :]}"
    query = request.url().partition("?")[2]
    location += f"?{query}" if query else ""
    return ApiResponse(301, {"message": "This resource has been moved permanently"}, {"Location": location})


def _project_route(suffix: str) -> Callable[[ProjectHandler], ProjectHandler]:
    """Register a GET below /projects/:id that finds the project first (404 if unknown)."""

    def register(handler: ProjectHandler) -> ProjectHandler:
        def route(request: ApiRequest, match: re.Match, org: Org) -> ApiResponse:
            index = _index(org)
            repo = index.projects.get(unquote(match["project"]))
            if repo is None:
                return _moved(request, match, org) or ApiResponse(404, {"message": "404 Project Not Found"})
            try:
                return handler(request, match, index, repo)
            except _Refused as refusal:
                return ApiResponse(refusal.status, refusal.body)

        ROUTER.get(PROJECT + suffix)(route)
        return handler

    return register


# ---------------------------------------------------------------------------------- projects
def _project(repo: Repository, index: _Index, base: str) -> dict:
    namespace, _, name = repo.full_name.rpartition("/")
    parent = namespace.rpartition("/")[0]
    squash = repo.merge_method == "squash"
    api = f"{base}/api/v4/projects/{repo.native_id}"
    return {
        "id": repo.native_id,
        "description": f"The {repo.team} team's service.",
        "name": name,
        "name_with_namespace": repo.full_name.replace("/", " / "),
        "path": name,
        "path_with_namespace": repo.full_name,
        "created_at": gitlab_time(index.org.start - timedelta(days=365)),
        "default_branch": repo.default_branch,
        "tag_list": [],
        "topics": [],
        "ssh_url_to_repo": f"git@gitlab.com:{repo.full_name}.git",
        "http_url_to_repo": f"{base}/{repo.full_name}.git",
        "web_url": f"{base}/{repo.full_name}",
        "readme_url": None,
        "avatar_url": None,
        "forks_count": 0,
        "star_count": 0,
        "last_activity_at": gitlab_time(index.org.end),
        "namespace": {
            "id": _group_id(namespace),
            "name": namespace.rpartition("/")[2],
            "path": namespace.rpartition("/")[2],
            "kind": "group",
            "full_path": namespace,
            "parent_id": _group_id(parent) if parent else None,
            "avatar_url": None,
            "web_url": f"{base}/groups/{namespace}",
        },
        "visibility": "private",
        "archived": False,
        "empty_repo": False,
        "issues_enabled": True,
        "merge_requests_enabled": True,
        "jobs_enabled": True,
        "merge_method": "ff" if squash else "merge",
        "squash_option": "always" if squash else "default_off",
        "open_issues_count": sum(i.is_open for i in index.issues[repo.full_name]),
        "_links": {
            "self": api,
            "issues": f"{api}/issues",
            "merge_requests": f"{api}/merge_requests",
            "repo_branches": f"{api}/repository/branches",
            "labels": f"{api}/labels",
            "events": f"{api}/events",
            "members": f"{api}/members",
        },
    }


@_project_route("")
def project(request: ApiRequest, match: re.Match, index: _Index, repo: Repository) -> ApiResponse:
    return ApiResponse(200, _project(repo, index, request.base_url))


# ---------------------------------------------------------------------------------- issues
def _issue(item: WorkItem, index: _Index, base: str) -> dict:
    repo = index.projects[item.container]
    closed = not item.is_open
    closer = next((e.actor for e in reversed(item.events) if e.kind == CLOSED), None) if closed else None
    assignee = _user(item.assignee, base) if item.assignee else None
    api = f"{base}/api/v4/projects/{repo.native_id}"
    return {
        "id": item.native_id,
        "iid": item.number,
        "project_id": repo.native_id,
        "title": item.title,
        "description": item.body,
        "state": "closed" if closed else "opened",
        "created_at": gitlab_time(item.created_at),
        "updated_at": gitlab_time(item.updated_at),
        "closed_at": gitlab_time(item.closed_at),
        "closed_by": _user(closer, base) if closer else None,
        "labels": item.labels,
        "milestone": None,
        "assignees": [assignee] if assignee else [],
        "author": _user(item.reporter, base),
        "type": item.issue_type.upper(),
        "assignee": assignee,
        "user_notes_count": 0,
        "merge_requests_count": 0,
        "upvotes": 0,
        "downvotes": 0,
        "due_date": None,
        "confidential": False,
        "discussion_locked": None,
        "issue_type": item.issue_type,
        "web_url": f"{base}/{item.container}/-/issues/{item.number}",
        "time_stats": {
            "time_estimate": 0,
            "total_time_spent": 0,
            "human_time_estimate": None,
            "human_total_time_spent": None,
        },  # fmt: skip
        "task_completion_status": {"count": 0, "completed_count": 0},
        "has_tasks": False,
        "_links": {
            "self": f"{api}/issues/{item.number}",
            "notes": f"{api}/issues/{item.number}/notes",
            "award_emoji": f"{api}/issues/{item.number}/award_emoji",
            "project": api,
            "closed_as_duplicate_of": None,
        },
        "references": {
            "short": f"#{item.number}",
            "relative": f"#{item.number}",
            "full": f"{item.container}#{item.number}",
        },  # fmt: skip
        "severity": SEVERITY.get(item.priority, "UNKNOWN") if item.issue_type == "incident" else "UNKNOWN",
        "moved_to_id": None,
        "service_desk_reply_to": None,
    }


def _select_issues(index: _Index, path: str, params: dict[str, str]) -> list[WorkItem]:
    state = _choice(params, "state", ("opened", "closed", "all"), "all")
    rows = [i for i in index.issues[path] if state == "all" or i.is_open == (state == "opened")]
    rows = _window(rows, params, "updated", lambda i: i.updated_at)
    rows = _window(rows, params, "created", lambda i: i.created_at)
    if params.get("issue_type"):
        rows = [i for i in rows if i.issue_type == params["issue_type"]]
    wanted = [name for name in params.get("labels", "").split(",") if name]
    if wanted == ["None"]:
        rows = [i for i in rows if not i.labels]
    elif wanted == ["Any"]:
        rows = [i for i in rows if i.labels]
    elif wanted:
        rows = [i for i in rows if set(wanted) <= set(i.labels)]
    order = _choice(params, "order_by", ("created_at", "updated_at", "title"), "created_at")
    keys = {"created_at": lambda i: i.created_at, "updated_at": lambda i: i.updated_at, "title": lambda i: i.title}
    descending = _choice(params, "sort", ("asc", "desc"), "desc") == "desc"
    return _ordered(rows, keys[order], descending, lambda i: i.native_id)


@_project_route("/issues")
def issues(request: ApiRequest, match: re.Match, index: _Index, repo: Repository) -> ApiResponse:
    """Issues and incidents; `state`, `updated_after`/`_before`, `created_after`/`_before`, `labels`."""
    return _list(request, index, repo, _select_issues, _issue)


# ---------------------------------------------------------------------------------- resource events
def _resource(kind: str) -> str:
    return "Issue" if kind == "issues" else "MergeRequest"


def _state_event(event_id: int, who: Person, at: datetime, kind: str, resource_id: int, state: str, base: str) -> dict:
    return {
        "id": event_id,
        "user": _user(who, base),
        "created_at": gitlab_time(at),
        "resource_type": _resource(kind),
        "resource_id": resource_id,
        "state": state,
        "source_commit": None,
        "source_merge_request": None,
    }


@_project_route(r"/(?P<kind>issues|merge_requests)/(?P<iid>\d+)/resource_state_events")
def state_events(request: ApiRequest, match: re.Match, index: _Index, repo: Repository) -> ApiResponse:
    """Closes and reopens (issues), merges and closes (MRs); GitLab records no event for the opening."""
    kind, base = match["kind"], request.base_url
    found = index.issuable(kind, repo, match["iid"])
    if isinstance(found, WorkItem):
        states = {CLOSED: "closed", REOPENED: "reopened"}
        rows = [_state_event(e.id, e.actor, e.at, kind, found.native_id, states[e.kind], base)
                for e in found.events if e.kind in states]  # fmt: skip
    else:
        state, at = ("merged", found.merged_at) if found.merged_at else ("closed", found.closed_at)
        event_id = found.native_id * 10 + 1  # one ending per MR, so an id derived from the MR's is unique
        rows = [_state_event(event_id, found.author, at, kind, found.native_id, state, base)] if at else []
    return _paged(request, rows, lambda row: row)


def _label_event(event_id: int, who: Person, at: datetime, kind: str, resource_id: int, label: str, action: str,
                 index: _Index, base: str) -> dict:  # fmt: skip
    colour = LABEL_COLOURS[int(hashlib.sha1(label.encode()).hexdigest(), 16) % len(LABEL_COLOURS)]
    return {
        "id": event_id,
        "user": _user(who, base),
        "created_at": gitlab_time(at),
        "resource_type": _resource(kind),
        "resource_id": resource_id,
        "label": {"id": index.label_ids[label], "name": label, "color": colour, "description": None},
        "action": action,
    }


@_project_route(r"/(?P<kind>issues|merge_requests)/(?P<iid>\d+)/resource_label_events")
def label_events(request: ApiRequest, match: re.Match, index: _Index, repo: Repository) -> ApiResponse:
    """Label adds and removes; labels given at creation are an `add` at the creation instant."""
    kind, base = match["kind"], request.base_url
    found = index.issuable(kind, repo, match["iid"])
    author = found.reporter if isinstance(found, WorkItem) else found.author
    initial = found.initial_labels if isinstance(found, WorkItem) else found.labels
    rows = [_label_event(found.native_id * 100 + n, author, found.created_at, kind, found.native_id, label, "add",
                         index, base) for n, label in enumerate(initial)]  # fmt: skip
    if isinstance(found, WorkItem):
        actions = {LABELED: "add", UNLABELED: "remove"}
        rows += [_label_event(e.id, e.actor, e.at, kind, found.native_id, e.to_value, actions[e.kind], index, base)
                 for e in found.events if e.kind in actions]  # fmt: skip
    return _paged(request, rows, lambda row: row)


# ---------------------------------------------------------------------------------- issue notes
def _assignee_notes(item: WorkItem) -> list[tuple[int, datetime, Person, str]]:
    """The system notes GitLab writes when an issue's assignees change (SystemNotes::IssuablesService):
    `assigned to @new`, `unassigned @old`, or both joined by ` and ` for a reassignment. There is no
    resource event for assignees: these notes are the only history the API gives."""
    notes, current = [], None
    for event in item.events:
        if event.kind != ASSIGNED or event.assignee == current:
            continue
        parts = [f"assigned to @{event.assignee.login}"] if event.assignee else []
        parts += [f"unassigned @{current.login}"] if current else []
        notes.append((event.id, event.at, event.actor, " and ".join(parts)))
        current = event.assignee
    return notes


def issue_notes_of(item: WorkItem) -> list[tuple[int, datetime, Person, str]]:
    """An issue's notes, oldest first: its assignee system notes, and for every third issue an earlier
    "changed the description" one, which readers must leave aside."""
    notes = _assignee_notes(item)
    if item.native_id % 3 == 0:
        notes.append((item.native_id * 10, item.created_at + timedelta(minutes=5), item.reporter,
                      "changed the description"))  # fmt: skip
    return sorted(notes, key=lambda n: (n[1], n[0]))


@_project_route(r"/issues/(?P<iid>\d+)/notes")
def issue_notes(request: ApiRequest, match: re.Match, index: _Index, repo: Repository) -> ApiResponse:
    """An issue's notes (`issue_notes_of`), newest first by default (`sort`, `order_by` created_at | updated_at)."""
    item = index.issuable("issues", repo, match["iid"])
    params = {k: v[-1] for k, v in request.query.items()}
    _choice(params, "order_by", ("created_at", "updated_at"), "created_at")  # notes are never edited here
    descending = _choice(params, "sort", ("asc", "desc"), "desc") == "desc"
    rows = _ordered(issue_notes_of(item), lambda n: n[1], descending, lambda n: n[0])

    def note(row: tuple[int, datetime, Person, str]) -> dict:
        note_id, at, who, body = row
        return {"id": note_id, "type": None, "body": body, "attachment": None, "author": _user(who, request.base_url),
                "created_at": gitlab_time(at), "updated_at": gitlab_time(at), "system": True,
                "noteable_id": item.native_id, "noteable_type": "Issue", "project_id": repo.native_id,
                "resolvable": False, "confidential": False, "internal": False, "imported": False,
                "imported_from": "none", "noteable_iid": item.number, "commands_changes": {}}  # fmt: skip

    return _paged(request, rows, note)


# ---------------------------------------------------------------------------------- merge requests
def _mr_state(pr: PullRequest) -> str:
    return "merged" if pr.merged_at else "closed" if pr.closed_at else "opened"


def _merge_request(pr: PullRequest, index: _Index, base: str) -> dict:
    repo = index.projects[pr.repo]
    state = _mr_state(pr)
    squash = pr.merge_method == "squash"
    merger = _user(pr.author, base) if state == "merged" else None
    reviewers = list({r.reviewer.login: r.reviewer for r in pr.reviews}.values())
    author = _user(pr.author, base)
    return {
        "id": pr.native_id,
        "iid": pr.number,
        "project_id": repo.native_id,
        "title": f"Draft: {pr.title}" if pr.is_draft else pr.title,
        "description": pr.body,
        "state": state,
        "created_at": gitlab_time(pr.created_at),
        "updated_at": gitlab_time(pr.updated_at),
        "merged_by": merger,
        "merge_user": merger,
        "merged_at": gitlab_time(pr.merged_at),
        "closed_by": author if state == "closed" else None,
        "closed_at": gitlab_time(pr.closed_at) if state == "closed" else None,
        "target_branch": pr.base_branch,
        "source_branch": pr.head_branch,
        "user_notes_count": sum(r.state == "COMMENTED" for r in pr.reviews),
        "upvotes": 0,
        "downvotes": 0,
        "author": author,
        "assignees": [author],
        "assignee": author,
        "reviewers": [_user(r, base) for r in reviewers],
        "source_project_id": repo.native_id,
        "target_project_id": repo.native_id,
        "labels": list(pr.labels),
        "draft": pr.is_draft,
        "work_in_progress": pr.is_draft,
        "milestone": None,
        "merge_when_pipeline_succeeds": False,
        "merge_status": "can_be_merged",
        "detailed_merge_status": "mergeable" if state == "opened" else "not_open",
        "sha": pr.head_sha,
        "merge_commit_sha": pr.merge_commit_sha if not squash else None,
        "squash_commit_sha": pr.merge_commit_sha if squash else None,
        "discussion_locked": None,
        "should_remove_source_branch": None,
        "force_remove_source_branch": True,
        "prepared_at": gitlab_time(pr.created_at),
        "reference": f"!{pr.number}",
        "references": {"short": f"!{pr.number}", "relative": f"!{pr.number}", "full": f"{pr.repo}!{pr.number}"},
        "web_url": f"{base}/{pr.repo}/-/merge_requests/{pr.number}",
        "time_stats": {
            "time_estimate": 0,
            "total_time_spent": 0,
            "human_time_estimate": None,
            "human_total_time_spent": None,
        },  # fmt: skip
        "squash": squash,
        "squash_on_merge": squash,
        "task_completion_status": {"count": 0, "completed_count": 0},
        "has_conflicts": False,
        "blocking_discussions_resolved": True,
    }


def _select_merge_requests(index: _Index, path: str, params: dict[str, str]) -> list[PullRequest]:
    state = _choice(params, "state", ("opened", "closed", "merged", "locked", "all"), "all")
    rows = [m for m in index.merge_requests[path] if state == "all" or _mr_state(m) == state]
    rows = _window(rows, params, "updated", lambda m: m.updated_at)
    rows = _window(rows, params, "created", lambda m: m.created_at)
    for name, value in (("source_branch", "head_branch"), ("target_branch", "base_branch")):
        if params.get(name):
            rows = [m for m in rows if getattr(m, value) == params[name]]
    order = _choice(params, "order_by", ("created_at", "updated_at", "title"), "created_at")
    keys = {"created_at": lambda m: m.created_at, "updated_at": lambda m: m.updated_at, "title": lambda m: m.title}
    descending = _choice(params, "sort", ("asc", "desc"), "desc") == "desc"
    return _ordered(rows, keys[order], descending, lambda m: m.native_id)


@_project_route("/merge_requests")
def merge_requests(request: ApiRequest, match: re.Match, index: _Index, repo: Repository) -> ApiResponse:
    """Merge requests; `state`, `updated_after`/`_before`, `created_after`/`_before`, branches."""
    return _list(request, index, repo, _select_merge_requests, _merge_request)


@_project_route(r"/merge_requests/(?P<iid>\d+)")
def merge_request(request: ApiRequest, match: re.Match, index: _Index, repo: Repository) -> ApiResponse:
    """One MR with what only the single view carries: change count, diff refs, head pipeline."""
    pr = index.issuable("merge_requests", repo, match["iid"])
    base = request.base_url
    head = index.head_pipelines.get(pr.head_sha)
    base_sha = hashlib.sha1(f"{pr.repo}!{pr.number}:base".encode()).hexdigest()
    return ApiResponse(200, {
        **_merge_request(pr, index, base),
        "subscribed": False,
        "changes_count": str(pr.changed_files),
        "latest_build_started_at": gitlab_time(head.started_at) if head else None,
        "latest_build_finished_at": gitlab_time(head.finished_at) if head else None,
        "first_deployed_to_production_at": None,
        "pipeline": _pipeline(head, index, base) if head else None,
        "head_pipeline": _pipeline_detail(head, index, base) if head else None,
        "diff_refs": {"base_sha": base_sha, "head_sha": pr.head_sha, "start_sha": base_sha},
        "merge_error": None,
        "first_contribution": False,
        "user": {"can_merge": True},
        "diverged_commits_count": 0,
        "rebase_in_progress": False,
    })  # fmt: skip


def _commit(commit: Commit, parents: list[str], repo: str, base: str) -> dict:
    return {
        "id": commit.sha,
        "short_id": commit.sha[:8],
        "created_at": gitlab_time(commit.committed_at),
        "parent_ids": parents,
        "title": commit.message.splitlines()[0],
        "message": commit.message,
        "author_name": commit.author.name,
        "author_email": commit.author.email,
        "authored_date": gitlab_time(commit.authored_at),
        "committer_name": commit.author.name,
        "committer_email": commit.author.email,
        "committed_date": gitlab_time(commit.committed_at),
        "trailers": {},
        "extended_trailers": {},
        "web_url": f"{base}/{repo}/-/commit/{commit.sha}",
    }


@_project_route(r"/merge_requests/(?P<iid>\d+)/commits")
def merge_request_commits(request: ApiRequest, match: re.Match, index: _Index, repo: Repository) -> ApiResponse:
    """The MR's commits, newest first as `git log` lists them."""
    pr = index.issuable("merge_requests", repo, match["iid"])
    rows = [(c, [pr.commits[n - 1].sha] if n else []) for n, c in enumerate(pr.commits)][::-1]
    return _paged(request, rows, lambda row: _commit(row[0], row[1], pr.repo, request.base_url))


@_project_route(r"/merge_requests/(?P<iid>\d+)/approvals")
def merge_request_approvals(request: ApiRequest, match: re.Match, index: _Index, repo: Repository) -> ApiResponse:
    """Who approved (approval times are in the notes: "approved this merge request")."""
    pr = index.issuable("merge_requests", repo, match["iid"])
    approvers = list({r.reviewer.login: r.reviewer for r in pr.reviews if r.state == "APPROVED"}.values())
    return ApiResponse(200, {
        "id": pr.native_id, "iid": pr.number, "project_id": repo.native_id, "title": pr.title,
        "description": pr.body, "state": _mr_state(pr), "created_at": gitlab_time(pr.created_at),
        "updated_at": gitlab_time(pr.updated_at), "merge_status": "can_be_merged", "approved": bool(approvers),
        "approvals_required": 0, "approvals_left": 0, "require_password_to_approve": False,
        "approved_by": [{"user": _user(p, request.base_url)} for p in approvers],
        "suggested_approvers": [], "approvers": [], "approver_groups": [], "user_has_approved": False,
        "user_can_approve": False, "approval_rules_left": [], "has_approval_rules": False,
        "merge_request_approvers_available": False, "multiple_approval_rules_available": False,
        "invalid_approvers_rules": [],
    })  # fmt: skip


# A review becomes a note: approvals and change requests are system notes, comments are user notes.
REVIEW_NOTES = {
    "APPROVED": ("approved this merge request", True),
    "CHANGES_REQUESTED": ("requested changes", True),
    "COMMENTED": ("Left a few comments on the diff.", False),
}


@_project_route(r"/merge_requests/(?P<iid>\d+)/notes")
def merge_request_notes(request: ApiRequest, match: re.Match, index: _Index, repo: Repository) -> ApiResponse:
    """Reviews as notes, newest first by default (`sort`, `order_by` created_at | updated_at)."""
    pr = index.issuable("merge_requests", repo, match["iid"])
    params = {k: v[-1] for k, v in request.query.items()}
    _choice(params, "order_by", ("created_at", "updated_at"), "created_at")  # notes are never edited here
    descending = _choice(params, "sort", ("asc", "desc"), "desc") == "desc"
    reviews = _ordered(pr.reviews, lambda r: r.submitted_at, descending, lambda r: r.id)

    def note(review) -> dict:
        body, system = REVIEW_NOTES[review.state]
        at = gitlab_time(review.submitted_at)
        return {"id": review.id, "type": None, "body": body, "attachment": None,
                "author": _user(review.reviewer, request.base_url), "created_at": at, "updated_at": at,
                "system": system, "noteable_id": pr.native_id, "noteable_type": "MergeRequest",
                "project_id": repo.native_id, "commit_id": None, "resolvable": False, "confidential": False,
                "internal": False, "imported": False, "imported_from": "none", "noteable_iid": pr.number,
                "commands_changes": {}}  # fmt: skip

    return _paged(request, reviews, note)


# ---------------------------------------------------------------------------------- pipelines
def _pipeline(run: PipelineRun, index: _Index, base: str) -> dict:
    """The list shape: no started_at, finished_at or duration (GET /pipelines/:id has them)."""
    return {
        "id": run.native_id,
        "iid": index.pipeline_iids[run.native_id],
        "project_id": index.projects[run.repo].native_id,
        "sha": run.head_sha,
        "ref": run.branch,
        "status": PIPELINE_STATUS[run.conclusion],
        "source": PIPELINE_SOURCE[run.event],
        "created_at": gitlab_time(run.created_at),
        "updated_at": gitlab_time(run.updated_at),
        "web_url": f"{base}/{run.repo}/-/pipelines/{run.native_id}",
        "name": None,
    }


def _pipeline_detail(run: PipelineRun, index: _Index, base: str) -> dict:
    status = PIPELINE_STATUS[run.conclusion]
    label = STATUS_LABELS[status]
    duration = _seconds(run.started_at, run.finished_at)
    return {
        **_pipeline(run, index, base),
        "before_sha": "0" * 40,
        "tag": False,
        "yaml_errors": None,
        "user": _user(run.actor, base),
        "started_at": gitlab_time(run.started_at),
        "finished_at": gitlab_time(run.finished_at),
        "committed_at": None,
        "duration": int(duration) if duration is not None else None,
        "queued_duration": _seconds(run.created_at, run.started_at),
        "coverage": None,
        "detailed_status": {
            "icon": f"status_{status}",
            "text": label.title(),
            "label": label,
            "group": status,
            "tooltip": label,
            "has_details": True,
            "details_path": f"/{run.repo}/-/pipelines/{run.native_id}",
            "illustration": None,
            "favicon": f"/assets/ci_favicons/favicon_status_{status}.png",
        },
        "archived": False,
    }


def _select_pipelines(index: _Index, path: str, params: dict[str, str]) -> list[PipelineRun]:
    rows = _window(index.pipelines[path], params, "updated", lambda r: r.updated_at)
    if params.get("status"):
        wanted = _choice(params, "status", PIPELINE_STATUSES, "")
        rows = [r for r in rows if PIPELINE_STATUS[r.conclusion] == wanted]
    for name, value in (("ref", lambda r: r.branch), ("sha", lambda r: r.head_sha),
                        ("source", lambda r: PIPELINE_SOURCE[r.event])):  # fmt: skip
        if params.get(name):
            rows = [r for r in rows if value(r) == params[name]]
    order = _choice(params, "order_by", ("id", "status", "ref", "updated_at", "user_id"), "id")
    keys = {"id": lambda r: r.native_id, "status": lambda r: PIPELINE_STATUS[r.conclusion], "ref": lambda r: r.branch,
            "updated_at": lambda r: r.updated_at, "user_id": lambda r: r.actor.numeric_id}  # fmt: skip
    descending = _choice(params, "sort", ("asc", "desc"), "desc") == "desc"
    return _ordered(rows, keys[order], descending, lambda r: r.native_id)


@_project_route("/pipelines")
def pipelines(request: ApiRequest, match: re.Match, index: _Index, repo: Repository) -> ApiResponse:
    """Pipelines, newest first by default; `updated_after`/`_before`, `ref`, `status`, `source`, `sha`."""
    return _list(request, index, repo, _select_pipelines, _pipeline)


@_project_route(r"/pipelines/(?P<pipeline>\d+)")
def pipeline(request: ApiRequest, match: re.Match, index: _Index, repo: Repository) -> ApiResponse:
    run = index.pipeline_ids.get(int(match["pipeline"]))
    if run is None or run.repo != repo.full_name:
        return ApiResponse(404, {"message": "404 Not found"})
    return ApiResponse(200, _pipeline_detail(run, index, request.base_url))


# ---------------------------------------------------------------------------------- deployments
def _deployment_times(d: Deployment) -> tuple[datetime | None, datetime | None]:
    """When the deploy job started running and when it finished (None while it has not)."""
    started = next((s.at for s in d.statuses if s.state == "in_progress"), None)
    finished = d.statuses[-1].at if DEPLOYMENT_STATUS[d.state] in ("success", "failed", "canceled") else None
    return started, finished


def _merge_commit(sha: str, index: _Index, base: str, repo: str) -> dict:
    """The commit a deployment shipped: the merge commit of the MR that produced it."""
    pr = index.merge_commits.get(sha)
    if pr is None:
        return {"id": sha, "short_id": sha[:8], "title": "", "message": "", "web_url": f"{base}/{repo}/-/commit/{sha}"}
    title = f"Merge branch '{pr.head_branch}' into '{pr.base_branch}'"
    merged = Commit(sha, f"{title}\n\n{pr.title}\n\nSee merge request {pr.repo}!{pr.number}", pr.author,
                    pr.merged_at, pr.merged_at)  # fmt: skip
    return _commit(merged, [pr.head_sha], repo, base)


def _deployment(d: Deployment, index: _Index, base: str) -> dict:
    status = DEPLOYMENT_STATUS[d.state]
    started, finished = _deployment_times(d)
    environment = index.environments[(d.repo, d.environment)]
    slug = re.sub(r"[^a-z0-9]+", "-", d.environment.lower()).strip("-")
    job_id = JOB_ID_OFFSET + d.native_id
    run = index.pipeline_ids.get(d.pipeline_id)
    duration = _seconds(started, finished)
    return {
        "id": d.native_id,
        "iid": d.iid,
        "ref": d.ref,
        "sha": d.sha,
        "created_at": gitlab_time(d.created_at),
        "updated_at": gitlab_time(d.updated_at),
        "status": status,
        "user": _user(d.creator, base),
        "environment": _environment_basic(environment, d.repo),
        "deployable": {
            "id": job_id,
            "status": status,
            "stage": "deploy",
            "name": f"deploy_{slug}",
            "ref": d.ref,
            "tag": False,
            "coverage": None,
            "allow_failure": False,
            "created_at": gitlab_time(d.created_at),
            "started_at": gitlab_time(started),
            "finished_at": gitlab_time(finished),
            "duration": duration,
            "queued_duration": _seconds(d.created_at, started),
            "user": _user(d.creator, base),
            "commit": _merge_commit(d.sha, index, base, d.repo),
            "pipeline": _pipeline(run, index, base) if run else None,
            "web_url": f"{base}/{d.repo}/-/jobs/{job_id}",
            "artifacts": [],
            "runner": None,
            "artifacts_expire_at": None,
        },
    }


def _environment_basic(environment: Environment, repo: str) -> dict:
    """GitLab's EnvironmentBasic, as deployments embed it: no state, no tier."""
    slug = re.sub(r"[^a-z0-9]+", "-", environment.name.lower()).strip("-")
    return {
        "id": environment.id,
        "name": environment.name,
        "slug": slug,
        "external_url": f"https://{slug}.{repo.rpartition('/')[2]}.acme.example",
        "created_at": gitlab_time(environment.created_at),
        "updated_at": gitlab_time(environment.updated_at),
    }


def _environment(environment: Environment, repo: str) -> dict:
    """GitLab's Environment, as `/environments` lists it: with its state and deployment tier."""
    return {**_environment_basic(environment, repo), "description": None, "state": "available",
            "tier": environment.tier, "auto_stop_at": None}  # fmt: skip


@_project_route("/environments")
def environments(request: ApiRequest, match: re.Match, index: _Index, repo: Repository) -> ApiResponse:
    """The project's environments, oldest first, with their tier (production, staging, testing, development, other)."""
    rows = sorted((e for (path, _), e in index.environments.items() if path == repo.full_name), key=lambda e: e.id)
    return _paged(request, rows, lambda e: _environment(e, repo.full_name))


def _select_deployments(index: _Index, path: str, params: dict[str, str]) -> list[Deployment]:
    """GitLab's DeploymentsFinder: an `updated_*` filter forces `updated_at` order (ties: newest id first);
    a `finished_*` filter must come with `order_by=finished_at` and `status=success`."""
    by_updated = bool(params.get("updated_after") or params.get("updated_before"))
    by_finished = bool(params.get("finished_after") or params.get("finished_before"))
    order = _choice(params, "order_by", ("id", "iid", "created_at", "updated_at", "finished_at", "ref"), "id")
    descending = _choice(params, "sort", ("asc", "desc"), "asc") == "desc"
    status = _choice(params, "status", DEPLOYMENT_STATUSES, "") if params.get("status") else None
    if by_updated and by_finished:
        raise _bad_request("Both `updated_at` filter and `finished_at` filter can not be specified")
    if by_finished != (order == "finished_at"):
        raise _bad_request("`finished_at` filter and `finished_at` sorting must be paired")
    if by_finished and status != "success":
        raise _bad_request("`finished_at` filter must be combined with `success` status filter.")
    rows = _window(index.deployments[path], params, "updated", lambda d: d.updated_at)
    if status:
        rows = [d for d in rows if DEPLOYMENT_STATUS[d.state] == status]
    if params.get("environment"):
        rows = [d for d in rows if d.environment == params["environment"]]
    finished_after, finished_before = _time(params, "finished_after"), _time(params, "finished_before")
    if finished_after:
        rows = [d for d in rows if _deployment_times(d)[1] >= finished_after]
    if finished_before:
        rows = [d for d in rows if _deployment_times(d)[1] < finished_before]
    if by_updated or order == "updated_at":
        rows = sorted(rows, key=lambda d: d.native_id, reverse=True)
        return sorted(rows, key=lambda d: d.updated_at, reverse=descending)
    keys = {"id": lambda d: d.native_id, "iid": lambda d: d.native_id, "created_at": lambda d: d.native_id,
            "ref": lambda d: d.ref, "finished_at": lambda d: _deployment_times(d)[1]}  # fmt: skip
    return _ordered(rows, keys[order], descending, lambda d: d.native_id)


@_project_route("/deployments")
def deployments(request: ApiRequest, match: re.Match, index: _Index, repo: Repository) -> ApiResponse:
    """Deployments with their environment and deploy job (and its pipeline); statuses GitLab-style."""
    return _list(request, index, repo, _select_deployments, _deployment)


# ---------------------------------------------------------------------------------- the Api
def authenticate(request: ApiRequest, credentials: Credentials) -> ApiResponse | None:
    """A personal access token as `PRIVATE-TOKEN`, or as an OAuth-style Bearer token."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if request.headers.get("private-token") == credentials.gitlab_token:
        return None
    if scheme.lower() == "bearer" and value == credentials.gitlab_token:
        return None
    return ApiResponse(401, {"message": "401 Unauthorized"})


def error(status: int, kind: str) -> ApiResponse:
    """Throttles answer Rack::Attack's plain `Retry later`; a 500 or a refusal is GitLab's JSON message."""
    if kind == "server_error":
        return ApiResponse(status, {"message": "500 Internal Server Error"})
    if kind == "forbidden":
        return ApiResponse(status, {"message": "403 Forbidden"})
    return ApiResponse(status, b"Retry later\n")


def rate_limit_headers(budget: RateBudget) -> dict[str, str]:
    """GitLab's RateLimit-* headers; the reset is epoch seconds, ResetTime the same as an HTTP date."""
    reset = int(budget.reset_at)
    return {
        "RateLimit-Limit": str(budget.limit),
        "RateLimit-Observed": str(budget.used),
        "RateLimit-Remaining": str(budget.remaining),
        "RateLimit-Reset": str(reset),
        "RateLimit-ResetTime": formatdate(reset, usegmt=True),
    }


def not_found(request: ApiRequest) -> ApiResponse:
    return ApiResponse(404, {"error": "404 Not Found"})


API = Api(
    name="gitlab",
    router=ROUTER,
    authenticate=authenticate,
    error=error,
    rate_limit_headers=rate_limit_headers,
    not_found=not_found,
)
