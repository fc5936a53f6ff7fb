{{ config(
    materialized=incremental_or_table(),
    unique_key="work_item_id",
    incremental_strategy="delete+insert",
    pre_hook=["{{ delete_changed_items() }}", "{{ advance_current_visits() }}"],
) }}
{#-
    Work item × stage: hours spent there over all visits (the current one to the as-of time).
    Kept per work item, since a night moves little more than the current visits: the pre-hooks
    take out the items that changed (macros/changed_items.sql) or were deleted upstream, and
    measure every other item's current stage to the new as-of time. A build recomputes the
    changed items, those whose current stage they visited before (their closed visits' hours are
    not kept apart), and those the table lacks (an item no longer deleted upstream).
-#}
-- depends_on: {{ ref('int_work_items_unioned') }}, {{ ref('int_work_items_held_out') }}, {{ ref('int_work_items_renamed') }}, {{ ref('int_work_items_deleted') }} (the pre-hooks and the incremental filter)
with items as (
    select work_item_id, team, flow_type, _dlt_load_id from {{ ref('work_items') }}
    where {{ flow_items_filter() }}
    {%- if is_incremental() %}
        and (
            work_item_id in (select work_item_id from {{ ref('int_work_items_unioned') }} where {{ is_changed_item() }})
            or work_item_id in (select work_item_id from {{ this }} where is_current_stage and visits > 1)
            -- back in the flow with no load of its own: no longer deleted upstream (a later listing had it)
            or work_item_id not in (select work_item_id from {{ this }})
        )
    {%- endif %}
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
    {{ refreshed_at() }} as refreshed_at,
    items._dlt_load_id
from intervals
inner join items on intervals.work_item_id = items.work_item_id
left join stages on intervals.stage = stages.stage
group by
    intervals.work_item_id, items.team, items.flow_type, intervals.stage, stages.stage_order, intervals.stage_category,
    items._dlt_load_id
