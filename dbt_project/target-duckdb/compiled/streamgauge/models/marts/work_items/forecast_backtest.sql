with team_days as (
    select team, period_start as day, sum(throughput) as throughput
    from "new"."marts"."flow_daily"
    where period_start < cast(cast('2026-11-02 00:00:00' as timestamp) as date)
    group by team, period_start
),

teams as (
    select team, dense_rank() over (order by team) as team_number, min(day) as first_day, max(day) as last_day
    from team_days
    group by team
),

weeks as (select
        teams.team,
        teams.team_number,
        team_days.day as week_start,
        dense_rank() over (partition by teams.team order by team_days.day) as week_number
    from team_days
    inner join teams on team_days.team = teams.team
    where date_trunc('week', team_days.day) = team_days.day
        and 

    (team_days.day + cast(-90 as bigint) * interval 1 day) >= teams.first_day
        and 

    (team_days.day + cast(13 as bigint) * interval 1 day) <= teams.last_day
),

samples as (
    select
        weeks.team_number,
        weeks.week_number,
        team_days.throughput,
        row_number() over (partition by weeks.team_number, weeks.week_number order by team_days.day) - 1 as sample_index
    from weeks
    inner join team_days
        on team_days.team = weeks.team
        and team_days.day >= 

    (weeks.week_start + cast(-90 as bigint) * interval 1 day)
        and team_days.day < weeks.week_start
),

sample_sizes as (
    select team_number, week_number, count(*) as sample_days from samples group by team_number, week_number
),

actuals as (
    select weeks.team_number, weeks.week_number, sum(team_days.throughput) as actual_items
    from weeks
    inner join team_days
        on team_days.team = weeks.team
        and team_days.day >= weeks.week_start
        and team_days.day < 

    (weeks.week_start + cast(14 as bigint) * interval 1 day)
    group by weeks.team_number, weeks.week_number
),

picks as (
    select weeks.team_number, weeks.week_number, sample_sizes.sample_days, trials.n as trial, days_ahead.n as day_ahead
    from weeks
    inner join sample_sizes on weeks.team_number = sample_sizes.team_number and weeks.week_number = sample_sizes.week_number
    cross join (select cast(range as integer) as n from range(1, 2000 + 1)) as trials
    cross join (select cast(range as integer) as n from range(1, 14 + 1)) as days_ahead
),

trial_totals as (
    select picks.team_number, picks.week_number, picks.trial, sum(samples.throughput) as finished
    from (
        select drawn.*, (((((((drawn.random_key) * ((drawn.random_key) + 48271) + 12345) % 2147483647) * ((((drawn.random_key) * ((drawn.random_key) + 48271) + 12345) % 2147483647) + 48271) + 12345) % 2147483647) * ((((((drawn.random_key) * ((drawn.random_key) + 48271) + 12345) % 2147483647) * ((((drawn.random_key) * ((drawn.random_key) + 48271) + 12345) % 2147483647) + 48271) + 12345) % 2147483647) + 48271) + 12345) % 2147483647 % drawn.sample_days) as sample_index
        from (
            select
                picks.*,
                ((((((((((0) * 1000003 + cast(42 as bigint) + 1) % 2147483647) * 1000003 + cast(picks.team_number as bigint) + 1) % 2147483647) * 1000003 + cast(picks.week_number as bigint) + 1) % 2147483647) * 1000003 + cast(picks.trial as bigint) + 1) % 2147483647) * 1000003 + cast(picks.day_ahead as bigint) + 1) % 2147483647 as random_key
            from picks
        ) as drawn
        
    ) as picks
    inner join samples
        on samples.team_number = picks.team_number
        and samples.week_number = picks.week_number
        and samples.sample_index = picks.sample_index
    group by picks.team_number, picks.week_number, picks.trial
),

forecasts as (
    select
        team_number,
        week_number,
        percentile_cont(0.15) within group (order by finished) as forecast_85_items,
        percentile_cont(0.50) within group (order by finished) as forecast_50_items
    from trial_totals
    group by team_number, week_number
),

judged as (
    select
        weeks.team,
        weeks.week_start,
        forecasts.forecast_50_items,
        forecasts.forecast_85_items,
        actuals.actual_items,
        actuals.actual_items >= forecasts.forecast_85_items as is_hit
    from weeks
    inner join forecasts on weeks.team_number = forecasts.team_number and weeks.week_number = forecasts.week_number
    inner join actuals on weeks.team_number = actuals.team_number and weeks.week_number = actuals.week_number
)

select
    week_start as period_start,
    (cast(

    (week_start + (cast(1 as bigint) * 7) * interval 1 day) as timestamp) <= cast('2026-11-02 00:00:00' as timestamp)) as is_complete,
    team,
    14 as horizon_days,
    forecast_50_items,
    forecast_85_items,
    cast(actual_items as integer) as actual_items,
    is_hit,
    cast(count(*) over recent_backtests as integer) as backtests_in_rate,
    avg(cast(case when is_hit then 1 else 0 end as double precision)) over recent_backtests as hit_rate,
    2000 as trials,
    42 as seed,
    cast('2026-11-02 00:00:00' as timestamp) as as_of,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from judged
window recent_backtests as (
    partition by team order by week_start rows between 25 preceding and current row
)