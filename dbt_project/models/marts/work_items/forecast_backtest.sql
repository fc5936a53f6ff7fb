{#-
    Whether to trust flow_forecast: its "how many in the next 14 days" forecast, replayed for
    past weeks. For each team and each Monday w that has `forecast_window_days` (90) days of
    history before it and whose next 14 days are over by the as-of day, the forecast is run as
    of w exactly as flow_forecast runs it (daily throughputs of the 90 days before w, zero days
    included, drawn with replacement, fixed seed; `forecast_backtest_trials` trials), and the
    items actually finished in [w, w + 14 days) are compared with its 85% answer (the 15th
    percentile of the trial totals). hit_rate is the share of hits over the trailing
    `forecast_backtest_weeks` (26) backtests: near 0.85 when the forecast can be trusted, well
    below when the team's throughput changed (the forecast promises too much), well above when
    it is too cautious.
-#}
{%- set trials = var('forecast_backtest_trials') -%}
{%- set window = var('forecast_window_days') -%}
{%- set horizon = var('forecast_backtest_horizon_days') -%}

with team_days as (
    select team, period_start as day, sum(throughput) as throughput
    from {{ ref('flow_daily') }}
    where period_start < {{ reporting_date(as_of()) }}
    group by team, period_start
),

teams as (
    select team, dense_rank() over (order by team) as team_number, min(day) as first_day, max(day) as last_day
    from team_days
    group by team
),

weeks as (
    {#- Mondays with a full sample window before them and a full horizon after them -#}
    select
        teams.team,
        teams.team_number,
        team_days.day as week_start,
        dense_rank() over (partition by teams.team order by team_days.day) as week_number
    from team_days
    inner join teams on team_days.team = teams.team
    where {{ dbt.date_trunc('week', 'team_days.day') }} = team_days.day
        and {{ dbt.dateadd('day', -1 * window, 'team_days.day') }} >= teams.first_day
        and {{ dbt.dateadd('day', horizon - 1, 'team_days.day') }} <= teams.last_day
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
        and team_days.day >= {{ dbt.dateadd('day', -1 * window, 'weeks.week_start') }}
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
        and team_days.day < {{ dbt.dateadd('day', horizon, 'weeks.week_start') }}
    group by weeks.team_number, weeks.week_number
),

picks as (
    select weeks.team_number, weeks.week_number, sample_sizes.sample_days, trials.n as trial, days_ahead.n as day_ahead
    from weeks
    inner join sample_sizes on weeks.team_number = sample_sizes.team_number and weeks.week_number = sample_sizes.week_number
    cross join ({{ integers(trials) }}) as trials
    cross join ({{ integers(horizon) }}) as days_ahead
),

trial_totals as (
    select picks.team_number, picks.week_number, picks.trial, sum(samples.throughput) as finished
    from (
        select drawn.*, {{ random_index_of_key('drawn.sample_days', 'drawn.random_key') }} as sample_index
        from (
            select
                picks.*,
                {{ random_key([
                    var('forecast_seed'), 'picks.team_number', 'picks.week_number', 'picks.trial', 'picks.day_ahead'
                ]) }} as random_key
            from picks
        ) as drawn
        {{ planning_fence() }}
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
    {{ is_complete('week', 'week_start') }} as is_complete,
    team,
    {{ horizon }} as horizon_days,
    forecast_50_items,
    forecast_85_items,
    cast(actual_items as integer) as actual_items,
    is_hit,
    cast(count(*) over recent_backtests as integer) as backtests_in_rate,
    avg(cast(case when is_hit then 1 else 0 end as {{ type_double() }})) over recent_backtests as hit_rate,
    {{ trials }} as trials,
    {{ var('forecast_seed') }} as seed,
    {{ as_of() }} as as_of,
    {{ refreshed_at() }} as refreshed_at
from judged
window recent_backtests as (
    partition by team order by week_start rows between {{ var('forecast_backtest_weeks') - 1 }} preceding and current row
)
