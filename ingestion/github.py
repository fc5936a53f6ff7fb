"""GitHub source: issue histories, pull requests with reviews and commits, Actions runs, deployments.

Cheapest-endpoint design, so that a nightly run costs requests in proportion to what changed:
- `issues?since=` (sorted by update) is the cursor for issues *and* pull requests; only the PRs
  it returns get their detail, reviews and commits fetched: through GraphQL, 100 a query
  (`ingestion.github_graphql`), or with `graphql=False` three REST requests each.
- `issues/events` lists label, state and assignment events for the whole repository, newest
  first: paging stops at the previous run's newest event.
- `actions/runs?created=` windows, re-reading a lookback for re-runs and runs still going.
- `deployments` newest first, stopping past the lookback; statuses only for deployments that
  are new or were still in flight last time (followed for `in_flight_days`, then given up).
- A repository-wide list GitHub refuses to page deeper (422) is completed issue by issue; a
  pull request or deployment that has gone (404) is skipped with one line; a renamed repository
  is read under its new name.
- The first page of every list is asked with `If-None-Match`: an unchanged list answers 304,
  which GitHub does not count against the rate limit.
Cursors live in dlt resource state, which dlt commits only with the data it describes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import dlt
import requests
from dlt.sources import DltResource

from ingestion import github_graphql, reconcile
from ingestion.api_client import (
    ApiClient,
    ForbiddenError,
    NotFoundError,
    PaginationLimitError,
    RetryPolicy,
    SourceError,
)
from ingestion.github_graphql import PullDetails
from ingestion.rows import nullable_columns, parse_time
from ingestion.scope import ConfiguredScope

TOKEN_SETTING = "sources.github.access_token (.dlt/secrets.toml) or SOURCES__GITHUB__ACCESS_TOKEN"
REPOSITORIES_SETTING = "sources.github.repositories (.dlt/config.toml) or SOURCES__GITHUB__REPOSITORIES"
DONE_DEPLOYMENT_STATES = {"success", "failure", "error", "inactive"}
# What a fine-grained token needs to read each resource (classic tokens: the `repo` scope).
PERMISSIONS = {
    "issues": "the Issues (read) permission",
    "issues/events": "the Issues (read) permission",
    "pulls": "the Pull requests (read) permission",
    "actions/runs": "the Actions (read) permission",
    "deployments": "the Deployments (read) permission",
}
EVENT_OVERLAP = timedelta(minutes=10)
# Issues and pull requests whose own event lists one run reads to complete a repository's events
# GitHub would not page down to: a share of the 5,000 requests an hour, so that the run completes
# and commits what it read; the next runs go on from there.
BACKFILL_ISSUES_PER_RUN = 2000
log = logging.getLogger("streamgauge.ingestion")


ISSUE_COLUMNS = nullable_columns(
    closed_at="timestamp", state_reason="text", body="text", assignee__login="text", type__name="text"
)
PULL_COLUMNS = nullable_columns(
    merged_at="timestamp", closed_at="timestamp", merge_commit_sha="text", body="text", merged_by__login="text"
)
EVENT_COLUMNS = nullable_columns(
    label__name="text",
    assignee__login="text",
    requested_reviewer__login="text",
    commit_id="text",
    state_reason="text",
    milestone__number="bigint",  # a milestoned event's milestone carries only its title
)
# Through GraphQL a commit's parents are a connection of their own: counting them would cost a request per commit.
COMMIT_COLUMNS = nullable_columns(parent_count="bigint")
RUN_COLUMNS = nullable_columns(conclusion="text", run_started_at="timestamp", head_branch="text")
DEPLOYMENT_COLUMNS = nullable_columns(production_environment="bool", original_environment="text", description="text")
RUNS_QUERY_CAP = 1000  # filtered workflow-run queries stop returning rows past this many


@dlt.source(name="github", max_table_nesting=1)
def github_source(
    repositories: list[str] = dlt.config.value,
    access_token: str = dlt.secrets.value,
    base_url: str = "https://api.github.com",
    lookback_days: int = 3,
    retry_backoff_seconds: float = 1.0,
    page_size: int = 100,
    reconcile_days: float = 7,
    in_flight_days: float = 7,
    graphql: bool = True,
) -> list[DltResource]:
    """Every configured repository's delivery history.

    `repositories` lists `owner/repo` names; `base_url` is `https://api.github.com`, a GitHub
    Enterprise `https://HOST/api/v3`, or the simulator. `lookback_days` is how far back
    workflow runs and deployments are re-read to catch re-runs and late status changes.
    `page_size` is the `per_page` asked for (GitHub's maximum, 100, unless testing paging).
    Every `reconcile_days` the numbers of all issues are listed, so that dbt sees deletions.
    A deployment whose statuses have not reached a final state is re-read on each run until it is
    `in_flight_days` old. A repository that is unknown or not visible is reported in one line and skipped.
    With `graphql` (the default) the changed pull requests' details, reviews and commits come through
    GitHub's GraphQL API, up to 100 pull requests a query (`ingestion.github_graphql`); without it, three
    REST requests each.
    """
    if isinstance(repositories, str):
        repositories = [r.strip() for r in repositories.split(",") if r.strip()]
    if not repositories:
        raise SourceError(f"github: no repositories configured; set {REPOSITORIES_SETTING}")
    client = ApiClient(
        "github",
        base_url,
        {
            "Authorization": f"Bearer {access_token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
        },
        TOKEN_SETTING,
        RetryPolicy(backoff_seconds=retry_backoff_seconds),
        page_size=page_size,
        title="GitHub",
    )
    renamed: dict[str, str] = {}  # configured name → the name GitHub now gives it
    repos = ConfiguredScope(
        client,
        "repositories",
        REPOSITORIES_SETTING,
        repositories,
        partial(_repository, renamed=renamed),
        "full_name",
        PERMISSIONS,
    )
    lookback = timedelta(days=lookback_days)
    changed = _changed_issues(client, repos, renamed)
    gone: set[tuple[str, int]] = set()  # pull requests that answered 404 this run
    size = min(page_size, github_graphql.MAX_PAGE)
    details = PullDetails(client, size, size) if graphql else None
    timelines = github_graphql.Timelines(details.api, size, size) if details is not None else None
    statuses = github_graphql.DeploymentStatuses(details.api, size, size) if details is not None else None
    return [
        _repositories(repos),
        _repository_names(repos, renamed),
        changed,
        changed | _issues,
        _issue_events(client, repos, renamed, timelines),
        changed | _pull_requests(client, repos, gone, details),
        changed | _pull_request_reviews(client, repos, gone, details),
        changed | _pull_request_commits(client, repos, gone, details),
        _workflow_runs(client, repos, lookback, renamed),
        _deployments(client, repos, lookback, timedelta(days=in_flight_days), renamed, statuses),
        reconcile.issue_ids(
            repos,
            timedelta(days=reconcile_days),
            ("repository", "number"),
            partial(_issue_numbers, client),
            "repository",
        ),
    ]


def _repository(client: ApiClient, name: str, renamed: dict[str, str]) -> dict:
    """The repository's row; one renamed or transferred since (GitHub answers its old name with a
    redirect) is read under its new name from here on, and the cursors kept for the old name follow."""
    row = client.get(f"/repos/{name}", what=f"repository {name}").json()
    if row["full_name"].lower() != name.lower():
        renamed[name] = row["full_name"]
        log.warning(
            "github: repository %s is now %s (renamed or moved); read under its new name, at one redirect a run "
            "until %s names it so",
            name,
            row["full_name"],
            REPOSITORIES_SETTING,
        )
    return {key: row[key] for key in ("id", "full_name", "default_branch", "html_url", "created_at")}


def _follow_renames(renamed: dict[str, str], *by_repository: dict, etags: dict | None = None) -> None:
    """Move what state keeps under a repository's former name to its new name (ETags: by the paths they were for)."""
    for old, new in renamed.items():
        for values in by_repository:
            if old in values and new not in values:
                values[new] = values.pop(old)
        for key in [key for key in etags or {} if key.startswith(f"/repos/{old}/")]:
            etags[key.replace(f"/repos/{old}/", f"/repos/{new}/", 1)] = etags.pop(key)


