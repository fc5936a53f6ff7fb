"""The simulated Jira Cloud REST v3: search paging, JQL bounds and time zones, changelogs, auth."""

from __future__ import annotations

import base64
import dataclasses
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

from simulator.generator import OrgConfig, generate_org
from simulator.model import ASSIGNED, FLAGGED, STATUS, UNFLAGGED, ItemEvent, Org, WorkItem
from simulator.server import Simulator

JIRA_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$")


@pytest.fixture(scope="module")
def kolkata_sim(org: Org):
    """The same organisation seen by an API user whose profile is set to India (+05:30, no DST)."""
    with Simulator(dataclasses.replace(org, jira_timezone="Asia/Kolkata")) as running:
        yield running


@pytest.fixture(scope="module")
def long_history(org: Org) -> tuple[Org, WorkItem]:
    return with_long_history(org, extra=120)


@pytest.fixture(scope="module")
def long_sim(long_history):
    with Simulator(long_history[0]) as running:
        yield running


@pytest.fixture
def jira(sim: Simulator) -> requests.Session:
    return session_for(sim)


def session_for(sim: Simulator) -> requests.Session:
    session = requests.Session()
    session.auth = (sim.credentials.jira_email, sim.credentials.jira_token)
    return session


def jira_items(org: Org, project: str | None = None) -> list[WorkItem]:
    return [i for i in org.work_items if i.source == "jira" and (project is None or i.container == project)]


def parse_jira(stamp: str) -> datetime:
    assert JIRA_STAMP.match(stamp), stamp
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%f%z")


def from_epoch_ms(stamp: int) -> datetime:
    return datetime.fromtimestamp(stamp / 1000, UTC)


