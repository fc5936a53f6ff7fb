
  
  create view "new"."staging"."stg_gitlab__merge_requests__dbt_tmp" as (
    with source as (
    
    select
        cast("id" as bigint) as "id",
        cast("iid" as bigint) as "iid",
        cast("project_path" as varchar) as "project_path",
        cast("title" as varchar) as "title",
        cast("description" as varchar) as "description",
        cast("state" as varchar) as "state",
        cast("draft" as boolean) as "draft",
        cast("work_in_progress" as boolean) as "work_in_progress",
        cast("author__username" as varchar) as "author__username",
        cast("source_branch" as varchar) as "source_branch",
        cast("target_branch" as varchar) as "target_branch",
        cast("sha" as varchar) as "sha",
        cast("merge_commit_sha" as varchar) as "merge_commit_sha",
        cast("squash_commit_sha" as varchar) as "squash_commit_sha",
        cast("squash" as boolean) as "squash",
        cast(cast("created_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "created_at",
        cast(cast("updated_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "updated_at",
        cast(cast("merged_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "merged_at",
        cast(cast("closed_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "closed_at",
        cast("merge_user__username" as varchar) as "merge_user__username",
        cast("merged_by__username" as varchar) as "merged_by__username",
        cast("web_url" as varchar) as "web_url",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_gitlab"."merge_requests"
),

deduplicated as (
    select *
    from (
        select *, row_number() over (partition by id order by updated_at desc, _dlt_load_id desc) as _row_rank
        from source
    ) as ranked
    where _row_rank = 1
)

select
    id as merge_request_id,
    project_path,
    iid as merge_request_iid,
    title,
    description,
    state,
    coalesce(draft, work_in_progress, false) as is_draft,
    author__username as author_username,
    source_branch,
    target_branch,
    sha as head_sha,
    merge_commit_sha,
    squash_commit_sha,
    coalesce(squash, false) as is_squash,
    created_at,
    updated_at,
    merged_at,
    closed_at,
    coalesce(merge_user__username, merged_by__username) as merged_by_username,
    web_url as url,
    _dlt_load_id
from deduplicated
  );
