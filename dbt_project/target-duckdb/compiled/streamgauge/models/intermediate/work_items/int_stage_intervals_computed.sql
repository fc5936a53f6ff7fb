

with items as (
    select work_item_id, source_system, project_key, created_at, _dlt_load_id
    from "new"."intermediate"."int_work_items_unioned"
    where 1 = 1
),

statuses as (
    select * from "new"."intermediate"."int_work_item_statuses"
),

mapping as (
    select * from "new"."intermediate"."int_status_stage_mapping"
),

steps as (
    select
        items.work_item_id,
        items.created_at as entered_at,
        0 as step,
        statuses.initial_status_raw as status_raw,
        coalesce(mapping.stage, 'unmapped') as stage
    from items
    inner join statuses on items.work_item_id = statuses.work_item_id
    left join mapping
        on mapping.source_system = items.source_system
        and mapping.project_key = items.project_key
        and mapping.status_raw = statuses.initial_status_raw

    union all

    select
        transitions.work_item_id,
        case when transitions.transitioned_at < items.created_at then items.created_at else transitions.transitioned_at end,
        transitions.transition_number,
        transitions.to_status_raw,
        transitions.to_stage
    from "new"."intermediate"."int_transitions_classified" as transitions
    inner join items on transitions.work_item_id = items.work_item_id
),

step_ends as (
    select *, lead(entered_at) over (partition by work_item_id order by entered_at, step) as next_at
    from steps
),

lasting as (
    select * from step_ends where next_at is null or next_at > entered_at
),

with_previous as (
    select *, lag(stage) over (partition by work_item_id order by entered_at, step) as previous_stage
    from lasting
),

visits as (
    select * from with_previous where previous_stage is null or previous_stage <> stage
)

select
    visits.work_item_id,
    row_number() over (partition by visits.work_item_id, visits.stage order by visits.entered_at) as visit_number,
    row_number() over (partition by visits.work_item_id order by visits.entered_at) as interval_number,
    visits.stage,
    stages.category as stage_category,
    stages.is_blocked as is_blocked_stage,
    visits.status_raw,
    visits.entered_at,
    lead(visits.entered_at) over (partition by visits.work_item_id order by visits.entered_at) as exited_at,
    items._dlt_load_id
from visits
inner join items on visits.work_item_id = items.work_item_id
inner join "new"."seeds"."stages" as stages on visits.stage = stages.stage