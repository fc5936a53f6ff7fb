"""Jenkins' JSON remote access API, served from the simulated organisation: jobs, builds and stages.

The organisation's `jenkins_repository` (acme/mobile-app, code on GitHub) builds and deploys on
Jenkins instead of its host's CI. Jenkins holds, as a typical installation does:

- `acme`, an organization folder, holding `mobile-app`, a multibranch project: one pipeline job
  per branch (`PR-12` for pull request 12), whose builds are the repository's CI runs;
- `releases`, a folder holding `mobile-app-deploy`, a pipeline with the stages Checkout, Build
  and "Deploy to production": its builds are the repository's production deploys;
- `sandbox`, an empty folder.

What a client must cope with, as Jenkins does it: basic auth with a user and an API token;
`tree=` selecting fields and `{M,N}` ranges on arrays; `allBuilds` appearing only when named in
`tree` while `builds` holds the newest 100; a folder answering 500 when asked for a page of jobs
past its last; builds still running (`building`, no `result`) that finish after a load; a re-run
as a new build carrying a `ReplayCause` (a pipeline replayed) or a `RebuildCause` (a failed
deploy rebuilt); `BuildData` actions with the built sha and the remote URLs (the deploy job also
checks out a shared library); the Metrics plugin's `TimeInQueueAction`; many actions `{}`.

No package registry ships a schema of Jenkins' JSON API: the replies follow the field lists of
the design notes (tests/test_simulator_jenkins.py checks them).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import datetime

from simulator.api import Api, Credentials, RateBudget
from simulator.model import Org, PipelineRun
from simulator.routing import ApiRequest, ApiResponse, Router, per_org

ROUTER = Router()
NEWEST_BUILDS = 100  # `builds` holds only these; `allBuilds` holds every build
ORGANIZATION_FOLDER = "jenkins.branch.OrganizationFolder"
FOLDER = "com.cloudbees.hudson.plugins.folder.Folder"
MULTIBRANCH = "org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject"
PIPELINE = "org.jenkinsci.plugins.workflow.job.WorkflowJob"
PIPELINE_RUN = "org.jenkinsci.plugins.workflow.job.WorkflowRun"
REPLAY_CAUSE = "org.jenkinsci.plugins.workflow.cps.replay.ReplayCause"
REBUILD_CAUSE = "com.sonyericsson.rebuild.RebuildCause"
USER_CAUSE = "hudson.model.Cause$UserIdCause"
BRANCH_CAUSE = "jenkins.branch.BranchEventCause"
SHARED_LIBRARY = "https://github.com/acme/jenkins-shared-library.git"
SHARED_LIBRARY_SHA = "5d0f4c3b2a1908f7e6d5c4b3a2918f7e6d5c4b3a"
DEPLOY_FOLDER = "releases"
EMPTY_FOLDER = "sandbox"


@dataclass(frozen=True)
class Build:
    job: tuple[str, ...]  # the job's path, e.g. ("acme", "mobile-app", "PR-12")
    number: int
    run: PipelineRun
    rerun_of: int | None  # the build this one replays or rebuilds
    rerun_cause: str | None  # REPLAY_CAUSE | REBUILD_CAUSE


@dataclass(frozen=True)
class Job:
    path: tuple[str, ...]
    kind: str  # a _class
    children: tuple[str, ...] = ()  # containers: the names of the jobs inside, in order
    builds: tuple[Build, ...] = ()  # leaves: oldest first


def remote_url(org: Org, repository: str) -> str:
    """The clone URL a Jenkins job checks the repository out from."""
    source = next((r.source for r in org.repositories if r.full_name == repository), "github")
    host = "github.com" if source == "github" else "gitlab.com"
    return f"https://{host}/{repository}.git"


def deploy_job_name(repository: str) -> str:
    return f"{repository.rsplit('/', 1)[-1]}-deploy"


@per_org
def jobs(org: Org) -> dict[tuple[str, ...], Job]:
    """Every job and folder by its path; the root is ()."""
    runs = [r for r in org.pipeline_runs if r.source == "jenkins"]
    repository = runs[0].repo if runs else None
    found: dict[tuple[str, ...], Job] = {}
    top: list[str] = []
    if repository:
        owner, name = repository.split("/", 1)[0], repository.rsplit("/", 1)[-1]
        by_job: dict[tuple[str, ...], list[PipelineRun]] = {}
        for run in runs:
            if run.workflow == "CI":
                branch = f"PR-{run.pull_request.number}" if run.pull_request else run.branch
                path = (owner, name, branch)
            else:
                path = (DEPLOY_FOLDER, deploy_job_name(repository))
            by_job.setdefault(path, []).append(run)
        for path, job_runs in by_job.items():
            found[path] = Job(path, PIPELINE, builds=_numbered(path, job_runs))
        branches = sorted(p[2] for p in by_job if p[:2] == (owner, name))
        found[(owner, name)] = Job((owner, name), MULTIBRANCH, tuple(branches))
        found[(owner,)] = Job((owner,), ORGANIZATION_FOLDER, (name,))
        deploys = sorted(p[1] for p in by_job if p[0] == DEPLOY_FOLDER)
        found[(DEPLOY_FOLDER,)] = Job((DEPLOY_FOLDER,), FOLDER, tuple(deploys))
        top = [owner, DEPLOY_FOLDER]
    found[(EMPTY_FOLDER,)] = Job((EMPTY_FOLDER,), FOLDER)
    found[()] = Job((), "hudson.model.Hudson", (*top, EMPTY_FOLDER))
    return found


def _numbered(path: tuple[str, ...], runs: list[PipelineRun]) -> tuple[Build, ...]:
    """The job's builds numbered from 1 in the order they were scheduled; a GitHub-style second
    attempt is a replay of the build before, a deploy of the same sha right after a failed one a rebuild."""
    ordered = sorted(runs, key=lambda r: (r.created_at, r.native_id, r.attempt))
    builds: list[Build] = []
    first_attempts: dict[int, int] = {}  # a run's native id → the number of its first build
    for number, run in enumerate(ordered, start=1):
        previous = builds[-1] if builds else None
        cause, of = None, None
        if run.attempt > 1 and run.native_id in first_attempts:
            cause, of = REPLAY_CAUSE, first_attempts[run.native_id]
        elif previous and previous.run.head_sha == run.head_sha and previous.run.conclusion == "failure":
            cause, of = REBUILD_CAUSE, previous.number
        first_attempts.setdefault(run.native_id, number)
        builds.append(Build(path, number, run, of, cause))
    return tuple(builds)


# ---------------------------------------------------------------------------------- tree=
def parse_tree(text: str) -> dict[str, tuple[dict | None, tuple[int | None, int | None] | None]]:
    """`jobs[name,url]{0,10},number` → {name: (sub-tree or None, range or None)}."""
    spec, rest = _parse_items(text.replace(" ", ""), 0)
    if rest != len(text.replace(" ", "")):
        raise ValueError(f"unexpected {text[rest:]!r} in tree")
    return spec


def _parse_items(text: str, at: int) -> tuple[dict, int]:
    spec: dict = {}
    while at < len(text):
        match = re.compile(r"[A-Za-z_$][\w$]*").match(text, at)
        if not match:
            raise ValueError(f"expected a field name at {text[at:]!r}")
        name, at = match.group(), match.end()
        sub, bounds = None, None
        if at < len(text) and text[at] == "[":
            sub, at = _parse_items(text, at + 1)
            if at >= len(text) or text[at] != "]":
                raise ValueError("unclosed [ in tree")
            at += 1
        if at < len(text) and text[at] == "{":
            end = text.index("}", at)
            low, _, high = text[at + 1 : end].partition(",")
            if "," not in text[at + 1 : end]:
                high = str(int(low) + 1)
            bounds = (int(low) if low else None, int(high) if high else None)
            at = end + 1
        spec[name] = (sub, bounds)
        if at < len(text) and text[at] == ",":
            at += 1
            continue
        break
    return spec, at


def apply_tree(value: object, spec: dict | None) -> object:
    """`value` cut down to the fields `spec` names; objects keep their `_class`, as Jenkins does."""
    if spec is None:
        return value
    if isinstance(value, list):
        return [apply_tree(v, spec) for v in value]
    if not isinstance(value, dict):
        return value
    out = {"_class": value["_class"]} if "_class" in value else {}
    for name, (sub, bounds) in spec.items():
        if name not in value:
            continue
        field = value[name]
        if isinstance(field, list) and bounds is not None:
            field = field[slice(*bounds)]
        out[name] = apply_tree(field, sub)
    return out


# ---------------------------------------------------------------------------------- rendering
def job_url(base: str, path: tuple[str, ...]) -> str:
    return base + "/" + "".join(f"job/{part}/" for part in path)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def render_build(build: Build, org: Org, base: str) -> dict:
    run = build.run
    building = run.finished_at is None
    result = None if building else {"success": "SUCCESS", "failure": "FAILURE", "cancelled": "ABORTED"}[run.conclusion]
    duration = 0 if building else _ms(run.finished_at) - _ms(run.started_at)
    queued = _ms(run.started_at) - _ms(run.created_at)
    causes = []
    if build.rerun_cause == REPLAY_CAUSE:
        causes.append({"_class": REPLAY_CAUSE, "shortDescription": f"Replayed #{build.rerun_of}"})
        causes.append({"_class": USER_CAUSE, "shortDescription": f"Started by user {run.actor.name}",
                       "userId": run.actor.login, "userName": run.actor.name})  # fmt: skip
    elif build.rerun_cause == REBUILD_CAUSE:
        causes.append({"_class": REBUILD_CAUSE, "shortDescription": f"Rebuilds build #{build.rerun_of}",
                       "upstreamBuild": build.rerun_of, "upstreamProject": "/".join(build.job),
                       "upstreamUrl": job_url("", build.job).lstrip("/")})  # fmt: skip
    elif run.pull_request is not None:
        causes.append({"_class": BRANCH_CAUSE, "shortDescription": f"Pull request #{run.pull_request.number} updated"})
    else:
        causes.append({"_class": USER_CAUSE, "shortDescription": f"Started by user {run.actor.name}",
                       "userId": run.actor.login, "userName": run.actor.name})  # fmt: skip
    branch = f"PR-{run.pull_request.number}" if run.pull_request else run.branch
    actions: list[dict] = [
        {"_class": "hudson.model.CauseAction", "causes": causes},
        {},
        {
            "_class": "hudson.plugins.git.util.BuildData",
            "buildsByBranchName": {branch: {"buildNumber": build.number, "revision": {"SHA1": run.head_sha}}},
            "lastBuiltRevision": {"SHA1": run.head_sha, "branch": [{"SHA1": run.head_sha, "name": branch}]},
            "remoteUrls": [remote_url(org, run.repo)],
            "scmName": "",
        },
        {"_class": "org.jenkinsci.plugins.workflow.libs.LibrariesAction"},
        {
            "_class": "jenkins.metrics.impl.TimeInQueueAction",
            "blockedDurationMillis": 0,
            "blockedTimeMillis": 0,
            "buildableDurationMillis": queued,
            "buildableTimeMillis": queued,
            "buildingDurationMillis": duration,
            "executingTimeMillis": duration,
            "executorUtilization": 1.0,
            "subTaskCount": 0,
            "queuingDurationMillis": queued,
            "queuingTimeMillis": queued,
            "totalDurationMillis": queued + duration,
            "waitingDurationMillis": 0,
            "waitingTimeMillis": 0,
        },
    ]
    if build.job[0] == DEPLOY_FOLDER:
        actions.insert(1, {"_class": "hudson.model.ParametersAction", "parameters": [
            {"_class": "hudson.model.StringParameterValue", "name": "ENVIRONMENT", "value": "production"},
            {"_class": "hudson.model.StringParameterValue", "name": "GIT_SHA", "value": run.head_sha},
        ]})  # fmt: skip
        actions.append({  # the shared library the pipeline loads is checked out too
            "_class": "hudson.plugins.git.util.BuildData", "buildsByBranchName": {},
            "lastBuiltRevision": {"SHA1": SHARED_LIBRARY_SHA, "branch": [{"SHA1": SHARED_LIBRARY_SHA, "name": "main"}]},
            "remoteUrls": [SHARED_LIBRARY], "scmName": "",
        })  # fmt: skip
    url = f"{job_url(base, build.job)}{build.number}/"
    return {
        "_class": PIPELINE_RUN,
        "actions": actions,
        "artifacts": [],
        "building": building,
        "description": None,
        "displayName": f"#{build.number}",
        "duration": duration,
        "estimatedDuration": 300000,
        "executor": None,
        "fullDisplayName": f"{' » '.join(build.job)} #{build.number}",
        "id": str(build.number),
        "keepLog": False,
        "number": build.number,
        "queueId": 100000 + run.native_id % 100000 * 3 + run.attempt,
        "result": result,
        "timestamp": _ms(run.started_at),
        "url": url,
        "changeSets": [],
        "culprits": [],
        "inProgress": building,
        "nextBuild": None,
        "previousBuild": None,
    }


def stages(build: Build, org: Org) -> list[dict]:
    """The pipeline's stages as far as the organisation's now: Checkout, then Test (CI) or Build and
    "Deploy to production"; the last stage fails with the build."""
    run = build.run
    start = _ms(run.started_at)
    end = _ms(run.finished_at) if run.finished_at else _ms(org.end)
    total = max(end - start, 3000) + (0 if run.finished_at else 60_000)  # a running build has a minute to go
    names = ("Checkout", "Test") if build.job[0] != DEPLOY_FOLDER else ("Checkout", "Build", "Deploy to production")
    shares = (0.05, 0.95) if len(names) == 2 else (0.05, 0.45, 0.5)
    found, at = [], start
    for index, (name, share) in enumerate(zip(names, shares, strict=True)):
        last = index == len(names) - 1
        length = (start + total - at) if last else int(total * share)
        stage_end = at + length
        if run.finished_at is None and stage_end > end:
            status, length = "IN_PROGRESS", end - at
        elif last and run.conclusion == "failure":
            status = "FAILED"
        elif last and run.conclusion == "cancelled":
            status = "ABORTED"
        else:
            status = "SUCCESS"
        found.append({"id": str(6 + 7 * index), "name": name, "execNode": "", "status": status,
                      "startTimeMillis": at, "durationMillis": length, "pauseDurationMillis": 0})  # fmt: skip
        if status == "IN_PROGRESS":
            break
        at = stage_end
    return found


# ---------------------------------------------------------------------------------- routes
def _error(status: int, message: str) -> ApiResponse:
    """Jenkins answers errors with an HTML page."""
    page = f"<html><head><title>Error {status}</title></head><body><h2>HTTP ERROR {status} {message}</h2></body></html>"
    return ApiResponse(status, page.encode())


def _path(text: str) -> tuple[str, ...]:
    return tuple(part for part in re.findall(r"job/([^/]+)", text or ""))


def _tree(request: ApiRequest) -> dict | None | ApiResponse:
    text = request.arg("tree")
    if not text:
        return None
    try:
        return parse_tree(text)
    except ValueError as error:
        return _error(400, f"Bad Request: {error}")


@ROUTER.get(r"(?P<job>(/job/[^/]+)*)/api/json")
def job(request: ApiRequest, match: re.Match, org: Org) -> ApiResponse:
    found = jobs(org).get(_path(match["job"]))
    if found is None:
        return _error(404, "Not Found")
    spec = _tree(request)
    if isinstance(spec, ApiResponse):
        return spec
    base = request.base_url
    body: dict = {"_class": found.kind, "name": found.path[-1] if found.path else None,
                  "fullName": "/".join(found.path), "url": job_url(base, found.path)}  # fmt: skip
    if found.kind == "hudson.model.Hudson":
        body.update(mode="NORMAL", nodeDescription="the Jenkins controller", url=base + "/", useSecurity=True)
    if found.children or found.kind != PIPELINE:
        children = [jobs(org)[(*found.path, name)] for name in found.children]
        asked = (spec or {}).get("jobs", (None, None))[1]
        if asked and asked[0] and asked[0] >= len(children) and found.path:
            # as some folders do: a page of jobs past the last is an error, not an empty list
            return _error(500, "Server Error")
        body["jobs"] = [_listed(c, base, jobs(org)) for c in children]
    else:
        newest_first = list(reversed(found.builds))
        body.update(buildable=True, color="blue", inQueue=False, nextBuildNumber=len(found.builds) + 1)
        wanted = spec or {}
        for name, kept in (("allBuilds", None), ("builds", NEWEST_BUILDS)):
            if name not in wanted and (spec is not None or name == "allBuilds"):
                continue  # allBuilds only when tree names it
            listed = newest_first[:kept] if kept else newest_first
            bounds = wanted.get(name, (None, None))[1]
            if bounds:
                listed = listed[slice(*bounds)]
            if spec is None or wanted[name][0] is None:
                body[name] = [{"_class": PIPELINE_RUN, "number": b.number,
                               "url": f"{job_url(base, b.job)}{b.number}/"} for b in listed]  # fmt: skip
            else:
                body[name] = [render_build(b, org, base) for b in listed]
        if spec is not None:  # ranges are applied: keep them from being applied twice
            spec = {k: (sub, None if k in ("allBuilds", "builds") else bounds) for k, (sub, bounds) in spec.items()}
        for name in ("lastBuild", "lastCompletedBuild"):
            done = [b for b in newest_first if name == "lastBuild" or b.run.finished_at is not None]
            body[name] = {"_class": PIPELINE_RUN, "number": done[0].number} if done else None
    return ApiResponse(200, apply_tree(body, spec))


def _listed(job: Job, base: str, index: dict[tuple[str, ...], Job]) -> dict:
    """A job as its folder lists it: a job with builds has `lastBuild` (null before the first), a folder `jobs`."""
    row = {"_class": job.kind, "name": job.path[-1], "url": job_url(base, job.path)}
    if job.kind == PIPELINE:
        last = {"_class": PIPELINE_RUN, "number": job.builds[-1].number} if job.builds else None
        return {**row, "color": "blue", "lastBuild": last}
    inside = [index[(*job.path, name)] for name in job.children]
    return {**row, "jobs": [{"_class": c.kind, "name": c.path[-1], "url": job_url(base, c.path)} for c in inside]}


def _build(org: Org, match: re.Match) -> Build | None:
    found = jobs(org).get(_path(match["job"]))
    number = int(match["number"])
    if found is None or not 0 < number <= len(found.builds):
        return None
    return found.builds[number - 1]


@ROUTER.get(r"(?P<job>(/job/[^/]+)+)/(?P<number>\d+)/api/json")
def build(request: ApiRequest, match: re.Match, org: Org) -> ApiResponse:
    found = _build(org, match)
    if found is None:
        return _error(404, "Not Found")
    spec = _tree(request)
    if isinstance(spec, ApiResponse):
        return spec
    return ApiResponse(200, apply_tree(render_build(found, org, request.base_url), spec))


@ROUTER.get(r"(?P<job>(/job/[^/]+)+)/(?P<number>\d+)/wfapi/describe")
def describe(request: ApiRequest, match: re.Match, org: Org) -> ApiResponse:
    found = _build(org, match)
    if found is None:
        return _error(404, "Not Found")
    run = found.run
    listed = stages(found, org)
    status = {None: "IN_PROGRESS", "success": "SUCCESS", "failure": "FAILED", "cancelled": "ABORTED"}[run.conclusion]
    start = _ms(run.started_at)
    end = _ms(run.finished_at) if run.finished_at else _ms(org.end)
    build_path = f"{job_url('', found.job)}{found.number}"
    return ApiResponse(200, {
        "_links": {"self": {"href": f"{build_path}/wfapi/describe"}},
        "id": str(found.number), "name": f"#{found.number}",
        "status": status, "startTimeMillis": start, "endTimeMillis": end, "durationMillis": end - start,
        "queueDurationMillis": 0, "pauseDurationMillis": 0,
        "stages": [{**s, "_links": {"self": {"href": f"{build_path}/execution/node/{s['id']}/wfapi/describe"}}}
                   for s in listed],
    })  # fmt: skip


# ---------------------------------------------------------------------------------- the Api
def authenticate(request: ApiRequest, credentials: Credentials) -> ApiResponse | None:
    """Basic auth with a user and an API token."""
    expected = base64.b64encode(f"{credentials.jenkins_user}:{credentials.jenkins_token}".encode()).decode()
    if request.headers.get("authorization") == f"Basic {expected}":
        return None
    return _error(401, "Unauthorized")


def error(status: int, kind: str) -> ApiResponse:
    """A proxy in front of Jenkins limits with 429; Jenkins restarting answers 503."""
    if status == 429 or kind in ("rate_limit", "primary_limit"):
        return _error(429, "Too Many Requests")
    if kind == "forbidden":
        return _error(403, "Forbidden")
    return _error(status, "Server Error")


def rate_limit_headers(budget: RateBudget) -> dict[str, str]:
    return {}  # Jenkins has no rate limit of its own, nor headers for one


def not_found(request: ApiRequest) -> ApiResponse:
    return _error(404, "Not Found")


API = Api(
    name="jenkins",
    router=ROUTER,
    authenticate=authenticate,
    error=error,
    rate_limit_headers=rate_limit_headers,
    not_found=not_found,
)
