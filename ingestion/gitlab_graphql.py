"""GitLab's GraphQL API where it is cheaper than REST: merge requests' commits, approvers and notes,
pipelines' detail, and issues' notes, many rows a query.

Through REST every changed merge request costs three requests (commits, approvals, notes) and every
new or changed pipeline one (its detail). Through GraphQL (`POST /api/graphql`, one request of the
same rate limit) one query asks for up to 100 merge requests by iid, with the first 100 of each of
the three nested (a complexity of about 150 of the 250 GitLab allows a signed-in user), or for 20
pipelines, each under an alias, or for up to 100 issues with their first 100 notes (which carry the
assignee changes). The rows come out in the shapes REST gives, so the raw tables and
everything built on them are the same whichever path read them (docs/performance.md names the few
raw columns GraphQL cannot give). A merge request or issue with more than a page of commits,
approvers or notes has the rest read by a query per further page of that connection; failures are handled as
`_BatchReader` says.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ingestion.api_client import ApiClient, GaveUpError, SourceError, TransientError
from ingestion.graphql_shared import PageAnswers, error_messages

log = logging.getLogger("streamgauge.ingestion")

MAX_PAGE = 100  # GitLab's largest page, and the merge requests one query asks for here
CONNECTIONS = {
    "commits": "sha title message authorName authorEmail authoredDate committerName committedDate",
    "approvedBy": "id username",
    "notes": "id body system resolvable internal author { id username } createdAt updatedAt",
}
# The detail's status and updated_at too, so that the row is of one moment, as REST's detail is.
PIPELINE_FIELDS = "status updatedAt beforeSha startedAt finishedAt duration queuedDuration user { id username }"
PIPELINES_PER_QUERY = 20  # the simulator scores each alias 11 of the 250 complexity GitLab allows: 221 in all


def _connection(name: str, size: int, after: bool = False) -> str:
    cursor = ", after: $after" if after else ""
    return f"{name}(first: {size}{cursor}) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {CONNECTIONS[name]} }} }}"


def merge_requests_query(size: int, nested: int = MAX_PAGE) -> str:
    """Up to `size` merge requests of a project by iid, with the first `nested` of their commits, approvers, notes."""
    connections = " ".join(_connection(name, nested) for name in CONNECTIONS)
    return (
        "query MergeRequestChildren($path: ID!, $iids: [String!]) { project(fullPath: $path) { "
        f"mergeRequests(iids: $iids, first: {size}) {{ nodes {{ iid {connections} }} }} }} }}"
    )


def issues_query(size: int, nested: int = MAX_PAGE) -> str:
    """Up to `size` issues of a project by iid, with the first `nested` of their notes."""
    return (
        "query IssueNotes($path: ID!, $iids: [String!]) { project(fullPath: $path) { "
        f"issues(iids: $iids, first: {size}) {{ nodes {{ iid {_connection('notes', nested)} }} }} }} }}"
    )


def connection_page_query(name: str, nested: int = MAX_PAGE, parent: str = "mergeRequest") -> str:
    """The next page of the `name` connection of one merge request (or of one issue: `parent="issue"`)."""
    operation = parent[0].upper() + parent[1:] + "ConnectionPage"
    return (
        f"query {operation}($path: ID!, $iid: String!, $after: String) {{ project(fullPath: $path) {{ "
        f"{parent}(iid: $iid) {{ {_connection(name, nested, after=True)} }} }} }}"
    )


def pipelines_query(count: int) -> str:
    """The detail of `count` pipelines of a project: the n-th is the alias `p<n>`, its iid the variable `$i<n>`.

    The iids are variables, not written into the text, so every full batch sends the same query.
    """
    iids = " ".join(f"$i{n}: ID!" for n in range(count))
    aliases = " ".join(f"p{n}: pipeline(iid: $i{n}) {{ {PIPELINE_FIELDS} }}" for n in range(count))
    return f"query PipelineDetails($path: ID!, {iids}) {{ project(fullPath: $path) {{ {aliases} }} }}"


def pipelines_variables(path: str, iids: list[int]) -> dict[str, str]:
    """The variables of `pipelines_query(len(iids))`."""
    return {"path": path, **{f"i{n}": str(iid) for n, iid in enumerate(iids)}}


def graphql_url(api_root: str) -> str:
    """`HOST/api/graphql`, beside the REST root `HOST/api/v4`."""
    return api_root.rstrip("/").removesuffix("/v4") + "/graphql"


@dataclass
class Children:
    """What REST's three calls give for one merge request, in REST's shapes."""

    commits: list[dict]
    approved_by: list[dict]
    notes: list[dict]


@dataclass
class _BatchReader:
    """Asks GitLab's GraphQL for a project's rows in batches, as many a query as `page_size`.

    A query GitLab gives up on (5xx, a timeout) is asked again for half as many, down to one,
    which is then retried like any request; the smaller size holds for the rest of the run. A row
    missing from an answer with errors is asked again (up to the client's attempts); one missing
    from an answer without errors was deleted since it was listed, and is skipped with one line.
    """

    client: ApiClient
    page_size: int
    kind = ""  # "merge request", "pipeline": what the warnings and errors call a row
    skipped = ""  # what is lost with a row deleted since it was listed

    def _in_batches(self, path: str, keys: list[int], ask: Callable[[list[int], int], tuple[dict, list]]) -> dict:
        """`ask(batch, size)` → (each answered key's node, the reply's errors); the nodes of every key answered."""
        found: dict[int, Any] = {}
        pending, tries = list(keys), dict.fromkeys(keys, 0)
        while pending:
            batch, size = pending[: self.page_size], self.page_size
            try:
                answered, errors = ask(batch, size)
            except GaveUpError as error:
                self.page_size = max(1, size // 2)
                log.info("%s; asking %d %ss a query instead of %d", error, self.page_size, self.kind, size)
                continue
            pending = pending[len(batch) :]
            for key in batch:
                if key in answered:
                    found[key] = answered[key]
                elif not errors:
                    log.warning(
                        "gitlab: %s %s of %s is not in GitLab's GraphQL answer (deleted since it was listed); %s are "
                        "skipped, everything else loads",
                        self.kind,
                        key,
                        path,
                        self.skipped,
                    )
                else:
                    tries[key] += 1
                    if tries[key] >= self.client.retry.attempts:
                        raise TransientError(
                            f"gitlab: {self.kind} {key} of {path} kept failing in GraphQL queries "
                            f"({error_messages(errors[:1])}) after {tries[key]} attempts; rerun later, the load "
                            "resumes where it stopped"
                        )
                    pending.append(key)
        return found

    def _post(self, query: str, variables: dict, path: str, retry: bool) -> tuple[dict, list[dict]]:
        response = self.client.request(
            "POST",
            graphql_url(self.client.base_url),
            json_body={"query": query, "variables": variables},
            what=f"{self.kind}s of {path}",
            retry_server_errors=retry,
        )
        body = response.json()
        errors = body.get("errors") or []
        if any(not error.get("path") for error in errors):  # about the whole query: nothing in it can be used
            raise SourceError(f"gitlab: GitLab refused the GraphQL query for {path}: {error_messages(errors)}")
        return body.get("data") or {}, errors

    def _ask_by_iids(self, path: str, connection: str, query: str, batch: list[int], size: int) -> tuple[dict, list]:
        """One `query` for the `batch` of a project's `connection` (`mergeRequests`, `issues`) by iid: each
        node answered whole, by iid, and the reply's errors. An error inside a node (a null commits or
        notes field, or a null node) fails all of it."""
        data, errors = self._post(query, {"path": path, "iids": [str(iid) for iid in batch]}, path, retry=size == 1)
        listed = (_project(data, path, errors).get(connection) or {}).get("nodes") or []
        failed = {e["path"][3] for e in errors if e["path"][:3] == ["project", connection, "nodes"]}
        return {int(node["iid"]): node for i, node in enumerate(listed) if node and i not in failed}, errors

    def _read_further_pages(self, node: dict, path: str, parent: str, names: list[str], nested: int) -> None:
        """Add to `node` (a merge request or issue: `parent`) the pages of its connections `names` that did
        not fit in the first."""
        for name in names:
            page = node[name]
            while page["pageInfo"]["hasNextPage"]:
                variables = {"path": path, "iid": node["iid"], "after": page["pageInfo"]["endCursor"]}
                data, errors = self._post(connection_page_query(name, nested, parent), variables, path, retry=True)
                owner = (data.get("project") or {}).get(parent)
                if errors or not owner:
                    raise TransientError(
                        f"gitlab: the {name} of {self.kind} {node['iid']} of {path} could not be read past "
                        f"{len(node[name]['nodes'])} ({error_messages(errors)}); rerun later"
                    )
                page = owner[name]
                node[name]["nodes"] += page["nodes"]


@dataclass
class MergeRequestChildren(_BatchReader):
    """Reads merge requests' children by GraphQL, once per page for the commits, approvals and notes resources."""

    page_size: int = MAX_PAGE  # merge requests a query asks for
    nested: int = MAX_PAGE  # commits, approvers and notes asked for per page of each
    answers: PageAnswers = field(default_factory=lambda: PageAnswers(consumers=3))
    kind = "merge request"
    skipped = "its commits, approvals and notes"

    def of(self, path: str, iids: list[int]) -> dict[int, Children]:
        """The children of each merge request GitLab still has (one deleted since it was listed is left out)."""
        return self.answers.get((path, tuple(iids)), lambda: self._fetch(path, iids))

    def _fetch(self, path: str, iids: list[int]) -> dict[int, Children]:
        def ask(batch: list[int], size: int) -> tuple[dict, list]:
            return self._ask_by_iids(path, "mergeRequests", merge_requests_query(size, self.nested), batch, size)

        return {iid: self._complete(node, path) for iid, node in self._in_batches(path, iids, ask).items()}

    def _complete(self, node: dict, path: str) -> Children:
        """Read the further pages of the nested connections that did not fit in the first, and shape the rows."""
        self._read_further_pages(node, path, "mergeRequest", list(CONNECTIONS), self.nested)
        return Children(
            commits=[_commit(c) for c in node["commits"]["nodes"]],
            approved_by=[{"user": _user(u)} for u in node["approvedBy"]["nodes"]],
            notes=[_note(n) for n in node["notes"]["nodes"]],
        )