def _repositories(repos: ConfiguredScope) -> DltResource:
    @dlt.resource(name="repositories", primary_key="id", write_disposition="merge")
    def repositories() -> Iterator[list[dict]]:
        yield repos.rows

    return repositories


def _repository_names(repos: ConfiguredScope, renamed: dict[str, str]) -> DltResource:
    """Every name a repository has been read under, with its id: rows stored under a former name
    belong to the same repository, and the marts key it by id, which a rename keeps."""

    @dlt.resource(name="repository_names", primary_key="full_name", write_disposition="merge")
    def repository_names() -> Iterator[list[dict]]:
        ids = {row["full_name"]: row["id"] for row in repos.rows}
        former = {old: ids[new] for old, new in renamed.items() if new in ids}
        yield [{"full_name": name, "id": id_} for name, id_ in (ids | former).items()]

    return repository_names


# ---------------------------------------------------------------------- issues and pull requests
def _changed_issues(client: ApiClient, repos: ConfiguredScope, renamed: dict[str, str]) -> DltResource:
    """Every issue and PR updated since the last run; feeds the tables below, loads nothing itself."""

    @dlt.resource(name="changed_issues", selected=False)
    def changed_issues() -> Iterator[list[dict]]:
        state = dlt.current.resource_state()
        # `since` is inclusive: remember which rows sat on the cursor so they are not fetched again.
        cursors = state.setdefault("updated_since", {})
        on_cursor = state.setdefault("ids_on_cursor", {})
        etags = state.setdefault("etags", {})
        names = repos.names  # looked up first: a renamed repository's cursors follow it
        _follow_renames(renamed, cursors, on_cursor, etags=etags)

        def changed_in(repo: str) -> Iterator[list[dict]]:
            # Newest first: an issue updated while we page moves to page 1, so rows shift onto pages
            # not read yet and are read twice; oldest first, they would shift onto pages read already.
            params = {"state": "all", "sort": "updated", "direction": "desc", "per_page": client.page_size}
            if repo in cursors:
                params["since"] = cursors[repo]
            cursor, seen = cursors.get(repo, ""), set(on_cursor.get(repo, []))
            for page in _pages(client, f"/repos/{repo}/issues", params, etags, f"repository {repo}"):
                rows = [
                    dict(row, repository=repo)
                    for row in page
                    if not (row["updated_at"] == cursors.get(repo) and row["id"] in seen)
                ]
                for row in rows:
                    if client.is_future(row["updated_at"], f"{_kind(row)} {repo}#{row['number']}"):
                        continue
                    if row["updated_at"] > cursor:
                        cursor, seen = row["updated_at"], {row["id"]}
                    elif row["updated_at"] == cursor:
                        seen.add(row["id"])
                if rows:
                    yield rows
            if cursor > (limit := _iso(client.cursor_limit())):
                cursor, seen = limit, set()
            if cursor:
                cursors[repo], on_cursor[repo] = cursor, sorted(seen)

        for repo in names:
            yield from repos.readable(repo, "issues", changed_in(repo))

    return changed_issues


