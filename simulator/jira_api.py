"""Jira Cloud REST v3, served from the simulated organisation.

The replies follow Atlassian's documented shapes and the habits that trip sources up:
`/search/jql` pages with an opaque `nextPageToken` and no `total`, refuses unbounded JQL,
returns only issue ids unless fields are asked for, and embeds only the 40 newest changelog
histories without saying it dropped any (JRACLOUD-96459). Every timestamp is rendered in the
API user's time zone (`Org.jira_timezone`) with its real, DST-correct offset, and JQL dates are
read in that zone.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

from simulator.api import Api, Credentials, RateBudget
from simulator.model import ASSIGNED, FLAGGED, STATUS, UNFLAGGED, JiraProject, Org, Person, WorkItem
from simulator.routing import ApiRequest, ApiResponse, Router, per_org

EMBEDDED_HISTORIES = 40  # what search/jql embeds per issue with expand=changelog
SEARCH_DEFAULT_RESULTS = 50
SEARCH_MAX_WITH_FIELDS = 100  # fields or changelog asked for
SEARCH_MAX_IDS_ONLY = 5000
CHANGELOG_MAX_RESULTS = 100
BULK_MAX_ISSUES = 1000
BULK_MAX_RESULTS = 1000

UNBOUNDED_JQL = "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."
BAD_TOKEN = "The provided nextPageToken is invalid or was issued for a different query."
ISSUE_NOT_FOUND = "Issue does not exist or you do not have permission to see it."
BAD_DATE = (
    "Date value '{value}' for field '{field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', "
    "'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'."
)

# Status category key → (id, name, colour), as GET /statuscategory lists them.
STATUS_CATEGORIES = {
    "undefined": (1, "No Category", "medium-gray"),
    "new": (2, "To Do", "blue-gray"),
    "done": (3, "Done", "green"),
    "indeterminate": (4, "In Progress", "yellow"),
}
ISSUE_TYPE_IDS = {"Story": "10001", "Task": "10002", "Bug": "10004", "Incident": "10005"}
PRIORITY_IDS = {"Highest": "1", "High": "2", "Medium": "3", "Low": "4", "Lowest": "5"}
RESOLUTION_IDS = {"Done": "10000", "Won't Do": "10001"}
FLAG_OPTION_ID = "10019"  # the Flagged field's single option, "Impediment"
MOVE_HISTORY_IDS = 8_000_000_000  # history ids of project moves: above every event's
LEGACY_DAYS = timedelta(days=30)  # histories this young in the organisation keep the Jira Server shape
ISSUE_EXPAND = "operations,versionedRepresentations,editmeta,changelog,renderedFields"

ROUTER = Router()


# ---------------------------------------------------------------------------------- rendering helpers
def jira_time(moment: datetime, zone: ZoneInfo) -> str:
    """`2024-01-02T10:00:00.000+0100`: milliseconds and the offset `zone` has at that instant."""
    local = moment.astimezone(zone)
    return local.strftime("%Y-%m-%dT%H:%M:%S.") + f"{local.microsecond // 1000:03d}" + local.strftime("%z")


def account_id(person: Person) -> str:
    """A stable 24-hex-digit Atlassian account id for a simulated person."""
    return hashlib.sha1(person.login.encode()).hexdigest()[:24]


def _user(person: Person, base: str) -> dict:
    account = account_id(person)
    return {
        "self": f"{base}/rest/api/3/user?accountId={account}",
        "accountId": account,
        "emailAddress": person.email,
        "avatarUrls": {"48x48": f"{base}/secure/useravatar?size=large&ownerId={account}"},
        "displayName": person.name,
        "active": True,
        "timeZone": person.timezone,
        "accountType": "app" if person.is_bot else "atlassian",
    }


def _legacy_user(person: Person, base: str) -> dict:
    """A user as histories from before Atlassian's account ids carry them: a username `name` and `key`."""
    return {
        "self": f"{base}/rest/api/2/user?username={person.login}",
        "name": person.login,
        "key": person.login,
        "displayName": person.name,
        "active": True,
    }


def _errors(status: int, *messages: str) -> ApiResponse:
    return ApiResponse(status, {"errorMessages": list(messages), "errors": {}})


