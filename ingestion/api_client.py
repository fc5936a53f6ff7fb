"""An HTTP client for REST APIs that page, throttle and fail the way GitHub, Jira and GitLab do.

It retries what is worth retrying (429, GitHub's secondary-limit 403, 5xx, dropped connections,
replies cut off in transit or mid-JSON, protocol errors) with the server's Retry-After or an
exponential backoff, waits for a primary rate-limit window to reset, and turns the failures a
user must fix (a rejected token, an unknown repository or project, a host that cannot be
reached at all) into `SourceError`s with one line naming the setting. Credentials travel only
in headers and never appear in a log line or an error.

It also keeps the run's clock: cursors never move past the moment the run began (by this
machine's clock or the server's `Date`, whichever is earlier) less a safety lag, so one row
dated in the future cannot make the next runs skip real data.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import orjson
import requests
from urllib3.exceptions import NewConnectionError

log = logging.getLogger("streamgauge.ingestion")

# Requests sent per API name in this process, for run metadata and the benchmark.
requests_made: Counter[str] = Counter()
# GraphQL points spent per API name in this process (the `cost` GitHub reports), likewise.
points_spent: Counter[str] = Counter()
_counting = threading.Lock()  # requests of one client may be sent from several threads

Row = TypeVar("Row")
Fetched = TypeVar("Fetched")


class SourceError(Exception):
    """A failure the user must fix; its message is the one line to show them."""


class AuthError(SourceError):
    """401/403 without any sign of rate limiting: the credentials are wrong or lack access."""


class ForbiddenError(AuthError):
    """403 without any sign of rate limiting: the credentials lack a permission there."""

    status = 403


class NotFoundError(SourceError):
    """404: the repository, project or issue does not exist or is not visible to the token."""

    status = 404


class PaginationLimitError(SourceError):
    """422 "pagination is limited for this resource": GitHub pages a repository-wide list only so deep."""


class TransientError(SourceError):
    """Retries ran out; a later run can pick up where this one stopped."""


class GaveUpError(TransientError):
    """A server error or a timeout on a request asked not to be retried: the caller asks for less instead."""


class UnreachableError(SourceError):
    """The first request of the run found no server at the base URL: a setting to fix, not an outage to wait out."""


# A connection that failed or a reply broken in transit (cut off, bad chunks, not HTTP): worth another try.
IN_TRANSIT = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)
# A rate-limit reset below this is seconds from now (PagerDuty), not epoch seconds (GitHub, GitLab).
RESET_IS_EPOCH_FROM = 1_000_000_000
# Cursors stop this long before the run began: rows written in the last moments may not be listed yet.
SAFETY_LAG = timedelta(minutes=15)


@dataclass
class RetryPolicy:
    attempts: int = 6
    backoff_seconds: float = 1.0  # doubled after each failure
    max_wait_seconds: float = 900.0  # longest sleep for a rate-limit reset before giving up
    secondary_limit_wait_seconds: float = 60.0  # GitHub's advice when no retry-after comes


@dataclass
class ApiClient:
    """A session bound to one API's base URL and credential headers."""

    name: str  # "github", "jira", "gitlab": used in messages and settings
    base_url: str
    headers: dict[str, str]
    token_setting: str  # where the user fixes a rejected credential, e.g. sources.github.access_token
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    page_size: int = 100  # rows asked per page of a list
    concurrent_requests: int = 1  # at most this many requests in flight at once (sent side by side by `each`)
    timeout_seconds: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    title: str = ""  # the service as users name it, "GitHub"
    safety_lag: timedelta = SAFETY_LAG
    started: datetime = field(default_factory=lambda: datetime.now(UTC))  # when this run began, by this machine

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        self.title = self.title or self.name
        self._session = _session_from_environment(self.base_url)
        self._session.headers.update(self.headers)
        # every thread's requests count: several `each` of one source run at once, each with its own threads
        self._in_flight = threading.BoundedSemaphore(max(1, self.concurrent_requests))
        self._session.headers["User-Agent"] = "streamgauge"
        self._server_started: datetime | None = None  # the `Date` of the first reply

    # ------------------------------------------------------------------ the run's clock
    def now(self) -> datetime:
        """When this run began: by this machine's clock, or by the server's when that is earlier."""
        return min(self.started, self._server_started or self.started)

    def cursor_limit(self) -> datetime:
        """The latest a cursor may be: when the run began, less the safety lag."""
        return self.now() - self.safety_lag

    def is_future(self, stamp: str, what: str) -> bool:
        """Whether `what`, dated `stamp` (ISO 8601), claims a date after the run began; says so in one warning line.

        Such a row is loaded as it is, but leaves the cursors alone: the next run would skip real data.
        """
        moment = datetime.fromisoformat(stamp)
        if moment <= self.now():
            return False
        log.warning(
            "%s: %s is dated %s UTC, after this run began (%s UTC); loaded as it is, but no cursor moves past "
            "the run's start",
            self.name,
            what,
            f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S}",
            f"{self.now():%Y-%m-%d %H:%M:%S}",
        )
        return True

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.base_url}{path}"

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        headers: dict[str, str] | None = None,
        what: str = "",
        retry_server_errors: bool = True,
    ) -> requests.Response:
        """Send one request, retrying transient failures; the reply's JSON is checked to parse.

        `what` names the thing asked for (a repository, a project) in error messages. Without
        `retry_server_errors`, a 5xx or a timeout raises `GaveUpError` at once (GitHub's GraphQL
        answers 502 to a query too costly to finish: smaller ones are what to try next).
        """
        url = self.url(path)
        delay = self.retry.backoff_seconds
        problem = ""
        limited = False  # the last failure was a used-up rate limit
        for attempt in range(1, self.retry.attempts + 1):
            try:
                with _counting:
                    requests_made[self.name] += 1
                with self._in_flight:
                    response = self._session.request(
                        method, url, params=params, json=json_body, headers=headers, timeout=self.timeout_seconds
                    )
            except IN_TRANSIT as error:
                if self._server_started is None and _cannot_connect(error):
                    raise UnreachableError(
                        f"{self.name}: cannot reach {self.title} at {self.base_url}; check sources.{self.name}.base_url"
                    ) from None
                problem = f"{type(error).__name__}"
                wait = delay
                if not retry_server_errors:
                    raise GaveUpError(f"{self.name}: {_short(url)} failed ({problem})") from None
            else:
                self._server_started = self._server_started or _date(response) or self.started
                wait = self._wait_before_retry(response, delay)
                limited = _spent_without_reset(response)
                if wait is None:
                    self._raise_for_user_error(response, what or _short(url))
                    if response.status_code == 304 or _parses(response):
                        self._respect_primary_limit(response)
                        return response
                    problem, wait = "a malformed JSON reply", delay
                else:
                    problem = f"{'rate limit, ' if limited else ''}HTTP {response.status_code}"
                    if not retry_server_errors and response.status_code >= 500:
                        raise GaveUpError(f"{self.name}: {_short(url)} answered {problem}")
            if attempt == self.retry.attempts:
                break
            log.info("%s: %s from %s; retrying in %.1fs", self.name, problem, _short(url), wait)
            self.sleep(wait)
            delay *= 2
        if limited:
            raise TransientError(
                f"{self.name}: the API rate limit was still used up at {_short(url)} ({problem}, no reset time "
                f"given) after {self.retry.attempts} attempts; rerun later, the load resumes where it stopped"
            )
        raise TransientError(
            f"{self.name}: {_short(url)} kept failing ({problem}) after {self.retry.attempts} attempts; "
            "rerun later, the load resumes where it stopped"
        )

    def each(self, rows: Iterable[Row], fetch: Callable[[Row], Fetched]) -> Iterator[Fetched]:
        """`fetch(row)` for every row, up to `concurrent_requests` at a time; the results in the rows' order.

        For the requests a source sends per listed row (a merge request's commits, a build's stages),
        which sent one after another would each wait a round trip for the reply. An exception in one
        cancels those not yet begun and is raised here, after the results of the rows before it.
        """
        if self.concurrent_requests <= 1:
            yield from map(fetch, rows)
            return
        pool = ThreadPoolExecutor(self.concurrent_requests, thread_name_prefix=f"{self.name}-request")
        try:
            yield from pool.map(fetch, rows)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def get(self, path: str, params: dict[str, Any] | None = None, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, params=params, **kwargs)

    def pages(self, path: str, params: dict[str, Any] | None = None, what: str = "") -> Iterator[requests.Response]:
        """Follow `Link: rel="next"` from the first page to the last, never building page numbers."""
        response = self.get(path, params, what=what)
        yield response
        while "next" in response.links:
            response = self.get(response.links["next"]["url"], what=what)
            yield response

    # ------------------------------------------------------------------ policy
    def _wait_before_retry(self, response: requests.Response, backoff: float) -> float | None:
        """Seconds to wait before retrying this reply, or None if it is not worth retrying."""
        status = response.status_code
        retry_after = _seconds(response.headers.get("retry-after"))
        if status in (403, 429) and retry_after is None and _budget_left(response) == 0:
            if _reset_header(response) is None:  # no reset time: wait as for a secondary limit, doubling
                scale = backoff / self.retry.backoff_seconds if self.retry.backoff_seconds else 1
                return min(self.retry.secondary_limit_wait_seconds * scale, self.retry.max_wait_seconds)
            return self._until_reset(response)
        if status == 429:
            return retry_after if retry_after is not None else backoff
        if status == 403 and (retry_after is not None or "secondary rate limit" in response.text.lower()):
            wait = retry_after if retry_after is not None else self.retry.secondary_limit_wait_seconds
            return max(wait, backoff)
        if status >= 500:
            return retry_after if retry_after is not None else backoff
        return None

    def _until_reset(self, response: requests.Response) -> float:
        reset = _reset_header(response)
        wait = max(1.0, (reset or time.time() + 60) - time.time() + 1)
        if wait > self.retry.max_wait_seconds:
            raise TransientError(
                f"{self.name}: the API rate limit is used up and resets in {wait / 60:.0f} minutes; "
                "rerun after that, the load resumes where it stopped"
            )
        return wait

    def _respect_primary_limit(self, response: requests.Response) -> None:
        """With the budget at zero, sleep until the window resets instead of earning a 403."""
        if _budget_left(response) == 0:
            wait = self._until_reset(response)
            log.warning("%s: rate limit budget used up; waiting %.0fs for the reset", self.name, wait)
            self.sleep(wait)

    def _raise_for_user_error(self, response: requests.Response, what: str) -> None:
        status = response.status_code
        if status == 401:
            raise AuthError(f"{self.name}: the credentials were rejected (HTTP 401); check {self.token_setting}")
        if status == 403:
            raise ForbiddenError(
                f"{self.name}: access to {what} was denied (HTTP 403); check that {self.token_setting} "
                "has the permissions it needs"
            )
        if status == 404:
            raise NotFoundError(f"{self.name}: {what} was not found (HTTP 404); check the name and the token's access")
        if status == 422 and "pagination is limited" in _error_text(response).lower():
            raise PaginationLimitError(f"{self.name}: {what} cannot be paged further (HTTP 422: pagination is limited)")
        if status >= 400:
            raise SourceError(f"{self.name}: {what} answered HTTP {status}: {_error_text(response)}")


