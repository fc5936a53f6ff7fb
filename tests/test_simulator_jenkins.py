"""The simulated Jenkins JSON API: job and build shapes, `tree=` and its ranges, allBuilds against builds,
folders and multibranch projects, re-runs, stages, basic auth, and a folder's 500 past its last page.

No package registry ships a schema of Jenkins' JSON API (it is generated from each installation's
`@Exported` fields), so the replies are checked against the field lists of the design notes on Jenkins.
"""

from __future__ import annotations

import pytest
import requests

from simulator import jenkins_api
from simulator.model import Org
from simulator.server import Simulator

BUILD_FIELDS = {
    "_class", "number", "result", "building", "inProgress", "timestamp", "duration", "estimatedDuration",
    "queueId", "url", "actions", "changeSets",
}  # fmt: skip
STAGE_FIELDS = {"id", "name", "status", "startTimeMillis", "durationMillis", "pauseDurationMillis"}
STAGE_STATUSES = {"NOT_EXECUTED", "ABORTED", "SUCCESS", "IN_PROGRESS", "PAUSED_PENDING_INPUT", "FAILED", "SKIPPED",
                  "UNSTABLE"}  # fmt: skip
DEPLOY_JOB = "/job/releases/job/mobile-app-deploy"


@pytest.fixture
def jenkins(sim: Simulator) -> requests.Session:
    session = requests.Session()
    session.auth = (sim.credentials.jenkins_user, sim.credentials.jenkins_token)
    return session


def get(session: requests.Session, sim: Simulator, path: str, tree: str | None = None) -> dict:
    reply = session.get(f"{sim.base_url('jenkins')}{path}", params={"tree": tree} if tree else None)
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_the_root_lists_an_organization_folder_a_folder_and_an_empty_folder(
    jenkins: requests.Session, sim: Simulator
) -> None:
    body = get(jenkins, sim, "/api/json", "jobs[name,_class]")
    assert body["jobs"] == [
        {"_class": "jenkins.branch.OrganizationFolder", "name": "acme"},
        {"_class": "com.cloudbees.hudson.plugins.folder.Folder", "name": "releases"},
        {"_class": "com.cloudbees.hudson.plugins.folder.Folder", "name": "sandbox"},
    ]
    project = get(jenkins, sim, "/job/acme/job/mobile-app/api/json", "_class,jobs[name,_class]")
    assert project["_class"] == jenkins_api.MULTIBRANCH
    assert project["jobs"] and all(j["_class"] == jenkins_api.PIPELINE for j in project["jobs"])
    names = {j["name"] for j in project["jobs"]}
    assert "main" in names and all(n.startswith("PR-") for n in names - {"main"}), "a job per branch and PR built"


def test_a_folder_answers_500_for_a_page_of_jobs_past_its_last(jenkins: requests.Session, sim: Simulator) -> None:
    assert get(jenkins, sim, "/job/sandbox/api/json", "jobs[name]{0,101}")["jobs"] == []
    past = jenkins.get(f"{sim.base_url('jenkins')}/job/sandbox/api/json", params={"tree": "jobs[name]{100,201}"})
    assert past.status_code == 500


def test_all_builds_holds_every_build_builds_the_newest_100_and_ranges_page_them(
    jenkins: requests.Session, sim: Simulator, org: Org
) -> None:
    job = max((j for j in jenkins_api.jobs(org).values() if j.builds), key=lambda j: len(j.builds))
    path = "".join(f"/job/{p}" for p in job.path)
    assert "allBuilds" not in get(jenkins, sim, f"{path}/api/json"), "only when tree names it"
    every = get(jenkins, sim, f"{path}/api/json", "allBuilds[number]")["allBuilds"]
    assert [b["number"] for b in every] == list(range(len(job.builds), 0, -1)), "newest first"
    assert len(get(jenkins, sim, f"{path}/api/json", "builds[number]")["builds"]) == min(len(job.builds), 100)
    second = get(jenkins, sim, f"{path}/api/json", "allBuilds[number]{2,4}")["allBuilds"]
    assert [b["number"] for b in second] == [b["number"] for b in every[2:4]]