def _change(field_name: str, fieldtype: str, field_id: str, old, old_text, new, new_text) -> dict:
    return {
        "field": field_name,
        "fieldtype": fieldtype,
        "fieldId": field_id,
        "from": old,
        "fromString": old_text,
        "to": new,
        "toString": new_text,
    }


# ---------------------------------------------------------------------------------- the per-org index
@dataclass(frozen=True)
class History:
    """One changelog entry: the events of one item made at one instant by one person."""

    id: str
    at: datetime
    author: Person
    items: tuple[dict, ...]


@dataclass(frozen=True)
class IssueState:
    """What replaying an item's events gives: its changelog and its resolution fields."""

    histories: tuple[History, ...]
    resolution: str | None
    resolved_at: datetime | None
    category_changed_at: datetime


@dataclass(eq=False)
class _Index:
    """Lookups built once per organisation, so each request is dictionary hits and slices."""

    org: Org
    projects: dict[str, JiraProject]  # by lower-case key, id and name
    issues: dict[str, WorkItem]  # by key and by id
    by_project: dict[str, list[WorkItem]]  # project key → items
    updated: dict[int, datetime]  # item id → updated
    status_ids: dict[str, str]  # status name → id
    status_projects: dict[str, list[JiraProject]]  # status name → projects whose workflow uses it
    zone: ZoneInfo  # the API user's time zone: timestamps are rendered and JQL dates read in it
    _states: dict[int, IssueState] = field(default_factory=dict)

    @classmethod
    def build(cls, org: Org) -> _Index:
        items = [i for i in org.work_items if i.source == "jira"]
        projects: dict[str, JiraProject] = {}
        for project in org.jira_projects:
            for name in (project.key, str(project.native_id), project.name):
                projects[name.lower()] = project
        by_project: dict[str, list[WorkItem]] = {p.key: [] for p in org.jira_projects}
        for item in items:
            by_project.setdefault(item.container, []).append(item)
        status_projects = {
            name: [p for p in org.jira_projects if name in p.statuses.values()] for name in org.jira_statuses
        }
        return cls(
            org=org,
            projects=projects,
            # An old key still finds a moved issue, as Jira redirects it.
            issues={
                **{f"{i.moved_from[0]}-{i.moved_from[1]}": i for i in items if i.moved_from},
                **{i.key: i for i in items},
                **{str(i.native_id): i for i in items},
            },
            by_project=by_project,
            updated={i.native_id: i.updated_at for i in items},
            status_ids={name: str(10000 + n) for n, name in enumerate(sorted(org.jira_statuses))},
            status_projects=status_projects,
            zone=ZoneInfo(org.jira_timezone),
        )

    def time(self, moment: datetime) -> str:
        return jira_time(moment, self.zone)

    def project(self, value: str) -> JiraProject | None:
        return self.projects.get(value.lower())

    def state(self, item: WorkItem) -> IssueState:
        """The item's replayed state, computed on first use (a long walk reuses it page after page)."""
        state = self._states.get(item.native_id)
        if state is None:
            state = self._states[item.native_id] = _replay(item, self)
        return state

    def resolution(self, project: JiraProject, status: str | None) -> str | None:
        """Jira sets a resolution on entering a done-category status: Won't Do for the cancel status."""
        if self.org.jira_statuses.get(status) != "done":
            return None
        return "Won't Do" if status == project.statuses.get("canceled") else "Done"


# The organisation's index, built on its first request; a clock move serves a new Org.
_index = per_org(_Index.build)


