{{ config(materialized="incremental", unique_key="work_item_id", incremental_strategy="delete+insert") }}
{#-
    Every status change of every work item, with the stages it left and entered.
    Incremental: a nightly build recomputes only the items loaded since the last one (a bulk
    change is recognised among those items' transitions, which is where one lands).

    direction: `same` (the stage did not change), `reopen` (out of a done stage), `forward` or
    `backward` (by stage order). is_rework follows metrics.md's backward move: a reopen, or a
    move to a lower stage with both stages started (active or wait). is_bulk marks transitions
    made by one actor at least `bulk_min_transitions` times within `bulk_window_seconds`.
-#}
with items as (
    select work_item_id, source_system, project_key, created_at, _dlt_load_id
    from {{ ref('int_work_items_unioned') }}
    where {{ is_changed_item() }}
),

transitions as (
    select * from {{ ref('int_status_transitions_unioned') }}
    where work_item_id in (select work_item_id from items)
),

mapping as (
    select * from {{ ref('int_status_stage_mapping') }}
),

stages as (
    select * from {{ ref('stages') }}
),

mapped as (
    select
        transitions.*,
        items.source_system,
        items._dlt_load_id,
        from_map.stage as from_stage,
        to_map.stage as to_stage,
        from_stage.stage_order as from_stage_order,
        to_stage.stage_order as to_stage_order,
        from_stage.category as from_stage_category,
        to_stage.category as to_stage_category
    from transitions
    inner join items on transitions.work_item_id = items.work_item_id
    left join mapping as from_map
        on from_map.source_system = items.source_system
        and from_map.project_key = items.project_key
        and from_map.status_raw = transitions.from_status_raw
    left join mapping as to_map
        on to_map.source_system = items.source_system
        and to_map.project_key = items.project_key
        and to_map.status_raw = transitions.to_status_raw
    left join stages as from_stage on from_map.stage = from_stage.stage
    left join stages as to_stage on to_map.stage = to_stage.stage
),

burst_sizes as (
    select
        *,
        count(*) over (
            partition by actor order by transitioned_at
            range between current row and interval '{{ var("bulk_window_seconds") }} seconds' following
        ) as burst_size
    from mapped
),

bursts as (
    select
        *,
        max(case when burst_size >= {{ var('bulk_min_transitions') }} then 1 else 0 end) over (
            partition by actor order by transitioned_at
            range between interval '{{ var("bulk_window_seconds") }} seconds' preceding and current row
        ) as in_burst
    from burst_sizes
)

select
    work_item_id || ':' || source_event_id as transition_id,
    work_item_id,
    source_system,
    row_number() over (partition by work_item_id order by transitioned_at, event_order) as transition_number,
    transitioned_at,
    actor,
    from_status_raw,
    to_status_raw,
    from_stage,
    to_stage,
    from_stage_order,
    to_stage_order,
    from_stage_category,
    to_stage_category,
    case
        when from_stage = to_stage then 'same'
        when from_stage_category = 'done' then 'reopen'
        when to_stage_order > from_stage_order then 'forward'
        else 'backward'
    end as direction,
    (from_stage_category = 'done' and from_stage <> to_stage)
    or (
        to_stage_order < from_stage_order
        and from_stage_category in ('active', 'wait')
        and to_stage_category in ('active', 'wait')
    ) as is_rework,
    actor is not null and in_burst = 1 as is_bulk,
    source_event_id,
    _dlt_load_id
from bursts
