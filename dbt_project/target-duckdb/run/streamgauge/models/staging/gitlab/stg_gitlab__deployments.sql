
  
  create view "new"."staging"."stg_gitlab__deployments__dbt_tmp" as (
    with source as (
    
    select
        cast("id" as bigint) as "id",
        cast("iid" as bigint) as "iid",
        cast("project_path" as varchar) as "project_path",
        cast("environment__name" as varchar) as "environment__name",
        cast("environment__tier" as varchar) as "environment__tier",
        cast("ref" as varchar) as "ref",
        cast("sha" as varchar) as "sha",
        cast("status" as varchar) as "status",
        cast(cast("created_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "created_at",
        cast(cast("updated_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "updated_at",
        cast(cast("finished_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "finished_at",
        cast("deployable__pipeline_id" as bigint) as "deployable__pipeline_id",
        cast("deployable__status" as varchar) as "deployable__status",
        cast(cast("deployable__started_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "deployable__started_at",
        cast(cast("deployable__finished_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "deployable__finished_at",
        cast("user__username" as varchar) as "user__username",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_gitlab"."deployments"
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
    id as deployment_id,
    project_path,
    iid as deployment_iid,
    environment__name as environment,
    environment__tier as environment_tier,
    ref,
    sha,
    status,
    created_at,
    updated_at,
    finished_at,
    deployable__pipeline_id as pipeline_id,
    deployable__status as job_status,
    deployable__started_at as job_started_at,
    deployable__finished_at as job_finished_at,
    user__username as user_username,
    _dlt_load_id
from deduplicated
  );
