{#-
    Stage visits of every work item; the current one runs to the as-of time. A view, so that the
    current visits' durations are always measured to this build's as-of time while the visits
    themselves are maintained incrementally.
-#}
{{ config(materialized="view") }}
with intervals as (
    select * from {{ ref('int_stage_intervals_computed') }}
),

measured as (
    select
        *,
        {{ dbt.datediff('entered_at', 'coalesce(exited_at, ' ~ as_of() ~ ')', 'second') }} / 3600.0e0 as hours
    from intervals
)

select
    work_item_id,
    cast(interval_number as integer) as interval_number,
    cast(visit_number as integer) as visit_number,
    stage,
    stage_category,
    status_raw,
    entered_at,
    exited_at,
    -- never clamped: a negative span (as_of before the data) is null and counted by a check
    case when hours >= 0 then hours end as duration_hours,
    exited_at is null as is_current,
    {{ refreshed_at() }} as refreshed_at
from measured
