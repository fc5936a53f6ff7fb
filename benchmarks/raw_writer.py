"""Write a synthetic organisation straight into the raw_* tables (bypassing HTTP and dlt).

Vectorised DuckDB SQL: every row is a pure function of the work item's index `i` and the
cut-off time, with `hash()`-based pseudo-random numbers, so the data is deterministic and
a snapshot "as of T1" plus a delta "(T1, T2]" gives the same final rows as a snapshot at T2
(up to `_dlt_load_id`). Only the columns the staging models select are written, with dlt's
names and types (timestamps as TIMESTAMPTZ, `_dlt_load_id` as an epoch string, `_dlt_id` /
`_dlt_parent_id` linking child tables), and statuses the `status_stage_map` seed maps.

Work items are split 50% Jira, 25% GitHub, 25% GitLab, created evenly over `DAYS` days
ending at `END`. Each follows one of eight workflow templates (straight through, rework,
blocked detour, reopen, cancel, ...), ~7.5 transitions on average; 15% stop part-way (WIP).
30% of items get a pull/merge request (CI run, review, two commits), one in six of those is
deployed to production (with two deployment statuses).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb

END = datetime(2026, 11, 1, tzinfo=UTC)
DAYS = 365
SLOT_HOURS = 24

# Status index → per-source raw status. 0 = created, 6 = done, 7 = blocked, 8 = canceled.
JIRA = ["To Do", "Selected for Development", "In Progress", "In Review", "QA", "Ready for Release",
        "Done", "Blocked", "Cancelled"]  # fmt: skip
GITHUB = [None, "status: ready", "status: in progress", "status: in review", "status: testing",
          "status: ready to deploy", None, "status: blocked", None]  # fmt: skip
GITLAB = [None, "workflow::ready", "workflow::in progress", "workflow::in review", "workflow::testing",
          "workflow::ready to deploy", None, "workflow::blocked", "workflow::canceled"]  # fmt: skip
TEMPLATES = [
    [0, 1, 2, 3, 4, 5, 6],
    [0, 1, 2, 3, 2, 3, 4, 5, 6],  # rework
    [0, 2, 3, 6],
    [0, 1, 2, 7, 2, 3, 4, 6],  # blocked detour
    [0, 2, 3, 4, 6, 2, 3, 6],  # reopen
    [0, 1, 8],  # canceled
    [0, 1, 2, 3, 4, 5, 6],
    [0, 1, 2, 3, 2, 3, 2, 3, 4, 5, 6],  # double rework
]


# The pull request of a work item `it` that has one: number, times, repository, commits, deployed.
PR_COLUMNS = f"""{10_000_000} + it.i as number,
    it.created + to_hours(cast(2 + hash(it.i, 'prc') % 20 as bigint)) as pr_created,
    it.created + to_hours(cast(24 + hash(it.i, 'prm') % 72 as bigint)) as pr_merged,
    case when it.src = 'gitlab' then 'acme/group' || it.proj || '/project' else 'acme/repo' || it.proj end as repo,
    md5(cast(it.i as varchar)) as merge_sha, md5('h' || it.i) as head_sha,
    hash(it.i, 'd') % 6 = 0 as deployed"""


def _lit(values: list) -> str:
    return "[" + ", ".join("NULL" if v is None else "'" + str(v).replace("'", "''") + "'" for v in values) + "]"


def _ts(moment: datetime) -> str:
    return f"TIMESTAMPTZ '{moment.strftime('%Y-%m-%d %H:%M:%S')}+00'"


def load_id(moment: datetime) -> str:
    """dlt's load id: the load's epoch seconds as a string."""
    return f"{moment.timestamp():.7f}"


def _plan(con: duckdb.DuckDBPyConnection, n_items: int, cutoff: datetime) -> None:
    """Temp tables: bench_items (one row per item created by cutoff), bench_steps (its statuses so far)."""
    start = END - timedelta(days=DAYS)
    spacing = DAYS * 86400.0 / max(n_items, 1)
    nproj = max(2, n_items // 100_000)
    templates = "[" + ", ".join("[" + ", ".join(map(str, t)) + "]" for t in TEMPLATES) + "]"
    con.execute(f"""
        create or replace temp table bench_items as
        with base as (
            select
                i,
                case when i % 4 in (0, 1) then 'jira' when i % 4 = 2 then 'github' else 'gitlab' end as src,
                (i // 4) % {nproj} as proj,
                {_ts(start)}
                    + to_seconds(cast(i * {spacing} + hash(i, 'c') % {max(int(spacing), 1)} as bigint)) as created,
                {templates}[cast(1 + hash(i, 't') % {len(TEMPLATES)} as bigint)] as tpl,
                hash(i, 'o') % 100 < 15 as stops_early,
                cast(hash(i, 'k') % 1000000007 as bigint) as hk
            from range({n_items}) as r(i)
        )
        select
            *,
            case when stops_early then 1 + hk % (len(tpl) - 1) else len(tpl) end as n_steps,
            'user' || (hash(i, 'a') % 2000) as assignee,
            hash(i, 'p') % 10 < 3 as has_pr
        from base
        where created <= {_ts(cutoff)}
    """)
    con.execute(f"""
        create or replace temp table bench_steps as
        select * from (
            select
                i, src, proj, j,
                tpl[j + 1] as st,
                case when j = 0 then null else tpl[j] end as prev_st,
                case when j = 0 then created
                    else created
                        + to_hours(cast((j - 1) * {SLOT_HOURS} + 1 + hash(i, j, 's') % {SLOT_HOURS - 2} as bigint))
                end as ts,
                'user' || (hash(i, j, 'a') % 2000) as actor
            from (select *, unnest(range(n_steps)) as j from bench_items)
        )
        where ts <= {_ts(cutoff)}
    """)
    # the item's current status: its last step so far
    con.execute("""
        create or replace temp table bench_current as
        select i, arg_max(st, j) as st, max(ts) as last_ts, max(j) as last_j, count(*) - 1 as n_transitions
        from bench_steps group by i
    """)


def _item_tables(con: duckdb.DuckDBPyConnection, lid: str, cutoff: datetime, only_changed: bool) -> dict[str, str]:
    """SELECTs of the current-state tables (issues, labels, PRs, ...), keyed by raw table."""
    where = "where bench_items.i in (select i from bench_changed)" if only_changed else ""
    jira_s, gh_s, gl_s = _lit(JIRA), _lit(GITHUB), _lit(GITLAB)
    cut = _ts(cutoff)
    items = (
        "(select bench_items.*, c.st, c.last_ts, c.n_transitions"
        f" from bench_items join bench_current c using (i) {where})"
    )
    pr = f"(select it.*, {PR_COLUMNS} from {items} as it where it.has_pr)"
    pr_live = f"(select * from {pr} where pr_created <= {cut})"
    key = "'PRJ' || proj || '-' || i"
    return {
        "raw_jira.issues": f"""
            select cast(100000 + i as varchar) as id, {key} as key, 'PRJ' || proj as project_key,
                'Item ' || i as summary,
                case hash(i, 'ty') % 5 when 0 then 'Bug' when 1 then 'Task' else 'Story' end as issue_type,
                {jira_s}[st + 1] as status_name,
                case when st = 0 then 'new' when st in (6, 8) then 'done' else 'indeterminate' end
                    as status_category_key,
                created, last_ts as updated,
                case when st in (6, 8) then last_ts end as resolutiondate,
                case st when 6 then 'Done' when 8 then 'Won''t Do' end as resolution_name,
                'Medium' as priority, assignee as assignee_name, 'reporter' || (hk % 300) as reporter_name,
                false as flagged, 'https://acme.atlassian.net/browse/' || {key} as url,
                'ji' || i as _dlt_id, '{lid}' as _dlt_load_id
            from {items} where src = 'jira'""",
        "raw_jira.issues__labels": f"""
            select 'bug' as value, 'ji' || i as _dlt_parent_id, 'jil' || i as _dlt_id, 0 as _dlt_list_idx
            from {items} where src = 'jira' and hk % 7 = 0""",
        "raw_github.issues": f"""
            select i as id, 'acme/repo' || proj as repository, i as number, 'Item ' || i as title,
                cast(null as varchar) as body,
                case when st in (6, 8) then 'closed' else 'open' end as state,
                case st when 6 then 'completed' when 8 then 'not_planned' end as state_reason,
                created as created_at, last_ts as updated_at,
                case when st in (6, 8) then last_ts end as closed_at,
                'user' || (hk % 2000) as user__login, assignee as assignee__login,
                'https://github.com/acme/repo' || proj || '/issues/' || i as html_url,
                'gi' || i as _dlt_id, '{lid}' as _dlt_load_id
            from {items} where src = 'github'""",
        "raw_github.issues__labels": f"""
            select {gh_s}[st + 1] as name, 'gi' || i as _dlt_parent_id, 'gil' || i as _dlt_id, 0 as _dlt_list_idx
            from {items} where src = 'github' and {gh_s}[st + 1] is not null
            union all
            select 'bug', 'gi' || i, 'gib' || i, 1 from {items} where src = 'github' and hk % 7 = 0""",
        "raw_gitlab.issues": f"""
            select i as id, i as iid, 1000 + proj as project_id, 'acme/group' || proj || '/project' as project_path,
                'Item ' || i as title,
                cast(null as varchar) as description,
                case when st in (6, 8) then 'closed' else 'opened' end as state,
                'issue' as issue_type, cast(null as varchar) as severity,
                created as created_at, last_ts as updated_at, case when st in (6, 8) then last_ts end as closed_at,
                'user' || (hk % 2000) as author__username, assignee as assignee__username,
                'https://gitlab.com/acme/group' || proj || '/project/-/issues/' || i as web_url,
                'li' || i as _dlt_id, '{lid}' as _dlt_load_id
            from {items} where src = 'gitlab'""",
        "raw_gitlab.issues__labels": f"""
            select {gl_s}[st + 1] as name, 'li' || i as _dlt_parent_id, 'lil' || i as _dlt_id, 0 as _dlt_list_idx
            from {items} where src = 'gitlab' and {gl_s}[st + 1] is not null""",
        "raw_github.pull_requests": f"""
            select number * 10 as id, repo as repository, number,
                case src when 'jira' then {key} || ': change' else 'Change for #' || i end as title,
                case src when 'github' then 'Fixes #' || i end as body,
                case when pr_merged <= {cut} then 'closed' else 'open' end as state, false as draft,
                assignee as user__login, 'User' as user__type, 'main' as base__ref,
                'feature/' || i || '-change' as head__ref, head_sha as head__sha,
                case when pr_merged <= {cut} then merge_sha end as merge_commit_sha,
                pr_created as created_at, least(pr_merged, {cut}) as updated_at,
                case when pr_merged <= {cut} then pr_merged end as merged_at,
                case when pr_merged <= {cut} then pr_merged end as closed_at,
                hk % 500 as additions, hk % 200 as deletions, 1 + hk % 20 as changed_files, 2 as commits,
                'https://github.com/' || repo || '/pull/' || number as html_url, '{lid}' as _dlt_load_id
            from {pr_live} where src <> 'gitlab'""",
        "raw_gitlab.merge_requests": f"""
            select number * 10 as id, number as iid, repo as project_path, 'Change for #' || i as title,
                'Closes #' || i as description,
                case when pr_merged <= {cut} then 'merged' else 'opened' end as state, false as draft,
                assignee as author__username, 'feature/' || i || '-change' as source_branch, 'main' as target_branch,
                head_sha as sha, case when pr_merged <= {cut} then merge_sha end as merge_commit_sha,
                pr_created as created_at, least(pr_merged, {cut}) as updated_at,
                case when pr_merged <= {cut} then pr_merged end as merged_at,
                cast(null as timestamptz) as closed_at,
                case when pr_merged <= {cut} then 'user' || (hk % 2000) end as merge_user__username,
                'https://gitlab.com/' || repo || '/-/merge_requests/' || number as web_url, '{lid}' as _dlt_load_id
            from {pr_live} where src = 'gitlab'""",
    }


def _event_tables(lid: str, lo: datetime | None, hi: datetime) -> dict[str, str]:
    """SELECTs of the append-only event tables, for events stamped in (lo, hi]."""
    window = f"ts <= {_ts(hi)}" + (f" and ts > {_ts(lo)}" if lo else "")
    jira_s, gh_s, gl_s = _lit(JIRA), _lit(GITHUB), _lit(GITLAB)
    steps = f"(select * from bench_steps where j > 0 and {window})"
    key = "'PRJ' || proj || '-' || i"
    gh_events = f"""(
        select *, {gh_s}[prev_st + 1] as old_label, {gh_s}[st + 1] as new_label from {steps} where src = 'github')"""
    gl_events = f"""(
        select *, {gl_s}[prev_st + 1] as old_label, {gl_s}[st + 1] as new_label from {steps} where src = 'gitlab')"""
    cut_hi, cut_lo = _ts(hi), (_ts(lo) if lo else None)

    def in_window(col: str) -> str:
        return f"{col} <= {cut_hi}" + (f" and {col} > {cut_lo}" if cut_lo else "")

    pr = f"(select it.i, it.src, it.proj, it.assignee, it.hk, {PR_COLUMNS} from bench_items as it where it.has_pr)"
    dep = f"(select *, pr_merged + interval 1 hour as dep_at from {pr} where deployed)"
    return {
        "raw_jira.issue_changelog": f"""
            select cast(i * 32 + j as varchar) as history_id, 0 as item_index, cast(100000 + i as varchar) as issue_id,
                {key} as issue_key, ts as created, 'acc-' || actor as author_account_id, actor as author_name,
                'status' as field, 'status' as field_id, 'jira' as field_type,
                cast(prev_st as varchar) as "from", {jira_s}[prev_st + 1] as from_string,
                cast(st as varchar) as "to", {jira_s}[st + 1] as to_string,
                '{lid}' as _dlt_load_id, 'jc' || i || '-' || j as _dlt_id
            from {steps} where src = 'jira'
            union all
            select cast(i * 32 + j as varchar), 1, cast(100000 + i as varchar), {key}, ts, 'acc-' || actor, actor,
                'assignee', 'assignee', 'jira', null, null, 'acc-' || actor, actor, '{lid}', 'jca' || i || '-' || j
            from {steps} where src = 'jira' and j in (1, 3)""",
        "raw_github.issue_events": f"""
            select i * 64 + j * 4 + 0 as id, 'acme/repo' || proj as repository, i as issue_id, i as issue_number,
                false as is_pull_request, 'unlabeled' as event, actor as actor__login, 'User' as actor__type,
                old_label as label__name, null as assignee__login, null as requested_reviewer__login,
                null as commit_id, ts as created_at, '{lid}' as _dlt_load_id, 'ge0-' || i || '-' || j as _dlt_id
            from {gh_events} where old_label is not null
            union all
            select i * 64 + j * 4 + 1, 'acme/repo' || proj, i, i, false, 'reopened', actor, 'User', null, null, null,
                null, ts, '{lid}', 'ge1-' || i || '-' || j
            from {gh_events} where prev_st in (6, 8)
            union all
            select i * 64 + j * 4 + 2, 'acme/repo' || proj, i, i, false, 'labeled', actor, 'User', new_label, null,
                null, null, ts, '{lid}', 'ge2-' || i || '-' || j
            from {gh_events} where new_label is not null
            union all
            select i * 64 + j * 4 + 3, 'acme/repo' || proj, i, i, false, 'closed', actor, 'User', null, null, null,
                null, ts, '{lid}', 'ge3-' || i || '-' || j
            from {gh_events} where st in (6, 8)""",
        "raw_gitlab.issue_label_events": f"""
            select i * 64 + j * 4 + 0 as id, i as resource_id, 'acme/group' || proj || '/project' as project_path,
                i as issue_iid, 'remove' as action, old_label as label__name, ts as created_at, actor as user__username,
                '{lid}' as _dlt_load_id
            from {gl_events} where old_label is not null
            union all
            select i * 64 + j * 4 + 2, i, 'acme/group' || proj || '/project', i, 'add', new_label, ts, actor, '{lid}'
            from {gl_events} where new_label is not null""",
        "raw_gitlab.issue_state_events": f"""
            select i * 64 + j * 4 + 1 as id, i as resource_id, 'acme/group' || proj || '/project' as project_path,
                i as issue_iid, 'reopened' as state, ts as created_at, actor as user__username, '{lid}' as _dlt_load_id
            from {gl_events} where prev_st in (6, 8)
            union all
            select i * 64 + j * 4 + 3, i, 'acme/group' || proj || '/project', i, 'closed', ts, actor, '{lid}'
            from {gl_events} where st in (6, 8)""",
        # PR/MR children and CI: stamped at the PR's creation, appended once
        "raw_github.pull_request_reviews": f"""
            select number * 10 + 1 as id, repo as repository, number as pull_number,
                'user' || (hash(i, 'rv') % 2000) as user__login, 'User' as user__type, 'APPROVED' as state,
                pr_created + interval 3 hour as submitted_at, head_sha as commit_id, '{lid}' as _dlt_load_id
            from {pr} where src <> 'gitlab' and {in_window("pr_created")}""",
        "raw_github.pull_request_commits": f"""
            select repo as repository, number as pull_number, md5('c' || i || '-' || c) as sha,
                assignee as author_login,
                assignee as author_name, pr_created - to_hours(c + 1) as authored_at,
                pr_created - to_hours(c + 1) as committed_at, 1 as parent_count, '{lid}' as _dlt_load_id
            from (select *, unnest(range(2)) as c from {pr} where src <> 'gitlab' and {in_window("pr_created")})""",
        "raw_github.workflow_runs": f"""
            select number * 10 + 2 as id, repo as repository, 'ci' as name, '.github/workflows/ci.yml' as path,
                'pull_request' as event, 'feature/' || i || '-change' as head_branch, head_sha, 'completed' as status,
                case when hk % 10 = 0 then 'failure' else 'success' end as conclusion, 1 as run_attempt,
                number as run_number, pr_created as created_at, pr_created as run_started_at,
                pr_created + interval 10 minute as updated_at,
                'https://github.com/' || repo || '/actions/runs/' || number as html_url, '{lid}' as _dlt_load_id
            from {pr} where src <> 'gitlab' and {in_window("pr_created")}""",
        "raw_github.deployments": f"""
            select number * 10 + 3 as id, repo as repository, 'production' as environment,
                true as production_environment, merge_sha as sha, 'main' as ref, 'deploy' as task,
                dep_at as created_at, dep_at as updated_at, 'deploy-bot' as creator__login,
                null as description, '{lid}' as _dlt_load_id
            from {dep} where src <> 'gitlab' and {in_window("dep_at")}""",
        "raw_github.deployment_statuses": f"""
            select number * 10 + 4 + s as id, repo as repository, number * 10 + 3 as deployment_id,
                case when s = 0 then 'in_progress' when hk % 15 = 0 then 'failure' else 'success' end as state,
                'production' as environment, dep_at + to_minutes(s * 5) as created_at, null as description,
                '{lid}' as _dlt_load_id
            from (select *, unnest(range(2)) as s from {dep} where src <> 'gitlab' and {in_window("dep_at")})""",
        "raw_gitlab.merge_request_commits": f"""
            select repo as project_path, number as merge_request_iid, md5('c' || i || '-' || c) as sha,
                assignee as author_name, assignee || '@acme.example' as author_email,
                pr_created - to_hours(c + 1) as authored_at, pr_created - to_hours(c + 1) as committed_at,
                1 as parent_count, '{lid}' as _dlt_load_id
            from (select *, unnest(range(2)) as c from {pr} where src = 'gitlab' and {in_window("pr_created")})""",
        "raw_gitlab.merge_request_approvals": f"""
            select repo as project_path, number as merge_request_iid, number * 10 as merge_request_id,
                hash(i, 'rv') % 2000 as user_id, 'user' || (hash(i, 'rv') % 2000) as username, '{lid}' as _dlt_load_id
            from {pr} where src = 'gitlab' and {in_window("pr_created")}""",
        "raw_gitlab.merge_request_notes": f"""
            select number * 10 + 1 as id, repo as project_path, number as merge_request_iid,
                number * 10 as merge_request_id, 'user' || (hash(i, 'rv') % 2000) as author__username,
                'approved' as review_action, null as type, true as system,
                pr_created + interval 3 hour as created_at, pr_created + interval 3 hour as updated_at,
                '{lid}' as _dlt_load_id
            from {pr} where src = 'gitlab' and {in_window("pr_created")}""",
        "raw_gitlab.pipelines": f"""
            select number * 10 + 2 as id, number as iid, repo as project_path, 'ci' as name,
                'merge_request_event' as source, 'feature/' || i || '-change' as ref, head_sha as sha,
                case when hk % 10 = 0 then 'failed' else 'success' end as status, pr_created as created_at,
                pr_created + interval 10 minute as updated_at, pr_created as started_at,
                pr_created + interval 10 minute as finished_at, 600 as duration, 5.0 as queued_duration,
                assignee as user__username, 'https://gitlab.com/' || repo || '/-/pipelines/' || number as web_url,
                '{lid}' as _dlt_load_id
            from {pr} where src = 'gitlab' and {in_window("pr_created")}""",
        "raw_gitlab.deployments": f"""
            select number * 10 + 3 as id, number as iid, repo as project_path, 'production' as environment__name,
                'production' as environment__tier, 'main' as ref, merge_sha as sha,
                case when hk % 15 = 0 then 'failed' else 'success' end as status, dep_at as created_at,
                dep_at + interval 5 minute as updated_at, dep_at + interval 5 minute as finished_at,
                number * 10 + 2 as deployable__pipeline_id, 'success' as deployable__status,
                dep_at as deployable__started_at, dep_at + interval 5 minute as deployable__finished_at,
                'deploy-bot' as user__username, '{lid}' as _dlt_load_id
            from {dep} where src = 'gitlab' and {in_window("dep_at")}""",
    }


def _static_tables(con: duckdb.DuckDBPyConnection, n_items: int, lid: str) -> None:
    nproj = max(2, n_items // 100_000)
    jira_rows = ", ".join(
        f"('{10000 + k}', '{name.replace(chr(39), chr(39) * 2)}', "
        f"'{'new' if k == 0 else 'done' if k in (6, 8) else 'indeterminate'}', null, '{lid}')"
        for k, name in enumerate(JIRA)
    )
    con.execute(f"""
        create or replace table raw_jira.statuses as
        select * from (values {jira_rows}) as v(id, name, status_category_key, scope_project_id, _dlt_load_id)""")
    con.execute(f"""
        create or replace table raw_github.repositories as
        select p as id, 'acme/repo' || p as full_name, 'main' as default_branch,
            'https://github.com/acme/repo' || p as html_url, TIMESTAMPTZ '2024-01-01 00:00:00+00' as created_at,
            '{lid}' as _dlt_load_id
        from range({nproj}) as r(p)""")
    con.execute(f"""
        create or replace table raw_gitlab.projects as
        select 1000 + p as id, 'acme/group' || p || '/project' as project_path,
            'acme/group' || p || '/project' as path_with_namespace, 'main' as default_branch,
            'https://gitlab.com/acme/group' || p || '/project' as web_url, '{lid}' as _dlt_load_id
        from range({nproj}) as r(p)""")


def write_snapshot(path: str, n_items: int, cutoff: datetime = END, threads: int | None = None) -> dict[str, int]:
    """A fresh raw warehouse holding the organisation as of `cutoff` (one load). Returns rows per raw table."""
    lid = load_id(cutoff)
    with duckdb.connect(path) as con:
        if threads:
            con.execute(f"set threads = {threads}")
        con.execute("set TimeZone = 'UTC'")
        for schema in ("raw_jira", "raw_github", "raw_gitlab"):
            con.execute(f"create schema if not exists {schema}")
        _plan(con, n_items, cutoff)
        _static_tables(con, n_items, lid)
        for table, sql in {**_item_tables(con, lid, cutoff, False), **_event_tables(lid, None, cutoff)}.items():
            con.execute(f"create or replace table {table} as {sql}")
        return _counts(con)


def append_delta(path: str, n_items: int, since: datetime, until: datetime = END) -> dict[str, int]:
    """Move the warehouse from `since` to `until` like a nightly dlt merge load with a new load id.

    Items created or changed in (since, until] get their current-state rows replaced
    (delete + insert, as dlt's merge does); events stamped in the window are appended.
    Returns the number of rows written per raw table, and `items_touched`.
    """
    lid = load_id(until)
    written: dict[str, int] = {}
    with duckdb.connect(path) as con:
        con.execute("set TimeZone = 'UTC'")
        _plan(con, n_items, until)
        con.execute(f"""
            create or replace temp table bench_changed as
            select distinct i from bench_steps where ts > {_ts(since)}
            union
            select i from bench_items where has_pr and (
                created + to_hours(cast(24 + hash(i, 'prm') % 72 as bigint)) between {_ts(since)} and {_ts(until)}
                or created + to_hours(cast(2 + hash(i, 'prc') % 20 as bigint)) between {_ts(since)} and {_ts(until)})
        """)
        written["items_touched"] = con.execute("select count(*) from bench_changed").fetchone()[0]
        item_tables = _item_tables(con, lid, until, True)
        keys = {
            "raw_jira.issues": "id in (select cast(100000 + i as varchar) from bench_changed)",
            "raw_jira.issues__labels": "_dlt_parent_id in (select 'ji' || i from bench_changed)",
            "raw_github.issues": "id in (select i from bench_changed)",
            "raw_github.issues__labels": "_dlt_parent_id in (select 'gi' || i from bench_changed)",
            "raw_gitlab.issues": "id in (select i from bench_changed)",
            "raw_gitlab.issues__labels": "_dlt_parent_id in (select 'li' || i from bench_changed)",
            "raw_github.pull_requests": "id in (select (10000000 + i) * 10 from bench_changed)",
            "raw_gitlab.merge_requests": "id in (select (10000000 + i) * 10 from bench_changed)",
        }
        for table, sql in item_tables.items():
            con.execute(f"delete from {table} where {keys[table]}")
            written[table] = con.execute(f"insert into {table} by name {sql}").fetchone()[0]
        for table, sql in _event_tables(lid, since, until).items():
            written[table] = con.execute(f"insert into {table} by name {sql}").fetchone()[0]
    return written


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    rows = con.execute("""
        select schema_name || '.' || table_name, estimated_size from duckdb_tables()
        where schema_name like 'raw_%' order by 1""").fetchall()
    return {name: int(n) for name, n in rows}


def table_counts(path: str, schemas: tuple[str, ...]) -> dict[str, int]:
    """Exact row counts of every table and view in the given schemas."""
    with duckdb.connect(path, read_only=True) as con:
        names = con.execute(
            "select table_schema, table_name from information_schema.tables where table_schema in "
            f"({', '.join(repr(s) for s in schemas)}) order by 1, 2"
        ).fetchall()
        return {f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] for s, t in names}
