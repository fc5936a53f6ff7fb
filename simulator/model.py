"""The simulated organisation: plain records, event-sourced so any past moment can be served.

Every mutable fact (an issue's status, a PR's merge, a deployment's state) is an event with a
timestamp. `Org.as_of(t)` drops everything after `t`, so the simulator can serve the world as
it looked at any instant and a test can move the clock forward to produce "changed" data.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime

# Item event kinds. Jira speaks in status changes and the Flagged field; GitHub and GitLab in
# labels and open/closed state.
STATUS = "status"
FLAGGED = "flagged"
UNFLAGGED = "unflagged"
LABELED = "labeled"
UNLABELED = "unlabeled"
CLOSED = "closed"
REOPENED = "reopened"
ASSIGNED = "assigned"


@dataclass(frozen=True)
class Person:
    login: str
    name: str
    email: str
    numeric_id: int
    is_bot: bool = False
    timezone: str = "UTC"


@dataclass(frozen=True)
class ItemEvent:
    id: int
    at: datetime
    actor: Person
    kind: str
    from_value: str | None = None  # STATUS: previous status name
    to_value: str | None = None  # STATUS: new status; LABELED/UNLABELED: label; CLOSED: state_reason
    assignee: Person | None = None


@dataclass
class WorkItem:
    """An issue in Jira, GitHub, GitLab or Linear. Current state is derived from `events`."""

    source: str  # jira | github | gitlab | linear
    container: str  # Jira project key, GitHub owner/repo, GitLab project path, Linear team key
    native_id: int  # globally unique numeric id in its source
    number: int  # Jira issue number, GitHub issue number, GitLab iid
    title: str
    body: str
    issue_type: str  # Story, Bug, Task, Incident (Jira); issue / incident (GitLab); Bug, Feature or "" (GitHub)
    priority: str
    reporter: Person
    created_at: datetime
    initial_status: str | None  # Jira and Linear only: the status at creation, not an event
    initial_labels: tuple[str, ...]
    events: list[ItemEvent] = field(default_factory=list)
    caused_by_deployment: int | None = None  # incidents: native id of the guilty deployment
    # Jira and Linear: the project or team key and number the issue had before it moved to `container`, and when.
    moved_from: tuple[str, int, datetime] | None = None

    @property
    def key(self) -> str:
        return f"{self.container}-{self.number}" if self.source in ("jira", "linear") else str(self.number)

    @property
    def updated_at(self) -> datetime:
        return max([self.created_at, *(e.at for e in self.events), *([self.moved_from[2]] if self.moved_from else [])])

    @property
    def status(self) -> str | None:
        status = self.initial_status
        for e in self.events:
            if e.kind == STATUS:
                status = e.to_value
        return status

    @property
    def labels(self) -> list[str]:
        labels = list(self.initial_labels)
        for e in self.events:
            if e.kind == LABELED and e.to_value not in labels:
                labels.append(e.to_value)
            elif e.kind == UNLABELED and e.to_value in labels:
                labels.remove(e.to_value)
        return labels

    @property
    def is_open(self) -> bool:
        state = True
        for e in self.events:
            if e.kind == CLOSED:
                state = False
            elif e.kind == REOPENED:
                state = True
        return state

    @property
    def closed_at(self) -> datetime | None:
        if self.is_open:
            return None
        return max(e.at for e in self.events if e.kind == CLOSED)

    @property
    def state_reason(self) -> str | None:
        reason = None
        for e in self.events:
            if e.kind == CLOSED:
                reason = e.to_value
            elif e.kind == REOPENED:
                reason = "reopened"
        return reason

    @property
    def is_flagged(self) -> bool:
        flagged = False
        for e in self.events:
            if e.kind in (FLAGGED, UNFLAGGED):
                flagged = e.kind == FLAGGED
        return flagged

    @property
    def assignee(self) -> Person | None:
        who = None
        for e in self.events:
            if e.kind == ASSIGNED:
                who = e.assignee
        return who


@dataclass(frozen=True)
class Commit:
    sha: str
    message: str
    author: Person
    authored_at: datetime
    committed_at: datetime


@dataclass(frozen=True)
class Review:
    id: int
    reviewer: Person
    state: str  # APPROVED | CHANGES_REQUESTED | COMMENTED
    submitted_at: datetime
    commit_sha: str


@dataclass(frozen=True)
class ReviewRequest:
    """A person asked to review, at `at`: shown from then on, whenever their review comes."""

    reviewer: Person
    at: datetime


@dataclass
class PullRequest:
    """A GitHub pull request or a GitLab merge request."""

    source: str
    repo: str
    native_id: int
    number: int
    title: str
    body: str
    author: Person
    head_branch: str
    base_branch: str
    created_at: datetime
    created_as_draft: bool
    commits: list[Commit]
    reviews: list[Review] = field(default_factory=list)
    review_requests: list[ReviewRequest] = field(default_factory=list)  # in the order they were made
    ready_at: datetime | None = None  # left draft
    merged_at: datetime | None = None
    merge_commit_sha: str | None = None
    merge_method: str | None = None  # merge | squash
    closed_at: datetime | None = None
    labels: tuple[str, ...] = ()
    additions: int = 0
    deletions: int = 0
    changed_files: int = 0

    @property
    def is_draft(self) -> bool:
        return self.created_as_draft and self.ready_at is None

    @property
    def state(self) -> str:
        return "closed" if self.closed_at else "open"

    @property
    def head_sha(self) -> str:
        return self.commits[-1].sha

    @property
    def updated_at(self) -> datetime:
        moments = [self.created_at, *(r.submitted_at for r in self.reviews)]
        moments += [c.committed_at for c in self.commits if c.committed_at > self.created_at]
        moments += [t for t in (self.ready_at, self.merged_at, self.closed_at) if t]
        return max(moments)


@dataclass
class PipelineRun:
    """A GitHub Actions workflow run (one attempt) or a GitLab pipeline."""

    source: str  # github | gitlab | jenkins (the CI it ran on)
    repo: str
    native_id: int
    run_number: int
    workflow: str  # CI | Deploy
    event: str  # pull_request | push | workflow_dispatch (GitLab: merge_request_event | push)
    branch: str
    head_sha: str
    attempt: int
    created_at: datetime
    started_at: datetime
    finished_at: datetime | None  # None while running
    conclusion: str | None  # success | failure | cancelled; None while running
    actor: Person
    pull_request: PullRequest | None = None  # the PR a pull_request / merge_request_event run tested

    @property
    def updated_at(self) -> datetime:
        return self.finished_at or self.started_at


@dataclass(frozen=True)
class DeploymentStatus:
    id: int
    state: str  # queued | in_progress | success | failure | error | inactive
    at: datetime
    creator: Person


@dataclass
class Deployment:
    source: str
    repo: str
    native_id: int
    iid: int
    environment: str
    tier: str  # production | staging (GitLab's deployment tier)
    production_environment: bool
    sha: str
    ref: str
    created_at: datetime
    creator: Person
    statuses: list[DeploymentStatus]
    pipeline_id: int | None = None
    is_rollback: bool = False

    @property
    def state(self) -> str:
        return self.statuses[-1].state if self.statuses else "created"

    @property
    def updated_at(self) -> datetime:
        return max([self.created_at, *(s.at for s in self.statuses)])


@dataclass(frozen=True)
class JiraProject:
    key: str
    name: str
    native_id: int
    team: str
    timezone: str  # the offset users see in timestamps
    # Stage name → the status name this project's workflow uses (spellings differ by project).
    statuses: dict[str, str]
    code_repo: str  # GitHub or GitLab repository its PRs land in


@dataclass(frozen=True)
class LinearTeam:
    """A Linear team: its key prefixes its issues' identifiers (GRO-12)."""

    key: str
    name: str
    native_id: str  # a UUID, as Linear's ids are
    team: str
    timezone: str
    # Stage name → the workflow state this team uses for it.
    statuses: dict[str, str]
    code_repo: str


