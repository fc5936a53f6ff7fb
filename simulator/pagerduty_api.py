"""PagerDuty REST v2, served from the simulated organisation: services, incidents and their log entries.

Every repository of the organisation is a PagerDuty service named after it (`payments-api`,
`pipeline`). Some production deployments page their service within a day; every service also
gets pages no deployment caused. Each incident is triggered, usually acknowledged, and resolved
after a skewed delay (some by PagerDuty itself, unacknowledged); those still open at the
organisation's end stay open, so a later clock resolves them.

What a client must cope with, as PagerDuty does it: `Authorization: Token token=…`, offset
paging (`limit` ≤ 100, `more`) that refuses `offset + limit` past 10,000 (400, code 2002),
`since`/`until` on creation time (no dates: the last 30 days; at most 6 months apart),
`acknowledgements` and `assignments` emptied on resolve, and 429 with `ratelimit-*` headers
whose reset is in seconds from now.

The incidents derive from the organisation by seeded choices per deployment and per service and
60 days, never from the clock, so moving the clock shows the same incidents as they were then.
No package registry ships PagerDuty's OpenAPI description: the replies follow the field lists
of the design notes (tests/test_simulator_pagerduty.py checks them).
"""

from __future__ import annotations

import hashlib
import math
import random
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from simulator.api import Api, Credentials, RateBudget
from simulator.model import Org, Person
from simulator.routing import ApiRequest, ApiResponse, Router, parse_time, per_org

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
OFFSET_CEILING = 10_000  # offset + limit may not exceed this
MAX_RANGE = timedelta(days=183)  # since..until at most about 6 months
DEFAULT_RANGE = timedelta(days=30)
ACCOUNT = "acme"  # the subdomain: html_url is https://acme.pagerduty.com/…
PAGE_CHANCE = 0.05  # a production deployment pages its service
PAGES_NOBODY_DEPLOYED = 1  # per service and 60 days
PRIORITIES = ("P1", "P2", "P3", "P4", "P5")
SYMPTOMS = ("High error rate", "Latency above SLO", "Health check failing", "Queue depth alarm", "Disk almost full")

ROUTER = Router()


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    repo: str  # the repository it runs
    team: str


@dataclass(frozen=True)
class Incident:
    id: str
    number: int
    title: str
    service: Service
    created_at: datetime
    urgency: str  # high | low
    priority: str | None  # P1..P5, or none set
    acknowledged_at: datetime | None
    acknowledger: Person | None
    resolved_at: datetime
    resolver: Person | None  # None: resolved by PagerDuty itself (auto-resolve)
    deployment: int | None  # native id of the deployment that caused it, if one did


def pd_id(*parts: object) -> str:
    """A PagerDuty-looking id: `P` and six upper-case letters or digits, stable for the same parts."""
    digest = int(hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest(), 16)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "P" + "".join(alphabet[(digest >> (6 * i)) % 36] for i in range(6))


def pd_time(moment: datetime | None) -> str | None:
    """`2026-05-04T09:00:00Z`: PagerDuty answers in UTC (with `time_zone=UTC`) to the second."""
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def services(org: Org) -> list[Service]:
    """One service per repository, named like its last path segment."""
    return [Service(pd_id("service", r.full_name), r.full_name.rsplit("/", 1)[-1], r.full_name, r.team)
            for r in org.repositories]  # fmt: skip


