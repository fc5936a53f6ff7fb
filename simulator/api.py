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
    jenkins_user: str = "streamgauge"
    jenkins_token: str = "11simulatedjenkinsapitoken0000"
    linear_token: str = "lin_api_simulatedLinearKey"


@dataclass
class RateBudget:
    """A fixed window of requests (or GraphQL points) per token, as GitHub's and GitLab's primary limits work."""

    limit: int
    window_seconds: int
    used: int = 0
    reset_at: float = 0.0
    points_limit: int = 0  # a second budget of query complexity (Linear's), 0 for none
    points: float = 0.0  # complexity spent in the window

    def spend(self, cost: int = 1) -> bool:
        """Count one request (or `cost` GraphQL points); False once the window's budget cannot pay for it."""
        now = time.time()
        if now >= self.reset_at:
            self.used, self.points, self.reset_at = 0, 0.0, now + self.window_seconds
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
    # Spends what a reply cost from a budget other than requests (Linear's complexity points),
    # returning the reply to send: the reply itself, or the API's rate-limit error.
    charge: Callable[[ApiResponse, RateBudget], ApiResponse] | None = None