def _replay(item: WorkItem, index: _Index) -> IssueState:
    """Walk the events in order, grouping those of one instant and actor into one history."""
    project = index.project(item.container)
    status = item.initial_status
    resolution = index.resolution(project, status)
    resolved_at = item.created_at if resolution else None
    category_changed_at = item.created_at
    assignee: Person | None = None
    histories = []
    events = sorted(item.events, key=lambda e: (e.at, e.id))
    for (at, _), group in groupby(events, key=lambda e: (e.at, e.actor.login)):
        group = list(group)
        items: list[dict] = []
        for event in group:
            if event.kind == STATUS:
                new_resolution = index.resolution(project, event.to_value)
                if new_resolution != resolution:
                    items.append(_change(
                        "resolution", "jira", "resolution",
                        RESOLUTION_IDS.get(resolution), resolution, RESOLUTION_IDS.get(new_resolution), new_resolution,
                    ))  # fmt: skip
                    resolved_at = at if new_resolution else None
                    resolution = new_resolution
                items.append(_change(
                    "status", "jira", "status",
                    index.status_ids[event.from_value], event.from_value,
                    index.status_ids[event.to_value], event.to_value,
                ))  # fmt: skip
                if index.org.jira_statuses[event.from_value] != index.org.jira_statuses[event.to_value]:
                    category_changed_at = at
                status = event.to_value
            elif event.kind in (FLAGGED, UNFLAGGED):
                option = f"[{FLAG_OPTION_ID}]"
                flagged = event.kind == FLAGGED
                items.append(_change(
                    "Flagged", "custom", index.org.flagged_field,
                    None if flagged else option, None if flagged else "Impediment",
                    option if flagged else None, "Impediment" if flagged else None,
                ))  # fmt: skip
            elif event.kind == ASSIGNED:
                old = account_id(assignee) if assignee else None
                new = account_id(event.assignee) if event.assignee else None
                change = _change(
                    "assignee", "jira", "assignee",
                    old, assignee.name if assignee else None, new, event.assignee.name if event.assignee else None,
                )  # fmt: skip
                items.append({**change, "tmpFromAccountId": old, "tmpToAccountId": new})
                assignee = event.assignee
        if items:
            histories.append(History(str(group[0].id), at, group[0].actor, tuple(items)))
    if item.moved_from:
        histories.append(_move(item, index))
        histories.sort(key=lambda h: (h.at, int(h.id)))
    return IssueState(tuple(histories), resolution, resolved_at, category_changed_at)


def _move(item: WorkItem, index: _Index) -> History:
    """The history Jira writes when an issue moves to another project: its Key and project change."""
    old_key, old_number, at = item.moved_from
    old, new = index.project(old_key), index.project(item.container)
    items = (
        _change("Key", "jira", "issuekey", None, f"{old_key}-{old_number}", None, item.key),
        _change("project", "jira", "project", str(old.native_id), old.name, str(new.native_id), new.name),
    )
    return History(str(MOVE_HISTORY_IDS + item.native_id), at, item.reporter, items)


# ---------------------------------------------------------------------------------- issue shapes
def _status(name: str, index: _Index, base: str) -> dict:
    status_id = index.status_ids[name]
    return {
        "self": f"{base}/rest/api/3/status/{status_id}",
        "description": "",
        "iconUrl": f"{base}/images/icons/statuses/generic.png",
        "name": name,
        "untranslatedName": name,
        "id": status_id,
        "statusCategory": _category(index.org.jira_statuses[name], base),
    }


def _category(key: str, base: str) -> dict:
    category_id, name, colour = STATUS_CATEGORIES[key]
    return {"self": f"{base}/rest/api/3/statuscategory/{category_id}", "id": category_id, "key": key,
            "colorName": colour, "name": name}  # fmt: skip


def _project(project: JiraProject, base: str) -> dict:
    return {
        "self": f"{base}/rest/api/3/project/{project.native_id}",
        "id": str(project.native_id),
        "key": project.key,
        "name": project.name,
        "projectTypeKey": "software",
        "simplified": False,
        "avatarUrls": {"48x48": f"{base}/rest/api/3/universal_avatar/view/type/project/avatar/{project.native_id}"},
    }


