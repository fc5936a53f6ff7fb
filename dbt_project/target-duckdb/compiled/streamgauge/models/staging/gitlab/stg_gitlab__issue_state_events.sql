with source as (
    
    select
        cast("id" as bigint) as "id",
        cast("project_path" as varchar) as "project_path",
        cast("issue_iid" as bigint) as "issue_iid",
        cast("state" as varchar) as "state",
        cast(cast("created_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "created_at",
        cast("user__username" as varchar) as "user__username",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_gitlab"."issue_state_events"
),

deduplicated as (
    select *
    from (
        select *, row_number() over (partition by id order by _dlt_load_id desc) as _row_rank
        from source
    ) as ranked
    where _row_rank = 1
)

select
    id as event_id,
    project_path,
    issue_iid,
    state,
    created_at,
    user__username as actor_username,
    _dlt_load_id
from deduplicated