"""A deterministic generator of a software organisation's delivery history.

Work moves through canonical stages (backlog → ready → in_progress → review → testing →
ready_to_deploy → done) with skewed, working-hours durations, backward moves, reopens, blocked
periods, skipped stages, cancellations, items created done and one bulk close. Each source then
writes that movement in its own vocabulary: Jira statuses and the Flagged field, GitHub status
labels and open/closed state, GitLab `workflow::` scoped labels and state events. Started items
get pull requests whose commits, reviews and merge follow the item's stages; merges ship in
batched deployments; some deployments fail, one is rolled back, and incidents follow some of
them. The same seed always gives the same organisation.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from simulator.model import (
    ASSIGNED,
    CLOSED,
    FLAGGED,
    LABELED,
    REOPENED,
    STATUS,
    UNFLAGGED,
    UNLABELED,
    Commit,
    Deployment,
    DeploymentStatus,
    ItemEvent,
    JiraProject,
    LinearTeam,
    Org,
    Person,
    PipelineRun,
    PullRequest,
    Repository,
    Review,
    ReviewRequest,
    WorkItem,
)


@dataclass(frozen=True)
class OrgConfig:
    """Sizes and knobs. The defaults make the demo: a few hundred issues over six months."""

    seed: int = 7
    start: datetime = datetime(2026, 5, 4, tzinfo=UTC)  # a Monday
    days: int = 182
    items_per_project: int = 60
    # The first five team templates below; 6 adds the team that plans in Linear (the demo's); more
    # repeat them with a number suffix.
    teams: int = 5
    bulk_close_size: int = 55  # stale Jira items closed by one automation run
    # Jira answers in the API user's time zone; Berlin's DST change falls inside the demo window.
    jira_timezone: str = "Europe/Berlin"
    # A known improvement: from `faster_reviews_day` days after start (a Monday: 12 weeks of
    # baseline), this team's pull requests wait `faster_reviews_factor` as long in review. The seed
    # improvements records it, so marts.improvement_impact can be checked against it; None: no change.
    faster_reviews_team: str | None = "web"
    faster_reviews_day: int = 84
    faster_reviews_factor: float = 0.5
    # The repository whose CI and deploy jobs run on Jenkins instead of its own host's CI: its
    # runs are served by the simulated Jenkins (simulator/jenkins_api.py); None: no Jenkins.
    jenkins_repository: str | None = "acme/mobile-app"

    @property
    def faster_reviews_from(self) -> datetime:
        return self.start + timedelta(days=self.faster_reviews_day)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=self.days)


STAGES = ("backlog", "ready", "in_progress", "blocked", "review", "testing", "ready_to_deploy")
STARTED = {"in_progress", "blocked", "review", "testing", "ready_to_deploy"}

# Median working hours spent in a stage per visit, and the spread of the lognormal.
STAGE_HOURS = {
    "backlog": (30.0, 1.1),
    "ready": (12.0, 0.9),
    "in_progress": (14.0, 0.8),
    "review": (5.0, 0.9),
    "testing": (4.0, 0.7),
    "ready_to_deploy": (8.0, 0.6),
}

# Jira workflows spell the same stages differently; stages a workflow lacks are skipped.
JIRA_WORKFLOWS = {
    "PAY": {
        "backlog": "To Do",
        "ready": "Ready",
        "in_progress": "In Progress",
        "review": "In Review",
        "testing": "QA",
        "ready_to_deploy": "Ready for Release",
        "done": "Done",
        "canceled": "Won't Do",
    },
    "MOB": {
        "backlog": "Open",
        "ready": "Selected for Development",
        "in_progress": "IN PROGRESS",
        "blocked": "Blocked",
        "review": "Code Review",
        "testing": "Testing",
        "done": "Closed",
        "canceled": "Cancelled",
    },
}
JIRA_STATUS_CATEGORIES = {
    "backlog": "new",
    "ready": "new",
    "in_progress": "indeterminate",
    "blocked": "indeterminate",
    "review": "indeterminate",
    "testing": "indeterminate",
    "ready_to_deploy": "indeterminate",
    "done": "done",
    "canceled": "done",
}
# A Linear team's workflow: stage → state. Each state's type (Linear's fixed categories) is in
# LINEAR_STATE_TYPES; "In Review" and "In QA" are both of type started, told apart by name.
LINEAR_WORKFLOW = {
    "backlog": "Backlog",
    "ready": "Todo",
    "in_progress": "In Progress",
    "review": "In Review",
    "testing": "In QA",
    "done": "Done",
    "canceled": "Canceled",
}
LINEAR_STATE_TYPES = {
    "Triage": "triage",
    "Backlog": "backlog",
    "Todo": "unstarted",
    "In Progress": "started",
    "In Review": "started",
    "In QA": "started",
    "Done": "completed",
    "Canceled": "canceled",
    "Duplicate": "duplicate",
}
GITHUB_STATUS_LABELS = {
    "ready": "status: ready",
    "in_progress": "status: in progress",
    "review": "status: in review",
    "testing": "status: testing",
    "ready_to_deploy": "status: ready to deploy",
}
GITLAB_WORKFLOWS = {
    "platform": {
        "ready": "workflow::ready",
        "in_progress": "workflow::in progress",
        "review": "workflow::in review",
        "testing": "workflow::testing",
        "ready_to_deploy": "workflow::ready to deploy",
        "canceled": "workflow::canceled",
    },
    "data": {
        "ready": "workflow::todo",
        "in_progress": "workflow::doing",
        "review": "workflow::review",
        "testing": "workflow::qa",
        "canceled": "workflow::won't do",
    },
}


@dataclass(frozen=True)
class TeamTemplate:
    name: str
    timezone: str
    tracker: str  # jira | github | gitlab | linear: where the team's work items live
    tracker_key: str  # Jira project key, or the repository that holds the issues
    code_source: str
    code_repo: str
    merge_method: str
    uses_deployments: bool
    deploys_per_workday: float


TEAM_TEMPLATES = (
    TeamTemplate("payments", "Europe/Berlin", "jira", "PAY", "github", "acme/payments-api", "squash", True, 0.45),
    TeamTemplate("mobile", "Asia/Kolkata", "jira", "MOB", "github", "acme/mobile-app", "merge", False, 0.3),
    TeamTemplate("web", "America/New_York", "github", "acme/web", "github", "acme/web", "squash", True, 0.8),
    TeamTemplate(
        "platform", "America/New_York", "gitlab", "acme/platform", "gitlab", "acme/platform", "merge", True, 0.6
    ),
    TeamTemplate(
        "data", "Europe/London", "gitlab", "acme/data/pipeline", "gitlab", "acme/data/pipeline", "merge", True, 0.3
    ),
    TeamTemplate("growth", "Europe/Paris", "linear", "GRO", "github", "acme/growth", "squash", True, 0.5),
)

FIRST_NAMES = (
    "Ada",
    "Bruno",
    "Chen",
    "Dara",
    "Emil",
    "Fatima",
    "Goran",
    "Hana",
    "Ivo",
    "Jonas",
    "Kiran",
    "Lena",
    "Mateo",
    "Nadia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Tara",
    "Uma",
    "Viktor",
    "Wen",
    "Yusuf",
    "Zoe",
)
LAST_NAMES = ("Kowalski", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Novak", "Iyer", "Brandt", "Quispe")
TITLE_VERBS = ("Add", "Fix", "Refactor", "Speed up", "Remove", "Document", "Migrate", "Validate", "Cache", "Retry")
INCIDENT_SYMPTOMS = ("elevated error rate", "checkout latency", "failed logins", "queue backlog", "missing data")
TITLE_NOUNS = (
    "checkout flow",
    "login page",
    "payment webhook",
    "search index",
    "CSV export",
    "rate limiter",
    "push notifications",
    "settings screen",
    "invoice PDF",
    "audit log",
    "session timeout",
    "feature flags",
    "billing job",
    "image upload",
    "API pagination",
    "dark mode",
    "onboarding email",
)


class _Ids:
    """Monotonic native ids per kind, so ids look like each API's and never collide."""

    def __init__(self) -> None:
        self._next = {
            "github_user": 1_000,
            "github_issue": 2_000_000_000,
            "github_pr": 1_500_000_000,
            "github_event": 9_000_000_000,
            "github_review": 1_800_000_000,
            "github_run": 7_000_000_000,
            "github_deployment": 1_200_000_000,
            "github_deployment_status": 3_000_000_000,
            "github_repo": 600_000_000,
            "jira_issue": 10_000,
            "jira_history": 100_000,
            "jira_project": 10_000,
            "gitlab_user": 100,
            "gitlab_issue": 140_000_000,
            "gitlab_mr": 300_000_000,
            "gitlab_event": 50_000_000,
            "gitlab_review": 400_000_000,
            "gitlab_run": 1_400_000_000,
            "gitlab_deployment": 800_000_000,
            "gitlab_deployment_status": 0,
            "gitlab_repo": 40_000_000,
            "jira_user": 0,
            "linear_issue": 0,
            "linear_event": 0,
        }

    def __call__(self, kind: str) -> int:
        self._next[kind] += 1
        return self._next[kind]


