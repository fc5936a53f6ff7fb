with source as (
    
    select
        cast("id" as bigint) as "id",
        cast("repository" as varchar) as "repository",
        cast("number" as bigint) as "number",
        cast("title" as varchar) as "title",
        cast("body" as varchar) as "body",
        cast("state" as varchar) as "state",
        cast("draft" as boolean) as "draft",
        cast("user__login" as varchar) as "user__login",
        cast("user__type" as varchar) as "user__type",
        cast("base__ref" as varchar) as "base__ref",
        cast("head__ref" as varchar) as "head__ref",
        cast("head__sha" as varchar) as "head__sha",
        cast("merge_commit_sha" as varchar) as "merge_commit_sha",
        cast(cast("created_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "created_at",
        cast(cast("updated_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "updated_at",
        cast(cast("merged_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "merged_at",
        cast(cast("closed_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "closed_at",
        cast("additions" as bigint) as "additions",
        cast("deletions" as bigint) as "deletions",
        cast("changed_files" as bigint) as "changed_files",
        cast("commits" as bigint) as "commits",
        cast("html_url" as varchar) as "html_url",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_github"."pull_requests"
),

resolved as (
    select source.*, names.repository_id, names.repository as current_repository
    from source
    left join "new"."staging"."stg_github__repository_names" as names on lower(source.repository) = names.name
),

deduplicated as (
    select *
    from (
        select *, row_number() over (partition by id order by updated_at desc, _dlt_load_id desc) as _row_rank
        from resolved
    ) as ranked
    where _row_rank = 1
)

select
    id as pull_request_id,
    current_repository as repository,
    repository_id,
    number as pull_number,
    title,
    body,
    state,
    coalesce(draft, false) as is_draft,
    user__login as author_login,
    user__type = 'Bot' as author_is_bot,
    base__ref as base_branch,
    head__ref as head_branch,
    head__sha as head_sha,
    merge_commit_sha,
    created_at,
    updated_at,
    merged_at,
    closed_at,
    additions,
    deletions,
    changed_files,
    commits as commit_count,
    html_url as url,
    _dlt_load_id
from deduplicated