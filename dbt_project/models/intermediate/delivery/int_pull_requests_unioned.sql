{#-
    GitHub pull requests and GitLab merge requests in one vocabulary, one row each.

    merge_sha is the commit the merge put on the base branch: GitHub's merge_commit_sha (a
    merge, squash or rebase commit); GitLab's merge commit, else its squash commit, else (a
    fast-forward merge) the head. is_bot: the API says Bot, or the login matches `bot_login_regex`.
-#}
with github as (
    select * from {{ ref('stg_github__pull_requests') }}
),

gitlab as (
    select * from {{ ref('stg_gitlab__merge_requests') }}
),

github_unified as (
    select
        {{ canonical_id('pull_request', 'github', 'repository_id', 'pull_number') }} as pull_request_id,
        'github' as source_system,
        repository,
        pull_number as number,
        title,
        body,
        url,
        author_login as author,
        coalesce(author_is_bot, false) or coalesce({{ regex_matches('author_login', var('bot_login_regex')) }}, false) as is_bot,
        base_branch,
        head_branch,
        head_sha,
        merge_commit_sha as merge_sha,
        is_draft,
        case when merged_at is not null then 'merged' when state = 'closed' then 'closed' else 'open' end as state,
        created_at,
        updated_at,
        merged_at,
        coalesce(closed_at, merged_at) as closed_at,
        additions,
        deletions,
        changed_files,
        commit_count,
        _dlt_load_id
    from github
),

gitlab_unified as (
    select
        {{ canonical_id('pull_request', 'gitlab', 'project_path', 'merge_request_iid') }} as pull_request_id,
        'gitlab' as source_system,
        project_path as repository,
        merge_request_iid as number,
        title,
        description as body,
        url,
        author_username as author,
        coalesce({{ regex_matches('author_username', var('bot_login_regex')) }}, false) as is_bot,
        target_branch as base_branch,
        source_branch as head_branch,
        head_sha,
        case when merged_at is not null then coalesce(merge_commit_sha, squash_commit_sha, head_sha) end as merge_sha,
        is_draft,
        case when merged_at is not null or state = 'merged' then 'merged' when state = 'closed' then 'closed' else 'open' end as state,
        created_at,
        updated_at,
        merged_at,
        coalesce(closed_at, merged_at) as closed_at,
        cast(null as bigint) as additions,
        cast(null as bigint) as deletions,
        cast(null as bigint) as changed_files,
        cast(null as bigint) as commit_count,
        _dlt_load_id
    from gitlab
)

select * from github_unified
union all
select * from gitlab_unified