@dataclass
class PipelineDetails(_BatchReader):
    """What REST's `GET /pipelines/:id` adds to a listed pipeline (times, durations, who ran it), by
    GraphQL: a query asks for `page_size` pipelines, each under an alias of its own."""

    page_size: int = PIPELINES_PER_QUERY
    kind = "pipeline"
    skipped = "its start, finish and durations"

    def of(self, path: str, iids: list[int]) -> dict[int, dict]:
        """The detail of each pipeline GitLab still has, keyed by iid, in REST's shape."""

        def ask(batch: list[int], size: int) -> tuple[dict, list]:
            query, variables = pipelines_query(len(batch)), pipelines_variables(path, batch)
            data, errors = self._post(query, variables, path, retry=size == 1)
            project = _project(data, path, errors)
            failed = {str(e["path"][1]) for e in errors if e["path"][0] == "project" and len(e["path"]) > 1}
            answered = {iid: project.get(f"p{n}") for n, iid in enumerate(batch) if f"p{n}" not in failed}
            return {iid: node for iid, node in answered.items() if node}, errors

        return {iid: _pipeline_detail(node) for iid, node in self._in_batches(path, iids, ask).items()}


@dataclass
class IssueNotes(_BatchReader):
    """Issues' notes by GraphQL, up to 100 issues a query, where REST asks once per issue."""

    page_size: int = MAX_PAGE  # issues a query asks for
    nested: int = MAX_PAGE  # notes asked for per page
    kind = "issue"
    skipped = "its assignee changes"

    def of(self, path: str, iids: list[int]) -> dict[int, list[dict]]:
        """The notes of each issue GitLab still has, oldest first, in REST's shape (one deleted since it
        was listed is left out)."""

        def ask(batch: list[int], size: int) -> tuple[dict, list]:
            return self._ask_by_iids(path, "issues", issues_query(size, self.nested), batch, size)

        found = self._in_batches(path, iids, ask)
        for node in found.values():
            self._read_further_pages(node, path, "issue", ["notes"], self.nested)
        return {iid: [_note(n) for n in node["notes"]["nodes"]] for iid, node in found.items()}


