
  
  create view "new"."staging"."stg_gitlab__pipelines__dbt_tmp" as (
    with source as (
    
    select
        cast("id" as bigint) as "id",
        cast("iid" as bigint) as "iid",
        cast("project_path" as varchar) as "project_path",
        cast("name" as varchar) as "name",
        cast("source" as varchar) as "source",
        cast("ref" as varchar) as "ref",
        cast("sha" as varchar) as "sha",
        cast("status" as varchar) as "status",
        cast(cast("created_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "created_at",
        cast(cast("updated_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "updated_at",
        cast(cast("started_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "started_at",
        cast(cast("finished_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "finished_at",
        cast("duration" as bigint) as "duration",
        cast("queued_duration" as double precision) as "queued_duration",
        cast("user__username" as varchar) as "user__username",
        cast("web_url" as varchar) as "web_url",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_gitlab"."pipelines"
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
    id as pipeline_id,
    project_path,
    iid as pipeline_iid,
    name as pipeline_name,
    source as event,
    ref as branch,
    sha as head_sha,
    status,
    created_at,
    updated_at,
    started_at,
    finished_at,
    duration as duration_seconds,
    queued_duration as queued_seconds,
    user__username as user_username,
    web_url as url,
    _dlt_load_id
from deduplicated
  );
