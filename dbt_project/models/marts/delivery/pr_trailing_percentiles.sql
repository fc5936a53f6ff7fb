{#-
    Team × ISO week × trailing window: pull request cycle time percentiles over the PRs merged
    in the `window_weeks` weeks that end with the week (var `trailing_window_weeks`). Bots' PRs
    are left out: they show how fast automation merges, not how the team's changes flow.
-#}
with weeks as (
    select distinct period_start, team, is_complete
    from {{ ref('pr_weekly') }}
),

merged as (
    select team, merged_week_start, 1 as merged_pr, pr_cycle_hours, pickup_hours, review_hours, lead_time_for_changes_hours
    from {{ ref('pr_cycle_time') }}
    where merged_at is not null and not is_bot
),

windows as (
    {{ trailing_windows('weeks') }}
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
    {{ as_of() }} as as_of,
    {{ refreshed_at() }} as refreshed_at
from windowed
group by period_start, is_complete, team, window_weeks, window_start
