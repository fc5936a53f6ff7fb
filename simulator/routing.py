"""Requests, replies, routes and pagination shared by the simulated APIs."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlencode

from simulator.model import Org


@dataclass
class ApiRequest:
    method: str
    path: str  # below the API's prefix, e.g. /repos/acme/web/issues
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    base_url: str  # scheme, host and the API's prefix, e.g. http://127.0.0.1:8000/github

    @classmethod
    def build(
        cls, method: str, path: str, query_string: str, headers: dict[str, str], body: bytes, base_url: str
    ) -> ApiRequest:
        query = parse_qs(query_string, keep_blank_values=True)
        return cls(method, path, query, {k.lower(): v for k, v in headers.items()}, body, base_url)

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else default

    def int_arg(self, name: str, default: int, maximum: int | None = None) -> int:
        """An integer parameter; out-of-range values are clamped as the real APIs do."""
        try:
            value = int(self.arg(name, str(default)))
        except ValueError:
            value = default
        value = max(1, value) if name != "startAt" else max(0, value)
        return min(value, maximum) if maximum else value

    def url(self, **overrides: Any) -> str:
        """This request's URL with some query parameters replaced (used for `Link` headers)."""
        query = {k: v[-1] for k, v in self.query.items()}
        query.update({k: str(v) for k, v in overrides.items()})
        return f"{self.base_url}{self.path}?{urlencode(query)}"


@dataclass
class ApiResponse:
    status: int
    body: Any  # JSON-serialisable, or bytes sent as they are
    headers: dict[str, str] = field(default_factory=dict)
    broken: str = ""  # how the server breaks sending it (a fault kind of simulator.server), "" for not at all


Handler = Callable[[ApiRequest, re.Match, Org], ApiResponse]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern
    handler: Handler


class Router:
    """Collects an API's routes: `@router.get(r"/repos/(?P<owner>[^/]+)/...")`."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def get(self, pattern: str) -> Callable[[Handler], Handler]:
        return self._add("GET", pattern)

    def post(self, pattern: str) -> Callable[[Handler], Handler]:
        return self._add("POST", pattern)

    def _add(self, method: str, pattern: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.routes.append(Route(method, re.compile(pattern + "$"), handler))
            return handler

        return register

    def dispatch(self, request: ApiRequest, org: Org) -> ApiResponse | None:
        """The route's reply, or None when no route matches the path."""
        for route in self.routes:
            match = route.pattern.match(request.path)
            if match and route.method == request.method:
                return route.handler(request, match, org)
        return None


def page_slice(
    items: Sequence, request: ApiRequest, default_per_page: int = 30, max_per_page: int = 100
) -> tuple[list, int, int, int]:
    """The page a `page`/`per_page` request asks for: (items, page, per_page, last_page)."""
    per_page = request.int_arg("per_page", default_per_page, max_per_page)
    page = request.int_arg("page", 1)
    last_page = max(1, -(-len(items) // per_page))
    start = (page - 1) * per_page
    return list(items[start : start + per_page]), page, per_page, last_page


def link_header(request: ApiRequest, page: int, last_page: int) -> str:
    """RFC 8288 `Link` as GitHub and GitLab send it: next/last, and prev/first past page 1."""
    links = []
    if page < last_page:
        links.append(f'<{request.url(page=page + 1)}>; rel="next"')
        links.append(f'<{request.url(page=last_page)}>; rel="last"')
    if page > 1:
        links.append(f'<{request.url(page=page - 1)}>; rel="prev"')
        links.append(f'<{request.url(page=1)}>; rel="first"')
    return ", ".join(links)


def parse_time(value: str) -> datetime:
    """An ISO 8601 instant as the APIs accept it (`Z` or an offset)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


Index = TypeVar("Index")


def per_org(build: Callable[[Org], Index]) -> Callable[[Org], Index]:
    """Memoise `build(org)` for the last few Org objects: every page of a listing reuses one
    index, and moving the clock serves a new Org, so a new index."""
    cache: dict[int, tuple[Org, Index]] = {}
    lock = threading.Lock()

    def cached(org: Org) -> Index:
        with lock:
            hit = cache.get(id(org))
            if hit is None or hit[0] is not org:
                if len(cache) >= 8:
                    cache.pop(next(iter(cache)))
                hit = cache[id(org)] = (org, build(org))
            return hit[1]

    return cached
