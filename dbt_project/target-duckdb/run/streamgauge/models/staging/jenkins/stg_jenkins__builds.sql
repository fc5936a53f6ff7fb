
  
  create view "new"."staging"."stg_jenkins__builds__dbt_tmp" as (
    with source as (
    
    select
        cast("job" as varchar) as "job",
        cast("number" as bigint) as "number",
        cast("build_class" as varchar) as "build_class",
        cast("url" as varchar) as "url",
        cast("result" as varchar) as "result",
        cast("building" as boolean) as "building",
        cast("in_progress" as boolean) as "in_progress",
        cast(cast("started_at" as timestamp with time zone) at time zone 'UTC' as timestamp) as "started_at",
        cast("duration_ms" as bigint) as "duration_ms",
        cast("estimated_duration_ms" as bigint) as "estimated_duration_ms",
        cast("queue_id" as bigint) as "queue_id",
        cast("queuing_duration_ms" as bigint) as "queuing_duration_ms",
        cast("description" as varchar) as "description",
        cast("_dlt_id" as varchar) as "_dlt_id",
        cast("_dlt_load_id" as varchar) as "_dlt_load_id"
    from "new"."raw_jenkins"."builds"
),

deduplicated as (
    select *
    from (
        select *, row_number() over (partition by job, number order by _dlt_load_id desc) as _row_rank
        from source
    ) as ranked
    where _row_rank = 1
)

select
    job,
    number,
    job || '#' || cast(number as varchar) as build_key,
    -- the Jenkins host, e.g. ci.example.com: the instance of every Jenkins id
    split_part(split_part(split_part(url, '://', 2), '/', 1), ':', 1) as instance,
    build_class,
    url,
    result,
    coalesce(building, false) as is_building,
    -- Jenkins' `timestamp`: when the build left the queue and began
    started_at,
    duration_ms,
    queuing_duration_ms,
    queue_id,
    description,
    _dlt_id,
    _dlt_load_id
from deduplicated
  );
