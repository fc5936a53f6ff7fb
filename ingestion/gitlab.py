"""GitLab source: issues and incidents with their state and label events and assignee changes (from
system notes), merge requests with commits, approvals and review notes, pipelines, and deployments
with their environment tier.

Every list is read by `updated_after`, so a nightly run costs requests in proportion to what
changed:
- Per project and list, the cursor is the newest `updated_at` loaded. The next run asks from
  the cursor less `lookback_days` (rows GitLab commits late carry an older `updated_at`), and
  rows already loaded with the same `updated_at` are left out, so only changed ones reach the
  tables and have their children fetched (events, commits, approvals, notes, pipeline detail;
  an issue's notes only when its assignees changed).
- Lists are read newest first. GitLab pages by offset: read oldest first, a row updated during
  the walk moves to the end and shifts an unread row onto a page already read, losing it for
  good. Newest first, the shift repeats a row instead, and the updated row is newer than the
  cursor, so the next run reads it.
Cursors live in dlt resource state, which dlt commits only with the data it describes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import quote

import dlt
from dlt.sources import DltResource

from ingestion import reconcile
from ingestion.api_client import ApiClient, ForbiddenError, NotFoundError, RetryPolicy, SourceError
from ingestion.gitlab_graphql import MAX_PAGE, IssueNotes, MergeRequestChildren, PipelineDetails
from ingestion.rows import nullable_columns, parse_time
from ingestion.scope import ConfiguredScope

log = logging.getLogger("streamgauge.ingestion")

TOKEN_SETTING = "sources.gitlab.access_token (.dlt/secrets.toml) or SOURCES__GITLAB__ACCESS_TOKEN"
PROJECTS_SETTING = "sources.gitlab.projects (.dlt/config.toml) or SOURCES__GITLAB__PROJECTS"
# What the token needs to read each list of a project, and what hangs below its rows.
PERMISSIONS = {
    "issues": "the read_api scope and at least the Guest role",
    "merge_requests": "the read_api scope and at least the Reporter role",
    "pipelines": "the read_api scope and at least the Reporter role",
    "deployments": "the read_api scope and at least the Reporter role",
}
# System notes that are review actions; every other system note ("added 1 commit") is noise.
REVIEW_NOTES = {
    "approved this merge request": "approved",
    "unapproved this merge request": "unapproved",
    "requested changes": "requested_changes",
}


ISSUE_COLUMNS = nullable_columns(
    closed_at="timestamp",
    closed_by__username="text",
    assignee__username="text",
    description="text",
    milestone__title="text",
)
STATE_EVENT_COLUMNS = nullable_columns(source_commit="text", source_merge_request__iid="bigint")
LABEL_EVENT_COLUMNS = nullable_columns(label__name="text")  # null when the label was deleted since
MERGE_REQUEST_COLUMNS = nullable_columns(
    merged_at="timestamp",
    closed_at="timestamp",
    merged_by__username="text",
    merge_user__username="text",
    closed_by__username="text",
    merge_commit_sha="text",
    squash_commit_sha="text",
    description="text",
    milestone__title="text",
)
NOTE_COLUMNS = nullable_columns(review_action="text", type="text")
PIPELINE_COLUMNS = nullable_columns(
    started_at="timestamp",
    finished_at="timestamp",
    duration="bigint",
    queued_duration="double",
    name="text",
    user__username="text",
)
DEPLOYMENT_COLUMNS = nullable_columns(
    finished_at="timestamp",
    deployable__pipeline_id="bigint",
    deployable__started_at="timestamp",
    deployable__finished_at="timestamp",
    environment__tier="text",
)


@dlt.source(name="gitlab", max_table_nesting=1)
def gitlab_source(
    projects: list[str] = dlt.config.value,
    access_token: str = dlt.secrets.value,
    base_url: str = "https://gitlab.com",
    lookback_days: float = 1,
    retry_backoff_seconds: float = 1.0,
    page_size: int = 100,
    reconcile_days: float = 7,
    concurrent_requests: int = 4,
    graphql: bool = True,
) -> list[DltResource]:
    """Every configured project's delivery history.

    `projects` lists full paths (`group/subgroup/project`); `base_url` is `https://gitlab.com`,
    a self-managed instance's `https://HOST`, or the simulator (the source appends `/api/v4`).
    `access_token` is a token with `read_api`, sent as `PRIVATE-TOKEN`. `lookback_days` is how
    far before the cursor each run re-lists, to catch rows committed late (0 turns it off).
    `page_size` is the `per_page` asked for (GitLab's maximum, 100, unless testing paging).
    Every `reconcile_days` the iids of all issues are listed, so that dbt sees deletions.
    `concurrent_requests` is how many of the requests sent per issue or merge request (events,
    notes, commits, approvals) may be in flight at once (1: one after another).
    With `graphql` (the default) the changed merge requests' commits, approvals and notes, the
    new and changed pipelines' detail, and the reassigned issues' notes come through GitLab's GraphQL
    API, up to 100 merge requests or issues, or 20 pipelines, a query (`ingestion.gitlab_graphql`);
    without it, three REST requests per merge request, one per pipeline and one per issue.
    A project that is unknown or not visible is reported in one line and skipped.
    """
    if isinstance(projects, str):
        projects = [p.strip() for p in projects.split(",") if p.strip()]
    if not projects:
        raise SourceError(f"gitlab: no projects configured; set {PROJECTS_SETTING}")
    root = base_url.rstrip("/")
    client = ApiClient(
        "gitlab",
        root if root.endswith("/api/v4") else f"{root}/api/v4",
        {"PRIVATE-TOKEN": access_token},
        TOKEN_SETTING,
        RetryPolicy(backoff_seconds=retry_backoff_seconds),
        page_size=page_size,
        concurrent_requests=concurrent_requests,
        title="GitLab",
    )
    found = ConfiguredScope(client, "projects", PROJECTS_SETTING, projects, _project, "project_path", PERMISSIONS)
    lookback = timedelta(days=lookback_days)
    size = min(page_size, MAX_PAGE)
    children = MergeRequestChildren(client, size, size) if graphql else None
    pipeline_details = PipelineDetails(client) if graphql else None
    issue_notes = IssueNotes(client, size, size) if graphql else None
    issues = _changed(client, found, lookback, "changed_issues", "issues", {"scope": "all"})
    merge_requests = _changed(
        client, found, lookback, "changed_merge_requests", "merge_requests", {"scope": "all", "state": "all"}
    )
    return [
        _projects(found),
        issues,
        issues | _issues,
        issues | _issue_events(client, found, "issue_state_events", "resource_state_events", STATE_EVENT_COLUMNS),
        issues | _issue_events(client, found, "issue_label_events", "resource_label_events", LABEL_EVENT_COLUMNS),
        issues | _issue_assignee_changes(client, found, issue_notes),
        merge_requests,
        merge_requests | _merge_requests,
        merge_requests | _merge_request_commits(client, found, children),
        merge_requests | _merge_request_approvals(client, found, children),
        merge_requests | _merge_request_notes(client, found, children),
        _pipelines(client, found, lookback, pipeline_details),
        _deployments(client, found, lookback),
        reconcile.issue_ids(
            found, timedelta(days=reconcile_days), ("project_path", "iid"), partial(_issue_iids, client), "project_path"
        ),
    ]


TABLES_WRITTEN_BY_OTHER_RESOURCES = reconcile.TABLES_WRITTEN


def _issue_iids(client: ApiClient, path: str) -> Iterator[list[dict]]:
    """The iid of every issue of the project, a page at a time."""
    for page in client.pages(f"{_api_path(path)}/issues", {"scope": "all", "per_page": client.page_size}):
        yield [{"project_path": path, "iid": row["iid"]} for row in page.json()]


def _project(client: ApiClient, path: str) -> dict:
    row = client.get(_api_path(path), what=f"project {path}").json()
    keys = ("id", "path_with_namespace", "default_branch", "web_url")
    return {**{key: row.get(key) for key in keys}, "project_path": row["path_with_namespace"]}


def _projects(found: ConfiguredScope) -> DltResource:
    @dlt.resource(name="projects", primary_key="id", write_disposition="merge")
    def projects() -> Iterator[list[dict]]:
        yield [_slim(row) for row in found.rows]

    return projects


# ---------------------------------------------------------------------- incremental lists
def _changed(
    client: ApiClient, found: ConfiguredScope, lookback: timedelta, name: str, resource: str, params: dict
) -> DltResource:
    """Every issue or merge request updated since the last run; feeds the tables below, loads nothing itself."""

    @dlt.resource(name=name, selected=False)
    def changed() -> Iterator[list[dict]]:
        yield from _updated_rows(client, found, lookback, resource, params)

    return changed


def _updated_rows(
    client: ApiClient, found: ConfiguredScope, lookback: timedelta, resource: str, params: dict
) -> Iterator[list[dict]]:
    """Pages of a project list's rows changed since the calling resource's cursor, each with `project_path`.

    `updated_after` is inclusive and re-reads a lookback, so the resource state remembers the
    `updated_at` of every row within the lookback of the cursor: those rows come back unchanged
    and are left out. State changes only after a project's whole list has been read.
    """
    state = dlt.current.resource_state()
    cursors = state.setdefault("updated_after", {})
    loaded = state.setdefault("loaded_at", {})

    def changed_in(path: str) -> Iterator[list[dict]]:
        query = {**params, "order_by": "updated_at", "sort": "desc", "per_page": client.page_size}
        if path in cursors:
            query["updated_after"] = _gitlab_time(parse_time(cursors[path]) - lookback)
        known = loaded.get(path, {})
        listed: dict[str, str] = {}
        dated: list[datetime] = []  # `updated_at` of the rows not dated after the run began
        for page in client.pages(f"{_api_path(path)}/{resource}", query, what=f"project {path}"):
            rows = page.json()
            listed.update((str(row["id"]), row["updated_at"]) for row in rows)
            for row in rows:
                if not client.is_future(
                    row["updated_at"], f"{resource[:-1].replace('_', ' ')} {row.get('iid', row['id'])} of {path}"
                ):
                    dated.append(parse_time(row["updated_at"]))
            changed = [dict(row, project_path=path) for row in rows if known.get(str(row["id"])) != row["updated_at"]]
            if changed:
                yield changed
        if dated:
            newest = min(max(dated), client.cursor_limit())
            cursors[path] = _gitlab_time(newest)
            loaded[path] = {key: stamp for key, stamp in listed.items() if parse_time(stamp) >= newest - lookback}

    for path in found.names:
        yield from found.readable(path, resource, changed_in(path))


# ---------------------------------------------------------------------- issues
@dlt.transformer(name="issues", primary_key="id", write_disposition="merge", columns=ISSUE_COLUMNS)
def _issues(rows: list[dict]) -> Iterator[list[dict]]:
    yield [_slim(row) for row in rows]


def _issue_events(client: ApiClient, found: ConfiguredScope, name: str, endpoint: str, columns: dict) -> DltResource:
    """An issue's whole list of state or label events, read again whenever the issue changed."""

    @dlt.transformer(name=name, primary_key="id", write_disposition="merge", columns=columns)
    def issue_events(rows: list[dict]) -> Iterator[list[dict]]:
        def events_of(row: dict) -> list[dict]:
            path = f"{_api_path(row['project_path'])}/issues/{row['iid']}/{endpoint}"
            return [
                _slim(dict(event, project_path=row["project_path"], issue_iid=row["iid"]))
                for page in _child_pages(client, found, row, "issues", path, {"per_page": client.page_size})
                for event in page
            ]

        yield from filter(None, client.each(rows, events_of))

    return issue_events


def _issue_assignee_changes(client: ApiClient, found: ConfiguredScope, notes: IssueNotes | None) -> DltResource:
    """Who was assigned or unassigned, and when, from the issue's assignee system notes.

    GitLab exposes no resource event for assignees (label, state, milestone, weight and iteration
    events only): the notes GitLab writes on every change ("assigned to @a", "unassigned @b", both
    joined by " and " for a reassignment) are the history. One row per person named in a note.
    The notes are read only for a changed issue whose assignees differ from those it had when it
    was last loaded (resource state keeps them per issue), so a nightly run pays one request per
    reassigned issue, not per changed one; an issue handed on and back between two runs shows the
    same assignees and is missed until its next reassignment. With `notes`, the notes of a page's
    reassigned issues come by GraphQL, up to 100 issues a query.
    """

    @dlt.transformer(
        name="issue_assignee_changes", primary_key=("note_id", "action", "username"), write_disposition="merge"
    )
    def issue_assignee_changes(rows: list[dict]) -> Iterator[list[dict]]:
        known = dlt.current.resource_state().setdefault("assignees", {})
        reassigned = [row for row in rows if known.get(str(row["id"]), "") != _assignee_ids(row)]

        def changes_of(row: dict) -> list[dict] | None:
            """The row's assignee changes; None when its notes could not be read."""
            path = f"{_api_path(row['project_path'])}/issues/{row['iid']}/notes"
            params = {"order_by": "created_at", "sort": "asc", "per_page": client.page_size}
            pages = list(_child_pages(client, found, row, "issues", path, params))
            return _changes_in([note for page in pages for note in page], row) if pages else None

        if notes is None:
            read = zip(reassigned, client.each(reassigned, changes_of), strict=True)
        else:  # an issue deleted since it was listed is left out, and stays unknown
            answered = _by_graphql(found, "issues", reassigned, notes.of) if reassigned else []
            read = ((row, _changes_in(got, row)) for row, got in answered)
        for row, changes in read:
            if changes is not None:
                known[str(row["id"])] = _assignee_ids(row)
            if changes:
                yield changes

    return issue_assignee_changes


def _changes_in(notes: list[dict], issue: dict) -> list[dict]:
    """The assignee changes the issue's system notes tell."""
    return [change for note in notes if note.get("system") for change in _assignee_changes(note, issue)]


def _assignee_ids(issue: dict) -> str:
    return ",".join(sorted(str(user["id"]) for user in issue.get("assignees") or []))


ASSIGNEE_NOTE = re.compile(
    r"^(?:re)?assigned to (?P<assigned>.+?)(?: and unassigned (?P<unassigned>.+))?$|^unassigned (?P<only>.+)$"
)
MENTION = re.compile(r"@([A-Za-z0-9_][A-Za-z0-9_.-]*)")


def _assignee_changes(note: dict, issue: dict) -> list[dict]:
    """The people an assignee system note assigned and unassigned, a row each (unassignments first, so
    a reassignment reads old → new). "removed assignee" names nobody and gives no row."""
    found = ASSIGNEE_NOTE.match((note.get("body") or "").strip())
    if not found:
        return []
    assigned = (found["assigned"] or "").split(" additionally to ")[0]  # older notes name the ones kept too
    named = [("unassigned", MENTION.findall(found["unassigned"] or found["only"] or ""))]
    named.append(("assigned", MENTION.findall(assigned)))
    base = {
        "note_id": note["id"],
        "project_path": issue["project_path"],
        "issue_iid": issue["iid"],
        "issue_id": issue["id"],
        "created_at": note.get("created_at"),
        "author": _user(note["author"]) if note.get("author") else None,
    }
    return [
        _slim({**base, "action": action, "username": username, "position": position})
        for position, (action, username) in enumerate((a, u) for a, users in named for u in users)
    ]


# ---------------------------------------------------------------------- merge requests
@dlt.transformer(name="merge_requests", primary_key="id", write_disposition="merge", columns=MERGE_REQUEST_COLUMNS)
def _merge_requests(rows: list[dict]) -> Iterator[list[dict]]:
    yield [_slim(row) for row in rows]


def _merge_request_commits(
    client: ApiClient, found: ConfiguredScope, children: MergeRequestChildren | None
) -> DltResource:
    @dlt.transformer(
        name="merge_request_commits",
        primary_key=("project_path", "merge_request_iid", "sha"),
        write_disposition="merge",
    )
    def merge_request_commits(rows: list[dict]) -> Iterator[list[dict]]:
        listed = _listed_below(client, found, children, rows, "commits")
        commits = [_commit(commit, row["project_path"], row["iid"]) for row, below in listed for commit in below]
        if commits:
            yield commits

    return merge_request_commits


def _merge_request_approvals(
    client: ApiClient, found: ConfiguredScope, children: MergeRequestChildren | None
) -> DltResource:
    """Who approved each changed MR, a row per approver; the merge key drops revoked approvals."""

    @dlt.transformer(
        name="merge_request_approvals",
        primary_key=("project_path", "merge_request_iid", "user_id"),
        merge_key=("project_path", "merge_request_iid"),
        write_disposition="merge",
    )
    def merge_request_approvals(rows: list[dict]) -> Iterator[list[dict]]:
        approvals = [
            {
                "project_path": row["project_path"],
                "merge_request_iid": row["iid"],
                "merge_request_id": row["id"],
                "user_id": approver["user"]["id"],
                "username": approver["user"]["username"],
            }
            for row, below in _listed_below(client, found, children, rows, "approved_by")
            for approver in below
        ]
        if approvals:
            yield approvals

    return merge_request_approvals


def _merge_request_notes(
    client: ApiClient, found: ConfiguredScope, children: MergeRequestChildren | None
) -> DltResource:
    """Review activity: comments by anyone but the author, and approval/change-request system notes.

    Bodies stay out (they can hold anything); `review_action` names what a system note did.
    """

    @dlt.transformer(name="merge_request_notes", primary_key="id", write_disposition="merge", columns=NOTE_COLUMNS)
    def merge_request_notes(rows: list[dict]) -> Iterator[list[dict]]:
        notes = [
            _note(note, row)
            for row, below in _listed_below(client, found, children, rows, "notes")
            for note in below
            if _is_review(note, (row.get("author") or {}).get("id"))
        ]
        if notes:
            yield notes

    return merge_request_notes


# What each child list of a merge request is below it in REST, and the query parameters asked there.
MERGE_REQUEST_CHILDREN = {
    "commits": ("commits", {}),
    "approved_by": ("approvals", None),
    "notes": ("notes", {"order_by": "created_at", "sort": "asc"}),
}


def _listed_below(
    client: ApiClient, found: ConfiguredScope, children: MergeRequestChildren | None, rows: list[dict], kind: str
) -> list[tuple[dict, list[dict]]]:
    """Each changed merge request of a page (one project's) with its `kind` list (a field of `Children`), as
    REST gives it: by one GraphQL query per 100 merge requests, or by REST requests, `concurrent_requests` at
    a time. A merge request deleted since it was listed gets none."""
    if children is not None:
        return [(row, getattr(got, kind)) for row, got in _by_graphql(found, "merge_requests", rows, children.of)]
    endpoint, params = MERGE_REQUEST_CHILDREN[kind]

    def listed(row: dict) -> list[dict]:
        path = f"{_api_path(row['project_path'])}/merge_requests/{row['iid']}/{endpoint}"
        query = None if params is None else {**params, "per_page": client.page_size}
        pages = _child_pages(client, found, row, "merge_requests", path, query)
        return [below for page in pages for below in ((page.get(kind) or []) if isinstance(page, dict) else page)]

    return list(zip(rows, client.each(rows, listed), strict=True))


def _is_review(note: dict, mr_author: int | None) -> bool:
    if note.get("system"):
        return note.get("body") in REVIEW_NOTES
    return (note.get("author") or {}).get("id") != mr_author


def _note(note: dict, mr: dict) -> dict:
    row = {
        key: note.get(key)
        for key in ("id", "type", "system", "resolvable", "internal", "author", "created_at", "updated_at")
    }
    row.update(
        project_path=mr["project_path"],
        merge_request_iid=mr["iid"],
        merge_request_id=mr["id"],
        review_action=REVIEW_NOTES.get(note.get("body", "")) if note.get("system") else "commented",
    )
    return _slim(row)


def _commit(commit: dict, project_path: str, iid: int) -> dict:
    return _slim(
        {
            "project_path": project_path,
            "merge_request_iid": iid,
            "sha": commit["id"],
            "title": commit.get("title"),
            "message": commit.get("message"),
            "author_name": commit.get("author_name"),
            "author_email": commit.get("author_email"),
            "authored_at": commit.get("authored_date"),
            "committer_name": commit.get("committer_name"),
            "committed_at": commit.get("committed_date"),
            "parent_count": len(commit["parent_ids"]) if "parent_ids" in commit else None,  # not in GraphQL
        }
    )


# ---------------------------------------------------------------------- CI and deployments
def _pipelines(
    client: ApiClient, found: ConfiguredScope, lookback: timedelta, details: PipelineDetails | None
) -> DltResource:
    """Pipelines, with the detail (start, finish, durations) fetched for the new and changed only: by
    GraphQL, 20 a query, or by REST, a request each."""

    @dlt.resource(name="pipelines", primary_key="id", write_disposition="merge", columns=PIPELINE_COLUMNS)
    def pipelines() -> Iterator[list[dict]]:
        for rows in _updated_rows(client, found, lookback, "pipelines", {}):
            if details is not None:
                answered = _by_graphql(found, "pipelines", rows, details.of)
                detailed = [_slim({**row, **detail}) for row, detail in answered]
            else:
                detailed = [
                    _slim(dict(detail, project_path=row["project_path"]))
                    for row in rows
                    for detail in _child_pages(
                        client, found, row, "pipelines", f"{_api_path(row['project_path'])}/pipelines/{row['id']}", None
                    )
                ]
            if detailed:
                yield detailed

    return pipelines


def _by_graphql(
    found: ConfiguredScope, resource: str, rows: list[dict], read: Callable[[str, list[int]], dict[int, Any]]
) -> list[tuple[dict, Any]]:
    """Each listed row of a page (one project's) with what `read(project, iids)` answered for it by GraphQL;
    a row deleted since it was listed is left out, and none once the project refuses `resource`."""
    path = rows[0]["project_path"]

    def answered() -> Iterator[tuple[dict, Any]]:
        got = read(path, [row["iid"] for row in rows])
        yield from ((row, got[row["iid"]]) for row in rows if row["iid"] in got)

    return list(found.readable(path, resource, answered()))


def _deployments(client: ApiClient, found: ConfiguredScope, lookback: timedelta) -> DltResource:
    """Deployments, each with its environment's tier.

    The list embeds the environment without its tier (`EnvironmentBasic`); `/environments` has
    it. The tiers are kept in resource state per project and environment id, and the
    environments are listed again only when a deployment names one not seen before: once per
    project on the first run, then only for a new environment.
    """

    @dlt.resource(name="deployments", primary_key="id", write_disposition="merge", columns=DEPLOYMENT_COLUMNS)
    def deployments() -> Iterator[list[dict]]:
        tiers = dlt.current.resource_state().setdefault("environment_tiers", {})
        for rows in _updated_rows(client, found, lookback, "deployments", {}):
            path = rows[0]["project_path"]
            known = tiers.setdefault(path, {})
            named = {str(row["environment"]["id"]) for row in rows if (row.get("environment") or {}).get("id")}
            if named - known.keys():
                listed = _environment_tiers(client, path)
                known.update({key: None for key in named})  # an environment deleted since stays unknown
                known.update(listed)
            yield [_deployment(row, known) for row in rows]

    return deployments


def _environment_tiers(client: ApiClient, path: str) -> dict[str, str | None]:
    """The tier of each environment of the project, by id; none when the token may not list them."""
    try:
        return {
            str(environment["id"]): environment.get("tier")
            for page in client.pages(f"{_api_path(path)}/environments", {"per_page": client.page_size})
            for environment in page.json()
        }
    except (NotFoundError, ForbiddenError) as error:
        log.warning("%s; deployments of %s get no environment tier (production is then told by name)", error, path)
        return {}


def _deployment(row: dict, tiers: dict[str, str | None]) -> dict:
    """The deployment flat: its environment (with the tier `/environments` gives) and deploy job cut
    to what DORA needs. GitLab's deployment has no `finished_at` of its own: its job's is kept."""
    environment = row.get("environment") or {}
    job = row.get("deployable") or {}
    keys = ("id", "iid", "ref", "sha", "status", "created_at", "updated_at", "finished_at", "user", "project_path")
    tier = environment.get("tier") or tiers.get(str(environment.get("id")))
    return _slim(
        {
            **{key: row.get(key) for key in keys},
            "environment": {"id": environment.get("id"), "name": environment.get("name"), "tier": tier},
            "deployable": {
                **{key: job.get(key) for key in ("id", "name", "status", "started_at", "finished_at")},
                "pipeline_id": (job.get("pipeline") or {}).get("id"),
            },
        }
    )


# ---------------------------------------------------------------------- helpers
def _api_path(project: str) -> str:
    """`/projects/:id` with the full path URL-encoded, as GitLab takes it (`acme%2Fdata%2Fpipeline`)."""
    return f"/projects/{quote(project, safe='')}"


def _child_pages(
    client: ApiClient, found: ConfiguredScope, row: dict, resource: str, path: str, params: dict | None
) -> Iterator[Any]:
    """The pages below one listed row of `resource`. A row deleted since it was listed is skipped with a
    warning; what the project refuses is skipped there (`ConfiguredScope.readable`) and comes with the
    row's next change, as the row has left the list's cursor."""

    def pages() -> Iterator[Any]:
        try:
            for page in client.pages(path, params):
                yield page.json()
        except NotFoundError as error:
            log.warning("%s; it was deleted since it was listed, skipped", error)

    return found.readable(row["project_path"], resource, pages())


def _slim(row: dict) -> dict:
    """Drop what analysts never need and would only widen tables: links, rendered stats, avatars,
    nulls (a column that matters is declared in the resource's column hints instead)."""
    slim = {}
    for key, value in row.items():
        if value is None or key in DROPPED:
            continue
        if isinstance(value, dict) and "username" in value:
            value = _user(value)
        elif key in NESTED_KEPT and isinstance(value, dict):
            value = {k: value[k] for k in NESTED_KEPT[key] if value.get(k) is not None}
        elif isinstance(value, dict):  # one level only: deeper objects would land as JSON blobs
            value = {k: v for k, v in value.items() if v is not None and not isinstance(v, dict | list)}
        elif key in ("assignees", "reviewers") and isinstance(value, list):
            value = [_user(u) for u in value]
        elif key == "labels" and isinstance(value, list):
            value = [{"name": label["name"]} if isinstance(label, dict) else {"name": label} for label in value]
        slim[key] = value
    return slim


DROPPED = {"_links", "time_stats", "task_completion_status", "references", "avatar_url", "detailed_status"}
# Nested objects cut to their identity: a closing MR or a label would otherwise add dozens of columns.
NESTED_KEPT = {
    "source_merge_request": ("id", "iid", "project_id"),
    "label": ("id", "name"),
    "milestone": ("id", "iid", "title", "due_date"),
}


def _user(user: dict) -> dict:
    return {"id": user.get("id"), "username": user.get("username")}


def _gitlab_time(value: datetime) -> str:
    """UTC with milliseconds, as GitLab renders `updated_at`."""
    utc = value.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
