{#- Work item × stage: hours spent there over all visits (the current one to the as-of time). -#}
with items as (
    select work_item_id, team, flow_type from {{ ref('work_items') }}
    where {{ flow_items_filter() }}
),

intervals as (
    select * from {{ ref('work_item_stage_intervals') }}
),

stages as (
    select stage, stage_order from {{ ref('stages') }}
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
    {{ as_of() }} as as_of,
    {{ refreshed_at() }} as refreshed_at
from intervals
inner join items on intervals.work_item_id = items.work_item_id
left join stages on intervals.stage = stages.stage
group by
    intervals.work_item_id, items.team, items.flow_type, intervals.stage, stages.stage_order, intervals.stage_category
