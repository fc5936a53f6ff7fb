"""What a simulated API is made of, and the credentials and rate-limit window the server checks it against.

The server and each API (`github_api`, `jira_api`, `gitlab_api`) import this module; the server
imports the APIs, never the other way round.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from simulator.model import Org
from simulator.routing import ApiRequest, ApiResponse, Router


@dataclass(frozen=True)
class Credentials:
    """What the simulator accepts; anything else is answered with 401."""

    github_token: str = "ghp_simulated_token"
    gitlab_token: str = "glpat-simulated-token"
    jira_email: str = "pipeline@acme.example"
    jira_token: str = "jira-simulated-token"
    pagerduty_token: str = "u+simulatedPagerDutyKey"


@dataclass
class RateBudget:
    """A fixed window of requests (or GraphQL points) per token, as GitHub's and GitLab's primary limits work."""

    limit: int
    window_seconds: int
    used: int = 0
    reset_at: float = 0.0

    def spend(self, cost: int = 1) -> bool:
        """Count one request (or `cost` GraphQL points); False once the window's budget cannot pay for it."""
        now = time.time()
        if now >= self.reset_at:
            self.used, self.reset_at = 0, now + self.window_seconds
        if self.used + cost > self.limit:
            return False
        self.used += cost
        return True

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


@dataclass(frozen=True)
class Api:
    """One simulated API: its routes, how it checks credentials, and how it words errors."""

    name: str
    router: Router
    authenticate: Callable[[ApiRequest, Credentials], ApiResponse | None]
    error: Callable[[int, str], ApiResponse]  # (status, kind) → the API's own error reply
    rate_limit_headers: Callable[[RateBudget], dict[str, str]]
    not_found: Callable[[ApiRequest], ApiResponse]
    # The path a request names, spelt one way for faults and the request log (GitHub's
    # `/repositories/{id}/…` links as `/repos/{owner}/{repo}/…`); None: as it came.
    canonical_path: Callable[[str, Org], str] | None = None