@dataclass
class _Stage:
    """One planned step of an item's life: enter `stage` at `at`."""

    stage: str
    at: datetime
    actor: Person
    # How the time spent in the stage before this one was drawn: (that stage, its standard normal draw).
    drawn: tuple[str, float] | None = None


# How often someone else takes an item over when it enters a stage: QA picks up most testing,
# a reviewer now and then a review ticket. Back in progress, its developer takes it back.
HANDOFF_CHANCE = {"review": 0.2, "testing": 0.6}
# How many Jira items in review move to the other Jira team's project.
JIRA_MOVE_CHANCE = 0.06
# How many incidents get a follow-up defect for the real fix (its PR names the incident).
INCIDENT_FOLLOW_UP_CHANCE = 0.5


# Pull request size: lines added are lognormal around e^4 ≈ 55 (lines changed, with deletions,
# about 80). Larger changes wait longer for review and break more often: an item's log size
# correlates with its time in review; the wait before the first review scales with (lines changed
# ÷ TYPICAL_LINES) to a power, within bounds; a PR's CI runs fail more often above TYPICAL_LINES
# (EXTRA_FAILURE_PER_DOUBLING more per doubling, at most EXTRA_FAILURE_MAX); a deployment's chance
# of failing and of incidents scales with its largest change.
TYPICAL_LINES = 80
REVIEW_SIZE_CORRELATION = 0.8
REVIEW_SIZE_POWER, REVIEW_SIZE_BOUNDS = 0.45, (0.35, 3.5)
EXTRA_FAILURE_PER_DOUBLING, EXTRA_FAILURE_MAX = 0.12, 0.5
RISK_SIZE_POWER, RISK_SIZE_BOUNDS, RISK_TYPICAL_LINES = 0.8, (0.3, 4.0), 250


@dataclass(frozen=True)
class _Size:
    additions: int
    deletions: int

    @property
    def lines(self) -> int:
        return self.additions + self.deletions

    def factor(self, power: float, bounds: tuple[float, float], typical: float = TYPICAL_LINES) -> float:
        return min(max((max(self.lines, 1) / typical) ** power, bounds[0]), bounds[1])


@dataclass
class _TeamState:
    template: TeamTemplate
    members: list[Person]
    code_repo: Repository
    jira_project: JiraProject | None
    linear_team: LinearTeam | None = None
    merges: list[tuple[datetime, str, PullRequest]] = field(default_factory=list)


def generate_org(config: OrgConfig = OrgConfig()) -> Org:
    """Build the whole organisation for `config`; the same config gives the same org."""
    return _Generator(config).run()


def working_hours_later(start: datetime, hours: float, tz: ZoneInfo) -> datetime:
    """`start` plus `hours` of working time (Mon-Fri, 09:00-17:00 in `tz`)."""
    t = start.astimezone(tz)
    remaining = hours * 3600.0
    while True:
        day_start = t.replace(hour=9, minute=0, second=0, microsecond=0)
        day_end = t.replace(hour=17, minute=0, second=0, microsecond=0)
        if t.weekday() >= 5 or t >= day_end:
            t = day_start + timedelta(days=1)
            continue
        if t < day_start:
            t = day_start
        available = (day_end - t).total_seconds()
        if remaining <= available:
            return (t + timedelta(seconds=remaining)).astimezone(UTC).replace(microsecond=0)
        remaining -= available
        t = day_start + timedelta(days=1)