def to_ms(moment: datetime) -> datetime:
    """Jira keeps milliseconds: the instant a timestamp can carry."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def search(session: requests.Session, sim: Simulator, **params) -> requests.Response:
    return session.get(f"{sim.base_url('jira')}/rest/api/3/search/jql", params=params)


def walk(session: requests.Session, sim: Simulator, **params) -> tuple[list[dict], int]:
    """Every issue of a search, following nextPageToken; also how many pages it took."""
    issues, token, pages = [], None, 0
    while True:
        reply = search(session, sim, **params, **({"nextPageToken": token} if token else {}))
        assert reply.status_code == 200, reply.text
        body = reply.json()
        assert "total" not in body
        issues += body["issues"]
        pages += 1
        token = body.get("nextPageToken")
        assert body.get("isLast") is (True if token is None else None)  # left out until the last page
        if token is None:
            return issues, pages


def changelog_walk(session: requests.Session, sim: Simulator, key: str, page_size: int) -> list[dict]:
    values, start = [], 0
    while True:
        url = f"{sim.base_url('jira')}/rest/api/3/issue/{key}/changelog"
        body = session.get(url, params={"startAt": start, "maxResults": page_size}).json()
        assert body["startAt"] == start
        values += body["values"]
        if body["isLast"]:
            assert "nextPage" not in body and len(values) == body["total"]
            return values
        assert body["nextPage"].startswith(sim.base_url("jira"))
        start += body["maxResults"]


def with_long_history(org: Org, extra: int) -> tuple[Org, WorkItem]:
    """A copy of the org in which one PAY issue was flagged and unflagged `extra` times after its last change."""
    item = next(i for i in jira_items(org, "PAY") if len(i.events) >= 3)
    actor = item.events[-1].actor
    events = [
        ItemEvent(9_000_000 + n, item.updated_at + timedelta(hours=n + 1), actor, FLAGGED if n % 2 == 0 else UNFLAGGED)
        for n in range(extra)
    ]
    long = dataclasses.replace(item, events=[*item.events, *events])
    return dataclasses.replace(org, work_items=[long if i is item else i for i in org.work_items]), long


# ---------------------------------------------------------------------------------- search paging
def test_search_walk_visits_every_issue_exactly_once(jira, sim, org):
    issues, pages = walk(jira, sim, jql="project in (PAY, MOB) ORDER BY updated ASC", fields="summary,updated",
                         maxResults=7)  # fmt: skip

    keys = [i["key"] for i in issues]
    assert sorted(keys) == sorted(i.key for i in jira_items(org))
    assert len(keys) == len(set(keys))
    assert pages == -(-len(keys) // 7)
    updated = [parse_jira(i["fields"]["updated"]) for i in issues]
    assert updated == sorted(updated)


def test_post_search_pages_like_get(jira, sim, org):
    url = f"{sim.base_url('jira')}/rest/api/3/search/jql"
    body = {"jql": "project = MOB ORDER BY key ASC", "fields": ["summary", "status"], "maxResults": 10}
    keys, token = [], None
    while True:
        reply = jira.post(url, json={**body, **({"nextPageToken": token} if token else {})}).json()
        keys += [i["key"] for i in reply["issues"]]
        token = reply.get("nextPageToken")
        if token is None:
            break
    assert keys == [i.key for i in sorted(jira_items(org, "MOB"), key=lambda i: i.number)]


def test_search_returns_only_ids_unless_fields_are_asked_for(jira, sim, org):
    body = search(jira, sim, jql="project = PAY").json()

    assert all(set(issue) == {"id"} for issue in body["issues"])
    assert len(body["issues"]) == 50  # the default page


def test_max_results_is_capped_by_what_is_asked_for():
    bigger = generate_org(OrgConfig(items_per_project=40))
    assert len(jira_items(bigger)) > 100
    with Simulator(bigger) as sim:
        session = session_for(sim)
        with_fields = search(session, sim, jql="project in (PAY, MOB)", fields="summary", maxResults=500).json()
        with_changelog = search(session, sim, jql="project in (PAY, MOB)", expand="changelog", maxResults=500).json()
        ids_only = search(session, sim, jql="project in (PAY, MOB)", maxResults=500).json()

    assert len(with_fields["issues"]) == len(with_changelog["issues"]) == 100
    assert len(ids_only["issues"]) == len(jira_items(bigger)) and ids_only["isLast"]


def test_page_token_of_another_query_is_refused(jira, sim):
    token = search(jira, sim, jql="project = PAY", maxResults=5).json()["nextPageToken"]

    reply = search(jira, sim, jql="project = MOB", maxResults=5, nextPageToken=token)

    assert reply.status_code == 400
    assert reply.json()["errorMessages"]


@pytest.mark.parametrize("jql", ["", "ORDER BY updated DESC"])
def test_unbounded_jql_is_refused(jira, sim, jql):
    reply = search(jira, sim, jql=jql)

    assert reply.status_code == 400
    assert reply.json() == {
        "errorMessages": ["Unbounded JQL queries are not allowed here. Please add a search restriction to your query."],
        "errors": {},
    }


@pytest.mark.parametrize("jql", ["project = XYZ", "project in (PAY, XYZ) AND updated >= '2026-06-01'"])
def test_unknown_project_is_refused(jira, sim, jql):
    reply = search(jira, sim, jql=jql)

    assert reply.status_code == 400
    assert reply.json() == {"errorMessages": ["The value 'XYZ' does not exist for the field 'project'."], "errors": {}}


@pytest.mark.parametrize("jql", ["project = PAY OR project = MOB", "project = PAY AND updated >= 'yesterday'"])
def test_jql_outside_the_subset_is_a_400(jira, sim, jql):
    reply = search(jira, sim, jql=jql)

    assert reply.status_code == 400
    assert reply.json()["errorMessages"]


# ---------------------------------------------------------------------------------- time zones
def test_updated_bound_is_read_in_the_jira_time_zone(kolkata_sim, org):
    moments = sorted(i.updated_at for i in jira_items(org))
    cutoff = moments[len(moments) // 2].astimezone(ZoneInfo("Asia/Kolkata")).replace(second=0, microsecond=0)
    local = cutoff.strftime("%Y-%m-%d %H:%M")

    issues, _ = walk(session_for(kolkata_sim), kolkata_sim, jql=f'project in (PAY, MOB) AND updated >= "{local}"',
                     fields="updated")  # fmt: skip

    expected = {i.key for i in jira_items(org) if i.updated_at >= cutoff}
    read_as_utc = {i.key for i in jira_items(org) if i.updated_at >= cutoff.replace(tzinfo=UTC)}
    assert {i["key"] for i in issues} == expected
    assert expected != read_as_utc  # the zone decides the answer
    assert all(parse_jira(i["fields"]["updated"]) >= cutoff for i in issues)


def test_date_only_bounds_and_strict_operators(jira, sim, org):
    zone = ZoneInfo(org.jira_timezone)
    start, end = datetime(2026, 7, 1, tzinfo=zone), datetime(2026, 8, 1, tzinfo=zone)
    jql = "project = PAY AND updated > '2026/07/01' AND updated < '2026-08-01'"

    issues, _ = walk(jira, sim, jql=jql, fields="updated")

    assert {i["key"] for i in issues} == {i.key for i in jira_items(org, "PAY") if start < i.updated_at < end}


def test_timestamps_carry_offsets_that_parse_back_to_the_model_instants(kolkata_sim, org):
    model = {i.key: i for i in jira_items(org)}

    issues, _ = walk(session_for(kolkata_sim), kolkata_sim, jql="project in (PAY, MOB)",
                     fields="created,updated,resolutiondate", expand="changelog", maxResults=100)  # fmt: skip

    for issue in issues:
        item, fields = model[issue["key"]], issue["fields"]
        assert fields["created"].endswith("+0530") and parse_jira(fields["created"]) == to_ms(item.created_at)
        assert parse_jira(fields["updated"]) == to_ms(item.updated_at)
        histories = issue["changelog"]["histories"]
        assert {parse_jira(h["created"]) for h in histories} == {to_ms(e.at) for e in item.events}


def test_offsets_follow_daylight_saving_in_berlin(jira, sim, org):
    issues, _ = walk(jira, sim, jql="project in (PAY, MOB)", fields="created", maxResults=100)
    offsets = {i["fields"]["created"][-5:] for i in issues}

    assert offsets == {"+0200", "+0100"}  # the window spans the end of summer time
    for issue in issues:
        moment = parse_jira(issue["fields"]["created"])
        assert moment.utcoffset() == moment.astimezone(ZoneInfo("Europe/Berlin")).utcoffset()


# ---------------------------------------------------------------------------------- changelogs
def test_embedded_changelog_is_cut_to_the_newest_40_without_saying_so(long_sim, long_history):
    item, session = long_history[1], session_for(long_sim)

    issues, _ = walk(session, long_sim, jql="project = PAY", fields="summary", expand="changelog", maxResults=100)
    full = changelog_walk(session, long_sim, item.key, page_size=30)
    capped = session.get(f"{long_sim.base_url('jira')}/rest/api/3/issue/{item.key}/changelog",
                         params={"maxResults": 500}).json()  # fmt: skip

    embedded = next(i["changelog"] for i in issues if i["key"] == item.key)
    assert len(full) > 120
    assert (embedded["startAt"], embedded["maxResults"], embedded["total"]) == (0, 40, 40)
    assert embedded["histories"] == full[-40:][::-1]  # newest first
    created = [parse_jira(h["created"]) for h in full]
    assert created == sorted(created)  # the changelog endpoint is oldest first
    assert created[0] == to_ms(min(e.at for e in item.events))
    assert capped["maxResults"] == 100 and len(capped["values"]) == 100


def test_bulk_fetch_pages_all_histories_oldest_first(long_sim, long_history, org):
    item, session = long_history[1], session_for(long_sim)
    other = next(i for i in jira_items(org, "MOB") if i.events)
    url = f"{long_sim.base_url('jira')}/rest/api/3/changelog/bulkfetch"
    by_issue: dict[str, list[dict]] = {}
    token = None
    while True:
        body = {"issueIdsOrKeys": [item.key, str(other.native_id)], "maxResults": 25}
        reply = session.post(url, json={**body, **({"nextPageToken": token} if token else {})}).json()
        for log in reply["issueChangeLogs"]:
            by_issue.setdefault(log["issueId"], []).extend(log["changeHistories"])
        token = reply.get("nextPageToken")
        if token is None:
            break
    full = changelog_walk(session, long_sim, item.key, page_size=100)
    statuses_only = session.post(url, json={"issueIdsOrKeys": [item.key], "fieldIds": ["status"]}).json()

    # The bulk fetch writes `created` as epoch milliseconds, as its published example does; the rest is the same.
    assert all(isinstance(h["created"], int) for h in by_issue[str(item.native_id)])
    assert [{**h, "created": from_epoch_ms(h["created"])} for h in by_issue[str(item.native_id)]] == [
        {**h, "created": parse_jira(h["created"])} for h in full
    ]
    assert {from_epoch_ms(h["created"]) for h in by_issue[str(other.native_id)]} == {to_ms(e.at) for e in other.events}
    histories = statuses_only["issueChangeLogs"][0]["changeHistories"]
    assert histories and all(c["field"] == "status" for h in histories for c in h["items"])


def test_history_entries_describe_the_events(jira, sim, org, long_sim, long_history):
    status_ids = {s["name"]: s["id"] for s in jira.get(f"{sim.base_url('jira')}/rest/api/3/status").json()}
    flagged = long_history[1]
    done = next(i for i in jira_items(org, "PAY") if i.status == "Done" and i.events)

    items = [c for h in changelog_walk(session_for(long_sim), long_sim, flagged.key, 100) for c in h["items"]]
    flags = [c for c in items if c["field"] == "Flagged"]
    assert {k: v for k, v in flags[0].items() if k != "fieldId"} == {"field": "Flagged", "fieldtype": "custom",
        "from": None, "fromString": None, "to": "[10019]", "toString": "Impediment"}  # fmt: skip
    assert all(c.get("fieldId", org.flagged_field) == org.flagged_field for c in flags)
    assert len(flags) == sum(e.kind in (FLAGGED, UNFLAGGED) for e in flagged.events)
    assert sum(c["field"] == "assignee" for c in items) == sum(e.kind == ASSIGNED for e in flagged.events)

    histories = changelog_walk(jira, sim, done.key, 100)
    status_changes = [c for h in histories for c in h["items"] if c["field"] == "status"]
    assert [(c["fromString"], c["toString"]) for c in status_changes] == [
        (e.from_value, e.to_value) for e in done.events if e.kind == STATUS
    ]
    assert all(c["from"] == status_ids[c["fromString"]] for c in status_changes)
    assert all(c["to"] == status_ids[c["toString"]] for c in status_changes)
    closing = next(h["items"] for h in reversed(histories) if any(c["field"] == "resolution" for c in h["items"]))
    assert {k: v for k, v in closing[0].items() if k != "fieldId"} == {"field": "resolution", "fieldtype": "jira",
        "from": None, "fromString": None, "to": "10000", "toString": "Done"}  # fmt: skip
    assert (closing[1]["field"], closing[1]["toString"]) == ("status", "Done")


def test_histories_of_the_first_month_keep_the_jira_server_shape(jira, sim, org):
    """Histories migrated from Jira Server name their author by `name`/`key` without an accountId,
    and their items have no `fieldId`; later ones have the Cloud shape."""
    legacy_until = org.start + timedelta(days=30)
    shapes = {True: [], False: []}
    for item in jira_items(org):
        for history in changelog_walk(jira, sim, item.key, 100):
            shapes[parse_jira(history["created"]) < legacy_until].append(history)
    assert shapes[True] and shapes[False]
    for history in shapes[True]:
        assert {"name", "key", "displayName"} <= set(history["author"]) and "accountId" not in history["author"]
        assert all("fieldId" not in c and c["field"] for c in history["items"])
    for history in shapes[False]:
        assert "accountId" in history["author"] and "name" not in history["author"]
        assert all("fieldId" in c for c in history["items"])


def test_issue_fields_have_jira_shapes(jira, sim, org):
    issues, _ = walk(jira, sim, jql="project = PAY", fields="*all", maxResults=100)
    model = {i.key: i for i in jira_items(org, "PAY")}

    for issue in issues:
        item, fields = model[issue["key"]], issue["fields"]
        assert issue["id"] == str(item.native_id) and issue["self"].startswith(sim.base_url("jira"))
        assert {"summary", "issuetype", "status", "created", "updated", "resolutiondate", "resolution", "labels",
                "priority", "assignee", "reporter", "project", org.flagged_field} <= set(fields)  # fmt: skip
        assert set(fields["issuetype"]) >= {"id", "name", "subtask", "hierarchyLevel"}
        assert fields["status"]["name"] == item.status
        assert fields["status"]["statusCategory"]["key"] == org.jira_statuses[item.status]
        assert (fields["resolution"] is not None) == (org.jira_statuses[item.status] == "done")
        assert (fields["resolutiondate"] is not None) == (fields["resolution"] is not None)
        assert fields["project"]["key"] == "PAY" and fields["labels"] == item.labels
        flag = fields[org.flagged_field]
        assert flag is None if not item.is_flagged else flag[0]["value"] == "Impediment"
        assignee = fields["assignee"]
        assert (assignee or {}).get("displayName") == (item.assignee.name if item.assignee else None)
        reporter = fields["reporter"]
        assert {"accountId", "displayName", "emailAddress", "timeZone", "accountType", "active"} <= set(reporter)


# ---------------------------------------------------------------------------------- reference data and auth
def test_statuses_and_categories(jira, sim, org):
    statuses = jira.get(f"{sim.base_url('jira')}/rest/api/3/status").json()
    categories = jira.get(f"{sim.base_url('jira')}/rest/api/3/statuscategory").json()

    assert {s["name"]: s["statusCategory"]["key"] for s in statuses} == org.jira_statuses
    assert all({"id", "name", "statusCategory", "scope"} <= set(s) for s in statuses)
    assert {"new", "indeterminate", "done"} <= {c["key"] for c in categories}
    assert statuses == jira.get(f"{sim.base_url('jira')}/rest/api/3/status").json()  # ids are stable


def test_myself_and_projects(jira, sim):
    me = jira.get(f"{sim.base_url('jira')}/rest/api/3/myself").json()
    pay = jira.get(f"{sim.base_url('jira')}/rest/api/3/project/PAY")
    missing = jira.get(f"{sim.base_url('jira')}/rest/api/3/project/XYZ")

    assert me["emailAddress"] == sim.credentials.jira_email and me["timeZone"] == "Europe/Berlin"
    assert pay.status_code == 200 and pay.json()["key"] == "PAY"
    assert missing.status_code == 404
    assert missing.json() == {"errorMessages": ["No project could be found with key 'XYZ'."], "errors": {}}


def test_credentials(sim):
    url = f"{sim.base_url('jira')}/rest/api/3/myself"
    email, token = sim.credentials.jira_email, sim.credentials.jira_token

    assert requests.get(url, auth=(email, "wrong-token")).status_code == 401
    assert requests.get(url).status_code == 401
    assert requests.get(url, headers={"Authorization": "Bearer wrong-token"}).status_code == 401
    assert requests.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 200  # Data Center PAT
    basic = base64.b64encode(f"{email}:{token}".encode()).decode()
    assert requests.get(url, headers={"Authorization": f"Basic {basic}"}).status_code == 200


# ---------------------------------------------------------------------------------- documented shapes
# No package registry ships Atlassian's OpenAPI description of Jira Cloud (npm's jira.js carries
# generated types, not the description), so the replies are checked against the models its
# documentation lists: SearchAndReconcileResults, IssueBean, BulkChangelogResponseBean,
# IssueChangeLog, PageBeanChangelog, Changelog, ChangeDetails and UserDetails. Objects take no
# property the documentation does not name (ChangeDetails aside: Jira adds tmpFromAccountId and
# tmpToAccountId to assignee items).
JIRA_TIME = {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$"}
USER = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        **{k: {"type": "string"} for k in ("self", "accountId", "emailAddress", "displayName", "timeZone",
                                            "accountType", "key", "name", "locale")},
        "active": {"type": "boolean"},
        "avatarUrls": {"type": "object"},
    },
}  # fmt: skip
CHANGE = {
    "type": "object",
    "required": ["field", "fieldtype"],
    "properties": {
        **{k: {"type": ["string", "null"]} for k in ("from", "fromString", "to", "toString")},
        **{k: {"type": "string"} for k in ("field", "fieldId", "fieldtype")},
    },
}


def changelog_schema(created: dict) -> dict:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "author", "created", "items"],
        "properties": {
            "id": {"type": "string"},
            "author": USER,
            "created": created,
            "items": {"type": "array", "items": CHANGE},
            "historyMetadata": {"type": "object"},
        },
    }


SEARCH_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["issues"],
    "properties": {
        "issues": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id"],
                "properties": {
                    **{k: {"type": "string"} for k in ("id", "key", "self", "expand")},
                    "fields": {"type": "object"},
                    "changelog": {
                        "type": "object",
                        "properties": {"histories": {"type": "array", "items": changelog_schema(JIRA_TIME)}},
                    },
                },
            },
        },
        "nextPageToken": {"type": "string"},
        "isLast": {"type": "boolean"},
        "names": {"type": "object"},
        "schema": {"type": "object"},
    },
}
# The published example dates bulk histories by a number (`"created": 1492070429`), its schema by a date-time string.
BULK_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["issueChangeLogs"],
    "properties": {
        "issueChangeLogs": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "issueId": {"type": "string"},
                    "changeHistories": {
                        "type": "array",
                        "items": changelog_schema({"anyOf": [JIRA_TIME, {"type": "integer"}]}),
                    },
                },
            },
        },
        "nextPageToken": {"type": "string"},
    },
}
PAGE_OF_CHANGELOGS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        **{k: {"type": "integer"} for k in ("startAt", "maxResults", "total")},
        "isLast": {"type": "boolean"},
        **{k: {"type": "string"} for k in ("self", "nextPage")},
        "values": {"type": "array", "items": changelog_schema(JIRA_TIME)},
    },
}


def test_replies_have_the_documented_shapes(jira, sim, org):
    from jsonschema import Draft7Validator

    item = next(i for i in jira_items(org, "PAY") if len(i.events) >= 3)
    base = sim.base_url("jira")
    replies = {
        "search": (SEARCH_SCHEMA, search(jira, sim, jql="project = PAY", fields="*all", expand="changelog").json()),
        "ids": (SEARCH_SCHEMA, search(jira, sim, jql="project = PAY").json()),
        "bulk": (BULK_SCHEMA, jira.post(f"{base}/rest/api/3/changelog/bulkfetch",
                                        json={"issueIdsOrKeys": [item.key]}).json()),
        "changelog": (PAGE_OF_CHANGELOGS_SCHEMA, jira.get(f"{base}/rest/api/3/issue/{item.key}/changelog").json()),
    }  # fmt: skip
    for name, (schema, reply) in replies.items():
        errors = [f"{e.json_path}: {e.message[:200]}" for e in Draft7Validator(schema).iter_errors(reply)]
        assert not errors, (name, errors[:5])
    assert replies["bulk"][1]["issueChangeLogs"][0]["changeHistories"]
