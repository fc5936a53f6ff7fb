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
    changed items, and those whose current stage they visited before (their closed visits' hours
    are not kept apart).
-#}
-- depends_on: {{ ref('int_work_items_held_out') }}, {{ ref('int_work_items_deleted') }} (the pre-hooks and the incremental filter)
{%- set loaded = ref('int_work_items_unioned') %}
with items as (
    select items.work_item_id, items.team, items.flow_type, loaded._dlt_load_id
    from {{ ref('work_items') }} as items
    inner join {{ loaded }} as loaded on items.work_item_id = loaded.work_item_id
    where {{ flow_items_filter('items') }}
    {%- if is_incremental() %}
        and items.work_item_id in (
            select work_item_id from {{ loaded }} where {{ is_changed_item() }}
            union all
            select work_item_id from {{ this }} where is_current_stage and visits > 1
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
