with source as (
    
    select
        cast("project_path" as varchar) as "project_path",
        cast("merge_request_iid" as bigint) as "merge_request_iid",
        cast("merge_request_id" as bigint) as "merge_request_id",
        cast("user_id" as bigint) as "user_id",
        cast("username" as varchar) as "username",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_gitlab"."merge_request_approvals"
),

deduplicated as (
    select *
    from (
        select *, row_number() over (partition by project_path, merge_request_iid, user_id order by _dlt_load_id desc) as _row_rank
        from source
    ) as ranked
    where _row_rank = 1
)

select
    project_path,
    merge_request_iid,
    merge_request_id,
    user_id as approver_id,
    username as approver_username,
    _dlt_load_id
from deduplicated