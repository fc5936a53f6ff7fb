
    

    create  table
      "new"."marts"."aging_wip__dbt_tmp"
  
    
    as (
      with items as (
    select * from "new"."marts"."flow_item_metrics"
),

wip as (
    select * from items where state = 'in_progress'
),

recent as (
    select team, cycle_time_days
    from items
    where state = 'done'
        and created_done is not true
        and completed_at >= 

    (cast('2026-11-02 00:00:00' as timestamp) + cast(-90 as bigint) * interval 1 day)
        and completed_at <= cast('2026-11-02 00:00:00' as timestamp)
),

team_percentiles as (
    select
        team,
        count(*) as sample_size,
        round(percentile_cont(0.50) within group (order by cycle_time_days), 6) as cycle_time_p50_days,
        round(percentile_cont(0.85) within group (order by cycle_time_days), 6) as cycle_time_p85_days
    from recent
    group by team
),

ranks as (select work_item_id, recent_at_or_below
    from (
        select
            work_item_id,
            sum(case when work_item_id is null then 1 else 0 end) over (
                partition by team order by days, work_item_id nulls first rows unbounded preceding
            ) as recent_at_or_below
        from (
            select team, cycle_time_days as days, cast(null as varchar) as work_item_id from recent
            union all
            select team, age_days, work_item_id from wip
        ) as both_kinds
    ) as counted
    where work_item_id is not null
),

current_visits as (
    select work_item_id, entered_at
    from "new"."core"."work_item_stage_intervals"
    where is_current
),

stages as (
    select stage, stage_order from "new"."seeds"."stages"
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
    
        (date_diff('day', cast(current_visits.entered_at as date)::timestamp, cast(cast('2026-11-02 00:00:00' as timestamp) as date)::timestamp ))
     + 1
        as days_in_current_stage,
    cast(ranks.recent_at_or_below as double precision) / team_percentiles.sample_size as age_percentile_rank,
    team_percentiles.cycle_time_p50_days,
    team_percentiles.cycle_time_p85_days,
    coalesce(team_percentiles.sample_size, 0) as sample_size,
    wip.age_days > team_percentiles.cycle_time_p85_days as at_risk,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from wip
left join current_visits on wip.work_item_id = current_visits.work_item_id
left join team_percentiles on wip.team = team_percentiles.team
left join ranks on wip.work_item_id = ranks.work_item_id
left join stages on wip.current_stage = stages.stage
    );
    
  