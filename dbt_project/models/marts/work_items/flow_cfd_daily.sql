{#-
    Cumulative flow: reporting day × team × stage, the items in that stage when the day ended,
    and the cumulative band (items in that stage or any later one, canceled left out). A CFD
    stacks `items` in stage_order, or draws `cumulative_items` unstacked: stacking the
    cumulative bands counts an item once per stage it has passed. The started stages (active
    and wait) summed give that day's WIP.
-#}
with days as (
    select day from {{ ref('int_reporting_days') }}
),

stages as (
    select * from {{ ref('stages') }}
    where category not in ('canceled', 'unmapped')
),

teams as (
    select distinct team from {{ ref('work_items') }}
),

counts as (
    select day, team, stage, sum(items) as items
    from {{ ref('int_daily_stage_counts') }}
    group by day, team, stage
),

grid as (
    select
        days.day,
        teams.team,
        stages.stage,
        stages.stage_order,
        stages.category as stage_category,
        coalesce(counts.items, 0) as items
    from days
    cross join teams
    cross join stages
    left join counts on counts.day = days.day and counts.team = teams.team and counts.stage = stages.stage
)

select
    day as period_start,
    {{ is_complete('day', 'day') }} as is_complete,
    team,
    stage,
    stage_order,
    stage_category,
    cast(items as integer) as items,
    cast(sum(items) over (
        partition by day, team order by stage_order desc rows between unbounded preceding and current row
    ) as integer) as cumulative_items,
    {{ as_of() }} as as_of,
    {{ refreshed_at() }} as refreshed_at
from grid
