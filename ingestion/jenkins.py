"""Jenkins source: the configured jobs, their builds, and each pipeline build's stages.

What Jenkins' JSON API makes hard, and how this source meets it:
- Jobs nest: folders, organization folders and multibranch projects (whose jobs are branches)
  hold jobs of their own. Each configured path or glob (`acme/*`, `releases/deploy-*`) is walked
  from its literal start, one `tree=`-limited request per container; a `*` matches within one
  level, and a matched container brings every job below it. Pages of jobs are asked one row
  longer than the page, so the page past the last (which some folders answer with a 500) is
  never asked.
- `builds` holds only the newest 100; `allBuilds` holds them all, newest first, and appears
  only when `tree` names it: builds are paged with `allBuilds[…]{M,N}` and kept once per number
  (a build starting between two pages shifts them).
- A build still running has no result yet. The cursor per job is the highest build number
  read; the builds that were still running at the previous load are read again, one request
  each, until they finish (a time cursor, or one that skips running builds, loses them). A
  folder's listing gives each job's newest build number, so a job with nothing new and
  nothing running is not asked at all.
- The commit comes from every `BuildData` action (a pipeline with a shared library or two
  checkouts has several); a re-run is a build whose causes hold a replay or a rebuild.
Cursors live in dlt resource state, which dlt commits only with the data it describes.
"""

from __future__ import annotations

import base64
import fnmatch
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import quote

import dlt
from dlt.extract.hints import make_nested_hints
from dlt.sources import DltResource

from ingestion.api_client import ApiClient, NotFoundError, RetryPolicy, SourceError
from ingestion.rows import nullable_columns, reading
from ingestion.scope import ConfiguredScope

log = logging.getLogger("streamgauge.ingestion")

TOKEN_SETTING = (
    "sources.jenkins.user and sources.jenkins.api_token (.dlt/secrets.toml) or SOURCES__JENKINS__USER and "
    "SOURCES__JENKINS__API_TOKEN"
)
JOBS_SETTING = "sources.jenkins.jobs (.dlt/config.toml) or SOURCES__JENKINS__JOBS"
GLOB = "*?["
PIPELINE_RUN = "org.jenkinsci.plugins.workflow.job.WorkflowRun"
BUILD_DATA = "hudson.plugins.git.util.BuildData"
QUEUE_TIME = "jenkins.metrics.impl.TimeInQueueAction"
BUILD_TREE = (
    "_class,number,url,result,building,inProgress,timestamp,duration,estimatedDuration,queueId,description,"
    "actions[_class,causes[_class,shortDescription,userId,upstreamProject,upstreamBuild],"
    "lastBuiltRevision[SHA1,branch[name]],remoteUrls,parameters[name,value],queuingDurationMillis]"
)
PERMISSIONS = {"builds": "Overall/Read and Job/Read on the job", "stages": "Job/Read on the job"}

BUILD_COLUMNS = nullable_columns(
    result="text",
    description="text",
    queuing_duration_ms="bigint",
    estimated_duration_ms="bigint",
    queue_id="bigint",
)

# The build's lists, as nested tables: columns null in a whole load still exist.
BUILD_NESTED = {
    "causes": make_nested_hints(
        columns=nullable_columns(user_id="text", upstream_project="text", upstream_build="bigint")
    ),
    "revisions": make_nested_hints(columns=nullable_columns(sha="text", branch="text", remote_url="text")),
    "parameters": make_nested_hints(columns=nullable_columns(value="text")),
}
STAGE_COLUMNS = nullable_columns(started_at="timestamp", duration_ms="bigint", pause_duration_ms="bigint")


