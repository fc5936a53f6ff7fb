{#-
    How predictable each team's delivery is, per calendar month (reporting_timezone):
    - weekly throughput mean, sample standard deviation and coefficient of variation (stddev ÷
      mean) over the complete ISO weeks whose Monday falls in the month (null below two weeks);
    - cycle-time spread: p85 ÷ p50 of cycle_time_days over the items completed in the month
      (items created done aside): 1 is perfectly even, 3 and more means the slow items take
      many times the typical one;
    - the forecast's track record: forecast_backtest's hit rate at the month's last backtest.
    Every month of flow_monthly has a row per team; the as-of month has is_complete false.
-#}
with months as (
    select period_start, is_complete, team from {{ ref('flow_monthly') }}
),

weeks as (
    select cast({{ dbt.date_trunc('month', 'period_start') }} as date) as month_start, team, throughput
    from {{ ref('flow_weekly') }}
    where is_complete
),

weekly_throughput as (
    select
        month_start,
        team,
        count(*) as complete_weeks,
        avg(cast(throughput as {{ type_double() }})) as mean,
        stddev_samp(cast(throughput as {{ type_double() }})) as stddev
    from weeks
    group by month_start, team
),

cycle_times as (
    select
        cast({{ dbt.date_trunc('month', 'completed_date') }} as date) as month_start,
        team,
        count(*) as completed_items,
        {{ round_double("percentile_cont(0.50) within group (order by cycle_time_days)", 6) }} as p50,
        {{ round_double("percentile_cont(0.85) within group (order by cycle_time_days)", 6) }} as p85
    from {{ ref('flow_item_metrics') }}
    where state = 'done' and created_done is not true and cycle_time_days is not null
    group by 1, 2
),

backtests as (
    select month_start, team, hit_rate, backtests_in_rate
    from (
        select
            cast({{ dbt.date_trunc('month', 'period_start') }} as date) as month_start,
            team,
            hit_rate,
            backtests_in_rate,
            row_number() over (
                partition by team, cast({{ dbt.date_trunc('month', 'period_start') }} as date) order by period_start desc
            ) as recency
        from {{ ref('forecast_backtest') }}
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
        when weekly_throughput.mean > 0 then {{ round_double("weekly_throughput.stddev / weekly_throughput.mean", 6) }}
    end as throughput_cv,
    cast(coalesce(cycle_times.completed_items, 0) as integer) as cycle_time_items,
    cycle_times.p50 as cycle_time_p50_days,
    cycle_times.p85 as cycle_time_p85_days,
    {{ round_double("cycle_times.p85 / nullif(cycle_times.p50, 0)", 6) }} as cycle_time_spread,
    backtests.hit_rate as forecast_hit_rate,
    cast(backtests.backtests_in_rate as integer) as forecast_backtests,
    {{ as_of() }} as as_of,
    {{ refreshed_at() }} as refreshed_at
from months
left join weekly_throughput on months.period_start = weekly_throughput.month_start and months.team = weekly_throughput.team
left join cycle_times on months.period_start = cycle_times.month_start and months.team = cycle_times.team
left join backtests on months.period_start = backtests.month_start and months.team = backtests.team