def _description(text: str) -> dict:
    """Jira v3 answers descriptions in Atlassian Document Format: one paragraph per block of text."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": p}]} for p in paragraphs],
    }


def _fields(item: WorkItem, index: _Index, base: str) -> dict:
    """Every field this simulator knows, keyed by field id."""
    state = index.state(item)
    project = index.project(item.container)
    status = item.status
    resolution = state.resolution
    flag = {"self": f"{base}/rest/api/3/customFieldOption/{FLAG_OPTION_ID}", "value": "Impediment",
            "id": FLAG_OPTION_ID}  # fmt: skip
    return {
        "summary": item.title,
        "description": _description(item.body),
        "issuetype": {
            "self": f"{base}/rest/api/3/issuetype/{ISSUE_TYPE_IDS[item.issue_type]}",
            "id": ISSUE_TYPE_IDS[item.issue_type],
            "name": item.issue_type,
            "subtask": False,
            "hierarchyLevel": 0,
        },
        "status": _status(status, index, base),
        "statuscategorychangedate": index.time(state.category_changed_at),
        "created": index.time(item.created_at),
        "updated": index.time(index.updated[item.native_id]),
        "resolutiondate": index.time(state.resolved_at) if state.resolved_at else None,
        "resolution": {
            "self": f"{base}/rest/api/3/resolution/{RESOLUTION_IDS[resolution]}",
            "id": RESOLUTION_IDS[resolution],
            "description": "",
            "name": resolution,
        } if resolution else None,
        "labels": item.labels,
        "priority": {
            "self": f"{base}/rest/api/3/priority/{PRIORITY_IDS[item.priority]}",
            "iconUrl": f"{base}/images/icons/priorities/{item.priority.lower()}.svg",
            "name": item.priority,
            "id": PRIORITY_IDS[item.priority],
        },
        "assignee": _user(item.assignee, base) if item.assignee else None,
        "reporter": _user(item.reporter, base),
        "creator": _user(item.reporter, base),
        "project": _project(project, base),
        index.org.flagged_field: [flag] if item.is_flagged else None,
    }  # fmt: skip


def field_ids(org: Org) -> frozenset[str]:
    """The ids `*all` and `*navigable` stand for."""
    return frozenset((
        "summary", "description", "issuetype", "status", "statuscategorychangedate", "created", "updated",
        "resolutiondate", "resolution", "labels", "priority", "assignee", "reporter", "creator", "project",
        org.flagged_field,
    ))  # fmt: skip


def _requested_fields(values: list[str], org: Org) -> frozenset[str] | None:
    """The field ids a `fields` list asks for (`*all`, `*navigable`, `-id` exclusions); None if absent."""
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    if not names:
        return None
    chosen: set[str] = set()
    for name in names:
        if name in ("*all", "*navigable"):
            chosen |= field_ids(org)
        elif not name.startswith("-"):
            chosen.add(name)
    return frozenset(chosen - {name[1:] for name in names if name.startswith("-")})


def _history(history: History, index: _Index, base: str, epoch_created: bool = False) -> dict:
    """A history as Jira answers it. Those made in the organisation's first LEGACY_DAYS keep the shape
    of histories migrated from Jira Server: the author as `{name, key}` without an accountId, items
    without `fieldId`. `epoch_created`: `created` as epoch milliseconds, as the bulk fetch's
    published example writes it (a number where its schema says date-time)."""
    created: str | int = index.time(history.at)
    if epoch_created:
        created = round(history.at.timestamp() * 1000)
    if history.at < index.org.start + LEGACY_DAYS:
        author = _legacy_user(history.author, base)
        items = [{k: v for k, v in item.items() if k != "fieldId"} for item in history.items]
    else:
        author, items = _user(history.author, base), list(history.items)
    return {"id": history.id, "author": author, "created": created, "items": items}


def _embedded_changelog(histories: tuple[History, ...], index: _Index, base: str) -> dict:
    """What search/jql embeds: the newest 40 histories, newest first, counted as if that were all.

    Atlassian's PageOfChangelogs defines `total` as "the number of results on the page", so
    total equals maxResults equals what came back and nothing signals the cut. Only
    GET /issue/{key}/changelog (or the bulk fetch) gives the full history.
    """
    newest = [_history(h, index, base) for h in reversed(histories[-EMBEDDED_HISTORIES:])]
    return {"startAt": 0, "maxResults": len(newest), "total": len(newest), "histories": newest}


def _issue(item: WorkItem, index: _Index, base: str, fields: frozenset[str] | None, changelog: bool) -> dict:
    """An issue as search/jql returns it: only the id unless fields or the changelog are asked for."""
    issue: dict[str, Any] = {"id": str(item.native_id)}
    if fields is None and not changelog:
        return issue
    issue.update(expand=ISSUE_EXPAND, self=f"{base}/rest/api/3/issue/{item.native_id}", key=item.key)
    if fields is not None:
        issue["fields"] = {k: v for k, v in _fields(item, index, base).items() if k in fields}
    if changelog:
        issue["changelog"] = _embedded_changelog(index.state(item).histories, index, base)
    return issue


# ---------------------------------------------------------------------------------- JQL
class JqlError(ValueError):
    """A query Jira would refuse; the message is the text of the 400 reply."""


@dataclass(frozen=True)
class Query:
    """The bounded JQL subset sources use: projects, date bounds, and an ordering."""

    projects: tuple[str, ...] | None  # project keys; None: every project
    bounds: tuple[tuple[str, str, datetime], ...]  # (created | updated, operator, instant)
    order: tuple[tuple[str, bool], ...]  # (created | updated | key, descending)

    @property
    def bounded(self) -> bool:
        return self.projects is not None or bool(self.bounds)

    @property
    def digest(self) -> str:
        return hashlib.sha1(repr(self).encode()).hexdigest()[:16]


_TOKEN = re.compile(
    r"""\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<op>>=|<=|!=|=|>|<|\(|\)|,)|(?P<word>[^\s=<>!(),"']+))"""
)
_DATE_FIELDS = {"updated": "updated", "updateddate": "updated", "created": "created", "createddate": "created"}
_ORDER_FIELDS = {"updated": "updated", "updateddate": "updated", "created": "created", "createddate": "created",
                 "key": "key", "issuekey": "key"}  # fmt: skip
_DEFAULT_DESCENDING = {"updated": True, "created": True, "key": False}  # Jira's default direction per field
_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d")
_COMPARE: dict[str, Callable[[datetime, datetime], bool]] = {
    ">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt,
}  # fmt: skip


class _Tokens:
    """JQL split into (kind, text) tokens; kind is `str` for quoted values, `op` or `word`."""

    def __init__(self, text: str) -> None:
        self.items: list[tuple[str, str]] = []
        position = 0
        while text[position:].strip():
            match = _TOKEN.match(text, position)
            if match is None:
                raise JqlError(f"Error in the JQL Query: The character at position {position} is not allowed here.")
            kind = "str" if match["dq"] is not None or match["sq"] is not None else match.lastgroup
            self.items.append((kind, match["dq"] if match["dq"] is not None else match[match.lastgroup]))
            position = match.end()
        self.position = 0

    def peek_word(self) -> str:
        kind, text = self.items[self.position] if self.position < len(self.items) else ("end", "")
        return text.lower() if kind == "word" else ""

    def take(self, expected: str = "") -> tuple[str, str]:
        if self.position >= len(self.items):
            raise JqlError("Error in the JQL Query: The query ended unexpectedly.")
        kind, text = self.items[self.position]
        if expected and text.lower() != expected:
            raise JqlError(f"Error in the JQL Query: Expecting '{expected}' but got '{text}'.")
        self.position += 1
        return kind, text

    def more(self) -> bool:
        return self.position < len(self.items)


def parse_jql(text: str, index: _Index) -> Query:
    """Parse `clause AND clause ... ORDER BY field [ASC|DESC], ...`; raise JqlError as Jira would refuse."""
    tokens = _Tokens(text)
    projects: list[str] | None = None
    bounds: list[tuple[str, str, datetime]] = []
    while tokens.more() and tokens.peek_word() != "order":
        if projects is not None or bounds:
            tokens.take("and")
        _, name = tokens.take()
        if name.lower() == "project":
            keys = _project_values(tokens, index)
            projects = keys if projects is None else [k for k in projects if k in keys]  # AND narrows
        elif name.lower() in _DATE_FIELDS:
            _, op = tokens.take()
            if op not in _COMPARE:
                raise JqlError(f"Error in the JQL Query: The operator '{op}' is not supported here for '{name}'.")
            _, value = tokens.take()
            bounds.append((_DATE_FIELDS[name.lower()], op, _jql_date(value, name, index.zone)))
        else:
            raise JqlError(f"Error in the JQL Query: The field '{name}' is not supported by this simulator.")
    order: list[tuple[str, bool]] = []
    if tokens.more():
        tokens.take("order")
        tokens.take("by")
        while True:
            _, name = tokens.take()
            if name.lower() not in _ORDER_FIELDS:
                raise JqlError(f"Error in the JQL Query: Not able to sort using field '{name}'.")
            field_name = _ORDER_FIELDS[name.lower()]
            descending = _DEFAULT_DESCENDING[field_name]
            if tokens.peek_word() in ("asc", "desc"):
                descending = tokens.take()[1].lower() == "desc"
            order.append((field_name, descending))
            if not tokens.more():
                break
            tokens.take(",")
    return Query(tuple(projects) if projects is not None else None, tuple(bounds), tuple(order))


def _project_values(tokens: _Tokens, index: _Index) -> list[str]:
    _, op = tokens.take()
    if op == "=":
        values = [tokens.take()[1]]
    elif op.lower() == "in":
        tokens.take("(")
        values = [tokens.take()[1]]
        while (separator := tokens.take()[1]) == ",":
            values.append(tokens.take()[1])
        if separator != ")":
            raise JqlError(f"Error in the JQL Query: Expecting ')' but got '{separator}'.")
    else:
        raise JqlError(f"Error in the JQL Query: The operator '{op}' is not supported here for 'project'.")
    keys = []
    for value in values:
        project = index.project(value)
        if project is None:
            raise JqlError(f"The value '{value}' does not exist for the field 'project'.")
        keys.append(project.key)
    return keys


def _jql_date(value: str, field_name: str, zone: ZoneInfo) -> datetime:
    """A JQL date: wall-clock time in the API user's zone, minute precision."""
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=zone)
        except ValueError:
            continue
    raise JqlError(BAD_DATE.format(value=value, field=field_name))