def _cannot_connect(error: Exception) -> bool:
    """A refused connection or a failed name lookup: no server answers at that address."""
    cause = error.args[0] if error.args else None
    return isinstance(getattr(cause, "reason", cause), NewConnectionError)


def _date(response: requests.Response) -> datetime | None:
    try:
        return parsedate_to_datetime(response.headers["Date"]).astimezone(UTC)
    except (KeyError, TypeError, ValueError):
        return None


def _session_from_environment(base_url: str) -> requests.Session:
    """A session with the environment's proxy and CA bundle for `base_url`, read once.

    requests reads them again from the environment for every request, which took a tenth of a
    load's CPU time; the settings do not change during a run.
    """
    session = requests.Session()
    session.proxies = requests.utils.get_environ_proxies(base_url)
    session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
    session.trust_env = False
    return session


def _parses(response: requests.Response) -> bool:
    """Whether the reply's body is JSON. The body parsed here is what `response.json()` returns
    from now on: every reply is parsed once, not once to check and again to read."""
    try:
        body = orjson.loads(response.content)
    except orjson.JSONDecodeError:  # stricter than JSON allows: a lone surrogate escape, a BOM, another charset
        try:
            body = requests.Response.json(response)
        except ValueError:
            return False
    response.json = lambda **_: body
    return True