@dataclass(frozen=True)
class Repository:
    """A GitHub repository or a GitLab project: holds issues, PRs, CI and deployments."""

    source: str
    full_name: str  # owner/repo or group/project
    native_id: int
    team: str
    timezone: str
    merge_method: str  # merge | squash
    uses_deployments: bool  # False: production is a "Deploy" workflow only
    default_branch: str = "main"


@dataclass
class Org:
    name: str
    start: datetime
    end: datetime
    people: list[Person]
    bots: list[Person]
    teams: dict[str, list[Person]]
    jira_projects: list[JiraProject]
    repositories: list[Repository]
    work_items: list[WorkItem]
    pull_requests: list[PullRequest]
    pipeline_runs: list[PipelineRun]
    deployments: list[Deployment]
    jira_statuses: dict[str, str]  # status name → status category key (new | indeterminate | done)
    jira_timezone: str = "Europe/Berlin"  # Jira renders timestamps and reads JQL dates in it
    flagged_field: str = "customfield_10021"
    linear_teams: list[LinearTeam] = field(default_factory=list)
    # Former names of renamed repositories (lower case) → the repository's id: GitHub redirects them.
    moved_repositories: dict[str, int] = field(default_factory=dict)

    def with_repository_renamed(self, old: str, new: str) -> Org:
        """The organisation after `old` (owner/repo) was renamed `new`: every row follows, the old name redirects."""

        def moved(name: str) -> str:
            return new if name.lower() == old.lower() else name

        repository = next(r for r in self.repositories if r.full_name.lower() == old.lower())
        return dataclasses.replace(
            self,
            repositories=[dataclasses.replace(r, full_name=moved(r.full_name)) for r in self.repositories],
            work_items=[dataclasses.replace(i, container=moved(i.container)) for i in self.work_items],
            pull_requests=[dataclasses.replace(p, repo=moved(p.repo)) for p in self.pull_requests],
            pipeline_runs=[dataclasses.replace(r, repo=moved(r.repo)) for r in self.pipeline_runs],
            deployments=[dataclasses.replace(d, repo=moved(d.repo)) for d in self.deployments],
            moved_repositories={**self.moved_repositories, old.lower(): repository.native_id},
        )

    def as_of(self, moment: datetime) -> Org:
        """The organisation as the APIs would have shown it at `moment`."""
        items = [_item_as_of(i, moment) for i in self.work_items if i.created_at <= moment]
        prs = [_pr_as_of(p, moment) for p in self.pull_requests if p.created_at <= moment]
        runs = [_run_as_of(r, moment) for r in self.pipeline_runs if r.created_at <= moment]
        deployments = [
            dataclasses.replace(d, statuses=[s for s in d.statuses if s.at <= moment])
            for d in self.deployments
            if d.created_at <= moment
        ]
        return dataclasses.replace(
            self,
            end=min(self.end, moment),
            work_items=items,
            pull_requests=prs,
            pipeline_runs=runs,
            deployments=deployments,
        )