@lru_cache(maxsize=32)
def _matching(index: _Index, query: Query) -> tuple[WorkItem, ...]:
    """The query's issues in order (newest created first without ORDER BY); cached for long page walks."""
    keys = query.projects if query.projects is not None else tuple(index.by_project)
    items = [item for key in dict.fromkeys(keys) for item in index.by_project.get(key, [])]
    moments = {"created": lambda i: i.created_at, "updated": lambda i: index.updated[i.native_id]}
    for field_name, op, moment in query.bounds:
        items = [item for item in items if _COMPARE[op](moments[field_name](item), moment)]
    items.sort(key=lambda i: i.native_id)
    sort_keys = {**moments, "key": lambda i: (i.container, i.number)}
    for field_name, descending in reversed(query.order or (("created", True),)):
        items.sort(key=sort_keys[field_name], reverse=descending)
    return tuple(items)


def _page_token(offset: int, digest: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset, "q": digest}).encode()).decode()


def _token_offset(token: str | None, digest: str) -> int | None:
    """The offset a token stands for; None when it is garbled or belongs to another query."""
    if not token:
        return 0
    try:
        payload = json.loads(base64.urlsafe_b64decode(token.encode()))
        offset = payload["o"] if payload["q"] == digest else None
    except (binascii.Error, ValueError, KeyError, TypeError):
        return None
    return offset if isinstance(offset, int) and offset >= 0 else None


