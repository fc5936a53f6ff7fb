{#-
    Work in progress now: each started, unfinished item's age in days, its stage and how long it
    has been there, and how its age compares with the cycle times (in days) of the team's items
    completed in the trailing `aging_window_days`: the share of those it is older than or as old
    as (age_percentile_rank), and at_risk when its age exceeds their 85th percentile.
-#}
with items as (
    select * from {{ ref('flow_item_metrics') }}
),

wip as (
    select * from items where state = 'in_progress'
),

recent as (
    select team, cycle_time_days
    from items
    where state = 'done'
        and created_done is not true
        and completed_at >= {{ dbt.dateadd('day', -1 * var('aging_window_days'), as_of()) }}
        and completed_at <= {{ as_of() }}
),

team_percentiles as (
    select
        team,
        count(*) as sample_size,
        {{ round_double("percentile_cont(0.50) within group (order by cycle_time_days)", 6) }} as cycle_time_p50_days,
        {{ round_double("percentile_cont(0.85) within group (order by cycle_time_days)", 6) }} as cycle_time_p85_days
    from recent
    group by team
),

ranks as (
    {#-
        The recent cycle times at or below each WIP item's age: one pass over both sorted
        together (a recent item sorts before a WIP item of the same value), not a join of
        every WIP item with every recent one.
    -#}
    select work_item_id, recent_at_or_below
    from (
        select
            work_item_id,
            sum(case when work_item_id is null then 1 else 0 end) over (
                partition by team order by days, work_item_id nulls first rows unbounded preceding
            ) as recent_at_or_below
        from (
            select team, cycle_time_days as days, cast(null as {{ type_varchar() }}) as work_item_id from recent
            union all
            select team, age_days, work_item_id from wip
        ) as both_kinds
    ) as counted
    where work_item_id is not null
),

current_visits as (
    select work_item_id, entered_at
    from {{ ref('work_item_stage_intervals') }}
    where is_current
),

stages as (
    select stage, stage_order from {{ ref('stages') }}
)

select
    wip.work_item_id,
    wip.source_system,
    wip.team,
    wip.flow_type,
    wip.item_key,
    wip.title,
    wip.url,
    wip.current_stage,
    stages.stage_order as current_stage_order,
    wip.started_at,
    current_visits.entered_at as current_stage_entered_at,
    cast(wip.age_days as integer) as age_days,
    {{ dbt.datediff(reporting_date('current_visits.entered_at'), reporting_date(as_of()), 'day') }} + 1
        as days_in_current_stage,
    cast(ranks.recent_at_or_below as {{ type_double() }}) / team_percentiles.sample_size as age_percentile_rank,
    team_percentiles.cycle_time_p50_days,
    team_percentiles.cycle_time_p85_days,
    coalesce(team_percentiles.sample_size, 0) as sample_size,
    wip.age_days > team_percentiles.cycle_time_p85_days as at_risk,
    {{ as_of() }} as as_of,
    {{ refreshed_at() }} as refreshed_at
from wip
left join current_visits on wip.work_item_id = current_visits.work_item_id
left join team_percentiles on wip.team = team_percentiles.team
left join ranks on wip.work_item_id = ranks.work_item_id
left join stages on wip.current_stage = stages.stage
