
    

    create  table
      "new"."marts"."predictability_monthly__dbt_tmp"
  
    
    as (
      with months as (
    select period_start, is_complete, team from "new"."marts"."flow_monthly"
),

weeks as (
    select cast(date_trunc('month', period_start) as date) as month_start, team, throughput
    from "new"."marts"."flow_weekly"
    where is_complete
),

weekly_throughput as (
    select
        month_start,
        team,
        count(*) as complete_weeks,
        avg(cast(throughput as double precision)) as mean,
        stddev_samp(cast(throughput as double precision)) as stddev
    from weeks
    group by month_start, team
),

cycle_times as (
    select
        cast(date_trunc('month', completed_date) as date) as month_start,
        team,
        count(*) as completed_items,
        round(percentile_cont(0.50) within group (order by cycle_time_days), 6) as p50,
        round(percentile_cont(0.85) within group (order by cycle_time_days), 6) as p85
    from "new"."marts"."flow_item_metrics"
    where state = 'done' and created_done is not true and cycle_time_days is not null
    group by 1, 2
),

backtests as (
    select month_start, team, hit_rate, backtests_in_rate
    from (
        select
            cast(date_trunc('month', period_start) as date) as month_start,
            team,
            hit_rate,
            backtests_in_rate,
            row_number() over (
                partition by team, cast(date_trunc('month', period_start) as date) order by period_start desc
            ) as recency
        from "new"."marts"."forecast_backtest"
    ) as ranked
    where recency = 1
)

select
    months.period_start,
    months.is_complete,
    months.team,
    cast(coalesce(weekly_throughput.complete_weeks, 0) as integer) as complete_weeks,
    weekly_throughput.mean as throughput_weekly_mean,
    weekly_throughput.stddev as throughput_weekly_stddev,
    case
        when weekly_throughput.mean > 0 then round(weekly_throughput.stddev / weekly_throughput.mean, 6)
    end as throughput_cv,
    cast(coalesce(cycle_times.completed_items, 0) as integer) as cycle_time_items,
    cycle_times.p50 as cycle_time_p50_days,
    cycle_times.p85 as cycle_time_p85_days,
    round(cycle_times.p85 / nullif(cycle_times.p50, 0), 6) as cycle_time_spread,
    backtests.hit_rate as forecast_hit_rate,
    cast(backtests.backtests_in_rate as integer) as forecast_backtests,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from months
left join weekly_throughput on months.period_start = weekly_throughput.month_start and months.team = weekly_throughput.team
left join cycle_times on months.period_start = cycle_times.month_start and months.team = cycle_times.team
left join backtests on months.period_start = backtests.month_start and months.team = backtests.team
    );
    
  