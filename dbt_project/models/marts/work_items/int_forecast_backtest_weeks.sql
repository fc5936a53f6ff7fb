{{ config(schema="intermediate", materialized="table") }}  {#- a step of forecast_backtest -#}
{#-
    The Mondays forecast_backtest replays, per team: each with `forecast_window_days` (90) days
    of history before it and `forecast_backtest_horizon_days` (14) finished days after it. The
    forecast made on one depends on nothing but what inputs_signature spells out (the draws'
    seed, trials and numbers for the team and the week, and the throughput of every day of its
    sample window), so int_forecast_backtest_runs runs the trials only for a signature it has
    not stored. The way of drawing is signed by a number: raise `replay` when the trials' SQL
    (int_forecast_backtest_runs, macros/random_index.sql) changes, and every stored forecast is
    replayed on the next build.
-#}
{%- set replay = 1 -%}
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

sampled as (
    {#- each sample day as "offset=throughput", in one canonical order -#}
    select team, week_start, {{ dbt.listagg('sample', "','", "order by sample") }} as samples
    from (
        select
            team,
            week_start,
            {{ dbt.concat([
                "cast(" ~ dbt.datediff('week_start', 'day', 'day') ~ " as " ~ type_varchar() ~ ")", "'='",
                "cast(throughput as " ~ type_varchar() ~ ")",
            ]) }} as sample
        from ({{ forecast_backtest_samples('weeks') }}) as sample_days
    ) as samples
    group by team, week_start
),

actuals as (
    select weeks.team, weeks.week_start, sum(team_days.throughput) as actual_items
    from weeks
    inner join team_days
        on team_days.team = weeks.team
        and team_days.day >= weeks.week_start
        and team_days.day < {{ dbt.dateadd('day', horizon, 'weeks.week_start') }}
    group by weeks.team, weeks.week_start
)

select
    weeks.team,
    weeks.week_start,
    weeks.team_number,
    weeks.week_number,
    actuals.actual_items,
    {{ dbt.hash(dbt.concat([
        "'" ~ [replay, var('forecast_seed'), var('forecast_backtest_trials'), horizon] | join('/') ~ "/'",
        "cast(weeks.team_number as " ~ type_varchar() ~ ")", "'/'",
        "cast(weeks.week_number as " ~ type_varchar() ~ ")", "'/'",
        "sampled.samples",
    ])) }} as inputs_signature
from weeks
inner join sampled on weeks.team = sampled.team and weeks.week_start = sampled.week_start
inner join actuals on weeks.team = actuals.team and weeks.week_start = actuals.week_start