def test_builds_have_the_documented_fields_and_actions(jenkins: requests.Session, sim: Simulator, org: Org) -> None:
    tree = f"allBuilds[{','.join(sorted(BUILD_FIELDS))}]"
    rows = get(jenkins, sim, f"{DEPLOY_JOB}/api/json", tree)["allBuilds"]
    assert rows and all(set(row) >= BUILD_FIELDS for row in rows)
    assert {row["result"] for row in rows} <= {"SUCCESS", "UNSTABLE", "FAILURE", "NOT_BUILT", "ABORTED", None}
    for row in rows:
        assert (row["result"] is None) == row["building"]
        classes = [a.get("_class") for a in row["actions"]]
        assert {} in row["actions"], "many actions are empty"
        assert classes.count("hudson.plugins.git.util.BuildData") == 2, "the code and the shared library"
        data = [a for a in row["actions"] if a.get("_class") == "hudson.plugins.git.util.BuildData"]
        assert data[0]["remoteUrls"] == ["https://github.com/acme/mobile-app.git"]
        assert len(data[0]["lastBuiltRevision"]["SHA1"]) == 40
        queue = next(a for a in row["actions"] if a.get("_class") == "jenkins.metrics.impl.TimeInQueueAction")
        assert queue["queuingDurationMillis"] >= 0
        causes = next(a for a in row["actions"] if a.get("_class") == "hudson.model.CauseAction")["causes"]
        assert causes and all("shortDescription" in c for c in causes)


def test_a_rerun_is_a_new_build_with_a_replay_or_rebuild_cause(org: Org) -> None:
    builds = [b for job in jenkins_api.jobs(org).values() for b in job.builds]
    replays = [b for b in builds if b.rerun_cause == jenkins_api.REPLAY_CAUSE]
    assert replays and all(b.rerun_of < b.number for b in replays)
    for replay in replays:
        first = jenkins_api.jobs(org)[replay.job].builds[replay.rerun_of - 1]
        assert first.run.head_sha == replay.run.head_sha and first.run.conclusion == "failure"


def test_stages_follow_wfapi_describe(jenkins: requests.Session, sim: Simulator, org: Org) -> None:
    body = get(jenkins, sim, f"{DEPLOY_JOB}/1/wfapi/describe")
    assert {"status", "startTimeMillis", "durationMillis", "pauseDurationMillis", "stages"} <= set(body)
    assert [s["name"] for s in body["stages"]] == ["Checkout", "Build", "Deploy to production"]
    for stage in body["stages"]:
        assert set(stage) >= STAGE_FIELDS and stage["status"] in STAGE_STATUSES
    first, *_, last = body["stages"]
    assert first["startTimeMillis"] == body["startTimeMillis"]
    assert last["startTimeMillis"] + last["durationMillis"] == body["endTimeMillis"]


def test_a_build_running_at_the_clock_has_no_result_and_an_open_stage(sim: Simulator, org: Org) -> None:
    deploy = jenkins_api.jobs(org)[("releases", "mobile-app-deploy")].builds[0]
    sim.set_clock(deploy.run.started_at + (deploy.run.finished_at - deploy.run.started_at) / 2)
    try:
        session = requests.Session()
        session.auth = (sim.credentials.jenkins_user, sim.credentials.jenkins_token)
        build = session.get(f"{sim.base_url('jenkins')}{DEPLOY_JOB}/1/api/json").json()
        assert build["building"] and build["result"] is None and build["duration"] == 0
        stages = session.get(f"{sim.base_url('jenkins')}{DEPLOY_JOB}/1/wfapi/describe").json()
        assert stages["status"] == "IN_PROGRESS" and stages["stages"][-1]["status"] == "IN_PROGRESS"
    finally:
        sim.set_clock(org.end)


def test_basic_auth_with_user_and_api_token(sim: Simulator) -> None:
    root = f"{sim.base_url('jenkins')}/api/json"
    assert requests.get(root, auth=(sim.credentials.jenkins_user, "wrong")).status_code == 401
    assert requests.get(root).status_code == 401
    assert requests.get(root, auth=(sim.credentials.jenkins_user, sim.credentials.jenkins_token)).ok