def _as_int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _as_list(value: Any) -> list[str]:
    """GET repeats or comma-joins list parameters; POST bodies send lists or comma-joined strings."""
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _json_body(request: ApiRequest) -> dict | None:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


# ---------------------------------------------------------------------------------- handlers
def _search(org: Org, base: str, jql: str, fields: list[str], expand: list[str], max_results: Any,
            token: str | None) -> ApiResponse:  # fmt: skip
    index = _index(org)
    try:
        query = parse_jql(jql, index)
    except JqlError as error:
        return _errors(400, str(error))
    if not query.bounded:
        return _errors(400, UNBOUNDED_JQL)
    offset = _token_offset(token, query.digest)
    if offset is None:
        return _errors(400, BAD_TOKEN)
    wanted = _requested_fields(fields, org)
    changelog = "changelog" in {e.strip() for value in expand for e in value.split(",")}
    ids_only = not changelog and (wanted is None or wanted <= {"id", "key"})
    cap = SEARCH_MAX_IDS_ONLY if ids_only else SEARCH_MAX_WITH_FIELDS
    size = min(max(1, _as_int(max_results, SEARCH_DEFAULT_RESULTS)), cap)
    matches = _matching(index, query)
    page = matches[offset : offset + size]
    end = offset + len(page)
    reply: dict[str, Any] = {"issues": [_issue(item, index, base, wanted, changelog) for item in page]}
    if end < len(matches):
        reply["nextPageToken"] = _page_token(end, query.digest)
    else:  # `isLast` comes only on the last page: the documented end is the absent nextPageToken
        reply["isLast"] = True
    return ApiResponse(200, reply)