def _project(data: dict, path: str, errors: list[dict]) -> dict:
    """The answer's project. The project was just listed through REST, so a null one without errors
    stops the source rather than skip its rows: nothing is stored, and no cursor moves past them."""
    project = data.get("project")
    if project is None and not errors:
        raise TransientError(
            f"gitlab: GitLab's GraphQL API does not show project {path}, which REST lists; check that the token "
            "has the read_api scope, or set sources.gitlab.graphql = false"
        )
    return project or {}


# ---------------------------------------------------------------------- rows shaped as REST gives them
def _number(global_id: str) -> int:
    """`gid://gitlab/Note/123` → 123."""
    return int(global_id.rsplit("/", 1)[-1])


def _user(user: dict | None) -> dict | None:
    return None if user is None else {"id": _number(user["id"]), "username": user["username"]}


def _commit(node: dict) -> dict:
    """A commit as REST lists it, but for its parents (GraphQL's commit has none)."""
    return {
        "id": node["sha"],
        "title": node.get("title"),
        "message": node.get("message"),
        "author_name": node.get("authorName"),
        "author_email": node.get("authorEmail"),
        "authored_date": node.get("authoredDate"),
        "committer_name": node.get("committerName"),
        "committed_date": node.get("committedDate"),
    }


def _pipeline_detail(node: dict) -> dict:
    """The fields REST's pipeline detail adds to the list's (but for `tag`, `archived`, `coverage`, `committed_at`
    and `yaml_errors`, which no model reads), and its status of the same moment."""
    return {
        "status": node["status"].lower(),
        "updated_at": node["updatedAt"],
        "before_sha": node.get("beforeSha"),
        "user": _user(node.get("user")),
        "started_at": node.get("startedAt"),
        "finished_at": node.get("finishedAt"),
        "duration": node.get("duration"),
        "queued_duration": node.get("queuedDuration"),
    }


def _note(node: dict) -> dict:
    kind = node["id"].split("/")[-2]  # gid://gitlab/DiffNote/1: REST's `type`, which is null for a plain Note
    return {
        "id": _number(node["id"]),
        "type": None if kind == "Note" else kind,
        "body": node["body"],
        "system": node["system"],
        "resolvable": node["resolvable"],
        "internal": node.get("internal"),
        "author": _user(node.get("author")),
        "created_at": node["createdAt"],
        "updated_at": node["updatedAt"],
    }
