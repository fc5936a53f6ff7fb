{{ config(schema="intermediate", materialized="table" if target.type == "spark" else "view") }}  {#- a step of improvement_impact and baselines -#}
{#-
    The values the improvement and baseline marts compare, per team, in one shape:
    - per-item measures (`kind = 'items'`): one row per completed item or merged pull request,
      dated by its completion or merge day, `value` the item's hours, `quantile` the percentile
      the measure takes of them;
    - weekly measures (`kind = 'weeks'`): one row per complete ISO week, the measure being
      Σ numerator ÷ Σ denominator over the weeks of a window (a mean per week when the
      denominator is 1, a ratio of sums otherwise: flow efficiency, change failure rate).
    A view (a table on Spark, where views nest into every reader): at 1M items its readers
    computing it cost about what writing its 3.5M rows did, and a night leaves a view out
    (docs/performance.md, *Tables made again in place*).
-#}
with items as (
    select work_item_id, team, completed_date, lead_time_hours, cycle_time_hours, active_hours,
        {{ period_start('week', 'completed_at') }} as completed_week
    from {{ ref('flow_item_metrics') }}
    where state = 'done' and cycle_time_hours is not null
),

review_waits as (
    {#- time in the review stage, over every visit, of each completed item that went through it -#}
    select items.team, items.completed_date, stage_time.total_hours
    from {{ ref('flow_stage_time') }} as stage_time
    inner join items on stage_time.work_item_id = items.work_item_id
    where stage_time.stage = 'review'
),

pull_requests as (
    select team, {{ reporting_date('merged_at') }} as merged_date, pickup_hours, review_hours
    from {{ ref('pr_cycle_time') }}
    where merged_at is not null and not is_bot
),

flow_weeks as (
    select team, period_start, throughput, average_wip
    from {{ ref('flow_weekly') }}
    where is_complete
),

efficiency_weeks as (
    select team, completed_week as period_start, sum(active_hours) as active_hours, sum(cycle_time_hours) as cycle_hours
    from items
    group by team, completed_week
),

dora_weeks as (
    select team, period_start, sum(deployments) as deployments, sum(failed_deployments) as failed_deployments
    from {{ ref('dora_weekly') }}
    where is_complete and team is not null
    group by team, period_start
),

item_values as (
    select team, 'cycle_time_p50_hours' as measure, 0.50 as quantile, 'hours' as unit, completed_date as measured_on,
        cycle_time_hours as value, cast(null as {{ type_double() }}) as denominator
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
    select team, 'throughput' as measure, cast(null as {{ type_double() }}) as quantile, 'items per week' as unit,
        period_start as measured_on, cast(throughput as {{ type_double() }}) as value, 1.0 as denominator
    from flow_weeks
    union all
    select team, 'wip', null, 'items', period_start, cast(average_wip as {{ type_double() }}), 1.0 from flow_weeks
    union all
    select flow_weeks.team, 'flow_efficiency', null, 'ratio', flow_weeks.period_start,
        coalesce(efficiency_weeks.active_hours, 0), coalesce(efficiency_weeks.cycle_hours, 0)
    from flow_weeks
    left join efficiency_weeks
        on flow_weeks.team = efficiency_weeks.team and flow_weeks.period_start = efficiency_weeks.period_start
    union all
    select team, 'deployments', null, 'deployments per week', period_start, cast(deployments as {{ type_double() }}), 1.0
    from dora_weeks
    union all
    select team, 'change_failure_rate', null, 'ratio', period_start, cast(failed_deployments as {{ type_double() }}),
        cast(deployments as {{ type_double() }})
    from dora_weeks
)

select team, measure, 'items' as kind, cast(quantile as {{ type_double() }}) as quantile, unit, measured_on, value, denominator
from item_values
where value is not null
union all
select team, measure, 'weeks' as kind, cast(quantile as {{ type_double() }}) as quantile, unit, measured_on, value, denominator
from week_values