@dlt.transformer(name="issues", primary_key="id", write_disposition="merge", columns=ISSUE_COLUMNS)
def _issues(rows: list[dict]) -> Iterator[list[dict]]:
    issues = [_slim(row) for row in rows if "pull_request" not in row]
    if issues:
        yield issues


def _pull_requests(
    client: ApiClient, repos: ConfiguredScope, gone: set[tuple[str, int]], details: PullDetails | None
) -> DltResource:
    @dlt.transformer(name="pull_requests", primary_key="id", write_disposition="merge", columns=PULL_COLUMNS)
    def pull_requests(rows: list[dict]) -> Iterator[list[dict]]:
        if details is not None:
            pulls = [_slim(dict(d.pull, repository=repo)) for repo, d in _details(details, repos, rows, gone)]
        else:
            pulls = [
                _slim(dict(page.json(), repository=row["repository"]))
                for row in rows
                if "pull_request" in row
                for page in _pull_pages(client, repos, row, "", gone)
            ]
        if pulls:
            yield pulls

    return pull_requests


def _pull_request_reviews(
    client: ApiClient, repos: ConfiguredScope, gone: set[tuple[str, int]], details: PullDetails | None
) -> DltResource:
    @dlt.transformer(name="pull_request_reviews", primary_key="id", write_disposition="merge")
    def pull_request_reviews(rows: list[dict]) -> Iterator[list[dict]]:
        if details is not None:
            reviews = [_slim(r) for _, d in _details(details, repos, rows, gone) for r in d.reviews]
            if reviews:
                yield reviews
            return
        for row in rows:
            if "pull_request" in row:
                for page in _pull_pages(client, repos, row, "/reviews", gone):
                    yield [_slim(dict(r, repository=row["repository"], pull_number=row["number"])) for r in page.json()]

    return pull_request_reviews


