with github as (
    select * from "new"."staging"."stg_github__pull_requests"
),

gitlab as (
    select * from "new"."staging"."stg_gitlab__merge_requests"
),

github_unified as (
    select
        'github:' || repository_id || ':pr:' || cast(pull_number as varchar) as pull_request_id,
        'github' as source_system,
        repository,
        pull_number as number,
        title,
        body,
        url,
        author_login as author,
        coalesce(author_is_bot, false) or coalesce(regexp_matches(author_login, '(\[bot\]$|-bot$|^bot-|^dependabot|^renovate)', 'i'), false) as is_bot,
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
        'gitlab:' || project_path || ':mr:' || cast(merge_request_iid as varchar) as pull_request_id,
        'gitlab' as source_system,
        project_path as repository,
        merge_request_iid as number,
        title,
        description as body,
        url,
        author_username as author,
        coalesce(regexp_matches(author_username, '(\[bot\]$|-bot$|^bot-|^dependabot|^renovate)', 'i'), false) as is_bot,
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