def _item_as_of(item: WorkItem, moment: datetime) -> WorkItem:
    """The item at `moment`: its events until then, and its old key if it had not moved yet."""
    item = dataclasses.replace(item, events=[e for e in item.events if e.at <= moment])
    if item.moved_from and item.moved_from[2] > moment:
        item = dataclasses.replace(item, container=item.moved_from[0], number=item.moved_from[1], moved_from=None)
    return item


def _pr_as_of(pr: PullRequest, moment: datetime) -> PullRequest:
    def before(t: datetime | None) -> datetime | None:
        return t if t is not None and t <= moment else None

    merged_at = before(pr.merged_at)
    return dataclasses.replace(
        pr,
        commits=[c for c in pr.commits if c.committed_at <= moment] or pr.commits[:1],
        reviews=[r for r in pr.reviews if r.submitted_at <= moment],
        review_requests=[r for r in pr.review_requests if r.at <= moment],
        ready_at=before(pr.ready_at),
        merged_at=merged_at,
        merge_commit_sha=pr.merge_commit_sha if merged_at else None,
        closed_at=before(pr.closed_at),
    )


def _run_as_of(run: PipelineRun, moment: datetime) -> PipelineRun:
    if run.finished_at is not None and run.finished_at <= moment:
        return run
    return dataclasses.replace(run, finished_at=None, conclusion=None)
