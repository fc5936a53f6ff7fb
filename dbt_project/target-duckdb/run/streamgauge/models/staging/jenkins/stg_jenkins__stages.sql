
  
  create view "new"."staging"."stg_jenkins__stages__dbt_tmp" as (
    with source as (
    
    select
        cast("job" as varchar) as "job",
        cast("number" as bigint) as "number",
        cast("stage_id" as varchar) as "stage_id",
        cast("name" as varchar) as "name",
        cast("status" as varchar) as "status",
        cast(cast("started_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "started_at",
        cast("duration_ms" as bigint) as "duration_ms",
        cast("pause_duration_ms" as bigint) as "pause_duration_ms",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_jenkins"."stages"
),

deduplicated as (
    select *
    from (
        select *, row_number() over (partition by job, number, stage_id order by _dlt_load_id desc) as _row_rank
        from source
    ) as ranked
    where _row_rank = 1
)

select
    job || '#' || cast(number as varchar) as build_key,
    stage_id,
    name as stage_name,
    status,
    started_at,
    duration_ms,
    pause_duration_ms,
    _dlt_load_id
from deduplicated
  );