def _pull_request_commits(
    client: ApiClient, repos: ConfiguredScope, gone: set[tuple[str, int]], details: PullDetails | None
) -> DltResource:
    @dlt.transformer(
        name="pull_request_commits",
        primary_key=("repository", "pull_number", "sha"),
        write_disposition="merge",
        columns=COMMIT_COLUMNS,
    )
    def pull_request_commits(rows: list[dict]) -> Iterator[list[dict]]:
        if details is not None:
            commits = [c for _, d in _details(details, repos, rows, gone) for c in d.commits]
            if commits:
                yield commits
            return
        for row in rows:
            if "pull_request" in row:
                for page in _pull_pages(client, repos, row, "/commits", gone):
                    yield [_commit(c, row["repository"], row["number"]) for c in page.json()]

    return pull_request_commits


def _details(
    details: PullDetails, repos: ConfiguredScope, rows: list[dict], gone: set[tuple[str, int]]
) -> list[tuple[str, github_graphql.Detail]]:
    """The GraphQL details of a page's changed pull requests (one repository's), none once the repository
    refuses them; one GitHub no longer knows is skipped with one line, as a REST 404 is."""
    numbers = [row["number"] for row in rows if "pull_request" in row]
    if not numbers:
        return []
    repo = rows[0]["repository"]

    def fetched() -> Iterator[tuple[str, github_graphql.Detail]]:
        for number, detail in details.of(repo, numbers).items():
            if detail is not None:
                yield repo, detail
            elif (repo, number) not in gone:
                gone.add((repo, number))
                log.warning(
                    "github: pull request %s#%s is not known to GitHub's GraphQL API (deleted or moved); its detail, "
                    "reviews and commits are skipped, everything else loads",
                    repo,
                    number,
                )

    return list(repos.readable(repo, "pulls", fetched()))


def _pull_pages(
    client: ApiClient, repos: ConfiguredScope, row: dict, below: str, gone: set[tuple[str, int]]
) -> Iterator[requests.Response]:
    """The pages of a changed PR's detail (`below` empty), reviews or commits: none once the repository
    refuses them, none for a PR that answered 404 (deleted, or moved with a transferred repository).

    What is skipped comes with the PR's next change: the PR has left the cursor of `changed_issues`.
    """
    repo, number = row["repository"], row["number"]
    path = f"/repos/{repo}/pulls/{number}{below}"

    def pages() -> Iterator[requests.Response]:
        if (repo, number) in gone:
            return
        try:
            yield from client.pages(path, {"per_page": client.page_size}, what=f"pull request {repo}#{number}")
        except NotFoundError:
            gone.add((repo, number))
            log.warning(
                "github: pull request %s#%s answered HTTP 404 (deleted or moved); its detail, reviews and commits "
                "are skipped, everything else loads",
                repo,
                number,
            )

    return repos.readable(repo, "pulls", pages())


