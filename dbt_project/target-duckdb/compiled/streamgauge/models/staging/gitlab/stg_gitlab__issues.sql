with source as (
    
    select
        cast("id" as bigint) as "id",
        cast("iid" as bigint) as "iid",
        cast("project_path" as varchar) as "project_path",
        cast("title" as varchar) as "title",
        cast("description" as varchar) as "description",
        cast("state" as varchar) as "state",
        cast("issue_type" as varchar) as "issue_type",
        cast("severity" as varchar) as "severity",
        cast(cast("created_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "created_at",
        cast(cast("updated_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "updated_at",
        cast(cast("closed_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "closed_at",
        cast("author__username" as varchar) as "author__username",
        cast("assignee__username" as varchar) as "assignee__username",
        cast("web_url" as varchar) as "web_url",
        cast(null as varchar) as "_links__closed_as_duplicate_of",
        cast("_dlt_id" as varchar) as "_dlt_id",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_gitlab"."issues"
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
    id as issue_id,
    project_path,
    iid as issue_iid,
    title,
    description,
    state,
    coalesce(issue_type, 'issue') as issue_type,
    severity,
    created_at,
    updated_at,
    closed_at,
    author__username as author_username,
    assignee__username as assignee_username,
    web_url as url,
    _links__closed_as_duplicate_of as closed_as_duplicate_of,
    _dlt_id,
    _dlt_load_id
from deduplicated