@dlt.source(name="jenkins", max_table_nesting=1)
def jenkins_source(
    base_url: str = dlt.config.value,
    jobs: list[str] = dlt.config.value,
    user: str = dlt.secrets.value,
    api_token: str = dlt.secrets.value,
    stage_jobs: list[str] | None = None,
    retry_backoff_seconds: float = 1.0,
    page_size: int = 100,
    concurrent_requests: int = 4,
) -> list[DltResource]:
    """Every configured job's builds, and the stages of its pipeline builds.

    `base_url` is the Jenkins root (`https://ci.example.com/` or `…/jenkins/`); `jobs` lists job
    paths as Jenkins shows them in URLs without the `job/` parts (`releases/payments-deploy`),
    globs (`acme/*`), or folders (everything below); `user` and `api_token` are a Jenkins user
    and an API token of theirs (basic auth; read access is enough). `stage_jobs` limits the
    `wfapi/describe` request per pipeline build to the jobs matching these globs (default: all;
    `[]`: none). `concurrent_requests` is how many of those may be in flight at once (1: one
    after another). A path or glob that names no job is reported in one line and skipped.
    """
    if isinstance(jobs, str):
        jobs = [j.strip() for j in jobs.split(",") if j.strip()]
    if not jobs:
        raise SourceError(f"jenkins: no jobs configured; set {JOBS_SETTING}")
    if not str(base_url).startswith(("http://", "https://")):
        raise SourceError("jenkins: base_url must start with http:// or https://; check sources.jenkins.base_url")
    credentials = base64.b64encode(f"{user}:{api_token}".encode()).decode()
    client = ApiClient(
        "jenkins",
        str(base_url).rstrip("/"),
        {"Authorization": f"Basic {credentials}", "Accept": "application/json"},
        TOKEN_SETTING,
        RetryPolicy(backoff_seconds=retry_backoff_seconds),
        page_size=page_size,
        concurrent_requests=concurrent_requests,
        title="Jenkins",
    )
    patterns = [j.strip("/") for j in jobs]
    found = ConfiguredScope(client, "jobs", JOBS_SETTING, patterns, _matching_jobs, "pattern", PERMISSIONS)
    changed = _changed_builds(client, found)
    stage_globs = ["*"] if stage_jobs is None else list(stage_jobs)
    return [_jobs(found), changed, changed | _builds, changed | _stages(client, stage_globs)]


# ---------------------------------------------------------------------- jobs
def job_path(path: str) -> str:
    """`a/b` → `/job/a/job/b`, each name quoted for the URL."""
    return "".join(f"/job/{quote(part, safe='%')}" for part in path.split("/") if part)


def _matching_jobs(client: ApiClient, pattern: str) -> dict:
    """The jobs `pattern` names: walked from its literal start; NotFoundError if that start does not exist."""
    parts = pattern.split("/")
    start = []
    for part in parts:
        if any(c in part for c in GLOB):
            break
        start.append(part)
    leaves: list[dict] = []
    _walk(client, "/".join(start), parts, leaves, what=f"job {'/'.join(start) or '(the root)'}")
    if not leaves:
        log.warning("jenkins: no job matches %r; listed in %s", pattern, JOBS_SETTING)
    return {"pattern": pattern, "jobs": leaves}


def _walk(client: ApiClient, path: str, pattern: list[str], leaves: list[dict], what: str = "") -> None:
    """Collect into `leaves` the jobs at or below `path` that `pattern` (split by level) matches.

    A folder's listing says which of its children are jobs (they have a `lastBuild`, null before
    the first build) and what each one's newest build is: only folders are asked for themselves."""
    node, children = _node(client, path, what or f"job {path}")
    if children is None:  # the pattern names one job
        if _leads(path, pattern):
            leaves.append(_leaf(path, node, None))
        return
    matched = bool(path) and len(path.split("/")) >= len(pattern) and _leads(path, pattern)
    for child in children:
        child_path = f"{path}/{child['name']}" if path else child["name"]
        if not (matched or _leads(child_path, pattern)):
            continue
        if "lastBuild" in child:
            if matched or len(child_path.split("/")) >= len(pattern):
                leaves.append(_leaf(child_path, child, node.get("_class")))
        else:
            _walk(client, child_path, pattern, leaves)


def _leaf(path: str, job: dict, parent: str | None) -> dict:
    return {
        "full_name": path,
        "name": path.rsplit("/", 1)[-1],
        "job_class": job.get("_class"),
        "parent_class": parent,
        "url": job.get("url"),
        "last_build": (job.get("lastBuild") or {}).get("number", 0),
    }


def _leads(path: str, pattern: list[str]) -> bool:
    """Whether `path`'s levels match the pattern's as far as both go."""
    return all(fnmatch.fnmatchcase(p, q) for p, q in zip(path.split("/"), pattern, strict=False))


