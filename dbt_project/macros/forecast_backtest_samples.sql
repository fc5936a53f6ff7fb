{#-
    The days forecast_backtest draws from for each row of `weeks` (a relation or CTE name with
    team and week_start): the team's daily throughput over the `forecast_window_days` before the
    Monday. int_forecast_backtest_weeks signs these rows and int_forecast_backtest_runs draws
    from them: one definition, so the signature covers exactly what the trials read.
-#}
{% macro forecast_backtest_samples(weeks) %}
    select weeks.team, weeks.week_start, team_days.day, team_days.throughput
    from {{ weeks }} as weeks
    inner join (
        select team, period_start as day, sum(throughput) as throughput
        from {{ ref('flow_daily') }}
        group by team, period_start
    ) as team_days
        on team_days.team = weeks.team
        and team_days.day >= {{ dbt.dateadd('day', -1 * var('forecast_window_days'), 'weeks.week_start') }}
        and team_days.day < weeks.week_start
{% endmacro %}
