
    

    create  table
      "new"."marts"."flow_stage_time__dbt_tmp"
  
    
    as (
      with items as (
    select work_item_id, team, flow_type from "new"."core"."work_items"
    where deleted_at is null and not completed_in_bulk
),

intervals as (
    select * from "new"."core"."work_item_stage_intervals"
),

stages as (
    select stage, stage_order from "new"."seeds"."stages"
)

select
    intervals.work_item_id,
    items.team,
    items.flow_type,
    intervals.stage,
    stages.stage_order,
    intervals.stage_category,
    sum(intervals.duration_hours) as total_hours,
    count(*) as visits,
    min(intervals.entered_at) as first_entered_at,
    max(intervals.exited_at) as last_exited_at,
    max(case when intervals.is_current then 1 else 0 end) = 1 as is_current_stage,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from intervals
inner join items on intervals.work_item_id = items.work_item_id
left join stages on intervals.stage = stages.stage
group by
    intervals.work_item_id, items.team, items.flow_type, intervals.stage, stages.stage_order, intervals.stage_category
    );
    
  