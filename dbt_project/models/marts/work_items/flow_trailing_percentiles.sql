{#-
    Team × ISO week × trailing window: lead and cycle time percentiles over the items completed
    in the `window_weeks` weeks that end with the week (var `trailing_window_weeks`, default 4
    and 12). A week's own percentiles rest on the few items it finished; the trend people ask
    for is this one, and it cannot be recomputed from weekly percentiles.
-#}
{%- set usual = [0.50, 0.85, 0.95] %}  {#- the fractions taken of each measure: one aggregate on DuckDB -#}
with weeks as (
    select period_start, team, is_complete
    from {{ ref('flow_weekly') }}
),

completed as (
    select team, completed_date, 1 as completed_item, lead_time_hours, cycle_time_hours, cycle_time_days
    from {{ ref('flow_item_metrics') }}
    where state = 'done' and created_done is not true  -- created done: no flow observed, no sample
),

windows as (
    {{ trailing_windows('weeks') }}
),

windowed as (
    select windows.*, completed.completed_item, completed.lead_time_hours, completed.cycle_time_hours, completed.cycle_time_days
    from windows
    left join completed
        on completed.team = windows.team
        and completed.completed_date >= windows.window_start
        and completed.completed_date < {{ dbt.dateadd('week', 1, 'windows.period_start') }}
)

select
    period_start,
    is_complete,
    team,
    cast(window_weeks as integer) as window_weeks,
    window_start,
    cast(count(completed_item) as integer) as completed_items,
    {{ percentile(0.50, 'lead_time_hours', usual) }} as lead_time_p50_hours,
    {{ percentile(0.85, 'lead_time_hours', usual) }} as lead_time_p85_hours,
    {{ percentile(0.95, 'lead_time_hours', usual) }} as lead_time_p95_hours,
    {{ percentile(0.50, 'cycle_time_hours', usual) }} as cycle_time_p50_hours,
    {{ percentile(0.85, 'cycle_time_hours', usual) }} as cycle_time_p85_hours,
    {{ percentile(0.95, 'cycle_time_hours', usual) }} as cycle_time_p95_hours,
    {{ percentile(0.50, 'cycle_time_days', usual) }} as cycle_time_p50_days,
    {{ percentile(0.85, 'cycle_time_days', usual) }} as cycle_time_p85_days,
    {{ percentile(0.95, 'cycle_time_days', usual) }} as cycle_time_p95_days,
    {{ as_of() }} as as_of,
    {{ refreshed_at() }} as refreshed_at
from windowed
group by period_start, is_complete, team, window_weeks, window_start
