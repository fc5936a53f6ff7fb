{{ config(schema="intermediate", materialized="table") }}  {#- a step of the three value_stream_ marts -#}
{#-
    The items a value stream map describes: each team's items completed in the trailing
    `value_stream_window_days` before the as-of time (bulk completions already left out by
    flow_item_metrics, items created done left out here), with the lead window [created_at, completed_at] the map divides into stages.
-#}
with items as (
    select * from {{ ref('flow_item_metrics') }}
)

select
    work_item_id,
    team,
    created_at,
    started_at,
    completed_at,
    lead_time_hours,
    cycle_time_hours,
    active_hours,
    rework_count,
    {{ dbt.dateadd('day', -1 * var('value_stream_window_days'), as_of()) }} as window_start,
    {{ as_of() }} as window_end
from items
where state = 'done'
    and created_done is not true  -- born done: no stage was observed, nothing to divide
    and lead_time_hours is not null
    and cycle_time_hours is not null
    and completed_at > {{ dbt.dateadd('day', -1 * var('value_stream_window_days'), as_of()) }}
    and completed_at <= {{ as_of() }}
