
    

    create  table
      "new"."marts"."pr_trailing_percentiles__dbt_tmp"
  
    
    as (
      with weeks as (
    select distinct period_start, team, is_complete
    from "new"."marts"."pr_weekly"
),

merged as (
    select team, merged_week_start, 1 as merged_pr, pr_cycle_hours, pickup_hours, review_hours, lead_time_for_changes_hours
    from "new"."marts"."pr_cycle_time"
    where merged_at is not null and not is_bot
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
    select windows.*, merged.merged_pr, merged.pr_cycle_hours, merged.pickup_hours, merged.review_hours, merged.lead_time_for_changes_hours
    from windows
    left join merged
        on merged.team = windows.team
        and merged.merged_week_start >= windows.window_start
        and merged.merged_week_start <= windows.period_start
)

select
    period_start,
    is_complete,
    team,
    cast(window_weeks as integer) as window_weeks,
    window_start,
    cast(count(merged_pr) as integer) as prs_merged,
    percentile_cont(0.50) within group (order by pr_cycle_hours) as pr_cycle_hours_p50,
    percentile_cont(0.85) within group (order by pr_cycle_hours) as pr_cycle_hours_p85,
    percentile_cont(0.50) within group (order by pickup_hours) as pickup_hours_p50,
    percentile_cont(0.50) within group (order by review_hours) as review_hours_p50,
    percentile_cont(0.50) within group (order by lead_time_for_changes_hours) as lead_time_for_changes_p50_hours,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from windowed
group by period_start, is_complete, team, window_weeks, window_start
    );
    
  