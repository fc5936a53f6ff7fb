{#-
    The forecasts of forecast_backtest, kept from one build to the next: a replayed forecast
    depends only on its week's inputs_signature (int_forecast_backtest_weeks), so a build runs
    the trials only for the weeks whose signature it has not stored: on most nights the week
    that just got its finished horizon, and the weeks whose days a late change touched. A week
    that no longer qualifies keeps its row, unread: forecast_backtest joins the weeks of now.
    The replay: daily throughputs of the `forecast_window_days` before the Monday, zero days
    included, drawn with replacement with a fixed seed, `forecast_backtest_trials` trials of
    `forecast_backtest_horizon_days` days, exactly as flow_forecast draws.
-#}
{{ config(
    schema="intermediate",
    materialized=incremental_or_table(),
    unique_key=["team", "week_start"],
    incremental_strategy="delete+insert",
) }}
{%- set trials = var('forecast_backtest_trials') -%}
{%- set horizon = var('forecast_backtest_horizon_days') -%}

with weeks as (
    select * from {{ ref('int_forecast_backtest_weeks') }} as weeks
    {%- if is_incremental() %}
    where not exists (
        select 1 from {{ this }} as stored
        where stored.team = weeks.team
            and stored.week_start = weeks.week_start
            and stored.inputs_signature = weeks.inputs_signature
    )
    {%- endif %}
),

samples as (
    select
        weeks.team_number,
        weeks.week_number,
        sample_days.throughput,
        row_number() over (partition by weeks.team_number, weeks.week_number order by sample_days.day) - 1 as sample_index
    from weeks
    inner join ({{ forecast_backtest_samples('weeks') }}) as sample_days
        on sample_days.team = weeks.team and sample_days.week_start = weeks.week_start
),

sample_sizes as (
    select team_number, week_number, count(*) as sample_days from samples group by team_number, week_number
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
)

select
    weeks.team,
    weeks.week_start,
    weeks.inputs_signature,
    forecasts.forecast_50_items,
    forecasts.forecast_85_items
from weeks
inner join forecasts on weeks.team_number = forecasts.team_number and weeks.week_number = forecasts.week_number