def all_incidents(org: Org) -> list[Incident]:
    """Every incident created up to the organisation's end, numbered in creation order."""
    by_repo = {s.repo: s for s in services(org)}
    drafts: list[tuple[datetime, str, Service, random.Random, int | None]] = []
    for d in org.deployments:
        rng = random.Random(f"pagerduty:{org.name}:deployment:{d.native_id}")
        if d.production_environment and rng.random() < PAGE_CHANCE:
            at = d.created_at + timedelta(hours=1) + timedelta(seconds=int(rng.uniform(0, 20) * 3600))
            drafts.append((at, f"deployment:{d.native_id}", by_repo[d.repo], rng, d.native_id))
    periods = -(-(org.end - org.start).days // 60) + 1
    for service in by_repo.values():
        for period in range(periods):
            for n in range(PAGES_NOBODY_DEPLOYED):
                rng = random.Random(f"pagerduty:{org.name}:{service.name}:{period}:{n}")
                at = org.start + timedelta(days=60 * period, seconds=int(rng.uniform(0, 60 * 86400)))
                drafts.append((at, f"{service.name}:{period}:{n}", service, rng, None))
    drafts = sorted((d for d in drafts if d[0] <= org.end), key=lambda d: (d[0], d[1]))
    return [_incident(org, number, *draft) for number, draft in enumerate(drafts, start=1)]


def _incident(org: Org, number: int, at: datetime, key: str, service: Service, rng: random.Random,
              deployment: int | None) -> Incident:  # fmt: skip
    team = org.teams.get(service.team) or org.people
    responder = rng.choice(team)
    auto = rng.random() < 0.15  # a flapping alert: PagerDuty resolves it before anyone acknowledges
    acknowledged_at = None if auto else at + timedelta(seconds=rng.randint(60, 1800))
    hours = math.exp(rng.gauss(0.3, 1.0)) if not auto else rng.uniform(0.05, 0.5)
    resolved_at = (acknowledged_at or at) + timedelta(seconds=int(hours * 3600))
    title = f"{rng.choice(SYMPTOMS)} on {service.name}"
    if deployment is not None and rng.random() < 0.3:
        title += f" after deployment {deployment}"
    return Incident(
        id=pd_id("incident", key), number=number, title=title, service=service, created_at=at,
        urgency="high" if rng.random() < 0.7 else "low",
        priority=rng.choice((*PRIORITIES, None)), acknowledged_at=acknowledged_at,
        acknowledger=None if auto else responder, resolved_at=resolved_at, resolver=None if auto else responder,
        deployment=deployment,
    )  # fmt: skip


@dataclass(frozen=True)
class _Index:
    org: Org
    services: dict[str, Service]
    incidents: list[Incident]
    by_id: dict[str, Incident]


@per_org
def _index(org: Org) -> _Index:
    found = all_incidents(org)
    return _Index(org, {s.id: s for s in services(org)}, found, {i.id: i for i in found})


# ---------------------------------------------------------------------------------- rendering
def _reference(kind: str, id_: str, summary: str, base: str, path: str) -> dict:
    return {
        "id": id_, "type": f"{kind}_reference", "summary": summary, "self": f"{base}/{path}/{id_}",
        "html_url": f"https://{ACCOUNT}.pagerduty.com/{path}/{id_}",
    }  # fmt: skip


def _user(person: Person, base: str) -> dict:
    return _reference("user", pd_id("user", person.login), person.name, base, "users")


def _status(incident: Incident, now: datetime) -> str:
    if incident.resolved_at <= now:
        return "resolved"
    if incident.acknowledged_at is not None and incident.acknowledged_at <= now:
        return "acknowledged"
    return "triggered"


def _team(service: Service, base: str) -> dict:
    return _reference("team", pd_id("team", service.team), service.team.title(), base, "teams")


def _render_incident(incident: Incident, index: _Index, base: str) -> dict:
    now = index.org.end
    status = _status(incident, now)
    changed = {"triggered": incident.created_at, "acknowledged": incident.acknowledged_at,
               "resolved": incident.resolved_at}[status]  # fmt: skip
    changed_by = {"triggered": None, "acknowledged": incident.acknowledger, "resolved": incident.resolver}[status]
    service = incident.service
    open_ = status != "resolved"
    acknowledgements = []
    if status == "acknowledged":  # emptied on resolve, as PagerDuty does
        who = _user(incident.acknowledger, base)
        acknowledgements = [{"at": pd_time(incident.acknowledged_at), "acknowledger": who}]
    responder = incident.acknowledger or incident.resolver
    assignments = []
    if open_ and responder:  # emptied on resolve too
        assignments = [{"at": pd_time(incident.created_at), "assignee": _user(responder, base)}]
    priority = None
    if incident.priority:
        priority = {**_reference("priority", pd_id("priority", incident.priority), incident.priority, base,
                                 "priorities"), "name": incident.priority}  # fmt: skip
    return {
        "id": incident.id,
        "type": "incident",
        "summary": f"[#{incident.number}] {incident.title}",
        "self": f"{base}/incidents/{incident.id}",
        "html_url": f"https://{ACCOUNT}.pagerduty.com/incidents/{incident.id}",
        "incident_number": incident.number,
        "title": incident.title,
        "description": incident.title,
        "created_at": pd_time(incident.created_at),
        "updated_at": pd_time(changed),
        "status": status,
        "incident_key": hashlib.sha1(incident.id.encode()).hexdigest()[:32],
        "service": _reference("service", service.id, service.name, base, "services"),
        "assignments": assignments,
        "assigned_via": "escalation_policy",
        "last_status_change_at": pd_time(changed),
        "last_status_change_by": (
            _user(changed_by, base) if changed_by else _reference("service", service.id, service.name, base, "services")
        ),
        "resolved_at": pd_time(incident.resolved_at) if status == "resolved" else None,
        "first_trigger_log_entry": _reference(
            "trigger_log_entry", pd_id("log", incident.id, "trigger"), "Triggered through the API.", base, "log_entries"
        ),
        "alert_counts": {"all": 1, "triggered": int(open_), "resolved": int(not open_)},
        "is_mergeable": True,
        "incident_type": {"name": "incident_default"},
        "escalation_policy": _reference(
            "escalation_policy", pd_id("policy", service.team), f"{service.team} on call", base, "escalation_policies"
        ),  # fmt: skip
        "teams": [_team(service, base)],
        "pending_actions": [],
        "acknowledgements": acknowledgements,
        "alert_grouping": None,
        "last_status_change_by_type": None,
        "priority": priority,
        "resolve_reason": None,
        "urgency": incident.urgency,
    }


def log_entries(incident: Incident, now: datetime, base: str) -> list[dict]:
    """The incident's log, oldest first, as far as `now`: trigger, notify, acknowledge, resolve."""
    service = _reference("service", incident.service.id, incident.service.name, base, "services")
    on_call = incident.acknowledger or incident.resolver
    entries = [
        ("trigger", incident.created_at, service, {"type": "api"}, "Triggered through the API."),
        ("notify", incident.created_at + timedelta(seconds=5), service, {"type": "auto"},
         f"Notified {on_call.name if on_call else 'the on-call responder'} by push."),
    ]  # fmt: skip
    if incident.acknowledged_at:
        who = _user(incident.acknowledger, base)
        entries.append(
            ("acknowledge", incident.acknowledged_at, who, {"type": "mobile"}, f"Acknowledged by {who['summary']}.")
        )
    if incident.resolver:
        who = _user(incident.resolver, base)
        entries.append(("resolve", incident.resolved_at, who, {"type": "web"}, f"Resolved by {who['summary']}."))
    else:
        entries.append(("resolve", incident.resolved_at, service, {"type": "auto"}, "Resolved by the integration."))
    incident_summary = f"[#{incident.number}] {incident.title}"
    return [
        {
            "id": pd_id("log", incident.id, kind),
            "type": f"{kind}_log_entry",
            "summary": summary,
            "self": f"{base}/log_entries/{pd_id('log', incident.id, kind)}",
            "html_url": None,
            "created_at": pd_time(at),
            "agent": agent,
            "channel": channel,
            "service": service,
            "incident": _reference("incident", incident.id, incident_summary, base, "incidents"),
            "teams": [_team(incident.service, base)],
            "contexts": [],
        }
        for kind, at, agent, channel, summary in entries
        if at <= now
    ]


# ---------------------------------------------------------------------------------- routes
def _error(status: int, code: int, message: str, *errors: str) -> ApiResponse:
    return ApiResponse(status, {"error": {"message": message, "code": code, "errors": list(errors)}})


def _paged(request: ApiRequest, rows: list, key: str, render) -> ApiResponse:
    """PagerDuty's offset paging: `limit`, `offset`, `more`, and `total` only when asked (`total=true`)."""
    try:
        limit = min(max(1, int(request.arg("limit", str(DEFAULT_LIMIT)))), MAX_LIMIT)
        offset = max(0, int(request.arg("offset", "0")))
    except ValueError:
        return _error(400, 2001, "Invalid Input Provided", "Limit and offset must be integers.")
    if offset + limit > OFFSET_CEILING:
        return _error(400, 2002, "Arguments Caused Error", f"Offset must be less than {OFFSET_CEILING - limit + 1}.")
    page = rows[offset : offset + limit]
    total = len(rows) if request.arg("total") == "true" else None
    return ApiResponse(
        200,
        {key: [render(row) for row in page], "limit": limit, "offset": offset, "more": offset + limit < len(rows),
         "total": total},
    )  # fmt: skip


@ROUTER.get(r"/services/(?P<id>[A-Z0-9]+)")
def service(request: ApiRequest, match: re.Match, org: Org) -> ApiResponse:
    found = _index(org).services.get(match["id"])
    if found is None:
        return _error(404, 2100, "Not Found")
    return ApiResponse(200, {"service": {
        **_reference("service", found.id, found.name, request.base_url, "services"),
        "type": "service", "name": found.name, "description": f"{found.repo}, run by the {found.team} team",
        "status": "active", "created_at": pd_time(org.start - timedelta(days=400)),
        "teams": [_team(found, request.base_url)],
    }})  # fmt: skip


@ROUTER.get(r"/incidents")
def incidents(request: ApiRequest, match: re.Match, org: Org) -> ApiResponse:
    index = _index(org)
    rows = index.incidents
    if request.arg("date_range") != "all":
        try:
            until = parse_time(request.arg("until")) if request.arg("until") else org.end
            since = parse_time(request.arg("since")) if request.arg("since") else until - DEFAULT_RANGE
        except ValueError:
            return _error(400, 2001, "Invalid Input Provided", "since and until must be ISO 8601 dates.")
        if until - since > MAX_RANGE:
            return _error(400, 2001, "Invalid Input Provided", "The time range may not exceed 6 months.")
        rows = [i for i in rows if since <= i.created_at < until]
    wanted = set(request.query.get("service_ids[]", []))
    if wanted:
        rows = [i for i in rows if i.service.id in wanted]
    statuses = set(request.query.get("statuses[]", []))
    if statuses:
        rows = [i for i in rows if _status(i, org.end) in statuses]
    urgencies = set(request.query.get("urgencies[]", []))
    if urgencies:
        rows = [i for i in rows if i.urgency in urgencies]
    descending = request.arg("sort_by", "created_at:asc") in ("created_at:desc", "created_at")
    rows = sorted(rows, key=lambda i: (i.created_at, i.number), reverse=descending)
    return _paged(request, rows, "incidents", lambda i: _render_incident(i, index, request.base_url))


@ROUTER.get(r"/incidents/(?P<id>[A-Z0-9]+)")
def incident(request: ApiRequest, match: re.Match, org: Org) -> ApiResponse:
    index = _index(org)
    found = index.by_id.get(match["id"])
    if found is None:
        return _error(404, 2100, "Not Found")
    return ApiResponse(200, {"incident": _render_incident(found, index, request.base_url)})


@ROUTER.get(r"/incidents/(?P<id>[A-Z0-9]+)/log_entries")
def incident_log_entries(request: ApiRequest, match: re.Match, org: Org) -> ApiResponse:
    index = _index(org)
    found = index.by_id.get(match["id"])
    if found is None:
        return _error(404, 2100, "Not Found")
    entries = log_entries(found, org.end, request.base_url)
    if request.arg("is_overview") == "true":
        entries = [e for e in entries if e["type"] != "notify_log_entry"]
    entries.reverse()  # newest first, as PagerDuty lists them
    return _paged(request, entries, "log_entries", lambda e: e)


# ---------------------------------------------------------------------------------- the Api
def authenticate(request: ApiRequest, credentials: Credentials) -> ApiResponse | None:
    """An API key as `Authorization: Token token=<key>`."""
    if request.headers.get("authorization") == f"Token token={credentials.pagerduty_token}":
        return None
    return _error(401, 2006, "Authentication failed")


def error(status: int, kind: str) -> ApiResponse:
    if status == 429 or kind in ("rate_limit", "primary_limit"):
        return _error(429, 2020, "Rate Limit Exceeded")
    if kind == "forbidden":
        return _error(403, 2010, "Access Denied")
    return _error(status, 2000, "Internal Error")


def rate_limit_headers(budget: RateBudget) -> dict[str, str]:
    """`ratelimit-*` as PagerDuty sends them: the reset is seconds from now, not an epoch."""
    return {
        "ratelimit-limit": str(budget.limit),
        "ratelimit-remaining": str(budget.remaining),
        "ratelimit-reset": str(max(0, math.ceil(budget.reset_at - time.time()))),
    }


def not_found(request: ApiRequest) -> ApiResponse:
    return _error(404, 2100, "Not Found")


API = Api(
    name="pagerduty",
    router=ROUTER,
    authenticate=authenticate,
    error=error,
    rate_limit_headers=rate_limit_headers,
    not_found=not_found,
)
