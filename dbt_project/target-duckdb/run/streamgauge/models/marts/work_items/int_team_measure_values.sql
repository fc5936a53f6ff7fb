
    

    create  table
      "new"."intermediate"."int_team_measure_values__dbt_tmp"
  
    
    as (
      with items as (
    select work_item_id, team, completed_date, lead_time_hours, cycle_time_hours, active_hours,
        cast(date_trunc('week', completed_at) as date) as completed_week
    from "new"."marts"."flow_item_metrics"
    where state = 'done' and cycle_time_hours is not null
),

review_waits as (select items.team, items.completed_date, stage_time.total_hours
    from "new"."marts"."flow_stage_time" as stage_time
    inner join items on stage_time.work_item_id = items.work_item_id
    where stage_time.stage = 'review'
),

pull_requests as (
    select team, cast(merged_at as date) as merged_date, pickup_hours, review_hours
    from "new"."marts"."pr_cycle_time"
    where merged_at is not null and not is_bot
),

flow_weeks as (
    select team, period_start, throughput, average_wip
    from "new"."marts"."flow_weekly"
    where is_complete
),

efficiency_weeks as (
    select team, completed_week as period_start, sum(active_hours) as active_hours, sum(cycle_time_hours) as cycle_hours
    from items
    group by team, completed_week
),

dora_weeks as (
    select team, period_start, sum(deployments) as deployments, sum(failed_deployments) as failed_deployments
    from "new"."marts"."dora_weekly"
    where is_complete and team is not null
    group by team, period_start
),

item_values as (
    select team, 'cycle_time_p50_hours' as measure, 0.50 as quantile, 'hours' as unit, completed_date as measured_on,
        cycle_time_hours as value, cast(null as double precision) as denominator
    from items
    union all
    select team, 'cycle_time_p85_hours', 0.85, 'hours', completed_date, cycle_time_hours, null from items
    union all
    select team, 'lead_time_p85_hours', 0.85, 'hours', completed_date, lead_time_hours, null from items
    union all
    select team, 'review_wait_hours_p50', 0.50, 'hours', completed_date, total_hours, null from review_waits
    union all
    select team, 'pickup_hours_p50', 0.50, 'hours', merged_date, pickup_hours, null
    from pull_requests where pickup_hours is not null
    union all
    select team, 'review_hours_p50', 0.50, 'hours', merged_date, review_hours, null
    from pull_requests where review_hours is not null
),

week_values as (
    select team, 'throughput' as measure, cast(null as double precision) as quantile, 'items per week' as unit,
        period_start as measured_on, cast(throughput as double precision) as value, 1.0 as denominator
    from flow_weeks
    union all
    select team, 'wip', null, 'items', period_start, cast(average_wip as double precision), 1.0 from flow_weeks
    union all
    select flow_weeks.team, 'flow_efficiency', null, 'ratio', flow_weeks.period_start,
        coalesce(efficiency_weeks.active_hours, 0), coalesce(efficiency_weeks.cycle_hours, 0)
    from flow_weeks
    left join efficiency_weeks
        on flow_weeks.team = efficiency_weeks.team and flow_weeks.period_start = efficiency_weeks.period_start
    union all
    select team, 'deployments', null, 'deployments per week', period_start, cast(deployments as double precision), 1.0
    from dora_weeks
    union all
    select team, 'change_failure_rate', null, 'ratio', period_start, cast(failed_deployments as double precision),
        cast(deployments as double precision)
    from dora_weeks
)

select team, measure, 'items' as kind, cast(quantile as double precision) as quantile, unit, measured_on, value, denominator
from item_values
where value is not null
union all
select team, measure, 'weeks' as kind, cast(quantile as double precision) as quantile, unit, measured_on, value, denominator
from week_values
    );
    
  