@ROUTER.get(r"/rest/api/3/search/jql")
def search_get(request: ApiRequest, match: re.Match, org: Org) -> ApiResponse:
    """Enhanced JQL search; list parameters may repeat or be comma-joined."""
    return _search(
        org, request.base_url, request.arg("jql", ""), request.query.get("fields", []),
        request.query.get("expand", []), request.arg("maxResults"), request.arg("nextPageToken"),
    )  # fmt: skip


@ROUTER.post(r"/rest/api/3/search/jql")
def search_post(request: ApiRequest, match: re.Match, org: Org) -> ApiResponse:
    """The same search with a JSON body, for queries too long for a URL."""
    body = _json_body(request)
    if body is None:
        return _errors(400, "Invalid request payload. Refer to the REST API documentation and try again.")
    return _search(
        org, request.base_url, str(body.get("jql", "")), _as_list(body.get("fields")),
        _as_list(body.get("expand")), body.get("maxResults"), body.get("nextPageToken"),
    )  # fmt: skip


@ROUTER.get(r"/rest/api/3/issue/(?P<issue>[^/]+)/changelog")
def issue_changelog(request: ApiRequest, match: re.Match, org: Org) -> ApiResponse:
    """An issue's whole history, oldest first, paged by startAt (at most 100 a page)."""
    index = _index(org)
    item = index.issues.get(match["issue"])
    if item is None:
        return _errors(404, ISSUE_NOT_FOUND)
    histories = index.state(item).histories
    start = request.int_arg("startAt", 0)
    size = request.int_arg("maxResults", CHANGELOG_MAX_RESULTS, CHANGELOG_MAX_RESULTS)
    path = f"{request.base_url}/rest/api/3/issue/{item.key}/changelog"
    last = start + size >= len(histories)
    reply: dict[str, Any] = {"self": f"{path}?startAt={start}&maxResults={size}"}
    if not last:
        reply["nextPage"] = f"{path}?startAt={start + size}&maxResults={size}"
    reply.update(
        maxResults=size, startAt=start, total=len(histories), isLast=last,
        values=[_history(h, index, request.base_url) for h in histories[start : start + size]],
    )  # fmt: skip
    return ApiResponse(200, reply)


@ROUTER.post(r"/rest/api/3/changelog/bulkfetch")
def bulk_changelog(request: ApiRequest, match: re.Match, org: Org) -> ApiResponse:
    """Histories of up to 1,000 issues, oldest first across them, optionally only some fields' items."""
    body = _json_body(request)
    wanted = body.get("issueIdsOrKeys") if body else None
    if not isinstance(wanted, list) or not wanted or len(wanted) > BULK_MAX_ISSUES:
        return _errors(400, f"issueIdsOrKeys must list between 1 and {BULK_MAX_ISSUES} issues.")
    index = _index(org)
    field_filter = set(_as_list(body.get("fieldIds")))
    size = min(max(1, _as_int(body.get("maxResults"), BULK_MAX_RESULTS)), BULK_MAX_RESULTS)
    items = {item.native_id: item for item in (index.issues.get(str(w)) for w in wanted) if item is not None}
    entries = []
    for item in items.values():
        for history in index.state(item).histories:
            kept = tuple(c for c in history.items if not field_filter or c["fieldId"] in field_filter)
            if kept:
                entries.append((history.at, item.native_id, History(history.id, history.at, history.author, kept)))
    entries.sort(key=lambda entry: entry[:2])
    digest = hashlib.sha1(json.dumps([sorted(items), sorted(field_filter)]).encode()).hexdigest()[:16]
    offset = _token_offset(body.get("nextPageToken"), digest)
    if offset is None:
        return _errors(400, BAD_TOKEN)
    page = entries[offset : offset + size]
    grouped: dict[int, list[dict]] = {}
    for _, issue_id, history in page:
        grouped.setdefault(issue_id, []).append(_history(history, index, request.base_url, epoch_created=True))
    reply: dict[str, Any] = {
        "issueChangeLogs": [{"issueId": str(i), "changeHistories": h} for i, h in grouped.items()],
    }
    if offset + len(page) < len(entries):
        reply["nextPageToken"] = _page_token(offset + len(page), digest)
    return ApiResponse(200, reply)


