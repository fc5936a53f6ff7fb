"""GitLab's GraphQL API (`POST /api/graphql`): a project's merge requests with their commits, approvers and
notes, its issues with their notes, and its pipelines.

Queries are parsed and validated by graphql-core against `gitlab_schema.graphql` (the subset of
GitLab's schema the source asks for) and answered from the same index as the REST simulator, so
both paths see one organisation. What a client must cope with, as GitLab does it:
- every query counts as one request against the REST rate limit (no separate points budget);
- complexity: a field costs 1, and a connection's cost (1 plus what it selects) is multiplied by
  1 + 0.01 × its page size (GitLab's default multiplier); a query above 250 is refused, as for an
  authenticated user, with HTTP 200 and the score in `errors`;
- connections page by opaque cursors, at most 100 nodes a page (more is cut to 100, as GitLab does);
- an error inside the data (`partial` fault: the first merge request's commits, the first pipeline,
  or the first issue's notes, which nulls that issue) comes as HTTP 200 with `errors` naming its
  path, the field null, beside the rest; a query given up on
  (`bad_gateway` fault) is HTTP 502.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from functools import cache
from pathlib import Path

from graphql import (
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    build_schema,
    execute,
)

from simulator import gitlab_api, graphql_cost
from simulator.model import Commit, Org, Person, PipelineRun, PullRequest, WorkItem
from simulator.routing import ApiRequest, ApiResponse

SCHEMA_PATH = Path(__file__).with_name("gitlab_schema.graphql")
MAX_PAGE = 100
MAX_COMPLEXITY = 250  # GitLab's limit for an authenticated user
PAGE_MULTIPLIER = 0.01
# Fault kinds of `simulator.server` this endpoint knows (the same names as GitHub's GraphQL).
PARTIAL = "partial"  # the first merge request's commits or pipeline asked for fail to resolve (null)
BAD_GATEWAY = "bad_gateway"  # 502: the query was given up on


@cache
def schema() -> GraphQLSchema:
    built = build_schema(SCHEMA_PATH.read_text())
    built.query_type.fields["project"].resolve = lambda root, info, fullPath: root.project(fullPath)  # noqa: N803
    built.query_type.fields["queryComplexity"].resolve = lambda root, info: {
        "score": root.complexity,
        "limit": MAX_COMPLEXITY,
    }
    return built


def _time(moment: datetime | None) -> str | None:
    """ISO 8601 to the second in the instance's zone, as GitLab's `Time` renders."""
    return None if moment is None else moment.astimezone(gitlab_api.INSTANCE_ZONE).isoformat(timespec="seconds")


def _connection(rows: list, args: dict) -> dict:
    """A page of `rows` after the `after` cursor (an offset, base64-encoded as GitLab's cursors are opaque)."""
    size = min(args.get("first") or MAX_PAGE, MAX_PAGE)
    start = 0
    if args.get("after"):
        try:
            start = json.loads(base64.b64decode(args["after"]))["offset"]
        except (ValueError, KeyError, TypeError):
            raise GraphQLError("Please provide a valid cursor") from None
    page = rows[start : start + size]

    def cursor(offset: int) -> str:
        return base64.b64encode(json.dumps({"offset": offset}).encode()).decode()

    return {
        "count": len(rows),
        "nodes": page,
        "pageInfo": {
            "hasNextPage": start + size < len(rows),
            "hasPreviousPage": start > 0,
            "startCursor": cursor(start + 1) if page else None,
            "endCursor": cursor(start + len(page)) if page else None,
        },
    }


class _Root:
    """What resolvers reach: the organisation's GitLab index, and whether to fail the first notes asked for."""

    def __init__(self, org: Org, complexity: int, partial: bool) -> None:
        self.index = gitlab_api._index(org)
        self.complexity = complexity
        self.partial = partial  # fail the next commits or pipeline resolved

    def project(self, full_path: str) -> dict | None:
        repo = self.index.projects.get(full_path)
        if repo is None:
            return None  # unknown or not visible: GitLab answers null, not an error

        def merge_request(iid: str) -> PullRequest | None:
            return self.index.find("merge_requests", repo, iid)

        def listed(info, iids=None, **args) -> dict:
            if iids is None:
                merge_requests = self.index.merge_requests.get(repo.full_name, [])
                chosen = sorted(merge_requests, key=lambda m: m.created_at, reverse=True)
            else:  # an iid the project does not have is left out, as on GitLab
                chosen = [m for m in map(merge_request, dict.fromkeys(iids)) if m is not None]
            return _connection([self.merge_request(m) for m in chosen], args)

        pipelines = self.index.pipelines.get(repo.full_name, [])  # a pipeline's iid is its place in this list

        def pipeline(info, iid=None, sha=None) -> dict | None:
            if iid is not None:
                found = pipelines[int(iid) - 1] if iid.isdigit() and 0 < int(iid) <= len(pipelines) else None
            else:
                found = next((run for run in reversed(pipelines) if run.head_sha == sha), None)
            if found is None:
                return None
            self.fail_once()
            return _pipeline(found, self.index)

        def issue(iid: str | None) -> WorkItem | None:
            return None if iid is None else self.index.find("issues", repo, iid)

        def issues(info, iids=None, **args) -> dict:
            if iids is None:
                chosen = sorted(self.index.issues.get(repo.full_name, []), key=lambda i: i.created_at, reverse=True)
            else:  # an iid the project does not have is left out, as on GitLab
                chosen = [i for i in map(issue, dict.fromkeys(iids)) if i is not None]
            return _connection([self.issue(i) for i in chosen], args)

        return {
            "id": f"gid://gitlab/Project/{repo.native_id}",
            "fullPath": repo.full_name,
            "mergeRequest": lambda info, iid: (found := merge_request(iid)) and self.merge_request(found),
            "mergeRequests": listed,
            "pipeline": pipeline,
            "issue": lambda info, iid=None: (found := issue(iid)) and self.issue(found),
            "issues": issues,
        }

    def issue(self, item: WorkItem) -> dict:
        def notes(info, **args) -> dict:
            self.fail_once()
            rows = [_note(note_id, body, True, who, at) for note_id, at, who, body in gitlab_api.issue_notes_of(item)]
            return _connection(rows, args)

        return {
            "id": f"gid://gitlab/Issue/{item.native_id}",
            "iid": str(item.number),
            "title": item.title,
            "updatedAt": _time(item.updated_at),
            "notes": notes,
        }

    def merge_request(self, pr: PullRequest) -> dict:
        commits = [_commit(c, pr) for c in reversed(pr.commits)]  # newest first, as `git log`
        approvers = list({r.reviewer.login: r.reviewer for r in pr.reviews if r.state == "APPROVED"}.values())
        return {
            "id": f"gid://gitlab/MergeRequest/{pr.native_id}",
            "iid": str(pr.number),
            "title": pr.title,
            "updatedAt": _time(pr.updated_at),
            "author": _user(pr.author),
            "commits": lambda info, **args: self.commits(commits, args),
            "approvedBy": lambda info, **args: _connection([_user(p) for p in approvers], args),
            "notes": lambda info, **args: self.notes(pr, args),
        }

    def commits(self, commits: list[dict], args: dict) -> dict:
        self.fail_once()  # as when the repository's storage times out: GitLab nulls the field
        return _connection(commits, args)

    def fail_once(self) -> None:
        if self.partial:
            self.partial = False
            raise GraphQLError("Internal server error")

    def notes(self, pr: PullRequest, args: dict) -> dict:
        reviews = sorted(pr.reviews, key=lambda r: (r.submitted_at, r.id))
        rows = [_note(r.id, *gitlab_api.REVIEW_NOTES[r.state], r.reviewer, r.submitted_at) for r in reviews]
        return _connection(rows, args)


def _note(note_id: int, body: str, system: bool, author: Person, at: datetime) -> dict:
    """A note as GitLab's GraphQL gives it (never edited here: updated when created)."""
    return {"id": f"gid://gitlab/Note/{note_id}", "body": body, "system": system, "resolvable": False,
            "internal": False, "author": _user(author), "createdAt": _time(at), "updatedAt": _time(at)}  # fmt: skip


def _user(person: Person) -> dict:
    return {"id": f"gid://gitlab/User/{person.numeric_id}", "username": person.login, "name": person.name}


def _pipeline(run: PipelineRun, index: gitlab_api._Index) -> dict:
    """The pipeline as REST's detail has it (`gitlab_api._pipeline_detail`), in GraphQL's names."""
    rest = gitlab_api._pipeline_detail(run, index, "")
    return {
        "id": f"gid://gitlab/Ci::Pipeline/{run.native_id}",
        "iid": str(rest["iid"]),
        "sha": rest["sha"],
        "beforeSha": rest["before_sha"],
        "ref": rest["ref"],
        "status": rest["status"].upper(),
        "createdAt": _time(run.created_at),
        "updatedAt": _time(run.updated_at),
        "startedAt": _time(run.started_at),
        "finishedAt": _time(run.finished_at),
        "duration": rest["duration"],
        "queuedDuration": rest["queued_duration"],
        "user": _user(run.actor),
    }


def _commit(commit: Commit, pr: PullRequest) -> dict:
    return {
        "id": f"gid://gitlab/CommitPresenter/{commit.sha}",
        "sha": commit.sha,
        "shortId": commit.sha[:8],
        "title": commit.message.splitlines()[0],
        "message": commit.message,
        "authorName": commit.author.name,
        "authorEmail": commit.author.email,
        "authoredDate": _time(commit.authored_at),
        "committerName": commit.author.name,
        "committerEmail": commit.author.email,
        "committedDate": _time(commit.committed_at),
        "webUrl": f"/{pr.repo}/-/commit/{commit.sha}",
    }


# ---------------------------------------------------------------------------------- complexity
def complexity(document, variables: dict, operation: OperationDefinitionNode) -> int:
    """The query's complexity as GitLab scores it (see the module's docstring)."""
    return graphql_cost.score(document, operation, schema(), variables, _price)


def _price(named, args: dict, selected) -> float:
    below = 1 + selected()
    if named.name.endswith("Connection"):
        below *= 1 + min(args.get("first") or args.get("last") or MAX_PAGE, MAX_PAGE) * PAGE_MULTIPLIER
    return below


# ---------------------------------------------------------------------------------- the endpoint
def answer(request: ApiRequest, org: Org, fault: str) -> ApiResponse:
    """One GraphQL request, answered as GitLab answers it."""
    if fault == BAD_GATEWAY:
        return ApiResponse(502, b"502 Bad Gateway\n", {"Content-Type": "text/plain"})
    try:
        body = json.loads(request.body or b"{}")
        document, problems = graphql_cost.checked(schema(), body["query"])
        variables = body.get("variables") or {}
    except (ValueError, KeyError, TypeError, GraphQLError) as error:
        return ApiResponse(400, {"errors": [{"message": f"Invalid request: {error}"}]})
    if problems:
        return ApiResponse(200, {"errors": [p.formatted for p in problems]})
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    name = body.get("operationName")
    operation = next((o for o in operations if name is None or (o.name and o.name.value == name)), None)
    if operation is None:
        return ApiResponse(200, {"errors": [{"message": f"No operation named {name!r}"}]})
    score = complexity(document, variables, operation)
    if score > MAX_COMPLEXITY:
        message = f"Query has complexity of {score}, which exceeds max complexity of {MAX_COMPLEXITY}"
        return ApiResponse(200, {"errors": [{"message": message}]})
    root = _Root(org, score, fault == PARTIAL)
    result = execute(schema(), document, root, variable_values=variables, operation_name=name)
    payload: dict = {"data": result.data}
    if result.errors:
        payload["errors"] = [e.formatted for e in result.errors]
    return ApiResponse(200, payload)