def _issue_events(
    client: ApiClient, repos: ConfiguredScope, renamed: dict[str, str], timelines: github_graphql.Timelines | None
) -> DltResource:
    """Label, state, assignment and review events of issues and pull requests. A repository's first load
    reads them from its issues' and pull requests' timelines through GraphQL when `timelines` is given (a
    query per 100 of them), else from its REST event list; the nights after read the REST list, newest
    first, down to what the last run stored."""

    @dlt.resource(name="issue_events", primary_key="id", write_disposition="merge", columns=EVENT_COLUMNS)
    def issue_events() -> Iterator[list[dict]]:
        state = dlt.current.resource_state()
        cursors = state.setdefault("created_since", {})
        etags = state.setdefault("etags", {})
        backfills = state.setdefault("backfill", {})  # repository → the older events still to read
        names = repos.names
        _follow_renames(renamed, cursors, backfills, etags=etags)
        budget = [BACKFILL_ISSUES_PER_RUN]

        def events_of(repo: str) -> Iterator[list[dict]]:
            if timelines is not None and repo not in cursors and not backfills.get(repo):
                try:
                    for events in timelines.events(repo):
                        yield [_event(e, repo) for e in events]
                except (github_graphql.UnreadableId, ForbiddenError) as error:
                    log.warning("%s; the events of %s are read through REST instead", error, repo)
                else:
                    # Every event dated before the run began is in the timelines read; the nights go on
                    # from there through the repository's REST list.
                    cursors[repo] = _iso(client.cursor_limit())
                    return
            # Newest first: stop at the page that reaches what the last run stored, re-reading a
            # short overlap in case events of the same moments were listed out of order.
            floor = _iso(parse_time(cursors[repo]) - EVENT_OVERLAP) if repo in cursors else ""
            newest = cursors.get(repo, "")
            params = {"per_page": client.page_size}
            seen: set[int] = set()
            reached = None  # the oldest event listed so far
            try:
                for page in _pages(client, f"/repos/{repo}/issues/events", params, etags, repo):
                    fresh = [e for e in page if e["created_at"] >= floor]
                    newest = max([newest, *_created(client, fresh, "issue event", repo)])
                    seen.update(e["id"] for e in fresh)
                    reached = min([e["created_at"] for e in page] + ([reached] if reached else []))
                    if fresh:
                        yield [_event(e, repo) for e in fresh]
                    if len(fresh) < len(page):
                        break
            except PaginationLimitError:
                log.warning(
                    "github: issues/events of %s cannot be paged past %s (HTTP 422, pagination is limited); the "
                    "older events are read issue by issue",
                    repo,
                    reached,
                )
                backfills.setdefault(repo, []).append({"floor": floor, "reached": reached or "", "done": ""})
            if newest:
                cursors[repo] = min(newest, _iso(client.cursor_limit()))
            while backfills.get(repo) and budget[0] > 0:
                yield from _backfill(client, repo, backfills[repo][0], seen, budget)
                if backfills[repo][0]["done"] == "complete":
                    backfills[repo].pop(0)
            if backfills.get(repo):
                log.warning(
                    "github: older issue events of %s are still being read issue by issue (%d issues a run); "
                    "the next run goes on",
                    repo,
                    BACKFILL_ISSUES_PER_RUN,
                )
            else:
                backfills.pop(repo, None)

        for repo in names:
            yield from repos.readable(repo, "issues/events", events_of(repo))

    return issue_events


def _backfill(client: ApiClient, repo: str, job: dict, seen: set[int], budget: list[int]) -> Iterator[list[dict]]:
    """The events GitHub would not page down to in the repository's list (from `job["floor"]` up to
    `job["reached"]`), read from the event list of each issue and pull request that existed by then and
    changed since the floor, oldest first, until `budget` issues are read: one request per 100 of those
    listed, and one per such issue (more past 100 events). `job["done"]` keeps the position reached,
    "complete" at the end."""
    params = {"state": "all", "sort": "created", "direction": "asc", "per_page": client.page_size}
    if job["floor"]:
        params["since"] = job["floor"]
    for page in client.pages(f"/repos/{repo}/issues", params, what=f"repository {repo}"):
        for issue in page.json():
            position = f"{issue['created_at']} {issue['number']:012d}"
            if issue["created_at"] > job["reached"] or position <= job["done"]:
                continue
            if budget[0] <= 0:
                return
            budget[0] -= 1
            yield from _events_of_issue(client, repo, issue, job["floor"], job["reached"], seen)
            job["done"] = position
    job["done"] = "complete"