def _node(client: ApiClient, path: str, what: str) -> tuple[dict, list[dict] | None]:
    """A job or folder: its JSON, and its child jobs (None for a job that holds builds).

    Each page of jobs is asked one row longer than the page: a folder answers the page past its
    last with a 500, so only the presence of that extra row says a next page exists."""
    size = client.page_size
    url = f"{job_path(path)}/api/json"
    children_tree = "jobs[name,_class,url,lastBuild[number]]"
    tree = f"_class,url,lastBuild[number],{children_tree[:-1]}]{{0,{size + 1}}}"
    body = client.get(url, {"tree": tree}, what=what).json()
    if "jobs" not in body:
        return body, None
    children: list[dict] = []
    page, start = body["jobs"], 0
    while True:
        children.extend(page[:size])
        if len(page) <= size:
            return body, children
        start += size
        page = client.get(url, {"tree": f"{children_tree}{{{start},{start + size + 1}}}"}, what=what).json()
        page = page.get("jobs") or []


def _jobs(found: ConfiguredScope) -> DltResource:
    @dlt.resource(name="jobs", primary_key="full_name", write_disposition="merge")
    def jobs() -> Iterator[list[dict]]:
        rows = {job["full_name"]: _without(job, "last_build") for row in found.rows for job in row["jobs"]}
        if rows:
            yield list(rows.values())

    return jobs


def _without(row: dict, key: str) -> dict:
    return {k: v for k, v in row.items() if k != key}


# ---------------------------------------------------------------------- builds
def _changed_builds(client: ApiClient, found: ConfiguredScope) -> DltResource:
    """Builds numbered above each job's cursor, and those running at the previous load; loads nothing itself."""

    @dlt.resource(name="changed_builds", selected=False)
    def changed_builds() -> Iterator[list[dict]]:
        state = dlt.current.resource_state()
        cursors = state.setdefault("last_number", {})  # per job: the highest build number read
        watched = state.setdefault("running", {})  # per job: the builds still running at the last load
        newest_of = {job["full_name"]: job["last_build"] for row in found.rows for job in row["jobs"]}
        for job in sorted(newest_of):
            last = cursors.get(job, 0)
            if job in cursors and newest_of[job] == last and not watched.get(job):
                continue  # its newest build was read, finished, at the previous load: nothing to ask
            read: dict[int, dict] = {}
            for rows in found.readable(job, "builds", _new_builds(client, job, last)):
                fresh = [row for row in rows if row["number"] not in read]
                read.update((row["number"], row) for row in fresh)
                if fresh:
                    yield fresh
            if (job, "builds") in found.refused:  # its cursor stays: a later run reads what was skipped
                continue
            newest = max(read, default=0)
            renumbered = bool(read) and newest < last
            if renumbered:  # the job was deleted and created again: its numbers started over
                log.warning("jenkins: job %s now ends at build %s, below the %s read before; read again", job,
                            newest, last)  # fmt: skip
            rechecked = []
            for number in [] if renumbered else watched.get(job, []):
                if number in read:
                    continue
                row = _build(client, job, number)
                if row is not None:
                    read[number] = row
                    rechecked.append(row)
            if rechecked:
                yield rechecked
            cursors[job] = newest if renumbered else max(newest, last)
            watched[job] = sorted(n for n, row in read.items() if row["building"])

    return changed_builds


def _new_builds(client: ApiClient, job: str, last: int) -> Iterator[list[dict]]:
    """Pages of the job's builds numbered above `last`, newest first, through `allBuilds{M,N}`."""
    start = 0
    while True:
        end = start + client.page_size
        body = client.get(
            f"{job_path(job)}/api/json", {"tree": f"allBuilds[{BUILD_TREE}]{{{start},{end}}}"}, what=f"job {job}"
        ).json()
        page = body.get("allBuilds") or []
        if start == 0 and page and page[0]["number"] < last:
            last = 0  # numbers started over
        rows = [_shape(job, build) for build in page if build["number"] > last]
        if rows:
            yield rows
        if len(page) < client.page_size or page[-1]["number"] <= last:
            return
        start = end


def _build(client: ApiClient, job: str, number: int) -> dict | None:
    try:
        body = client.get(
            f"{job_path(job)}/{number}/api/json", {"tree": BUILD_TREE}, what=f"build {job} #{number}"
        ).json()
    except NotFoundError as error:  # deleted, or discarded by the job's build retention
        log.warning("%s; it was running at the previous load and is gone now, skipped", error)
        return None
    return _shape(job, body)


