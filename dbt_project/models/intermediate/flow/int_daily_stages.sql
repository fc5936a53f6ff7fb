{#- Work item × reporting day: the stage the item was in when the day ended (from its creation on). -#}
with days as (
    select * from {{ ref('int_reporting_days') }}
),

intervals as (
    select * from {{ ref('work_item_stage_intervals') }}
),

items as (
    select work_item_id, team, flow_type from {{ ref('work_items') }}
    where {{ bulk_filter() }}
)

select
    days.day,
    items.work_item_id,
    items.team,
    items.flow_type,
    intervals.stage,
    intervals.stage_category
from intervals
inner join items on intervals.work_item_id = items.work_item_id
inner join days
    on intervals.entered_at < days.day_ends_at
    -- coalesce, not "is null or": an OR here turns DuckDB's range join into a nested loop
    and coalesce(intervals.exited_at, cast('9999-12-31' as timestamp)) >= days.day_ends_at