def _events_of_issue(
    client: ApiClient, repo: str, issue: dict, floor: str, reached: str, seen: set[int]
) -> Iterator[list[dict]]:
    """One issue's or pull request's events from `floor` up to `reached` not `seen` yet (none if it has gone)."""
    path = f"/repos/{repo}/issues/{issue['number']}/events"
    try:
        for page in client.pages(path, {"per_page": client.page_size}, what=f"{_kind(issue)} {repo}#{issue['number']}"):
            older = [
                _event(dict(e, issue=issue), repo)
                for e in page.json()
                if floor <= e["created_at"] <= reached and e["id"] not in seen
            ]
            seen.update(e["id"] for e in older)
            if older:
                yield older
    except NotFoundError:
        return


# ---------------------------------------------------------------------- CI and deployments
def _workflow_runs(
    client: ApiClient, repos: ConfiguredScope, lookback: timedelta, renamed: dict[str, str]
) -> DltResource:
    @dlt.resource(name="workflow_runs", primary_key="id", write_disposition="merge", columns=RUN_COLUMNS)
    def workflow_runs() -> Iterator[list[dict]]:
        state = dlt.current.resource_state()
        cursors = state.setdefault("created_since", {})
        names = repos.names
        _follow_renames(renamed, cursors)

        def runs_of(repo: str) -> Iterator[list[dict]]:
            since = cursors.get(repo)
            unfinished: list[str] = []
            newest = since
            for runs in _runs(client, repo, since):
                unfinished += [r["created_at"] for r in runs if r["status"] != "completed"]
                newest = max([newest or "", *_created(client, runs, "workflow run", repo)]) or None
                yield [_slim(dict(r, repository=repo)) for r in runs]
            if newest:
                # Re-read runs still going, and a lookback for re-runs (they keep their created_at).
                floor = _iso(min(parse_time(newest), client.cursor_limit()) - lookback)
                cursors[repo] = min([floor, *unfinished])

        for repo in names:
            yield from repos.readable(repo, "actions/runs", runs_of(repo))

    return workflow_runs


def _runs(client: ApiClient, repo: str, since: str | None) -> Iterator[list[dict]]:
    """All runs, or those created since `since`, split into windows under the 1,000-row cap."""
    path = f"/repos/{repo}/actions/runs"
    if since is None:
        for page in client.pages(path, {"per_page": client.page_size}):
            yield page.json()["workflow_runs"]
        return
    windows = [(parse_time(since), datetime.now(UTC) + timedelta(days=1))]
    while windows:
        start, end = windows.pop()
        params = {"per_page": client.page_size, "created": f"{_iso(start)}..{_iso(end)}"}
        first = True
        for page in client.pages(path, params):
            body = page.json()
            if first and body["total_count"] > RUNS_QUERY_CAP and end - start > timedelta(minutes=1):
                middle = start + (end - start) / 2
                windows += [(start, middle), (middle + timedelta(seconds=1), end)]
                break
            first = False
            yield body["workflow_runs"]


