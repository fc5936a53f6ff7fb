
  
    
  create view "new"."core"."work_item_stage_intervals__dbt_tmp" as (
    
with intervals as (
    select * from "new"."intermediate"."int_stage_intervals_computed"
),

measured as (
    select
        *,
        
        (date_diff('second', entered_at::timestamp, coalesce(exited_at, cast('2026-11-02 00:00:00' as timestamp))::timestamp ))
     / 3600.0e0 as hours
    from intervals
)

select
    work_item_id,
    cast(interval_number as integer) as interval_number,
    cast(visit_number as integer) as visit_number,
    stage,
    stage_category,
    status_raw,
    entered_at,
    exited_at,
    -- never clamped: a negative span (as_of before the data) is null and counted by a check
    case when hours >= 0 then hours end as duration_hours,
    exited_at is null as is_current,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from measured
  );
