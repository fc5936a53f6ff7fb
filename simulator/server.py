"""A loopback HTTP server that serves the simulated organisation as GitHub, Jira, GitLab, PagerDuty and Linear.

Each API lives under its own prefix (`/github`, `/jira`, `/gitlab`), so one server stands in for
three hosts; a source only needs its base URL pointed here. Tests inject faults, move the
clock, and count the requests each load made.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import orjson

from simulator import (
    github_api,
    github_graphql,
    gitlab_api,
    gitlab_graphql,
    jenkins_api,
    jira_api,
    linear_api,
    pagerduty_api,
)
from simulator.api import Api, Credentials, RateBudget
from simulator.model import Org
from simulator.routing import ApiRequest, ApiResponse, parse_time

# Fault kinds a test can inject.
RATE_LIMIT = "rate_limit"  # 429 with Retry-After
SECONDARY_LIMIT = "secondary_limit"  # GitHub's 403 "secondary rate limit" with retry-after
SERVER_ERROR = "server_error"  # 500
MALFORMED = "malformed"  # 200 whose body is cut off mid-JSON
SLOW = "slow"  # the normal reply after `delay` seconds
CUT_OFF = "cut_off"  # the connection closes after half of the promised Content-Length
BROKEN_CHUNKS = "broken_chunks"  # a chunked reply whose connection closes before the last chunk
GARBLED = "garbled"  # a reply that is not HTTP at all: a protocol error
FORBIDDEN = "forbidden"  # 403 without any sign of rate limiting: the token lacks a permission
NOT_FOUND = "not_found"  # 404, as for a resource the repository or project does not have
# 403 with `x-ratelimit-remaining: 0` and no reset time: a used-up budget as some proxies and older servers report it
SPENT_WITHOUT_RESET = "spent_without_reset"
FUTURE_DATED = "future_dated"  # the newest row of a list claims the date `dated` (clock skew, a bad import)
# GitHub's GraphQL endpoint only: one pull request of the query fails, the rest of the data comes (HTTP 200 with
# `errors`); or the query is given up on (HTTP 502).
PARTIAL = github_graphql.PARTIAL
BAD_GATEWAY = github_graphql.BAD_GATEWAY
# The timestamp that orders a list's rows, by preference: the first of these a row has.
ROW_STAMPS = ("updated_at", "updated", "created_at", "created")


@dataclass
class Fault:
    """Answer requests whose `api:/path?query` matches `pattern` with a fault.

    The first `skip` matching requests pass untouched, the next `times` get the fault, and
    the rest pass again: `Fault("github:/repos/acme/web/issues", SERVER_ERROR, skip=1)` fails
    the second page of a paginated list once.
    """

    pattern: str
    kind: str
    skip: int = 0
    times: int = 1
    retry_after: int = 1
    delay: float = 0.0
    dated: datetime | None = None  # FUTURE_DATED: the date the newest row claims
    seen: int = 0

    def fires(self, target: str) -> bool:
        if not re.search(self.pattern, target):
            return False
        self.seen += 1
        return self.skip < self.seen <= self.skip + self.times


@dataclass(frozen=True)
class RequestRecord:
    api: str
    method: str
    path: str
    query: str
    status: int
    operation: str = ""  # a GraphQL query's operation name


@dataclass
class Simulator:
    """The server and its state. Use as a context manager, or `start()` and `stop()`."""

    org: Org
    credentials: Credentials = field(default_factory=Credentials)
    rate_limit: int = 5000
    rate_limit_window_seconds: int = 3600
    complexity_limit: int = 250_000  # Linear's points per window
    graphql_rate_limit: int = 5000  # GraphQL points per window, a budget of its own as on GitHub
    graphql_timeout_nodes: int = 0  # a GraphQL query asking for more nodes than this answers 502; 0: none does
    host: str = "127.0.0.1"
    port: int = 0

    def __post_init__(self) -> None:
        self.full_org = self.org
        apis = (github_api.API, jira_api.API, gitlab_api.API, pagerduty_api.API, jenkins_api.API, linear_api.API)
        self.apis = {api.name: api for api in apis}
        self.faults: list[Fault] = []
        self.requests: list[RequestRecord] = []
        self._budgets: dict[tuple[str, str], RateBudget] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # ---------------------------------------------------------------- lifecycle
    def start(self) -> Simulator:
        self._server = ThreadingHTTPServer((self.host, self.port), _handler_for(self))
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        serve = lambda: self._server.serve_forever(poll_interval=0.05)  # noqa: E731 - quick shutdown
        threading.Thread(target=serve, name="simulator", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def base_url(self, api: str) -> str:
        """What a source's `base_url` is set to: GitHub's API root, Jira's site, GitLab's host."""
        return f"{self.url}/{api}"

    def source_settings(self) -> dict[str, str]:
        """The settings that point every source at this server, as the environment variables a user sets."""
        org, credentials = self.full_org, self.credentials
        repositories = {s: [r.full_name for r in org.repositories if r.source == s] for s in ("github", "gitlab")}
        return {
            "SOURCES__GITHUB__BASE_URL": self.base_url("github"),
            "SOURCES__GITHUB__ACCESS_TOKEN": credentials.github_token,
            "SOURCES__GITHUB__REPOSITORIES": json.dumps(repositories["github"]),
            "SOURCES__JIRA__BASE_URL": self.base_url("jira"),
            "SOURCES__JIRA__EMAIL": credentials.jira_email,
            "SOURCES__JIRA__API_TOKEN": credentials.jira_token,
            "SOURCES__JIRA__PROJECTS": json.dumps([p.key for p in org.jira_projects]),
            "SOURCES__GITLAB__BASE_URL": self.base_url("gitlab"),
            "SOURCES__GITLAB__ACCESS_TOKEN": credentials.gitlab_token,
            "SOURCES__GITLAB__PROJECTS": json.dumps(repositories["gitlab"]),
            "SOURCES__PAGERDUTY__BASE_URL": self.base_url("pagerduty"),
            "SOURCES__PAGERDUTY__API_KEY": credentials.pagerduty_token,
            "SOURCES__PAGERDUTY__SERVICES": json.dumps([s.id for s in pagerduty_api.services(org)]),
            "SOURCES__JENKINS__BASE_URL": self.base_url("jenkins"),
            "SOURCES__JENKINS__USER": credentials.jenkins_user,
            "SOURCES__JENKINS__API_TOKEN": credentials.jenkins_token,
            "SOURCES__JENKINS__JOBS": json.dumps(["acme/*", f"{jenkins_api.DEPLOY_FOLDER}/*"]),
        } | self.linear_settings()

    def linear_settings(self) -> dict[str, str]:
        """Linear's settings, when the organisation has a team that plans there (none: Linear stays unconfigured)."""
        teams = [t.key for t in self.full_org.linear_teams]
        if not teams:
            return {}
        return {
            "SOURCES__LINEAR__BASE_URL": self.base_url("linear"),
            "SOURCES__LINEAR__API_KEY": self.credentials.linear_token,
            "SOURCES__LINEAR__TEAMS": json.dumps(teams),
        }

    # ---------------------------------------------------------------- what tests steer
    def set_clock(self, moment: datetime) -> None:
        """Serve the organisation as it was at `moment` (never later than the generated end)."""
        with self._lock:
            self.org = self.full_org.as_of(moment)

    def delete_items(self, *native_ids: int) -> None:
        """Delete work items upstream, as their users can: gone from every reply, now and after the clock moves."""

        def without(org: Org) -> Org:
            return dataclasses.replace(org, work_items=[i for i in org.work_items if i.native_id not in native_ids])

        with self._lock:
            self.full_org, self.org = without(self.full_org), without(self.org)

    def delete_deployments(self, *native_ids: int) -> None:
        """Delete deployments upstream, as GitHub allows: gone from every reply, now and after the clock moves."""

        def without(org: Org) -> Org:
            return dataclasses.replace(org, deployments=[d for d in org.deployments if d.native_id not in native_ids])

        with self._lock:
            self.full_org, self.org = without(self.full_org), without(self.org)

    def rename_repository(self, old: str, new: str) -> None:
        """Rename a repository upstream: replies use the new name, and the old one answers 301 to the new place."""
        with self._lock:
            self.full_org = self.full_org.with_repository_renamed(old, new)
            self.org = self.org.with_repository_renamed(old, new)

    def inject(self, *faults: Fault) -> None:
        with self._lock:
            self.faults.extend(faults)

    def clear(self) -> None:
        """Forget faults and the request log."""
        with self._lock:
            self.faults.clear()
            self.requests.clear()

    def request_count(self, api: str | None = None, path_pattern: str = "", operation: str = "") -> int:
        """Requests to `api` whose path (and GraphQL operation name, when given) match the patterns."""
        return sum(
            1
            for r in self.requests
            if (api is None or r.api == api) and re.search(path_pattern, r.path) and re.search(operation, r.operation)
        )

    # ---------------------------------------------------------------- serving
    def respond(self, method: str, raw_path: str, headers: dict[str, str], body: bytes) -> ApiResponse:
        parts = urlsplit(raw_path)
        api_name, _, rest = parts.path.lstrip("/").partition("/")
        api = self.apis.get(api_name)
        if api is None:
            return ApiResponse(404, {"message": "Not Found"})
        request = ApiRequest.build(method, "/" + rest, parts.query, headers, body, f"{self.url}/{api_name}")
        path = api.canonical_path(request.path, self.org) if api.canonical_path else request.path
        operation = _operation(request)
        response = self._answer(api, request, path, operation)
        record = RequestRecord(api.name, method, path, parts.query, response.status, operation)
        with self._lock:
            self.requests.append(record)
        return response

    def _answer(self, api: Api, request: ApiRequest, path: str, operation: str) -> ApiResponse:
        target = f"{api.name}:{path}?{urlsplit(request.url()).query}"
        if operation:
            target += f"#{operation}"  # for faults aimed at one kind of GraphQL query
        with self._lock:
            fault = next((f for f in self.faults if f.fires(target)), None)
            org = self.org
        denied = api.authenticate(request, self.credentials)
        if denied is not None:
            return denied
        if fault is not None and fault.kind in (RATE_LIMIT, SECONDARY_LIMIT, SERVER_ERROR):
            reply = api.error(
                429 if fault.kind == RATE_LIMIT else 403 if fault.kind == SECONDARY_LIMIT else 500, fault.kind
            )
            if fault.kind != SERVER_ERROR:
                reply.headers["Retry-After"] = str(fault.retry_after)
            return reply
        if fault is not None and fault.kind == SPENT_WITHOUT_RESET:
            reply = api.error(403, "primary_limit")
            reply.headers.update({"x-ratelimit-limit": str(self.rate_limit), "x-ratelimit-remaining": "0"})
            return reply
        if fault is not None and fault.kind == SLOW:
            time.sleep(fault.delay)
        if api.name == "github" and request.path == "/graphql" and request.method == "POST":
            budget = self._budget("github-graphql", request, self.graphql_rate_limit)
            kind = fault.kind if fault is not None else ""
            reply = github_graphql.answer(request, org, budget, self._lock, kind, self.graphql_timeout_nodes)
            reply.headers.update(github_graphql.budget_headers(budget))
            return reply
        budget = self._budget(api.name, request, self.rate_limit)
        if_none_match = request.headers.get("if-none-match")
        if fault is not None and fault.kind == FORBIDDEN:
            reply = api.error(403, fault.kind)
        elif fault is not None and fault.kind == NOT_FOUND:
            reply = api.not_found(request)
        elif api.name == "gitlab" and request.path == "/api/graphql" and request.method == "POST":
            reply = gitlab_graphql.answer(request, org, fault.kind if fault is not None else "")
        else:
            reply = api.router.dispatch(request, org) or api.not_found(request)
        if fault is not None and fault.kind == FUTURE_DATED and reply.status == 200:
            reply.body = _newest_row_dated(copy.deepcopy(reply.body), fault.dated)
        etag = None
        if reply.status == 200 and not isinstance(reply.body, bytes):
            etag = 'W/"' + hashlib.sha1(_encoded(reply.body, keys_sorted=True)).hexdigest() + '"'
        if etag and if_none_match == etag:  # conditional request: free, as on GitHub
            return ApiResponse(304, b"", {"ETag": etag, **api.rate_limit_headers(budget)})
        with self._lock:
            allowed = budget.spend()
        if not allowed:
            reply = api.error(403 if api.name == "github" else 429, "primary_limit")
        elif api.charge is not None:
            with self._lock:
                reply = api.charge(reply, budget)
        reply.headers.update(api.rate_limit_headers(budget))
        if etag and allowed:
            reply.headers["ETag"] = etag
        if fault is not None and fault.kind == MALFORMED:
            text = _encoded(reply.body)
            reply = ApiResponse(200, text[: len(text) // 2], reply.headers)
        if fault is not None and fault.kind in (CUT_OFF, BROKEN_CHUNKS, GARBLED):
            reply.broken = fault.kind
        return reply

    def _budget(self, api: str, request: ApiRequest, limit: int) -> RateBudget:
        key = (api, request.headers.get("authorization", "") + request.headers.get("private-token", ""))
        with self._lock:
            if key not in self._budgets:
                self._budgets[key] = RateBudget(
                    limit, self.rate_limit_window_seconds, points_limit=self.complexity_limit
                )
            return self._budgets[key]


def _encoded(body: object, keys_sorted: bool = False) -> bytes:
    """A reply's body as JSON. orjson, as stdlib json took a seventh of the simulator's time; stdlib
    json for what orjson refuses (an integer above 64 bits)."""
    option = orjson.OPT_NON_STR_KEYS | (orjson.OPT_SORT_KEYS if keys_sorted else 0)
    try:
        return orjson.dumps(body, default=str, option=option)
    except orjson.JSONEncodeError:
        return json.dumps(body, default=str, sort_keys=keys_sorted).encode()


def _operation(request: ApiRequest) -> str:
    """A GraphQL query's operation name ("" for any other request)."""
    if not request.path.endswith("/graphql"):
        return ""
    named = re.search(rb'"query"\s*:\s*"\s*query\s+(\w+)', request.body or b"")
    return named[1].decode() if named else ""


def _newest_row_dated(body: object, moment: datetime) -> object:
    """The reply with its newest row's timestamp set to `moment`, written as the API writes it."""
    if isinstance(body, dict):  # Jira's search and changelogs, GitHub's workflow runs
        if "issueChangeLogs" in body:
            rows = [history for log in body["issueChangeLogs"] for history in log["changeHistories"]]
        else:
            rows = [issue["fields"] for issue in body.get("issues", [])] or body.get("workflow_runs", [])
            rows = rows or body.get("incidents", [])  # PagerDuty
    else:
        rows = body if isinstance(body, list) else []
    stamped = [(row, next(key for key in ROW_STAMPS if key in row)) for row in rows if set(ROW_STAMPS) & set(row)]
    if stamped:
        row, key = max(stamped, key=lambda pair: _instant(pair[0][pair[1]]))
        row[key] = _written_like(row[key], moment)
    return body


def _instant(stamp: str | int) -> datetime:
    """A row's timestamp: ISO 8601, or epoch milliseconds as Jira's bulk changelog sends them."""
    return datetime.fromtimestamp(stamp / 1000, UTC) if isinstance(stamp, int) else parse_time(stamp)


def _written_like(example: str | int, moment: datetime) -> str | int:
    """`moment` in the format of `example`: `…Z` with or without milliseconds, Jira's `.000+0200`,
    GitLab's `.000+03:00`, or epoch milliseconds."""
    if isinstance(example, int):
        return int(moment.timestamp() * 1000)
    if example.endswith("Z"):
        utc = moment.astimezone(UTC)
        return utc.strftime("%Y-%m-%dT%H:%M:%S.000Z" if "." in example else "%Y-%m-%dT%H:%M:%SZ")
    written = moment.astimezone(parse_time(example).tzinfo).strftime("%Y-%m-%dT%H:%M:%S.000%z")
    return f"{written[:-2]}:{written[-2:]}" if example[-3] == ":" else written


def _handler_for(simulator: Simulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes; without this, Nagle's algorithm holds the
            # second back for tens of milliseconds on every kept-alive request.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def date_time_string(self, timestamp: float | None = None) -> str:
            """The `Date` header: the simulated organisation's now, which `set_clock` moves."""
            return format_datetime(simulator.org.end.astimezone(UTC), usegmt=True)

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            reply = simulator.respond(self.command, self.path, dict(self.headers.items()), body)
            payload = reply.body if isinstance(reply.body, bytes) else _encoded(reply.body)
            if reply.broken == GARBLED:
                self.close_connection = True
                self.wfile.write(b"this is not HTTP\r\n\r\n")
                return
            self.send_response(reply.status)
            if reply.status != 304:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.broken == BROKEN_CHUNKS:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if reply.broken:  # half the body, then the connection closes
                self.close_connection = True
                half = payload[: len(payload) // 2]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(half), half) if reply.broken == BROKEN_CHUNKS else half)
                return
            self.wfile.write(payload)

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args: object) -> None:  # quiet: tests read .requests
            pass

    return Handler
