with source as (
    
    select
        cast("note_id" as bigint) as "note_id",
        cast("action" as varchar) as "action",
        cast("username" as varchar) as "username",
        cast("position" as bigint) as "position",
        cast("project_path" as varchar) as "project_path",
        cast("issue_iid" as bigint) as "issue_iid",
        cast(cast("created_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "created_at",
        cast("author__username" as varchar) as "author__username",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_gitlab"."issue_assignee_changes"
),

deduplicated as (
    select *
    from (
        select *, row_number() over (partition by note_id, action, username order by _dlt_load_id desc) as _row_rank
        from source
    ) as ranked
    where _row_rank = 1
)

select
    note_id,
    position,
    project_path,
    issue_iid,
    action,
    username,
    created_at as changed_at,
    author__username as actor_username,
    _dlt_load_id
from deduplicated