def _deployments(
    client: ApiClient,
    repos: ConfiguredScope,
    lookback: timedelta,
    follow_for: timedelta,
    renamed: dict[str, str],
    statuses_reader: github_graphql.DeploymentStatuses | None = None,
) -> DltResource:
    """Deployments created within the lookback, and their statuses; also the ones left in flight,
    for `follow_for` after they were created (some never leave `queued`). One deleted meanwhile
    (404) is dropped with one line. The statuses come through GraphQL when `statuses_reader` is given
    (a query per 100 deployments), else a REST request per deployment."""

    @dlt.resource(name="deployments", primary_key="id", write_disposition="merge", columns=DEPLOYMENT_COLUMNS)
    def deployments() -> Iterator[Any]:
        state = dlt.current.resource_state()
        cursors = state.setdefault("created_since", {})
        in_flight = state.setdefault("in_flight", {})  # repository → {deployment id: created_at}
        etags = state.setdefault("etags", {})
        names = repos.names
        _follow_renames(renamed, cursors, in_flight, etags=etags)
        given_up = _iso(client.now() - follow_for)

        def deployments_of(repo: str) -> Iterator[Any]:
            since = cursors.get(repo)
            floor = _iso(parse_time(since) - lookback) if since else ""
            recent: list[dict] = []
            for page in _pages(client, f"/repos/{repo}/deployments", {"per_page": client.page_size}, etags, repo):
                recent += [d for d in page if d["created_at"] >= floor]
                if any(d["created_at"] < floor for d in page):
                    break
            seen = {d["id"] for d in recent}
            tracked = in_flight.get(repo) or {}
            if isinstance(tracked, list):  # kept by an older version: ids alone
                tracked = dict.fromkeys(map(str, tracked), "")
            for deployment_id, created_at in tracked.items():  # older ones whose outcome was still unknown
                if int(deployment_id) in seen:
                    continue
                if created_at and created_at < given_up:
                    log.info(
                        "github: deployment %s of %s never reached a final state; no longer followed",
                        deployment_id,
                        repo,
                    )
                    continue
                if deployment := _deployment(client, repo, deployment_id):
                    recent.append(deployment)
            still_going = {}
            by_graphql = _statuses_by_graphql(statuses_reader, repo, recent)
            for deployment in recent:
                try:
                    if by_graphql is None:
                        statuses = _deployment_statuses(client, repo, deployment["id"])
                    elif (found := by_graphql[deployment["id"]]) is None:
                        _deployment_gone(repo, deployment["id"], "is not known to GitHub's GraphQL API")
                        continue
                    else:
                        statuses = [_slim(dict(s, repository=repo, deployment_id=deployment["id"])) for s in found]
                except NotFoundError:
                    _deployment_gone(repo, deployment["id"])
                    continue
                if not statuses or statuses[0]["state"] not in DONE_DEPLOYMENT_STATES:
                    still_going[str(deployment["id"])] = deployment["created_at"]
                yield _slim(dict(deployment, repository=repo))
                if statuses:
                    yield dlt.mark.with_hints(statuses, STATUS_HINTS, create_table_variant=True)
            dated = _created(client, recent, "deployment", repo)
            if dated:
                cursors[repo] = min(max([since or "", *dated]), _iso(client.cursor_limit()))
            in_flight[repo] = still_going

        for repo in names:
            yield from repos.readable(repo, "deployments", deployments_of(repo))

    return deployments


def _statuses_by_graphql(
    reader: github_graphql.DeploymentStatuses | None, repo: str, deployments: list[dict]
) -> dict[int, list[dict] | None] | None:
    """The deployments' statuses through GraphQL, 100 deployments a query; None to read them through REST
    (GraphQL off, or refused for the repository, or ids it cannot read: said in one line)."""
    if reader is None or not deployments:
        return None
    try:
        return reader.of(repo, deployments)
    except (github_graphql.UnreadableId, ForbiddenError) as error:
        log.warning("%s; the deployment statuses of %s are read through REST instead", error, repo)
        return None


def _deployment(client: ApiClient, repo: str, deployment_id: str) -> dict | None:
    """One deployment, re-read; None if it was deleted."""
    try:
        return client.get(
            f"/repos/{repo}/deployments/{deployment_id}", what=f"deployment {deployment_id} of {repo}"
        ).json()
    except NotFoundError:
        _deployment_gone(repo, deployment_id)
        return None


def _deployment_gone(repo: str, deployment_id: object, how: str = "answered HTTP 404") -> None:
    log.warning(
        "github: deployment %s of %s %s (deleted); no longer followed, everything else loads",
        deployment_id,
        repo,
        how,
    )


STATUS_HINTS = dlt.mark.make_hints(table_name="deployment_statuses", primary_key="id", write_disposition="merge")
# Tables a resource writes under a name of their own (`dlt.mark.with_hints(table_name=...)`), and
# that resource. dlt learns them only while extracting, so lineage needs them listed. Child tables
# such as `issues__labels` belong to their parent's resource and need no entry.
TABLES_WRITTEN_BY_OTHER_RESOURCES = {"deployment_statuses": "deployments", **reconcile.TABLES_WRITTEN}


def _issue_numbers(client: ApiClient, repo: str) -> Iterator[list[dict]]:
    """The number of every issue of the repository (pull requests left out), a page at a time."""
    for page in client.pages(f"/repos/{repo}/issues", {"state": "all", "per_page": client.page_size}):
        yield [{"repository": repo, "number": row["number"]} for row in page.json() if "pull_request" not in row]


