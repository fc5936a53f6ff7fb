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
{%- set horizon = var('forecast_backtest_horizon_days') -%}

{#- The trials run in int_forecast_backtest_runs, only for the weeks whose inputs changed -#}
with judged as (
    select
        weeks.team,
        weeks.week_start,
        runs.forecast_50_items,
        runs.forecast_85_items,
        weeks.actual_items,
        weeks.actual_items >= runs.forecast_85_items as is_hit
    from {{ ref('int_forecast_backtest_weeks') }} as weeks
    inner join {{ ref('int_forecast_backtest_runs') }} as runs
        on weeks.team = runs.team
        and weeks.week_start = runs.week_start
        and weeks.inputs_signature = runs.inputs_signature
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