@ROUTER.get(r"/rest/api/3/status")
def statuses(request: ApiRequest, match: re.Match, org: Org) -> ApiResponse:
    """Every status; one used by a single project's workflow is scoped to that project."""
    index = _index(org)
    reply = []
    for name in index.status_ids:
        users = index.status_projects[name]
        scope = {"type": "GLOBAL"}
        if len(users) == 1:
            scope = {"type": "PROJECT", "project": {"id": str(users[0].native_id)}}
        reply.append({**_status(name, index, request.base_url), "scope": scope})
    return ApiResponse(200, reply)


@ROUTER.get(r"/rest/api/3/statuscategory")
def status_categories(request: ApiRequest, match: re.Match, org: Org) -> ApiResponse:
    return ApiResponse(200, [_category(key, request.base_url) for key in STATUS_CATEGORIES])


@ROUTER.get(r"/rest/api/3/myself")
def myself(request: ApiRequest, match: re.Match, org: Org) -> ApiResponse:
    """The API user: what a source calls to check credentials; its timeZone is the zone Jira answers in."""
    email = _basic_credentials(request).partition(":")[0] or None
    service = Person("streamgauge-pipeline", "Streamgauge pipeline", email or "", 0, timezone=org.jira_timezone)
    return ApiResponse(200, {**_user(service, request.base_url), "emailAddress": email, "locale": "en_US"})


@ROUTER.get(r"/rest/api/3/project/(?P<project>[^/]+)")
def project(request: ApiRequest, match: re.Match, org: Org) -> ApiResponse:
    found = _index(org).project(match["project"])
    if found is None:
        return _errors(404, f"No project could be found with key '{match['project']}'.")
    issue_types = [{"self": f"{request.base_url}/rest/api/3/issuetype/{type_id}", "id": type_id, "name": name,
                    "subtask": False, "hierarchyLevel": 0} for name, type_id in ISSUE_TYPE_IDS.items()]  # fmt: skip
    return ApiResponse(200, {**_project(found, request.base_url), "style": "classic", "isPrivate": False,
                             "issueTypes": issue_types})  # fmt: skip


# ---------------------------------------------------------------------------------- the Api
def _basic_credentials(request: ApiRequest) -> str:
    """`email:token` from a Basic Authorization header, or "" when there is none."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return ""
    try:
        return base64.b64decode(value, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return ""


def authenticate(request: ApiRequest, credentials: Credentials) -> ApiResponse | None:
    """Cloud: Basic email:api_token. Data Center: a personal access token as Bearer."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if _basic_credentials(request) == f"{credentials.jira_email}:{credentials.jira_token}":
        return None
    if scheme.lower() == "bearer" and value == credentials.jira_token:
        return None
    body = {"message": "Client must be authenticated to access this resource.", "status-code": 401}
    return ApiResponse(401, body, {"WWW-Authenticate": 'Basic realm="protected-area"'})


def error(status: int, kind: str) -> ApiResponse:
    """Jira's wording: rate limits of every kind read the same; a 500 or a refusal is a bare error message."""
    if kind == "server_error":
        return _errors(status, "Internal server error")
    if kind == "forbidden":
        return _errors(status, "You do not have permission to view this resource.")
    return ApiResponse(status, {"errorMessages": ["The request has been rate-limited. Please try again later."],
                                "errors": {}, "status": status})  # fmt: skip


def rate_limit_headers(budget: RateBudget) -> dict[str, str]:
    """Jira Cloud sends no quota headers on ordinary replies, only Retry-After when it refuses."""
    return {}


def not_found(request: ApiRequest) -> ApiResponse:
    return _errors(404, f"null for uri: {request.base_url}{request.path}")


API = Api(
    name="jira",
    router=ROUTER,
    authenticate=authenticate,
    error=error,
    rate_limit_headers=rate_limit_headers,
    not_found=not_found,
)