def _deployment_statuses(client: ApiClient, repo: str, deployment_id: int) -> list[dict]:
    """A deployment's statuses, newest first."""
    path = f"/repos/{repo}/deployments/{deployment_id}/statuses"
    return [
        _slim(dict(status, repository=repo, deployment_id=deployment_id))
        for page in client.pages(path, {"per_page": client.page_size}, what=f"deployment {deployment_id} of {repo}")
        for status in page.json()
    ]


# ---------------------------------------------------------------------- helpers
def _pages(client: ApiClient, path: str, params: dict, etags: dict, what: str) -> Iterator[list[dict]]:
    """Pages of a list, asking the first one conditionally; a 304 means nothing new."""
    key = f"{path}?{sorted(params.items())}"
    headers = {"If-None-Match": etags[key]} if key in etags else None
    response = client.get(path, params, headers=headers, what=what)
    if response.status_code == 304:
        return
    if response.headers.get("ETag"):
        etags[key] = response.headers["ETag"]
    yield response.json()
    while "next" in response.links:
        response = client.get(response.links["next"]["url"], what=what)
        yield response.json()


def _kind(row: dict) -> str:
    return "pull request" if "pull_request" in row else "issue"


def _created(client: ApiClient, rows: list[dict], kind: str, repo: str) -> list[str]:
    """The `created_at` of the rows not dated after the run began, for a cursor (see `ApiClient.is_future`)."""
    return [r["created_at"] for r in rows if not client.is_future(r["created_at"], f"{kind} {r['id']} of {repo}")]


def _slim(row: dict) -> dict:
    """Drop what analysts never need and would only widen tables: nested repositories, URL templates,
    nulls (a column that matters is declared in the resource's column hints instead)."""
    slim = {}
    for key, value in row.items():
        if (
            value is None
            or key in ("_links", "head_repository", "payload")
            or (key.endswith("_url") and key != "html_url")
        ):
            continue
        if key == "repository" and isinstance(value, dict):
            continue
        if key in ("head", "base") and isinstance(value, dict):
            value = {k: value.get(k) for k in ("ref", "sha", "label")}
        elif key == "type" and isinstance(value, dict):  # the issue type
            value = {k: value.get(k) for k in ("id", "name")}
        elif key == "dismissed_review" and isinstance(value, dict):
            value = {k: value.get(k) for k in ("state", "review_id")}
        elif key == "milestone" and isinstance(value, dict):
            value = {k: value.get(k) for k in ("number", "title")}
        elif isinstance(value, dict) and "login" in value:
            value = _user(value)
        elif key in ("assignees", "requested_reviewers") and isinstance(value, list):
            value = [_user(u) for u in value]
        elif key == "labels" and isinstance(value, list):
            value = [{"name": label["name"]} if isinstance(label, dict) else {"name": label} for label in value]
        slim[key] = value
    return slim


def _user(user: dict) -> dict:
    return {"login": user.get("login"), "id": user.get("id"), "type": user.get("type")}


def _event(event: dict, repo: str) -> dict:
    issue = event.get("issue") or {}
    row = _slim({k: v for k, v in event.items() if k != "issue"})
    # A pull request's events carry no issue id: GraphQL, which reads a first load's events, has none for a
    # pull request (REST's is the id of the issue behind it, which no table is keyed by), and the rows must
    # be the same whichever path read them.
    is_pull_request = "pull_request" in issue
    row.update(
        repository=repo,
        issue_number=issue.get("number"),
        issue_id=None if is_pull_request else issue.get("id"),
        is_pull_request=is_pull_request,
    )
    return row


def _commit(commit: dict, repo: str, pull_number: int) -> dict:
    git = commit["commit"]
    return {
        "repository": repo,
        "pull_number": pull_number,
        "sha": commit["sha"],
        "message": git["message"],
        "author_name": git["author"]["name"],
        "author_email": git["author"]["email"],
        "authored_at": git["author"]["date"],
        "committer_name": git["committer"]["name"],
        "committed_at": git["committer"]["date"],
        "author_login": (commit.get("author") or {}).get("login"),
        "parent_count": len(commit.get("parents") or []),
    }


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
