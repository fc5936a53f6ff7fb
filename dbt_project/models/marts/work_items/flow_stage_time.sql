{{ config(materialized="view") }}
{#-
    Work item × stage: hours spent there over all visits (the current one to the as-of time).
    A view over int_flow_stage_visits_summed, which is kept per work item and holds nothing that
    moves with the clock: the current visit's hours are added here, as a full build sums every
    visit's (work_item_stage_intervals: a negative span, as_of before the visit, counts as none).
-#}
with visits as (
    select
        *,
        {{ dbt.datediff('current_entered_at', as_of(), 'second') }} / 3600.0e0 as current_hours
    from {{ ref('int_flow_stage_visits_summed') }}
),

measured as (
    select *, case when current_hours >= 0 then current_hours end as current_visit_hours
    from visits
)

select
    work_item_id,
    team,
    flow_type,
    stage,
    stage_order,
    stage_category,
    coalesce(closed_hours + current_visit_hours, closed_hours, current_visit_hours) as total_hours,
    visits,
    first_entered_at,
    last_exited_at,
    current_entered_at is not null as is_current_stage,
    {{ as_of() }} as as_of,
    {{ refreshed_at() }} as refreshed_at,
    _dlt_load_id
from measured