def _shape(job: str, build: dict) -> dict:
    """One build as a row: its fields, its causes, revisions and parameters as lists, times as instants."""
    with reading(f"build {job} #{build.get('number')}"):
        causes, revisions, parameters, queuing = [], [], [], None
        for action in build.get("actions") or []:
            if not action:
                continue
            for cause in action.get("causes") or []:
                causes.append({
                    "cause_class": cause.get("_class"), "short_description": cause.get("shortDescription"),
                    "user_id": cause.get("userId"), "upstream_project": cause.get("upstreamProject"),
                    "upstream_build": cause.get("upstreamBuild"),
                })  # fmt: skip
            if action.get("_class") == BUILD_DATA or "lastBuiltRevision" in action:
                revision = action.get("lastBuiltRevision") or {}
                branch = next((b.get("name") for b in revision.get("branch") or []), None)
                for url in action.get("remoteUrls") or [None]:
                    revisions.append({"sha": revision.get("SHA1"), "branch": branch, "remote_url": url})
            for parameter in action.get("parameters") or []:
                value = parameter.get("value")
                parameters.append({"name": parameter.get("name"), "value": None if value is None else str(value)})
            if action.get("_class") == QUEUE_TIME or "queuingDurationMillis" in action:
                queuing = action.get("queuingDurationMillis")
        # a pipeline may still run its post-build steps after `building` turns false: running too
        building = bool(build.get("building") or build.get("inProgress"))
        return {
            "job": job,
            "number": build["number"],
            "build_class": build.get("_class"),
            "url": build.get("url"),
            "result": build.get("result"),
            "building": building,
            "in_progress": bool(build.get("inProgress", building)),
            "started_at": _instant(build["timestamp"]),
            "duration_ms": None if building else _millis(build.get("duration")),
            "estimated_duration_ms": _millis(build.get("estimatedDuration")),
            "queue_id": build.get("queueId"),
            "queuing_duration_ms": queuing,
            "description": build.get("description"),
            "causes": causes,
            "revisions": revisions,
            "parameters": parameters,
        }


@dlt.transformer(
    name="builds",
    primary_key=["job", "number"],
    write_disposition="merge",
    columns=BUILD_COLUMNS,
    nested_hints=BUILD_NESTED,
)
def _builds(rows: list[dict]) -> Iterator[list[dict]]:
    yield rows


def _stages(client: ApiClient, globs: list[str]) -> DltResource:
    """Each pipeline build's stages from `wfapi/describe` (name, status, start, duration)."""

    @dlt.transformer(
        name="stages", primary_key=["job", "number", "stage_id"], write_disposition="merge", columns=STAGE_COLUMNS
    )
    def stages(rows: list[dict]) -> Iterator[list[dict]]:
        pipelines = [
            row
            for row in rows
            if row["build_class"] == PIPELINE_RUN and any(fnmatch.fnmatchcase(row["job"], g) for g in globs)
        ]
        yield from filter(None, client.each(pipelines, stages_of))

    def stages_of(row: dict) -> list[dict]:
        try:
            body = client.get(
                f"{job_path(row['job'])}/{row['number']}/wfapi/describe",
                what=f"stages of build {row['job']} #{row['number']}",
            ).json()
        except NotFoundError as error:  # the Pipeline Stage View plugin is not installed, or the build is gone
            log.warning("%s; that build is loaded without its stages", error)
            return []
        return [
            {
                "job": row["job"],
                "number": row["number"],
                "stage_id": str(stage["id"]),
                "name": stage.get("name"),
                "status": stage.get("status"),
                "started_at": _instant(stage["startTimeMillis"]) if stage.get("startTimeMillis") else None,
                "duration_ms": stage.get("durationMillis"),
                "pause_duration_ms": stage.get("pauseDurationMillis"),
            }
            for stage in body.get("stages") or []
        ]

    return stages


def _millis(value: int | None) -> int | None:
    """A duration in milliseconds; Jenkins writes -1 where it has none."""
    return value if value is not None and value >= 0 else None


def _instant(millis: int) -> datetime:
    return datetime.fromtimestamp(millis / 1000, UTC)