class _Generator:
    def __init__(self, config: OrgConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        self.ids = _Ids()
        self.people: list[Person] = []
        self.bots = [
            self._bot("dependabot[bot]"),
            self._bot("sonarcloud[bot]"),
            self._bot("github-actions[bot]"),
            self._bot("Automation for Jira"),
        ]
        self.dependabot, self.sonar, self.actions_bot, self.jira_automation = self.bots
        self.work_items: list[WorkItem] = []
        self.pull_requests: list[PullRequest] = []
        self.pipeline_runs: list[PipelineRun] = []
        self.deployments: list[Deployment] = []
        self.teams: list[_TeamState] = []
        # (PR, the work item it implements, how it names it, is a follow-up): written once numbered.
        self.links: list[tuple[PullRequest, WorkItem, float, bool]] = []
        # (PR, incident): follow-up PRs that name the incident they follow up, besides their own item.
        self.incident_follow_ups: list[tuple[PullRequest, WorkItem]] = []

    # ----------------------------------------------------------------- people and places
    def _bot(self, login: str) -> Person:
        return Person(login, login, f"{login.replace('[bot]', '')}@bots.example", self.ids("github_user"), True)

    def _person(self, timezone: str) -> Person:
        first = FIRST_NAMES[len(self.people) % len(FIRST_NAMES)]
        last = LAST_NAMES[(len(self.people) * 7) % len(LAST_NAMES)]
        login = f"{first.lower()}-{last.lower()}"
        if len(self.people) >= len(FIRST_NAMES):
            login += str(len(self.people))
        person = Person(login, f"{first} {last}", f"{login}@acme.example", self.ids("github_user"), False, timezone)
        self.people.append(person)
        return person

    def _setup_teams(self) -> None:
        for index in range(self.config.teams):
            base = TEAM_TEMPLATES[index % len(TEAM_TEMPLATES)]
            suffix = "" if index < len(TEAM_TEMPLATES) else str(index // len(TEAM_TEMPLATES) + 1)
            template = TeamTemplate(
                base.name + suffix, base.timezone, base.tracker, base.tracker_key + suffix,
                base.code_source, base.code_repo + suffix, base.merge_method,
                base.uses_deployments, base.deploys_per_workday,
            )  # fmt: skip
            members = [self._person(template.timezone) for _ in range(4 + index % 3)]
            code_repo = Repository(
                template.code_source, template.code_repo, self.ids(f"{template.code_source}_repo"),
                template.name, template.timezone, template.merge_method, template.uses_deployments,
            )  # fmt: skip
            jira_project = None
            if template.tracker == "jira":
                workflow = JIRA_WORKFLOWS[base.tracker_key]
                jira_project = JiraProject(
                    template.tracker_key, f"{template.name.title()} team", self.ids("jira_project"),
                    template.name, template.timezone, workflow, template.code_repo,
                )  # fmt: skip
            linear_team = None
            if template.tracker == "linear":
                linear_team = LinearTeam(
                    template.tracker_key, f"{template.name.title()}", linear_id("team", template.tracker_key),
                    template.name, template.timezone, LINEAR_WORKFLOW, template.code_repo,
                )  # fmt: skip
            self.teams.append(_TeamState(template, members, code_repo, jira_project, linear_team))

    # ----------------------------------------------------------------- time helpers
    def _lognormal_hours(self, stage: str) -> float:
        return self._lognormal_draw(stage)[0]

    def _lognormal_draw(self, stage: str) -> tuple[float, float]:
        """Working hours for a visit to `stage`, and the standard normal draw that made them."""
        median, sigma = STAGE_HOURS[stage]
        draw = self.rng.gauss(0.0, sigma)
        return median * math.exp(draw), draw / sigma

    def _review_factor(self, team: _TeamState, stage: str, at: datetime) -> float:
        """How much of the usual review time a review entered at `at` takes (the injected improvement)."""
        config = self.config
        if stage == "review" and team.template.name == config.faster_reviews_team and at >= config.faster_reviews_from:
            return config.faster_reviews_factor
        return 1.0

    def _after(self, t: datetime, team: _TeamState, hours: float) -> datetime:
        """Working-time delay; now and then someone works late and it is calendar time."""
        if self.rng.random() < 0.05:
            return t + _hours(hours)
        return working_hours_later(t, hours, ZoneInfo(team.template.timezone))

    def _sha(self) -> str:
        return f"{self.rng.getrandbits(160):040x}"

    # ----------------------------------------------------------------- the whole run
    def run(self) -> Org:
        self._setup_teams()
        for team in self.teams:
            created = sorted(self._creation_time(team) for _ in range(self.config.items_per_project))
            for created_at in created:  # in creation order, so numbers and keys rise with time
                self._work_item(team, created_at)
            for _ in range(max(2, self.config.items_per_project // 8)):
                self._chore_pull_request(team)
        self._bulk_close(self.teams[0])
        for team in self.teams:
            self._deployments(team)
        self._number_by_creation()
        for link in self.links:
            _write_reference(*link)
        for pr, incident in self.incident_follow_ups:
            pr.body += (
                f"\n\nFollow-up to incident {incident.key if incident.source == 'jira' else f'#{incident.number}'}."
            )
        self._move_between_jira_projects()
        for run in self.pipeline_runs:
            if run.pull_request:
                run.branch = run.pull_request.head_branch
        for pr in self.pull_requests:
            pr.review_requests = _review_requests(pr)
        end = self.config.end
        org = Org(
            name="acme",
            start=self.config.start,
            end=end,
            people=self.people,
            bots=self.bots,
            teams={t.template.name: t.members for t in self.teams},
            jira_projects=[t.jira_project for t in self.teams if t.jira_project],
            linear_teams=[t.linear_team for t in self.teams if t.linear_team],
            repositories=[t.code_repo for t in self.teams],
            work_items=sorted(self.work_items, key=lambda i: (i.created_at, i.native_id)),
            pull_requests=sorted(self.pull_requests, key=lambda p: (p.created_at, p.native_id)),
            pipeline_runs=sorted(self.pipeline_runs, key=lambda r: (r.created_at, r.native_id, r.attempt)),
            deployments=sorted(self.deployments, key=lambda d: (d.created_at, d.native_id)),
            jira_statuses=_jira_status_catalogue(),
            jira_timezone=self.config.jira_timezone,
        )
        # Whatever was planned past the end has not happened yet: that is the WIP.
        return org.as_of(end)

    def _move_between_jira_projects(self) -> None:
        """Now and then a Jira issue in review turns out to be the other team's: it moves to their
        project (new key, same id) and one of them takes it over in the same instant. Drawn from a
        generator of its own, after every other draw, so the rest of the organisation is the same."""
        projects = {t.jira_project.key: t for t in self.teams if t.jira_project}
        if len(projects) < 2:
            return
        rng = random.Random(f"{self.config.seed}:moves")
        keys = sorted(projects)
        moves = []
        for item in sorted((i for i in self.work_items if i.source == "jira"), key=lambda i: i.native_id):
            source, target = projects[item.container], projects[keys[(keys.index(item.container) + 1) % len(keys)]]
            review = source.jira_project.statuses["review"]
            entered = next((e for e in item.events if e.kind == STATUS and e.to_value == review), None)
            if entered is None or rng.random() >= JIRA_MOVE_CHANCE:
                continue
            moved_at = entered.at + timedelta(minutes=rng.randint(20, 120))
            if not any(e.kind == STATUS and e.at <= moved_at and e.from_value == review for e in item.events):
                moves.append((moved_at, item, target, rng.choice(target.members)))
        for moved_at, item, target, taker in sorted(moves, key=lambda m: m[0]):  # keys given in the order of moving
            number = 1 + max(i.number for i in self.work_items if i.container == target.jira_project.key)
            item.moved_from = (item.container, item.number, moved_at)
            item.container, item.number = target.jira_project.key, number
            self._event(item, moved_at, taker, ASSIGNED, assignee=taker)
            item.events.sort(key=lambda e: (e.at, e.id))

    def _number_by_creation(self) -> None:
        """Number items and PRs in creation order, as the trackers do; GitHub shares one sequence."""
        sequences: dict[tuple[str, ...], list] = {}
        for item in self.work_items:
            sequences.setdefault((item.source, item.container), []).append(item)
        for pr in self.pull_requests:
            key = (pr.source, pr.repo) if pr.source == "github" else (pr.source, pr.repo, "merge_requests")
            sequences.setdefault(key, []).append(pr)
        for members in sequences.values():
            for number, thing in enumerate(sorted(members, key=lambda t: (t.created_at, t.native_id)), start=1):
                thing.number = number
        run_numbers: dict[tuple[str, str], dict[int, int]] = {}
        for run in sorted(self.pipeline_runs, key=lambda r: (r.created_at, r.native_id)):
            numbers = run_numbers.setdefault((run.repo, run.workflow), {})
            run.run_number = numbers.setdefault(run.native_id, len(numbers) + 1)

    # ----------------------------------------------------------------- work items
    def _new_item(
        self, team: _TeamState, created_at: datetime, title: str, issue_type: str, labels: tuple[str, ...] = ()
    ) -> WorkItem:
        template = team.template
        reporter = self.rng.choice(team.members)
        source = template.tracker
        initial_status = _statuses(team)["backlog"] if source in ("jira", "linear") else None
        item = WorkItem(
            source=source,
            container=template.tracker_key,
            native_id=self.ids(f"{source}_issue"),
            number=0,  # numbered in creation order at the end
            title=title,
            body=f"{title}.\n\nReported by {reporter.name}.",
            issue_type=issue_type,
            priority=self.rng.choices(("Low", "Medium", "High", "Highest"), (3, 6, 3, 1))[0],
            reporter=reporter,
            created_at=created_at,
            initial_status=initial_status,
            initial_labels=labels,
        )
        self.work_items.append(item)
        return item

    def _title(self) -> str:
        return f"{self.rng.choice(TITLE_VERBS)} {self.rng.choice(TITLE_NOUNS)}"

    def _creation_time(self, team: _TeamState) -> datetime:
        offset_hours = self.rng.uniform(0, (self.config.days - 3) * 24)
        return working_hours_later(
            self.config.start + timedelta(hours=offset_hours), 0.0, ZoneInfo(team.template.timezone)
        )

    def _work_item(self, team: _TeamState, created_at: datetime) -> None:
        is_bug = self.rng.random() < 0.3
        jira_type = "Bug" if is_bug else self.rng.choice(("Story", "Task"))  # drawn for every tracker
        # GitHub's issue types say what its labels say; GitLab's are plain issues.
        issue_type = {"jira": jira_type, "gitlab": "issue", "github": "Bug" if is_bug else "Feature", "linear": ""}[
            team.template.tracker
        ]
        labels = ("bug",) if is_bug and team.template.tracker != "jira" else ()
        if team.template.tracker != "jira" and not is_bug and self.rng.random() < 0.15:
            labels = ("tech-debt",)
        item = self._new_item(team, created_at, self._title(), issue_type, labels)
        if team.template.tracker == "jira" and is_bug:
            item.initial_labels = ("customer-reported",) if self.rng.random() < 0.3 else ()
        plan = self._plan(team, created_at, item.reporter)
        self._write(team, item, plan, self._change_size(item, plan))

    def _change_size(self, item: WorkItem, plan: list[_Stage]) -> _Size:
        """The size of the item's change, tied to how long its review took: its log size correlates
        (REVIEW_SIZE_CORRELATION) with the draws of its time in review, so larger changes stay longer
        in review while review times keep their distribution. The rest is drawn from a generator of
        its own, seeded by the item, so no other draw moves."""
        rng = random.Random(f"{self.config.seed}:size:{item.source}:{item.native_id}")
        reviews = [step.drawn[1] for step in plan if step.drawn and step.drawn[0] == "review"]
        noise = rng.gauss(0.0, 1.0)
        if reviews:
            review = sum(reviews) / math.sqrt(len(reviews))  # still standard normal
            rho = REVIEW_SIZE_CORRELATION
            noise = rho * review + math.sqrt(1 - rho * rho) * noise
        additions = int(math.exp(4.0 + 1.2 * noise))
        return _Size(additions, int(additions * rng.uniform(0.1, 0.8)))

    def _plan(self, team: _TeamState, created_at: datetime, reporter: Person) -> list[_Stage]:
        """The item's stage path after creation (the first entry is its stage at creation)."""
        rng = self.rng
        assignee = rng.choice(team.members)
        fate = rng.random()
        if fate < 0.05:  # created already done: logged after the fact
            return [_Stage("done", created_at, reporter)]
        plan = [_Stage("backlog", created_at, reporter)]
        t = created_at

        def go(stage: str, hours_from: str | None = None) -> None:
            nonlocal t
            spent_in = hours_from or plan[-1].stage
            hours, draw = self._lognormal_draw(spent_in)
            t = self._after(t, team, hours * self._review_factor(team, spent_in, t))
            plan.append(_Stage(stage, t, assignee, (spent_in, draw)))

        if fate < 0.13:  # canceled before work began
            if rng.random() < 0.5:
                go("ready")
            go("canceled")
            return plan
        if fate < 0.28:  # still waiting in the queue
            if rng.random() < 0.5:
                go("ready")
            return plan
        if rng.random() < 0.7:  # 30% skip "ready"
            go("ready")
        go("in_progress")
        if rng.random() < 0.04:  # abandoned mid-way
            go("canceled")
            return plan
        if rng.random() < 0.3:  # backward move from review
            go("review")
            go("in_progress")
        go("review")
        if rng.random() < 0.7:  # 30% skip testing
            go("testing")
        if rng.random() < 0.4 and "ready_to_deploy" in self._workflow_stages(team):
            go("ready_to_deploy")
        go("done")
        if rng.random() < 0.08:  # reopened days later, fixed properly
            t = self._after(t, team, rng.uniform(8, 60))
            plan.append(_Stage("in_progress", t, assignee))
            go("review", "review")
            go("done", "review")
        return plan

    def _workflow_stages(self, team: _TeamState) -> set[str]:
        if team.jira_project or team.linear_team:
            return set(_statuses(team))
        if team.template.tracker == "gitlab":
            return set(GITLAB_WORKFLOWS[_template_base(team).name]) | {"backlog", "done"}
        return set(GITHUB_STATUS_LABELS) | {"backlog", "done", "canceled"}

    def _write(self, team: _TeamState, item: WorkItem, plan: list[_Stage], size: _Size | None = None) -> None:
        """Turn the stage plan into the source's own events, plus PRs for code work."""
        writer = self._writer(item.source)
        stages = self._workflow_stages(team)
        plan = [step for step in plan if step.stage in stages]
        if item.source in ("jira", "linear") and plan[0].stage == "done":
            item.initial_status = _statuses(team)["done"]
            plan = []
        for previous, step in zip([None, *plan], plan, strict=False):
            if previous is not None and previous.stage != step.stage:
                writer(team, item, previous.stage, step.stage, step.at, step.actor)
            elif previous is None and step.stage == "done":  # GitHub/GitLab: opened then closed
                writer(team, item, "backlog", "done", step.at + timedelta(seconds=40), step.actor)
            if step.stage == "in_progress" and (previous is None or previous.stage != "in_progress"):
                self._event(item, step.at, step.actor, ASSIGNED, assignee=step.actor)
            elif step.stage in HANDOFF_CHANCE and previous is not None and previous.stage != step.stage:
                self._handoff(team, item, step)
        self._blocked_period(team, item, plan)
        item.events.sort(key=lambda e: (e.at, e.id))  # a takeover minutes after a short stage began may follow its end
        if any(step.stage == "in_progress" for step in plan) and self.rng.random() < 0.85:
            self._pull_request_for(team, item, plan, size)

    def _handoff(self, team: _TeamState, item: WorkItem, step: _Stage) -> None:
        """Sometimes a colleague takes the item over at a stage (a reviewer, QA for testing).

        Drawn from a generator of its own, seeded by the item and stage: handoffs take no draw
        from the organisation's generator, so every other figure is the same with or without them.
        """
        rng = random.Random(f"{self.config.seed}:handoff:{item.source}:{item.native_id}:{step.stage}:{step.at}")
        others = [person for person in team.members if person != step.actor]
        if others and rng.random() < HANDOFF_CHANCE[step.stage]:
            taker = rng.choice(others)
            self._event(item, step.at + timedelta(minutes=rng.randint(1, 90)), taker, ASSIGNED, assignee=taker)

    def _event(
        self, item: WorkItem, at: datetime, actor: Person, kind: str, from_value=None, to_value=None, assignee=None
    ) -> None:
        event_id = self.ids("jira_history" if item.source == "jira" else f"{item.source}_event")
        item.events.append(ItemEvent(event_id, at, actor, kind, from_value, to_value, assignee))

    def _writer(self, source: str):
        return {"jira": self._write_jira, "github": self._write_github, "gitlab": self._write_gitlab,
                "linear": self._write_linear}[source]  # fmt: skip

    def _write_jira(self, team, item, old, new, at, actor) -> None:
        statuses = team.jira_project.statuses
        self._event(item, at, actor, STATUS, statuses[old], statuses[new])

    def _write_linear(self, team, item, old, new, at, actor) -> None:
        """A state change; now and then a canceled issue is marked a duplicate instead (a draw of its own)."""
        statuses = team.linear_team.statuses
        target = statuses[new]
        if new == "canceled" and random.Random(f"{self.config.seed}:duplicate:{item.native_id}").random() < 0.3:
            target = "Duplicate"
        self._event(item, at, actor, STATUS, item.status or statuses[old], target)

    def _write_github(self, team, item, old, new, at, actor) -> None:
        if old in ("done", "canceled"):
            self._event(item, at, actor, REOPENED)
        elif old in GITHUB_STATUS_LABELS:
            self._event(item, at, actor, UNLABELED, to_value=GITHUB_STATUS_LABELS[old])
        if new in GITHUB_STATUS_LABELS:
            self._event(item, at, actor, LABELED, to_value=GITHUB_STATUS_LABELS[new])
        elif new in ("done", "canceled"):
            self._event(item, at, actor, CLOSED, to_value="completed" if new == "done" else "not_planned")

    def _write_gitlab(self, team, item, old, new, at, actor) -> None:
        labels = GITLAB_WORKFLOWS[_template_base(team).name]
        if old in ("done", "canceled"):
            self._event(item, at, actor, REOPENED)
        if new in labels:  # scoped labels replace each other: remove and add in the same second
            current = next((label for label in item.labels if label.startswith("workflow::")), None)
            if current:
                self._event(item, at, actor, UNLABELED, to_value=current)
            self._event(item, at, actor, LABELED, to_value=labels[new])
        if new in ("done", "canceled"):
            self._event(item, at, actor, CLOSED)

    def _blocked_period(self, team: _TeamState, item: WorkItem, plan: list[_Stage]) -> None:
        """Some started items wait on something: Jira Flagged, or a `blocked` label."""
        active = [(a, b) for a, b in zip(plan, plan[1:], strict=False) if a.stage in ("in_progress", "review")]
        if not active or self.rng.random() > 0.18:
            return
        entered, left = self.rng.choice(active)
        span = (left.at - entered.at).total_seconds()
        if span < 3600:
            return
        start = entered.at + timedelta(seconds=int(span * self.rng.uniform(0.1, 0.4)))
        stop = start + timedelta(seconds=int(span * self.rng.uniform(0.2, 0.5)))
        actor = entered.actor
        statuses = _statuses(team)
        if "blocked" in statuses:  # this workflow has a Blocked status
            self._event(item, start, actor, STATUS, statuses[entered.stage], statuses["blocked"])
            self._event(item, stop, actor, STATUS, statuses["blocked"], statuses[entered.stage])
        elif item.source == "jira":
            self._event(item, start, actor, FLAGGED)
            self._event(item, stop, actor, UNFLAGGED)
        else:
            self._event(item, start, actor, LABELED, to_value="blocked")
            self._event(item, stop, actor, UNLABELED, to_value="blocked")
        item.events.sort(key=lambda e: (e.at, e.id))

    def _bulk_close(self, team: _TeamState) -> None:
        """An admin's clean-up: stale backlog items all closed within a minute by automation."""
        if not team.jira_project or self.config.bulk_close_size <= 0:
            return
        statuses = team.jira_project.statuses
        moment = self.config.start + timedelta(days=int(self.config.days * 0.66), hours=7, minutes=30)
        for n in range(self.config.bulk_close_size):
            created_at = self._creation_time(team)
            created_at = min(created_at, moment - timedelta(days=30))
            item = self._new_item(team, created_at, f"Old request: {self._title().lower()}", "Task")
            at = moment + timedelta(seconds=n * 50 // max(1, self.config.bulk_close_size))
            self._event(item, at, self.jira_automation, STATUS, statuses["backlog"], statuses["done"])

    # ----------------------------------------------------------------- pull requests and CI
    def _pull_request_for(self, team: _TeamState, item: WorkItem, plan: list[_Stage], size: _Size | None) -> None:
        rng = self.rng
        first_start = next(s for s in plan if s.stage == "in_progress")
        after_start = plan[plan.index(first_start) + 1 :]
        review = next((s for s in after_start if s.stage == "review"), None)
        end_of_work = next((s for s in after_start if s.stage not in ("in_progress", "review", "blocked")), None)
        author = first_start.actor
        first_commit_at = self._after(first_start.at, team, rng.uniform(0.5, 4))
        pr_at = review.at if review and rng.random() < 0.5 else self._after(first_commit_at, team, rng.uniform(1, 10))
        if review and pr_at > review.at:
            pr_at = review.at - timedelta(minutes=rng.randint(5, 90))
        pr_at = max(pr_at, first_commit_at + timedelta(minutes=10))
        commits = self._commits(author, first_commit_at, pr_at, rng.randint(1, 4))
        draft = rng.random() < 0.2
        merge_at = None
        if end_of_work and end_of_work.stage != "canceled":
            merge_at = end_of_work.at - timedelta(minutes=rng.randint(2, 45))
        pr = self._new_pr(team, "", "", author, "", pr_at, draft, commits)
        if size is not None:
            pr.additions, pr.deletions, pr.changed_files = size.additions, size.deletions, max(1, size.additions // 40)
        self.links.append((pr, item, rng.random(), False))
        if draft:
            pr.ready_at = review.at if review and review.at > pr_at else pr_at + timedelta(hours=1)
            if merge_at:
                pr.ready_at = min(pr.ready_at, merge_at)
        self._reviews(team, pr, plan, merge_at)
        if merge_at and merge_at > pr.created_at:
            self._merge(team, pr, merge_at)
        elif end_of_work and end_of_work.stage == "canceled":
            pr.closed_at = end_of_work.at
        if sum(s.stage == "done" for s in plan) > 1:  # reopened
            self._follow_up_pr(team, item, plan)
        self._pr_ci(team, pr)

    def _commits(self, author: Person, first_at: datetime, until: datetime, count: int) -> list[Commit]:
        span = max(60, int((until - first_at).total_seconds()))
        moments = sorted(
            [first_at] + [first_at + timedelta(seconds=self.rng.randint(0, span)) for _ in range(count - 1)]
        )
        commits = []
        for at in moments:
            message = self.rng.choice(("Implement change", "Add tests", "Address review", "Fix lint", "Update docs"))
            committed_at = at
            if self.rng.random() < 0.1:  # rebased: committer date later than author date
                committed_at = until - timedelta(minutes=1)
            commits.append(Commit(self._sha(), message, author, at, max(at, committed_at)))
        return commits

    def _new_pr(
        self,
        team: _TeamState,
        title: str,
        body: str,
        author: Person,
        branch: str,
        created_at: datetime,
        draft: bool,
        commits: list[Commit],
    ) -> PullRequest:
        repo = team.code_repo
        # Every PR draws a size here, so that an item's PR taking its planned size leaves every later draw in place.
        size = int(math.exp(self.rng.gauss(4.0, 1.2)))
        pr = PullRequest(
            source=repo.source,
            repo=repo.full_name,
            native_id=self.ids(f"{repo.source}_pr" if repo.source == "github" else "gitlab_mr"),
            number=0,  # numbered in creation order at the end
            title=title,
            body=body,
            author=author,
            head_branch=branch,
            base_branch=repo.default_branch,
            created_at=created_at,
            created_as_draft=draft,
            commits=commits,
            additions=size,
            deletions=int(size * self.rng.uniform(0.1, 0.8)),
            changed_files=max(1, size // 40),
        )
        self.pull_requests.append(pr)
        return pr

    def _reviews(self, team: _TeamState, pr: PullRequest, plan: list[_Stage], merge_at: datetime | None) -> None:
        rng = self.rng
        others = [m for m in team.members if m != pr.author]
        if rng.random() < 0.4:  # a static-analysis bot comments within minutes
            self._review(pr, self.sonar, "COMMENTED", pr.created_at + timedelta(minutes=rng.randint(1, 4)))
        if rng.random() < 0.04:  # merged on the author's own say-so
            self._review(pr, pr.author, "COMMENTED", pr.created_at + timedelta(minutes=20))
            return
        reviewer = rng.choice(others)
        earliest = pr.created_at - timedelta(hours=2)
        reviews = [
            s for s in plan if s.stage == "review" and earliest <= s.at < (merge_at or datetime.max.replace(tzinfo=UTC))
        ]
        wait = _pr_size(pr).factor(REVIEW_SIZE_POWER, REVIEW_SIZE_BOUNDS)  # a larger change waits longer
        for index, stage in enumerate(reviews):
            at = max(stage.at, pr.ready_at or pr.created_at) + timedelta(minutes=int(rng.randint(10, 240) * wait))
            if merge_at and at >= merge_at:
                at = merge_at - timedelta(minutes=1)
            last = index == len(reviews) - 1
            state = "APPROVED" if last else "CHANGES_REQUESTED"
            if at > pr.created_at:
                self._review(pr, reviewer, state, at)
                if not last:  # the author pushes fixes after changes were requested
                    pr.commits += self._commits(pr.author, at + timedelta(minutes=30), at + timedelta(hours=2), 1)

    def _review(self, pr: PullRequest, reviewer: Person, state: str, at: datetime) -> None:
        review_id = self.ids("github_review" if pr.source == "github" else "gitlab_review")
        pr.reviews.append(Review(review_id, reviewer, state, at, pr.commits[-1].sha))

    def _merge(self, team: _TeamState, pr: PullRequest, at: datetime) -> None:
        pr.merged_at = pr.closed_at = at
        pr.merge_method = team.code_repo.merge_method
        pr.merge_commit_sha = self._sha()
        team.merges.append((at, pr.merge_commit_sha, pr))
        self._run(
            team,
            "CI",
            "push",
            team.code_repo.default_branch,
            pr.merge_commit_sha,
            at + timedelta(seconds=20),
            pr.author,
        )

    def _follow_up_pr(self, team: _TeamState, item: WorkItem, plan: list[_Stage]) -> None:
        """A reopened item gets a second PR: the fix that made it really done."""
        reopen = [s for s in plan if s.stage == "in_progress"][-1]
        done = plan[-1]
        author = reopen.actor
        first = reopen.at + timedelta(minutes=30)
        created = min(first + timedelta(hours=1), done.at - timedelta(minutes=30))
        pr = self._new_pr(team, "", "", author, "", created, False, self._commits(author, first, created, 1))
        self.links.append((pr, item, 0.0, True))
        reviewer = self.rng.choice([m for m in team.members if m != author])
        self._review(pr, reviewer, "APPROVED", created + timedelta(minutes=15))
        self._merge(team, pr, done.at - timedelta(minutes=5))
        self._pr_ci(team, pr)

    def _chore_pull_request(self, team: _TeamState) -> None:
        """PRs with no work item: dependency bumps by a bot, chores, abandoned experiments."""
        rng = self.rng
        at = self._creation_time(team)
        if rng.random() < 0.5:
            package = rng.choice(("requests", "lodash", "urllib3", "react", "pyyaml"))
            commits = self._commits(self.dependabot, at - timedelta(minutes=2), at, 1)
            pr = self._new_pr(
                team,
                f"Bump {package} to the latest version",
                "Bumps the dependency.",
                self.dependabot,
                f"dependabot/{package}",
                at,
                False,
                commits,
            )
        else:
            author = rng.choice(team.members)
            commits = self._commits(author, at - _hours(rng.uniform(1, 30)), at, rng.randint(1, 3))
            pr = self._new_pr(
                team,
                f"Chore: {self._title().lower()}",
                "Housekeeping.",
                author,
                f"chore/{at:%Y%m%d-%H%M}",
                at,
                rng.random() < 0.3,
                commits,
            )
        fate = rng.random()
        reviewer = rng.choice([m for m in team.members if m != pr.author])
        if fate < 0.6:
            review_at = self._after(at, team, rng.uniform(0.5, 12))
            self._review(pr, reviewer, "APPROVED", review_at)
            if pr.created_as_draft:
                pr.ready_at = review_at - timedelta(minutes=30)
            self._merge(team, pr, review_at + timedelta(minutes=rng.randint(5, 120)))
        elif fate < 0.85:  # closed without merging
            pr.closed_at = self._after(at, team, rng.uniform(2, 80))
        self._pr_ci(team, pr)

    def _pr_ci(self, team: _TeamState, pr: PullRequest) -> None:
        """One CI run per pushed commit; some fail and are re-run."""
        event = "pull_request" if pr.source == "github" else "merge_request_event"
        for commit in pr.commits:
            at = max(commit.committed_at, pr.created_at) + timedelta(seconds=30)
            if pr.merged_at and at > pr.merged_at:
                continue
            self._run(team, "CI", event, pr.head_branch, commit.sha, at, pr.author, pull_request=pr)

    def _run(
        self,
        team: _TeamState,
        workflow: str,
        event: str,
        branch: str,
        sha: str,
        at: datetime,
        actor: Person,
        conclusion: str | None = None,
        pull_request: PullRequest | None = None,
    ) -> PipelineRun:
        rng = self.rng
        repo = team.code_repo
        run_id = self.ids(f"{repo.source}_run")
        failed = conclusion == "failure" or (conclusion is None and rng.random() < 0.15)
        # A PR's runs fail more often the larger its change: an extra failure drawn from a generator
        # of the run's own (its re-run's timing too), so that no other draw moves.
        extra = None
        if conclusion is None and not failed and pull_request is not None:
            own = random.Random(f"{self.config.seed}:ci:{repo.source}:{run_id}")
            extra = own if own.random() < _extra_failure_chance(pull_request) else None
        rerun = (failed or extra is not None) and conclusion is None and repo.source == "github"
        attempt_at = at
        last = None
        timing = rng
        for attempt in (1, 2) if rerun else (1,):
            started = attempt_at + timedelta(seconds=timing.randint(3, 90))
            finished = started + timedelta(seconds=int(60 * math.exp(timing.gauss(1.8, 0.5))))
            outcome = "failure" if (failed or extra) and attempt == 1 else (conclusion or "success")
            last = PipelineRun(
                self._ci_of(repo), repo.full_name, run_id, 0, workflow, event, branch, sha,
                attempt, attempt_at, started, finished, outcome, actor, pull_request,
            )  # fmt: skip
            self.pipeline_runs.append(last)
            attempt_at = finished + timedelta(minutes=timing.randint(2, 30))  # someone clicks re-run
            timing = extra or rng
        return last

    def _ci_of(self, repo: Repository) -> str:
        """Where the repository's runs happen: its host's CI, or Jenkins for `jenkins_repository`."""
        return "jenkins" if repo.full_name == self.config.jenkins_repository else repo.source

    # ----------------------------------------------------------------- deployments and incidents
    def _deployments(self, team: _TeamState) -> None:
        rng = self.rng
        tz = ZoneInfo(team.template.timezone)
        merges = sorted(team.merges, key=lambda m: m[0])
        day = self.config.start
        deployed_sha = None
        shipped_until = self.config.start - timedelta(days=1)  # merges up to here went out already
        previous_prod_sha = None
        rolled_back = False
        while day < self.config.end:
            local = day.astimezone(tz)
            if local.weekday() < 5 and rng.random() < team.template.deploys_per_workday:
                at = working_hours_later(day, rng.uniform(1, 7), tz)
                shipped = [m for m in merges if m[0] <= at]
                if shipped and shipped[-1][1] != deployed_sha:
                    sha = shipped[-1][1]
                    # The largest change it ships makes it riskier: more failed deploys and incidents.
                    risk = (
                        max(
                            _pr_size(m[2]).factor(RISK_SIZE_POWER, RISK_SIZE_BOUNDS, RISK_TYPICAL_LINES)
                            for m in shipped
                            if m[0] > shipped_until
                        )
                        if any(m[0] > shipped_until for m in shipped)
                        else 1.0
                    )
                    shipped_until = at
                    failed = rng.random() < 0.06 * risk
                    prod = self._deploy(team, sha, at, failed)
                    if failed:  # fixed by redeploying the same sha within the hour
                        prod = self._deploy(team, sha, at + timedelta(minutes=rng.randint(20, 60)), False)
                    incident_count = rng.choices((0, 1, 2, 3), (88, 9 * risk, 2 * risk, 1 * risk))[0]
                    if incident_count and not rolled_back and previous_prod_sha and isinstance(prod, Deployment):
                        rolled_back = True
                        incident_count = max(incident_count, 1)
                        incidents = self._incidents(team, prod, incident_count, within_hours=4)
                        rollback_at = incidents[0].created_at + timedelta(minutes=35)
                        self._deploy(team, previous_prod_sha, rollback_at, False, rollback=True)
                        sha = previous_prod_sha
                    elif incident_count:
                        self._incidents(team, prod, incident_count)
                    previous_prod_sha = deployed_sha = sha
            day += timedelta(days=1)
        for _ in range(max(1, self.config.items_per_project // 25)):  # incidents nobody deployed
            self._incident(team, self._creation_time(team), None)

    def _deploy(
        self, team: _TeamState, sha: str, at: datetime, failed: bool, rollback: bool = False
    ) -> Deployment | PipelineRun:
        """Staging, then production half an hour later; or only a Deploy workflow run."""
        repo = team.code_repo
        branch = repo.default_branch
        if not repo.uses_deployments:
            return self._run(
                team,
                "Deploy to production",
                "workflow_dispatch",
                branch,
                sha,
                at,
                self.actions_bot,
                "failure" if failed else "success",
            )
        pipeline = self._run(
            team,
            "Deploy",
            "push" if not rollback else "workflow_dispatch",
            branch,
            sha,
            at,
            self.actions_bot,
            "success",
        )
        self._deployment(team, "staging", sha, at, False, pipeline)
        production = self._deployment(
            team, "production", sha, at + timedelta(minutes=self.rng.randint(20, 60)), failed, pipeline
        )
        production.is_rollback = rollback
        return production

    def _deployment(
        self, team: _TeamState, environment: str, sha: str, at: datetime, failed: bool, pipeline: PipelineRun
    ) -> Deployment:
        repo = team.code_repo
        rng = self.rng
        creator = self.actions_bot if repo.source == "github" else rng.choice(team.members)
        status_kind = "github_deployment_status" if repo.source == "github" else "gitlab_deployment_status"
        queued_at = at + timedelta(seconds=rng.randint(1, 20))
        running_at = queued_at + timedelta(seconds=rng.randint(5, 60))
        finished_at = running_at + timedelta(seconds=rng.randint(120, 900))
        outcome = "failure" if failed else "success"
        statuses = [
            DeploymentStatus(self.ids(status_kind), "queued", queued_at, creator),
            DeploymentStatus(self.ids(status_kind), "in_progress", running_at, creator),
            DeploymentStatus(self.ids(status_kind), outcome, finished_at, creator),
        ]
        deployment_id = self.ids(f"{repo.source}_deployment")
        previous = [d for d in self.deployments if d.repo == repo.full_name and d.environment == environment]
        if repo.source == "github" and not failed:
            for older in previous:  # GitHub marks the environment's earlier deployments inactive
                if older.state == "success":
                    older.statuses.append(DeploymentStatus(self.ids(status_kind), "inactive", finished_at, creator))
        deployment = Deployment(
            source=repo.source, repo=repo.full_name, native_id=deployment_id, iid=len(previous) + 1,
            environment=environment, tier=environment, production_environment=environment == "production",
            sha=sha, ref=repo.default_branch, created_at=at, creator=creator, statuses=statuses,
            pipeline_id=pipeline.native_id,
        )  # fmt: skip
        self.deployments.append(deployment)
        return deployment

    def _incidents(
        self, team: _TeamState, deployment: Deployment | PipelineRun, count: int, within_hours: float = 8
    ) -> list[WorkItem]:
        finished = deployment.statuses[-1].at if isinstance(deployment, Deployment) else deployment.finished_at
        first = finished + _hours(self.rng.uniform(0.3, within_hours))
        caused_by = deployment.native_id if isinstance(deployment, Deployment) else None
        return [self._incident(team, first + timedelta(minutes=17 * n), caused_by, deployment) for n in range(count)]

    def _incident(self, team: _TeamState, created_at: datetime, caused_by: int | None, deployment=None) -> WorkItem:
        rng = self.rng
        tracker = team.template.tracker
        issue_type = {"jira": "Incident", "gitlab": "incident", "github": "", "linear": ""}[tracker]
        labels = ("incident",) if tracker in ("github", "linear") else ()
        title = f"Incident: {rng.choice(INCIDENT_SYMPTOMS)}"
        item = self._new_item(team, created_at, title, issue_type, labels)
        item.caused_by_deployment = caused_by
        if deployment is not None and rng.random() < 0.5:  # the responder names the release
            sha = deployment.head_sha if isinstance(deployment, PipelineRun) else deployment.sha
            item.body += f"\n\nStarted after deploying {sha}."
        responder = rng.choice(team.members)
        resolved_at = created_at + _hours(math.exp(rng.gauss(1.0, 1.0)))
        plan = [
            _Stage("backlog", created_at, item.reporter),
            _Stage("in_progress", created_at + timedelta(minutes=rng.randint(3, 40)), responder),
        ]
        plan.append(_Stage("done", max(resolved_at, plan[-1].at + timedelta(minutes=5)), responder))
        stages = self._workflow_stages(team)
        plan = [s for s in plan if s.stage in stages]
        writer = self._writer(tracker)
        for previous, step in zip(plan, plan[1:], strict=False):
            writer(team, item, previous.stage, step.stage, step.at, step.actor)
        self._incident_follow_up(team, item, plan[-1].at)
        return item

    def _incident_follow_up(self, team: _TeamState, incident: WorkItem, resolved_at: datetime) -> None:
        """After some incidents, a defect for the real fix: worked soon, its PR naming the incident too.

        Drawn from a generator of its own, seeded by the incident, so the rest of the organisation
        is the same with or without follow-ups.
        """
        rng = random.Random(f"{self.config.seed}:follow-up:{incident.source}:{incident.native_id}")
        if rng.random() >= INCIDENT_FOLLOW_UP_CHANCE:
            return
        main, self.rng = self.rng, rng
        try:
            tracker = team.template.tracker
            issue_type = {"jira": "Bug", "gitlab": "issue", "github": "Bug", "linear": ""}[tracker]
            labels = () if tracker == "jira" else ("bug",)
            created_at = self._after(resolved_at, team, rng.uniform(0.5, 8))
            item = self._new_item(team, created_at, f"Follow-up: {incident.title.removeprefix('Incident: ')}",
                                  issue_type, labels)  # fmt: skip
            assignee = rng.choice(team.members)
            plan, t = [_Stage("backlog", created_at, item.reporter)], created_at
            t = self._after(t, team, rng.uniform(1, 24))  # follow-ups jump the queue
            drawn = None
            for stage in ("in_progress", "review", "testing", "done"):
                plan.append(_Stage(stage, t, assignee, drawn))
                if stage != "done":
                    hours, draw = self._lognormal_draw(stage)
                    t, drawn = self._after(t, team, hours * self._review_factor(team, stage, t)), (stage, draw)
            links = len(self.links)
            self._write(team, item, plan, self._change_size(item, plan))
            self.incident_follow_ups += [(pr, incident) for pr, linked, _, _ in self.links[links:] if linked is item]
        finally:
            self.rng = main


def _pr_size(pr: PullRequest) -> _Size:
    return _Size(pr.additions, pr.deletions)


def _extra_failure_chance(pr: PullRequest) -> float:
    """How much likelier than usual a run of this PR fails: nothing up to TYPICAL_LINES, then
    EXTRA_FAILURE_PER_DOUBLING per doubling of the lines changed, at most EXTRA_FAILURE_MAX."""
    doublings = math.log2(max(_pr_size(pr).lines, 1) / TYPICAL_LINES)
    return min(max(doublings * EXTRA_FAILURE_PER_DOUBLING, 0.0), EXTRA_FAILURE_MAX)


def _review_requests(pr: PullRequest) -> list[ReviewRequest]:
    """Each person who reviewed (not a bot, not the author) was asked when the PR became ready for
    review, or at their first review if that came first; the request shows from then on, so a
    review still to come is already a pending request."""
    first_reviews: dict[str, Review] = {}
    for review in sorted(pr.reviews, key=lambda r: (r.submitted_at, r.id)):
        if not review.reviewer.is_bot and review.reviewer != pr.author:
            first_reviews.setdefault(review.reviewer.login, review)
    asked = pr.ready_at or pr.created_at
    return [ReviewRequest(r.reviewer, min(asked, r.submitted_at)) for r in first_reviews.values()]


def _write_reference(pr: PullRequest, item: WorkItem, style: float, follow_up: bool) -> None:
    """How a PR names its work item: a Jira key, `#n` or `group/project#n`; in title, body or branch."""
    slug = re.sub(r"[^a-z0-9]+", "-", item.title.lower()).strip("-")
    if item.source == "jira":
        ref = item.key
        title_prefix, pr.head_branch = f"{item.key}: ", f"feature/{item.key}-{slug}"
        in_body, branch_only = False, style < 0.2
    elif item.source == "linear":  # the branch name Linear suggests: `<user>/gro-12-slug`
        ref = item.key
        title_prefix, pr.head_branch = f"[{item.key}] ", f"{pr.author.login.split('-')[0]}/{item.key.lower()}-{slug}"
        in_body, branch_only = style < 0.1, style > 0.6
    else:
        ref = f"#{item.number}" if style < 0.7 else f"{item.container}#{item.number}"
        title_prefix, pr.head_branch = f"[#{item.number}] ", f"{item.number}-{slug}"
        in_body, branch_only = style < 0.8, style > 0.92
    if follow_up:
        pr.title, pr.body, pr.head_branch = f"{title_prefix}Follow-up: {item.title}", f"Fixes {ref}", f"fix/{slug}"
    elif branch_only:
        pr.title, pr.body = item.title, "Implements the change described in the ticket."
    elif in_body:
        pr.title, pr.body = item.title, f"Closes {ref}"
    else:
        pr.title, pr.body = f"{title_prefix}{item.title}", "See the linked issue."


def _hours(hours: float) -> timedelta:
    """A span in whole seconds: the APIs render seconds or milliseconds, never microseconds."""
    return timedelta(seconds=int(hours * 3600))


def _statuses(team: _TeamState) -> dict[str, str]:
    """Stage → status name of a team's Jira project or Linear team; none for GitHub and GitLab."""
    if team.jira_project:
        return team.jira_project.statuses
    return team.linear_team.statuses if team.linear_team else {}


def linear_id(*parts: object) -> str:
    """A Linear-looking id (a UUID), stable for the same parts."""
    digest = hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-4{digest[13:16]}-a{digest[17:20]}-{digest[20:32]}"


def _template_base(team: _TeamState) -> TeamTemplate:
    return next(t for t in TEAM_TEMPLATES if team.template.name.startswith(t.name))


def _jira_status_catalogue() -> dict[str, str]:
    catalogue = {}
    for workflow in JIRA_WORKFLOWS.values():
        for stage, status in workflow.items():
            catalogue[status] = JIRA_STATUS_CATEGORIES[stage]
    return catalogue
