{{ config(
    schema="intermediate",
    materialized=incremental_or_table(),
    unique_key="work_item_id",
    incremental_strategy="delete+insert",
    pre_hook=["{{ delete_changed_items() }}", "{{ delete_deleted_items() }}"],
) }}
{#-
    flow_stage_time without the clock: work item × stage, its visits, the hours of the closed ones
    and when the current one began. Kept per work item: the pre-hooks take out the items that
    changed (macros/changed_items.sql) or were deleted upstream, and a build recomputes the changed
    items and those the table lacks (an item no longer deleted upstream). Nothing here moves with
    the as-of time, so a night rewrites no other row: the view flow_stage_time adds the current
    visit's hours.
-#}
-- depends_on: {{ ref('int_work_items_unioned') }}, {{ ref('int_work_items_held_out') }}, {{ ref('int_work_items_renamed') }}, {{ ref('int_work_items_deleted') }} (the pre-hooks and the incremental filter)
with items as (
    select work_item_id, team, flow_type, _dlt_load_id from {{ ref('work_items') }}
    where {{ flow_items_filter() }}
    {%- if is_incremental() %}
        and (
            work_item_id in (select work_item_id from {{ ref('int_work_items_unioned') }} where {{ is_changed_item() }})
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
    sum(case when not intervals.is_current then intervals.duration_hours end) as closed_hours,
    count(*) as visits,
    min(intervals.entered_at) as first_entered_at,
    max(intervals.exited_at) as last_exited_at,
    max(case when intervals.is_current then intervals.entered_at end) as current_entered_at,
    items._dlt_load_id,
    {{ refreshed_at() }} as rebuilt_at  {#- tests over what a night rewrote: rewritten_items.sql #}
from intervals
inner join items on intervals.work_item_id = items.work_item_id
left join stages on intervals.stage = stages.stage
group by
    intervals.work_item_id, items.team, items.flow_type, intervals.stage, stages.stage_order, intervals.stage_category,
    items._dlt_load_id
