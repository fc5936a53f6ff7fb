with weeks as (
    select period_start, team, is_complete
    from "new"."marts"."flow_weekly"
),

completed as (
    select team, completed_date, 1 as completed_item, lead_time_hours, cycle_time_hours, cycle_time_days
    from "new"."marts"."flow_item_metrics"
    where state = 'done' and created_done is not true  -- created done: no flow observed, no sample
),

windows as (
    
    select
        weeks.period_start,
        weeks.is_complete,
        weeks.team,
        4 as window_weeks,
        cast(

    (weeks.period_start + (cast(-3 as bigint) * 7) * interval 1 day) as date) as window_start
    from weeks
    union all
    select
        weeks.period_start,
        weeks.is_complete,
        weeks.team,
        12 as window_weeks,
        cast(

    (weeks.period_start + (cast(-11 as bigint) * 7) * interval 1 day) as date) as window_start
    from weeks
    
),

windowed as (
    select windows.*, completed.completed_item, completed.lead_time_hours, completed.cycle_time_hours, completed.cycle_time_days
    from windows
    left join completed
        on completed.team = windows.team
        and completed.completed_date >= windows.window_start
        and completed.completed_date < 

    (windows.period_start + (cast(1 as bigint) * 7) * interval 1 day)
)

select
    period_start,
    is_complete,
    team,
    cast(window_weeks as integer) as window_weeks,
    window_start,
    cast(count(completed_item) as integer) as completed_items,
    percentile_cont(0.50) within group (order by lead_time_hours) as lead_time_p50_hours,
    percentile_cont(0.85) within group (order by lead_time_hours) as lead_time_p85_hours,
    percentile_cont(0.95) within group (order by lead_time_hours) as lead_time_p95_hours,
    percentile_cont(0.50) within group (order by cycle_time_hours) as cycle_time_p50_hours,
    percentile_cont(0.85) within group (order by cycle_time_hours) as cycle_time_p85_hours,
    percentile_cont(0.95) within group (order by cycle_time_hours) as cycle_time_p95_hours,
    percentile_cont(0.50) within group (order by cycle_time_days) as cycle_time_p50_days,
    percentile_cont(0.85) within group (order by cycle_time_days) as cycle_time_p85_days,
    percentile_cont(0.95) within group (order by cycle_time_days) as cycle_time_p95_days,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from windowed
group by period_start, is_complete, team, window_weeks, window_start