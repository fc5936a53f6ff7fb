"""Jira source: issues with their complete changelogs, projects, statuses and status categories.

Cheapest-endpoint design, so that a nightly run costs requests in proportion to what changed:
- `search/jql` per project, `updated >= cursor - safety lag ORDER BY updated ASC`, paged by
  `nextPageToken`. JQL dates are minutes in the API user's time zone (`/myself`), so the UTC
  cursor is converted to that zone; issues re-read only because of the lag, unchanged since the
  last run, are skipped.
- The changelog embedded by `expand=changelog` silently keeps only the newest histories, so it
  is never used: `changelog/bulkfetch` returns the full history of up to 1,000 changed issues
  per request (about one request per 1,000 histories), never more than the search found.
Cursors live in dlt resource state, which dlt commits only with the data it describes.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dlt
from dlt.sources import DltResource

from ingestion import reconcile
from ingestion.api_client import ApiClient, RetryPolicy, SourceError
from ingestion.rows import nullable_columns, parse_time, reading
from ingestion.scope import ConfiguredScope

log = logging.getLogger("streamgauge.ingestion")

TOKEN_SETTING = (
    "sources.jira.api_token and sources.jira.email (.dlt/secrets.toml) "
    "or SOURCES__JIRA__API_TOKEN and SOURCES__JIRA__EMAIL"
)
PROJECTS_SETTING = "sources.jira.projects (.dlt/config.toml) or SOURCES__JIRA__PROJECTS"
JQL_SETTING = "sources.jira.jql (.dlt/config.toml) or SOURCES__JIRA__JQL"
SEARCH_PATH = "/rest/api/3/search/jql"
BULK_CHANGELOG_PATH = "/rest/api/3/changelog/bulkfetch"
BULK_MAX_ISSUES = 1000  # issues one bulk changelog request may name
BULK_MAX_RESULTS = 1000  # histories per bulk changelog page
SEARCH_MAX_RESULTS = 100  # search/jql's cap when fields are asked for
SEARCH_MAX_IDS = 5000  # and when only ids are
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_MILLISECONDS_FROM = 100_000_000_000
# With the user's time zone unknown, a JQL date could be read up to 14 hours off UTC either way.
UNKNOWN_ZONE_LAG = timedelta(hours=14)
ISSUE_FIELDS = (
    "summary", "issuetype", "status", "created", "updated", "resolutiondate", "resolution", "labels",
    "priority", "assignee", "reporter", "project",
)  # fmt: skip


ISSUE_COLUMNS = nullable_columns(
    resolutiondate="timestamp",
    resolution_name="text",
    priority="text",
    assignee_account_id="text",
    assignee_name="text",
    reporter_account_id="text",
    reporter_name="text",
    flagged="bool",
)
CHANGELOG_COLUMNS = nullable_columns(
    author_account_id="text",
    author_name="text",
    field_id="text",
    field_type="text",
    **{"from": "text", "from_string": "text", "to": "text", "to_string": "text"},
)
STATUS_COLUMNS = nullable_columns(scope_type="text", scope_project_id="text")


@dlt.source(name="jira", max_table_nesting=1)
def jira_source(
    base_url: str = dlt.config.value,
    projects: list[str] | None = dlt.config.value,
    api_token: str = dlt.secrets.value,
    email: str | None = None,
    jql: str | None = None,
    safety_lag_minutes: int = 15,
    flagged_field: str = "customfield_10021",
    retry_backoff_seconds: float = 1.0,
    page_size: int = 100,
    reconcile_days: float = 7,
) -> list[DltResource]:
    """Every configured project's issues and their full history.

    `base_url` is the site, `https://acme.atlassian.net`. `projects` lists project keys; a
    `jql` filter (e.g. `project = ABC AND labels = team-x`) replaces the per-project search
    and must restrict it enough for Jira to accept it. With `email`, the token is a Cloud API
    token (basic auth); without, a Data Center personal access token (bearer).
    `safety_lag_minutes` is how far before the last seen `updated` each run searches again:
    JQL has minute precision and Jira's index lags its writes. `flagged_field` is the id of
    the Flagged custom field. Every `reconcile_days` the ids of all issues of the `projects` are
    listed, so that dbt sees deletions (with a `jql` alone, none are). An unknown project is
    reported in one line and skipped.
    """
    if isinstance(projects, str):
        projects = [p.strip() for p in projects.split(",") if p.strip()]
    if jql is not None and not _filter(jql):
        raise SourceError(f"jira: the JQL has no filter; give one that restricts the search in {JQL_SETTING}")
    if not projects and not jql:
        raise SourceError(f"jira: no projects configured; set {PROJECTS_SETTING} (or a filter in {JQL_SETTING})")
    if email:
        credentials = base64.b64encode(f"{email}:{api_token}".encode()).decode()
        authorization = f"Basic {credentials}"
    else:
        authorization = f"Bearer {api_token}"
    client = ApiClient(
        "jira",
        base_url,
        {"Authorization": authorization, "Accept": "application/json"},
        TOKEN_SETTING,
        RetryPolicy(backoff_seconds=retry_backoff_seconds),
        page_size=min(page_size, SEARCH_MAX_RESULTS),
        title="Jira",
        safety_lag=(lag := timedelta(minutes=safety_lag_minutes)),
    )
    site = ConfiguredScope(client, "projects", PROJECTS_SETTING, projects or [], _project, "key")
    changed = _changed_issues(client, site, jql, lag, flagged_field)
    return [
        _projects(site),
        changed,
        changed | _issues(client.base_url, flagged_field),
        changed | _issue_changelog(client),
        _statuses(client),
        _status_categories(client),
        reconcile.issue_ids(site, timedelta(days=reconcile_days), ("id",), partial(_issue_ids, client), "project_key"),
    ]


TABLES_WRITTEN_BY_OTHER_RESOURCES = reconcile.TABLES_WRITTEN


def _issue_ids(client: ApiClient, key: str) -> Iterator[list[dict]]:
    """The id of every issue of the project, 5,000 a page (a search that asks for no field)."""
    for page in _search(client, f'project = "{key}" ORDER BY key', [], f"project {key}"):
        yield [{"project_key": key, "id": issue["id"]} for issue in page]


def _project(client: ApiClient, key: str) -> dict:
    row = client.get(f"/rest/api/3/project/{key}", what=f"project {key}").json()
    return {"id": row["id"], "key": row["key"], "name": row.get("name"), "project_type_key": row.get("projectTypeKey")}


def _projects(site: ConfiguredScope) -> DltResource:
    @dlt.resource(name="projects", primary_key="id", write_disposition="merge")
    def projects() -> Iterator[list[dict]]:
        if site.rows:
            yield site.rows

    return projects


# ---------------------------------------------------------------------- issues and changelogs
def _changed_issues(
    client: ApiClient, site: ConfiguredScope, jql: str | None, lag: timedelta, flagged_field: str
) -> DltResource:
    """Every issue updated since the last run, in batches the bulk changelog takes; loads nothing itself."""

    @dlt.resource(name="changed_issues", selected=False)
    def changed_issues() -> Iterator[list[dict]]:
        state = dlt.current.resource_state()
        cursors = state.setdefault("updated_since", {})
        # Issues read within the lag before a cursor, with their `updated`: unchanged re-reads are skipped.
        recent = state.setdefault("recent", {})
        zone, zone_lag = _user_zone(client)
        if jql:  # keyed by the text: a changed filter starts from scratch
            scopes = {f"jql:{jql}": (jql, f"the search in {JQL_SETTING}")}
        else:
            scopes = {key: (f'project = "{key}"', f"project {key}") for key in site.names}
        fields = [*ISSUE_FIELDS, flagged_field]
        for scope, (where, what) in scopes.items():
            since = parse_time(cursors[scope]) - lag - zone_lag if scope in cursors else None
            known: dict[str, str] = recent.get(scope, {})
            seen: dict[str, str] = {}
            dated: list[str] = []  # `updated` of the issues not dated after the run began
            batch: list[dict] = []
            for page in _search(client, _search_jql(where, since, zone), fields, what):
                for issue in page:
                    updated = _iso(_utc(issue["fields"]["updated"]))
                    if known.get(issue["id"]) != updated:
                        batch.append(issue)
                    seen[issue["id"]] = updated
                    if not client.is_future(updated, f"issue {issue['key']}"):
                        dated.append(updated)
                if len(batch) > BULK_MAX_ISSUES - client.page_size:
                    yield batch
                    batch = []
            if batch:
                yield batch
            newest = min(max([cursors.get(scope, ""), *dated]), _iso(client.cursor_limit()))
            if newest:  # only now, with every page read
                floor = _iso(parse_time(newest) - lag)
                cursors[scope] = newest
                recent[scope] = {i: u for i, u in {**known, **seen}.items() if u >= floor}

    return changed_issues


def _search(client: ApiClient, jql: str, fields: list[str], what: str) -> Iterator[list[dict]]:
    """The pages of one search; with no `fields`, ids only.

    The end is the absence of `nextPageToken`, as Atlassian documents it: `isLast` is left out of
    some replies and has been wrong in others, so it is not read. A token sent twice would page
    forever: the search stops there with one line.
    """
    params = (
        {"jql": jql, "maxResults": client.page_size, "fields": ",".join(fields)}
        if fields
        else {"jql": jql, "maxResults": SEARCH_MAX_IDS}
    )
    tokens: set[str] = set()
    while True:
        body = client.get(SEARCH_PATH, params, what=what).json()
        yield body.get("issues", [])
        token = body.get("nextPageToken")
        if not token:
            return
        if token in tokens:
            raise SourceError(
                f"jira: the search of {what} sent the same nextPageToken twice and would never end; "
                "rerun later, the load resumes where it stopped"
            )
        tokens.add(token)
        params = {**params, "nextPageToken": token}


def _issues(base_url: str, flagged_field: str) -> DltResource:
    @dlt.transformer(name="issues", primary_key="id", write_disposition="merge", columns=ISSUE_COLUMNS)
    def issues(batch: list[dict]) -> Iterator[list[dict]]:
        rows = []
        for issue in batch:
            with reading(f"issue {issue.get('key')}"):
                rows.append(_issue(issue, base_url, flagged_field))
        yield rows

    return issues


def _issue_changelog(client: ApiClient) -> DltResource:
    @dlt.transformer(
        name="issue_changelog",
        primary_key=("history_id", "item_index"),
        write_disposition="merge",
        columns=CHANGELOG_COLUMNS,
    )
    def issue_changelog(batch: list[dict]) -> Iterator[list[dict]]:
        keys = {issue["id"]: issue["key"] for issue in batch}
        body: dict = {"issueIdsOrKeys": list(keys), "maxResults": BULK_MAX_RESULTS}
        while True:
            reply = client.request("POST", BULK_CHANGELOG_PATH, json_body=body, what="the changelogs").json()
            rows = []
            for log_ in reply.get("issueChangeLogs", []):
                key = keys.get(log_["issueId"], log_["issueId"])
                for history in log_.get("changeHistories", []):
                    with reading(f"issue {key}, history {history.get('id')}"):
                        rows += _history_rows(history, log_["issueId"], keys.get(log_["issueId"]))
            if rows:
                yield rows
            if not reply.get("nextPageToken"):
                return
            body = {**body, "nextPageToken": reply["nextPageToken"]}

    return issue_changelog


# ---------------------------------------------------------------------- statuses
def _statuses(client: ApiClient) -> DltResource:
    @dlt.resource(name="statuses", primary_key="id", write_disposition="replace", columns=STATUS_COLUMNS)
    def statuses() -> Iterator[list[dict]]:
        rows = []
        for status in client.get("/rest/api/3/status", what="the statuses").json():
            category = status.get("statusCategory") or {}
            scope = status.get("scope") or {}
            rows.append(
                _drop_none(
                    id=status["id"],
                    name=status["name"],
                    status_category_id=category.get("id"),
                    status_category_key=category.get("key"),
                    status_category_name=category.get("name"),
                    scope_type=scope.get("type"),
                    scope_project_id=(scope.get("project") or {}).get("id"),
                )
            )
        yield rows

    return statuses


def _status_categories(client: ApiClient) -> DltResource:
    @dlt.resource(name="status_categories", primary_key="id", write_disposition="replace")
    def status_categories() -> Iterator[list[dict]]:
        reply = client.get("/rest/api/3/statuscategory", what="the status categories").json()
        yield [_drop_none(id=c["id"], key=c["key"], name=c.get("name"), color_name=c.get("colorName")) for c in reply]

    return status_categories


# ---------------------------------------------------------------------- helpers
def _user_zone(client: ApiClient) -> tuple[ZoneInfo, timedelta]:
    """The zone Jira reads JQL dates in (the API user's), and extra lag to add when it is unknown."""
    name = client.get("/rest/api/3/myself", what="the API user (/rest/api/3/myself)").json().get("timeZone")
    try:
        return ZoneInfo(name), timedelta(0)
    except (ZoneInfoNotFoundError, TypeError, ValueError):
        log.warning("jira: the API user's time zone (%r) is unknown; searching 14 hours further back", name)
        return ZoneInfo("UTC"), UNKNOWN_ZONE_LAG


_QUOTED = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")


def _masked(jql: str) -> str:
    """The JQL with quoted values blanked (same length), so keywords inside them are not seen."""
    return _QUOTED.sub(lambda m: " " * len(m.group()), jql)


def _filter(jql: str) -> str:
    """The user's JQL without its ORDER BY, which the source sets itself."""
    order = re.search(r"\border\s+by\b", _masked(jql), re.IGNORECASE)
    return jql[: order.start()].strip() if order else jql.strip()


def _search_jql(where: str, since: datetime | None, zone: ZoneInfo) -> str:
    """`where AND updated >= "local minute" ORDER BY updated ASC`; the date floors to the minute."""
    where = _filter(where)
    if since is None:
        return f"{where} ORDER BY updated ASC"
    # AND binds tighter than OR: a filter with OR must be grouped before the date is added.
    if re.search(r"\bor\b|\|\|", _masked(where), re.IGNORECASE):
        where = f"({where})"
    return f'{where} AND updated >= "{since.astimezone(zone):%Y-%m-%d %H:%M}" ORDER BY updated ASC'


def _issue(issue: dict, base_url: str, flagged_field: str) -> dict:
    fields = issue["fields"]
    status = fields.get("status") or {}
    row = _drop_none(
        id=issue["id"],
        key=issue["key"],
        project_id=(fields.get("project") or {}).get("id"),
        project_key=(fields.get("project") or {}).get("key"),
        summary=fields.get("summary"),
        issue_type=(fields.get("issuetype") or {}).get("name"),
        status_id=status.get("id"),
        status_name=status.get("name"),
        status_category_key=(status.get("statusCategory") or {}).get("key"),
        created=_utc(fields.get("created")),
        updated=_utc(fields.get("updated")),
        resolutiondate=_utc(fields.get("resolutiondate")),
        resolution_name=(fields.get("resolution") or {}).get("name"),
        priority=(fields.get("priority") or {}).get("name"),
        assignee_account_id=(fields.get("assignee") or {}).get("accountId"),
        assignee_name=(fields.get("assignee") or {}).get("displayName"),
        reporter_account_id=(fields.get("reporter") or {}).get("accountId"),
        reporter_name=(fields.get("reporter") or {}).get("displayName"),
        # Jira leaves out a field id it does not know: then the flag is unknown, not false.
        flagged=bool(fields[flagged_field]) if flagged_field in fields else None,
        url=f"{base_url}/browse/{issue['key']}",
    )
    row["labels"] = fields.get("labels") or []
    return row


def _history_rows(history: dict, issue_id: str, issue_key: str | None) -> Iterator[dict]:
    """One row per changed field. Older histories name their author `{name, key}` without an
    accountId, and their items may lack `fieldId`: the field's name is what the models read."""
    author = history.get("author") or {}
    for index, item in enumerate(history.get("items") or []):
        yield _drop_none(
            history_id=history["id"],
            item_index=index,
            issue_id=issue_id,
            issue_key=issue_key,
            created=_utc(history["created"]),
            author_account_id=author.get("accountId"),
            author_name=author.get("displayName") or author.get("name") or author.get("key"),
            field=item.get("field"),
            field_id=item.get("fieldId"),
            field_type=item.get("fieldtype"),
            **{
                "from": item.get("from"),
                "from_string": item.get("fromString"),
                "to": item.get("to"),
                "to_string": item.get("toString"),
            },
        )


def _drop_none(**values: object) -> dict:
    """Nulls are left out; columns that may be all-null are declared in the resource's hints."""
    return {key: value for key, value in values.items() if value is not None}


def _utc(value: str | float | None) -> datetime | None:
    """A Jira timestamp as the UTC instant it names: an ISO string with its offset
    (`2024-01-02T10:00:00.000+0530`, `…Z`), or a number of epoch seconds or milliseconds
    (Atlassian's published bulk changelog example sends `"created": 1492070429`)."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Milliseconds from 1973 on exceed 1e11; seconds reach it only in the year 5138.
        milliseconds = value if abs(value) >= EPOCH_MILLISECONDS_FROM else value * 1000
        return EPOCH + timedelta(milliseconds=milliseconds)
    return datetime.fromisoformat(value).astimezone(UTC)


def _iso(value: datetime) -> str:
    """A sortable UTC ISO string with milliseconds, as cursors are kept."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds")