def _budget_left(response: requests.Response) -> int | None:
    """Requests left in the rate-limit window: GitHub's `x-ratelimit-*` or GitLab's `RateLimit-*`."""
    value = response.headers.get("x-ratelimit-remaining") or response.headers.get("ratelimit-remaining")
    return int(value) if value is not None and value.isdigit() else None


def _spent_without_reset(response: requests.Response) -> bool:
    """A 403 or 429 saying the rate limit is used up, with neither a reset time nor a Retry-After."""
    return (
        response.status_code in (403, 429)
        and _budget_left(response) == 0
        and _reset_header(response) is None
        and response.headers.get("retry-after") is None
    )


def _reset_header(response: requests.Response) -> float | None:
    """When the rate-limit window resets (epoch seconds), if the reply says."""
    reset = _seconds(response.headers.get("x-ratelimit-reset") or response.headers.get("ratelimit-reset"))
    if reset is not None and reset < RESET_IS_EPOCH_FROM:  # PagerDuty's: seconds from now
        reset += time.time()
    return reset


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _short(url: str) -> str:
    """The URL without its query string: enough to say where, never a token-bearing parameter."""
    return url.split("?", 1)[0]


def _error_text(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        messages = body.get("errorMessages") or [body.get("message") or body.get("error") or ""]
        return "; ".join(str(m) for m in messages)[:300]
    return str(body)[:200]
