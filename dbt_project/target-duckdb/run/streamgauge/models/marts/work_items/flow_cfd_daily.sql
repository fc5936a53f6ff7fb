
    

    create  table
      "new"."marts"."flow_cfd_daily__dbt_tmp"
  
    
    as (
      with days as (
    select day from "new"."intermediate"."int_reporting_days"
),

stages as (
    select * from "new"."seeds"."stages"
    where category not in ('canceled', 'unmapped')
),

teams as (
    select distinct team from "new"."core"."work_items"
),

counts as (
    select day, team, stage, sum(items) as items
    from "new"."intermediate"."int_daily_stage_counts"
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
    (cast(

    (day + cast(1 as bigint) * interval 1 day) as timestamp) <= cast('2026-11-02 00:00:00' as timestamp)) as is_complete,
    team,
    stage,
    stage_order,
    stage_category,
    cast(items as integer) as items,
    cast(sum(items) over (
        partition by day, team order by stage_order desc rows between unbounded preceding and current row
    ) as integer) as cumulative_items,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from grid
    );
    
  