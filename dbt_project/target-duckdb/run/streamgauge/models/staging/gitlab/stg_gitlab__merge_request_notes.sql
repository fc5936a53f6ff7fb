
  
  create view "new"."staging"."stg_gitlab__merge_request_notes__dbt_tmp" as (
    with source as (
    
    select
        cast("id" as bigint) as "id",
        cast("project_path" as varchar) as "project_path",
        cast("merge_request_iid" as bigint) as "merge_request_iid",
        cast("merge_request_id" as bigint) as "merge_request_id",
        cast("author__username" as varchar) as "author__username",
        cast("review_action" as varchar) as "review_action",
        cast("type" as varchar) as "type",
        cast("system" as boolean) as "system",
        cast(cast("created_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "created_at",
        cast(cast("updated_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "updated_at",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_gitlab"."merge_request_notes"
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
    id as note_id,
    project_path,
    merge_request_iid,
    merge_request_id,
    author__username as author_username,
    review_action,
    type as note_type,
    coalesce(system, false) as is_system,
    created_at,
    updated_at,
    _dlt_load_id
from deduplicated
  );
