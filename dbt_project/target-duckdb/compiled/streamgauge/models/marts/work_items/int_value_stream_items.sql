with items as (
    select * from "new"."marts"."flow_item_metrics"
)

select
    work_item_id,
    team,
    created_at,
    started_at,
    completed_at,
    lead_time_hours,
    cycle_time_hours,
    active_hours,
    rework_count,
    

    (cast('2026-11-02 00:00:00' as timestamp) + cast(-90 as bigint) * interval 1 day) as window_start,
    cast('2026-11-02 00:00:00' as timestamp) as window_end
from items
where state = 'done'
    and created_done is not true  -- born done: no stage was observed, nothing to divide
    and lead_time_hours is not null
    and cycle_time_hours is not null
    and completed_at > 

    (cast('2026-11-02 00:00:00' as timestamp) + cast(-90 as bigint) * interval 1 day)
    and completed_at <= cast('2026-11-02 00:00:00' as timestamp)